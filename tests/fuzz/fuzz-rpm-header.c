/* fuzz-rpm-header.c: libFuzzer harness for the os-packages RPM readers: the header-blob
 * decoder, and the BerkeleyDB and NDB database parsers that feed it. Seeds are text: an input
 * starting with "hex:" is decoded from hex first, so binary cases live in git as text. */
#include <stdint.h>
#include <string.h>
#include "hull-ospkg.h"

static GByteArray *
hull_fuzz_unhex(const uint8_t *data, size_t size)
{
	GByteArray *b = g_byte_array_new();
	for (size_t i = 4; i + 1 < size; i++) {
		if (!g_ascii_isxdigit(data[i]))
			continue;
		if (!g_ascii_isxdigit(data[i + 1]))
			continue;
		guint8 v = (guint8)(g_ascii_xdigit_value(data[i]) << 4 | g_ascii_xdigit_value(data[i + 1]));
		g_byte_array_append(b, &v, 1);
		i++;
	}
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GByteArray) hex = NULL;
	if (size >= 4 && memcmp(data, "hex:", 4) == 0) {
		hex = hull_fuzz_unhex(data, size);
		data = hex->data;
		size = hex->len;
	}
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
