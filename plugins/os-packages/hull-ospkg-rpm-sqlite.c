/* hull-ospkg-rpm-sqlite.c: reads rpm's SQLite database (rpmdb.sqlite, rpm >= 4.16: table
 * Packages(hnum, blob) holding header blobs) straight from memory with sqlite3_deserialize,
 * so nothing of the image is written to disk. rpm keeps the database in WAL mode: a "-wal"
 * file beside it may hold committed transactions, so its frames are applied to our copy of
 * the pages first (format: sqlite.org/fileformat2.html "The Write-Ahead Log"), then the copy is
 * marked as a rollback-journal database, which is all the in-memory VFS can open. */
#include <string.h>
#include <sqlite3.h>
#include "hull-ospkg.h"

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

	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: cannot open SQLite: %s", name,
		            db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return FALSE;
	}
	unsigned char *buf = sqlite3_malloc64(image->len);
	if (buf == NULL) {
		sqlite3_close(db);
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: out of memory", name);
		return FALSE;
	}
	memcpy(buf, image->data, image->len);
	int rc = sqlite3_deserialize(db, "main", buf, image->len, image->len,
	                             SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: cannot load SQLite: %s", name,
		            sqlite3_errstr(rc));
		sqlite3_close(db);
		return FALSE;
	}
	/* Corrupt pages are detected rather than trusted. */
	sqlite3_exec(db, "PRAGMA cell_size_check=ON", NULL, NULL, NULL);
	sqlite3_stmt *stmt = NULL;
	rc = sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: not an rpm database: %s", name,
		            sqlite3_errmsg(db));
		sqlite3_close(db);
		return FALSE;
	}
	gboolean ok = TRUE;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		gint64 hnum = sqlite3_column_int64(stmt, 0);
		const void *blob = sqlite3_column_blob(stmt, 1);
		int blen = sqlite3_column_bytes(stmt, 1);
		g_autoptr(GError) local = NULL;
		HullOsPkg *pkg = blob != NULL ? hull_ospkg_rpm_header_decode(blob, (gsize)blen, &local) : NULL;
		if (pkg == NULL) {
			hull_ospkg_notes_add(notes, "%s: record %" G_GINT64_FORMAT ": %s: skipped", name, hnum,
			                     local != NULL ? local->message : "empty blob");
			continue;
		}
		if (hull_ospkg_rpm_is_pubkey(pkg)) {
			hull_ospkg_free(pkg);
			continue;
		}
		g_ptr_array_add(out, pkg);
	}
	if (rc != SQLITE_DONE) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: reading Packages: %s", name,
		            sqlite3_errmsg(db));
		ok = FALSE;
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return ok;
}
