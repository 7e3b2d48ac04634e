/* test-mask.c: hull_mask_text(), the core's one masking step. The shapes a credential takes on
 * a command line, every positive example of every rule in configs/secrets/rules.json, texts
 * that must come out unchanged, texts masked twice, and hostile texts (long, nested, invalid
 * UTF-8) that must stay fast. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include "hull-mask.h"
#ifdef HULL_TEST_HAVE_SECRETS
#include "hull-secrets-rules.h"
#endif

/* Whether @masked keeps more than 4 characters of @secret in a row. */
static gboolean
leaks(const char *masked, const char *secret)
{
	gsize n = strlen(secret);
	if (n <= 4)
		return strstr(masked, secret) != NULL && strstr(masked, HULL_MASK_REDACTED) == NULL;
	for (gsize i = 0; i + 5 <= n; i++) {
		g_autofree gchar *piece = g_strndup(secret + i, 5);
		if (strstr(masked, piece) != NULL)
			return TRUE;
	}
	return FALSE;
}

typedef struct {
	const char *text;
	const char *secret;
} Case;

static void
test_shapes(void)
{
	const Case cases[] = {
	    {"RUN curl -H \"Authorization: token ghp_x8Yq2LmN0pQrStUvWxYz0123456789abCDef\" https://api", "x8Yq2LmN0pQrSt"},
	    {"curl -H 'Authorization: Bearer abc.def.ghi-SECRET' http://h", "abc.def.ghi-SECRET"},
	    {"curl --header \"Private-Token: glpat1234abcd\" https://gitlab", "glpat1234abcd"},
	    {"ADD https://user:Sup3rS3cret@example.com/app.tar.gz /app/", "Sup3rS3cret"},
	    {"git clone https://oauth2:tok3n-value@gitlab.example/x.git", "tok3n-value"},
	    {"postgres://app:pa55w0rd@db:5432/app", "pa55w0rd"},
	    {"/bin/sh -c export GITHUB_TOKEN=s3cr3tvalue99 && make", "s3cr3tvalue99"},
	    {"/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2", "hunter2"},
	    {"ENV DB_PASSWORD hunter2", "hunter2"},
	    {"ARG NPM_TOKEN=npm_short", "npm_short"},
	    {"docker build --build-arg PGPASSWORD=hunter22 .", "hunter22"},
	    {"{\"password\": \"correct-horse\"}", "correct-horse"},
	    {"mysql -uroot -pRootPass123 db < dump.sql", "RootPass123"},
	    {"sshpass -p 'pw1234x' ssh host", "pw1234x"},
	    {"curl -u ops:adminpass http://h/", "adminpass"},
	    {"openssl enc -pass pass:letmein99 -in x", "letmein99"},
	    {"helm repo add x --password s3cretHelm", "s3cretHelm"},
	    {"docker login -u me -p dckr_pwd_value registry", "dckr_pwd_value"},
	    {"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzKEYzz", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzKEYzz"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *m = hull_mask_text(cases[i].text);
		if (leaks(m, cases[i].secret) || strstr(m, HULL_MASK_REDACTED) == NULL)
			g_error("not masked: \"%s\" -> \"%s\"", cases[i].text, m);
		/* masking what is masked changes nothing */
		g_autofree gchar *again = hull_mask_text(m);
		g_assert_cmpstr(again, ==, m);
	}
	/* the text around a secret is kept exactly; a long secret keeps 4 characters */
	g_autofree gchar *url = hull_mask_text("ADD https://deploy:Sup3rS3cretPass@example.com/a.tgz /app/");
	g_assert_cmpstr(url, ==, "ADD https://deploy:Sup3" HULL_MASK_REDACTED "@example.com/a.tgz /app/");
	/* a short secret keeps fewer */
	g_autofree gchar *shortpw = hull_mask_text("export DB_PASSWORD=abcdef");
	g_assert_cmpstr(shortpw, ==, "export DB_PASSWORD=ab" HULL_MASK_REDACTED);
}

static void
test_plain_texts_unchanged(void)
{
	const char *plain[] = {
	    "ENV DB_PASSWORD looks like a secret",
	    "ARG NPM_TOKEN has a secret-shaped value",
	    "ENV POSTGRES_PASSWORD_FILE=/run/secrets/db",
	    "ENV MYSQL_ALLOW_EMPTY_PASSWORD=yes",
	    "ENV TOKENIZER=bert",
	    "ENV SECRETARY=bob",
	    "RUN --mount=type=secret,id=npmrc npm ci",
	    "ENV API_KEY=$API_KEY",
	    "docker run -u 1000:1000 image",
	    "the final stage's last USER is root",
	    "https://example.com:8443/path@v2",
	    "apt-get install -y --no-install-recommends curl=7.88.1-10",
	    "FROM debian:12",
	    "",
	    "a",
	    "/usr/lib/python3/dist-packages/keyring/credentials.py",
	};
	for (guint i = 0; i < G_N_ELEMENTS(plain); i++) {
		g_autofree gchar *m = hull_mask_text(plain[i]);
		g_assert_cmpstr(m, ==, plain[i]);
	}
	g_assert_null(hull_mask_text(NULL));
}

/* The rule's own `secret` group in @text, as the secrets plugin would report it. */
static gchar *
rule_secret(const char *regex, const char *text)
{
	int err = 0;
	PCRE2_SIZE off = 0;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	g_assert_nonnull(re);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	gchar *secret = NULL;
	if (pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL) > 0) {
		int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "secret");
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		if (g > 0 && ov[2 * g] != PCRE2_UNSET)
			secret = g_strndup(text + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return secret;
}

/* Every positive example of every shipped rule is masked: the core knows what the secrets
 * plugin matches, whether or not the plugin runs. */
static void
test_rules_positive_examples(void)
{
#ifndef HULL_TEST_HAVE_SECRETS
	g_test_skip("the secrets plugin is not built (-Dplugins): its template expander is needed");
	return;
#endif
	const char *root = g_getenv("HULL_SOURCE_ROOT");
	g_autofree gchar *path = g_build_filename(root != NULL ? root : ".", "configs", "secrets", "rules.json", NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_test_skip("configs/secrets/rules.json not found (set HULL_SOURCE_ROOT)");
		return;
	}
	g_assert_cmpuint(hull_mask_get_n_rules(), >, 200);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_assert_true(json_parser_load_from_file(parser, path, NULL));
	JsonArray *rules = json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)), "rules");
	g_autoptr(GRand) rand = g_rand_new_with_seed(7);
	guint checked = 0;
	for (guint i = 0; i < json_array_get_length(rules); i++) {
		JsonObject *rule = json_array_get_object_element(rules, i);
		JsonObject *tests = json_object_get_object_member(rule, "tests");
		if (tests == NULL || !json_object_has_member(tests, "positive"))
			continue;
		JsonArray *pos = json_object_get_array_member(tests, "positive");
		for (guint j = 0; j < json_array_get_length(pos); j++) {
			g_autofree gchar *text = hull_secrets_expand_template(json_array_get_string_element(pos, j), rand);
			g_autofree gchar *secret = rule_secret(json_object_get_string_member(rule, "regex"), text);
			if (secret == NULL || strlen(secret) < 8)
				continue;
			g_autofree gchar *m = hull_mask_text(text);
			if (leaks(m, secret))
				g_error("%s: not masked: \"%s\" -> \"%s\"", json_object_get_string_member(rule, "id"), text, m);
			checked++;
		}
	}
	g_assert_cmpuint(checked, >, 250);
}

/* In-house rule files (the secrets plugin's `rules` option) teach the masker their formats. */
static void
test_rules_file(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hull-mask-XXXXXX", NULL);
	g_autofree gchar *fn = g_build_filename(dir, "acme.json", NULL);
	const char *rules = "{\"rules\": [{\"id\": \"ACME\", \"keywords\": [\"acme_\"], "
	                    "\"regex\": \"(?<secret>acme_[a-z0-9]{12})\"}]}";
	g_assert_true(g_file_set_contents(fn, rules, -1, NULL));
	const char *text = "RUN deploy --key acme_0123456789ab";
	g_autofree gchar *before = hull_mask_text(text);
	g_assert_cmpstr(before, ==, text);
	g_assert_true(hull_mask_add_rules_file(fn, NULL));
	g_autofree gchar *after = hull_mask_text(text);
	g_assert_cmpstr(after, ==, "RUN deploy --key acme" HULL_MASK_REDACTED);
	/* a broken file is an error and changes nothing */
	g_assert_true(g_file_set_contents(fn, "{\"rules\": [[[", -1, NULL));
	g_autoptr(GError) error = NULL;
	g_assert_false(hull_mask_add_rules_file(fn, &error));
	g_assert_nonnull(error);
	g_autofree gchar *still = hull_mask_text(text);
	g_assert_cmpstr(still, ==, after);
	g_unlink(fn);
	g_rmdir(dir);
	hull_mask_reset();
}

/* Hostile texts: long, repetitive, nested, invalid UTF-8. Each is masked in bounded time and
 * the output is never cut inside a UTF-8 sequence. */
static void
test_hostile(void)
{
	GString *big = g_string_new(NULL);
	for (guint i = 0; i < 20000; i++)
		g_string_append(big, "password=password=token:token ");
	gint64 t0 = g_get_monotonic_time();
	g_autofree gchar *m = hull_mask_text(big->str);
	g_assert_nonnull(m);
	g_string_free(big, TRUE);
	GString *urls = g_string_new(NULL);
	for (guint i = 0; i < 5000; i++)
		g_string_append(urls, "http://a:b://c:d@");
	g_autofree gchar *m2 = hull_mask_text(urls->str);
	g_string_free(urls, TRUE);
	g_assert_nonnull(m2);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 20 * G_USEC_PER_SEC);
	/* a secret of multi-byte characters keeps whole characters */
	g_autofree gchar *u = hull_mask_text("export API_TOKEN=\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9x");
	g_assert_true(g_utf8_validate(u, -1, NULL));
	g_autofree gchar *bad = hull_mask_text("export API_TOKEN=\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8 and \xc3");
	g_assert_nonnull(strstr(bad, HULL_MASK_REDACTED));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mask/shapes", test_shapes);
	g_test_add_func("/mask/plain-texts-unchanged", test_plain_texts_unchanged);
	g_test_add_func("/mask/rules-positive-examples", test_rules_positive_examples);
	g_test_add_func("/mask/rules-file", test_rules_file);
	g_test_add_func("/mask/hostile", test_hostile);
	return g_test_run();
}
