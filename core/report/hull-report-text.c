/* hull-report-text.c: string hygiene and small derivations (purls, one-line locations)
 * that several reporters share, so each format cleans hostile text the same way. */
#include <string.h>
#include "hull-report-text.h"
#include "hull-mask.h"
#include "hull-text.h"

gchar *
hull_report_text_clean(const char *s, HullTextFlags flags)
{
	if (s == NULL)
		return NULL;
	gchar *valid = g_utf8_make_valid(s, -1);
	if (flags == HULL_TEXT_UTF8)
		return valid;
	GString *out = g_string_sized_new(strlen(valid));
	for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if ((c == '\t' || c == '\n' || c == '\r') && (flags & HULL_TEXT_ONE_LINE))
			g_string_append_c(out, ' ');
		else if (c == '\t' || c == '\n')
			g_string_append_unichar(out, c);
		else if (hull_text_char_is_unsafe(c))
			g_string_append_unichar(out, 0xfffd);
		else
			g_string_append_unichar(out, c);
	}
	g_free(valid);
	return g_string_free(out, FALSE);
}

const char *
hull_report_fact_get(const HullFact *fact, const char *key)
{
	for (guint i = 0; i < fact->keys->len; i++) {
		if (g_strcmp0(g_ptr_array_index(fact->keys, i), key) == 0)
			return g_ptr_array_index(fact->values, i);
	}
	return NULL;
}

/* purl spec: everything but ALPHA DIGIT . - _ ~ is percent-encoded in name, version and
 * qualifier values (so a Debian epoch "1:2.3" becomes "1%3A2.3"). */
static void
hull_purl_append(GString *out, const char *s)
{
	for (const guchar *p = (const guchar *)s; *p != '\0'; p++) {
		if (g_ascii_isalnum(*p) || *p == '.' || *p == '-' || *p == '_' || *p == '~')
			g_string_append_c(out, (char)*p);
		else
			g_string_append_printf(out, "%%%02X", *p);
	}
}

gchar *
hull_report_package_purl(const HullReport *report, const HullFact *package)
{
	const char *given = hull_report_fact_get(package, "purl");
	if (given != NULL && g_str_has_prefix(given, "pkg:") && g_utf8_validate(given, -1, NULL))
		return g_strdup(given);
	const char *name = hull_report_fact_get(package, "name");
	const char *version = hull_report_fact_get(package, "version");
	const char *type = hull_report_fact_get(package, "type");
	const char *arch = hull_report_fact_get(package, "arch");
	if (name == NULL || *name == '\0')
		return NULL;
	g_autofree gchar *os = g_ascii_strdown(report->os_id != NULL ? report->os_id : "", -1);
	const char *ptype = "generic";
	const char *ns = NULL;
	if (g_strcmp0(type, "deb") == 0) {
		ptype = "deb";
		ns = *os != '\0' ? os : "debian";
	} else if (g_strcmp0(type, "apk") == 0) {
		ptype = "apk";
		ns = *os != '\0' ? os : "alpine";
	} else if (g_strcmp0(type, "rpm") == 0) {
		ptype = "rpm";
		ns = *os != '\0' ? os : NULL;
	}
	GString *p = g_string_new("pkg:");
	g_string_append(p, ptype);
	g_string_append_c(p, '/');
	if (ns != NULL) {
		hull_purl_append(p, ns);
		g_string_append_c(p, '/');
	}
	hull_purl_append(p, name);
	if (version != NULL && *version != '\0') {
		g_string_append_c(p, '@');
		hull_purl_append(p, version);
	}
	/* Qualifiers sorted by key, as the spec's canonical form wants. */
	gboolean first = TRUE;
	if (arch != NULL && *arch != '\0') {
		g_string_append(p, "?arch=");
		hull_purl_append(p, arch);
		first = FALSE;
	}
	if (ns != NULL && *os != '\0' && report->os_version != NULL && g_strcmp0(ptype, "generic") != 0) {
		g_string_append(p, first ? "?distro=" : "&distro=");
		g_autofree gchar *distro = g_strconcat(os, "-", report->os_version, NULL);
		hull_purl_append(p, distro);
	}
	return g_string_free(p, FALSE);
}

gchar *
hull_report_finding_where(const HullFinding *f)
{
	if (f->path != NULL && f->line > 0)
		return g_strdup_printf("%s:%u", f->path, f->line);
	if (f->path != NULL)
		return g_strdup(f->path);
	if (f->object != NULL)
		return g_strdup(f->object);
	return NULL;
}

void
hull_json_add_str(JsonBuilder *b, const char *key, const char *value)
{
	if (value == NULL)
		return;
	g_autofree gchar *clean = hull_report_text_clean(value, HULL_TEXT_UTF8);
	json_builder_set_member_name(b, key);
	json_builder_add_string_value(b, clean);
}

void
hull_json_add_str_or_null(JsonBuilder *b, const char *key, const char *value)
{
	g_autofree gchar *clean_key = hull_report_text_clean(key, HULL_TEXT_UTF8);
	json_builder_set_member_name(b, clean_key);
	if (value == NULL) {
		json_builder_add_null_value(b);
		return;
	}
	g_autofree gchar *clean = hull_report_text_clean(value, HULL_TEXT_UTF8);
	json_builder_add_string_value(b, clean);
}

void
hull_json_add_str_value(JsonBuilder *b, const char *value)
{
	g_autofree gchar *clean = hull_report_text_clean(value != NULL ? value : "", HULL_TEXT_UTF8);
	json_builder_add_string_value(b, clean);
}

void
hull_json_write(JsonBuilder *b, GString *out)
{
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	json_generator_set_pretty(gen, TRUE);
	json_generator_set_indent(gen, 2);
	json_generator_set_root(gen, root);
	gsize len = 0;
	g_autofree gchar *data = json_generator_to_data(gen, &len);
	g_autoptr(GString) text = g_string_new_len(data, (gssize)len);
	hull_text_escape_json(text);
	g_string_append_len(out, text->str, (gssize)text->len);
	g_string_append_c(out, '\n');
}

void
hull_report_mask(HullReport *report)
{
	g_return_if_fail(report != NULL);
	hull_mask_text_inplace(&report->input);
	for (guint i = 0; i < report->layers->len; i++)
		hull_mask_text_inplace(&((HullReportLayer *)g_ptr_array_index(report->layers, i))->created_by);
	for (guint i = 0; i < report->notes->len; i++)
		hull_mask_text_inplace((gchar **)&g_ptr_array_index(report->notes, i));
	for (guint i = 0; i < report->plugins->len; i++)
		hull_mask_text_inplace(&((HullReportPlugin *)g_ptr_array_index(report->plugins, i))->error);
	for (guint i = 0; i < report->findings->len; i++)
		hull_finding_mask(g_ptr_array_index(report->findings, i));
}
