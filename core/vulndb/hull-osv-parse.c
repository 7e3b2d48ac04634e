/* hull-osv-parse.c: turns one OSV record (https://ossf.github.io/osv-schema/) parsed by
 * json-glib into a HullVulnRecord, trusting nothing: every member is type-checked, unknown
 * members are ignored, names, versions, aliases and URLs longer than HULL_VULN_MAX_NAME or
 * holding control characters, and other strings
 * longer than HULL_VULN_MAX_FIELD make the record unusable (the caller skips it with a note).
 * Severity is decided here (rules in hull-vulndb.h). */
#include <string.h>

#include "hull-vulndb.h"
#include "hull-vuln-record.h"

HullVulnRecord *
hull_vuln_record_new(const char *id)
{
	HullVulnRecord *rec = g_new0(HullVulnRecord, 1);
	rec->id = g_strdup(id);
	rec->aliases = g_ptr_array_new_with_free_func(g_free);
	rec->references = g_ptr_array_new_with_free_func(g_free);
	rec->affected = g_ptr_array_new_with_free_func((GDestroyNotify)hull_vuln_affected_free);
	rec->cvss_score = -1;
	return rec;
}

void
hull_vuln_record_free(HullVulnRecord *rec)
{
	if (rec == NULL)
		return;
	g_free(rec->id);
	g_free(rec->summary);
	g_free(rec->modified);
	g_free(rec->withdrawn);
	g_ptr_array_unref(rec->aliases);
	g_ptr_array_unref(rec->references);
	g_ptr_array_unref(rec->affected);
	g_free(rec);
}

HullVulnAffected *
hull_vuln_affected_new(const char *ecosystem, const char *package)
{
	HullVulnAffected *aff = g_new0(HullVulnAffected, 1);
	aff->ecosystem = g_strdup(ecosystem);
	aff->package = g_strdup(package);
	aff->ranges = g_ptr_array_new_with_free_func((GDestroyNotify)hull_vuln_range_free);
	aff->versions = g_ptr_array_new_with_free_func(g_free);
	return aff;
}

void
hull_vuln_affected_free(HullVulnAffected *aff)
{
	if (aff == NULL)
		return;
	g_free(aff->ecosystem);
	g_free(aff->package);
	g_ptr_array_unref(aff->ranges);
	g_ptr_array_unref(aff->versions);
	g_free(aff);
}

static void
hull_vuln_event_free(HullVulnEvent *ev)
{
	g_free(ev->version);
	g_free(ev);
}

HullVulnRange *
hull_vuln_range_new(const char *type)
{
	HullVulnRange *range = g_new0(HullVulnRange, 1);
	range->type = g_strdup(type);
	range->events = g_ptr_array_new_with_free_func((GDestroyNotify)hull_vuln_event_free);
	return range;
}

void
hull_vuln_range_free(HullVulnRange *range)
{
	if (range == NULL)
		return;
	g_free(range->type);
	g_ptr_array_unref(range->events);
	g_free(range);
}

void
hull_vuln_range_add(HullVulnRange *range, HullVulnEventKind kind, const char *version)
{
	HullVulnEvent *ev = g_new0(HullVulnEvent, 1);
	ev->kind = kind;
	ev->version = g_strdup(version);
	g_ptr_array_add(range->events, ev);
}

/* ---- type-checked accessors ---- */

static JsonObject *
hull_json_obj(JsonObject *obj, const char *name)
{
	JsonNode *n = obj != NULL ? json_object_get_member(obj, name) : NULL;
	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *
hull_json_arr(JsonObject *obj, const char *name)
{
	JsonNode *n = obj != NULL ? json_object_get_member(obj, name) : NULL;
	return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static const char *
hull_json_node_str(JsonNode *n)
{
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static const char *
hull_json_str(JsonObject *obj, const char *name)
{
	return obj != NULL ? hull_json_node_str(json_object_get_member(obj, name)) : NULL;
}

typedef struct {
	const char *origin;
	const char *id;
	GError **error;
	gboolean failed;
} HullOsvCtx;

/* A name-like string we accept: present, not over HULL_VULN_MAX_NAME, valid UTF-8. */
static gboolean
hull_osv_name_ok(HullOsvCtx *ctx, const char *what, const char *s)
{
	if (ctx->failed)
		return FALSE;
	gboolean control = FALSE;
	for (const char *c = s; *c != '\0' && !control; c++)
		control = (guchar)*c < 0x20;
	if (control || strlen(s) > HULL_VULN_MAX_NAME || !g_utf8_validate(s, -1, NULL)) {
		g_set_error(ctx->error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_INVALID,
			    "%s: record %s: %s is too long, not UTF-8 or has control characters", ctx->origin,
			    ctx->id != NULL ? ctx->id : "?", what);
		ctx->failed = TRUE;
		return FALSE;
	}
	return TRUE;
}

static void
hull_osv_add_strings(HullOsvCtx *ctx, GPtrArray *out, JsonArray *arr, const char *what)
{
	guint n = arr != NULL ? json_array_get_length(arr) : 0;
	for (guint i = 0; i < n && !ctx->failed; i++) {
		const char *s = hull_json_node_str(json_array_get_element(arr, i));
		if (s != NULL && *s != '\0' && hull_osv_name_ok(ctx, what, s)) {
			gboolean dup = FALSE;
			for (guint j = 0; j < out->len && !dup; j++)
				dup = strcmp(out->pdata[j], s) == 0;
			if (!dup)
				g_ptr_array_add(out, g_strdup(s));
		}
	}
}

static void
hull_osv_ranges(HullOsvCtx *ctx, HullVulnAffected *aff, JsonArray *ranges)
{
	static const struct {
		const char *name;
		HullVulnEventKind kind;
	} kinds[] = {
		{"introduced", HULL_VULN_EVENT_INTRODUCED},
		{"fixed", HULL_VULN_EVENT_FIXED},
		{"last_affected", HULL_VULN_EVENT_LAST_AFFECTED},
		{"limit", HULL_VULN_EVENT_LIMIT},
	};
	guint n = ranges != NULL ? json_array_get_length(ranges) : 0;
	for (guint i = 0; i < n && !ctx->failed; i++) {
		JsonNode *rn = json_array_get_element(ranges, i);
		if (!JSON_NODE_HOLDS_OBJECT(rn))
			continue;
		JsonObject *ro = json_node_get_object(rn);
		const char *type = hull_json_str(ro, "type");
		JsonArray *events = hull_json_arr(ro, "events");
		if (type == NULL || events == NULL || !hull_osv_name_ok(ctx, "range type", type))
			continue;
		g_autoptr(HullVulnRange) range = hull_vuln_range_new(type);
		guint ne = json_array_get_length(events);
		for (guint j = 0; j < ne && !ctx->failed; j++) {
			JsonNode *en = json_array_get_element(events, j);
			if (!JSON_NODE_HOLDS_OBJECT(en))
				continue;
			JsonObject *eo = json_node_get_object(en);
			for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
				const char *v = hull_json_str(eo, kinds[k].name);
				if (v != NULL && hull_osv_name_ok(ctx, "event version", v))
					hull_vuln_range_add(range, kinds[k].kind, v);
			}
		}
		if (range->events->len > 0)
			g_ptr_array_add(aff->ranges, g_steal_pointer(&range));
	}
}

/* The distribution's own rating in a severity[] array (types other than CVSS_*). */
static gboolean
hull_osv_rating(JsonArray *sev, HullSeverity *out)
{
	guint n = sev != NULL ? json_array_get_length(sev) : 0;
	for (guint i = 0; i < n; i++) {
		JsonNode *sn = json_array_get_element(sev, i);
		if (!JSON_NODE_HOLDS_OBJECT(sn))
			continue;
		JsonObject *so = json_node_get_object(sn);
		const char *type = hull_json_str(so, "type");
		if (type != NULL && !g_str_has_prefix(type, "CVSS") &&
		    hull_vuln_severity_from_rating(hull_json_str(so, "score"), out))
			return TRUE;
	}
	return FALSE;
}

/* Best CVSS score in a severity[] array: v3 over v2. */
static gdouble
hull_osv_cvss(JsonArray *sev, gboolean *v2)
{
	gdouble best3 = -1, best2 = -1;
	guint n = sev != NULL ? json_array_get_length(sev) : 0;
	for (guint i = 0; i < n; i++) {
		JsonNode *sn = json_array_get_element(sev, i);
		if (!JSON_NODE_HOLDS_OBJECT(sn))
			continue;
		JsonObject *so = json_node_get_object(sn);
		const char *type = hull_json_str(so, "type");
		const char *score = hull_json_str(so, "score");
		if (type == NULL || score == NULL || strlen(score) > 256)
			continue;
		gdouble s = hull_cvss_base_score(score);
		if (g_str_equal(type, "CVSS_V3"))
			best3 = MAX(best3, s);
		else if (g_str_equal(type, "CVSS_V2"))
			best2 = MAX(best2, s);
	}
	*v2 = best3 < 0 && best2 >= 0;
	return best3 >= 0 ? best3 : best2;
}

static gchar *
hull_osv_summary(const char *text)
{
	if (text == NULL || *text == '\0')
		return NULL;
	g_autofree gchar *valid = g_utf8_make_valid(text, -1);
	if (strlen(valid) <= HULL_VULN_MAX_SUMMARY)
		return g_steal_pointer(&valid);
	const char *cut = g_utf8_find_prev_char(valid, valid + HULL_VULN_MAX_SUMMARY);
	return g_strndup(valid, cut != NULL ? (gsize)(cut - valid) : 0);
}

HullVulnRecord *
hull_osv_record_from_json(JsonNode *node, const char *origin, GError **error)
{
	HullOsvCtx ctx = {.origin = origin, .error = error};
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_INVALID,
			    "%s: not an OSV record (not a JSON object)", origin);
		return NULL;
	}
	JsonObject *obj = json_node_get_object(node);
	const char *id = hull_json_str(obj, "id");
	if (id == NULL || *id == '\0') {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_INVALID,
			    "%s: not an OSV record (no string \"id\")", origin);
		return NULL;
	}
	if (!hull_osv_name_ok(&ctx, "id", id))
		return NULL;
	ctx.id = id;
	g_autoptr(HullVulnRecord) rec = hull_vuln_record_new(id);

	const char *summary = hull_json_str(obj, "summary");
	if (summary == NULL || *summary == '\0')
		summary = hull_json_str(obj, "details");
	if (summary != NULL && strlen(summary) > HULL_VULN_MAX_FIELD) {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_INVALID,
			    "%s: record %s: summary over %d bytes", origin, id, HULL_VULN_MAX_FIELD);
		return NULL;
	}
	rec->summary = hull_osv_summary(summary);
	const char *modified = hull_json_str(obj, "modified");
	if (modified != NULL && hull_osv_name_ok(&ctx, "modified", modified))
		rec->modified = g_strdup(modified);
	const char *withdrawn = hull_json_str(obj, "withdrawn");
	if (withdrawn != NULL && hull_osv_name_ok(&ctx, "withdrawn", withdrawn))
		rec->withdrawn = g_strdup(withdrawn);

	hull_osv_add_strings(&ctx, rec->aliases, hull_json_arr(obj, "aliases"), "alias");
	/* OSV 1.7 "upstream": the CVE an Ubuntu/Debian record derives from */
	hull_osv_add_strings(&ctx, rec->aliases, hull_json_arr(obj, "upstream"), "alias");

	JsonArray *refs = hull_json_arr(obj, "references");
	guint nrefs = refs != NULL ? json_array_get_length(refs) : 0;
	for (guint i = 0; i < nrefs && !ctx.failed; i++) {
		JsonNode *rn = json_array_get_element(refs, i);
		const char *url = JSON_NODE_HOLDS_OBJECT(rn) ? hull_json_str(json_node_get_object(rn), "url")
							    : NULL;
		if (url != NULL && *url != '\0' && hull_osv_name_ok(&ctx, "reference", url))
			g_ptr_array_add(rec->references, g_strdup(url));
	}

	/* severity: distro rating, else CVSS */
	JsonArray *sev = hull_json_arr(obj, "severity");
	gboolean v2 = FALSE;
	rec->cvss_score = hull_osv_cvss(sev, &v2);
	HullSeverity rating;
	if (hull_osv_rating(sev, &rating) ||
	    hull_vuln_severity_from_rating(hull_json_str(hull_json_obj(obj, "database_specific"), "severity"),
					   &rating))
		rec->severity = rating;
	else
		rec->severity = hull_cvss_severity(rec->cvss_score, v2);

	JsonArray *affected = hull_json_arr(obj, "affected");
	guint naff = affected != NULL ? json_array_get_length(affected) : 0;
	for (guint i = 0; i < naff && !ctx.failed; i++) {
		JsonNode *an = json_array_get_element(affected, i);
		if (!JSON_NODE_HOLDS_OBJECT(an))
			continue;
		JsonObject *ao = json_node_get_object(an);
		JsonObject *pkg = hull_json_obj(ao, "package");
		const char *eco = hull_json_str(pkg, "ecosystem");
		const char *name = hull_json_str(pkg, "name");
		if (eco == NULL || name == NULL || *eco == '\0' || *name == '\0')
			continue;
		if (!hull_osv_name_ok(&ctx, "ecosystem", eco) || !hull_osv_name_ok(&ctx, "package", name))
			break;
		g_autoptr(HullVulnAffected) aff = hull_vuln_affected_new(eco, name);
		hull_osv_ranges(&ctx, aff, hull_json_arr(ao, "ranges"));
		hull_osv_add_strings(&ctx, aff->versions, hull_json_arr(ao, "versions"), "version");
		JsonArray *asev = hull_json_arr(ao, "severity");
		if (!hull_osv_rating(asev, &aff->severity) &&
		    !hull_vuln_severity_from_rating(
			    hull_json_str(hull_json_obj(ao, "ecosystem_specific"), "severity"), &aff->severity) &&
		    !hull_vuln_severity_from_rating(
			    hull_json_str(hull_json_obj(ao, "database_specific"), "severity"), &aff->severity))
			aff->severity = HULL_SEVERITY_UNKNOWN;
		g_ptr_array_add(rec->affected, g_steal_pointer(&aff));
	}
	if (ctx.failed)
		return NULL;
	return g_steal_pointer(&rec);
}
