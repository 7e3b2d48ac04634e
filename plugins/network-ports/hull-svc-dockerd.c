/* hull-svc-dockerd.c: reads Docker's daemon.json for "hosts" entries on TCP. dockerd
 * on tcp:// without "tlsverify" gives root on the host to whoever can connect (Docker's
 * "Protect the Docker daemon socket"); 2375 is the conventional plaintext port. */
#include <string.h>
#include "hull-netports.h"
#include <hullscan/hull-json.h>

/* Line of the first occurrence of @needle in @data, for the finding's location. */
static guint
hull_dockerd_line_of(const char *data, gsize len, const char *needle)
{
	gsize nl = strlen(needle);
	guint line = 1;
	for (gsize i = 0; i + nl <= len; i++) {
		if (data[i] == '\n')
			line++;
		else if (memcmp(data + i, needle, nl) == 0)
			return line;
	}
	return 0;
}

static gboolean
hull_dockerd_bool(JsonObject *o, const char *member)
{
	JsonNode *n = json_object_get_member(o, member);
	return n != NULL && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_BOOLEAN &&
	       json_node_get_boolean(n);
}

HullSvcConfig *
hull_svc_parse_dockerd(const char *path, const char *data, gsize len)
{
	HullSvcConfig *cfg = hull_svc_config_new("dockerd", path, 2375);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	if (!hull_json_load_one(parser, data, len, &error)) {
		hull_svc_config_add_note(cfg, "%s: not valid JSON: %s", path, error->message);
		return cfg;
	}
	JsonNode *root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return cfg;
	JsonObject *o = json_node_get_object(root);
	gboolean tlsverify = hull_dockerd_bool(o, "tlsverify");
	cfg->auth = g_strdup(tlsverify ? "tls-client-cert" : "none");
	JsonNode *hosts = json_object_get_member(o, "hosts");
	if (hosts == NULL || !JSON_NODE_HOLDS_ARRAY(hosts))
		return cfg;
	JsonArray *arr = json_node_get_array(hosts);
	for (guint i = 0; i < json_array_get_length(arr) && i < HULL_SVC_MAX_LISTENS; i++) {
		JsonNode *h = json_array_get_element(arr, i);
		if (!JSON_NODE_HOLDS_VALUE(h) || json_node_get_value_type(h) != G_TYPE_STRING)
			continue;
		const char *host = json_node_get_string(h);
		if (!g_str_has_prefix(host, "tcp://"))
			continue;
		const char *hp = host + 6;
		const char *colon = strrchr(hp, ':');
		const char *close = strrchr(hp, ']');
		guint port = tlsverify ? 2376 : 2375;
		g_autofree gchar *addr = NULL;
		if (colon != NULL && (close == NULL || colon > close)) {
			addr = g_strndup(hp, (gsize)(colon - hp));
			if (!hull_svc_parse_port(colon + 1, &port)) {
				hull_svc_config_add_note(cfg, "%s: host \"%.64s\": bad port", path, host);
				continue;
			}
		} else {
			addr = g_strdup(hp);
		}
		g_strdelimit(addr, "[]", ' ');
		g_strstrip(addr);
		guint line = hull_dockerd_line_of(data, len, host);
		hull_svc_config_add_listen(cfg, addr, port, line);
		if (!tlsverify && !hull_svc_addr_is_loopback(addr))
			hull_svc_config_add_issue(cfg, "NET-0012", HULL_SEVERITY_CRITICAL, line,
			                          "dockerd listens on %s (port %u/tcp) without tlsverify: whoever reaches "
			                          "it controls the daemon and is root on the host", host, port);
	}
	return cfg;
}
