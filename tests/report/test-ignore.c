/* test-ignore.c: ignore lists and severity sets: both file formats, each kind of entry,
 * expiry against a fixed "today", and malformed input (tabs, binary, huge lines, deep
 * nesting, unknown keys) that must give an error naming the file and line. */
#include <string.h>
#include <glib/gstdio.h>
#include "hull-filter.h"

static HullFinding *
finding(const char *rule, const char *path, const char *alias)
{
	HullFinding *f = hull_finding_new_raw("test", rule);
	hull_finding_set_severity(f, HULL_SEVERITY_HIGH);
	hull_finding_set_path(f, path);
	if (alias != NULL)
		hull_finding_add_alias(f, alias);
	hull_finding_compute_fingerprint(f);
	return f;
}

static HullIgnoreList *
parse_ok(const char *name, const char *text)
{
	g_autoptr(GError) error = NULL;
	HullIgnoreList *l = hull_ignore_list_parse(name, text, strlen(text), &error);
	g_assert_no_error(error);
	g_assert_nonnull(l);
	return l;
}

static void
parse_fails(const char *name, const char *data, gsize len, const char *want)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HullIgnoreList) l = hull_ignore_list_parse(name, data, len, &error);
	g_assert_null(l);
	g_assert_nonnull(error);
	g_test_message("%s", error->message);
	g_assert_true(g_str_has_prefix(error->message, name));
	if (want != NULL)
		g_assert_nonnull(strstr(error->message, want));
}

static GDate *
day(int y, int m, int d)
{
	return g_date_new_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

static void
test_plain(void)
{
	g_autoptr(HullIgnoreList) l = parse_ok("ignore.txt",
		"# a comment\n"
		"\n"
		"DF-0002\n"
		"  DL3008   # by its hadolint alias\n"
		"*.pem\n"
		"/app/config/*.yaml\n"
		"CVE-2020-1 exp:2020-12-31\n");
	g_autoptr(GDate) today = day(2024, 6, 1);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(HullFinding) a = finding("DF-0002", "/Dockerfile", NULL);
	g_autoptr(HullFinding) b = finding("DF-0008", "/Dockerfile", "DL3008");
	g_autoptr(HullFinding) c = finding("SEC-KEY", "/etc/ssl/private/server.pem", NULL);
	g_autoptr(HullFinding) d = finding("SEC-KEY", "/app/config/db.yaml", NULL);
	g_autoptr(HullFinding) e = finding("SEC-KEY", "/app/other/db.yaml", NULL);
	g_autoptr(HullFinding) f = finding("DF-0003", "/Dockerfile", "DL3003");
	g_assert_true(hull_ignore_list_matches(l, a, today, notes));
	g_assert_true(hull_ignore_list_matches(l, b, today, notes));
	g_assert_true(hull_ignore_list_matches(l, c, today, notes));
	g_assert_true(hull_ignore_list_matches(l, d, today, notes));
	g_assert_false(hull_ignore_list_matches(l, e, today, notes));
	g_assert_false(hull_ignore_list_matches(l, f, today, notes));
	g_assert_cmpuint(notes->len, ==, 0);
	/* The Trivy-style expiry: expired on 2020-12-31. */
	g_autoptr(HullFinding) cve = finding("CVE-2020-1", "/var/lib/dpkg/status", NULL);
	g_assert_false(hull_ignore_list_matches(l, cve, today, notes));
	g_assert_cmpuint(notes->len, ==, 1);
	g_autoptr(GDate) before = day(2020, 12, 31);
	g_assert_true(hull_ignore_list_matches(l, cve, before, NULL));
}

static void
test_yaml(void)
{
	g_autoptr(HullIgnoreList) l = parse_ok("ignore.yaml",
		"ignore:\n"
		"  - DF-0002\n"
		"  - id: SEC-GITHUB-PAT\n"
		"    path: /app/tests/**\n"
		"    reason: test fixtures\n"
		"  - alias: KSV041\n"
		"    expires: 2030-01-01\n"
		"  - path: \"id_rsa\"\n"
		"  - rule: DF-0009\n"
		"    expires: 2024-01-31\n"
		"    reason: waiting for upstream\n");
	g_autoptr(GDate) today = day(2024, 6, 1);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(HullFinding) a = finding("DF-0002", "/Dockerfile", NULL);
	g_autoptr(HullFinding) pat_test = finding("SEC-GITHUB-PAT", "/app/tests/fixtures/token.txt", NULL);
	g_autoptr(HullFinding) pat_app = finding("SEC-GITHUB-PAT", "/app/.env", NULL);
	g_autoptr(HullFinding) rbac = finding("K8S-RBAC-WILDCARD", NULL, "KSV041");
	g_autoptr(HullFinding) rsa = finding("SEC-SSH-KEY", "/root/.ssh/id_rsa", NULL);
	g_autoptr(HullFinding) rsa_pub = finding("SEC-SSH-KEY", "/root/.ssh/id_rsa.pub", NULL);
	g_autoptr(HullFinding) df9 = finding("DF-0009", "/Dockerfile", NULL);
	g_assert_true(hull_ignore_list_matches(l, a, today, notes));
	g_assert_true(hull_ignore_list_matches(l, pat_test, today, notes));
	g_assert_false(hull_ignore_list_matches(l, pat_app, today, notes));
	g_assert_true(hull_ignore_list_matches(l, rbac, today, notes));
	g_assert_true(hull_ignore_list_matches(l, rsa, today, notes));
	g_assert_false(hull_ignore_list_matches(l, rsa_pub, today, notes));
	g_assert_cmpuint(notes->len, ==, 0);
	/* Expired: no longer suppresses, says so once, naming entry, file, line and day. */
	g_assert_false(hull_ignore_list_matches(l, df9, today, notes));
	g_assert_false(hull_ignore_list_matches(l, df9, today, notes));
	g_assert_cmpuint(notes->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(notes, 0), ==, "ignore entry DF-0009 (ignore.yaml:9) expired on 2024-01-31");
	/* On its last day it still holds. */
	g_autoptr(GDate) last = day(2024, 1, 31);
	g_assert_true(hull_ignore_list_matches(l, df9, last, notes));
	/* The alias entry expires in 2030. */
	g_autoptr(GDate) later = day(2031, 1, 1);
	g_assert_false(hull_ignore_list_matches(l, rbac, later, notes));
	g_assert_cmpuint(notes->len, ==, 2);
	/* NULL today means the real date: 2024-01-31 is in the past. */
	g_assert_false(hull_ignore_list_matches(l, df9, NULL, NULL));
}

static void
test_yaml_list_and_fingerprint(void)
{
	g_autoptr(HullFinding) a = finding("SEC-AWS-KEY", "/srv/a", NULL);
	g_autoptr(HullFinding) b = finding("SEC-AWS-KEY", "/srv/b", NULL);
	g_assert_cmpstr(a->fingerprint, !=, b->fingerprint);
	g_autofree gchar *text = g_strdup_printf("- %s\n- fingerprint: %s\n", a->fingerprint, b->fingerprint + 7);
	g_autoptr(HullIgnoreList) l = parse_ok("list.yml", text);
	g_autoptr(HullFinding) c = finding("SEC-AWS-KEY", "/srv/c", NULL);
	g_autoptr(GDate) today = day(2024, 6, 1);
	g_assert_true(hull_ignore_list_matches(l, a, today, NULL));
	g_assert_true(hull_ignore_list_matches(l, b, today, NULL));
	g_assert_false(hull_ignore_list_matches(l, c, today, NULL));
	/* Plain-list fingerprints too, and a YAML file detected by content, not name. */
	g_autofree gchar *plain = g_strdup_printf("%s\n", a->fingerprint);
	g_autoptr(HullIgnoreList) l2 = parse_ok("ignores", plain);
	g_assert_true(hull_ignore_list_matches(l2, a, today, NULL));
	g_assert_false(hull_ignore_list_matches(l2, b, today, NULL));
	g_autoptr(HullIgnoreList) l3 = parse_ok("ignores", "# yaml\n- SEC-AWS-KEY\n");
	g_assert_true(hull_ignore_list_matches(l3, c, today, NULL));
}

static void
test_relative_paths(void)
{
	/* Directory scans: the finding may carry a relative path; both spellings match. */
	g_autoptr(HullIgnoreList) l = parse_ok("i.txt", "src/*.env\n");
	g_autoptr(GDate) today = day(2024, 6, 1);
	g_autoptr(HullFinding) rel = finding("X", "src/prod.env", NULL);
	g_autoptr(HullFinding) abs = finding("X", "/src/prod.env", NULL);
	g_autoptr(HullFinding) other = finding("X", "/lib/src/prod.env", NULL);
	g_assert_true(hull_ignore_list_matches(l, rel, today, NULL));
	g_assert_true(hull_ignore_list_matches(l, abs, today, NULL));
	g_assert_false(hull_ignore_list_matches(l, other, today, NULL));
}

static void
test_empty(void)
{
	g_autoptr(GDate) today = day(2024, 6, 1);
	g_autoptr(HullFinding) a = finding("DF-0002", "/Dockerfile", NULL);
	const char *const inputs[] = {"", "# nothing\n\n", "---\n", "ignore:\n", "[]\n"};
	for (guint i = 0; i < G_N_ELEMENTS(inputs); i++) {
		g_autoptr(HullIgnoreList) l = parse_ok(i == 4 ? "x.yaml" : "x", inputs[i]);
		g_assert_false(hull_ignore_list_matches(l, a, today, NULL));
	}
}

static void
test_malformed(void)
{
	/* Tab indentation is not YAML. */
	const char *tabs = "ignore:\n\t- DF-0002\n";
	parse_fails("tabs.yaml", tabs, strlen(tabs), "tabs.yaml:2");
	/* Unknown key, bad date, missing match key, nesting, a mapping where a value goes. */
	const char *unknown = "- id: DF-0002\n  expire: 2024-01-01\n";
	parse_fails("k.yaml", unknown, strlen(unknown), "k.yaml:2: unknown key");
	const char *date = "- id: DF-0002\n  expires: 2024-02-30\n";
	parse_fails("d.yaml", date, strlen(date), "d.yaml:2");
	const char *date2 = "- id: DF-0002\n  expires: tomorrow\n";
	parse_fails("d2.yaml", date2, strlen(date2), "not a date");
	const char *nokey = "- reason: because\n";
	parse_fails("n.yaml", nokey, strlen(nokey), "n.yaml:1");
	const char *nested = "- id: [DF-0002]\n";
	parse_fails("m.yaml", nested, strlen(nested), "m.yaml:1");
	const char *twice = "- id: A\n  rule: B\n";
	parse_fails("t.yaml", twice, strlen(twice), "given twice");
	const char *empty = "- id: \"\"\n";
	parse_fails("empty.yaml", empty, strlen(empty), "empty.yaml:1: \"id\" is empty");
	const char *top = "rules:\n  - A\n";
	parse_fails("top.yaml", top, strlen(top), "top.yaml:1");
	const char *docs = "- A\n---\n- B\n";
	parse_fails("docs.yaml", docs, strlen(docs), "single YAML document");
	const char *plain = "DF-0002 extra words\n";
	parse_fails("p.txt", plain, strlen(plain), "p.txt:1");
	const char *badexp = "DF-0002 exp:2024-13-01\n";
	parse_fails("e.txt", badexp, strlen(badexp), "e.txt:1");

	/* Deep nesting: rejected at the first extra level, quickly. */
	GString *deep = g_string_new("- ");
	for (guint i = 0; i < 100000; i++)
		g_string_append_c(deep, '[');
	parse_fails("deep.yaml", deep->str, deep->len, "deep.yaml:1");
	g_string_free(deep, TRUE);
	GString *deep2 = g_string_new(NULL);
	for (guint i = 0; i < 10000; i++)
		g_string_append(deep2, "- ");
	g_string_append(deep2, "x\n");
	parse_fails("deep2.yaml", deep2->str, deep2->len, "deep2.yaml:1");
	g_string_free(deep2, TRUE);

	/* A 1 MB line, in both formats. */
	gchar *big = g_malloc(1024 * 1024 + 2);
	memset(big, 'A', 1024 * 1024);
	big[1024 * 1024] = '\n';
	big[1024 * 1024 + 1] = '\0';
	parse_fails("big.txt", big, 1024 * 1024 + 1, "big.txt:1: entry longer");
	big[0] = '-';
	big[1] = ' ';
	parse_fails("big.yaml", big, 1024 * 1024 + 1, "big.yaml:1");
	g_free(big);

	/* Binary garbage: NULs and invalid UTF-8, in both formats, at line 2. */
	const char bin[] = "DF-0002\n\x7f" "ELF\x02\x01\x01\x00\x00\xff\xfe\n";
	parse_fails("bin.txt", bin, sizeof bin - 1, "bin.txt:2");
	const char binyaml[] = "- DF-0002\n- \xff\xfe\x00garbage\n";
	parse_fails("bin.yaml", binyaml, sizeof binyaml - 1, "bin.yaml:2");
	/* Random bytes never crash: either a list or an error. */
	GRand *rand = g_rand_new_with_seed(42);
	for (guint round = 0; round < 200; round++) {
		guint n = g_rand_int_range(rand, 1, 256);
		gchar *buf = g_malloc(n);
		for (guint i = 0; i < n; i++)
			buf[i] = (gchar)(round % 2 ? g_rand_int_range(rand, 0, 256) : "- :[]{}#\n\tA*/'\"&!|>"[g_rand_int_range(rand, 0, 19)]);
		g_autoptr(GError) error = NULL;
		HullIgnoreList *l = hull_ignore_list_parse(round % 3 ? "r.yaml" : "r.txt", buf, n, &error);
		g_assert_true((l == NULL) != (error == NULL));
		hull_ignore_list_free(l);
		g_free(buf);
	}
	g_rand_free(rand);
}

static void
test_load(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HullIgnoreList) missing = hull_ignore_list_load("/nonexistent/hullscan-ignore", &error);
	g_assert_null(missing);
	g_assert_nonnull(error);
	g_clear_error(&error);
	g_autofree gchar *dir = g_dir_make_tmp("hull-ignore-XXXXXX", &error);
	g_assert_no_error(error);
	g_autoptr(HullIgnoreList) isdir = hull_ignore_list_load(dir, &error);
	g_assert_null(isdir);
	g_assert_nonnull(strstr(error->message, dir));
	g_clear_error(&error);
	g_autofree gchar *path = g_build_filename(dir, ".hullscanignore", NULL);
	g_file_set_contents(path, "DF-0002\n", -1, &error);
	g_assert_no_error(error);
	g_autoptr(HullIgnoreList) l = hull_ignore_list_load(path, &error);
	g_assert_no_error(error);
	g_autoptr(HullFinding) a = finding("DF-0002", "/Dockerfile", NULL);
	g_assert_true(hull_ignore_list_matches(l, a, NULL, NULL));
	g_file_set_contents(path, "ignore:\n\t- x\n", -1, &error);
	g_assert_no_error(error);
	g_autoptr(HullIgnoreList) bad = hull_ignore_list_load(path, &error);
	g_assert_null(bad);
	g_assert_true(g_str_has_prefix(error->message, path));
	g_unlink(path);
	g_rmdir(dir);
}

static void
test_severity_set(void)
{
	guint mask = 0;
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_severity_set_parse("CRITICAL,HIGH", &mask, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(mask, ==, (1u << HULL_SEVERITY_CRITICAL) | (1u << HULL_SEVERITY_HIGH));
	g_assert_true(hull_severity_set_parse(" low , unknown,Medium", &mask, &error));
	g_assert_cmpuint(mask, ==, (1u << HULL_SEVERITY_LOW) | (1u << HULL_SEVERITY_UNKNOWN) | (1u << HULL_SEVERITY_MEDIUM));
	mask = 77;
	g_assert_false(hull_severity_set_parse("HIGH,SEVERE", &mask, &error));
	g_assert_nonnull(strstr(error->message, "SEVERE"));
	g_assert_cmpuint(mask, ==, 77);
	g_clear_error(&error);
	g_assert_false(hull_severity_set_parse("", &mask, &error));
	g_clear_error(&error);
	g_assert_false(hull_severity_set_parse("HIGH,,LOW", &mask, &error));
	g_clear_error(&error);
	g_assert_false(hull_severity_set_parse("\xff", &mask, &error));
	g_assert_true(g_utf8_validate(error->message, -1, NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ignore/plain", test_plain);
	g_test_add_func("/ignore/yaml", test_yaml);
	g_test_add_func("/ignore/fingerprint", test_yaml_list_and_fingerprint);
	g_test_add_func("/ignore/relative-paths", test_relative_paths);
	g_test_add_func("/ignore/empty", test_empty);
	g_test_add_func("/ignore/malformed", test_malformed);
	g_test_add_func("/ignore/load", test_load);
	g_test_add_func("/severity-set/parse", test_severity_set);
	return g_test_run();
}
