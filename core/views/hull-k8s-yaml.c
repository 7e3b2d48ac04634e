/* hull-k8s-yaml.c: turns a YAML stream into JSON documents the way Kubernetes reads manifests
 * (sigs.k8s.io/yaml, which decodes with go-yaml v2 and so keeps YAML 1.1 booleans such as
 * `yes`/`on` but never reads `22:22` as a base-60 number). Built on libyaml's event API so
 * that hostile input stays bounded: nesting depth is capped (aliases included: a value copied
 * through an alias nests as deep as its anchor's value did, plus where it lands), and alias
 * expansion is counted
 * node by node against a budget before anything is copied (a "billion laughs" stream is
 * refused after a bounded amount of work). Merge keys (`<<`) are applied, duplicate keys are
 * noted (the last one wins, as in go-yaml v2). */
#include <errno.h>
#include <string.h>
#include <yaml.h>

#include "hull-k8s.h"

typedef struct {
	JsonNode *node;
	gsize n_nodes;          /* nodes in this value, aliases expanded */
	guint height;           /* levels of mappings and sequences in it (a scalar: 0) */
} HullK8sAnchor;

typedef struct {
	JsonNode *node;         /* object or array being built */
	char *anchor;
	gsize start_count;      /* node counter when the container started */
	char *pending_key;      /* mappings: the key waiting for its value */
	gboolean key_is_merge;
	GPtrArray *merges;      /* JsonNode* merge sources, applied at the end */
	guint line;
	guint height;           /* the greatest height among the values added so far */
} HullK8sFrame;

typedef struct {
	GPtrArray *stack;       /* HullK8sFrame* */
	GHashTable *anchors;    /* name -> HullK8sAnchor* */
	GPtrArray *notes;
	gsize count;            /* nodes produced in this stream */
	gsize alias_nodes;      /* of which copied through aliases */
	gsize alias_budget;
	JsonNode *root;
	GArray *item_lines;
	guint doc_line;
} HullK8sLoader;

void
hull_k8s_doc_free(HullK8sDoc *doc)
{
	if (doc == NULL)
		return;
	if (doc->root != NULL)
		json_node_unref(doc->root);
	if (doc->item_lines != NULL)
		g_array_unref(doc->item_lines);
	g_free(doc);
}

static void
hull_k8s_anchor_free(HullK8sAnchor *a)
{
	json_node_unref(a->node);
	g_free(a);
}

static void
hull_k8s_frame_free(HullK8sFrame *f)
{
	if (f->node != NULL)
		json_node_unref(f->node);
	g_free(f->anchor);
	g_free(f->pending_key);
	if (f->merges != NULL)
		g_ptr_array_unref(f->merges);
	g_free(f);
}

static gboolean
hull_k8s_is_in(const char *s, const char *const *list)
{
	for (guint i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Go's strconv.ParseInt(s, 0, 64) after go-yaml v2 removed the '_' separators. */
static gboolean
hull_k8s_parse_go_int(const char *s, gint64 *out)
{
	const char *p = s;
	gboolean neg = FALSE;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p == '\0')
		return FALSE;
	guint base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
		base = 8;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
		base = 2;
		p += 2;
	} else if (p[0] == '0' && p[1] != '\0') {
		base = 8;
		p += 1;
	}
	if (*p == '\0')
		return FALSE;
	guint64 v = 0;
	for (; *p != '\0'; p++) {
		guint d;
		if (g_ascii_isdigit(*p))
			d = (guint)(*p - '0');
		else if (g_ascii_isxdigit(*p))
			d = (guint)(g_ascii_tolower(*p) - 'a' + 10);
		else
			return FALSE;
		if (d >= base)
			return FALSE;
		if (v > (G_MAXUINT64 - d) / base)
			return FALSE;
		v = v * base + d;
	}
	if (!neg && v > (guint64)G_MAXINT64)
		return FALSE;
	if (neg && v > (guint64)G_MAXINT64 + 1)
		return FALSE;
	*out = neg ? (gint64)(0 - v) : (gint64)v;
	return TRUE;
}

/* go-yaml v2's float pattern: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static gboolean
hull_k8s_is_float(const char *s)
{
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (*p == '.') {
		p++;
		if (!g_ascii_isdigit(*p))
			return FALSE;
		while (g_ascii_isdigit(*p))
			p++;
	} else {
		if (!g_ascii_isdigit(*p))
			return FALSE;
		while (g_ascii_isdigit(*p))
			p++;
		if (*p == '.') {
			p++;
			while (g_ascii_isdigit(*p))
				p++;
		}
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!g_ascii_isdigit(*p))
			return FALSE;
		while (g_ascii_isdigit(*p))
			p++;
	}
	return *p == '\0';
}

JsonNode *
hull_k8s_resolve_plain(const char *text, gsize len)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const char *const trues[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
	                                    "on", "On", "ON", NULL};
	static const char *const falses[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE",
	                                     "off", "Off", "OFF", NULL};
	JsonNode *node = json_node_alloc();
	/* Scalars with an embedded NUL stay strings (of their text up to it would be wrong). */
	if (memchr(text, '\0', len) != NULL || len > 64)
		return json_node_init_string(node, text);
	if (hull_k8s_is_in(text, nulls))
		return json_node_init_null(node);
	if (hull_k8s_is_in(text, trues))
		return json_node_init_boolean(node, TRUE);
	if (hull_k8s_is_in(text, falses))
		return json_node_init_boolean(node, FALSE);
	char c = text[0];
	if (g_ascii_isdigit(c) || c == '-' || c == '+' || c == '.') {
		g_autofree char *plain = g_strdup(text);
		char *w = plain;
		for (const char *r = text; *r != '\0'; r++)
			if (*r != '_')
				*w++ = *r;
		*w = '\0';
		gint64 iv;
		if (hull_k8s_parse_go_int(plain, &iv))
			return json_node_init_int(node, iv);
		if (hull_k8s_is_float(plain)) {
			errno = 0;
			double d = g_ascii_strtod(plain, NULL);
			if (errno == 0)
				return json_node_init_double(node, d);
		}
	}
	/* .inf and .nan have no JSON form: they stay strings, as they would after a JSON
	 * round trip fails; everything else (including 22:22) is a string. */
	return json_node_init_string(node, text);
}

static char *
hull_k8s_key_string(JsonNode *key)
{
	switch (json_node_get_value_type(key)) {
	case G_TYPE_BOOLEAN:
		return g_strdup(json_node_get_boolean(key) ? "true" : "false");
	case G_TYPE_INT64:
		return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(key));
	case G_TYPE_DOUBLE: {
		char buf[G_ASCII_DTOSTR_BUF_SIZE];
		return g_strdup(g_ascii_dtostr(buf, sizeof buf, json_node_get_double(key)));
	}
	case G_TYPE_STRING:
		return g_strdup(json_node_get_string(key));
	default:
		return g_strdup("null");
	}
}

/* Adds @value (transfer full; @height levels deep) to the innermost container or makes it the
 * root. */
static gboolean
hull_k8s_add_value(HullK8sLoader *ld, JsonNode *value, guint height, gboolean is_merge_key_scalar, guint line,
                   GError **error)
{
	if (ld->stack->len == 0) {
		if (ld->root != NULL)
			json_node_unref(ld->root);
		ld->root = value;
		return TRUE;
	}
	HullK8sFrame *top = g_ptr_array_index(ld->stack, ld->stack->len - 1);
	top->height = MAX(top->height, height);
	if (JSON_NODE_HOLDS_ARRAY(top->node)) {
		/* Record where each element of a List's top-level items starts. */
		if (ld->stack->len == 2 && ld->item_lines != NULL) {
			HullK8sFrame *parent = g_ptr_array_index(ld->stack, 0);
			if (JSON_NODE_HOLDS_OBJECT(parent->node) && g_strcmp0(parent->pending_key, "items") == 0)
				g_array_append_val(ld->item_lines, line);
		}
		json_array_add_element(json_node_get_array(top->node), value);
		return TRUE;
	}
	if (top->pending_key == NULL) {
		/* A key. */
		if (!JSON_NODE_HOLDS_VALUE(value) && !JSON_NODE_HOLDS_NULL(value)) {
			json_node_unref(value);
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "line %u: a mapping or sequence used as a mapping key", line);
			return FALSE;
		}
		top->pending_key = hull_k8s_key_string(value);
		top->key_is_merge = is_merge_key_scalar;
		json_node_unref(value);
		return TRUE;
	}
	g_autofree char *key = g_steal_pointer(&top->pending_key);
	JsonObject *obj = json_node_get_object(top->node);
	if (top->key_is_merge) {
		top->key_is_merge = FALSE;
		if (top->merges == NULL)
			top->merges = g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);
		if (JSON_NODE_HOLDS_OBJECT(value)) {
			g_ptr_array_add(top->merges, value);
		} else if (JSON_NODE_HOLDS_ARRAY(value)) {
			JsonArray *arr = json_node_get_array(value);
			for (guint i = 0; i < json_array_get_length(arr); i++) {
				JsonNode *e = json_array_get_element(arr, i);
				if (!JSON_NODE_HOLDS_OBJECT(e)) {
					json_node_unref(value);
					g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
					            "line %u: a merge key (<<) needs mappings", line);
					return FALSE;
				}
				g_ptr_array_add(top->merges, json_node_ref(e));
			}
			json_node_unref(value);
		} else {
			json_node_unref(value);
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "line %u: a merge key (<<) needs a mapping", line);
			return FALSE;
		}
		return TRUE;
	}
	if (json_object_has_member(obj, key)) {
		/* Bounded: one note per stream is enough to tell the user. */
		if (ld->notes != NULL && ld->notes->len < 32)
			g_ptr_array_add(ld->notes, g_strdup_printf("line %u: duplicate key \"%s\" (the last one wins)", line, key));
	}
	json_object_set_member(obj, key, value);
	return TRUE;
}

static gboolean
hull_k8s_count(HullK8sLoader *ld, gsize n, GError **error)
{
	ld->count += n;
	if (ld->count > HULL_K8S_MAX_NODES) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
		            "more than %u YAML nodes: refused", (guint)HULL_K8S_MAX_NODES);
		return FALSE;
	}
	return TRUE;
}

static void
hull_k8s_set_anchor(HullK8sLoader *ld, const char *name, JsonNode *node, gsize n_nodes, guint height)
{
	HullK8sAnchor *a = g_new0(HullK8sAnchor, 1);
	a->node = json_node_ref(node);
	a->n_nodes = n_nodes;
	a->height = height;
	g_hash_table_replace(ld->anchors, g_strdup(name), a);
}

static gboolean
hull_k8s_container_start(HullK8sLoader *ld, gboolean mapping, const char *anchor, guint line, GError **error)
{
	if (ld->stack->len >= HULL_K8S_MAX_DEPTH) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "line %u: nesting deeper than %u levels: refused", line, (guint)HULL_K8S_MAX_DEPTH);
		return FALSE;
	}
	if (!hull_k8s_count(ld, 1, error))
		return FALSE;
	HullK8sFrame *f = g_new0(HullK8sFrame, 1);
	/* json_node_init_object/array take a reference of their own: ours is handed over with
	 * take_*, or every mapping and sequence (and all below it) would outlive the document. */
	f->node = json_node_init(json_node_alloc(), mapping ? JSON_NODE_OBJECT : JSON_NODE_ARRAY);
	if (mapping)
		json_node_take_object(f->node, json_object_new());
	else
		json_node_take_array(f->node, json_array_new());
	f->anchor = g_strdup(anchor);
	f->start_count = ld->count;
	f->line = line;
	g_ptr_array_add(ld->stack, f);
	return TRUE;
}

static gboolean
hull_k8s_container_end(HullK8sLoader *ld, guint line, GError **error)
{
	HullK8sFrame *f = g_ptr_array_steal_index(ld->stack, ld->stack->len - 1);
	if (f->pending_key != NULL) {
		hull_k8s_frame_free(f);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "line %u: mapping key without a value", line);
		return FALSE;
	}
	if (f->merges != NULL) {
		/* Explicit keys win, then earlier merge sources over later ones. */
		JsonObject *obj = json_node_get_object(f->node);
		gsize added = 0;
		for (guint i = 0; i < f->merges->len; i++) {
			JsonObject *src = json_node_get_object(g_ptr_array_index(f->merges, i));
			JsonObjectIter it;
			const char *k;
			JsonNode *v;
			json_object_iter_init(&it, src);
			while (json_object_iter_next(&it, &k, &v)) {
				if (!json_object_has_member(obj, k)) {
					json_object_set_member(obj, k, json_node_ref(v));
					added++;
				}
			}
		}
		(void)added;
	}
	gsize n_nodes = ld->count - f->start_count + 1;
	guint height = f->height + 1;
	if (f->anchor != NULL)
		hull_k8s_set_anchor(ld, f->anchor, f->node, n_nodes, height);
	JsonNode *node = g_steal_pointer(&f->node);
	guint start = f->line;
	hull_k8s_frame_free(f);
	return hull_k8s_add_value(ld, node, height, FALSE, start, error);
}

static gboolean
hull_k8s_scalar(HullK8sLoader *ld, const yaml_event_t *ev, GError **error)
{
	const char *text = (const char *)ev->data.scalar.value;
	gsize len = ev->data.scalar.length;
	guint line = (guint)ev->start_mark.line + 1;
	const char *tag = (const char *)ev->data.scalar.tag;
	JsonNode *node;
	gboolean plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (!hull_k8s_count(ld, 1, error))
		return FALSE;
	/* !!str, the non-specific "!" and custom tags keep the text; other standard tags
	 * (!!int "5") resolve it as a plain scalar would be. */
	if (tag != NULL) {
		gboolean is_str = strcmp(tag, YAML_STR_TAG) == 0 || strcmp(tag, "!") == 0 ||
		                  strncmp(tag, "tag:yaml.org,2002:", 18) != 0;
		plain = !is_str;
	}
	if (plain)
		node = hull_k8s_resolve_plain(text, len);
	else
		node = json_node_init_string(json_node_alloc(), text);
	if (ev->data.scalar.anchor != NULL)
		hull_k8s_set_anchor(ld, (const char *)ev->data.scalar.anchor, node, 1, 0);
	gboolean merge = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(text, "<<") == 0;
	return hull_k8s_add_value(ld, node, 0, merge, line, error);
}

static gboolean
hull_k8s_alias(HullK8sLoader *ld, const yaml_event_t *ev, GError **error)
{
	const char *name = (const char *)ev->data.alias.anchor;
	guint line = (guint)ev->start_mark.line + 1;
	HullK8sAnchor *a = g_hash_table_lookup(ld->anchors, name);
	if (a == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "line %u: unknown anchor \"%s\"", line, name);
		return FALSE;
	}
	/* An anchor's value may itself hold aliases of deep values: nested a few times, the copies
	 * would pass the depth limit that the stack check alone holds for what is written out. */
	if (ld->stack->len + a->height > HULL_K8S_MAX_DEPTH) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "line %u: alias \"%s\" nests deeper than %u levels: refused", line, name,
		            (guint)HULL_K8S_MAX_DEPTH);
		return FALSE;
	}
	/* Count before copying: the budget caps what expansion may cost. */
	ld->alias_nodes += a->n_nodes;
	if (ld->alias_nodes > ld->alias_budget) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
		            "line %u: alias expansion exceeds %" G_GSIZE_FORMAT " nodes (billion laughs?): refused",
		            line, ld->alias_budget);
		return FALSE;
	}
	if (!hull_k8s_count(ld, a->n_nodes, error))
		return FALSE;
	/* A deep copy: its cost is what the budget just accounted for. */
	return hull_k8s_add_value(ld, json_node_copy(a->node), a->height, FALSE, line, error);
}

static void
hull_k8s_loader_reset_doc(HullK8sLoader *ld)
{
	g_ptr_array_set_size(ld->stack, 0);
	g_hash_table_remove_all(ld->anchors);
	if (ld->root != NULL)
		json_node_unref(ld->root);
	ld->root = NULL;
	if (ld->item_lines != NULL)
		g_array_unref(ld->item_lines);
	ld->item_lines = g_array_new(FALSE, FALSE, sizeof(guint));
}

gboolean
hull_k8s_yaml_load(const guint8 *data, gsize len, GPtrArray *docs, GPtrArray *notes, GError **error)
{
	yaml_parser_t parser;
	HullK8sLoader ld = {0};
	gboolean ok = TRUE;
	gboolean done = FALSE;

	g_return_val_if_fail(data != NULL || len == 0, FALSE);
	if (!yaml_parser_initialize(&parser)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot initialise the YAML parser");
		return FALSE;
	}
	yaml_parser_set_input_string(&parser, data, len);
	ld.stack = g_ptr_array_new_with_free_func((GDestroyNotify)hull_k8s_frame_free);
	ld.anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)hull_k8s_anchor_free);
	ld.notes = notes;
	ld.alias_budget = MAX((gsize)HULL_K8S_MIN_ALIAS_NODES, len * 10);

	while (ok && !done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "YAML error at line %u: %s%s%s",
			            (guint)parser.problem_mark.line + 1,
			            parser.problem != NULL ? parser.problem : "syntax error",
			            parser.context != NULL ? " " : "", parser.context != NULL ? parser.context : "");
			ok = FALSE;
			break;
		}
		guint line = (guint)ev.start_mark.line + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = TRUE;
			break;
		case YAML_DOCUMENT_START_EVENT:
			hull_k8s_loader_reset_doc(&ld);
			ld.doc_line = line;
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (ld.root != NULL && !JSON_NODE_HOLDS_NULL(ld.root)) {
				HullK8sDoc *doc = g_new0(HullK8sDoc, 1);
				doc->root = g_steal_pointer(&ld.root);
				doc->line = ld.doc_line;
				doc->item_lines = g_steal_pointer(&ld.item_lines);
				g_ptr_array_add(docs, doc);
			}
			hull_k8s_loader_reset_doc(&ld);
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT: {
			gboolean mapping = ev.type == YAML_MAPPING_START_EVENT;
			const char *anchor = (const char *)(mapping ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor);
			/* The document's line is where its root node starts, past comments and `---`. */
			if (ld.stack->len == 0 && ld.root == NULL)
				ld.doc_line = line;
			ok = hull_k8s_container_start(&ld, mapping, anchor, line, error);
			break;
		}
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			ok = hull_k8s_container_end(&ld, line, error);
			break;
		case YAML_SCALAR_EVENT:
			if (ld.stack->len == 0 && ld.root == NULL)
				ld.doc_line = line;
			ok = hull_k8s_scalar(&ld, &ev, error);
			break;
		case YAML_ALIAS_EVENT:
			ok = hull_k8s_alias(&ld, &ev, error);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	hull_k8s_loader_reset_doc(&ld);
	g_array_unref(ld.item_lines);
	g_ptr_array_unref(ld.stack);
	g_hash_table_unref(ld.anchors);
	return ok;
}
