/* hull-ospkg-rpm-bdb.c: reads rpm's legacy BerkeleyDB "Packages" file (a hash database)
 * without libdb. Layout (BerkeleyDB's db_page.h): page 0 is the hash metadata page (magic
 * 0x061561, page size, last page number); every hash page (types 2 and 13) holds key/data
 * item pairs addressed from an offset array after the 26-byte page header; a data item is
 * either stored on the page (H_KEYDATA) or, as header blobs nearly always are, in a chain of
 * overflow pages (H_OFFPAGE: first page number and total length). Every offset, page number
 * and length is checked against the file; overflow chains are followed at most once per page,
 * so a loop or a chain pointing outside the file ends in a skipped record, not a hang. */
#include <string.h>
#include "hull-ospkg.h"

#define BDB_HASH_MAGIC 0x061561u
#define BDB_PAGE_HEADER 26
#define P_HASH_UNSORTED 2
#define P_OVERFLOW 7
#define P_HASH 13
#define H_KEYDATA 1
#define H_OFFPAGE 3

typedef struct {
	const guint8 *data;
	gsize len;
	gboolean swap;               /* the file is big-endian */
	guint32 page_size;
	guint32 n_pages;
} HullBdb;

static guint32
hull_bdb_u32(const HullBdb *b, const guint8 *p)
{
	guint32 le = (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
	return b->swap ? GUINT32_SWAP_LE_BE(le) : le;
}

static guint16
hull_bdb_u16(const HullBdb *b, const guint8 *p)
{
	guint16 le = (guint16)(p[0] | p[1] << 8);
	return b->swap ? GUINT16_SWAP_LE_BE(le) : le;
}

/* Concatenates an overflow chain. (transfer full) NULL with @why set when it is broken. */
static GByteArray *
hull_bdb_read_overflow(const HullBdb *b, guint32 pgno, guint32 total, guint8 *seen, const char **why)
{
	if (total > b->len) {
		*why = "overflow length exceeds the file";
		return NULL;
	}
	g_autoptr(GByteArray) buf = g_byte_array_sized_new(total);
	while (pgno != 0) {
		if (pgno >= b->n_pages) {
			*why = "overflow page out of bounds";
			return NULL;
		}
		if (seen[pgno]) {
			*why = "overflow chain loops or shares a page";
			return NULL;
		}
		seen[pgno] = 1;
		const guint8 *page = b->data + (gsize)pgno * b->page_size;
		if (page[25] != P_OVERFLOW) {
			*why = "overflow chain reaches a page of another type";
			return NULL;
		}
		guint16 used = hull_bdb_u16(b, page + 22);
		if (used > b->page_size - BDB_PAGE_HEADER || buf->len + used > total) {
			*why = "overflow page holds more than declared";
			return NULL;
		}
		g_byte_array_append(buf, page + BDB_PAGE_HEADER, used);
		pgno = hull_bdb_u32(b, page + 16);
	}
	if (buf->len != total) {
		*why = "overflow chain shorter than declared";
		return NULL;
	}
	return g_steal_pointer(&buf);
}

static void
hull_bdb_add_blob(const char *name, const guint8 *blob, gsize len, guint32 pgno, GPtrArray *out,
                  HullOspkgNotes *notes)
{
	g_autoptr(GError) local = NULL;
	HullOsPkg *pkg = hull_ospkg_rpm_header_decode(blob, len, &local);
	if (pkg == NULL) {
		hull_ospkg_notes_add(notes, "%s: record on page %u: %s: skipped", name, pgno, local->message);
		return;
	}
	if (hull_ospkg_rpm_is_pubkey(pkg)) {
		hull_ospkg_free(pkg);
		return;
	}
	g_ptr_array_add(out, pkg);
}

gboolean
hull_ospkg_parse_rpm_bdb(const char *name, const guint8 *data, gsize len, GPtrArray *out, HullOspkgNotes *notes,
                         GError **error)
{
	if (len < 512) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: too short for a BerkeleyDB file",
		            name);
		return FALSE;
	}
	HullBdb b = { data, len, FALSE, 0, 0 };
	guint32 magic = hull_bdb_u32(&b, data + 12);
	if (magic != BDB_HASH_MAGIC) {
		b.swap = TRUE;
		if (hull_bdb_u32(&b, data + 12) != BDB_HASH_MAGIC) {
			g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID,
			            "%s: not a BerkeleyDB hash database", name);
			return FALSE;
		}
	}
	b.page_size = hull_bdb_u32(&b, data + 20);
	if (b.page_size < 512 || b.page_size > 65536 || (b.page_size & (b.page_size - 1)) != 0) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: invalid page size %u", name,
		            b.page_size);
		return FALSE;
	}
	if (data[24] != 0) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_UNSUPPORTED, "%s: encrypted BerkeleyDB", name);
		return FALSE;
	}
	/* Pages the file really holds; last_pgno only narrows it. */
	guint64 n_pages = len / b.page_size;
	guint32 last = hull_bdb_u32(&b, data + 32);
	if ((guint64)last + 1 < n_pages)
		n_pages = (guint64)last + 1;
	if (n_pages > G_MAXUINT32)
		n_pages = G_MAXUINT32;
	b.n_pages = (guint32)n_pages;
	g_autofree guint8 *seen = g_malloc0(b.n_pages);
	for (guint32 pgno = 1; pgno < b.n_pages; pgno++) {
		const guint8 *page = data + (gsize)pgno * b.page_size;
		if (page[25] != P_HASH && page[25] != P_HASH_UNSORTED)
			continue;
		guint16 entries = hull_bdb_u16(&b, page + 20);
		if ((gsize)BDB_PAGE_HEADER + (gsize)entries * 2 > b.page_size) {
			hull_ospkg_notes_add(notes, "%s: hash page %u declares %u entries: skipped", name, pgno, entries);
			continue;
		}
		/* Items are pairs (key, data); we only need the data items. */
		for (guint i = 1; i < entries; i += 2) {
			guint16 off = hull_bdb_u16(&b, page + BDB_PAGE_HEADER + i * 2);
			guint16 prev = hull_bdb_u16(&b, page + BDB_PAGE_HEADER + (i - 1) * 2);
			if (off < BDB_PAGE_HEADER + entries * 2 || off >= b.page_size) {
				hull_ospkg_notes_add(notes, "%s: hash page %u item %u out of bounds: skipped", name, pgno, i);
				continue;
			}
			const guint8 *item = page + off;
			if (item[0] == H_OFFPAGE) {
				if ((gsize)off + 12 > b.page_size) {
					hull_ospkg_notes_add(notes, "%s: hash page %u item %u truncated: skipped", name, pgno, i);
					continue;
				}
				guint32 first = hull_bdb_u32(&b, item + 4);
				guint32 total = hull_bdb_u32(&b, item + 8);
				const char *why = NULL;
				g_autoptr(GByteArray) blob = hull_bdb_read_overflow(&b, first, total, seen, &why);
				if (blob == NULL) {
					hull_ospkg_notes_add(notes, "%s: hash page %u item %u: %s: skipped", name, pgno, i, why);
					continue;
				}
				hull_bdb_add_blob(name, blob->data, blob->len, pgno, out, notes);
			} else if (item[0] == H_KEYDATA) {
				/* On-page data runs up to the previous item (items grow down from the end). */
				if (prev <= off || prev > b.page_size)
					continue;
				gsize dlen = (gsize)(prev - off) - 1;
				/* Small values (rpm's key-0 record holds a counter) are not headers. */
				if (dlen >= 16)
					hull_bdb_add_blob(name, item + 1, dlen, pgno, out, notes);
			}
		}
	}
	return TRUE;
}
