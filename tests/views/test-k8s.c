/* test-k8s.c: the Kubernetes objects loader: multi-document streams, Lists, JSON streams,
 * Kubernetes' YAML 1.1 scalar rules, merge keys, duplicate keys, Helm templates, and hostile
 * input (billion laughs, deep nesting, invalid UTF-8, tabs, huge scalars, NULs). */
#include <string.h>

#include "views/hull-k8s.h"

typedef struct {
	GPtrArray *objects;
	GPtrArray *notes;
	GError *error;
	gboolean ok;
} Parsed;

static void
parsed_clear(Parsed *p)
{
	g_ptr_array_unref(p->objects);
	g_ptr_array_unref(p->notes);
	g_clear_error(&p->error);
}

static Parsed
parse_len(const char *path, const char *text, gsize len)
{
	Parsed p = {0};
	p.objects = g_ptr_array_new_with_free_func((GDestroyNotify)hull_k8s_object_free);
	p.notes = g_ptr_array_new_with_free_func(g_free);
	p.ok = hull_k8s_parse(path, 2, (const guint8 *)text, len, p.objects, p.notes, &p.error);
	return p;
}

static Parsed
parse(const char *text)
{
	return parse_len("/m/x.yaml", text, strlen(text));
}

static HullK8sObject *
obj_at(Parsed *p, guint i)
{
	g_assert_cmpuint(i, <, p->objects->len);
	return g_ptr_array_index(p->objects, i);
}

static JsonNode *
member(HullK8sObject *o, const char *dotted)
{
	g_auto(GStrv) parts = g_strsplit(dotted, ".", -1);
	JsonObject *cur = hull_k8s_object_get_document(o);
	JsonNode *n = NULL;
	for (guint i = 0; parts[i] != NULL; i++) {
		g_assert_nonnull(cur);
		n = json_object_get_member(cur, parts[i]);
		g_assert_nonnull(n);
		cur = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
	}
	return n;
}

static void
test_multi_doc(void)
{
	const char *y = "# leading comment\n"
	                "apiVersion: v1\n"
	                "kind: ServiceAccount\n"
	                "metadata: {name: a, namespace: ci}\n"
	                "--- # trailing comment on the separator\n"
	                "---\n"
	                "\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\n"
	                "kind: ClusterRole\n"
	                "metadata:\n"
	                "  name: reader\n"
	                "  namespace: ignored-for-cluster-scoped\n"
	                "...\n"
	                "---\n"
	                "just: config\n"
	                "---\n";
	Parsed p = parse(y);
	g_assert_no_error(p.error);
	g_assert_true(p.ok);
	g_assert_cmpuint(p.objects->len, ==, 2);
	HullK8sObject *a = obj_at(&p, 0), *b = obj_at(&p, 1);
	g_assert_cmpstr(hull_k8s_object_get_kind(a), ==, "ServiceAccount");
	g_assert_cmpstr(hull_k8s_object_get_ref(a), ==, "ServiceAccount/ci/a");
	g_assert_cmpuint(hull_k8s_object_get_line(a), ==, 2);
	g_assert_cmpstr(hull_k8s_object_get_ref(b), ==, "ClusterRole/reader");
	g_assert_null(hull_k8s_object_get_namespace(b));
	g_assert_cmpuint(hull_k8s_object_get_line(b), ==, 8);
	g_assert_cmpstr(hull_k8s_object_get_api_version(b), ==, "rbac.authorization.k8s.io/v1");
	g_assert_cmpstr(hull_k8s_object_get_path(b), ==, "/m/x.yaml");
	g_assert_cmpint(hull_k8s_object_get_layer(b), ==, 2);
	parsed_clear(&p);
}

static void
test_crlf_bom(void)
{
	const char *y = "\xEF\xBB\xBF" "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\n  namespace: n\r\n"
	                "---\r\napiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: q\r\n";
	Parsed p = parse(y);
	g_assert_no_error(p.error);
	g_assert_cmpuint(p.objects->len, ==, 2);
	g_assert_cmpstr(hull_k8s_object_get_name(obj_at(&p, 0)), ==, "p");
	g_assert_cmpstr(hull_k8s_object_get_name(obj_at(&p, 1)), ==, "q");
	g_assert_cmpuint(hull_k8s_object_get_line(obj_at(&p, 1)), ==, 7);
	parsed_clear(&p);
}

static void
test_list(void)
{
	const char *y = "apiVersion: v1\n"
	                "kind: List\n"
	                "items:\n"
	                "- apiVersion: v1\n"
	                "  kind: ServiceAccount\n"
	                "  metadata: {name: one}\n"
	                "- not: an object\n"
	                "- apiVersion: rbac.authorization.k8s.io/v1\n"
	                "  kind: Role\n"
	                "  metadata: {name: two, namespace: dev}\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\n"
	                "kind: RoleList\n"
	                "items: [{apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: three}}]\n";
	Parsed p = parse(y);
	g_assert_no_error(p.error);
	g_assert_cmpuint(p.objects->len, ==, 3);
	g_assert_cmpstr(hull_k8s_object_get_ref(obj_at(&p, 0)), ==, "ServiceAccount/one");
	g_assert_cmpuint(hull_k8s_object_get_line(obj_at(&p, 0)), ==, 4);
	g_assert_cmpstr(hull_k8s_object_get_ref(obj_at(&p, 1)), ==, "Role/dev/two");
	g_assert_cmpuint(hull_k8s_object_get_line(obj_at(&p, 1)), ==, 8);
	g_assert_cmpstr(hull_k8s_object_get_ref(obj_at(&p, 2)), ==, "Role/three");
	parsed_clear(&p);
}

static void
test_json_stream(void)
{
	const char *j = "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"a\"}}\n"
	                "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n"
	                "  {\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\",\"namespace\":\"x\"},"
	                "\"s\":\"}{\\\"\"}]}\n";
	Parsed p = parse_len("/a.json", j, strlen(j));
	g_assert_no_error(p.error);
	g_assert_cmpuint(p.objects->len, ==, 2);
	g_assert_cmpstr(hull_k8s_object_get_ref(obj_at(&p, 1)), ==, "Pod/x/b");
	g_assert_cmpuint(hull_k8s_object_get_line(obj_at(&p, 1)), ==, 2);
	g_assert_cmpstr(json_node_get_string(member(obj_at(&p, 1), "s")), ==, "}{\"");
	parsed_clear(&p);

	const char *bad = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}\n{\"truncated\": [";
	p = parse_len("/b.json", bad, strlen(bad));
	g_assert_false(p.ok);
	g_assert_error(p.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(p.error->message, "/b.json"));
	g_assert_cmpuint(p.objects->len, ==, 1);
	parsed_clear(&p);
}

/* Kubernetes decodes with go-yaml v2: YAML 1.1 booleans, Go integer syntax, no base 60. */
static void
test_scalars(void)
{
	const char *y = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n"
	                "a: yes\nb: on\nc: 'yes'\nd: 22:22\ne: 0777\nf: 0x1F\ng: 1_000\nh: 1.5e3\n"
	                "i: ~\nj: \"on\"\nk: !!str 42\nl: 0o17\nm: .inf\nnn: Off\no: 99999999999999999999\n"
	                "on: key\npp: y\nq: 12abc\n";
	Parsed p = parse(y);
	g_assert_no_error(p.error);
	g_assert_cmpuint(p.objects->len, ==, 1);
	HullK8sObject *o = obj_at(&p, 0);
	g_assert_true(json_node_get_boolean(member(o, "a")));
	g_assert_true(json_node_get_boolean(member(o, "b")));
	g_assert_cmpstr(json_node_get_string(member(o, "c")), ==, "yes");
	g_assert_cmpstr(json_node_get_string(member(o, "d")), ==, "22:22");
	g_assert_cmpint(json_node_get_int(member(o, "e")), ==, 511);
	g_assert_cmpint(json_node_get_int(member(o, "f")), ==, 31);
	g_assert_cmpint(json_node_get_int(member(o, "g")), ==, 1000);
	g_assert_cmpfloat(json_node_get_double(member(o, "h")), ==, 1500.0);
	g_assert_true(JSON_NODE_HOLDS_NULL(member(o, "i")));
	g_assert_cmpstr(json_node_get_string(member(o, "j")), ==, "on");
	g_assert_cmpstr(json_node_get_string(member(o, "k")), ==, "42");
	g_assert_cmpint(json_node_get_int(member(o, "l")), ==, 15);
	g_assert_cmpstr(json_node_get_string(member(o, "m")), ==, ".inf");
	g_assert_false(json_node_get_boolean(member(o, "nn")));
	g_assert_cmpuint(json_node_get_value_type(member(o, "o")), ==, G_TYPE_DOUBLE);
	/* A boolean key becomes "true", as sigs.k8s.io/yaml formats it. */
	g_assert_cmpstr(json_node_get_string(member(o, "true")), ==, "key");
	g_assert_true(json_node_get_boolean(member(o, "pp")));
	g_assert_cmpstr(json_node_get_string(member(o, "q")), ==, "12abc");
	parsed_clear(&p);
}

static void
test_anchors_merge_dups(void)
{
	const char *y = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\n"
	                "base: &b {x: 1, w: 2}\n"
	                "more: &m {z: 3, x: 9}\n"
	                "merged:\n  <<: [*b, *m]\n  w: 5\n"
	                "copy: *b\n"
	                "dup: 1\ndup: 2\n";
	Parsed p = parse(y);
	g_assert_no_error(p.error);
	HullK8sObject *o = obj_at(&p, 0);
	g_assert_cmpint(json_node_get_int(member(o, "merged.x")), ==, 1);
	g_assert_cmpint(json_node_get_int(member(o, "merged.w")), ==, 5);
	g_assert_cmpint(json_node_get_int(member(o, "merged.z")), ==, 3);
	g_assert_cmpint(json_node_get_int(member(o, "copy.w")), ==, 2);
	g_assert_cmpint(json_node_get_int(member(o, "dup")), ==, 2);
	g_assert_cmpuint(p.notes->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(p.notes, 0), "duplicate key \"dup\""));
	parsed_clear(&p);

	p = parse("a: *nope\n");
	g_assert_false(p.ok);
	g_assert_nonnull(strstr(p.error->message, "unknown anchor"));
	parsed_clear(&p);
}

static void
test_helm(void)
{
	const char *t = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}\n";
	Parsed p = parse_len("/chart/templates/sa.yaml", t, strlen(t));
	g_assert_true(p.ok);
	g_assert_cmpuint(p.objects->len, ==, 0);
	g_assert_cmpuint(p.notes->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(p.notes, 0), "Helm"));
	parsed_clear(&p);

	const char *ctl = "{{- if .Values.rbac }}\napiVersion: v1\nkind: ServiceAccount\n{{- end }}\n";
	p = parse_len("/x/sa.yaml", ctl, strlen(ctl));
	g_assert_true(p.ok);
	g_assert_cmpuint(p.objects->len, ==, 0);
	g_assert_cmpuint(p.notes->len, ==, 1);
	parsed_clear(&p);

	/* A ConfigMap carrying a template in a quoted value is a manifest. */
	const char *cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  t: \"{{ .Labels }}\"\n";
	p = parse_len("/x/cm.yaml", cm, strlen(cm));
	g_assert_true(p.ok);
	g_assert_cmpuint(p.objects->len, ==, 1);
	parsed_clear(&p);
}

static void
test_sniff(void)
{
	const char *y = "apiVersion: v1\nkind: Pod\n";
	g_assert_true(hull_k8s_sniff("/a.yaml", (const guint8 *)y, strlen(y)));
	const char *n = "name: ci\non: push\n";
	g_assert_false(hull_k8s_sniff("/a.yaml", (const guint8 *)n, strlen(n)));
	g_assert_false(hull_k8s_sniff("/a.yaml", (const guint8 *)"", 0));
}

/* Each level doubles the previous one: 2^30 nodes if expanded. */
static void
test_billion_laughs(void)
{
	GString *s = g_string_new("apiVersion: v1\nkind: ConfigMap\nl0: &l0 [lol, lol]\n");
	for (int i = 1; i <= 30; i++)
		g_string_append_printf(s, "l%d: &l%d [*l%d, *l%d]\n", i, i, i - 1, i - 1);
	gint64 t0 = g_get_monotonic_time();
	Parsed p = parse_len("/bomb.yaml", s->str, s->len);
	g_assert_false(p.ok);
	g_assert_error(p.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
	g_assert_nonnull(strstr(p.error->message, "alias expansion"));
	g_assert_cmpuint(p.objects->len, ==, 0);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 5 * G_USEC_PER_SEC);
	parsed_clear(&p);
	g_string_free(s, TRUE);

	/* Ordinary reuse of anchors stays within budget. */
	p = parse("apiVersion: v1\nkind: ConfigMap\na: &a {x: [1, 2, 3]}\nb: *a\nc: *a\n");
	g_assert_no_error(p.error);
	g_assert_cmpuint(p.objects->len, ==, 1);
	parsed_clear(&p);
}

/* Aliases nest their anchor's value where they land: a chain of anchors, each 100 levels
 * deep around an alias of the one before, would build a tree past the limit that the stack
 * of open mappings and sequences alone never sees (each copy is 100 levels on the stack). */
static void
test_alias_depth(void)
{
	for (guint levels = 2; levels <= 3; levels++) {
		GString *s = g_string_new("apiVersion: v1\nkind: ConfigMap\n");
		for (guint a = 0; a < levels; a++) {
			g_string_append_printf(s, "a%u: &a%u ", a, a);
			for (int i = 0; i < 100; i++)
				g_string_append_c(s, '[');
			if (a == 0)
				g_string_append(s, "x");
			else
				g_string_append_printf(s, "*a%u", a - 1);
			for (int i = 0; i < 100; i++)
				g_string_append_c(s, ']');
			g_string_append_c(s, '\n');
		}
		Parsed p = parse_len("/alias-deep.yaml", s->str, s->len);
		if (levels == 2) {
			/* 1 + 100 + 100 levels: within HULL_K8S_MAX_DEPTH */
			g_assert_no_error(p.error);
			g_assert_cmpuint(p.objects->len, ==, 1);
		} else {
			/* 1 + 100 + 100 + 100 */
			g_assert_false(p.ok);
			g_assert_nonnull(p.error);
			g_assert_nonnull(strstr(p.error->message, "alias \"a1\" nests deeper than 256 levels"));
			g_assert_cmpuint(p.objects->len, ==, 0);
		}
		parsed_clear(&p);
		g_string_free(s, TRUE);
	}
}

static void
test_deep_nesting(void)
{
	for (int style = 0; style < 3; style++) {
		GString *s = g_string_new(style == 2 ? "" : "apiVersion: v1\nkind: Pod\nx: ");
		for (int i = 0; i < 10000; i++)
			g_string_append(s, style == 1 ? "{a: " : "[");
		Parsed p = parse_len(style == 2 ? "/deep.json" : "/deep.yaml", s->str, s->len);
		g_assert_false(p.ok);
		g_assert_nonnull(p.error);
		g_assert_cmpuint(p.objects->len, ==, 0);
		parsed_clear(&p);
		g_string_free(s, TRUE);
	}
	/* Just under the limit parses. */
	GString *ok = g_string_new("apiVersion: v1\nkind: Pod\nx: ");
	for (int i = 0; i < HULL_K8S_MAX_DEPTH - 2; i++)
		g_string_append_c(ok, '[');
	for (int i = 0; i < HULL_K8S_MAX_DEPTH - 2; i++)
		g_string_append_c(ok, ']');
	Parsed p = parse_len("/ok.yaml", ok->str, ok->len);
	g_assert_no_error(p.error);
	g_assert_cmpuint(p.objects->len, ==, 1);
	parsed_clear(&p);
	g_string_free(ok, TRUE);
}

static void
test_hostile(void)
{
	/* Invalid UTF-8. */
	const char bad_utf8[] = "apiVersion: v1\nkind: Pod\nmetadata: {name: \xff\xfe}\n";
	Parsed p = parse_len("/u.yaml", bad_utf8, sizeof bad_utf8 - 1);
	g_assert_false(p.ok);
	g_assert_nonnull(strstr(p.error->message, "/u.yaml"));
	parsed_clear(&p);

	/* Tabs for indentation are a YAML error, not a crash. */
	p = parse("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: t\n");
	g_assert_false(p.ok);
	g_assert_nonnull(p.error);
	parsed_clear(&p);

	/* A NUL in the middle. */
	const char nul[] = "apiVersion: v1\nkind: Pod\n\0metadata: {}\n";
	p = parse_len("/n.yaml", nul, sizeof nul - 1);
	g_assert_false(p.ok);
	parsed_clear(&p);

	/* A huge scalar (3 MiB) is kept whole. */
	gsize big = 3 * 1024 * 1024;
	GString *s = g_string_new("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: ");
	for (gsize i = 0; i < big; i++)
		g_string_append_c(s, 'a');
	g_string_append_c(s, '\n');
	p = parse_len("/big.yaml", s->str, s->len);
	g_assert_no_error(p.error);
	g_assert_cmpuint(strlen(json_node_get_string(member(obj_at(&p, 0), "data.k"))), ==, big);
	parsed_clear(&p);
	g_string_free(s, TRUE);

	/* Truncated in the middle of a flow mapping; earlier documents survive. */
	p = parse("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: ");
	g_assert_false(p.ok);
	g_assert_cmpuint(p.objects->len, ==, 1);
	parsed_clear(&p);

	/* Complex keys and non-mapping merges are refused. */
	p = parse("? [a, b]\n: c\n");
	g_assert_false(p.ok);
	parsed_clear(&p);
	p = parse("a:\n  <<: 5\n");
	g_assert_false(p.ok);
	parsed_clear(&p);

	/* Non-string kind and missing apiVersion are not objects. */
	p = parse("apiVersion: v1\nkind: 5\n---\nkind: Pod\n---\n- a\n- b\n---\nplain scalar\n");
	g_assert_true(p.ok);
	g_assert_cmpuint(p.objects->len, ==, 0);
	parsed_clear(&p);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/views/k8s/multi-doc", test_multi_doc);
	g_test_add_func("/views/k8s/crlf-bom", test_crlf_bom);
	g_test_add_func("/views/k8s/list", test_list);
	g_test_add_func("/views/k8s/json-stream", test_json_stream);
	g_test_add_func("/views/k8s/scalars", test_scalars);
	g_test_add_func("/views/k8s/anchors-merge-dups", test_anchors_merge_dups);
	g_test_add_func("/views/k8s/helm", test_helm);
	g_test_add_func("/views/k8s/sniff", test_sniff);
	g_test_add_func("/views/k8s/billion-laughs", test_billion_laughs);
	g_test_add_func("/views/k8s/deep-nesting", test_deep_nesting);
	g_test_add_func("/views/k8s/alias-depth", test_alias_depth);
	g_test_add_func("/views/k8s/hostile", test_hostile);
	return g_test_run();
}
