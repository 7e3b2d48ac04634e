/* hull-k8s.h: the layout of the Kubernetes objects view and the interface between its files:
 * the YAML loader (libyaml events to JSON with Kubernetes' scalar rules and bounded alias
 * expansion), the JSON stream loader (concatenated JSON documents) and hull-k8s.c, which turns
 * documents into objects. Nothing outside core/views/hull-k8s*.c needs it but their tests. */
#pragma once

#include <hullscan/hull-json.h>

#include "hull-views-private.h"

G_BEGIN_DECLS

/* Limits that keep hostile input bounded. YAML nests no deeper than JSON may (hull-json.h):
 * what either loader yields is walked by the same recursive json-glib code. */
#define HULL_K8S_MAX_DEPTH HULL_JSON_MAX_DEPTH
/* Nodes an alias expansion may produce per stream: the larger of this and 10x the input size,
 * and never more than HULL_K8S_MAX_NODES nodes in all (about 150 MB of JSON nodes at worst). */
#define HULL_K8S_MIN_ALIAS_NODES 100000
#define HULL_K8S_MAX_NODES 1000000

struct _HullK8sObject {
	char *kind;
	char *api_version;
	char *namespace;
	char *name;
	char *path;
	char *ref;
	guint line;
	int layer;
	JsonNode *root;  /* an object node */
};

/* One document of a stream: its root node and the line it starts on; item_lines holds the
 * start line of each element of a top-level "items" sequence (for List kinds). */
typedef struct {
	JsonNode *root;
	guint line;
	GArray *item_lines;  /* guint */
} HullK8sDoc;

void hull_k8s_doc_free(HullK8sDoc *doc);

/* Loads every document of a YAML stream into @docs (HullK8sDoc*, owned by the array's free
 * function). Notes (gchar*) go to @notes. FALSE with @error on a syntax error or a broken
 * limit; documents completed before it stay in @docs. */
gboolean hull_k8s_yaml_load(const guint8 *data, gsize len, GPtrArray *docs, GPtrArray *notes, GError **error);
/* The same for one JSON document or several concatenated ones. */
gboolean hull_k8s_json_load(const guint8 *data, gsize len, GPtrArray *docs, GPtrArray *notes, GError **error);
/* Resolves a plain YAML scalar as Kubernetes does (sigs.k8s.io/yaml over go-yaml v2, YAML 1.1
 * core types: yes/no/on/off/y/n booleans, 0x/0o/0b/leading-0 octal integers, '_' separators,
 * no sexagesimal numbers). (transfer full) */
JsonNode *hull_k8s_resolve_plain(const char *text, gsize len);

G_END_DECLS
