/* test-image.c: the image filesystem on well-formed input: target detection, the rootfs and
 * single-file sources, docker-archive and OCI layouts (dir and tar, gzip/zstd layers, nested
 * indexes, --ref/--platform), layer merging with whiteouts/opaque dirs/replacements/hard links,
 * streaming, symlink resolution, image metadata. Images are generated in a temp dir. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "test-image-util.h"

static const char *MERGE_SPEC =
	"{\"tags\": [\"merge:1\"], \"config\": {\"User\": \"app\", \"ExposedPorts\": {\"80/tcp\": {}}},"
	" \"history\": [{\"created_by\": \"ADD base\"}, {\"created_by\": \"ENV X=1\", \"empty_layer\": true},"
	"               {\"created_by\": \"RUN change\"}, {\"created_by\": \"RUN more\"}],"
	" \"layers\": ["
	"  {\"compression\": \"gzip\", \"entries\": ["
	"    {\"path\": \"etc\", \"type\": \"dir\"},"
	"    {\"path\": \"etc/passwd\", \"content\": \"root:x:0:0\\n\"},"
	"    {\"path\": \"etc/secret\", \"content\": \"SECRET-1\"},"
	"    {\"path\": \"opt/keep/a\", \"content\": \"A\"},"
	"    {\"path\": \"opt/old/b\", \"content\": \"B\"},"
	"    {\"path\": \"var/dir/x\", \"content\": \"X\"},"
	"    {\"path\": \"file2dir\", \"content\": \"F\"},"
	"    {\"path\": \"bin/busybox\", \"content\": \"BUSYBOX\", \"mode\": 493},"
	"    {\"path\": \"bin/sh\", \"type\": \"symlink\", \"target\": \"busybox\"},"
	"    {\"path\": \"bin/ln\", \"type\": \"hardlink\", \"target\": \"bin/busybox\"},"
	"    {\"path\": \"run/fifo\", \"type\": \"fifo\"}"
	"  ]},"
	"  {\"compression\": \"none\", \"entries\": ["
	"    {\"path\": \"etc/secret\", \"type\": \"whiteout\"},"
	"    {\"path\": \"opt/old\", \"type\": \"opaque\"},"
	"    {\"path\": \"opt/old/new\", \"content\": \"NEW\"},"
	"    {\"path\": \"var/dir\", \"content\": \"now a file\"},"
	"    {\"path\": \"file2dir/inner\", \"content\": \"I\"},"
	"    {\"path\": \"etc/passwd\", \"content\": \"root:x:0:0\\napp:x:1000:1000\\n\"}"
	"  ]},"
	"  {\"compression\": \"gzip\", \"entries\": ["
	"    {\"path\": \"etc/link-abs\", \"type\": \"symlink\", \"target\": \"/etc/passwd\"},"
	"    {\"path\": \"etc/link-up\", \"type\": \"symlink\", \"target\": \"../../../../../etc/passwd\"}"
	"  ]}"
	"]}";

static GBytes *
lookup_content(GHashTable *c, const char *path)
{
	GBytes *b = g_hash_table_lookup(c, path);
	g_assert_nonnull(b);
	return b;
}

static void
assert_content(GHashTable *c, const char *path, const char *expect)
{
	gsize len;
	const char *d = g_bytes_get_data(lookup_content(c, path), &len);
	g_assert_cmpmem(d, len, expect, strlen(expect));
}

static void
check_merged(HullTarget *t)
{
	HullFs *fs = hull_target_get_fs(t);
	g_assert_cmpint(hull_target_get_type(t), ==, HULL_TARGET_IMAGE);
	/* whiteout */
	g_assert_null(hull_fs_lookup(fs, "/etc/secret"));
	/* opaque: lower children gone, this layer's stays */
	g_assert_null(hull_fs_lookup(fs, "/opt/old/b"));
	g_assert_nonnull(hull_fs_lookup(fs, "/opt/old/new"));
	g_assert_nonnull(hull_fs_lookup(fs, "/opt/keep/a"));
	/* dir -> file */
	const HullFile *vd = hull_fs_lookup(fs, "/var/dir");
	g_assert_nonnull(vd);
	g_assert_cmpint(hull_file_get_kind(vd), ==, HULL_FILE_KIND_REGULAR);
	g_assert_null(hull_fs_lookup(fs, "/var/dir/x"));
	/* file -> dir */
	const HullFile *fd = hull_fs_lookup(fs, "/file2dir");
	g_assert_cmpint(hull_file_get_kind(fd), ==, HULL_FILE_KIND_DIRECTORY);
	g_assert_nonnull(hull_fs_lookup(fs, "/file2dir/inner"));
	/* layers */
	const HullFile *pw = hull_fs_lookup(fs, "/etc/passwd");
	g_assert_cmpint(hull_file_get_layer(pw), ==, 1);
	g_assert_cmpint(hull_file_get_deleted_in(pw), ==, -1);
	g_assert_cmpint(hull_file_get_layer(hull_fs_lookup(fs, "/bin/busybox")), ==, 0);
	const HullFile *ln = hull_fs_lookup(fs, "/bin/ln");
	g_assert_cmpint(hull_file_get_kind(ln), ==, HULL_FILE_KIND_HARDLINK);
	g_assert_cmpstr(hull_file_get_link_target(ln), ==, "/bin/busybox");
	g_assert_cmpuint(hull_file_get_size(ln), ==, 7);
	g_assert_cmpint(hull_file_get_kind(hull_fs_lookup(fs, "/run/fifo")), ==, HULL_FILE_KIND_FIFO);
	/* symlinks resolve inside the root */
	g_assert_true(hull_fs_resolve(fs, "/bin/sh") == hull_fs_lookup(fs, "/bin/busybox"));
	g_assert_true(hull_fs_resolve(fs, "/etc/link-abs") == pw);
	g_assert_true(hull_fs_resolve(fs, "/etc/link-up") == pw);
	g_assert_true(hull_fs_resolve(fs, "/bin/../etc/./link-up") == pw);
	g_assert_true(hull_fs_lookup(fs, "/etc/link-abs") != pw);

	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) via_link = hull_fs_read(fs, "/etc/link-up", 4096, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(via_link, NULL), g_bytes_get_size(via_link), "root:x:0:0\napp:x:1000:1000\n", 27);
	g_autoptr(GBytes) small = hull_fs_read(fs, "/etc/passwd", 4, &error);
	g_assert_null(small);
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE);
	g_clear_error(&error);

	/* streaming: visible only, then with deleted */
	for (guint threads = 1; threads <= 3; threads += 2) {
		g_autoptr(GHashTable) c = hull_test_stream_all(fs, threads, FALSE, &error);
		g_assert_no_error(error);
		assert_content(c, "/etc/passwd", "root:x:0:0\napp:x:1000:1000\n");
		assert_content(c, "/bin/ln", "BUSYBOX");
		assert_content(c, "/bin/busybox", "BUSYBOX");
		assert_content(c, "/opt/old/new", "NEW");
		assert_content(c, "/var/dir", "now a file");
		g_assert_false(g_hash_table_contains(c, "deleted:/etc/secret"));
		g_assert_false(g_hash_table_contains(c, "/run/fifo"));
	}
	g_autoptr(GHashTable) all = hull_test_stream_all(fs, 2, TRUE, &error);
	g_assert_no_error(error);
	assert_content(all, "deleted:/etc/secret", "SECRET-1");
	assert_content(all, "deleted:/opt/old/b", "B");
	assert_content(all, "deleted:/var/dir/x", "X");
	assert_content(all, "deleted:/etc/passwd", "root:x:0:0\n");

	/* metadata */
	HullImage *img = hull_target_get_image(t);
	g_assert_nonnull(img);
	g_assert_cmpuint(hull_image_get_n_layers(img), ==, 3);
	g_assert_cmpuint(hull_image_get_n_history(img), ==, 4);
	g_assert_cmpint(hull_image_get_history_layer(img, 0), ==, 0);
	g_assert_cmpint(hull_image_get_history_layer(img, 1), ==, -1);
	g_assert_true(hull_image_get_history_empty_layer(img, 1));
	g_assert_cmpint(hull_image_get_history_layer(img, 2), ==, 1);
	g_assert_cmpint(hull_image_get_history_layer(img, 3), ==, 2);
	g_assert_cmpstr(hull_image_get_layer_created_by(img, 1), ==, "RUN change");
	g_assert_cmpstr(json_object_get_string_member(hull_image_get_config(img), "User"), ==, "app");
	g_assert_true(g_str_has_prefix(hull_image_get_layer_diff_id(img, 0), "sha256:"));
	g_assert_true(g_str_has_prefix(hull_image_get_digest(img), "sha256:"));
	g_assert_cmpstr(hull_image_get_repo_tags(img)[0], ==, "merge:1");
}

static void
test_merge(gconstpointer data)
{
	const char *format = data;
	g_autofree char *dir = hull_test_tmpdir();
	g_autofree char *img = hull_test_gen(dir, "img", format, MERGE_SPEC);
	g_assert_nonnull(img);
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = hull_target_open(img, NULL, &error);
	g_assert_no_error(error);
	check_merged(t);
	g_autofree char *shown = hull_target_display_path(t, "/etc/passwd");
	g_assert_cmpstr(shown, ==, "/etc/passwd");
	hull_test_rmdir(dir);
}

static void
test_zstd(void)
{
	g_autofree char *dir = hull_test_tmpdir();
	g_autofree char *img = hull_test_gen(dir, "img", "oci-dir",
	                                     "{\"layers\": [{\"compression\": \"zstd\", \"entries\": ["
	                                     "{\"path\": \"z/file\", \"content\": \"zstd!\", \"repeat\": 1000}]}]}");
	if (img == NULL) {
		hull_test_rmdir(dir);
		return;
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = hull_target_open(img, NULL, &error);
	g_assert_no_error(error);
	const HullFile *f = hull_fs_lookup(hull_target_get_fs(t), "/z/file");
	g_assert_cmpuint(hull_file_get_size(f), ==, 5000);
	g_autoptr(GHashTable) c = hull_test_stream_all(hull_target_get_fs(t), 2, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(lookup_content(c, "/z/file")), ==, 5000);
	hull_test_rmdir(dir);
}

static const char *MULTI_SPEC =
	"{\"images\": ["
	" {\"tags\": [\"one:1\"], \"platform\": \"linux/arm64\", \"nested_index\": true,"
	"  \"layers\": [{\"entries\": [{\"path\": \"which\", \"content\": \"one-arm\"}]}]},"
	" {\"tags\": [\"one:1\"], \"platform\": \"linux/amd64\", \"nested_index\": true,"
	"  \"layers\": [{\"entries\": [{\"path\": \"which\", \"content\": \"one-amd\"}]}]},"
	" {\"tags\": [\"two:2\"], \"layers\": [{\"entries\": [{\"path\": \"which\", \"content\": \"two\"}]}]}"
	"]}";

static char *
read_which(HullTarget *t)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = hull_fs_read(hull_target_get_fs(t), "/which", 100, &error);
	g_assert_no_error(error);
	return g_strndup(g_bytes_get_data(b, NULL), g_bytes_get_size(b));
}

static void
test_select(gconstpointer data)
{
	const char *format = data;
	g_autofree char *dir = hull_test_tmpdir();
	g_autofree char *img = hull_test_gen(dir, "img", format, MULTI_SPEC);
	g_autoptr(GError) error = NULL;
	gboolean docker = strcmp(format, "docker-archive") == 0;
	{
		/* default: docker-archive takes the first image; OCI the first linux/amd64 one */
		g_autoptr(HullTarget) t = hull_target_open(img, NULL, &error);
		g_assert_no_error(error);
		g_autofree char *w = read_which(t);
		g_assert_cmpstr(w, ==, docker ? "one-arm" : "one-amd");
	}
	{
		HullOpenOptions o = {.verify_digests = TRUE, .ref = "two:2"};
		g_autoptr(HullTarget) t = hull_target_open(img, &o, &error);
		g_assert_no_error(error);
		g_autofree char *w = read_which(t);
		g_assert_cmpstr(w, ==, "two");
	}
	if (!docker) {
		HullOpenOptions o = {.verify_digests = TRUE, .ref = "one:1", .platform = "linux/arm64"};
		g_autoptr(HullTarget) t = hull_target_open(img, &o, &error);
		g_assert_no_error(error);
		g_autofree char *w = read_which(t);
		g_assert_cmpstr(w, ==, "one-arm");
		HullOpenOptions p = {.verify_digests = TRUE, .platform = "linux/s390x"};
		HullTarget *none = hull_target_open(img, &p, &error);
		g_assert_null(none);
		g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NO_MATCH);
		g_clear_error(&error);
	}
	HullOpenOptions o = {.verify_digests = TRUE, .ref = "three:3"};
	HullTarget *none = hull_target_open(img, &o, &error);
	g_assert_null(none);
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NO_MATCH);
	g_assert_nonnull(strstr(error->message, img));
	hull_test_rmdir(dir);
}

static void
test_demo(void)
{
	g_autofree char *dir = hull_test_tmpdir();
	g_autofree char *out = g_build_filename(dir, "demo.tar", NULL);
	const char *gen = g_getenv("HULL_GEN_IMAGE");
	g_assert_nonnull(gen);
	const char *argv[] = {"python3", gen, "demo", out, NULL};
	int status;
	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL));
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = hull_target_open(out, NULL, &error);
	g_assert_no_error(error);
	HullFs *fs = hull_target_get_fs(t);
	HullImage *img = hull_target_get_image(t);
	g_assert_null(hull_fs_lookup(fs, "/app/old-id_rsa"));
	g_autoptr(GHashTable) c = hull_test_stream_all(fs, 2, TRUE, &error);
	g_assert_no_error(error);
	GBytes *key = lookup_content(c, "deleted:/app/old-id_rsa");
	g_assert_true(g_str_has_prefix(g_bytes_get_data(key, NULL), "-----BEGIN OPENSSH PRIVATE KEY-----"));
	gsize len;
	const char *env = g_bytes_get_data(lookup_content(c, "/app/.env"), &len);
	g_assert_nonnull(g_strstr_len(env, len, "ghp_"));
	JsonObject *cfg = hull_image_get_config(img);
	g_assert_true(json_object_has_member(json_object_get_object_member(cfg, "ExposedPorts"), "22/tcp"));
	g_assert_cmpuint(hull_image_get_n_layers(img), ==, 3);
	g_assert_cmpint(hull_image_get_history_layer(img, 2), ==, -1);
	g_assert_cmpint(hull_image_get_history_layer(img, 3), ==, 1);
	g_assert_cmpstr(hull_image_get_history_created_by(img, 2), ==, "/bin/sh -c #(nop)  USER root");
	g_autoptr(GBytes) osr = hull_fs_read(fs, "/etc/os-release", 65536, &error);
	g_assert_no_error(error);
	g_assert_nonnull(g_strstr_len(g_bytes_get_data(osr, NULL), g_bytes_get_size(osr), "VERSION_ID=\"12\""));
	/* deterministic: a second run writes the same bytes */
	g_autofree char *out2 = g_build_filename(dir, "demo2.tar", NULL);
	argv[3] = out2;
	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL));
	g_autofree char *a = NULL, *b = NULL;
	gsize alen, blen;
	g_assert_true(g_file_get_contents(out, &a, &alen, NULL));
	g_assert_true(g_file_get_contents(out2, &b, &blen, NULL));
	g_assert_cmpmem(a, alen, b, blen);
	hull_test_rmdir(dir);
}

static void
write_file(const char *dir, const char *rel, const char *content)
{
	g_autofree char *p = g_build_filename(dir, rel, NULL);
	g_autofree char *d = g_path_get_dirname(p);
	g_assert_cmpint(g_mkdir_with_parents(d, 0755), ==, 0);
	g_assert_true(g_file_set_contents(p, content, -1, NULL));
}

static void
test_rootfs(void)
{
	g_autofree char *dir = hull_test_tmpdir();
	write_file(dir, "etc/passwd", "ROOTFS-PASSWD");
	write_file(dir, "usr/bin/tool", "TOOL");
	for (int i = 0; i < 50; i++) {
		g_autofree char *n = g_strdup_printf("data/f%02d", i);
		g_autofree char *c = g_strdup_printf("content %d", i);
		write_file(dir, n, c);
	}
	g_autofree char *l1 = g_build_filename(dir, "etc/host-link", NULL);
	g_assert_cmpint(symlink("/etc/passwd", l1), ==, 0);
	g_autofree char *l2 = g_build_filename(dir, "etc/up-link", NULL);
	g_assert_cmpint(symlink("../../../../../../etc/passwd", l2), ==, 0);
	g_autofree char *l3 = g_build_filename(dir, "hostdir", NULL);
	g_assert_cmpint(symlink("/etc", l3), ==, 0);
	g_autofree char *fifo = g_build_filename(dir, "run-fifo", NULL);
	g_assert_cmpint(mkfifo(fifo, 0644), ==, 0);

	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = hull_target_open(dir, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(hull_target_get_type(t), ==, HULL_TARGET_ROOTFS);
	g_assert_null(hull_target_get_image(t));
	HullFs *fs = hull_target_get_fs(t);
	const HullFile *pw = hull_fs_lookup(fs, "/etc/passwd");
	g_assert_nonnull(pw);
	g_assert_cmpint(hull_file_get_layer(pw), ==, -1);
	g_assert_cmpint(hull_file_get_kind(hull_fs_lookup(fs, "/run-fifo")), ==, HULL_FILE_KIND_FIFO);
	g_assert_cmpint(hull_file_get_kind(hull_fs_lookup(fs, "/hostdir")), ==, HULL_FILE_KIND_SYMLINK);
	/* links resolve inside the root, never to the host */
	g_assert_true(hull_fs_resolve(fs, "/etc/host-link") == pw);
	g_assert_true(hull_fs_resolve(fs, "/etc/up-link") == pw);
	g_assert_true(hull_fs_resolve(fs, "/hostdir/passwd") == pw);
	g_autoptr(GBytes) b = hull_fs_read(fs, "/hostdir/passwd", 100, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), "ROOTFS-PASSWD", 13);
	g_assert_null(hull_fs_lookup(fs, "/hostdir/passwd"));
	/* the walk did not descend into the linked host /etc */
	g_assert_null(hull_fs_lookup(fs, "/hostdir/hostname"));

	g_autoptr(GHashTable) c = hull_test_stream_all(fs, 3, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_hash_table_size(c), ==, 52); /* regular files only: no fifo, no links */
	assert_content(c, "/data/f07", "content 7");
	assert_content(c, "/etc/passwd", "ROOTFS-PASSWD");
	g_assert_cmpuint(hull_target_get_total_bytes(t), >, 0);
	g_autofree char *shown = hull_target_display_path(t, "/etc/passwd");
	g_assert_cmpstr(shown, ==, "/etc/passwd");

	hull_test_rmdir(dir);
}

static gboolean
collect_path(const HullFile *f, gpointer user_data)
{
	g_ptr_array_add(user_data, g_strdup(hull_file_get_path(f)));
	return TRUE;
}

static void
test_foreach_order(void)
{
	g_autofree char *dir = hull_test_tmpdir();
	write_file(dir, "b/z", "1");
	write_file(dir, "a/y", "1");
	write_file(dir, "a/x", "1");
	write_file(dir, "c", "1");
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = hull_target_open(dir, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(hull_target_get_type(t), ==, HULL_TARGET_CONFIG);
	g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);
	hull_fs_foreach(hull_target_get_fs(t), collect_path, seen);
	const char *expect[] = {"/a", "/a/x", "/a/y", "/b", "/b/z", "/c"};
	g_assert_cmpuint(seen->len, ==, G_N_ELEMENTS(expect));
	for (guint i = 0; i < seen->len; i++)
		g_assert_cmpstr(g_ptr_array_index(seen, i), ==, expect[i]);
	g_assert_cmpuint(hull_fs_get_n_entries(hull_target_get_fs(t)), ==, 6);
	g_autofree char *shown = hull_target_display_path(t, "/a/x");
	g_assert_cmpstr(shown, ==, "a/x");
	hull_test_rmdir(dir);
}

static void
test_detect(void)
{
	g_autofree char *dir = hull_test_tmpdir();
	struct {
		const char *name;
		const char *content;
		HullTargetType type;
	} cases[] = {
		{"Dockerfile", "FROM debian\n", HULL_TARGET_DOCKERFILE},
		{"Containerfile", "FROM debian\n", HULL_TARGET_DOCKERFILE},
		{"api.Dockerfile", "FROM debian\n", HULL_TARGET_DOCKERFILE},
		{"Dockerfile.prod", "FROM debian\n", HULL_TARGET_DOCKERFILE},
		{"build-recipe", "# syntax=docker/dockerfile:1\n\nARG X=1\nFROM debian\n", HULL_TARGET_DOCKERFILE},
		{"deploy.yaml", "kind: Pod\n", HULL_TARGET_CONFIG},
		{"deploy.yml", "kind: Pod\n", HULL_TARGET_CONFIG},
		{"inspect.json", "{}", HULL_TARGET_CONFIG},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *p = g_build_filename(dir, cases[i].name, NULL);
		g_assert_true(g_file_set_contents(p, cases[i].content, -1, NULL));
		g_autoptr(GError) error = NULL;
		g_autoptr(HullTarget) t = hull_target_open(p, NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpint(hull_target_get_type(t), ==, cases[i].type);
		HullFs *fs = hull_target_get_fs(t);
		g_assert_cmpuint(hull_fs_get_n_entries(fs), ==, 1);
		g_autofree char *fspath = g_strconcat("/", cases[i].name, NULL);
		g_assert_nonnull(hull_fs_lookup(fs, fspath));
		g_autofree char *shown = hull_target_display_path(t, fspath);
		g_assert_cmpstr(shown, ==, p);
		g_autoptr(GHashTable) c = hull_test_stream_all(fs, 2, FALSE, &error);
		g_assert_no_error(error);
		assert_content(c, fspath, cases[i].content);
	}
	/* unknown */
	g_autofree char *junk = g_build_filename(dir, "notes.txt", NULL);
	g_assert_true(g_file_set_contents(junk, "hello\n", -1, NULL));
	g_autoptr(GError) error = NULL;
	g_assert_null(hull_target_open(junk, NULL, &error));
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_UNKNOWN_TYPE);
	g_assert_nonnull(strstr(error->message, junk));
	g_clear_error(&error);
	/* forced */
	HullOpenOptions o = {.type = HULL_TARGET_CONFIG};
	g_autoptr(HullTarget) t = hull_target_open(junk, &o, &error);
	g_assert_no_error(error);
	/* missing */
	g_autofree char *missing = g_build_filename(dir, "missing", NULL);
	g_assert_null(hull_target_open(missing, NULL, &error));
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NOT_FOUND);
	g_clear_error(&error);
	/* type names */
	HullTargetType ty;
	g_assert_true(hull_target_type_from_string("k8s", &ty));
	g_assert_cmpint(ty, ==, HULL_TARGET_CONFIG);
	g_assert_false(hull_target_type_from_string("bogus", &ty));
	g_assert_cmpstr(hull_target_type_to_string(HULL_TARGET_ROOTFS), ==, "rootfs");
	hull_test_rmdir(dir);
}

static gboolean
stop_chunk(const HullFile *file, gpointer file_data, const guint8 *buf, gsize len, gpointer user_data)
{
	return FALSE; /* one chunk is enough */
}

typedef struct {
	guint n_end;
	guint n_incomplete;
	guint64 progress;
	GMutex lock;
} StopCount;

static gboolean
stop_want(const HullFile *file, gpointer user_data, gpointer *file_data)
{
	return g_str_has_prefix(hull_file_get_path(file), "/big");
}

static void
stop_end(const HullFile *file, gpointer file_data, gboolean complete, gpointer user_data)
{
	StopCount *c = user_data;
	g_mutex_lock(&c->lock);
	c->n_end++;
	if (!complete)
		c->n_incomplete++;
	g_mutex_unlock(&c->lock);
}

static void
stop_progress(guint64 done, guint64 total, gpointer user_data)
{
	StopCount *c = user_data;
	g_mutex_lock(&c->lock);
	c->progress = MAX(c->progress, done);
	g_mutex_unlock(&c->lock);
}

/* chunk returning FALSE stops that file (end says incomplete); want FALSE skips a file */
static void
test_stream_stop(void)
{
	g_autofree char *dir = hull_test_tmpdir();
	g_autofree char *img = hull_test_gen(dir, "img", "oci-dir",
	                                     "{\"layers\": [{\"entries\": ["
	                                     "{\"path\": \"big1\", \"content\": \"0123456789abcdef\", \"repeat\": 65536},"
	                                     "{\"path\": \"small\", \"content\": \"s\"}]},"
	                                     "{\"compression\": \"gzip\", \"entries\": ["
	                                     "{\"path\": \"big2\", \"content\": \"0123456789abcdef\", \"repeat\": 65536}]}]}");
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = hull_target_open(img, NULL, &error);
	g_assert_no_error(error);
	StopCount c = {0};
	g_mutex_init(&c.lock);
	HullFsStreamFuncs funcs = {.want = stop_want, .chunk = stop_chunk, .end = stop_end, .progress = stop_progress};
	g_assert_true(hull_fs_stream(hull_target_get_fs(t), 2, FALSE, &funcs, &c, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(c.n_end, ==, 2);
	g_assert_cmpuint(c.n_incomplete, ==, 2);
	g_assert_cmpuint(c.progress, >, 0);
	g_assert_cmpuint(c.progress, <, 2u * 16 * 65536);
	g_assert_cmpuint(hull_target_get_total_bytes(t), ==, 2u * 16 * 65536 + 1);
	g_mutex_clear(&c.lock);
	hull_test_rmdir(dir);
}

/* a rootfs deeper than one syscall's PATH_MAX: opened a component at a time */
static void
test_rootfs_deep(void)
{
	g_autofree char *dir = hull_test_tmpdir();
	g_autofree char *etc = g_build_filename(dir, "etc", NULL);
	g_assert_cmpint(g_mkdir(etc, 0755), ==, 0);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	g_assert_cmpint(fd, >=, 0);
	for (int i = 0; i < 1500; i++) { /* 1500 x "dd/": past PATH_MAX */
		g_assert_cmpint(mkdirat(fd, "dd", 0755), ==, 0);
		int next = openat(fd, "dd", O_RDONLY | O_DIRECTORY);
		g_assert_cmpint(next, >=, 0);
		close(fd);
		fd = next;
	}
	int lf = openat(fd, "leaf", O_WRONLY | O_CREAT, 0644);
	g_assert_cmpint(lf, >=, 0);
	g_assert_cmpint(write(lf, "deep", 4), ==, 4);
	close(lf);
	close(fd);
	g_autoptr(GError) error = NULL;
	g_autoptr(HullTarget) t = hull_target_open(dir, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(hull_target_get_type(t), ==, HULL_TARGET_ROOTFS);
	g_autoptr(GHashTable) c = hull_test_stream_all(hull_target_get_fs(t), 2, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_hash_table_size(c), ==, 1);
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, c);
	g_assert_true(g_hash_table_iter_next(&it, NULL, &v));
	g_assert_cmpmem(g_bytes_get_data(v, NULL), g_bytes_get_size(v), "deep", 4);
	/* rm works through openat too, whatever the depth */
	const char *argv[] = {"rm", "-rf", dir, NULL};
	int status;
	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL));
	g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
	hull_test_rmdir(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_data_func("/image/merge/docker-archive", "docker-archive", test_merge);
	g_test_add_data_func("/image/merge/oci-dir", "oci-dir", test_merge);
	g_test_add_data_func("/image/merge/oci-tar", "oci-tar", test_merge);
	g_test_add_func("/image/zstd", test_zstd);
	g_test_add_data_func("/image/select/docker-archive", "docker-archive", test_select);
	g_test_add_data_func("/image/select/oci-dir", "oci-dir", test_select);
	g_test_add_data_func("/image/select/oci-tar", "oci-tar", test_select);
	g_test_add_func("/image/demo", test_demo);
	g_test_add_func("/image/rootfs", test_rootfs);
	g_test_add_func("/image/foreach-order", test_foreach_order);
	g_test_add_func("/image/detect", test_detect);
	g_test_add_func("/image/stream-stop", test_stream_stop);
	g_test_add_func("/image/rootfs-deep", test_rootfs_deep);
	return g_test_run();
}
