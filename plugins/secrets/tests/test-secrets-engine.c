/* test-secrets-engine.c: self-tests of the rule loader and the matching engine without the
 * scanner: every rule's positive and negative examples from configs/secrets/rules.json
 * (expanded at run time so no credential-shaped string sits in git), arbitrary chunk splits,
 * malformed rule files, and hostile inputs with a time bound. */
#include <string.h>

#include "hull-secrets-engine.h"
#include "hull-secrets-globs.h"
#include "hull-secrets-plugin.h"

typedef struct {
	GPtrArray *ids;     /* gchar* rule ids */
	GPtrArray *secrets; /* gchar* */
	GArray *lines;      /* guint */
} Hits;

static void
hits_init(Hits *h)
{
	h->ids = g_ptr_array_new_with_free_func(g_free);
	h->secrets = g_ptr_array_new_with_free_func(g_free);
	h->lines = g_array_new(FALSE, FALSE, sizeof(guint));
}

static void
hits_clear(Hits *h)
{
	g_ptr_array_unref(h->ids);
	g_ptr_array_unref(h->secrets);
	g_array_unref(h->lines);
}

static void
on_match(const HullSecretsMatch *m, gpointer user_data)
{
	Hits *h = user_data;
	g_ptr_array_add(h->ids, g_strdup(m->rule->id));
	g_ptr_array_add(h->secrets, g_strndup(m->secret, m->secret_len));
	g_array_append_val(h->lines, m->line);
}

static gboolean
hits_has(Hits *h, const char *id)
{
	for (guint i = 0; i < h->ids->len; i++) {
		if (g_str_equal(h->ids->pdata[i], id))
			return TRUE;
	}
	return FALSE;
}

static gchar *
rules_path(void)
{
	const char *root = g_getenv("HULL_SOURCE_ROOT");
	return g_build_filename(root != NULL ? root : ".", "configs", "secrets", "rules.json", NULL);
}

static HullSecretsEngine *shared_engine;

static HullSecretsEngine *
get_engine(void)
{
	if (shared_engine == NULL) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *path = rules_path();
		GPtrArray *rules = NULL;
		HullSecretsGlobal *global = NULL;
		g_assert_true(hull_secrets_load_all(NULL, path, NULL, NULL, &rules, &global, &error));
		g_assert_no_error(error);
		shared_engine = hull_secrets_engine_new(rules, global, &error);
		g_assert_no_error(error);
		g_ptr_array_unref(rules);
	}
	return shared_engine;
}

static void
scan_text(const char *text, gsize len, Hits *h)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_secrets_engine_scan_buffer(get_engine(), "/app/config.env", (const guint8 *)text, len,
	                                              on_match, h, &error));
	g_assert_no_error(error);
}

static void
test_rules_load(void)
{
	GPtrArray *rules = hull_secrets_engine_get_rules(get_engine());
	g_autoptr(GHashTable) kinds = g_hash_table_new(g_str_hash, g_str_equal);

	g_assert_cmpuint(rules->len, >=, 150);
	for (guint i = 0; i < rules->len; i++) {
		HullSecretsRule *r = rules->pdata[i];
		g_assert_nonnull(r->positive);
		g_assert_nonnull(r->negative);
		g_assert_nonnull(r->positive[0]);
		g_assert_nonnull(r->negative[0]);
		g_assert_nonnull(r->aliases);
		g_hash_table_add(kinds, r->kind);
	}
	/* The families the issue names. */
	const char *need[] = { "aws", "github", "gitlab", "slack", "stripe", "gcp", "azure", "npm", "pypi", "sendgrid",
	                       "twilio", "openai", "huggingface", "docker", "netrc", "pgpass", "basicauth", "jwt",
	                       "private-key", "generic" };
	for (guint i = 0; i < G_N_ELEMENTS(need); i++) {
		if (!g_hash_table_contains(kinds, need[i]))
			g_test_message("missing kind %s", need[i]);
		g_assert_true(g_hash_table_contains(kinds, need[i]));
	}
	g_test_message("%u rules in %u kinds", rules->len, g_hash_table_size(kinds));
}

/* Every rule's own examples: each positive is found by that rule, no negative is. */
static void
test_rules_examples(void)
{
	GPtrArray *rules = hull_secrets_engine_get_rules(get_engine());
	g_autoptr(GRand) rand = g_rand_new_with_seed(4242);
	guint n_pos = 0, n_neg = 0, failed = 0;

	for (guint i = 0; i < rules->len; i++) {
		HullSecretsRule *r = rules->pdata[i];
		for (guint k = 0; r->positive[k] != NULL; k++) {
			g_autofree gchar *text = hull_secrets_expand_template(r->positive[k], rand);
			Hits h;
			hits_init(&h);
			scan_text(text, strlen(text), &h);
			if (!hits_has(&h, r->id)) {
				g_test_message("%s: positive #%u not found: %s", r->id, k, text);
				failed++;
			}
			hits_clear(&h);
			n_pos++;
		}
		for (guint k = 0; r->negative[k] != NULL; k++) {
			g_autofree gchar *text = hull_secrets_expand_template(r->negative[k], rand);
			Hits h;
			hits_init(&h);
			scan_text(text, strlen(text), &h);
			if (hits_has(&h, r->id)) {
				g_test_message("%s: negative #%u matched", r->id, k);
				failed++;
			}
			hits_clear(&h);
			n_neg++;
		}
	}
	g_test_message("%u positive and %u negative examples, %u failed", n_pos, n_neg, failed);
	g_assert_cmpuint(failed, ==, 0);
	g_assert_cmpuint(n_pos, >=, rules->len);
	g_assert_cmpuint(n_neg, >=, rules->len);
}

static gchar *
sample_text(GRand *rand)
{
	GString *s = g_string_new("# settings\n");
	const char *tmpl[] = {
		"GITHUB_TOKEN=ghp_{{alnum:36}}\n",
		"url = \"https://deploy:{{alnum:16}}@git.internal.example.org/repo.git\"\n",
		"-----BEGIN OPENSSH PRIVATE KEY-----{{nl}}{{b64:64}}{{nl}}{{b64:64}}{{nl}}-----END OPENSSH PRIVATE KEY-----\n",
		"aws_secret_access_key = {{b64:40}}\n",
		"slack: xoxb-{{digits:12}}-{{digits:12}}-{{alnum:24}}\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(tmpl); i++) {
		for (guint k = 0; k < 3; k++)
			g_string_append(s, "filler line without anything of interest, key = value\n");
		g_autofree gchar *t = hull_secrets_expand_template(tmpl[i], rand);
		g_string_append(s, t);
	}
	return g_string_free(s, FALSE);
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

static gchar *
hits_summary(Hits *h)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < h->ids->len; i++)
		g_ptr_array_add(parts, g_strdup_printf("%s@%u:%s", (gchar *)h->ids->pdata[i],
		                                       g_array_index(h->lines, guint, i), (gchar *)h->secrets->pdata[i]));
	g_ptr_array_sort(parts, cmp_str);
	g_ptr_array_add(parts, NULL);
	return g_strjoinv("\n", (gchar **)parts->pdata);
}

/* Feeding a file in any split gives exactly what one buffer gives. */
static void
test_engine_splits(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(7);
	g_autofree gchar *text = sample_text(rand);
	gsize len = strlen(text);
	Hits whole;

	hits_init(&whole);
	scan_text(text, len, &whole);
	g_assert_cmpuint(whole.ids->len, >=, 5);
	g_autofree gchar *expect = hits_summary(&whole);

	/* Every two-piece split, then random many-piece splits (down to 1 byte). */
	for (gsize cut = 0; cut <= len; cut++) {
		Hits h;
		hits_init(&h);
		HullSecretsStream *s = hull_secrets_stream_new(get_engine(), "/x", on_match, &h);
		g_assert_true(hull_secrets_stream_feed(s, (const guint8 *)text, cut, NULL));
		g_assert_true(hull_secrets_stream_feed(s, (const guint8 *)text + cut, len - cut, NULL));
		hull_secrets_stream_finish(s);
		g_autofree gchar *got = hits_summary(&h);
		g_assert_cmpstr(got, ==, expect);
		hits_clear(&h);
	}
	for (guint round = 0; round < 50; round++) {
		Hits h;
		hits_init(&h);
		HullSecretsStream *s = hull_secrets_stream_new(get_engine(), "/x", on_match, &h);
		gsize off = 0;
		while (off < len) {
			gsize piece = MIN(len - off, (gsize)g_rand_int_range(rand, 1, round < 10 ? 3 : 200));
			g_assert_true(hull_secrets_stream_feed(s, (const guint8 *)text + off, piece, NULL));
			off += piece;
		}
		hull_secrets_stream_finish(s);
		g_autofree gchar *got = hits_summary(&h);
		g_assert_cmpstr(got, ==, expect);
		hits_clear(&h);
	}
	hits_clear(&whole);
}

/* Secrets far into a big file (beyond the kept tail) keep correct line numbers. */
static void
test_engine_lines(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(9);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < 20000; i++)
		g_string_append(s, "just some words on a line\n");
	g_autofree gchar *t = hull_secrets_expand_template("token ghp_{{alnum:36}}\n", rand);
	g_string_append(s, "  ");
	g_string_append(s, t);
	Hits h;
	hits_init(&h);
	scan_text(s->str, s->len, &h);
	g_assert_true(hits_has(&h, "SEC-GITHUB-PAT"));
	g_assert_cmpuint(g_array_index(h.lines, guint, 0), ==, 20001);
	hits_clear(&h);
	g_string_free(s, TRUE);
}

static void
expect_bad(const char *json, const char *fragment)
{
	g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func((GDestroyNotify)hull_secrets_rule_free);
	g_autoptr(HullSecretsGlobal) global = hull_secrets_global_new();
	g_autoptr(GError) error = NULL;

	g_assert_false(hull_secrets_rules_parse(json, strlen(json), "bad.json", rules, global, &error));
	g_assert_nonnull(error);
	if (strstr(error->message, fragment) == NULL)
		g_test_message("error was: %s", error->message);
	g_assert_nonnull(strstr(error->message, fragment));
	g_assert_nonnull(strstr(error->message, "bad.json"));
}

static void
test_rules_bad(void)
{
	expect_bad("", "bad.json");
	expect_bad("{\"rules\": [", "not JSON");
	expect_bad("[1]", "top level");
	expect_bad("{}", "no \"rules\"");
	expect_bad("{\"rules\": 3}", "must be an array");
	expect_bad("{\"rules\": [3]}", "not an object");
	expect_bad("{\"rules\": [{\"title\": \"t\"}]}", "\"id\" is missing");
	expect_bad("{\"rules\": [{\"id\": \"../x\", \"title\": \"t\"}]}", "id must be");
	expect_bad("{\"rules\": [{\"id\": \"A\", \"title\": \"t\", \"regex\": \"(\", \"keywords\": [\"ab\"]}]}", "bad regex");
	expect_bad("{\"rules\": [{\"id\": \"A\", \"title\": \"t\", \"regex\": \"ab\", \"keywords\": [\"ab\"]}]}", "(?<secret>");
	expect_bad("{\"rules\": [{\"id\": \"A\", \"title\": \"t\", \"regex\": \"(?<secret>ab)\"}]}", "keyword");
	expect_bad("{\"rules\": [{\"id\": \"A\", \"title\": \"t\", \"regex\": \"(?<secret>ab)\", \"keywords\": [\"a\"]}]}",
	           "2-64 bytes");
	expect_bad("{\"rules\": [{\"id\": \"A\", \"title\": \"t\", \"regex\": \"(?<secret>ab)\", \"keywords\": [1]}]}",
	           "not a string");
	expect_bad("{\"rules\": [{\"id\": \"A\", \"title\": \"t\", \"regex\": \"(?<secret>ab)\", \"keywords\": [\"ab\"],"
	           " \"entropy\": 99}]}", "entropy");
	expect_bad("{\"rules\": [{\"id\": \"A\", \"title\": \"t\", \"regex\": \"(?<secret>ab)\", \"keywords\": [\"ab\"],"
	           " \"after\": 100000}]}", "after");
	expect_bad("{\"rules\": [{\"id\": \"A\", \"title\": \"t\", \"regex\": \"(?<secret>ab)\", \"keywords\": [\"ab\"],"
	           " \"severity\": \"EXTREME\"}]}", "severity");
	expect_bad("{\"rules\": [{\"id\": \"A\", \"title\": \"t\", \"regex\": \"(?<secret>ab)\", \"keywords\": [\"ab\"]},"
	           "{\"id\": \"A\", \"title\": \"t\", \"regex\": \"(?<secret>ab)\", \"keywords\": [\"ab\"]}]}", "twice");
	expect_bad("{\"global\": {\"allow\": [\"[\"]}, \"rules\": []}", "bad regex");
	/* Deep nesting is refused by the parser or rejected as a non-object, never a crash. */
	GString *deep = g_string_new(NULL);
	for (guint i = 0; i < 10000; i++)
		g_string_append_c(deep, '[');
	for (guint i = 0; i < 10000; i++)
		g_string_append_c(deep, ']');
	{
		g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func((GDestroyNotify)hull_secrets_rule_free);
		g_autoptr(HullSecretsGlobal) global = hull_secrets_global_new();
		g_autoptr(GError) error = NULL;
		g_assert_false(hull_secrets_rules_parse(deep->str, deep->len, "deep.json", rules, global, &error));
		g_assert_nonnull(error);
	}
	g_string_free(deep, TRUE);
}

static gdouble
time_scan(const char *data, gsize len, Hits *h)
{
	gint64 t0 = g_get_monotonic_time();
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_secrets_engine_scan_buffer(get_engine(), "/h", (const guint8 *)data, len, on_match, h, &error));
	return (g_get_monotonic_time() - t0) / 1e6;
}

static void
test_engine_hostile(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(99);
	gsize big = 4 * 1024 * 1024;
	g_autofree gchar *buf = g_malloc(big + 1);
	Hits h;
	gdouble t;

	/* A minified one-line file full of keywords and near-misses. */
	GString *min = g_string_new(NULL);
	while (min->len < big)
		g_string_append(min, "var token=a.secret||\"\";function key(){return password:!0,api_key:void 0};");
	hits_init(&h);
	t = time_scan(min->str, min->len, &h);
	g_test_message("minified 4 MiB: %.2fs, %u matches", t, h.ids->len);
	g_assert_cmpfloat(t, <, 20.0);
	hits_clear(&h);
	g_string_free(min, TRUE);

	/* NUL-filled, invalid UTF-8, one giant base64 blob. */
	memset(buf, 0, big);
	hits_init(&h);
	t = time_scan(buf, big, &h);
	g_assert_cmpuint(h.ids->len, ==, 0);
	hits_clear(&h);
	for (gsize i = 0; i < big; i++)
		buf[i] = (char)(0x80 | g_rand_int_range(rand, 0, 0x80));
	hits_init(&h);
	t = time_scan(buf, big, &h);
	g_assert_cmpfloat(t, <, 20.0);
	hits_clear(&h);
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (gsize i = 0; i < big; i++)
		buf[i] = b64[g_rand_int_range(rand, 0, 64)];
	hits_init(&h);
	t = time_scan(buf, big, &h);
	g_test_message("base64 blob 4 MiB: %.2fs, %u matches", t, h.ids->len);
	g_assert_cmpfloat(t, <, 20.0);
	/* The per-file cap keeps a hostile file from flooding the report. */
	g_assert_cmpuint(h.ids->len, <=, 500);
	hits_clear(&h);

	/* UTF-16LE text: not found by the byte engine (the plugin transcodes), but no crash. */
	GString *u16 = g_string_new(NULL);
	for (guint i = 0; i < 10000; i++)
		g_string_append_len(u16, "k\0e\0y\0=\0", 8);
	hits_init(&h);
	(void)time_scan(u16->str, u16->len, &h);
	hits_clear(&h);
	g_string_free(u16, TRUE);
}

/* Backtracking bait for every rule: its keywords followed by long runs that almost match
 * (the rule's examples cut short and repeated). The whole set must finish in bounded time. */
static void
test_engine_backtracking(void)
{
	GPtrArray *rules = hull_secrets_engine_get_rules(get_engine());
	g_autoptr(GRand) rand = g_rand_new_with_seed(5);
	gdouble worst = 0;
	const char *worst_id = NULL;

	for (guint i = 0; i < rules->len; i++) {
		HullSecretsRule *r = rules->pdata[i];
		GString *bait = g_string_new(NULL);
		g_autofree gchar *pos = hull_secrets_expand_template(r->positive[0], rand);
		gsize half = strlen(pos) / 2 + 1;
		while (bait->len < 256 * 1024) {
			for (guint k = 0; r->keywords[k] != NULL; k++) {
				g_string_append(bait, r->keywords[k]);
				g_string_append(bait, " = '");
			}
			g_string_append_len(bait, pos, (gssize)MIN(half, strlen(pos)));
			for (guint k = 0; k < 64; k++)
				g_string_append_c(bait, "aA0=:/+-_.\"' "[g_rand_int_range(rand, 0, 13)]);
		}
		Hits h;
		hits_init(&h);
		gdouble t = time_scan(bait->str, bait->len, &h);
		if (t > worst) {
			worst = t;
			worst_id = r->id;
		}
		hits_clear(&h);
		g_string_free(bait, TRUE);
	}
	g_test_message("worst bait: %s %.3fs for 256 KiB", worst_id, worst);
	g_assert_cmpfloat(worst, <, 10.0);
}

static void
test_entropy(void)
{
	g_assert_cmpfloat(hull_secrets_entropy("aaaa", 4), ==, 0.0);
	g_assert_cmpfloat(hull_secrets_entropy("abcd", 4), ==, 2.0);
	g_assert_cmpfloat(hull_secrets_entropy("", 0), ==, 0.0);
	g_autoptr(GRand) rand = g_rand_new_with_seed(1);
	g_autofree gchar *t = hull_secrets_expand_template("x{{hex:5}}{{nl}}{{bogus:3}}{{alnum:0}}", rand);
	g_assert_cmpuint(strlen(t), ==, 1 + 5 + 1 + strlen("{{bogus:3}}") + strlen("{{alnum:0}}"));
}

/* The glob list answers what GLib's matcher answers, glob by glob, for every path: the
 * literal prefilter and the skipped reversal only make it faster. */
static void
test_globs_differential(void)
{
	const char *globs[] = {
	    "/usr/share/doc/*", "*.dist-info/*", "*/node_modules/*/test/*", "/usr/lib/python3*/test/*",
	    "*.pem", "*/test/*.py", "a?c", "*\xc3\xa9*.txt", "/etc/*/x?y*z", "exact/path", "*", "?", "**", "",
	    "*_test.go", "/srv/*/secrets.yml", "*/id_?sa", NULL};
	const char *paths[] = {
	    "/usr/share/doc/curl/README", "/usr/share/docs", "/lib/python3/dist-packages/x.dist-info/RECORD",
	    "/app/node_modules/left-pad/test/index.js", "/app/node_modules/test/x", "/usr/lib/python3.11/test/a.py",
	    "/usr/lib/python3/test", "/etc/ssl/key.pem", "/etc/ssl/key.pem.bak", "/src/test/app.py", "/src/test/app.pyc",
	    "abc", "ac", "a\xc3\xa9" "c", "/d/caf\xc3\xa9/menu.txt", "/d/cafe/menu.txt", "/etc/a/xzyQQz", "/etc/a/xzy",
	    "exact/path", "exact/path/", "", "x", "/go/pkg/a_test.go", "/srv/app/secrets.yml", "/root/.ssh/id_rsa",
	    "/root/.ssh/id_rsa.pub", "/bad/\xff\xfe/id_dsa", "/bad/\xff.pem", NULL};
	for (guint gi = 0; globs[gi] != NULL; gi++) {
		const char *one[] = {globs[gi], NULL};
		g_autoptr(HullSecretsGlobs) list = hull_secrets_globs_new(one);
		g_autoptr(GPatternSpec) spec = g_pattern_spec_new(globs[gi]);
		for (guint pi = 0; paths[pi] != NULL; pi++) {
			gboolean want = g_pattern_spec_match_string(spec, paths[pi]);
			gboolean got = hull_secrets_globs_match(list, paths[pi], strlen(paths[pi]));
			if (want != got)
				g_error("glob \"%s\" on \"%s\": GLib says %d, the list says %d", globs[gi], paths[pi], want, got);
		}
	}
	/* the whole list: a path matches when some glob does */
	g_autoptr(HullSecretsGlobs) all = hull_secrets_globs_new(globs);
	g_assert_cmpuint(hull_secrets_globs_len(all), ==, G_N_ELEMENTS(globs) - 1);
	g_assert_true(hull_secrets_globs_match(all, "anything at all", 15)); /* "*" */
	const char *few[] = {"/usr/share/doc/*", "*.pem", NULL};
	g_autoptr(HullSecretsGlobs) two = hull_secrets_globs_new(few);
	g_assert_true(hull_secrets_globs_match(two, "/x/y.pem", 8));
	g_assert_false(hull_secrets_globs_match(two, "/x/y.pem.txt", 12));
	g_assert_false(hull_secrets_globs_match(NULL, "/x", 2));
	g_autoptr(HullSecretsGlobs) none = hull_secrets_globs_new(NULL);
	g_assert_false(hull_secrets_globs_match(none, "/x", 2));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/secrets/rules/load", test_rules_load);
	g_test_add_func("/secrets/globs/differential", test_globs_differential);
	g_test_add_func("/secrets/rules/examples", test_rules_examples);
	g_test_add_func("/secrets/rules/bad-files", test_rules_bad);
	g_test_add_func("/secrets/rules/entropy-and-templates", test_entropy);
	g_test_add_func("/secrets/engine/chunk-splits", test_engine_splits);
	g_test_add_func("/secrets/engine/line-numbers", test_engine_lines);
	g_test_add_func("/secrets/engine/hostile", test_engine_hostile);
	g_test_add_func("/secrets/engine/backtracking-bait", test_engine_backtracking);
	int rc = g_test_run();
	hull_secrets_engine_free(shared_engine);
	return rc;
}
