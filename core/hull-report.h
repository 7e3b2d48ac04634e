/* hull-report.h: the result of a scan as reporters see it, and the reporters. The scan
 * fills a HullReport (findings already filtered and sorted); each format writes it to a
 * GString so output is byte-for-byte reproducible and testable with golden files. */
#pragma once

#include "hull-finding-private.h"

G_BEGIN_DECLS

typedef struct {
	gchar *name;
	gchar *version;
	gchar *status;        /* "ok", "failed", "refused" */
	gchar *error;         /* why, when not ok */
	guint n_rules;
	gchar *path;          /* module file */
} HullReportPlugin;

typedef struct {
	gchar *id;
	gchar *plugin;
	HullSeverity severity;
	gchar *title;
	gchar *description;
	gchar *remediation;
	GPtrArray *aliases;     /* gchar* */
	GPtrArray *references;  /* gchar* */
} HullReportRule;

typedef struct {
	int index;
	gchar *digest;          /* diff_id */
	gchar *created_by;
} HullReportLayer;

typedef struct {
	gchar *tool_version;
	gchar *input;           /* TARGET as given */
	gchar *target_type;     /* "image", "rootfs", "dockerfile", "config" */
	gchar *digest;          /* image digest or NULL */
	gchar *os_id;           /* from the "os" fact, or NULL */
	gchar *os_version;
	GPtrArray *plugins;     /* HullReportPlugin* in load order */
	GPtrArray *rules;       /* HullReportRule* of every loaded plugin, sorted by id */
	GPtrArray *layers;      /* HullReportLayer* by index */
	GPtrArray *findings;    /* HullFinding*, filtered, sorted; paths already display paths */
	GPtrArray *packages;    /* HullFact* of kind "package", sorted by type, name, version */
	GPtrArray *notes;       /* gchar* */
	guint summary[HULL_SEVERITY_LAST + 1];
	gboolean color;         /* table: ANSI colours (stdout is a TTY) */
	gboolean from_cache;    /* replayed from the scan cache (not written by any format) */
	gboolean layers_read;   /* the image's layers were read (and verified) for this report */
} HullReport;

HullReport *hull_report_new(void);
void hull_report_plugin_free(HullReportPlugin *plugin);
/* hull-scan.c: frees a rule record the scanner built. */
void hull_report_rule_free(HullReportRule *rule);
void hull_report_free(HullReport *report);
/* Masks secrets (hull-mask.h) in what the report holds beside findings (which the bus masked):
 * layers' created_by, notes, plugins' errors. */
void hull_report_mask(HullReport *report);
/* Recounts summary[] from findings. */
void hull_report_update_summary(HullReport *report);
/* (transfer none) the layer record for @index or NULL. */
const HullReportLayer *hull_report_get_layer(HullReport *report, int index);
const HullReportRule *hull_report_get_rule(HullReport *report, const char *rule_id);

void hull_report_write_table(HullReport *report, GString *out);
void hull_report_write_json(HullReport *report, GString *out);
void hull_report_write_sarif(HullReport *report, GString *out);
void hull_report_write_junit(HullReport *report, GString *out);
/* Provided by the os-packages work: CycloneDX 1.5 JSON of the packages and vulnerabilities. */
void hull_report_write_cyclonedx(HullReport *report, GString *out);

typedef void (*HullReportWriteFunc)(HullReport *report, GString *out);
/* NULL for an unknown format name. */
HullReportWriteFunc hull_report_writer_lookup(const char *format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullReport, hull_report_free)

G_END_DECLS
