/* hull-secrets-plugin.h: what the secrets plugin's module and its self-tests share: the
 * descriptor (the module's entry point returns it) and the rule loading of init. */
#pragma once

#include <hullscan/hullscan.h>

#include "hull-secrets-rules.h"

G_BEGIN_DECLS

/* (transfer none) */
const HullPluginDescriptor *hull_secrets_plugin_descriptor(void);

/* Loads @builtin (may be NULL) and every file of @extra, then drops the rules whose id or
 * alias is in @disabled or that @ctx (may be NULL) reports disabled. (transfer full) outputs. */
gboolean hull_secrets_load_all(HullPluginCtx *ctx, const char *builtin, GStrv extra, GStrv disabled,
                               GPtrArray **rules_out, HullSecretsGlobal **global_out, GError **error);

G_END_DECLS
