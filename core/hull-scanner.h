/* hull-scanner.h: running a scan in-process. The CLI, the tests and the benchmarks all go
 * through here: load plugins (or add descriptors linked in), open the target, walk it once,
 * collect, correlate, filter, and hand back a HullReport. */
#pragma once

#include <hullscan/hullscan.h>
#include "hull-target.h"
#include "hull-report.h"
#include "hull-filter.h"

G_BEGIN_DECLS

typedef struct _HullScanner HullScanner;
typedef struct _HullCache HullCache;

typedef struct {
	HullOpenOptions open;
	guint n_jobs;               /* 0: number of cores */
	guint severity_mask;        /* 0: all; else bits (1 << HullSeverity) to report */
	HullIgnoreList *ignore;     /* may be NULL (transfer none) */
	gboolean include_deleted;   /* offer files deleted by later layers to plugins that ask */
	gboolean progress;          /* progress bar on stderr */
	gboolean verbose;
	gboolean quiet;
	HullCache *cache;           /* results cache (images only), or NULL (transfer none) */
} HullScanOptions;

void hull_scan_options_init(HullScanOptions *options);

/* (transfer full) */
HullScanner *hull_scanner_new(void);
void hull_scanner_free(HullScanner *scanner);

/* Settings file (--config): a key file with one group per plugin, read by plugins through
 * hull_plugin_ctx_get_option(), and a [hullscan] group (severity overrides, disabled rules).
 * Call before loading plugins. */
gboolean hull_scanner_load_config(HullScanner *scanner, const char *filename, GError **error);
/* A profile (configs/profiles/NAME.conf or a path): plugin selection, severity overrides,
 * disabled rules. Call before loading plugins. */
gboolean hull_scanner_load_profile(HullScanner *scanner, const char *name_or_path, GError **error);
/* Sets one plugin option as if --config had it (e.g. --vuln-db → [os-packages] vuln-db). */
void hull_scanner_set_option(HullScanner *scanner, const char *plugin, const char *key, const char *value);
/* Restricts loading to these plugin names (--plugins). An unknown name is an error at load. */
void hull_scanner_set_plugin_filter(HullScanner *scanner, const char *const *names);

/* Discovers and loads plugins: HULLSCAN_PLUGIN_PATH, the build tree (when this binary runs
 * from it), the installed pluginsdir. Refused modules are recorded, not fatal. FALSE only
 * for a --plugins name that was not found. */
gboolean hull_scanner_load_plugins(HullScanner *scanner, GError **error);
/* With a scan cache (transfer none; must outlive the scanner's scans), call before
 * hull_scanner_load_plugins(): modules are fingerprinted for the cache key, a module the
 * cache has seen is not opened, and no init runs until a scan needs the plugins (or
 * hull_scanner_init_plugins()). A scan answered from the cache opens and inits nothing. */
void hull_scanner_set_cache(HullScanner *scanner, HullCache *cache);
void hull_scanner_init_plugins(HullScanner *scanner);
/* Adds a plugin linked into the program (tests, benchmarks); runs its init. FALSE if it was
 * refused; the reason is in the report's plugins[] too. */
gboolean hull_scanner_add_descriptor(HullScanner *scanner, const HullPluginDescriptor *descriptor,
                                     const char *origin, GError **error);

/* Runs one scan. NULL with @error (domain HULL_TARGET_ERROR for unusable input, else internal)
 * when the target cannot be scanned. (transfer full) */
HullReport *hull_scanner_run(HullScanner *scanner, const char *target, const HullScanOptions *options,
                             GError **error);

/* Loaded, failed and refused plugins in load order, for `plugins list`: (transfer full)
 * HullReportPlugin*, freed with the array. */
GPtrArray *hull_scanner_get_plugin_infos(HullScanner *scanner);
/* Rules of a loaded plugin: (transfer container) HullReportRule*, or NULL if not loaded. */
GPtrArray *hull_scanner_get_plugin_rules(HullScanner *scanner, const char *plugin);
/* Description, license and vendor of a loaded plugin, or NULL. */
const HullPluginDescriptor *hull_scanner_get_descriptor(HullScanner *scanner, const char *plugin);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullScanner, hull_scanner_free)

G_END_DECLS
