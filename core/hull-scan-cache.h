/* hull-scan-cache.h: what the scan cache stores and when a stored result may stand in for a
 * scan. A result is keyed by everything that decides it: the image's content (config digest,
 * each layer's diff_id and blob digest, in order), hullscan's version, each plugin's name,
 * version, module bytes and interest, the profile and --config, the scan options that change
 * results, and today's date (end-of-life rules). The files plugins read rule data from are
 * checked apart, at lookup, against the fingerprints stored with the result. Only scans whose
 * plugins all declare HULL_CAP_CACHEABLE and all succeeded are stored. */
#pragma once

#include "hull-scan-private.h"
#include "hull-report.h"
#include "cache/hull-cache.h"

G_BEGIN_DECLS

/* A scan's results before the per-run filters (severity, ignore list) and path display. The
 * report builder moves the arrays out (they are NULL afterwards). */
typedef struct {
	GPtrArray *findings;   /* HullFinding*, fs paths */
	GPtrArray *packages;   /* HullFact* of kind "package", in report order */
	GPtrArray *notes;      /* gchar* */
	GPtrArray *rules;      /* HullReportRule* of the active plugins */
	GHashTable *n_rules;   /* plugin name → GUINT_TO_POINTER(number of rules) */
	gchar *os_id;
	gchar *os_version;
} HullScanResults;

HullScanResults *hull_scan_results_new(void);
void hull_scan_results_free(HullScanResults *results);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullScanResults, hull_scan_results_free)

/* The key for scanning @content_key (hull_target_get_content_key) with @plugins (HullPlugin*,
 * those that will run) and these settings. NULL, with the reason in @why, when the scan may
 * not be cached. (transfer full) */
gchar *hull_scan_cache_key(const char *content_key, GPtrArray *plugins, HullProfile *profile, GKeyFile *config,
                           gboolean include_deleted, guint64 max_image_size, gchar **why);

/* The dependency list of @plugins, fingerprinted now, as JSON text. @cache (nullable) remembers
 * file digests by stat identity. (transfer full) */
gchar *hull_scan_cache_deps(GPtrArray *plugins, HullCache *cache);
/* Do the files in @deps (from hull_scan_cache_deps) still have their fingerprints? */
gboolean hull_scan_cache_deps_current(const char *deps, HullCache *cache);

/* (transfer full) @results as a payload, or NULL when they cannot round-trip (e.g. a string
 * that is not UTF-8). */
GBytes *hull_scan_results_serialize(HullScanResults *results);
/* (transfer full) NULL when @payload is not one hull_scan_results_serialize wrote. */
HullScanResults *hull_scan_results_deserialize(GBytes *payload);

G_END_DECLS
