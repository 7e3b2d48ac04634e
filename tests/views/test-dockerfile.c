/* test-dockerfile.c: tests of the Dockerfile parser behind the shared view: BuildKit's own
 * conformance cases (AST dump and rejected files), the syntax corners one by one (BOM,
 * directives, continuations, heredocs, JSON fallback, ENV/LABEL forms, flags, variable
 * expansion and scoping, stages, history), and hostile input in bounded time. */
#include "hull-test-util.h"
#include "views/hull-dockerfile.h"
#include "hull-target.h"

#include <glib/gstdio.h>
#include <string.h>

static HullDockerfile *
parse(const char *text)
{
	return hull_dockerfile_parse("Dockerfile", -1, (const guint8 *)text, strlen(text), NULL);
}

static const HullInstruction *
insn(HullDockerfile *df, guint i)
{
	g_assert_cmpuint(i, <, hull_dockerfile_get_n_instructions(df));
	return hull_dockerfile_get_instruction(df, i);
}

static const char *
arg(HullDockerfile *df, guint i, guint a)
{
	const char *const *args = hull_instruction_get_args(insn(df, i));
	g_assert_cmpuint(a, <, g_strv_length((gchar **)args));
	return args[a];
}

/* ---- conformance ---- */

static void
test_conformance(void)
{
	g_autofree gchar *dir = hull_test_shared_data("dockerfile/buildkit-parser/testfiles");
	g_autoptr(GDir) d = NULL;
	const char *name;
	guint n = 0, bad = 0;

	if (dir == NULL)
		return;
	d = g_dir_open(dir, 0, NULL);
	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *dfp = g_build_filename(dir, name, "Dockerfile", NULL);
		g_autofree gchar *resp = g_build_filename(dir, name, "result", NULL);
		g_autofree gchar *text = NULL, *want = NULL;
		gsize len;
		if (!g_file_get_contents(dfp, &text, &len, NULL) || !g_file_get_contents(resp, &want, NULL, NULL))
			continue;
		g_autoptr(HullDockerfile) df = hull_dockerfile_parse(dfp, -1, (guint8 *)text, len, NULL);
		g_autofree gchar *got = hull_dockerfile_dump(df);
		n++;
		if (hull_dockerfile_get_error(df) != NULL || g_strcmp0(got, want) != 0) {
			bad++;
			g_test_message("%s: error=%s\n--- got\n%s--- want\n%s", name,
			               hull_dockerfile_get_error(df), got, want);
		}
	}
	g_test_message("%u conformance cases, %u mismatches", n, bad);
	g_assert_cmpuint(n, >, 20);
	g_assert_cmpuint(bad, ==, 0);
}

static void
test_conformance_negative(void)
{
	g_autofree gchar *dir = hull_test_shared_data("dockerfile/buildkit-parser/testfiles-negative");
	g_autoptr(GDir) d = NULL;
	const char *name;
	guint n = 0;

	if (dir == NULL)
		return;
	d = g_dir_open(dir, 0, NULL);
	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *dfp = g_build_filename(dir, name, "Dockerfile", NULL);
		g_autofree gchar *text = NULL;
		gsize len;
		if (!g_file_get_contents(dfp, &text, &len, NULL))
			continue;
		g_autoptr(HullDockerfile) df = hull_dockerfile_parse(dfp, -1, (guint8 *)text, len, NULL);
		const char *err = hull_dockerfile_get_error(df);
		g_test_message("%s: %s", name, err);
		g_assert_nonnull(err);
		g_assert_true(strstr(err, "line ") != NULL);
		n++;
	}
	g_assert_cmpuint(n, >=, 3);
}

/* ---- syntax ---- */

static void
test_bom_and_case(void)
{
	g_autoptr(HullDockerfile) df = parse("\xEF\xBB\xBF" "from alpine:3.19\nrUn echo hi\n");

	g_assert_null(hull_dockerfile_get_error(df));
	g_assert_cmpstr(hull_instruction_get_keyword(insn(df, 0)), ==, "FROM");
	g_assert_cmpstr(arg(df, 0, 0), ==, "alpine:3.19");
	g_assert_cmpstr(hull_instruction_get_keyword(insn(df, 1)), ==, "RUN");
	g_assert_cmpstr(arg(df, 1, 0), ==, "echo hi");
	g_assert_cmpuint(hull_instruction_get_start_line(insn(df, 1)), ==, 2);
}

static void
test_escape_directive(void)
{
	g_autoptr(HullDockerfile) df = parse("# escape=`\nFROM windows\nRUN dir `\n  c:\\ `\n  /s\n");
	g_autoptr(HullDockerfile) late = parse("FROM x\n# escape=`\nRUN a `\nb\n");
	g_autoptr(HullDockerfile) twice = parse("# escape=`\n# escape=\\\nFROM x\n");
	g_autoptr(HullDockerfile) bad = parse("# escape=x\nFROM x\n");

	g_assert_null(hull_dockerfile_get_error(df));
	g_assert_cmpstr(arg(df, 1, 0), ==, "dir   c:\\   /s");
	g_assert_cmpuint(hull_instruction_get_start_line(insn(df, 1)), ==, 3);
	g_assert_cmpuint(hull_instruction_get_end_line(insn(df, 1)), ==, 5);
	/* not at the top: a comment, and ` is no continuation */
	g_assert_cmpuint(hull_dockerfile_get_n_instructions(late), ==, 3);
	g_assert_nonnull(hull_dockerfile_get_error(twice));
	g_assert_nonnull(strstr(hull_dockerfile_get_error(twice), "line 2"));
	g_assert_nonnull(hull_dockerfile_get_error(bad));
}

static void
test_continuation(void)
{
	g_autoptr(HullDockerfile) df = parse("FROM x\nRUN a \\\n# comment\n\n  b \\\\\nRUN c \\");

	g_assert_null(hull_dockerfile_get_error(df));
	g_assert_cmpuint(hull_dockerfile_get_n_instructions(df), ==, 3);
	g_assert_cmpstr(arg(df, 1, 0), ==, "a   b \\\\");
	g_assert_cmpuint(hull_instruction_get_end_line(insn(df, 1)), ==, 5);
	g_assert_cmpstr(arg(df, 2, 0), ==, "c");
}

static void
test_heredocs(void)
{
	g_autoptr(HullDockerfile) df = parse(
		"FROM x\n"
		"RUN <<EOF\napt-get update\nEOF\n"
		"RUN <<-\"END\" cat\n\techo $HOME\n\tEND\n"
		"COPY <<A <<B /dst/\none\nA\ntwo\nB\n"
		"ONBUILD RUN <<X\ncurl x | sh\nX\n"
		"RUN [\"echo\", \"<<NOT\"]\n");
	g_autoptr(HullDockerfile) bad = parse("FROM x\nRUN <<EOF\nnever ends\n");

	g_assert_null(hull_dockerfile_get_error(df));
	g_assert_cmpuint(hull_dockerfile_get_n_instructions(df), ==, 6);
	g_assert_cmpstr(hull_instruction_get_heredocs(insn(df, 1))[0], ==, "apt-get update\n");
	g_assert_cmpuint(hull_instruction_get_end_line(insn(df, 1)), ==, 4);
	g_assert_cmpstr(hull_instruction_get_heredocs(insn(df, 2))[0], ==, "\techo $HOME\n");
	g_assert_cmpuint(g_strv_length((gchar **)hull_instruction_get_heredocs(insn(df, 3))), ==, 2);
	g_assert_cmpstr(hull_instruction_get_heredocs(insn(df, 3))[1], ==, "two\n");
	g_assert_cmpstr(hull_instruction_get_heredocs(insn(df, 4))[0], ==, "curl x | sh\n");
	g_assert_nonnull(hull_instruction_get_onbuild(insn(df, 4)));
	g_assert_cmpuint(g_strv_length((gchar **)hull_instruction_get_heredocs(insn(df, 5))), ==, 0);
	g_assert_cmpuint(hull_instruction_get_start_line(insn(df, 5)), ==, 16);
	g_assert_nonnull(hull_dockerfile_get_error(bad));
	g_assert_nonnull(strstr(hull_dockerfile_get_error(bad), "unterminated heredoc"));
	g_assert_nonnull(strstr(hull_dockerfile_get_error(bad), "line"));
}

static void
test_json_forms(void)
{
	g_autoptr(HullDockerfile) df = parse("FROM x\nCMD [\"a\", \"b c\"]\nCMD ['a']\nENTRYPOINT [\"a\"\n");
	g_autoptr(HullDockerfile) bad = parse("FROM x\nCMD [\"a\", 1]\n");

	g_assert_true(hull_instruction_is_json_form(insn(df, 1)));
	g_assert_cmpstr(arg(df, 1, 1), ==, "b c");
	g_assert_false(hull_instruction_is_json_form(insn(df, 2)));
	g_assert_cmpstr(arg(df, 2, 0), ==, "['a']");
	g_assert_false(hull_instruction_is_json_form(insn(df, 3)));
	g_assert_nonnull(hull_dockerfile_get_error(bad));
}

static void
test_env_label(void)
{
	g_autoptr(HullDockerfile) df = parse(
		"FROM x\nENV A 1 2\nENV B=\"x y\" C=$B\nLABEL k=v \"q r\"=s\nENV D=${C:-no}/${Z:-dflt}\n");
	g_autoptr(HullDockerfile) bad = parse("FROM x\nENV A=1 B\n");

	g_assert_cmpstr(arg(df, 1, 0), ==, "A");
	g_assert_cmpstr(arg(df, 1, 1), ==, "1 2");
	g_assert_cmpstr(arg(df, 2, 1), ==, "x y");
	g_assert_cmpstr(arg(df, 2, 3), ==, "x y");
	g_assert_cmpstr(arg(df, 3, 2), ==, "q r");
	g_assert_cmpstr(arg(df, 4, 1), ==, "x y/dflt");
	g_assert_nonnull(hull_dockerfile_get_error(bad));
}

static void
test_substitution(void)
{
	g_autoptr(HullDockerfile) df = parse(
		"ARG TAG=3.19\nARG REG\nFROM ${REG:-docker.io}/alpine:${TAG} AS Build\n"
		"ARG TAG\nENV P=/usr/local/bin/tool.tar.gz\n"
		"WORKDIR ${P%/*}\nWORKDIR ${P##*/}\nWORKDIR ${P#/usr}\nWORKDIR ${P%%.*}\n"
		"WORKDIR ${P/local/opt}\nWORKDIR ${TAG:+set}${NONE:+x}\nWORKDIR '$P' \"$P\" \\$P\n"
		"RUN echo $P\nFROM other\nWORKDIR /$TAG/$P\n");

	g_assert_null(hull_dockerfile_get_error(df));
	g_assert_cmpstr(arg(df, 2, 0), ==, "docker.io/alpine:3.19");
	g_assert_cmpuint(hull_dockerfile_get_n_stages(df), ==, 2);
	g_assert_cmpstr(hull_dockerfile_get_stage_name(df, 0), ==, "build");
	g_assert_null(hull_dockerfile_get_stage_name(df, 1));
	g_assert_cmpint(hull_instruction_get_stage(insn(df, 0)), ==, -1);
	g_assert_cmpstr(arg(df, 5, 0), ==, "/usr/local/bin");
	g_assert_cmpstr(arg(df, 6, 0), ==, "tool.tar.gz");
	g_assert_cmpstr(arg(df, 7, 0), ==, "/local/bin/tool.tar.gz");
	g_assert_cmpstr(arg(df, 8, 0), ==, "/usr/local/bin/tool");
	g_assert_cmpstr(arg(df, 9, 0), ==, "/usr/opt/bin/tool.tar.gz");
	/* the stage re-declared the global ARG TAG, so it sees its value */
	g_assert_cmpstr(arg(df, 10, 0), ==, "set");
	g_assert_cmpstr(arg(df, 11, 0), ==, "$P /usr/local/bin/tool.tar.gz $P");
	/* RUN is left to the shell */
	g_assert_cmpstr(arg(df, 12, 0), ==, "echo $P");
	/* a new stage starts with an empty scope */
	g_assert_cmpint(hull_instruction_get_stage(insn(df, 14)), ==, 1);
	g_assert_cmpstr(arg(df, 14, 0), ==, "//");
}

static void
test_build_args(void)
{
	g_autoptr(GHashTable) ba = g_hash_table_new(g_str_hash, g_str_equal);
	const char *text = "ARG V=1\nFROM img:$V\nARG V\nUSER u$V\n";

	g_hash_table_insert(ba, "V", "9");
	g_autoptr(HullDockerfile) df = hull_dockerfile_parse("D", 2, (const guint8 *)text, strlen(text), ba);
	g_assert_cmpstr(arg(df, 1, 0), ==, "img:9");
	g_assert_cmpstr(arg(df, 3, 0), ==, "u9");
	g_assert_cmpint(hull_dockerfile_get_layer(df), ==, 2);
}

static void
test_flags(void)
{
	g_autoptr(HullDockerfile) df = parse(
		"FROM --platform=$BUILDPLATFORM golang AS b\n"
		"COPY --from=b --chown=1:1 --chmod=755 --link /a /b\n"
		"RUN --mount=type=secret,id=x --network=none make\n");

	g_assert_cmpstr(hull_instruction_get_flag(insn(df, 0), "platform"), ==, "$BUILDPLATFORM");
	g_assert_cmpstr(hull_instruction_get_flag(insn(df, 1), "from"), ==, "b");
	g_assert_cmpstr(hull_instruction_get_flag(insn(df, 1), "chmod"), ==, "755");
	g_assert_cmpstr(hull_instruction_get_flag(insn(df, 1), "link"), ==, "");
	g_assert_null(hull_instruction_get_flag(insn(df, 1), "nope"));
	g_assert_cmpstr(hull_instruction_get_flag(insn(df, 2), "mount"), ==, "type=secret,id=x");
	g_assert_cmpstr(arg(df, 2, 0), ==, "make");
	g_assert_cmpstr(hull_instruction_get_flags(insn(df, 1))[3], ==, "--link");
}

static void
test_name_matches(void)
{
	g_assert_true(hull_dockerfile_name_matches("/src/Dockerfile"));
	g_assert_true(hull_dockerfile_name_matches("Containerfile"));
	g_assert_true(hull_dockerfile_name_matches("/a/api.Dockerfile"));
	g_assert_true(hull_dockerfile_name_matches("/a/Dockerfile.prod"));
	g_assert_false(hull_dockerfile_name_matches("/a/Dockerfile."));
	g_assert_false(hull_dockerfile_name_matches("/a/dockerfiles.txt"));
	g_assert_false(hull_dockerfile_name_matches("/a/README"));
}

/* ---- hostile ---- */

static void
test_hostile(void)
{
	gint64 t0 = g_get_monotonic_time();
	GString *s = g_string_new("FROM x\nRUN ");

	/* a 1 MB line */
	for (int i = 0; i < 1 << 20; i++)
		g_string_append_c(s, 'a' + i % 26);
	g_string_append(s, "\nENV A=");
	/* deep ${${…}} nesting */
	for (int i = 0; i < 5000; i++)
		g_string_append(s, "${X:-");
	g_string_append(s, "\n");
	{
		g_autoptr(HullDockerfile) df = parse(s->str);
		g_assert_null(hull_dockerfile_get_error(df));
		g_assert_cmpuint(strlen(arg(df, 1, 0)), ==, 1 << 20);
		g_assert_cmpuint(hull_dockerfile_get_n_instructions(df), ==, 3);
	}
	/* 100k instructions */
	g_string_assign(s, "FROM x\n");
	for (int i = 0; i < 100000; i++)
		g_string_append_printf(s, "ENV V%d=${V%d:-x}\n", i, i > 0 ? i - 1 : 0);
	{
		g_autoptr(HullDockerfile) df = parse(s->str);
		g_assert_cmpuint(hull_dockerfile_get_n_instructions(df), ==, 100001);
	}
	/* NULs, unterminated quotes, stray bytes, a deep JSON array */
	{
		static const char nul[] = "FROM x\nRUN a\0b\nRUN c\n";
		g_autoptr(HullDockerfile) df = hull_dockerfile_parse("D", -1, (const guint8 *)nul, sizeof nul - 1, NULL);
		g_assert_nonnull(hull_dockerfile_get_error(df));
		g_assert_nonnull(strstr(hull_dockerfile_get_error(df), "line 2"));
		g_assert_cmpuint(hull_dockerfile_get_n_instructions(df), ==, 1);
	}
	{
		g_autoptr(HullDockerfile) df = parse("FROM x\nENV A=\"open B='x\nLABEL \"a b=c\nCOPY --chown='x /a /b\n"
		                                     "ARG \xff\xfe=\xc3\nWORKDIR ${\nUSER ${A:?must}\n");
		g_assert_cmpuint(hull_dockerfile_get_n_instructions(df), ==, 7);
	}
	/* expansion amplification: doubling, then many copies of a large value */
	g_string_assign(s, "FROM x\nENV A=");
	for (int i = 0; i < 4096; i++)
		g_string_append_c(s, 'v');
	g_string_append_c(s, '\n');
	for (int i = 0; i < 40; i++)
		g_string_append(s, "ENV A=$A$A\n");
	for (int i = 0; i < 20000; i++)
		g_string_append(s, "ENV B=$A$A$A$A\nEXPOSE $A\n");
	{
		g_autoptr(HullDockerfile) df = parse(s->str);
		g_assert_null(hull_dockerfile_get_error(df));
		g_assert_cmpuint(hull_dockerfile_get_n_instructions(df), ==, 40042);
		/* no word grew past the per-word cap */
		g_assert_cmpuint(strlen(arg(df, 40, 1)), <=, 2 * 1024 * 1024);
	}
	g_string_assign(s, "FROM x\nENV P=");
	for (int i = 0; i < 1000; i++)
		g_string_append_c(s, 'a' + i % 3);
	g_string_append(s, "\nWORKDIR ${P/b*c/x}${P//?a/y}${P##*a*b}${P%%*c}\n");
	{
		g_autoptr(HullDockerfile) df = parse(s->str);
		g_assert_cmpuint(hull_dockerfile_get_n_instructions(df), ==, 3);
	}
	g_string_assign(s, "FROM x\nCMD ");
	for (int i = 0; i < 100000; i++)
		g_string_append_c(s, '[');
	{
		g_autoptr(HullDockerfile) df = parse(s->str);
		g_assert_false(hull_instruction_is_json_form(insn(df, 1)));
	}
	g_string_free(s, TRUE);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 30 * G_USEC_PER_SEC);
}

static void
test_empty(void)
{
	g_autoptr(HullDockerfile) df = hull_dockerfile_parse("D", -1, NULL, 0, NULL);

	g_assert_nonnull(hull_dockerfile_get_error(df));
	g_assert_cmpuint(hull_dockerfile_get_n_instructions(df), ==, 0);
}

static const char history_spec[] =
	"{\"history\": ["
	" {\"created_by\": \"/bin/sh -c #(nop) ADD file:abc in / \"},"
	" {\"created_by\": \"/bin/sh -c #(nop)  CMD [\\\"sh\\\"]\", \"empty_layer\": true},"
	" {\"created_by\": \"|2 A=1 B=2 /bin/sh -c make install\"},"
	" {\"created_by\": \"RUN |1 V=2 /bin/sh -c apt-get update # buildkit\"},"
	" {\"created_by\": \"EXPOSE map[22/tcp:{} 80/tcp:{}]\", \"empty_layer\": true},"
	" {\"created_by\": \"ENV TOKEN=x\", \"empty_layer\": true},"
	" {\"created_by\": \"something unknown\", \"empty_layer\": true},"
	" {\"created_by\": \"USER app\", \"empty_layer\": true}],"
	" \"layers\": [{\"entries\": [{\"path\": \"a\", \"type\": \"file\", \"content\": \"1\"}]},"
	"  {\"entries\": [{\"path\": \"b\", \"type\": \"file\", \"content\": \"2\"}]},"
	"  {\"entries\": [{\"path\": \"c\", \"type\": \"file\", \"content\": \"3\"}]}]}";

static void
test_history(void)
{
	const char *gen = g_getenv("HULL_GEN_IMAGE");
	g_autofree gchar *dir = g_dir_make_tmp("hull-df-hist-XXXXXX", NULL);
	g_autofree gchar *spec = g_build_filename(dir, "spec.json", NULL);
	g_autofree gchar *out = g_build_filename(dir, "image.tar", NULL);
	g_autoptr(GError) error = NULL;
	int status = 0;

	if (gen == NULL || !g_file_test(gen, G_FILE_TEST_EXISTS)) {
		g_test_skip("HULL_GEN_IMAGE (tests/gen/gen-image.py) is not available");
		return;
	}
	g_assert_true(g_file_set_contents(spec, history_spec, -1, NULL));
	const char *argv[] = { "python3", gen, "build", spec, out, NULL };
	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	HullOpenOptions o = { .type = HULL_TARGET_IMAGE, .verify_digests = TRUE };
	g_autoptr(HullTarget) t = hull_target_open(out, &o, &error);
	g_assert_no_error(error);
	g_autoptr(HullDockerfile) df = hull_dockerfile_from_history(hull_target_get_image(t));
	g_autofree gchar *dump = hull_dockerfile_dump(df);

	g_test_message("%s", dump);
	g_assert_cmpstr(hull_dockerfile_get_path(df), ==, "image-history");
	g_assert_cmpstr(dump, ==,
		"(from \"scratch\")\n(add \"file:abc\" \"/\")\n(cmd \"sh\")\n(run \"make install\")\n"
		"(run \"apt-get update\")\n(expose \"22/tcp\" \"80/tcp\")\n(env \"TOKEN\" \"x\" \"=\")\n(user \"app\")\n");
	g_assert_cmpint(hull_instruction_get_layer(insn(df, 1)), ==, 0);
	g_assert_cmpint(hull_instruction_get_layer(insn(df, 2)), ==, -1);
	g_assert_cmpint(hull_instruction_get_layer(insn(df, 3)), ==, 1);
	g_assert_cmpint(hull_instruction_get_layer(insn(df, 4)), ==, 2);
	g_assert_cmpuint(hull_instruction_get_start_line(insn(df, 4)), ==, 4);
	g_assert_true(hull_instruction_is_json_form(insn(df, 2)));
	g_assert_cmpint(hull_instruction_get_stage(insn(df, 7)), ==, 0);
	g_remove(out);
	g_remove(spec);
	g_rmdir(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/dockerfile/conformance", test_conformance);
	g_test_add_func("/dockerfile/conformance-negative", test_conformance_negative);
	g_test_add_func("/dockerfile/bom-case", test_bom_and_case);
	g_test_add_func("/dockerfile/escape-directive", test_escape_directive);
	g_test_add_func("/dockerfile/continuation", test_continuation);
	g_test_add_func("/dockerfile/heredocs", test_heredocs);
	g_test_add_func("/dockerfile/json-forms", test_json_forms);
	g_test_add_func("/dockerfile/env-label", test_env_label);
	g_test_add_func("/dockerfile/substitution", test_substitution);
	g_test_add_func("/dockerfile/build-args", test_build_args);
	g_test_add_func("/dockerfile/flags", test_flags);
	g_test_add_func("/dockerfile/name-matches", test_name_matches);
	g_test_add_func("/dockerfile/hostile", test_hostile);
	g_test_add_func("/dockerfile/empty", test_empty);
	g_test_add_func("/dockerfile/history", test_history);
	return g_test_run();
}
