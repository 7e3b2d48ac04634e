/* test-loader.c: the plugin loader against real modules built from plugins/ here: what it
 * accepts, what it refuses (and says why), and that a loaded module resolves the SDK from
 * the program that loads it. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hull-test-util.h"
#include "hull-scan-private.h"
#include "bundle/hull-bundle.h"

static const char *const variants[] = {"good", "abi-major", "abi-minor", "no-init", "duplicate", "init-fails",
                                      "init-crashes", NULL};

static gchar *
make_plugin_dir(void)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp("hullscan-plugins-XXXXXX", &error);
	g_assert_no_error(error);
	g_chmod(dir, 0755);
	const char *src = g_getenv("HULL_TEST_PLUGIN_DIR");
	g_assert_nonnull(src);
	for (guint i = 0; variants[i] != NULL; i++) {
		g_autofree gchar *name = g_strdup_printf("test-%s.so", variants[i]);
		g_autofree gchar *from = g_build_filename(src, name, NULL);
		g_autofree gchar *to = g_build_filename(dir, name, NULL);
		g_autofree gchar *data = NULL;
		gsize len = 0;
		g_assert_true(g_file_get_contents(from, &data, &len, &error));
		g_assert_true(g_file_set_contents(to, data, (gssize)len, &error));
		g_chmod(to, 0755);
	}
	return dir;
}

static HullReportPlugin *
find_info(GPtrArray *infos, const char *name, const char *status)
{
	for (guint i = 0; i < infos->len; i++) {
		HullReportPlugin *p = g_ptr_array_index(infos, i);
		if (g_strcmp0(p->name, name) == 0 && g_strcmp0(p->status, status) == 0)
			return p;
	}
	return NULL;
}

static HullReportPlugin *
find_refused_with(GPtrArray *infos, const char *text)
{
	for (guint i = 0; i < infos->len; i++) {
		HullReportPlugin *p = g_ptr_array_index(infos, i);
		if (g_strcmp0(p->status, "ok") != 0 && p->error != NULL && strstr(p->error, text) != NULL)
			return p;
	}
	return NULL;
}

static void
test_accepts_and_refuses(void)
{
	g_autofree gchar *dir = make_plugin_dir();
	g_setenv("HULLSCAN_PLUGIN_PATH", dir, TRUE);
	g_setenv("HULLSCAN_PLUGIN_PATH_ONLY", "1", TRUE);
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_scanner_load_plugins(scanner, &error));
	g_assert_no_error(error);
	GPtrArray *infos = hull_scanner_get_plugin_infos(scanner);

	HullReportPlugin *good = find_info(infos, "test-good", "ok");
	g_assert_nonnull(good);
	g_assert_cmpuint(good->n_rules, ==, 1);
	g_assert_cmpstr(good->version, ==, "1.2.3");
	g_assert_nonnull(find_refused_with(infos, "duplicate plugin name test-good"));
	g_assert_nonnull(find_refused_with(infos, "major differs"));
	g_assert_nonnull(find_refused_with(infos, "newer than this hullscan"));
	g_assert_nonnull(find_refused_with(infos, "lacks the required init callback"));
	HullReportPlugin *failed = find_info(infos, "test-init-fails", "failed");
	g_assert_nonnull(failed);
	g_assert_nonnull(strstr(failed->error, "the test plugin refuses to start"));
	/* A crash in init is caught: that plugin is failed, the others load and scan. */
	HullReportPlugin *crashed = find_info(infos, "test-init-crashes", "failed");
	g_assert_nonnull(crashed);
	g_assert_nonnull(strstr(crashed->error, "crashed (signal 11"));
	g_assert_cmpuint(infos->len, ==, 7);
	g_ptr_array_unref(infos);

	/* The loaded module found hull_finding_new & co. in this program and works. */
	g_autofree gchar *tree = hull_test_make_tree("etc/os-release", "ID=x\n", "x.txt", "FINDME\n", NULL);
	HullScanOptions o;
	hull_scan_options_init(&o);
	g_autoptr(HullReport) r = hull_scanner_run(scanner, tree, &o, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hull_test_count(r, "TEST-0001"), ==, 1);
	g_assert_cmpint(((HullFinding *)g_ptr_array_index(r->findings, 0))->severity, ==, HULL_SEVERITY_HIGH);
	/* Refused and failed plugins are in the report's plugins[] too. */
	g_assert_cmpuint(r->plugins->len, ==, 7);
	hull_test_remove_tree(tree);
	hull_test_remove_tree(dir);
}

static void
test_world_writable(void)
{
	g_autofree gchar *dir = make_plugin_dir();
	g_setenv("HULLSCAN_PLUGIN_PATH", dir, TRUE);
	g_setenv("HULLSCAN_PLUGIN_PATH_ONLY", "1", TRUE);

	/* A module file anyone may replace is refused; the others still load. */
	g_autofree gchar *good = g_build_filename(dir, "test-good.so", NULL);
	g_chmod(good, 0777);
	{
		g_autoptr(HullScanner) scanner = hull_scanner_new();
		g_assert_true(hull_scanner_load_plugins(scanner, NULL));
		g_autoptr(GPtrArray) infos = hull_scanner_get_plugin_infos(scanner);
		g_assert_nonnull(find_refused_with(infos, "writable by others"));
		/* test-duplicate.so is the same plugin: now it is the one that loads. */
		g_assert_nonnull(find_info(infos, "test-good", "ok"));
	}
	/* A directory anyone may write to is refused whole. */
	g_chmod(dir, 0777);
	{
		g_autoptr(HullScanner) scanner = hull_scanner_new();
		g_assert_true(hull_scanner_load_plugins(scanner, NULL));
		g_autoptr(GPtrArray) infos = hull_scanner_get_plugin_infos(scanner);
		g_assert_cmpuint(infos->len, ==, 1);
		g_assert_nonnull(find_refused_with(infos, "writable by others"));
	}
	g_chmod(dir, 0755);
	hull_test_remove_tree(dir);
}

/* Loads HULLSCAN_PLUGIN_PATH=@path alone: (transfer full) the plugin infos. */
static GPtrArray *
load_infos(const char *path)
{
	g_setenv("HULLSCAN_PLUGIN_PATH", path, TRUE);
	g_setenv("HULLSCAN_PLUGIN_PATH_ONLY", "1", TRUE);
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	g_assert_true(hull_scanner_load_plugins(scanner, NULL));
	return hull_scanner_get_plugin_infos(scanner);
}

/* The directory was refused whole, for @reason, naming @where. */
static void
assert_dir_refused(const char *path, const char *reason, const char *where)
{
	g_autoptr(GPtrArray) infos = load_infos(path);
	g_assert_cmpuint(infos->len, ==, 1);
	HullReportPlugin *p = find_refused_with(infos, reason);
	g_assert_nonnull(p);
	g_assert_cmpstr(p->status, ==, "refused");
	g_assert_nonnull(strstr(p->error, where));
}

static void
assert_loads(const char *path)
{
	g_autoptr(GPtrArray) infos = load_infos(path);
	g_assert_nonnull(find_info(infos, "test-good", "ok"));
	g_assert_null(find_refused_with(infos, "refusing to load code"));
}

/* Every component from / down to the module: owned by root or the euid, closed to group and
 * others; only a sticky ancestor may be writable by others. */
static void
test_path_components(void)
{
	g_autofree gchar *dir = make_plugin_dir();
	assert_loads(dir);

	/* A group-writable directory. */
	g_chmod(dir, 0775);
	assert_dir_refused(dir, "writable by others (mode 0775)", dir);
	g_chmod(dir, 0755);

	/* A writable parent: its writers could rename the plugin directory away. */
	g_autoptr(GError) error = NULL;
	g_autofree gchar *parent = g_dir_make_tmp("hullscan-parent-XXXXXX", &error);
	g_assert_no_error(error);
	g_autofree gchar *inner = g_build_filename(parent, "plugins", NULL);
	g_assert_cmpint(g_rename(dir, inner), ==, 0);
	g_chmod(parent, 0777);
	g_autofree gchar *parent_reason = g_strdup_printf("%s is writable by others (mode 0777)", parent);
	assert_dir_refused(inner, parent_reason, inner);

	/* A symlink into that writable place is judged by where it leads. */
	g_autofree gchar *linkdir = g_dir_make_tmp("hullscan-link-XXXXXX", &error);
	g_assert_no_error(error);
	g_chmod(linkdir, 0755);
	g_autofree gchar *link = g_build_filename(linkdir, "plugins", NULL);
	g_assert_cmpint(symlink(inner, link), ==, 0);
	assert_dir_refused(link, parent_reason, link);

	/* A sticky world-writable parent (like /tmp) is fine: only the owner may rename below it. */
	g_chmod(parent, 01777);
	assert_loads(inner);
	assert_loads(link);

	/* ... but not a sticky world-writable plugin directory itself. */
	g_chmod(inner, 01777);
	assert_dir_refused(inner, "writable by others (mode 1777)", inner);
	g_chmod(inner, 0755);
	g_unlink(link);
	g_rmdir(linkdir);
	g_chmod(parent, 0755);
	hull_test_remove_tree(parent);
}

/* Modules and directories owned by another user (not root, not the euid) are refused. */
static void
test_path_owner(void)
{
	if (geteuid() != 0) {
		g_test_skip("not root: giving a file to another uid (chown) needs root");
		return;
	}
	g_autoptr(GError) error = NULL;
	g_autofree gchar *parent = g_dir_make_tmp("hullscan-parent-XXXXXX", &error);
	g_assert_no_error(error);
	g_chmod(parent, 01777);
	g_autofree gchar *dir = make_plugin_dir();
	g_autofree gchar *inner = g_build_filename(parent, "plugins", NULL);
	g_assert_cmpint(g_rename(dir, inner), ==, 0);

	/* A module owned by another user is refused; the same plugin from a module of ours loads. */
	g_autofree gchar *good = g_build_filename(inner, "test-good.so", NULL);
	g_assert_cmpint(chown(good, 65534, 65534), ==, 0);
	{
		g_autoptr(GPtrArray) infos = load_infos(inner);
		HullReportPlugin *p = find_refused_with(infos, "is owned by uid 65534");
		g_assert_nonnull(p);
		g_assert_cmpstr(p->path, ==, good);
		g_assert_nonnull(find_info(infos, "test-good", "ok"));
	}
	g_assert_cmpint(chown(good, 0, 0), ==, 0);

	/* A directory owned by another user, here below a sticky parent that lets its owner
	 * rename it. */
	g_assert_cmpint(chown(inner, 65534, 65534), ==, 0);
	assert_dir_refused(inner, "is owned by uid 65534", inner);
	g_assert_cmpint(chown(inner, 0, 0), ==, 0);
	assert_loads(inner);
	g_chmod(parent, 0755);
	hull_test_remove_tree(parent);
}

/* A plugin directory holding only a bundle made from @module (a test plugin's file name). */
static gchar *
make_bundle_dir(const char *module)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp("hullscan-bundles-XXXXXX", &error);
	g_assert_no_error(error);
	g_chmod(dir, 0755);
	g_autofree gchar *src = g_build_filename(dir, "src", NULL);
	g_autofree gchar *plugins = g_build_filename(src, "plugins", NULL);
	g_assert_cmpint(g_mkdir_with_parents(plugins, 0755), ==, 0);
	g_autofree gchar *from = g_build_filename(g_getenv("HULL_TEST_PLUGIN_DIR"), module, NULL);
	g_autofree gchar *to = g_build_filename(plugins, module, NULL);
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(from, &data, &len, &error));
	g_assert_true(g_file_set_contents(to, data, (gssize)len, &error));
	g_autofree gchar *bundle = g_build_filename(dir, "vendor.hsb", NULL);
	g_assert_true(hull_bundle_create(src, bundle, NULL, NULL, NULL, NULL, &error));
	g_assert_no_error(error);
	hull_test_remove_tree(src);
	return dir;
}

/* Loads the plugin path @dir plus the built-ins, only the plugin "secrets", under @profile
 * (may be NULL), and scans a small tree: (transfer full) the report. */
static HullReport *
scan_secrets(const char *dir, const char *profile)
{
	g_setenv("HULLSCAN_PLUGIN_PATH", dir, TRUE);
	g_unsetenv("HULLSCAN_PLUGIN_PATH_ONLY");
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	g_autoptr(GError) error = NULL;
	if (profile != NULL)
		g_assert_true(hull_scanner_load_profile(scanner, profile, &error));
	const char *names[] = {"secrets", NULL};
	hull_scanner_set_plugin_filter(scanner, names);
	g_assert_true(hull_scanner_load_plugins(scanner, &error));
	g_assert_no_error(error);
	g_autofree gchar *tree = hull_test_make_tree("etc/os-release", "ID=x\n", "x.txt", "FINDME\n", NULL);
	HullScanOptions o;
	hull_scan_options_init(&o);
	HullReport *r = hull_scanner_run(scanner, tree, &o, &error);
	g_assert_no_error(error);
	hull_test_remove_tree(tree);
	return r;
}

static gboolean
has_note(HullReport *r, const char *text)
{
	for (guint i = 0; i < r->notes->len; i++) {
		if (strstr(g_ptr_array_index(r->notes, i), text) != NULL)
			return TRUE;
	}
	return FALSE;
}

/* A bundle's plugin named like a built-in one: the built-in wins unless the profile's
 * [plugins] replace= names it; the report says which way it went. */
static void
test_bundle_cannot_shadow_builtin(void)
{
	g_unsetenv("HULLSCAN_PLUGIN_PATH_ONLY");
	g_autofree gchar *builtin = hull_plugin_builtin_dir();
	g_autofree gchar *builtin_secrets = g_build_filename(builtin, "secrets", NULL);
	if (!g_file_test(builtin_secrets, G_FILE_TEST_IS_DIR)) {
		g_test_skip("the built-in secrets plugin is not built here");
		return;
	}
	g_autofree gchar *dir = make_bundle_dir("test-shadow.so");
	{
		g_autoptr(HullReport) r = scan_secrets(dir, NULL);
		HullReportPlugin *ours = find_info(r->plugins, "secrets", "ok");
		g_assert_nonnull(ours);
		g_assert_cmpstr(ours->version, !=, "9.9.9-shadow");
		g_assert_true(g_str_has_prefix(ours->path, builtin));
		HullReportPlugin *theirs = find_refused_with(r->plugins, "does not replace the built-in one");
		g_assert_nonnull(theirs);
		g_assert_cmpstr(theirs->name, ==, "secrets");
		g_assert_cmpuint(hull_test_count(r, "TEST-0001"), ==, 0);
		g_assert_true(has_note(r, "plugin secrets: a bundle's plugin secrets does not replace the built-in one"));
	}
	g_autofree gchar *profile = g_build_filename(dir, "replace.conf", NULL);
	g_assert_true(g_file_set_contents(profile, "[plugins]\nreplace=other; secrets\n", -1, NULL));
	{
		g_autoptr(HullReport) r = scan_secrets(dir, profile);
		HullReportPlugin *theirs = find_info(r->plugins, "secrets", "ok");
		g_assert_nonnull(theirs);
		g_assert_cmpstr(theirs->version, ==, "9.9.9-shadow");
		HullReportPlugin *ours = find_refused_with(r->plugins, "replaced by a bundle's plugin secrets");
		g_assert_nonnull(ours);
		g_assert_true(g_str_has_prefix(ours->path, builtin));
		g_assert_cmpuint(hull_test_count(r, "TEST-0001"), ==, 1);
		g_assert_true(has_note(r, "plugin secrets: built-in plugin replaced by a bundle's plugin secrets"));
	}
	hull_test_remove_tree(dir);
}

static void
test_unknown_selection(void)
{
	g_autofree gchar *dir = make_plugin_dir();
	g_setenv("HULLSCAN_PLUGIN_PATH", dir, TRUE);
	g_setenv("HULLSCAN_PLUGIN_PATH_ONLY", "1", TRUE);
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	const char *names[] = {"test-good", "no-such-plugin", NULL};
	hull_scanner_set_plugin_filter(scanner, names);
	g_autoptr(GError) error = NULL;
	g_assert_false(hull_scanner_load_plugins(scanner, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "no-such-plugin"));
	hull_test_remove_tree(dir);
}

static void
test_selection_limits_loading(void)
{
	g_autofree gchar *dir = make_plugin_dir();
	g_setenv("HULLSCAN_PLUGIN_PATH", dir, TRUE);
	g_setenv("HULLSCAN_PLUGIN_PATH_ONLY", "1", TRUE);
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	const char *names[] = {"test-init-fails", NULL};
	hull_scanner_set_plugin_filter(scanner, names);
	g_assert_true(hull_scanner_load_plugins(scanner, NULL));
	g_autoptr(GPtrArray) infos = hull_scanner_get_plugin_infos(scanner);
	g_assert_null(find_info(infos, "test-good", "ok"));
	g_assert_nonnull(find_info(infos, "test-init-fails", "failed"));
	hull_test_remove_tree(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/loader/accepts-and-refuses", test_accepts_and_refuses);
	g_test_add_func("/core/loader/world-writable", test_world_writable);
	g_test_add_func("/core/loader/path-components", test_path_components);
	g_test_add_func("/core/loader/path-owner", test_path_owner);
	g_test_add_func("/core/loader/bundle-cannot-shadow-builtin", test_bundle_cannot_shadow_builtin);
	g_test_add_func("/core/loader/unknown-selection", test_unknown_selection);
	g_test_add_func("/core/loader/selection-limits-loading", test_selection_limits_loading);
	return g_test_run();
}
