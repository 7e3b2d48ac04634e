/* hull-k8s-json.c: reads JSON manifests, including several documents concatenated in one
 * file (as `kubectl get -o json` output piped together). json-glib parses one value, so the
 * stream is split first at top-level value boundaries with a scanner that understands
 * strings and escapes; the same scan measures nesting so a hostile file is refused before
 * json-glib's recursive parser sees it. */
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
		guint depth = 0;
		gboolean in_str = FALSE;
		for (; i < len; i++) {
			c = s[i];
			if (c == '\n')
				line++;
			if (in_str) {
				if (c == '\\')
					i++;
				else if (c == '"')
					in_str = FALSE;
				continue;
			}
			if (c == '"') {
				in_str = TRUE;
			} else if (c == '{' || c == '[') {
				if (++depth > HULL_K8S_MAX_DEPTH) {
					g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
					            "JSON at line %u: nesting deeper than %u levels: refused", line,
					            (guint)HULL_K8S_MAX_DEPTH);
					return FALSE;
				}
			} else if (c == '}' || c == ']') {
				if (--depth == 0) {
					i++;
					break;
				}
			}
		}
		if (depth != 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "JSON document at line %u: truncated", start_line);
			return FALSE;
		}
		if (!hull_k8s_json_one(s + start, MIN(i, len) - start, start_line, docs, error))
			return FALSE;
	}
	return TRUE;
}
