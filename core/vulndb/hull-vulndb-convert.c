/* hull-vulndb-convert.c: converts the Debian security tracker JSON
 * (https://security-tracker.debian.org/tracker/data/json: source package -> CVE -> release ->
 * status, fixed_version, urgency) and Alpine secdb files (secdb.alpinelinux.org: per release
 * and repository, package -> fixed version -> CVE ids) to the OSV model, with the ids OSV
 * itself uses for those sources (DEBIAN-CVE-..., ALPINE-CVE-...) so both feeds describe the
 * same advisory. Records are built in merge mode: each file only says something about the
 * (ecosystem, package) pairs it lists. Tracker statuses: "resolved" with a version is fixed
 * there, "resolved" with version 0 and "not-affected" never were affected, "open" and
 * "undetermined" are affected with no fix. Releases are mapped from codenames to the OSV
 * "Debian:N" names; codenames we do not know (sid, experimental) are left out. */
#include <string.h>

#include "hull-vulndb-private.h"

const char *
hull_debian_release_for_codename(const char *codename)
{
	static const char *const names[][2] = {
		{"buzz", "1.1"},     {"rex", "1.2"},       {"bo", "1.3"},       {"hamm", "2.0"},
		{"slink", "2.1"},    {"potato", "2.2"},    {"woody", "3.0"},    {"sarge", "3.1"},
		{"etch", "4"},       {"lenny", "5"},       {"squeeze", "6"},    {"wheezy", "7"},
		{"jessie", "8"},     {"stretch", "9"},     {"buster", "10"},    {"bullseye", "11"},
		{"bookworm", "12"},  {"trixie", "13"},     {"forky", "14"},     {"duke", "15"},
	};
	for (gsize i = 0; codename != NULL && i < G_N_ELEMENTS(names); i++) {
		if (g_str_equal(names[i][0], codename))
			return names[i][1];
	}
	return NULL;
}

static gboolean
hull_conv_name_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > HULL_VULN_MAX_NAME || !g_utf8_validate(s, -1, NULL))
		return FALSE;
	for (; *s != '\0'; s++) {
		if ((guchar)*s < 0x20)
			return FALSE; /* no control characters in names (the store joins with 0x1e) */
	}
	return TRUE;
}

/* A string member, type-checked only (free text such as descriptions). */
static const char *
hull_conv_text(JsonObject *obj, const char *name)
{
	JsonNode *n = obj != NULL ? json_object_get_member(obj, name) : NULL;
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

/* A name-like string member (status, version, urgency...). */
static const char *
hull_conv_str(JsonObject *obj, const char *name)
{
	const char *s = hull_conv_text(obj, name);
	return hull_conv_name_ok(s) ? s : NULL;
}

/* CVE -> record being assembled, in first-seen order */
typedef struct {
	GHashTable *by_id; /* id -> HullVulnRecord* (owned by list) */
	GPtrArray *list;
} HullConvSet;

static HullVulnRecord *
hull_conv_get(HullConvSet *set, const char *id, const char *alias)
{
	HullVulnRecord *rec = g_hash_table_lookup(set->by_id, id);
	if (rec == NULL) {
		rec = hull_vuln_record_new(id);
		rec->merge = TRUE;
		if (alias != NULL)
			g_ptr_array_add(rec->aliases, g_strdup(alias));
		g_ptr_array_add(set->list, rec);
		g_hash_table_insert(set->by_id, rec->id, rec);
	}
	return rec;
}

static gboolean
hull_conv_flush(HullConvSet *set, HullVulnRecordSink sink, gpointer user_data, GError **error)
{
	for (guint i = 0; i < set->list->len; i++) {
		if (!sink(set->list->pdata[i], user_data, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
hull_vuln_convert_debian_tracker(JsonNode *root, const char *origin, HullVulnRecordSink sink,
				 gpointer user_data, HullVulnImportStats *stats, GError **error)
{
	JsonObject *top = json_node_get_object(root);
	HullConvSet set = {g_hash_table_new(g_str_hash, g_str_equal),
			   g_ptr_array_new_with_free_func((GDestroyNotify)hull_vuln_record_free)};
	g_autoptr(GList) pkgs = json_object_get_members(top);
	guint used = 0;
	for (GList *p = pkgs; p != NULL; p = p->next) {
		const char *pkg = p->data;
		JsonNode *pn = json_object_get_member(top, pkg);
		if (!JSON_NODE_HOLDS_OBJECT(pn) || !hull_conv_name_ok(pkg)) {
			stats->skipped++;
			hull_vuln_import_note(stats, "%s: package entry \"%.64s\" is not an object, skipped",
					      origin, pkg);
			continue;
		}
		JsonObject *po = json_node_get_object(pn);
		g_autoptr(GList) cves = json_object_get_members(po);
		for (GList *c = cves; c != NULL; c = c->next) {
			const char *cve = c->data;
			JsonNode *cn = json_object_get_member(po, cve);
			if (!JSON_NODE_HOLDS_OBJECT(cn) || !hull_conv_name_ok(cve))
				continue;
			JsonObject *co = json_node_get_object(cn);
			JsonNode *rn = json_object_get_member(co, "releases");
			if (rn == NULL || !JSON_NODE_HOLDS_OBJECT(rn))
				continue;
			JsonObject *ro = json_node_get_object(rn);
			g_autoptr(GList) rels = json_object_get_members(ro);
			for (GList *r = rels; r != NULL; r = r->next) {
				JsonNode *reln = json_object_get_member(ro, r->data);
				const char *num = hull_debian_release_for_codename(r->data);
				if (num == NULL || !JSON_NODE_HOLDS_OBJECT(reln))
					continue;
				JsonObject *rel = json_node_get_object(reln);
				const char *status = hull_conv_str(rel, "status");
				const char *fixed = hull_conv_str(rel, "fixed_version");
				/* "resolved" with version 0: never affected; "not-affected": likewise */
				if (status == NULL || g_str_equal(status, "not-affected") ||
				    (g_str_equal(status, "resolved") && (fixed == NULL || g_str_equal(fixed, "0"))))
					continue;
				g_autofree gchar *id = g_strdup_printf("DEBIAN-%s", cve);
				g_autofree gchar *eco = g_strdup_printf("Debian:%s", num);
				HullVulnRecord *rec = hull_conv_get(&set, id, cve);
				if (rec->summary == NULL) {
					const char *desc = hull_conv_text(co, "description");
					if (desc != NULL)
						rec->summary = g_strndup(desc, HULL_VULN_MAX_SUMMARY);
					if (rec->summary != NULL && !g_utf8_validate(rec->summary, -1, NULL))
						g_clear_pointer(&rec->summary, g_free);
				}
				HullVulnAffected *aff = hull_vuln_affected_new(eco, pkg);
				HullVulnRange *range = hull_vuln_range_new("ECOSYSTEM");
				hull_vuln_range_add(range, HULL_VULN_EVENT_INTRODUCED, "0");
				if (g_str_equal(status, "resolved"))
					hull_vuln_range_add(range, HULL_VULN_EVENT_FIXED, fixed);
				g_ptr_array_add(aff->ranges, range);
				HullSeverity sev;
				if (hull_vuln_severity_from_rating(hull_conv_str(rel, "urgency"), &sev)) {
					aff->severity = sev;
					rec->severity = MAX(rec->severity, sev);
				}
				g_ptr_array_add(rec->affected, aff);
				used++;
			}
		}
	}
	if (used == 0 && set.list->len == 0) {
		stats->skipped++;
		hull_vuln_import_note(stats, "%s: no OSV id and no tracker entries: not a known format", origin);
	}
	gboolean ok = hull_conv_flush(&set, sink, user_data, error);
	g_hash_table_unref(set.by_id);
	g_ptr_array_unref(set.list);
	return ok;
}

gboolean
hull_vuln_convert_alpine_secdb(JsonNode *root, const char *origin, HullVulnRecordSink sink,
			       gpointer user_data, HullVulnImportStats *stats, GError **error)
{
	JsonObject *top = json_node_get_object(root);
	const char *distro = hull_conv_str(top, "distroversion");
	JsonNode *pkgs_node = json_object_get_member(top, "packages");
	if (distro == NULL || pkgs_node == NULL || !JSON_NODE_HOLDS_ARRAY(pkgs_node)) {
		stats->skipped++;
		hull_vuln_import_note(stats, "%s: secdb without a string distroversion or a packages array",
				      origin);
		return TRUE;
	}
	g_autofree gchar *eco = g_strdup_printf("Alpine:%s", distro);
	HullConvSet set = {g_hash_table_new(g_str_hash, g_str_equal),
			   g_ptr_array_new_with_free_func((GDestroyNotify)hull_vuln_record_free)};
	JsonArray *pkgs = json_node_get_array(pkgs_node);
	for (guint i = 0; i < json_array_get_length(pkgs); i++) {
		JsonNode *en = json_array_get_element(pkgs, i);
		JsonNode *pn = JSON_NODE_HOLDS_OBJECT(en) ? json_object_get_member(json_node_get_object(en), "pkg")
							 : NULL;
		JsonObject *po = pn != NULL && JSON_NODE_HOLDS_OBJECT(pn) ? json_node_get_object(pn) : NULL;
		const char *name = hull_conv_str(po, "name");
		JsonNode *fn = po != NULL ? json_object_get_member(po, "secfixes") : NULL;
		if (name == NULL || fn == NULL || !JSON_NODE_HOLDS_OBJECT(fn)) {
			stats->skipped++;
			hull_vuln_import_note(stats, "%s: packages[%u] has no name or secfixes, skipped", origin, i);
			continue;
		}
		JsonObject *fo = json_node_get_object(fn);
		g_autoptr(GList) fixes = json_object_get_members(fo);
		for (GList *f = fixes; f != NULL; f = f->next) {
			const char *fixed = f->data;
			JsonNode *ln = json_object_get_member(fo, fixed);
			/* version "0": the listed CVEs never affected this package */
			if (!hull_conv_name_ok(fixed) || g_str_equal(fixed, "0") || !JSON_NODE_HOLDS_ARRAY(ln))
				continue;
			JsonArray *ids = json_node_get_array(ln);
			for (guint k = 0; k < json_array_get_length(ids); k++) {
				JsonNode *idn = json_array_get_element(ids, k);
				if (!JSON_NODE_HOLDS_VALUE(idn) || json_node_get_value_type(idn) != G_TYPE_STRING)
					continue;
				/* entries look like "CVE-2018-1 CVE-2018-2" or "XSA-123" */
				g_auto(GStrv) words = g_strsplit(json_node_get_string(idn), " ", -1);
				for (guint w = 0; words[w] != NULL; w++) {
					if (!hull_conv_name_ok(words[w]))
						continue;
					g_autofree gchar *id = g_strdup_printf("ALPINE-%s", words[w]);
					HullVulnRecord *rec = hull_conv_get(&set, id, words[w]);
					HullVulnAffected *aff = hull_vuln_affected_new(eco, name);
					HullVulnRange *range = hull_vuln_range_new("ECOSYSTEM");
					hull_vuln_range_add(range, HULL_VULN_EVENT_INTRODUCED, "0");
					hull_vuln_range_add(range, HULL_VULN_EVENT_FIXED, fixed);
					g_ptr_array_add(aff->ranges, range);
					g_ptr_array_add(rec->affected, aff);
				}
			}
		}
	}
	gboolean ok = hull_conv_flush(&set, sink, user_data, error);
	g_hash_table_unref(set.by_id);
	g_ptr_array_unref(set.list);
	return ok;
}
