/* hull-cache.c: the SQLite store behind the scan cache. See hull-cache.h.
 *
 * Every row that can decide a replayed result carries an HMAC-SHA256, under a key kept in a
 * private file beside the database, over the columns it was looked up by and the columns it
 * answers with. A row changed, copied from another row or written without the key does not
 * verify and is a miss: whoever can rewrite the database but not read the key cannot make a
 * warm scan report less than a cold one. GLib's GHmac is used, not libcrypto, which warm scans
 * never load. Columns that only order the LRU pruning (created, used, verified, stored) are
 * left out, so marking an entry used rewrites no MAC. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include "hull-cache.h"
#include "hull-digest.h"

/* 5: a mac column in every table, the key's id in meta */
#define HULL_CACHE_SCHEMA_VERSION 5
#define HULL_CACHE_MAX_RESULTS 1000
#define HULL_CACHE_MAX_TRUSTED 20000
#define HULL_CACHE_BUSY_MS     15000
/* Longer than any filesystem's timestamp tick (ext4 and tmpfs use the kernel's coarse clock). */
#define HULL_NSEC_PER_SEC      G_GINT64_CONSTANT(1000000000)
#define HULL_CACHE_RACY_NS     (2 * HULL_NSEC_PER_SEC)

G_DEFINE_QUARK(hull-cache-error-quark, hull_cache_error)

#define HULL_CACHE_KEY_FILE "cache.key"
#define HULL_CACHE_KEY_LEN  32
#define HULL_CACHE_MAC_LEN  32

struct _HullCache {
	sqlite3 *db;
	gchar *path;
	GHmac *hmac;          /* keyed, never updated: each row's MAC starts from a copy */
	gboolean warned;      /* one warning per process about rows that do not verify */
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

/* ---- the key ---- */

static gboolean
hull_cache_random(guint8 *buf, gsize len)
{
	gsize got = 0;
	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (gsize)n;
	}
	if (got == len)
		return TRUE;
	/* a kernel without getrandom(2) (before 3.17) */
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return FALSE;
	for (got = 0; got < len;) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (gsize)n;
	}
	close(fd);
	return got == len;
}

static gboolean
hull_cache_write_all(int fd, const guint8 *buf, gsize len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		buf += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/* Writes a new random key to @path. It is written under a name of its own and then linked into
 * place: a reader never sees half a key, and when two scans create one at once link() fails
 * for the second, which then reads the first one's. */
static gboolean
hull_cache_create_key(const char *path, GError **error)
{
	guint8 key[HULL_CACHE_KEY_LEN];
	if (!hull_cache_random(key, sizeof key)) {
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: no random bytes to make a key from", path);
		return FALSE;
	}
	g_autofree gchar *tmp = g_strdup_printf("%s.%08x", path, g_random_int());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: %s", tmp, g_strerror(e));
		return FALSE;
	}
	/* synced before it is published: a crash must not leave an empty key in place */
	gboolean ok = hull_cache_write_all(fd, key, sizeof key) && fsync(fd) == 0;
	int e = errno;
	close(fd);
	memset(key, 0, sizeof key);
	if (ok && link(tmp, path) != 0 && errno != EEXIST) {
		e = errno;
		ok = FALSE;
	}
	g_unlink(tmp);
	if (!ok)
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: %s", path, g_strerror(e));
	return ok;
}

/* Reads the key at @path into @key. FALSE with @absent set when there is no file; FALSE with
 * @error when it is not one we made: a symbolic link, not a regular file, another user's,
 * readable or writable by others, or not a key's size. */
static gboolean
hull_cache_read_key(const char *path, guint8 *key, gboolean *absent, GError **error)
{
	*absent = FALSE;
	/* O_NONBLOCK: a FIFO planted under the name must not hang the scan */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT)
			*absent = TRUE;
		else if (e == ELOOP)
			g_set_error(error, HULL_CACHE_ERROR, 0, "%s: is a symbolic link", path);
		else
			g_set_error(error, HULL_CACHE_ERROR, 0, "%s: %s", path, g_strerror(e));
		return FALSE;
	}
	struct stat st;
	gboolean ok = FALSE;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: not a regular file", path);
	else if (st.st_uid != geteuid())
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: owned by uid %u, not by this user (uid %u)", path,
		            (unsigned)st.st_uid, (unsigned)geteuid());
	else if ((st.st_mode & 077) != 0)
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: mode %04o: must be 0600", path, (unsigned)(st.st_mode & 07777));
	else if (st.st_size != HULL_CACHE_KEY_LEN || read(fd, key, HULL_CACHE_KEY_LEN) != HULL_CACHE_KEY_LEN)
		g_set_error(error, HULL_CACHE_ERROR, 0, "%s: not a %d-byte key", path, HULL_CACHE_KEY_LEN);
	else
		ok = TRUE;
	close(fd);
	return ok;
}

/* Keys @c with DIR/cache.key, made on first use. */
static gboolean
hull_cache_load_key(HullCache *c, const char *dir, GError **error)
{
	g_autofree gchar *path = g_build_filename(dir, HULL_CACHE_KEY_FILE, NULL);
	guint8 key[HULL_CACHE_KEY_LEN];
	gboolean absent = FALSE;
	gboolean ok = hull_cache_read_key(path, key, &absent, error);
	if (!ok && absent && hull_cache_create_key(path, error)) {
		ok = hull_cache_read_key(path, key, &absent, error);
		if (!ok && absent)
			g_set_error(error, HULL_CACHE_ERROR, 0, "%s: removed as it was made", path);
	}
	if (!ok)
		return FALSE;
	c->hmac = g_hmac_new(G_CHECKSUM_SHA256, key, sizeof key);
	memset(key, 0, sizeof key);
	return TRUE;
}

/* ---- row MACs ----
 * Each field goes in with a type tag and its length, so that no two rows' fields run together
 * into the same bytes; the table's name comes first. */

static void
hull_mac_head(GHmac *h, guint8 tag, guint64 n)
{
	guint8 head[9] = {tag};
	for (guint i = 0; i < 8; i++)
		head[1 + i] = (guint8)(n >> (8 * i));
	g_hmac_update(h, head, sizeof head);
}

static void
hull_mac_text(GHmac *h, const char *s)
{
	if (s == NULL) {
		hull_mac_head(h, 0, 0);
		return;
	}
	gsize n = strlen(s);
	hull_mac_head(h, 1, n);
	g_hmac_update(h, (const guchar *)s, (gssize)n);
}

static void
hull_mac_blob(GHmac *h, const void *data, gsize n)
{
	hull_mac_head(h, 2, n);
	if (n > 0)
		g_hmac_update(h, data, (gssize)n);
}

static void
hull_mac_int(GHmac *h, gint64 v)
{
	hull_mac_head(h, 3, (guint64)v);
}

/* A file's identity, as hull_cache_bind_file binds it. */
static void
hull_mac_file(GHmac *h, const HullCacheFileId *f)
{
	hull_mac_text(h, f->path);
	hull_mac_int(h, (gint64)f->dev);
	hull_mac_int(h, (gint64)f->ino);
	hull_mac_int(h, (gint64)f->size);
	hull_mac_int(h, f->mtime_ns);
	hull_mac_int(h, f->ctime_ns);
}

/* A MAC for a row of @table: add its fields, then hull_mac_finish(). (transfer full) */
static GHmac *
hull_mac_begin(HullCache *c, const char *table)
{
	GHmac *h = g_hmac_copy(c->hmac);
	hull_mac_text(h, table);
	return h;
}

static void
hull_mac_finish(GHmac *h, guint8 out[HULL_CACHE_MAC_LEN])
{
	gsize n = HULL_CACHE_MAC_LEN;
	g_hmac_get_digest(h, out, &n);
	g_hmac_unref(h);
}

/* Binds the MAC @h computes to parameter @param of @st (the row being written). */
static void
hull_mac_bind(sqlite3_stmt *st, int param, GHmac *h)
{
	guint8 mac[HULL_CACHE_MAC_LEN];
	hull_mac_finish(h, mac);
	sqlite3_bind_blob(st, param, mac, sizeof mac, SQLITE_TRANSIENT);
}

/* Does column @col of @st's current row hold the MAC @h computes? A row that does not was
 * changed, copied from another row or written without our key: it is a miss, with a warning
 * the first time, and is deleted by @drop_sql, given the rowid (column 0 of @st) and the MAC
 * read, so that a row another scan has rewritten meanwhile stays. */
static gboolean
hull_mac_verify(HullCache *c, GHmac *h, sqlite3_stmt *st, int col, const char *table, const char *drop_sql)
{
	guint8 want[HULL_CACHE_MAC_LEN];
	hull_mac_finish(h, want);
	const guint8 *got = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col);
	guint8 diff = got == NULL || n != HULL_CACHE_MAC_LEN;
	for (guint i = 0; diff == 0 && i < HULL_CACHE_MAC_LEN; i++)
		diff |= got[i] ^ want[i];
	if (diff == 0)
		return TRUE;
	if (!c->warned)
		g_warning("scan cache %s: a stored %s row fails its integrity check (changed outside hullscan?): "
		          "ignored", c->path, table);
	else
		g_debug("cache: a stored %s row fails its integrity check", table);
	c->warned = TRUE;
	/* best effort, and only while the row is the one read: another scan may have rewritten it */
	sqlite3_stmt *del = NULL;
	if (sqlite3_prepare_v2(c->db, drop_sql, -1, &del, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(del, 1, sqlite3_column_int64(st, 0));
		if (got != NULL)
			sqlite3_bind_blob(del, 2, got, n, SQLITE_TRANSIENT);
		sqlite3_step(del);
	}
	sqlite3_finalize(del);
	return FALSE;
}

/* A row of @table, rowid and mac as read (?1, ?2). */
#define HULL_DROP_SQL(table) "DELETE FROM " table " WHERE rowid = ?1 AND mac IS ?2"

/* The key's id: shows, without giving the key away, whether rows were written under it. */
static gchar *
hull_cache_key_id(HullCache *c)
{
	GHmac *h = hull_mac_begin(c, "key-id");
	guint8 id[HULL_CACHE_MAC_LEN];
	hull_mac_finish(h, id);
	GString *hex = g_string_new(NULL);
	for (guint i = 0; i < 16; i++)
		g_string_append_printf(hex, "%02x", id[i]);
	return g_string_free(hex, FALSE);
}

/* The value of @name in the meta table (transfer full), NULL when there is none. */
static gchar *
hull_cache_read_meta(HullCache *c, const char *name)
{
	sqlite3_stmt *st = NULL;
	gchar *value = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			value = g_strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return value;
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
	if (!hull_cache_load_key(c, dir, error))
		return NULL;
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
	g_autofree gchar *schema = hull_cache_read_meta(c, "schema");
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
	 * rewrites a few bytes, not the whole result. Rows written under another key (the key
	 * file was deleted) would all fail their MAC: they are dropped at once, silently. */
	g_autofree gchar *key_id = hull_cache_key_id(c);
	g_autofree gchar *was_key_id = hull_cache_read_meta(c, "key-id");
	if (version == HULL_CACHE_SCHEMA_VERSION && hull_cache_has_schema(c) && g_strcmp0(key_id, was_key_id) == 0)
		return g_steal_pointer(&c);
	g_autofree gchar *create = g_strdup_printf(
	                     "BEGIN IMMEDIATE;"
	                     "DROP TABLE IF EXISTS results; DROP TABLE IF EXISTS payloads;"
	                     "DROP TABLE IF EXISTS modules; DROP TABLE IF EXISTS trusted;"
	                     "DROP TABLE IF EXISTS file_digests; DROP TABLE IF EXISTS probes;"
	                     "CREATE TABLE file_digests(path TEXT PRIMARY KEY, dev INTEGER, ino INTEGER, size INTEGER,"
	                     " mtime_ns INTEGER, ctime_ns INTEGER, sha256 TEXT NOT NULL, mac BLOB NOT NULL);"
	                     "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	                     "INSERT OR REPLACE INTO meta VALUES('schema', '" G_STRINGIFY(HULL_CACHE_SCHEMA_VERSION) "');"
	                     "INSERT OR REPLACE INTO meta VALUES('key-id', '%s');"
	                     "CREATE TABLE results(key TEXT PRIMARY KEY, deps TEXT NOT NULL, mac BLOB NOT NULL,"
	                     " created INTEGER NOT NULL, used INTEGER NOT NULL);"
	                     "CREATE TABLE payloads(key TEXT PRIMARY KEY, payload BLOB NOT NULL);"
	                     "CREATE TABLE modules(sha256 TEXT PRIMARY KEY, name TEXT NOT NULL,"
	                     " version TEXT NOT NULL, capabilities INTEGER, max_file_size INTEGER, file_flags INTEGER,"
	                     " mac BLOB NOT NULL);"
	                     "CREATE TABLE trusted(image_key TEXT NOT NULL, path TEXT NOT NULL,"
	                     " dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
	                     " verified INTEGER NOT NULL, mac BLOB NOT NULL, PRIMARY KEY(image_key, path));"
	                     "CREATE TABLE probes(path TEXT PRIMARY KEY, dev INTEGER, ino INTEGER, size INTEGER,"
	                     " mtime_ns INTEGER, ctime_ns INTEGER, memo BLOB NOT NULL, stored INTEGER NOT NULL,"
	                     " mac BLOB NOT NULL);"
	                     "COMMIT;", key_id);
	if (!hull_cache_exec(c, create, error)) {
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
	if (c->hmac != NULL)
		g_hmac_unref(c->hmac);
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

/* The MACs of each table's rows: the columns a row is found by, then those it answers with. */

static GHmac *
hull_mac_trusted(HullCache *c, const char *image_key, const HullCacheFileId *f)
{
	GHmac *h = hull_mac_begin(c, "trusted");
	hull_mac_text(h, image_key);
	hull_mac_file(h, f);
	return h;
}

static GHmac *
hull_mac_probe(HullCache *c, const HullCacheFileId *f, const void *memo, gsize len)
{
	GHmac *h = hull_mac_begin(c, "probes");
	hull_mac_file(h, f);
	hull_mac_blob(h, memo, len);
	return h;
}

/* results and payloads: one MAC, in the results row, over both */
static GHmac *
hull_mac_result(HullCache *c, const char *key, const char *deps, const void *payload, gsize len)
{
	GHmac *h = hull_mac_begin(c, "results");
	hull_mac_text(h, key);
	hull_mac_text(h, deps);
	hull_mac_blob(h, payload, len);
	return h;
}

static GHmac *
hull_mac_file_digest(HullCache *c, const HullCacheFileId *f, const char *sha256)
{
	GHmac *h = hull_mac_begin(c, "file_digests");
	hull_mac_file(h, f);
	hull_mac_text(h, sha256);
	return h;
}

static GHmac *
hull_mac_module(HullCache *c, const char *sha256, const HullCacheModule *m)
{
	GHmac *h = hull_mac_begin(c, "modules");
	hull_mac_text(h, sha256);
	hull_mac_text(h, m->name);
	hull_mac_text(h, m->version);
	hull_mac_int(h, (gint64)m->capabilities);
	hull_mac_int(h, (gint64)m->max_file_size);
	hull_mac_int(h, (gint64)m->file_flags);
	return h;
}

gboolean
hull_cache_is_trusted(HullCache *c, const char *image_key, GPtrArray *files)
{
	g_return_val_if_fail(c != NULL && image_key != NULL && files != NULL, FALSE);
	if (files->len == 0)
		return FALSE;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db,
	                       "SELECT rowid, mac FROM trusted WHERE image_key = ?1 AND path = ?2 AND dev = ?3 AND ino = ?4"
	                       " AND size = ?5 AND mtime_ns = ?6 AND ctime_ns = ?7",
	                       -1, &st, NULL) != SQLITE_OK)
		return FALSE;
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < files->len; i++) {
		const HullCacheFileId *f = g_ptr_array_index(files, i);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, image_key, -1, SQLITE_STATIC);
		hull_cache_bind_file(st, 2, f);
		ok = sqlite3_step(st) == SQLITE_ROW &&
		     hull_mac_verify(c, hull_mac_trusted(c, image_key, f), st, 1, "trusted", HULL_DROP_SQL("trusted"));
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
	gboolean ok = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO trusted VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	                                 -1, &st, NULL) == SQLITE_OK;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	for (guint i = 0; ok && i < files->len; i++) {
		const HullCacheFileId *f = g_ptr_array_index(files, i);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, image_key, -1, SQLITE_STATIC);
		hull_cache_bind_file(st, 2, f);
		sqlite3_bind_int64(st, 8, now);
		hull_mac_bind(st, 9, hull_mac_trusted(c, image_key, f));
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
	if (sqlite3_prepare_v2(c->db, "SELECT rowid, mac, memo FROM probes WHERE path = ?1 AND dev = ?2 AND ino = ?3"
	                       " AND size = ?4 AND mtime_ns = ?5 AND ctime_ns = ?6", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	hull_cache_bind_file(st, 1, file);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 2) == SQLITE_BLOB) {
		const void *data = sqlite3_column_blob(st, 2);
		gsize len = (gsize)sqlite3_column_bytes(st, 2);
		if (hull_mac_verify(c, hull_mac_probe(c, file, data, len), st, 1, "probes", HULL_DROP_SQL("probes")))
			memo = g_bytes_new(data, len);
	}
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
	gboolean ok = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO probes VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	                                 -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		hull_cache_bind_file(st, 1, file);
		sqlite3_bind_blob64(st, 7, data != NULL ? data : "", len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, g_get_real_time() / G_USEC_PER_SEC);
		hull_mac_bind(st, 9, hull_mac_probe(c, file, data, len));
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
	if (sqlite3_prepare_v2(c->db, "SELECT r.rowid, r.mac, r.deps, p.payload, r.used FROM results r"
	                       " JOIN payloads p ON p.key = r.key WHERE r.key = ?1", -1, &st, NULL) != SQLITE_OK)
		return FALSE;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	gboolean found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 2) != NULL;
	gint64 used = 0;
	if (found) {
		const char *d = (const char *)sqlite3_column_text(st, 2);
		const void *blob = sqlite3_column_blob(st, 3);
		gsize len = (gsize)sqlite3_column_bytes(st, 3);
		found = hull_mac_verify(c, hull_mac_result(c, key, d, blob, len), st, 1, "results",
		                        HULL_DROP_SQL("results"));
		if (found) {
			*deps = g_strdup(d);
			*payload = g_bytes_new(blob, len);
			used = sqlite3_column_int64(st, 4);
		}
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
	gsize len = 0;
	const void *data = g_bytes_get_data(payload, &len);
	gboolean ok = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO results VALUES(?1, ?2, ?3, ?4, ?4)", -1, &st,
	                                 NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, deps, -1, SQLITE_STATIC);
		hull_mac_bind(st, 3, hull_mac_result(c, key, deps, data, len));
		sqlite3_bind_int64(st, 4, g_get_real_time());
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	st = NULL;
	ok = ok && sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO payloads VALUES(?1, ?2)", -1, &st, NULL) == SQLITE_OK;
	if (ok) {
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
	if (sqlite3_prepare_v2(c->db, "SELECT rowid, mac, sha256 FROM file_digests WHERE path = ?1 AND dev = ?2"
	                       " AND ino = ?3 AND size = ?4 AND mtime_ns = ?5 AND ctime_ns = ?6", -1, &st, NULL) == SQLITE_OK) {
		hull_cache_bind_file(st, 1, &id);
		const char *known = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 2) : NULL;
		if (known != NULL && hull_mac_verify(c, hull_mac_file_digest(c, &id, known), st, 1, "file_digests",
		                                     HULL_DROP_SQL("file_digests")))
			sha = g_strdup(known);
	}
	sqlite3_finalize(st);
	if (sha == NULL) {
		sha = hull_sha256_file(id.path);
		gint64 now_ns = g_get_real_time() * 1000;
		if (sha != NULL && MAX(id.mtime_ns, id.ctime_ns) <= now_ns - HULL_CACHE_RACY_NS &&
		    sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO file_digests VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1,
		                       &st, NULL) == SQLITE_OK) {
			hull_cache_bind_file(st, 1, &id);
			sqlite3_bind_text(st, 7, sha, -1, SQLITE_STATIC);
			hull_mac_bind(st, 8, hull_mac_file_digest(c, &id, sha));
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
	if (sqlite3_prepare_v2(c->db, "SELECT rowid, mac, name, version, capabilities, max_file_size, file_flags"
	                       " FROM modules WHERE sha256 = ?1", -1, &st, NULL) != SQLITE_OK)
		return FALSE;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	gboolean found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 2) != NULL &&
	                 sqlite3_column_text(st, 3) != NULL;
	if (found) {
		out->name = g_strdup((const char *)sqlite3_column_text(st, 2));
		out->version = g_strdup((const char *)sqlite3_column_text(st, 3));
		out->capabilities = (guint64)sqlite3_column_int64(st, 4);
		out->max_file_size = (guint64)sqlite3_column_int64(st, 5);
		out->file_flags = (guint32)sqlite3_column_int64(st, 6);
		found = hull_mac_verify(c, hull_mac_module(c, sha256, out), st, 1, "modules", HULL_DROP_SQL("modules"));
		if (!found)
			hull_cache_module_clear(out);
	}
	sqlite3_finalize(st);
	return found;
}

void
hull_cache_module_store(HullCache *c, const char *sha256, const HullCacheModule *m)
{
	g_return_if_fail(c != NULL && sha256 != NULL && m != NULL && m->name != NULL && m->version != NULL);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO modules VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &st,
	                       NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)m->capabilities);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)m->max_file_size);
	sqlite3_bind_int64(st, 6, m->file_flags);
	hull_mac_bind(st, 7, hull_mac_module(c, sha256, m));
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
