/* hull-secrets-globs.c: see the header. The reversed path some globs are matched against is
 * made at most once per path, and only when a glob of the list can need it. */
#include <string.h>
#include "hull-secrets-globs.h"

typedef struct {
	GPatternSpec *spec;
	char *literal;           /* a run without '*' or '?' every match holds, or NULL */
	gsize literal_len;
	gboolean at_start;       /* ... as its start (the glob starts with it) */
} HullSecretsGlob;

struct _HullSecretsGlobs {
	GArray *globs;           /* HullSecretsGlob */
	gboolean need_reversed;  /* some glob may be matched against the reversed path */
};

static void
hull_secrets_glob_clear(gpointer p)
{
	HullSecretsGlob *g = p;
	g_pattern_spec_free(g->spec);
	g_free(g->literal);
}

HullSecretsGlobs *
hull_secrets_globs_new(const char *const *globs)
{
	HullSecretsGlobs *g = g_new0(HullSecretsGlobs, 1);
	g->globs = g_array_new(FALSE, FALSE, sizeof(HullSecretsGlob));
	g_array_set_clear_func(g->globs, hull_secrets_glob_clear);
	for (guint i = 0; globs != NULL && globs[i] != NULL; i++)
		hull_secrets_globs_add(g, globs[i]);
	return g;
}

void
hull_secrets_globs_add(HullSecretsGlobs *g, const char *glob)
{
	g_return_if_fail(g != NULL && glob != NULL);
	HullSecretsGlob one = {.spec = g_pattern_spec_new(glob)};
	/* a glob like "/usr/share/doc/..." is ruled out by a prefix compare; one that starts with
	 * a wildcard by its longest literal run missing from the path */
	const char *best = glob, *p = glob;
	gsize best_len = strcspn(glob, "*?");
	one.at_start = best_len > 0;
	while (!one.at_start && *p != '\0') {
		gsize run = strcspn(p, "*?");
		if (run > best_len) {
			best = p;
			best_len = run;
		}
		p += run;
		if (*p != '\0')
			p++;
	}
	if (best_len > 0) {
		one.literal = g_strndup(best, best_len);
		one.literal_len = best_len;
	}
	g_array_append_val(g->globs, one);
	/* GLib matches a glob against the reversed string only when its last wildcard is farther
	 * from the end than its first is from the start: never for one that ends in a wildcard or
	 * has none. Passing NULL is always correct (GLib then reverses itself); this only saves
	 * the reversal where no glob uses it. */
	gsize n = strlen(glob);
	if (n > 0 && strpbrk(glob, "*?") != NULL && glob[n - 1] != '*' && glob[n - 1] != '?')
		g->need_reversed = TRUE;
}

void
hull_secrets_globs_free(HullSecretsGlobs *g)
{
	if (g == NULL)
		return;
	g_array_unref(g->globs);
	g_free(g);
}

guint
hull_secrets_globs_len(const HullSecretsGlobs *g)
{
	return g != NULL ? g->globs->len : 0;
}

gboolean
hull_secrets_globs_match(const HullSecretsGlobs *g, const char *path, gsize len)
{
	g_return_val_if_fail(path != NULL, FALSE);
	if (g == NULL || g->globs->len == 0)
		return FALSE;
	g_autofree gchar *rev = NULL;
	gboolean rev_made = FALSE;
	for (guint i = 0; i < g->globs->len; i++) {
		const HullSecretsGlob *one = &g_array_index(g->globs, HullSecretsGlob, i);
		if (one->at_start ? (len < one->literal_len || memcmp(path, one->literal, one->literal_len) != 0)
		                  : (one->literal != NULL && strstr(path, one->literal) == NULL))
			continue;
		if (g->need_reversed && !rev_made) {
			rev_made = TRUE;
			if (g_utf8_validate(path, (gssize)len, NULL))
				rev = g_utf8_strreverse(path, (gssize)len);
		}
		if (g_pattern_spec_match(one->spec, len, path, rev))
			return TRUE;
	}
	return FALSE;
}
