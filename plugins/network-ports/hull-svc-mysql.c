/* hull-svc-mysql.c: reads my.cnf / mysqld.cnf (INI style) for the server sections'
 * bind-address, port, skip-networking and skip-grant-tables. MySQL 8 binds every
 * interface when bind-address is absent; skip-grant-tables turns authentication off. */
#include <string.h>
#include "hull-netports.h"

static gboolean
hull_mysql_server_section(const char *s)
{
	return g_str_equal(s, "mysqld") || g_str_equal(s, "server") || g_str_equal(s, "mariadb") ||
	       g_str_equal(s, "mariadbd") || g_str_has_prefix(s, "mysqld-") || g_str_has_prefix(s, "mariadb-");
}

HullSvcConfig *
hull_svc_parse_mysql(const char *path, const char *data, gsize len)
{
	HullSvcConfig *cfg = hull_svc_config_new("mysql", path, 3306);
	HullLineIter it;
	g_autofree gchar *section = NULL, *bind = NULL;
	guint port = 3306, bind_line = 0, skip_grant_line = 0;
	gboolean seen_server = FALSE, skip_net = FALSE, skip_grant = FALSE;
	const char *line;
	hull_line_iter_init(&it, cfg, data, len);
	while ((line = hull_line_iter_next(&it, "#;")) != NULL) {
		if (line[0] == '[') {
			const char *close = strchr(line, ']');
			g_free(section);
			section = g_ascii_strdown(line + 1, close != NULL ? (gssize)(close - line - 1) : -1);
			g_strstrip(section);
			continue;
		}
		if (line[0] == '!')
			continue; /* !include / !includedir: the other files are read on their own */
		if (section == NULL || !hull_mysql_server_section(section))
			continue;
		seen_server = TRUE;
		const char *eq = strchr(line, '=');
		g_autofree gchar *key = g_strndup(line, eq != NULL ? (gsize)(eq - line) : strlen(line));
		g_autofree gchar *value = g_strdup(eq != NULL ? eq + 1 : "");
		g_strstrip(key);
		g_strstrip(value);
		g_strdelimit(key, "_", '-');
		if (g_str_equal(key, "bind-address")) {
			g_free(bind);
			bind = g_strdup(value);
			bind_line = it.lineno;
		} else if (g_str_equal(key, "port")) {
			if (!hull_svc_parse_port(value, &port)) {
				hull_svc_config_add_note(cfg, "%s:%u: port \"%.32s\" is not a port in 1-65535", path, it.lineno, value);
				port = 3306;
			}
		} else if (g_str_equal(key, "skip-networking")) {
			skip_net = g_strcmp0(value, "0") != 0 && g_ascii_strcasecmp(value, "off") != 0;
		} else if (g_str_equal(key, "skip-grant-tables")) {
			skip_grant = g_strcmp0(value, "0") != 0 && g_ascii_strcasecmp(value, "off") != 0;
			skip_grant_line = it.lineno;
		}
	}
	hull_line_iter_clear(&it);
	/* A client-only file (no server section) says nothing about the server. */
	if (!seen_server || skip_net)
		return cfg;
	gboolean any = bind == NULL;
	if (bind == NULL) {
		hull_svc_config_add_listen(cfg, "*", port, 0);
	} else {
		g_auto(GStrv) addrs = g_strsplit(bind, ",", 64);
		for (guint i = 0; addrs[i] != NULL; i++) {
			g_strstrip(addrs[i]);
			any = any || hull_svc_addr_is_any(addrs[i]);
			hull_svc_config_add_listen(cfg, addrs[i], port, bind_line);
		}
	}
	cfg->auth = g_strdup(skip_grant ? "none" : "password");
	if (skip_grant)
		hull_svc_config_add_issue(cfg, "NET-0009", any ? HULL_SEVERITY_CRITICAL : HULL_SEVERITY_HIGH, skip_grant_line,
		                          "mysqld runs with skip-grant-tables (no authentication) and listens on %s port %u",
		                          any ? "every interface," : bind, port);
	return cfg;
}
