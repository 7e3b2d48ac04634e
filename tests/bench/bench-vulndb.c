/* bench-vulndb.c: the vulnerability database's speed goals (issue 6): generate 200,000 OSV
 * advisories as an all.zip export in a temp dir, import it (goal: under 30 s and 200 MiB
 * peak RSS), then match 5,000 installed packages against it (goal: under 0.5 s). Prints the
 * figures; not a test. Usage: bench-vulndb [N_ADVISORIES] [N_PACKAGES] [KEEP_DB]: with KEEP_DB
 * the database is left there, and reused (matching only) when it already exists. */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "hull-vulndb.h"

static long
hull_bench_rss_kib(const char *field)
{
	g_autofree gchar *status = NULL;
	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return -1;
	const char *p = strstr(status, field);
	return p != NULL ? strtol(p + strlen(field) + 1, NULL, 10) : -1;
}

static void
hull_bench_write_zip(const char *path, guint n, guint n_pkgs)
{
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	/* deflated like the real exports, at the fastest level to keep generation short */
	archive_write_set_format_option(a, "zip", "compression-level", "1");
	if (archive_write_open_filename(a, path) != ARCHIVE_OK) {
		fprintf(stderr, "cannot write %s\n", path);
		return;
	}
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < n; i++) {
		guint pkg = i % n_pkgs;
		g_string_printf(s,
				"{\"schema_version\": \"1.6.0\", \"id\": \"BENCH-%06u\","
				" \"modified\": \"2024-%02u-%02uT00:00:00Z\", \"published\": \"2023-01-01T00:00:00Z\","
				" \"aliases\": [\"CVE-2024-%u\"], \"summary\": \"generated advisory %u for pkg-%u\","
				" \"details\": \"A generated record used to measure import and match speed.\","
				" \"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:%c/S:U/C:H/I:L/A:N\"}],"
				" \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"pkg-%u\","
				" \"purl\": \"pkg:deb/debian/pkg-%u?arch=source\"},"
				" \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"},"
				" {\"fixed\": \"1.%u-%u\"}]}], \"versions\": [\"1.0-1\", \"1.1-1\"]}],"
				" \"references\": [{\"type\": \"ADVISORY\", \"url\": \"https://security-tracker.debian.org/tracker/CVE-2024-%u\"}]}",
				i, 1 + i % 12, 1 + i % 28, 10000 + i, i, pkg, i % 2 ? 'N' : 'R', pkg, pkg, i / n_pkgs,
				1 + i % 3, 10000 + i);
		struct archive_entry *e = archive_entry_new();
		g_autofree gchar *name = g_strdup_printf("BENCH-%06u.json", i);
		archive_entry_set_pathname(e, name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)s->len);
		archive_write_header(a, e);
		archive_write_data(a, s->str, s->len);
		archive_entry_free(e);
	}
	g_string_free(s, TRUE);
	archive_write_close(a);
	archive_write_free(a);
}

static gboolean
hull_bench_import(const char *zip, const char *dbp, guint n, guint n_pkgs)
{
	g_autoptr(GError) error = NULL;
	GStatBuf st;
	g_autoptr(GTimer) t = g_timer_new();
	hull_bench_write_zip(zip, n, n_pkgs);
	g_stat(zip, &st);
	printf("generated %u advisories (%u packages) into %s: %.1f MiB in %.2f s\n", n, n_pkgs, zip,
	       (double)st.st_size / (1024.0 * 1024.0), g_timer_elapsed(t, NULL));
	long rss_before = hull_bench_rss_kib("VmRSS:");

	g_timer_start(t);
	HullVulnDb *db = hull_vulndb_open(dbp, FALSE, &error);
	if (db == NULL) {
		fprintf(stderr, "%s\n", error->message);
		return FALSE;
	}
	g_autoptr(HullVulnImportStats) stats = hull_vuln_import_stats_new();
	if (!hull_vulndb_import_path(db, zip, stats, &error)) {
		fprintf(stderr, "%s\n", error->message);
		hull_vulndb_close(db);
		return FALSE;
	}
	hull_vulndb_close(db);
	double import_s = g_timer_elapsed(t, NULL);
	long hwm = hull_bench_rss_kib("VmHWM:");
	g_stat(dbp, &st);
	printf("import: %u records (%u skipped) in %.2f s (%.0f records/s); peak RSS %.1f MiB"
	       " (%.1f MiB before import); database %.1f MiB  [goal < 30 s, < 200 MiB]\n",
	       stats->records, stats->skipped, import_s, stats->records / import_s, hwm / 1024.0,
	       rss_before / 1024.0, (double)st.st_size / (1024.0 * 1024.0));
	return TRUE;
}

int
main(int argc, char **argv)
{
	guint n = argc > 1 ? (guint)atoi(argv[1]) : 200000;
	guint n_match = argc > 2 ? (guint)atoi(argv[2]) : 5000;
	guint n_pkgs = MAX(n / 10, 1);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("hull-bench-vulndb-XXXXXX", &error);
	if (dir == NULL) {
		fprintf(stderr, "%s\n", error->message);
		return 1;
	}
	g_autofree gchar *zip = g_build_filename(dir, "all.zip", NULL);
	g_autofree gchar *dbp = g_build_filename(dir, "vuln.db", NULL);
	const char *keep = argc > 3 ? argv[3] : NULL;
	if (keep != NULL) {
		g_free(dbp);
		dbp = g_strdup(keep);
	}
	g_autoptr(GTimer) t = g_timer_new();
	if (keep == NULL || !g_file_test(keep, G_FILE_TEST_EXISTS)) {
		if (!hull_bench_import(zip, dbp, n, n_pkgs))
			return 1;
	}
	g_unlink(zip);
	g_timer_start(t);
	HullVulnDb *db = hull_vulndb_open(dbp, TRUE, &error);
	if (db == NULL) {
		fprintf(stderr, "%s\n", error->message);
		return 1;
	}
	GRand *rand = g_rand_new_with_seed(7);
	guint found = 0, with_fix = 0;
	g_timer_start(t);
	for (guint i = 0; i < n_match; i++) {
		char pkg[32], ver[32];
		g_snprintf(pkg, sizeof(pkg), "pkg-%u", (guint)g_rand_int_range(rand, 0, (gint32)(n_pkgs + n_pkgs / 4)));
		g_snprintf(ver, sizeof(ver), "1.%u-2", (guint)g_rand_int_range(rand, 0, 12));
		g_autoptr(GPtrArray) m = hull_vulndb_match(db, "Debian:12", pkg, ver, &error);
		if (m == NULL) {
			fprintf(stderr, "%s\n", error->message);
			return 1;
		}
		found += m->len;
		for (guint j = 0; j < m->len; j++)
			with_fix += ((HullVulnMatch *)m->pdata[j])->fixed_version != NULL;
	}
	double match_s = g_timer_elapsed(t, NULL);
	printf("match: %u packages in %.3f s (%.1f us/package), %u advisories matched (%u with a fix)"
	       "  [goal < 0.5 s]\n",
	       n_match, match_s, match_s * 1e6 / n_match, found, with_fix);
	g_rand_free(rand);
	hull_vulndb_close(db);
	if (keep == NULL)
		g_unlink(dbp);
	g_rmdir(dir);
	return 0;
}
