/* hull-cmd-bundle.c: `hullscan bundle create DIR -o FILE | verify FILE | install FILE
 * --prefix DIR`: vendor bundles of plugins and rule data, verified before anything loads. */
#include <stdio.h>
#include <string.h>
#include "hull-cli.h"
#include "bundle/hull-bundle.h"

static void
hull_bundle_print(const char *file, HullBundleInfo *info)
{
	g_autofree gchar *size = g_format_size(info->total_size);
	printf("%s: %s %s by %s, plugin ABI %u.%u, %u files (%s), %s\n", file, info->name,
	       info->version ? info->version : "", info->vendor && info->vendor[0] ? info->vendor : "unknown vendor",
	       info->abi_major, info->abi_minor, info->n_files, size,
	       info->signed_by ? "signature verified" : info->is_signed ? "signed (no --trust key given: signature not checked)" : "unsigned");
}

int
hull_cmd_bundle(int argc, char **argv)
{
	g_autofree gchar *output = NULL, *prefix = NULL, *sign = NULL, *name = NULL, *version = NULL, *vendor = NULL;
	g_auto(GStrv) trust = NULL;
	gboolean require_signed = FALSE;
	GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "create: the bundle file to write", "FILE"},
		{"prefix", 0, 0, G_OPTION_ARG_FILENAME, &prefix, "install: the directory to install into", "DIR"},
		{"sign", 0, 0, G_OPTION_ARG_FILENAME, &sign, "create: sign with this Ed25519 private key (PEM)", "KEY"},
		{"name", 0, 0, G_OPTION_ARG_STRING, &name, "create: bundle name (default: the first plugin's)", "NAME"},
		{"version", 0, 0, G_OPTION_ARG_STRING, &version, "create: bundle version", "VERSION"},
		{"vendor", 0, 0, G_OPTION_ARG_STRING, &vendor, "create: vendor", "VENDOR"},
		{"trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust, "verify/install: trusted Ed25519 public key (PEM); repeatable", "PUBKEY"},
		{"require-signed", 0, 0, G_OPTION_ARG_NONE, &require_signed, "verify/install: refuse bundles no trusted key signed", NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) octx = g_option_context_new("create DIR -o FILE | verify FILE | install FILE --prefix DIR");
	g_option_context_add_main_entries(octx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		fprintf(stderr, "hullscan bundle: %s\n", error->message);
		return HULL_EXIT_USAGE;
	}
	hull_cli_setup_logging(FALSE, FALSE);
	if (argc != 3) {
		fprintf(stderr, "hullscan bundle: expected `create DIR -o FILE`, `verify FILE` or `install FILE --prefix DIR`\n");
		return HULL_EXIT_USAGE;
	}
	const char *verb = argv[1], *arg = argv[2];
	HullBundlePolicy policy = {.trusted_keys = (const char *const *)trust, .require_signed = require_signed};

	if (strcmp(verb, "create") == 0) {
		if (output == NULL) {
			fprintf(stderr, "hullscan bundle create: -o FILE is required\n");
			return HULL_EXIT_USAGE;
		}
		if (!hull_bundle_create(arg, output, name, version, vendor, sign, &error)) {
			fprintf(stderr, "hullscan bundle create: %s\n", error->message);
			return HULL_EXIT_USAGE;
		}
		g_autoptr(HullBundleInfo) info = hull_bundle_verify(output, NULL, &error);
		if (info == NULL) {
			fprintf(stderr, "hullscan bundle create: the bundle written does not verify: %s\n", error->message);
			return HULL_EXIT_INTERNAL;
		}
		hull_bundle_print(output, info);
		return HULL_EXIT_OK;
	}
	if (strcmp(verb, "verify") == 0) {
		g_autoptr(HullBundleInfo) info = hull_bundle_verify(arg, &policy, &error);
		if (info == NULL) {
			fprintf(stderr, "hullscan bundle verify: %s\n", error->message);
			return HULL_EXIT_USAGE;
		}
		hull_bundle_print(arg, info);
		return HULL_EXIT_OK;
	}
	if (strcmp(verb, "install") == 0) {
		if (prefix == NULL) {
			fprintf(stderr, "hullscan bundle install: --prefix DIR is required\n");
			return HULL_EXIT_USAGE;
		}
		g_autoptr(HullBundleInfo) info = hull_bundle_extract(arg, &policy, prefix, &error);
		if (info == NULL) {
			fprintf(stderr, "hullscan bundle install: %s\n", error->message);
			return HULL_EXIT_USAGE;
		}
		hull_bundle_print(arg, info);
		printf("installed into %s: run with HULLSCAN_PLUGIN_PATH=%s\n", prefix, prefix);
		return HULL_EXIT_OK;
	}
	fprintf(stderr, "hullscan bundle: unknown action '%s' (create, verify, install)\n", verb);
	return HULL_EXIT_USAGE;
}
