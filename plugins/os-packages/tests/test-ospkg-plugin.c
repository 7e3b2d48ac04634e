/* test-ospkg-plugin.c: the os-packages plugin through an in-process scan of rootfs trees:
 * package databases delivered by the walker, the "os" and "package" facts that reach the
 * report, end-of-life findings, hostile databases (notes, never a crash), and, when the
 * vulnerability DB is built, matching against a tiny OSV record set imported into a temp DB. */
#include <string.h>
#include <glib/gstdio.h>
#include "hull-test-util.h"
#include "hull-os-packages-plugin.h"
#ifdef HULL_OSPKG_HAVE_VULNDB
#include "hull-vulndb.h"
#endif

static const char *const debian12_os_release =
	"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
	"VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n";

static const char *const debian_status =
	"Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\n"
	"Version: 3.0.11-1~deb12u1\nDescription: ssl\n continuation\n\n"
	"Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.11-1~deb12u1\n\n"
	"Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib (1:1.2.13.dfsg-1)\n"
	"Version: 1:1.2.13.dfsg-1\n\n"
	"Package: removed\nStatus: deinstall ok config-files\nVersion: 1.0\n";

static const HullPluginDescriptor *
desc(void)
{
	return hull_plugin_get_descriptor();
}

static const HullFact *
find_package(HullReport *r, const char *name)
{
	for (guint i = 0; i < r->packages->len; i++) {
		const HullFact *f = g_ptr_array_index(r->packages, i);
		if (g_strcmp0(hull_fact_get(f, "name"), name) == 0)
			return f;
	}
	return NULL;
}

static const char *
finding_field(const HullFinding *f, const char *key, gboolean *present)
{
	*present = FALSE;
	for (guint i = 0; i < f->field_keys->len; i++) {
		if (g_strcmp0(g_ptr_array_index(f->field_keys, i), key) == 0) {
			*present = TRUE;
			return g_ptr_array_index(f->field_values, i);
		}
	}
	return NULL;
}

static void
copy_shared(const char *dir, const char *rel_dst, const char *shared_rel)
{
	g_autofree gchar *src = hull_test_shared_data(shared_rel);
	g_assert_nonnull(src);
	g_autofree gchar *data = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(src, &data, &len, NULL));
	g_autofree gchar *dst = g_build_filename(dir, rel_dst, NULL);
	g_autofree gchar *parent = g_path_get_dirname(dst);
	g_assert_cmpint(g_mkdir_with_parents(parent, 0755), ==, 0);
	g_assert_true(g_file_set_contents(dst, data, len, NULL));
}

static gboolean
have_shared(void)
{
	g_autofree gchar *p = hull_test_shared_data("packages");
	return p != NULL;
}

static void
test_debian_rootfs(void)
{
	g_autofree gchar *dir = hull_test_make_tree(
		"etc/os-release", debian12_os_release,
		"var/lib/dpkg/status", debian_status,
		"var/lib/dpkg/status.d/base", "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n",
		"var/lib/dpkg/status.d/base.md5sums", "0123456789abcdef  etc/issue\n",
		NULL);
	g_autoptr(HullReport) r = hull_test_scan(desc(), dir, "rootfs", "[os-packages]\neol-today=2026-11-28\n");
	g_assert_cmpstr(r->os_id, ==, "debian");
	g_assert_cmpstr(r->os_version, ==, "12");
	g_assert_cmpuint(r->packages->len, ==, 4);
	const HullFact *ssl = find_package(r, "libssl3");
	g_assert_nonnull(ssl);
	g_assert_cmpstr(hull_fact_get(ssl, "source"), ==, "openssl");
	g_assert_cmpstr(hull_fact_get(ssl, "source_version"), ==, "3.0.11-1~deb12u1");
	g_assert_cmpstr(hull_fact_get(ssl, "type"), ==, "deb");
	g_assert_cmpstr(hull_fact_get(ssl, "purl"), ==,
	                "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl");
	const HullFact *z = find_package(r, "zlib1g");
	g_assert_cmpstr(hull_fact_get(z, "source_version"), ==, "1:1.2.13.dfsg-1");
	g_assert_nonnull(find_package(r, "base-files"));
	g_assert_null(find_package(r, "removed"));
	/* Debian 12 is supported until 2028 (LTS). */
	g_assert_cmpuint(hull_test_count(r, "PKG-EOL"), ==, 0);
	hull_test_remove_tree(dir);
}

static void
test_eol(void)
{
	g_autofree gchar *dir = hull_test_make_tree(
		"etc/os-release", "ID=debian\nVERSION_ID=\"10\"\nPRETTY_NAME=\"Debian GNU/Linux 10 (buster)\"\n",
		"var/lib/dpkg/status", debian_status,
		NULL);
	g_autoptr(HullReport) r = hull_test_scan(desc(), dir, "rootfs", "[os-packages]\neol-today=2026-11-28\n");
	g_assert_cmpuint(hull_test_count(r, "PKG-EOL"), ==, 1);
	const HullFinding *f = hull_test_find(r, "PKG-EOL");
	g_assert_nonnull(strstr(f->message, "2024-06-30"));
	/* The day before the end of LTS: not yet. */
	g_autoptr(HullReport) r2 = hull_test_scan(desc(), dir, "rootfs", "[os-packages]\neol-today=2024-06-29\n");
	g_assert_cmpuint(hull_test_count(r2, "PKG-EOL"), ==, 0);
	hull_test_remove_tree(dir);
}

static void
test_alpine_rootfs(void)
{
	if (!have_shared())
		return;
	/* Newer apk-tools keep the database under /usr/lib/apk. */
	g_autofree gchar *dir = hull_test_make_tree("etc/alpine-release", "3.18.4\n", "usr/lib/apk/db/installed",
	                                            "P:extra\nV:1.0-r0\nA:x86_64\n", NULL);
	copy_shared(dir, "lib/apk/db/installed", "packages/apk/syft/multiple-1/lib/apk/db/installed");
	copy_shared(dir, "etc/os-release", "packages/os-release/alpine/testdata/3.18/etc/os-release");
	g_autoptr(HullReport) r = hull_test_scan(desc(), dir, "rootfs", "[os-packages]\neol-today=2026-01-01\n");
	g_assert_cmpstr(r->os_id, ==, "alpine");
	g_assert_cmpstr(r->os_version, ==, "3.18");
	g_assert_cmpuint(r->packages->len, ==, 5);
	g_assert_nonnull(find_package(r, "extra"));
	const HullFact *sh = find_package(r, "busybox-binsh");
	g_assert_cmpstr(hull_fact_get(sh, "source"), ==, "busybox");
	g_assert_cmpstr(hull_fact_get(sh, "purl"), ==,
	                "pkg:apk/alpine/busybox-binsh@1.36.1-r15?arch=x86_64&distro=alpine-3.18&upstream=busybox");
	/* 3.18 ended on 2025-05-09. */
	g_assert_cmpuint(hull_test_count(r, "PKG-EOL"), ==, 1);
	hull_test_remove_tree(dir);
}

static void
test_rpm_rootfs(void)
{
	if (!have_shared())
		return;
	g_autofree gchar *dir = hull_test_make_tree(
		"etc/os-release", "ID=\"rocky\"\nVERSION_ID=\"9.3\"\nPRETTY_NAME=\"Rocky Linux 9.3 (Blue Onyx)\"\n", NULL);
	copy_shared(dir, "var/lib/rpm/rpmdb.sqlite", "packages/rpmdb/cbl-mariner-2.0/rpmdb.sqlite");
	copy_shared(dir, "usr/lib/sysimage/rpm/Packages", "packages/rpmdb/libuuid/Packages");
	/* The same database under a second path (a migrated rpmdb): listed once. */
	copy_shared(dir, "var/lib/rpm/Packages", "packages/rpmdb/libuuid/Packages");
	copy_shared(dir, "usr/share/rpm/Packages.db", "packages/rpmdb/sle15-bci/Packages.db");
	g_autoptr(HullReport) r = hull_test_scan(desc(), dir, "rootfs", NULL);
	g_assert_cmpstr(r->os_id, ==, "rocky");
	/* 129 (sqlite) + 1 (BerkeleyDB) + 35 (NDB): three distributions, no duplicates. */
	g_assert_cmpuint(r->packages->len, ==, 165);
	const HullFact *u = find_package(r, "libuuid");
	g_assert_nonnull(u);
	g_assert_cmpstr(hull_fact_get(u, "version"), ==, "2.32.1-42.el8_8");
	g_assert_cmpstr(hull_fact_get(u, "source"), ==, "util-linux");
	g_assert_cmpstr(hull_fact_get(u, "purl"), ==,
	                "pkg:rpm/rocky/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=rocky-9.3&upstream=util-linux");
	g_assert_nonnull(find_package(r, "bash"));
	g_assert_null(find_package(r, "gpg-pubkey"));
	hull_test_remove_tree(dir);
}

static void
test_hostile_rootfs(void)
{
	g_autofree gchar *dir = hull_test_make_tree(
		"etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n",
		"var/lib/dpkg/status", "\x01\x02garbage without stanzas\n\xff\xfe\n",
		"lib/apk/db/installed", "not apk\n",
		"var/lib/rpm/Packages", "not a berkeley db",
		"var/lib/rpm/Packages.db", "RpmP\x01",
		"var/lib/rpm/rpmdb.sqlite", "SQLite format 3 but not really",
		"var/lib/rpm/rpmdb.sqlite-wal", "junk wal",
		NULL);
	/* A 1 MB field in a status.d file, and random bytes in another. */
	GString *big = g_string_new("Package: big\nVersion: 1\nDescription: ");
	for (guint i = 0; i < 1024 * 1024; i++)
		g_string_append_c(big, 'x');
	g_string_append_c(big, '\n');
	g_autofree gchar *bigfn = g_build_filename(dir, "var/lib/dpkg/status.d/big", NULL);
	g_autofree gchar *dd = g_path_get_dirname(bigfn);
	g_mkdir_with_parents(dd, 0755);
	g_assert_true(g_file_set_contents(bigfn, big->str, big->len, NULL));
	g_string_free(big, TRUE);
	guint8 rnd[4096];
	GRand *rand = g_rand_new_with_seed(7);
	for (guint i = 0; i < sizeof(rnd); i++)
		rnd[i] = g_rand_int(rand);
	g_rand_free(rand);
	g_autofree gchar *rfn = g_build_filename(dir, "var/lib/dpkg/status.d/random", NULL);
	g_assert_true(g_file_set_contents(rfn, (const char *)rnd, sizeof(rnd), NULL));
	g_autoptr(HullReport) r = hull_test_scan(desc(), dir, "rootfs", NULL);
	g_assert_cmpuint(r->packages->len, ==, 1);
	g_assert_nonnull(find_package(r, "big"));
	guint n_ours = 0;
	for (guint i = 0; i < r->notes->len; i++) {
		const char *n = g_ptr_array_index(r->notes, i);
		g_test_message("note: %s", n);
		if (strstr(n, "/var/lib/rpm/") != NULL || strstr(n, "/lib/apk/") != NULL || strstr(n, "dpkg") != NULL)
			n_ours++;
	}
	g_assert_cmpuint(n_ours, >=, 4);
	for (guint i = 0; i < r->plugins->len; i++) {
		const HullReportPlugin *p = g_ptr_array_index(r->plugins, i);
		g_assert_cmpstr(p->status, ==, "ok");
	}
	hull_test_remove_tree(dir);
}

/* An image: os-release reached through a symlink; the status file rewritten by layer 1, so
 * every package reports layer 1. */
static void
test_image_layers(void)
{
	const char *gen = g_getenv("HULL_GEN_IMAGE");
	if (gen == NULL || !g_file_test(gen, G_FILE_TEST_EXISTS)) {
		g_test_skip("HULL_GEN_IMAGE is not available: cannot build a test image");
		return;
	}
	const char *spec =
		"{\"layers\": [{\"created_by\": \"base\", \"entries\": ["
		"  {\"path\": \"usr/lib/os-release\", \"type\": \"file\", \"content\": \"ID=debian\\nVERSION_ID=\\\"12\\\"\\n\"},"
		"  {\"path\": \"etc/os-release\", \"type\": \"symlink\", \"target\": \"../usr/lib/os-release\"},"
		"  {\"path\": \"var/lib/dpkg/status\", \"type\": \"file\","
		"   \"content\": \"Package: base\\nStatus: install ok installed\\nVersion: 1\\n\"}]},"
		" {\"created_by\": \"RUN apt-get install curl\", \"entries\": ["
		"  {\"path\": \"var/lib/dpkg/status\", \"type\": \"file\","
		"   \"content\": \"Package: base\\nStatus: install ok installed\\nVersion: 1\\n\\n"
		"Package: curl\\nStatus: install ok installed\\nVersion: 7.88.1-10\\n\"}]}]}";
	g_autofree gchar *dir = hull_test_make_tree("spec.json", spec, NULL);
	g_autofree gchar *spec_fn = g_build_filename(dir, "spec.json", NULL);
	g_autofree gchar *out = g_build_filename(dir, "image.tar", NULL);
	g_autoptr(GError) error = NULL;
	const char *argv[] = { "python3", gen, "build", spec_fn, out, NULL };
	gint status = 0;
	g_assert_true(g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
	                           &error));
	g_assert_no_error(error);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	g_autoptr(HullReport) r = hull_test_scan(desc(), out, "image", NULL);
	g_assert_cmpstr(r->os_id, ==, "debian");
	g_assert_cmpuint(r->packages->len, ==, 2);
	for (guint i = 0; i < r->packages->len; i++)
		g_assert_cmpstr(hull_fact_get(g_ptr_array_index(r->packages, i), "layer"), ==, "1");
	hull_test_remove_tree(dir);
}

#ifdef HULL_OSPKG_HAVE_VULNDB
static const char *const osv_records =
	"[{\"id\": \"DSA-9999-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"aliases\": [\"CVE-2099-0001\"],"
	" \"summary\": \"openssl: test flaw\","
	" \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"openssl\"},"
	"   \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"3.0.11-1~deb12u2\"}]}]}]},"
	" {\"id\": \"DEBIAN-CVE-2099-0002\", \"modified\": \"2024-01-01T00:00:00Z\", \"aliases\": [\"CVE-2099-0002\"],"
	" \"summary\": \"openssl: unfixed flaw\","
	" \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"openssl\"},"
	"   \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}]}]}]},"
	" {\"id\": \"DSA-9999-2\", \"modified\": \"2024-01-01T00:00:00Z\","
	" \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"zlib\"},"
	"   \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1:1.2.13.dfsg-1\"}]}]}]},"
	" {\"id\": \"DSA-9999-3\", \"modified\": \"2024-01-01T00:00:00Z\","
	" \"affected\": [{\"package\": {\"ecosystem\": \"Debian:11\", \"name\": \"openssl\"},"
	"   \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"9\"}]}]}]}]";

static void
test_vuln_match(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmp = g_dir_make_tmp("hull-ospkg-db-XXXXXX", &error);
	g_assert_no_error(error);
	g_autofree gchar *dbfn = g_build_filename(tmp, "vuln.db", NULL);
	{
		g_autoptr(HullVulnDb) db = hull_vulndb_open(dbfn, FALSE, &error);
		g_assert_no_error(error);
		g_autoptr(HullVulnImportStats) stats = hull_vuln_import_stats_new();
		g_assert_true(hull_vulndb_import_json_data(db, osv_records, strlen(osv_records), "test", stats, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(stats->records, ==, 4);
	}
	g_autofree gchar *dir = hull_test_make_tree("etc/os-release", debian12_os_release, "var/lib/dpkg/status",
	                                            debian_status, NULL);
	g_autofree gchar *config = g_strdup_printf("[os-packages]\nvuln-db=%s\neol-today=2026-11-28\n", dbfn);
	g_autoptr(HullReport) r = hull_test_scan(desc(), dir, "rootfs", config);
	/* openssl source: libssl3 and openssl binaries, two advisories each; zlib fixed; the
	 * Debian 11 record does not apply. */
	g_assert_cmpuint(hull_test_count(r, "DSA-9999-1"), ==, 2);
	g_assert_cmpuint(hull_test_count(r, "DEBIAN-CVE-2099-0002"), ==, 2);
	g_assert_cmpuint(hull_test_count(r, "DSA-9999-2"), ==, 0);
	g_assert_cmpuint(hull_test_count(r, "DSA-9999-3"), ==, 0);
	const HullFinding *f = hull_test_find(r, "DSA-9999-1");
	gboolean present;
	g_assert_cmpstr(finding_field(f, "fixed_version", &present), ==, "3.0.11-1~deb12u2");
	g_assert_true(present);
	g_assert_cmpstr(finding_field(f, "installed_version", &present), ==, "3.0.11-1~deb12u1");
	const char *pkg = finding_field(f, "package", &present);
	g_assert_true(g_strcmp0(pkg, "openssl") == 0 || g_strcmp0(pkg, "libssl3") == 0);
	g_assert_cmpuint(f->aliases->len, >=, 1);
	g_assert_cmpstr(g_ptr_array_index(f->aliases, 0), ==, "CVE-2099-0001");
	g_assert_cmpstr(f->title, ==, "openssl: test flaw");
	const HullFinding *u = hull_test_find(r, "DEBIAN-CVE-2099-0002");
	g_assert_null(finding_field(u, "fixed_version", &present));
	g_assert_true(present);

	g_autofree gchar *config2 = g_strdup_printf("[os-packages]\nvuln-db=%s\nignore-unfixed=true\n", dbfn);
	g_autoptr(HullReport) r2 = hull_test_scan(desc(), dir, "rootfs", config2);
	g_assert_cmpuint(hull_test_count(r2, "DSA-9999-1"), ==, 2);
	g_assert_cmpuint(hull_test_count(r2, "DEBIAN-CVE-2099-0002"), ==, 0);
	hull_test_remove_tree(dir);
	hull_test_remove_tree(tmp);
}

/* Imports one shared vulndata file into a temp DB. (transfer full) its path, or NULL when the
 * shared data is absent (skipped). */
static gchar *
import_shared(const char *rel, gchar **tmpdir)
{
	g_autofree gchar *src = hull_test_shared_data(rel);
	if (src == NULL)
		return NULL;
	g_autoptr(GError) error = NULL;
	*tmpdir = g_dir_make_tmp("hull-ospkg-db-XXXXXX", &error);
	g_assert_no_error(error);
	gchar *dbfn = g_build_filename(*tmpdir, "vuln.db", NULL);
	g_autoptr(HullVulnDb) db = hull_vulndb_open(dbfn, FALSE, &error);
	g_assert_no_error(error);
	g_autoptr(HullVulnImportStats) stats = hull_vuln_import_stats_new();
	g_assert_true(hull_vulndb_import_path(db, src, stats, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(stats->records, >, 0);
	return dbfn;
}

static const HullFinding *
find_by_alias(HullReport *r, const char *alias, const char *package)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		gboolean present;
		if (g_strcmp0(finding_field(f, "package", &present), package) != 0)
			continue;
		if (g_strcmp0(f->rule_id, alias) == 0 || strstr(f->rule_id, alias) != NULL)
			return f;
		for (guint j = 0; j < f->aliases->len; j++) {
			if (g_strcmp0(g_ptr_array_index(f->aliases, j), alias) == 0)
				return f;
		}
	}
	return NULL;
}

/* Real Alpine secdb data: a binary package is matched through its origin. */
static void
test_vuln_alpine_secdb(void)
{
	g_autofree gchar *tmp = NULL;
	g_autofree gchar *dbfn = import_shared("vulndata/alpine-secdb/v3.10/community.json", &tmp);
	if (dbfn == NULL)
		return;
	g_autofree gchar *dir = hull_test_make_tree(
		"etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.10.9\nPRETTY_NAME=\"Alpine Linux v3.10\"\n",
		"lib/apk/db/installed",
		"P:botan-libs\nV:2.8.0-r0\nA:x86_64\no:botan\n\nP:botan\nV:2.9.0-r0\nA:x86_64\no:botan\n",
		NULL);
	g_autofree gchar *config = g_strdup_printf("[os-packages]\nvuln-db=%s\n", dbfn);
	g_autoptr(HullReport) r = hull_test_scan(desc(), dir, "rootfs", config);
	const HullFinding *f = find_by_alias(r, "CVE-2018-20187", "botan-libs");
	g_assert_nonnull(f);
	gboolean present;
	g_assert_cmpstr(finding_field(f, "fixed_version", &present), ==, "2.9.0-r0");
	g_assert_cmpstr(finding_field(f, "installed_version", &present), ==, "2.8.0-r0");
	/* Older fixes do not apply to 2.8.0, and botan 2.9.0-r0 carries the fix. */
	g_assert_null(find_by_alias(r, "CVE-2018-12435", "botan-libs"));
	g_assert_null(find_by_alias(r, "CVE-2018-20187", "botan"));
	hull_test_remove_tree(dir);
	hull_test_remove_tree(tmp);
}

/* Real Debian security tracker data: binaries matched through their source package. */
static void
test_vuln_debian_tracker(void)
{
	g_autofree gchar *tmp = NULL;
	g_autofree gchar *dbfn = import_shared("vulndata/debian-tracker/debian.json", &tmp);
	if (dbfn == NULL)
		return;
	g_autofree gchar *dir = hull_test_make_tree(
		"etc/os-release", "ID=debian\nVERSION_ID=\"9\"\nPRETTY_NAME=\"Debian GNU/Linux 9 (stretch)\"\n",
		"var/lib/dpkg/status",
		"Package: libjs-prototype\nStatus: install ok installed\nArchitecture: all\nSource: prototypejs\n"
		"Version: 1.6.0.1-1\n",
		NULL);
	g_autofree gchar *config = g_strdup_printf("[os-packages]\nvuln-db=%s\neol-today=2026-11-28\n", dbfn);
	g_autoptr(HullReport) r = hull_test_scan(desc(), dir, "rootfs", config);
	const HullFinding *f = find_by_alias(r, "CVE-2008-7220", "libjs-prototype");
	g_assert_nonnull(f);
	gboolean present;
	g_assert_cmpstr(finding_field(f, "fixed_version", &present), ==, "1.6.0.2-1");
	/* Debian 9 is past its LTS. */
	g_assert_cmpuint(hull_test_count(r, "PKG-EOL"), ==, 1);
	hull_test_remove_tree(dir);
	hull_test_remove_tree(tmp);
}
#endif

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/os-packages/plugin/debian-rootfs", test_debian_rootfs);
	g_test_add_func("/os-packages/plugin/eol", test_eol);
	g_test_add_func("/os-packages/plugin/alpine-rootfs", test_alpine_rootfs);
	g_test_add_func("/os-packages/plugin/rpm-rootfs", test_rpm_rootfs);
	g_test_add_func("/os-packages/plugin/hostile-rootfs", test_hostile_rootfs);
	g_test_add_func("/os-packages/plugin/image-layers", test_image_layers);
#ifdef HULL_OSPKG_HAVE_VULNDB
	g_test_add_func("/os-packages/plugin/vuln-match", test_vuln_match);
	g_test_add_func("/os-packages/plugin/vuln-alpine-secdb", test_vuln_alpine_secdb);
	g_test_add_func("/os-packages/plugin/vuln-debian-tracker", test_vuln_debian_tracker);
#endif
	return g_test_run();
}
