/* hull-cmd-plugins.c: `hullscan plugins list` and `plugins info NAME`: what loaded, from
 * where, with how many rules, and why anything was refused. */
#include <stdio.h>
#include <string.h>
#include "hull-cli.h"
#include "hull-scanner.h"

static int
hull_plugins_list(HullScanner *scanner, gboolean json)
{
	g_autoptr(GPtrArray) infos = hull_scanner_get_plugin_infos(scanner);
	if (json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		json_builder_begin_array(b);
		for (guint i = 0; i < infos->len; i++) {
			HullReportPlugin *p = g_ptr_array_index(infos, i);
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "name");
			json_builder_add_string_value(b, p->name);
			json_builder_set_member_name(b, "version");
			if (p->version != NULL)
				json_builder_add_string_value(b, p->version);
			else
				json_builder_add_null_value(b);
			json_builder_set_member_name(b, "status");
			json_builder_add_string_value(b, p->status);
			json_builder_set_member_name(b, "rules");
			json_builder_add_int_value(b, p->n_rules);
			json_builder_set_member_name(b, "path");
			json_builder_add_string_value(b, p->path);
			if (p->error != NULL) {
				json_builder_set_member_name(b, "error");
				json_builder_add_string_value(b, p->error);
			}
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		g_autoptr(JsonNode) root = json_builder_get_root(b);
		g_autofree gchar *s = json_to_string(root, TRUE);
		printf("%s\n", s);
		return HULL_EXIT_OK;
	}
	printf("%-16s %-10s %-8s %6s  %s\n", "NAME", "VERSION", "STATUS", "RULES", "PATH");
	for (guint i = 0; i < infos->len; i++) {
		HullReportPlugin *p = g_ptr_array_index(infos, i);
		printf("%-16s %-10s %-8s %6u  %s\n", p->name, p->version ? p->version : "-", p->status, p->n_rules, p->path);
		if (p->error != NULL)
			printf("%16s   ↳ %s\n", "", p->error);
	}
	return HULL_EXIT_OK;
}

static int
hull_plugins_info(HullScanner *scanner, const char *name)
{
	const HullPluginDescriptor *d = hull_scanner_get_descriptor(scanner, name);
	if (d == NULL) {
		hull_cli_error("hullscan plugins info: no plugin named %s (see `hullscan plugins list`)", name);
		return HULL_EXIT_USAGE;
	}
	printf("%s %s\n", d->name, d->version);
	if (d->description != NULL)
		printf("  %s\n", d->description);
	printf("  license: %s\n  vendor: %s\n  ABI: %u.%u\n", d->license ? d->license : "-",
	       d->vendor ? d->vendor : "-", d->abi_major, d->abi_minor);
	g_autoptr(GPtrArray) rules = hull_scanner_get_plugin_rules(scanner, name);
	printf("\n%-22s %-9s %-50s %s\n", "RULE", "SEVERITY", "TITLE", "ALIASES");
	for (guint i = 0; rules != NULL && i < rules->len; i++) {
		HullReportRule *r = g_ptr_array_index(rules, i);
		g_autoptr(GString) aliases = g_string_new(NULL);
		for (guint j = 0; j < r->aliases->len; j++)
			g_string_append_printf(aliases, "%s%s", j ? ", " : "", (char *)g_ptr_array_index(r->aliases, j));
		printf("%-22s %-9s %-50s %s\n", r->id, hull_severity_to_string(r->severity), r->title, aliases->str);
	}
	return HULL_EXIT_OK;
}

int
hull_cmd_plugins(int argc, char **argv)
{
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "JSON output (list)", NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) octx = g_option_context_new("list | info NAME - loaded plugins, versions, rules, load errors");
	g_option_context_add_main_entries(octx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		hull_cli_error("hullscan plugins: %s", error->message);
		return HULL_EXIT_USAGE;
	}
	hull_cli_setup_logging(TRUE, FALSE);
	gboolean list = argc == 2 && strcmp(argv[1], "list") == 0;
	gboolean info = argc == 3 && strcmp(argv[1], "info") == 0;
	if (!list && !info) {
		hull_cli_error("hullscan plugins: expected `list` or `info NAME`");
		return HULL_EXIT_USAGE;
	}
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	if (!hull_scanner_load_plugins(scanner, &error)) {
		hull_cli_error("hullscan plugins: %s", error->message);
		return HULL_EXIT_USAGE;
	}
	return list ? hull_plugins_list(scanner, json) : hull_plugins_info(scanner, argv[2]);
}
