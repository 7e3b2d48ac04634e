/* hull-rbac-check.c: turns the model into findings. Rights are judged per subject (the
 * identity a binding names, located at that binding, one finding per subject and rule), and
 * for roles no binding in the manifests uses, per role (located at the role) so that a risky
 * role shipped for later binding is still seen. Bindings, service account use by workloads,
 * aggregation labels and the escalation paths have checks of their own. Kubernetes' own roles
 * and bindings are left out unless asked for. */
#include <string.h>

#include "hull-rbac.h"

typedef struct {
	const char *rule_id;
	const char *what;
	/* TRUE when @r grants the right; *low set when only for some names. */
	gboolean (*test)(const HullRbacRule *r, gboolean cluster, gboolean *low);
	const char *only_ns;  /* the right matters only in this namespace (or cluster-wide) */
} HullRbacRight;

static gboolean
hull_rbac_any(const HullRbacRule *r, const char *const *verbs, const char *group, const char *const *resources,
              gboolean *low)
{
	gboolean some = FALSE;
	for (guint v = 0; verbs[v] != NULL; v++)
		for (guint x = 0; resources[x] != NULL; x++) {
			if (hull_rbac_rule_allows(r, verbs[v], group, resources[x], NULL))
				return TRUE;
			if (hull_rbac_rule_allows_some(r, verbs[v], group, resources[x]))
				some = TRUE;
		}
	if (some && low != NULL) {
		*low = TRUE;
		return TRUE;
	}
	return FALSE;
}

#define V(...) ((const char *const[]){__VA_ARGS__, NULL})

static gboolean
t_all(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_rule_is_all(r);
}

static gboolean
t_wildcard(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	if (hull_rbac_rule_is_all(r))
		return FALSE;
	for (guint i = 0; i < r->verbs->len; i++)
		if (strcmp(g_ptr_array_index(r->verbs, i), "*") == 0)
			return TRUE;
	for (guint i = 0; i < r->resources->len; i++)
		if (strcmp(g_ptr_array_index(r->resources, i), "*") == 0)
			return TRUE;
	return FALSE;
}

static gboolean
t_secrets(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("get", "list", "watch"), "", V("secrets"), low);
}

static gboolean
t_create_pods(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("create"), "", V("pods", "replicationcontrollers"), NULL) ||
	       hull_rbac_any(r, V("create"), "apps", V("deployments", "daemonsets", "statefulsets", "replicasets"), NULL) ||
	       hull_rbac_any(r, V("create"), "batch", V("jobs", "cronjobs"), NULL);
}

static gboolean
t_exec(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("get", "create"), "", V("pods/exec"), NULL);
}

static gboolean
t_attach(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("get", "create"), "", V("pods/attach"), NULL);
}

static gboolean
t_portforward(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("get", "create"), "", V("pods/portforward"), NULL);
}

static gboolean
t_ephemeral(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("update", "patch"), "", V("pods/ephemeralcontainers"), NULL);
}

/* Cluster-scoped resources: a RoleBinding cannot grant them. */
static gboolean
t_nodes_proxy(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return cluster && hull_rbac_any(r, V("get", "create"), "", V("nodes/proxy"), NULL);
}

static gboolean
t_bind_escalate(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("bind", "escalate"), "rbac.authorization.k8s.io", V("roles", "clusterroles"), NULL);
}

static gboolean
t_impersonate(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("impersonate"), "", V("users", "groups", "serviceaccounts"), NULL) ||
	       hull_rbac_any(r, V("impersonate"), "authentication.k8s.io", V("uids", "userextras/scopes", "userextras"),
	                     NULL);
}

static gboolean
t_token(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("create"), "", V("serviceaccounts/token"), low);
}

static gboolean
t_csr(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return cluster && (hull_rbac_any(r, V("update", "patch"), "certificates.k8s.io",
	                                 V("certificatesigningrequests/approval"), NULL));
}

static gboolean
t_webhooks(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return cluster && hull_rbac_any(r, V("create", "update", "patch", "delete"), "admissionregistration.k8s.io",
	                                V("mutatingwebhookconfigurations", "validatingwebhookconfigurations"), NULL);
}

static gboolean
t_delete(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("delete", "deletecollection"), "",
	                     V("pods", "secrets", "services", "configmaps", "persistentvolumeclaims", "serviceaccounts"),
	                     NULL) ||
	       hull_rbac_any(r, V("delete", "deletecollection"), "apps",
	                     V("deployments", "daemonsets", "statefulsets", "replicasets"), NULL) ||
	       hull_rbac_any(r, V("delete", "deletecollection"), "batch", V("jobs", "cronjobs"), NULL);
}

static gboolean
t_pv(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return cluster && hull_rbac_any(r, V("create"), "", V("persistentvolumes"), NULL);
}

static gboolean
t_configmaps(const HullRbacRule *r, gboolean cluster, gboolean *low)
{
	return hull_rbac_any(r, V("update", "patch"), "", V("configmaps"), NULL);
}

static const HullRbacRight hull_rbac_rights[] = {
	{"RBAC-0001", "has every verb on every resource", t_all},
	{"RBAC-0002", "uses wildcard verbs or resources", t_wildcard},
	{"RBAC-0003", "can read secrets", t_secrets},
	{"RBAC-0004", "can create pods or pod controllers", t_create_pods},
	{"RBAC-0005", "can exec into pods", t_exec},
	{"RBAC-0006", "can attach to pods", t_attach},
	{"RBAC-0007", "can port-forward to pods", t_portforward},
	{"RBAC-0008", "can add ephemeral containers", t_ephemeral},
	{"RBAC-0009", "can use nodes/proxy", t_nodes_proxy},
	{"RBAC-0010", "can bind or escalate roles", t_bind_escalate},
	{"RBAC-0011", "can impersonate users, groups or service accounts", t_impersonate},
	{"RBAC-0012", "can create service account tokens", t_token},
	{"RBAC-0013", "can approve certificate signing requests", t_csr},
	{"RBAC-0014", "can write admission webhook configurations", t_webhooks},
	{"RBAC-0015", "can delete workloads or secrets", t_delete},
	{"RBAC-0016", "can create persistent volumes", t_pv},
	{"RBAC-0023", "can modify ConfigMaps of kube-system", t_configmaps, "kube-system"},
};

typedef struct {
	HullRbacModel *m;
	const HullRbacOptions *opt;
	HullRbacEmitFunc emit;
	gpointer user_data;
	guint count;
} HullRbacRun;

static void
hull_rbac_emit(HullRbacRun *run, const char *rule_id, HullSeverity sev, HullK8sObject *obj, const char *key,
               const char *format, ...) G_GNUC_PRINTF(6, 7);

static void
hull_rbac_emit(HullRbacRun *run, const char *rule_id, HullSeverity sev, HullK8sObject *obj, const char *key,
               const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	g_autofree char *msg = g_strdup_vprintf(format, ap);
	va_end(ap);
	run->emit(run->user_data, rule_id, sev, obj, msg, key);
	run->count++;
}

static HullSeverity
hull_rbac_default_severity(const char *rule_id)
{
	for (guint i = 0; i < hull_rbac_n_rules; i++)
		if (strcmp(hull_rbac_rules[i].id, rule_id) == 0)
			return hull_rbac_rules[i].severity;
	return HULL_SEVERITY_MEDIUM;
}

/* What an impersonation grant covers, and whether it reaches beyond service accounts. */
static char *
hull_rbac_impersonate_what(const HullRbacRule *r, gboolean *wide)
{
	static const struct {
		const char *group, *resource;
	} kinds[] = {{"", "users"}, {"", "groups"}, {"", "serviceaccounts"}, {"authentication.k8s.io", "uids"},
	             {"authentication.k8s.io", "userextras"}};
	GString *s = g_string_new("can impersonate ");
	guint n = 0;
	*wide = FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		if (!hull_rbac_rule_allows(r, "impersonate", kinds[i].group, kinds[i].resource, NULL) &&
		    !hull_rbac_rule_allows_some(r, "impersonate", kinds[i].group, kinds[i].resource))
			continue;
		g_string_append_printf(s, "%s%s", n++ > 0 ? ", " : "", kinds[i].resource);
		if (strcmp(kinds[i].resource, "serviceaccounts") != 0)
			*wide = TRUE;
	}
	return g_string_free(s, FALSE);
}

static char *
hull_rbac_scope(const char *ns)
{
	return ns != NULL ? g_strdup_printf("in namespace %s", ns) : g_strdup("cluster-wide");
}

static char *
hull_rbac_role_ref(const HullRbacRole *r)
{
	return r->cluster ? g_strdup_printf("ClusterRole/%s", r->name) : g_strdup_printf("Role/%s/%s", r->ns, r->name);
}

/* Per subject: each right once, at the first binding that grants it. */
static void
hull_rbac_check_identity(HullRbacRun *run, HullRbacIdentity *id)
{
	/* Once a subject has everything somewhere, listing each right there again is noise. */
	HullRbacGrant *all = NULL;
	for (guint k = 0; k < G_N_ELEMENTS(hull_rbac_rights); k++) {
		const HullRbacRight *right = &hull_rbac_rights[k];
		HullRbacGrant *hit = NULL;
		gboolean hit_low = TRUE;
		for (guint i = 0; i < id->grants->len; i++) {
			HullRbacGrant *g = g_ptr_array_index(id->grants, i);
			if (g->inherited || (g->binding->is_default && !run->opt->report_defaults))
				continue;
			if (right->only_ns != NULL && g->ns != NULL && strcmp(g->ns, right->only_ns) != 0)
				continue;
			gboolean low = FALSE;
			if (!right->test(g->rule, g->ns == NULL, &low))
				continue;
			/* Prefer a full grant over a name-restricted one, cluster-wide over namespaced. */
			if (hit == NULL || (hit_low && !low) || (hit->ns != NULL && g->ns == NULL && hit_low == low)) {
				hit = g;
				hit_low = low;
			}
		}
		if (hit == NULL)
			continue;
		if (k == 0)
			all = hit;
		else if (all != NULL && (all->ns == NULL || g_strcmp0(all->ns, hit->ns) == 0))
			continue;
		HullSeverity sev = hull_rbac_default_severity(right->rule_id);
		if (hit_low)
			sev = HULL_SEVERITY_LOW;
		else if (strcmp(right->rule_id, "RBAC-0001") == 0 && hit->ns != NULL)
			sev = HULL_SEVERITY_HIGH;
		g_autofree char *scope = hull_rbac_scope(hit->ns);
		g_autofree char *role = hull_rbac_role_ref(hit->role);
		g_autofree char *key = g_strdup_printf("%s %s", right->rule_id, id->id);
		g_autofree char *what = NULL;
		if (strcmp(right->rule_id, "RBAC-0011") == 0) {
			gboolean wide = FALSE;
			what = hull_rbac_impersonate_what(hit->rule, &wide);
			/* Acting as the service accounts of one namespace is less than acting as anyone. */
			if (!wide && sev == HULL_SEVERITY_CRITICAL)
				sev = HULL_SEVERITY_HIGH;
		}
		hull_rbac_emit(run, right->rule_id, sev, hit->binding->obj, key, "%s %s%s %s (through %s \xE2\x86\x92 %s)",
		               id->id, what != NULL ? what : right->what, hit_low ? " (named objects only)" : "", scope,
		               hull_k8s_object_get_ref(hit->binding->obj), role);
	}
}

/* A role nothing binds here: judged on its own rules, located at the role. */
static void
hull_rbac_check_role(HullRbacRun *run, HullRbacRole *r)
{
	gboolean has_all = FALSE;
	for (guint k = 0; k < G_N_ELEMENTS(hull_rbac_rights); k++) {
		const HullRbacRight *right = &hull_rbac_rights[k];
		gboolean any = FALSE, all_low = TRUE;
		if (right->only_ns != NULL && !r->cluster && strcmp(r->ns, right->only_ns) != 0)
			continue;
		for (guint i = 0; i < r->effective->len; i++) {
			gboolean low = FALSE;
			if (right->test(g_ptr_array_index(r->effective, i), r->cluster, &low)) {
				any = TRUE;
				all_low = all_low && low;
			}
		}
		if (!any)
			continue;
		if (k == 0)
			has_all = TRUE;
		else if (has_all)
			break;
		HullSeverity sev = hull_rbac_default_severity(right->rule_id);
		if (all_low)
			sev = HULL_SEVERITY_LOW;
		else if (strcmp(right->rule_id, "RBAC-0001") == 0 && !r->cluster)
			sev = HULL_SEVERITY_HIGH;
		g_autofree char *key = g_strdup_printf("%s %s", right->rule_id, hull_k8s_object_get_ref(r->obj));
		hull_rbac_emit(run, right->rule_id, sev, r->obj, key, "%s %s%s (no binding in these manifests uses it yet)",
		               hull_k8s_object_get_ref(r->obj), right->what, all_low ? " (named objects only)" : "");
	}
}

static gboolean
hull_rbac_role_is_trivial(const HullRbacRole *r)
{
	/* Read-only on non-secret resources: what discovery and health checks need. */
	if (r == NULL)
		return FALSE;
	for (guint i = 0; i < r->effective->len; i++) {
		const HullRbacRule *rule = g_ptr_array_index(r->effective, i);
		if (t_secrets(rule, TRUE, NULL))
			return FALSE;
		for (guint v = 0; v < rule->verbs->len; v++) {
			const char *verb = g_ptr_array_index(rule->verbs, v);
			if (strcmp(verb, "get") != 0 && strcmp(verb, "list") != 0 && strcmp(verb, "watch") != 0)
				return FALSE;
		}
	}
	return TRUE;
}

static void
hull_rbac_check_binding(HullRbacRun *run, HullRbacBinding *b)
{
	const char *roleref = b->role != NULL ? b->role->name : b->role_name;
	for (guint s = 0; s < b->subjects->len; s++) {
		HullRbacSubject *sub = g_ptr_array_index(b->subjects, s);
		const char *ref = hull_k8s_object_get_ref(b->obj);
		if (strcmp(sub->name, "system:anonymous") == 0 || strcmp(sub->name, "system:unauthenticated") == 0) {
			g_autofree char *key = g_strdup_printf("RBAC-0017 %s %s", ref, sub->name);
			hull_rbac_emit(run, "RBAC-0017", HULL_SEVERITY_CRITICAL, b->obj, key,
			               "%s grants %s %s to %s: anyone who can reach the API server gets it", ref, b->role_kind,
			               roleref, sub->name);
		} else if (strcmp(sub->kind, "Group") == 0 && strcmp(sub->name, "system:authenticated") == 0 &&
		           !hull_rbac_role_is_trivial(b->role)) {
			g_autofree char *key = g_strdup_printf("RBAC-0017 %s %s", ref, sub->name);
			hull_rbac_emit(run, "RBAC-0017", HULL_SEVERITY_HIGH, b->obj, key,
			               "%s grants %s %s, which is more than read-only, to every authenticated identity "
			               "(system:authenticated)",
			               ref, b->role_kind, roleref);
		}
		if (strcmp(sub->kind, "ServiceAccount") == 0 && strcmp(sub->name, "default") == 0) {
			g_autofree char *key = g_strdup_printf("RBAC-0018 %s %s", ref, sub->ns);
			hull_rbac_emit(run, "RBAC-0018", hull_rbac_default_severity("RBAC-0018"), b->obj, key,
			               "%s binds %s %s to ServiceAccount/%s/default, which every pod of the namespace "
			               "without serviceAccountName runs as",
			               ref, b->role_kind, roleref, sub->ns);
		}
	}
}

/* Rights that make a token worth stealing. */
static gboolean
hull_rbac_identity_powerful(HullRbacIdentity *id, const char **what)
{
	static const char *const ids[] = {"RBAC-0001", "RBAC-0003", "RBAC-0004", "RBAC-0005", "RBAC-0009",
	                                  "RBAC-0010", "RBAC-0011", "RBAC-0012", "RBAC-0013", "RBAC-0014", NULL};
	for (guint k = 0; k < G_N_ELEMENTS(hull_rbac_rights); k++) {
		if (!g_strv_contains(ids, hull_rbac_rights[k].rule_id))
			continue;
		for (guint i = 0; i < id->grants->len; i++) {
			HullRbacGrant *g = g_ptr_array_index(id->grants, i);
			if (hull_rbac_rights[k].test(g->rule, g->ns == NULL, NULL)) {
				*what = hull_rbac_rights[k].what;
				return TRUE;
			}
		}
	}
	return FALSE;
}

static void
hull_rbac_check_workload(HullRbacRun *run, HullRbacWorkload *w)
{
	/* The pod's setting wins over the service account's (as the admission plugin decides). */
	int sa_auto = -1;
	for (guint i = 0; i < run->m->sas->len; i++) {
		HullRbacServiceAccount *sa = g_ptr_array_index(run->m->sas, i);
		if (strcmp(sa->ns, w->ns) == 0 && strcmp(sa->name, w->sa) == 0)
			sa_auto = sa->automount;
	}
	gboolean mounted = w->automount == 1 || (w->automount == -1 && sa_auto != 0);
	if (!mounted)
		return;
	g_autofree char *sa_id = g_strdup_printf("ServiceAccount/%s/%s", w->ns, w->sa);
	HullRbacIdentity *id = hull_rbac_model_lookup(run->m, sa_id);
	const char *ref = hull_k8s_object_get_ref(w->obj);
	const char *what = NULL;
	if (id != NULL && id->admin_path != NULL) {
		g_autofree char *key = g_strdup_printf("RBAC-0019 %s", ref);
		hull_rbac_emit(run, "RBAC-0019", HULL_SEVERITY_CRITICAL, w->obj, key,
		               "%s mounts the token of %s, which can become cluster-admin: %s", ref, sa_id, id->admin_path);
	} else if (id != NULL && hull_rbac_identity_powerful(id, &what)) {
		g_autofree char *key = g_strdup_printf("RBAC-0019 %s", ref);
		hull_rbac_emit(run, "RBAC-0019", HULL_SEVERITY_HIGH, w->obj, key, "%s mounts the token of %s, which %s", ref,
		               sa_id, what);
	} else {
		g_autofree char *key = g_strdup_printf("RBAC-0020 %s", ref);
		hull_rbac_emit(run, "RBAC-0020", HULL_SEVERITY_LOW, w->obj, key,
		               "%s mounts the token of %s (automountServiceAccountToken is not false)", ref, sa_id);
	}
}

/* A ClusterRole aggregated into admin, edit or view that adds a sensitive right the built-in
 * role does not already have. Adding rights on custom resources is what aggregation is for. */
static void
hull_rbac_check_aggregation(HullRbacRun *run, HullRbacRole *r)
{
	static const struct {
		const char *label;
		const char *target;
	} targets[] = {
		{"rbac.authorization.k8s.io/aggregate-to-view", "view"},
		{"rbac.authorization.k8s.io/aggregate-to-edit", "edit"},
		{"rbac.authorization.k8s.io/aggregate-to-admin", "admin"},
	};
	if (r->labels == NULL)
		return;
	for (guint t = 0; t < G_N_ELEMENTS(targets); t++) {
		JsonNode *v = json_object_get_member(r->labels, targets[t].label);
		if (v == NULL)
			continue;
		gboolean on = (json_node_get_value_type(v) == G_TYPE_STRING && strcmp(json_node_get_string(v), "true") == 0) ||
		              (json_node_get_value_type(v) == G_TYPE_BOOLEAN && json_node_get_boolean(v));
		if (!on)
			continue;
		HullRbacRole *builtin = g_hash_table_lookup(run->m->role_index, targets[t].target);
		const char *widen = NULL;
		for (guint k = 0; k < G_N_ELEMENTS(hull_rbac_rights) && widen == NULL; k++) {
			const HullRbacRight *right = &hull_rbac_rights[k];
			gboolean in_own = FALSE, in_builtin = FALSE;
			for (guint i = 0; i < r->rules->len; i++)
				in_own = in_own || right->test(g_ptr_array_index(r->rules, i), TRUE, NULL);
			/* The built-in's own rules, before aggregation, are the baseline. */
			for (guint i = 0; builtin != NULL && i < builtin->rules->len; i++)
				in_builtin = in_builtin || right->test(g_ptr_array_index(builtin->rules, i), TRUE, NULL);
			if (in_own && !in_builtin)
				widen = right->what;
		}
		/* view is read-only: any write verb widens it. */
		for (guint i = 0; widen == NULL && strcmp(targets[t].target, "view") == 0 && i < r->rules->len; i++) {
			const HullRbacRule *rule = g_ptr_array_index(r->rules, i);
			for (guint v2 = 0; v2 < rule->verbs->len; v2++) {
				const char *verb = g_ptr_array_index(rule->verbs, v2);
				if (strcmp(verb, "get") != 0 && strcmp(verb, "list") != 0 && strcmp(verb, "watch") != 0) {
					widen = "can write";
					break;
				}
			}
		}
		if (widen == NULL)
			continue;
		const char *ref = hull_k8s_object_get_ref(r->obj);
		g_autofree char *key = g_strdup_printf("RBAC-0021 %s %s", ref, targets[t].target);
		hull_rbac_emit(run, "RBAC-0021", HULL_SEVERITY_HIGH, r->obj, key,
		               "%s carries %s=true: every subject bound to the built-in %s role now %s", ref,
		               targets[t].label, targets[t].target, widen);
	}
}

guint
hull_rbac_check(HullRbacModel *m, const HullRbacOptions *options, HullRbacEmitFunc emit, gpointer user_data)
{
	g_return_val_if_fail(m != NULL && options != NULL && emit != NULL, 0);
	HullRbacRun run = {m, options, emit, user_data, 0};

	for (guint i = 0; i < m->identities->len; i++) {
		HullRbacIdentity *id = g_ptr_array_index(m->identities, i);
		if (!id->is_default || options->report_defaults)
			hull_rbac_check_identity(&run, id);
	}
	for (guint i = 0; i < m->roles->len; i++) {
		HullRbacRole *r = g_ptr_array_index(m->roles, i);
		if (r->obj == NULL || (r->is_default && !options->report_defaults))
			continue;
		if (!r->bound)
			hull_rbac_check_role(&run, r);
		if (r->cluster)
			hull_rbac_check_aggregation(&run, r);
	}
	for (guint i = 0; i < m->bindings->len; i++) {
		HullRbacBinding *b = g_ptr_array_index(m->bindings, i);
		if (!b->is_default || options->report_defaults)
			hull_rbac_check_binding(&run, b);
	}
	for (guint i = 0; i < m->workloads->len; i++)
		hull_rbac_check_workload(&run, g_ptr_array_index(m->workloads, i));

	/* Escalation paths: subjects that are not cluster-admin already but can become it. */
	for (guint i = 0; i < m->identities->len; i++) {
		HullRbacIdentity *id = g_ptr_array_index(m->identities, i);
		if (id->admin_path == NULL || id->admin_hops == 0 || (id->is_default && !options->report_defaults))
			continue;
		HullK8sObject *obj = id->admin_via != NULL ? id->admin_via->obj : NULL;
		if (obj == NULL) {
			for (guint k = 0; k < m->sas->len && obj == NULL; k++) {
				HullRbacServiceAccount *sa = g_ptr_array_index(m->sas, k);
				if (id->ns != NULL && strcmp(sa->ns, id->ns) == 0 && strcmp(sa->name, id->name) == 0)
					obj = sa->obj;
			}
		}
		if (obj == NULL)
			continue;
		g_autofree char *key = g_strdup_printf("RBAC-0022 %s", id->id);
		hull_rbac_emit(&run, "RBAC-0022", id->admin_hops == 1 ? HULL_SEVERITY_CRITICAL : HULL_SEVERITY_HIGH, obj, key,
		               "%s", id->admin_path);
	}
	return run.count;
}
