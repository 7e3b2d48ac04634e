/* hull-json.h: loading one JSON document from untrusted bytes. Header-only: nothing here is a
 * symbol of the core, so it adds nothing to the plugin ABI.
 *
 * json-glib 1.6 accepts text that holds more than one value ("{} {}", "0{...}"): it reports
 * success, keeps the last value and leaks the ones before it. Every other JSON reader (Docker,
 * containerd, Kubernetes) refuses such text, so a manifest read that way is not the manifest
 * they would read, and a file of many values costs memory that is never returned.
 * hull_json_load_one() refuses anything after the first value before json-glib sees it. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

static inline gsize
hull_json_skip_space(const char *data, gsize i, gsize len)
{
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	return i;
}

/* Whether @data holds at most one JSON value, with nothing but whitespace around it. Not a
 * validator: it finds where the first value ends (strings and brackets tracked, a bare
 * scalar ends at the first byte no scalar has); the parser judges the value itself. */
static inline gboolean
hull_json_is_one_value(const char *data, gsize len)
{
	gsize i = hull_json_skip_space(data, 0, len);
	if (i >= len)
		return TRUE;
	if (data[i] == '{' || data[i] == '[' || data[i] == '"') {
		gsize depth = 0;
		gboolean in_string = FALSE;
		for (; i < len; i++) {
			char c = data[i];
			if (in_string) {
				if (c == '\\') {
					i++;
				} else if (c == '"') {
					in_string = FALSE;
					if (depth == 0)
						break;
				}
				continue;
			}
			if (c == '"') {
				in_string = TRUE;
			} else if (c == '{' || c == '[') {
				depth++;
			} else if (c == '}' || c == ']') {
				if (depth == 0 || --depth == 0)
					break;
			}
		}
		if (i >= len)
			return TRUE; /* unterminated: the parser says so */
		i++;
	} else {
		while (i < len && (g_ascii_isalnum(data[i]) || data[i] == '+' || data[i] == '-' || data[i] == '.'))
			i++;
	}
	return hull_json_skip_space(data, i, len) >= len;
}

/* json_parser_load_from_data() on @len bytes of @data (NULL with @len 0 is empty text), after
 * refusing text with more than one value (JSON_PARSER_ERROR_INVALID_DATA). */
static inline gboolean
hull_json_load_one(JsonParser *parser, const char *data, gsize len, GError **error)
{
	if (data == NULL)
		data = "";
	if (!hull_json_is_one_value(data, len)) {
		g_set_error_literal(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
		                    "more than one JSON value (content after the first)");
		return FALSE;
	}
	return json_parser_load_from_data(parser, data, (gssize)len, error);
}

G_END_DECLS
