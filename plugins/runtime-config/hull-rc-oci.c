/* hull-rc-oci.c: an OCI runtime bundle's config.json into a container record. The runtime
 * spec writes down the result rather than the request: a namespace missing from
 * linux.namespaces is shared with the host, capabilities are the full bounding set, a
 * missing linux.seccomp means no filter. Privileged mode is recognised the way Docker and
 * Podman render it: SYS_ADMIN in the bounding set and every device allowed in the cgroup. */
#include <string.h>
#include "hull-rc.h"

static gboolean
hull_rc_oci_has_ns(JsonArray *nss, const char *type)
{
	for (guint i = 0; nss != NULL && i < json_array_get_length(nss) && i < 64; i++) {
		JsonNode *n = json_array_get_element(nss, i);
		if (JSON_NODE_HOLDS_OBJECT(n) && g_strcmp0(hull_rc_json_string(json_node_get_object(n), "type"), type) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
hull_rc_oci_all_devices_allowed(JsonObject *linux_)
{
	JsonArray *rules = hull_rc_json_array(hull_rc_json_object(linux_, "resources"), "devices");
	gboolean all = FALSE;
	for (guint i = 0; rules != NULL && i < json_array_get_length(rules) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(rules, i);
		if (!JSON_NODE_HOLDS_OBJECT(n))
			continue;
		JsonObject *r = json_node_get_object(n);
		const char *type = hull_rc_json_string(r, "type");
		gint64 dummy;
		gboolean wildcard = (type == NULL || strcmp(type, "a") == 0) && !hull_rc_json_int(r, "major", &dummy);
		/* Later rules override earlier ones, as in the cgroup. */
		if (wildcard)
			all = hull_rc_json_bool(r, "allow") == HULL_RC_YES;
	}
	return all;
}

void
hull_rc_from_oci(JsonNode *root, const char *path, guint line, int layer, GPtrArray *out, GPtrArray *notes)
{
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_ptr_array_add(notes, g_strdup_printf("%s:%u: OCI runtime config is not a JSON object", path, line));
		return;
	}
	JsonObject *o = json_node_get_object(root);
	JsonObject *process = hull_rc_json_object(o, "process");
	JsonObject *linux_ = hull_rc_json_object(o, "linux");
	const char *host = hull_rc_json_string(o, "hostname");
	HullRcContainer *c = hull_rc_container_new("oci-runtime", NULL, host != NULL ? host : "bundle");
	g_free(c->object);
	c->object = g_strdup_printf("OciBundle/%s", path);
	c->path = g_strdup(path);
	c->line = line;
	c->layer = layer;

	JsonArray *nss = hull_rc_json_array(linux_, "namespaces");
	if (linux_ != NULL) {
		c->host_pid = hull_rc_oci_has_ns(nss, "pid") ? HULL_RC_NO : HULL_RC_YES;
		c->host_ipc = hull_rc_oci_has_ns(nss, "ipc") ? HULL_RC_NO : HULL_RC_YES;
		c->host_net = hull_rc_oci_has_ns(nss, "network") ? HULL_RC_NO : HULL_RC_YES;
		c->host_users = hull_rc_oci_has_ns(nss, "user") ? HULL_RC_NO : HULL_RC_YES;
		JsonObject *sc = hull_rc_json_object(linux_, "seccomp");
		c->seccomp = g_strdup(sc != NULL ? "localhost" : "unconfined");
		JsonArray *devs = hull_rc_json_array(linux_, "devices");
		for (guint i = 0; devs != NULL && i < json_array_get_length(devs) && i < HULL_RC_MAX_LIST; i++) {
			JsonNode *n = json_array_get_element(devs, i);
			const char *p = JSON_NODE_HOLDS_OBJECT(n) ? hull_rc_json_string(json_node_get_object(n), "path") : NULL;
			if (p != NULL && *p != '\0')
				g_ptr_array_add(c->devices, g_strdup(p));
		}
	}

	gint64 uid;
	if (hull_rc_json_int(hull_rc_json_object(process, "user"), "uid", &uid))
		c->run_as_user = uid < 0 ? 0 : uid;
	else if (process != NULL)
		c->run_as_user = 0; /* the spec's default uid */
	HullRcTri nnp = hull_rc_json_bool(process, "noNewPrivileges");
	c->allow_priv_esc = nnp == HULL_RC_YES ? HULL_RC_NO : HULL_RC_YES;
	const char *aa = hull_rc_json_string(process, "apparmorProfile");
	if (aa != NULL && *aa != '\0')
		c->apparmor = g_ascii_strdown(aa, -1);
	c->read_only_root = hull_rc_json_bool(hull_rc_json_object(o, "root"), "readonly");
	if (c->read_only_root == HULL_RC_UNSET)
		c->read_only_root = HULL_RC_NO;

	/* Capabilities: the bounding set, else the effective one. What lies beyond Docker's
	 * defaults counts as added, defaults missing from it as dropped. */
	JsonObject *caps = hull_rc_json_object(process, "capabilities");
	JsonArray *set = hull_rc_json_array(caps, "bounding");
	if (set == NULL)
		set = hull_rc_json_array(caps, "effective");
	g_autoptr(GPtrArray) have = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; set != NULL && i < json_array_get_length(set) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(set, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			hull_rc_container_add_cap(have, json_node_get_string(n));
	}
	for (guint i = 0; i < have->len; i++) {
		const char *cap = g_ptr_array_index(have, i);
		if (!g_strv_contains(hull_rc_default_caps, cap))
			hull_rc_container_add_cap(c->cap_add, cap);
	}
	if (have->len == 0) {
		hull_rc_container_add_cap(c->cap_drop, "ALL");
	} else {
		for (guint i = 0; hull_rc_default_caps[i] != NULL; i++) {
			if (!hull_rc_caps_have(have, hull_rc_default_caps[i]))
				hull_rc_container_add_cap(c->cap_drop, hull_rc_default_caps[i]);
		}
	}
	if (hull_rc_caps_have(have, "SYS_ADMIN") && hull_rc_oci_all_devices_allowed(linux_))
		c->privileged = HULL_RC_YES;

	JsonArray *mounts = hull_rc_json_array(o, "mounts");
	for (guint i = 0; mounts != NULL && i < json_array_get_length(mounts) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(mounts, i);
		if (!JSON_NODE_HOLDS_OBJECT(n))
			continue;
		JsonObject *m = json_node_get_object(n);
		const char *type = hull_rc_json_string(m, "type");
		gboolean bind = g_strcmp0(type, "bind") == 0, ro = FALSE;
		JsonArray *opts = hull_rc_json_array(m, "options");
		for (guint j = 0; opts != NULL && j < json_array_get_length(opts) && j < 64; j++) {
			JsonNode *on = json_array_get_element(opts, j);
			if (!JSON_NODE_HOLDS_VALUE(on) || json_node_get_value_type(on) != G_TYPE_STRING)
				continue;
			const char *opt = json_node_get_string(on);
			bind = bind || strcmp(opt, "bind") == 0 || strcmp(opt, "rbind") == 0;
			ro = ro || strcmp(opt, "ro") == 0;
		}
		if (bind)
			hull_rc_container_add_mount(c, hull_rc_json_string(m, "source"), hull_rc_json_string(m, "destination"),
			                            ro);
	}
	g_ptr_array_add(out, c);
}
