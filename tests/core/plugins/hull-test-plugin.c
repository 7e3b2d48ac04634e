/* hull-test-plugin.c: one small plugin compiled several ways (HULL_TEST_VARIANT) so the
 * loader meets each thing it must accept or refuse: a good plugin, a wrong ABI major, a newer
 * ABI minor, a missing required callback, a duplicate name, an init that fails, one that
 * crashes, one named like a built-in plugin (what a vendor bundle might try to replace), and
 * one whose scan_end fails (the CLI's exit code 3). */
#include <signal.h>
#include <string.h>
#include <hullscan/hullscan.h>

#ifndef HULL_TEST_VARIANT
#error "HULL_TEST_VARIANT must be set"
#endif

#define VARIANT_GOOD 1
#define VARIANT_ABI_MAJOR 2
#define VARIANT_ABI_MINOR 3
#define VARIANT_NO_INIT 4
#define VARIANT_DUPLICATE 5
#define VARIANT_INIT_FAILS 6
#define VARIANT_INIT_CRASHES 7
#define VARIANT_SHADOW 8
#define VARIANT_SCAN_FAILS 9

static const HullRule test_rules[] = {
	{.id = "TEST-0001", .severity = HULL_SEVERITY_HIGH, .title = "marker found",
	 .aliases = (const char *const[]){"T1", NULL}, .remediation = "remove the marker"},
};

static const char *const test_globs[] = {"*.txt", NULL};

static gboolean
test_init(HullPluginCtx *ctx, gpointer *state, GError **error)
{
	/* A crash the way a bad pointer would end it, without tripping a sanitizer first. */
	if (HULL_TEST_VARIANT == VARIANT_INIT_CRASHES)
		raise(SIGSEGV);
	if (HULL_TEST_VARIANT == VARIANT_INIT_FAILS) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, "the test plugin refuses to start");
		return FALSE;
	}
	*state = ctx;
	return TRUE;
}

static gboolean
test_file_chunk(gpointer state, HullScan *scan, const HullFile *file, gpointer fstate, const guint8 *data,
                gsize len, GError **error)
{
	if (memmem(data, len, "FINDME", 6) != NULL) {
		HullFinding *f = hull_finding_new(state, "TEST-0001");
		hull_finding_set_path(f, hull_file_get_path(file));
		hull_bus_emit(hull_scan_get_bus(scan), f);
	}
	return TRUE;
}

static gboolean
test_scan_end(gpointer state, HullScan *scan, GError **error)
{
	if (HULL_TEST_VARIANT == VARIANT_SCAN_FAILS) {
		/* a note the way a careless plugin writes one: the path twice, line breaks inside */
		hull_scan_add_note(scan, state, "/srv/a.txt: /srv/a.txt:1: first\r\n  second\n");
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, "the test plugin fails at scan_end");
		return FALSE;
	}
	return TRUE;
}

static const HullPluginDescriptor descriptor = {
	.abi_major = HULL_TEST_VARIANT == VARIANT_ABI_MAJOR ? HULL_ABI_MAJOR + 1 : HULL_ABI_MAJOR,
	.abi_minor = HULL_TEST_VARIANT == VARIANT_ABI_MINOR ? HULL_ABI_MINOR + 1 : HULL_ABI_MINOR,
	.struct_size = sizeof(HullPluginDescriptor),
	.name = HULL_TEST_VARIANT == VARIANT_GOOD || HULL_TEST_VARIANT == VARIANT_DUPLICATE ? "test-good"
	      : HULL_TEST_VARIANT == VARIANT_ABI_MAJOR ? "test-abi-major"
	      : HULL_TEST_VARIANT == VARIANT_ABI_MINOR ? "test-abi-minor"
	      : HULL_TEST_VARIANT == VARIANT_NO_INIT ? "test-no-init"
	      : HULL_TEST_VARIANT == VARIANT_INIT_CRASHES ? "test-init-crashes"
	      : HULL_TEST_VARIANT == VARIANT_SHADOW ? "secrets"
	      : HULL_TEST_VARIANT == VARIANT_SCAN_FAILS ? "test-scan-fails"
	      : "test-init-fails",
	.version = HULL_TEST_VARIANT == VARIANT_SHADOW ? "9.9.9-shadow" : "1.2.3",
	.description = "a plugin for the loader's tests",
	.license = "Apache-2.0",
	.vendor = "hullscan tests",
	.rules = test_rules,
	.n_rules = G_N_ELEMENTS(test_rules),
	.file_globs = test_globs,
	.init = HULL_TEST_VARIANT == VARIANT_NO_INIT ? NULL : test_init,
	.file_chunk = test_file_chunk,
	.scan_end = test_scan_end,
};

HULL_EXPORT const HullPluginDescriptor *
hull_plugin_get_descriptor(void)
{
	return &descriptor;
}
