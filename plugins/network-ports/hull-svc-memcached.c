/* hull-svc-memcached.c: reads Debian's /etc/memcached.conf, one command-line option per
 * line ("-l 127.0.0.1", "-p 11211", "-U 0", "-S"). Without -l memcached binds every
 * interface, and without -S (SASL) it has no authentication at all. */
#include <string.h>
#include "hull-netports.h"

HullSvcConfig *
hull_svc_parse_memcached(const char *path, const char *data, gsize len)
{
	HullSvcConfig *cfg = hull_svc_config_new("memcached", path, 11211);
	HullLineIter it;
	g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func(g_free);
	guint port = 11211, l_line = 0;
	gboolean sasl = FALSE;
	const char *line;
	hull_line_iter_init(&it, cfg, data, len);
	while ((line = hull_line_iter_next(&it, "#")) != NULL) {
		g_auto(GStrv) w = hull_line_split(line, 3);
		if (w[0] == NULL)
			continue;
		const char *opt = w[0];
		const char *val = w[1];
		/* "-p11211" and "--port=11211" forms. */
		g_autofree gchar *joined = NULL;
		if (g_str_has_prefix(opt, "--") && strchr(opt, '=') != NULL) {
			joined = g_strdup(opt);
			char *eq = strchr(joined, '=');
			*eq = '\0';
			opt = joined;
			val = eq + 1;
		}
		if (g_strcmp0(opt, "-l") == 0 || g_strcmp0(opt, "--listen") == 0) {
			if (val == NULL)
				continue;
			g_auto(GStrv) parts = g_strsplit(val, ",", 64);
			for (guint i = 0; parts[i] != NULL; i++)
				g_ptr_array_add(addrs, g_strdup(parts[i]));
			l_line = it.lineno;
		} else if ((g_strcmp0(opt, "-p") == 0 || g_strcmp0(opt, "--port") == 0) && val != NULL) {
			if (!hull_svc_parse_port(val, &port)) {
				hull_svc_config_add_note(cfg, "%s:%u: port \"%.32s\" is not a port in 1-65535", path, it.lineno, val);
				port = 11211;
			}
		} else if (g_strcmp0(opt, "-S") == 0 || g_strcmp0(opt, "--enable-sasl") == 0) {
			sasl = TRUE;
		}
	}
	hull_line_iter_clear(&it);
	gboolean any = addrs->len == 0;
	if (addrs->len == 0)
		hull_svc_config_add_listen(cfg, "", port, 0);
	for (guint i = 0; i < addrs->len; i++) {
		const char *a = g_ptr_array_index(addrs, i);
		any = any || hull_svc_addr_is_any(a);
		hull_svc_config_add_listen(cfg, a, port, l_line);
	}
	cfg->auth = g_strdup(sasl ? "sasl" : "none");
	if (any && !sasl)
		hull_svc_config_add_issue(cfg, "NET-0009", HULL_SEVERITY_HIGH, l_line,
		                          "memcached listens on every interface on port %u without SASL (-S): "
		                          "anyone who reaches it can read and overwrite the cache", port);
	return cfg;
}
