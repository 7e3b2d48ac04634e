/* hull-report-sarif.c: SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure).
 * One run; every loaded rule in tool.driver.rules (plus a synthesised rule for each finding
 * id no plugin declared, e.g. advisory ids) so each result's ruleIndex resolves. Paths are
 * relative URIs against the uriBaseId ROOTPATH (the scanned image or directory), with every
 * byte outside the URI unreserved set percent-encoded, so hostile names stay valid URIs. */
#include <string.h>
#include "hull-report-text.h"

#define HULL_SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define HULL_INFO_URI "https://github.com/hullscan/hullscan"

static const char *
hull_sarif_level(HullSeverity s)
{
	switch (s) {
	case HULL_SEVERITY_CRITICAL:
	case HULL_SEVERITY_HIGH:
		return "error";
	case HULL_SEVERITY_MEDIUM:
		return "warning";
	default:
		return "note";
	}
}

/* GitHub ranks alerts by this CVSS-like number. */
static const char *
hull_sarif_security_severity(HullSeverity s)
{
	switch (s) {
	case HULL_SEVERITY_CRITICAL:
		return "9.5";
	case HULL_SEVERITY_HIGH:
		return "8.0";
	case HULL_SEVERITY_MEDIUM:
		return "5.5";
	case HULL_SEVERITY_LOW:
		return "2.0";
	default:
		return "0.0";
	}
}

typedef struct {
	const char *id;
	const char *title;
	const char *description;
	const char *remediation;
	HullSeverity severity;
	GPtrArray *aliases;
	GPtrArray *references;
} HullSarifRule;

static void
hull_sarif_add_rule(JsonBuilder *b, const HullSarifRule *rule)
{
	json_builder_begin_object(b);
	hull_json_add_str(b, "id", rule->id);
	hull_json_add_str(b, "name", rule->id);
	const char *title = rule->title != NULL && *rule->title != '\0' ? rule->title : rule->id;
	json_builder_set_member_name(b, "shortDescription");
	json_builder_begin_object(b);
	hull_json_add_str(b, "text", title);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "fullDescription");
	json_builder_begin_object(b);
	hull_json_add_str(b, "text", rule->description != NULL && *rule->description != '\0' ? rule->description : title);
	json_builder_end_object(b);

	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GString) md = g_string_new(NULL);
	g_string_append(text, rule->description != NULL ? rule->description : title);
	g_string_append_printf(md, "**%s**\n\n%s", title, rule->description != NULL ? rule->description : "");
	if (rule->remediation != NULL) {
		g_string_append_printf(text, "\n\nRemediation: %s", rule->remediation);
		g_string_append_printf(md, "\n\n**Remediation:** %s", rule->remediation);
	}
	if (rule->references != NULL && rule->references->len > 0) {
		g_string_append(text, "\n\nReferences:");
		g_string_append(md, "\n\n**References:**\n");
		for (guint i = 0; i < rule->references->len; i++) {
			const char *ref = g_ptr_array_index(rule->references, i);
			g_string_append_printf(text, "\n- %s", ref);
			g_string_append_printf(md, "\n- <%s>", ref);
		}
	}
	json_builder_set_member_name(b, "help");
	json_builder_begin_object(b);
	hull_json_add_str(b, "text", text->str);
	hull_json_add_str(b, "markdown", md->str);
	json_builder_end_object(b);
	if (rule->references != NULL && rule->references->len > 0 &&
	    g_str_has_prefix(g_ptr_array_index(rule->references, 0), "https://"))
		hull_json_add_str(b, "helpUri", g_ptr_array_index(rule->references, 0));

	json_builder_set_member_name(b, "defaultConfiguration");
	json_builder_begin_object(b);
	hull_json_add_str(b, "level", hull_sarif_level(rule->severity));
	json_builder_end_object(b);

	json_builder_set_member_name(b, "properties");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "tags");
	json_builder_begin_array(b);
	hull_json_add_str_value(b, "security");
	for (guint i = 0; rule->aliases != NULL && i < rule->aliases->len; i++)
		hull_json_add_str_value(b, g_ptr_array_index(rule->aliases, i));
	json_builder_end_array(b);
	hull_json_add_str(b, "severity", hull_severity_to_string(rule->severity));
	hull_json_add_str(b, "security-severity", hull_sarif_security_severity(rule->severity));
	json_builder_end_object(b);
	json_builder_end_object(b);
}

static void
hull_sarif_add_result(JsonBuilder *b, const HullFinding *f, guint rule_index)
{
	json_builder_begin_object(b);
	hull_json_add_str(b, "ruleId", f->rule_id);
	json_builder_set_member_name(b, "ruleIndex");
	json_builder_add_int_value(b, rule_index);
	hull_json_add_str(b, "level", hull_sarif_level(f->severity));
	json_builder_set_member_name(b, "message");
	json_builder_begin_object(b);
	const char *msg = f->message != NULL && *f->message != '\0' ? f->message : f->title;
	hull_json_add_str(b, "text", msg != NULL && *msg != '\0' ? msg : f->rule_id);
	json_builder_end_object(b);

	if (f->path != NULL || f->object != NULL) {
		json_builder_set_member_name(b, "locations");
		json_builder_begin_array(b);
		json_builder_begin_object(b);
		if (f->path != NULL) {
			const char *rel = f->path;
			while (*rel == '/')
				rel++;
			g_autofree gchar *uri = g_uri_escape_string(*rel != '\0' ? rel : ".", "/", FALSE);
			json_builder_set_member_name(b, "physicalLocation");
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "artifactLocation");
			json_builder_begin_object(b);
			hull_json_add_str(b, "uri", uri);
			hull_json_add_str(b, "uriBaseId", "ROOTPATH");
			json_builder_end_object(b);
			if (f->line > 0) {
				json_builder_set_member_name(b, "region");
				json_builder_begin_object(b);
				json_builder_set_member_name(b, "startLine");
				json_builder_add_int_value(b, f->line);
				if (f->column > 0) {
					json_builder_set_member_name(b, "startColumn");
					json_builder_add_int_value(b, f->column);
				}
				json_builder_end_object(b);
			}
			json_builder_end_object(b);
		}
		if (f->object != NULL) {
			json_builder_set_member_name(b, "logicalLocations");
			json_builder_begin_array(b);
			json_builder_begin_object(b);
			hull_json_add_str(b, "fullyQualifiedName", f->object);
			hull_json_add_str(b, "kind", "object");
			json_builder_end_object(b);
			json_builder_end_array(b);
		}
		json_builder_end_object(b);
		json_builder_end_array(b);
	}

	if (f->fingerprint != NULL) {
		json_builder_set_member_name(b, "partialFingerprints");
		json_builder_begin_object(b);
		hull_json_add_str(b, "hullscan/v1", f->fingerprint);
		json_builder_end_object(b);
	}
	json_builder_set_member_name(b, "properties");
	json_builder_begin_object(b);
	hull_json_add_str(b, "severity", hull_severity_to_string(f->severity));
	hull_json_add_str(b, "plugin", f->plugin);
	if (f->layer >= 0) {
		json_builder_set_member_name(b, "layer");
		json_builder_add_int_value(b, f->layer);
	}
	hull_json_add_str(b, "evidence", f->evidence);
	for (guint i = 0; f->field_keys != NULL && i < f->field_keys->len; i++)
		hull_json_add_str_or_null(b, g_ptr_array_index(f->field_keys, i), g_ptr_array_index(f->field_values, i));
	json_builder_end_object(b);
	json_builder_end_object(b);
}

void
hull_report_write_sarif(HullReport *r, GString *out)
{
	g_return_if_fail(r != NULL && out != NULL);
	/* The rule list: declared rules in report order, then ids only findings know. */
	g_autoptr(GArray) rules = g_array_new(FALSE, TRUE, sizeof(HullSarifRule));
	g_autoptr(GHashTable) index = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < r->rules->len; i++) {
		const HullReportRule *rr = g_ptr_array_index(r->rules, i);
		if (rr->id == NULL || g_hash_table_contains(index, rr->id))
			continue;
		HullSarifRule sr = {rr->id, rr->title, rr->description, rr->remediation, rr->severity, rr->aliases,
		                    rr->references};
		g_hash_table_insert(index, rr->id, GUINT_TO_POINTER(rules->len));
		g_array_append_val(rules, sr);
	}
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		if (f->rule_id == NULL || g_hash_table_contains(index, f->rule_id))
			continue;
		HullSarifRule sr = {f->rule_id, f->title, NULL, f->remediation, f->severity, f->aliases, f->references};
		g_hash_table_insert(index, f->rule_id, GUINT_TO_POINTER(rules->len));
		g_array_append_val(rules, sr);
	}

	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	hull_json_add_str(b, "$schema", HULL_SARIF_SCHEMA);
	hull_json_add_str(b, "version", "2.1.0");
	json_builder_set_member_name(b, "runs");
	json_builder_begin_array(b);
	json_builder_begin_object(b);

	json_builder_set_member_name(b, "tool");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "driver");
	json_builder_begin_object(b);
	hull_json_add_str(b, "name", "hullscan");
	hull_json_add_str(b, "version", r->tool_version);
	hull_json_add_str(b, "informationUri", HULL_INFO_URI);
	json_builder_set_member_name(b, "rules");
	json_builder_begin_array(b);
	for (guint i = 0; i < rules->len; i++)
		hull_sarif_add_rule(b, &g_array_index(rules, HullSarifRule, i));
	json_builder_end_array(b);
	json_builder_end_object(b);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "originalUriBaseIds");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "ROOTPATH");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "description");
	json_builder_begin_object(b);
	g_autofree gchar *desc = g_strdup_printf("The root of the scanned %s %s",
	                                         r->target_type != NULL ? r->target_type : "target",
	                                         r->input != NULL ? r->input : "");
	hull_json_add_str(b, "text", desc);
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "results");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		if (f->rule_id == NULL)
			continue;
		hull_sarif_add_result(b, f, GPOINTER_TO_UINT(g_hash_table_lookup(index, f->rule_id)));
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "properties");
	json_builder_begin_object(b);
	hull_json_add_str(b, "target", r->input);
	hull_json_add_str(b, "targetType", r->target_type);
	hull_json_add_str(b, "digest", r->digest);
	json_builder_end_object(b);

	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_end_object(b);
	hull_json_write(b, out);
}
