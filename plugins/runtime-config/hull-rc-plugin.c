/* hull-rc-plugin.c: the runtime-config plugin's descriptor and callbacks. It reads no files
 * itself: at scan_end (after every fact has been delivered) it turns the Kubernetes
 * workloads and the run-configuration documents (Compose, docker inspect, OCI config.json)
 * of the shared views into container records, evaluates the rules and emits the findings.
 * It listens to "package" facts so an escape finding can say that the scanned image ships
 * the tools (nsenter, mount) the escape needs. */
#include <string.h>
#include "hull-rc.h"

typedef struct {
	HullPluginCtx *ctx;
	GMutex lock;
	GPtrArray *tools; /* gchar*: packages seen that ship nsenter/mount */
} HullRcPlugin;

static gboolean
hull_rc_init(HullPluginCtx *ctx, gpointer *state, GError **error)
{
	HullRcPlugin *p = g_new0(HullRcPlugin, 1);
	p->ctx = ctx;
	g_mutex_init(&p->lock);
	p->tools = g_ptr_array_new_with_free_func(g_free);
	*state = p;
	return TRUE;
}

static void
hull_rc_destroy(gpointer state)
{
	HullRcPlugin *p = state;
	g_ptr_array_unref(p->tools);
	g_mutex_clear(&p->lock);
	g_free(p);
}

static gboolean
hull_rc_scan_begin(gpointer state, HullScan *scan, GError **error)
{
	HullRcPlugin *p = state;
	g_mutex_lock(&p->lock);
	g_ptr_array_set_size(p->tools, 0);
	g_mutex_unlock(&p->lock);
	return TRUE;
}

static void
hull_rc_on_fact(gpointer state, HullScan *scan, const HullFact *fact)
{
	/* Debian/Ubuntu/Alpine/RHEL package names shipping nsenter or mount(8). */
	static const char *const names[] = {"util-linux", "util-linux-misc", "util-linux-core", "mount", "busybox", NULL};
	HullRcPlugin *p = state;
	const char *name = hull_fact_get(fact, "name");
	if (name == NULL || !g_strv_contains(names, name))
		return;
	g_mutex_lock(&p->lock);
	if (p->tools->len < 8 && !g_ptr_array_find_with_equal_func(p->tools, name, g_str_equal, NULL))
		g_ptr_array_add(p->tools, g_strdup(name));
	g_mutex_unlock(&p->lock);
}

static gboolean
hull_rc_rule_enabled(const char *rule_id, gpointer user_data)
{
	return hull_plugin_ctx_rule_enabled(user_data, rule_id);
}

static void
hull_rc_emit(HullRcPlugin *p, HullScan *scan, GPtrArray *containers, const char *tools)
{
	HullBus *bus = hull_scan_get_bus(scan);
	for (guint i = 0; i < containers->len; i++) {
		HullRcContainer *c = g_ptr_array_index(containers, i);
		g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rc_result_free);
		hull_rc_evaluate(c, hull_rc_rule_enabled, p->ctx, tools, results);
		for (guint j = 0; j < results->len; j++) {
			HullRcResult *r = g_ptr_array_index(results, j);
			HullFinding *f = hull_finding_new(p->ctx, r->rule_id);
			hull_finding_set_severity(f, r->severity);
			hull_finding_set_message(f, "%s", r->message);
			hull_finding_set_path(f, c->path);
			hull_finding_set_line(f, c->line);
			hull_finding_set_layer(f, c->layer);
			hull_finding_set_object(f, c->object);
			hull_finding_set_fingerprint_data(f, r->key);
			if (r->components != NULL)
				hull_finding_set_field(f, "components", r->components);
			hull_bus_emit(bus, f);
		}
	}
}

static gboolean
hull_rc_scan_end(gpointer state, HullScan *scan, GError **error)
{
	HullRcPlugin *p = state;
	g_autoptr(GPtrArray) containers = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rc_container_free);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);

	guint n = hull_scan_get_n_k8s_objects(scan);
	for (guint i = 0; i < n; i++) {
		HullK8sObject *obj = hull_scan_get_k8s_object(scan, i);
		JsonObject *doc = hull_k8s_object_get_document(obj);
		if (doc == NULL)
			continue;
		hull_rc_from_k8s(doc, hull_k8s_object_get_ref(obj), hull_k8s_object_get_path(obj),
		                 hull_k8s_object_get_line(obj), hull_k8s_object_get_layer(obj), containers, notes);
	}
	n = hull_scan_get_n_config_documents(scan);
	for (guint i = 0; i < n; i++) {
		HullConfigDocument *d = hull_scan_get_config_document(scan, i);
		const char *kind = hull_config_document_get_kind(d), *path = hull_config_document_get_path(d);
		JsonNode *root = hull_config_document_get_root(d);
		guint line = hull_config_document_get_line(d);
		int layer = hull_config_document_get_layer(d);
		if (g_strcmp0(kind, "compose") == 0)
			hull_rc_from_compose(root, path, line, layer, containers, notes);
		else if (g_strcmp0(kind, "docker-inspect") == 0)
			hull_rc_from_inspect(root, path, line, layer, containers, notes);
		else if (g_strcmp0(kind, "oci-runtime") == 0)
			hull_rc_from_oci(root, path, line, layer, containers, notes);
	}
	for (guint i = 0; i < notes->len && i < 64; i++)
		hull_scan_add_note(scan, p->ctx, "%s", (const char *)g_ptr_array_index(notes, i));
	if (notes->len > 64)
		hull_scan_add_note(scan, p->ctx, "%u more runtime-config notes not shown", notes->len - 64);

	g_autofree gchar *tools = NULL;
	g_mutex_lock(&p->lock);
	if (p->tools->len > 0) {
		GString *s = g_string_new(NULL);
		for (guint i = 0; i < p->tools->len; i++)
			g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(p->tools, i));
		g_string_append(s, " with nsenter/mount");
		tools = g_string_free(s, FALSE);
	}
	g_mutex_unlock(&p->lock);
	hull_rc_emit(p, scan, containers, tools);
	return TRUE;
}

static const char *const hull_rc_fact_kinds[] = {"package", NULL};

static const HullPluginDescriptor hull_rc_descriptor = {
	.abi_major = HULL_ABI_MAJOR,
	.abi_minor = HULL_ABI_MINOR,
	.struct_size = sizeof(HullPluginDescriptor),
	.name = HULL_RC_PLUGIN_NAME,
	.version = "0.1.0",
	.description = "Container-escape exposure in how containers are run: Kubernetes pod specs, Compose files, "
	               "docker inspect output and OCI runtime configs",
	.license = "Apache-2.0",
	.vendor = "hullscan",
	/* Results depend on the image, options and rule data found through the core only. */
	.capabilities = HULL_CAP_CACHEABLE,
	.rules = hull_rc_rules,
	.n_rules = HULL_RC_N_RULES,
	.fact_kinds = hull_rc_fact_kinds,
	.init = hull_rc_init,
	.destroy = hull_rc_destroy,
	.scan_begin = hull_rc_scan_begin,
	.on_fact = hull_rc_on_fact,
	.scan_end = hull_rc_scan_end,
};

HULL_EXPORT const HullPluginDescriptor *
hull_plugin_get_descriptor(void)
{
	return &hull_rc_descriptor;
}
