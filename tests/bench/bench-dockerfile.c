/* bench-dockerfile.c: how fast Dockerfiles are parsed and linted. Generates 1,000 Dockerfiles
 * (BuildKit's parser fixtures when the shared data is present, plus templates of our own
 * with varied package managers, stages and heredocs) and times (1) the parser alone and (2) a
 * whole in-process scan of the directory with the dockerfile plugin: walk, parse, lint.
 * Prints files/s for both. Not a test: run it by hand. */
#include "hull-test-util.h"
#include "hull-report.h"
#include "views/hull-dockerfile.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define N_FILES 1000

static const char *const templates[] = {
	"FROM debian:12 AS build\nARG V=%u\nRUN apt-get update && apt-get install -y gcc make curl \\\n"
	"    && rm -rf /var/lib/apt/lists/*\nCOPY . /src\nWORKDIR /src\nRUN make -j4 VERSION=${V}\n"
	"FROM gcr.io/distroless/base:nonroot\nCOPY --from=build /src/app /app\nUSER nonroot\n"
	"HEALTHCHECK CMD [\"/app\", \"-health\"]\nENTRYPOINT [\"/app\"]\n",
	"FROM alpine:3.19\nENV APP_HOME=/opt/app%u API_TOKEN=abc\nRUN apk add curl bash && curl -fsSL https://x | sh\n"
	"ADD https://example.com/tool.tgz /tmp/\nRUN cd /tmp && tar xzf tool.tgz\nEXPOSE 22 8080\nCMD node server.js\n",
	"# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nRUN <<EOF\nset -eux\npip install flask requests\n"
	"apt-get update\napt-get install -y libpq5\nEOF\nCOPY app.py /app/\nWORKDIR app\nUSER %u\nCMD [\"python\", \"app.py\"]\n",
	"ARG BASE=ubuntu\nFROM ${BASE}:22.04 AS one\nRUN yum install httpd\nFROM one AS two\nRUN sudo chmod 777 /var/www\n"
	"FROM two\nMAINTAINER someone\nCOPY --from=nope /a /b\nONBUILD RUN wget -qO- https://x | bash\nLABEL n=%u\n",
	"FROM node:20\nWORKDIR /usr/src/app\nCOPY package*.json ./\nRUN npm ci && npm cache clean --force\n"
	"COPY . .\nRUN npm run build | tee build.log\nRUN go install example.com/t@latest\nEXPOSE %u\nUSER node\n"
	"CMD [\"node\", \"dist/index.js\"]\n",
};

int
main(int argc, char **argv)
{
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *root = g_dir_make_tmp("hull-bench-df-XXXXXX", NULL);
	const char *shared = g_getenv("HULL_SHARED_DATA");
	gint64 t0, t1;
	guint insns = 0;

	g_test_init(&argc, &argv, NULL);
	if (shared != NULL) {
		g_autofree gchar *dir = g_build_filename(shared, "dockerfile", "buildkit-parser", "testfiles", NULL);
		g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
		const char *name;
		while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
			g_autofree gchar *p = g_build_filename(dir, name, "Dockerfile", NULL);
			gchar *text = NULL;
			if (g_file_get_contents(p, &text, NULL, NULL))
				g_ptr_array_add(texts, text);
		}
	}
	guint n_fixtures = texts->len;
	for (guint i = 0; texts->len < N_FILES; i++)
		g_ptr_array_add(texts, g_strdup_printf(templates[i % G_N_ELEMENTS(templates)], i));
	for (guint i = 0; i < texts->len; i++) {
		g_autofree gchar *dir = g_strdup_printf("%s/p%04u", root, i);
		g_autofree gchar *path = g_build_filename(dir, "Dockerfile", NULL);
		g_mkdir_with_parents(dir, 0755);
		g_file_set_contents(path, texts->pdata[i], -1, NULL);
	}

	t0 = g_get_monotonic_time();
	for (guint i = 0; i < texts->len; i++) {
		const char *t = texts->pdata[i];
		g_autoptr(HullDockerfile) df = hull_dockerfile_parse("Dockerfile", -1, (const guint8 *)t, strlen(t), NULL);
		insns += hull_dockerfile_get_n_instructions(df);
	}
	t1 = g_get_monotonic_time();
	double parse_s = (double)(t1 - t0) / G_USEC_PER_SEC;

	t0 = g_get_monotonic_time();
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), root, "rootfs", NULL);
	t1 = g_get_monotonic_time();
	double scan_s = (double)(t1 - t0) / G_USEC_PER_SEC;

	printf("dockerfiles: %u (%u BuildKit fixtures, %u generated), %u instructions\n", texts->len, n_fixtures,
	       texts->len - n_fixtures, insns);
	printf("parse only:          %.4f s  %.0f files/s\n", parse_s, texts->len / parse_s);
	printf("scan (walk+parse+lint): %.4f s  %.0f files/s  %u findings\n", scan_s, texts->len / scan_s,
	       r->findings->len);
	hull_test_remove_tree(root);
	return 0;
}
