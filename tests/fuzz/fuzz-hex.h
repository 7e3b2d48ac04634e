/* fuzz-hex.h: seeds of binary formats kept in git as text, shared by the harnesses that read
 * them (fuzz-rpm-header.c, fuzz-rpm-sqlite.c). An input starting with "hex:" is decoded from
 * pairs of hex digits (anything between pairs, such as spaces and line breaks, is skipped);
 * any other input is used as it is. */
#pragma once

#include <stdint.h>
#include <string.h>
#include <glib.h>

/* Points *data and *size at the decoded bytes of a "hex:" input, held by the returned array
 * (transfer full; NULL, and *data and *size unchanged, for any other input). */
static inline GByteArray *
hull_fuzz_unhex(const uint8_t **data, size_t *size)
{
	if (*size < 4 || memcmp(*data, "hex:", 4) != 0)
		return NULL;
	GByteArray *b = g_byte_array_new();
	for (size_t i = 4; i + 1 < *size; i++) {
		if (!g_ascii_isxdigit((*data)[i]) || !g_ascii_isxdigit((*data)[i + 1]))
			continue;
		guint8 v = (guint8)(g_ascii_xdigit_value((*data)[i]) << 4 | g_ascii_xdigit_value((*data)[i + 1]));
		g_byte_array_append(b, &v, 1);
		i++;
	}
	*data = b->data;
	*size = b->len;
	return b;
}
