/* test-dockerfile-plugin.c: self-tests of the dockerfile plugin through in-process scans: each
 * rule has a Dockerfile that fires it and one that must not; pragmas (ours and hadolint's),
 * heredoc bodies and ONBUILD triggers; image mode on generated images (config, history with
 * layers, merged-tree checks) and on a rootfs directory. */
#include "hull-test-util.h"
#include "hull-report.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static HullReport *
scan_text(const char *text, const char *config)
{
	g_autofree gchar *dir = hull_test_make_tree("Dockerfile", text, NULL);
	g_autofree gchar *path = g_build_filename(dir, "Dockerfile", NULL);
	HullReport *r = hull_test_scan(hull_plugin_get_descriptor(), path, "dockerfile", config);

	hull_test_remove_tree(dir);
	return r;
}

typedef struct {
	const char *rule;
	const char *fires;
	const char *quiet;
	const char *config;
} RuleCase;

#define H "FROM alpine:3.19\n"
static const RuleCase cases[] = {
	{ "DF-0001", H "RUN true\n", "FROM alpine:3.19 AS b\nUSER root\n" H "USER app\n", NULL },
	{ "DF-0001", H "USER app\nUSER 0:0\n", H "USER root\nRUN x\nUSER 1000\n", NULL },
	{ "DF-0002", H "RUN sudo apt-get install -y x\n", H "RUN echo sudoers > /tmp/x\n", NULL },
	{ "DF-0003", H "ADD app.py /app/\n", H "ADD rootfs.tar.gz /\nCOPY app.py /app/\n", NULL },
	{ "DF-0004", H "ADD https://example.com/y.sh /y.sh\n", H "ADD --checksum=sha256:00 https://example.com/y.sh /y.sh\n", NULL },
	{ "DF-0005", H "ENV DB_PASSWORD=hunter2\n", H "ENV PASSWORD_FILE=/run/secrets/pw\nARG VERSION=1\n", NULL },
	{ "DF-0005", H "ENV X=AKIAIOSFODNN7EXAMPLE\n", H "ENV X=AKIA\n", NULL },
	{ "DF-0005", "ARG GITHUB_TOKEN\n" H, "ARG GITHUB_USER\n" H, NULL },
	{ "DF-0005", H "ENV MYSQL_ROOT_PASSWORD=x APIKEY=y\n", H "ENV TOKENIZERS_PARALLELISM=false PWD=/app DB_PASSWORD_FILE=/run/s\n", NULL },
	{ "DF-0006", H "COPY id_rsa /root/.ssh/id_rsa\n", H "COPY src/ /app/\n", NULL },
	{ "DF-0006", H "COPY .env /app/\n", H "COPY --from=builder /app/.env /app/\n", NULL },
	{ "DF-0007", H "RUN curl -fsSL https://x/install.sh | bash\n",
	  H "RUN curl -fsSLo /tmp/i.sh https://x && sha256sum -c sums && sh /tmp/i.sh\n", NULL },
	{ "DF-0007", H "RUN wget -qO- https://x | sudo sh -s --\n", H "RUN wget -qO- https://x | tar xz\n", NULL },
	{ "DF-0008", H "EXPOSE 22/tcp\n", H "EXPOSE 8022 2222\n", NULL },
	{ "DF-0009", H "EXPOSE 70000\n", H "EXPOSE 65535 8000-8010\n", NULL },
	{ "DF-0010", "FROM ubuntu\n", "FROM ubuntu:22.04\n", NULL },
	{ "DF-0010", "FROM ubuntu:latest\n", "FROM ubuntu@sha256:0000\n", NULL },
	{ "DF-0010", "ARG T=latest\nFROM ubuntu:${T}\n", "ARG T=22.04\nFROM ubuntu:${T}\n", NULL },
	{ "DF-0010", "FROM ubuntu:22.04 AS b\nFROM c\n", "FROM ubuntu:22.04 AS b\nFROM b\nFROM scratch\n", NULL },
	{ "DF-0011", "FROM alpine:3\n", "FROM ghcr.io/x/y:1\n", "[dockerfile]\ntrusted_registries=ghcr.io;quay.io\n" },
	{ "DF-0012", H "RUN apt-get update\n",
	  H "RUN apt-get update && apt-get install -y --no-install-recommends curl=7.0 && rm -rf /var/lib/apt/lists/*\n", NULL },
	{ "DF-0013", H "RUN apt-get install -y curl=1\n", H "RUN apt-get install -y --no-install-recommends curl=1\n", NULL },
	{ "DF-0014", H "RUN apt-get install --no-install-recommends curl=1\n", H "RUN apt-get -qq install --no-install-recommends curl=1\n", NULL },
	{ "DF-0014", H "RUN yum install httpd && yum clean all\n", H "RUN yum install -y httpd && yum clean all\n", NULL },
	{ "DF-0015", H "RUN apk add curl=8.0-r0\n", H "RUN apk add --no-cache curl=8.0-r0\n", NULL },
	{ "DF-0015", H "RUN apt-get install -y --no-install-recommends a=1\n",
	  "FROM debian:12 AS b\nRUN apt-get install -y --no-install-recommends a=1\n" H, NULL },
	{ "DF-0015", H "RUN pip install --no-cache-dir flask==3.0 && pip install x==1\n", H "RUN pip install --no-cache-dir flask==3.0\n", NULL },
	{ "DF-0016", H "RUN pip install --no-cache-dir requests\n", H "RUN pip install --no-cache-dir requests==2.31.0 -r req.txt\n", NULL },
	{ "DF-0016", H "RUN apk add --no-cache curl\n", H "RUN apk add --no-cache curl=8.5.0-r0\n", NULL },
	{ "DF-0016", H "RUN go install example.com/tool@latest\n", H "RUN go install example.com/tool@v1.2.3\n", NULL },
	{ "DF-0016", H "RUN npm install -g left-pad && npm cache clean --force\n", H "RUN npm install -g left-pad@1.3.0 && npm cache clean --force\n", NULL },
	{ "DF-0016", H "RUN gem install rails\n", H "RUN gem install rails -v 7.1.0\n", NULL },
	{ "DF-0017", H "USER app\n", H "USER app\nHEALTHCHECK CMD wget -q localhost || exit 1\n", NULL },
	{ "DF-0018", H "RUN chmod -R 777 /app\n", H "RUN chmod 755 /app\n", NULL },
	{ "DF-0019", H "RUN cd /app && make\n", H "WORKDIR /app\nRUN make\n", NULL },
	{ "DF-0020", H "WORKDIR app\n", H "WORKDIR /app\nWORKDIR $HOME\n", NULL },
	{ "DF-0021", H "WORKDIR /proc/self\n", H "WORKDIR /process\n", NULL },
	{ "DF-0021", H "VOLUME [\"/sys\"]\n", H "VOLUME /data\n", NULL },
	{ "DF-0022", H "CMD node app.js\n", H "CMD [\"node\", \"app.js\"]\n", NULL },
	{ "DF-0023", H "CMD [\"a\"]\nCMD [\"b\"]\n", "FROM a:1 AS x\nCMD [\"a\"]\n" H "CMD [\"b\"]\n", NULL },
	{ "DF-0024", "FROM a:1 AS x\nFROM a:1 AS X\n", "FROM a:1 AS x\nFROM a:1 AS y\n", NULL },
	{ "DF-0024", "FROM a:1 AS scratch\n", "FROM a:1 AS scratchy\n", NULL },
	{ "DF-0025", "FROM a:1 AS x\nCOPY --from=x /a /b\n",
	  "FROM a:1 AS b\nRUN x\n" H "COPY --from=b /a /b\nCOPY --from=nginx:1.25 /etc/nginx /etc/nginx\nCOPY --from=0 /c /d\n", NULL },
	{ "DF-0025", H "COPY --from=nope /a /b\n", "FROM a:1 AS Nope\n" H "COPY --from=nope /a /b\n", NULL },
	{ "DF-0026", H "MAINTAINER me\n", H "LABEL maintainer=me\n", NULL },
	{ "DF-0027", H "RUN wget -O - https://x | tar xz\n",
	  H "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://x | tar xz\n", NULL },
	{ "DF-0027", H "RUN a | b\n", H "RUN set -o pipefail && a | b\nRUN a || b\n", NULL },
	{ "DF-0028", H "RUN a\nRUN b\n", H "RUN a\nWORKDIR /x\nRUN b\n", NULL },
	/* heredoc bodies and ONBUILD triggers are linted too */
	{ "DF-0007", H "RUN <<EOF\nset -e\ncurl https://x | sh\nEOF\n", H "RUN <<EOF\ncurl -o x https://x\nEOF\n", NULL },
	{ "DF-0002", H "ONBUILD RUN sudo make\n", H "ONBUILD RUN make\n", NULL },
	{ "DF-0004", H "ONBUILD ADD https://example.com/x /x\n", H "ONBUILD COPY x /x\n", NULL },
	{ "DF-0007", H "ONBUILD RUN <<X\ncurl https://x | sh\nX\n", H "ONBUILD RUN <<X\ncurl -O https://x\nX\n", NULL },
};

static void
test_rule_case(gconstpointer data)
{
	const RuleCase *c = data;
	g_autoptr(HullReport) fire = scan_text(c->fires, c->config);
	g_autoptr(HullReport) quiet = scan_text(c->quiet, c->config);

	if (hull_test_count(fire, c->rule) == 0)
		g_test_message("%s did not fire on:\n%s", c->rule, c->fires);
	g_assert_cmpuint(hull_test_count(fire, c->rule), >, 0);
	if (hull_test_count(quiet, c->rule) != 0)
		g_test_message("%s fired on:\n%s", c->rule, c->quiet);
	g_assert_cmpuint(hull_test_count(quiet, c->rule), ==, 0);
	const HullFinding *f = hull_test_find(fire, c->rule);
	g_assert_cmpuint(f->line, >, 0);
	g_assert_nonnull(f->path);
	g_assert_nonnull(f->title);
	g_assert_cmpuint(f->references->len, >, 0);
}

static void
test_rule_table(void)
{
	const HullPluginDescriptor *d = hull_plugin_get_descriptor();
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);

	g_assert_cmpuint(d->n_rules, >=, 37);
	for (guint i = 0; i < d->n_rules; i++) {
		const HullRule *r = &d->rules[i];
		g_assert_true(g_str_has_prefix(r->id, "DF-"));
		g_assert_false(g_hash_table_contains(ids, r->id));
		g_hash_table_add(ids, (gpointer)r->id);
		g_assert_nonnull(r->title);
		g_assert_nonnull(r->remediation);
		g_assert_nonnull(r->references);
		for (guint j = 0; r->references[j] != NULL; j++)
			g_assert_true(g_str_has_prefix(r->references[j], "https://"));
	}
}

static void
test_secret_masked(void)
{
	g_autoptr(HullReport) r = scan_text(H "ENV DB_PASSWORD=hunter2secret\n", NULL);
	const HullFinding *f = hull_test_find(r, "DF-0005");

	g_assert_nonnull(f);
	g_assert_nonnull(f->secret_hash);
	g_assert_true(f->evidence == NULL || strstr(f->evidence, "hunter2secret") == NULL);
	g_assert_true(f->message == NULL || strstr(f->message, "hunter2secret") == NULL);
	g_assert_cmpuint(f->line, ==, 2);
}

static void
test_pragmas(void)
{
	g_autoptr(HullReport) a = scan_text(H "# hullscan ignore=DF-0022,DF-0028\nCMD node app.js\n", NULL);
	g_autoptr(HullReport) b = scan_text(H "# hadolint ignore=DL3025\nCMD a\nENTRYPOINT b\n", NULL);
	g_autoptr(HullReport) c = scan_text("# hullscan global ignore=DF-0017\n" H "USER app\n", NULL);
	g_autoptr(HullReport) d = scan_text(H "# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
	                                    "RUN apt-get install -y wget && rm -rf /var/lib/apt/lists/*\n", NULL);

	g_assert_cmpuint(hull_test_count(a, "DF-0022"), ==, 0);
	/* the pragma covers only the next instruction */
	g_assert_cmpuint(hull_test_count(b, "DF-0022"), ==, 1);
	g_assert_cmpuint(hull_test_find(b, "DF-0022")->line, ==, 4);
	g_assert_cmpuint(hull_test_count(c, "DF-0017"), ==, 0);
	g_assert_cmpuint(hull_test_count(c, "DF-0001"), ==, 0);
	g_assert_cmpuint(hull_test_count(d, "DF-0016"), ==, 1);
	g_assert_cmpuint(hull_test_count(d, "DF-0013"), ==, 1);
	g_assert_cmpuint(hull_test_find(d, "DF-0016")->line, ==, 4);

	/* a Dockerfile target under any name still has its pragmas read */
	g_autofree gchar *dir = hull_test_make_tree("build.df", "# hullscan ignore=DF-0010\nFROM ubuntu\nFROM debian\n", NULL);
	g_autofree gchar *path = g_build_filename(dir, "build.df", NULL);
	g_autoptr(HullReport) e = hull_test_scan(hull_plugin_get_descriptor(), path, "dockerfile", NULL);
	g_assert_cmpuint(hull_test_count(e, "DF-0010"), ==, 1);
	g_assert_cmpuint(hull_test_find(e, "DF-0010")->line, ==, 3);
	hull_test_remove_tree(dir);
}

static void
test_parse_error_note(void)
{
	g_autoptr(HullReport) r = scan_text("FROM a:1\nRUN <<EOF\nnever closed\n", NULL);
	gboolean noted = FALSE;

	for (guint i = 0; i < r->notes->len; i++)
		if (strstr(r->notes->pdata[i], "unterminated heredoc") != NULL)
			noted = TRUE;
	g_assert_true(noted);
}

/* ---- image mode ---- */

static gchar *
gen_image(const char *dir, const char *spec)
{
	const char *gen = g_getenv("HULL_GEN_IMAGE");
	g_autofree gchar *spec_path = g_build_filename(dir, "spec.json", NULL);
	gchar *out = g_build_filename(dir, "image.tar", NULL);
	g_autoptr(GError) error = NULL;
	int status = 0;

	if (gen == NULL || !g_file_test(gen, G_FILE_TEST_EXISTS)) {
		g_test_skip("HULL_GEN_IMAGE (tests/gen/gen-image.py) is not available");
		g_free(out);
		return NULL;
	}
	g_assert_true(g_file_set_contents(spec_path, spec, -1, NULL));
	const char *argv[] = { "python3", gen, "build", spec_path, out, NULL };
	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
	g_assert_no_error(error);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	return out;
}

static const char bad_image[] =
	"{\"config\": {\"User\": \"\", \"Env\": [\"PATH=/usr/bin\", \"API_TOKEN=s3cr3tvalue\", \"X=ghp_abcdefghijklmnopqrstuvwxyz0123456789\"],"
	" \"ExposedPorts\": {\"22/tcp\": {}, \"8080/tcp\": {}}, \"Volumes\": {\"/proc\": {}, \"/data\": {}}},"
	" \"history\": [{\"created_by\": \"/bin/sh -c #(nop) ADD file:abc in / \"},"
	"   {\"created_by\": \"/bin/sh -c #(nop)  CMD [\\\"sh\\\"]\", \"empty_layer\": true},"
	"   {\"created_by\": \"RUN /bin/sh -c apt-get update # buildkit\"},"
	"   {\"created_by\": \"CMD [\\\"/app\\\"] # buildkit\", \"empty_layer\": true}],"
	" \"layers\": [{\"entries\": ["
	"   {\"path\": \"etc/passwd\", \"type\": \"file\", \"content\": \"root:x:0:0::/root:/bin/sh\\nadmin:x:0:0::/:/bin/sh\\napp:x:1000:1000::/:/bin/sh\\n\"},"
	"   {\"path\": \"etc/group\", \"type\": \"file\", \"content\": \"root:x:0:\\nwheel:x:10:\\nstaff:x:10:\\n\"},"
	"   {\"path\": \"etc/shadow\", \"type\": \"file\", \"content\": \"root:*:19000::::::\\nguest::19000::::::\\n\"},"
	"   {\"path\": \"usr/bin/su\", \"type\": \"file\", \"content\": \"x\", \"mode\": 2541},"
	"   {\"path\": \"usr/bin/wall\", \"type\": \"file\", \"content\": \"x\", \"mode\": 1517}]},"
	"  {\"entries\": [{\"path\": \"root/.aws/credentials\", \"type\": \"file\", \"content\": \"[default]\\n\"},"
	"   {\"path\": \"app/Dockerfile\", \"type\": \"file\", \"content\": \"FROM alpine\\nCMD x\\n\"}]}]}";

static const char good_image[] =
	"{\"config\": {\"User\": \"app\", \"Env\": [\"PATH=/usr/bin\", \"TOKEN_FILE=/run/secrets/t\"],"
	" \"Healthcheck\": {\"Test\": [\"CMD\", \"true\"]}, \"ExposedPorts\": {\"8080/tcp\": {}}, \"Volumes\": {\"/data\": {}}},"
	" \"history\": [{\"created_by\": \"/bin/sh -c #(nop) ADD file:abc in / \"},"
	"   {\"created_by\": \"RUN /bin/sh -c apk add --no-cache curl=8.5.0-r0 # buildkit\"}],"
	" \"layers\": [{\"entries\": ["
	"   {\"path\": \"etc/passwd\", \"type\": \"file\", \"content\": \"root:x:0:0::/root:/bin/sh\\napp:x:1000:1000::/:/bin/sh\\n\"},"
	"   {\"path\": \"etc/shadow\", \"type\": \"file\", \"content\": \"root:*:19000::::::\\n\"},"
	"   {\"path\": \"usr/bin/ls\", \"type\": \"file\", \"content\": \"x\", \"mode\": 493}]},"
	"  {\"entries\": [{\"path\": \"app/main\", \"type\": \"file\", \"content\": \"x\"}]}]}";

static void
test_image_mode(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hull-df-XXXXXX", NULL);
	g_autofree gchar *img = gen_image(dir, bad_image);

	if (img == NULL) {
		hull_test_remove_tree(dir);
		return;
	}
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), img, "image", NULL);
	g_assert_cmpuint(hull_test_count(r, "DF-0100"), ==, 1);
	g_assert_cmpuint(hull_test_count(r, "DF-0101"), ==, 1);
	g_assert_cmpuint(hull_test_count(r, "DF-0102"), ==, 2);
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = r->findings->pdata[i];
		g_assert_true(f->evidence == NULL || strstr(f->evidence, "s3cr3tvalue") == NULL);
		g_assert_true(f->message == NULL || strstr(f->message, "s3cr3tvalue") == NULL);
	}
	g_assert_cmpuint(hull_test_count(r, "DF-0103"), ==, 1);
	g_assert_cmpuint(hull_test_count(r, "DF-0104"), ==, 1);
	g_assert_cmpuint(hull_test_count(r, "DF-0105"), ==, 1);
	const HullFinding *suid = hull_test_find(r, "DF-0105");
	g_assert_nonnull(strstr(suid->message, "/usr/bin/su"));
	g_assert_nonnull(strstr(suid->message, "/usr/bin/wall"));
	g_assert_cmpuint(hull_test_count(r, "DF-0106"), ==, 1);
	g_assert_nonnull(strstr(hull_test_find(r, "DF-0106")->message, "guest"));
	g_assert_cmpuint(hull_test_count(r, "DF-0107"), ==, 2);
	g_assert_cmpuint(hull_test_count(r, "DF-0108"), ==, 1);
	g_assert_cmpint(hull_test_find(r, "DF-0108")->layer, ==, 1);
	/* the rebuilt history: apt-get update alone, on the layer it made */
	const HullFinding *upd = hull_test_find(r, "DF-0012");
	g_assert_nonnull(upd);
	g_assert_cmpint(upd->layer, ==, 1);
	g_assert_cmpstr(upd->object, ==, "image-history");
	/* the legacy "ADD file:<sha> in /" of the base layer is no local-file ADD */
	g_assert_cmpuint(hull_test_count(r, "DF-0003"), ==, 0);
	/* the base image's CMD and the image's own are layered, not duplicates in one file */
	g_assert_cmpuint(hull_test_count(r, "DF-0023"), ==, 0);
	/* the Dockerfile inside the image is linted too */
	g_assert_cmpuint(hull_test_count(r, "DF-0022"), ==, 1);
	g_assert_cmpuint(hull_test_count(r, "DF-0010"), ==, 1);
	hull_test_remove_tree(dir);
}

static void
test_image_clean(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hull-df-XXXXXX", NULL);
	g_autofree gchar *img = gen_image(dir, good_image);
	static const char *const quiet[] = { "DF-0100", "DF-0101", "DF-0102", "DF-0103", "DF-0104", "DF-0105",
	                                     "DF-0106", "DF-0107", "DF-0108", "DF-0015", "DF-0016", "DF-0012", NULL };

	if (img == NULL) {
		hull_test_remove_tree(dir);
		return;
	}
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), img, "image", NULL);
	for (guint i = 0; quiet[i] != NULL; i++) {
		if (hull_test_count(r, quiet[i]) != 0)
			g_test_message("%s fired on the clean image", quiet[i]);
		g_assert_cmpuint(hull_test_count(r, quiet[i]), ==, 0);
	}
	hull_test_remove_tree(dir);
}

static void
test_rootfs_files(void)
{
	g_autofree gchar *dir = hull_test_make_tree(
		"etc/passwd", "root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\n",
		"etc/shadow", "root::19000::::::\n",
		"etc/group", "root:x:0:\n",
		"usr/bin/passwd", "x",
		"home/u/.ssh/id_ed25519", "key",
		"home/u/.git", "", NULL);
	g_autofree gchar *bin = g_build_filename(dir, "usr/bin/passwd", NULL);

	g_assert_cmpint(g_chmod(bin, 04755), ==, 0);
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), dir, "rootfs", NULL);
	g_assert_cmpuint(hull_test_count(r, "DF-0105"), ==, 1);
	g_assert_cmpuint(hull_test_count(r, "DF-0106"), ==, 1);
	g_assert_cmpuint(hull_test_count(r, "DF-0107"), ==, 1);
	/* .ssh holds a file; a file named .git is no directory */
	g_assert_cmpuint(hull_test_count(r, "DF-0108"), ==, 1);
	g_assert_nonnull(strstr(hull_test_find(r, "DF-0108")->path, ".ssh"));
	/* no image: no config checks */
	g_assert_cmpuint(hull_test_count(r, "DF-0100"), ==, 0);
	hull_test_remove_tree(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/dockerfile/rule-table", test_rule_table);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *name = g_strdup_printf("/dockerfile/rule/%s/%u", cases[i].rule, i);
		g_test_add_data_func(name, &cases[i], test_rule_case);
	}
	g_test_add_func("/dockerfile/secret-masked", test_secret_masked);
	g_test_add_func("/dockerfile/pragmas", test_pragmas);
	g_test_add_func("/dockerfile/parse-error-note", test_parse_error_note);
	g_test_add_func("/dockerfile/image-mode", test_image_mode);
	g_test_add_func("/dockerfile/image-clean", test_image_clean);
	g_test_add_func("/dockerfile/rootfs-files", test_rootfs_files);
	return g_test_run();
}
