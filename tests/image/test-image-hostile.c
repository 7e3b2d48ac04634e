/* test-image-hostile.c: images built as attacks. Each case ends in a one-line GError naming the
 * input, or in a completed open and stream - never a crash, a hang, unbounded memory or a byte
 * written outside the temp dir. */
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include "test-image-util.h"
#include "hull-config.h"
#include "lazy/hull-lazy.h"
#include "image/hull-fs-private.h"
#include <gio/gio.h>

static HullTarget *
gen_open(const char *dir, const char *format, const char *spec, const HullOpenOptions *o, GError **error)
{
	g_autofree char *img = hull_test_gen(dir, "img", format, spec);
	g_assert_nonnull(img);
	return hull_target_open(img, o, error);
}

static void
assert_one_line_naming(const GError *error, const char *input_part)
{
	g_assert_nonnull(error);
	g_assert_null(strchr(error->message, '\n'));
	g_assert_nonnull(strstr(error->message, input_part));
	g_assert_true(g_utf8_validate(error->message, -1, NULL));
}

static const char *formats[] = {"docker-archive", "oci-dir", "oci-tar"};

/* Opening @spec written as @format fails with INVALID and one line naming the input. */
static void
assert_open_invalid(const char *format, const char *spec)
{
	g_autofree char *dir = hull_test_tmpdir();
	g_autoptr(GError) error = NULL;
	HullTarget *t = gen_open(dir, format, spec, NULL, &error);
	g_assert_null(t);
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID);
	assert_one_line_naming(error, dir);
	hull_test_rmdir(dir);
}

static void
test_traversal_in_layer(void)
{
	const char *spec = "{\"layers\": [{\"entries\": ["
	                   "{\"path\": \"../../../../tmp/hull-escape\", \"content\": \"ESC\"},"
	                   "{\"path\": \"/abs/file\", \"content\": \"ABS\"},"
	                   "{\"path\": \"a/../../b/./c\", \"content\": \"C\"},"
	                   "{\"path\": \"../\", \"type\": \"dir\"}]}]}";
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_autofree char *dir = hull_test_tmpdir();
		g_autoptr(GError) error = NULL;
		g_autoptr(HullTarget) t = gen_open(dir, formats[i], spec, NULL, &error);
		g_assert_no_error(error);
		HullFs *fs = hull_target_get_fs(t);
		/* clamped at the image root */
		g_assert_nonnull(hull_fs_lookup(fs, "/tmp/hull-escape"));
		g_assert_nonnull(hull_fs_lookup(fs, "/abs/file"));
		g_assert_nonnull(hull_fs_lookup(fs, "/b/c"));
		g_autoptr(GHashTable) c = hull_test_stream_all(fs, 2, TRUE, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(g_hash_table_size(c), ==, 3);
		g_assert_false(g_file_test("/tmp/hull-escape", G_FILE_TEST_EXISTS));
		hull_test_rmdir(dir);
	}
}

static void
test_traversal_in_references(void)
{
	const char *refs[][2] = {
		{"docker-archive", "{\"layers\": [{\"entries\": [{\"path\": \"x\"}]}], \"corrupt\": {\"manifest_layer\": \"../../../../etc/passwd\"}}"},
		{"docker-archive", "{\"layers\": [{\"entries\": [{\"path\": \"x\"}]}], \"corrupt\": {\"manifest_layer\": \"/etc/passwd\"}}"},
		{"docker-archive", "{\"layers\": [{\"entries\": [{\"path\": \"x\"}]}], \"corrupt\": {\"config_ref\": \"../../etc/hostname\"}}"},
		{"oci-dir", "{\"layers\": [{\"entries\": [{\"path\": \"x\"}]}], \"corrupt\": {\"manifest_layer\": \"sha256:../../../../etc/passwd\"}}"},
		{"oci-tar", "{\"layers\": [{\"entries\": [{\"path\": \"x\"}]}], \"corrupt\": {\"manifest_layer\": \"sha256/../../x\"}}"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(refs); i++)
		assert_open_invalid(refs[i][0], refs[i][1]);
}

static void
test_links_out_of_root(void)
{
	const char *spec = "{\"layers\": [{\"entries\": ["
	                   "{\"path\": \"etc/passwd\", \"content\": \"IMAGE\"},"
	                   "{\"path\": \"sym-abs\", \"type\": \"symlink\", \"target\": \"/etc/shadow\"},"
	                   "{\"path\": \"sym-up\", \"type\": \"symlink\", \"target\": \"../../../../../../etc/passwd\"},"
	                   "{\"path\": \"hard-up\", \"type\": \"hardlink\", \"target\": \"../../../../etc/passwd\"},"
	                   "{\"path\": \"hard-host\", \"type\": \"hardlink\", \"target\": \"/etc/hostname\"},"
	                   "{\"path\": \"linkdir\", \"type\": \"symlink\", \"target\": \"/etc\"},"
	                   "{\"path\": \"linkdir/evil\", \"content\": \"through a link\"}]}]}";
	g_autofree char *dir = hull_test_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = gen_open(dir, "docker-archive", spec, NULL, &error);
	g_assert_no_error(error);
	HullFs *fs = hull_target_get_fs(t);
	const HullFile *pw = hull_fs_lookup(fs, "/etc/passwd");
	g_assert_null(hull_fs_resolve(fs, "/sym-abs")); /* /etc/shadow is not in the image */
	g_assert_true(hull_fs_resolve(fs, "/sym-up") == pw);
	g_assert_null(hull_fs_read(fs, "/sym-abs", 1 << 20, &error));
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NOT_FOUND);
	g_clear_error(&error);
	/* the hard link names /etc/passwd of the image, with its bytes */
	const HullFile *hu = hull_fs_lookup(fs, "/hard-up");
	g_assert_cmpstr(hull_file_get_link_target(hu), ==, "/etc/passwd");
	g_autoptr(GBytes) b = hull_fs_read(fs, "/hard-up", 100, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), "IMAGE", 5);
	/* a hard link to a path absent from the image has no content, never the host's */
	g_autoptr(GBytes) h = hull_fs_read(fs, "/hard-host", 1 << 20, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(h), ==, 0);
	/* an entry below a symlink replaces the link with a directory: the link is never followed */
	g_assert_cmpint(hull_file_get_kind(hull_fs_lookup(fs, "/linkdir")), ==, HULL_FILE_KIND_DIRECTORY);
	g_assert_nonnull(hull_fs_lookup(fs, "/linkdir/evil"));
	g_assert_null(hull_fs_lookup(fs, "/etc/evil"));
	g_autoptr(GHashTable) c = hull_test_stream_all(fs, 2, FALSE, &error);
	g_assert_no_error(error);
	g_assert_true(g_hash_table_contains(c, "/hard-up"));
	hull_test_rmdir(dir);
}

static void
test_link_loops(void)
{
	GString *spec = g_string_new("{\"layers\": [{\"entries\": ["
	                             "{\"path\": \"a\", \"type\": \"symlink\", \"target\": \"b\"},"
	                             "{\"path\": \"b\", \"type\": \"symlink\", \"target\": \"/a\"},"
	                             "{\"path\": \"self\", \"type\": \"symlink\", \"target\": \"self/self\"},"
	                             "{\"path\": \"dot\", \"type\": \"symlink\", \"target\": \".\"},"
	                             "{\"path\": \"f\", \"content\": \"F\"}");
	/* a chain of 41 links: one hop too many */
	for (int i = 0; i < 41; i++)
		g_string_append_printf(spec, ",{\"path\": \"c%d\", \"type\": \"symlink\", \"target\": \"c%d\"}", i, i + 1);
	g_string_append(spec, ",{\"path\": \"c41\", \"type\": \"symlink\", \"target\": \"f\"}]}]}");
	g_autofree char *dir = hull_test_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = gen_open(dir, "oci-dir", spec->str, NULL, &error);
	g_string_free(spec, TRUE);
	g_assert_no_error(error);
	HullFs *fs = hull_target_get_fs(t);
	g_assert_null(hull_fs_resolve(fs, "/a"));
	g_assert_null(hull_fs_resolve(fs, "/self"));
	g_assert_true(hull_fs_resolve(fs, "/dot/dot/dot/f") == hull_fs_lookup(fs, "/f"));
	g_assert_null(hull_fs_resolve(fs, "/c0"));
	g_assert_true(hull_fs_resolve(fs, "/c2") == hull_fs_lookup(fs, "/f"));
	g_assert_null(hull_fs_read(fs, "/a", 100, &error));
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NOT_FOUND);
	hull_test_rmdir(dir);
}

/* Docker before 25 saves a layer two image layers share once and links the second
 * "<id>/layer.tar" to the first; the manifest names the link. Links are followed inside the
 * archive only, a bounded number of hops; anything else reads as a missing member. */
static void
test_linked_layer_members(void)
{
	const char *kinds[] = {"symlink", "hardlink"};
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree char *spec = g_strdup_printf(
		    "{\"layer_links\": \"%s\", \"layers\": ["
		    "{\"entries\": [{\"path\": \"a\", \"content\": \"A1\"}, {\"path\": \"keep\", \"content\": \"K\"}]},"
		    "{\"entries\": [{\"path\": \"a\", \"content\": \"A2\"}, {\"path\": \"keep\", \"type\": \"whiteout\"}]},"
		    "{\"entries\": [{\"path\": \"a\", \"content\": \"A1\"}, {\"path\": \"keep\", \"content\": \"K\"}]}]}",
		    kinds[i]);
		g_autofree char *dir = hull_test_tmpdir();
		g_autofree char *img = hull_test_gen(dir, "img", "docker-archive", spec);
		HullOpenOptions o = {.verify_digests = TRUE};
		g_autoptr(GError) error = NULL;
		g_autoptr(HullTarget) t = hull_target_open(img, &o, &error);
		g_assert_no_error(error);
		HullFs *fs = hull_target_get_fs(t);
		g_assert_cmpuint(fs->layers->len, ==, 3);
		/* the third layer, read through the link, wrote /a and brought /keep back */
		const HullFile *a = hull_fs_lookup(fs, "/a");
		g_assert_nonnull(a);
		g_assert_cmpint(a->layer, ==, 2);
		g_autoptr(GBytes) b = hull_fs_read(fs, "/a", 100, &error);
		g_assert_no_error(error);
		g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), "A1", 2);
		g_assert_nonnull(hull_fs_lookup(fs, "/keep"));
		g_assert_true(hull_target_finish_verify(t, &error));
		g_assert_no_error(error);
		g_autoptr(GHashTable) c = hull_test_stream_all(fs, 2, FALSE, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(g_hash_table_size(c), ==, 2);
		hull_test_rmdir(dir);
	}
	/* 40 chained links are followed; 41, a loop, a way out, the root or a directory are not */
	const char *ok_spec = "{\"layers\": [{\"entries\": [{\"path\": \"x\", \"content\": \"X\"}]}], "
	                      "\"corrupt\": {\"layer_link_chain\": 40}}";
	g_autofree char *dir = hull_test_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = gen_open(dir, "docker-archive", ok_spec, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(hull_fs_lookup(hull_target_get_fs(t), "/x"));
	hull_test_rmdir(dir);
	const char *bad[] = {
	    "\"layer_link_chain\": 41",
	    "\"layer_link\": \"layer.tar\"",
	    "\"layer_link\": \"../../../../etc/passwd\"",
	    "\"layer_link\": \"/etc/passwd\"",
	    "\"layer_link\": \"/\"",
	    "\"layer_link\": \".\"",
	    "\"layer_link\": \"\"",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *spec = g_strdup_printf(
		    "{\"layers\": [{\"entries\": [{\"path\": \"x\", \"content\": \"X\"}]}], \"corrupt\": {%s}}", bad[i]);
		assert_open_invalid("docker-archive", spec);
	}
}

static glong
max_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void
test_gzip_bomb(void)
{
	/* 96 MiB of zeros in a ~100 KiB gzip layer */
	const char *spec = "{\"layers\": [{\"compression\": \"gzip\", \"entries\": ["
	                   "{\"path\": \"bomb\", \"content_b64\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\", \"repeat\": 2097152}]}]}";
	g_autofree char *dir = hull_test_tmpdir();
	g_autofree char *img = hull_test_gen(dir, "img", "docker-archive", spec);
	g_autoptr(GError) error = NULL;
	HullOpenOptions o = {.verify_digests = TRUE, .max_image_size = 8 * 1024 * 1024};
	g_assert_null(hull_target_open(img, &o, &error));
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE);
	assert_one_line_naming(error, img);
	g_clear_error(&error);

	glong before = max_rss_kib();
	g_autoptr(HullTarget) t = hull_target_open(img, NULL, &error);
	g_assert_no_error(error);
	const HullFile *f = hull_fs_lookup(hull_target_get_fs(t), "/bomb");
	g_assert_cmpuint(hull_file_get_size(f), ==, 48u * 2097152u);
	/* reading it whole is refused by the caller's limit, before the bytes pile up */
	gboolean ok = hull_fs_read(hull_target_get_fs(t), "/bomb", 1024, &error) == NULL;
	g_assert_true(ok);
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE);
	g_clear_error(&error);
	glong after = max_rss_kib();
	g_test_message("max RSS before %ld KiB, after %ld KiB", before, after);
	g_assert_cmpint(after - before, <, 64 * 1024);
	hull_test_rmdir(dir);
}

static gboolean
count_want(const HullFile *file, gpointer user_data, gpointer *file_data)
{
	*file_data = user_data;
	return TRUE;
}

static gboolean
count_chunk(const HullFile *file, gpointer file_data, const guint8 *buf, gsize len, gpointer user_data)
{
	*(guint64 *)user_data += len;
	return TRUE;
}

static void
test_bomb_stream(void)
{
	const char *spec = "{\"layers\": [{\"compression\": \"gzip\", \"entries\": ["
	                   "{\"path\": \"bomb\", \"content\": \"0000000000000000000000000000000000000000000000000000000000000000\", \"repeat\": 1048576}]}]}";
	g_autofree char *dir = hull_test_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = gen_open(dir, "oci-tar", spec, NULL, &error);
	g_assert_no_error(error);
	glong before = max_rss_kib();
	guint64 total = 0;
	HullFsStreamFuncs funcs = {.want = count_want, .chunk = count_chunk};
	g_assert_true(hull_fs_stream(hull_target_get_fs(t), 2, FALSE, &funcs, &total, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(total, ==, 64u * 1048576u);
	glong after = max_rss_kib();
	g_test_message("streamed %" G_GUINT64_FORMAT " bytes; max RSS grew by %ld KiB", total, after - before);
	g_assert_cmpint(after - before, <, 32 * 1024);
	hull_test_rmdir(dir);
}

static void
test_truncated_and_corrupt(void)
{
	const char *spec = "{\"layers\": [{\"compression\": \"%s\", \"truncate\": %d, \"entries\": ["
	                   "{\"path\": \"a\", \"content\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"repeat\": 200},"
	                   "{\"path\": \"b\", \"content\": \"b\"}]}]}";
	const char *comp[] = {"none", "gzip"};
	for (guint c = 0; c < G_N_ELEMENTS(comp); c++) {
		for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
			g_autofree char *dir = hull_test_tmpdir();
			g_autofree char *s = g_strdup_printf(spec, comp[c], c == 0 ? 1500 : 60);
			g_autoptr(GError) error = NULL;
			HullTarget *t = gen_open(dir, formats[i], s, NULL, &error);
			g_assert_null(t);
			g_assert_nonnull(error);
			g_assert_true(error->code == HULL_TARGET_ERROR_INVALID || error->code == HULL_TARGET_ERROR_DIGEST);
			assert_one_line_naming(error, dir);
			hull_test_rmdir(dir);
		}
	}
	/* a truncated outer archive */
	g_autofree char *dir = hull_test_tmpdir();
	g_autofree char *img = hull_test_gen(dir, "img", "docker-archive",
	                                     "{\"layers\": [{\"entries\": [{\"path\": \"a\", \"content\": \"x\", \"repeat\": 5000}]}]}");
	gsize len;
	g_autofree char *data = NULL;
	g_assert_true(g_file_get_contents(img, &data, &len, NULL));
	/* cut anywhere before the end of the last member (manifest.json, ending in "]"); past it
	 * only the end-of-archive padding is lost, which readers rightly accept */
	gsize data_end = len;
	while (data_end > 0 && data[data_end - 1] != ']')
		data_end--;
	g_assert_cmpuint(data_end, >, 200);
	for (gsize cut = 100; cut < data_end; cut += data_end / 7) {
		g_assert_true(g_file_set_contents(img, data, (gssize)cut, NULL));
		g_autoptr(GError) error = NULL;
		HullOpenOptions o = {.type = HULL_TARGET_IMAGE, .verify_digests = TRUE};
		HullTarget *t = hull_target_open(img, &o, &error);
		g_assert_null(t);
		assert_one_line_naming(error, img);
	}
	hull_test_rmdir(dir);
}

static void
test_digest_mismatch(void)
{
	const char *specs[] = {
		"{\"layers\": [{\"entries\": [{\"path\": \"a\", \"content\": \"x\"}]}], \"corrupt\": {\"diff_id\": 0}}",
		"{\"layers\": [{\"entries\": [{\"path\": \"a\", \"content\": \"x\"}]}], \"corrupt\": {\"blob\": 0}}",
	};
	for (guint s = 0; s < G_N_ELEMENTS(specs); s++) {
		for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
			g_autofree char *dir = hull_test_tmpdir();
			g_autoptr(GError) error = NULL;
			HullTarget *t = gen_open(dir, formats[i], specs[s], NULL, &error);
			g_assert_null(t);
			g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_DIGEST);
			assert_one_line_naming(error, "blob");
			assert_one_line_naming(error, dir);
			/* verification can be turned off (for tools that only list) */
			g_clear_error(&error);
			g_autofree char *img = g_build_filename(dir, "img", NULL);
			HullOpenOptions o = {.verify_digests = FALSE};
			g_autoptr(HullTarget) t2 = hull_target_open(img, &o, &error);
			g_assert_no_error(error);
			hull_test_rmdir(dir);
		}
	}
}

static void
test_duplicates(void)
{
	const char *spec = "{\"layers\": [{\"entries\": ["
	                   "{\"path\": \"dup\", \"content\": \"first\"},"
	                   "{\"path\": \"dup\", \"content\": \"second\"},"
	                   "{\"path\": \"d\", \"type\": \"dir\"},"
	                   "{\"path\": \"d/x\", \"content\": \"x\"},"
	                   "{\"path\": \"d\", \"type\": \"dir\"}]}]}";
	g_autofree char *dir = hull_test_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = gen_open(dir, "docker-archive", spec, NULL, &error);
	g_assert_no_error(error);
	HullFs *fs = hull_target_get_fs(t);
	g_autoptr(GBytes) b = hull_fs_read(fs, "/dup", 100, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), "second", 6);
	g_assert_nonnull(hull_fs_lookup(fs, "/d/x"));
	g_assert_cmpuint(hull_fs_get_n_entries(fs), ==, 3);
	g_autoptr(GHashTable) c = hull_test_stream_all(fs, 1, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(g_hash_table_lookup(c, "/dup")), ==, 6);
	hull_test_rmdir(dir);
}

static void
test_huge_size(void)
{
	const char *sizes[] = {"1152921504606846976", "8589934592"};
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_autofree char *spec = g_strdup_printf("{\"layers\": [{\"entries\": [{\"path\": \"ok\", \"content\": \"1\"},"
		                                        "{\"path\": \"huge\", \"type\": \"bogus_size\", \"size\": %s}]}]}",
		                                        sizes[i]);
		assert_open_invalid("oci-dir", spec);
	}
}

static void
test_long_and_deep(void)
{
	GString *spec = g_string_new("{\"layers\": [{\"compression\": \"gzip\", \"entries\": [{\"path\": \"");
	for (int i = 0; i < 4000; i++)
		g_string_append_c(spec, 'n');
	g_string_append(spec, "\", \"content\": \"long\"}, {\"path\": \"");
	for (int i = 0; i < 2000; i++)
		g_string_append(spec, "d/");
	g_string_append(spec, "leaf\", \"content\": \"deep\"}]}]}");
	g_autofree char *dir = hull_test_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = gen_open(dir, "docker-archive", spec->str, NULL, &error);
	g_assert_no_error(error);
	HullFs *fs = hull_target_get_fs(t);
	GString *p = g_string_new(NULL);
	for (int i = 0; i < 2000; i++)
		g_string_append(p, "/d");
	g_string_append(p, "/leaf");
	const HullFile *leaf = hull_fs_lookup(fs, p->str);
	g_assert_nonnull(leaf);
	g_assert_true(hull_fs_resolve(fs, p->str) == leaf);
	g_assert_cmpuint(hull_fs_get_n_entries(fs), ==, 2002);
	g_autoptr(GHashTable) c = hull_test_stream_all(fs, 2, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_hash_table_size(c), ==, 2);
	g_string_free(p, TRUE);
	g_string_free(spec, TRUE);
	hull_test_rmdir(dir);
}

static void
test_too_deep(void)
{
	/* 5,000 levels and 20 entries of 10 KB: past what any runtime extracts (PATH_MAX), so
	 * skipped, with one note for the layer however many there are; the rest is scanned. */
	GString *spec = g_string_new("{\"layers\": [{\"entries\": [{\"path\": \"ok\", \"content\": \"x\"}");
	for (int n = 0; n < 20; n++) {
		g_string_append(spec, ", {\"path\": \"");
		for (int i = 0; i < 5000; i++)
			g_string_append(spec, "d/");
		g_string_append_printf(spec, "leaf%d\"}", n);
	}
	g_string_append(spec, ", {\"path\": \"lnk\", \"type\": \"symlink\", \"target\": \"");
	for (int i = 0; i < HULL_LAYER_MAX_PATH + 1; i++)
		g_string_append_c(spec, 't');
	g_string_append(spec, "\"}]}]}");
	g_autofree char *dir = hull_test_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = gen_open(dir, "oci-dir", spec->str, NULL, &error);
	g_assert_no_error(error);
	HullFs *fs = hull_target_get_fs(t);
	g_assert_cmpuint(hull_fs_get_n_entries(fs), ==, 1);
	g_assert_nonnull(hull_fs_lookup(fs, "/ok"));
	GPtrArray *notes = hull_target_get_notes(t);
	g_assert_cmpuint(notes->len, ==, 1);
	const char *note = g_ptr_array_index(notes, 0);
	g_assert_nonnull(strstr(note, "layer 0 ("));
	g_assert_nonnull(strstr(note, "21 entries with a path or link target longer than 4096 bytes skipped"));
	g_string_free(spec, TRUE);
	hull_test_rmdir(dir);
}

/* Files name their paths through the tree: nothing holds a whole path per file, except while a
 * callback holds the file or after a caller asked outside one (who may keep the pointer). */
static gboolean
count_held(const HullFile *file, gpointer user_data)
{
	const char *p = hull_file_get_path(file);
	g_assert_true(p == ((const HullFile *)file)->path);
	/* the same pointer for the length of the callback */
	g_assert_true(hull_file_get_path(file) == p);
	(*(guint *)user_data)++;
	return TRUE;
}

static void
test_paths_not_stored(void)
{
	GString *base = g_string_new(NULL);
	for (int i = 0; i < 16; i++) {
		for (int k = 0; k < 200; k++)
			g_string_append_c(base, 'd');
		g_string_append_c(base, '/');
	}
	GString *spec = g_string_new("{\"layers\": [{\"compression\": \"gzip\", \"entries\": [");
	for (int n = 0; n < 200; n++)
		g_string_append_printf(spec, "%s{\"path\": \"%sf%d\", \"content\": \"c%d\"}", n ? ", " : "", base->str, n, n);
	g_string_append_printf(spec, ", {\"path\": \"%sgone\", \"content\": \"g\"}]}, {\"entries\": ["
	                       "{\"path\": \"%sgone\", \"type\": \"whiteout\"}]}]}", base->str, base->str);
	g_autofree char *dir = hull_test_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = gen_open(dir, "docker-archive", spec->str, NULL, &error);
	g_assert_no_error(error);
	HullFs *fs = hull_target_get_fs(t);
	/* 16 directories, 200 files */
	g_assert_cmpuint(hull_fs_get_n_entries(fs), ==, 216);
	g_autoptr(GHashTable) c = hull_test_stream_all(fs, 2, TRUE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_hash_table_size(c), ==, 201);
	g_autofree char *f7 = g_strdup_printf("/%sf7", base->str);
	GBytes *b7 = g_hash_table_lookup(c, f7);
	g_assert_nonnull(b7);
	g_assert_cmpmem(g_bytes_get_data(b7, NULL), g_bytes_get_size(b7), "c7", 2);
	g_autofree char *gone = g_strdup_printf("deleted:/%sgone", base->str);
	g_assert_true(g_hash_table_contains(c, gone));
	/* after a stream and a foreach, no file holds its path */
	guint n = 0;
	hull_fs_foreach(fs, count_held, &n);
	g_assert_cmpuint(n, ==, 216);
	for (guint i = 0; i < fs->sorted->len; i++)
		g_assert_null(((HullFile *)g_ptr_array_index(fs->sorted, i))->path);
	for (guint i = 0; i < fs->deleted->len; i++)
		g_assert_null(((HullFile *)g_ptr_array_index(fs->deleted, i))->path);
	/* asked for outside a callback: built, and kept for the rest of the scan */
	const HullFile *f = hull_fs_lookup(fs, f7);
	g_assert_nonnull(f);
	const char *p = hull_file_get_path(f);
	g_assert_cmpstr(p, ==, f7);
	g_assert_true(hull_file_get_path(f) == p);
	n = 0;
	hull_fs_foreach(fs, count_held, &n);
	g_assert_true(hull_file_get_path(f) == p);
	g_assert_cmpstr(p, ==, f7);
	g_string_free(spec, TRUE);
	g_string_free(base, TRUE);
	hull_test_rmdir(dir);
}

static gboolean
check_utf8_path(const HullFile *f, gpointer user_data)
{
	if (!g_utf8_validate(hull_file_get_path(f), -1, NULL))
		(*(guint *)user_data)++;
	return TRUE;
}

static void
test_non_utf8(void)
{
	const char *good = "{\"layers\": [{\"entries\": ["
	                   "{\"path_hex\": \"626164ff2e747874\", \"content\": \"x\"},"
	                   "{\"path_hex\": \"6e756c0a6c696e65\", \"content\": \"y\"}]}]}";
	g_autofree char *dir = hull_test_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = gen_open(dir, "docker-archive", good, NULL, &error);
	g_assert_no_error(error);
	HullFs *fs = hull_target_get_fs(t);
	g_assert_cmpuint(hull_fs_get_n_entries(fs), ==, 2);
	guint invalid = 0;
	hull_fs_foreach(fs, check_utf8_path, &invalid);
	/* names are kept as bytes (plugins match them); the CLI escapes them */
	g_assert_cmpuint(invalid, ==, 1);
	g_autoptr(GHashTable) c = hull_test_stream_all(fs, 1, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_hash_table_size(c), ==, 2);
	hull_test_rmdir(dir);
}

static void
test_random_bytes(void)
{
	g_autofree char *dir = hull_test_tmpdir();
	g_autofree char *p = g_build_filename(dir, "image.tar", NULL);
	GRand *r = g_rand_new_with_seed(42);
	for (guint round = 0; round < 20; round++) {
		gsize len = 1 + g_rand_int_range(r, 0, 70000);
		guint8 *buf = g_malloc(len);
		for (gsize i = 0; i < len; i++)
			buf[i] = (guint8)g_rand_int(r);
		if (round % 2 == 1 && len > 600)
			memcpy(buf + 257, "ustar", 5); /* look a little like a tar */
		g_assert_true(g_file_set_contents(p, (char *)buf, (gssize)len, NULL));
		g_free(buf);
		g_autoptr(GError) error = NULL;
		HullOpenOptions o = {.type = round % 3 == 0 ? HULL_TARGET_AUTO : HULL_TARGET_IMAGE, .verify_digests = TRUE};
		HullTarget *t = hull_target_open(p, &o, &error);
		if (t != NULL) {
			hull_target_free(t);
			continue;
		}
		g_assert_nonnull(error);
		assert_one_line_naming(error, p);
	}
	g_rand_free(r);
	hull_test_rmdir(dir);
}

/* Opens @img with @memo as its probe memo: a one-line error naming the file, or a target. */
static HullTarget *
open_with_memo(const char *img, GBytes *memo, gboolean skip_layers)
{
	g_autoptr(GError) error = NULL;
	HullOpenOptions o = {.verify_digests = TRUE, .skip_layers = skip_layers, .probe_memo = memo};
	HullTarget *t = hull_target_open(img, &o, &error);
	if (t == NULL)
		assert_one_line_naming(error, img);
	return t;
}

static void
test_probe_memo(void)
{
	/* The scan cache keeps what listing an image tar taught (member list, manifests, config) and
	 * hands it back for the same unchanged file. A good memo gives the same image without a
	 * listing and still reads layers; a damaged or crafted one (it is read from a file on disk)
	 * gives an error, or an image whose content key says what it is - never a crash. */
	const char *spec = "{\"layers\": [{\"entries\": [{\"path\": \"etc/os-release\", \"content\": \"ID=alpine\\n\"},"
	                   "{\"path\": \"app/key\", \"content\": \"K\"}]}, {\"entries\": [{\"path\": \"app/.wh.key\"}]}]}";
	const char *tar_formats[] = {"docker-archive", "oci-tar"};
	for (guint f = 0; f < G_N_ELEMENTS(tar_formats); f++) {
		g_autofree char *dir = hull_test_tmpdir();
		g_autofree char *img = hull_test_gen(dir, "img", tar_formats[f], spec);
		g_autoptr(HullTarget) probe = open_with_memo(img, NULL, TRUE);
		g_assert_nonnull(probe);
		g_autoptr(GBytes) memo = hull_target_get_probe_memo(probe);
		g_assert_nonnull(memo);
		g_autofree gchar *key = hull_target_get_content_key(probe);

		/* from the memo: same image, no new memo (nothing was listed), layers still readable */
		g_autoptr(HullTarget) again = open_with_memo(img, memo, TRUE);
		g_assert_nonnull(again);
		g_autofree gchar *key2 = hull_target_get_content_key(again);
		g_assert_cmpstr(key, ==, key2);
		g_assert_null(hull_target_get_probe_memo(again));
		g_autoptr(HullTarget) full = open_with_memo(img, memo, FALSE);
		g_assert_nonnull(full);
		g_assert_nonnull(hull_fs_lookup(hull_target_get_fs(full), "/etc/os-release"));
		g_assert_null(hull_fs_lookup(hull_target_get_fs(full), "/app/key"));
		g_autoptr(GError) error = NULL;
		g_autoptr(GHashTable) c = hull_test_stream_all(hull_target_get_fs(full), 1, TRUE, &error);
		g_assert_no_error(error);
		g_assert_true(hull_target_finish_verify(full, &error));

		/* every truncation, random bytes, single bit flips */
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(memo, &len);
		GRand *r = g_rand_new_with_seed(7 + f);
		for (guint round = 0; round < len + 600; round++) {
			g_autofree guint8 *buf = g_memdup2(data, len);
			gsize n = len;
			if (round < len) {
				n = round;
			} else if (round < len + 300) {
				buf[g_rand_int_range(r, 0, (gint32)len)] ^= (guint8)(1u << g_rand_int_range(r, 0, 8));
			} else {
				for (gsize i = 0; i < len; i++)
					buf[i] = (guint8)g_rand_int(r);
			}
			g_autoptr(GBytes) bad = g_bytes_new(buf, n);
			g_autoptr(HullTarget) t = open_with_memo(img, bad, TRUE);
			if (t != NULL) {
				g_autofree gchar *k = hull_target_get_content_key(t);
				g_assert_true(k == NULL || strlen(k) == 64);
			}
		}
		g_rand_free(r);

		/* crafted: names that leave the archive, a zero or impossible ordinal, bytes for a
		 * member not listed: refused, so the archive is listed as if there were no memo; or
		 * well-formed but lying about the manifest: an error (the scan then lists it) */
		const struct {
			const char *memo;
			gboolean refused;
		} crafted[] = {
		    {"([('../manifest.json', 1, 10)], @a(say) [])", TRUE},
		    {"([('/manifest.json', 1, 10)], @a(say) [])", TRUE},
		    {"([('manifest.json', 0, 10)], @a(say) [])", TRUE},
		    {"([('manifest.json', 4000000000, 10)], @a(say) [])", TRUE},
		    {"([('manifest.json', 1, 2)], [('nope.json', @ay [0x5b, 0x5d])])", TRUE},
		    {"([('manifest.json', 1, 2)], [('manifest.json', @ay [0x5b, 0x5d])])", FALSE},
		    {"([('index.json', 1, 2)], [('index.json', @ay [0x7b, 0x7d])])", FALSE},
		};
		for (guint i = 0; i < G_N_ELEMENTS(crafted); i++) {
			g_autoptr(GError) perr = NULL;
			g_autoptr(GVariant) v =
			    g_variant_parse(G_VARIANT_TYPE("(a(sut)a(say))"), crafted[i].memo, NULL, NULL, &perr);
			g_assert_no_error(perr);
			g_autoptr(GBytes) b = g_variant_get_data_as_bytes(v);
			g_autoptr(HullTarget) t = open_with_memo(img, b, TRUE);
			if (!crafted[i].refused) {
				g_assert_null(t);
				continue;
			}
			g_assert_nonnull(t);
			g_autofree gchar *k = hull_target_get_content_key(t);
			g_assert_cmpstr(k, ==, key);
			g_autoptr(GBytes) fresh = hull_target_get_probe_memo(t);
			g_assert_nonnull(fresh); /* it was listed */
		}
		hull_test_rmdir(dir);
	}
}

/* Opens @img and streams every file: path -> bytes, or NULL with @error. */
static GHashTable *
open_and_stream(const char *img, GError **error)
{
	HullOpenOptions o = {.verify_digests = TRUE};
	g_autoptr(HullTarget) t = hull_target_open(img, &o, error);
	if (t == NULL)
		return NULL;
	GHashTable *c = hull_test_stream_all(hull_target_get_fs(t), 2, FALSE, error);
	if (c != NULL && !hull_target_finish_verify(t, error))
		g_clear_pointer(&c, g_hash_table_unref);
	return c;
}

static void
test_gzip_isal_and_zlib(void)
{
#if defined(HULL_HAVE_ISAL) && defined(HULL_LAZY_LIBS)
	/* gzip layers are inflated by ISA-L when libisal opens, by zlib through libarchive when it
	 * does not: both must read every kind of gzip blob to the same bytes and refuse truncated
	 * ones. One difference, on purpose: ISA-L checks each member's CRC-32 (as gzip(1) and
	 * containerd's Go reader do), libarchive does not; the layer's SHA-256 digests are checked
	 * on both paths. */
	const char *kinds[][3] = {
	    {"gzip", "ok", "ok"}, {"gzip-members", "ok", "ok"}, {"gzip-trailing", "ok", "ok"},
	    {"gzip-badcrc", "gzip checksum mismatch", "ok"}, {"gzip-truncated", "truncated gzip data", "error"},
	};
	GString *big = g_string_new(NULL);
	for (guint i = 0; i < 40000; i++)
		g_string_append_printf(big, "line %u of a file spread over several members %u\\n", i, i * 7919u);
	g_autofree char *dir = hull_test_tmpdir();
	GPtrArray *imgs = g_ptr_array_new_with_free_func(g_free);
	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		g_autofree char *spec = g_strdup_printf(
		    "{\"layers\": [{\"compression\": \"%s\", \"entries\": ["
		    "{\"path\": \"etc/os-release\", \"content\": \"ID=alpine\\n\"},"
		    "{\"path\": \"var/log/big.log\", \"content\": \"%s\"},"
		    "{\"path\": \"app/x\", \"content\": \"X\", \"repeat\": 70000}]}]}",
		    kinds[k][0], big->str);
		g_autofree char *name = g_strdup_printf("img-%u", k);
		g_ptr_array_add(imgs, hull_test_gen(dir, name, "oci-dir", spec));
	}
	g_string_free(big, TRUE);
	GHashTable *seen[G_N_ELEMENTS(kinds)] = {NULL};
	for (guint pass = 0; pass < 2; pass++) {
		if (pass == 1)
			g_atomic_int_set(&hull_lazy_isal.failed, 1); /* as on a machine without libisal */
		for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
			const char *img = g_ptr_array_index(imgs, k);
			g_autoptr(GError) error = NULL;
			GHashTable *c = open_and_stream(img, &error);
			const char *want = kinds[k][1 + pass];
			if (g_strcmp0(want, "ok") != 0) {
				g_assert_null(c);
				assert_one_line_naming(error, "layer");
				if (g_strcmp0(want, "error") != 0)
					g_assert_nonnull(strstr(error->message, want));
				continue;
			}
			g_assert_no_error(error);
			g_assert_nonnull(c);
			g_assert_cmpuint(g_hash_table_size(c), ==, 3);
			GBytes *b = g_hash_table_lookup(c, "/app/x");
			g_assert_cmpuint(g_bytes_get_size(b), ==, 70000);
			if (pass == 0) {
				seen[k] = c;
				continue;
			}
			if (seen[k] == NULL) { /* read by zlib only: nothing to compare with */
				g_hash_table_unref(c);
				continue;
			}
			GHashTableIter it;
			gpointer path, bytes;
			g_hash_table_iter_init(&it, c);
			while (g_hash_table_iter_next(&it, &path, &bytes))
				g_assert_true(g_bytes_equal(bytes, g_hash_table_lookup(seen[k], path)));
			g_hash_table_unref(c);
			g_hash_table_unref(seen[k]);
		}
		if (pass == 0)
			g_assert_true(hull_lazy_is_loaded(&hull_lazy_isal)); /* the first pass was ISA-L's */
	}
	g_atomic_int_set(&hull_lazy_isal.failed, 0);
	g_ptr_array_unref(imgs);
	hull_test_rmdir(dir);
#else
	g_test_skip("built without libisal: gzip has one path only");
#endif
}

#ifdef HULL_HAVE_ISAL
static GBytes *
gzip_bytes(const guint8 *data, gsize len)
{
	g_autoptr(GZlibCompressor) c = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
	gsize cap = len + len / 8 + 1024, r = 0, w = 0;
	guint8 *out = g_malloc(cap);
	g_autoptr(GError) error = NULL;
	g_assert_cmpint(g_converter_convert(G_CONVERTER(c), data, len, out, cap, G_CONVERTER_INPUT_AT_END, &r, &w, &error),
	                ==, G_CONVERTER_FINISHED);
	g_assert_no_error(error);
	return g_bytes_new_take(out, w);
}

/* Inflates @z fed in pieces of @chunk bytes; the bytes, or NULL with @err set. Never more than
 * a bounded number of calls: a stream that stops progressing is a failure of the test. */
static GByteArray *
gunzip_all(const guint8 *z, gsize len, gsize chunk, const char **err)
{
	g_autoptr(HullGunzip) g = hull_gunzip_new();
	GByteArray *out = g_byte_array_new();
	guint8 buf[8192];
	gsize at = 0;
	for (guint calls = 0;; calls++) {
		g_assert_cmpuint(calls, <, 4 * (len + 64) + 1000000);
		if (hull_gunzip_needs_input(g)) {
			gsize n = MIN(chunk, len - at);
			hull_gunzip_feed(g, z + at, n);
			at += n;
		}
		gssize got = hull_gunzip_read(g, buf, sizeof buf, err);
		if (got < 0) {
			g_byte_array_unref(out);
			return NULL;
		}
		g_byte_array_append(out, buf, (guint)got);
		if (got == 0 && hull_gunzip_finished(g))
			return out;
	}
}
#endif

static void
test_gzip_stream(void)
{
#if defined(HULL_HAVE_ISAL) && defined(HULL_LAZY_LIBS)
	/* the ISA-L inflater alone: fed in any piece size, concatenated members, every truncation,
	 * bit flips and garbage after a valid header end in the right bytes or an error, never a
	 * hang or a crash */
	g_assert_true(hull_gunzip_available());
	GRand *r = g_rand_new_with_seed(2026);
	GByteArray *plain = g_byte_array_new();
	for (guint i = 0; i < 300000; i++) {
		guint8 b = i % 3 == 0 ? (guint8)g_rand_int(r) : (guint8)("abcdefgh\n"[i % 9]);
		g_byte_array_append(plain, &b, 1);
	}
	g_autoptr(GBytes) z = gzip_bytes(plain->data, plain->len);
	gsize zlen = 0;
	const guint8 *zd = g_bytes_get_data(z, &zlen);
	const gsize chunks[] = {1, 7, 4096, 1 << 20};
	for (guint i = 0; i < G_N_ELEMENTS(chunks); i++) {
		const char *err = NULL;
		g_autoptr(GByteArray) got = gunzip_all(zd, zlen, chunks[i], &err);
		g_assert_nonnull(got);
		g_assert_cmpmem(got->data, got->len, plain->data, plain->len);
	}
	/* two members, then bytes that start no third */
	GByteArray *two = g_byte_array_new();
	g_byte_array_append(two, zd, (guint)zlen);
	g_byte_array_append(two, zd, (guint)zlen);
	g_byte_array_append(two, (const guint8 *)"\0trailing", 9);
	const char *err = NULL;
	g_autoptr(GByteArray) both = gunzip_all(two->data, two->len, 5000, &err);
	g_assert_nonnull(both);
	g_assert_cmpuint(both->len, ==, 2 * plain->len);
	g_assert_cmpmem(both->data + plain->len, plain->len, plain->data, plain->len);
	g_byte_array_unref(two);

	g_autoptr(GBytes) small = gzip_bytes((const guint8 *)"hello, layer\n", 13);
	gsize slen = 0;
	const guint8 *sd = g_bytes_get_data(small, &slen);
	for (gsize cut = 3; cut < slen; cut++) {
		err = NULL;
		g_assert_null(gunzip_all(sd, cut, 3, &err));
		g_assert_nonnull(err);
	}
	for (guint round = 0; round < 3000; round++) {
		g_autofree guint8 *bad = g_memdup2(round < 2000 ? sd : zd, round < 2000 ? slen : 4096);
		gsize blen = round < 2000 ? slen : 4096;
		if (round < 2000)
			bad[g_rand_int_range(r, 3, (gint32)blen)] ^= (guint8)(1u << g_rand_int_range(r, 0, 8));
		else
			for (gsize i = 10; i < blen; i++) /* a valid header, then noise */
				bad[i] = (guint8)g_rand_int(r);
		err = NULL;
		GByteArray *out = gunzip_all(bad, blen, 1 + (gsize)g_rand_int_range(r, 0, 300), &err);
		g_assert_true(out != NULL || err != NULL);
		if (out != NULL)
			g_byte_array_unref(out);
	}
	g_byte_array_unref(plain);
	g_rand_free(r);
#else
	g_test_skip("built without libisal");
#endif
}

static void
test_hostile_json(void)
{
	/* manifest.json / index.json that are not what they claim */
	const char *manifests[] = {
		"[]", "{}", "[1]", "[{\"Config\": 5, \"Layers\": []}]",
		"[{\"Config\": \"c.json\", \"Layers\": [\"../x\"]}]",
		"[{\"Config\": \"manifest.json\", \"Layers\": []}]",
		"not json at all",
	};
	for (guint i = 0; i < G_N_ELEMENTS(manifests); i++) {
		g_autofree char *dir = hull_test_tmpdir();
		g_autofree char *oci = g_build_filename(dir, "layout", NULL);
		g_mkdir(oci, 0755);
		g_autofree char *ol = g_build_filename(oci, "oci-layout", NULL);
		g_autofree char *ij = g_build_filename(oci, "index.json", NULL);
		g_assert_true(g_file_set_contents(ol, "{\"imageLayoutVersion\": \"1.0.0\"}", -1, NULL));
		g_assert_true(g_file_set_contents(ij, manifests[i], -1, NULL));
		g_autoptr(GError) error = NULL;
		HullTarget *t = hull_target_open(oci, NULL, &error);
		g_assert_null(t);
		assert_one_line_naming(error, oci);
		hull_test_rmdir(dir);
	}
	/* an index that points at itself */
	g_autofree char *dir = hull_test_tmpdir();
	g_autofree char *blobs = g_build_filename(dir, "blobs", "sha256", NULL);
	g_mkdir_with_parents(blobs, 0755);
	const char *inner = "{\"manifests\": [{\"mediaType\": \"application/vnd.oci.image.index.v1+json\", \"digest\": \"sha256:";
	/* the self-reference cannot name its own digest; a chain of distinct indexes is used instead */
	g_autofree char *prev = NULL;
	for (int i = 0; i < 12; i++) {
		g_autofree char *doc = prev ? g_strdup_printf("%s%s\"}], \"n\": %d}", inner, prev, i)
		                            : g_strdup_printf("{\"manifests\": [], \"n\": %d}", i);
		g_autofree char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, doc, -1);
		g_autofree char *bp = g_build_filename(blobs, hex, NULL);
		g_assert_true(g_file_set_contents(bp, doc, -1, NULL));
		g_free(prev);
		prev = g_steal_pointer(&hex);
	}
	g_autofree char *top = g_strdup_printf("%s%s\"}]}", inner, prev);
	g_autofree char *ij = g_build_filename(dir, "index.json", NULL);
	g_autofree char *ol = g_build_filename(dir, "oci-layout", NULL);
	g_assert_true(g_file_set_contents(ij, top, -1, NULL));
	g_assert_true(g_file_set_contents(ol, "{}", -1, NULL));
	g_autoptr(GError) error = NULL;
	g_assert_null(hull_target_open(dir, NULL, &error));
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID);
	assert_one_line_naming(error, "nested");
	hull_test_rmdir(dir);
}

/* 100,000 '[' as a document: json-glib's parser recursed once per level and overflowed the
 * stack; the loader refuses it first. */
static char *
deep_json(void)
{
	char *s = g_malloc(100001);
	memset(s, '[', 100000);
	s[100000] = '\0';
	return s;
}

static char *
write_blob(const char *blobs, const char *data)
{
	char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, data, -1);
	g_autofree char *p = g_build_filename(blobs, hex, NULL);
	g_assert_true(g_file_set_contents(p, data, -1, NULL));
	return hex;
}

/* An OCI layout whose index, manifest or config (@which: 0, 1, 2) is @deep. */
static char *
deep_oci(const char *dir, guint which, const char *deep)
{
	g_autofree char *blobs = g_build_filename(dir, "blobs", "sha256", NULL);
	g_mkdir_with_parents(blobs, 0755);
	g_autofree char *cfg = write_blob(blobs, which == 2 ? deep : "{\"rootfs\": {\"type\": \"layers\", \"diff_ids\": []}}");
	g_autofree char *man_text = g_strdup_printf(
		"{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", \"config\": "
		"{\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"digest\": \"sha256:%s\", \"size\": %zu}, "
		"\"layers\": []}", cfg, which == 2 ? strlen(deep) : strlen("{\"rootfs\": {\"type\": \"layers\", \"diff_ids\": []}}"));
	const char *man = which == 1 ? deep : man_text;
	g_autofree char *mh = write_blob(blobs, man);
	g_autofree char *index = g_strdup_printf(
		"{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", "
		"\"digest\": \"sha256:%s\", \"size\": %zu}]}", mh, strlen(man));
	g_autofree char *ij = g_build_filename(dir, "index.json", NULL);
	g_autofree char *ol = g_build_filename(dir, "oci-layout", NULL);
	g_assert_true(g_file_set_contents(ij, which == 0 ? deep : index, -1, NULL));
	g_assert_true(g_file_set_contents(ol, "{\"imageLayoutVersion\": \"1.0.0\"}", -1, NULL));
	return g_strdup(dir);
}

/* One ustar member of @data into @out (a plain header: the names here are short). */
static void
tar_add(GByteArray *out, const char *name, const char *data)
{
	guint8 h[512] = {0};
	gsize len = strlen(data);
	memcpy(h, name, strlen(name));
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011o", (unsigned)len);
	snprintf((char *)h + 136, 12, "%011o", 0);
	h[156] = '0';
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	guint sum = 0;
	for (guint i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	g_byte_array_append(out, h, 512);
	g_byte_array_append(out, (const guint8 *)data, (guint)len);
	static const guint8 zero[512] = {0};
	if (len % 512 != 0)
		g_byte_array_append(out, zero, (guint)(512 - len % 512));
}

/* A docker-archive whose manifest.json (@which 0) or image config (@which 2) is @deep. */
static char *
deep_docker_archive(const char *dir, guint which, const char *deep)
{
	char *path = g_build_filename(dir, "img.tar", NULL);
	g_autoptr(GByteArray) tar = g_byte_array_new();
	tar_add(tar, "manifest.json", which == 0 ? deep : "[{\"Config\": \"c.json\", \"RepoTags\": [], \"Layers\": []}]");
	tar_add(tar, "c.json", which == 2 ? deep : "{}");
	static const guint8 end[1024] = {0};
	g_byte_array_append(tar, end, sizeof end);
	g_assert_true(g_file_set_contents(path, (const char *)tar->data, tar->len, NULL));
	return path;
}

static void
test_deep_json(void)
{
	g_autofree char *deep = deep_json();
	const char *what[] = {"OCI index", "OCI manifest", "OCI config", "docker-archive manifest", "docker-archive config"};
	for (guint i = 0; i < G_N_ELEMENTS(what); i++) {
		g_autofree char *dir = hull_test_tmpdir();
		g_autofree char *img = i < 3 ? deep_oci(dir, i, deep) : deep_docker_archive(dir, i == 3 ? 0 : 2, deep);
		g_autoptr(GError) error = NULL;
		HullTarget *t = hull_target_open(img, NULL, &error);
		if (t != NULL)
			g_error("%s nested 100,000 deep was opened", what[i]);
		assert_one_line_naming(error, dir);
		hull_test_rmdir(dir);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/image/hostile/traversal-in-layer", test_traversal_in_layer);
	g_test_add_func("/image/hostile/traversal-in-references", test_traversal_in_references);
	g_test_add_func("/image/hostile/links-out-of-root", test_links_out_of_root);
	g_test_add_func("/image/hostile/link-loops", test_link_loops);
	g_test_add_func("/image/hostile/linked-layer-members", test_linked_layer_members);
	g_test_add_func("/image/hostile/gzip-bomb", test_gzip_bomb);
	g_test_add_func("/image/hostile/bomb-stream-memory", test_bomb_stream);
	g_test_add_func("/image/hostile/truncated-corrupt", test_truncated_and_corrupt);
	g_test_add_func("/image/hostile/digest-mismatch", test_digest_mismatch);
	g_test_add_func("/image/hostile/duplicates", test_duplicates);
	g_test_add_func("/image/hostile/huge-size", test_huge_size);
	g_test_add_func("/image/hostile/long-and-deep", test_long_and_deep);
	g_test_add_func("/image/hostile/too-deep", test_too_deep);
	g_test_add_func("/image/hostile/paths-not-stored", test_paths_not_stored);
	g_test_add_func("/image/hostile/non-utf8", test_non_utf8);
	g_test_add_func("/image/hostile/random-bytes", test_random_bytes);
	g_test_add_func("/image/hostile/hostile-json", test_hostile_json);
	g_test_add_func("/image/hostile/deep-json", test_deep_json);
	g_test_add_func("/image/hostile/probe-memo", test_probe_memo);
	g_test_add_func("/image/hostile/gzip-isal-and-zlib", test_gzip_isal_and_zlib);
	g_test_add_func("/image/hostile/gzip-stream", test_gzip_stream);
	return g_test_run();
}
