/* test-json-one.c: hull_json_load_one() (sdk/hullscan/hull-json.h) refuses text with more than
 * one JSON value, which json-glib 1.6 accepts (keeping the last value, leaking the others),
 * and text nested deeper than HULL_JSON_MAX_DEPTH, on which json-glib's recursive parser
 * overflows the stack, and passes everything else to json-glib unchanged. */
#include <string.h>
#include <hullscan/hull-json.h>

static void
test_one_value(void)
{
	const char *one[] = {
	    "{}", " [1, 2] \n", "\"a\"", "0", "-1.5e+3", "true", "null", "{\"a\": \"}{\\\"]\"}",
	    "[\"[\", \"\\\\\"]", "\t{\"k\": [{}, []]}\r\n", "", "   ", "{\"a\": \"\\u00e9\"}", NULL};
	const char *more[] = {
	    "{} {}", "[] []", "0{\"a\":1}", "1 [1]", "\"x\" {}", "true {\"a\": {\"b\": 1}}", "{\"a\":1}x",
	    "[1]]", "{}}", "\"a\"\"b\"", "0 0", "{\"a\": \"}\"} {}", NULL};
	for (guint i = 0; one[i] != NULL; i++) {
		if (!hull_json_is_one_value(one[i], strlen(one[i])))
			g_error("one value refused: %s", one[i]);
	}
	for (guint i = 0; more[i] != NULL; i++) {
		if (hull_json_is_one_value(more[i], strlen(more[i])))
			g_error("more than one value accepted: %s", more[i]);
		g_autoptr(JsonParser) p = json_parser_new();
		g_autoptr(GError) error = NULL;
		g_assert_false(hull_json_load_one(p, more[i], strlen(more[i]), &error));
		g_assert_error(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
	}
	/* unterminated text is left to the parser, which refuses it */
	const char *cut[] = {"{\"a\": [1,", "\"abc", "[[[", NULL};
	for (guint i = 0; cut[i] != NULL; i++) {
		g_assert_true(hull_json_is_one_value(cut[i], strlen(cut[i])));
		g_autoptr(JsonParser) p = json_parser_new();
		g_assert_false(hull_json_load_one(p, cut[i], strlen(cut[i]), NULL));
	}
	/* a value is still loaded as json-glib loads it; NULL with length 0 is empty text */
	g_autoptr(JsonParser) p = json_parser_new();
	g_assert_true(hull_json_load_one(p, "{\"a\": [1]}", 10, NULL));
	g_assert_true(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)));
	g_autoptr(JsonParser) e = json_parser_new();
	g_assert_true(hull_json_load_one(e, NULL, 0, NULL));
	g_assert_null(json_parser_get_root(e));
	/* only @len bytes are looked at: what follows them is not content */
	g_autoptr(JsonParser) n = json_parser_new();
	g_assert_true(hull_json_load_one(n, "[1] [2]", 3, NULL));
}

/* @depth levels of @open (each a one-byte opener such as "[" or a prefix such as "{\"a\":"),
 * a 1 inside, then the closers. */
static GString *
nested(guint depth, const char *open, char close)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < depth; i++)
		g_string_append(s, open);
	g_string_append_c(s, '1');
	for (guint i = 0; i < depth; i++)
		g_string_append_c(s, close);
	return s;
}

static gboolean
load(const char *text, gsize len, GError **error)
{
	g_autoptr(JsonParser) p = json_parser_new();
	return hull_json_load_one(p, text, len, error);
}

static void
assert_too_deep(const char *text, gsize len)
{
	g_autoptr(GError) error = NULL;
	g_assert_false(load(text, len, &error));
	g_assert_error(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "nested deeper than 256 levels"));
	g_assert_null(strchr(error->message, '\n'));
}

static void
test_depth(void)
{
	g_assert_cmpint(HULL_JSON_MAX_DEPTH, ==, 256);
	/* at the limit: parsed, and the value is json-glib's */
	GString *at = nested(HULL_JSON_MAX_DEPTH, "[", ']');
	g_autoptr(GError) error = NULL;
	g_assert_true(load(at->str, at->len, &error));
	g_assert_no_error(error);
	GString *obj = nested(HULL_JSON_MAX_DEPTH, "{\"a\":", '}');
	g_assert_true(load(obj->str, obj->len, NULL));
	/* one more: refused before json-glib */
	GString *over = nested(HULL_JSON_MAX_DEPTH + 1, "[", ']');
	assert_too_deep(over->str, over->len);
	GString *over_obj = nested(HULL_JSON_MAX_DEPTH + 1, "{\"a\":", '}');
	assert_too_deep(over_obj->str, over_obj->len);
	/* 100,000 unclosed '[' (what overflowed the stack): refused at once, whatever follows */
	gsize big = 100000;
	char *deep = g_malloc(big);
	memset(deep, '[', big);
	gint64 t0 = g_get_monotonic_time();
	assert_too_deep(deep, big);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, G_USEC_PER_SEC);
	g_assert_false(hull_json_is_one_value(deep, big));
	g_free(deep);
	/* brackets inside strings do not count, escaped quotes do not end the string */
	GString *str = g_string_new("{\"k\": \"\\\"");
	for (guint i = 0; i < 10000; i++)
		g_string_append(str, "[{");
	g_string_append(str, "\"}");
	g_assert_true(load(str->str, str->len, NULL));
	/* opening kinds mix: {"a":[{"a":[ ... counts each level */
	GString *mix = g_string_new(NULL);
	for (guint i = 0; i < HULL_JSON_MAX_DEPTH / 2; i++)
		g_string_append(mix, "{\"a\":[");
	g_string_append_c(mix, '1');
	for (guint i = 0; i < HULL_JSON_MAX_DEPTH / 2; i++)
		g_string_append(mix, "]}");
	g_assert_true(load(mix->str, mix->len, NULL));
	g_string_prepend(mix, "[");
	g_string_append(mix, "]");
	assert_too_deep(mix->str, mix->len);
	/* closing levels make room again: depth, not the count of brackets, is what is limited */
	GString *wide = g_string_new("[");
	for (guint i = 0; i < 1000; i++)
		g_string_append(wide, i == 0 ? "[[[[]]]]" : ",[[[[]]]]");
	g_string_append(wide, "]");
	g_assert_true(load(wide->str, wide->len, NULL));
	GString *gs[] = {at, obj, over, over_obj, str, mix, wide};
	for (guint i = 0; i < G_N_ELEMENTS(gs); i++)
		g_string_free(gs[i], TRUE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/json/one-value", test_one_value);
	g_test_add_func("/json/depth", test_depth);
	return g_test_run();
}
