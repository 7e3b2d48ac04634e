/* test-image-util.h: helpers shared by the image tests: generating images with tests/gen/gen-image.py
 * into a temp dir, and collecting what hull_fs_stream delivers. */
#pragma once

#include <glib.h>
#include "hull-target.h"

/* Writes @spec_json as an image of @format ("docker-archive", "oci-dir", "oci-tar") into
 * @dir/@name; returns the path, or NULL after g_test_skip() when the generator cannot (zstd). */
char *hull_test_gen(const char *dir, const char *name, const char *format, const char *spec_json);
/* path -> GBytes of everything streamed (deleted files get a "deleted:" key prefix). */
GHashTable *hull_test_stream_all(HullFs *fs, guint n_threads, gboolean include_deleted, GError **error);
char *hull_test_tmpdir(void);
void hull_test_rmdir(const char *dir);
