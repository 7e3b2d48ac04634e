/* hull-rbac-plugin.c: the k8s-rbac plugin's descriptor and callbacks. It needs no files of
 * its own: once the walk is done (scan_collect) it reads the Kubernetes objects view, builds
 * the RBAC model and escalation graph, emits its findings and one "service-account" fact per
 * service account (with the path to cluster-admin when there is one) for other plugins. */
#include "hull-rbac.h"

typedef struct {
	HullPluginCtx *ctx;
	HullRbacOptions options;
} HullRbacPlugin;

typedef struct {
	HullRbacPlugin *plugin;
	HullBus *bus;
} HullRbacEmitCtx;

static gboolean
hull_rbac_init(HullPluginCtx *ctx, gpointer *state, GError **error)
{
	HullRbacPlugin *p = g_new0(HullRbacPlugin, 1);
	p->ctx = ctx;
	p->options.report_defaults = hull_plugin_ctx_get_option_bool(ctx, "report-defaults", FALSE);
	*state = p;
	return TRUE;
}

static void
hull_rbac_destroy(gpointer state)
{
	g_free(state);
}

static void
hull_rbac_emit_finding(gpointer user_data, const char *rule_id, HullSeverity severity, HullK8sObject *obj,
                       const char *message, const char *key)
{
	HullRbacEmitCtx *e = user_data;
	if (!hull_plugin_ctx_rule_enabled(e->plugin->ctx, rule_id))
		return;
	HullFinding *f = hull_finding_new(e->plugin->ctx, rule_id);
	hull_finding_set_severity(f, severity);
	hull_finding_set_message(f, "%s", message);
	hull_finding_set_path(f, hull_k8s_object_get_path(obj));
	hull_finding_set_line(f, hull_k8s_object_get_line(obj));
	hull_finding_set_layer(f, hull_k8s_object_get_layer(obj));
	hull_finding_set_object(f, hull_k8s_object_get_ref(obj));
	hull_finding_set_fingerprint_data(f, key);
	hull_bus_emit(e->bus, f);
}

static gboolean
hull_rbac_scan_collect(gpointer state, HullScan *scan, GError **error)
{
	HullRbacPlugin *p = state;
	guint n = hull_scan_get_n_k8s_objects(scan);
	if (n == 0)
		return TRUE;
	g_autoptr(GPtrArray) objects = g_ptr_array_sized_new(n);
	for (guint i = 0; i < n; i++)
		g_ptr_array_add(objects, hull_scan_get_k8s_object(scan, i));
	HullRbacModel *m = hull_rbac_model_new(objects);
	hull_rbac_graph_solve(m);
	for (guint i = 0; i < m->notes->len; i++)
		hull_scan_add_note(scan, p->ctx, "%s", (const char *)g_ptr_array_index(m->notes, i));

	HullRbacEmitCtx e = {p, hull_scan_get_bus(scan)};
	hull_rbac_check(m, &p->options, hull_rbac_emit_finding, &e);

	for (guint i = 0; i < m->identities->len; i++) {
		HullRbacIdentity *id = g_ptr_array_index(m->identities, i);
		if (g_strcmp0(id->kind, "ServiceAccount") != 0)
			continue;
		HullFact *fact = hull_fact_new("service-account");
		hull_fact_set(fact, "namespace", id->ns);
		hull_fact_set(fact, "name", id->name);
		if (id->admin_path != NULL)
			hull_fact_set(fact, "cluster_admin_path", id->admin_path);
		hull_bus_emit_fact(e.bus, p->ctx, fact);
	}
	hull_rbac_model_free(m);
	return TRUE;
}

static const HullPluginDescriptor hull_rbac_descriptor = {
	.abi_major = HULL_ABI_MAJOR,
	.abi_minor = HULL_ABI_MINOR,
	.struct_size = sizeof(HullPluginDescriptor),
	.name = HULL_RBAC_PLUGIN_NAME,
	.version = "0.1.0",
	.description = "Kubernetes RBAC: risky rights per subject, aggregation, and escalation paths to cluster-admin",
	.license = "Apache-2.0",
	.vendor = "hullscan",
	/* Results depend on the image, options and rule data found through the core only. */
	.capabilities = HULL_CAP_CACHEABLE,
	.rules = hull_rbac_rules,
	.n_rules = HULL_RBAC_N_RULES,
	.init = hull_rbac_init,
	.destroy = hull_rbac_destroy,
	.scan_collect = hull_rbac_scan_collect,
};

HULL_EXPORT const HullPluginDescriptor *
hull_plugin_get_descriptor(void)
{
	return &hull_rbac_descriptor;
}
