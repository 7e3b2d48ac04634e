/* hull-svc-config.c: what every service-config parser shares: the result record, a line
 * iterator that copes with hostile files (NULs, huge lines, no final newline), address
 * classification, and the table that maps a path in the image to its parser. */
#include <string.h>
#include "hull-netports.h"

static void
hull_svc_listen_free(HullSvcListen *l)
{
	g_free(l->addr);
	g_free(l);
}

static void
hull_svc_issue_free(HullSvcIssue *i)
{
	g_free(i->message);
	g_free(i);
}

HullSvcConfig *
hull_svc_config_new(const char *service, const char *path, guint default_port)
{
	HullSvcConfig *cfg = g_new0(HullSvcConfig, 1);
	cfg->service = g_strdup(service);
	cfg->path = g_strdup(path);
	cfg->layer = -1;
	cfg->default_port = default_port;
	cfg->listens = g_ptr_array_new_with_free_func((GDestroyNotify)hull_svc_listen_free);
	cfg->issues = g_ptr_array_new_with_free_func((GDestroyNotify)hull_svc_issue_free);
	cfg->includes = g_ptr_array_new_with_free_func(g_free);
	cfg->notes = g_ptr_array_new_with_free_func(g_free);
	return cfg;
}

void
hull_svc_config_free(HullSvcConfig *cfg)
{
	if (cfg == NULL)
		return;
	g_free(cfg->service);
	g_free(cfg->path);
	g_ptr_array_unref(cfg->listens);
	g_ptr_array_unref(cfg->issues);
	g_ptr_array_unref(cfg->includes);
	g_ptr_array_unref(cfg->notes);
	g_free(cfg->auth);
	g_free(cfg->summary);
	g_free(cfg);
}

void
hull_svc_config_add_listen(HullSvcConfig *cfg, const char *addr, guint port, guint line)
{
	if (cfg->listens->len >= HULL_SVC_MAX_LISTENS) {
		if (!cfg->listens_capped)
			hull_svc_config_add_note(cfg, "%s: more than %u listen entries; the rest are ignored",
			                         cfg->path, HULL_SVC_MAX_LISTENS);
		cfg->listens_capped = TRUE;
		return;
	}
	HullSvcListen *l = g_new0(HullSvcListen, 1);
	l->addr = g_utf8_make_valid(addr != NULL ? addr : "", -1);
	l->port = port;
	l->line = line;
	g_ptr_array_add(cfg->listens, l);
}

void
hull_svc_config_add_issue(HullSvcConfig *cfg, const char *rule_id, HullSeverity severity, guint line,
                          const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	HullSvcIssue *i = g_new0(HullSvcIssue, 1);
	i->rule_id = rule_id;
	i->severity = severity;
	i->line = line;
	g_autofree gchar *msg = g_strdup_vprintf(format, ap);
	i->message = g_utf8_make_valid(msg, -1);
	va_end(ap);
	g_ptr_array_add(cfg->issues, i);
}

void
hull_svc_config_add_note(HullSvcConfig *cfg, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	g_autofree gchar *msg = g_strdup_vprintf(format, ap);
	va_end(ap);
	/* Bounded: a hostile file cannot flood the report with notes. */
	if (cfg->notes->len < 16)
		g_ptr_array_add(cfg->notes, g_utf8_make_valid(msg, -1));
}

gboolean
hull_svc_addr_is_any(const char *addr)
{
	if (addr == NULL)
		return TRUE;
	return addr[0] == '\0' || g_str_equal(addr, "*") || g_str_equal(addr, "0.0.0.0") ||
	       g_str_equal(addr, "::") || g_str_equal(addr, "[::]") || g_str_equal(addr, "::0");
}

gboolean
hull_svc_addr_is_loopback(const char *addr)
{
	if (addr == NULL)
		return FALSE;
	const char *a = addr[0] == '-' ? addr + 1 : addr; /* redis: "-::1" means optional */
	return g_str_has_prefix(a, "127.") || g_str_equal(a, "::1") || g_str_equal(a, "[::1]") ||
	       g_ascii_strcasecmp(a, "localhost") == 0;
}

gboolean
hull_svc_parse_port(const char *text, guint *out)
{
	HullPortRange r;
	if (text == NULL || !hull_port_parse(text, HULL_PROTO_TCP, &r, NULL) || r.lo != r.hi)
		return FALSE;
	*out = r.lo;
	return TRUE;
}

void
hull_line_iter_init(HullLineIter *it, HullSvcConfig *cfg, const char *data, gsize len)
{
	memset(it, 0, sizeof(*it));
	it->p = data;
	it->end = data + len;
	it->cfg = cfg;
	if (memchr(data, '\0', len) != NULL)
		hull_svc_config_add_note(cfg, "%s: contains NUL bytes; read as text anyway", cfg->path);
}

void
hull_line_iter_clear(HullLineIter *it)
{
	g_clear_pointer(&it->buf, g_free);
}

const char *
hull_line_iter_next(HullLineIter *it, const char *comment_chars)
{
	while (it->p < it->end) {
		const char *start = it->p;
		const char *nl = memchr(start, '\n', (gsize)(it->end - start));
		const char *stop = nl != NULL ? nl : it->end;
		it->p = nl != NULL ? nl + 1 : it->end;
		it->lineno++;
		gsize len = (gsize)(stop - start);
		if (len > HULL_SVC_MAX_LINE) {
			if (!it->warned_long) {
				hull_svc_config_add_note(it->cfg, "%s:%u: line longer than %u bytes skipped",
				                         it->cfg->path, it->lineno, HULL_SVC_MAX_LINE);
				it->warned_long = TRUE;
			}
			continue;
		}
		g_free(it->buf);
		/* NUL bytes end the C string early: the rest of such a line is ignored. */
		it->buf = g_strndup(start, len);
		it->indent = 0;
		while (it->buf[it->indent] == ' ' || it->buf[it->indent] == '\t')
			it->indent++;
		g_strstrip(it->buf);
		if (it->buf[0] == '\0' || (comment_chars != NULL && strchr(comment_chars, it->buf[0]) != NULL))
			continue;
		return it->buf;
	}
	return NULL;
}

gchar **
hull_line_split(const char *line, guint max)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	const char *p = line;
	guint n = 0;
	while (*p != '\0' && n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		const char *s = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		g_autofree gchar *word = g_strndup(s, (gsize)(p - s));
		g_strv_builder_add(b, word);
		n++;
	}
	return g_strv_builder_end(b);
}

typedef struct {
	const char *glob;
	HullSvcParseFunc parse;
} HullSvcPathMap;

/* Globs as the core matches them: without '/' the basename, with '/' the whole path. */
static const HullSvcPathMap hull_svc_paths[] = {
	{ "sshd_config", hull_svc_parse_sshd },
	{ "/etc/ssh/sshd_config.d/*.conf", hull_svc_parse_sshd },
	{ "/etc/nginx/*", hull_svc_parse_nginx },
	{ "nginx.conf", hull_svc_parse_nginx },
	{ "/etc/apache2/*.conf", hull_svc_parse_apache },
	{ "/etc/httpd/*.conf", hull_svc_parse_apache },
	{ "httpd.conf", hull_svc_parse_apache },
	{ "redis.conf", hull_svc_parse_redis },
	{ "/etc/redis/*.conf", hull_svc_parse_redis },
	{ "postgresql.conf", hull_svc_parse_postgresql },
	{ "postgresql.auto.conf", hull_svc_parse_postgresql },
	{ "pg_hba.conf", hull_svc_parse_pg_hba },
	{ "mongod.conf", hull_svc_parse_mongod },
	{ "my.cnf", hull_svc_parse_mysql },
	{ "/etc/mysql/*.cnf", hull_svc_parse_mysql },
	{ "memcached.conf", hull_svc_parse_memcached },
	{ "/etc/docker/daemon.json", hull_svc_parse_dockerd },
};

static const char *const hull_svc_globs[] = {
	"sshd_config", "/etc/ssh/sshd_config.d/*.conf", "/etc/nginx/*", "nginx.conf",
	"/etc/apache2/*.conf", "/etc/httpd/*.conf", "httpd.conf", "redis.conf", "/etc/redis/*.conf",
	"postgresql.conf", "postgresql.auto.conf", "pg_hba.conf", "mongod.conf", "my.cnf",
	"/etc/mysql/*.cnf", "memcached.conf", "/etc/docker/daemon.json", NULL,
};

const char *const *
hull_svc_file_globs(void)
{
	return hull_svc_globs;
}

HullSvcParseFunc
hull_svc_parser_for_path(const char *path)
{
	/* Packages keep templates and examples there (Debian's /usr/share/openssh/sshd_config):
	 * they configure nothing. */
	if (g_str_has_prefix(path, "/usr/share/"))
		return NULL;
	g_autofree gchar *base = g_path_get_basename(path);
	for (guint i = 0; i < G_N_ELEMENTS(hull_svc_paths); i++) {
		const char *glob = hull_svc_paths[i].glob;
		const char *subject = strchr(glob, '/') != NULL ? path : base;
		if (g_pattern_match_simple(glob, subject))
			return hull_svc_paths[i].parse;
	}
	return NULL;
}
