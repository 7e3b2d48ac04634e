/* hull-fuzz-replay.c: runs a libFuzzer harness over its seed corpus without libFuzzer, so
 * every seed (and every crash reproducer kept as a seed) is replayed by the normal suite,
 * under ASan in CI. Prints TAP: one case per seed file. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gint
hull_strptr_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

int
main(int argc, char **argv)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	for (int i = 1; i < argc; i++) {
		g_autoptr(GDir) dir = g_dir_open(argv[i], 0, NULL);
		if (dir == NULL) {
			g_ptr_array_add(files, g_strdup(argv[i]));
			continue;
		}
		const char *name;
		while ((name = g_dir_read_name(dir)) != NULL)
			g_ptr_array_add(files, g_build_filename(argv[i], name, NULL));
	}
	g_ptr_array_sort(files, hull_strptr_cmp);
	printf("1..%u\n", files->len);
	for (guint i = 0; i < files->len; i++) {
		const char *fn = g_ptr_array_index(files, i);
		g_autofree gchar *data = NULL;
		gsize len = 0;
		if (!g_file_get_contents(fn, &data, &len, NULL)) {
			printf("not ok %u - %s (unreadable)\n", i + 1, fn);
			continue;
		}
		/* A crash or sanitizer report ends the process: the TAP plan then fails the test. */
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		printf("ok %u - %s\n", i + 1, fn);
		fflush(stdout);
	}
	return 0;
}
