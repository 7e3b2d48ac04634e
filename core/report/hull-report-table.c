/* hull-report-table.c: the human report. Findings grouped by severity (CRITICAL first),
 * two lines each so it stays readable in 100 columns; packages are only counted (use json
 * or cyclonedx for the inventory); the summary line comes last so `tail -1` gives it.
 * Everything printed from the image is stripped of control characters first: a file name
 * holding an escape sequence must not repaint the user's terminal. */
#include <string.h>
#include "hull-report-text.h"

#define HULL_TABLE_WIDTH 100
#define HULL_TABLE_INDENT "      "

static const char *
hull_table_color(HullSeverity s)
{
	switch (s) {
	case HULL_SEVERITY_CRITICAL:
		return "\033[1;31m";
	case HULL_SEVERITY_HIGH:
		return "\033[31m";
	case HULL_SEVERITY_MEDIUM:
		return "\033[33m";
	case HULL_SEVERITY_LOW:
		return "\033[36m";
	default:
		return "\033[2m";
	}
}

/* Appends @text wrapped at the table width, each line starting with @indent. Words longer
 * than a line (paths, hashes) are cut, never left to overflow. */
static void
hull_table_wrap(GString *out, const char *indent, const char *text)
{
	const glong width = HULL_TABLE_WIDTH - (glong)strlen(indent);
	g_auto(GStrv) words = g_strsplit_set(text, " \t\n", -1);
	glong col = 0;
	gboolean any = FALSE;
	for (guint i = 0; words[i] != NULL; i++) {
		const char *w = words[i];
		if (*w == '\0')
			continue;
		glong wl = g_utf8_strlen(w, -1);
		if (col > 0 && col + 1 + wl > width) {
			g_string_append_c(out, '\n');
			col = 0;
		}
		while (wl > width) {
			if (col == 0)
				g_string_append(out, indent);
			const char *cut = g_utf8_offset_to_pointer(w, width - col);
			g_string_append_len(out, w, cut - w);
			g_string_append_c(out, '\n');
			col = 0;
			wl -= g_utf8_pointer_to_offset(w, cut);
			w = cut;
		}
		if (col == 0)
			g_string_append(out, indent);
		else
			g_string_append_c(out, ' ');
		g_string_append(out, w);
		col += (col > 0 ? 1 : 0) + wl;
		any = TRUE;
	}
	if (any && col > 0)
		g_string_append_c(out, '\n');
}

static void
hull_table_finding(GString *out, HullReport *r, const HullFinding *f)
{
	g_autofree gchar *rule = hull_report_text_clean(f->rule_id, HULL_TEXT_ONE_LINE | HULL_TEXT_NO_CONTROLS);
	g_autofree gchar *where_raw = hull_report_finding_where(f);
	g_autofree gchar *where = hull_report_text_clean(where_raw, HULL_TEXT_ONE_LINE | HULL_TEXT_NO_CONTROLS);
	GString *head = g_string_new(NULL);
	g_string_append_printf(head, "%s", rule);
	if (where != NULL)
		g_string_append_printf(head, "  %s", where);
	if (f->path != NULL && f->object != NULL) {
		g_autofree gchar *obj = hull_report_text_clean(f->object, HULL_TEXT_ONE_LINE | HULL_TEXT_NO_CONTROLS);
		g_string_append_printf(head, " (%s)", obj);
	}
	if (f->layer >= 0) {
		const HullReportLayer *l = hull_report_get_layer(r, f->layer);
		g_string_append_printf(head, "  [layer %d", f->layer);
		if (l != NULL && l->digest != NULL) {
			g_autofree gchar *d = hull_report_text_clean(l->digest, HULL_TEXT_ONE_LINE | HULL_TEXT_NO_CONTROLS);
			const char *hex = strchr(d, ':') != NULL ? strchr(d, ':') + 1 : d;
			g_string_append_printf(head, " %.12s", hex);
		}
		g_string_append_c(head, ']');
	}
	if (f->deleted_in >= 0)
		g_string_append_printf(head, " (deleted in layer %d)", f->deleted_in);
	hull_table_wrap(out, "  ", head->str);
	g_string_free(head, TRUE);

	const char *title = f->title != NULL ? f->title : f->rule_id;
	g_autofree gchar *text = NULL;
	if (f->message != NULL && g_strcmp0(f->message, title) != 0)
		text = g_strdup_printf("%s: %s", title, f->message);
	else
		text = g_strdup(title);
	g_autofree gchar *clean = hull_report_text_clean(text, HULL_TEXT_ONE_LINE | HULL_TEXT_NO_CONTROLS);
	hull_table_wrap(out, HULL_TABLE_INDENT, clean);
}

void
hull_report_write_table(HullReport *r, GString *out)
{
	g_return_if_fail(r != NULL && out != NULL);
	const char *reset = r->color ? "\033[0m" : "";

	g_autofree gchar *input = hull_report_text_clean(r->input != NULL ? r->input : "-",
	                                                 HULL_TEXT_ONE_LINE | HULL_TEXT_NO_CONTROLS);
	GString *head = g_string_new(NULL);
	g_string_append_printf(head, "hullscan%s%s: %s (%s", r->tool_version != NULL ? " " : "",
	                       r->tool_version != NULL ? r->tool_version : "", input, r->target_type != NULL ? r->target_type : "unknown");
	if (r->os_id != NULL) {
		g_autofree gchar *os = g_strdup_printf("%s %s", r->os_id, r->os_version != NULL ? r->os_version : "");
		g_autofree gchar *clean = hull_report_text_clean(g_strstrip(os), HULL_TEXT_ONE_LINE | HULL_TEXT_NO_CONTROLS);
		g_string_append_printf(head, ", %s", clean);
	}
	g_string_append(head, ")");
	hull_table_wrap(out, "", head->str);
	g_string_free(head, TRUE);

	for (guint i = 0; i < r->plugins->len; i++) {
		const HullReportPlugin *p = g_ptr_array_index(r->plugins, i);
		if (g_strcmp0(p->status, "ok") == 0)
			continue;
		g_autofree gchar *line = g_strdup_printf("plugin %s %s: %s", p->name, p->status != NULL ? p->status : "failed",
		                                         p->error != NULL ? p->error : "no reason given");
		g_autofree gchar *clean = hull_report_text_clean(line, HULL_TEXT_ONE_LINE | HULL_TEXT_NO_CONTROLS);
		hull_table_wrap(out, "! ", clean);
	}

	for (int s = HULL_SEVERITY_LAST; s >= 0; s--) {
		guint n = 0;
		for (guint i = 0; i < r->findings->len; i++) {
			const HullFinding *f = g_ptr_array_index(r->findings, i);
			if ((int)f->severity == s)
				n++;
		}
		if (n == 0)
			continue;
		g_string_append_printf(out, "\n%s%s (%u)%s\n", r->color ? hull_table_color((HullSeverity)s) : "",
		                       hull_severity_to_string((HullSeverity)s), n, reset);
		for (guint i = 0; i < r->findings->len; i++) {
			const HullFinding *f = g_ptr_array_index(r->findings, i);
			if ((int)f->severity == s)
				hull_table_finding(out, r, f);
		}
	}

	g_string_append_c(out, '\n');
	if (r->packages->len > 0)
		g_string_append_printf(out, "%u packages (listed by --format json or cyclonedx)\n", r->packages->len);
	for (guint i = 0; i < r->notes->len; i++) {
		g_autofree gchar *clean = hull_report_text_clean(g_ptr_array_index(r->notes, i),
		                                                 HULL_TEXT_ONE_LINE | HULL_TEXT_NO_CONTROLS);
		g_autofree gchar *line = g_strdup_printf("note: %s", clean);
		hull_table_wrap(out, "", line);
	}
	guint total = 0;
	for (guint s = 0; s <= HULL_SEVERITY_LAST; s++)
		total += r->summary[s];
	g_string_append_printf(out, "%u finding%s: ", total, total == 1 ? "" : "s");
	for (int s = HULL_SEVERITY_LAST; s >= 0; s--) {
		gboolean hot = r->color && r->summary[s] > 0;
		g_string_append_printf(out, "%s%u %s%s%s", hot ? hull_table_color((HullSeverity)s) : "", r->summary[s],
		                       hull_severity_to_string((HullSeverity)s), hot ? reset : "", s > 0 ? ", " : "\n");
	}
}
