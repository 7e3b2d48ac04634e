/* hull-port-catalogue.c: the data-driven list of risky ports (configs/ports/catalogue.json).
 * Kept as data so a vendor can add a port without recompiling; every entry is validated at
 * load so a typo fails loudly at init instead of silently never matching. */
#include "hull-netports.h"
#include <hullscan/hull-json.h>

struct _HullPortCatalogue {
	GPtrArray *entries; /* HullPortEntry* */
};

/* A catalogue is a few dozen entries; this only stops a hostile file from costing memory. */
#define HULL_PORT_CATALOGUE_MAX 4096

static void
hull_port_entry_free(HullPortEntry *e)
{
	g_free(e->service);
	g_free(e->category);
	g_strfreev(e->packages);
	g_strfreev(e->binaries);
	g_strfreev(e->references);
	g_free(e->description);
	g_free(e);
}

void
hull_port_catalogue_free(HullPortCatalogue *cat)
{
	if (cat == NULL)
		return;
	g_ptr_array_unref(cat->entries);
	g_free(cat);
}

static gchar **
hull_port_catalogue_strv(JsonObject *obj, const char *member)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	JsonNode *n = json_object_get_member(obj, member);
	if (n != NULL && JSON_NODE_HOLDS_ARRAY(n)) {
		JsonArray *a = json_node_get_array(n);
		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonNode *e = json_array_get_element(a, i);
			if (JSON_NODE_HOLDS_VALUE(e) && json_node_get_value_type(e) == G_TYPE_STRING)
				g_strv_builder_add(b, json_node_get_string(e));
		}
	}
	return g_strv_builder_end(b);
}

static const char *
hull_port_catalogue_str(JsonObject *obj, const char *member)
{
	JsonNode *n = json_object_get_member(obj, member);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

HullPortCatalogue *
hull_port_catalogue_load_data(const char *name, const char *data, gsize len, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	if (!hull_json_load_one(parser, data, len, error)) {
		g_prefix_error(error, "%s: ", name);
		return NULL;
	}
	JsonNode *root = json_parser_get_root(parser);
	JsonNode *ports = root != NULL && JSON_NODE_HOLDS_OBJECT(root)
	                      ? json_object_get_member(json_node_get_object(root), "ports") : NULL;
	if (ports == NULL || !JSON_NODE_HOLDS_ARRAY(ports)) {
		g_set_error(error, HULL_PORT_ERROR, 0, "%s: no \"ports\" array", name);
		return NULL;
	}
	JsonArray *arr = json_node_get_array(ports);
	if (json_array_get_length(arr) > HULL_PORT_CATALOGUE_MAX) {
		g_set_error(error, HULL_PORT_ERROR, 0, "%s: more than %u entries", name, HULL_PORT_CATALOGUE_MAX);
		return NULL;
	}
	g_autoptr(HullPortCatalogue) cat = g_new0(HullPortCatalogue, 1);
	cat->entries = g_ptr_array_new_with_free_func((GDestroyNotify)hull_port_entry_free);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonNode *en = json_array_get_element(arr, i);
		if (!JSON_NODE_HOLDS_OBJECT(en)) {
			g_set_error(error, HULL_PORT_ERROR, 0, "%s: entry %u is not an object", name, i);
			return NULL;
		}
		JsonObject *o = json_node_get_object(en);
		const char *port = hull_port_catalogue_str(o, "port");
		const char *proto = hull_port_catalogue_str(o, "protocol");
		const char *service = hull_port_catalogue_str(o, "service");
		const char *sev = hull_port_catalogue_str(o, "severity");
		const char *xsev = hull_port_catalogue_str(o, "exposed_severity");
		HullPortEntry e = { 0 };
		HullProto p = HULL_PROTO_TCP;
		g_autoptr(GError) perr = NULL;
		if (port == NULL || service == NULL || sev == NULL) {
			g_set_error(error, HULL_PORT_ERROR, 0, "%s: entry %u needs \"port\", \"service\" and \"severity\"", name, i);
			return NULL;
		}
		if (proto != NULL && !hull_proto_from_string(proto, &p)) {
			g_set_error(error, HULL_PORT_ERROR, 0, "%s: entry %u (%s): unknown protocol \"%s\"", name, i, service, proto);
			return NULL;
		}
		if (!hull_port_parse(port, p, &e.range, &perr)) {
			g_set_error(error, HULL_PORT_ERROR, 0, "%s: entry %u (%s): %s", name, i, service, perr->message);
			return NULL;
		}
		if (!hull_severity_from_string(sev, &e.severity) ||
		    (xsev != NULL && !hull_severity_from_string(xsev, &e.exposed_severity))) {
			g_set_error(error, HULL_PORT_ERROR, 0, "%s: entry %u (%s): unknown severity", name, i, service);
			return NULL;
		}
		if (xsev == NULL)
			e.exposed_severity = e.severity;
		HullPortEntry *ne = g_new0(HullPortEntry, 1);
		*ne = e;
		ne->service = g_strdup(service);
		ne->category = g_strdup(hull_port_catalogue_str(o, "category") ?: "other");
		ne->description = g_strdup(hull_port_catalogue_str(o, "description"));
		ne->packages = hull_port_catalogue_strv(o, "packages");
		ne->binaries = hull_port_catalogue_strv(o, "binaries");
		ne->references = hull_port_catalogue_strv(o, "references");
		g_ptr_array_add(cat->entries, ne);
	}
	return g_steal_pointer(&cat);
}

HullPortCatalogue *
hull_port_catalogue_load(const char *filename, GError **error)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(filename, &data, &len, error))
		return NULL;
	return hull_port_catalogue_load_data(filename, data, len, error);
}

guint
hull_port_catalogue_get_n_entries(HullPortCatalogue *cat)
{
	return cat->entries->len;
}

const HullPortEntry *
hull_port_catalogue_lookup(HullPortCatalogue *cat, const HullPortRange *range)
{
	const HullPortEntry *best = NULL;
	for (guint i = 0; i < cat->entries->len; i++) {
		const HullPortEntry *e = g_ptr_array_index(cat->entries, i);
		if (!hull_port_range_overlaps(&e->range, range))
			continue;
		if (best == NULL || e->severity > best->severity)
			best = e;
	}
	return best;
}

const HullPortEntry *
hull_port_catalogue_find_service(HullPortCatalogue *cat, const char *service)
{
	for (guint i = 0; i < cat->entries->len; i++) {
		const HullPortEntry *e = g_ptr_array_index(cat->entries, i);
		if (g_strcmp0(e->service, service) == 0)
			return e;
	}
	return NULL;
}
