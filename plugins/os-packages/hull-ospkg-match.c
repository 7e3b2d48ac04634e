/* hull-ospkg-match.c: turns the inventory into vulnerability findings with the offline DB
 * (core/vulndb). What is looked up follows how each distribution files its advisories: Debian
 * and Ubuntu by source package and source version, Alpine by origin (the aport), RPM
 * distributions by binary package name. The ecosystem comes from the detected OS. Each
 * advisory is reported once per installed binary package, with the advisory id as rule id,
 * its aliases (CVE ids), severity, the installed and fixed versions and the layer of the
 * database that listed the package. Several binaries built from one source share a lookup. */
#include <string.h>
#include "hull-os-packages-plugin.h"
#include "hull-vulndb.h"

static void
hull_ospkg_emit_match(HullPluginCtx *ctx, HullScan *scan, const HullOspkgEntry *e, const HullVulnMatch *m)
{
	const HullOsPkg *p = e->pkg;
	HullFinding *f = hull_finding_new(ctx, m->id);
	if (m->summary != NULL && m->summary[0] != '\0')
		hull_finding_set_title(f, m->summary);
	else
		hull_finding_set_title(f, m->id);
	hull_finding_set_severity(f, m->severity);
	for (guint i = 0; i < m->aliases->len; i++)
		hull_finding_add_alias(f, g_ptr_array_index(m->aliases, i));
	for (guint i = 0; i < m->references->len; i++)
		hull_finding_add_reference(f, g_ptr_array_index(m->references, i));
	if (m->fixed_version != NULL) {
		hull_finding_set_message(f, "%s %s is affected by %s; fixed in %s", p->name, p->version, m->id,
		                         m->fixed_version);
		hull_finding_set_remediation(f, "Upgrade the package to the fixed version or later.");
	} else {
		hull_finding_set_message(f, "%s %s is affected by %s; no fixed version is available", p->name,
		                         p->version, m->id);
	}
	hull_finding_set_path(f, e->db_path);
	hull_finding_set_layer(f, e->layer);
	hull_finding_set_field(f, "package", p->name);
	hull_finding_set_field(f, "installed_version", p->version);
	hull_finding_set_field(f, "fixed_version", m->fixed_version);
	g_autofree gchar *fp = g_strdup_printf("%s\n%s\n%s\n%s", m->id, p->type, p->name, p->version);
	hull_finding_set_fingerprint_data(f, fp);
	hull_bus_emit(hull_scan_get_bus(scan), f);
}

gboolean
hull_ospkg_match_scan(HullPluginCtx *ctx, HullScan *scan, HullOspkgScan *s, GError **error)
{
	const char *path = hull_plugin_ctx_get_option(ctx, "vuln-db");
	if (path == NULL || s->entries->len == 0)
		return TRUE;
	if (!hull_plugin_ctx_rule_enabled(ctx, "PKG-VULN"))
		return TRUE;
	if (s->os == NULL || s->os->ecosystem == NULL) {
		hull_scan_add_note(scan, ctx, "no vulnerability ecosystem known for %s: %u package(s) not matched",
		                   s->os != NULL ? s->os->id : "an undetected OS", s->entries->len);
		return TRUE;
	}
	g_autoptr(HullVulnDb) db = hull_vulndb_open(path, TRUE, error);
	if (db == NULL)
		return FALSE;
	const char *eco = s->os->ecosystem;
	g_autoptr(GError) local = NULL;
	if (!hull_vulndb_has_ecosystem(db, eco, &local)) {
		if (local != NULL) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		hull_scan_add_note(scan, ctx, "%s holds no advisories for %s: packages not matched", path, eco);
		return TRUE;
	}
	gboolean ignore_unfixed = hull_plugin_ctx_get_option_bool(ctx, "ignore-unfixed", FALSE);
	/* (name, version) → matches: binaries of one source package share the lookup. */
	g_autoptr(GHashTable) cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                                    (GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; i < s->entries->len; i++) {
		const HullOspkgEntry *e = g_ptr_array_index(s->entries, i);
		const HullOsPkg *p = e->pkg;
		const char *name = p->name, *version = p->version;
		if (g_strcmp0(p->type, "deb") == 0 || g_strcmp0(p->type, "apk") == 0) {
			name = p->source;
			version = p->source_version;
		}
		g_autofree gchar *key = g_strdup_printf("%s\n%s", name, version);
		GPtrArray *matches = g_hash_table_lookup(cache, key);
		if (matches == NULL) {
			matches = hull_vulndb_match(db, eco, name, version, error);
			if (matches == NULL)
				return FALSE;
			g_hash_table_insert(cache, g_steal_pointer(&key), matches);
		}
		for (guint j = 0; j < matches->len; j++) {
			const HullVulnMatch *m = g_ptr_array_index(matches, j);
			if (ignore_unfixed && m->fixed_version == NULL)
				continue;
			hull_ospkg_emit_match(ctx, scan, e, m);
		}
	}
	return TRUE;
}
