/* fuzz-rpm-header.c: libFuzzer harness for the os-packages RPM readers: the header-blob
 * decoder, and the BerkeleyDB and NDB database parsers that feed it. Seeds are text: an input
 * starting with "hex:" is decoded from hex first (fuzz-hex.h). */
#include <stdint.h>
#include "fuzz-hex.h"
#include "hull-ospkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GByteArray) hex = hull_fuzz_unhex(&data, &size);
	g_autoptr(GError) error = NULL;
	HullOsPkg *pkg = hull_ospkg_rpm_header_decode(data, size, &error);
	hull_ospkg_free(pkg);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_clear_error(&error);
	hull_ospkg_parse_rpm_bdb("fuzz", data, size, out, &notes, &error);
	g_clear_error(&error);
	hull_ospkg_parse_rpm_ndb("fuzz", data, size, out, &notes, &error);
	hull_ospkg_notes_clear(&notes);
	return 0;
}
