/* hull-report.c: the report model's life cycle and lookups, and the table of writers the
 * CLI picks from by --format name. */
#include "hull-report.h"

void
hull_report_plugin_free(HullReportPlugin *p)
{
	g_free(p->name);
	g_free(p->version);
	g_free(p->status);
	g_free(p->error);
	g_free(p->path);
	g_free(p);
}

/* Not hull_report_rule_free: the scanner defines that name for its own rule arrays. */
static void
hull_report_rule_destroy(gpointer data)
{
	HullReportRule *r = data;
	g_free(r->id);
	g_free(r->plugin);
	g_free(r->title);
	g_free(r->description);
	g_free(r->remediation);
	if (r->aliases != NULL)
		g_ptr_array_unref(r->aliases);
	if (r->references != NULL)
		g_ptr_array_unref(r->references);
	g_free(r);
}

static void
hull_report_layer_destroy(gpointer data)
{
	HullReportLayer *l = data;
	g_free(l->digest);
	g_free(l->created_by);
	g_free(l);
}

HullReport *
hull_report_new(void)
{
	HullReport *r = g_new0(HullReport, 1);
	r->plugins = g_ptr_array_new_with_free_func((GDestroyNotify)hull_report_plugin_free);
	r->rules = g_ptr_array_new_with_free_func(hull_report_rule_destroy);
	r->layers = g_ptr_array_new_with_free_func(hull_report_layer_destroy);
	r->findings = g_ptr_array_new_with_free_func((GDestroyNotify)hull_finding_free);
	r->packages = g_ptr_array_new_with_free_func((GDestroyNotify)hull_fact_free);
	r->notes = g_ptr_array_new_with_free_func(g_free);
	return r;
}

void
hull_report_free(HullReport *r)
{
	if (r == NULL)
		return;
	g_free(r->tool_version);
	g_free(r->input);
	g_free(r->target_type);
	g_free(r->digest);
	g_free(r->os_id);
	g_free(r->os_version);
	g_ptr_array_unref(r->plugins);
	g_ptr_array_unref(r->rules);
	g_ptr_array_unref(r->layers);
	g_ptr_array_unref(r->findings);
	g_ptr_array_unref(r->packages);
	g_ptr_array_unref(r->notes);
	g_free(r);
}

void
hull_report_update_summary(HullReport *r)
{
	g_return_if_fail(r != NULL);
	for (guint i = 0; i <= HULL_SEVERITY_LAST; i++)
		r->summary[i] = 0;
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		guint s = (guint)f->severity <= HULL_SEVERITY_LAST ? (guint)f->severity : HULL_SEVERITY_UNKNOWN;
		r->summary[s]++;
	}
}

const HullReportLayer *
hull_report_get_layer(HullReport *r, int index)
{
	g_return_val_if_fail(r != NULL, NULL);
	if (index < 0)
		return NULL;
	/* Layers are stored by index, but do not trust that: fall back to a scan. */
	if ((guint)index < r->layers->len) {
		const HullReportLayer *l = g_ptr_array_index(r->layers, index);
		if (l->index == index)
			return l;
	}
	for (guint i = 0; i < r->layers->len; i++) {
		const HullReportLayer *l = g_ptr_array_index(r->layers, i);
		if (l->index == index)
			return l;
	}
	return NULL;
}

const HullReportRule *
hull_report_get_rule(HullReport *r, const char *rule_id)
{
	g_return_val_if_fail(r != NULL, NULL);
	if (rule_id == NULL)
		return NULL;
	for (guint i = 0; i < r->rules->len; i++) {
		const HullReportRule *rule = g_ptr_array_index(r->rules, i);
		if (g_strcmp0(rule->id, rule_id) == 0)
			return rule;
	}
	return NULL;
}

static const struct {
	const char *name;
	HullReportWriteFunc func;
} hull_report_writers[] = {
	{"table", hull_report_write_table},
	{"json", hull_report_write_json},
	{"sarif", hull_report_write_sarif},
	{"junit", hull_report_write_junit},
	{"cyclonedx", hull_report_write_cyclonedx},
};

HullReportWriteFunc
hull_report_writer_lookup(const char *format)
{
	if (format == NULL)
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS(hull_report_writers); i++) {
		if (g_ascii_strcasecmp(format, hull_report_writers[i].name) == 0)
			return hull_report_writers[i].func;
	}
	return NULL;
}
