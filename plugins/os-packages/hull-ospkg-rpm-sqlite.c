/* hull-ospkg-rpm-sqlite.c: reads rpm's SQLite database (rpmdb.sqlite, rpm >= 4.16: table
 * Packages(hnum, blob) holding header blobs) straight from memory with sqlite3_deserialize,
 * so nothing of the image is written to disk. rpm keeps the database in WAL mode: a "-wal"
 * file beside it may hold committed transactions, so its frames are applied to our copy of
 * the pages first (format: sqlite.org/fileformat2.html "The Write-Ahead Log"), then the copy is
 * marked as a rollback-journal database, which is all the in-memory VFS can open.
 *
 * The file comes from an image, so SQLite is told as little as it needs to trust it: the copy is
 * deserialized read-only; triggers, views, virtual tables (every module is dropped), ATTACH,
 * functions and every statement but our own reads are refused; "Packages" must be a real table
 * with plain hnum and blob columns before it is read; limits keep the schema small; and a budget
 * of VM steps proportional to the file's size, plus a cap on records, ends anything a hostile
 * schema or a cyclic b-tree could make last forever (a recursive view named Packages did). A
 * database that fails any of this is one error naming the file, and none of its packages. */
#include <string.h>
#include <sqlite3.h>
#include "hull-ospkg.h"

/* A whole distribution has under 100,000 packages; an installed system a few thousand. */
#define HULL_RPM_SQLITE_MAX_ROWS (1u << 18)
/* The progress handler runs every this many VM steps. */
#define HULL_RPM_SQLITE_STEP_CHUNK 1000

#define HULL_WAL_MAGIC 0x377f0682u

static guint32
hull_be32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | (guint32)p[3];
}

static void
hull_wal_checksum(gboolean big_endian, const guint8 *p, gsize len, guint32 *s0, guint32 *s1)
{
	for (gsize i = 0; i + 8 <= len; i += 8) {
		guint32 a, b;
		if (big_endian) {
			a = hull_be32(p + i);
			b = hull_be32(p + i + 4);
		} else {
			a = (guint32)p[i] | (guint32)p[i + 1] << 8 | (guint32)p[i + 2] << 16 | (guint32)p[i + 3] << 24;
			b = (guint32)p[i + 4] | (guint32)p[i + 5] << 8 | (guint32)p[i + 6] << 16 |
			    (guint32)p[i + 7] << 24;
		}
		*s0 += a + *s1;
		*s1 += b + *s0;
	}
}

/* Applies the committed frames of @wal to @image (grown as needed). FALSE (with a note) when
 * the log is unusable; the database is then read as it is on disk. */
static gboolean
hull_wal_apply(const char *name, GByteArray *image, const guint8 *wal, gsize wal_len, HullOspkgNotes *notes)
{
	if (wal_len < 32)
		return wal_len == 0;
	guint32 magic = hull_be32(wal);
	if ((magic & ~1u) != HULL_WAL_MAGIC) {
		hull_ospkg_notes_add(notes, "%s-wal: not a SQLite write-ahead log: ignored", name);
		return FALSE;
	}
	gboolean be = (magic & 1) != 0;
	guint32 page_size = hull_be32(wal + 8);
	if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) {
		hull_ospkg_notes_add(notes, "%s-wal: invalid page size %u: ignored", name, page_size);
		return FALSE;
	}
	guint32 s0 = 0, s1 = 0;
	hull_wal_checksum(be, wal, 24, &s0, &s1);
	if (s0 != hull_be32(wal + 24) || s1 != hull_be32(wal + 28)) {
		hull_ospkg_notes_add(notes, "%s-wal: header checksum mismatch: ignored", name);
		return FALSE;
	}
	guint32 salt1 = hull_be32(wal + 16), salt2 = hull_be32(wal + 20);
	gsize frame_size = 24 + (gsize)page_size;
	/* Two passes: find the last valid commit frame, then apply every frame up to it. */
	gsize last_commit = 0;
	guint32 commit_pages = 0;
	for (gsize off = 32; off + frame_size <= wal_len; off += frame_size) {
		const guint8 *f = wal + off;
		if (hull_be32(f + 8) != salt1 || hull_be32(f + 12) != salt2)
			break;
		hull_wal_checksum(be, f, 8, &s0, &s1);
		hull_wal_checksum(be, f + 24, page_size, &s0, &s1);
		if (s0 != hull_be32(f + 16) || s1 != hull_be32(f + 20))
			break;
		if (hull_be32(f) == 0)
			break;
		if (hull_be32(f + 4) != 0) {
			last_commit = off + frame_size;
			commit_pages = hull_be32(f + 4);
		}
	}
	if (last_commit == 0)
		return TRUE;
	guint32 db_page = ((guint32)image->data[16] << 8) | image->data[17];
	if (db_page != (page_size == 65536 ? 1 : page_size)) {
		hull_ospkg_notes_add(notes, "%s-wal: page size differs from the database's: ignored", name);
		return FALSE;
	}
	/* Bound the rebuilt image: no more pages than the log and the file could hold. */
	guint64 max_pages = (image->len / page_size) + (wal_len / frame_size) + 1;
	if (commit_pages > max_pages) {
		hull_ospkg_notes_add(notes, "%s-wal: commit declares %u pages: ignored", name, commit_pages);
		return FALSE;
	}
	for (gsize off = 32; off < last_commit; off += frame_size) {
		guint32 pgno = hull_be32(wal + off);
		if (pgno > max_pages)
			continue;
		gsize pos = (gsize)(pgno - 1) * page_size;
		if (image->len < pos + page_size)
			g_byte_array_set_size(image, (guint)(pos + page_size));
		memcpy(image->data + pos, wal + off + 24, page_size);
	}
	g_byte_array_set_size(image, (guint)((gsize)commit_pages * page_size));
	return TRUE;
}

/* Every VM step of every statement counts against one budget: reading a real rpmdb takes about
 * 4 steps per record and 2 per schema entry, each at least tens of bytes of the file, so the
 * file's size in steps (plus a constant for the schema) is far more than an honest database needs. */
typedef struct {
	gint64 steps_left;
	gboolean exhausted;
} HullRpmSqliteBudget;

static int
hull_rpm_sqlite_progress(void *user)
{
	HullRpmSqliteBudget *b = user;
	b->steps_left -= HULL_RPM_SQLITE_STEP_CHUNK;
	if (b->steps_left < 0)
		b->exhausted = TRUE;
	return b->exhausted;
}

/* Reads of Packages and sqlite_master outside any view or trigger, and the two pragmas we run;
 * anything else (functions, writes, ATTACH, other pragmas, other tables) is refused. */
static int
hull_rpm_sqlite_authorize(void *user, int action, const char *a, const char *b, const char *schema,
                          const char *inner)
{
	(void)user;
	(void)b;
	(void)schema;
	if (inner != NULL)
		return SQLITE_DENY;
	switch (action) {
	case SQLITE_SELECT:
		return SQLITE_OK;
	case SQLITE_READ:
		return a != NULL && (g_ascii_strcasecmp(a, "Packages") == 0 || g_ascii_strcasecmp(a, "sqlite_master") == 0 ||
		                     g_ascii_strcasecmp(a, "sqlite_schema") == 0)
		               ? SQLITE_OK
		               : SQLITE_DENY;
	case SQLITE_PRAGMA:
		return a != NULL && (g_ascii_strcasecmp(a, "cell_size_check") == 0 || g_ascii_strcasecmp(a, "table_xinfo") == 0)
		               ? SQLITE_OK
		               : SQLITE_DENY;
	default:
		return SQLITE_DENY;
	}
}

/* A connection over @image with every guard in place before a statement reads it: @image is read
 * in place (read-only, not copied, not freed by SQLite) and must outlive the connection. */
static sqlite3 *
hull_rpm_sqlite_open(const char *name, guint8 *image, gsize len, HullRpmSqliteBudget *budget, GError **error)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: cannot open SQLite: %s", name,
		            db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	static const int off[] = {
#ifdef SQLITE_DBCONFIG_ENABLE_TRIGGER
		SQLITE_DBCONFIG_ENABLE_TRIGGER,
#endif
#ifdef SQLITE_DBCONFIG_ENABLE_VIEW
		SQLITE_DBCONFIG_ENABLE_VIEW,
#endif
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
		SQLITE_DBCONFIG_TRUSTED_SCHEMA,
#endif
		SQLITE_DBCONFIG_ENABLE_FKEY,
		SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION,
	};
	for (gsize i = 0; i < G_N_ELEMENTS(off); i++)
		sqlite3_db_config(db, off[i], 0, (int *)NULL);
#ifdef SQLITE_DBCONFIG_DEFENSIVE
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
#endif
#if SQLITE_VERSION_NUMBER >= 3030000
	sqlite3_drop_modules(db, NULL);
#endif
	/* Deserializing runs an ATTACH of its own: before the authorizer and the limits. Nothing of
	 * the file is read until the first statement. */
	int rc = sqlite3_deserialize(db, "main", image, (sqlite3_int64)len, (sqlite3_int64)len,
	                             SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: cannot load SQLite: %s", name,
		            sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	/* rpm's schema: a few short statements of three columns; no value exceeds the file. */
	static const struct {
		int id, value;
	} limits[] = {
		{ SQLITE_LIMIT_ATTACHED, 0 },           { SQLITE_LIMIT_SQL_LENGTH, 64 * 1024 },
		{ SQLITE_LIMIT_EXPR_DEPTH, 100 },       { SQLITE_LIMIT_COMPOUND_SELECT, 2 },
		{ SQLITE_LIMIT_COLUMN, 32 },            { SQLITE_LIMIT_VDBE_OP, 10000 },
		{ SQLITE_LIMIT_FUNCTION_ARG, 8 },       { SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 64 },
		{ SQLITE_LIMIT_VARIABLE_NUMBER, 8 },    { SQLITE_LIMIT_TRIGGER_DEPTH, 1 },
		{ SQLITE_LIMIT_WORKER_THREADS, 0 },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(limits); i++)
		sqlite3_limit(db, limits[i].id, limits[i].value);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)MIN(MAX(len, (gsize)65536), (gsize)G_MAXINT));
	sqlite3_set_authorizer(db, hull_rpm_sqlite_authorize, NULL);
	budget->steps_left = 65536 + (gint64)MIN(len, (gsize)G_MAXINT64 / 2);
	budget->exhausted = FALSE;
	sqlite3_progress_handler(db, HULL_RPM_SQLITE_STEP_CHUNK, hull_rpm_sqlite_progress, budget);
	/* Corrupt pages are detected rather than trusted. */
	sqlite3_exec(db, "PRAGMA cell_size_check=ON", NULL, NULL, NULL);
	return db;
}

/* The error for a failed statement: the budget's own words when it ran out. */
static void
hull_rpm_sqlite_error(GError **error, const char *name, const char *what, sqlite3 *db,
                      const HullRpmSqliteBudget *budget)
{
	if (budget->exhausted)
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID,
		            "%s: %s: more SQLite work than a database of its size needs: not read", name, what);
	else
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: %s: %s", name, what,
		            sqlite3_errmsg(db));
}

/* Packages must be what rpm creates: a real table (SQLite writes every one's statement as
 * "CREATE TABLE <name>…"; a view or a virtual table reads differently) whose hnum and blob are
 * stored columns, not generated ones. Checked before anything reads it. */
static gboolean
hull_rpm_sqlite_check_schema(sqlite3 *db, const char *name, const HullRpmSqliteBudget *budget, GError **error)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT type, sql FROM sqlite_master WHERE type IN ('table', 'view') AND name = 'Packages' "
	                       "COLLATE NOCASE",
	                       -1, &st, NULL) != SQLITE_OK) {
		hull_rpm_sqlite_error(error, name, "not a readable SQLite database", db, budget);
		return FALSE;
	}
	guint n = 0;
	gboolean table = FALSE;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		n++;
		table = g_strcmp0(type, "table") == 0 && sql != NULL && g_str_has_prefix(sql, "CREATE TABLE ");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		hull_rpm_sqlite_error(error, name, "not a readable SQLite database", db, budget);
		return FALSE;
	}
	if (n != 1 || !table) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: not an rpm database: %s", name,
		            n == 0 ? "no Packages table" : "Packages is not a plain table (a view or a virtual table)");
		return FALSE;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA table_xinfo(Packages)", -1, &st, NULL) != SQLITE_OK) {
		hull_rpm_sqlite_error(error, name, "not an rpm database", db, budget);
		return FALSE;
	}
	gboolean hnum = FALSE, blob = FALSE;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(st, 1);
		gboolean stored = sqlite3_column_int(st, 6) == 0;
		if (col != NULL && g_ascii_strcasecmp(col, "hnum") == 0)
			hnum = stored;
		else if (col != NULL && g_ascii_strcasecmp(col, "blob") == 0)
			blob = stored;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		hull_rpm_sqlite_error(error, name, "not an rpm database", db, budget);
		return FALSE;
	}
	if (!hnum || !blob) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID,
		            "%s: not an rpm database: Packages has no stored hnum and blob columns", name);
		return FALSE;
	}
	return TRUE;
}

/* Appends the packages of every record of Packages to @out; FALSE (with @error) when the table
 * cannot be read to its end within the budget and the record cap. */
static gboolean
hull_rpm_sqlite_read(sqlite3 *db, const char *name, const HullRpmSqliteBudget *budget, GPtrArray *out,
                     HullOspkgNotes *notes, GError **error)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
		hull_rpm_sqlite_error(error, name, "not an rpm database", db, budget);
		return FALSE;
	}
	guint rows = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++rows > HULL_RPM_SQLITE_MAX_ROWS) {
			g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID,
			            "%s: more than %u records in Packages: not read", name, HULL_RPM_SQLITE_MAX_ROWS);
			sqlite3_finalize(st);
			return FALSE;
		}
		gint64 hnum = sqlite3_column_int64(st, 0);
		const void *blob = sqlite3_column_type(st, 1) == SQLITE_BLOB ? sqlite3_column_blob(st, 1) : NULL;
		int blen = sqlite3_column_bytes(st, 1);
		g_autoptr(GError) local = NULL;
		HullOsPkg *pkg = blob != NULL ? hull_ospkg_rpm_header_decode(blob, (gsize)blen, &local) : NULL;
		if (pkg == NULL) {
			hull_ospkg_notes_add(notes, "%s: record %" G_GINT64_FORMAT ": %s: skipped", name, hnum,
			                     local != NULL ? local->message : "no header blob");
			continue;
		}
		if (hull_ospkg_rpm_is_pubkey(pkg)) {
			hull_ospkg_free(pkg);
			continue;
		}
		g_ptr_array_add(out, pkg);
	}
	if (rc != SQLITE_DONE)
		hull_rpm_sqlite_error(error, name, "reading Packages", db, budget);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE;
}

gboolean
hull_ospkg_parse_rpm_sqlite(const char *name, GBytes *db_bytes, GBytes *wal, GPtrArray *out,
                            HullOspkgNotes *notes, GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(db_bytes, &len);
	if (len < 100 || memcmp(data, "SQLite format 3", 16) != 0) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: not a SQLite database", name);
		return FALSE;
	}
	g_autoptr(GByteArray) image = g_byte_array_sized_new((guint)len);
	g_byte_array_append(image, data, (guint)len);
	if (wal != NULL) {
		gsize wal_len = 0;
		const guint8 *w = g_bytes_get_data(wal, &wal_len);
		hull_wal_apply(name, image, w, wal_len, notes);
	}
	if (image->len < 100) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: truncated SQLite database", name);
		return FALSE;
	}
	/* WAL mode (read/write versions 2) needs shared memory the memdb VFS lacks. */
	image->data[18] = 1;
	image->data[19] = 1;

	HullRpmSqliteBudget budget;
	sqlite3 *db = hull_rpm_sqlite_open(name, image->data, image->len, &budget, error);
	if (db == NULL)
		return FALSE;
	/* A database that fails part-way gives none of its packages, and its skipped-record notes
	 * give way to the one error. */
	guint out_mark = out->len;
	guint notes_mark = notes != NULL && notes->texts != NULL ? notes->texts->len : 0;
	guint dropped_mark = notes != NULL ? notes->n_dropped : 0;
	gboolean ok = hull_rpm_sqlite_check_schema(db, name, &budget, error) &&
	              hull_rpm_sqlite_read(db, name, &budget, out, notes, error);
	sqlite3_close(db);
	if (!ok) {
		g_ptr_array_remove_range(out, out_mark, out->len - out_mark);
		if (notes != NULL && notes->texts != NULL) {
			g_ptr_array_set_size(notes->texts, notes_mark);
			notes->n_dropped = dropped_mark;
		}
	}
	return ok;
}
