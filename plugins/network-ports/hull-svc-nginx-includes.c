/* hull-svc-nginx-includes.c: decides which nginx files nginx would load. The plugin sees
 * files one at a time and in no particular order, so includes are resolved after the walk,
 * among the files seen: from nginx.conf, follow each include glob (relative ones against
 * the directory of the root config) with a depth limit, expanding each file once; a file
 * reached again while it is still being expanded is a loop, which nginx itself would
 * reject, and is reported as a note. */
#include <string.h>
#include "hull-netports.h"

typedef struct {
	GPtrArray *configs;   /* HullSvcConfig* (nginx) */
	GHashTable *aliases;  /* symlink path → HullSvcConfig*, or NULL */
	GHashTable *reached;  /* HullSvcConfig* set */
	GHashTable *on_path;  /* HullSvcConfig* set: the include chain being followed */
	GPtrArray *notes;
	guint max_depth;
	gchar *prefix;        /* directory of the root config */
	gboolean loop_noted;
	gboolean depth_noted;
	guint steps;          /* files expanded: a cap for trees with absurdly many files */
} HullNginxWalk;

#define HULL_NGINX_MAX_STEPS 4096

/* nginx globs do not cross '/', g_pattern's '*' does: compare component counts too. */
static gboolean
hull_nginx_glob_match(const char *pattern, const char *path)
{
	guint a = 0, b = 0;
	for (const char *c = pattern; *c != '\0'; c++)
		a += *c == '/';
	for (const char *c = path; *c != '\0'; c++)
		b += *c == '/';
	return a == b && g_pattern_match_simple(pattern, path);
}

static void
hull_nginx_follow(HullNginxWalk *w, HullSvcConfig *cfg, guint depth)
{
	if (g_hash_table_contains(w->on_path, cfg)) {
		if (!w->loop_noted)
			g_ptr_array_add(w->notes, g_strdup_printf("%s: nginx include loop (the file includes itself through "
			                                          "its includes); followed once", cfg->path));
		w->loop_noted = TRUE;
		return;
	}
	/* Each file is expanded once: reachability, not every include path, is what counts. */
	if (g_hash_table_contains(w->reached, cfg))
		return;
	if (depth > w->max_depth) {
		if (!w->depth_noted)
			g_ptr_array_add(w->notes, g_strdup_printf("%s: nginx includes nested deeper than %u; not followed",
			                                          cfg->path, w->max_depth));
		w->depth_noted = TRUE;
		return;
	}
	if (++w->steps == HULL_NGINX_MAX_STEPS)
		g_ptr_array_add(w->notes, g_strdup_printf("%s: more than %u nginx files included; the rest is not followed",
		                                          cfg->path, HULL_NGINX_MAX_STEPS));
	if (w->steps >= HULL_NGINX_MAX_STEPS)
		return;
	g_hash_table_add(w->reached, cfg);
	g_hash_table_add(w->on_path, cfg);
	for (guint i = 0; i < cfg->includes->len; i++) {
		const char *inc = g_ptr_array_index(cfg->includes, i);
		g_autofree gchar *pattern = inc[0] == '/' ? g_strdup(inc) : g_build_filename(w->prefix, inc, NULL);
		for (guint j = 0; j < w->configs->len; j++) {
			HullSvcConfig *other = g_ptr_array_index(w->configs, j);
			if (hull_nginx_glob_match(pattern, other->path))
				hull_nginx_follow(w, other, depth + 1);
		}
		if (w->aliases == NULL)
			continue;
		GHashTableIter it;
		gpointer key, value;
		g_hash_table_iter_init(&it, w->aliases);
		while (g_hash_table_iter_next(&it, &key, &value)) {
			if (hull_nginx_glob_match(pattern, key))
				hull_nginx_follow(w, value, depth + 1);
		}
	}
	g_hash_table_remove(w->on_path, cfg);
}

GPtrArray *
hull_nginx_resolve(GPtrArray *configs, GHashTable *aliases, guint max_depth, GPtrArray *notes)
{
	GPtrArray *out = g_ptr_array_new();
	HullSvcConfig *root = NULL;
	for (guint i = 0; i < configs->len; i++) {
		HullSvcConfig *c = g_ptr_array_index(configs, i);
		g_autofree gchar *base = g_path_get_basename(c->path);
		/* Prefer /etc/nginx/nginx.conf over any other nginx.conf (e.g. in docs). */
		if (g_str_equal(base, "nginx.conf") && (root == NULL || g_str_has_prefix(c->path, "/etc/nginx/")))
			root = c;
	}
	if (root == NULL) {
		g_ptr_array_extend(out, configs, NULL, NULL);
		return out;
	}
	HullNginxWalk w = {
		.configs = configs,
		.aliases = aliases,
		.reached = g_hash_table_new(NULL, NULL),
		.on_path = g_hash_table_new(NULL, NULL),
		.notes = notes,
		.max_depth = max_depth,
		.prefix = g_path_get_dirname(root->path),
	};
	hull_nginx_follow(&w, root, 0);
	for (guint i = 0; i < configs->len; i++) {
		HullSvcConfig *c = g_ptr_array_index(configs, i);
		if (g_hash_table_contains(w.reached, c))
			g_ptr_array_add(out, c);
	}
	g_hash_table_unref(w.reached);
	g_hash_table_unref(w.on_path);
	g_free(w.prefix);
	return out;
}
