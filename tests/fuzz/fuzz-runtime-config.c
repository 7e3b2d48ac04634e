/* fuzz-runtime-config.c: libFuzzer harness for the runtime-config normalisers and rules. The
 * first byte picks the source (Kubernetes object, Compose, docker inspect, OCI config), the
 * rest is JSON; whatever the document holds, normalising and evaluating it must end in
 * records, results or notes, never a crash, with bounded output. */
#include <stdint.h>
#include <string.h>
#include <hullscan/hull-json.h>

#include "hull-rc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 1 << 20)
		return 0;
	const char *text = (const char *)data + 1;
	gsize len = size - 1;
	g_autoptr(JsonParser) p = json_parser_new();
	if (!hull_json_load_one(p, text, len, NULL) || json_parser_get_root(p) == NULL)
		return 0;
	JsonNode *root = json_parser_get_root(p);
	g_autoptr(GPtrArray) cs = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rc_container_free);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	switch (data[0] % 4) {
	case 0:
		if (JSON_NODE_HOLDS_OBJECT(root))
			hull_rc_from_k8s(json_node_get_object(root), "Pod/x", "/x.yaml", 1, -1, cs, notes);
		break;
	case 1:
		hull_rc_from_compose(root, "/compose.yaml", 1, -1, cs, notes);
		break;
	case 2:
		hull_rc_from_inspect(root, "/inspect.json", 1, -1, cs, notes);
		break;
	default:
		hull_rc_from_oci(root, "/config.json", 1, -1, cs, notes);
		break;
	}
	g_assert(cs->len <= HULL_RC_MAX_CONTAINERS * 3);
	g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rc_result_free);
	for (guint i = 0; i < cs->len; i++)
		hull_rc_evaluate(g_ptr_array_index(cs, i), NULL, NULL, i % 2 ? "util-linux" : NULL, results);
	for (guint i = 0; i < results->len; i++) {
		HullRcResult *r = g_ptr_array_index(results, i);
		g_assert(r->rule_id != NULL && r->message != NULL && r->key != NULL);
		g_assert(strlen(r->message) < 1 << 16);
	}
	return 0;
}
