/* fuzz-dpkg-status.c: libFuzzer harness for the os-packages dpkg status parser. */
#include <stdint.h>
#include "hull-ospkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	hull_ospkg_parse_dpkg("fuzz", data, size, out, &notes, &error);
	hull_ospkg_notes_clear(&notes);
	return 0;
}
