/* hull-cmd-db.c: `hullscan db import SOURCE... --db FILE` builds or updates the offline
 * vulnerability database from OSV records (files, directories, .zip exports), Debian security
 * tracker and Alpine secdb JSON; `hullscan db info --db FILE` prints what it holds. Exit codes:
 * 0 done, 2 bad usage or an unusable input/database (one line naming it), 3 internal error. */
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "hull-cli.h"
#include "hull-vulndb.h"

static int
hull_db_exit_for(const GError *error)
{
	if (error != NULL && error->domain == HULL_VULNDB_ERROR && error->code == HULL_VULNDB_ERROR_FAILED)
		return HULL_EXIT_INTERNAL;
	return HULL_EXIT_USAGE;
}

static int
hull_db_import(const char *db_path, char **sources, int n_sources, gboolean quiet)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HullVulnDb) db = hull_vulndb_open(db_path, FALSE, &error);
	if (db == NULL) {
		hull_cli_error("hullscan db import: %s", error->message);
		return hull_db_exit_for(error);
	}
	g_autoptr(HullVulnImportStats) stats = hull_vuln_import_stats_new();
	g_autoptr(GTimer) timer = g_timer_new();
	for (int i = 0; i < n_sources; i++) {
		if (!hull_vulndb_import_path(db, sources[i], stats, &error)) {
			hull_cli_error("hullscan db import: %s", error->message);
			return hull_db_exit_for(error);
		}
	}
	if (!quiet) {
		for (guint i = 0; i < stats->notes->len; i++)
			hull_cli_error("hullscan db import: note: %s", (const char *)stats->notes->pdata[i]);
	}
	printf("imported %u records from %u files into %s (%u skipped) in %.1f s\n", stats->records,
	       stats->files, db_path, stats->skipped, g_timer_elapsed(timer, NULL));
	return HULL_EXIT_OK;
}

static int
hull_db_info(const char *db_path, gboolean json)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HullVulnDb) db = hull_vulndb_open(db_path, TRUE, &error);
	if (db == NULL) {
		hull_cli_error("hullscan db info: %s", error->message);
		return hull_db_exit_for(error);
	}
	g_autoptr(HullVulnDbInfo) info = hull_vulndb_info(db, &error);
	if (info == NULL) {
		hull_cli_error("hullscan db info: %s", error->message);
		return hull_db_exit_for(error);
	}
	if (json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "advisories");
		json_builder_add_int_value(b, (gint64)info->advisories);
		json_builder_set_member_name(b, "withdrawn");
		json_builder_add_int_value(b, (gint64)info->withdrawn);
		json_builder_set_member_name(b, "newest_modified");
		if (info->newest_modified != NULL)
			json_builder_add_string_value(b, info->newest_modified);
		else
			json_builder_add_null_value(b);
		json_builder_set_member_name(b, "ecosystems");
		json_builder_begin_array(b);
		for (guint i = 0; i < info->ecosystems->len; i++) {
			const HullVulnDbEcosystemCount *c = info->ecosystems->pdata[i];
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "ecosystem");
			json_builder_add_string_value(b, c->ecosystem);
			json_builder_set_member_name(b, "advisories");
			json_builder_add_int_value(b, (gint64)c->advisories);
			json_builder_set_member_name(b, "packages");
			json_builder_add_int_value(b, (gint64)c->packages);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
		g_autoptr(JsonNode) root = json_builder_get_root(b);
		g_autofree gchar *s = json_to_string(root, TRUE);
		printf("%s\n", s);
		return HULL_EXIT_OK;
	}
	printf("database: %s\n", db_path);
	printf("advisories: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " withdrawn)\n", info->advisories,
	       info->withdrawn);
	printf("newest modified: %s\n", info->newest_modified != NULL ? info->newest_modified : "-");
	printf("\n%-40s %12s %12s\n", "ECOSYSTEM", "ADVISORIES", "PACKAGES");
	for (guint i = 0; i < info->ecosystems->len; i++) {
		const HullVulnDbEcosystemCount *c = info->ecosystems->pdata[i];
		printf("%-40s %12" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT "\n", c->ecosystem, c->advisories,
		       c->packages);
	}
	return HULL_EXIT_OK;
}

int
hull_cmd_db(int argc, char **argv)
{
	g_autofree gchar *db_path = NULL;
	gboolean json = FALSE, quiet = FALSE;
	GOptionEntry entries[] = {
		{"db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "the vulnerability database file", "FILE"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "JSON output (info)", NULL},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "do not print notes on skipped records", NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) octx =
		g_option_context_new("import SOURCE... | info - build or inspect a vulnerability database");
	g_option_context_add_main_entries(octx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		hull_cli_error("hullscan db: %s", error->message);
		return HULL_EXIT_USAGE;
	}
	hull_cli_setup_logging(quiet, FALSE);
	if (argc < 2 || (strcmp(argv[1], "import") != 0 && strcmp(argv[1], "info") != 0)) {
		hull_cli_error("hullscan db: expected `import SOURCE... --db FILE` or `info --db FILE`");
		return HULL_EXIT_USAGE;
	}
	if (db_path == NULL || *db_path == '\0') {
		hull_cli_error("hullscan db %s: --db FILE is required", argv[1]);
		return HULL_EXIT_USAGE;
	}
	if (strcmp(argv[1], "import") == 0) {
		if (argc < 3) {
			hull_cli_error("hullscan db import: no SOURCE given (OSV .json, directory or .zip)");
			return HULL_EXIT_USAGE;
		}
		return hull_db_import(db_path, argv + 2, argc - 2, quiet);
	}
	if (argc != 2) {
		hull_cli_error("hullscan db info: unexpected argument %s", argv[2]);
		return HULL_EXIT_USAGE;
	}
	return hull_db_info(db_path, json);
}
