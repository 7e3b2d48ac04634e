/* acme-plugin.c: a complete in-house rule as a hullscan plugin. It flags dotenv files
 * (".env", "prod.env" …) shipped inside an image: they usually hold credentials that belong
 * in the runtime environment, not in a layer anyone who pulls the image can read. */
#include <string.h>
#include <hullscan/hullscan.h>

static const HullRule acme_rules[] = {
	{
		.id = "ACME-0001",
		.severity = HULL_SEVERITY_MEDIUM,
		.title = "dotenv file shipped in the image",
		.remediation = "Add .env files to .dockerignore and pass settings at run time "
		               "(environment, secrets manager, mounted secret).",
		.references = (const char *const[]){"https://docs.docker.com/build/concepts/context/#dockerignore-files", NULL},
		.description = "Files named .env or *.env in an image layer.",
	},
};

/* A glob without '/' matches the file name anywhere in the image. */
static const char *const acme_globs[] = {".env", "*.env", NULL};

typedef struct {
	HullPluginCtx *ctx;
} AcmeState;

static gboolean
acme_init(HullPluginCtx *ctx, gpointer *state, GError **error)
{
	AcmeState *s = g_new0(AcmeState, 1);
	s->ctx = ctx;
	*state = s;
	return TRUE;
}

static void
acme_destroy(gpointer state)
{
	g_free(state);
}

/* Called with the file's bytes; we only need its name, so one look at the first chunk is
 * enough and returning FALSE tells the core to stop sending this file. */
static gboolean
acme_file_chunk(gpointer state, HullScan *scan, const HullFile *file, gpointer file_state,
                const guint8 *data, gsize len, GError **error)
{
	AcmeState *s = state;
	guint n_lines = 0;
	for (gsize i = 0; i < len; i++)
		n_lines += data[i] == '\n';
	HullFinding *f = hull_finding_new(s->ctx, "ACME-0001");
	hull_finding_set_path(f, hull_file_get_path(file));
	hull_finding_set_layer(f, hull_file_get_layer(file));
	hull_finding_set_message(f, "%s is a dotenv file (%u line%s) in the image",
	                         hull_file_get_path(file), n_lines, n_lines == 1 ? "" : "s");
	hull_bus_emit(hull_scan_get_bus(scan), f);
	return FALSE;
}

static const HullPluginDescriptor acme_descriptor = {
	.abi_major = HULL_ABI_MAJOR,
	.abi_minor = HULL_ABI_MINOR,
	.struct_size = sizeof(HullPluginDescriptor),
	.name = "acme",
	.version = "0.1.0",
	.description = "ACME in-house rules: dotenv files in images",
	.license = "Apache-2.0",
	.vendor = "ACME Corp security team",
	.rules = acme_rules,
	.n_rules = G_N_ELEMENTS(acme_rules),
	.file_globs = acme_globs,
	.max_file_size = 1024 * 1024,
	.file_flags = HULL_INTEREST_TEXT_ONLY,
	.init = acme_init,
	.destroy = acme_destroy,
	.file_chunk = acme_file_chunk,
};

HULL_EXPORT const HullPluginDescriptor *
hull_plugin_get_descriptor(void)
{
	return &acme_descriptor;
}
