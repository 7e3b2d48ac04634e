/* hull-cache.c: the SQLite store behind the scan cache. See hull-cache.h. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include "hull-cache.h"
#include "hull-digest.h"

#define HULL_CACHE_SCHEMA_VERSION 4
#define HULL_CACHE_MAX_RESULTS 1000
#define HULL_CACHE_MAX_TRUSTED 20000
#define HULL_CACHE_BUSY_MS     15000
/* Longer than any filesystem's timestamp tick (ext4 and tmpfs use the kernel's coarse clock). */
#define HULL_NSEC_PER_SEC      G_GINT64_CONSTANT(1000000000)
#define HULL_CACHE_RACY_NS     (2 * HULL_NSEC_PER_SEC)

G_DEFINE_QUARK(hull-cache-error-quark, hull_cache_error)

struct _HullCache {
	sqlite3 *db;
	gchar *path;
};

static gboolean
hull_cache_exec(HullCache *c, const char *sql, GError **error)
{
	char *msg = NULL;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: %s", c->path, msg != NULL ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return FALSE;
	}
	return TRUE;
}

/* A cache others can write to could hide findings: the directory must be ours and closed to
 * others. */
static gboolean
hull_cache_check_owner(const char *path, GError **error)
{
	struct stat st;
	if (g_stat(path, &st) != 0) {
		int e = errno;
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: %s", path, g_strerror(e));
		return FALSE;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
		g_set_error(error, HULL_CACHE_ERROR, 0,
		            "%s: not used: owned by another user or writable by others (mode %04o)", path,
		            (unsigned)(st.st_mode & 07777));
		return FALSE;
	}
	return TRUE;
}

/* The schema version recorded in the file (transfer full), NULL when there is none. */
static gchar *
hull_cache_read_schema(HullCache *c)
{
	sqlite3_stmt *st = NULL;
	gchar *schema = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		schema = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return schema;
}

static gboolean
hull_cache_has_schema(HullCache *c)
{
	sqlite3_stmt *st = NULL;
	gboolean ok = sqlite3_prepare_v2(c->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
	                                 " ('meta', 'results', 'payloads', 'trusted', 'modules', 'file_digests')", -1, &st, NULL) ==
	                     SQLITE_OK &&
	              sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 6;
	sqlite3_finalize(st);
	return ok;
}

HullCache *
hull_cache_open(const char *dir, GError **error)
{
	g_return_val_if_fail(dir != NULL, NULL);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		int e = errno;
		g_set_error(error, HULL_CACHE_ERROR, 0, "cache directory %s: %s", dir, g_strerror(e));
		return NULL;
	}
	if (!hull_cache_check_owner(dir, error))
		return NULL;
	g_autoptr(HullCache) c = g_new0(HullCache, 1);
	c->path = g_build_filename(dir, "cache.sqlite", NULL);
	if (sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: %s", c->path, c->db != NULL ? sqlite3_errmsg(c->db) : "cannot open");
		return NULL;
	}
	g_chmod(c->path, 0600);
	sqlite3_busy_timeout(c->db, HULL_CACHE_BUSY_MS);
	/* The -wal and -shm files stay when the last connection closes: SQLite would otherwise
	 * delete them, and the next scan create them again (a third of opening the cache). The
	 * WAL is truncated to nothing then (journal_size_limit 0), or the next scan would read it
	 * all to rebuild its index. */
	int persist = 1;
	sqlite3_file_control(c->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	if (!hull_cache_exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit=0;",
	                     error))
		return NULL;
	/* An older schema is our own derived data: it is rebuilt. A newer one (or one we cannot
	 * read) belongs to another hullscan and is left alone. */
	g_autofree gchar *schema = hull_cache_read_schema(c);
	gint64 version = 0;
	if (schema != NULL && (!g_ascii_string_to_signed(schema, 10, 1, G_MAXINT, &version, NULL) ||
	                       version > HULL_CACHE_SCHEMA_VERSION)) {
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: schema %s, this hullscan reads %d", c->path, schema,
		            HULL_CACHE_SCHEMA_VERSION);
		return NULL;
	}
	/* Two processes may create the schema at once: one transaction each, IMMEDIATE so the
	 * second waits for the first. An existing cache is only read here: a warm scan should
	 * write nothing. The payload has a table of its own so that marking an entry used
	 * rewrites a few bytes, not the whole result. */
	if (version == HULL_CACHE_SCHEMA_VERSION && hull_cache_has_schema(c))
		return g_steal_pointer(&c);
	if (!hull_cache_exec(c,
	                     "BEGIN IMMEDIATE;"
	                     "DROP TABLE IF EXISTS results; DROP TABLE IF EXISTS payloads;"
	                     "DROP TABLE IF EXISTS modules; DROP TABLE IF EXISTS trusted;"
	                     "DROP TABLE IF EXISTS file_digests; DROP TABLE IF EXISTS probes;"
	                     "CREATE TABLE file_digests(path TEXT PRIMARY KEY, dev INTEGER, ino INTEGER, size INTEGER,"
	                     " mtime_ns INTEGER, ctime_ns INTEGER, sha256 TEXT NOT NULL);"
	                     "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	                     "INSERT OR REPLACE INTO meta VALUES('schema', '" G_STRINGIFY(HULL_CACHE_SCHEMA_VERSION) "');"
	                     "CREATE TABLE results(key TEXT PRIMARY KEY, deps TEXT NOT NULL,"
	                     " created INTEGER NOT NULL, used INTEGER NOT NULL);"
	                     "CREATE TABLE payloads(key TEXT PRIMARY KEY, payload BLOB NOT NULL);"
	                     "CREATE TABLE modules(sha256 TEXT PRIMARY KEY, name TEXT NOT NULL,"
	                     " version TEXT NOT NULL, capabilities INTEGER, max_file_size INTEGER, file_flags INTEGER);"
	                     "CREATE TABLE trusted(image_key TEXT NOT NULL, path TEXT NOT NULL,"
	                     " dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
	                     " verified INTEGER NOT NULL, PRIMARY KEY(image_key, path));"
	                     "CREATE TABLE probes(path TEXT PRIMARY KEY, dev INTEGER, ino INTEGER, size INTEGER,"
	                     " mtime_ns INTEGER, ctime_ns INTEGER, memo BLOB NOT NULL, stored INTEGER NOT NULL);"
	                     "COMMIT;",
	                     error)) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return NULL;
	}
	return g_steal_pointer(&c);
}

void
hull_cache_free(HullCache *c)
{
	if (c == NULL)
		return;
	if (c->db != NULL)
		sqlite3_close(c->db);
	g_free(c->path);
	g_free(c);
}

const char *
hull_cache_get_path(HullCache *c)
{
	g_return_val_if_fail(c != NULL, NULL);
	return c->path;
}

gboolean
hull_cache_file_id(const char *path, HullCacheFileId *out)
{
	g_return_val_if_fail(path != NULL && out != NULL, FALSE);
	memset(out, 0, sizeof(*out));
	struct stat st;
	g_autofree gchar *real = realpath(path, NULL);
	if (real == NULL || stat(real, &st) != 0)
		return FALSE;
	out->path = g_steal_pointer(&real);
	out->dev = (guint64)st.st_dev;
	out->ino = (guint64)st.st_ino;
	out->size = (guint64)st.st_size;
	out->mtime_ns = (gint64)st.st_mtim.tv_sec * HULL_NSEC_PER_SEC + st.st_mtim.tv_nsec;
	out->ctime_ns = (gint64)st.st_ctim.tv_sec * HULL_NSEC_PER_SEC + st.st_ctim.tv_nsec;
	return TRUE;
}

void
hull_cache_file_id_clear(HullCacheFileId *id)
{
	if (id != NULL)
		g_clear_pointer(&id->path, g_free);
}

void
hull_cache_file_id_free(gpointer id)
{
	hull_cache_file_id_clear(id);
	g_free(id);
}

/* As many probe memos as trusted archives are worth keeping: one per image file scanned. */
#define HULL_CACHE_MAX_PROBES 1000

/* Ends a write begun with BEGIN IMMEDIATE: when @ok, @prune (which keeps a table bounded) runs
 * and the write commits; otherwise it is rolled back. */
static void
hull_cache_end_write(HullCache *c, gboolean ok, const char *prune)
{
	ok = ok && hull_cache_exec(c, prune, NULL);
	hull_cache_exec(c, ok ? "COMMIT" : "ROLLBACK", NULL);
}

/* Binds a file's identity (path, dev, ino, size, mtime_ns, ctime_ns) to ?first onwards. */
static void
hull_cache_bind_file(sqlite3_stmt *st, int first, const HullCacheFileId *f)
{
	sqlite3_bind_text(st, first, f->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, first + 1, (sqlite3_int64)f->dev);
	sqlite3_bind_int64(st, first + 2, (sqlite3_int64)f->ino);
	sqlite3_bind_int64(st, first + 3, (sqlite3_int64)f->size);
	sqlite3_bind_int64(st, first + 4, f->mtime_ns);
	sqlite3_bind_int64(st, first + 5, f->ctime_ns);
}

gboolean
hull_cache_is_trusted(HullCache *c, const char *image_key, GPtrArray *files)
{
	g_return_val_if_fail(c != NULL && image_key != NULL && files != NULL, FALSE);
	if (files->len == 0)
		return FALSE;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db,
	                       "SELECT 1 FROM trusted WHERE image_key = ?1 AND path = ?2 AND dev = ?3 AND ino = ?4"
	                       " AND size = ?5 AND mtime_ns = ?6 AND ctime_ns = ?7",
	                       -1, &st, NULL) != SQLITE_OK)
		return FALSE;
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < files->len; i++) {
		const HullCacheFileId *f = g_ptr_array_index(files, i);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, image_key, -1, SQLITE_STATIC);
		hull_cache_bind_file(st, 2, f);
		ok = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return ok;
}

void
hull_cache_trust(HullCache *c, const char *image_key, GPtrArray *files, gint64 read_start_ns)
{
	g_return_if_fail(c != NULL && image_key != NULL && files != NULL);
	for (guint i = 0; i < files->len; i++) {
		const HullCacheFileId *f = g_ptr_array_index(files, i);
		if (MAX(f->mtime_ns, f->ctime_ns) > read_start_ns - HULL_CACHE_RACY_NS) {
			g_debug("cache: %s changed too recently to be trusted by its stat", f->path);
			return;
		}
	}
	if (!hull_cache_exec(c, "BEGIN IMMEDIATE", NULL))
		return;
	sqlite3_stmt *st = NULL;
	gboolean ok = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO trusted VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1,
	                                 &st, NULL) == SQLITE_OK;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	for (guint i = 0; ok && i < files->len; i++) {
		const HullCacheFileId *f = g_ptr_array_index(files, i);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, image_key, -1, SQLITE_STATIC);
		hull_cache_bind_file(st, 2, f);
		sqlite3_bind_int64(st, 8, now);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	hull_cache_end_write(c, ok,
	                     "DELETE FROM trusted WHERE rowid IN (SELECT rowid FROM trusted ORDER BY verified DESC"
	                     " LIMIT -1 OFFSET " G_STRINGIFY(HULL_CACHE_MAX_TRUSTED) ")");
}

GBytes *
hull_cache_probe_lookup(HullCache *c, const HullCacheFileId *file)
{
	g_return_val_if_fail(c != NULL && file != NULL, NULL);
	sqlite3_stmt *st = NULL;
	GBytes *memo = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT memo FROM probes WHERE path = ?1 AND dev = ?2 AND ino = ?3 AND size = ?4"
	                       " AND mtime_ns = ?5 AND ctime_ns = ?6", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	hull_cache_bind_file(st, 1, file);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB)
		memo = g_bytes_new(sqlite3_column_blob(st, 0), (gsize)sqlite3_column_bytes(st, 0));
	sqlite3_finalize(st);
	return memo;
}

void
hull_cache_probe_store(HullCache *c, const HullCacheFileId *file, GBytes *memo, gint64 read_start_ns)
{
	g_return_if_fail(c != NULL && file != NULL && memo != NULL);
	if (MAX(file->mtime_ns, file->ctime_ns) > read_start_ns - HULL_CACHE_RACY_NS)
		return;
	if (!hull_cache_exec(c, "BEGIN IMMEDIATE", NULL))
		return;
	sqlite3_stmt *st = NULL;
	gsize len = 0;
	gconstpointer data = g_bytes_get_data(memo, &len);
	gboolean ok = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO probes VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1,
	                                 &st, NULL) == SQLITE_OK;
	if (ok) {
		hull_cache_bind_file(st, 1, file);
		sqlite3_bind_blob64(st, 7, data != NULL ? data : "", len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, g_get_real_time() / G_USEC_PER_SEC);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	hull_cache_end_write(c, ok,
	                     "DELETE FROM probes WHERE rowid IN (SELECT rowid FROM probes ORDER BY stored DESC"
	                     " LIMIT -1 OFFSET " G_STRINGIFY(HULL_CACHE_MAX_PROBES) ")");
}

gboolean
hull_cache_lookup(HullCache *c, const char *key, gchar **deps, GBytes **payload)
{
	g_return_val_if_fail(c != NULL && key != NULL && deps != NULL && payload != NULL, FALSE);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT r.deps, p.payload, r.used FROM results r JOIN payloads p ON p.key = r.key"
	                       " WHERE r.key = ?1", -1, &st, NULL) != SQLITE_OK)
		return FALSE;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	gboolean found = sqlite3_step(st) == SQLITE_ROW;
	gint64 used = 0;
	if (found) {
		*deps = g_strdup((const char *)sqlite3_column_text(st, 0));
		const void *blob = sqlite3_column_blob(st, 1);
		*payload = g_bytes_new(blob, (gsize)sqlite3_column_bytes(st, 1));
		found = *deps != NULL;
		used = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	/* The LRU order needs no finer grain than an hour: most warm scans write nothing. */
	gint64 now = g_get_real_time();
	if (found && now - used > G_GINT64_CONSTANT(3600) * G_USEC_PER_SEC && sqlite3_prepare_v2(c->db, "UPDATE results SET used = ?2 WHERE key = ?1", -1, &st, NULL) == SQLITE_OK) {
		/* Best effort: a busy database only costs the entry its place in the LRU order. */
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	return found;
}

gboolean
hull_cache_store(HullCache *c, const char *key, const char *deps, GBytes *payload, GError **error)
{
	g_return_val_if_fail(c != NULL && key != NULL && deps != NULL && payload != NULL, FALSE);
	if (!hull_cache_exec(c, "BEGIN IMMEDIATE", error))
		return FALSE;
	sqlite3_stmt *st = NULL;
	gboolean ok = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO results VALUES(?1, ?2, ?3, ?3)", -1, &st,
	                                 NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, deps, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, g_get_real_time());
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	st = NULL;
	ok = ok && sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO payloads VALUES(?1, ?2)", -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		gsize len = 0;
		const void *data = g_bytes_get_data(payload, &len);
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_blob64(st, 2, data != NULL ? data : "", len, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	if (!ok)
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: %s", c->path, sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	ok = ok && hull_cache_exec(c,
	                           "DELETE FROM results WHERE key IN (SELECT key FROM results ORDER BY used DESC"
	                           " LIMIT -1 OFFSET " G_STRINGIFY(HULL_CACHE_MAX_RESULTS) ");"
	                           "DELETE FROM payloads WHERE key NOT IN (SELECT key FROM results);",
	                           error);
	hull_cache_exec(c, ok ? "COMMIT" : "ROLLBACK", NULL);
	return ok;
}

gchar *
hull_cache_file_sha256(HullCache *c, const char *path)
{
	g_return_val_if_fail(c != NULL && path != NULL, NULL);
	HullCacheFileId id;
	if (!hull_cache_file_id(path, &id))
		return NULL;
	gchar *sha = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT sha256 FROM file_digests WHERE path = ?1 AND dev = ?2 AND ino = ?3"
	                       " AND size = ?4 AND mtime_ns = ?5 AND ctime_ns = ?6", -1, &st, NULL) == SQLITE_OK) {
		hull_cache_bind_file(st, 1, &id);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
			sha = g_strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (sha == NULL) {
		sha = hull_sha256_file(id.path);
		gint64 now_ns = g_get_real_time() * 1000;
		if (sha != NULL && MAX(id.mtime_ns, id.ctime_ns) <= now_ns - HULL_CACHE_RACY_NS &&
		    sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO file_digests VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1,
		                       &st, NULL) == SQLITE_OK) {
			hull_cache_bind_file(st, 1, &id);
			sqlite3_bind_text(st, 7, sha, -1, SQLITE_STATIC);
			sqlite3_step(st); /* best effort */
			sqlite3_finalize(st);
		}
	}
	hull_cache_file_id_clear(&id);
	return sha;
}

gboolean
hull_cache_module_lookup(HullCache *c, const char *sha256, HullCacheModule *out)
{
	g_return_val_if_fail(c != NULL && sha256 != NULL && out != NULL, FALSE);
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT name, version, capabilities, max_file_size, file_flags FROM modules"
	                       " WHERE sha256 = ?1", -1, &st, NULL) != SQLITE_OK)
		return FALSE;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	gboolean found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL &&
	                 sqlite3_column_text(st, 1) != NULL;
	if (found) {
		out->name = g_strdup((const char *)sqlite3_column_text(st, 0));
		out->version = g_strdup((const char *)sqlite3_column_text(st, 1));
		out->capabilities = (guint64)sqlite3_column_int64(st, 2);
		out->max_file_size = (guint64)sqlite3_column_int64(st, 3);
		out->file_flags = (guint32)sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	return found;
}

void
hull_cache_module_store(HullCache *c, const char *sha256, const HullCacheModule *m)
{
	g_return_if_fail(c != NULL && sha256 != NULL && m != NULL && m->name != NULL && m->version != NULL);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO modules VALUES(?1, ?2, ?3, ?4, ?5, ?6)", -1, &st, NULL) !=
	    SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)m->capabilities);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)m->max_file_size);
	sqlite3_bind_int64(st, 6, m->file_flags);
	/* best effort: a busy cache only means the module is opened next time too */
	sqlite3_step(st);
	sqlite3_finalize(st);
}

void
hull_cache_module_clear(HullCacheModule *m)
{
	if (m == NULL)
		return;
	g_clear_pointer(&m->name, g_free);
	g_clear_pointer(&m->version, g_free);
}

gint64
hull_cache_count(HullCache *c)
{
	g_return_val_if_fail(c != NULL, -1);
	sqlite3_stmt *st = NULL;
	gint64 n = -1;
	if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM results", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
