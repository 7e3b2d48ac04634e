/* bench-secrets.c: times a secrets-only scan of a directory (as a rootfs) in-process, with N
 * walker threads, and prints wall time, bytes, findings and peak RSS as key=value lines that
 * tests/bench/bench-secrets.sh compares with ripgrep. A benchmark, not a test. */
#include <stdio.h>
#include <sys/resource.h>

#include "hull-scanner.h"
#include "hull-secrets-plugin.h"

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	HullScanOptions o;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [JOBS]\n", argv[0]);
		return 2;
	}
	hull_scan_options_init(&o);
	o.n_jobs = argc > 2 ? (guint)g_ascii_strtoull(argv[2], NULL, 10) : 0;
	o.include_deleted = TRUE;
	o.quiet = TRUE;
	if (!hull_target_type_from_string("rootfs", &o.open.type)) {
		fprintf(stderr, "no rootfs target type\n");
		return 3;
	}

	gint64 t0 = g_get_monotonic_time();
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	if (!hull_scanner_add_descriptor(scanner, hull_secrets_plugin_descriptor(), "bench", &error)) {
		fprintf(stderr, "init: %s\n", error->message);
		return 3;
	}
	gint64 t1 = g_get_monotonic_time();
	HullReport *report = hull_scanner_run(scanner, argv[1], &o, &error);
	gint64 t2 = g_get_monotonic_time();
	if (report == NULL) {
		fprintf(stderr, "scan: %s\n", error->message);
		return 3;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("init_s=%.3f\n", (t1 - t0) / 1e6);
	printf("scan_s=%.3f\n", (t2 - t1) / 1e6);
	printf("cpu_s=%.3f\n", ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	printf("findings=%u\n", report->findings->len);
	printf("peak_rss_kib=%ld\n", ru.ru_maxrss);
	if (g_getenv("BENCH_LIST") != NULL) {
		for (guint i = 0; i < report->findings->len; i++) {
			HullFinding *f = report->findings->pdata[i];
			printf("finding %s %s:%u %s\n", f->rule_id, f->path, f->line, f->evidence ? f->evidence : "");
		}
	}
	hull_report_free(report);
	return 0;
}
