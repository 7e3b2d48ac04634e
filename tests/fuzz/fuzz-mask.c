/* fuzz-mask.c: libFuzzer harness for the core's masking step (core/hull-mask.c): any bytes
 * as a text to mask (with the shipped rules), then as an in-house rules file that the masker
 * loads, then masked again. The output must be a string no longer than the input allows. */
#include <stdint.h>
#include <string.h>
#include <glib/gstdio.h>
#include "hull-mask.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gchar *text = g_strndup((const char *)data, size);
	gchar *masked = hull_mask_text(text);
	/* each secret shrinks to at most 4 bytes and the marker, which a secret of 1 byte may grow */
	g_assert(strlen(masked) <= strlen(text) * (1 + strlen(HULL_MASK_REDACTED)));
	gchar *again = hull_mask_text(masked);
	g_free(again);

	gchar *dir = g_dir_make_tmp("fuzz-mask-XXXXXX", NULL);
	gchar *fn = g_build_filename(dir, "rules.json", NULL);
	if (g_file_set_contents(fn, (const char *)data, (gssize)size, NULL) && hull_mask_add_rules_file(fn, NULL)) {
		gchar *m2 = hull_mask_text(text);
		g_free(m2);
	}
	g_unlink(fn);
	g_rmdir(dir);
	g_free(fn);
	g_free(dir);
	hull_mask_reset();
	g_free(masked);
	g_free(text);
	return 0;
}
