/* hull-scan-private.h: the core's own view of loaded plugins, their contexts, the bus and
 * one running scan. Shared by the loader, the bus, the walker and the scanner; never
 * installed. */
#pragma once

#include <hullscan/hullscan.h>
#include <ltdl.h>
#include "hull-finding-private.h"
#include "hull-target.h"
#include "hull-digest.h"

G_BEGIN_DECLS

typedef struct _HullProfile HullProfile;
typedef struct _HullPlugin HullPlugin;

/* Rule disabling and severity overrides from a profile and --config. */
struct _HullProfile {
	gchar *name;
	gchar **plugins;            /* selection, or NULL for every plugin */
	GHashTable *severity;       /* rule id or alias → GINT_TO_POINTER(severity + 1) */
	GHashTable *disabled;       /* rule id or alias → TRUE */
	gchar **replace;            /* [plugins] replace=: bundle plugins allowed to replace a
	                             * built-in of the same name, or NULL */
};

struct _HullPluginCtx {
	HullPlugin *plugin;
	GKeyFile *config;           /* (transfer none) the --config file, or NULL */
	HullProfile *profile;       /* (transfer none) */
	GPtrArray *rules;           /* const HullRule* in registration order */
	GHashTable *rule_index;     /* id → const HullRule* */
	GPtrArray *owned_rules;     /* HullRule* deep copies from hull_plugin_ctx_add_rule */
	GPtrArray *deps;            /* gchar* "data:RELPATH" or "file:PATH": what results depend on */
};

/* Where a module was found: the built-ins win over a bundle's plugin of the same name. */
typedef enum {
	HULL_PLUGIN_ORIGIN_PATH,    /* HULLSCAN_PLUGIN_PATH, or given in-process */
	HULL_PLUGIN_ORIGIN_BUILTIN, /* the build tree's or pluginsdir's first-party plugins */
	HULL_PLUGIN_ORIGIN_BUNDLE,  /* unpacked from a bundle in a plugin directory */
} HullPluginOrigin;

typedef enum {
	HULL_PLUGIN_STATUS_OK,
	HULL_PLUGIN_STATUS_FAILED,  /* init or a scan callback failed */
	HULL_PLUGIN_STATUS_REFUSED, /* not loaded: ABI, missing callback, duplicate, permissions */
} HullPluginStatus;

struct _HullPlugin {
	const HullPluginDescriptor *desc;   /* NULL when refused before the descriptor was read */
	gchar *name;
	gchar *path;                /* module file or "(built-in)" */
	HullPluginOrigin origin;
	lt_dlhandle module;
	HullPluginCtx *ctx;
	gpointer state;
	gboolean initialised;
	HullPluginStatus status;
	gchar *error;
	GPtrArray *globs_base;      /* GPatternSpec* for globs without '/' */
	GPtrArray *globs_path;      /* GPatternSpec* for globs with '/' */
	GMutex file_lock;           /* HULL_CAP_SERIAL_FILES */
	GRecMutex fact_lock;        /* on_fact never runs concurrently with itself */
	gchar *module_sha256;       /* hex digest of the module file, read when it was listed */
	HullPluginDescriptor *listed; /* not opened yet: the descriptor's facts from the scan cache
	                               * (owned; desc points here until the module is opened) */
	guint n_oversized;          /* files over max_file_size in this scan */
	guint64 oversized_bytes;
};

struct _HullBus {
	GMutex lock;
	GPtrArray *findings;        /* HullFinding* */
	GPtrArray *facts;           /* HullFact* */
	guint64 next_seq;
	GPtrArray *plugins;         /* (transfer none) HullPlugin* that may receive facts */
	HullScan *scan;
};

struct _HullScan {
	HullTarget *target;         /* (transfer none) */
	HullBus *bus;
	GMutex lock;                /* views and notes */
	GPtrArray *notes;           /* gchar* */
	GPtrArray *k8s_objects;     /* HullK8sObject* */
	GPtrArray *dockerfiles;     /* HullDockerfile* */
	GPtrArray *config_docs;     /* HullConfigDocument* */
	GPtrArray *plugins;         /* (transfer none) HullPlugin* active in this scan */
	gint n_files;               /* (atomic) regular files the walk met, deleted ones aside */
};

/* hull-plugin-ctx.c */
HullPluginCtx *hull_plugin_ctx_new(HullPlugin *plugin, GKeyFile *config, HullProfile *profile);
void hull_plugin_ctx_free(HullPluginCtx *ctx);
/* (transfer none) the rule with this id, or NULL. */
const HullRule *hull_plugin_ctx_lookup_rule(HullPluginCtx *ctx, const char *rule_id);
/* Applies the profile to a finding: FALSE when its rule is disabled. */
gboolean hull_plugin_ctx_apply_profile(HullPluginCtx *ctx, HullFinding *finding);

/* hull-plugin-loader.c */
HullPlugin *hull_plugin_new(const char *name, const char *path);
void hull_plugin_free(HullPlugin *plugin);
void hull_plugin_fail(HullPlugin *plugin, HullPluginStatus status, const char *format, ...) G_GNUC_PRINTF(3, 4);
/* Checks a descriptor against the ABI the core speaks: FALSE with the reason. */
gboolean hull_plugin_check_descriptor(const HullPluginDescriptor *desc, GError **error);
/* Compiles the descriptor's globs. */
void hull_plugin_prepare_interest(HullPlugin *plugin);
/* Does the plugin's interest cover @file (globs, deleted, wants_file)? Size is checked apart. */
gboolean hull_plugin_wants(HullPlugin *plugin, const HullFile *file);
/* The directories searched, in order (transfer full). */
GPtrArray *hull_plugin_search_path(void);
/* The first-party plugin directory (the build tree's or pluginsdir), or NULL when
 * HULLSCAN_PLUGIN_PATH_ONLY=1 leaves it out (transfer full). */
gchar *hull_plugin_builtin_dir(void);
/* Lists candidate module files of a directory; refusals (ownership and permissions of any
 * path component, bad or nested bundles) go to
 * @refused as HullPlugin*. Bundles (*.hsb) are verified and unpacked into private
 * directories added to @tempdirs, to be removed once their modules are loaded. */
void hull_plugin_scan_dir(const char *dir, gboolean recurse, GPtrArray *files, GPtrArray *refused,
                          GPtrArray *tempdirs);
/* Removes a directory tree made by the loader. */
void hull_remove_tree(const char *path);
/* Opens a module and reads its descriptor. NULL descriptor + @error when refused. */
const HullPluginDescriptor *hull_plugin_open_module(const char *path, lt_dlhandle *module, GError **error);

/* hull-profile.c */
HullProfile *hull_profile_new(void);
void hull_profile_free(HullProfile *profile);
/* Merges a key file's [profile], [severity] and [disable] groups into @profile. */
gboolean hull_profile_merge_keyfile(HullProfile *profile, GKeyFile *kf, const char *filename, GError **error);
/* Finds configs/profiles/NAME.conf in the data dirs, or takes a path. (transfer full) */
gchar *hull_profile_find(const char *name_or_path, GError **error);
/* The data dirs searched for rule data and profiles, in order. (transfer full) */
GPtrArray *hull_data_dirs(void);
/* hull-plugin-ctx.c: the first data dir holding @relpath (transfer full), or NULL. */
gchar *hull_data_find(const char *relpath);

/* hull-bus.c */
HullBus *hull_bus_new(HullScan *scan, GPtrArray *plugins);
void hull_bus_free(HullBus *bus);

/* hull-walker.c: the single pass over the target's files. */
gboolean hull_walker_run(HullScan *scan, guint n_threads, gboolean include_deleted, gboolean progress,
                         GError **error);


G_END_DECLS
