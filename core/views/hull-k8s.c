/* hull-k8s.c: the Kubernetes objects view. Decides whether a file may hold manifests, picks
 * the JSON or YAML loader, skips Helm templates (they are not Kubernetes objects until
 * rendered), and turns each document with apiVersion and kind into a HullK8sObject, expanding
 * `kind: List` and `*List` documents into their items. */
#include <string.h>

#include "hull-k8s.h"

#define HULL_K8S_SNIFF_BYTES 65536

gboolean
hull_k8s_sniff(const char *path, const guint8 *data, gsize len)
{
	g_return_val_if_fail(data != NULL || len == 0, FALSE);
	gsize n = MIN(len, (gsize)HULL_K8S_SNIFF_BYTES);
	/* Manifests name their kind early; Helm templates are claimed too so they get a note. */
	return memmem(data, n, "kind", 4) != NULL || memmem(data, n, "{{", 2) != NULL;
}

/* Helm templates: a control line (`{{- if … }}`) or a file under templates/ using actions.
 * A ConfigMap that merely quotes "{{" inside a value is still a manifest. */
static gboolean
hull_k8s_is_helm(const char *path, const guint8 *data, gsize len)
{
	if (memmem(data, len, "{{", 2) == NULL)
		return FALSE;
	if (path != NULL && (strstr(path, "/templates/") != NULL || g_str_has_prefix(path, "templates/")))
		return TRUE;
	const char *s = (const char *)data;
	const char *end = s + len;
	for (const char *p = s; p < end;) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *eol = nl != NULL ? nl : end;
		const char *q = p;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (eol - q >= 2 && q[0] == '{' && q[1] == '{')
			return TRUE;
		/* `key: {{ .Values.x }}` unquoted is a flow mapping in YAML and breaks parsing. */
		const char *colon = memmem(q, (gsize)(eol - q), ": {{", 4);
		if (colon != NULL)
			return TRUE;
		p = eol + 1;
	}
	return FALSE;
}

static const char *
hull_k8s_str_member(JsonObject *obj, const char *name)
{
	JsonNode *n = obj != NULL ? json_object_get_member(obj, name) : NULL;
	if (n == NULL || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	const char *s = json_node_get_string(n);
	return s != NULL && *s != '\0' ? s : NULL;
}

static JsonObject *
hull_k8s_obj_member(JsonObject *obj, const char *name)
{
	JsonNode *n = obj != NULL ? json_object_get_member(obj, name) : NULL;
	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

void
hull_k8s_object_free(HullK8sObject *obj)
{
	if (obj == NULL)
		return;
	g_free(obj->kind);
	g_free(obj->api_version);
	g_free(obj->namespace);
	g_free(obj->name);
	g_free(obj->path);
	g_free(obj->ref);
	if (obj->root != NULL)
		json_node_unref(obj->root);
	g_free(obj);
}

/* Kinds the API server stores without a namespace: a metadata.namespace on them is ignored
 * by Kubernetes, so it is by the view too. */
static gboolean
hull_k8s_kind_is_cluster_scoped(const char *kind)
{
	static const char *const kinds[] = {
		"ClusterRole", "ClusterRoleBinding", "Namespace", "Node", "PersistentVolume", "StorageClass",
		"CustomResourceDefinition", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
		"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "PriorityClass",
		"CertificateSigningRequest", "IngressClass", "RuntimeClass", "APIService", "PodSecurityPolicy",
		"CSIDriver", "CSINode", "VolumeAttachment", "FlowSchema", "PriorityLevelConfiguration", NULL};
	return g_strv_contains(kinds, kind);
}

/* Takes a reference on @node when it is a manifest (an object with apiVersion and kind). */
static HullK8sObject *
hull_k8s_object_new(const char *path, int layer, guint line, JsonNode *node)
{
	if (!JSON_NODE_HOLDS_OBJECT(node))
		return NULL;
	JsonObject *o = json_node_get_object(node);
	const char *kind = hull_k8s_str_member(o, "kind");
	const char *api = hull_k8s_str_member(o, "apiVersion");
	if (kind == NULL || api == NULL)
		return NULL;
	JsonObject *meta = hull_k8s_obj_member(o, "metadata");
	HullK8sObject *obj = g_new0(HullK8sObject, 1);
	obj->kind = g_strdup(kind);
	obj->api_version = g_strdup(api);
	if (!hull_k8s_kind_is_cluster_scoped(kind))
		obj->namespace = g_strdup(hull_k8s_str_member(meta, "namespace"));
	obj->name = g_strdup(hull_k8s_str_member(meta, "name"));
	if (obj->name == NULL && hull_k8s_str_member(meta, "generateName") != NULL)
		obj->name = g_strdup(hull_k8s_str_member(meta, "generateName"));
	obj->path = g_strdup(path != NULL ? path : "");
	obj->line = line;
	obj->layer = layer;
	obj->root = json_node_ref(node);
	const char *name = obj->name != NULL ? obj->name : "<unnamed>";
	obj->ref = obj->namespace != NULL ? g_strdup_printf("%s/%s/%s", kind, obj->namespace, name)
	                                  : g_strdup_printf("%s/%s", kind, name);
	return obj;
}

static void
hull_k8s_add_doc(const char *path, int layer, HullK8sDoc *doc, GPtrArray *objects)
{
	if (!JSON_NODE_HOLDS_OBJECT(doc->root))
		return;
	JsonObject *o = json_node_get_object(doc->root);
	const char *kind = hull_k8s_str_member(o, "kind");
	JsonNode *items = json_object_get_member(o, "items");
	if (kind != NULL && g_str_has_suffix(kind, "List") && items != NULL && JSON_NODE_HOLDS_ARRAY(items)) {
		JsonArray *arr = json_node_get_array(items);
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			guint line = doc->line;
			if (doc->item_lines != NULL && i < doc->item_lines->len)
				line = g_array_index(doc->item_lines, guint, i);
			HullK8sObject *obj = hull_k8s_object_new(path, layer, line, json_array_get_element(arr, i));
			if (obj != NULL)
				g_ptr_array_add(objects, obj);
		}
		return;
	}
	HullK8sObject *obj = hull_k8s_object_new(path, layer, doc->line, doc->root);
	if (obj != NULL)
		g_ptr_array_add(objects, obj);
}

static gboolean
hull_k8s_looks_json(const guint8 *data, gsize len)
{
	gsize i = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && g_ascii_isspace(data[i]))
		i++;
	return i < len && (data[i] == '{' || data[i] == '[');
}

gboolean
hull_k8s_parse(const char *path, int layer, const guint8 *data, gsize len, GPtrArray *objects, GPtrArray *notes,
               GError **error)
{
	g_return_val_if_fail(data != NULL || len == 0, FALSE);
	g_return_val_if_fail(objects != NULL, FALSE);

	if (hull_k8s_is_helm(path, data, len)) {
		if (notes != NULL)
			g_ptr_array_add(notes, g_strdup("Helm template skipped (render it with `helm template` to scan it)"));
		return TRUE;
	}
	g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func((GDestroyNotify)hull_k8s_doc_free);
	g_autoptr(GError) local = NULL;
	gboolean ok;
	if (hull_k8s_looks_json(data, len)) {
		ok = hull_k8s_json_load(data, len, docs, notes, &local);
		/* YAML flow style also starts with '{': let the YAML loader have a go. */
		if (!ok && docs->len == 0 && local->code == G_IO_ERROR_INVALID_DATA && strstr(local->message, "nesting") == NULL) {
			g_clear_error(&local);
			ok = hull_k8s_yaml_load(data, len, docs, notes, &local);
		}
	} else {
		ok = hull_k8s_yaml_load(data, len, docs, notes, &local);
	}
	for (guint i = 0; i < docs->len; i++)
		hull_k8s_add_doc(path, layer, g_ptr_array_index(docs, i), objects);
	if (!ok) {
		g_set_error(error, local->domain, local->code, "%s: %s", path != NULL ? path : "(input)", local->message);
		return FALSE;
	}
	return TRUE;
}

const char *
hull_k8s_object_get_kind(HullK8sObject *obj)
{
	g_return_val_if_fail(obj != NULL, NULL);
	return obj->kind;
}

const char *
hull_k8s_object_get_api_version(HullK8sObject *obj)
{
	g_return_val_if_fail(obj != NULL, NULL);
	return obj->api_version;
}

const char *
hull_k8s_object_get_namespace(HullK8sObject *obj)
{
	g_return_val_if_fail(obj != NULL, NULL);
	return obj->namespace;
}

const char *
hull_k8s_object_get_name(HullK8sObject *obj)
{
	g_return_val_if_fail(obj != NULL, NULL);
	return obj->name;
}

const char *
hull_k8s_object_get_path(HullK8sObject *obj)
{
	g_return_val_if_fail(obj != NULL, NULL);
	return obj->path;
}

guint
hull_k8s_object_get_line(HullK8sObject *obj)
{
	g_return_val_if_fail(obj != NULL, 0);
	return obj->line;
}

int
hull_k8s_object_get_layer(HullK8sObject *obj)
{
	g_return_val_if_fail(obj != NULL, -1);
	return obj->layer;
}

JsonObject *
hull_k8s_object_get_document(HullK8sObject *obj)
{
	g_return_val_if_fail(obj != NULL, NULL);
	return json_node_get_object(obj->root);
}

const char *
hull_k8s_object_get_ref(HullK8sObject *obj)
{
	g_return_val_if_fail(obj != NULL, NULL);
	return obj->ref;
}
