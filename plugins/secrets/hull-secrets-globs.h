/* hull-secrets-globs.h: a list of path globs (GPatternSpec syntax: '*' and '?') matched against
 * one path at a time, as the allow list and the rules' "paths" are for every file of an image.
 * A cheap necessary condition is checked first: the literal run a glob starts with must start
 * the path; a glob that starts with a wildcard needs its longest literal run somewhere in the
 * path (strstr). Most globs are ruled out for most paths before the pattern matcher runs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HullSecretsGlobs HullSecretsGlobs;

/* (transfer full) from a NULL-terminated list (NULL: an empty list). */
HullSecretsGlobs *hull_secrets_globs_new(const char *const *globs);
/* Adds one glob. */
void hull_secrets_globs_add(HullSecretsGlobs *g, const char *glob);
void hull_secrets_globs_free(HullSecretsGlobs *g);
guint hull_secrets_globs_len(const HullSecretsGlobs *g);
/* Whether any glob matches @path, a NUL-terminated string of @len bytes. */
gboolean hull_secrets_globs_match(const HullSecretsGlobs *g, const char *path, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullSecretsGlobs, hull_secrets_globs_free)

G_END_DECLS
