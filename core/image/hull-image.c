/* hull-image.c: a container image's metadata as plugins see it (config, diff_ids, history mapped
 * to layers, repo tags, digest) and the step both image sources share: indexing the layers in
 * order into the merged fs. */
#include <string.h>
#include "hull-fs-private.h"
#include <hullscan/hull-json.h>

HullImage *
hull_image_new(void)
{
	HullImage *img = g_new0(HullImage, 1);
	img->empty = json_object_new();
	img->diff_ids = g_ptr_array_new_with_free_func(g_free);
	img->layer_created_by = g_ptr_array_new_with_free_func(g_free);
	img->history_created_by = g_ptr_array_new_with_free_func(g_free);
	img->history_empty = g_array_new(FALSE, TRUE, sizeof(gboolean));
	img->history_layer = g_array_new(FALSE, TRUE, sizeof(int));
	img->repo_tags = g_new0(char *, 1);
	return img;
}

void
hull_image_free(HullImage *image)
{
	if (image == NULL)
		return;
	if (image->config_node != NULL)
		json_node_unref(image->config_node);
	json_object_unref(image->empty);
	g_ptr_array_unref(image->diff_ids);
	g_ptr_array_unref(image->layer_created_by);
	g_ptr_array_unref(image->history_created_by);
	g_array_unref(image->history_empty);
	g_array_unref(image->history_layer);
	g_free(image->digest);
	g_free(image->config_sha256);
	g_strfreev(image->repo_tags);
	g_free(image);
}

static const char *
hull_json_str(JsonObject *o, const char *member)
{
	if (o == NULL || !json_object_has_member(o, member))
		return NULL;
	JsonNode *n = json_object_get_member(o, member);
	if (n == NULL || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

gboolean
hull_image_set_config(HullImage *image, GBytes *config, const char *name, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	gsize len;
	const char *data = g_bytes_get_data(config, &len);
	g_autoptr(GError) perr = NULL;
	g_free(image->config_sha256);
	image->config_sha256 = hull_sha256_hex(data, len);
	if (!hull_json_load_one(parser, data, len, &perr) || json_parser_get_root(parser) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "image config %s: not a JSON object%s%s",
		            name, perr ? ": " : "", perr ? perr->message : "");
		return FALSE;
	}
	image->config_node = json_node_ref(json_parser_get_root(parser));
	image->config_doc = json_node_get_object(image->config_node);
	JsonObject *doc = image->config_doc;
	if (json_object_has_member(doc, "config") && JSON_NODE_HOLDS_OBJECT(json_object_get_member(doc, "config")))
		image->config = json_object_get_object_member(doc, "config");
	JsonObject *rootfs = json_object_has_member(doc, "rootfs") &&
	                             JSON_NODE_HOLDS_OBJECT(json_object_get_member(doc, "rootfs"))
	                         ? json_object_get_object_member(doc, "rootfs")
	                         : NULL;
	JsonNode *ids = rootfs != NULL ? json_object_get_member(rootfs, "diff_ids") : NULL;
	if (ids != NULL && JSON_NODE_HOLDS_ARRAY(ids)) {
		JsonArray *a = json_node_get_array(ids);
		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonNode *n = json_array_get_element(a, i);
			if (json_node_get_value_type(n) != G_TYPE_STRING) {
				g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
				            "image config %s: diff_ids[%u] is not a string", name, i);
				return FALSE;
			}
			g_ptr_array_add(image->diff_ids, g_strdup(json_node_get_string(n)));
		}
	}
	JsonNode *hist = json_object_get_member(doc, "history");
	int next_layer = 0;
	if (hist != NULL && JSON_NODE_HOLDS_ARRAY(hist)) {
		JsonArray *a = json_node_get_array(hist);
		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonNode *n = json_array_get_element(a, i);
			JsonObject *h = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
			const char *cb = hull_json_str(h, "created_by");
			JsonNode *en = h != NULL ? json_object_get_member(h, "empty_layer") : NULL;
			gboolean empty = en != NULL && JSON_NODE_HOLDS_VALUE(en) &&
			                 json_node_get_value_type(en) == G_TYPE_BOOLEAN && json_node_get_boolean(en);
			int layer = -1;
			if (!empty && (guint)next_layer < image->diff_ids->len)
				layer = next_layer++;
			g_ptr_array_add(image->history_created_by, g_strdup(cb));
			g_array_append_val(image->history_empty, empty);
			g_array_append_val(image->history_layer, layer);
		}
	}
	for (guint i = 0; i < image->diff_ids->len; i++)
		g_ptr_array_add(image->layer_created_by, NULL);
	for (guint i = 0; i < image->history_layer->len; i++) {
		int l = g_array_index(image->history_layer, int, i);
		if (l >= 0 && image->layer_created_by->pdata[l] == NULL)
			image->layer_created_by->pdata[l] = g_strdup(g_ptr_array_index(image->history_created_by, i));
	}
	return TRUE;
}

/* The deferred digest check: every layer in order, the first mismatch kept. */
static gpointer
hull_image_verify_thread(gpointer data)
{
	HullFs *fs = data;
	/* the same size limit as the index pass: a decompression bomb stops here too */
	HullOpenOptions opt = {.verify_digests = TRUE, .max_image_size = fs->verify_max_size};
	guint64 total = 0;
	for (guint i = 0; i < fs->layers->len && fs->verify_error == NULL; i++)
		hull_layer_index(fs, g_ptr_array_index(fs->layers, i), &opt, FALSE, &total, &fs->verify_error);
	return NULL;
}

gboolean
hull_fs_finish_verify(HullFs *fs, GError **error)
{
	if (fs->verify_thread != NULL)
		g_thread_join(g_steal_pointer(&fs->verify_thread));
	if (fs->verify_error != NULL) {
		g_propagate_error(error, g_steal_pointer(&fs->verify_error));
		return FALSE;
	}
	return TRUE;
}

gboolean
hull_image_load_layers(HullTarget *t, const HullOpenOptions *opt, GError **error)
{
	HullFs *fs = t->fs;
	guint64 total = 0;
	if (opt->skip_layers)
		return TRUE;
	HullOpenOptions index_opt = *opt;
	if (opt->verify_digests && opt->defer_verify && fs->layers->len > 0) {
		/* Hashing is a third of a scan: it runs beside the index pass and the walk, which
		 * read the same bytes from the page cache. */
		fs->verify_max_size = opt->max_image_size;
		fs->verify_thread = g_thread_new("hull-verify", hull_image_verify_thread, fs);
		index_opt.verify_digests = FALSE;
	}
	for (guint i = 0; i < fs->layers->len; i++) {
		HullLayer *l = g_ptr_array_index(fs->layers, i);
		if (!hull_layer_index(fs, l, &index_opt, TRUE, &total, error)) {
			g_atomic_int_set(&fs->verify_cancel, 1);
			if (*error != NULL) {
				/* name the input on the one line */
				g_prefix_error(error, "%s: ", t->input);
			}
			return FALSE;
		}
	}
	return TRUE;
}

JsonObject *
hull_image_get_config(HullImage *image)
{
	g_return_val_if_fail(image != NULL, NULL);
	return image->config != NULL ? image->config : image->empty;
}

JsonObject *
hull_image_get_config_document(HullImage *image)
{
	g_return_val_if_fail(image != NULL, NULL);
	return image->config_doc != NULL ? image->config_doc : image->empty;
}

guint
hull_image_get_n_layers(HullImage *image)
{
	g_return_val_if_fail(image != NULL, 0);
	return image->diff_ids->len;
}

const char *
hull_image_get_layer_diff_id(HullImage *image, guint index)
{
	g_return_val_if_fail(image != NULL, NULL);
	if (index >= image->diff_ids->len)
		return NULL;
	return g_ptr_array_index(image->diff_ids, index);
}

const char *
hull_image_get_layer_created_by(HullImage *image, guint index)
{
	g_return_val_if_fail(image != NULL, NULL);
	if (index >= image->layer_created_by->len)
		return NULL;
	return g_ptr_array_index(image->layer_created_by, index);
}

guint
hull_image_get_n_history(HullImage *image)
{
	g_return_val_if_fail(image != NULL, 0);
	return image->history_created_by->len;
}

const char *
hull_image_get_history_created_by(HullImage *image, guint index)
{
	g_return_val_if_fail(image != NULL, NULL);
	if (index >= image->history_created_by->len)
		return NULL;
	return g_ptr_array_index(image->history_created_by, index);
}

gboolean
hull_image_get_history_empty_layer(HullImage *image, guint index)
{
	g_return_val_if_fail(image != NULL, FALSE);
	if (index >= image->history_empty->len)
		return FALSE;
	return g_array_index(image->history_empty, gboolean, index);
}

int
hull_image_get_history_layer(HullImage *image, guint index)
{
	g_return_val_if_fail(image != NULL, -1);
	if (index >= image->history_layer->len)
		return -1;
	return g_array_index(image->history_layer, int, index);
}

const char *
hull_image_get_digest(HullImage *image)
{
	g_return_val_if_fail(image != NULL, NULL);
	return image->digest;
}

const char *const *
hull_image_get_repo_tags(HullImage *image)
{
	g_return_val_if_fail(image != NULL, NULL);
	return (const char *const *)image->repo_tags;
}
