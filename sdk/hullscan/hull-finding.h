/* hull-finding.h: findings, the records reporters print.
 *
 * Memory contract: hull_finding_new() returns a finding the plugin owns; hull_bus_emit()
 * takes it (transfer full) and the plugin must not touch it afterwards. Every string setter
 * copies its argument. */
#pragma once

#include <glib.h>
#include <hullscan/hull-severity.h>

G_BEGIN_DECLS

typedef struct _HullFinding HullFinding;
typedef struct _HullPluginCtx HullPluginCtx;

/**
 * hull_finding_new:
 * @ctx: the plugin context given to init
 * @rule_id: a rule registered by this plugin (descriptor table or hull_plugin_ctx_add_rule()),
 *   or, for vulnerability findings, an advisory id (then the title must be set)
 *
 * Creates a finding pre-filled from the rule: severity, title, aliases, references,
 * remediation and the plugin name.
 *
 * Returns: (transfer full): a new finding.
 */
HULL_API HullFinding *hull_finding_new(HullPluginCtx *ctx, const char *rule_id);
/* Frees a finding the plugin still owns (one not handed to the bus). */
HULL_API void hull_finding_free(HullFinding *finding);

/* Overrides the rule's default severity for this finding. */
HULL_API void hull_finding_set_severity(HullFinding *finding, HullSeverity severity);
/* Overrides the rule's title (required for advisory ids that are not rules). */
HULL_API void hull_finding_set_title(HullFinding *finding, const char *title);
/* The sentence that says what was found where (printf-style). Default: the title. */
HULL_API void hull_finding_set_message(HullFinding *finding, const char *format, ...) G_GNUC_PRINTF(2, 3);
/* Overrides the rule's remediation: what to write instead. */
HULL_API void hull_finding_set_remediation(HullFinding *finding, const char *remediation);
/* Location. @path is absolute inside the image ("/etc/passwd"); line and column start at 1;
 * 0 means unknown. */
HULL_API void hull_finding_set_path(HullFinding *finding, const char *path);
/* Line of the evidence, from 1; 0 means unknown. */
HULL_API void hull_finding_set_line(HullFinding *finding, guint line);
/* Column of the evidence, from 1; 0 means unknown. */
HULL_API void hull_finding_set_column(HullFinding *finding, guint column);
/* The image layer the evidence lives in; the core fills digest and created_by. -1: none. */
HULL_API void hull_finding_set_layer(HullFinding *finding, int layer_index);
/* Set when the file was deleted by a later layer: the layer that deleted it. */
HULL_API void hull_finding_set_deleted_in(HullFinding *finding, int layer_index);
/* A Kubernetes or config object: "Kind/name" or "Kind/namespace/name". */
HULL_API void hull_finding_set_object(HullFinding *finding, const char *object);
/* Adds a peer's id for the same check (kept once). */
HULL_API void hull_finding_add_alias(HullFinding *finding, const char *alias);
/* Adds a URL of the spec or advisory behind the finding (kept once). */
HULL_API void hull_finding_add_reference(HullFinding *finding, const char *url);
/* Evidence printed as given: never pass a secret here, use hull_finding_set_secret(). */
HULL_API void hull_finding_set_evidence(HullFinding *finding, const char *evidence);
/* Records a secret: the evidence keeps its first 4 characters at most and the fingerprint
 * is derived from a hash of the whole secret, so it is stable across rescans. */
HULL_API void hull_finding_set_secret(HullFinding *finding, const char *secret, gssize len);
/* Extra data that makes the fingerprint unique when rule, path, line and object do not
 * (e.g. a package name and advisory). Default: the message. */
HULL_API void hull_finding_set_fingerprint_data(HullFinding *finding, const char *data);
/* Extra top-level report fields (e.g. "package", "installed_version", "fixed_version").
 * A NULL @value is written as JSON null. */
HULL_API void hull_finding_set_field(HullFinding *finding, const char *key, const char *value);

/* (transfer none) the rule or advisory id. */
HULL_API const char *hull_finding_get_rule_id(const HullFinding *finding);
/* The severity the finding carries now. */
HULL_API HullSeverity hull_finding_get_severity(const HullFinding *finding);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullFinding, hull_finding_free)

G_END_DECLS
