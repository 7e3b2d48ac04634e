/* hull-rc-compose.c: Docker Compose services into container records. Compose writes the
 * same settings as `docker run` flags in several spellings (short "src:dst:ro" and long
 * volume syntax, "seccomp:unconfined" and "seccomp=unconfined", booleans quoted or not); this
 * file reads them all and ignores anything of an unexpected type. Anchors and merge keys are
 * already resolved by the core's YAML loader. */
#include <string.h>
#include "hull-rc.h"

/* Strings of an array, skipping other types; bounded. */
static void
hull_rc_foreach_string(JsonArray *arr, void (*fn)(HullRcContainer *, const char *), HullRcContainer *c)
{
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(arr, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			fn(c, json_node_get_string(n));
	}
}

static void
hull_rc_add_cap_add(HullRcContainer *c, const char *s)
{
	hull_rc_container_add_cap(c->cap_add, s);
}

static void
hull_rc_add_cap_drop(HullRcContainer *c, const char *s)
{
	hull_rc_container_add_cap(c->cap_drop, s);
}

/* "seccomp=unconfined", "seccomp:unconfined", "apparmor=x", "no-new-privileges[:=]true". */
void
hull_rc_apply_security_opt(HullRcContainer *c, const char *opt)
{
	gsize k = strcspn(opt, ":=");
	g_autofree gchar *key = g_ascii_strdown(opt, k);
	const char *val = opt[k] != '\0' ? opt + k + 1 : NULL;
	if (strcmp(key, "seccomp") == 0 && val != NULL) {
		g_free(c->seccomp);
		c->seccomp = g_ascii_strdown(val, -1);
	} else if (strcmp(key, "apparmor") == 0 && val != NULL) {
		g_free(c->apparmor);
		c->apparmor = g_ascii_strdown(val, -1);
	} else if (strcmp(key, "no-new-privileges") == 0) {
		c->allow_priv_esc = (val == NULL || g_ascii_strcasecmp(val, "true") == 0) ? HULL_RC_NO : HULL_RC_YES;
	}
}

/* "/dev/sda:/dev/xvda:rwm" → the host side. */
static void
hull_rc_add_device(HullRcContainer *c, const char *spec)
{
	if (c->devices->len >= HULL_RC_MAX_LIST)
		return;
	g_autofree gchar *host = g_strndup(spec, strcspn(spec, ":"));
	if (*host != '\0')
		g_ptr_array_add(c->devices, g_steal_pointer(&host));
}

/* Short syntax "SRC:DST[:MODE]": SRC is a host path only when it starts with '/'. */
void
hull_rc_add_short_volume(HullRcContainer *c, const char *spec)
{
	g_auto(GStrv) parts = g_strsplit(spec, ":", 4);
	if (parts[0] == NULL || parts[1] == NULL || parts[0][0] != '/')
		return;
	gboolean ro = FALSE;
	if (parts[2] != NULL) {
		g_auto(GStrv) opts = g_strsplit(parts[2], ",", 16);
		for (guint i = 0; opts[i] != NULL; i++)
			ro = ro || strcmp(opts[i], "ro") == 0 || strcmp(opts[i], "readonly") == 0;
	}
	hull_rc_container_add_mount(c, parts[0], parts[1], ro);
}

static void
hull_rc_compose_user(HullRcContainer *c, JsonObject *svc)
{
	const char *u = hull_rc_json_string(svc, "user");
	gint64 uid;
	if (u != NULL)
		c->user = g_strdup(u);
	else if (hull_rc_json_int(svc, "user", &uid))
		c->user = g_strdup_printf("%" G_GINT64_FORMAT, uid);
}

static void
hull_rc_compose_service(HullRcContainer *c, JsonObject *svc)
{
	c->image = g_strdup(hull_rc_json_string(svc, "image"));
	c->privileged = hull_rc_json_bool(svc, "privileged");
	c->read_only_root = hull_rc_json_bool(svc, "read_only");
	const char *v;
	if ((v = hull_rc_json_string(svc, "pid")) != NULL)
		c->host_pid = strcmp(v, "host") == 0 ? HULL_RC_YES : HULL_RC_NO;
	if ((v = hull_rc_json_string(svc, "ipc")) != NULL)
		c->host_ipc = strcmp(v, "host") == 0 ? HULL_RC_YES : HULL_RC_NO;
	if ((v = hull_rc_json_string(svc, "network_mode")) != NULL)
		c->host_net = strcmp(v, "host") == 0 ? HULL_RC_YES : HULL_RC_NO;
	if ((v = hull_rc_json_string(svc, "userns_mode")) != NULL)
		c->host_users = strcmp(v, "host") == 0 ? HULL_RC_YES : HULL_RC_NO;
	hull_rc_compose_user(c, svc);
	hull_rc_foreach_string(hull_rc_json_array(svc, "cap_add"), hull_rc_add_cap_add, c);
	hull_rc_foreach_string(hull_rc_json_array(svc, "cap_drop"), hull_rc_add_cap_drop, c);
	hull_rc_foreach_string(hull_rc_json_array(svc, "security_opt"), hull_rc_apply_security_opt, c);

	JsonArray *devs = hull_rc_json_array(svc, "devices");
	for (guint i = 0; devs != NULL && i < json_array_get_length(devs) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(devs, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			hull_rc_add_device(c, json_node_get_string(n));
		else if (JSON_NODE_HOLDS_OBJECT(n) && (v = hull_rc_json_string(json_node_get_object(n), "source")) != NULL)
			hull_rc_add_device(c, v);
	}
	JsonArray *vols = hull_rc_json_array(svc, "volumes");
	for (guint i = 0; vols != NULL && i < json_array_get_length(vols) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(vols, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING) {
			hull_rc_add_short_volume(c, json_node_get_string(n));
		} else if (JSON_NODE_HOLDS_OBJECT(n)) {
			JsonObject *o = json_node_get_object(n);
			const char *type = hull_rc_json_string(o, "type");
			if (type != NULL && strcmp(type, "bind") != 0)
				continue;
			hull_rc_container_add_mount(c, hull_rc_json_string(o, "source"), hull_rc_json_string(o, "target"),
			                            hull_rc_json_bool(o, "read_only") == HULL_RC_YES);
		}
	}
	JsonArray *ports = hull_rc_json_array(svc, "ports");
	for (guint i = 0; ports != NULL && i < json_array_get_length(ports) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(ports, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			g_ptr_array_add(c->host_ports, g_strdup(json_node_get_string(n)));
	}
}

void
hull_rc_from_compose(JsonNode *root, const char *path, guint line, int layer, GPtrArray *out, GPtrArray *notes)
{
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return;
	JsonNode *sn = json_object_get_member(json_node_get_object(root), "services");
	if (sn == NULL)
		return;
	if (!JSON_NODE_HOLDS_OBJECT(sn)) {
		g_ptr_array_add(notes, g_strdup_printf("%s:%u: compose \"services\" is not a mapping; skipped", path, line));
		return;
	}
	JsonObject *services = json_node_get_object(sn);
	g_autoptr(GList) names = json_object_get_members(services);
	names = g_list_sort(names, (GCompareFunc)g_strcmp0);
	guint n = 0, skipped = 0;
	for (GList *l = names; l != NULL; l = l->next) {
		JsonNode *svn = json_object_get_member(services, l->data);
		if (svn == NULL || !JSON_NODE_HOLDS_OBJECT(svn))
			continue;
		if (n >= HULL_RC_MAX_CONTAINERS) {
			skipped++;
			continue;
		}
		n++;
		g_autofree gchar *object = g_strdup_printf("ComposeService/%s", (const char *)l->data);
		HullRcContainer *c = hull_rc_container_new("compose", object, l->data);
		c->path = g_strdup(path);
		c->line = line;
		c->layer = layer;
		hull_rc_compose_service(c, json_node_get_object(svn));
		g_ptr_array_add(out, c);
	}
	if (skipped > 0)
		g_ptr_array_add(notes, g_strdup_printf("%s:%u: %u services beyond the first %u were not analysed", path, line,
		                                       skipped, (guint)HULL_RC_MAX_CONTAINERS));
}
