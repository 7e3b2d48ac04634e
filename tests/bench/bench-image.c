/* bench-image.c: times opening an image (indexing every layer, verifying digests) plus streaming
 * every byte of every file through hull_fs_stream, and prints the peak RSS. Used by
 * bench-image.sh next to GNU tar unpacking the same layers; a benchmark, not a test. */
#include <stdio.h>
#include <sys/resource.h>
#include "hull-target.h"

static gboolean
bench_want(const HullFile *file, gpointer user_data, gpointer *file_data)
{
	return TRUE;
}

static gboolean
bench_chunk(const HullFile *file, gpointer file_data, const guint8 *buf, gsize len, gpointer user_data)
{
	__atomic_add_fetch((guint64 *)user_data, len, __ATOMIC_RELAXED);
	return TRUE;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-image IMAGE [THREADS]\n");
		return 2;
	}
	guint threads = argc > 2 ? (guint)g_ascii_strtoull(argv[2], NULL, 10) : 2;
	gint64 t0 = g_get_monotonic_time();
	HullOpenOptions o = {.verify_digests = TRUE};
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = hull_target_open(argv[1], &o, &error);
	if (t == NULL) {
		fprintf(stderr, "bench-image: %s\n", error->message);
		return 2;
	}
	gint64 t1 = g_get_monotonic_time();
	guint64 bytes = 0;
	HullFsStreamFuncs funcs = {.want = bench_want, .chunk = bench_chunk};
	if (!hull_fs_stream(hull_target_get_fs(t), threads, FALSE, &funcs, &bytes, &error)) {
		fprintf(stderr, "bench-image: %s\n", error->message);
		return 2;
	}
	gint64 t2 = g_get_monotonic_time();
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("hullscan: %u entries, %" G_GUINT64_FORMAT " bytes streamed; index %.2f s + stream %.2f s = %.2f s; peak RSS %.1f MiB\n",
	       hull_fs_get_n_entries(hull_target_get_fs(t)), bytes, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t2 - t0) / 1e6,
	       ru.ru_maxrss / 1024.0);
	return 0;
}
