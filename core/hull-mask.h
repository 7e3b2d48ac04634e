/* hull-mask.h: the one masking step every text passes before it leaves the process (finding
 * messages, evidence, objects and extra fields when they reach the bus; layer created_by, notes
 * and plugin errors in the report; `files` output; stderr). A text is masked where a secret
 * rule of configs/secrets/rules.json (and the in-house rule files given to the secrets plugin)
 * matches its `secret` group, and where a credential is written in one of the shapes a
 * command line or a build file gives it whatever its length or entropy: URL user-info
 * passwords, Authorization headers, `NAME=value` for a name that says secret, `--password x`,
 * `curl -u user:pass`, `mysql -pX`, `sshpass -p x`, `ENV TOKEN value`. A masked secret keeps at
 * most its first 4 characters (fewer when it is short) followed by "…(redacted)".
 *
 * Masking is process-wide: the rules are loaded once, on first use, and each rule's regex is
 * compiled the first time one of its keywords is seen. Safe from any thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a masked secret is followed by. */
#define HULL_MASK_REDACTED "…(redacted)"

/* (transfer full) a copy of @text with every secret masked; NULL for NULL. */
gchar *hull_mask_text(const char *text);

/* Masks *@text in place (frees and replaces it when something was masked). TRUE when it was. */
gboolean hull_mask_text_inplace(gchar **text);

/* Adds the rules of a secret rules file (the secrets plugin's format) to the masker, e.g. the
 * in-house files given to the secrets plugin by --config. A file that cannot be read or
 * parsed is skipped with FALSE and @error set; what was loaded before stays. */
gboolean hull_mask_add_rules_file(const char *path, GError **error);

/* Tests: forget every rule and load the built-in file (HULLSCAN_DATA_DIR, the source tree or
 * the installed data) again on next use. */
void hull_mask_reset(void);

/* The number of rules loaded from rule files (0 when no rules file was found). */
guint hull_mask_get_n_rules(void);

G_END_DECLS
