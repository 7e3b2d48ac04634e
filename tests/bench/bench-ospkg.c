/* bench-ospkg.c: what the os-packages inventory costs. Generates a Debian-size dpkg status
 * file (5,000 stanzas with realistic descriptions and conffiles) and prints (1) the parse time
 * alone and (2) the time an in-process rootfs scan with the plugin takes with and without that
 * file, i.e. what the inventory adds to a scan. A benchmark, not a test: it prints figures. */
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>
#include "hull-scanner.h"
#include "hull-ospkg.h"

const HullPluginDescriptor *hull_plugin_get_descriptor(void);

static GString *
bench_status(guint n)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < n; i++) {
		g_string_append_printf(s,
			"Package: pkg%u\nStatus: install ok installed\nPriority: optional\nSection: libs\n"
			"Installed-Size: %u\nMaintainer: Someone <someone@example.org>\nArchitecture: amd64\n"
			"Multi-Arch: same\nSource: src%u (%u.%u-%u)\nVersion: %u.%u-%u+deb12u1\n"
			"Depends: libc6 (>= 2.34), libfoo%u (= %u.0)\n"
			"Conffiles:\n /etc/pkg%u/a.conf 0123456789abcdef0123456789abcdef\n"
			"Description: package number %u\n This is a long description line for the benchmark.\n"
			" .\n Another paragraph of the long description, as real packages have.\n\n",
			i, i * 3, i / 4, i % 7, i % 13, i % 5, i % 7, i % 13, i % 5, i, i, i, i);
	}
	return s;
}

/* CPU time of the process in ms: less disturbed than wall time on a shared machine. */
static double
bench_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double
bench_scan(const char *dir, guint rounds, guint *n_packages, double *best_cpu)
{
	double best = 1e9;
	*best_cpu = 1e9;
	for (guint r = 0; r < rounds; r++) {
		g_autoptr(GError) error = NULL;
		HullScanner *scanner = hull_scanner_new();
		if (!hull_scanner_add_descriptor(scanner, hull_plugin_get_descriptor(), "(bench)", &error)) {
			g_printerr("bench: %s\n", error->message);
			hull_scanner_free(scanner);
			return -1;
		}
		HullScanOptions o;
		hull_scan_options_init(&o);
		o.n_jobs = 1;
		o.open.type = HULL_TARGET_ROOTFS;
		double c0 = bench_cpu_ms();
		gint64 t0 = g_get_monotonic_time();
		HullReport *rep = hull_scanner_run(scanner, dir, &o, &error);
		gint64 t1 = g_get_monotonic_time();
		*best_cpu = MIN(*best_cpu, bench_cpu_ms() - c0);
		if (rep == NULL) {
			g_printerr("bench: %s\n", error->message);
			hull_scanner_free(scanner);
			return -1;
		}
		*n_packages = rep->packages->len;
		hull_report_free(rep);
		hull_scanner_free(scanner);
		best = MIN(best, (t1 - t0) / 1000.0);
	}
	return best;
}

int
main(int argc, char **argv)
{
	guint n = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 5000;
	g_autoptr(GString) status = bench_status(n);
	/* 1. Parser alone. */
	double best = 1e9;
	guint count = 0;
	for (guint r = 0; r < 10; r++) {
		g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
		gint64 t0 = g_get_monotonic_time();
		hull_ospkg_parse_dpkg("status", (const guint8 *)status->str, status->len, out, NULL, NULL);
		gint64 t1 = g_get_monotonic_time();
		count = out->len;
		best = MIN(best, (t1 - t0) / 1000.0);
	}
	g_print("dpkg status: %u stanzas, %.1f MiB, parsed %u packages in %.2f ms (best of 10)\n", n,
	        status->len / 1048576.0, count, best);

	/* 2. In-process scan with and without the status file. */
	g_autoptr(GError) error = NULL;
	g_autofree gchar *with = g_dir_make_tmp("bench-ospkg-XXXXXX", &error);
	g_autofree gchar *without = g_dir_make_tmp("bench-ospkg-XXXXXX", &error);
	const char *osr = "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";
	const char *dirs[] = { with, without };
	for (guint i = 0; i < 2; i++) {
		g_autofree gchar *etc = g_build_filename(dirs[i], "etc", NULL);
		g_autofree gchar *dpkg = g_build_filename(dirs[i], "var", "lib", "dpkg", NULL);
		g_mkdir_with_parents(etc, 0755);
		g_mkdir_with_parents(dpkg, 0755);
		g_autofree gchar *osfn = g_build_filename(etc, "os-release", NULL);
		g_file_set_contents(osfn, osr, -1, NULL);
	}
	g_autofree gchar *sfn = g_build_filename(with, "var", "lib", "dpkg", "status", NULL);
	g_file_set_contents(sfn, status->str, status->len, NULL);
	guint n_with = 0, n_without = 0;
	double c_with = 0, c_without = 0;
	double t_with = bench_scan(with, 5, &n_with, &c_with);
	double t_without = bench_scan(without, 5, &n_without, &c_without);
	g_print("rootfs scan with the status file: %.2f ms wall, %.2f ms CPU (%u packages); without: %.2f ms wall, "
	        "%.2f ms CPU (%u); the inventory adds %.2f ms wall, %.2f ms CPU (best of 5)\n", t_with, c_with,
	        n_with, t_without, c_without, n_without, t_with - t_without, c_with - c_without);
	g_unlink(sfn);
	for (guint i = 0; i < 2; i++) {
		g_autofree gchar *osfn = g_build_filename(dirs[i], "etc", "os-release", NULL);
		g_unlink(osfn);
		g_autofree gchar *etc = g_build_filename(dirs[i], "etc", NULL);
		g_rmdir(etc);
		g_autofree gchar *a = g_build_filename(dirs[i], "var", "lib", "dpkg", NULL);
		g_autofree gchar *b = g_build_filename(dirs[i], "var", "lib", NULL);
		g_autofree gchar *c = g_build_filename(dirs[i], "var", NULL);
		g_rmdir(a);
		g_rmdir(b);
		g_rmdir(c);
		g_rmdir(dirs[i]);
	}
	return 0;
}
