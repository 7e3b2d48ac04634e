/* hull-svc-redis.c: reads redis.conf (and valkey's) for bind, port, protected-mode and
 * requirepass. Redis listens on every interface when no bind line is given, and only
 * protected-mode (default yes) keeps it from answering strangers without a password. */
#include "hull-netports.h"

HullSvcConfig *
hull_svc_parse_redis(const char *path, const char *data, gsize len)
{
	HullSvcConfig *cfg = hull_svc_config_new("redis", path, 6379);
	HullLineIter it;
	g_autoptr(GPtrArray) binds = g_ptr_array_new_with_free_func(g_free);
	guint bind_line = 0, port = 6379, port_line = 0, prot_line = 0;
	gboolean protected_mode = TRUE, requirepass = FALSE, acl_users = FALSE;
	const char *line;
	hull_line_iter_init(&it, cfg, data, len);
	while ((line = hull_line_iter_next(&it, "#")) != NULL) {
		g_auto(GStrv) w = hull_line_split(line, 64);
		if (w[0] == NULL)
			continue;
		if (g_ascii_strcasecmp(w[0], "bind") == 0) {
			/* A later bind replaces an earlier one. */
			g_ptr_array_set_size(binds, 0);
			for (guint i = 1; w[i] != NULL; i++)
				g_ptr_array_add(binds, g_strdup(w[i]));
			bind_line = it.lineno;
		} else if (g_ascii_strcasecmp(w[0], "port") == 0 && w[1] != NULL) {
			guint p;
			if (g_strcmp0(w[1], "0") == 0) {
				port = 0; /* TCP disabled: unix socket only */
				port_line = it.lineno;
			} else if (hull_svc_parse_port(w[1], &p)) {
				port = p;
				port_line = it.lineno;
			} else {
				hull_svc_config_add_note(cfg, "%s:%u: port \"%.32s\" is not a port in 1-65535", path, it.lineno, w[1]);
			}
		} else if (g_ascii_strcasecmp(w[0], "protected-mode") == 0 && w[1] != NULL) {
			protected_mode = g_ascii_strcasecmp(w[1], "no") != 0;
			prot_line = it.lineno;
		} else if (g_ascii_strcasecmp(w[0], "requirepass") == 0 && w[1] != NULL) {
			/* requirepass "" disables the password again. */
			requirepass = !(g_strcmp0(w[1], "\"\"") == 0 || g_strcmp0(w[1], "''") == 0);
		} else if (g_ascii_strcasecmp(w[0], "user") == 0 || g_ascii_strcasecmp(w[0], "aclfile") == 0) {
			acl_users = TRUE;
		}
	}
	hull_line_iter_clear(&it);
	if (port == 0) {
		cfg->auth = g_strdup(requirepass ? "password" : "none");
		return cfg;
	}
	gboolean any = binds->len == 0;
	for (guint i = 0; i < binds->len; i++) {
		const char *b = g_ptr_array_index(binds, i);
		if (hull_svc_addr_is_any(b) || g_strcmp0(b, "-::*") == 0 || g_strcmp0(b, "::*") == 0)
			any = TRUE;
		hull_svc_config_add_listen(cfg, b, port, bind_line);
	}
	if (binds->len == 0)
		hull_svc_config_add_listen(cfg, "", port, port_line);
	cfg->auth = g_strdup(requirepass || acl_users ? "password" : "none");
	cfg->summary = g_strdup_printf("bind %s, protected-mode %s, %s", binds->len == 0 ? "(none: every interface)" : "set",
	                               protected_mode ? "yes" : "no", requirepass ? "requirepass set" : "no requirepass");
	if (any && !protected_mode && !requirepass && !acl_users)
		hull_svc_config_add_issue(cfg, "NET-0009", HULL_SEVERITY_CRITICAL, prot_line,
		                          "redis listens on every interface on port %u with protected-mode no and no "
		                          "requirepass: anyone who reaches it can read and write data and run commands", port);
	return cfg;
}
