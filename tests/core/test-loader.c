/* test-loader.c: the plugin loader against real modules built from plugins/ here: what it
 * accepts, what it refuses (and says why), and that a loaded module resolves the SDK from
 * the program that loads it. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include "hull-test-util.h"

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
	g_test_add_func("/core/loader/unknown-selection", test_unknown_selection);
	g_test_add_func("/core/loader/selection-limits-loading", test_selection_limits_loading);
	return g_test_run();
}
