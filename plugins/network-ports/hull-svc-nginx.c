/* hull-svc-nginx.c: reads nginx configuration files for `listen` and `include`
 * directives. Statements end with ';' and may share a line, so each line is cut at ';'
 * before looking at the first word; blocks do not matter for where nginx listens. Which
 * files are actually loaded is decided later from the includes (hull-svc-nginx-includes.c). */
#include <string.h>
#include "hull-netports.h"

/* "80", "8080", "127.0.0.1:80", "[::]:80", "*:80", "localhost", "unix:/path" */
static void
hull_nginx_listen(HullSvcConfig *cfg, const char *value, guint line)
{
	if (g_str_has_prefix(value, "unix:"))
		return;
	guint port = 0;
	if (value[0] == '[') {
		const char *close = strchr(value, ']');
		if (close == NULL) {
			hull_svc_config_add_note(cfg, "%s:%u: listen \"%.64s\": unterminated IPv6 address", cfg->path, line, value);
			return;
		}
		g_autofree gchar *addr = g_strndup(value + 1, (gsize)(close - value - 1));
		if (close[1] == ':' && !hull_svc_parse_port(close + 2, &port)) {
			hull_svc_config_add_note(cfg, "%s:%u: listen \"%.64s\": bad port", cfg->path, line, value);
			return;
		}
		hull_svc_config_add_listen(cfg, addr, port != 0 ? port : 80, line);
		return;
	}
	const char *colon = strrchr(value, ':');
	if (colon != NULL) {
		g_autofree gchar *addr = g_strndup(value, (gsize)(colon - value));
		if (!hull_svc_parse_port(colon + 1, &port)) {
			hull_svc_config_add_note(cfg, "%s:%u: listen \"%.64s\": bad port", cfg->path, line, value);
			return;
		}
		hull_svc_config_add_listen(cfg, addr, port, line);
		return;
	}
	gboolean digits = value[0] != '\0';
	for (const char *c = value; *c != '\0'; c++)
		digits = digits && g_ascii_isdigit(*c);
	if (digits) {
		if (!hull_svc_parse_port(value, &port)) {
			hull_svc_config_add_note(cfg, "%s:%u: listen \"%.64s\": not a port in 1-65535", cfg->path, line, value);
			return;
		}
		hull_svc_config_add_listen(cfg, "", port, line);
		return;
	}
	hull_svc_config_add_listen(cfg, value, 80, line); /* an address alone listens on 80 */
}

HullSvcConfig *
hull_svc_parse_nginx(const char *path, const char *data, gsize len)
{
	HullSvcConfig *cfg = hull_svc_config_new("nginx", path, 80);
	HullLineIter it;
	const char *line;
	hull_line_iter_init(&it, cfg, data, len);
	while ((line = hull_line_iter_next(&it, "#")) != NULL) {
		g_autofree gchar *nocomment = g_strdup(line);
		char *hash = strchr(nocomment, '#');
		if (hash != NULL)
			*hash = '\0';
		g_auto(GStrv) stmts = g_strsplit(nocomment, ";", 64);
		for (guint s = 0; stmts[s] != NULL; s++) {
			/* Block openers may precede a statement on the same line: "server { listen 80;" */
			const char *stmt = stmts[s];
			const char *brace = strrchr(stmt, '{');
			if (brace != NULL)
				stmt = brace + 1;
			const char *close = strrchr(stmt, '}');
			if (close != NULL)
				stmt = close + 1;
			g_auto(GStrv) w = hull_line_split(stmt, 3);
			if (w[0] == NULL || w[1] == NULL)
				continue;
			if (g_strcmp0(w[0], "listen") == 0)
				hull_nginx_listen(cfg, w[1], it.lineno);
			else if (g_strcmp0(w[0], "include") == 0 && cfg->includes->len < 256)
				g_ptr_array_add(cfg->includes, g_utf8_make_valid(w[1], -1));
		}
	}
	hull_line_iter_clear(&it);
	return cfg;
}
