/* hull-report-json.c: the JSON report of DESIGN.md (schema_version 1), the format scripts
 * and dashboards parse. Optional members are omitted rather than written empty; invalid
 * UTF-8 in any string (paths and messages come from the image) is written as U+FFFD so the
 * document always parses. */
#include "hull-report-text.h"

static void
hull_json_add_layer(JsonBuilder *b, HullReport *r, int index)
{
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "index");
	json_builder_add_int_value(b, index);
	const HullReportLayer *l = hull_report_get_layer(r, index);
	if (l != NULL) {
		hull_json_add_str(b, "digest", l->digest);
		hull_json_add_str(b, "created_by", l->created_by);
	}
	json_builder_end_object(b);
}

static void
hull_json_add_strv(JsonBuilder *b, const char *key, GPtrArray *a)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (guint i = 0; a != NULL && i < a->len; i++)
		hull_json_add_str_value(b, g_ptr_array_index(a, i));
	json_builder_end_array(b);
}

/* Members a plugin's extra field may not replace. */
static gboolean
hull_json_is_reserved(const char *key)
{
	static const char *const reserved[] = {"rule_id", "plugin", "severity", "title", "message", "location",
	                                       "aliases", "references", "remediation", "evidence", "fingerprint"};
	for (guint i = 0; i < G_N_ELEMENTS(reserved); i++) {
		if (g_strcmp0(key, reserved[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
hull_json_add_finding(JsonBuilder *b, HullReport *r, const HullFinding *f)
{
	json_builder_begin_object(b);
	hull_json_add_str(b, "rule_id", f->rule_id);
	hull_json_add_str(b, "plugin", f->plugin);
	hull_json_add_str(b, "severity", hull_severity_to_string(f->severity));
	hull_json_add_str(b, "title", f->title);
	hull_json_add_str(b, "message", f->message != NULL ? f->message : f->title);

	json_builder_set_member_name(b, "location");
	json_builder_begin_object(b);
	hull_json_add_str(b, "path", f->path);
	if (f->line > 0) {
		json_builder_set_member_name(b, "line");
		json_builder_add_int_value(b, f->line);
	}
	if (f->column > 0) {
		json_builder_set_member_name(b, "column");
		json_builder_add_int_value(b, f->column);
	}
	if (f->layer >= 0) {
		json_builder_set_member_name(b, "layer");
		hull_json_add_layer(b, r, f->layer);
	}
	hull_json_add_str(b, "object", f->object);
	if (f->deleted_in >= 0) {
		json_builder_set_member_name(b, "deleted_in");
		hull_json_add_layer(b, r, f->deleted_in);
	}
	json_builder_end_object(b);

	hull_json_add_strv(b, "aliases", f->aliases);
	hull_json_add_strv(b, "references", f->references);
	hull_json_add_str(b, "remediation", f->remediation);
	hull_json_add_str(b, "evidence", f->evidence);
	hull_json_add_str(b, "fingerprint", f->fingerprint);
	for (guint i = 0; f->field_keys != NULL && i < f->field_keys->len; i++) {
		const char *key = g_ptr_array_index(f->field_keys, i);
		if (!hull_json_is_reserved(key))
			hull_json_add_str_or_null(b, key, g_ptr_array_index(f->field_values, i));
	}
	json_builder_end_object(b);
}

static void
hull_json_add_package(JsonBuilder *b, HullReport *r, const HullFact *p)
{
	json_builder_begin_object(b);
	static const char *const keys[] = {"name", "version", "source", "source_version", "arch", "type"};
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		const char *v = hull_report_fact_get(p, keys[i]);
		if (v != NULL && *v != '\0')
			hull_json_add_str(b, keys[i], v);
	}
	hull_json_add_str(b, "purl", hull_report_fact_get(p, "purl"));
	const char *layer = hull_report_fact_get(p, "layer");
	gint64 index = 0;
	if (layer != NULL && g_ascii_string_to_signed(layer, 10, 0, G_MAXINT, &index, NULL)) {
		json_builder_set_member_name(b, "layer");
		hull_json_add_layer(b, r, (int)index);
	}
	json_builder_end_object(b);
}

void
hull_report_write_json(HullReport *r, GString *out)
{
	g_return_if_fail(r != NULL && out != NULL);
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "schema_version");
	json_builder_add_int_value(b, 1);

	json_builder_set_member_name(b, "tool");
	json_builder_begin_object(b);
	hull_json_add_str(b, "name", "hullscan");
	hull_json_add_str(b, "version", r->tool_version);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "target");
	json_builder_begin_object(b);
	hull_json_add_str(b, "input", r->input);
	hull_json_add_str(b, "type", r->target_type);
	hull_json_add_str(b, "digest", r->digest);
	if (r->os_id != NULL) {
		json_builder_set_member_name(b, "os");
		json_builder_begin_object(b);
		hull_json_add_str(b, "id", r->os_id);
		hull_json_add_str(b, "version", r->os_version);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);

	json_builder_set_member_name(b, "plugins");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->plugins->len; i++) {
		const HullReportPlugin *p = g_ptr_array_index(r->plugins, i);
		json_builder_begin_object(b);
		hull_json_add_str(b, "name", p->name);
		hull_json_add_str(b, "version", p->version);
		hull_json_add_str(b, "status", p->status);
		json_builder_set_member_name(b, "rules");
		json_builder_add_int_value(b, p->n_rules);
		if (g_strcmp0(p->status, "ok") != 0)
			hull_json_add_str(b, "error", p->error);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "findings");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->findings->len; i++)
		hull_json_add_finding(b, r, g_ptr_array_index(r->findings, i));
	json_builder_end_array(b);

	json_builder_set_member_name(b, "packages");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->packages->len; i++)
		hull_json_add_package(b, r, g_ptr_array_index(r->packages, i));
	json_builder_end_array(b);

	hull_json_add_strv(b, "notes", r->notes);

	json_builder_set_member_name(b, "summary");
	json_builder_begin_object(b);
	for (int s = HULL_SEVERITY_LAST; s >= 0; s--) {
		json_builder_set_member_name(b, hull_severity_to_string((HullSeverity)s));
		json_builder_add_int_value(b, r->summary[s]);
	}
	json_builder_end_object(b);
	json_builder_end_object(b);
	hull_json_write(b, out);
}
