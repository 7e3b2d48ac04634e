/* test-scan.c: the scan pipeline with plugins linked into the test: rule defaults, the
 * order of findings whatever the thread count, facts between plugins, profiles, size limits,
 * text sniffing, whole-file delivery, filters, and a plugin failing mid-scan. */
#include <string.h>
#include "hull-test-util.h"

typedef struct {
	HullPluginCtx *ctx;
	gint chunks;
	gint files;
	gint facts_seen;
	gsize whole_len;
	gint whole_calls;
} TestState;

static const HullRule marker_rules[] = {
	{.id = "MARK-0001", .severity = HULL_SEVERITY_HIGH, .title = "marker found",
	 .aliases = (const char *const[]){"mark-alias", NULL},
	 .references = (const char *const[]){"https://example.org/mark", NULL}, .remediation = "remove it"},
	{.id = "MARK-0002", .severity = HULL_SEVERITY_LOW, .title = "second marker"},
	{.id = "MARK-FAIL", .severity = HULL_SEVERITY_MEDIUM, .title = "emitted before failing"},
};
static const char *const txt_globs[] = {"*.txt", NULL};
static const char *const port_kinds[] = {"port", NULL};

static TestState *last_state;

static gboolean
marker_init(HullPluginCtx *ctx, gpointer *state, GError **error)
{
	TestState *s = g_new0(TestState, 1);
	s->ctx = ctx;
	last_state = s;
	*state = s;
	return TRUE;
}

static void
marker_destroy(gpointer state)
{
	if (last_state == state)
		last_state = NULL;
	g_free(state);
}

static gboolean
marker_chunk(gpointer state, HullScan *scan, const HullFile *file, gpointer fstate, const guint8 *data, gsize len,
             GError **error)
{
	TestState *s = state;
	g_atomic_int_inc(&s->chunks);
	if (memmem(data, len, "FINDME", 6) != NULL) {
		HullFinding *f = hull_finding_new(s->ctx, "MARK-0001");
		hull_finding_set_path(f, hull_file_get_path(file));
		hull_finding_set_line(f, 1);
		hull_finding_set_message(f, "marker in %s", hull_file_get_path(file));
		hull_bus_emit(hull_scan_get_bus(scan), f);
		HullFact *fact = hull_fact_new("port");
		hull_fact_set(fact, "port", "22");
		hull_bus_emit_fact(hull_scan_get_bus(scan), s->ctx, fact);
	}
	if (memmem(data, len, "LOWME", 5) != NULL) {
		HullFinding *f = hull_finding_new(s->ctx, "MARK-0002");
		hull_finding_set_path(f, hull_file_get_path(file));
		hull_bus_emit(hull_scan_get_bus(scan), f);
	}
	return TRUE;
}

static void
marker_end(gpointer state, HullScan *scan, const HullFile *file, gpointer fstate, gboolean complete)
{
	TestState *s = state;
	g_atomic_int_inc(&s->files);
}

static const HullPluginDescriptor marker_plugin = {
	.abi_major = HULL_ABI_MAJOR, .abi_minor = HULL_ABI_MINOR, .struct_size = sizeof(HullPluginDescriptor),
	.name = "marker", .version = "0.0.1",
	.rules = marker_rules, .n_rules = G_N_ELEMENTS(marker_rules),
	.file_globs = txt_globs, .max_file_size = 100000, .file_flags = HULL_INTEREST_TEXT_ONLY,
	.init = marker_init, .destroy = marker_destroy, .file_chunk = marker_chunk, .file_end = marker_end,
};

static gboolean
whole_chunk(gpointer state, HullScan *scan, const HullFile *file, gpointer fstate, const guint8 *data, gsize len,
            GError **error)
{
	TestState *s = state;
	s->whole_calls++;
	s->whole_len = len;
	return TRUE;
}

static const HullPluginDescriptor whole_plugin = {
	.abi_major = HULL_ABI_MAJOR, .abi_minor = HULL_ABI_MINOR, .struct_size = sizeof(HullPluginDescriptor),
	.name = "whole", .version = "0.0.1", .capabilities = HULL_CAP_SERIAL_FILES,
	.file_globs = (const char *const[]){"/data/big.bin", NULL}, .file_flags = HULL_INTEREST_WHOLE_FILE,
	.init = marker_init, .destroy = marker_destroy, .file_chunk = whole_chunk,
};

static void
listener_on_fact(gpointer state, HullScan *scan, const HullFact *fact)
{
	TestState *s = state;
	g_assert_cmpstr(hull_fact_get_kind(fact), ==, "port");
	g_assert_cmpstr(hull_fact_get_plugin(fact), ==, "marker");
	s->facts_seen++;
}

static gboolean
listener_end(gpointer state, HullScan *scan, GError **error)
{
	TestState *s = state;
	HullFinding *f = hull_finding_new(s->ctx, "MARK-FAIL");
	hull_finding_set_message(f, "saw %d port facts", s->facts_seen);
	hull_bus_emit(hull_scan_get_bus(scan), f);
	g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, "deliberate failure");
	return FALSE;
}

static const HullPluginDescriptor listener_plugin = {
	.abi_major = HULL_ABI_MAJOR, .abi_minor = HULL_ABI_MINOR, .struct_size = sizeof(HullPluginDescriptor),
	.name = "listener", .version = "0.0.1",
	.rules = marker_rules, .n_rules = G_N_ELEMENTS(marker_rules),
	.fact_kinds = port_kinds,
	.init = marker_init, .destroy = marker_destroy, .on_fact = listener_on_fact, .scan_end = listener_end,
};

static gchar *
make_marker_tree(guint n)
{
	g_autofree gchar *dir = hull_test_make_tree("etc/os-release", "ID=test\n", NULL);
	for (guint i = 0; i < n; i++) {
		g_autofree gchar *sub = g_strdup_printf("%s/d%02u", dir, i % 17);
		g_mkdir_with_parents(sub, 0755);
		g_autofree gchar *fn = g_strdup_printf("%s/f%04u.txt", sub, i);
		g_autofree gchar *content = g_strdup_printf("line one\nFINDME %u\n", i);
		g_assert_true(g_file_set_contents(fn, content, -1, NULL));
	}
	return g_steal_pointer(&dir);
}

static HullReport *
run_with(const HullPluginDescriptor *const *descs, const char *target, guint jobs, const char *config)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	if (config != NULL) {
		g_autofree gchar *dir = hull_test_make_tree("c.conf", config, NULL);
		g_autofree gchar *fn = g_build_filename(dir, "c.conf", NULL);
		g_assert_true(hull_scanner_load_config(scanner, fn, &error));
		g_assert_no_error(error);
		hull_test_remove_tree(dir);
	}
	for (guint i = 0; descs[i] != NULL; i++) {
		g_assert_true(hull_scanner_add_descriptor(scanner, descs[i], "(test)", &error));
		g_assert_no_error(error);
	}
	HullScanOptions o;
	hull_scan_options_init(&o);
	o.n_jobs = jobs;
	HullReport *r = hull_scanner_run(scanner, target, &o, &error);
	g_assert_no_error(error);
	return r;
}

static void
test_rule_defaults(void)
{
	g_autofree gchar *dir = hull_test_make_tree("etc/os-release", "ID=x\n", "a/b.txt", "x\nFINDME\n", NULL);
	g_autoptr(HullReport) r = hull_test_scan(&marker_plugin, dir, "rootfs", NULL);
	g_assert_cmpuint(hull_test_count(r, NULL), ==, 1);
	const HullFinding *f = hull_test_find(r, "MARK-0001");
	g_assert_nonnull(f);
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_HIGH);
	g_assert_cmpstr(f->title, ==, "marker found");
	g_assert_cmpstr(f->plugin, ==, "marker");
	g_assert_cmpstr(f->path, ==, "/a/b.txt");
	g_assert_cmpstr(f->remediation, ==, "remove it");
	g_assert_cmpuint(f->aliases->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(f->aliases, 0), ==, "mark-alias");
	g_assert_true(g_str_has_prefix(f->fingerprint, "sha256:"));
	g_assert_cmpuint(strlen(f->fingerprint), ==, 7 + 64);
	g_assert_cmpuint(r->summary[HULL_SEVERITY_HIGH], ==, 1);
	hull_test_remove_tree(dir);
}

static void
test_order_independent_of_threads(void)
{
	g_autofree gchar *dir = make_marker_tree(300);
	const HullPluginDescriptor *descs[] = {&marker_plugin, NULL};
	g_autoptr(HullReport) r1 = run_with(descs, dir, 1, NULL);
	g_autoptr(HullReport) r8 = run_with(descs, dir, 8, NULL);
	g_assert_cmpuint(r1->findings->len, ==, 300);
	g_assert_cmpuint(r8->findings->len, ==, 300);
	for (guint i = 0; i < 300; i++) {
		const HullFinding *a = g_ptr_array_index(r1->findings, i);
		const HullFinding *b = g_ptr_array_index(r8->findings, i);
		g_assert_cmpstr(a->path, ==, b->path);
		g_assert_cmpstr(a->fingerprint, ==, b->fingerprint);
		if (i > 0)
			g_assert_cmpint(hull_finding_compare(g_ptr_array_index(r1->findings, i - 1), a), <, 0);
	}
	hull_test_remove_tree(dir);
}

static void
test_facts_between_plugins(void)
{
	g_autofree gchar *dir = make_marker_tree(40);
	const HullPluginDescriptor *descs[] = {&marker_plugin, &listener_plugin, NULL};
	g_autoptr(HullReport) r = run_with(descs, dir, 8, NULL);
	/* The listener saw every fact the marker emitted, then failed in scan_end: it is
	 * reported failed, and both plugins' findings still count. */
	const HullFinding *f = hull_test_find(r, "MARK-FAIL");
	g_assert_nonnull(f);
	g_assert_cmpstr(f->message, ==, "saw 40 port facts");
	g_assert_cmpuint(hull_test_count(r, "MARK-0001"), ==, 40);
	gboolean saw_failed = FALSE;
	for (guint i = 0; i < r->plugins->len; i++) {
		HullReportPlugin *p = g_ptr_array_index(r->plugins, i);
		if (g_strcmp0(p->name, "listener") == 0) {
			g_assert_cmpstr(p->status, ==, "failed");
			g_assert_nonnull(strstr(p->error, "deliberate failure"));
			saw_failed = TRUE;
		} else {
			g_assert_cmpstr(p->status, ==, "ok");
		}
	}
	g_assert_true(saw_failed);
	hull_test_remove_tree(dir);
}

static void
test_profile_overrides(void)
{
	g_autofree gchar *dir = hull_test_make_tree("etc/os-release", "ID=x\n", "a.txt", "FINDME LOWME\n", NULL);
	const HullPluginDescriptor *descs[] = {&marker_plugin, NULL};
	/* By alias: the severity override reaches MARK-0001 through "mark-alias". */
	g_autoptr(HullReport) r = run_with(descs, dir, 2, "[severity]\nmark-alias=CRITICAL\n[disable]\nrules=MARK-0002\n");
	g_assert_cmpuint(hull_test_count(r, "MARK-0002"), ==, 0);
	const HullFinding *f = hull_test_find(r, "MARK-0001");
	g_assert_nonnull(f);
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_CRITICAL);
	hull_test_remove_tree(dir);
}

static void
test_limits_and_sniffing(void)
{
	g_autofree gchar *dir = hull_test_make_tree("etc/os-release", "ID=x\n", NULL);
	g_autofree gchar *big = g_build_filename(dir, "big.txt", NULL);
	g_autofree gchar *bin = g_build_filename(dir, "bin.txt", NULL);
	g_autofree gchar *bigdata = g_malloc(200000);
	memset(bigdata, 'a', 200000);
	memcpy(bigdata, "FINDME", 6);
	g_assert_true(g_file_set_contents(big, bigdata, 200000, NULL));
	g_assert_true(g_file_set_contents(bin, "\0\0FINDME", 8, NULL));
	g_autoptr(HullReport) r = hull_test_scan(&marker_plugin, dir, "rootfs", NULL);
	/* Over max_file_size: skipped and said so; binary: skipped by the text sniff. */
	g_assert_cmpuint(hull_test_count(r, NULL), ==, 0);
	gboolean noted = FALSE;
	for (guint i = 0; i < r->notes->len; i++)
		noted = noted || strstr(g_ptr_array_index(r->notes, i), "over the size limit") != NULL;
	g_assert_true(noted);
	hull_test_remove_tree(dir);
}

static void
test_whole_file(void)
{
	g_autofree gchar *dir = hull_test_make_tree("etc/os-release", "ID=x\n", NULL);
	g_autofree gchar *sub = g_build_filename(dir, "data", NULL);
	g_mkdir_with_parents(sub, 0755);
	g_autofree gchar *fn = g_build_filename(sub, "big.bin", NULL);
	gsize n = 300 * 1024 + 17;
	g_autofree gchar *data = g_malloc0(n);
	g_assert_true(g_file_set_contents(fn, data, (gssize)n, NULL));
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_scanner_add_descriptor(scanner, &whole_plugin, "(test)", &error));
	TestState *s = last_state;
	HullScanOptions o;
	hull_scan_options_init(&o);
	g_autoptr(HullReport) r = hull_scanner_run(scanner, dir, &o, &error);
	g_assert_no_error(error);
	g_assert_cmpint(s->whole_calls, ==, 1);
	g_assert_cmpuint(s->whole_len, ==, n);
	hull_test_remove_tree(dir);
}

static void
test_severity_filter(void)
{
	g_autofree gchar *dir = hull_test_make_tree("etc/os-release", "ID=x\n", "a.txt", "FINDME LOWME\n", NULL);
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_scanner_add_descriptor(scanner, &marker_plugin, "(test)", &error));
	HullScanOptions o;
	hull_scan_options_init(&o);
	g_assert_true(hull_severity_set_parse("low", &o.severity_mask, &error));
	g_autoptr(HullReport) r = hull_scanner_run(scanner, dir, &o, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hull_test_count(r, NULL), ==, 1);
	g_assert_cmpuint(hull_test_count(r, "MARK-0002"), ==, 1);
	g_assert_cmpuint(r->summary[HULL_SEVERITY_HIGH], ==, 0);
	hull_test_remove_tree(dir);
}

static void
test_secret_evidence(void)
{
	g_autoptr(HullFinding) f = hull_finding_new_raw("t", "R");
	hull_finding_set_secret(f, "ghp_abcdefghijklmnop", -1);
	g_assert_true(g_str_has_prefix(f->evidence, "ghp_"));
	g_assert_null(strstr(f->evidence, "abcd"));
	g_autoptr(HullFinding) g = hull_finding_new_raw("t", "R");
	hull_finding_set_secret(g, "\xff\xfe\x80zzzzz", -1);
	g_assert_true(g_utf8_validate(g->evidence, -1, NULL));
	hull_finding_compute_fingerprint(f);
	g_autofree gchar *fp1 = g_strdup(f->fingerprint);
	hull_finding_set_line(f, 99);
	hull_finding_compute_fingerprint(f);
	g_assert_cmpstr(fp1, ==, f->fingerprint); /* a secret keeps its fingerprint when it moves */
}

static void
test_missing_target(void)
{
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_scanner_add_descriptor(scanner, &marker_plugin, "(test)", &error));
	HullScanOptions o;
	hull_scan_options_init(&o);
	g_autoptr(HullReport) r = hull_scanner_run(scanner, "/nonexistent/hullscan/target", &o, &error);
	g_assert_null(r);
	g_assert_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "/nonexistent/hullscan/target"));
}

static void
test_duplicate_descriptor(void)
{
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_scanner_add_descriptor(scanner, &marker_plugin, "(a)", &error));
	g_assert_false(hull_scanner_add_descriptor(scanner, &marker_plugin, "(b)", &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

static GString *seen_docs;

static gboolean
viewer_collect(gpointer state, HullScan *scan, GError **error)
{
	for (guint i = 0; i < hull_scan_get_n_config_documents(scan); i++) {
		HullConfigDocument *d = hull_scan_get_config_document(scan, i);
		JsonNode *root = hull_config_document_get_root(d);
		g_string_append_printf(seen_docs, "%s %s:%u %s;", hull_config_document_get_kind(d),
		                       hull_config_document_get_path(d), hull_config_document_get_line(d),
		                       JSON_NODE_HOLDS_ARRAY(root) ? "array" : "object");
	}
	return TRUE;
}

static const HullPluginDescriptor viewer_plugin = {
	.abi_major = HULL_ABI_MAJOR, .abi_minor = HULL_ABI_MINOR, .struct_size = sizeof(HullPluginDescriptor),
	.name = "viewer", .version = "0.0.1", .init = marker_init, .destroy = marker_destroy,
	.scan_collect = viewer_collect,
};

static void
test_config_documents(void)
{
	g_autofree gchar *dir = hull_test_make_tree(
		"compose.yaml", "services:\n  web:\n    image: nginx\n    privileged: true\n",
		"ops/docker-compose.prod.yml", "# two documents\nservices: {a: {image: x}}\n---\nservices: {b: {image: y}}\n",
		"inspect.json", "[{\"Id\": \"abc\", \"HostConfig\": {\"Privileged\": true}}]",
		"bundle/config.json", "{\"ociVersion\": \"1.0.2\", \"process\": {}}",
		"other.json", "{\"name\": \"not a run configuration\"}",
		"compose.yml.bak", "services: {}\n",
		"broken/compose.yaml", "services: [unclosed\n",
		NULL);
	seen_docs = g_string_new(NULL);
	g_autoptr(HullReport) r = hull_test_scan(&viewer_plugin, dir, "config", NULL);
	g_assert_cmpstr(seen_docs->str, ==,
	                "oci-runtime /bundle/config.json:1 object;compose /compose.yaml:1 object;"
	                "docker-inspect /inspect.json:1 array;compose /ops/docker-compose.prod.yml:2 object;"
	                "compose /ops/docker-compose.prod.yml:4 object;");
	/* The malformed compose file is a note naming it, not an error of the scan. */
	gboolean noted = FALSE;
	for (guint i = 0; i < r->notes->len; i++)
		noted = noted || strstr(g_ptr_array_index(r->notes, i), "broken/compose.yaml") != NULL;
	g_assert_true(noted);
	g_string_free(seen_docs, TRUE);
	hull_test_remove_tree(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/scan/rule-defaults", test_rule_defaults);
	g_test_add_func("/core/scan/order-independent-of-threads", test_order_independent_of_threads);
	g_test_add_func("/core/scan/facts-between-plugins", test_facts_between_plugins);
	g_test_add_func("/core/scan/profile-overrides", test_profile_overrides);
	g_test_add_func("/core/scan/limits-and-sniffing", test_limits_and_sniffing);
	g_test_add_func("/core/scan/whole-file", test_whole_file);
	g_test_add_func("/core/scan/severity-filter", test_severity_filter);
	g_test_add_func("/core/scan/secret-evidence", test_secret_evidence);
	g_test_add_func("/core/scan/missing-target", test_missing_target);
	g_test_add_func("/core/scan/duplicate-descriptor", test_duplicate_descriptor);
	g_test_add_func("/core/scan/config-documents", test_config_documents);
	return g_test_run();
}
