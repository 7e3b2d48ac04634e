/* hull-ospkg-eol.c: looks a release up in the end-of-life table shipped as data
 * (configs/os-packages/eol.json: releases per distribution id, keyed by the version as the
 * table lists it: "12" for Debian, "3.19" for Alpine, "22.04" for Ubuntu, the major for RHEL
 * and its rebuilds), so dates can be corrected without recompiling. */
#include <string.h>
#include <json-glib/json-glib.h>
#include <hullscan/hull-json.h>
#include "hull-os-packages-plugin.h"

gchar *
hull_ospkg_eol_lookup(const char *json_path, const HullOsInfo *os, gchar **source, GError **error)
{
	*source = NULL;
	if (os->id == NULL || os->version_id == NULL)
		return NULL;
	/* a vendor may replace the table: it goes through the same checks as any JSON read */
	g_autoptr(GMappedFile) map = g_mapped_file_new(json_path, FALSE, error);
	g_autoptr(JsonParser) parser = json_parser_new();
	if (map == NULL ||
	    !hull_json_load_one(parser, g_mapped_file_get_contents(map), g_mapped_file_get_length(map), error)) {
		g_prefix_error(error, "%s: ", json_path);
		return NULL;
	}
	JsonNode *root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "%s: not a JSON object", json_path);
		return NULL;
	}
	JsonObject *o = json_node_get_object(root);
	JsonObject *releases = json_object_get_object_member(o, "releases");
	JsonObject *sources = json_object_get_object_member(o, "sources");
	if (releases == NULL || !json_object_has_member(releases, os->id))
		return NULL;
	JsonNode *dn = json_object_get_member(releases, os->id);
	if (!JSON_NODE_HOLDS_OBJECT(dn))
		return NULL;
	JsonObject *dist = json_node_get_object(dn);
	/* Exact version first ("22.04", "3.19"), then the major ("9.3" → "9"). */
	g_autofree gchar *major = g_strndup(os->version_id, strcspn(os->version_id, "."));
	const char *keys[] = { os->version_id, major };
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (!json_object_has_member(dist, keys[i]))
			continue;
		JsonNode *n = json_object_get_member(dist, keys[i]);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
			continue;
		if (sources != NULL && json_object_has_member(sources, os->id))
			*source = g_strdup(json_object_get_string_member(sources, os->id));
		return g_strdup(json_node_get_string(n));
	}
	return NULL;
}
