/* hull-secrets-globs.h: a list of path globs (GPatternSpec syntax: '*' and '?') matched against
 * one path at a time, as the allow list and the rules' "paths" are for every file of an image.
 * Each glob's longest literal run is looked for first: a glob can only match a path that holds
 * every literal run of it, and memmem() rules out most globs for most paths far faster than
 * the pattern matcher does. */
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
/* Whether any glob matches @path (@len bytes). */
gboolean hull_secrets_globs_match(const HullSecretsGlobs *g, const char *path, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullSecretsGlobs, hull_secrets_globs_free)

G_END_DECLS
