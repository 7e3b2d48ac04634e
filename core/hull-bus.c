/* hull-bus.c: the findings bus. Plugins emit findings and facts from any thread; findings
 * are kept for the reporters (sorted later, so the order never depends on threads) and
 * facts are delivered at once to the plugins subscribed to their kind. */
#include "hull-scan-private.h"

HullBus *
hull_bus_new(HullScan *scan, GPtrArray *plugins)
{
	HullBus *bus = g_new0(HullBus, 1);
	g_mutex_init(&bus->lock);
	bus->findings = g_ptr_array_new_with_free_func((GDestroyNotify)hull_finding_free);
	bus->facts = g_ptr_array_new_with_free_func((GDestroyNotify)hull_fact_free);
	bus->plugins = g_ptr_array_ref(plugins);
	bus->scan = scan;
	return bus;
}

void
hull_bus_free(HullBus *bus)
{
	if (bus == NULL)
		return;
	g_ptr_array_unref(bus->findings);
	g_ptr_array_unref(bus->facts);
	g_ptr_array_unref(bus->plugins);
	g_mutex_clear(&bus->lock);
	g_free(bus);
}

static HullPlugin *
hull_bus_find_plugin(HullBus *bus, const char *name)
{
	for (guint i = 0; i < bus->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(bus->plugins, i);
		if (g_strcmp0(p->name, name) == 0)
			return p;
	}
	return NULL;
}

void
hull_bus_emit(HullBus *bus, HullFinding *finding)
{
	g_return_if_fail(bus != NULL);
	g_return_if_fail(finding != NULL);
	HullPlugin *plugin = hull_bus_find_plugin(bus, finding->plugin);
	if (plugin != NULL && !hull_plugin_ctx_apply_profile(plugin->ctx, finding)) {
		hull_finding_free(finding);
		return;
	}
	if (finding->message == NULL)
		finding->message = g_strdup(finding->title);
	hull_finding_compute_fingerprint(finding);
	/* After the fingerprint (which hashes a secret, never shows it) and before anything can
	 * keep or print the finding: the report, the cache, other plugins. */
	hull_finding_mask(finding);
	g_mutex_lock(&bus->lock);
	g_ptr_array_add(bus->findings, finding);
	g_mutex_unlock(&bus->lock);
}

static gboolean
hull_plugin_subscribes(HullPlugin *p, const char *kind)
{
	if (p->status != HULL_PLUGIN_STATUS_OK || p->desc->on_fact == NULL || p->desc->fact_kinds == NULL)
		return FALSE;
	for (guint i = 0; p->desc->fact_kinds[i] != NULL; i++) {
		if (g_strcmp0(p->desc->fact_kinds[i], kind) == 0 || g_strcmp0(p->desc->fact_kinds[i], "*") == 0)
			return TRUE;
	}
	return FALSE;
}

void
hull_bus_emit_fact(HullBus *bus, HullPluginCtx *ctx, HullFact *fact)
{
	g_return_if_fail(bus != NULL);
	g_return_if_fail(fact != NULL);
	g_free(fact->plugin);
	fact->plugin = g_strdup(ctx != NULL ? hull_plugin_ctx_get_name(ctx) : "hullscan");
	g_mutex_lock(&bus->lock);
	fact->seq = bus->next_seq++;
	g_ptr_array_add(bus->facts, fact);
	g_mutex_unlock(&bus->lock);

	/* Delivered outside the bus lock: a subscriber may emit facts of its own. The fact
	 * stays owned by the bus, which outlives every callback of the scan. */
	for (guint i = 0; i < bus->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(bus->plugins, i);
		if (!hull_plugin_subscribes(p, fact->kind))
			continue;
		g_rec_mutex_lock(&p->fact_lock);
		p->desc->on_fact(p->state, bus->scan, fact);
		g_rec_mutex_unlock(&p->fact_lock);
	}
}

void
hull_bus_foreach_fact(HullBus *bus, const char *kind, HullFactFunc func, gpointer user_data)
{
	g_return_if_fail(bus != NULL && func != NULL);
	/* Snapshot under the lock, call outside it. */
	g_autoptr(GPtrArray) snapshot = g_ptr_array_new();
	g_mutex_lock(&bus->lock);
	for (guint i = 0; i < bus->facts->len; i++) {
		HullFact *f = g_ptr_array_index(bus->facts, i);
		if (kind == NULL || g_strcmp0(f->kind, kind) == 0)
			g_ptr_array_add(snapshot, f);
	}
	g_mutex_unlock(&bus->lock);
	for (guint i = 0; i < snapshot->len; i++)
		func(g_ptr_array_index(snapshot, i), user_data);
}
