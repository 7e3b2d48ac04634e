/* hull-ospkg-rpm-ndb.c: reads rpm's NDB package database (Packages.db, rpm's
 * lib/backend/ndb/rpmpkg.c, the default on SUSE): a 32-byte header ("RpmP", version 0,
 * generation, slot page count), slot pages of 16-byte slots ("Slot", package index, block
 * offset, block count, in 16-byte blocks), and blobs framed by a "BlbS" head (magic, package
 * index, generation, length) and a "BlbE" tail. All fields are little-endian. Each slot's blob
 * is checked to lie inside the file and inside its own blocks before it is decoded. */
#include <string.h>
#include "hull-ospkg.h"

#define NDB_HEADER_SIZE 32
#define NDB_SLOT_SIZE 16
#define NDB_PAGE_SIZE 4096
#define NDB_BLK_SIZE 16
#define NDB_BLOBHEAD_SIZE 16
#define NDB_BLOBTAIL_SIZE 12

static guint32
hull_le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

gboolean
hull_ospkg_parse_rpm_ndb(const char *name, const guint8 *data, gsize len, GPtrArray *out, HullOspkgNotes *notes,
                         GError **error)
{
	if (len < NDB_HEADER_SIZE || memcmp(data, "RpmP", 4) != 0) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: not an rpm NDB database", name);
		return FALSE;
	}
	if (hull_le32(data + 4) != 0) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_UNSUPPORTED, "%s: NDB version %u not supported",
		            name, hull_le32(data + 4));
		return FALSE;
	}
	guint64 slot_end = (guint64)hull_le32(data + 12) * NDB_PAGE_SIZE;
	if (slot_end > len) {
		hull_ospkg_notes_add(notes, "%s: slot area runs past the end of the file: truncated", name);
		slot_end = len;
	}
	/* Slots may point at overlapping blobs: bound the bytes decoded to a few times the file. */
	guint64 budget = (guint64)len * 4 + 64 * 1024 * 1024;
	for (guint64 off = NDB_HEADER_SIZE; off + NDB_SLOT_SIZE <= slot_end; off += NDB_SLOT_SIZE) {
		const guint8 *slot = data + off;
		if (memcmp(slot, "Slot", 4) != 0) {
			hull_ospkg_notes_add(notes, "%s: bad slot magic at offset %" G_GUINT64_FORMAT ": stopped", name, off);
			break;
		}
		guint32 pkgidx = hull_le32(slot + 4);
		guint64 blkoff = hull_le32(slot + 8);
		guint64 blkcnt = hull_le32(slot + 12);
		if (pkgidx == 0)
			continue;
		guint64 start = blkoff * NDB_BLK_SIZE, size = blkcnt * NDB_BLK_SIZE;
		if (start < slot_end || start > len || size > len - start ||
		    size < NDB_BLOBHEAD_SIZE + NDB_BLOBTAIL_SIZE) {
			hull_ospkg_notes_add(notes, "%s: package %u: blob outside the file: skipped", name, pkgidx);
			continue;
		}
		const guint8 *head = data + start;
		guint32 bloblen = hull_le32(head + 12);
		if (memcmp(head, "BlbS", 4) != 0 || hull_le32(head + 4) != pkgidx ||
		    (guint64)bloblen + NDB_BLOBHEAD_SIZE + NDB_BLOBTAIL_SIZE > size) {
			hull_ospkg_notes_add(notes, "%s: package %u: bad blob head: skipped", name, pkgidx);
			continue;
		}
		if (bloblen > budget) {
			hull_ospkg_notes_add(notes, "%s: slots reference more blob data than the file holds: stopped",
			                     name);
			break;
		}
		budget -= bloblen;
		g_autoptr(GError) local = NULL;
		HullOsPkg *pkg = hull_ospkg_rpm_header_decode(head + NDB_BLOBHEAD_SIZE, bloblen, &local);
		if (pkg == NULL) {
			hull_ospkg_notes_add(notes, "%s: package %u: %s: skipped", name, pkgidx, local->message);
			continue;
		}
		if (hull_ospkg_rpm_is_pubkey(pkg)) {
			hull_ospkg_free(pkg);
			continue;
		}
		g_ptr_array_add(out, pkg);
	}
	return TRUE;
}
