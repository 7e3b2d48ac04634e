/* bench-report.c: how long each reporter takes on a large report, and how fast an ignore
 * list matches. Prints figures; not a test. Usage: bench-report [N_FINDINGS] */
#include <stdio.h>
#include "hull-filter.h"
#include "hull-report.h"

static const char *const formats[] = {"table", "json", "sarif", "junit", "cyclonedx"};

int
main(int argc, char **argv)
{
	guint n = argc > 1 ? (guint)g_ascii_strtoull(argv[1], NULL, 10) : 20000;
	g_autoptr(HullReport) r = hull_report_new();
	r->tool_version = g_strdup("0.1.0");
	r->input = g_strdup("bench.tar");
	r->target_type = g_strdup("image");
	r->os_id = g_strdup("debian");
	r->os_version = g_strdup("12");
	for (guint i = 0; i < n; i++) {
		HullFinding *f = hull_finding_new_raw(i % 2 ? "secrets" : "os-packages", NULL);
		g_free(f->rule_id);
		f->rule_id = g_strdup_printf("RULE-%04u", i % 500);
		f->severity = (HullSeverity)(i % 5);
		f->title = g_strdup("A finding title of ordinary length");
		f->message = g_strdup_printf("Finding %u: something was found in a file at a line", i);
		f->path = g_strdup_printf("/usr/share/app/%u/file-%u.conf", i % 97, i);
		f->line = i % 300 + 1;
		g_autofree gchar *pkg = g_strdup_printf("pkg%u", i % 3000);
		hull_finding_set_field(f, "package", pkg);
		hull_finding_compute_fingerprint(f);
		g_ptr_array_add(r->findings, f);
	}
	for (guint i = 0; i < 3000; i++) {
		HullFact *p = hull_fact_new("package");
		g_autofree gchar *name = g_strdup_printf("pkg%u", i);
		hull_fact_set(p, "name", name);
		hull_fact_set(p, "version", "1:2.3-4");
		hull_fact_set(p, "type", "deb");
		hull_fact_set(p, "arch", "amd64");
		g_ptr_array_add(r->packages, p);
	}
	hull_report_update_summary(r);
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_autoptr(GString) out = g_string_new(NULL);
		gint64 t0 = g_get_monotonic_time();
		hull_report_writer_lookup(formats[i])(r, out);
		gint64 t1 = g_get_monotonic_time();
		printf("%-10s %u findings, %u packages: %7.1f ms, %zu bytes\n", formats[i], n, r->packages->len,
		       (t1 - t0) / 1000.0, out->len);
	}
	GString *list = g_string_new("ignore:\n");
	for (guint i = 0; i < 500; i++)
		g_string_append_printf(list, "  - id: RULE-%04u\n    path: /usr/share/app/%u/*\n    expires: 2030-01-01\n",
		                       i * 7 % 1000, i % 200);
	g_autoptr(GError) error = NULL;
	gint64 t0 = g_get_monotonic_time();
	g_autoptr(HullIgnoreList) l = hull_ignore_list_parse("bench.yaml", list->str, list->len, &error);
	gint64 t1 = g_get_monotonic_time();
	g_string_free(list, TRUE);
	if (l == NULL) {
		fprintf(stderr, "bench-report: %s\n", error->message);
		return 1;
	}
	g_autoptr(GDate) today = g_date_new_dmy(1, G_DATE_JUNE, 2024);
	guint hits = 0;
	for (guint i = 0; i < r->findings->len; i++)
		hits += hull_ignore_list_matches(l, g_ptr_array_index(r->findings, i), today, NULL);
	gint64 t2 = g_get_monotonic_time();
	printf("ignore     500 entries: parse %.1f ms; %u findings matched in %.1f ms (%u suppressed)\n",
	       (t1 - t0) / 1000.0, r->findings->len, (t2 - t1) / 1000.0, hits);
	return 0;
}
