/* test-scan-cache.c: the scan cache's payload and dependency readers. A payload round-trips
 * every field (NULLs included); one that cannot be stored faithfully (a string that is not
 * UTF-8) is refused; truncated, random, out-of-range and foreign bytes read as a miss, never a
 * crash; a dependency list is current only while each file keeps its fingerprint. */
#include <string.h>
#include <glib/gstdio.h>
#include "hull-scan-cache.h"

static HullScanResults *
make_results(void)
{
	HullScanResults *r = hull_scan_results_new();
	r->os_id = g_strdup("debian");
	HullFinding *f = hull_finding_new_raw("secrets", "SEC-0001");
	f->severity = HULL_SEVERITY_CRITICAL;
	f->title = g_strdup("AWS key");
	f->path = g_strdup("/app/.env");
	f->line = 3;
	f->column = 7;
	f->layer = 1;
	f->deleted_in = 2;
	f->evidence = g_strdup("AKIA****");
	g_ptr_array_add(f->aliases, g_strdup("aws-access-token"));
	g_ptr_array_add(f->field_keys, g_strdup("kind"));
	g_ptr_array_add(f->field_values, NULL);
	g_ptr_array_add(r->findings, f);
	g_ptr_array_add(r->findings, hull_finding_new_raw("dockerfile", "DF-0002"));
	HullReportRule *rule = g_new0(HullReportRule, 1);
	rule->id = g_strdup("SEC-0001");
	rule->plugin = g_strdup("secrets");
	rule->severity = HULL_SEVERITY_CRITICAL;
	rule->aliases = g_ptr_array_new_with_free_func(g_free);
	rule->references = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(rule->references, g_strdup("https://example.org"));
	g_ptr_array_add(r->rules, rule);
	g_hash_table_insert(r->n_rules, g_strdup("secrets"), GUINT_TO_POINTER(258));
	HullFact *pkg = hull_fact_new("package");
	hull_fact_set(pkg, "name", "openssl");
	hull_fact_set(pkg, "version", "3.0.11-1");
	g_ptr_array_add(r->packages, pkg);
	g_ptr_array_add(r->notes, g_strdup("hullscan: a note"));
	return r;
}

static void
test_round_trip(void)
{
	g_autoptr(HullScanResults) in = make_results();
	g_autoptr(GBytes) payload = hull_scan_results_serialize(in);
	g_assert_nonnull(payload);
	g_autoptr(HullScanResults) out = hull_scan_results_deserialize(payload);
	g_assert_nonnull(out);
	g_assert_cmpstr(out->os_id, ==, "debian");
	g_assert_null(out->os_version);
	g_assert_cmpuint(out->findings->len, ==, 2);
	HullFinding *f = g_ptr_array_index(out->findings, 0);
	g_assert_cmpstr(f->rule_id, ==, "SEC-0001");
	g_assert_cmpstr(f->plugin, ==, "secrets");
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_CRITICAL);
	g_assert_cmpstr(f->path, ==, "/app/.env");
	g_assert_cmpuint(f->line, ==, 3);
	g_assert_cmpuint(f->column, ==, 7);
	g_assert_cmpint(f->layer, ==, 1);
	g_assert_cmpint(f->deleted_in, ==, 2);
	g_assert_cmpstr(f->evidence, ==, "AKIA****");
	g_assert_null(f->message);
	g_assert_cmpstr(g_ptr_array_index(f->aliases, 0), ==, "aws-access-token");
	g_assert_cmpuint(f->field_values->len, ==, 1);
	g_assert_null(g_ptr_array_index(f->field_values, 0));
	HullFinding *g = g_ptr_array_index(out->findings, 1);
	g_assert_cmpint(g->layer, ==, -1);
	g_assert_cmpint(g->deleted_in, ==, -1);
	HullReportRule *rule = g_ptr_array_index(out->rules, 0);
	g_assert_cmpstr(rule->id, ==, "SEC-0001");
	g_assert_cmpstr(g_ptr_array_index(rule->references, 0), ==, "https://example.org");
	g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(out->n_rules, "secrets")), ==, 258);
	g_assert_cmpstr(hull_fact_get(g_ptr_array_index(out->packages, 0), "version"), ==, "3.0.11-1");
	g_assert_cmpstr(g_ptr_array_index(out->notes, 0), ==, "hullscan: a note");
}

static void
test_not_utf8_refused(void)
{
	g_autoptr(HullScanResults) in = make_results();
	HullFinding *f = g_ptr_array_index(in->findings, 0);
	g_free(f->evidence);
	f->evidence = g_strdup("bad \xff\xfe bytes");
	g_assert_null(hull_scan_results_serialize(in));
}

static void
test_hostile_payloads(void)
{
	g_autoptr(HullScanResults) in = make_results();
	g_autoptr(GBytes) payload = hull_scan_results_serialize(in);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(payload, &len);
	/* every truncation */
	for (gsize n = 0; n < len; n++) {
		g_autoptr(GBytes) cut = g_bytes_new(data, n);
		g_autoptr(HullScanResults) r = hull_scan_results_deserialize(cut);
		g_assert_null(r);
	}
	/* random bytes of many sizes, and single-byte flips of a good payload: never a crash */
	GRand *rand = g_rand_new_with_seed(42);
	for (guint i = 0; i < 2000; i++) {
		gsize n = g_rand_int_range(rand, 0, (gint32)len * 2);
		guint8 *buf = g_malloc(n + 1);
		for (gsize j = 0; j < n; j++)
			buf[j] = (guint8)g_rand_int(rand);
		g_autoptr(GBytes) junk = g_bytes_new_take(buf, n);
		g_autoptr(HullScanResults) r = hull_scan_results_deserialize(junk);
		(void)r;
		guint8 *flip = g_memdup2(data, len);
		flip[g_rand_int_range(rand, 0, (gint32)len)] ^= (guint8)(1u << g_rand_int_range(rand, 0, 8));
		g_autoptr(GBytes) flipped = g_bytes_new_take(flip, len);
		g_autoptr(HullScanResults) r2 = hull_scan_results_deserialize(flipped);
		if (r2 != NULL) {
			for (guint k = 0; k < r2->findings->len; k++) {
				HullFinding *f = g_ptr_array_index(r2->findings, k);
				g_assert_cmpint(f->severity, <=, HULL_SEVERITY_LAST);
				g_assert_cmpuint(f->field_keys->len, ==, f->field_values->len);
			}
		}
	}
	g_rand_free(rand);
	/* well formed, out of range: a severity the report could not print */
	HullFinding *f = g_ptr_array_index(in->findings, 0);
	f->severity = (HullSeverity)(HULL_SEVERITY_LAST + 5);
	g_autoptr(GBytes) bad = hull_scan_results_serialize(in);
	g_assert_nonnull(bad);
	g_assert_null(hull_scan_results_deserialize(bad));
	/* text where a variant is expected */
	g_autoptr(GBytes) text = g_bytes_new_static("{\"format\": 1}", 13);
	g_assert_null(hull_scan_results_deserialize(text));
}

static void
test_deps(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hullscan-deps-XXXXXX", NULL);
	g_autofree gchar *fn = g_build_filename(dir, "rules.json", NULL);
	g_assert_true(g_file_set_contents(fn, "{\"rules\": []}", -1, NULL));
	g_autofree gchar *missing = g_build_filename(dir, "absent.json", NULL);
	g_autofree gchar *deps = g_strdup_printf("[[\"file:%s\", \"%s\", \"absent\"]]", missing, missing);
	g_assert_true(hull_scan_cache_deps_current(deps, NULL));
	g_assert_true(hull_scan_cache_deps_current("[]", NULL));
	const char *const junk[] = {"", "[", "{}", "[1]", "[[1, 2, 3]]", "[[\"file:/x\", \"/x\"]]",
	                            "[[\"weird:/x\", \"/x\", \"absent\"]]", "[[[], {}, null]]", "null", "[[\"file:/x\", \"/y\", \"absent\"]]"};
	for (guint i = 0; i < G_N_ELEMENTS(junk); i++)
		g_assert_false(hull_scan_cache_deps_current(junk[i], NULL));
	/* a file's fingerprint, then the file changed */
	g_autofree gchar *good = g_strdup_printf("[[\"file:%s\", \"%s\", \"sha256:%s\"]]", fn, fn,
	                                         "b2d6f3cb1b1a3b6e0b1f1cc1f2b7ab8d1b4b9ed2d5f4f1b4c6c1b5f4c8a6b2f1");
	g_assert_false(hull_scan_cache_deps_current(good, NULL));
	g_autofree gchar *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "{\"rules\": []}", -1);
	g_autofree gchar *right = g_strdup_printf("[[\"file:%s\", \"%s\", \"sha256:%s\"]]", fn, fn, hex);
	g_assert_true(hull_scan_cache_deps_current(right, NULL));
	g_assert_true(g_file_set_contents(fn, "{\"rules\": [1]}", -1, NULL));
	g_assert_false(hull_scan_cache_deps_current(right, NULL));
	g_unlink(fn);
	g_rmdir(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scan-cache/round-trip", test_round_trip);
	g_test_add_func("/scan-cache/not-utf8-refused", test_not_utf8_refused);
	g_test_add_func("/scan-cache/hostile-payloads", test_hostile_payloads);
	g_test_add_func("/scan-cache/deps", test_deps);
	return g_test_run();
}
