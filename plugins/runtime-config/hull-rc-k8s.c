/* hull-rc-k8s.c: Kubernetes workloads into container records. It finds the pod template
 * of every workload kind, applies the pod-level settings (host namespaces, pod
 * securityContext, hostPath volumes, AppArmor/seccomp annotations) and lets each container's
 * securityContext override them the way the kubelet does. Fields the API only defines on
 * containers (privileged, allowPrivilegeEscalation, capabilities, readOnlyRootFilesystem,
 * procMount) are read from containers only, as the API server would ignore them on the pod. */
#include <string.h>
#include "hull-rc.h"

/* The PodSpec of a workload, or NULL when the kind has none. */
static JsonObject *
hull_rc_k8s_pod_spec(JsonObject *doc, JsonObject **pod_meta)
{
	const char *kind = hull_rc_json_string(doc, "kind");
	JsonObject *spec = hull_rc_json_object(doc, "spec");
	if (kind == NULL)
		return NULL;
	if (strcmp(kind, "Pod") == 0) {
		*pod_meta = hull_rc_json_object(doc, "metadata");
		return spec;
	}
	if (strcmp(kind, "PodTemplate") == 0) {
		JsonObject *t = hull_rc_json_object(doc, "template");
		*pod_meta = hull_rc_json_object(t, "metadata");
		return hull_rc_json_object(t, "spec");
	}
	if (strcmp(kind, "CronJob") == 0)
		spec = hull_rc_json_object(hull_rc_json_object(spec, "jobTemplate"), "spec");
	else if (strcmp(kind, "Deployment") != 0 && strcmp(kind, "StatefulSet") != 0 && strcmp(kind, "DaemonSet") != 0 &&
	         strcmp(kind, "ReplicaSet") != 0 && strcmp(kind, "ReplicationController") != 0 &&
	         strcmp(kind, "Job") != 0)
		return NULL;
	JsonObject *t = hull_rc_json_object(spec, "template");
	*pod_meta = hull_rc_json_object(t, "metadata");
	return hull_rc_json_object(t, "spec");
}

static void
hull_rc_k8s_profile(JsonObject *sc, const char *key, gchar **out)
{
	const char *type = hull_rc_json_string(hull_rc_json_object(sc, key), "type");
	if (type != NULL) {
		g_free(*out);
		*out = g_ascii_strdown(type, -1);
	}
}

/* Pod securityContext, then container securityContext on top (container wins). */
static void
hull_rc_k8s_apply_sc(HullRcContainer *c, JsonObject *sc, gboolean container_level)
{
	if (sc == NULL)
		return;
	gint64 uid;
	if (hull_rc_json_int(sc, "runAsUser", &uid))
		c->run_as_user = uid < 0 ? 0 : uid;
	HullRcTri t = hull_rc_json_bool(sc, "runAsNonRoot");
	if (t != HULL_RC_UNSET)
		c->run_as_non_root = t;
	hull_rc_k8s_profile(sc, "seccompProfile", &c->seccomp);
	hull_rc_k8s_profile(sc, "appArmorProfile", &c->apparmor);
	if (!container_level)
		return;
	c->privileged = hull_rc_json_bool(sc, "privileged");
	c->allow_priv_esc = hull_rc_json_bool(sc, "allowPrivilegeEscalation");
	c->read_only_root = hull_rc_json_bool(sc, "readOnlyRootFilesystem");
	const char *pm = hull_rc_json_string(sc, "procMount");
	if (pm != NULL)
		c->proc_mount = g_strdup(pm);
	JsonObject *caps = hull_rc_json_object(sc, "capabilities");
	JsonArray *add = hull_rc_json_array(caps, "add"), *drop = hull_rc_json_array(caps, "drop");
	for (guint i = 0; add != NULL && i < json_array_get_length(add) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(add, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			hull_rc_container_add_cap(c->cap_add, json_node_get_string(n));
	}
	for (guint i = 0; drop != NULL && i < json_array_get_length(drop) && i < HULL_RC_MAX_LIST; i++) {
		JsonNode *n = json_array_get_element(drop, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			hull_rc_container_add_cap(c->cap_drop, json_node_get_string(n));
	}
}

static void
hull_rc_k8s_annotations(HullRcContainer *c, JsonObject *annotations)
{
	const char *v;
	if ((v = hull_rc_json_string(annotations, "seccomp.security.alpha.kubernetes.io/pod")) != NULL) {
		g_free(c->seccomp);
		c->seccomp = g_ascii_strdown(v, -1);
	}
	g_autofree gchar *sk = g_strconcat("container.seccomp.security.alpha.kubernetes.io/", c->name, NULL);
	if ((v = hull_rc_json_string(annotations, sk)) != NULL) {
		g_free(c->seccomp);
		c->seccomp = g_ascii_strdown(v, -1);
	}
	g_autofree gchar *ak = g_strconcat("container.apparmor.security.beta.kubernetes.io/", c->name, NULL);
	if ((v = hull_rc_json_string(annotations, ak)) != NULL) {
		g_free(c->apparmor);
		c->apparmor = g_ascii_strdown(v, -1);
	}
}

static gint
hull_rc_k8s_name_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

void
hull_rc_from_k8s(JsonObject *doc, const char *object, const char *path, guint line, int layer, GPtrArray *out,
                 GPtrArray *notes)
{
	JsonObject *meta = NULL;
	JsonObject *spec = hull_rc_k8s_pod_spec(doc, &meta);
	if (spec == NULL)
		return;
	JsonObject *annotations = hull_rc_json_object(meta, "annotations");
	JsonObject *pod_sc = hull_rc_json_object(spec, "securityContext");

	/* hostPath volumes by name; a name mounted by no container is still reported. */
	g_autoptr(GHashTable) host_vols = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) all_vols = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) used = g_hash_table_new(g_str_hash, g_str_equal);
	JsonArray *vols = hull_rc_json_array(spec, "volumes");
	for (guint i = 0; vols != NULL && i < json_array_get_length(vols) && i < 4096; i++) {
		JsonNode *vn = json_array_get_element(vols, i);
		if (!JSON_NODE_HOLDS_OBJECT(vn))
			continue;
		JsonObject *v = json_node_get_object(vn);
		const char *name = hull_rc_json_string(v, "name");
		if (name == NULL)
			continue;
		g_hash_table_insert(all_vols, (gpointer)name, v);
		const char *hp = hull_rc_json_string(hull_rc_json_object(v, "hostPath"), "path");
		if (hp != NULL)
			g_hash_table_insert(host_vols, (gpointer)name, (gpointer)hp);
	}

	static const char *const lists[] = {"initContainers", "containers", "ephemeralContainers", NULL};
	guint total = 0, skipped = 0, n_missing = 0;
	g_autofree gchar *first_missing = NULL;
	HullRcContainer *first = NULL;
	for (guint l = 0; lists[l] != NULL; l++) {
		JsonArray *arr = hull_rc_json_array(spec, lists[l]);
		guint n = arr != NULL ? json_array_get_length(arr) : 0;
		for (guint i = 0; i < n; i++) {
			JsonNode *cn = json_array_get_element(arr, i);
			if (!JSON_NODE_HOLDS_OBJECT(cn) && !JSON_NODE_HOLDS_NULL(cn))
				continue;
			if (total >= HULL_RC_MAX_CONTAINERS) {
				skipped++;
				continue;
			}
			total++;
			JsonObject *co = JSON_NODE_HOLDS_OBJECT(cn) ? json_node_get_object(cn) : NULL;
			const char *cname = hull_rc_json_string(co, "name");
			g_autofree gchar *fallback = g_strdup_printf("%s[%u]", lists[l], i);
			HullRcContainer *c = hull_rc_container_new("k8s", object, cname != NULL ? cname : fallback);
			c->image = g_strdup(hull_rc_json_string(co, "image"));
			c->path = g_strdup(path);
			c->line = line;
			c->layer = layer;
			c->host_pid = hull_rc_json_bool(spec, "hostPID");
			c->host_ipc = hull_rc_json_bool(spec, "hostIPC");
			c->host_net = hull_rc_json_bool(spec, "hostNetwork");
			c->host_users = hull_rc_json_bool(spec, "hostUsers");
			hull_rc_k8s_apply_sc(c, pod_sc, FALSE);
			hull_rc_k8s_annotations(c, annotations);
			hull_rc_k8s_apply_sc(c, hull_rc_json_object(co, "securityContext"), TRUE);

			JsonArray *vms = hull_rc_json_array(co, "volumeMounts");
			for (guint j = 0; vms != NULL && j < json_array_get_length(vms) && j < HULL_RC_MAX_LIST; j++) {
				JsonNode *mn = json_array_get_element(vms, j);
				if (!JSON_NODE_HOLDS_OBJECT(mn))
					continue;
				JsonObject *m = json_node_get_object(mn);
				const char *vname = hull_rc_json_string(m, "name");
				if (vname == NULL)
					continue;
				if (!g_hash_table_contains(all_vols, vname)) {
					if (n_missing++ == 0)
						first_missing = g_strdup_printf("container %s mounts volume \"%s\"", c->name, vname);
					continue;
				}
				g_hash_table_add(used, (gpointer)vname);
				const char *hp = g_hash_table_lookup(host_vols, vname);
				if (hp != NULL)
					hull_rc_container_add_mount(c, hp, hull_rc_json_string(m, "mountPath"),
					                            hull_rc_json_bool(m, "readOnly") == HULL_RC_YES);
			}
			JsonArray *ports = hull_rc_json_array(co, "ports");
			for (guint j = 0; ports != NULL && j < json_array_get_length(ports) && j < HULL_RC_MAX_LIST; j++) {
				JsonNode *pn = json_array_get_element(ports, j);
				gint64 hp;
				if (!JSON_NODE_HOLDS_OBJECT(pn) || !hull_rc_json_int(json_node_get_object(pn), "hostPort", &hp) ||
				    hp <= 0)
					continue;
				const char *proto = hull_rc_json_string(json_node_get_object(pn), "protocol");
				g_autofree gchar *lp = g_ascii_strdown(proto != NULL ? proto : "tcp", -1);
				g_ptr_array_add(c->host_ports, g_strdup_printf("%" G_GINT64_FORMAT "/%s", hp, lp));
			}
			if (first == NULL)
				first = c;
			g_ptr_array_add(out, c);
		}
	}
	/* One note per object, however many mounts are dangling. */
	if (n_missing > 0)
		g_ptr_array_add(notes, g_strdup_printf("%s:%u: %s: %u volume mounts name volumes the pod does not define "
		                                       "(first: %s)",
		                                       path, line, object, n_missing, first_missing));
	if (skipped > 0)
		g_ptr_array_add(notes, g_strdup_printf("%s:%u: %s has %u containers; only the first %u were analysed", path,
		                                       line, object, total + skipped, (guint)HULL_RC_MAX_CONTAINERS));
	/* A hostPath volume nobody mounts is still a hostPath the pod asks the node for (the
	 * Pod Security Standards forbid it either way): hang it on the first container with no
	 * destination so the rules report it without treating it as reachable. */
	if (first != NULL) {
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, host_vols);
		g_autoptr(GPtrArray) names = g_ptr_array_new();
		while (g_hash_table_iter_next(&it, &k, &v)) {
			if (!g_hash_table_contains(used, k))
				g_ptr_array_add(names, k);
		}
		g_ptr_array_sort(names, hull_rc_k8s_name_cmp);
		for (guint i = 0; i < names->len; i++) {
			const char **np = (const char **)&g_ptr_array_index(names, i);
			hull_rc_container_add_mount(first, g_hash_table_lookup(host_vols, *np), NULL, TRUE);
		}
	}
}
