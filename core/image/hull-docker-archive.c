/* hull-docker-archive.c: the docker-archive source (`docker save`, `podman save`, `skopeo copy
 * docker-archive:`): manifest.json lists each image's config and layer members; --ref picks an
 * image by one of its RepoTags, otherwise the first image is taken. Every reference is checked to
 * stay inside the archive before it is read. */
#include <string.h>
#include "hull-fs-private.h"
#include <hullscan/hull-json.h>

static gboolean
hull_tags_match(JsonArray *tags, const char *ref)
{
	if (tags == NULL)
		return FALSE;
	g_autofree char *with_latest = strchr(ref, ':') == NULL ? g_strconcat(ref, ":latest", NULL) : NULL;
	for (guint i = 0; i < json_array_get_length(tags); i++) {
		JsonNode *n = json_array_get_element(tags, i);
		if (json_node_get_value_type(n) != G_TYPE_STRING)
			continue;
		const char *t = json_node_get_string(n);
		if (g_strcmp0(t, ref) == 0 || g_strcmp0(t, with_latest) == 0)
			return TRUE;
	}
	return FALSE;
}

static JsonArray *
hull_member_array(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);
	return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

/* Docker names configs "<hex>.json" (or "blobs/sha256/<hex>" since 25.0): the name is a digest. */
static const char *
hull_name_digest(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	gsize n = strspn(base, "0123456789abcdef");
	if (n != 64 || !(base[64] == '\0' || strcmp(base + 64, ".json") == 0))
		return NULL;
	return base;
}

gboolean
hull_docker_archive_load(HullTarget *t, HullBlobSource *src, const HullOpenOptions *opt, GError **error)
{
	const char *input = t->input;
	g_autoptr(GBytes) mbytes = hull_blob_source_read_all(src, "manifest.json", HULL_IMAGE_MAX_JSON, error);
	if (mbytes == NULL)
		return FALSE;
	g_autoptr(JsonParser) parser = json_parser_new();
	gsize len;
	const char *data = g_bytes_get_data(mbytes, &len);
	/* whitespace alone parses, to no root at all */
	if (!hull_json_load_one(parser, data, len, NULL) || json_parser_get_root(parser) == NULL ||
	    !JSON_NODE_HOLDS_ARRAY(json_parser_get_root(parser)) ||
	    json_array_get_length(json_node_get_array(json_parser_get_root(parser))) == 0) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
		            "%s: manifest.json is not a non-empty JSON array", input);
		return FALSE;
	}
	JsonArray *images = json_node_get_array(json_parser_get_root(parser));
	JsonObject *chosen = NULL;
	for (guint i = 0; i < json_array_get_length(images); i++) {
		JsonNode *n = json_array_get_element(images, i);
		if (!JSON_NODE_HOLDS_OBJECT(n)) {
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
			            "%s: manifest.json entry %u is not an object", input, i);
			return FALSE;
		}
		JsonObject *o = json_node_get_object(n);
		if (opt->ref == NULL || hull_tags_match(hull_member_array(o, "RepoTags"), opt->ref)) {
			chosen = o;
			break;
		}
	}
	if (chosen == NULL) {
		GString *all = g_string_new(NULL);
		for (guint i = 0; i < json_array_get_length(images); i++) {
			JsonArray *tags = hull_member_array(json_array_get_object_element(images, i), "RepoTags");
			for (guint j = 0; tags != NULL && j < json_array_get_length(tags); j++) {
				JsonNode *tn = json_array_get_element(tags, j);
				if (json_node_get_value_type(tn) == G_TYPE_STRING)
					g_string_append_printf(all, "%s%s", all->len ? ", " : "", json_node_get_string(tn));
			}
		}
		g_autofree char *shown = hull_printable(all->str);
		g_string_free(all, TRUE);
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NO_MATCH, "%s: no image tagged %s (it has: %s)",
		            input, opt->ref, shown[0] ? shown : "no tags");
		return FALSE;
	}

	const char *config_name = NULL;
	JsonNode *cn = json_object_get_member(chosen, "Config");
	if (cn != NULL && json_node_get_value_type(cn) == G_TYPE_STRING)
		config_name = json_node_get_string(cn);
	JsonArray *layers = hull_member_array(chosen, "Layers");
	if (config_name == NULL || layers == NULL) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
		            "%s: manifest.json entry has no Config or Layers", input);
		return FALSE;
	}
	g_autofree char *config_shown = hull_printable(config_name);
	g_autoptr(GBytes) config = hull_blob_source_read_all(src, config_name, HULL_IMAGE_MAX_JSON, error);
	if (config == NULL)
		return FALSE;

	HullImage *img = hull_image_new();
	t->image = img;
	gsize clen;
	const void *cdata = g_bytes_get_data(config, &clen);
	g_autofree char *chex = hull_sha256_hex(cdata, clen);
	img->digest = g_strconcat("sha256:", chex, NULL);
	const char *named = hull_name_digest(config_name);
	if (opt->verify_digests && named != NULL && strncmp(named, chex, 64) != 0) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_DIGEST,
		            "%s: config %s does not match its digest (sha256:%s)", input, config_shown, chex);
		return FALSE;
	}
	if (!hull_image_set_config(img, config, config_shown, error)) {
		g_prefix_error(error, "%s: ", input);
		return FALSE;
	}
	JsonArray *tags = hull_member_array(chosen, "RepoTags");
	if (tags != NULL) {
		GPtrArray *v = g_ptr_array_new();
		for (guint i = 0; i < json_array_get_length(tags); i++) {
			JsonNode *tn = json_array_get_element(tags, i);
			if (json_node_get_value_type(tn) == G_TYPE_STRING)
				g_ptr_array_add(v, g_strdup(json_node_get_string(tn)));
		}
		g_ptr_array_add(v, NULL);
		g_strfreev(img->repo_tags);
		img->repo_tags = (char **)g_ptr_array_free(v, FALSE);
	}

	guint n = json_array_get_length(layers);
	if (n > HULL_IMAGE_MAX_LAYERS) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: %u layers is more than %u", input, n,
		            HULL_IMAGE_MAX_LAYERS);
		return FALSE;
	}
	if (img->diff_ids->len != n) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
		            "%s: manifest.json lists %u layers but the config has %u diff_ids", input, n,
		            img->diff_ids->len);
		return FALSE;
	}
	for (guint i = 0; i < n; i++) {
		JsonNode *ln = json_array_get_element(layers, i);
		if (json_node_get_value_type(ln) != G_TYPE_STRING) {
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: layer %u is not a string", input, i);
			return FALSE;
		}
		const char *name = json_node_get_string(ln);
		if (!hull_blob_source_has(src, name)) {
			g_autofree char *shown = hull_printable(name);
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
			            "%s: manifest.json layer \"%s\" is missing or points outside the archive", input, shown);
			return FALSE;
		}
		HullLayer *l = hull_layer_new(i, name, name);
		l->expect_diff_id = g_strdup(g_ptr_array_index(img->diff_ids, i));
		g_ptr_array_add(t->fs->layers, l);
	}
	return hull_image_load_layers(t, opt, error);
}
