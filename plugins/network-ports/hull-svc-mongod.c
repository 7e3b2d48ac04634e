/* hull-svc-mongod.c: reads mongod.conf, a YAML file, for net.bindIp, net.bindIpAll,
 * net.port and security.authorization. YAML is the core's business for documents it
 * shares; here only four scalar keys under two top-level maps matter, so a minimal
 * line-based reading by indentation is enough (flow style and anchors are not followed). */
#include <string.h>
#include "hull-netports.h"

HullSvcConfig *
hull_svc_parse_mongod(const char *path, const char *data, gsize len)
{
	HullSvcConfig *cfg = hull_svc_config_new("mongod", path, 27017);
	HullLineIter it;
	g_autofree gchar *section = NULL;
	g_autofree gchar *bind_ip = NULL;
	gboolean bind_all = FALSE, auth = FALSE;
	guint port = 27017, bind_line = 0;
	const char *line;
	hull_line_iter_init(&it, cfg, data, len);
	while ((line = hull_line_iter_next(&it, "#")) != NULL) {
		const char *colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		g_autofree gchar *key = g_strndup(line, (gsize)(colon - line));
		g_strstrip(key);
		g_autofree gchar *value = g_strdup(colon + 1);
		char *hash = strstr(value, " #");
		if (hash != NULL)
			*hash = '\0';
		g_strstrip(value);
		if (value[0] == '"' || value[0] == '\'') {
			gsize vl = strlen(value);
			if (vl >= 2 && value[vl - 1] == value[0]) {
				memmove(value, value + 1, vl - 2);
				value[vl - 2] = '\0';
			}
		}
		gboolean top = it.indent == 0;
		if (top) {
			/* "net:" opens a section; "net.port: 1" style flat keys are read too. */
			g_free(section);
			section = value[0] == '\0' ? g_strdup(key) : NULL;
			if (section != NULL)
				continue;
			const char *dot = strchr(key, '.');
			if (dot == NULL)
				continue;
			section = g_strndup(key, (gsize)(dot - key));
			memmove(key, dot + 1, strlen(dot + 1) + 1);
		}
		if (g_strcmp0(section, "net") == 0) {
			if (g_str_equal(key, "bindIp")) {
				g_free(bind_ip);
				bind_ip = g_strdup(value);
				bind_line = it.lineno;
			} else if (g_str_equal(key, "bindIpAll")) {
				bind_all = g_ascii_strcasecmp(value, "true") == 0;
				bind_line = it.lineno;
			} else if (g_str_equal(key, "port") && !hull_svc_parse_port(value, &port)) {
				hull_svc_config_add_note(cfg, "%s:%u: net.port \"%.32s\" is not a port in 1-65535", path, it.lineno, value);
				port = 27017;
			}
		} else if (g_strcmp0(section, "security") == 0 && g_str_equal(key, "authorization")) {
			auth = g_ascii_strcasecmp(value, "enabled") == 0;
		}
	}
	hull_line_iter_clear(&it);
	gboolean any = bind_all;
	if (bind_all) {
		hull_svc_config_add_listen(cfg, "0.0.0.0", port, bind_line);
	} else if (bind_ip != NULL) {
		g_auto(GStrv) addrs = g_strsplit(bind_ip, ",", 64);
		for (guint i = 0; addrs[i] != NULL; i++) {
			g_strstrip(addrs[i]);
			if (addrs[i][0] == '\0')
				continue;
			any = any || hull_svc_addr_is_any(addrs[i]);
			hull_svc_config_add_listen(cfg, addrs[i], port, bind_line);
		}
	} else {
		hull_svc_config_add_listen(cfg, "localhost", port, 0); /* default since 3.6 */
	}
	cfg->auth = g_strdup(auth ? "password" : "none");
	if (any && !auth)
		hull_svc_config_add_issue(cfg, "NET-0009", HULL_SEVERITY_HIGH, bind_line,
		                          "mongod listens on every interface on port %u without security.authorization "
		                          "enabled: clients need no credentials", port);
	return cfg;
}
