/* hull-filter.h: what the user asked to drop from a report: severities (--severity),
 * ignore files (--ignore-file) with expiry, and rules disabled by a profile or config. */
#pragma once

#include "hull-finding-private.h"

G_BEGIN_DECLS

typedef struct _HullIgnoreList HullIgnoreList;

/* Parses an ignore file: YAML (a list of entries or a mapping with `ignore:`; each entry a
 * string or a mapping with id|rule|alias|fingerprint|path and optional expires: YYYY-MM-DD and
 * reason) or a plain list (one rule id, alias, "sha256:" fingerprint or path glob per line,
 * '#' comments). (transfer full) NULL with @error naming the file and line. */
HullIgnoreList *hull_ignore_list_load(const char *filename, GError **error);
HullIgnoreList *hull_ignore_list_parse(const char *filename, const char *data, gsize len, GError **error);
void hull_ignore_list_free(HullIgnoreList *list);
/* Does an entry that has not expired on @today (a GDate, or NULL for the current date)
 * suppress @finding? Expired entries that would have matched append a note to @notes once. */
gboolean hull_ignore_list_matches(HullIgnoreList *list, const HullFinding *finding, GDate *today,
                                  GPtrArray *notes);

/* Parses "CRITICAL,HIGH" into a bit set (1 << severity). FALSE with @error on a bad name. */
gboolean hull_severity_set_parse(const char *list, guint *out_mask, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullIgnoreList, hull_ignore_list_free)

G_END_DECLS
