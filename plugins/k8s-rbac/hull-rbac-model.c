/* hull-rbac-model.c: reads Roles, ClusterRoles, their bindings, ServiceAccounts and workloads
 * out of the Kubernetes objects view, adds our copy of the built-in cluster-admin, admin, edit
 * and view roles (so bindings to them resolve, and ClusterRoles aggregated into them are
 * seen), resolves aggregationRule selectors, and gives each identity the list of rules that
 * reach it, directly or through the groups Kubernetes puts it in
 * (system:serviceaccounts, system:serviceaccounts:<ns>, system:authenticated). */
#include <string.h>

#include "hull-rbac.h"

/* ---- JSON helpers ---- */

static const char *
hull_rbac_str(JsonObject *o, const char *member)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, member) : NULL;
	if (n == NULL || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static JsonObject *
hull_rbac_obj(JsonObject *o, const char *member)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, member) : NULL;
	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *
hull_rbac_arr(JsonObject *o, const char *member)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, member) : NULL;
	return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

/* -1 absent, 0 false, 1 true */
static int
hull_rbac_bool(JsonObject *o, const char *member)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, member) : NULL;
	if (n == NULL || json_node_get_value_type(n) != G_TYPE_BOOLEAN)
		return -1;
	return json_node_get_boolean(n) ? 1 : 0;
}

static GPtrArray *
hull_rbac_strv(JsonObject *o, const char *member)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	JsonArray *a = hull_rbac_arr(o, member);
	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (json_node_get_value_type(n) == G_TYPE_STRING)
			g_ptr_array_add(out, g_strdup(json_node_get_string(n)));
	}
	return out;
}

static void
hull_rbac_rule_free(HullRbacRule *r)
{
	g_ptr_array_unref(r->verbs);
	g_ptr_array_unref(r->groups);
	g_ptr_array_unref(r->resources);
	g_ptr_array_unref(r->names);
	g_ptr_array_unref(r->urls);
	g_free(r);
}

static HullRbacRule *
hull_rbac_rule_from_json(JsonObject *o)
{
	HullRbacRule *r = g_new0(HullRbacRule, 1);
	r->verbs = hull_rbac_strv(o, "verbs");
	r->groups = hull_rbac_strv(o, "apiGroups");
	r->resources = hull_rbac_strv(o, "resources");
	r->names = hull_rbac_strv(o, "resourceNames");
	r->urls = hull_rbac_strv(o, "nonResourceURLs");
	return r;
}

/* A rule from '|'-separated lists: "verbs|groups|resources". */
static HullRbacRule *
hull_rbac_rule_from_spec(const char *verbs, const char *groups, const char *resources)
{
	HullRbacRule *r = g_new0(HullRbacRule, 1);
	const char *lists[] = {verbs, groups, resources};
	GPtrArray **dst[] = {&r->verbs, &r->groups, &r->resources};
	for (guint i = 0; i < 3; i++) {
		*dst[i] = g_ptr_array_new_with_free_func(g_free);
		/* g_strsplit("") is empty, but "" is the core API group. */
		g_auto(GStrv) parts = g_strsplit(lists[i], ",", -1);
		if (parts[0] == NULL)
			g_ptr_array_add(*dst[i], g_strdup(""));
		for (guint j = 0; parts[j] != NULL; j++)
			g_ptr_array_add(*dst[i], g_strdup(parts[j]));
	}
	r->names = g_ptr_array_new_with_free_func(g_free);
	r->urls = g_ptr_array_new_with_free_func(g_free);
	return r;
}

gboolean
hull_rbac_is_default_object(const char *name, JsonObject *labels)
{
	if (g_strcmp0(hull_rbac_str(labels, "kubernetes.io/bootstrapping"), "rbac-defaults") == 0)
		return TRUE;
	/* Kubernetes names its own objects system:*; GKE its gce:* ones. */
	return name != NULL && (g_str_has_prefix(name, "system:") || g_str_has_prefix(name, "gce:"));
}

/* ---- built-in roles (Kubernetes bootstrap policy, reduced to what the checks look at) ---- */

typedef struct {
	const char *verbs;
	const char *groups;
	const char *resources;
} HullRbacSpec;

#define HULL_RBAC_READ "get,list,watch"
#define HULL_RBAC_WRITE "create,delete,deletecollection,patch,update"

static const HullRbacSpec hull_rbac_view_spec[] = {
	{HULL_RBAC_READ, "",
	 "configmaps,endpoints,persistentvolumeclaims,persistentvolumeclaims/status,pods,replicationcontrollers,"
	 "replicationcontrollers/scale,serviceaccounts,services,services/status,bindings,events,limitranges,"
	 "namespaces/status,pods/log,pods/status,replicationcontrollers/status,resourcequotas,resourcequotas/status,"
	 "namespaces"},
	{HULL_RBAC_READ, "apps",
	 "controllerrevisions,daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,replicasets,"
	 "replicasets/scale,replicasets/status,statefulsets,statefulsets/scale,statefulsets/status"},
	{HULL_RBAC_READ, "autoscaling", "horizontalpodautoscalers,horizontalpodautoscalers/status"},
	{HULL_RBAC_READ, "batch", "cronjobs,cronjobs/status,jobs,jobs/status"},
	{HULL_RBAC_READ, "policy", "poddisruptionbudgets,poddisruptionbudgets/status"},
	{HULL_RBAC_READ, "networking.k8s.io", "ingresses,ingresses/status,networkpolicies"},
	{HULL_RBAC_READ, "discovery.k8s.io", "endpointslices"},
	{NULL, NULL, NULL},
};

static const HullRbacSpec hull_rbac_edit_spec[] = {
	{HULL_RBAC_READ "," HULL_RBAC_WRITE, "", "pods,pods/attach,pods/exec,pods/portforward,pods/proxy"},
	{"create", "", "pods/eviction,serviceaccounts/token"},
	{HULL_RBAC_READ "," HULL_RBAC_WRITE, "",
	 "configmaps,events,persistentvolumeclaims,replicationcontrollers,replicationcontrollers/scale,secrets,"
	 "serviceaccounts,services,services/proxy,endpoints"},
	{"impersonate", "", "serviceaccounts"},
	{HULL_RBAC_READ "," HULL_RBAC_WRITE, "apps",
	 "daemonsets,deployments,deployments/rollback,deployments/scale,replicasets,replicasets/scale,statefulsets,"
	 "statefulsets/scale"},
	{HULL_RBAC_READ "," HULL_RBAC_WRITE, "autoscaling", "horizontalpodautoscalers"},
	{HULL_RBAC_READ "," HULL_RBAC_WRITE, "batch", "cronjobs,jobs"},
	{HULL_RBAC_READ "," HULL_RBAC_WRITE, "policy", "poddisruptionbudgets"},
	{HULL_RBAC_READ "," HULL_RBAC_WRITE, "networking.k8s.io", "ingresses,networkpolicies"},
	{NULL, NULL, NULL},
};

static const HullRbacSpec hull_rbac_admin_spec[] = {
	{"create", "authorization.k8s.io", "localsubjectaccessreviews"},
	{HULL_RBAC_READ "," HULL_RBAC_WRITE, "rbac.authorization.k8s.io", "rolebindings,roles"},
	{NULL, NULL, NULL},
};

static const HullRbacSpec hull_rbac_cluster_admin_spec[] = {
	{"*", "*", "*"},
	{NULL, NULL, NULL},
};

static void
hull_rbac_role_free(HullRbacRole *r)
{
	g_free(r->ns);
	g_free(r->name);
	g_ptr_array_unref(r->rules);
	if (r->effective != NULL)
		g_ptr_array_unref(r->effective);
	if (r->labels != NULL)
		json_object_unref(r->labels);
	if (r->selectors != NULL)
		g_ptr_array_unref(r->selectors);
	if (r->shadows != NULL)
		g_ptr_array_unref(r->shadows);
	g_free(r);
}

static HullRbacRole *
hull_rbac_builtin(const char *name, const HullRbacSpec *spec, const char *label, const char *aggregate_from)
{
	HullRbacRole *r = g_new0(HullRbacRole, 1);
	r->cluster = TRUE;
	r->name = g_strdup(name);
	r->builtin = TRUE;
	r->is_default = TRUE;
	r->rules = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rbac_rule_free);
	for (guint i = 0; spec[i].verbs != NULL; i++)
		g_ptr_array_add(r->rules, hull_rbac_rule_from_spec(spec[i].verbs, spec[i].groups, spec[i].resources));
	r->labels = json_object_new();
	json_object_set_string_member(r->labels, "kubernetes.io/bootstrapping", "rbac-defaults");
	if (label != NULL)
		json_object_set_string_member(r->labels, label, "true");
	if (aggregate_from != NULL) {
		r->selectors = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
		JsonObject *sel = json_object_new();
		json_object_set_string_member(sel, aggregate_from, "true");
		g_ptr_array_add(r->selectors, sel);
	}
	return r;
}

/* ---- reading objects ---- */

static char *
hull_rbac_ns_or_default(HullK8sObject *obj)
{
	const char *ns = hull_k8s_object_get_namespace(obj);
	return g_strdup(ns != NULL ? ns : "default");
}

static void
hull_rbac_add_role(HullRbacModel *m, HullK8sObject *obj, gboolean cluster)
{
	JsonObject *doc = hull_k8s_object_get_document(obj);
	JsonObject *meta = hull_rbac_obj(doc, "metadata");
	HullRbacRole *r = g_new0(HullRbacRole, 1);
	r->obj = obj;
	r->cluster = cluster;
	r->ns = cluster ? NULL : hull_rbac_ns_or_default(obj);
	r->name = g_strdup(hull_k8s_object_get_name(obj) != NULL ? hull_k8s_object_get_name(obj) : "");
	r->rules = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rbac_rule_free);
	JsonArray *rules = hull_rbac_arr(doc, "rules");
	for (guint i = 0; rules != NULL && i < json_array_get_length(rules); i++) {
		JsonNode *n = json_array_get_element(rules, i);
		if (JSON_NODE_HOLDS_OBJECT(n))
			g_ptr_array_add(r->rules, hull_rbac_rule_from_json(json_node_get_object(n)));
	}
	JsonObject *labels = hull_rbac_obj(meta, "labels");
	if (labels != NULL)
		r->labels = json_object_ref(labels);
	JsonArray *sels = hull_rbac_arr(hull_rbac_obj(doc, "aggregationRule"), "clusterRoleSelectors");
	if (cluster && sels != NULL) {
		r->selectors = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
		for (guint i = 0; i < json_array_get_length(sels); i++) {
			JsonNode *n = json_array_get_element(sels, i);
			JsonObject *ml = JSON_NODE_HOLDS_OBJECT(n) ? hull_rbac_obj(json_node_get_object(n), "matchLabels") : NULL;
			if (ml != NULL)
				g_ptr_array_add(r->selectors, json_object_ref(ml));
			else if (m->notes->len < 32)
				g_ptr_array_add(m->notes, g_strdup_printf("%s: aggregation selector without matchLabels ignored",
				                                          hull_k8s_object_get_ref(obj)));
		}
	}
	r->is_default = hull_rbac_is_default_object(r->name, labels);
	g_ptr_array_add(m->roles, r);
	char *key = cluster ? g_strdup(r->name) : g_strdup_printf("%s/%s", r->ns, r->name);
	/* The API server reconciles its built-in roles at start-up (adding back any rule a copy
	 * lacks), so a manifest copy of one widens ours rather than replacing it. */
	HullRbacRole *builtin = cluster ? g_hash_table_lookup(m->role_index, key) : NULL;
	if (builtin != NULL && builtin->builtin) {
		if (builtin->shadows == NULL)
			builtin->shadows = g_ptr_array_new();
		g_ptr_array_add(builtin->shadows, r);
		r->is_default = TRUE;
		g_free(key);
		return;
	}
	g_hash_table_replace(m->role_index, key, r);
}

static void
hull_rbac_subject_free(HullRbacSubject *s)
{
	g_free(s->kind);
	g_free(s->name);
	g_free(s->ns);
	g_free(s);
}

static void
hull_rbac_binding_free(HullRbacBinding *b)
{
	g_free(b->ns);
	g_free(b->name);
	g_free(b->role_kind);
	g_free(b->role_name);
	g_ptr_array_unref(b->subjects);
	g_free(b);
}

static void
hull_rbac_add_binding(HullRbacModel *m, HullK8sObject *obj, gboolean cluster)
{
	JsonObject *doc = hull_k8s_object_get_document(obj);
	JsonObject *meta = hull_rbac_obj(doc, "metadata");
	JsonObject *ref = hull_rbac_obj(doc, "roleRef");
	HullRbacBinding *b = g_new0(HullRbacBinding, 1);
	b->obj = obj;
	b->cluster = cluster;
	b->ns = cluster ? NULL : hull_rbac_ns_or_default(obj);
	b->name = g_strdup(hull_k8s_object_get_name(obj) != NULL ? hull_k8s_object_get_name(obj) : "");
	b->role_kind = g_strdup(hull_rbac_str(ref, "kind") != NULL ? hull_rbac_str(ref, "kind") : "");
	b->role_name = g_strdup(hull_rbac_str(ref, "name") != NULL ? hull_rbac_str(ref, "name") : "");
	b->subjects = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rbac_subject_free);
	JsonArray *subs = hull_rbac_arr(doc, "subjects");
	for (guint i = 0; subs != NULL && i < json_array_get_length(subs); i++) {
		JsonNode *n = json_array_get_element(subs, i);
		if (!JSON_NODE_HOLDS_OBJECT(n))
			continue;
		JsonObject *so = json_node_get_object(n);
		const char *kind = hull_rbac_str(so, "kind");
		const char *name = hull_rbac_str(so, "name");
		if (kind == NULL || name == NULL)
			continue;
		HullRbacSubject *s = g_new0(HullRbacSubject, 1);
		s->kind = g_strdup(kind);
		s->name = g_strdup(name);
		if (strcmp(kind, "ServiceAccount") == 0) {
			const char *ns = hull_rbac_str(so, "namespace");
			s->ns = g_strdup(ns != NULL ? ns : b->ns != NULL ? b->ns : "default");
		}
		g_ptr_array_add(b->subjects, s);
	}
	b->is_default = hull_rbac_is_default_object(b->name, hull_rbac_obj(meta, "labels"));
	g_ptr_array_add(m->bindings, b);
}

static void
hull_rbac_sa_free(HullRbacServiceAccount *sa)
{
	g_free(sa->ns);
	g_free(sa->name);
	g_free(sa);
}

static void
hull_rbac_workload_free(HullRbacWorkload *w)
{
	g_free(w->kind);
	g_free(w->ns);
	g_free(w->name);
	g_free(w->sa);
	g_free(w);
}

static JsonObject *
hull_rbac_pod_spec(const char *kind, JsonObject *doc)
{
	JsonObject *spec = hull_rbac_obj(doc, "spec");
	if (strcmp(kind, "Pod") == 0)
		return spec;
	if (strcmp(kind, "CronJob") == 0)
		spec = hull_rbac_obj(hull_rbac_obj(spec, "jobTemplate"), "spec");
	return hull_rbac_obj(hull_rbac_obj(spec, "template"), "spec");
}

static void
hull_rbac_add_object(HullRbacModel *m, HullK8sObject *obj)
{
	static const char *const workloads[] = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob",
	                                        "ReplicaSet", "ReplicationController", NULL};
	const char *kind = hull_k8s_object_get_kind(obj);
	const char *api = hull_k8s_object_get_api_version(obj);
	gboolean rbac_api = g_str_has_prefix(api, "rbac.authorization.k8s.io/");
	if (rbac_api && strcmp(kind, "Role") == 0) {
		hull_rbac_add_role(m, obj, FALSE);
	} else if (rbac_api && strcmp(kind, "ClusterRole") == 0) {
		hull_rbac_add_role(m, obj, TRUE);
	} else if (rbac_api && strcmp(kind, "RoleBinding") == 0) {
		hull_rbac_add_binding(m, obj, FALSE);
	} else if (rbac_api && strcmp(kind, "ClusterRoleBinding") == 0) {
		hull_rbac_add_binding(m, obj, TRUE);
	} else if (strcmp(kind, "ServiceAccount") == 0 && strcmp(api, "v1") == 0) {
		HullRbacServiceAccount *sa = g_new0(HullRbacServiceAccount, 1);
		sa->obj = obj;
		sa->ns = hull_rbac_ns_or_default(obj);
		sa->name = g_strdup(hull_k8s_object_get_name(obj) != NULL ? hull_k8s_object_get_name(obj) : "");
		sa->automount = hull_rbac_bool(hull_k8s_object_get_document(obj), "automountServiceAccountToken");
		g_ptr_array_add(m->sas, sa);
	} else if (g_strv_contains(workloads, kind)) {
		JsonObject *spec = hull_rbac_pod_spec(kind, hull_k8s_object_get_document(obj));
		if (spec == NULL)
			return;
		HullRbacWorkload *w = g_new0(HullRbacWorkload, 1);
		w->obj = obj;
		w->kind = g_strdup(kind);
		w->ns = hull_rbac_ns_or_default(obj);
		w->name = g_strdup(hull_k8s_object_get_name(obj) != NULL ? hull_k8s_object_get_name(obj) : "");
		const char *sa = hull_rbac_str(spec, "serviceAccountName");
		if (sa == NULL)
			sa = hull_rbac_str(spec, "serviceAccount");
		w->sa = g_strdup(sa != NULL && *sa != '\0' ? sa : "default");
		w->automount = hull_rbac_bool(spec, "automountServiceAccountToken");
		g_ptr_array_add(m->workloads, w);
	}
}

/* ---- aggregation ---- */

static gboolean
hull_rbac_labels_match(JsonObject *labels, JsonObject *selector)
{
	if (labels == NULL)
		return FALSE;
	JsonObjectIter it;
	const char *k;
	JsonNode *v;
	json_object_iter_init(&it, selector);
	while (json_object_iter_next(&it, &k, &v)) {
		const char *have = hull_rbac_str(labels, k);
		/* Label values are strings; a YAML `true` was read as a boolean. */
		if (have == NULL && json_object_has_member(labels, k) &&
		    json_node_get_value_type(json_object_get_member(labels, k)) == G_TYPE_BOOLEAN)
			have = json_object_get_boolean_member(labels, k) ? "true" : "false";
		const char *want = json_node_get_value_type(v) == G_TYPE_STRING ? json_node_get_string(v)
		                   : json_node_get_value_type(v) == G_TYPE_BOOLEAN ? (json_node_get_boolean(v) ? "true" : "false")
		                                                                    : NULL;
		if (have == NULL || want == NULL || strcmp(have, want) != 0)
			return FALSE;
	}
	return TRUE;
}

static void
hull_rbac_resolve_effective(HullRbacModel *m, HullRbacRole *r, GHashTable *state)
{
	if (r->effective != NULL || g_hash_table_contains(state, r))
		return;
	g_hash_table_add(state, r);
	GPtrArray *eff = g_ptr_array_new();
	for (guint i = 0; i < r->rules->len; i++)
		g_ptr_array_add(eff, g_ptr_array_index(r->rules, i));
	for (guint s = 0; r->shadows != NULL && s < r->shadows->len; s++) {
		HullRbacRole *copy = g_ptr_array_index(r->shadows, s);
		for (guint i = 0; i < copy->rules->len; i++)
			g_ptr_array_add(eff, g_ptr_array_index(copy->rules, i));
	}
	for (guint s = 0; r->selectors != NULL && s < r->selectors->len; s++) {
		JsonObject *sel = g_ptr_array_index(r->selectors, s);
		for (guint i = 0; i < m->roles->len; i++) {
			HullRbacRole *o = g_ptr_array_index(m->roles, i);
			if (o == r || !o->cluster || !hull_rbac_labels_match(o->labels, sel))
				continue;
			/* Only the role the index resolves: a manifest copy of a built-in counts through it. */
			if (g_hash_table_lookup(m->role_index, o->name) != o)
				continue;
			hull_rbac_resolve_effective(m, o, state);
			GPtrArray *src = o->effective != NULL ? o->effective : o->rules;
			for (guint j = 0; j < src->len; j++)
				g_ptr_array_add(eff, g_ptr_array_index(src, j));
		}
	}
	r->effective = eff;
}

/* ---- identities ---- */

static void
hull_rbac_identity_free(HullRbacIdentity *id)
{
	g_free(id->id);
	g_free(id->kind);
	g_free(id->name);
	g_free(id->ns);
	g_ptr_array_unref(id->grants);
	g_free(id->admin_path);
	g_free(id);
}

static HullRbacIdentity *
hull_rbac_identity(HullRbacModel *m, const char *kind, const char *ns, const char *name)
{
	g_autofree char *key = ns != NULL ? g_strdup_printf("%s/%s/%s", kind, ns, name) : g_strdup_printf("%s/%s", kind, name);
	HullRbacIdentity *id = g_hash_table_lookup(m->ids, key);
	if (id != NULL)
		return id;
	id = g_new0(HullRbacIdentity, 1);
	id->id = g_steal_pointer(&key);
	id->kind = g_strdup(kind);
	id->ns = g_strdup(ns);
	id->name = g_strdup(name);
	id->grants = g_ptr_array_new_with_free_func(g_free);
	id->index = m->identities->len;
	id->is_default = TRUE;
	g_ptr_array_add(m->identities, id);
	g_hash_table_insert(m->ids, id->id, id);
	return id;
}

HullRbacIdentity *
hull_rbac_model_lookup(HullRbacModel *model, const char *id)
{
	g_return_val_if_fail(model != NULL, NULL);
	return g_hash_table_lookup(model->ids, id);
}

static void
hull_rbac_add_grants(HullRbacIdentity *dst, HullRbacIdentity *src)
{
	for (guint i = 0; src != NULL && i < src->grants->len; i++) {
		HullRbacGrant *g = g_memdup2(g_ptr_array_index(src->grants, i), sizeof(HullRbacGrant));
		g->inherited = TRUE;
		g_ptr_array_add(dst->grants, g);
	}
}

HullRbacModel *
hull_rbac_model_new(GPtrArray *objects)
{
	HullRbacModel *m = g_new0(HullRbacModel, 1);
	m->roles = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rbac_role_free);
	m->bindings = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rbac_binding_free);
	m->sas = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rbac_sa_free);
	m->workloads = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rbac_workload_free);
	m->role_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	m->ids = g_hash_table_new(g_str_hash, g_str_equal);
	m->identities = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rbac_identity_free);
	m->notes = g_ptr_array_new_with_free_func(g_free);

	/* Built-ins first, so manifests that carry their own copy replace them in the index. */
	const struct {
		const char *name;
		const HullRbacSpec *spec;
		const char *label;
		const char *from;
	} builtins[] = {
		{"cluster-admin", hull_rbac_cluster_admin_spec, NULL, NULL},
		{"admin", hull_rbac_admin_spec, NULL, "rbac.authorization.k8s.io/aggregate-to-admin"},
		{"edit", hull_rbac_edit_spec, "rbac.authorization.k8s.io/aggregate-to-admin",
		 "rbac.authorization.k8s.io/aggregate-to-edit"},
		{"view", hull_rbac_view_spec, "rbac.authorization.k8s.io/aggregate-to-edit",
		 "rbac.authorization.k8s.io/aggregate-to-view"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(builtins); i++) {
		HullRbacRole *r = hull_rbac_builtin(builtins[i].name, builtins[i].spec, builtins[i].label, builtins[i].from);
		g_ptr_array_add(m->roles, r);
		g_hash_table_replace(m->role_index, g_strdup(r->name), r);
	}
	for (guint i = 0; objects != NULL && i < objects->len; i++)
		hull_rbac_add_object(m, g_ptr_array_index(objects, i));

	g_autoptr(GHashTable) state = g_hash_table_new(NULL, NULL);
	for (guint i = 0; i < m->roles->len; i++)
		hull_rbac_resolve_effective(m, g_ptr_array_index(m->roles, i), state);

	/* Every service account we know of is an identity, even with no binding. */
	for (guint i = 0; i < m->sas->len; i++) {
		HullRbacServiceAccount *sa = g_ptr_array_index(m->sas, i);
		hull_rbac_identity(m, "ServiceAccount", sa->ns, sa->name)->is_default = FALSE;
	}
	for (guint i = 0; i < m->workloads->len; i++) {
		HullRbacWorkload *w = g_ptr_array_index(m->workloads, i);
		hull_rbac_identity(m, "ServiceAccount", w->ns, w->sa)->is_default = FALSE;
	}

	for (guint i = 0; i < m->bindings->len; i++) {
		HullRbacBinding *b = g_ptr_array_index(m->bindings, i);
		g_autofree char *key = NULL;
		if (strcmp(b->role_kind, "Role") == 0 && !b->cluster)
			key = g_strdup_printf("%s/%s", b->ns, b->role_name);
		else if (strcmp(b->role_kind, "ClusterRole") == 0)
			key = g_strdup(b->role_name);
		b->role = key != NULL ? g_hash_table_lookup(m->role_index, key) : NULL;
		if (b->role != NULL)
			b->role->bound = TRUE;
		for (guint s = 0; b->role != NULL && b->role->shadows != NULL && s < b->role->shadows->len; s++)
			((HullRbacRole *)g_ptr_array_index(b->role->shadows, s))->bound = TRUE;
		for (guint s = 0; s < b->subjects->len; s++) {
			HullRbacSubject *sub = g_ptr_array_index(b->subjects, s);
			HullRbacIdentity *id = hull_rbac_identity(m, sub->kind, sub->ns, sub->name);
			if (!b->is_default)
				id->is_default = FALSE;
			for (guint r = 0; b->role != NULL && r < b->role->effective->len; r++) {
				HullRbacGrant *g = g_new0(HullRbacGrant, 1);
				g->rule = g_ptr_array_index(b->role->effective, r);
				g->ns = b->ns;
				g->binding = b;
				g->role = b->role;
				g_ptr_array_add(id->grants, g);
			}
		}
	}

	/* Groups Kubernetes adds to every service account and authenticated user. */
	guint n = m->identities->len;
	for (guint i = 0; i < n; i++) {
		HullRbacIdentity *id = g_ptr_array_index(m->identities, i);
		gboolean is_sa = strcmp(id->kind, "ServiceAccount") == 0;
		if (!is_sa && strcmp(id->kind, "User") != 0)
			continue;
		hull_rbac_add_grants(id, g_hash_table_lookup(m->ids, "Group/system:authenticated"));
		if (is_sa) {
			g_autofree char *nsg = g_strdup_printf("Group/system:serviceaccounts:%s", id->ns);
			hull_rbac_add_grants(id, g_hash_table_lookup(m->ids, "Group/system:serviceaccounts"));
			hull_rbac_add_grants(id, g_hash_table_lookup(m->ids, nsg));
		}
	}
	return m;
}

void
hull_rbac_model_free(HullRbacModel *model)
{
	if (model == NULL)
		return;
	g_ptr_array_unref(model->identities);
	g_hash_table_unref(model->ids);
	g_ptr_array_unref(model->bindings);
	g_ptr_array_unref(model->roles);
	g_ptr_array_unref(model->sas);
	g_ptr_array_unref(model->workloads);
	g_hash_table_unref(model->role_index);
	g_ptr_array_unref(model->notes);
	g_free(model);
}
