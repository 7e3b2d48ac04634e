/* hull-test-util.c: helpers shared by the self-tests of the core and of every plugin. */
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>
#include "hull-test-util.h"
#include "hull-scan-private.h"

HullReport *
hull_test_scan(const HullPluginDescriptor *descriptor, const char *target, const char *type, const char *config)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	if (config != NULL) {
		g_autofree gchar *fn = NULL;
		gint fd = g_file_open_tmp("hullscan-test-XXXXXX.conf", &fn, &error);
		g_assert_no_error(error);
		close(fd);
		g_assert_true(g_file_set_contents(fn, config, -1, &error));
		gboolean ok = hull_scanner_load_config(scanner, fn, &error);
		g_unlink(fn);
		g_assert_no_error(error);
		g_assert_true(ok);
	}
	gboolean added = hull_scanner_add_descriptor(scanner, descriptor, "(test)", &error);
	g_assert_no_error(error);
	g_assert_true(added);
	HullScanOptions o;
	hull_scan_options_init(&o);
	o.n_jobs = 2;
	if (type != NULL)
		g_assert_true(hull_target_type_from_string(type, &o.open.type));
	HullReport *r = hull_scanner_run(scanner, target, &o, &error);
	g_assert_no_error(error);
	g_assert_nonnull(r);
	return r;
}

gchar *
hull_test_make_tree(const char *first_path, ...)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp("hullscan-test-XXXXXX", &error);
	g_assert_no_error(error);
	va_list ap;
	va_start(ap, first_path);
	for (const char *p = first_path; p != NULL; p = va_arg(ap, const char *)) {
		const char *content = va_arg(ap, const char *);
		g_assert_nonnull(content);
		g_autofree gchar *fn = g_build_filename(dir, p, NULL);
		g_autofree gchar *parent = g_path_get_dirname(fn);
		g_assert_cmpint(g_mkdir_with_parents(parent, 0755), ==, 0);
		g_assert_true(g_file_set_contents(fn, content, -1, &error));
		g_assert_no_error(error);
	}
	va_end(ap);
	return dir;
}

void
hull_test_remove_tree(const char *dir)
{
	g_return_if_fail(dir != NULL && g_str_has_prefix(dir, g_get_tmp_dir()));
	hull_remove_tree(dir);
}

guint
hull_test_count(HullReport *report, const char *rule_id)
{
	guint n = 0;
	for (guint i = 0; i < report->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(report->findings, i);
		if (rule_id == NULL || g_strcmp0(f->rule_id, rule_id) == 0)
			n++;
	}
	return n;
}

const HullFinding *
hull_test_find(HullReport *report, const char *rule_id)
{
	for (guint i = 0; i < report->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(report->findings, i);
		if (g_strcmp0(f->rule_id, rule_id) == 0)
			return f;
	}
	return NULL;
}

gchar *
hull_test_shared_data(const char *relpath)
{
	const char *base = g_getenv("HULL_SHARED_DATA");
	g_autofree gchar *fn = NULL;
	if (base != NULL)
		fn = g_build_filename(base, relpath, NULL);
	if (fn == NULL || !g_file_test(fn, G_FILE_TEST_EXISTS)) {
		g_autofree gchar *msg = g_strdup_printf("shared test data %s is absent (../shared/data not beside the repo)", relpath);
		g_test_skip(msg);
		return NULL;
	}
	return g_steal_pointer(&fn);
}

gchar *
hull_test_src_path(const char *relpath)
{
	return g_test_build_filename(G_TEST_DIST, relpath, NULL);
}
