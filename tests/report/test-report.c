/* test-report.c: the reporters. Golden files pin each format's exact bytes for a hand-built
 * report (tests/report/golden/sample.*); run the suite with HULL_UPDATE_GOLDEN=1 to rewrite
 * them after an intended change, then review the diff. The other cases check what must hold
 * for any input: valid UTF-8 and well-formed JSON/XML from hostile strings, no terminal
 * escapes from image content, 100-column tables, summary counts, SARIF rule indexes and
 * CycloneDX references. */
#include <string.h>
#include <json-glib/json-glib.h>
#include "hull-report-sample.h"
#include "report/hull-report-text.h"
#include "hull-mask.h"

static const char *const formats[] = {"table", "json", "sarif", "junit", "cyclonedx"};
static const char *const extensions[] = {"txt", "json", "sarif", "xml", "cdx.json"};

static GString *
render(HullReport *r, const char *format)
{
	HullReportWriteFunc w = hull_report_writer_lookup(format);
	g_assert_nonnull(w);
	GString *out = g_string_new(NULL);
	w(r, out);
	return out;
}

static JsonNode *
parse_json(const GString *s)
{
	g_autoptr(JsonParser) p = json_parser_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(g_utf8_validate(s->str, (gssize)s->len, NULL));
	json_parser_load_from_data(p, s->str, (gssize)s->len, &error);
	g_assert_no_error(error);
	return json_node_copy(json_parser_get_root(p));
}

static void
test_lookup(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++)
		g_assert_nonnull(hull_report_writer_lookup(formats[i]));
	g_assert_true(hull_report_writer_lookup("JSON") == hull_report_write_json);
	g_assert_true(hull_report_writer_lookup("sarif") == hull_report_write_sarif);
	g_assert_null(hull_report_writer_lookup("xml"));
	g_assert_null(hull_report_writer_lookup(""));
	g_assert_null(hull_report_writer_lookup(NULL));
}

static void
test_model(void)
{
	g_autoptr(HullReport) r = hull_report_sample_new(FALSE);
	const HullReportLayer *l = hull_report_get_layer(r, 1);
	g_assert_nonnull(l);
	g_assert_cmpstr(l->created_by, ==, "COPY . /app");
	g_assert_null(hull_report_get_layer(r, 2));
	g_assert_null(hull_report_get_layer(r, -1));
	const HullReportRule *rule = hull_report_get_rule(r, "DF-0002");
	g_assert_nonnull(rule);
	g_assert_cmpint(rule->severity, ==, HULL_SEVERITY_HIGH);
	g_assert_null(hull_report_get_rule(r, "CVE-2023-5678"));
	g_assert_null(hull_report_get_rule(r, NULL));
}

static void
test_summary(void)
{
	g_autoptr(HullReport) r = hull_report_sample_new(FALSE);
	guint expect[HULL_SEVERITY_LAST + 1] = {0};
	for (guint i = 0; i < r->findings->len; i++)
		expect[((HullFinding *)g_ptr_array_index(r->findings, i))->severity]++;
	memset(r->summary, 0xff, sizeof r->summary);
	hull_report_update_summary(r);
	for (guint s = 0; s <= HULL_SEVERITY_LAST; s++)
		g_assert_cmpuint(r->summary[s], ==, expect[s]);
	g_assert_cmpuint(r->summary[HULL_SEVERITY_CRITICAL], ==, 1);
	g_assert_cmpuint(r->summary[HULL_SEVERITY_HIGH], ==, 2);

	/* The table's last line is the summary. */
	g_autoptr(GString) t = render(r, "table");
	g_assert_true(g_str_has_suffix(t->str, "6 findings: 1 CRITICAL, 2 HIGH, 1 MEDIUM, 1 LOW, 1 UNKNOWN\n"));
	/* and the JSON summary agrees */
	g_autoptr(GString) j = render(r, "json");
	g_autoptr(JsonNode) root = parse_json(j);
	JsonObject *sum = json_object_get_object_member(json_node_get_object(root), "summary");
	g_assert_cmpint(json_object_get_int_member(sum, "HIGH"), ==, 2);
	g_assert_cmpint(json_object_get_int_member(sum, "UNKNOWN"), ==, 1);

	/* Dropping a finding changes the counts. */
	g_ptr_array_remove_index(r->findings, 0);
	hull_report_update_summary(r);
	g_assert_cmpuint(r->summary[HULL_SEVERITY_CRITICAL], ==, 0);
	g_autoptr(GString) t2 = render(r, "table");
	g_assert_true(g_str_has_suffix(t2->str, "5 findings: 0 CRITICAL, 2 HIGH, 1 MEDIUM, 1 LOW, 1 UNKNOWN\n"));
}

static void
test_golden(gconstpointer data)
{
	guint i = GPOINTER_TO_UINT(data);
	const char *root = g_getenv("HULL_SOURCE_ROOT");
	if (root == NULL) {
		g_test_skip("HULL_SOURCE_ROOT is not set: run through meson test");
		return;
	}
	g_autofree gchar *name = g_strdup_printf("sample.%s", extensions[i]);
	g_autofree gchar *path = g_build_filename(root, "tests", "report", "golden", name, NULL);
	g_autoptr(HullReport) r = hull_report_sample_new(FALSE);
	g_autoptr(GString) out = render(r, formats[i]);
	/* Rendering twice gives the same bytes (no time, no hash order). */
	g_autoptr(GString) again = render(r, formats[i]);
	g_assert_cmpstr(out->str, ==, again->str);
	g_autoptr(GError) error = NULL;
	if (g_strcmp0(g_getenv("HULL_UPDATE_GOLDEN"), "1") == 0) {
		g_file_set_contents(path, out->str, (gssize)out->len, &error);
		g_assert_no_error(error);
		g_test_message("rewrote %s", path);
		return;
	}
	g_autofree gchar *expect = NULL;
	gsize len = 0;
	g_file_get_contents(path, &expect, &len, &error);
	g_assert_no_error(error);
	if (g_strcmp0(expect, out->str) != 0)
		g_test_message("%s differs; got:\n%s", path, out->str);
	g_assert_cmpstr(out->str, ==, expect);
}

static void
test_json_structure(void)
{
	g_autoptr(HullReport) r = hull_report_sample_new(FALSE);
	g_autoptr(GString) j = render(r, "json");
	g_autoptr(JsonNode) node = parse_json(j);
	JsonObject *root = json_node_get_object(node);
	g_assert_cmpint(json_object_get_int_member(root, "schema_version"), ==, 1);
	JsonObject *target = json_object_get_object_member(root, "target");
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(target, "os"), "id"), ==, "debian");
	JsonArray *plugins = json_object_get_array_member(root, "plugins");
	g_assert_cmpuint(json_array_get_length(plugins), ==, r->plugins->len);
	for (guint i = 0; i < json_array_get_length(plugins); i++) {
		JsonObject *p = json_array_get_object_element(plugins, i);
		gboolean ok = g_strcmp0(json_object_get_string_member(p, "status"), "ok") == 0;
		g_assert_cmpint(json_object_has_member(p, "error"), ==, !ok);
	}
	JsonArray *findings = json_object_get_array_member(root, "findings");
	g_assert_cmpuint(json_array_get_length(findings), ==, r->findings->len);
	gboolean saw_null = FALSE, saw_deleted = FALSE, saw_object = FALSE;
	for (guint i = 0; i < json_array_get_length(findings); i++) {
		JsonObject *f = json_array_get_object_element(findings, i);
		const HullFinding *hf = g_ptr_array_index(r->findings, i);
		g_assert_cmpstr(json_object_get_string_member(f, "rule_id"), ==, hf->rule_id);
		g_assert_cmpstr(json_object_get_string_member(f, "fingerprint"), ==, hf->fingerprint);
		JsonObject *loc = json_object_get_object_member(f, "location");
		g_assert_cmpint(json_object_has_member(loc, "column"), ==, hf->column > 0);
		g_assert_cmpint(json_object_has_member(loc, "line"), ==, hf->line > 0);
		g_assert_cmpint(json_object_has_member(loc, "path"), ==, hf->path != NULL);
		g_assert_false(json_object_has_member(f, "evidence") && hf->evidence == NULL);
		if (json_object_has_member(loc, "layer")) {
			JsonObject *layer = json_object_get_object_member(loc, "layer");
			g_assert_cmpint(json_object_get_int_member(layer, "index"), ==, hf->layer);
			g_assert_true(g_str_has_prefix(json_object_get_string_member(layer, "digest"), "sha256:"));
		}
		if (json_object_has_member(loc, "deleted_in")) {
			saw_deleted = TRUE;
			g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(loc, "deleted_in"),
			                                              "created_by"), ==, "COPY . /app");
		}
		saw_object |= json_object_has_member(loc, "object");
		if (json_object_has_member(f, "fixed_version") && json_object_get_null_member(f, "fixed_version"))
			saw_null = TRUE;
	}
	g_assert_true(saw_null);
	g_assert_true(saw_deleted);
	/* An extra field named like a schema member does not replace it. */
	hull_finding_set_field(g_ptr_array_index(r->findings, 0), "severity", "NONE");
	g_autoptr(GString) j2 = render(r, "json");
	g_autoptr(JsonNode) node2 = parse_json(j2);
	JsonObject *f0 = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(node2), "findings"), 0);
	g_assert_cmpstr(json_object_get_string_member(f0, "severity"), ==, "CRITICAL");
	g_assert_true(saw_object);
	JsonArray *packages = json_object_get_array_member(root, "packages");
	g_assert_cmpuint(json_array_get_length(packages), ==, 3);
	JsonObject *p0 = json_array_get_object_element(packages, 0);
	g_assert_true(json_object_has_member(p0, "purl"));
	JsonObject *p1 = json_array_get_object_element(packages, 1);
	g_assert_false(json_object_has_member(p1, "purl"));
	g_assert_false(json_object_has_member(p1, "source_version"));
	g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(p1, "layer"), "index"), ==, 0);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(root, "notes")), ==, 1);
}

/* What every JSON output must be from hostile strings: valid UTF-8 that parses, holding
 * U+FFFD where the bytes were bad. */
static void
test_hostile_json(gconstpointer data)
{
	const char *format = data;
	g_autoptr(HullReport) r = hull_report_sample_new(TRUE);
	g_autoptr(GString) out = render(r, format);
	g_autoptr(JsonNode) node = parse_json(out);
	g_assert_nonnull(strstr(out->str, "\xef\xbf\xbd"));
	/* No raw control character survives (JSON escapes them). */
	for (gsize i = 0; i < out->len; i++)
		g_assert_true((guchar)out->str[i] >= 0x20 || out->str[i] == '\n');
}

/* C1 controls and bidi overrides never reach a terminal raw, in any format; the JSON formats
 * keep them as \u escapes, so the value a JSON reader sees is unchanged. */
static void
test_unsafe_unicode(gconstpointer data)
{
	const char *format = data;
	const char *rlo = "\xe2\x80\xae", *csi = "\xc2\x9b", *lri = "\xe2\x81\xa6";
	g_autoptr(HullReport) r = hull_report_sample_new(FALSE);
	HullFinding *f = g_ptr_array_index(r->findings, 0);
	g_free(f->message);
	f->message = g_strdup_printf("look %sexe.jpg%s31m %sx", rlo, csi, lri);
	g_free(f->path);
	f->path = g_strdup_printf("/app/%sgpj.exe", rlo);
	g_ptr_array_add(r->notes, g_strdup_printf("note %s%s", csi, rlo));
	g_autoptr(GString) out = render(r, format);
	g_assert_null(strstr(out->str, rlo));
	g_assert_null(strstr(out->str, csi));
	g_assert_null(strstr(out->str, lri));
	if (g_strcmp0(format, "junit") == 0 || g_strcmp0(format, "table") == 0)
		return;
	g_autoptr(JsonNode) node = parse_json(out);
	g_autofree gchar *again = json_to_string(node, FALSE);
	if (g_strcmp0(format, "json") == 0 || g_strcmp0(format, "sarif") == 0)
		g_assert_nonnull(strstr(again, rlo));
}

/* What the report holds beside findings is masked by hull_report_mask(): a credential in a
 * layer's created_by, a note or a plugin's error is not printed whole in any format. */
static void
test_report_mask(gconstpointer data)
{
	const char *format = data;
	g_autoptr(HullReport) r = hull_report_sample_new(FALSE);
	HullReportLayer *l = g_ptr_array_index(r->layers, 0);
	g_free(l->created_by);
	l->created_by = g_strdup("RUN curl -u ops:Zq8xVb3Kw9Lm https://example.com/x");
	g_ptr_array_add(r->notes, g_strdup("note: postgres://app:Zq8xVb3Kw9Lm@db/app unreachable"));
	HullFinding *f = g_ptr_array_index(r->findings, 0);
	f->layer = 0;
	hull_report_mask(r);
	g_autoptr(GString) out = render(r, format);
	g_assert_null(strstr(out->str, "Kw9Lm"));
	g_assert_nonnull(strstr(l->created_by, "Zq8x" HULL_MASK_REDACTED));
}

static void
markup_nop(GMarkupParseContext *c, const gchar *n, const gchar **an, const gchar **av, gpointer u, GError **e)
{
}

static void
test_hostile_junit(void)
{
	g_autoptr(HullReport) r = hull_report_sample_new(TRUE);
	g_autoptr(GString) out = render(r, "junit");
	g_assert_true(g_utf8_validate(out->str, (gssize)out->len, NULL));
	for (gsize i = 0; i < out->len; i++) {
		guchar c = (guchar)out->str[i];
		g_assert_true(c >= 0x20 || c == '\n' || c == '\t');
	}
	g_assert_null(strstr(out->str, "<b>"));
	g_assert_nonnull(strstr(out->str, "&lt;b&gt;&amp;amp;"));
	GMarkupParser parser = {markup_nop, NULL, NULL, NULL, NULL};
	g_autoptr(GMarkupParseContext) ctx = g_markup_parse_context_new(&parser, 0, NULL, NULL);
	g_autoptr(GError) error = NULL;
	/* GMarkup does not take the XML declaration: skip it. */
	const char *body = strstr(out->str, "<testsuites");
	g_assert_nonnull(body);
	g_markup_parse_context_parse(ctx, body, -1, &error);
	g_assert_no_error(error);
	g_markup_parse_context_end_parse(ctx, &error);
	g_assert_no_error(error);
}

static guint
count_str(const char *hay, const char *needle)
{
	guint n = 0;
	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void
test_junit_suites(void)
{
	g_autoptr(HullReport) r = hull_report_sample_new(FALSE);
	g_autoptr(GString) x = render(r, "junit");
	/* five loaded plugins plus "kubernetes", known only from a finding */
	g_assert_cmpuint(count_str(x->str, "<testsuite "), ==, r->plugins->len + 1);
	g_assert_cmpuint(count_str(x->str, "<failure "), ==, r->findings->len);
	g_assert_cmpuint(count_str(x->str, "<error "), ==, 1);
	g_assert_nonnull(strstr(x->str, "name=\"hullscan.network-ports\" tests=\"1\" failures=\"0\""));
	g_assert_cmpuint(count_str(x->str, "name=\"no findings\""), ==, 1);
	/* A plugin that ran clean but loses its findings turns into a passing case. */
	for (guint i = r->findings->len; i-- > 0;) {
		if (g_strcmp0(((HullFinding *)g_ptr_array_index(r->findings, i))->plugin, "dockerfile") == 0)
			g_ptr_array_remove_index(r->findings, i);
	}
	g_autoptr(GString) y = render(r, "junit");
	g_assert_cmpuint(count_str(y->str, "name=\"no findings\""), ==, 2);
}

static void
test_hostile_table(void)
{
	g_autoptr(HullReport) r = hull_report_sample_new(TRUE);
	g_autoptr(GString) plain = render(r, "table");
	g_assert_true(g_utf8_validate(plain->str, (gssize)plain->len, NULL));
	g_assert_null(strchr(plain->str, '\033'));
	g_assert_null(strchr(plain->str, '\007'));
	r->color = TRUE;
	g_autoptr(GString) color = render(r, "table");
	g_assert_true(g_utf8_validate(color->str, (gssize)color->len, NULL));
	/* Every escape is one of ours: CSI digits/semicolons 'm'. */
	guint n_esc = 0;
	for (const char *p = strchr(color->str, '\033'); p != NULL; p = strchr(p + 1, '\033')) {
		n_esc++;
		g_assert_cmpint(p[1], ==, '[');
		const char *q = p + 2;
		while (g_ascii_isdigit(*q) || *q == ';')
			q++;
		g_assert_cmpint(*q, ==, 'm');
	}
	g_assert_cmpuint(n_esc, >, 0);
}

static void
test_table_width(void)
{
	g_autoptr(HullReport) r = hull_report_sample_new(FALSE);
	HullFinding *f = hull_finding_new_raw("secrets", "SEC-LONG");
	hull_finding_set_severity(f, HULL_SEVERITY_LOW);
	g_autofree gchar *longpath = g_strnfill(300, 'p');
	g_autofree gchar *path = g_strconcat("/", longpath, NULL);
	hull_finding_set_path(f, path);
	g_autofree gchar *word = g_strnfill(20, 'w');
	GString *msg = g_string_new(NULL);
	for (guint i = 0; i < 40; i++)
		g_string_append_printf(msg, "%s é ", word);
	hull_finding_set_message(f, "%s", msg->str);
	g_string_free(msg, TRUE);
	g_ptr_array_add(r->findings, f);
	hull_report_update_summary(r);
	g_autoptr(GString) t = render(r, "table");
	g_auto(GStrv) lines = g_strsplit(t->str, "\n", -1);
	guint n = 0;
	for (guint i = 0; lines[i] != NULL; i++, n++)
		g_assert_cmpint(g_utf8_strlen(lines[i], -1), <=, 100);
	g_assert_cmpuint(n, >, 20);
	/* Nothing was lost in wrapping: all 300 p's are there. */
	guint ps = 0;
	for (const char *p = t->str + 1; *p; p++)
		ps += *p == 'p' && (p[1] == 'p' || p[-1] == 'p');
	g_assert_cmpuint(ps, >=, 300);
}

static void
test_empty(void)
{
	g_autoptr(HullReport) r = hull_report_new();
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_autoptr(GString) out = render(r, formats[i]);
		g_assert_cmpuint(out->len, >, 0);
		if (g_str_has_suffix(extensions[i], "json") || g_strcmp0(extensions[i], "sarif") == 0) {
			g_autoptr(JsonNode) n = parse_json(out);
			g_assert_true(JSON_NODE_HOLDS_OBJECT(n));
		}
	}
	g_autoptr(GString) t = render(r, "table");
	g_assert_true(g_str_has_suffix(t->str, "\n0 findings: 0 CRITICAL, 0 HIGH, 0 MEDIUM, 0 LOW, 0 UNKNOWN\n"));
	g_autoptr(GString) j = render(r, "junit");
	g_assert_nonnull(strstr(j->str, "tests=\"0\" failures=\"0\""));
}

static void
test_sarif_rules(void)
{
	g_autoptr(HullReport) r = hull_report_sample_new(FALSE);
	g_autoptr(GString) s = render(r, "sarif");
	g_autoptr(JsonNode) node = parse_json(s);
	JsonObject *run = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(node), "runs"), 0);
	JsonObject *driver = json_object_get_object_member(json_object_get_object_member(run, "tool"), "driver");
	JsonArray *rules = json_object_get_array_member(driver, "rules");
	JsonArray *results = json_object_get_array_member(run, "results");
	g_assert_cmpuint(json_array_get_length(results), ==, r->findings->len);
	for (guint i = 0; i < json_array_get_length(results); i++) {
		JsonObject *res = json_array_get_object_element(results, i);
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		gint64 idx = json_object_get_int_member(res, "ruleIndex");
		g_assert_cmpint(idx, <, json_array_get_length(rules));
		JsonObject *rule = json_array_get_object_element(rules, (guint)idx);
		g_assert_cmpstr(json_object_get_string_member(rule, "id"), ==, f->rule_id);
		const char *level = json_object_get_string_member(res, "level");
		const char *want = f->severity >= HULL_SEVERITY_HIGH ? "error" :
		                   f->severity == HULL_SEVERITY_MEDIUM ? "warning" : "note";
		g_assert_cmpstr(level, ==, want);
		JsonObject *fp = json_object_get_object_member(res, "partialFingerprints");
		g_assert_cmpstr(json_object_get_string_member(fp, "hullscan/v1"), ==, f->fingerprint);
		if (f->path != NULL) {
			JsonObject *loc = json_array_get_object_element(json_object_get_array_member(res, "locations"), 0);
			JsonObject *art = json_object_get_object_member(json_object_get_object_member(loc, "physicalLocation"),
			                                                "artifactLocation");
			const char *uri = json_object_get_string_member(art, "uri");
			g_assert_cmpint(uri[0], !=, '/');
			g_assert_cmpstr(uri, ==, f->path + 1);
		}
	}
	/* The declared rule with an alias carries it as a tag; the advisory got a rule. */
	gboolean saw_tag = FALSE, saw_cve = FALSE;
	for (guint i = 0; i < json_array_get_length(rules); i++) {
		JsonObject *rule = json_array_get_object_element(rules, i);
		if (g_strcmp0(json_object_get_string_member(rule, "id"), "CVE-2023-5678") == 0)
			saw_cve = TRUE;
		JsonArray *tags = json_object_get_array_member(json_object_get_object_member(rule, "properties"), "tags");
		for (guint k = 0; k < json_array_get_length(tags); k++)
			saw_tag |= g_strcmp0(json_array_get_string_element(tags, k), "DL3002") == 0;
		const char *md = json_object_get_string_member(json_object_get_object_member(rule, "help"), "markdown");
		if (g_strcmp0(json_object_get_string_member(rule, "id"), "DF-0002") == 0) {
			g_assert_nonnull(strstr(md, "Add a USER instruction"));
			g_assert_nonnull(strstr(md, "https://docs.docker.com/"));
		}
	}
	g_assert_true(saw_tag);
	g_assert_true(saw_cve);
}

static void
test_sarif_uri_escape(void)
{
	g_autoptr(HullReport) r = hull_report_sample_new(TRUE);
	g_autoptr(GString) s = render(r, "sarif");
	/* The hostile path's bytes are percent-encoded, not replaced. */
	g_assert_nonnull(strstr(s->str, "app/%E2%82%20bad%1B%5B2J.env"));
}

static const char *
find_member_value(JsonArray *a, const char *key, const char *value, const char *want)
{
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		if (g_strcmp0(json_object_get_string_member_with_default(o, key, NULL), value) == 0)
			return json_object_get_string_member_with_default(o, want, NULL);
	}
	return NULL;
}

static void
test_cyclonedx(void)
{
	g_autoptr(HullReport) r = hull_report_sample_new(FALSE);
	g_autoptr(GString) s = render(r, "cyclonedx");
	g_autoptr(JsonNode) node = parse_json(s);
	JsonObject *root = json_node_get_object(node);
	g_assert_cmpstr(json_object_get_string_member(root, "specVersion"), ==, "1.5");
	const char *serial = json_object_get_string_member(root, "serialNumber");
	g_assert_true(g_regex_match_simple("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
	                                   serial, 0, 0));
	JsonArray *comps = json_object_get_array_member(root, "components");
	g_assert_cmpuint(json_array_get_length(comps), ==, 3);
	/* An epoch's ':' and a '~' per the purl spec; a given purl kept as is. */
	g_assert_cmpstr(find_member_value(comps, "name", "zlib1g", "purl"), ==,
	                "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12");
	g_assert_cmpstr(find_member_value(comps, "name", "openssl", "purl"), ==,
	                "pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64&distro=debian-12");
	g_assert_cmpstr(find_member_value(comps, "name", "libc6", "bom-ref"), ==,
	                "pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64&distro=debian-12");
	JsonArray *vulns = json_object_get_array_member(root, "vulnerabilities");
	g_assert_cmpuint(json_array_get_length(vulns), ==, 2);
	for (guint i = 0; i < json_array_get_length(vulns); i++) {
		JsonObject *v = json_array_get_object_element(vulns, i);
		JsonArray *affects = json_object_get_array_member(v, "affects");
		const char *ref = json_object_get_string_member(json_array_get_object_element(affects, 0), "ref");
		g_assert_nonnull(find_member_value(comps, "bom-ref", ref, "name"));
	}
	g_assert_cmpstr(find_member_value(vulns, "id", "CVE-2023-5678", "recommendation"), ==,
	                "Upgrade openssl to 3.0.13-1~deb12u1 or later.");

	/* The serial number follows the content. */
	g_autofree gchar *first = g_strdup(serial);
	hull_fact_set(g_ptr_array_index(r->packages, 1), "version", "3.0.13-1~deb12u1");
	g_autoptr(GString) s2 = render(r, "cyclonedx");
	g_autoptr(JsonNode) node2 = parse_json(s2);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node2), "serialNumber"), !=, first);
}

static void
test_purl_types(void)
{
	g_autoptr(HullReport) r = hull_report_new();
	r->os_id = g_strdup("alpine");
	r->os_version = g_strdup("3.19.1");
	g_autoptr(HullFact) apk = hull_fact_new("package");
	hull_fact_set(apk, "name", "musl");
	hull_fact_set(apk, "version", "1.2.4_git20230717-r4");
	hull_fact_set(apk, "type", "apk");
	hull_fact_set(apk, "arch", "x86_64");
	g_autofree gchar *p1 = hull_report_package_purl(r, apk);
	g_assert_cmpstr(p1, ==, "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1");
	g_free(r->os_id);
	r->os_id = g_strdup("RHEL");
	g_free(r->os_version);
	r->os_version = NULL;
	g_autoptr(HullFact) rpm = hull_fact_new("package");
	hull_fact_set(rpm, "name", "c++ lib/x");
	hull_fact_set(rpm, "version", "1:2.0");
	hull_fact_set(rpm, "type", "rpm");
	g_autofree gchar *p2 = hull_report_package_purl(r, rpm);
	g_assert_cmpstr(p2, ==, "pkg:rpm/rhel/c%2B%2B%20lib%2Fx@1%3A2.0");
	g_autoptr(HullFact) nameless = hull_fact_new("package");
	g_assert_null(hull_report_package_purl(r, nameless));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report/lookup", test_lookup);
	g_test_add_func("/report/model", test_model);
	g_test_add_func("/report/summary", test_summary);
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_autofree gchar *name = g_strdup_printf("/report/golden/%s", formats[i]);
		g_test_add_data_func(name, GUINT_TO_POINTER(i), test_golden);
	}
	g_test_add_func("/report/json/structure", test_json_structure);
	g_test_add_data_func("/report/hostile/json", "json", test_hostile_json);
	g_test_add_data_func("/report/hostile/sarif", "sarif", test_hostile_json);
	g_test_add_data_func("/report/hostile/cyclonedx", "cyclonedx", test_hostile_json);
	g_test_add_func("/report/hostile/junit", test_hostile_junit);
	g_test_add_func("/report/hostile/table", test_hostile_table);
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_autofree gchar *n1 = g_strdup_printf("/report/hostile/unicode/%s", formats[i]);
		g_test_add_data_func(n1, formats[i], test_unsafe_unicode);
		g_autofree gchar *n2 = g_strdup_printf("/report/mask/%s", formats[i]);
		g_test_add_data_func(n2, formats[i], test_report_mask);
	}
	g_test_add_func("/report/junit/suites", test_junit_suites);
	g_test_add_func("/report/table/width", test_table_width);
	g_test_add_func("/report/empty", test_empty);
	g_test_add_func("/report/sarif/rules", test_sarif_rules);
	g_test_add_func("/report/sarif/uri-escape", test_sarif_uri_escape);
	g_test_add_func("/report/cyclonedx/structure", test_cyclonedx);
	g_test_add_func("/report/cyclonedx/purl", test_purl_types);
	return g_test_run();
}
