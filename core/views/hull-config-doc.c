/* hull-config-doc.c: the run-configurations view: Docker Compose files, docker/podman
 * inspect output and OCI runtime configs, recognised by name and a cheap look at their first
 * bytes, and parsed with the same bounded YAML/JSON loaders as Kubernetes objects. */
#include <string.h>
#include "hull-k8s.h"
#include "hull-scan-private.h"

struct _HullConfigDocument {
	gchar *kind;
	gchar *path;
	guint line;
	int layer;
	JsonNode *root;
};

#define HULL_CONFIG_SNIFF_BYTES 65536

static gboolean
hull_config_is_compose_name(const char *base)
{
	static const char *const prefixes[] = {"compose.", "docker-compose.", "podman-compose.", NULL};
	for (guint i = 0; prefixes[i] != NULL; i++) {
		if (g_str_has_prefix(base, prefixes[i]) && (g_str_has_suffix(base, ".yaml") || g_str_has_suffix(base, ".yml")))
			return TRUE;
	}
	return FALSE;
}

const char *
hull_config_doc_sniff(const char *path, const guint8 *data, gsize len)
{
	const char *base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	gsize n = MIN(len, HULL_CONFIG_SNIFF_BYTES);
	if (hull_config_is_compose_name(base))
		return memmem(data, n, "services", 8) != NULL ? "compose" : NULL;
	if (!g_str_has_suffix(base, ".json"))
		return NULL;
	gsize i = 0;
	while (i < n && g_ascii_isspace(data[i]))
		i++;
	if (i == n || (data[i] != '{' && data[i] != '['))
		return NULL;
	if (memmem(data, n, "\"ociVersion\"", 12) != NULL)
		return "oci-runtime";
	if (memmem(data, n, "\"HostConfig\"", 12) != NULL)
		return "docker-inspect";
	return NULL;
}

void
hull_config_document_free(HullConfigDocument *doc)
{
	if (doc == NULL)
		return;
	g_free(doc->kind);
	g_free(doc->path);
	if (doc->root != NULL)
		json_node_unref(doc->root);
	g_free(doc);
}

gboolean
hull_config_doc_parse(const char *path, int layer, const char *kind, const guint8 *data, gsize len, GPtrArray *docs,
                      GPtrArray *notes, GError **error)
{
	g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func((GDestroyNotify)hull_k8s_doc_free);
	gboolean ok = g_strcmp0(kind, "compose") == 0 ? hull_k8s_yaml_load(data, len, loaded, notes, error)
	                                              : hull_k8s_json_load(data, len, loaded, notes, error);
	for (guint i = 0; i < loaded->len; i++) {
		HullK8sDoc *d = g_ptr_array_index(loaded, i);
		if (d->root == NULL || JSON_NODE_HOLDS_NULL(d->root))
			continue;
		HullConfigDocument *doc = g_new0(HullConfigDocument, 1);
		doc->kind = g_strdup(kind);
		doc->path = g_strdup(path);
		doc->line = d->line;
		doc->layer = layer;
		doc->root = json_node_ref(d->root);
		g_ptr_array_add(docs, doc);
	}
	return ok;
}

guint
hull_scan_get_n_config_documents(HullScan *scan)
{
	g_return_val_if_fail(scan != NULL, 0);
	return scan->config_docs->len;
}

HullConfigDocument *
hull_scan_get_config_document(HullScan *scan, guint index)
{
	g_return_val_if_fail(scan != NULL, NULL);
	g_return_val_if_fail(index < scan->config_docs->len, NULL);
	return g_ptr_array_index(scan->config_docs, index);
}

const char *
hull_config_document_get_kind(HullConfigDocument *doc)
{
	g_return_val_if_fail(doc != NULL, NULL);
	return doc->kind;
}

const char *
hull_config_document_get_path(HullConfigDocument *doc)
{
	g_return_val_if_fail(doc != NULL, NULL);
	return doc->path;
}

guint
hull_config_document_get_line(HullConfigDocument *doc)
{
	g_return_val_if_fail(doc != NULL, 0);
	return doc->line;
}

int
hull_config_document_get_layer(HullConfigDocument *doc)
{
	g_return_val_if_fail(doc != NULL, -1);
	return doc->layer;
}

JsonNode *
hull_config_document_get_root(HullConfigDocument *doc)
{
	g_return_val_if_fail(doc != NULL, NULL);
	return doc->root;
}

/* Sort key for a deterministic view: path, then line. */
gint hull_config_document_compare(gconstpointer a, gconstpointer b);

gint
hull_config_document_compare(gconstpointer a, gconstpointer b)
{
	const HullConfigDocument *x = *(HullConfigDocument *const *)a, *y = *(HullConfigDocument *const *)b;
	gint r = g_strcmp0(x->path, y->path);
	return r != 0 ? r : (x->line < y->line ? -1 : x->line > y->line ? 1 : 0);
}
