/* hull-k8s-json.c: reads JSON manifests, including several documents concatenated in one
 * file (as `kubectl get -o json` output piped together). json-glib parses one value, so the
 * stream is split first at top-level value boundaries by hull_json_find_value_end(), the scan
 * that also refuses nesting too deep for json-glib's recursive parser. */
#include <string.h>
#include <hullscan/hull-json.h>

#include "hull-k8s.h"

static gboolean
hull_k8s_json_one(const char *text, gsize len, guint line, GPtrArray *docs, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) local = NULL;
	if (!hull_json_load_one(parser, text, len, &local)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "JSON document at line %u: %s", line, local->message);
		return FALSE;
	}
	JsonNode *root = json_parser_get_root(parser);
	if (root == NULL || JSON_NODE_HOLDS_NULL(root))
		return TRUE;
	HullK8sDoc *doc = g_new0(HullK8sDoc, 1);
	doc->root = json_node_copy(root);
	doc->line = line;
	doc->item_lines = g_array_new(FALSE, FALSE, sizeof(guint));
	g_ptr_array_add(docs, doc);
	return TRUE;
}

gboolean
hull_k8s_json_load(const guint8 *data, gsize len, GPtrArray *docs, GPtrArray *notes, GError **error)
{
	const char *s = (const char *)data;
	gsize i = 0;
	guint line = 1;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len) {
		char c = s[i];
		if (c == '\n') {
			line++;
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c != '{' && c != '[') {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "JSON stream at line %u: expected '{' or '['", line);
			return FALSE;
		}
		gsize start = i;
		guint start_line = line;
		gsize end;
		gboolean closed;
		g_autoptr(GError) deep = NULL;
		/* the one scan (hull-json.h) that also holds the nesting limit json-glib lacks */
		if (!hull_json_find_value_end(s, len, start, &end, &closed, &deep)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "JSON document at line %u: %s", start_line,
			            deep->message);
			return FALSE;
		}
		if (!closed) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "JSON document at line %u: truncated", start_line);
			return FALSE;
		}
		for (const char *nl = s + start; (nl = memchr(nl, '\n', end - (gsize)(nl - s))) != NULL; nl++)
			line++;
		i = end;
		if (!hull_k8s_json_one(s + start, end - start, start_line, docs, error))
			return FALSE;
	}
	return TRUE;
}
