/* hull-svc-apache.c: reads Apache httpd configuration for `Listen` directives
 * ("Listen 80", "Listen 10.0.0.1:8080", "Listen [::]:443 https"). Directives are
 * case-insensitive; conditional sections (<IfModule>) are treated as active, as they are
 * on a stock install. */
#include <string.h>
#include "hull-netports.h"

HullSvcConfig *
hull_svc_parse_apache(const char *path, const char *data, gsize len)
{
	HullSvcConfig *cfg = hull_svc_config_new("apache", path, 80);
	HullLineIter it;
	const char *line;
	hull_line_iter_init(&it, cfg, data, len);
	while ((line = hull_line_iter_next(&it, "#")) != NULL) {
		g_auto(GStrv) w = hull_line_split(line, 3);
		if (w[0] == NULL || w[1] == NULL || g_ascii_strcasecmp(w[0], "Listen") != 0)
			continue;
		const char *v = w[1];
		const char *colon = strrchr(v, ':');
		const char *close = strrchr(v, ']');
		guint port;
		if (colon != NULL && (close == NULL || colon > close)) {
			g_autofree gchar *addr = g_strndup(v, (gsize)(colon - v));
			if (hull_svc_parse_port(colon + 1, &port))
				hull_svc_config_add_listen(cfg, g_strdelimit(addr, "[]", ' '), port, it.lineno);
			else
				hull_svc_config_add_note(cfg, "%s:%u: Listen \"%.64s\": bad port", path, it.lineno, v);
		} else if (hull_svc_parse_port(v, &port)) {
			hull_svc_config_add_listen(cfg, "", port, it.lineno);
		} else {
			hull_svc_config_add_note(cfg, "%s:%u: Listen \"%.64s\": not a port in 1-65535", path, it.lineno, v);
		}
	}
	hull_line_iter_clear(&it);
	/* "[::]" became " :: " above: strip for classification. */
	for (guint i = 0; i < cfg->listens->len; i++)
		g_strstrip(((HullSvcListen *)g_ptr_array_index(cfg->listens, i))->addr);
	return cfg;
}
