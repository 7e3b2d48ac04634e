/* test-json-one.c: hull_json_load_one() (sdk/hullscan/hull-json.h) refuses text with more than
 * one JSON value, which json-glib 1.6 accepts (keeping the last value, leaking the others),
 * and passes everything else to json-glib unchanged. */
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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/json/one-value", test_one_value);
	return g_test_run();
}
