/* hull-rc-inspect.c: `docker inspect` / `podman inspect` output into container records. The
 * input is a JSON array of containers (a single object is accepted too); every field is
 * type-checked because inspect output is often hand-edited or produced by other tools. */
#include <string.h>
#include "hull-rc.h"

static gboolean
hull_rc_mode_is_host(JsonObject *o, const char *key, HullRcTri *out)
{
	const char *v = hull_rc_json_string(o, key);
	if (v == NULL || *v == '\0')
		return FALSE;
	*out = strcmp(v, "host") == 0 ? HULL_RC_YES : HULL_RC_NO;
	return TRUE;
}

static void
hull_rc_inspect_strings(JsonArray *arr, GPtrArray *caps, HullRcContainer *c, void (*fn)(HullRcContainer *, const char *))
{
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(arr, i);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
			continue;
		if (caps != NULL)
			hull_rc_container_add_cap(caps, json_node_get_string(n));
		else
			fn(c, json_node_get_string(n));
	}
}

static void
hull_rc_inspect_one(JsonObject *ct, HullRcContainer *c)
{
	JsonObject *hc = hull_rc_json_object(ct, "HostConfig");
	JsonObject *cfg = hull_rc_json_object(ct, "Config");
	c->image = g_strdup(hull_rc_json_string(cfg, "Image"));
	const char *u = hull_rc_json_string(cfg, "User");
	if (u != NULL && *u != '\0')
		c->user = g_strdup(u);
	c->privileged = hull_rc_json_bool(hc, "Privileged");
	c->read_only_root = hull_rc_json_bool(hc, "ReadonlyRootfs");
	hull_rc_mode_is_host(hc, "PidMode", &c->host_pid);
	hull_rc_mode_is_host(hc, "IpcMode", &c->host_ipc);
	hull_rc_mode_is_host(hc, "NetworkMode", &c->host_net);
	hull_rc_mode_is_host(hc, "UsernsMode", &c->host_users);
	hull_rc_inspect_strings(hull_rc_json_array(hc, "CapAdd"), c->cap_add, c, NULL);
	hull_rc_inspect_strings(hull_rc_json_array(hc, "CapDrop"), c->cap_drop, c, NULL);
	hull_rc_inspect_strings(hull_rc_json_array(hc, "SecurityOpt"), NULL, c, hull_rc_apply_security_opt);
	hull_rc_inspect_strings(hull_rc_json_array(hc, "Binds"), NULL, c, hull_rc_add_short_volume);
	const char *aa = hull_rc_json_string(ct, "AppArmorProfile");
	if (aa != NULL && *aa != '\0' && c->apparmor == NULL)
		c->apparmor = g_ascii_strdown(aa, -1);

	JsonArray *mounts = hull_rc_json_array(ct, "Mounts");
	for (guint i = 0; mounts != NULL && i < json_array_get_length(mounts) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(mounts, i);
		if (!JSON_NODE_HOLDS_OBJECT(n))
			continue;
		JsonObject *m = json_node_get_object(n);
		const char *type = hull_rc_json_string(m, "Type");
		if (type != NULL && strcmp(type, "bind") != 0)
			continue;
		HullRcTri rw = hull_rc_json_bool(m, "RW");
		hull_rc_container_add_mount(c, hull_rc_json_string(m, "Source"), hull_rc_json_string(m, "Destination"),
		                            rw == HULL_RC_NO);
	}
	JsonArray *devs = hull_rc_json_array(hc, "Devices");
	for (guint i = 0; devs != NULL && i < json_array_get_length(devs) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(devs, i);
		const char *p = JSON_NODE_HOLDS_OBJECT(n) ? hull_rc_json_string(json_node_get_object(n), "PathOnHost") : NULL;
		if (p != NULL && *p != '\0' && c->devices->len < HULL_RC_MAX_LIST)
			g_ptr_array_add(c->devices, g_strdup(p));
	}
	JsonObject *pb = hull_rc_json_object(hc, "PortBindings");
	if (pb != NULL) {
		g_autoptr(GList) ports = json_object_get_members(pb);
		ports = g_list_sort(ports, (GCompareFunc)g_strcmp0);
		for (GList *l = ports; l != NULL && c->host_ports->len < HULL_RC_MAX_LIST; l = l->next)
			g_ptr_array_add(c->host_ports, g_strdup(l->data));
	}
}

void
hull_rc_from_inspect(JsonNode *root, const char *path, guint line, int layer, GPtrArray *out, GPtrArray *notes)
{
	if (root == NULL)
		return;
	JsonArray *arr = NULL;
	g_autoptr(JsonArray) single = NULL;
	if (JSON_NODE_HOLDS_ARRAY(root)) {
		arr = json_node_get_array(root);
	} else if (JSON_NODE_HOLDS_OBJECT(root)) {
		single = json_array_new();
		json_array_add_element(single, json_node_ref(root));
		arr = single;
	} else {
		g_ptr_array_add(notes, g_strdup_printf("%s:%u: inspect output is neither an array nor an object", path, line));
		return;
	}
	guint n = json_array_get_length(arr), bad = 0;
	for (guint i = 0; i < n && i < HULL_RC_MAX_CONTAINERS; i++) {
		JsonNode *cn = json_array_get_element(arr, i);
		if (!JSON_NODE_HOLDS_OBJECT(cn) || hull_rc_json_object(json_node_get_object(cn), "HostConfig") == NULL) {
			bad++;
			continue;
		}
		JsonObject *ct = json_node_get_object(cn);
		const char *name = hull_rc_json_string(ct, "Name");
		if (name != NULL && name[0] == '/')
			name++;
		g_autofree gchar *fallback = g_strdup_printf("container[%u]", i);
		if (name == NULL || *name == '\0')
			name = fallback;
		g_autofree gchar *object = g_strdup_printf("Container/%s", name);
		HullRcContainer *c = hull_rc_container_new("docker-inspect", object, name);
		c->path = g_strdup(path);
		c->line = line;
		c->layer = layer;
		hull_rc_inspect_one(ct, c);
		g_ptr_array_add(out, c);
	}
	if (bad > 0)
		g_ptr_array_add(notes, g_strdup_printf("%s:%u: %u inspect entries without a HostConfig object were skipped",
		                                       path, line, bad));
	if (n > HULL_RC_MAX_CONTAINERS)
		g_ptr_array_add(notes, g_strdup_printf("%s:%u: %u containers; only the first %u were analysed", path, line, n,
		                                       (guint)HULL_RC_MAX_CONTAINERS));
}
