/* hull-main.c: the hullscan executable's entry point: global flags and dispatch to the
 * subcommand files. */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "hull-cli.h"
#include "hull-mask.h"
#include "hull-text.h"
#include "hull-config.h"
#include <hullscan/hull-version.h>

static void
hull_usage(FILE *out)
{
	fprintf(out,
	        "Usage: hullscan COMMAND [OPTIONS]\n"
	        "\n"
	        "Commands:\n"
	        "  scan TARGET        scan an image, rootfs, Dockerfile or config files\n"
	        "  files TARGET       the merged file tree with the layer of each entry\n"
	        "  plugins list|info  loaded plugins, versions, rules, load errors\n"
	        "  db import|info     build or inspect a vulnerability database from OSV records\n"
	        "  bundle create|verify|install   vendor plugin bundles\n"
	        "\n"
	        "  hullscan COMMAND --help   options of a command\n"
	        "  hullscan --version\n");
}

gboolean
hull_parse_size(const char *text, guint64 *out)
{
	if (text == NULL || text[0] == '\0')
		return FALSE;
	gchar *end = NULL;
	guint64 v = g_ascii_strtoull(text, &end, 10);
	if (end == text)
		return FALSE;
	guint64 mul = 1;
	if (*end != '\0') {
		const char *units[] = {"K", "M", "G", "T"};
		guint found = 0;
		for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
			if (g_ascii_toupper(*end) == units[i][0]) {
				found = i + 1;
				break;
			}
		}
		if (found == 0)
			return FALSE;
		for (guint i = 0; i < found; i++)
			mul *= 1024;
		const char *rest = end + 1;
		if (!(rest[0] == '\0' || g_ascii_strcasecmp(rest, "B") == 0 || g_ascii_strcasecmp(rest, "iB") == 0))
			return FALSE;
	}
	if (mul > 1 && v > G_MAXUINT64 / mul)
		return FALSE;
	*out = v * mul;
	return TRUE;
}

/* One line for a person: masked, escaped (a newline inside becomes \x0a, never a second line). */
static void
hull_cli_print_line(const char *prefix, const char *text)
{
	g_autofree gchar *masked = hull_mask_text(text);
	g_autofree gchar *shown = hull_text_escape(masked, FALSE);
	fprintf(stderr, "%s%s\n", prefix, shown);
}

void
hull_cli_error(const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	g_autofree gchar *text = g_strdup_vprintf(format, ap);
	va_end(ap);
	hull_cli_print_line("", text);
}

static gboolean hull_log_quiet = FALSE;

static void
hull_log_handler(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user_data)
{
	if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) && !g_log_get_debug_enabled())
		return;
	if (hull_log_quiet && !(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)))
		return;
	const char *what = (level & G_LOG_LEVEL_CRITICAL) ? "critical" : (level & G_LOG_LEVEL_WARNING) ? "warning" : "debug";
	/* Messages quote image content: secrets masked, controls and bidi escaped, one line. */
	g_autofree gchar *prefix = g_strdup_printf("hullscan: %s%s%s: ", domain ? domain : "", domain ? " " : "", what);
	hull_cli_print_line(prefix, message);
}

void
hull_cli_setup_logging(gboolean quiet, gboolean verbose)
{
	hull_log_quiet = quiet;
	g_log_set_debug_enabled(verbose);
	g_log_set_default_handler(hull_log_handler, NULL);
}

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	hull_cli_setup_logging(FALSE, g_getenv("G_MESSAGES_DEBUG") != NULL);
	if (argc < 2) {
		hull_usage(stderr);
		return HULL_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0 || strcmp(cmd, "version") == 0) {
		printf("hullscan %s (plugin ABI %d.%d)\n", HULL_VERSION, HULL_ABI_MAJOR, HULL_ABI_MINOR);
		return HULL_EXIT_OK;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		hull_usage(stdout);
		return HULL_EXIT_OK;
	}
	if (strcmp(cmd, "scan") == 0)
		return hull_cmd_scan(argc - 1, argv + 1);
	if (strcmp(cmd, "plugins") == 0)
		return hull_cmd_plugins(argc - 1, argv + 1);
#ifdef HULL_HAVE_CMD_FILES
	if (strcmp(cmd, "files") == 0)
		return hull_cmd_files(argc - 1, argv + 1);
#endif
#ifdef HULL_HAVE_CMD_DB
	if (strcmp(cmd, "db") == 0)
		return hull_cmd_db(argc - 1, argv + 1);
#endif
#ifdef HULL_HAVE_CMD_BUNDLE
	if (strcmp(cmd, "bundle") == 0)
		return hull_cmd_bundle(argc - 1, argv + 1);
#endif
	hull_cli_error("hullscan: unknown command '%s'", cmd);
	hull_usage(stderr);
	return HULL_EXIT_USAGE;
}
