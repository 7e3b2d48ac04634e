/* test-lazy.c: the libraries the core opens when first used (core/lazy/). A missing library or
 * symbol stops the process with exit code 3 and a line naming it; a library is opened once, by
 * whichever thread calls into it first, and its functions then work as if it had been linked. */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <archive.h>
#include <yaml.h>
#include "lazy/hull-lazy.h"

static const char *const names_one[] = {"hull_no_such_symbol_anywhere"};

/* Runs hull_lazy_require(@lib) in a child: it must exit with 3, saying @want on stderr. */
static void
expect_exit_3(const char *soname, const char *why, const char *want)
{
	int fds[2];
	g_assert_cmpint(pipe(fds), ==, 0);
	pid_t pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		gpointer syms[1] = {NULL};
		HullLazyLib lib = {soname, why, names_one, syms, 1, 0};
		hull_lazy_require(&lib);
		_exit(0); /* not reached when it works */
	}
	close(fds[1]);
	GString *err = g_string_new(NULL);
	char buf[512];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof buf)) > 0)
		g_string_append_len(err, buf, n);
	close(fds[0]);
	int status = 0;
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 3);
	g_assert_nonnull(strstr(err->str, want));
	g_assert_cmpuint(strlen(err->str), <, 400);
	g_string_free(err, TRUE);
}

static void
test_missing_library(void)
{
	expect_exit_3("libhullscan-no-such-library.so.0", "to test a missing library",
	              "hullscan: cannot load libhullscan-no-such-library.so.0, needed to test a missing library: ");
}

static void
test_missing_symbol(void)
{
	expect_exit_3("libc.so.6", "to test a missing symbol", "hull_no_such_symbol_anywhere");
}

static gpointer
parse_yaml(gpointer data)
{
	const char *doc = data;
	yaml_parser_t p;
	yaml_event_t e;
	guint events = 0;
	g_assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)doc, strlen(doc));
	for (;;) {
		g_assert_true(yaml_parser_parse(&p, &e));
		events++;
		gboolean end = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
		if (end)
			break;
	}
	yaml_parser_delete(&p);
	return GUINT_TO_POINTER(events);
}

static void
test_first_use(void)
{
	/* nothing in this program has used libarchive or libyaml yet */
	g_assert_false(hull_lazy_is_loaded(&hull_lazy_archive));
	g_assert_false(hull_lazy_is_loaded(&hull_lazy_yaml));
	struct archive *a = archive_read_new();
	g_assert_nonnull(a);
	g_assert_true(hull_lazy_is_loaded(&hull_lazy_archive));
	g_assert_cmpint(archive_read_free(a), ==, ARCHIVE_OK);

	/* eight threads reach libyaml at once: one opens it, all parse */
	GThread *t[8];
	for (guint i = 0; i < G_N_ELEMENTS(t); i++)
		t[i] = g_thread_new("yaml", parse_yaml, (gpointer) "a: 1\nb: [x, y]\n");
	for (guint i = 0; i < G_N_ELEMENTS(t); i++)
		g_assert_cmpuint(GPOINTER_TO_UINT(g_thread_join(t[i])), ==, 13); /* stream, document, mapping: 6; a, 1, b, x, y: 5; sequence: 2 */
	g_assert_true(hull_lazy_is_loaded(&hull_lazy_yaml));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/lazy/missing-library", test_missing_library);
	g_test_add_func("/lazy/missing-symbol", test_missing_symbol);
	g_test_add_func("/lazy/first-use", test_first_use);
	return g_test_run();
}
