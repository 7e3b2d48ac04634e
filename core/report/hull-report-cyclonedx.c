/* hull-report-cyclonedx.c: a CycloneDX 1.5 JSON SBOM: the target as metadata.component,
 * one "library" component per package fact (bom-ref = its purl), and a vulnerability per
 * finding that names a package (the "package" field os-packages sets), linked to the
 * package's bom-ref. No timestamp, and a serial number derived from a hash of the target
 * and the package list: the same scan gives the same bytes, so golden tests are stable. */
#include <string.h>
#include "hull-report-text.h"

static const char *
hull_cdx_severity(HullSeverity s)
{
	switch (s) {
	case HULL_SEVERITY_CRITICAL:
		return "critical";
	case HULL_SEVERITY_HIGH:
		return "high";
	case HULL_SEVERITY_MEDIUM:
		return "medium";
	case HULL_SEVERITY_LOW:
		return "low";
	default:
		return "unknown";
	}
}

static const char *
hull_cdx_field(const HullFinding *f, const char *key)
{
	for (guint i = 0; f->field_keys != NULL && i < f->field_keys->len; i++) {
		if (g_strcmp0(g_ptr_array_index(f->field_keys, i), key) == 0)
			return g_ptr_array_index(f->field_values, i);
	}
	return NULL;
}

/* An RFC 4122 version-5-shaped UUID from a SHA-256 of @data. */
static gchar *
hull_cdx_serial(const GString *data)
{
	g_autofree gchar *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data->str, data->len);
	char h[33];
	memcpy(h, hex, 32);
	h[32] = '\0';
	h[12] = '5';
	static const char variant[] = "89ab";
	h[16] = variant[g_ascii_xdigit_value(h[16]) & 3];
	return g_strdup_printf("urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

static void
hull_cdx_property(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_begin_object(b);
	hull_json_add_str(b, "name", name);
	hull_json_add_str(b, "value", value);
	json_builder_end_object(b);
}

void
hull_report_write_cyclonedx(HullReport *r, GString *out)
{
	g_return_if_fail(r != NULL && out != NULL);
	/* bom-refs must be unique: a repeated purl (the same package in two places) gets a
	 * "#n" suffix. */
	g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GString) seed = g_string_new(NULL);
	g_string_append_printf(seed, "%s%c%s%c%s%c", r->input != NULL ? r->input : "", 0,
	                       r->digest != NULL ? r->digest : "", 0, r->target_type != NULL ? r->target_type : "", 0);
	for (guint i = 0; i < r->packages->len; i++) {
		const HullFact *p = g_ptr_array_index(r->packages, i);
		gchar *purl = hull_report_package_purl(r, p);
		if (purl == NULL)
			purl = g_strdup_printf("package-%u", i);
		gchar *ref = g_strdup(purl);
		for (guint n = 2; g_hash_table_contains(seen, ref); n++) {
			g_free(ref);
			ref = g_strdup_printf("%s#%u", purl, n);
		}
		g_free(purl);
		g_ptr_array_add(refs, ref);
		g_hash_table_add(seen, ref);
		g_string_append(seed, ref);
		g_string_append_c(seed, '\n');
	}
	g_autofree gchar *serial = hull_cdx_serial(seed);
	/* name and "name\nversion" to the first matching component's bom-ref, so linking
	 * thousands of advisories to thousands of packages stays linear. */
	g_autoptr(GHashTable) by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < r->packages->len; i++) {
		const HullFact *p = g_ptr_array_index(r->packages, i);
		const char *name = hull_report_fact_get(p, "name");
		const char *version = hull_report_fact_get(p, "version");
		if (name == NULL)
			continue;
		if (!g_hash_table_contains(by_name, name))
			g_hash_table_insert(by_name, g_strdup(name), g_ptr_array_index(refs, i));
		gchar *nv = g_strconcat(name, "\n", version != NULL ? version : "", NULL);
		if (!g_hash_table_contains(by_name, nv))
			g_hash_table_insert(by_name, nv, g_ptr_array_index(refs, i));
		else
			g_free(nv);
	}

	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	hull_json_add_str(b, "$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json");
	hull_json_add_str(b, "bomFormat", "CycloneDX");
	hull_json_add_str(b, "specVersion", "1.5");
	hull_json_add_str(b, "serialNumber", serial);
	json_builder_set_member_name(b, "version");
	json_builder_add_int_value(b, 1);

	json_builder_set_member_name(b, "metadata");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "tools");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "components");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	hull_json_add_str(b, "type", "application");
	hull_json_add_str(b, "name", "hullscan");
	hull_json_add_str(b, "version", r->tool_version);
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "component");
	json_builder_begin_object(b);
	hull_json_add_str(b, "type", g_strcmp0(r->target_type, "image") == 0 ? "container" : "application");
	hull_json_add_str(b, "bom-ref", "target");
	hull_json_add_str(b, "name", r->input != NULL ? r->input : "target");
	const char *hex = r->digest != NULL && g_str_has_prefix(r->digest, "sha256:") ? r->digest + 7 : NULL;
	gboolean hex_ok = hex != NULL && strlen(hex) == 64;
	for (guint i = 0; hex_ok && i < 64; i++)
		hex_ok = g_ascii_isxdigit(hex[i]);
	if (hex_ok) {
		json_builder_set_member_name(b, "hashes");
		json_builder_begin_array(b);
		json_builder_begin_object(b);
		hull_json_add_str(b, "alg", "SHA-256");
		g_autofree gchar *lower = g_ascii_strdown(hex, -1);
		hull_json_add_str(b, "content", lower);
		json_builder_end_object(b);
		json_builder_end_array(b);
	}
	if (r->os_id != NULL || r->target_type != NULL) {
		json_builder_set_member_name(b, "properties");
		json_builder_begin_array(b);
		if (r->target_type != NULL)
			hull_cdx_property(b, "hullscan:target_type", r->target_type);
		if (r->digest != NULL)
			hull_cdx_property(b, "hullscan:digest", r->digest);
		if (r->os_id != NULL)
			hull_cdx_property(b, "hullscan:os_id", r->os_id);
		if (r->os_version != NULL)
			hull_cdx_property(b, "hullscan:os_version", r->os_version);
		json_builder_end_array(b);
	}
	json_builder_end_object(b);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "components");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->packages->len; i++) {
		const HullFact *p = g_ptr_array_index(r->packages, i);
		const char *ref = g_ptr_array_index(refs, i);
		json_builder_begin_object(b);
		hull_json_add_str(b, "type", "library");
		hull_json_add_str(b, "bom-ref", ref);
		const char *name = hull_report_fact_get(p, "name");
		hull_json_add_str(b, "name", name != NULL ? name : "");
		hull_json_add_str(b, "version", hull_report_fact_get(p, "version"));
		if (g_str_has_prefix(ref, "pkg:")) {
			g_autofree gchar *purl = hull_report_package_purl(r, p);
			hull_json_add_str(b, "purl", purl);
		}
		json_builder_set_member_name(b, "properties");
		json_builder_begin_array(b);
		static const char *const keys[] = {"type", "source", "source_version", "arch", "layer"};
		for (guint k = 0; k < G_N_ELEMENTS(keys); k++) {
			const char *v = hull_report_fact_get(p, keys[k]);
			if (v != NULL && *v != '\0') {
				g_autofree gchar *pname = g_strconcat("hullscan:package:", keys[k], NULL);
				hull_cdx_property(b, pname, v);
			}
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "vulnerabilities");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		const char *pkg = hull_cdx_field(f, "package");
		if (pkg == NULL || f->rule_id == NULL)
			continue;
		const char *installed = hull_cdx_field(f, "installed_version");
		const char *fixed = hull_cdx_field(f, "fixed_version");
		/* The affected component: same name, and same version when the finding says. */
		g_autofree gchar *key = installed != NULL ? g_strconcat(pkg, "\n", installed, NULL) : g_strdup(pkg);
		const char *ref = g_hash_table_lookup(by_name, key);
		json_builder_begin_object(b);
		hull_json_add_str(b, "id", f->rule_id);
		json_builder_set_member_name(b, "source");
		json_builder_begin_object(b);
		hull_json_add_str(b, "name", f->plugin != NULL ? f->plugin : "hullscan");
		if (f->references != NULL && f->references->len > 0)
			hull_json_add_str(b, "url", g_ptr_array_index(f->references, 0));
		json_builder_end_object(b);
		if (f->references != NULL && f->references->len > 0) {
			json_builder_set_member_name(b, "advisories");
			json_builder_begin_array(b);
			for (guint k = 0; k < f->references->len; k++) {
				json_builder_begin_object(b);
				hull_json_add_str(b, "url", g_ptr_array_index(f->references, k));
				json_builder_end_object(b);
			}
			json_builder_end_array(b);
		}
		json_builder_set_member_name(b, "ratings");
		json_builder_begin_array(b);
		json_builder_begin_object(b);
		hull_json_add_str(b, "severity", hull_cdx_severity(f->severity));
		hull_json_add_str(b, "method", "other");
		json_builder_end_object(b);
		json_builder_end_array(b);
		hull_json_add_str(b, "description", f->title != NULL ? f->title : f->rule_id);
		if (f->message != NULL && g_strcmp0(f->message, f->title) != 0)
			hull_json_add_str(b, "detail", f->message);
		if (fixed != NULL) {
			g_autofree gchar *rec = g_strdup_printf("Upgrade %s to %s or later.", pkg, fixed);
			hull_json_add_str(b, "recommendation", rec);
		} else if (f->remediation != NULL) {
			hull_json_add_str(b, "recommendation", f->remediation);
		}
		if (ref != NULL) {
			json_builder_set_member_name(b, "affects");
			json_builder_begin_array(b);
			json_builder_begin_object(b);
			hull_json_add_str(b, "ref", ref);
			if (installed != NULL) {
				json_builder_set_member_name(b, "versions");
				json_builder_begin_array(b);
				json_builder_begin_object(b);
				hull_json_add_str(b, "version", installed);
				hull_json_add_str(b, "status", "affected");
				json_builder_end_object(b);
				json_builder_end_array(b);
			}
			json_builder_end_object(b);
			json_builder_end_array(b);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	hull_json_write(b, out);
}
