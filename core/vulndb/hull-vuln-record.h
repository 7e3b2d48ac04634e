/* hull-vuln-record.h (private): the in-memory advisory model every input format is converted
 * to before it is stored: an OSV record reduced to what matching and reporting need. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <hullscan/hull-severity.h>

G_BEGIN_DECLS

typedef enum {
	HULL_VULN_EVENT_INTRODUCED,
	HULL_VULN_EVENT_FIXED,
	HULL_VULN_EVENT_LAST_AFFECTED,
	HULL_VULN_EVENT_LIMIT,
} HullVulnEventKind;

typedef struct {
	HullVulnEventKind kind;
	gchar *version;
} HullVulnEvent;

typedef struct {
	gchar *type;       /* "ECOSYSTEM", "SEMVER", "GIT" */
	GPtrArray *events; /* HullVulnEvent* */
} HullVulnRange;

typedef struct {
	gchar *ecosystem;
	gchar *package;
	GPtrArray *ranges;     /* HullVulnRange* */
	GPtrArray *versions;   /* gchar* */
	HullSeverity severity; /* ecosystem_specific rating, or UNKNOWN */
} HullVulnAffected;

typedef struct {
	gchar *id;
	gchar *summary;
	gchar *modified;
	gchar *withdrawn; /* timestamp or NULL */
	GPtrArray *aliases;    /* gchar* */
	GPtrArray *references; /* gchar* */
	GPtrArray *affected;   /* HullVulnAffected* */
	HullSeverity severity;
	gdouble cvss_score; /* -1 when none */
	/* converted formats: replace only the (ecosystem, package) rows this record carries */
	gboolean merge;
} HullVulnRecord;

HullVulnRecord *hull_vuln_record_new(const char *id);
void hull_vuln_record_free(HullVulnRecord *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullVulnRecord, hull_vuln_record_free)
HullVulnAffected *hull_vuln_affected_new(const char *ecosystem, const char *package);
void hull_vuln_affected_free(HullVulnAffected *aff);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullVulnAffected, hull_vuln_affected_free)
HullVulnRange *hull_vuln_range_new(const char *type);
void hull_vuln_range_free(HullVulnRange *range);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullVulnRange, hull_vuln_range_free)
void hull_vuln_range_add(HullVulnRange *range, HullVulnEventKind kind, const char *version);

/* Converts one parsed OSV object. NULL with @error (naming @origin) when it is not usable. */
HullVulnRecord *hull_osv_record_from_json(JsonNode *node, const char *origin, GError **error);

/* "high", "MODERATE", "important", "unimportant", "high**" ... -> severity; FALSE if none */
gboolean hull_vuln_severity_from_rating(const char *rating, HullSeverity *out);

/* CVSS v3.x / v2 base score from a vector; -1 when the vector is not one we can score. */
gdouble hull_cvss_base_score(const char *vector);
HullSeverity hull_cvss_severity(gdouble score, gboolean v2);

#define HULL_VULN_MAX_FILE (64 * 1024 * 1024)
#define HULL_VULN_MAX_BULK_FILE (512 * 1024 * 1024)
#define HULL_VULN_MAX_MEMBER (16 * 1024 * 1024)
#define HULL_VULN_MAX_NAME 4096   /* ids, ecosystems, packages, versions */
#define HULL_VULN_MAX_FIELD (1024 * 1024)
#define HULL_VULN_MAX_SUMMARY 1024

G_END_DECLS
