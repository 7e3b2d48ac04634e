/* hull-finding-private.h: the layout of findings and facts, for the bus, filters and
 * reporters. Plugins only see the accessors of sdk/hullscan/hull-finding.h. */
#pragma once

#include <hullscan/hullscan.h>

G_BEGIN_DECLS

struct _HullFinding {
	gchar *rule_id;
	gchar *plugin;
	HullSeverity severity;
	gchar *title;
	gchar *message;
	gchar *remediation;
	gchar *path;          /* as the fs names it; the reporter maps it to a display path */
	guint line;
	guint column;
	int layer;            /* -1: none */
	int deleted_in;       /* -1: not deleted */
	gchar *object;
	GPtrArray *aliases;   /* gchar* */
	GPtrArray *references;
	gchar *evidence;
	gchar *secret_hash;   /* hex sha256 of a secret, or NULL */
	gchar *fingerprint_data;
	gchar *fingerprint;   /* "sha256:…", computed by the bus */
	GPtrArray *field_keys;   /* extra fields, in order */
	GPtrArray *field_values; /* gchar* or NULL for JSON null */
};

struct _HullFact {
	gchar *kind;
	gchar *plugin;
	GPtrArray *keys;
	GPtrArray *values;
	guint64 seq;          /* emission order */
};

/* Sort order of reports: severity (high first), rule id, path, line, column, object, message. */
gint hull_finding_compare(const HullFinding *a, const HullFinding *b);
/* "sha256:" + hex of rule id, path, object and the secret hash or fingerprint data. */
void hull_finding_compute_fingerprint(HullFinding *finding);
/* Masks secrets (hull-mask.h) in every free text of @finding: title, message, remediation,
 * evidence, object and extra field values. */
void hull_finding_mask(HullFinding *finding);
HullFinding *hull_finding_new_raw(const char *plugin, const char *rule_id);

G_END_DECLS
