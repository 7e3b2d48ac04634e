/* hull-json.h: loading one JSON document from untrusted bytes. Header-only: nothing here is a
 * symbol of the core, so it adds nothing to the plugin ABI.
 *
 * json-glib 1.6 accepts text that holds more than one value ("{} {}", "0{...}"): it reports
 * success, keeps the last value and leaks the ones before it. Every other JSON reader (Docker,
 * containerd, Kubernetes) refuses such text, so a manifest read that way is not the manifest
 * they would read, and a file of many values costs memory that is never returned.
 * json-glib's parser also recurses once per nesting level with no limit of its own, so 100,000
 * '[' (100 KB) overflow the stack. hull_json_load_one() refuses both before json-glib sees the
 * text, in the one bracket scan that finds where the first value ends. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deepest nesting of arrays and objects hull_json_load_one() lets through. json-glib's parser
 * (and json_node_copy/free, JsonGenerator, JsonPath after it) recurse once per level, at a few
 * hundred bytes of stack each (more under ASan): 256 levels cost well under 1 MB of stack,
 * while no image config, manifest, index, daemon.json or bundle.json nests past about ten. */
#define HULL_JSON_MAX_DEPTH 256

static inline gsize
hull_json_skip_space(const char *data, gsize i, gsize len)
{
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	return i;
}

/* Finds where the JSON value that starts at @start (after any whitespace) ends, without
 * validating it: strings and escapes are followed, brackets counted, a bare scalar ends at the
 * first byte no scalar has. Sets *@end just past the value, or to @len when the text ends
 * first (*@closed FALSE; the parser then says what is wrong). FALSE with @error
 * (JSON_PARSER_ERROR_INVALID_DATA) as soon as the nesting passes HULL_JSON_MAX_DEPTH: the scan
 * stops there, so 100,000 '[' cost 257 steps. */
static inline gboolean
hull_json_find_value_end(const char *data, gsize len, gsize start, gsize *end, gboolean *closed, GError **error)
{
	gsize i = hull_json_skip_space(data, start, len);
	*closed = TRUE;
	if (i >= len) {
		*end = len;
		return TRUE;
	}
	if (data[i] != '{' && data[i] != '[' && data[i] != '"') {
		while (i < len && (g_ascii_isalnum(data[i]) || data[i] == '+' || data[i] == '-' || data[i] == '.'))
			i++;
		*end = i;
		return TRUE;
	}
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
			if (++depth > HULL_JSON_MAX_DEPTH) {
				g_set_error(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
				            "JSON nested deeper than %d levels (at byte %" G_GSIZE_FORMAT "): refused",
				            HULL_JSON_MAX_DEPTH, i);
				return FALSE;
			}
		} else if (c == '}' || c == ']') {
			if (depth == 0 || --depth == 0)
				break;
		}
	}
	if (i >= len) {
		*closed = FALSE;
		*end = len;
		return TRUE;
	}
	*end = i + 1;
	return TRUE;
}

/* Whether @data holds at most one JSON value, with nothing but whitespace around it. Not a
 * validator (see hull_json_find_value_end()); text nested too deep counts as not one value. */
static inline gboolean
hull_json_is_one_value(const char *data, gsize len)
{
	gsize end;
	gboolean closed;
	if (!hull_json_find_value_end(data, len, 0, &end, &closed, NULL))
		return FALSE;
	return hull_json_skip_space(data, end, len) >= len;
}

/* json_parser_load_from_data() on @len bytes of @data (NULL with @len 0 is empty text), after
 * refusing text nested deeper than HULL_JSON_MAX_DEPTH or with more than one value
 * (JSON_PARSER_ERROR_INVALID_DATA, one line). Every reader of untrusted JSON goes through
 * here: json-glib must never see such text. */
static inline gboolean
hull_json_load_one(JsonParser *parser, const char *data, gsize len, GError **error)
{
	if (data == NULL)
		data = "";
	gsize end;
	gboolean closed;
	if (!hull_json_find_value_end(data, len, 0, &end, &closed, error))
		return FALSE;
	if (hull_json_skip_space(data, end, len) < len) {
		g_set_error_literal(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
		                    "more than one JSON value (content after the first)");
		return FALSE;
	}
	return json_parser_load_from_data(parser, data, (gssize)len, error);
}

G_END_DECLS
