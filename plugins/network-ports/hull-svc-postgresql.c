/* hull-svc-postgresql.c: reads postgresql.conf for listen_addresses and port
 * ("key = value", value possibly quoted, '#' comments after it). PostgreSQL listens on
 * localhost only by default; '*' or 0.0.0.0 opens every interface, which matters when
 * pg_hba.conf trusts the network (hull-svc-pg-hba.c). */
#include <string.h>
#include "hull-netports.h"

/* Splits "key = 'value' # comment" into key and unquoted value. */
static gboolean
hull_pg_kv(const char *line, gchar **key, gchar **value)
{
	const char *eq = strchr(line, '=');
	const char *sp = line;
	while (*sp != '\0' && *sp != ' ' && *sp != '\t' && *sp != '=')
		sp++;
	*key = g_strndup(line, (gsize)(sp - line));
	const char *v = eq != NULL ? eq + 1 : sp;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '\'') {
		const char *end = strchr(v + 1, '\'');
		*value = g_strndup(v + 1, end != NULL ? (gsize)(end - v - 1) : strlen(v + 1));
	} else {
		const char *end = v;
		while (*end != '\0' && *end != '#' && *end != ' ' && *end != '\t')
			end++;
		*value = g_strndup(v, (gsize)(end - v));
	}
	return **key != '\0';
}

HullSvcConfig *
hull_svc_parse_postgresql(const char *path, const char *data, gsize len)
{
	HullSvcConfig *cfg = hull_svc_config_new("postgresql", path, 5432);
	HullLineIter it;
	g_autofree gchar *listen = NULL;
	guint listen_line = 0, port = 5432;
	const char *line;
	hull_line_iter_init(&it, cfg, data, len);
	while ((line = hull_line_iter_next(&it, "#")) != NULL) {
		g_autofree gchar *key = NULL, *value = NULL;
		if (!hull_pg_kv(line, &key, &value))
			continue;
		/* The last setting in the file wins. */
		if (g_ascii_strcasecmp(key, "listen_addresses") == 0) {
			g_free(listen);
			listen = g_strdup(value);
			listen_line = it.lineno;
		} else if (g_ascii_strcasecmp(key, "port") == 0) {
			if (!hull_svc_parse_port(value, &port)) {
				hull_svc_config_add_note(cfg, "%s:%u: port \"%.32s\" is not a port in 1-65535", path, it.lineno, value);
				port = 5432;
			}
		}
	}
	hull_line_iter_clear(&it);
	if (listen == NULL) {
		hull_svc_config_add_listen(cfg, "localhost", port, 0);
		return cfg;
	}
	g_auto(GStrv) addrs = g_strsplit(listen, ",", 64);
	for (guint i = 0; addrs[i] != NULL; i++) {
		g_strstrip(addrs[i]);
		if (addrs[i][0] != '\0')
			hull_svc_config_add_listen(cfg, addrs[i], port, listen_line);
	}
	cfg->summary = g_strdup_printf("listen_addresses '%s'", listen);
	return cfg;
}
