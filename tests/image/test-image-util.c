/* test-image-util.c: image generation and stream collection for the image tests. */
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "test-image-util.h"
#include "hull-scan-private.h"

char *
hull_test_tmpdir(void)
{
	g_autoptr(GError) error = NULL;
	char *d = g_dir_make_tmp("hull-image-XXXXXX", &error);
	g_assert_no_error(error);
	return d;
}

void
hull_test_rmdir(const char *dir)
{
	if (dir != NULL)
		hull_remove_tree(dir);
}

char *
hull_test_gen(const char *dir, const char *name, const char *format, const char *spec_json)
{
	const char *gen = g_getenv("HULL_GEN_IMAGE");
	g_autofree char *fallback = NULL;
	if (gen == NULL) {
		fallback = g_build_filename(g_getenv("HULL_SOURCE_ROOT") ? g_getenv("HULL_SOURCE_ROOT") : ".", "tests", "gen",
		                            "gen-image.py", NULL);
		gen = fallback;
	}
	g_autofree char *spec = g_build_filename(dir, "spec.json", NULL);
	g_assert_true(g_file_set_contents(spec, spec_json, -1, NULL));
	char *out = g_build_filename(dir, name, NULL);
	const char *argv[] = {"python3", gen, "build", spec, out, "--format", format, NULL};
	int status = 0;
	g_autofree char *err = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &err, &status, &error));
	g_assert_no_error(error);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		g_test_skip(err);
		g_free(out);
		return NULL;
	}
	if (!g_spawn_check_wait_status(status, NULL))
		g_test_message("gen-image.py failed: %s", err);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	return out;
}

typedef struct {
	GMutex lock;
	GHashTable *out;
	guint n_end_incomplete;
} HullCollect;

static gboolean
hull_collect_want(const HullFile *file, gpointer user_data, gpointer *file_data)
{
	*file_data = g_byte_array_new();
	return TRUE;
}

static gboolean
hull_collect_chunk(const HullFile *file, gpointer file_data, const guint8 *buf, gsize len, gpointer user_data)
{
	g_byte_array_append(file_data, buf, (guint)len);
	return TRUE;
}

static void
hull_collect_end(const HullFile *file, gpointer file_data, gboolean complete, gpointer user_data)
{
	HullCollect *c = user_data;
	g_mutex_lock(&c->lock);
	if (!complete)
		c->n_end_incomplete++;
	char *key = hull_file_get_deleted_in(file) >= 0 ? g_strconcat("deleted:", hull_file_get_path(file), NULL)
	                                                : g_strdup(hull_file_get_path(file));
	g_hash_table_replace(c->out, key, g_byte_array_free_to_bytes(file_data));
	g_mutex_unlock(&c->lock);
}

GHashTable *
hull_test_stream_all(HullFs *fs, guint n_threads, gboolean include_deleted, GError **error)
{
	HullCollect c = {0};
	g_mutex_init(&c.lock);
	c.out = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
	HullFsStreamFuncs funcs = {.want = hull_collect_want, .chunk = hull_collect_chunk, .end = hull_collect_end};
	gboolean ok = hull_fs_stream(fs, n_threads, include_deleted, &funcs, &c, error);
	g_mutex_clear(&c.lock);
	if (!ok) {
		g_hash_table_unref(c.out);
		return NULL;
	}
	g_assert_cmpuint(c.n_end_incomplete, ==, 0);
	return c.out;
}
