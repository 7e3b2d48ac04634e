/* hull-secrets-rules.c: the loader of secret rules files. It validates every field (a user's
 * in-house rules file is untrusted input), compiles the regexes with PCRE2 and its JIT once,
 * and refuses rules that could not be matched by the engine: no keyword, no `secret` group, a
 * window larger than the engine keeps. */
#include "hull-secrets-rules.h"
#include <hullscan/hull-json.h>

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#define HULL_SECRETS_MAX_RULES_FILE (16 * 1024 * 1024)

static void
hull_secrets_pcre_free(gpointer code)
{
	pcre2_code_free(code);
}

void
hull_secrets_rule_free(HullSecretsRule *rule)
{
	if (rule == NULL)
		return;
	g_free(rule->id);
	g_free(rule->title);
	g_free(rule->kind);
	g_free(rule->description);
	g_free(rule->remediation);
	g_strfreev(rule->aliases);
	g_strfreev(rule->references);
	g_strfreev(rule->keywords);
	g_strfreev(rule->stopwords);
	g_strfreev(rule->path_globs);
	hull_secrets_globs_free(rule->path_specs);
	g_free(rule->regex);
	if (rule->re != NULL)
		pcre2_code_free(rule->re);
	if (rule->allow != NULL)
		g_ptr_array_unref(rule->allow);
	g_strfreev(rule->positive);
	g_strfreev(rule->negative);
	g_free(rule);
}

HullSecretsGlobal *
hull_secrets_global_new(void)
{
	HullSecretsGlobal *global = g_new0(HullSecretsGlobal, 1);
	global->stopwords = g_ptr_array_new_with_free_func(g_free);
	global->allow = g_ptr_array_new_with_free_func(hull_secrets_pcre_free);
	return global;
}

void
hull_secrets_global_free(HullSecretsGlobal *global)
{
	if (global == NULL)
		return;
	g_ptr_array_unref(global->stopwords);
	g_ptr_array_unref(global->allow);
	g_free(global);
}

double
hull_secrets_entropy(const char *s, gsize len)
{
	guint counts[256] = { 0 };
	double h = 0.0;

	if (len == 0)
		return 0.0;
	for (gsize i = 0; i < len; i++)
		counts[(guchar)s[i]]++;
	for (guint i = 0; i < 256; i++) {
		if (counts[i] == 0)
			continue;
		double p = (double)counts[i] / (double)len;
		h -= p * log2(p);
	}
	return h;
}

static pcre2_code *
hull_secrets_compile(const char *pattern, const char *name, const char *what, GError **error)
{
	int errcode = 0;
	PCRE2_SIZE erroff = 0;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &errcode, &erroff, NULL);

	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s: bad regex at offset %zu: %s",
		            name, what, (size_t)erroff, (const char *)msg);
		return NULL;
	}
	/* JIT is an optimisation: a platform without it still matches, only slower. */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

/* A JSON array of strings, or NULL when absent; anything else is an error. */
static gboolean
hull_secrets_get_strv(JsonObject *obj, const char *member, gboolean lower, GStrv *out, const char *name,
                      const char *id, GError **error)
{
	*out = NULL;
	if (!json_object_has_member(obj, member))
		return TRUE;
	JsonNode *node = json_object_get_member(obj, member);
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s: \"%s\" must be an array of strings",
		            name, id, member);
		return FALSE;
	}
	JsonArray *arr = json_node_get_array(node);
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonNode *e = json_array_get_element(arr, i);
		if (!JSON_NODE_HOLDS_VALUE(e) || json_node_get_value_type(e) != G_TYPE_STRING) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "%s: rule %s: \"%s\"[%u] is not a string", name, id, member, i);
			return FALSE;
		}
		const char *s = json_node_get_string(e);
		if (lower) {
			g_autofree gchar *l = g_ascii_strdown(s, -1);
			g_strv_builder_add(b, l);
		} else {
			g_strv_builder_add(b, s);
		}
	}
	*out = g_strv_builder_end(b);
	return TRUE;
}

static gboolean
hull_secrets_get_string(JsonObject *obj, const char *member, gboolean required, gchar **out, const char *name,
                        const char *id, GError **error)
{
	*out = NULL;
	if (!json_object_has_member(obj, member)) {
		if (required) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s: \"%s\" is missing",
			            name, id, member);
			return FALSE;
		}
		return TRUE;
	}
	JsonNode *node = json_object_get_member(obj, member);
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s: \"%s\" must be a string",
		            name, id, member);
		return FALSE;
	}
	*out = g_strdup(json_node_get_string(node));
	return TRUE;
}

static gboolean
hull_secrets_get_number(JsonObject *obj, const char *member, double min, double max, double *out,
                        const char *name, const char *id, GError **error)
{
	if (!json_object_has_member(obj, member))
		return TRUE;
	JsonNode *node = json_object_get_member(obj, member);
	GType t = JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node) : G_TYPE_INVALID;
	if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s: \"%s\" must be a number",
		            name, id, member);
		return FALSE;
	}
	double v = json_node_get_double(node);
	if (!(v >= min && v <= max)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s: \"%s\" must be in [%g, %g]",
		            name, id, member, min, max);
		return FALSE;
	}
	*out = v;
	return TRUE;
}

static gboolean
hull_secrets_id_valid(const char *id)
{
	if (id == NULL || *id == '\0' || strlen(id) > 64)
		return FALSE;
	for (const char *p = id; *p; p++) {
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
			return FALSE;
	}
	return TRUE;
}

static HullSecretsRule *
hull_secrets_parse_rule(JsonNode *node, guint index, const char *name, GError **error)
{
	g_autoptr(HullSecretsRule) rule = g_new0(HullSecretsRule, 1);
	g_autofree gchar *where = g_strdup_printf("#%u", index);
	g_autofree gchar *severity = NULL;
	double before = 256, after = 512;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s is not an object", name, where);
		return NULL;
	}
	JsonObject *obj = json_node_get_object(node);
	if (!hull_secrets_get_string(obj, "id", TRUE, &rule->id, name, where, error))
		return NULL;
	if (!hull_secrets_id_valid(rule->id)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s: rule %s: id must be 1-64 characters of [A-Za-z0-9._-]", name, where);
		return NULL;
	}
	const char *id = rule->id;
	if (!hull_secrets_get_string(obj, "title", TRUE, &rule->title, name, id, error) ||
	    !hull_secrets_get_string(obj, "kind", FALSE, &rule->kind, name, id, error) ||
	    !hull_secrets_get_string(obj, "description", FALSE, &rule->description, name, id, error) ||
	    !hull_secrets_get_string(obj, "remediation", FALSE, &rule->remediation, name, id, error) ||
	    !hull_secrets_get_string(obj, "severity", FALSE, &severity, name, id, error) ||
	    !hull_secrets_get_string(obj, "regex", TRUE, &rule->regex, name, id, error) ||
	    !hull_secrets_get_strv(obj, "aliases", FALSE, &rule->aliases, name, id, error) ||
	    !hull_secrets_get_strv(obj, "references", FALSE, &rule->references, name, id, error) ||
	    !hull_secrets_get_strv(obj, "keywords", TRUE, &rule->keywords, name, id, error) ||
	    !hull_secrets_get_strv(obj, "stopwords", TRUE, &rule->stopwords, name, id, error) ||
	    !hull_secrets_get_strv(obj, "paths", FALSE, &rule->path_globs, name, id, error) ||
	    !hull_secrets_get_number(obj, "entropy", 0, 8, &rule->entropy, name, id, error) ||
	    !hull_secrets_get_number(obj, "before", 0, HULL_SECRETS_MAX_WINDOW, &before, name, id, error) ||
	    !hull_secrets_get_number(obj, "after", 0, HULL_SECRETS_MAX_WINDOW, &after, name, id, error))
		return NULL;
	rule->before = (guint)before;
	rule->after = (guint)after;
	if (rule->kind == NULL)
		rule->kind = g_strdup("generic");
	rule->severity = HULL_SEVERITY_HIGH;
	if (severity != NULL && !hull_severity_from_string(severity, &rule->severity)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s: unknown severity \"%s\"",
		            name, id, severity);
		return NULL;
	}
	if (rule->keywords == NULL || rule->keywords[0] == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s: rule %s: at least one keyword is needed (the prefilter)", name, id);
		return NULL;
	}
	for (guint i = 0; rule->keywords[i] != NULL; i++) {
		gsize kl = strlen(rule->keywords[i]);
		if (kl < 2 || kl > 64) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "%s: rule %s: keyword \"%s\" must be 2-64 bytes", name, id, rule->keywords[i]);
			return NULL;
		}
	}
	rule->global_filters = TRUE;
	if (json_object_has_member(obj, "global_filters")) {
		JsonNode *g = json_object_get_member(obj, "global_filters");
		if (!JSON_NODE_HOLDS_VALUE(g) || json_node_get_value_type(g) != G_TYPE_BOOLEAN) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "%s: rule %s: \"global_filters\" must be a boolean", name, id);
			return NULL;
		}
		rule->global_filters = json_node_get_boolean(g);
	}

	g_autofree gchar *what = g_strdup_printf("rule %s", id);
	rule->re = hull_secrets_compile(rule->regex, name, what, error);
	if (rule->re == NULL)
		return NULL;
	int group = pcre2_substring_number_from_name(rule->re, (PCRE2_SPTR) "secret");
	if (group <= 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s: rule %s: the regex needs a named group (?<secret>…)", name, id);
		return NULL;
	}
	rule->secret_group = (guint32)group;

	g_auto(GStrv) allow = NULL;
	if (!hull_secrets_get_strv(obj, "allow", FALSE, &allow, name, id, error))
		return NULL;
	rule->allow = g_ptr_array_new_with_free_func(hull_secrets_pcre_free);
	for (guint i = 0; allow != NULL && allow[i] != NULL; i++) {
		g_autofree gchar *w = g_strdup_printf("rule %s: allow[%u]", id, i);
		pcre2_code *re = hull_secrets_compile(allow[i], name, w, error);
		if (re == NULL)
			return NULL;
		g_ptr_array_add(rule->allow, re);
	}
	rule->path_specs = hull_secrets_globs_new((const char *const *)rule->path_globs);

	if (json_object_has_member(obj, "tests")) {
		JsonNode *t = json_object_get_member(obj, "tests");
		if (!JSON_NODE_HOLDS_OBJECT(t)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s: \"tests\" must be an object",
			            name, id);
			return NULL;
		}
		JsonObject *to = json_node_get_object(t);
		if (!hull_secrets_get_strv(to, "positive", FALSE, &rule->positive, name, id, error) ||
		    !hull_secrets_get_strv(to, "negative", FALSE, &rule->negative, name, id, error))
			return NULL;
	}
	return g_steal_pointer(&rule);
}

gboolean
hull_secrets_rules_parse(const char *data, gsize len, const char *name, GPtrArray *rules,
                         HullSecretsGlobal *global, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) local = NULL;

	if (!hull_json_load_one(parser, data, len, &local)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not JSON: %s", name, local->message);
		return FALSE;
	}
	JsonNode *root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: the top level must be an object", name);
		return FALSE;
	}
	JsonObject *top = json_node_get_object(root);

	if (json_object_has_member(top, "global")) {
		JsonNode *g = json_object_get_member(top, "global");
		if (!JSON_NODE_HOLDS_OBJECT(g)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: \"global\" must be an object", name);
			return FALSE;
		}
		JsonObject *go = json_node_get_object(g);
		g_auto(GStrv) stop = NULL;
		g_auto(GStrv) allow = NULL;
		if (!hull_secrets_get_strv(go, "stopwords", TRUE, &stop, name, "global", error) ||
		    !hull_secrets_get_strv(go, "allow", FALSE, &allow, name, "global", error))
			return FALSE;
		for (guint i = 0; stop != NULL && stop[i] != NULL; i++)
			g_ptr_array_add(global->stopwords, g_strdup(stop[i]));
		for (guint i = 0; allow != NULL && allow[i] != NULL; i++) {
			g_autofree gchar *w = g_strdup_printf("global allow[%u]", i);
			pcre2_code *re = hull_secrets_compile(allow[i], name, w, error);
			if (re == NULL)
				return FALSE;
			g_ptr_array_add(global->allow, re);
		}
	}

	if (!json_object_has_member(top, "rules")) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no \"rules\" array", name);
		return FALSE;
	}
	JsonNode *rn = json_object_get_member(top, "rules");
	if (!JSON_NODE_HOLDS_ARRAY(rn)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: \"rules\" must be an array", name);
		return FALSE;
	}
	JsonArray *arr = json_node_get_array(rn);
	g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func((GDestroyNotify)hull_secrets_rule_free);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		HullSecretsRule *rule = hull_secrets_parse_rule(json_array_get_element(arr, i), i, name, error);
		if (rule == NULL)
			return FALSE;
		for (guint j = 0; j < rules->len; j++) {
			if (g_strcmp0(((HullSecretsRule *)rules->pdata[j])->id, rule->id) == 0) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s is defined twice",
				            name, rule->id);
				hull_secrets_rule_free(rule);
				return FALSE;
			}
		}
		for (guint j = 0; j < parsed->len; j++) {
			if (g_strcmp0(((HullSecretsRule *)parsed->pdata[j])->id, rule->id) == 0) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s is defined twice",
				            name, rule->id);
				hull_secrets_rule_free(rule);
				return FALSE;
			}
		}
		g_ptr_array_add(parsed, rule);
	}
	for (guint i = 0; i < parsed->len; i++)
		g_ptr_array_add(rules, g_steal_pointer(&parsed->pdata[i]));
	g_ptr_array_set_free_func(parsed, NULL);
	return TRUE;
}

gboolean
hull_secrets_rules_load_file(const char *path, GPtrArray *rules, HullSecretsGlobal *global, GError **error)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &data, &len, error))
		return FALSE;
	if (len > HULL_SECRETS_MAX_RULES_FILE) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rules file larger than 16 MiB", path);
		return FALSE;
	}
	return hull_secrets_rules_parse(data, len, path, rules, global, error);
}

static const char *
hull_secrets_alphabet(const char *name)
{
	if (g_str_equal(name, "alnum"))
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	if (g_str_equal(name, "hex"))
		return "0123456789abcdef";
	if (g_str_equal(name, "HEX"))
		return "0123456789ABCDEF";
	if (g_str_equal(name, "upper"))
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	if (g_str_equal(name, "lower"))
		return "abcdefghijklmnopqrstuvwxyz";
	if (g_str_equal(name, "digits"))
		return "0123456789";
	if (g_str_equal(name, "b64"))
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	if (g_str_equal(name, "b64url"))
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	if (g_str_equal(name, "upnum"))
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	if (g_str_equal(name, "bech32"))
		return "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
	if (g_str_equal(name, "lownum"))
		return "abcdefghijklmnopqrstuvwxyz0123456789";
	return NULL;
}

gchar *
hull_secrets_expand_template(const char *tmpl, GRand *rand)
{
	GString *out = g_string_new(NULL);
	const char *p = tmpl;

	while (*p) {
		const char *open = strstr(p, "{{");
		if (open == NULL) {
			g_string_append(out, p);
			break;
		}
		const char *close = strstr(open, "}}");
		if (close == NULL) {
			g_string_append(out, p);
			break;
		}
		g_string_append_len(out, p, open - p);
		g_autofree gchar *spec = g_strndup(open + 2, close - open - 2);
		p = close + 2;
		if (g_str_equal(spec, "nl")) {
			g_string_append_c(out, '\n');
			continue;
		}
		g_auto(GStrv) parts = g_strsplit(spec, ":", 2);
		const char *alpha = parts[0] != NULL ? hull_secrets_alphabet(parts[0]) : NULL;
		guint64 n = 0;
		if (alpha == NULL || parts[1] == NULL || !g_ascii_string_to_unsigned(parts[1], 10, 1, 100000, &n, NULL)) {
			/* Not a placeholder: keep it literally. */
			g_string_append_printf(out, "{{%s}}", spec);
			continue;
		}
		gsize alen = strlen(alpha);
		for (guint64 i = 0; i < n; i++)
			g_string_append_c(out, alpha[g_rand_int_range(rand, 0, (gint32)alen)]);
	}
	return g_string_free(out, FALSE);
}
