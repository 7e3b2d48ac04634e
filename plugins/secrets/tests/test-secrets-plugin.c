/* test-secrets-plugin.c: the secrets plugin through the in-process scanner (hull_test_scan) on
 * temp trees: a secret straddling the walker's 64 KiB chunk boundary, masking, path allow-lists,
 * binary and UTF-16 files, options (--config), SSH host keys, and the evaluations on the public
 * secretlint and Trivy fixtures (skipped with a message when ../shared/data is absent). */
#include <string.h>
#include <glib/gstdio.h>

#include "hull-report.h"
#include "hull-secrets-plugin.h"
#include "hull-secrets-rules.h"
#include "hull-test-util.h"

static const HullPluginDescriptor *
desc(void)
{
	return hull_secrets_plugin_descriptor();
}

static gchar *
fake(const char *tmpl, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	return hull_secrets_expand_template(tmpl, rand);
}

static HullReport *
scan_tree(const char *dir, const char *config)
{
	return hull_test_scan(desc(), dir, "rootfs", config);
}

static void
test_basic_and_masking(void)
{
	g_autofree gchar *tok = fake("ghp_{{alnum:36}}", 1);
	g_autofree gchar *env = g_strdup_printf("A=1\nGITHUB_TOKEN=%s\n", tok);
	g_autofree gchar *dir = hull_test_make_tree("app/.env", env, "app/readme.txt", "nothing here\n", NULL);
	HullReport *report = scan_tree(dir, NULL);

	g_assert_cmpuint(hull_test_count(report, "SEC-GITHUB-PAT"), ==, 1);
	const HullFinding *f = hull_test_find(report, "SEC-GITHUB-PAT");
	g_assert_cmpuint(f->line, ==, 2);
	g_assert_cmpuint(f->column, ==, 14);
	g_assert_nonnull(strstr(f->path, ".env"));
	gboolean alias = FALSE;
	for (guint i = 0; i < f->aliases->len; i++)
		alias = alias || g_str_equal(f->aliases->pdata[i], "github-pat");
	g_assert_true(alias);
	g_assert_nonnull(f->evidence);
	g_assert_null(strstr(f->evidence, tok + 4));
	/* The whole secret appears nowhere in the report. */
	g_autoptr(GString) json = g_string_new(NULL);
	hull_report_write_json(report, json);
	g_assert_null(strstr(json->str, tok));
	g_assert_null(strstr(json->str, tok + 6));
	g_autofree gchar *fp1 = g_strdup(f->fingerprint);
	hull_report_free(report);

	/* Stable fingerprint across rescans. */
	report = scan_tree(dir, NULL);
	f = hull_test_find(report, "SEC-GITHUB-PAT");
	g_assert_nonnull(f);
	g_assert_cmpstr(f->fingerprint, ==, fp1);
	hull_report_free(report);
	hull_test_remove_tree(dir);
}

/* The walker hands files over in chunks of 64 KiB: a secret across offset 65536 is found. */
static void
test_chunk_boundary(void)
{
	g_autofree gchar *tok = fake("ghp_{{alnum:36}}", 2);
	g_autofree gchar *key = fake("-----BEGIN RSA PRIVATE KEY-----\n{{b64:64}}\n{{b64:64}}\n{{b64:64}}\n"
	                             "-----END RSA PRIVATE KEY-----\n", 3);
	for (guint variant = 0; variant < 2; variant++) {
		const char *secret = variant == 0 ? tok : key;
		gsize slen = strlen(secret);
		for (gsize before = 1; before < slen; before += variant == 0 ? 7 : 29) {
			GString *s = g_string_new(NULL);
			while (s->len < 65536 - before)
				g_string_append_c(s, (s->len % 80) == 79 ? '\n' : 'x');
			g_string_truncate(s, 65536 - before);
			g_string_append_c(s, '\n');
			g_string_truncate(s, 65536 - before);
			/* A separator so the secret is a token of its own. */
			s->str[s->len - 1] = ' ';
			g_string_append(s, secret);
			g_string_append(s, "\ntrailing line\n");
			g_autofree gchar *dir = hull_test_make_tree("data/blob.txt", s->str, NULL);
			HullReport *report = scan_tree(dir, NULL);
			const char *rule = variant == 0 ? "SEC-GITHUB-PAT" : "SEC-PRIVATE-KEY-RSA";
			if (hull_test_count(report, rule) != 1)
				g_test_message("variant %u split %zu: %u findings", variant, before, hull_test_count(report, rule));
			g_assert_cmpuint(hull_test_count(report, rule), ==, 1);
			hull_report_free(report);
			hull_test_remove_tree(dir);
			g_string_free(s, TRUE);
		}
	}
}

static void
test_allow_paths_and_binary(void)
{
	g_autofree gchar *tok = fake("GITHUB_TOKEN=ghp_{{alnum:36}}\n", 4);
	g_autofree gchar *dir = hull_test_make_tree("usr/share/doc/pkg/README", tok, "lib/python3.11/site-packages/x-1.0.dist-info/METADATA",
	                                            tok, "srv/app/conf.txt", tok, "srv/other/conf.txt", tok, NULL);
	/* A binary file holding the same token after a NUL. */
	g_autofree gchar *bin = g_build_filename(dir, "srv", "app.bin", NULL);
	GString *b = g_string_new_len("\x7f" "ELF\0\0\0", 7);
	g_string_append(b, tok);
	g_assert_true(g_file_set_contents(bin, b->str, (gssize)b->len, NULL));
	g_string_free(b, TRUE);

	HullReport *report = scan_tree(dir, NULL);
	g_assert_cmpuint(hull_test_count(report, "SEC-GITHUB-PAT"), ==, 2);
	hull_report_free(report);

	/* Extra allow-globs from --config; built-in list switched off. */
	report = scan_tree(dir, "[secrets]\nallow-paths=/srv/other/*\nbuiltin-allow-paths=false\n");
	g_assert_cmpuint(hull_test_count(report, "SEC-GITHUB-PAT"), ==, 3);
	hull_report_free(report);
	hull_test_remove_tree(dir);
}

static void
test_utf16(void)
{
	g_autofree gchar *tok = fake("GITHUB_TOKEN=ghp_{{alnum:36}}\r\n", 5);
	g_autofree gchar *dir = hull_test_make_tree("placeholder", "", NULL);
	for (guint be = 0; be < 2; be++) {
		GString *u = g_string_new_len(be ? "\xfe\xff" : "\xff\xfe", 2);
		for (const char *p = tok; *p; p++) {
			if (be)
				g_string_append_c(u, '\0');
			g_string_append_c(u, *p);
			if (!be)
				g_string_append_c(u, '\0');
		}
		g_autofree gchar *fn = g_build_filename(dir, be ? "be.env" : "le.env", NULL);
		g_assert_true(g_file_set_contents(fn, u->str, (gssize)u->len, NULL));
		g_string_free(u, TRUE);
	}
	HullReport *report = scan_tree(dir, NULL);
	g_assert_cmpuint(hull_test_count(report, "SEC-GITHUB-PAT"), ==, 2);
	hull_report_free(report);
	hull_test_remove_tree(dir);
}

static void
test_options(void)
{
	g_autofree gchar *tok = fake("GITHUB_TOKEN=ghp_{{alnum:36}}\nACME_KEY=acme-{{hex:32}}\n", 6);
	g_autofree gchar *dir = hull_test_make_tree("app/.env", tok, NULL);
	g_autofree gchar *rules = g_build_filename(dir, "inhouse.json", NULL);
	const char *inhouse = "{\"rules\": [{\"id\": \"ACME-KEY\", \"title\": \"ACME key\", \"severity\": \"HIGH\","
	                      " \"keywords\": [\"acme-\"], \"regex\": \"(?<secret>acme-[a-f0-9]{32})\","
	                      " \"aliases\": [\"acme\"]}]}";
	g_assert_true(g_file_set_contents(rules, inhouse, -1, NULL));

	g_autofree gchar *cfg = g_strdup_printf("[secrets]\nrules=%s\ndisable=SEC-GITHUB-PAT\n", rules);
	HullReport *report = scan_tree(dir, cfg);
	g_assert_cmpuint(hull_test_count(report, "ACME-KEY"), ==, 1);
	g_assert_cmpuint(hull_test_count(report, "SEC-GITHUB-PAT"), ==, 0);
	hull_report_free(report);

	/* Files over max-file-size are skipped and counted in a note. */
	report = scan_tree(dir, "[secrets]\nmax-file-size=10\n");
	g_assert_cmpuint(hull_test_count(report, "SEC-GITHUB-PAT"), ==, 0);
	gboolean noted = FALSE;
	for (guint i = 0; i < report->notes->len; i++)
		noted = noted || strstr(report->notes->pdata[i], "size limit") != NULL;
	g_assert_true(noted);
	hull_report_free(report);
	hull_test_remove_tree(dir);
}

static void
test_ssh_host_key(void)
{
	g_autofree gchar *key = fake("-----BEGIN OPENSSH PRIVATE KEY-----\n{{b64:70}}\n{{b64:70}}\n{{b64:70}}\n"
	                             "-----END OPENSSH PRIVATE KEY-----\n", 7);
	g_autofree gchar *dir = hull_test_make_tree("etc/ssh/ssh_host_ed25519_key", key, "etc/ssh/ssh_host_ed25519_key.pub",
	                                            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI host\n", "root/.ssh/id_ed25519", key,
	                                            NULL);
	HullReport *report = scan_tree(dir, NULL);
	g_assert_cmpuint(hull_test_count(report, "SEC-SSH-HOST-KEY"), ==, 1);
	g_assert_cmpuint(hull_test_count(report, "SEC-PRIVATE-KEY-OPENSSH"), ==, 1);
	const HullFinding *f = hull_test_find(report, "SEC-PRIVATE-KEY-OPENSSH");
	g_assert_nonnull(strstr(f->path, "id_ed25519"));
	hull_report_free(report);
	hull_test_remove_tree(dir);
}

/* An image: a secret written in layer 0 and deleted in layer 1 still ships; Env and history
 * are scanned as pseudo-files. */
static void
test_image_layers_and_config(void)
{
	const char *gen = g_getenv("HULL_GEN_IMAGE");
	if (gen == NULL || !g_file_test(gen, G_FILE_TEST_EXISTS)) {
		g_test_skip("HULL_GEN_IMAGE not set: no image generator");
		return;
	}
	g_autofree gchar *tok = fake("ghp_{{alnum:36}}", 11);
	g_autofree gchar *envtok = fake("sk_live_{{alnum:30}}", 12);
	g_autofree gchar *histtok = fake("glpat-{{b64url:20}}", 13);
	g_autofree gchar *dir = hull_test_make_tree("placeholder", "", NULL);
	g_autofree gchar *spec = g_strdup_printf(
		"{\"config\": {\"Env\": [\"PATH=/usr/bin\", \"STRIPE_KEY=%s\"], \"Labels\": {\"a\": \"b\"}},"
		" \"layers\": ["
		"  {\"created_by\": \"RUN echo %s > /dev/null\", \"entries\": [{\"path\": \"app/.env\", \"type\": \"file\","
		"   \"content\": \"TOKEN=%s\\n\"}]},"
		"  {\"created_by\": \"RUN rm /app/.env\", \"entries\": [{\"path\": \"app/.env\", \"type\": \"whiteout\"}]}"
		"]}",
		envtok, histtok, tok);
	g_autofree gchar *spec_fn = g_build_filename(dir, "spec.json", NULL);
	g_autofree gchar *img = g_build_filename(dir, "image.tar", NULL);
	g_assert_true(g_file_set_contents(spec_fn, spec, -1, NULL));
	const char *argv[] = { "python3", gen, "build", spec_fn, img, NULL };
	gint status = 0;
	g_autoptr(GError) error = NULL;
	g_assert_true(g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
	g_assert_no_error(error);
	g_assert_true(g_spawn_check_wait_status(status, NULL));

	HullReport *report = hull_test_scan(desc(), img, "image", NULL);
	const HullFinding *f = hull_test_find(report, "SEC-GITHUB-PAT");
	g_assert_nonnull(f);
	g_assert_cmpint(f->deleted_in, ==, 1);
	g_assert_cmpint(f->layer, ==, 0);
	g_assert_nonnull(strstr(f->message, "deleted in layer 1"));
	f = hull_test_find(report, "SEC-STRIPE-SECRET-KEY");
	g_assert_nonnull(f);
	g_assert_cmpstr(f->path, ==, "image-config:Env");
	g_assert_cmpuint(f->line, ==, 2);
	f = hull_test_find(report, "SEC-GITLAB-PAT");
	g_assert_nonnull(f);
	g_assert_cmpstr(f->path, ==, "image-config:history");
	g_assert_cmpint(f->layer, ==, 0);
	g_autoptr(GString) json = g_string_new(NULL);
	hull_report_write_json(report, json);
	g_assert_null(strstr(json->str, tok));
	g_assert_null(strstr(json->str, envtok));
	hull_report_free(report);

	/* scan-deleted=false: the deleted file is not offered. */
	report = hull_test_scan(desc(), img, "image", "[secrets]\nscan-deleted=false\n");
	g_assert_cmpuint(hull_test_count(report, "SEC-GITHUB-PAT"), ==, 0);
	hull_report_free(report);
	hull_test_remove_tree(dir);
}

/* secretlint family directory → our rule kinds that count as "the same kind". */
static const struct {
	const char *family;
	const char *kinds;
} secretlint_map[] = {
	{ "1password", "1password" },
	{ "anthropic", "anthropic" },
	{ "aws", "aws" },
	{ "azure", "azure" },
	{ "basicauth", "basicauth" },
	{ "cloudflare", "cloudflare" },
	{ "database-connection-string", "database-connection-string" },
	{ "databricks", "databricks" },
	{ "docker", "docker" },
	{ "figma", "figma" },
	{ "gcp", "gcp private-key" },
	{ "github", "github" },
	{ "gitlab", "gitlab" },
	{ "grafana", "grafana" },
	{ "groq", "groq" },
	{ "hashicorp-vault", "hashicorp-vault" },
	{ "huggingface", "huggingface" },
	{ "linear", "linear" },
	{ "no-k8s-kind-secret", "k8s-secret" },
	{ "notion", "notion" },
	{ "npm", "npm" },
	{ "openai", "openai" },
	{ "privatekey", "private-key" },
	{ "secp256k1-privatekey", "secp256k1-privatekey" },
	{ "sendgrid", "sendgrid" },
	{ "shopify", "shopify" },
	{ "slack", "slack" },
	{ "stripe", "stripe" },
	{ "tailscale", "tailscale" },
	{ "vercel", "vercel" },
};

static GHashTable *
kind_of_rules(void)
{
	g_autoptr(GError) error = NULL;
	const char *root = g_getenv("HULL_SOURCE_ROOT");
	g_autofree gchar *path = g_build_filename(root != NULL ? root : ".", "configs", "secrets", "rules.json", NULL);
	GPtrArray *rules = NULL;
	HullSecretsGlobal *global = NULL;
	GHashTable *kinds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	g_assert_true(hull_secrets_load_all(NULL, path, NULL, NULL, &rules, &global, &error));
	for (guint i = 0; i < rules->len; i++) {
		HullSecretsRule *r = rules->pdata[i];
		g_hash_table_insert(kinds, g_strdup(r->id), g_strdup(r->kind));
	}
	g_hash_table_insert(kinds, g_strdup("SEC-SSH-HOST-KEY"), g_strdup("private-key"));
	g_ptr_array_unref(rules);
	hull_secrets_global_free(global);
	return kinds;
}

/* The input of a snapshot dir: the file that is not output.json (input.txt, input.json, …). */
static gchar *
snapshot_input(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		if (g_str_has_prefix(name, "input") && !g_str_has_suffix(name, ".p12") && !g_str_has_suffix(name, ".ts"))
			return g_build_filename(dir, name, NULL);
	}
	return NULL;
}

static void
test_secretlint(void)
{
	g_autofree gchar *base = hull_test_shared_data("secrets/secretlint");
	if (base == NULL)
		return;
	g_autoptr(GHashTable) kinds = kind_of_rules();
	guint ng = 0, ng_hit = 0, ok = 0, ok_fp = 0;

	for (guint m = 0; m < G_N_ELEMENTS(secretlint_map); m++) {
		g_autofree gchar *snaps = g_strdup_printf("%s/secretlint-rule-%s/test/snapshots", base, secretlint_map[m].family);
		g_auto(GStrv) want = g_strsplit(secretlint_map[m].kinds, " ", -1);
		g_autoptr(GDir) d = g_dir_open(snaps, 0, NULL);
		const char *name;
		while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
			gboolean is_ng = g_str_has_prefix(name, "ng.");
			/* ok.allows* and "--option" cases depend on secretlint options of that test. */
			if ((!is_ng && (!g_str_has_prefix(name, "ok.") || g_str_has_prefix(name, "ok.allows"))) || strstr(name, "--") != NULL)
				continue;
			g_autofree gchar *sd = g_build_filename(snaps, name, NULL);
			g_autofree gchar *input = snapshot_input(sd);
			if (input == NULL)
				continue;
			g_autofree gchar *content = NULL;
			gsize len = 0;
			if (!g_file_get_contents(input, &content, &len, NULL) || len == 0)
				continue;
			g_autofree gchar *bn = g_path_get_basename(input);
			g_autofree gchar *dir = hull_test_make_tree("placeholder", "", NULL);
			g_autofree gchar *fn = g_build_filename(dir, bn, NULL);
			g_assert_true(g_file_set_contents(fn, content, (gssize)len, NULL));
			HullReport *report = scan_tree(dir, NULL);
			guint same = 0;
			for (guint i = 0; i < report->findings->len; i++) {
				HullFinding *f = report->findings->pdata[i];
				const char *k = g_hash_table_lookup(kinds, f->rule_id);
				if (k != NULL && g_strv_contains((const char *const *)want, k))
					same++;
			}
			if (is_ng) {
				ng++;
				if (same > 0)
					ng_hit++;
				else
					g_test_message("missed: %s/%s", secretlint_map[m].family, name);
			} else {
				ok++;
				if (report->findings->len > 0) {
					ok_fp++;
					g_test_message("false positive: %s/%s (%s)", secretlint_map[m].family, name,
					               ((HullFinding *)report->findings->pdata[0])->rule_id);
				}
			}
			hull_report_free(report);
			hull_test_remove_tree(dir);
		}
	}
	g_test_message("secretlint: ng %u/%u detected, ok %u/%u clean", ng_hit, ng, ok - ok_fp, ok);
	g_assert_cmpuint(ng, >, 20);
	/* Thresholds this rule set reaches; raise them as rules improve. */
	g_assert_cmpfloat((double)ng_hit / ng, >=, 0.80);
	g_assert_cmpfloat((double)(ok - ok_fp) / ok, >=, 0.75);
}

static const struct {
	const char *file;
	const char *kind;
} trivy_expect[] = {
	{ "aws-secrets.txt", "aws" },
	{ "alibaba-access-key-id.txt", "alibaba" },
	{ "asymmetric-private-key.txt", "private-key" },
	{ "github-token.txt", "github" },
	{ "github-app-token.txt", "github" },
	{ "grafana-env.txt", "grafana" },
	{ "hugging-face-secret.txt", "huggingface" },
	{ "jwt-secret.txt", "jwt" },
	{ "azure-storage-account-key.txt", "azure" },
	{ "azure-entra-client-secret.txt", "azure" },
	{ "azure-sas-token.txt", "azure" },
	{ "azure-app-config-connection-string.txt", "azure" },
	{ "openai-project-api-key.txt", "openai" },
	{ "openai-legacy-api-key.txt", "openai" },
	{ "openai-service-account-key.txt", "openai" },
	{ "openai-admin-api-key.txt", "openai" },
	{ "builtin-rule-secret.txt", "github" },
	{ "builtin-rule-secret.txt", "aws" },
};

static void
test_trivy(void)
{
	g_autofree gchar *base = hull_test_shared_data("secrets/trivy");
	if (base == NULL)
		return;
	g_autoptr(GHashTable) kinds = kind_of_rules();
	guint hit = 0;

	for (guint i = 0; i < G_N_ELEMENTS(trivy_expect); i++) {
		g_autofree gchar *src = g_build_filename(base, trivy_expect[i].file, NULL);
		g_autofree gchar *content = NULL;
		gsize len = 0;
		if (!g_file_get_contents(src, &content, &len, NULL))
			continue;
		g_autofree gchar *dir = hull_test_make_tree("placeholder", "", NULL);
		g_autofree gchar *fn = g_build_filename(dir, trivy_expect[i].file, NULL);
		g_assert_true(g_file_set_contents(fn, content, (gssize)len, NULL));
		HullReport *report = scan_tree(dir, NULL);
		gboolean found = FALSE;
		for (guint k = 0; k < report->findings->len; k++) {
			HullFinding *f = report->findings->pdata[k];
			found = found || g_strcmp0(g_hash_table_lookup(kinds, f->rule_id), trivy_expect[i].kind) == 0;
		}
		if (found)
			hit++;
		else
			g_test_message("trivy: %s: no %s finding", trivy_expect[i].file, trivy_expect[i].kind);
		hull_report_free(report);
		hull_test_remove_tree(dir);
	}
	/* The hostile fixtures must not crash. */
	const char *hostile[] = { "invalid-utf8.txt", "long-line-secret.txt", "obfuscated.js", "crlf-line-endings.txt" };
	for (guint i = 0; i < G_N_ELEMENTS(hostile); i++) {
		g_autofree gchar *src = g_build_filename(base, hostile[i], NULL);
		if (g_file_test(src, G_FILE_TEST_EXISTS)) {
			HullReport *report = hull_test_scan(desc(), src, "config", NULL);
			hull_report_free(report);
		}
	}
	g_test_message("trivy fixtures: %u/%zu expected findings", hit, G_N_ELEMENTS(trivy_expect));
	g_assert_cmpuint(hit, >=, G_N_ELEMENTS(trivy_expect) - 3);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/secrets/plugin/basic-and-masking", test_basic_and_masking);
	g_test_add_func("/secrets/plugin/chunk-boundary", test_chunk_boundary);
	g_test_add_func("/secrets/plugin/allow-paths-and-binary", test_allow_paths_and_binary);
	g_test_add_func("/secrets/plugin/utf16", test_utf16);
	g_test_add_func("/secrets/plugin/options", test_options);
	g_test_add_func("/secrets/plugin/ssh-host-key", test_ssh_host_key);
	g_test_add_func("/secrets/plugin/image-layers-and-config", test_image_layers_and_config);
	g_test_add_func("/secrets/eval/secretlint", test_secretlint);
	g_test_add_func("/secrets/eval/trivy", test_trivy);
	return g_test_run();
}
