/* hull-cache.h: the scan cache's store, one SQLite file shared by every hullscan process of
 * a user. It holds two things: scan results by key (see hull-scan-cache.c for what goes into
 * a key) and the image files whose layer digests a scan has verified, by their stat identity,
 * so that a rescan of the same unchanged file need not read its layers again. Concurrent
 * processes are the normal case (CI runners scanning images that share layers): the file is
 * in WAL mode, writers wait for each other, and a write that still cannot get the lock is
 * dropped; the cache is an optimisation, never a reason for a scan to fail. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HullCache HullCache;

#define HULL_CACHE_ERROR (hull_cache_error_quark())
GQuark hull_cache_error_quark(void);

/* Opens (creating, mode 0700/0600) DIR/cache.sqlite. NULL with @error when the directory or
 * database is unusable (not a database, a newer schema, read-only ...). (transfer full) */
HullCache *hull_cache_open(const char *dir, GError **error);
void hull_cache_free(HullCache *cache);
/* The database file's path. (transfer none) */
const char *hull_cache_get_path(HullCache *cache);

/* One file an image is read from, as stat(2) saw it. */
typedef struct {
	gchar *path;          /* absolute */
	guint64 dev, ino, size;
	gint64 mtime_ns, ctime_ns;
} HullCacheFileId;

/* Stats @path (following links to the file itself). FALSE when it cannot be stat'ed. */
gboolean hull_cache_file_id(const char *path, HullCacheFileId *out);
void hull_cache_file_id_clear(HullCacheFileId *id);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HullCacheFileId, hull_cache_file_id_clear)
/* Clears and frees a g_new'd id (a GDestroyNotify for arrays of them). */
void hull_cache_file_id_free(gpointer id);

/* @path's SHA-256 (hex, transfer full), remembered by its stat identity so that an unchanged
 * file is not read again (plugin modules, at every scan). NULL when it cannot be read. */
gchar *hull_cache_file_sha256(HullCache *cache, const char *path);

/* Were all @files (HullCacheFileId*) verified, unchanged since, as holding @image_key? */
gboolean hull_cache_is_trusted(HullCache *cache, const char *image_key, GPtrArray *files);
/* Records that @files (stat'ed before they were read) hold @image_key, verified. Files changed
 * less than two seconds before @read_start_ns are not recorded: a change in the same
 * timestamp tick as the read would not show in their stat. */
void hull_cache_trust(HullCache *cache, const char *image_key, GPtrArray *files, gint64 read_start_ns);

/* What opening the image tar @file taught us (hull_target_get_probe_memo()), stored for that
 * file unchanged; NULL when there is none. (transfer full) */
GBytes *hull_cache_probe_lookup(HullCache *cache, const HullCacheFileId *file);
/* Stores it, unless @file changed less than two seconds before @read_start_ns. */
void hull_cache_probe_store(HullCache *cache, const HullCacheFileId *file, GBytes *memo, gint64 read_start_ns);

/* The entry stored under @key: its dependency list (JSON text) and payload, or FALSE. Marks
 * it used. (transfer full) outputs. */
gboolean hull_cache_lookup(HullCache *cache, const char *key, gchar **deps, GBytes **payload);
/* Stores (or replaces) an entry; prunes the least recently used beyond the entry limit. */
gboolean hull_cache_store(HullCache *cache, const char *key, const char *deps, GBytes *payload, GError **error);
/* What the loader needs of a plugin module to key a scan without opening it: the facts its
 * descriptor gave when a module with these bytes was opened and accepted. */
typedef struct {
	gchar *name;
	gchar *version;
	guint64 capabilities;
	guint64 max_file_size;
	guint32 file_flags;
} HullCacheModule;

/* FALSE when no module with SHA-256 @sha256 was recorded. (transfer full) into @out. */
gboolean hull_cache_module_lookup(HullCache *cache, const char *sha256, HullCacheModule *out);
void hull_cache_module_store(HullCache *cache, const char *sha256, const HullCacheModule *module);
void hull_cache_module_clear(HullCacheModule *module);

/* Number of result entries, for tests and `--verbose`. */
gint64 hull_cache_count(HullCache *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullCache, hull_cache_free)

G_END_DECLS
