/* hull-finding.c: findings as plugins build them. A finding starts from its rule's defaults
 * so plugins only set what varies (location, message, evidence). */
#include <string.h>
#include "hull-scan-private.h"
#include "hull-mask.h"

static GPtrArray *
hull_strv_to_array(const char *const *strv)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
		g_ptr_array_add(a, g_strdup(strv[i]));
	return a;
}

HullFinding *
hull_finding_new_raw(const char *plugin, const char *rule_id)
{
	HullFinding *f = g_new0(HullFinding, 1);
	f->rule_id = g_strdup(rule_id);
	f->plugin = g_strdup(plugin);
	f->layer = -1;
	f->deleted_in = -1;
	f->aliases = g_ptr_array_new_with_free_func(g_free);
	f->references = g_ptr_array_new_with_free_func(g_free);
	f->field_keys = g_ptr_array_new_with_free_func(g_free);
	f->field_values = g_ptr_array_new_with_free_func(g_free);
	return f;
}

HullFinding *
hull_finding_new(HullPluginCtx *ctx, const char *rule_id)
{
	g_return_val_if_fail(ctx != NULL, NULL);
	g_return_val_if_fail(rule_id != NULL, NULL);
	HullFinding *f = hull_finding_new_raw(hull_plugin_ctx_get_name(ctx), rule_id);
	const HullRule *rule = hull_plugin_ctx_lookup_rule(ctx, rule_id);
	if (rule == NULL) {
		/* Advisory ids (CVE-…, DSA-…) are not in a rule table: the plugin sets the rest. */
		f->severity = HULL_SEVERITY_UNKNOWN;
		f->title = g_strdup(rule_id);
		return f;
	}
	f->severity = rule->severity;
	f->title = g_strdup(rule->title);
	f->remediation = g_strdup(rule->remediation);
	g_ptr_array_unref(f->aliases);
	f->aliases = hull_strv_to_array(rule->aliases);
	g_ptr_array_unref(f->references);
	f->references = hull_strv_to_array(rule->references);
	return f;
}

void
hull_finding_free(HullFinding *f)
{
	if (f == NULL)
		return;
	g_free(f->rule_id);
	g_free(f->plugin);
	g_free(f->title);
	g_free(f->message);
	g_free(f->remediation);
	g_free(f->path);
	g_free(f->object);
	g_ptr_array_unref(f->aliases);
	g_ptr_array_unref(f->references);
	g_free(f->evidence);
	g_free(f->secret_hash);
	g_free(f->fingerprint_data);
	g_free(f->fingerprint);
	g_ptr_array_unref(f->field_keys);
	g_ptr_array_unref(f->field_values);
	g_free(f);
}

#define HULL_SET_STR(field, value) \
	do { \
		gchar *tmp_ = g_strdup(value); \
		g_free(field); \
		field = tmp_; \
	} while (0)

void
hull_finding_set_severity(HullFinding *f, HullSeverity severity)
{
	g_return_if_fail(f != NULL);
	g_return_if_fail((guint)severity <= HULL_SEVERITY_LAST);
	f->severity = severity;
}

void
hull_finding_set_title(HullFinding *f, const char *title)
{
	g_return_if_fail(f != NULL);
	HULL_SET_STR(f->title, title);
}

void
hull_finding_set_message(HullFinding *f, const char *format, ...)
{
	g_return_if_fail(f != NULL && format != NULL);
	va_list ap;
	va_start(ap, format);
	gchar *msg = g_strdup_vprintf(format, ap);
	va_end(ap);
	g_free(f->message);
	f->message = msg;
}

void
hull_finding_set_remediation(HullFinding *f, const char *remediation)
{
	g_return_if_fail(f != NULL);
	HULL_SET_STR(f->remediation, remediation);
}

void
hull_finding_set_path(HullFinding *f, const char *path)
{
	g_return_if_fail(f != NULL);
	HULL_SET_STR(f->path, path);
}

void
hull_finding_set_line(HullFinding *f, guint line)
{
	g_return_if_fail(f != NULL);
	f->line = line;
}

void
hull_finding_set_column(HullFinding *f, guint column)
{
	g_return_if_fail(f != NULL);
	f->column = column;
}

void
hull_finding_set_layer(HullFinding *f, int layer_index)
{
	g_return_if_fail(f != NULL);
	f->layer = layer_index < 0 ? -1 : layer_index;
}

void
hull_finding_set_deleted_in(HullFinding *f, int layer_index)
{
	g_return_if_fail(f != NULL);
	f->deleted_in = layer_index < 0 ? -1 : layer_index;
}

void
hull_finding_set_object(HullFinding *f, const char *object)
{
	g_return_if_fail(f != NULL);
	HULL_SET_STR(f->object, object);
}

static void
hull_ptr_array_add_unique(GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++) {
		if (g_strcmp0(g_ptr_array_index(a, i), s) == 0)
			return;
	}
	g_ptr_array_add(a, g_strdup(s));
}

void
hull_finding_add_alias(HullFinding *f, const char *alias)
{
	g_return_if_fail(f != NULL && alias != NULL);
	hull_ptr_array_add_unique(f->aliases, alias);
}

void
hull_finding_add_reference(HullFinding *f, const char *url)
{
	g_return_if_fail(f != NULL && url != NULL);
	hull_ptr_array_add_unique(f->references, url);
}

void
hull_finding_set_evidence(HullFinding *f, const char *evidence)
{
	g_return_if_fail(f != NULL);
	HULL_SET_STR(f->evidence, evidence);
}

void
hull_finding_set_secret(HullFinding *f, const char *secret, gssize len)
{
	g_return_if_fail(f != NULL && secret != NULL);
	gsize n = len < 0 ? strlen(secret) : (gsize)len;
	/* Keep at most four printable ASCII characters: never a byte that could start a
	 * multi-byte sequence, so the evidence is always valid UTF-8. */
	GString *ev = g_string_new(NULL);
	for (gsize i = 0; i < n && i < 4; i++) {
		guchar c = (guchar)secret[i];
		g_string_append_c(ev, (c >= 0x20 && c < 0x7f) ? (char)c : '?');
	}
	g_string_append(ev, "…(redacted)");
	g_free(f->evidence);
	f->evidence = g_string_free(ev, FALSE);
	g_free(f->secret_hash);
	f->secret_hash = hull_sha256_hex(secret, n);
}

void
hull_finding_set_fingerprint_data(HullFinding *f, const char *data)
{
	g_return_if_fail(f != NULL);
	HULL_SET_STR(f->fingerprint_data, data);
}

void
hull_finding_set_field(HullFinding *f, const char *key, const char *value)
{
	g_return_if_fail(f != NULL && key != NULL);
	for (guint i = 0; i < f->field_keys->len; i++) {
		if (g_strcmp0(g_ptr_array_index(f->field_keys, i), key) == 0) {
			g_free(g_ptr_array_index(f->field_values, i));
			g_ptr_array_index(f->field_values, i) = g_strdup(value);
			return;
		}
	}
	g_ptr_array_add(f->field_keys, g_strdup(key));
	g_ptr_array_add(f->field_values, g_strdup(value));
}

const char *
hull_finding_get_rule_id(const HullFinding *f)
{
	g_return_val_if_fail(f != NULL, NULL);
	return f->rule_id;
}

HullSeverity
hull_finding_get_severity(const HullFinding *f)
{
	g_return_val_if_fail(f != NULL, HULL_SEVERITY_UNKNOWN);
	return f->severity;
}

void
hull_finding_compute_fingerprint(HullFinding *f)
{
	/* Rule, place and what was found; not the line for secrets (a secret moving down a
	 * file is the same secret), but the line otherwise (two identical Dockerfile mistakes
	 * in one file are two findings). */
	g_autoptr(GString) s = g_string_new(NULL);
	g_string_append_printf(s, "%s%c%s%c%s%c", f->rule_id, 0, f->path ? f->path : "", 0,
	                       f->object ? f->object : "", 0);
	if (f->secret_hash != NULL)
		g_string_append(s, f->secret_hash);
	else if (f->fingerprint_data != NULL)
		g_string_append(s, f->fingerprint_data);
	else
		g_string_append_printf(s, "%u%c%s", f->line, 0, f->message ? f->message : "");
	g_autofree gchar *hex = hull_sha256_hex(s->str, s->len);
	g_free(f->fingerprint);
	f->fingerprint = g_strconcat("sha256:", hex, NULL);
}

gint
hull_finding_compare(const HullFinding *a, const HullFinding *b)
{
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	gint r;
	if ((r = g_strcmp0(a->rule_id, b->rule_id)) != 0)
		return r;
	if ((r = g_strcmp0(a->path, b->path)) != 0)
		return r;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if ((r = g_strcmp0(a->object, b->object)) != 0)
		return r;
	if ((r = g_strcmp0(a->message, b->message)) != 0)
		return r;
	return g_strcmp0(a->fingerprint, b->fingerprint);
}

void
hull_finding_mask(HullFinding *f)
{
	g_return_if_fail(f != NULL);
	hull_mask_text_inplace(&f->title);
	hull_mask_text_inplace(&f->message);
	hull_mask_text_inplace(&f->remediation);
	hull_mask_text_inplace(&f->evidence);
	hull_mask_text_inplace(&f->object);
	for (guint i = 0; f->field_values != NULL && i < f->field_values->len; i++)
		hull_mask_text_inplace((gchar **)&g_ptr_array_index(f->field_values, i));
}
