/* fuzz-rpm-sqlite.c: libFuzzer harness for the os-packages reader of rpmdb.sqlite, whose input
 * is a whole SQLite file from an image: schema, b-trees and header blobs. A hang counts as much
 * as a crash here (libFuzzer's -timeout): a recursive view named Packages once made the reader
 * loop forever (seed recursive-view). Seeds are SQLite files as hex text (fuzz-hex.h), built
 * with a 512-byte page to stay small. */
#include <stdint.h>
#include "fuzz-hex.h"
#include "hull-ospkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GByteArray) hex = hull_fuzz_unhex(&data, &size);
	g_autoptr(GBytes) db = g_bytes_new(data, size);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	gboolean ok = hull_ospkg_parse_rpm_sqlite("fuzz", db, NULL, out, &notes, &error);
	/* A database that fails gives no packages. */
	g_assert_true(ok == (error == NULL));
	g_assert_true(ok || out->len == 0);
	hull_ospkg_notes_clear(&notes);
	return 0;
}
