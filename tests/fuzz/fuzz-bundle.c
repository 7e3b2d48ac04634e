/* fuzz-bundle.c: libFuzzer harness for the bundle reader: arbitrary bytes as a *.hsb file go
 * through hull_bundle_verify() and hull_bundle_extract() (into a private temp dir that is
 * removed after each input). */
#include <glib/gstdio.h>
#include <stdint.h>
#include <unistd.h>
#include "bundle/hull-bundle.h"
#include "hull-scan-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *dir = g_dir_make_tmp("hull-fuzz-bundle-XXXXXX", NULL);
	if (dir == NULL)
		return 0;
	g_autofree gchar *fn = g_build_filename(dir, "in.hsb", NULL);
	g_autofree gchar *dest = g_build_filename(dir, "out", NULL);
	if (g_file_set_contents(fn, (const gchar *)data, (gssize)size, NULL)) {
		HullBundlePolicy policy = {0};
		HullBundleInfo *info = hull_bundle_verify(fn, &policy, NULL);
		hull_bundle_info_free(info);
		info = hull_bundle_extract(fn, &policy, dest, NULL);
		hull_bundle_info_free(info);
	}
	hull_remove_tree(dir);
	return 0;
}
