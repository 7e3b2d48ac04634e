/* hull-dockerfile-plugin.c: the dockerfile plugin's descriptor and lifecycle. It reads the
 * inline ignore pragmas of Dockerfiles as the walker passes them (the shared view keeps no
 * comments), then in scan_collect lints every Dockerfile of the view and, on an image, checks
 * its config and merged tree. Options: trusted_registries (list; unset = any registry). */
#include "hull-dockerfile-lint.h"

#include <string.h>

/* Pragmas are only useful on a few small files: 1 MiB covers any real Dockerfile. */
#define DF_MAX_FILE (1024 * 1024)

static const char *const df_globs[] = { "*", NULL };

static gboolean
df_init(HullPluginCtx *ctx, gpointer *state, GError **error)
{
	HullDfPlugin *p = g_new0(HullDfPlugin, 1);

	p->ctx = ctx;
	p->trusted_registries = hull_plugin_ctx_get_option_list(ctx, "trusted_registries");
	g_mutex_init(&p->lock);
	p->re_pipe_sh = g_regex_new("\\b(curl|wget)\\b[^|;&\\n]*\\|\\s*(sudo\\s+(-\\S+\\s+)*)?"
	                            "(/usr)?(/bin/)?(ba|z|k|da|a)?sh\\b", G_REGEX_OPTIMIZE, 0, error);
	/* a secret word delimited by _ . - or the ends (TOKENIZERS_… is no token), unless the
	 * name says it holds a reference to the secret (…_FILE, …_PATH) */
	p->re_secret_name = g_regex_new("(?i)^(?!pwd$)(?!.*[_.-](file|path|dir|url|length|len|name|user|id)$).*"
	                                "(^|[_.-])(passw(or)?d|passphrase|secret|token|api[_-]?key|access[_-]?key|"
	                                "private[_-]?key|client[_-]?secret|credentials?|auth[_-]?key|pwd)($|[_.-])",
	                                G_REGEX_OPTIMIZE, 0, error);
	p->re_secret_value = g_regex_new("AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,}|"
	                                 "glpat-[A-Za-z0-9_-]{20}|xox[abposr]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{20,}|"
	                                 "sk-[A-Za-z0-9_-]{32,}|AIza[0-9A-Za-z_-]{35}|-----BEGIN [A-Z ]*PRIVATE KEY-----|"
	                                 "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}|"
	                                 "npm_[A-Za-z0-9]{36}|[a-z]+://[^:/@\\s]+:[^@/\\s]{3,}@",
	                                 G_REGEX_OPTIMIZE, 0, error);
	if (p->re_pipe_sh == NULL || p->re_secret_name == NULL || p->re_secret_value == NULL) {
		g_clear_pointer(&p->re_pipe_sh, g_regex_unref);
		g_clear_pointer(&p->re_secret_name, g_regex_unref);
		g_clear_pointer(&p->re_secret_value, g_regex_unref);
		g_strfreev(p->trusted_registries);
		g_mutex_clear(&p->lock);
		g_free(p);
		return FALSE;
	}
	*state = p;
	return TRUE;
}

static void
df_destroy(gpointer state)
{
	HullDfPlugin *p = state;

	g_regex_unref(p->re_pipe_sh);
	g_regex_unref(p->re_secret_name);
	g_regex_unref(p->re_secret_value);
	g_strfreev(p->trusted_registries);
	if (p->pragmas != NULL)
		g_hash_table_unref(p->pragmas);
	g_mutex_clear(&p->lock);
	g_free(p);
}

static gboolean
df_scan_begin(gpointer state, HullScan *scan, GError **error)
{
	HullDfPlugin *p = state;

	g_mutex_lock(&p->lock);
	if (p->pragmas != NULL)
		g_hash_table_unref(p->pragmas);
	p->pragmas = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)hull_df_pragmas_free);
	p->dockerfile_target = g_strcmp0(hull_scan_get_target_type(scan), "dockerfile") == 0;
	g_mutex_unlock(&p->lock);
	return TRUE;
}

static gboolean
df_name_matches(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b != NULL ? b + 1 : path;
	gsize n = strlen(b);
	return g_ascii_strcasecmp(b, "Dockerfile") == 0 || g_ascii_strcasecmp(b, "Containerfile") == 0 ||
	       (g_ascii_strncasecmp(b, "Dockerfile.", 11) == 0 && n > 11) ||
	       (g_ascii_strncasecmp(b, "Containerfile.", 14) == 0 && n > 14) ||
	       (n > 11 && g_ascii_strcasecmp(b + n - 11, ".Dockerfile") == 0);
}

static gboolean
df_wants_file(gpointer state, const HullFile *file)
{
	HullDfPlugin *p = state;

	return hull_file_get_kind(file) == HULL_FILE_KIND_REGULAR &&
	       (p->dockerfile_target || df_name_matches(hull_file_get_path(file)));
}

static gboolean
df_file_chunk(gpointer state, HullScan *scan, const HullFile *file, gpointer file_state, const guint8 *data,
              gsize len, GError **error)
{
	HullDfPlugin *p = state;
	HullDfPragmas *pr;

	/* whole file in one call (HULL_INTEREST_WHOLE_FILE) */
	if (memmem(data, len, "ignore=", 7) == NULL)
		return TRUE;
	pr = hull_df_pragmas_parse((const char *)data, len);
	g_mutex_lock(&p->lock);
	g_hash_table_replace(p->pragmas, g_strdup(hull_file_get_path(file)), pr);
	g_mutex_unlock(&p->lock);
	return TRUE;
}

static gboolean
df_scan_collect(gpointer state, HullScan *scan, GError **error)
{
	HullDfPlugin *p = state;
	guint n = hull_scan_get_n_dockerfiles(scan);
	HullImage *image = hull_scan_get_image(scan);
	const char *type = hull_scan_get_target_type(scan);

	for (guint i = 0; i < n; i++)
		hull_df_lint(p, scan, hull_scan_get_dockerfile(scan, i));
	if (image != NULL)
		hull_df_check_image(p, scan, image);
	if (g_strcmp0(type, "image") == 0 || g_strcmp0(type, "rootfs") == 0)
		hull_df_check_fs(p, scan, hull_scan_get_fs(scan));
	return TRUE;
}

static HullPluginDescriptor df_descriptor = {
	.abi_major = HULL_ABI_MAJOR,
	.abi_minor = HULL_ABI_MINOR,
	.struct_size = sizeof(HullPluginDescriptor),
	.name = "dockerfile",
	.version = "0.1.0",
	.description = "Dockerfile linter (hadolint/Trivy-class rules) and image config, history and file checks (Dockle-class)",
	.license = "Apache-2.0",
	.vendor = "hullscan",
	/* Results depend on the image and options only. */
	.capabilities = HULL_CAP_SERIAL_FILES | HULL_CAP_CACHEABLE,
	.rules = hull_df_rules,
	.file_globs = df_globs,
	.max_file_size = DF_MAX_FILE,
	.file_flags = HULL_INTEREST_TEXT_ONLY | HULL_INTEREST_WHOLE_FILE,
	.init = df_init,
	.destroy = df_destroy,
	.wants_file = df_wants_file,
	.file_chunk = df_file_chunk,
	.scan_begin = df_scan_begin,
	.scan_collect = df_scan_collect,
};

HULL_EXPORT const HullPluginDescriptor *
hull_plugin_get_descriptor(void)
{
	/* the table's length is a link-time constant of another file */
	df_descriptor.n_rules = hull_df_n_rules;
	return &df_descriptor;
}
