/* hull-scan-cache.c: keys, dependency fingerprints and the payload format of the scan cache.
 * See hull-scan-cache.h for what a key covers and why. */
#include <string.h>
#include <sys/stat.h>
#include <json-glib/json-glib.h>
#include "hull-scan-cache.h"
#include "hull-config.h"
#include <hullscan/hull-json.h>

/* Larger dependencies (a vulnerability database) are fingerprinted by their stat identity. */
#define HULL_DEP_HASH_MAX (64u * 1024 * 1024)

HullScanResults *
hull_scan_results_new(void)
{
	HullScanResults *r = g_new0(HullScanResults, 1);
	r->findings = g_ptr_array_new_with_free_func((GDestroyNotify)hull_finding_free);
	r->packages = g_ptr_array_new_with_free_func((GDestroyNotify)hull_fact_free);
	r->notes = g_ptr_array_new_with_free_func(g_free);
	r->rules = g_ptr_array_new_with_free_func((GDestroyNotify)hull_report_rule_free);
	r->n_rules = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return r;
}

void
hull_scan_results_free(HullScanResults *r)
{
	if (r == NULL)
		return;
	/* the report builder may have taken the arrays */
	g_clear_pointer(&r->findings, g_ptr_array_unref);
	g_clear_pointer(&r->packages, g_ptr_array_unref);
	g_clear_pointer(&r->notes, g_ptr_array_unref);
	g_clear_pointer(&r->rules, g_ptr_array_unref);
	g_hash_table_unref(r->n_rules);
	g_free(r->os_id);
	g_free(r->os_version);
	g_free(r);
}

/* ---- keys ---- */

static void
hull_key_add_table(GString *s, const char *name, GHashTable *t)
{
	if (t == NULL)
		return;
	g_autoptr(GList) keys = g_list_sort(g_hash_table_get_keys(t), (GCompareFunc)g_strcmp0);
	for (GList *l = keys; l != NULL; l = l->next)
		g_string_append_printf(s, "%s %s=%d\n", name, (const char *)l->data,
		                       GPOINTER_TO_INT(g_hash_table_lookup(t, l->data)));
}

gchar *
hull_scan_cache_key(const char *content_key, GPtrArray *plugins, HullProfile *profile, GKeyFile *config,
                    gboolean include_deleted, guint64 max_image_size, gchar **why)
{
	g_return_val_if_fail(content_key != NULL && plugins != NULL, NULL);
	g_autoptr(GString) s = g_string_new("hullscan-cache 1\n");
	g_string_append_printf(s, "hullscan %s abi %d.%d\ntarget %s\n", HULL_VERSION, HULL_ABI_MAJOR, HULL_ABI_MINOR,
	                       content_key);
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *today = g_date_time_format(now, "%Y-%m-%d");
	g_string_append_printf(s, "date %s\ndeleted %d\nmax-image-size %" G_GUINT64_FORMAT "\n", today,
	                       include_deleted ? 1 : 0, max_image_size);
	if (profile != NULL) {
		hull_key_add_table(s, "severity", profile->severity);
		hull_key_add_table(s, "disabled", profile->disabled);
	}
	if (config != NULL) {
		gsize len = 0;
		g_autofree gchar *data = g_key_file_to_data(config, &len, NULL);
		g_string_append_printf(s, "config %" G_GSIZE_FORMAT "\n", len);
		g_string_append_len(s, data, (gssize)len);
	}
	if (plugins->len == 0) {
		*why = g_strdup("no plugin runs");
		return NULL;
	}
	for (guint i = 0; i < plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(plugins, i);
		if (!(p->desc->capabilities & HULL_CAP_CACHEABLE)) {
			*why = g_strdup_printf("plugin %s does not declare its results cacheable", p->name);
			return NULL;
		}
		if (p->module_sha256 == NULL) {
			*why = g_strdup_printf("plugin %s has no module file to fingerprint", p->name);
			return NULL;
		}
		const HullPluginDescriptor *d = p->desc;
		g_string_append_printf(s, "plugin %s %s sha256:%s caps %" G_GUINT64_FORMAT " flags %u max %" G_GUINT64_FORMAT "\n",
		                       p->name, d->version != NULL ? d->version : "-", p->module_sha256, d->capabilities,
		                       (guint)d->file_flags, (guint64)d->max_file_size);
	}
	return hull_sha256_hex(s->str, s->len);
}

/* ---- dependencies ---- */

/* "sha256:HEX" of a file's bytes, its stat identity when it is large, or "absent". With @cache,
 * a digest is remembered by the file's stat identity, as module digests are, so that a warm scan
 * hashes nothing. */
static gchar *
hull_dep_fingerprint(HullCache *cache, const char *path)
{
	struct stat st;
	if (path == NULL || stat(path, &st) != 0)
		return g_strdup("absent");
	if (S_ISREG(st.st_mode) && (guint64)st.st_size <= HULL_DEP_HASH_MAX) {
		g_autofree gchar *hex = cache != NULL ? hull_cache_file_sha256(cache, path) : hull_sha256_file(path);
		return hex != NULL ? g_strconcat("sha256:", hex, NULL) : g_strdup("unreadable");
	}
	return g_strdup_printf("stat:%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT
	                       ".%09ld:%" G_GINT64_FORMAT ".%09ld",
	                       (guint64)st.st_dev, (guint64)st.st_ino, (gint64)st.st_size, (gint64)st.st_mtim.tv_sec,
	                       st.st_mtim.tv_nsec, (gint64)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

/* Where a dependency is now: a data file is looked up again (a new file earlier in the data
 * path changes what the plugin would read). (transfer full) */
static gchar *
hull_dep_resolve(const char *dep)
{
	if (g_str_has_prefix(dep, "data:"))
		return hull_data_find(dep + 5);
	if (g_str_has_prefix(dep, "file:"))
		return g_strdup(dep + 5);
	return NULL;
}

gchar *
hull_scan_cache_deps(GPtrArray *plugins, HullCache *cache)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_array(b);
	for (guint i = 0; i < plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(plugins, i);
		for (guint j = 0; p->ctx != NULL && j < p->ctx->deps->len; j++) {
			const char *dep = g_ptr_array_index(p->ctx->deps, j);
			g_autofree gchar *path = hull_dep_resolve(dep);
			g_autofree gchar *fp = hull_dep_fingerprint(cache, path);
			json_builder_begin_array(b);
			json_builder_add_string_value(b, dep);
			json_builder_add_string_value(b, path != NULL ? path : "");
			json_builder_add_string_value(b, fp);
			json_builder_end_array(b);
		}
	}
	json_builder_end_array(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	return json_to_string(root, FALSE);
}

/* Element @i of @a when it is a string, else NULL (the list is read back from disk). */
static const char *
hull_json_array_str(JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element(a, i);
	return n != NULL && json_node_get_value_type(n) == G_TYPE_STRING ? json_node_get_string(n) : NULL;
}

gboolean
hull_scan_cache_deps_current(const char *deps, HullCache *cache)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	if (deps == NULL || !hull_json_load_one(parser, deps, strlen(deps), NULL))
		return FALSE;
	JsonNode *root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_ARRAY(root))
		return FALSE;
	JsonArray *a = json_node_get_array(root);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		JsonArray *e = JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
		if (e == NULL || json_array_get_length(e) != 3)
			return FALSE;
		const char *dep = hull_json_array_str(e, 0);
		const char *was_path = hull_json_array_str(e, 1);
		const char *was_fp = hull_json_array_str(e, 2);
		if (dep == NULL || was_path == NULL || was_fp == NULL)
			return FALSE;
		g_autofree gchar *path = hull_dep_resolve(dep);
		if (g_strcmp0(path != NULL ? path : "", was_path) != 0)
			return FALSE;
		g_autofree gchar *fp = hull_dep_fingerprint(cache, path);
		if (g_strcmp0(fp, was_fp) != 0)
			return FALSE;
	}
	return TRUE;
}

/* ---- payload ----
 * A GVariant: its binary form is read in place, with no parse step, which is what keeps a
 * warm scan cheap (a JSON payload of the same results took most of a warm scan's time).
 * GVariant reads untrusted bytes safely; a payload not in normal form is a miss anyway. */

#define HULL_FINDING_T "(ssumsmsmsmsuuiimsasasmsmsmsmsasams)"
#define HULL_RULE_T    "(smsumsmsmsasas)"
#define HULL_FACT_T    "(smstasams)"
#define HULL_PAYLOAD_T "(umsmsa{su}a" HULL_RULE_T "a" HULL_FINDING_T "a" HULL_FACT_T "as)"
#define HULL_PAYLOAD_FORMAT 2

/* Strings must be UTF-8 to go into a GVariant: results holding one that is not are not
 * cached (@ok turns FALSE). */
static GVariant *
hull_v_ms(const char *v, gboolean *ok)
{
	if (v != NULL && !g_utf8_validate(v, -1, NULL)) {
		*ok = FALSE;
		v = NULL;
	}
	return g_variant_new_maybe(G_VARIANT_TYPE_STRING, v != NULL ? g_variant_new_string(v) : NULL);
}

static GVariant *
hull_v_s(const char *v, gboolean *ok)
{
	if (v == NULL || !g_utf8_validate(v, -1, NULL)) {
		*ok = FALSE;
		v = "";
	}
	return g_variant_new_string(v);
}

static GVariant *
hull_v_as(GPtrArray *a, gboolean *ok)
{
	GVariantBuilder b;
	g_variant_builder_init(&b, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; a != NULL && i < a->len; i++)
		g_variant_builder_add_value(&b, hull_v_s(g_ptr_array_index(a, i), ok));
	return g_variant_builder_end(&b);
}

static GVariant *
hull_v_ams(GPtrArray *a, gboolean *ok)
{
	GVariantBuilder b;
	g_variant_builder_init(&b, G_VARIANT_TYPE("ams"));
	for (guint i = 0; a != NULL && i < a->len; i++)
		g_variant_builder_add_value(&b, hull_v_ms(g_ptr_array_index(a, i), ok));
	return g_variant_builder_end(&b);
}

static GVariant *
hull_v_finding(const HullFinding *f, gboolean *ok)
{
	GVariant *v[] = {
		hull_v_s(f->rule_id, ok),        hull_v_s(f->plugin, ok),           g_variant_new_uint32(f->severity),
		hull_v_ms(f->title, ok),         hull_v_ms(f->message, ok),         hull_v_ms(f->remediation, ok),
		hull_v_ms(f->path, ok),          g_variant_new_uint32(f->line),     g_variant_new_uint32(f->column),
		g_variant_new_int32(f->layer),   g_variant_new_int32(f->deleted_in), hull_v_ms(f->object, ok),
		hull_v_as(f->aliases, ok),       hull_v_as(f->references, ok),      hull_v_ms(f->evidence, ok),
		hull_v_ms(f->secret_hash, ok),   hull_v_ms(f->fingerprint_data, ok), hull_v_ms(f->fingerprint, ok),
		hull_v_as(f->field_keys, ok),    hull_v_ams(f->field_values, ok),
	};
	return g_variant_new_tuple(v, G_N_ELEMENTS(v));
}

static GVariant *
hull_v_rule(const HullReportRule *r, gboolean *ok)
{
	GVariant *v[] = {
		hull_v_s(r->id, ok),          hull_v_ms(r->plugin, ok),      g_variant_new_uint32(r->severity),
		hull_v_ms(r->title, ok),      hull_v_ms(r->description, ok), hull_v_ms(r->remediation, ok),
		hull_v_as(r->aliases, ok),    hull_v_as(r->references, ok),
	};
	return g_variant_new_tuple(v, G_N_ELEMENTS(v));
}

static GVariant *
hull_v_fact(const HullFact *f, gboolean *ok)
{
	GVariant *v[] = {
		hull_v_s(f->kind, ok), hull_v_ms(f->plugin, ok), g_variant_new_uint64(f->seq),
		hull_v_as(f->keys, ok), hull_v_ams(f->values, ok),
	};
	return g_variant_new_tuple(v, G_N_ELEMENTS(v));
}

GBytes *
hull_scan_results_serialize(HullScanResults *r)
{
	gboolean ok = TRUE;
	GVariantBuilder nr, rules, findings, facts;
	g_variant_builder_init(&nr, G_VARIANT_TYPE("a{su}"));
	g_autoptr(GList) names = g_list_sort(g_hash_table_get_keys(r->n_rules), (GCompareFunc)g_strcmp0);
	for (GList *l = names; l != NULL; l = l->next)
		g_variant_builder_add(&nr, "{@su}", hull_v_s(l->data, &ok), GPOINTER_TO_UINT(g_hash_table_lookup(r->n_rules, l->data)));
	g_variant_builder_init(&rules, G_VARIANT_TYPE("a" HULL_RULE_T));
	for (guint i = 0; i < r->rules->len; i++)
		g_variant_builder_add_value(&rules, hull_v_rule(g_ptr_array_index(r->rules, i), &ok));
	g_variant_builder_init(&findings, G_VARIANT_TYPE("a" HULL_FINDING_T));
	for (guint i = 0; i < r->findings->len; i++)
		g_variant_builder_add_value(&findings, hull_v_finding(g_ptr_array_index(r->findings, i), &ok));
	g_variant_builder_init(&facts, G_VARIANT_TYPE("a" HULL_FACT_T));
	for (guint i = 0; i < r->packages->len; i++)
		g_variant_builder_add_value(&facts, hull_v_fact(g_ptr_array_index(r->packages, i), &ok));
	GVariant *v[] = {
		g_variant_new_uint32(HULL_PAYLOAD_FORMAT), hull_v_ms(r->os_id, &ok), hull_v_ms(r->os_version, &ok),
		g_variant_builder_end(&nr), g_variant_builder_end(&rules), g_variant_builder_end(&findings),
		g_variant_builder_end(&facts), hull_v_as(r->notes, &ok),
	};
	g_autoptr(GVariant) top = g_variant_ref_sink(g_variant_new_tuple(v, G_N_ELEMENTS(v)));
	if (!ok)
		return NULL;
	return g_variant_get_data_as_bytes(top);
}

/* Readers: (transfer full) copies of what the variant holds. */

static gchar *
hull_r_ms(GVariant *t, gsize i)
{
	g_autoptr(GVariant) m = g_variant_get_child_value(t, i);
	g_autoptr(GVariant) s = g_variant_get_maybe(m);
	return s != NULL ? g_variant_dup_string(s, NULL) : NULL;
}

static gchar *
hull_r_s(GVariant *t, gsize i)
{
	g_autoptr(GVariant) s = g_variant_get_child_value(t, i);
	return g_variant_dup_string(s, NULL);
}

static void
hull_r_as(GVariant *t, gsize i, GPtrArray *into)
{
	g_autoptr(GVariant) a = g_variant_get_child_value(t, i);
	gsize n = g_variant_n_children(a);
	for (gsize j = 0; j < n; j++) {
		g_autoptr(GVariant) e = g_variant_get_child_value(a, j);
		if (g_variant_is_of_type(e, G_VARIANT_TYPE_MAYBE)) {
			g_autoptr(GVariant) s = g_variant_get_maybe(e);
			g_ptr_array_add(into, s != NULL ? g_variant_dup_string(s, NULL) : NULL);
		} else {
			g_ptr_array_add(into, g_variant_dup_string(e, NULL));
		}
	}
}

static guint32
hull_r_u(GVariant *t, gsize i)
{
	g_autoptr(GVariant) u = g_variant_get_child_value(t, i);
	return g_variant_get_uint32(u);
}

static gint32
hull_r_i(GVariant *t, gsize i)
{
	g_autoptr(GVariant) v = g_variant_get_child_value(t, i);
	return g_variant_get_int32(v);
}

static HullFinding *
hull_r_finding(GVariant *t)
{
	guint32 sev = hull_r_u(t, 2);
	gint32 layer = hull_r_i(t, 9), deleted_in = hull_r_i(t, 10);
	if (sev > HULL_SEVERITY_LAST || layer < -1 || deleted_in < -1)
		return NULL;
	g_autofree gchar *rule_id = hull_r_s(t, 0);
	g_autofree gchar *plugin = hull_r_s(t, 1);
	g_autoptr(HullFinding) f = hull_finding_new_raw(plugin, rule_id);
	f->severity = (HullSeverity)sev;
	f->title = hull_r_ms(t, 3);
	f->message = hull_r_ms(t, 4);
	f->remediation = hull_r_ms(t, 5);
	f->path = hull_r_ms(t, 6);
	f->line = hull_r_u(t, 7);
	f->column = hull_r_u(t, 8);
	f->layer = layer;
	f->deleted_in = deleted_in;
	f->object = hull_r_ms(t, 11);
	hull_r_as(t, 12, f->aliases);
	hull_r_as(t, 13, f->references);
	f->evidence = hull_r_ms(t, 14);
	f->secret_hash = hull_r_ms(t, 15);
	f->fingerprint_data = hull_r_ms(t, 16);
	f->fingerprint = hull_r_ms(t, 17);
	hull_r_as(t, 18, f->field_keys);
	hull_r_as(t, 19, f->field_values);
	if (f->field_keys->len != f->field_values->len)
		return NULL;
	return g_steal_pointer(&f);
}

static HullReportRule *
hull_r_rule(GVariant *t)
{
	guint32 sev = hull_r_u(t, 2);
	if (sev > HULL_SEVERITY_LAST)
		return NULL;
	HullReportRule *r = g_new0(HullReportRule, 1);
	r->id = hull_r_s(t, 0);
	r->plugin = hull_r_ms(t, 1);
	r->severity = (HullSeverity)sev;
	r->title = hull_r_ms(t, 3);
	r->description = hull_r_ms(t, 4);
	r->remediation = hull_r_ms(t, 5);
	r->aliases = g_ptr_array_new_with_free_func(g_free);
	r->references = g_ptr_array_new_with_free_func(g_free);
	hull_r_as(t, 6, r->aliases);
	hull_r_as(t, 7, r->references);
	return r;
}

static HullFact *
hull_r_fact(GVariant *t)
{
	g_autofree gchar *kind = hull_r_s(t, 0);
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
	hull_r_as(t, 3, keys);
	hull_r_as(t, 4, values);
	if (keys->len != values->len)
		return NULL;
	HullFact *f = hull_fact_new(kind);
	f->plugin = hull_r_ms(t, 1);
	g_autoptr(GVariant) seq = g_variant_get_child_value(t, 2);
	f->seq = g_variant_get_uint64(seq);
	for (guint i = 0; i < keys->len; i++)
		hull_fact_set(f, g_ptr_array_index(keys, i), g_ptr_array_index(values, i));
	return f;
}

/* Calls @read on each element of array child @i of @top, adding what it returns to @into. */
static gboolean
hull_r_array(GVariant *top, gsize i, gpointer (*read)(GVariant *), GPtrArray *into)
{
	g_autoptr(GVariant) a = g_variant_get_child_value(top, i);
	gsize n = g_variant_n_children(a);
	for (gsize j = 0; j < n; j++) {
		g_autoptr(GVariant) e = g_variant_get_child_value(a, j);
		gpointer item = read(e);
		if (item == NULL)
			return FALSE;
		g_ptr_array_add(into, item);
	}
	return TRUE;
}

HullScanResults *
hull_scan_results_deserialize(GBytes *payload)
{
	g_return_val_if_fail(payload != NULL, NULL);
	g_autoptr(GVariant) top = g_variant_ref_sink(g_variant_new_from_bytes(G_VARIANT_TYPE(HULL_PAYLOAD_T), payload, FALSE));
	if (!g_variant_is_normal_form(top) || hull_r_u(top, 0) != HULL_PAYLOAD_FORMAT)
		return NULL;
	g_autoptr(HullScanResults) r = hull_scan_results_new();
	r->os_id = hull_r_ms(top, 1);
	r->os_version = hull_r_ms(top, 2);
	g_autoptr(GVariant) nr = g_variant_get_child_value(top, 3);
	GVariantIter it;
	const char *name;
	guint32 n;
	g_variant_iter_init(&it, nr);
	while (g_variant_iter_next(&it, "{&su}", &name, &n))
		g_hash_table_insert(r->n_rules, g_strdup(name), GUINT_TO_POINTER(n));
	if (!hull_r_array(top, 4, (gpointer(*)(GVariant *))hull_r_rule, r->rules) ||
	    !hull_r_array(top, 5, (gpointer(*)(GVariant *))hull_r_finding, r->findings) ||
	    !hull_r_array(top, 6, (gpointer(*)(GVariant *))hull_r_fact, r->packages))
		return NULL;
	hull_r_as(top, 7, r->notes);
	return g_steal_pointer(&r);
}
