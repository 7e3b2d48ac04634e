/* hull-cmd-bundle.c: `hullscan bundle create DIR -o FILE | verify FILE | install FILE
 * --prefix DIR [--allow-downgrade]`: vendor bundles of plugins and rule data, verified
 * before anything loads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hull-cli.h"
#include "hull-output.h"
#include "hull-text.h"
#include "bundle/hull-bundle.h"

static void
hull_bundle_print(const char *file, HullBundleInfo *info)
{
	g_autofree gchar *size = g_format_size(info->total_size);
	/* Name, version and vendor come from the bundle, signed or not: escaped for the terminal. */
	g_autofree gchar *shown_file = hull_text_escape(file, FALSE);
	g_autofree gchar *shown_name = hull_text_escape(info->name, FALSE);
	g_autofree gchar *shown_version = hull_text_escape(info->version ? info->version : "", FALSE);
	g_autofree gchar *shown_vendor =
	    hull_text_escape(info->vendor && info->vendor[0] ? info->vendor : "unknown vendor", FALSE);
	printf("%s: %s %s by %s, plugin ABI %u.%u, %u files (%s), %s\n", shown_file, shown_name, shown_version,
	       shown_vendor, info->abi_major, info->abi_minor, info->n_files, size,
	       info->signed_by ? "signature verified" : info->is_signed ? "signed (no --trust key given: signature not checked)" : "unsigned");
}

/* Is @file's directory @dir or inside it? The bundle is written beside @file before @dir is
 * read, and a bundle holding its own half-written self is no bundle. */
static gboolean
hull_bundle_output_inside(const char *file, const char *dir)
{
	g_autofree gchar *parent = g_path_get_dirname(file);
	g_autofree gchar *p = realpath(parent, NULL);
	g_autofree gchar *d = realpath(dir, NULL);
	if (p == NULL || d == NULL)
		return FALSE;
	return strcmp(p, d) == 0 || (g_str_has_prefix(p, d) && p[strlen(d)] == '/');
}

int
hull_cmd_bundle(int argc, char **argv)
{
	g_autofree gchar *output = NULL, *prefix = NULL, *sign = NULL, *name = NULL, *version = NULL, *vendor = NULL;
	g_auto(GStrv) trust = NULL;
	gboolean require_signed = FALSE, allow_downgrade = FALSE;
	GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "create: the bundle file to write", "FILE"},
		{"prefix", 0, 0, G_OPTION_ARG_FILENAME, &prefix, "install: the directory to install into", "DIR"},
		{"sign", 0, 0, G_OPTION_ARG_FILENAME, &sign, "create: sign with this Ed25519 private key (PEM)", "KEY"},
		{"name", 0, 0, G_OPTION_ARG_STRING, &name, "create: bundle name (default: the first plugin's)", "NAME"},
		{"version", 0, 0, G_OPTION_ARG_STRING, &version, "create: bundle version (default: DIR/bundle.json's, else 0.0.0)", "VERSION"},
		{"vendor", 0, 0, G_OPTION_ARG_STRING, &vendor, "create: vendor", "VENDOR"},
		{"trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust, "verify/install: trusted Ed25519 public key (PEM); repeatable", "PUBKEY"},
		{"require-signed", 0, 0, G_OPTION_ARG_NONE, &require_signed, "verify/install: refuse bundles no trusted key signed", NULL},
		{"allow-downgrade", 0, 0, G_OPTION_ARG_NONE, &allow_downgrade, "install: replace an installed bundle of the same name with an older one", NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) octx = g_option_context_new("create DIR -o FILE | verify FILE | install FILE --prefix DIR [--allow-downgrade]");
	g_option_context_add_main_entries(octx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		hull_cli_error("hullscan bundle: %s", error->message);
		return HULL_EXIT_USAGE;
	}
	hull_cli_setup_logging(FALSE, FALSE);
	if (argc != 3) {
		hull_cli_error("hullscan bundle: expected `create DIR -o FILE`, `verify FILE` or `install FILE --prefix DIR`");
		return HULL_EXIT_USAGE;
	}
	const char *verb = argv[1], *arg = argv[2];
	HullBundlePolicy policy = {.trusted_keys = (const char *const *)trust, .require_signed = require_signed};

	if (strcmp(verb, "create") == 0) {
		if (output == NULL) {
			hull_cli_error("hullscan bundle create: -o FILE is required");
			return HULL_EXIT_USAGE;
		}
		/* Written beside FILE and renamed over it once it verifies (hull-output.h); read back,
		 * so only a regular file will do. */
		if (hull_bundle_output_inside(output, arg)) {
			hull_cli_error("hullscan bundle create: -o %s: inside %s, the directory being bundled", output, arg);
			return HULL_EXIT_USAGE;
		}
		g_autoptr(HullOutput) dest = hull_output_open(output, HULL_OUTPUT_REGULAR_ONLY, &error);
		if (dest == NULL) {
			hull_cli_error("hullscan bundle create: -o %s", error->message);
			return HULL_EXIT_USAGE;
		}
		const char *temp = hull_output_get_temp_path(dest);
		if (!hull_bundle_create(arg, temp, name, version, vendor, sign, &error)) {
			hull_cli_error("hullscan bundle create: %s", error->message);
			return HULL_EXIT_USAGE;
		}
		g_autoptr(HullBundleInfo) info = hull_bundle_verify(temp, NULL, &error);
		if (info == NULL) {
			hull_cli_error("hullscan bundle create: the bundle written does not verify: %s", error->message);
			return HULL_EXIT_INTERNAL;
		}
		if (!hull_output_commit(dest, &error)) {
			hull_cli_error("hullscan bundle create: %s", error->message);
			return HULL_EXIT_INTERNAL;
		}
		hull_bundle_print(output, info);
		return HULL_EXIT_OK;
	}
	if (strcmp(verb, "verify") == 0) {
		g_autoptr(HullBundleInfo) info = hull_bundle_verify(arg, &policy, &error);
		if (info == NULL) {
			hull_cli_error("hullscan bundle verify: %s", error->message);
			return HULL_EXIT_USAGE;
		}
		hull_bundle_print(arg, info);
		return HULL_EXIT_OK;
	}
	if (strcmp(verb, "install") == 0) {
		if (prefix == NULL) {
			hull_cli_error("hullscan bundle install: --prefix DIR is required");
			return HULL_EXIT_USAGE;
		}
		g_autoptr(HullBundleInfo) info = hull_bundle_install(arg, &policy, prefix, allow_downgrade, &error);
		if (info == NULL) {
			hull_cli_error("hullscan bundle install: %s", error->message);
			return HULL_EXIT_USAGE;
		}
		hull_bundle_print(arg, info);
		printf("installed into %s: run with HULLSCAN_PLUGIN_PATH=%s\n", prefix, prefix);
		return HULL_EXIT_OK;
	}
	hull_cli_error("hullscan bundle: unknown action '%s' (create, verify, install)", verb);
	return HULL_EXIT_USAGE;
}
