/* hull-cli.h: the subcommands of the hullscan executable, one file each. Each takes the
 * arguments after "hullscan" (argv[0] is the subcommand) and returns the process exit code:
 * 0 done, 1 findings at or above --fail-on, 2 bad usage or unusable input, 3 internal error. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

enum {
	HULL_EXIT_OK = 0,
	HULL_EXIT_FINDINGS = 1,
	HULL_EXIT_USAGE = 2,
	HULL_EXIT_INTERNAL = 3,
};

int hull_cmd_scan(int argc, char **argv);
int hull_cmd_plugins(int argc, char **argv);
int hull_cmd_files(int argc, char **argv);
int hull_cmd_db(int argc, char **argv);
int hull_cmd_bundle(int argc, char **argv);

/* Parses "500M", "2GiB", "1048576" into bytes. */
gboolean hull_parse_size(const char *text, guint64 *out);
/* Writes one line to stderr: @format's text with secrets masked and control and bidi
 * characters escaped (hull-mask.h, hull-text.h), then a newline. Every message the CLI
 * prints about its input goes through here: an error quotes what the image holds. */
void hull_cli_error(const char *format, ...) G_GNUC_PRINTF(1, 2);
/* Installs the log handler: warnings on stderr unless @quiet, debug with @verbose. */
void hull_cli_setup_logging(gboolean quiet, gboolean verbose);

G_END_DECLS
