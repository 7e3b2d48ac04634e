/* hull-rc-model.c: the normalised container record every source is turned into, and the
 * small helpers the normalisers share: typed JSON lookups that never trust a document's
 * types, capability names in one spelling, and host paths folded to a canonical form so
 * "/var/run/../run/docker.sock" and "//" cannot slip past the rules. */
#include <string.h>
#include "hull-rc.h"

static void
hull_rc_mount_free(HullRcMount *m)
{
	g_free(m->host);
	g_free(m->dest);
	g_free(m);
}

HullRcContainer *
hull_rc_container_new(const char *source, const char *object, const char *name)
{
	HullRcContainer *c = g_new0(HullRcContainer, 1);
	c->source = g_strdup(source);
	c->object = g_strdup(object);
	c->name = g_strdup(name != NULL && *name != '\0' ? name : "(unnamed)");
	c->layer = -1;
	c->privileged = c->host_pid = c->host_ipc = c->host_net = HULL_RC_UNSET;
	c->host_users = c->allow_priv_esc = c->run_as_non_root = c->read_only_root = HULL_RC_UNSET;
	c->run_as_user = -1;
	c->mounts = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rc_mount_free);
	c->devices = g_ptr_array_new_with_free_func(g_free);
	c->cap_add = g_ptr_array_new_with_free_func(g_free);
	c->cap_drop = g_ptr_array_new_with_free_func(g_free);
	c->host_ports = g_ptr_array_new_with_free_func(g_free);
	return c;
}

void
hull_rc_container_free(HullRcContainer *c)
{
	if (c == NULL)
		return;
	g_free(c->source);
	g_free(c->object);
	g_free(c->name);
	g_free(c->image);
	g_free(c->path);
	g_free(c->user);
	g_ptr_array_unref(c->mounts);
	g_ptr_array_unref(c->devices);
	g_ptr_array_unref(c->cap_add);
	g_ptr_array_unref(c->cap_drop);
	g_ptr_array_unref(c->host_ports);
	g_free(c->seccomp);
	g_free(c->apparmor);
	g_free(c->proc_mount);
	g_free(c);
}

gchar *
hull_rc_normalise_path(const char *path)
{
	if (path == NULL || path[0] != '/')
		return NULL;
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	g_autoptr(GPtrArray) stack = g_ptr_array_new();
	for (guint i = 0; parts[i] != NULL; i++) {
		if (parts[i][0] == '\0' || strcmp(parts[i], ".") == 0)
			continue;
		if (strcmp(parts[i], "..") == 0) {
			if (stack->len > 0)
				g_ptr_array_remove_index(stack, stack->len - 1);
			continue;
		}
		g_ptr_array_add(stack, parts[i]);
	}
	if (stack->len == 0)
		return g_strdup("/");
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < stack->len; i++) {
		g_string_append_c(s, '/');
		g_string_append(s, g_ptr_array_index(stack, i));
	}
	return g_string_free(s, FALSE);
}

void
hull_rc_container_add_mount(HullRcContainer *c, const char *host, const char *dest, gboolean read_only)
{
	g_autofree gchar *norm = hull_rc_normalise_path(host);
	if (norm == NULL || c->mounts->len >= HULL_RC_MAX_LIST)
		return;
	/* docker inspect lists a bind in both Binds and Mounts: keep one, the writable wins. */
	for (guint i = 0; i < c->mounts->len; i++) {
		HullRcMount *m = g_ptr_array_index(c->mounts, i);
		if (strcmp(m->host, norm) == 0 && g_strcmp0(m->dest, dest) == 0) {
			m->read_only = m->read_only && read_only;
			return;
		}
	}
	HullRcMount *m = g_new0(HullRcMount, 1);
	m->host = g_steal_pointer(&norm);
	m->dest = g_strdup(dest);
	m->read_only = read_only;
	g_ptr_array_add(c->mounts, m);
}

void
hull_rc_container_add_cap(GPtrArray *caps, const char *cap)
{
	if (cap == NULL || *cap == '\0' || caps->len >= HULL_RC_MAX_LIST)
		return;
	g_autofree gchar *up = g_ascii_strup(cap, -1);
	const char *name = g_str_has_prefix(up, "CAP_") ? up + 4 : up;
	if (*name == '\0' || hull_rc_caps_have(caps, name))
		return;
	g_ptr_array_add(caps, g_strdup(name));
}

gboolean
hull_rc_caps_have(GPtrArray *caps, const char *cap)
{
	for (guint i = 0; i < caps->len; i++) {
		if (strcmp(g_ptr_array_index(caps, i), cap) == 0)
			return TRUE;
	}
	return FALSE;
}

gboolean
hull_rc_container_runs_as_root(const HullRcContainer *c, gboolean *unknown)
{
	*unknown = FALSE;
	if (c->run_as_user == 0)
		return TRUE;
	if (c->run_as_user > 0)
		return FALSE;
	if (c->user != NULL && *c->user != '\0') {
		/* "root", "0", "0:0", "root:wheel": the part before ':' names the user. */
		g_autofree gchar *u = g_strndup(c->user, strcspn(c->user, ":"));
		return strcmp(u, "0") == 0 || strcmp(u, "root") == 0;
	}
	if (c->run_as_non_root == HULL_RC_YES)
		return FALSE;
	*unknown = TRUE;
	return FALSE;
}

JsonObject *
hull_rc_json_object(JsonObject *o, const char *key)
{
	if (o == NULL)
		return NULL;
	JsonNode *n = json_object_get_member(o, key);
	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

JsonArray *
hull_rc_json_array(JsonObject *o, const char *key)
{
	if (o == NULL)
		return NULL;
	JsonNode *n = json_object_get_member(o, key);
	return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

const char *
hull_rc_json_string(JsonObject *o, const char *key)
{
	if (o == NULL)
		return NULL;
	JsonNode *n = json_object_get_member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

HullRcTri
hull_rc_json_bool(JsonObject *o, const char *key)
{
	if (o == NULL)
		return HULL_RC_UNSET;
	JsonNode *n = json_object_get_member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return HULL_RC_UNSET;
	GType t = json_node_get_value_type(n);
	if (t == G_TYPE_BOOLEAN)
		return json_node_get_boolean(n) ? HULL_RC_YES : HULL_RC_NO;
	if (t == G_TYPE_STRING) {
		const char *s = json_node_get_string(n);
		if (g_ascii_strcasecmp(s, "true") == 0)
			return HULL_RC_YES;
		if (g_ascii_strcasecmp(s, "false") == 0)
			return HULL_RC_NO;
	}
	return HULL_RC_UNSET;
}

gboolean
hull_rc_json_int(JsonObject *o, const char *key, gint64 *out)
{
	if (o == NULL)
		return FALSE;
	JsonNode *n = json_object_get_member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return FALSE;
	GType t = json_node_get_value_type(n);
	if (t == G_TYPE_INT64) {
		*out = json_node_get_int(n);
		return TRUE;
	}
	if (t == G_TYPE_DOUBLE) {
		gdouble d = json_node_get_double(n);
		if (d < -1e15 || d > 1e15 || d != (gdouble)(gint64)d)
			return FALSE;
		*out = (gint64)d;
		return TRUE;
	}
	if (t == G_TYPE_STRING) {
		gint64 v;
		if (!g_ascii_string_to_signed(json_node_get_string(n), 10, G_MININT64, G_MAXINT64, &v, NULL))
			return FALSE;
		*out = v;
		return TRUE;
	}
	return FALSE;
}
