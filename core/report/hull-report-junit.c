/* hull-report-junit.c: JUnit XML for CI dashboards (Jenkins, GitLab, Azure). One testsuite
 * per plugin, one failing testcase per finding, and one passing testcase for a plugin that
 * ran clean so a dashboard shows it ran; a plugin that failed to run gets an <error>.
 * XML 1.0 cannot carry most control characters even as references, so text is cleaned
 * (invalid UTF-8 and controls become U+FFFD) before it is escaped. */
#include "hull-report-text.h"

static void
hull_xml_append(GString *out, const char *s, gboolean attribute)
{
	g_autofree gchar *clean = hull_report_text_clean(s != NULL ? s : "", HULL_TEXT_NO_CONTROLS);
	for (const char *p = clean; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			g_string_append(out, "&amp;");
			break;
		case '<':
			g_string_append(out, "&lt;");
			break;
		case '>':
			g_string_append(out, "&gt;");
			break;
		case '"':
			g_string_append(out, attribute ? "&quot;" : "\"");
			break;
		case '\n':
			g_string_append(out, attribute ? "&#10;" : "\n");
			break;
		case '\t':
			g_string_append(out, attribute ? "&#9;" : "\t");
			break;
		default:
			g_string_append_c(out, *p);
		}
	}
}

static void
hull_xml_attr(GString *out, const char *name, const char *value)
{
	g_string_append_printf(out, " %s=\"", name);
	hull_xml_append(out, value, TRUE);
	g_string_append_c(out, '"');
}

static void
hull_junit_finding(GString *out, HullReport *r, const HullFinding *f)
{
	g_autofree gchar *where = hull_report_finding_where(f);
	g_autofree gchar *name = where != NULL ? g_strdup_printf("%s %s", f->rule_id, where) : g_strdup(f->rule_id);
	g_autofree gchar *classname = g_strdup_printf("hullscan.%s", f->plugin != NULL ? f->plugin : "unknown");
	g_string_append(out, "    <testcase");
	hull_xml_attr(out, "name", name);
	hull_xml_attr(out, "classname", classname);
	if (f->path != NULL)
		hull_xml_attr(out, "file", f->path);
	g_string_append(out, ">\n      <failure");
	hull_xml_attr(out, "message", f->title != NULL ? f->title : f->rule_id);
	hull_xml_attr(out, "type", hull_severity_to_string(f->severity));
	g_string_append_c(out, '>');
	GString *body = g_string_new(NULL);
	g_string_append_printf(body, "%s %s: %s\n", hull_severity_to_string(f->severity), f->rule_id,
	                       f->message != NULL ? f->message : (f->title != NULL ? f->title : ""));
	if (where != NULL)
		g_string_append_printf(body, "Location: %s\n", where);
	if (f->path != NULL && f->object != NULL)
		g_string_append_printf(body, "Object: %s\n", f->object);
	if (f->layer >= 0) {
		const HullReportLayer *l = hull_report_get_layer(r, f->layer);
		g_string_append_printf(body, "Layer: %d%s%s\n", f->layer, l != NULL && l->created_by ? " " : "",
		                       l != NULL && l->created_by ? l->created_by : "");
	}
	if (f->evidence != NULL)
		g_string_append_printf(body, "Evidence: %s\n", f->evidence);
	if (f->remediation != NULL)
		g_string_append_printf(body, "Remediation: %s\n", f->remediation);
	for (guint i = 0; f->references != NULL && i < f->references->len; i++)
		g_string_append_printf(body, "Reference: %s\n", (const char *)g_ptr_array_index(f->references, i));
	if (f->fingerprint != NULL)
		g_string_append_printf(body, "Fingerprint: %s\n", f->fingerprint);
	hull_xml_append(out, body->str, FALSE);
	g_string_free(body, TRUE);
	g_string_append(out, "</failure>\n    </testcase>\n");
}

void
hull_report_write_junit(HullReport *r, GString *out)
{
	g_return_if_fail(r != NULL && out != NULL);
	/* Suites: every loaded plugin in load order, then plugins only findings name. */
	g_autoptr(GPtrArray) suites = g_ptr_array_new();
	for (guint i = 0; i < r->plugins->len; i++) {
		const HullReportPlugin *p = g_ptr_array_index(r->plugins, i);
		if (!g_ptr_array_find_with_equal_func(suites, p->name, g_str_equal, NULL) && p->name != NULL)
			g_ptr_array_add(suites, p->name);
	}
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		const char *name = f->plugin != NULL ? f->plugin : "unknown";
		if (!g_ptr_array_find_with_equal_func(suites, name, g_str_equal, NULL))
			g_ptr_array_add(suites, (gpointer)name);
	}

	guint total_tests = 0, total_failures = 0, total_errors = 0;
	GString *body = g_string_new(NULL);
	for (guint s = 0; s < suites->len; s++) {
		const char *name = g_ptr_array_index(suites, s);
		const HullReportPlugin *plugin = NULL;
		for (guint i = 0; i < r->plugins->len; i++) {
			const HullReportPlugin *p = g_ptr_array_index(r->plugins, i);
			if (g_strcmp0(p->name, name) == 0)
				plugin = p;
		}
		guint failures = 0;
		for (guint i = 0; i < r->findings->len; i++) {
			const HullFinding *f = g_ptr_array_index(r->findings, i);
			if (g_strcmp0(f->plugin != NULL ? f->plugin : "unknown", name) == 0)
				failures++;
		}
		gboolean broken = plugin != NULL && g_strcmp0(plugin->status, "ok") != 0;
		guint tests = failures + (failures == 0 || broken ? 1 : 0);
		total_tests += tests;
		total_failures += failures;
		total_errors += broken ? 1 : 0;
		g_string_append(body, "  <testsuite");
		g_autofree gchar *suite_name = g_strdup_printf("hullscan.%s", name);
		hull_xml_attr(body, "name", suite_name);
		g_string_append_printf(body, " tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"0\">\n", tests,
		                       failures, broken ? 1 : 0);
		if (broken) {
			g_string_append(body, "    <testcase name=\"plugin loaded\"");
			hull_xml_attr(body, "classname", suite_name);
			g_string_append(body, ">\n      <error");
			hull_xml_attr(body, "message", plugin->error != NULL ? plugin->error : "plugin did not run");
			hull_xml_attr(body, "type", plugin->status);
			g_string_append(body, "/>\n    </testcase>\n");
		} else if (failures == 0) {
			g_string_append(body, "    <testcase name=\"no findings\"");
			hull_xml_attr(body, "classname", suite_name);
			g_string_append(body, "/>\n");
		}
		for (guint i = 0; i < r->findings->len; i++) {
			const HullFinding *f = g_ptr_array_index(r->findings, i);
			if (g_strcmp0(f->plugin != NULL ? f->plugin : "unknown", name) == 0)
				hull_junit_finding(body, r, f);
		}
		g_string_append(body, "  </testsuite>\n");
	}

	g_string_append(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hullscan\"");
	g_string_append_printf(out, " tests=\"%u\" failures=\"%u\" errors=\"%u\">\n", total_tests, total_failures,
	                       total_errors);
	g_string_append_len(out, body->str, (gssize)body->len);
	g_string_free(body, TRUE);
	g_string_append(out, "</testsuites>\n");
}
