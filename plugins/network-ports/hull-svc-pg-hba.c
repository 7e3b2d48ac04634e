/* hull-svc-pg-hba.c: reads pg_hba.conf for `trust` lines that admit connections from any
 * address without a password: "host all all 0.0.0.0/0 trust", "::/0", "all". Local
 * (unix socket) trust lines are a local matter and are not reported. */
#include <string.h>
#include "hull-netports.h"

static gboolean
hull_pg_hba_any(const char *addr)
{
	return g_strcmp0(addr, "0.0.0.0/0") == 0 || g_strcmp0(addr, "::/0") == 0 || g_strcmp0(addr, "all") == 0 ||
	       g_strcmp0(addr, "0.0.0.0/0.0.0.0") == 0;
}

HullSvcConfig *
hull_svc_parse_pg_hba(const char *path, const char *data, gsize len)
{
	HullSvcConfig *cfg = hull_svc_config_new("pg_hba", path, 5432);
	HullLineIter it;
	gboolean trust_any = FALSE;
	const char *line;
	hull_line_iter_init(&it, cfg, data, len);
	while ((line = hull_line_iter_next(&it, "#")) != NULL) {
		g_auto(GStrv) w = hull_line_split(line, 8);
		/* host DATABASE USER ADDRESS [MASK] METHOD */
		if (w[0] == NULL || !g_str_has_prefix(w[0], "host") || g_strv_length(w) < 5)
			continue;
		const char *addr = w[3];
		const char *method = w[4];
		gboolean any = hull_pg_hba_any(addr);
		/* "ADDRESS MASK METHOD": a mask is a dotted quad or holds ':'. */
		if (w[5] != NULL && (strchr(w[4], '.') != NULL || strchr(w[4], ':') != NULL)) {
			method = w[5];
			any = (g_strcmp0(addr, "0.0.0.0") == 0 && g_strcmp0(w[4], "0.0.0.0") == 0) ||
			      (g_strcmp0(addr, "::") == 0 && g_strcmp0(w[4], "::") == 0);
		}
		if (g_strcmp0(method, "trust") != 0 || !any)
			continue;
		trust_any = TRUE;
		hull_svc_config_add_issue(cfg, "NET-0009", HULL_SEVERITY_CRITICAL, it.lineno,
		                          "pg_hba.conf trusts %s connections from %s for database %.64s, user %.64s: "
		                          "no password is asked", w[0], addr, w[1], w[2]);
	}
	hull_line_iter_clear(&it);
	cfg->auth = g_strdup(trust_any ? "trust" : "password");
	cfg->summary = g_strdup(trust_any ? "pg_hba trust from any address" : NULL);
	return cfg;
}
