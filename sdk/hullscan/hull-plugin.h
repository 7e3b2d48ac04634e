/* hull-plugin.h: the plugin ABI.
 *
 * A plugin is a shared module exporting one symbol, hull_plugin_get_descriptor(), which returns
 * a const HullPluginDescriptor. The descriptor is append-only: new fields go before `reserved`
 * and take its place, so `struct_size` tells the core which fields a plugin knows.
 *
 * Lifecycle (YARA-style: once per process, then once per scan):
 *   init            once per process, with the plugin's options        REQUIRED
 *   scan_begin      once per scan, before the walk; image config ready  optional
 *   file_begin/file_chunk/file_end
 *                   for every file matching the interest, during the walk, possibly on several
 *                   threads at once (set HULL_CAP_SERIAL_FILES to have the core serialise them)
 *                   file_chunk is REQUIRED when file_globs is set
 *   scan_collect    after the walk: shared views (Kubernetes objects, Dockerfiles) are complete;
 *                   emit facts other plugins need                       optional
 *   on_fact         for every fact of a subscribed kind, as it is emitted, never concurrently
 *                   with itself                                         optional
 *   scan_end        after every plugin's scan_collect and every fact delivered: correlate and
 *                   emit the remaining findings                         optional
 *   destroy         once per process                                    optional
 *
 * Memory contract: the core owns the scan, the image, files and the bus; handles passed to a
 * callback stay valid until the scan ends. Findings and facts are handed to the bus with
 * transfer full. Strings the descriptor points at must live as long as the module. A
 * callback that fails returns FALSE with @error set: the plugin is marked failed in the
 * report, and the scan goes on with the other plugins. */
#pragma once

#include <glib.h>
#include <hullscan/hull-version.h>
#include <hullscan/hull-severity.h>
#include <hullscan/hull-finding.h>
#include <hullscan/hull-fact.h>
#include <hullscan/hull-image.h>
#include <hullscan/hull-views.h>

G_BEGIN_DECLS

typedef struct _HullBus HullBus;

typedef struct {
	const char *id;              /* stable: never renumber a shipped id */
	HullSeverity severity;       /* default severity */
	const char *title;
	const char *const *aliases;  /* peers' ids for the same check, NULL-terminated or NULL */
	const char *const *references;
	const char *remediation;
	const char *description;     /* longer help text (SARIF help); may be NULL */
} HullRule;

typedef enum {
	/* Skip files whose first 8 KiB holds a NUL byte. */
	HULL_INTEREST_TEXT_ONLY = 1 << 0,
	/* Also offer entries deleted by a later layer (hull_file_get_deleted_in() >= 0). */
	HULL_INTEREST_DELETED = 1 << 1,
	/* Deliver the whole file in a single file_chunk call (the core buffers up to max_file_size). */
	HULL_INTEREST_WHOLE_FILE = 1 << 2,
} HullInterestFlags;

typedef enum {
	/* The core never calls this plugin's file callbacks from two threads at once. */
	HULL_CAP_SERIAL_FILES = 1 << 0,
	/* ABI 1.1. The plugin's results are a function of the image's content, its module file, its
	 * options, the profile, today's date and the files it named: rule data found with
	 * hull_plugin_ctx_find_data() and any other file declared with
	 * hull_plugin_ctx_add_dependency(). The core may then replay a scan's results from its cache
	 * instead of calling the plugin. A plugin that reads anything else (the network, the clock
	 * beyond the date, files it does not declare) must not set it. */
	HULL_CAP_CACHEABLE = 1 << 1,
} HullCapabilities;

typedef struct {
	/* ABI v1.0 */
	guint32 abi_major;
	guint32 abi_minor;
	guint32 struct_size;         /* sizeof(HullPluginDescriptor) as the plugin was built */
	const char *name;            /* unique; [a-z0-9-]+ */
	const char *version;
	const char *description;
	const char *license;
	const char *vendor;
	guint64 capabilities;        /* HullCapabilities */

	const HullRule *rules;       /* static rule table; more may be added at init */
	guint32 n_rules;

	/* File interest. A glob without '/' matches the basename, one with '/' the whole path
	 * ("*" crosses '/'). NULL: no files. */
	const char *const *file_globs;
	guint64 max_file_size;       /* 0: no limit; larger files are skipped and counted */
	guint32 file_flags;          /* HullInterestFlags */
	/* Fact kinds on_fact receives, NULL-terminated, or NULL. */
	const char *const *fact_kinds;

	/* REQUIRED. *state is passed to every other callback. */
	gboolean (*init)(HullPluginCtx *ctx, gpointer *state, GError **error);
	/* optional */
	void (*destroy)(gpointer state);
	/* optional: refine the globs with a cheap look at the entry; FALSE skips the file. */
	gboolean (*wants_file)(gpointer state, const HullFile *file);
	/* optional: per-file state passed to file_chunk and file_end. */
	gpointer (*file_begin)(gpointer state, HullScan *scan, const HullFile *file);
	/* REQUIRED when file_globs is set. @data is never NULL, even when @len is 0 (an empty
	 * file of a WHOLE_FILE interest). Returning FALSE stops delivery of this file and
	 * (with @error set) reports the problem as a note; it does not fail the plugin. */
	gboolean (*file_chunk)(gpointer state, HullScan *scan, const HullFile *file, gpointer file_state,
	                       const guint8 *data, gsize len, GError **error);
	/* optional: @complete is FALSE when the file was cut short (read error, limit). Frees
	 * file_state. */
	void (*file_end)(gpointer state, HullScan *scan, const HullFile *file, gpointer file_state,
	                 gboolean complete);
	gboolean (*scan_begin)(gpointer state, HullScan *scan, GError **error);
	gboolean (*scan_collect)(gpointer state, HullScan *scan, GError **error);
	void (*on_fact)(gpointer state, HullScan *scan, const HullFact *fact);
	gboolean (*scan_end)(gpointer state, HullScan *scan, GError **error);

	/* Room to append fields without changing the size older cores expect. */
	gpointer reserved[16];
} HullPluginDescriptor;

typedef const HullPluginDescriptor *(*HullPluginGetDescriptorFunc)(void);

/* Every plugin defines this, with HULL_EXPORT. */
#define HULL_PLUGIN_ENTRY_POINT "hull_plugin_get_descriptor"

/* ---- The plugin context (one per loaded plugin, valid from init to destroy) ---- */

/* (transfer none) the plugin's name from its descriptor. */
HULL_API const char *hull_plugin_ctx_get_name(HullPluginCtx *ctx);
/* Registers a rule read from data at init (copied). Fails for a duplicate id. */
HULL_API gboolean hull_plugin_ctx_add_rule(HullPluginCtx *ctx, const HullRule *rule, GError **error);
/* Options from --config FILE: the keys of the group named after the plugin. (transfer none) */
HULL_API const char *hull_plugin_ctx_get_option(HullPluginCtx *ctx, const char *key);
/* An option as a boolean (true/yes/1, false/no/0), or @fallback. */
HULL_API gboolean hull_plugin_ctx_get_option_bool(HullPluginCtx *ctx, const char *key, gboolean fallback);
/* An option as an integer, or @fallback when absent or not a number. */
HULL_API gint64 hull_plugin_ctx_get_option_int(HullPluginCtx *ctx, const char *key, gint64 fallback);
/* (transfer full) a ';'- or ','-separated option as a list; NULL when absent. */
HULL_API gchar **hull_plugin_ctx_get_option_list(HullPluginCtx *ctx, const char *key);
/* Finds rule data shipped with hullscan (e.g. "secrets/rules.json"): HULLSCAN_DATA_DIR, the
 * source tree's configs/ for a build-tree binary, then the installed data dir.
 * (transfer full) NULL when not found. */
HULL_API gchar *hull_plugin_ctx_find_data(HullPluginCtx *ctx, const char *relpath);
/* ABI 1.1. Declares a file the plugin's results depend on (a rule file or database named by an
 * option): a cached result is replayed only while the file is unchanged. Files found with
 * hull_plugin_ctx_find_data() are recorded without this. Call from init or during the scan:
 * the list is read when the scan ends. */
HULL_API void hull_plugin_ctx_add_dependency(HullPluginCtx *ctx, const char *path);
/* A rule disabled by profile or config (by id or alias); the core drops its findings anyway,
 * this lets a plugin skip the work. */
HULL_API gboolean hull_plugin_ctx_rule_enabled(HullPluginCtx *ctx, const char *rule_id);

/* ---- The scan ---- */

/* (transfer none) the bus findings and facts are emitted on. */
HULL_API HullBus *hull_scan_get_bus(HullScan *scan);
/* NULL when the target is not a container image (rootfs, Dockerfile, config files). */
HULL_API HullImage *hull_scan_get_image(HullScan *scan);
/* Never NULL: an empty view for a target with no files. */
HULL_API HullFs *hull_scan_get_fs(HullScan *scan);
/* "image", "rootfs", "dockerfile" or "config". */
HULL_API const char *hull_scan_get_target_type(HullScan *scan);
/* The fact of kind "os" if one was emitted so far, else NULL. (transfer none) */
HULL_API const HullFact *hull_scan_get_os(HullScan *scan);
/* A note for the report's notes[] and, with --verbose, stderr. */
HULL_API void hull_scan_add_note(HullScan *scan, HullPluginCtx *ctx, const char *format, ...) G_GNUC_PRINTF(3, 4);

/* ---- The bus (thread-safe) ---- */

/* (transfer full) */
HULL_API void hull_bus_emit(HullBus *bus, HullFinding *finding);
/* (transfer full) the bus sets the emitting plugin from @ctx. */
HULL_API void hull_bus_emit_fact(HullBus *bus, HullPluginCtx *ctx, HullFact *fact);
/* Calls @func for every fact of @kind emitted so far, in emission order. */
typedef void (*HullFactFunc)(const HullFact *fact, gpointer user_data);
HULL_API void hull_bus_foreach_fact(HullBus *bus, const char *kind, HullFactFunc func, gpointer user_data);

/* The single symbol a plugin exports. */
HULL_EXPORT const HullPluginDescriptor *hull_plugin_get_descriptor(void);

G_END_DECLS
