/* test-ospkg-parsers.c: unit tests of the os-packages parsers against the public fixtures in
 * ../shared/data/packages (dpkg and apk edge cases, three real RPM databases checked against
 * what real `rpm -qa` printed, os-release files of many releases), and against hostile input
 * made here: lying header blobs, BDB and NDB pointers out of bounds, corrupt SQLite, SQLite
 * databases built to make a reader work forever (a recursive view, views and virtual tables
 * named Packages, triggers, huge tables and schemas, a b-tree whose root points at one leaf
 * hundreds of times), 1 MB fields and random bytes, each of which must end quickly in an error
 * or a note, never a crash or a hang. */
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include "hull-ospkg.h"

typedef gboolean (*HullParseFunc)(const char *name, const guint8 *data, gsize len, GPtrArray *out,
                                  HullOspkgNotes *notes, GError **error);

static gchar *
shared_path(const char *rel)
{
	const char *root = g_getenv("HULL_SHARED_DATA");
	if (root == NULL) {
		g_test_skip("HULL_SHARED_DATA is not set: shared public data absent");
		return NULL;
	}
	gchar *fn = g_build_filename(root, "packages", rel, NULL);
	if (!g_file_test(fn, G_FILE_TEST_EXISTS)) {
		g_test_skip_printf("%s is absent", fn);
		g_free(fn);
		return NULL;
	}
	return fn;
}

/* Parses a shared fixture; returns the packages, or NULL when skipped. *ok receives the
 * parser's result and *n_notes the number of notes. */
static GPtrArray *
parse_fixture(HullParseFunc func, const char *rel, gboolean *ok, guint *n_notes)
{
	g_autofree gchar *fn = shared_path(rel);
	if (fn == NULL)
		return NULL;
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(fn, &data, &len, NULL));
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	*ok = func(rel, (const guint8 *)data, len, out, &notes, &error);
	g_assert_true(*ok == (error == NULL));
	*n_notes = notes.texts->len + notes.n_dropped;
	hull_ospkg_notes_clear(&notes);
	return out;
}

static const HullOsPkg *
find_pkg(GPtrArray *pkgs, const char *name)
{
	for (guint i = 0; i < pkgs->len; i++) {
		const HullOsPkg *p = g_ptr_array_index(pkgs, i);
		if (g_strcmp0(p->name, name) == 0)
			return p;
	}
	return NULL;
}

static void
test_dpkg_single(void)
{
	gboolean ok;
	guint n_notes;
	g_autoptr(GPtrArray) pkgs = parse_fixture(hull_ospkg_parse_dpkg, "dpkg/scalibr/single", &ok, &n_notes);
	if (pkgs == NULL)
		return;
	g_assert_true(ok);
	g_assert_cmpuint(pkgs->len, ==, 1);
	const HullOsPkg *p = g_ptr_array_index(pkgs, 0);
	g_assert_cmpstr(p->name, ==, "acl");
	g_assert_cmpstr(p->version, ==, "2.3.1-3");
	g_assert_cmpstr(p->arch, ==, "amd64");
	g_assert_cmpstr(p->source, ==, "acl");
	g_assert_cmpstr(p->source_version, ==, "2.3.1-3");
	g_assert_cmpstr(p->type, ==, "deb");
}

static void
test_dpkg_status_field(void)
{
	gboolean ok;
	guint n_notes;
	g_autoptr(GPtrArray) pkgs = parse_fixture(hull_ospkg_parse_dpkg, "dpkg/scalibr/statusfield", &ok, &n_notes);
	if (pkgs == NULL)
		return;
	g_assert_true(ok);
	/* Files on disk: installed, unpacked, half-installed, and no Status (distroless). */
	const char *present[] = { "wantinstall_installed", "wantdeinstall_installed", "wantinstall_unpacked",
	                          "wantpurge_installed", "wantinstall_halfinstalled", "wantnostatus" };
	g_assert_cmpuint(pkgs->len, ==, G_N_ELEMENTS(present));
	for (guint i = 0; i < G_N_ELEMENTS(present); i++)
		g_assert_nonnull(find_pkg(pkgs, present[i]));
	g_assert_null(find_pkg(pkgs, "wantdeinstall_configfiles"));
}

static void
test_dpkg_states_inline(void)
{
	const char *text =
		"Package: a\nStatus: install ok triggers-awaited\nVersion: 1\n\n"
		"Package: b\nStatus: install ok triggers-pending\nVersion: 1\n\n"
		"Package: c\nStatus: install ok half-configured\nVersion: 1\n\n"
		"Package: d\nStatus: purge ok not-installed\nVersion: 1\n\n"
		"Package: e\nStatus: install ok bogus-state\nVersion: 1\n\n"
		"Package: f\nStatus: install ok\nVersion: 1\n\n"
		"package: g\nversion: 2:1.0-1\nsource: gsrc (1.0-0.1)\r\n";
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_ospkg_parse_dpkg("inline", (const guint8 *)text, strlen(text), out, &notes, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(out->len, ==, 4);
	g_assert_nonnull(find_pkg(out, "a"));
	g_assert_nonnull(find_pkg(out, "b"));
	g_assert_nonnull(find_pkg(out, "c"));
	g_assert_null(find_pkg(out, "d"));
	const HullOsPkg *g = find_pkg(out, "g");
	g_assert_nonnull(g);
	g_assert_cmpstr(g->version, ==, "2:1.0-1");
	g_assert_cmpstr(g->source, ==, "gsrc");
	g_assert_cmpstr(g->source_version, ==, "1.0-0.1");
	/* e (unknown state) and f (two words) are reported. */
	g_assert_cmpuint(notes.texts->len, ==, 2);
	hull_ospkg_notes_clear(&notes);
}

static void
test_dpkg_edge_fixtures(void)
{
	struct {
		const char *rel;
		gboolean ok;
		guint n;
		gboolean notes;
	} cases[] = {
		{ "dpkg/scalibr/invalid", FALSE, 0, FALSE },
		{ "dpkg/scalibr/nopackage", TRUE, 2, TRUE },
		{ "dpkg/scalibr/noversion", TRUE, 2, TRUE },
		{ "dpkg/scalibr/trailingnewlines", TRUE, 1, FALSE },
		{ "dpkg/scalibr/valid", TRUE, 7, FALSE },
		{ "dpkg/scalibr/status.d/foo", TRUE, 1, FALSE },
		{ "dpkg/syft-status.d/multiple", TRUE, 2, TRUE },
		{ "dpkg/syft-status.d/corrupt", FALSE, 0, FALSE },
		{ "dpkg/syft-status.d/empty", TRUE, 0, TRUE },
		{ "dpkg/syft-status.d/deinstall", TRUE, 1, FALSE },
		{ "dpkg/syft-status.d/doc-examples", TRUE, 5, TRUE },
		{ "dpkg/syft-status.d/coreutils-relationships", TRUE, 9, FALSE },
		{ "dpkg/claircore/texlive.status", TRUE, 357, FALSE },
		{ "dpkg/claircore/vcpkg.status", TRUE, 15, TRUE },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gboolean ok;
		guint n_notes;
		g_autoptr(GPtrArray) pkgs = parse_fixture(hull_ospkg_parse_dpkg, cases[i].rel, &ok, &n_notes);
		if (pkgs == NULL)
			return;
		g_test_message("%s: ok=%d packages=%u notes=%u", cases[i].rel, ok, pkgs->len, n_notes);
		g_assert_cmpint(ok, ==, cases[i].ok);
		g_assert_cmpuint(pkgs->len, ==, cases[i].n);
		if (cases[i].notes)
			g_assert_cmpuint(n_notes, >, 0);
	}
}

static void
test_dpkg_source_fields(void)
{
	gboolean ok;
	guint n_notes;
	g_autoptr(GPtrArray) a = parse_fixture(hull_ospkg_parse_dpkg, "dpkg/scalibr/transitional_dummy", &ok, &n_notes);
	if (a == NULL)
		return;
	g_assert_cmpuint(a->len, ==, 1);
	const HullOsPkg *p = g_ptr_array_index(a, 0);
	g_assert_cmpstr(p->name, ==, "git-core");
	g_assert_cmpstr(p->version, ==, "1:2.14.2-1");
	g_assert_cmpstr(p->source, ==, "git");
	g_assert_cmpstr(p->source_version, ==, "1:2.14.2-1");
	g_autoptr(GPtrArray) t = parse_fixture(hull_ospkg_parse_dpkg, "dpkg/claircore/texlive.status", &ok, &n_notes);
	/* "Source: util-linux (2.31.1-0.4ubuntu3.6)": the source version differs from the binary's. */
	guint n_paren = 0;
	for (guint i = 0; i < t->len; i++) {
		const HullOsPkg *q = g_ptr_array_index(t, i);
		if (g_strcmp0(q->source, "util-linux") == 0) {
			g_assert_cmpstr(q->source_version, ==, "2.31.1-0.4ubuntu3.6");
			n_paren++;
		}
		g_assert_null(strchr(q->source, ' '));
	}
	g_assert_cmpuint(n_paren, >, 0);
}

static void
test_dpkg_hostile(void)
{
	/* A 1 MB Description, a 1 MB Package name and a 1 MB line without a colon. */
	GString *s = g_string_new("Package: big\nVersion: 1\nDescription: x\n ");
	for (guint i = 0; i < 1024 * 1024; i++)
		g_string_append_c(s, 'a' + (i % 26));
	g_string_append(s, "\n\nPackage: ");
	for (guint i = 0; i < 1024 * 1024; i++)
		g_string_append_c(s, 'b');
	g_string_append(s, "\nVersion: 1\n\n");
	for (guint i = 0; i < 1024 * 1024; i++)
		g_string_append_c(s, 'c');
	g_string_append(s, "\n\nPackage: ok\nVersion: 2\n");
	g_string_append_len(s, "\n\nPackage: nul\0x\nVersion: 1\n", 28);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_ospkg_parse_dpkg("hostile", (const guint8 *)s->str, s->len, out, &notes, &error));
	g_assert_cmpuint(out->len, ==, 2);
	g_assert_nonnull(find_pkg(out, "big"));
	g_assert_nonnull(find_pkg(out, "ok"));
	g_assert_cmpuint(notes.texts->len, >=, 2);
	hull_ospkg_notes_clear(&notes);
	g_string_free(s, TRUE);
}

static void
test_apk_fixtures(void)
{
	struct {
		const char *rel;
		gboolean ok;
		guint n;
	} cases[] = {
		{ "apk/scalibr/single", TRUE, 1 },
		{ "apk/scalibr/installed", TRUE, 15 },
		{ "apk/scalibr/invalid", FALSE, 0 },
		{ "apk/scalibr/no-origin", TRUE, 1 },
		{ "apk/scalibr/different-arch", TRUE, 1 },
		{ "apk/syft/corrupt/lib/apk/db/installed", TRUE, 1 },
		{ "apk/syft/glob-paths/lib/apk/db/installed", FALSE, 0 },
		{ "apk/syft/multiple-1/lib/apk/db/installed", TRUE, 4 },
		{ "apk/syft/multiple-2/lib/apk/db/installed", TRUE, 14 },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gboolean ok;
		guint n_notes;
		g_autoptr(GPtrArray) pkgs = parse_fixture(hull_ospkg_parse_apk, cases[i].rel, &ok, &n_notes);
		if (pkgs == NULL)
			return;
		g_test_message("%s: ok=%d packages=%u notes=%u", cases[i].rel, ok, pkgs->len, n_notes);
		g_assert_cmpint(ok, ==, cases[i].ok);
		g_assert_cmpuint(pkgs->len, ==, cases[i].n);
	}
	gboolean ok;
	guint n_notes;
	g_autoptr(GPtrArray) s = parse_fixture(hull_ospkg_parse_apk, "apk/scalibr/single", &ok, &n_notes);
	const HullOsPkg *p = g_ptr_array_index(s, 0);
	g_assert_cmpstr(p->name, ==, "alpine-baselayout-data");
	g_assert_cmpstr(p->version, ==, "3.4.3-r1");
	g_assert_cmpstr(p->arch, ==, "x86_64");
	g_assert_cmpstr(p->source, ==, "alpine-baselayout");
	g_assert_cmpstr(p->license, ==, "GPL-2.0-only");
	g_autoptr(GPtrArray) d = parse_fixture(hull_ospkg_parse_apk, "apk/scalibr/different-arch", &ok, &n_notes);
	g_assert_cmpstr(((HullOsPkg *)g_ptr_array_index(d, 0))->arch, ==, "noarch");
	g_autoptr(GPtrArray) o = parse_fixture(hull_ospkg_parse_apk, "apk/scalibr/no-origin", &ok, &n_notes);
	g_assert_cmpstr(((HullOsPkg *)g_ptr_array_index(o, 0))->source, ==, "pkgname");
	g_autoptr(GPtrArray) c = parse_fixture(hull_ospkg_parse_apk, "apk/syft/corrupt/lib/apk/db/installed", &ok,
	                                       &n_notes);
	g_assert_cmpuint(n_notes, >, 0);
	g_autoptr(GPtrArray) m = parse_fixture(hull_ospkg_parse_apk, "apk/syft/multiple-1/lib/apk/db/installed", &ok,
	                                       &n_notes);
	const HullOsPkg *bb = find_pkg(m, "busybox-binsh");
	g_assert_nonnull(bb);
	g_assert_cmpstr(bb->source, ==, "busybox");
	g_assert_cmpstr(bb->version, ==, "1.36.1-r15");
}

static void
test_apk_hostile(void)
{
	const char *text = "P:\nV:1\n\nV:2\nA:x\n\nP:ok\nV:1.0-r0\nP:dup\n\n\xff\xfe:bad\nP:\xff\xfe\nV:1\n";
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_ospkg_parse_apk("hostile", (const guint8 *)text, strlen(text), out, &notes, &error));
	g_assert_cmpuint(out->len, ==, 1);
	g_assert_cmpstr(((HullOsPkg *)g_ptr_array_index(out, 0))->name, ==, "ok");
	g_assert_cmpuint(notes.texts->len, >=, 3);
	hull_ospkg_notes_clear(&notes);
}

/* ---- RPM ---- */

typedef struct {
	gchar *line;
} HullRpmRow;

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* The packages as `rpm -qa --qf '%{NAME}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}'`
 * would print them, sorted. */
static GPtrArray *
rpm_rows(GPtrArray *pkgs)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < pkgs->len; i++) {
		const HullOsPkg *p = g_ptr_array_index(pkgs, i);
		g_ptr_array_add(rows, g_strdup_printf("%s\t%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s", p->name,
		                                      p->epoch < 0 ? 0 : p->epoch, p->rpm_version,
		                                      p->rpm_release != NULL ? p->rpm_release : "",
		                                      p->arch != NULL ? p->arch : "",
		                                      p->sourcerpm != NULL ? p->sourcerpm : ""));
	}
	g_ptr_array_sort(rows, cmp_str);
	return rows;
}

static GPtrArray *
expected_rows(const char *rel)
{
	g_autofree gchar *fn = shared_path(rel);
	if (fn == NULL)
		return NULL;
	g_autofree gchar *text = NULL;
	g_assert_true(g_file_get_contents(fn, &text, NULL, NULL));
	GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_strchomp(lines[i]);
		if (lines[i][0] == '\0' || lines[i][0] == '#')
			continue;
		g_ptr_array_add(rows, g_strdup(lines[i]));
	}
	g_ptr_array_sort(rows, cmp_str);
	return rows;
}

static void
assert_rows_equal(GPtrArray *got, GPtrArray *want)
{
	for (guint i = 0; i < MAX(got->len, want->len); i++) {
		const char *g = i < got->len ? g_ptr_array_index(got, i) : "(none)";
		const char *w = i < want->len ? g_ptr_array_index(want, i) : "(none)";
		g_assert_cmpstr(g, ==, w);
	}
}

/* The header of package "foo" version 2:1.2, as SQL (the blob of test_rpm_blob_lying). */
#define TINY_HEADER_SQL "X'0000000300000010000003e8000000060000000400000001000003e900000006000000080000000100" \
                        "0003eb00000004000000000000000100000002666f6f00312e320000000000'"

/* (transfer full) the bytes of a database SQLite itself builds from @sql, as an image would hold
 * them; NULL (with a test message) when this SQLite cannot run @sql. */
static GBytes *
make_sqlite(const char *sql)
{
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL), ==,
	                SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		g_test_message("this SQLite cannot build the database: %s", msg);
		sqlite3_free(msg);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_int64 size = 0;
	unsigned char *data = sqlite3_serialize(db, "main", &size, 0);
	sqlite3_close(db);
	g_assert_nonnull(data);
	return g_bytes_new_with_free_func(data, (gsize)size, sqlite3_free, data);
}

/* Parses @bytes as an rpmdb.sqlite within 2 seconds; a failure names the file and gives no
 * packages. Returns the parser's result; *n_pkgs receives the packages read. */
static gboolean
parse_sqlite_quickly(GBytes *bytes, guint *n_pkgs, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	gint64 start = g_get_monotonic_time();
	gboolean ok = hull_ospkg_parse_rpm_sqlite("/var/lib/rpm/rpmdb.sqlite", bytes, NULL, out, &notes, error);
	gint64 elapsed = g_get_monotonic_time() - start;
	g_assert_cmpint(elapsed, <, 2 * G_USEC_PER_SEC);
	g_assert_true(ok == (error == NULL || *error == NULL));
	if (!ok) {
		g_assert_cmpuint(out->len, ==, 0);
		if (error != NULL) {
			g_assert_nonnull(strstr((*error)->message, "/var/lib/rpm/rpmdb.sqlite: "));
			g_assert_null(strchr((*error)->message, '\n'));
			g_test_message("%s (%" G_GINT64_FORMAT " us)", (*error)->message, elapsed);
		}
	}
	g_assert_cmpuint(notes.texts->len, <=, HULL_OSPKG_MAX_NOTES);
	hull_ospkg_notes_clear(&notes);
	*n_pkgs = out->len;
	return ok;
}

static void
test_rpm_sqlite(void)
{
	g_autofree gchar *fn = shared_path("rpmdb/cbl-mariner-2.0/rpmdb.sqlite");
	if (fn == NULL)
		return;
	g_autoptr(GPtrArray) want = expected_rows("rpmdb/cbl-mariner-2.0/expected-rpm-qa.tsv");
	if (want == NULL)
		return;
	g_autoptr(GMappedFile) mf = g_mapped_file_new(fn, FALSE, NULL);
	g_assert_nonnull(mf);
	g_autoptr(GBytes) bytes = g_mapped_file_get_bytes(mf);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_ospkg_parse_rpm_sqlite("rpmdb.sqlite", bytes, NULL, out, &notes, &error));
	g_assert_no_error(error);
	g_autoptr(GPtrArray) got = rpm_rows(out);
	assert_rows_equal(got, want);
	g_assert_cmpuint(want->len, ==, 129);
	hull_ospkg_notes_clear(&notes);
}

static void
test_rpm_bdb(void)
{
	g_autofree gchar *fn = shared_path("rpmdb/libuuid/Packages");
	if (fn == NULL)
		return;
	g_autoptr(GPtrArray) want = expected_rows("rpmdb/libuuid/expected-rpm-qa.tsv");
	g_autofree gchar *data = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(fn, &data, &len, NULL));
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_ospkg_parse_rpm_bdb("Packages", (const guint8 *)data, len, out, &notes, &error));
	g_assert_no_error(error);
	g_autoptr(GPtrArray) got = rpm_rows(out);
	assert_rows_equal(got, want);
	hull_ospkg_notes_clear(&notes);
}

static void
test_rpm_ndb(void)
{
	g_autofree gchar *fn = shared_path("rpmdb/sle15-bci/Packages.db");
	if (fn == NULL)
		return;
	g_autofree gchar *data = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(fn, &data, &len, NULL));
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_ospkg_parse_rpm_ndb("Packages.db", (const guint8 *)data, len, out, &notes, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(notes.texts->len, ==, 0);
	/* No rpm -qa listing ships for this DB: check what the format itself tells us. Every
	 * used slot decodes, and every package has the fields rpm -qa prints. */
	guint used = 0;
	guint32 npages = (guint32)((guint8)data[12] | (guint8)data[13] << 8);
	for (gsize off = 32; off + 16 <= (gsize)npages * 4096; off += 16) {
		if (memcmp(data + off, "Slot", 4) == 0 && (data[off + 4] | data[off + 5] | data[off + 6] | data[off + 7]))
			used++;
	}
	g_autoptr(GPtrArray) rows = rpm_rows(out);
	for (guint i = 0; i < rows->len; i++)
		g_test_message("%s", (const char *)g_ptr_array_index(rows, i));
	/* Every used slot holds one package (no gpg-pubkey in this image): 35, as other readers
	 * of this same file report. */
	g_assert_cmpuint(used, ==, 35);
	g_assert_cmpuint(out->len, ==, used);
	const HullOsPkg *glibc = find_pkg(out, "glibc");
	g_assert_nonnull(glibc);
	g_assert_cmpstr(glibc->version, ==, "2.31-9.3.2");
	g_assert_cmpstr(glibc->arch, ==, "x86_64");
	g_assert_cmpstr(glibc->sourcerpm, ==, "glibc-2.31-9.3.2.src.rpm");
	for (guint i = 0; i < out->len; i++) {
		const HullOsPkg *p = g_ptr_array_index(out, i);
		g_assert_nonnull(p->rpm_release);
		g_assert_nonnull(p->arch);
		g_assert_false(hull_ospkg_rpm_is_pubkey(p));
		g_assert_true(p->arch == NULL || g_str_has_suffix(p->sourcerpm, ".src.rpm") ||
		              p->sourcerpm == NULL);
	}
	g_assert_nonnull(find_pkg(out, "bash"));
	hull_ospkg_notes_clear(&notes);
}

static void
test_rpm_blob(void)
{
	g_autofree gchar *fn = shared_path("rpmdb/blob.bin");
	if (fn == NULL)
		return;
	g_autofree gchar *data = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(fn, &data, &len, NULL));
	g_autoptr(GError) error = NULL;
	g_autoptr(HullOsPkg) p = hull_ospkg_rpm_header_decode((const guint8 *)data, len, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(p->name, ==, "publicsuffix-list-dafsa");
	g_assert_cmpstr(p->version, ==, "20210518-2.fc35");
	g_assert_cmpstr(p->arch, ==, "noarch");
	g_assert_cmpstr(p->license, ==, "MPLv2.0");
	g_assert_cmpstr(p->source, ==, "publicsuffix-list");
	g_assert_cmpstr(p->source_version, ==, "20210518-2.fc35");
	g_assert_cmpint(p->epoch, ==, -1);
	g_assert_false(hull_ospkg_rpm_is_pubkey(p));
	/* Every truncation fails cleanly. */
	for (gsize cut = 0; cut < len; cut += 7) {
		g_autoptr(GError) e = NULL;
		g_autoptr(HullOsPkg) q = hull_ospkg_rpm_header_decode((const guint8 *)data, cut, &e);
		g_assert_null(q);
		g_assert_nonnull(e);
	}
}

static void
put_be32(guint8 *p, guint32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void
test_rpm_blob_lying(void)
{
	/* Hand-built: name, version, epoch; then each field lies in turn. */
	guint8 b[8 + 3 * 16 + 16];
	memset(b, 0, sizeof(b));
	put_be32(b, 3);
	put_be32(b + 4, 16);
	guint8 *e = b + 8;
	put_be32(e, 1000); put_be32(e + 4, 6); put_be32(e + 8, 4); put_be32(e + 12, 1);
	put_be32(e + 16, 1001); put_be32(e + 20, 6); put_be32(e + 24, 8); put_be32(e + 28, 1);
	put_be32(e + 32, 1003); put_be32(e + 36, 4); put_be32(e + 40, 0); put_be32(e + 44, 1);
	guint8 *store = b + 8 + 48;
	put_be32(store, 2);
	memcpy(store + 4, "foo\0" "1.2\0", 8);
	g_autoptr(GError) error = NULL;
	g_autoptr(HullOsPkg) ok = hull_ospkg_rpm_header_decode(b, sizeof(b), &error);
	g_assert_no_error(error);
	g_assert_cmpstr(ok->version, ==, "2:1.2");

	guint8 c[sizeof(b)];
	/* Name offset beyond the store. */
	memcpy(c, b, sizeof(b));
	put_be32(c + 8 + 8, 0xfffffff0);
	g_autoptr(GError) e1 = NULL;
	g_assert_null(hull_ospkg_rpm_header_decode(c, sizeof(c), &e1));
	g_assert_nonnull(e1);
	/* Index count far beyond the blob. */
	memcpy(c, b, sizeof(b));
	put_be32(c, 0x7fffffff);
	g_autoptr(GError) e2 = NULL;
	g_assert_null(hull_ospkg_rpm_header_decode(c, sizeof(c), &e2));
	g_assert_nonnull(e2);
	/* Data length larger than the bytes present. */
	memcpy(c, b, sizeof(b));
	put_be32(c + 4, 17);
	g_autoptr(GError) e3 = NULL;
	g_assert_null(hull_ospkg_rpm_header_decode(c, sizeof(c), &e3));
	g_assert_nonnull(e3);
	/* Version string without a terminating NUL inside the store. */
	memcpy(c, b, sizeof(b));
	memset(c + sizeof(c) - 5, 'x', 5);
	g_autoptr(GError) e4 = NULL;
	g_assert_null(hull_ospkg_rpm_header_decode(c, sizeof(c), &e4));
	g_assert_nonnull(e4);
	/* Epoch offset at the very end of the store: ignored, not read past the end. */
	memcpy(c, b, sizeof(b));
	put_be32(c + 8 + 40, 14);
	g_autoptr(GError) e5 = NULL;
	g_autoptr(HullOsPkg) q = hull_ospkg_rpm_header_decode(c, sizeof(c), &e5);
	g_assert_nonnull(q);
	g_assert_cmpint(q->epoch, ==, -1);
	/* Wrong type for name: a string tag stored as INT32. */
	memcpy(c, b, sizeof(b));
	put_be32(c + 8 + 4, 4);
	g_autoptr(GError) e6 = NULL;
	g_assert_null(hull_ospkg_rpm_header_decode(c, sizeof(c), &e6));
	g_assert_nonnull(e6);
}

static void
test_rpm_bdb_hostile(void)
{
	g_autofree gchar *fn = shared_path("rpmdb/libuuid/Packages");
	if (fn == NULL)
		return;
	g_autofree gchar *orig = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(fn, &orig, &len, NULL));
	guint32 psize = (guint8)orig[20] | (guint8)orig[21] << 8 | (guint8)orig[22] << 16 | (guint8)orig[23] << 24;
	g_assert_cmpuint(psize, >=, 512);
	g_autofree guint8 *buf = g_malloc(len);
	GRand *rand = g_rand_new_with_seed(6);
	guint n_err = 0, n_notes_total = 0;
	/* Mutate page headers and item offsets across every page: pointers out of bounds,
	 * loops, lying lengths. */
	for (guint round = 0; round < 400; round++) {
		memcpy(buf, orig, len);
		guint page = g_rand_int_range(rand, 0, (gint)(len / psize));
		guint8 *pg = buf + (gsize)page * psize;
		guint what = g_rand_int_range(rand, 0, 5);
		if (what == 0)
			put_be32(pg + 16, g_rand_int(rand));        /* next page (any endianness) */
		else if (what == 1)
			pg[20 + g_rand_int_range(rand, 0, 4)] = g_rand_int(rand);   /* entries / hf_offset */
		else if (what == 2)
			pg[26 + g_rand_int_range(rand, 0, 16)] = g_rand_int(rand);  /* item offsets */
		else if (what == 3)
			pg[g_rand_int_range(rand, 0, (gint)psize)] = g_rand_int(rand);
		else
			memset(pg + 26, 0xff, 64);
		g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
		HullOspkgNotes notes;
		hull_ospkg_notes_init(&notes);
		g_autoptr(GError) error = NULL;
		if (!hull_ospkg_parse_rpm_bdb("Packages", buf, len, out, &notes, &error))
			n_err++;
		n_notes_total += notes.texts->len;
		g_assert_cmpuint(out->len, <=, 1);
		hull_ospkg_notes_clear(&notes);
	}
	g_rand_free(rand);
	g_test_message("bdb mutations: %u errors, %u notes", n_err, n_notes_total);
	g_assert_cmpuint(n_err + n_notes_total, >, 0);
	/* Truncations. */
	for (gsize cut = 0; cut < len; cut += psize / 2) {
		g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
		g_autoptr(GError) error = NULL;
		hull_ospkg_parse_rpm_bdb("Packages", (const guint8 *)orig, cut, out, NULL, &error);
	}
}

/* An overflow chain that loops onto itself ends in a note, not a hang. */
static void
test_rpm_bdb_loop(void)
{
	g_autofree gchar *fn = shared_path("rpmdb/libuuid/Packages");
	if (fn == NULL)
		return;
	g_autofree gchar *data = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(fn, &data, &len, NULL));
	guint8 *buf = (guint8 *)data;
	guint32 psize = buf[20] | buf[21] << 8 | buf[22] << 16 | (guint32)buf[23] << 24;
	guint32 first = 0;
	for (guint32 pg = 1; (gsize)(pg + 1) * psize <= len; pg++) {
		if (buf[(gsize)pg * psize + 25] == 7) {
			first = pg;
			break;
		}
	}
	g_assert_cmpuint(first, >, 0);
	guint8 *next = buf + (gsize)first * psize + 16;
	next[0] = first & 0xff;
	next[1] = (first >> 8) & 0xff;
	next[2] = (first >> 16) & 0xff;
	next[3] = first >> 24;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_ospkg_parse_rpm_bdb("Packages", buf, len, out, &notes, &error));
	g_assert_cmpuint(out->len, ==, 0);
	g_assert_cmpuint(notes.texts->len, ==, 1);
	const char *note = g_ptr_array_index(notes.texts, 0);
	g_assert_true(strstr(note, "loops") != NULL || strstr(note, "more than declared") != NULL);
	hull_ospkg_notes_clear(&notes);
}

static void
test_rpm_ndb_hostile(void)
{
	g_autofree gchar *fn = shared_path("rpmdb/sle15-bci/Packages.db");
	if (fn == NULL)
		return;
	g_autofree gchar *orig = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(fn, &orig, &len, NULL));
	g_autofree guint8 *buf = g_memdup2(orig, len);
	/* First slot's block offset and count point past the end; the second's blob head lies. */
	buf[32 + 8] = buf[32 + 9] = buf[32 + 10] = buf[32 + 11] = 0xff;
	buf[48 + 12] = buf[48 + 13] = buf[48 + 14] = buf[48 + 15] = 0xff;
	/* Slot page count beyond the file. */
	buf[12] = 0xff;
	buf[13] = 0xff;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_ospkg_parse_rpm_ndb("Packages.db", buf, len, out, &notes, &error));
	g_assert_cmpuint(notes.texts->len, >=, 2);
	hull_ospkg_notes_clear(&notes);
	for (gsize cut = 0; cut < len; cut += 4093) {
		g_autoptr(GPtrArray) o = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
		g_autoptr(GError) e = NULL;
		hull_ospkg_parse_rpm_ndb("Packages.db", (const guint8 *)orig, cut, o, NULL, &e);
	}
}

static void
test_rpm_sqlite_hostile(void)
{
	g_autofree gchar *fn = shared_path("rpmdb/cbl-mariner-2.0/rpmdb.sqlite");
	if (fn == NULL)
		return;
	g_autofree gchar *orig = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(fn, &orig, &len, NULL));
	GRand *rand = g_rand_new_with_seed(60);
	guint n_err = 0;
	for (guint round = 0; round < 40; round++) {
		guint8 *buf = g_memdup2(orig, len);
		gsize cut = len;
		if (round % 4 == 0)
			cut = g_rand_int_range(rand, 0, (gint)len);
		for (guint k = 0; k < 64; k++)
			buf[g_rand_int_range(rand, 100, (gint)len)] = g_rand_int(rand);
		g_autoptr(GBytes) bytes = g_bytes_new_take(buf, cut);
		g_autoptr(GError) error = NULL;
		guint n = 0;
		if (!parse_sqlite_quickly(bytes, &n, &error))
			n_err++;
	}
	g_rand_free(rand);
	/* Not a database at all, and a header with garbage after it. */
	g_autoptr(GBytes) junk = g_bytes_new_static("not sqlite", 10);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	g_autoptr(GError) error = NULL;
	g_assert_false(hull_ospkg_parse_rpm_sqlite("junk", junk, NULL, out, NULL, &error));
	g_assert_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID);
	g_test_message("sqlite mutations: %u errors", n_err);
}

/* A WAL file written by real SQLite: rows committed only to the log must be seen. */
static void
test_rpm_sqlite_wal(void)
{
	g_autofree gchar *fn = shared_path("rpmdb/cbl-mariner-2.0/rpmdb.sqlite");
	if (fn == NULL)
		return;
	g_autofree gchar *blob_fn = shared_path("rpmdb/blob.bin");
	g_autofree gchar *sqlite3 = g_find_program_in_path("sqlite3");
	if (sqlite3 == NULL) {
		g_test_skip("the sqlite3 shell is not installed: cannot write a WAL file");
		return;
	}
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("hull-ospkg-wal-XXXXXX", &error);
	g_assert_no_error(error);
	g_autofree gchar *db = g_build_filename(dir, "rpmdb.sqlite", NULL);
	g_autofree gchar *orig = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(fn, &orig, &len, NULL));
	g_assert_true(g_file_set_contents(db, orig, len, NULL));
	/* Keep the connection's WAL: no checkpoint on close. */
	g_autofree gchar *script = g_strdup_printf(
		"PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;"
		"INSERT INTO Packages(blob) VALUES (readfile('%s'));"
		"DELETE FROM Packages WHERE hnum = 1;"
		/* rpm's pseudo package for an imported key: never listed. */
		"INSERT INTO Packages(blob) VALUES (X'000000020000000d000003e80000000600000000000000010000"
		"03e9000000060000000b000000016770672d7075626b6579003100');\n", blob_fn);
	const char *argv[] = { sqlite3, db, NULL };
	g_autoptr(GSubprocess) sp = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
	g_assert_no_error(error);
	/* .dbconfig must come before the writes to take effect on close. */
	g_autofree gchar *input = g_strdup_printf(".dbconfig no_ckpt_on_close on\n%s\n", script);
	g_autoptr(GBytes) in = g_bytes_new(input, strlen(input));
	g_assert_true(g_subprocess_communicate(sp, in, NULL, NULL, NULL, &error));
	g_assert_no_error(error);
	g_autofree gchar *wal_fn = g_strdup_printf("%s-wal", db);
	g_autofree gchar *wal_data = NULL, *db_data = NULL;
	gsize wal_len = 0, db_len = 0;
	if (!g_file_get_contents(wal_fn, &wal_data, &wal_len, NULL) || wal_len == 0) {
		g_test_skip("this sqlite3 shell checkpointed on close: no WAL to test with");
		return;
	}
	g_assert_true(g_file_get_contents(db, &db_data, &db_len, NULL));
	g_autoptr(GBytes) dbb = g_bytes_new(db_data, db_len);
	g_autoptr(GBytes) walb = g_bytes_new(wal_data, wal_len);
	g_autoptr(GPtrArray) without = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	g_autoptr(GPtrArray) with = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	g_assert_true(hull_ospkg_parse_rpm_sqlite("db", dbb, NULL, without, NULL, &error));
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_assert_true(hull_ospkg_parse_rpm_sqlite("db", dbb, walb, with, &notes, &error));
	g_assert_no_error(error);
	/* The key decodes (no note) and is dropped as gpg-pubkey. */
	g_assert_cmpuint(notes.texts->len, ==, 0);
	hull_ospkg_notes_clear(&notes);
	g_assert_cmpuint(without->len, ==, 129);
	g_assert_cmpuint(with->len, ==, 129);
	g_assert_nonnull(find_pkg(with, "publicsuffix-list-dafsa"));
	g_assert_null(find_pkg(without, "publicsuffix-list-dafsa"));
	g_assert_null(find_pkg(with, "gpg-pubkey"));
	g_unlink(wal_fn);
	g_autofree gchar *shm = g_strdup_printf("%s-shm", db);
	g_unlink(shm);
	g_unlink(db);
	g_rmdir(dir);
}

/* ---- rpmdb.sqlite built to make its reader work forever ---- */

/* Issue #17: a 4 KiB database whose Packages is an endless recursive view hung the scan. */
static void
test_rpm_sqlite_recursive_view(void)
{
	g_autoptr(GBytes) db = make_sqlite(
		"CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "
		"SELECT x AS hnum, x AS blob FROM c;");
	g_assert_nonnull(db);
	g_assert_cmpuint(g_bytes_get_size(db), <=, 8192);
	/* Blobs too: an endless view of header blobs is refused the same way. */
	g_autoptr(GBytes) blobs = make_sqlite(
		"CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "
		"SELECT x AS hnum, " TINY_HEADER_SQL " AS blob FROM c;");
	GBytes *cases[] = { db, blobs };
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		guint n = 0;
		g_assert_false(parse_sqlite_quickly(cases[i], &n, &error));
		g_assert_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID);
		g_assert_nonnull(strstr(error->message, "not a plain table"));
	}
}

/* Packages that is not rpm's plain table: a view over a real one, virtual tables (one of a
 * module SQLite has, one of a module nobody has, written straight into the schema), a
 * generated blob column, and no Packages at all. Refused before a record is read. */
static void
test_rpm_sqlite_not_a_table(void)
{
	const char *const sql[] = {
		"CREATE TABLE Real (hnum INTEGER PRIMARY KEY, blob BLOB); INSERT INTO Real (blob) VALUES (" TINY_HEADER_SQL ");"
		"CREATE VIEW Packages AS SELECT hnum, blob FROM Real;",
		"CREATE VIRTUAL TABLE Packages USING fts5(hnum, blob);"
		"INSERT INTO Packages VALUES (1, " TINY_HEADER_SQL ");",
		"CREATE VIRTUAL TABLE Packages USING fts4(hnum, blob);"
		"INSERT INTO Packages VALUES (1, " TINY_HEADER_SQL ");",
		"CREATE VIRTUAL TABLE Packages USING rtree(hnum, blob0, blob1);",
		"CREATE TABLE x (y); PRAGMA writable_schema=ON;"
		"INSERT INTO sqlite_master VALUES ('table', 'Packages', 'Packages', 0,"
		" 'CREATE VIRTUAL TABLE Packages USING nosuchmodule(hnum, blob)');",
		"CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, body BLOB,"
		" blob BLOB AS (zeroblob(1000000000)) VIRTUAL); INSERT INTO Packages (body) VALUES (x'00');",
		"CREATE TABLE Other (hnum INTEGER PRIMARY KEY, blob BLOB);",
	};
	guint built = 0;
	for (guint i = 0; i < G_N_ELEMENTS(sql); i++) {
		g_autoptr(GBytes) db = make_sqlite(sql[i]);
		if (db == NULL)
			continue;
		built++;
		g_autoptr(GError) error = NULL;
		guint n = 0;
		g_assert_false(parse_sqlite_quickly(db, &n, &error));
		g_assert_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID);
		g_assert_nonnull(strstr(error->message, "not an rpm database"));
	}
	/* The view, the unknown module, the generated column and the missing table need nothing
	 * optional. */
	g_assert_cmpuint(built, >=, 4);
}

/* Triggers on every change, recursive ones included: a reader that only reads never runs
 * them, and the packages are there. */
static void
test_rpm_sqlite_triggers(void)
{
	g_autoptr(GBytes) db = make_sqlite(
		"CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);"
		"INSERT INTO Packages (blob) VALUES (" TINY_HEADER_SQL "), (" TINY_HEADER_SQL ");"
		"CREATE TABLE Log (x);"
		"CREATE TRIGGER grow AFTER INSERT ON Packages BEGIN"
		" INSERT INTO Packages (blob) SELECT blob FROM Packages; END;"
		"CREATE TRIGGER spin BEFORE DELETE ON Packages BEGIN"
		" INSERT INTO Log WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c; END;"
		"CREATE TRIGGER touch AFTER UPDATE ON Packages BEGIN UPDATE Packages SET blob = blob; END;"
		"CREATE TRIGGER echo AFTER INSERT ON Log BEGIN INSERT INTO Log SELECT x FROM Log; END;");
	g_assert_nonnull(db);
	g_autoptr(GError) error = NULL;
	guint n = 0;
	g_assert_true(parse_sqlite_quickly(db, &n, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(n, ==, 2);
}

/* Rewrites interior table page @pgno of @image so that every child pointer is its right-most
 * child, a leaf: a full scan then visits that leaf once per pointer, a loop without a cycle,
 * which SQLite does not look for when reading. */
static void
point_root_at_leaf(GByteArray *image, gsize page_size, guint pgno)
{
	g_assert_cmpuint(image->len, >=, pgno * page_size);
	guint8 *page = image->data + (pgno - 1) * page_size;
	g_assert_cmpuint(page[0], ==, 0x05);
	guint32 leaf = (guint32)page[8] << 24 | (guint32)page[9] << 16 | (guint32)page[10] << 8 | page[11];
	guint n_cells = (guint)((page_size - 12) / 7);
	guint content = (guint)(page_size - 5 * n_cells);
	memset(page, 0, page_size);
	page[0] = 0x05;
	page[3] = n_cells >> 8;
	page[4] = n_cells & 0xff;
	page[5] = content >> 8;
	page[6] = content & 0xff;
	put_be32(page + 8, leaf);
	for (guint i = 0; i < n_cells; i++) {
		guint off = content + 5 * i;
		page[12 + 2 * i] = off >> 8;
		page[12 + 2 * i + 1] = off & 0xff;
		put_be32(page + off, leaf);
		page[off + 4] = 0x7f;
	}
}

/* A huge number of records, an expensive schema (deep expressions, wide tables, thousands of
 * objects), and a b-tree that makes a few pages read as hundreds of thousands of records:
 * bounded by the record cap, the limits and the budget of SQLite steps. */
static void
test_rpm_sqlite_expensive(void)
{
	/* 300,000 records (a few MB): more than the record cap. */
	g_autoptr(GBytes) rows = make_sqlite(
		"CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL);"
		"INSERT INTO Packages (blob) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 300000)"
		" SELECT x'' FROM c;");
	g_assert_nonnull(rows);
	g_autoptr(GError) error = NULL;
	guint n = 0;
	g_assert_false(parse_sqlite_quickly(rows, &n, &error));
	g_assert_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID);
	g_clear_error(&error);

	/* An expression 500 deep (x + x + … is a left-deep tree) in a CHECK, a table of 1,000
	 * columns, 3,000 indexes on Packages: each beside a good Packages. */
	GString *deep = g_string_new("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB);"
	                             "INSERT INTO Packages (blob) VALUES (" TINY_HEADER_SQL ");"
	                             "CREATE TABLE Deep (x CHECK (x");
	for (guint i = 0; i < 500; i++)
		g_string_append(deep, " + x");
	g_string_append(deep, " > 0));");
	GString *wide = g_string_new("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB);"
	                             "INSERT INTO Packages (blob) VALUES (" TINY_HEADER_SQL ");"
	                             "CREATE TABLE Wide (c0");
	for (guint i = 1; i < 1000; i++)
		g_string_append_printf(wide, ", c%u", i);
	g_string_append(wide, ");");
	GString *many = g_string_new("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB);"
	                             "INSERT INTO Packages (blob) VALUES (" TINY_HEADER_SQL ");");
	for (guint i = 0; i < 3000; i++)
		g_string_append_printf(many, "CREATE INDEX i%u ON Packages (blob, hnum);", i);
	GString *sqls[] = { deep, wide, many };
	for (guint i = 0; i < G_N_ELEMENTS(sqls); i++) {
		g_autoptr(GBytes) db = make_sqlite(sqls[i]->str);
		g_string_free(sqls[i], TRUE);
		g_assert_nonnull(db);
		g_autoptr(GError) e = NULL;
		/* Refused (a schema beyond the limits), or read: quickly either way. */
		if (parse_sqlite_quickly(db, &n, &e))
			g_assert_cmpuint(n, ==, 1);
	}

	/* A 3-page table whose root points 583 times at its one leaf of ~450 records. */
	g_autoptr(GBytes) dag = make_sqlite(
		"PRAGMA page_size=4096; CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL);"
		"INSERT INTO Packages (blob) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 600)"
		" SELECT x'' FROM c;");
	g_assert_nonnull(dag);
	g_autoptr(GByteArray) image = g_byte_array_new();
	g_byte_array_append(image, g_bytes_get_data(dag, NULL), (guint)g_bytes_get_size(dag));
	/* Page 2 is the table's root, over two leaves. */
	g_assert_cmpuint(image->len, ==, 4 * 4096);
	point_root_at_leaf(image, 4096, 2);
	g_autoptr(GBytes) looped = g_bytes_new(image->data, image->len);
	g_assert_false(parse_sqlite_quickly(looped, &n, &error));
	g_assert_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "more SQLite work than a database of its size needs"));
}

/* The real database cut short and with bits flipped: an error naming it and no packages, or
 * its packages; quickly, every time. */
static void
test_rpm_sqlite_damaged(void)
{
	g_autofree gchar *fn = shared_path("rpmdb/cbl-mariner-2.0/rpmdb.sqlite");
	if (fn == NULL)
		return;
	g_autofree gchar *orig = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(fn, &orig, &len, NULL));
	guint n = 0, n_err = 0;
	for (gsize cut = 100; cut < len; cut += len / 7) {
		g_autoptr(GBytes) bytes = g_bytes_new(orig, cut);
		g_autoptr(GError) error = NULL;
		if (!parse_sqlite_quickly(bytes, &n, &error))
			n_err++;
		g_assert_cmpuint(n, <=, 129);
	}
	/* Cut at 100 bytes (only the header) or half-way: nothing to read. */
	g_assert_cmpuint(n_err, >=, 2);
	GRand *rand = g_rand_new_with_seed(17);
	guint flip_err = 0, flip_short = 0;
	for (guint round = 0; round < 32; round++) {
		g_autofree guint8 *buf = g_memdup2(orig, len);
		/* Single bits: in the schema and Packages' root (pages 1 and 2) on even rounds,
		 * anywhere (mostly Packages' leaves and overflow pages) on odd ones. */
		gsize end = round % 2 == 0 ? MIN(len, 2 * 4096) : len;
		for (guint k = 0; k < 4; k++) {
			gsize at = (gsize)g_rand_int_range(rand, 100, (gint)end);
			buf[at] ^= (guint8)(1u << g_rand_int_range(rand, 0, 8));
		}
		g_autoptr(GBytes) bytes = g_bytes_new(buf, len);
		g_autoptr(GError) error = NULL;
		if (!parse_sqlite_quickly(bytes, &n, &error))
			flip_err++;
		else if (n < 129)
			flip_short++;
		g_assert_cmpuint(n, <=, 129);
	}
	g_rand_free(rand);
	g_test_message("bit flips: %u errors, %u read with fewer packages", flip_err, flip_short);
	/* Undamaged, through the same guards: every package. */
	g_autoptr(GBytes) whole = g_bytes_new_static(orig, len);
	g_autoptr(GError) error = NULL;
	g_assert_true(parse_sqlite_quickly(whole, &n, &error));
	g_assert_cmpuint(n, ==, 129);
}

static void
test_random_bytes(void)
{
	GRand *rand = g_rand_new_with_seed(1234);
	for (guint round = 0; round < 200; round++) {
		gsize len = g_rand_int_range(rand, 0, 8192);
		g_autofree guint8 *buf = g_malloc(len + 1);
		for (gsize i = 0; i < len; i++)
			buf[i] = round % 2 ? (guint8)g_rand_int(rand) : (guint8)"PV:\n abc-1.0\0"[g_rand_int_range(rand, 0, 13)];
		if (round % 3 == 0 && len >= 8)
			memcpy(buf, round % 2 ? "RpmP\0\0\0\0" : "\0\0\0\x02\0\0\0\x10", 8);
		HullParseFunc funcs[] = { hull_ospkg_parse_dpkg, hull_ospkg_parse_apk, hull_ospkg_parse_rpm_bdb,
		                          hull_ospkg_parse_rpm_ndb };
		for (guint f = 0; f < G_N_ELEMENTS(funcs); f++) {
			g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
			HullOspkgNotes notes;
			hull_ospkg_notes_init(&notes);
			g_autoptr(GError) error = NULL;
			funcs[f]("random", buf, len, out, &notes, &error);
			g_assert_cmpuint(notes.texts->len, <=, HULL_OSPKG_MAX_NOTES);
			hull_ospkg_notes_clear(&notes);
		}
		g_autoptr(GError) e = NULL;
		g_autoptr(HullOsPkg) p = hull_ospkg_rpm_header_decode(buf, len, &e);
	}
	g_rand_free(rand);
}

/* ---- OS detection ---- */

static GBytes *
read_opt(const char *dir, const char *rel)
{
	g_autofree gchar *fn = g_build_filename(dir, rel, NULL);
	gchar *data = NULL;
	gsize len;
	if (!g_file_get_contents(fn, &data, &len, NULL))
		return NULL;
	return g_bytes_new_take(data, len);
}

static HullOsInfo *
detect_dir(const char *dir)
{
	HullOsFiles f = {
		read_opt(dir, "etc/os-release"), read_opt(dir, "etc/debian_version"),
		read_opt(dir, "etc/alpine-release"), read_opt(dir, "etc/redhat-release"),
		read_opt(dir, "etc/oracle-release"),
	};
	if (f.os_release == NULL)
		f.os_release = read_opt(dir, "usr/lib/os-release");
	HullOsInfo *os = hull_os_detect(&f);
	g_clear_pointer(&f.os_release, g_bytes_unref);
	g_clear_pointer(&f.debian_version, g_bytes_unref);
	g_clear_pointer(&f.alpine_release, g_bytes_unref);
	g_clear_pointer(&f.redhat_release, g_bytes_unref);
	g_clear_pointer(&f.oracle_release, g_bytes_unref);
	return os;
}

static void
test_os_alpine(void)
{
	g_autofree gchar *root = shared_path("os-release/alpine/testdata");
	if (root == NULL)
		return;
	g_autoptr(GDir) d = g_dir_open(root, 0, NULL);
	const char *name;
	guint n = 0;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *dir = g_build_filename(root, name, NULL);
		g_autofree gchar *want_fn = g_build_filename(dir, "want", NULL);
		g_autofree gchar *want = NULL;
		g_assert_true(g_file_get_contents(want_fn, &want, NULL, NULL));
		g_autoptr(HullOsInfo) os = detect_dir(dir);
		g_assert_nonnull(os);
		g_assert_cmpstr(os->id, ==, "alpine");
		/* want: [{"did":"alpine",…,"version":"3.18","pretty_name":"…"}] */
		g_autofree gchar *needle = g_strdup_printf("\"version\":\"%s\"", os->version_id);
		g_assert_nonnull(strstr(want, needle));
		g_autofree gchar *pn = g_strdup_printf("\"pretty_name\":\"%s\"", os->pretty_name);
		g_assert_nonnull(strstr(want, pn));
		if (g_strcmp0(name, "edge") == 0) {
			g_assert_cmpstr(os->version_id, ==, "edge");
			g_assert_cmpstr(os->ecosystem, ==, "Alpine:v3.19");
		} else {
			g_autofree gchar *eco = g_strdup_printf("Alpine:v%s", name);
			g_assert_cmpstr(os->ecosystem, ==, eco);
		}
		n++;
	}
	g_assert_cmpuint(n, >=, 10);
}

static void
test_os_debian(void)
{
	g_autofree gchar *root = shared_path("os-release/debian/testdata");
	if (root == NULL)
		return;
	const char *kinds[] = { "dist", "distroless_dist" };
	guint n = 0;
	for (guint k = 0; k < 2; k++) {
		g_autofree gchar *kd = g_build_filename(root, kinds[k], NULL);
		g_autoptr(GDir) d = g_dir_open(kd, 0, NULL);
		const char *name;
		while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
			g_autofree gchar *dir = g_build_filename(kd, name, NULL);
			g_autoptr(HullOsInfo) os = detect_dir(dir);
			g_assert_nonnull(os);
			g_assert_cmpstr(os->id, ==, "debian");
			g_assert_cmpstr(os->version_id, ==, name);
			g_autofree gchar *eco = g_strdup_printf("Debian:%s", name);
			g_assert_cmpstr(os->ecosystem, ==, eco);
			g_assert_cmpint(os->distroless, ==, k == 1);
			n++;
		}
	}
	g_assert_cmpuint(n, ==, 9);
}

static void
test_os_rhel(void)
{
	g_autofree gchar *root = shared_path("os-release/rhel/testdata/releasefiles");
	if (root == NULL)
		return;
	struct {
		const char *dir, *id, *version, *eco;
	} cases[] = {
		{ "7", "rhel", "7.7", "Red Hat:enterprise_linux:7" },
		{ "8", "rhel", "8.1", "Red Hat:enterprise_linux:8" },
		{ "9", "rhel", "9.0", "Red Hat:enterprise_linux:9" },
		{ "atomichost-7", "rhel", "7.9", "Red Hat:enterprise_linux:7" },
		{ "hummingbird", "hummingbird", "20251124", NULL },
		{ "oracle-6", "ol", "6.10", NULL },
		{ "oracle-9", "ol", "9.3", NULL },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *dir = g_build_filename(root, cases[i].dir, NULL);
		g_autoptr(HullOsInfo) os = detect_dir(dir);
		g_assert_nonnull(os);
		g_assert_cmpstr(os->id, ==, cases[i].id);
		g_assert_cmpstr(os->version_id, ==, cases[i].version);
		g_assert_cmpstr(os->ecosystem, ==, cases[i].eco);
	}
}

static void
test_os_inline(void)
{
	struct {
		const char *os_release, *debian_version, *alpine_release, *id, *version, *eco;
	} cases[] = {
		{ "ID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION=\"22.04.3 LTS (Jammy Jellyfish)\"\n", NULL, NULL, "ubuntu",
		  "22.04", "Ubuntu:22.04:LTS" },
		{ "ID=ubuntu\nVERSION_ID=\"23.10\"\nVERSION=\"23.10 (Mantic Minotaur)\"\n", NULL, NULL, "ubuntu", "23.10",
		  "Ubuntu:23.10" },
		{ "ID=\"rocky\"\nVERSION_ID=\"9.3\"\n", NULL, NULL, "rocky", "9.3", "Rocky Linux:9" },
		{ "ID=almalinux\nVERSION_ID='8.9'\n", NULL, NULL, "almalinux", "8.9", "AlmaLinux:8" },
		{ NULL, "12.5\n", NULL, "debian", "12", "Debian:12" },
		{ NULL, "bookworm/sid\n", NULL, "debian", NULL, NULL },
		{ NULL, NULL, "3.19.1\n", "alpine", "3.19", "Alpine:v3.19" },
		{ "# comment\nNAME=x\n", "11.8", NULL, "debian", "11", "Debian:11" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		HullOsFiles f = { 0 };
		if (cases[i].os_release != NULL)
			f.os_release = g_bytes_new_static(cases[i].os_release, strlen(cases[i].os_release));
		if (cases[i].debian_version != NULL)
			f.debian_version = g_bytes_new_static(cases[i].debian_version, strlen(cases[i].debian_version));
		if (cases[i].alpine_release != NULL)
			f.alpine_release = g_bytes_new_static(cases[i].alpine_release, strlen(cases[i].alpine_release));
		g_autoptr(HullOsInfo) os = hull_os_detect(&f);
		g_assert_nonnull(os);
		g_assert_cmpstr(os->id, ==, cases[i].id);
		g_assert_cmpstr(os->version_id, ==, cases[i].version);
		g_assert_cmpstr(os->ecosystem, ==, cases[i].eco);
		g_clear_pointer(&f.os_release, g_bytes_unref);
		g_clear_pointer(&f.debian_version, g_bytes_unref);
		g_clear_pointer(&f.alpine_release, g_bytes_unref);
	}
	HullOsFiles none = { 0 };
	g_assert_null(hull_os_detect(&none));
}

static void
test_purl(void)
{
	g_autoptr(HullOsPkg) p = hull_ospkg_new("deb");
	p->name = g_strdup("openssl");
	p->version = g_strdup("3.0.11-1~deb12u2");
	p->arch = g_strdup("amd64");
	p->source = g_strdup("openssl");
	HullOsInfo os = { .id = "debian", .version_id = "12", .purl_namespace = "debian", .distro = "debian-12" };
	g_autofree gchar *u = hull_ospkg_purl(p, &os);
	g_assert_cmpstr(u, ==, "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
	g_autoptr(HullOsPkg) r = hull_ospkg_new("rpm");
	r->name = g_strdup("bash");
	r->rpm_version = g_strdup("5.1.8");
	r->rpm_release = g_strdup("1.el9");
	r->version = g_strdup("1:5.1.8-1.el9");
	r->epoch = 1;
	r->arch = g_strdup("x86_64");
	r->source = g_strdup("bash");
	HullOsInfo rh = { .id = "rhel", .purl_namespace = "redhat", .distro = "rhel-9.0" };
	g_autofree gchar *v = hull_ospkg_purl(r, &rh);
	g_assert_cmpstr(v, ==, "pkg:rpm/redhat/bash@5.1.8-1.el9?arch=x86_64&distro=rhel-9.0&epoch=1");
	g_autoptr(HullOsPkg) a = hull_ospkg_new("apk");
	a->name = g_strdup("busybox-binsh");
	a->version = g_strdup("1.36.1-r15");
	a->source = g_strdup("busybox");
	g_autofree gchar *w = hull_ospkg_purl(a, NULL);
	g_assert_cmpstr(w, ==, "pkg:apk/alpine/busybox-binsh@1.36.1-r15?upstream=busybox");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/os-packages/dpkg/single", test_dpkg_single);
	g_test_add_func("/os-packages/dpkg/status-field", test_dpkg_status_field);
	g_test_add_func("/os-packages/dpkg/states-inline", test_dpkg_states_inline);
	g_test_add_func("/os-packages/dpkg/edge-fixtures", test_dpkg_edge_fixtures);
	g_test_add_func("/os-packages/dpkg/source-fields", test_dpkg_source_fields);
	g_test_add_func("/os-packages/dpkg/hostile", test_dpkg_hostile);
	g_test_add_func("/os-packages/apk/fixtures", test_apk_fixtures);
	g_test_add_func("/os-packages/apk/hostile", test_apk_hostile);
	g_test_add_func("/os-packages/rpm/blob", test_rpm_blob);
	g_test_add_func("/os-packages/rpm/blob-lying", test_rpm_blob_lying);
	g_test_add_func("/os-packages/rpm/sqlite", test_rpm_sqlite);
	g_test_add_func("/os-packages/rpm/sqlite-wal", test_rpm_sqlite_wal);
	g_test_add_func("/os-packages/rpm/sqlite-hostile", test_rpm_sqlite_hostile);
	g_test_add_func("/os-packages/rpm/sqlite-recursive-view", test_rpm_sqlite_recursive_view);
	g_test_add_func("/os-packages/rpm/sqlite-not-a-table", test_rpm_sqlite_not_a_table);
	g_test_add_func("/os-packages/rpm/sqlite-triggers", test_rpm_sqlite_triggers);
	g_test_add_func("/os-packages/rpm/sqlite-expensive", test_rpm_sqlite_expensive);
	g_test_add_func("/os-packages/rpm/sqlite-damaged", test_rpm_sqlite_damaged);
	g_test_add_func("/os-packages/rpm/bdb", test_rpm_bdb);
	g_test_add_func("/os-packages/rpm/bdb-hostile", test_rpm_bdb_hostile);
	g_test_add_func("/os-packages/rpm/bdb-loop", test_rpm_bdb_loop);
	g_test_add_func("/os-packages/rpm/ndb", test_rpm_ndb);
	g_test_add_func("/os-packages/rpm/ndb-hostile", test_rpm_ndb_hostile);
	g_test_add_func("/os-packages/random-bytes", test_random_bytes);
	g_test_add_func("/os-packages/os/alpine", test_os_alpine);
	g_test_add_func("/os-packages/os/debian", test_os_debian);
	g_test_add_func("/os-packages/os/rhel", test_os_rhel);
	g_test_add_func("/os-packages/os/inline", test_os_inline);
	g_test_add_func("/os-packages/purl", test_purl);
	return g_test_run();
}
