/* test-vulndb.c: the vulnerability database end to end through its API: importing the shared
 * OSV, Debian tracker and Alpine secdb samples, re-import updates, OSV range semantics,
 * withdrawn records, ecosystem fallback, severity, and hostile inputs (deep nesting, huge
 * strings, wrong types, corrupt databases, zip traversal and bombs). */
#include <archive.h>
#include <archive_entry.h>
#include <sqlite3.h>
#include <string.h>
#include <glib/gstdio.h>

#include "hull-vulndb.h"

typedef struct {
	gchar *dir;
	gchar *db_path;
	HullVulnDb *db;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	f->dir = g_dir_make_tmp("hull-vulndb-XXXXXX", &error);
	g_assert_no_error(error);
	f->db_path = g_build_filename(f->dir, "vuln.db", NULL);
	f->db = hull_vulndb_open(f->db_path, FALSE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->db);
}

static void
hull_rm_rf(const char *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
		const char *name;
		while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			hull_rm_rf(child);
		}
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	hull_vulndb_close(f->db);
	hull_rm_rf(f->dir);
	g_free(f->dir);
	g_free(f->db_path);
}

static gchar *
write_file(Fixture *f, const char *name, const char *text, gssize len)
{
	gchar *path = g_build_filename(f->dir, name, NULL);
	g_autofree gchar *parent = g_path_get_dirname(path);
	g_mkdir_with_parents(parent, 0700);
	g_assert_true(g_file_set_contents(path, text, len, NULL));
	return path;
}

static HullVulnImportStats *
import_text(Fixture *f, const char *name, const char *json)
{
	g_autofree gchar *path = write_file(f, name, json, -1);
	HullVulnImportStats *stats = hull_vuln_import_stats_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_vulndb_import_path(f->db, path, stats, &error));
	g_assert_no_error(error);
	return stats;
}

/* A JSON file that gives nothing usable: an error naming it, and a skip with a note. */
static HullVulnImportStats *
import_bad(Fixture *f, const char *name, const char *json, gssize len)
{
	g_autofree gchar *path = write_file(f, name, json, len);
	HullVulnImportStats *stats = hull_vuln_import_stats_new();
	g_autoptr(GError) error = NULL;
	g_assert_false(hull_vulndb_import_path(f->db, path, stats, &error));
	g_assert_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, name));
	g_assert_cmpuint(stats->records, ==, 0);
	g_assert_cmpuint(stats->skipped, ==, 1);
	g_assert_cmpuint(stats->notes->len, ==, 1);
	return stats;
}

static GPtrArray *
match(Fixture *f, const char *eco, const char *pkg, const char *ver)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *m = hull_vulndb_match(f->db, eco, pkg, ver, &error);
	g_assert_no_error(error);
	g_assert_nonnull(m);
	return m;
}

static HullVulnMatch *
find_id(GPtrArray *matches, const char *id)
{
	for (guint i = 0; i < matches->len; i++) {
		HullVulnMatch *m = matches->pdata[i];
		if (g_str_equal(m->id, id))
			return m;
	}
	return NULL;
}

static gboolean
has_string(GPtrArray *arr, const char *s)
{
	for (guint i = 0; i < arr->len; i++) {
		if (g_str_equal(arr->pdata[i], s))
			return TRUE;
	}
	return FALSE;
}

static gboolean
notes_contain(HullVulnImportStats *stats, const char *needle)
{
	for (guint i = 0; i < stats->notes->len; i++) {
		if (strstr(stats->notes->pdata[i], needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

static const char *
shared_vulndata(void)
{
	static gchar *path = NULL;
	const char *shared = g_getenv("HULL_SHARED_DATA");
	if (shared == NULL)
		return NULL;
	if (path == NULL)
		path = g_build_filename(shared, "vulndata", NULL);
	return g_file_test(path, G_FILE_TEST_IS_DIR) ? path : NULL;
}

/* ---- shared samples ---- */

static void
test_import_samples(Fixture *f, gconstpointer data)
{
	const char *vd = shared_vulndata();
	if (vd == NULL) {
		g_test_skip("HULL_SHARED_DATA/vulndata not available");
		return;
	}
	g_autoptr(HullVulnImportStats) stats = hull_vuln_import_stats_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_vulndb_import_path(f->db, vd, stats, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(stats->files, ==, 4);
	g_assert_cmpuint(stats->records, >, 10);

	/* Alpine secdb: botan fixed in 2.9.0-r0 for CVE-2018-20187 (v3.10 community) */
	g_autoptr(GPtrArray) a = match(f, "Alpine:v3.10", "botan", "2.8.0-r0");
	g_assert_cmpuint(a->len, ==, 1);
	HullVulnMatch *m = a->pdata[0];
	g_assert_cmpstr(m->id, ==, "ALPINE-CVE-2018-20187");
	g_assert_cmpstr(m->fixed_version, ==, "2.9.0-r0");
	g_assert_true(has_string(m->aliases, "CVE-2018-20187"));
	g_autoptr(GPtrArray) a_old = match(f, "Alpine:v3.10", "botan", "2.4.0-r0");
	g_assert_cmpuint(a_old->len, ==, 4);
	g_autoptr(GPtrArray) a_new = match(f, "Alpine:v3.10", "botan", "2.9.0-r0");
	g_assert_cmpuint(a_new->len, ==, 0);
	g_autoptr(GPtrArray) a_other = match(f, "Alpine:v3.11", "botan", "2.8.0-r0");
	g_assert_cmpuint(a_other->len, ==, 0);

	/* Debian tracker: prototypejs CVE-2008-7220 fixed in 1.6.0.2-1, urgency high** */
	g_autoptr(GPtrArray) d = match(f, "Debian:9", "prototypejs", "1.6.0.1-1");
	m = find_id(d, "DEBIAN-CVE-2008-7220");
	g_assert_nonnull(m);
	g_assert_cmpstr(m->fixed_version, ==, "1.6.0.2-1");
	g_assert_cmpint(m->severity, ==, HULL_SEVERITY_HIGH);
	g_assert_nonnull(m->summary);
	/* fixed_version "0": never affected */
	g_assert_null(find_id(d, "DEBIAN-CVE-2007-2383"));
	g_autoptr(GPtrArray) d_fixed = match(f, "Debian:9", "prototypejs", "1.7.1-3");
	g_assert_null(find_id(d_fixed, "DEBIAN-CVE-2008-7220"));

	/* OSV Ubuntu record: introduced 0 and no fix -> affected, fixed_version NULL */
	g_autoptr(GPtrArray) u = match(f, "Ubuntu:Pro:14.04:LTS", "linux", "3.13.0-24.46");
	m = find_id(u, "UBUNTU-CVE-2025-38094");
	g_assert_nonnull(m);
	g_assert_null(m->fixed_version);
	g_assert_cmpint(m->severity, ==, HULL_SEVERITY_MEDIUM);
	g_assert_true(has_string(m->aliases, "CVE-2025-38094"));

	g_autoptr(HullVulnDbInfo) info = hull_vulndb_info(f->db, &error);
	g_assert_no_error(error);
	gboolean saw_alpine = FALSE, saw_ubuntu = FALSE;
	for (guint i = 0; i < info->ecosystems->len; i++) {
		HullVulnDbEcosystemCount *c = info->ecosystems->pdata[i];
		if (g_str_equal(c->ecosystem, "Alpine:v3.10")) {
			saw_alpine = TRUE;
			/* botan 4 + cfengine 1 + chicken 4 CVEs */
			g_assert_cmpuint(c->advisories, ==, 9);
		}
		saw_ubuntu = saw_ubuntu || g_str_equal(c->ecosystem, "Ubuntu:Pro:14.04:LTS");
	}
	g_assert_true(saw_alpine && saw_ubuntu);
	g_assert_cmpstr(info->newest_modified, ==, "2025-07-04T00:00:00Z");

	/* importing everything again changes no counts */
	guint64 before = info->advisories;
	g_autoptr(HullVulnImportStats) again = hull_vuln_import_stats_new();
	g_assert_true(hull_vulndb_import_path(f->db, vd, again, &error));
	g_autoptr(HullVulnDbInfo) info2 = hull_vulndb_info(f->db, &error);
	g_assert_cmpuint(info2->advisories, ==, before);
	g_assert_cmpuint(info2->ecosystems->len, ==, info->ecosystems->len);
	for (guint i = 0; i < info->ecosystems->len; i++) {
		HullVulnDbEcosystemCount *x = info->ecosystems->pdata[i], *y = info2->ecosystems->pdata[i];
		g_assert_cmpuint(x->packages, ==, y->packages);
	}
}

/* ---- OSV semantics ---- */

#define OSV_HEAD "{\"id\": \"%s\", \"modified\": \"%s\", \"summary\": \"%s\", "

static void
test_ranges(Fixture *f, gconstpointer data)
{
	g_autoptr(HullVulnImportStats) s = import_text(f, "r.json",
		"[{\"id\": \"TEST-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"aliases\": [\"CVE-B\", \"CVE-A\"],"
		" \"references\": [{\"url\": \"https://z.example\"}, {\"url\": \"https://a.example\"}], \"affected\": [{"
		"  \"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"foo\"},"
		"  \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": ["
		"     {\"introduced\": \"1.0-1\"}, {\"fixed\": \"1.5-1\"},"
		"     {\"introduced\": \"2.0-1\"}, {\"last_affected\": \"2.3-1\"}]}]}]},"
		" {\"id\": \"TEST-2\", \"affected\": [{"
		"  \"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"foo\"},"
		"  \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"fixed\": \"9.0\"}, {\"introduced\": \"0\"},"
		"     {\"limit\": \"3.0\"}]}]}]},"
		" {\"id\": \"TEST-3\", \"affected\": [{"
		"  \"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"foo\"},"
		"  \"versions\": [\"1.2.3-4\"]}]},"
		" {\"id\": \"TEST-4\", \"affected\": [{"
		"  \"package\": {\"ecosystem\": \"npm\", \"name\": \"foo\"},"
		"  \"ranges\": [{\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"1.0.0-rc.1\"}, {\"fixed\": \"1.10.0\"}]},"
		"             {\"type\": \"GIT\", \"repo\": \"x\", \"events\": [{\"introduced\": \"0\"}]}]}]},"
		" {\"id\": \"TEST-5\", \"affected\": [{"
		"  \"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"foo\"},"
		"  \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.3-1\"}]},"
		"             {\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.2-1\"}]}]}]}]");
	g_assert_cmpuint(s->records, ==, 5);
	g_assert_cmpuint(s->skipped, ==, 0);

	struct {
		const char *version;
		gboolean t1;
		const char *t1_fixed;
		gboolean t2, t3;
	} cases[] = {
		{"0.9-1", FALSE, NULL, TRUE, FALSE},  {"1.0-1", TRUE, "1.5-1", TRUE, FALSE},
		{"1.2.3-4", TRUE, "1.5-1", TRUE, TRUE}, {"1.5-1", FALSE, NULL, TRUE, FALSE},
		{"1.5~rc1-1", TRUE, "1.5-1", TRUE, FALSE}, {"2.1-1", TRUE, NULL, TRUE, FALSE},
		{"2.3-1", TRUE, NULL, TRUE, FALSE},   {"2.3-2", FALSE, NULL, TRUE, FALSE},
		{"3.0", FALSE, NULL, FALSE, FALSE},   {"1:0.1", FALSE, NULL, FALSE, FALSE},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) m = match(f, "Debian:12", "foo", cases[i].version);
		HullVulnMatch *t1 = find_id(m, "TEST-1");
		g_test_message("version %s", cases[i].version);
		g_assert_cmpint(t1 != NULL, ==, cases[i].t1);
		if (t1 != NULL)
			g_assert_cmpstr(t1->fixed_version, ==, cases[i].t1_fixed);
		g_assert_cmpint(find_id(m, "TEST-2") != NULL, ==, cases[i].t2);
		g_assert_cmpint(find_id(m, "TEST-3") != NULL, ==, cases[i].t3);
	}
	/* aliases sorted, references in record order */
	g_autoptr(GPtrArray) al = match(f, "Debian:12", "foo", "1.0-1");
	HullVulnMatch *t1 = find_id(al, "TEST-1");
	g_assert_cmpuint(t1->aliases->len, ==, 2);
	g_assert_cmpstr(t1->aliases->pdata[0], ==, "CVE-A");
	g_assert_cmpstr(t1->aliases->pdata[1], ==, "CVE-B");
	g_assert_cmpuint(t1->references->len, ==, 2);
	g_assert_cmpstr(t1->references->pdata[0], ==, "https://z.example");
	g_assert_cmpstr(t1->references->pdata[1], ==, "https://a.example");

	/* two ranges both affecting: the lowest fix is reported */
	g_autoptr(GPtrArray) two = match(f, "Debian:12", "foo", "1.1-1");
	g_assert_cmpstr(find_id(two, "TEST-5")->fixed_version, ==, "1.2-1");
	g_autoptr(GPtrArray) one = match(f, "Debian:12", "foo", "1.2-1");
	g_assert_cmpstr(find_id(one, "TEST-5")->fixed_version, ==, "1.3-1");

	g_autoptr(GPtrArray) n1 = match(f, "npm", "foo", "1.9.0");
	g_assert_nonnull(find_id(n1, "TEST-4"));
	g_autoptr(GPtrArray) n2 = match(f, "npm", "foo", "1.0.0-beta");
	g_assert_null(find_id(n2, "TEST-4"));
	g_autoptr(GPtrArray) n3 = match(f, "npm", "foo", "1.10.0");
	g_assert_null(find_id(n3, "TEST-4"));
	/* a different package or ecosystem never matches */
	g_autoptr(GPtrArray) o1 = match(f, "Debian:11", "foo", "1.0-1");
	g_assert_cmpuint(o1->len, ==, 0);
	g_autoptr(GPtrArray) o2 = match(f, "Debian:12", "foo2", "1.0-1");
	g_assert_cmpuint(o2->len, ==, 0);
}

static void
test_ecosystem_fallback(Fixture *f, gconstpointer data)
{
	const char *tmpl = "{\"id\": \"%s\", \"affected\": [{\"package\": {\"ecosystem\": \"%s\", \"name\": \"bar\"},"
			   " \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}]}]}]}";
	const char *ecos[][2] = {
		{"E-LTS", "Ubuntu:22.04:LTS"}, {"E-BARE", "Debian"}, {"E-D11", "Debian:11"},
		{"E-D120", "Debian:120"},     {"E-RH", "Red Hat:enterprise_linux:9::appstream"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(ecos); i++) {
		g_autofree gchar *json = g_strdup_printf(tmpl, ecos[i][0], ecos[i][1]);
		g_autofree gchar *name = g_strdup_printf("e%zu.json", i);
		g_autoptr(HullVulnImportStats) s = import_text(f, name, json);
		g_assert_cmpuint(s->records, ==, 1);
	}
	g_autoptr(GPtrArray) u = match(f, "Ubuntu:22.04", "bar", "1.0");
	g_assert_cmpuint(u->len, ==, 1);
	g_assert_nonnull(find_id(u, "E-LTS"));
	g_assert_cmpstr(((HullVulnMatch *)u->pdata[0])->ecosystem, ==, "Ubuntu:22.04:LTS");
	g_autoptr(GPtrArray) u2 = match(f, "Ubuntu:22.04:LTS", "bar", "1.0");
	g_assert_cmpuint(u2->len, ==, 1);
	g_autoptr(GPtrArray) d = match(f, "Debian:12", "bar", "1.0");
	g_assert_cmpuint(d->len, ==, 1);
	g_assert_nonnull(find_id(d, "E-BARE"));
	g_autoptr(GPtrArray) rh = match(f, "Red Hat", "bar", "1.0-1.el9");
	g_assert_cmpuint(rh->len, ==, 1);
	g_assert_nonnull(find_id(rh, "E-RH"));
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_vulndb_has_ecosystem(f->db, "Debian:11", &error));
	g_assert_true(hull_vulndb_has_ecosystem(f->db, "Ubuntu:22.04", &error));
	g_assert_false(hull_vulndb_has_ecosystem(f->db, "Alpine:v3.19", &error));
	g_assert_no_error(error);
}

static void
test_withdrawn_and_update(Fixture *f, gconstpointer data)
{
	const char *v1 = "{\"id\": \"W-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"summary\": \"first\","
			 " \"aliases\": [\"CVE-2024-0001\"], \"references\": [{\"type\": \"WEB\", \"url\": \"https://a\"}],"
			 " \"affected\": [{\"package\": {\"ecosystem\": \"Alpine:v3.19\", \"name\": \"baz\"},"
			 " \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.5-r0\"}]}]}]}";
	const char *v2 = "{\"id\": \"W-1\", \"modified\": \"2024-02-01T00:00:00Z\", \"summary\": \"second\","
			 " \"aliases\": [\"CVE-2024-0002\"], \"references\": [{\"url\": \"https://b\"}],"
			 " \"affected\": [{\"package\": {\"ecosystem\": \"Alpine:v3.19\", \"name\": \"baz\"},"
			 " \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.6-r0\"}]}]}]}";
	const char *v3 = "{\"id\": \"W-1\", \"modified\": \"2024-03-01T00:00:00Z\", \"withdrawn\": \"2024-03-01T00:00:00Z\","
			 " \"affected\": [{\"package\": {\"ecosystem\": \"Alpine:v3.19\", \"name\": \"baz\"},"
			 " \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}]}]}]}";
	g_autoptr(HullVulnImportStats) s1 = import_text(f, "w.json", v1);
	g_autoptr(GPtrArray) m1 = match(f, "Alpine:v3.19", "baz", "1.5_rc1-r0");
	g_assert_cmpuint(m1->len, ==, 1);
	HullVulnMatch *m = m1->pdata[0];
	g_assert_cmpstr(m->fixed_version, ==, "1.5-r0");
	g_assert_cmpstr(m->summary, ==, "first");
	g_assert_true(has_string(m->aliases, "CVE-2024-0001"));
	g_assert_true(has_string(m->references, "https://a"));

	g_autoptr(HullVulnImportStats) s2 = import_text(f, "w.json", v2);
	g_autoptr(GPtrArray) m2 = match(f, "Alpine:v3.19", "baz", "1.5-r0");
	g_assert_cmpuint(m2->len, ==, 1);
	m = m2->pdata[0];
	g_assert_cmpstr(m->fixed_version, ==, "1.6-r0");
	g_assert_cmpstr(m->summary, ==, "second");
	g_assert_false(has_string(m->aliases, "CVE-2024-0001"));
	g_assert_true(has_string(m->aliases, "CVE-2024-0002"));
	g_assert_cmpuint(m->references->len, ==, 1);
	g_autoptr(GError) error = NULL;
	g_autoptr(HullVulnDbInfo) info = hull_vulndb_info(f->db, &error);
	g_assert_cmpuint(info->advisories, ==, 1);
	g_assert_cmpuint(info->ecosystems->len, ==, 1);
	g_assert_cmpuint(((HullVulnDbEcosystemCount *)info->ecosystems->pdata[0])->packages, ==, 1);
	g_assert_cmpstr(info->newest_modified, ==, "2024-02-01T00:00:00Z");

	g_autoptr(HullVulnImportStats) s3 = import_text(f, "w.json", v3);
	g_autoptr(GPtrArray) m3 = match(f, "Alpine:v3.19", "baz", "1.0-r0");
	g_assert_cmpuint(m3->len, ==, 0);
	g_autoptr(HullVulnDbInfo) info3 = hull_vulndb_info(f->db, &error);
	g_assert_cmpuint(info3->withdrawn, ==, 1);
}

static void
test_severity(Fixture *f, gconstpointer data)
{
	g_autoptr(HullVulnImportStats) s = import_text(f, "s.json",
		"[{\"id\": \"S-CRIT\", \"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
		"  \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"s\"}, \"versions\": [\"1\"]}]},"
		" {\"id\": \"S-CHANGED\", \"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N\"}],"
		"  \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"s\"}, \"versions\": [\"1\"]}]},"
		" {\"id\": \"S-V2\", \"severity\": [{\"type\": \"CVSS_V2\", \"score\": \"AV:N/AC:L/Au:N/C:P/I:P/A:P\"}],"
		"  \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"s\"}, \"versions\": [\"1\"]}]},"
		" {\"id\": \"S-GHSA\", \"database_specific\": {\"severity\": \"MODERATE\"},"
		"  \"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
		"  \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"s\"}, \"versions\": [\"1\"]}]},"
		" {\"id\": \"S-ECO\", \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"s\"},"
		"  \"ecosystem_specific\": {\"severity\": \"low\"}, \"versions\": [\"1\"]}]},"
		" {\"id\": \"S-NONE\", \"severity\": [{\"type\": \"CVSS_V4\", \"score\": \"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"}],"
		"  \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"s\"}, \"versions\": [\"1\"]}]}]");
	g_assert_cmpuint(s->records, ==, 6);
	g_autoptr(GPtrArray) m = match(f, "Debian:12", "s", "1");
	g_assert_cmpuint(m->len, ==, 6);
	HullVulnMatch *x = find_id(m, "S-CRIT");
	g_assert_cmpint(x->severity, ==, HULL_SEVERITY_CRITICAL);
	g_assert_cmpfloat_with_epsilon(x->cvss_score, 9.8, 0.001);
	x = find_id(m, "S-CHANGED");
	g_assert_cmpfloat_with_epsilon(x->cvss_score, 5.4, 0.001);
	g_assert_cmpint(x->severity, ==, HULL_SEVERITY_MEDIUM);
	x = find_id(m, "S-V2");
	g_assert_cmpfloat_with_epsilon(x->cvss_score, 7.5, 0.001);
	g_assert_cmpint(x->severity, ==, HULL_SEVERITY_HIGH);
	g_assert_cmpint(find_id(m, "S-GHSA")->severity, ==, HULL_SEVERITY_MEDIUM);
	g_assert_cmpint(find_id(m, "S-ECO")->severity, ==, HULL_SEVERITY_LOW);
	g_assert_cmpint(find_id(m, "S-NONE")->severity, ==, HULL_SEVERITY_UNKNOWN);
}

/* ---- hostile ---- */

static void
test_hostile_json(Fixture *f, gconstpointer data)
{
	/* 10,000 deep */
	GString *deep = g_string_new(NULL);
	for (int i = 0; i < 10000; i++)
		g_string_append(deep, "{\"a\":");
	g_string_append(deep, "1");
	for (int i = 0; i < 10000; i++)
		g_string_append_c(deep, '}');
	g_autoptr(HullVulnImportStats) s1 = import_bad(f, "deep.json", deep->str, -1);
	g_string_free(deep, TRUE);
	g_assert_true(notes_contain(s1, "nested deeper"));

	/* brackets inside strings do not count */
	g_autoptr(HullVulnImportStats) s1b = import_text(f, "strbr.json",
		"{\"id\": \"BR-1\", \"summary\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"\","
		" \"affected\": []}");
	g_assert_cmpuint(s1b->records, ==, 1);

	/* a 2 MiB summary */
	GString *huge = g_string_new("{\"id\": \"HUGE-1\", \"summary\": \"");
	for (int i = 0; i < 2 * 1024 * 1024; i++)
		g_string_append_c(huge, 'x');
	g_string_append(huge, "\"}");
	g_autoptr(HullVulnImportStats) s2 = import_bad(f, "huge.json", huge->str, -1);
	g_string_free(huge, TRUE);
	g_assert_true(notes_contain(s2, "HUGE-1"));

	/* a 10 KiB package name */
	GString *longname = g_string_new("{\"id\": \"LONG-1\", \"affected\": [{\"package\": {\"ecosystem\": \"npm\", \"name\": \"");
	for (int i = 0; i < 10240; i++)
		g_string_append_c(longname, 'n');
	g_string_append(longname, "\"}}]}");
	g_autoptr(HullVulnImportStats) s3 = import_bad(f, "long.json", longname->str, -1);
	g_string_free(longname, TRUE);

	/* control characters in an alias */
	g_autoptr(HullVulnImportStats) sc = import_bad(f, "ctl.json", "{\"id\": \"CC-1\", \"aliases\": [\"CVE-1\\u001e2\"]}", -1);

	/* wrong types everywhere: still imported where an id exists, no crash */
	g_autoptr(HullVulnImportStats) s4 = import_text(f, "types.json",
		"[5, \"x\", null, {\"id\": 5}, {\"id\": \"\"}, {\"id\": []},"
		" {\"id\": \"T-1\", \"aliases\": \"CVE\", \"summary\": 7, \"modified\": {}, \"withdrawn\": 3,"
		"  \"severity\": [1, {\"type\": 2}, {\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:X\"}],"
		"  \"references\": [1, {\"url\": 2}, {\"url\": \"https://ok\"}],"
		"  \"affected\": [1, \"a\", {\"package\": 5}, {\"package\": {\"ecosystem\": 1, \"name\": \"x\"}},"
		"   {\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"wt\"}, \"versions\": [1, \"2\"],"
		"    \"ranges\": [1, {\"type\": 5}, {\"type\": \"ECOSYSTEM\", \"events\": [1, {\"introduced\": {}},"
		"      {\"fixed\": [\"1\"]}, {\"introduced\": \"0\"}, {\"fixed\": \"3\"}]}]}]}]");
	g_assert_cmpuint(s4->records, ==, 1);
	g_assert_cmpuint(s4->skipped, ==, 6);
	g_autoptr(GPtrArray) m = match(f, "Debian:12", "wt", "1");
	g_assert_cmpuint(m->len, ==, 1);
	g_assert_cmpstr(((HullVulnMatch *)m->pdata[0])->fixed_version, ==, "3");

	/* not JSON, invalid UTF-8, empty, NULs */
	g_autoptr(HullVulnImportStats) s5 = import_bad(f, "bad.json", "{\"id\": \"X\", ", -1);
	g_autoptr(HullVulnImportStats) s6 = import_bad(f, "utf8.json", "{\"id\": \"\xff\xfe\"}", -1);
	g_autoptr(HullVulnImportStats) s7 = import_bad(f, "empty.json", "", 0);
	g_autoptr(HullVulnImportStats) s8 = import_bad(f, "nul.json", "{\"id\": \"A\0B\"}", 14);
	/* the same documents inside a directory are skipped records, not errors */
	g_autofree gchar *sub = g_build_filename(f->dir, "sub", NULL);
	g_autofree gchar *sp = write_file(f, "sub/deep.json", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", -1);
	g_autofree gchar *sp2 = write_file(f, "sub/bad.json", "nope", -1);
	g_autoptr(HullVulnImportStats) sd = hull_vuln_import_stats_new();
	g_autoptr(GError) derr = NULL;
	g_assert_true(hull_vulndb_import_path(f->db, sub, sd, &derr));
	g_assert_no_error(derr);
	g_assert_cmpuint(sd->skipped, ==, 2);
	g_assert_cmpuint(sd->notes->len, ==, 2);

	/* tracker/secdb shaped documents with wrong types */
	g_autoptr(HullVulnImportStats) s9 = import_text(f, "tracker.json",
		"{\"pkg\": {\"CVE-1\": {\"releases\": {\"bookworm\": {\"status\": 5}, \"nosuch\": {},"
		" \"bullseye\": {\"status\": \"open\", \"urgency\": [1]}}}, \"CVE-2\": 3}, \"other\": 1}");
	g_assert_cmpuint(s9->records, ==, 1);
	g_autoptr(GPtrArray) open = match(f, "Debian:11", "pkg", "1.0-1");
	g_assert_cmpuint(open->len, ==, 1);
	g_assert_null(((HullVulnMatch *)open->pdata[0])->fixed_version);
	g_autoptr(HullVulnImportStats) s10 = import_text(f, "secdb.json",
		"{\"distroversion\": \"v3.1\", \"packages\": [1, {\"pkg\": {\"name\": \"n\", \"secfixes\": {\"1-r0\": [2, \"CVE-3 CVE-4\"],"
		" \"0\": [\"CVE-5\"], \"2-r0\": \"x\"}}}, {\"pkg\": 3}]}");
	g_assert_cmpuint(s10->records, ==, 2);
	g_assert_cmpuint(s10->skipped, ==, 2);
}

static void
test_hostile_big_file(Fixture *f, gconstpointer data)
{
	/* an OSV array over 64 MiB is skipped without parsing */
	gsize n = 65 * 1024 * 1024;
	g_autofree gchar *big = g_malloc(n);
	memset(big, ' ', n);
	big[0] = '[';
	big[n - 1] = ']';
	g_autofree gchar *path = write_file(f, "big.json", big, (gssize)n);
	g_autoptr(HullVulnImportStats) s = hull_vuln_import_stats_new();
	g_autoptr(GError) error = NULL;
	g_assert_false(hull_vulndb_import_path(f->db, path, s, &error));
	g_assert_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "big.json"));
	g_assert_cmpuint(s->skipped, ==, 1);
	g_assert_true(notes_contain(s, "MiB"));
}

static void
write_zip(const char *path, const char *const *names, const char *const *texts, gsize n, gsize bomb_size)
{
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	g_assert_cmpint(archive_write_open_filename(a, path), ==, ARCHIVE_OK);
	for (gsize i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		gsize len = texts[i] != NULL ? strlen(texts[i]) : bomb_size;
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)len);
		g_assert_cmpint(archive_write_header(a, e), ==, ARCHIVE_OK);
		if (texts[i] != NULL) {
			archive_write_data(a, texts[i], len);
		} else {
			g_autofree gchar *zeros = g_malloc0(1 << 20);
			for (gsize done = 0; done < len; done += 1 << 20)
				archive_write_data(a, zeros, MIN((gsize)1 << 20, len - done));
		}
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
}

static void
test_zip(Fixture *f, gconstpointer data)
{
	const char *rec = "{\"id\": \"Z-%d\", \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"z\"},"
			  " \"versions\": [\"1\"]}]}";
	g_autofree gchar *r1 = g_strdup_printf(rec, 1);
	g_autofree gchar *r2 = g_strdup_printf(rec, 2);
	g_autofree gchar *r3 = g_strdup_printf(rec, 3);
	g_autofree gchar *r4 = g_strdup_printf(rec, 4);
	const char *names[] = {"ok/Z-1.json", "../evil.json", "/abs.json", "a/../../b.json", "bomb.json",
			       "README.txt", "Z-4.json"};
	const char *texts[] = {r1, r2, r3, r4, NULL, "not json", r4};
	g_autofree gchar *zip = g_build_filename(f->dir, "all.zip", NULL);
	write_zip(zip, names, texts, G_N_ELEMENTS(names), 20 * 1024 * 1024);
	g_autoptr(HullVulnImportStats) s = hull_vuln_import_stats_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_vulndb_import_path(f->db, zip, s, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(s->records, ==, 2);
	g_assert_cmpuint(s->skipped, ==, 4); /* three unsafe names and the bomb */
	g_assert_true(notes_contain(s, "unsafe member name"));
	g_assert_true(notes_contain(s, "bomb.json"));
	g_autoptr(GPtrArray) m = match(f, "Debian:12", "z", "1");
	g_assert_cmpuint(m->len, ==, 2);
	g_assert_nonnull(find_id(m, "Z-1"));
	g_assert_nonnull(find_id(m, "Z-4"));

	/* a truncated zip: what can be read is imported, no crash */
	g_autofree gchar *bytes = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(zip, &bytes, &len, NULL));
	g_autofree gchar *cut = write_file(f, "cut.zip", bytes, (gssize)(len / 3));
	g_autoptr(HullVulnImportStats) s2 = hull_vuln_import_stats_new();
	(void)hull_vulndb_import_path(f->db, cut, s2, NULL);
	/* garbage with a zip name is an unusable input */
	g_autofree gchar *junk = write_file(f, "junk.zip", "this is not a zip", -1);
	g_autoptr(HullVulnImportStats) s3 = hull_vuln_import_stats_new();
	g_autoptr(GError) e3 = NULL;
	g_assert_false(hull_vulndb_import_path(f->db, junk, s3, &e3));
	g_assert_error(e3, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_INVALID);
	g_assert_nonnull(strstr(e3->message, "junk.zip"));
	/* a missing path */
	g_autoptr(GError) e4 = NULL;
	g_assert_false(hull_vulndb_import_path(f->db, "/nonexistent/x.json", s3, &e4));
	g_assert_error(e4, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_IO);
}

static void
test_corrupt_db(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("hull-vulndb-XXXXXX", &error);
	g_autofree gchar *p1 = g_build_filename(dir, "garbage.db", NULL);
	g_autofree gchar *p2 = g_build_filename(dir, "other.db", NULL);
	g_autofree gchar *p3 = g_build_filename(dir, "header.db", NULL);
	g_autofree gchar *p4 = g_build_filename(dir, "missing.db", NULL);
	g_assert_true(g_file_set_contents(p1, "this is not sqlite at all, just text\n", -1, NULL));
	sqlite3 *other = NULL;
	g_assert_cmpint(sqlite3_open(p2, &other), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", NULL, NULL, NULL), ==,
			SQLITE_OK);
	sqlite3_close(other);
	/* a real header then garbage pages */
	GString *hdr = g_string_new_len("SQLite format 3\0", 16);
	for (int i = 0; i < 8192; i++)
		g_string_append_c(hdr, (char)(i * 37 + 11));
	g_assert_true(g_file_set_contents(p3, hdr->str, (gssize)hdr->len, NULL));
	g_string_free(hdr, TRUE);
	const char *paths[] = {p1, p2, p3};
	for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
		for (int ro = 0; ro < 2; ro++) {
			g_autoptr(GError) e = NULL;
			g_autoptr(HullVulnDb) db = hull_vulndb_open(paths[i], ro, &e);
			g_assert_null(db);
			g_assert_nonnull(e);
			g_assert_true(e->domain == HULL_VULNDB_ERROR);
			g_assert_cmpint(e->code, !=, HULL_VULNDB_ERROR_FAILED);
			g_assert_nonnull(strstr(e->message, paths[i]));
		}
	}
	g_autoptr(GError) e4 = NULL;
	g_autoptr(HullVulnDb) db4 = hull_vulndb_open(p4, TRUE, &e4);
	g_assert_null(db4);
	g_assert_error(e4, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_IO);
	g_assert_false(g_file_test(p4, G_FILE_TEST_EXISTS));
	g_unlink(p1);
	g_unlink(p2);
	g_unlink(p3);
	g_rmdir(dir);
}

static void
test_readonly_reopen(Fixture *f, gconstpointer data)
{
	g_autoptr(HullVulnImportStats) s = import_text(f, "r.json",
		"{\"id\": \"RO-1\", \"modified\": \"2023-05-05T00:00:00Z\", \"affected\": [{\"package\":"
		" {\"ecosystem\": \"Rocky Linux:9\", \"name\": \"openssl\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\","
		" \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1:3.0.7-17.el9_2\"}]}]}]}");
	hull_vulndb_close(f->db);
	g_autoptr(GError) error = NULL;
	f->db = hull_vulndb_open(f->db_path, TRUE, &error);
	g_assert_no_error(error);
	g_autoptr(GPtrArray) m = match(f, "Rocky Linux:9", "openssl", "1:3.0.7-16.el9_2");
	g_assert_cmpuint(m->len, ==, 1);
	g_assert_cmpstr(((HullVulnMatch *)m->pdata[0])->fixed_version, ==, "1:3.0.7-17.el9_2");
	g_autoptr(GPtrArray) m2 = match(f, "Rocky Linux:9", "openssl", "1:3.0.7-17.el9_2");
	g_assert_cmpuint(m2->len, ==, 0);
	/* a read-only handle refuses imports */
	g_autoptr(HullVulnImportStats) s2 = hull_vuln_import_stats_new();
	g_autoptr(GError) e2 = NULL;
	g_assert_false(hull_vulndb_import_path(f->db, f->dir, s2, &e2));
	g_assert_nonnull(e2);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/vulndb/db/import-samples", test_import_samples);
	ADD("/vulndb/db/ranges", test_ranges);
	ADD("/vulndb/db/ecosystem-fallback", test_ecosystem_fallback);
	ADD("/vulndb/db/withdrawn-and-update", test_withdrawn_and_update);
	ADD("/vulndb/db/severity", test_severity);
	ADD("/vulndb/db/readonly-reopen", test_readonly_reopen);
	ADD("/vulndb/hostile/json", test_hostile_json);
	ADD("/vulndb/hostile/big-file", test_hostile_big_file);
	ADD("/vulndb/hostile/zip", test_zip);
	g_test_add_func("/vulndb/hostile/corrupt-db", test_corrupt_db);
	return g_test_run();
}
