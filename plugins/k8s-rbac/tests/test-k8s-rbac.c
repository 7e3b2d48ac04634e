/* test-k8s-rbac.c: the k8s-rbac plugin through in-process scans of temp trees: each rule
 * firing and not firing, effective rights through bindings, groups and aggregation, the
 * escalation paths, Kubernetes' default roles staying quiet, and agreement with the public
 * kubescape and Polaris RBAC cases. */
#include <string.h>

#include "hull-test-util.h"
#include "hull-views-private.h"
#include "../hull-rbac.h"

static HullReport *
scan_tree(const char *name, const char *yaml)
{
	g_autofree char *dir = hull_test_make_tree(name, yaml, NULL);
	HullReport *r = hull_test_scan(hull_plugin_get_descriptor(), dir, "config", NULL);
	hull_test_remove_tree(dir);
	return r;
}

static const HullFinding *
find_msg(HullReport *r, const char *rule_id, const char *needle)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		if (g_strcmp0(f->rule_id, rule_id) == 0 && (needle == NULL || strstr(f->message, needle) != NULL))
			return f;
	}
	return NULL;
}

static void
dump(HullReport *r)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		g_test_message("%s %s %s:%u %s", f->rule_id, f->object, f->path, f->line, f->message);
	}
}

/* An unbound ClusterRole (or Role) with one rule: judged on its own. */
static char *
role_yaml(const char *kind, const char *groups, const char *resources, const char *verbs, const char *extra)
{
	return g_strdup_printf("apiVersion: rbac.authorization.k8s.io/v1\n"
	                       "kind: %s\n"
	                       "metadata:\n  name: r\n  namespace: %s\n"
	                       "rules:\n- apiGroups: [%s]\n  resources: [%s]\n  verbs: [%s]\n%s",
	                       kind, "kube-system", groups, resources, verbs, extra != NULL ? extra : "");
}

typedef struct {
	const char *rule;
	const char *groups, *resources, *verbs; /* fires */
	const char *ngroups, *nresources, *nverbs; /* does not */
} RightCase;

static const RightCase right_cases[] = {
	{"RBAC-0001", "'*'", "'*'", "'*'", "'*'", "'*'", "get, list"},
	{"RBAC-0002", "''", "'*'", "get", "''", "pods", "get"},
	{"RBAC-0003", "''", "secrets", "list", "''", "configmaps", "list"},
	{"RBAC-0004", "apps", "deployments", "create", "apps", "deployments", "get"},
	{"RBAC-0005", "''", "pods/exec", "create", "''", "pods/log", "get"},
	{"RBAC-0006", "''", "pods/attach", "get", "''", "pods", "get"},
	{"RBAC-0007", "''", "pods/portforward", "create", "''", "services", "create"},
	{"RBAC-0008", "''", "pods/ephemeralcontainers", "patch", "''", "pods/ephemeralcontainers", "get"},
	{"RBAC-0009", "''", "nodes/proxy", "get", "''", "nodes", "get"},
	{"RBAC-0010", "rbac.authorization.k8s.io", "clusterroles", "bind", "rbac.authorization.k8s.io", "clusterroles", "get"},
	{"RBAC-0011", "''", "groups", "impersonate", "''", "groups", "list"},
	{"RBAC-0012", "''", "serviceaccounts/token", "create", "''", "serviceaccounts", "get"},
	{"RBAC-0013", "certificates.k8s.io", "certificatesigningrequests/approval", "update", "certificates.k8s.io",
	 "certificatesigningrequests", "create"},
	{"RBAC-0014", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "patch",
	 "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "list"},
	{"RBAC-0015", "''", "secrets", "deletecollection", "''", "events", "delete"},
	{"RBAC-0016", "''", "persistentvolumes", "create", "''", "persistentvolumeclaims", "create"},
	{"RBAC-0023", "''", "configmaps", "update", "''", "configmaps", "get"},
};

static void
test_rights(gconstpointer data)
{
	const RightCase *c = data;
	g_autofree char *fire = role_yaml("ClusterRole", c->groups, c->resources, c->verbs, NULL);
	g_autoptr(HullReport) r = scan_tree("r.yaml", fire);
	dump(r);
	const HullFinding *f = hull_test_find(r, c->rule);
	g_assert_nonnull(f);
	g_assert_cmpstr(f->object, ==, "ClusterRole/r");
	g_assert_cmpuint(f->line, ==, 1);
	g_assert_nonnull(strstr(f->path, "r.yaml"));
	g_assert_nonnull(f->remediation);

	g_autofree char *quiet = role_yaml("ClusterRole", c->ngroups, c->nresources, c->nverbs, NULL);
	g_autoptr(HullReport) q = scan_tree("q.yaml", quiet);
	dump(q);
	g_assert_cmpuint(hull_test_count(q, c->rule), ==, 0);
}

static void
test_subject_rights(void)
{
	const char *y = "apiVersion: rbac.authorization.k8s.io/v1\n"
	                "kind: ClusterRole\nmetadata: {name: reader}\n"
	                "rules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [get, list]\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\n"
	                "kind: RoleBinding\nmetadata: {name: rb, namespace: team}\n"
	                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}\n"
	                "subjects:\n- {kind: ServiceAccount, name: app}\n- {kind: User, name: jane}\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\n"
	                "kind: ClusterRole\nmetadata: {name: one-secret}\n"
	                "rules:\n- apiGroups: ['']\n  resources: [secrets]\n  resourceNames: [tls]\n  verbs: [get]\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\n"
	                "kind: ClusterRoleBinding\nmetadata: {name: crb}\n"
	                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: one-secret}\n"
	                "subjects:\n- {kind: User, name: bob}\n";
	g_autoptr(HullReport) r = scan_tree("sub.yaml", y);
	dump(r);
	const HullFinding *sa = find_msg(r, "RBAC-0003", "ServiceAccount/team/app can read secrets in namespace team");
	g_assert_nonnull(sa);
	g_assert_cmpstr(sa->object, ==, "RoleBinding/team/rb");
	g_assert_cmpuint(sa->line, ==, 9);
	g_assert_cmpint(sa->severity, ==, HULL_SEVERITY_HIGH);
	g_assert_nonnull(find_msg(r, "RBAC-0003", "User/jane"));
	/* resourceNames-restricted: rated lower. */
	const HullFinding *bob = find_msg(r, "RBAC-0003", "User/bob");
	g_assert_nonnull(bob);
	g_assert_cmpint(bob->severity, ==, HULL_SEVERITY_LOW);
	/* Bound roles are reported through their subjects, not again on their own. */
	g_assert_null(find_msg(r, "RBAC-0003", "no binding"));
	g_assert_cmpuint(hull_test_count(r, "RBAC-0003"), ==, 3);
}

static void
test_group_and_authenticated(void)
{
	const char *y = "apiVersion: rbac.authorization.k8s.io/v1\n"
	                "kind: ClusterRoleBinding\nmetadata: {name: everyone-edit}\n"
	                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n"
	                "subjects:\n- {kind: Group, name: 'system:authenticated'}\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\n"
	                "kind: ClusterRoleBinding\nmetadata: {name: anon}\n"
	                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n"
	                "subjects:\n- {kind: User, name: 'system:anonymous'}\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\n"
	                "kind: ClusterRoleBinding\nmetadata: {name: authn-view}\n"
	                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n"
	                "subjects:\n- {kind: Group, name: 'system:authenticated'}\n";
	g_autoptr(HullReport) r = scan_tree("g.yaml", y);
	dump(r);
	const HullFinding *f = find_msg(r, "RBAC-0017", "every authenticated");
	g_assert_nonnull(f);
	g_assert_cmpstr(f->object, ==, "ClusterRoleBinding/everyone-edit");
	g_assert_nonnull(find_msg(r, "RBAC-0017", "system:anonymous"));
	/* view to system:authenticated is read-only: not reported. */
	g_assert_cmpuint(hull_test_count(r, "RBAC-0017"), ==, 2);
	/* edit includes reading secrets: the group is reported as a subject. */
	g_assert_nonnull(find_msg(r, "RBAC-0003", "Group/system:authenticated"));
}

static const char *escalation_yaml =
	"apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder, namespace: ci}\n"
	"---\n"
	"apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: platform-admin, namespace: kube-system}\n"
	"---\n"
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: platform-admin}\n"
	"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n"
	"subjects:\n- {kind: ServiceAccount, name: platform-admin, namespace: kube-system}\n"
	"---\n"
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: deployer, namespace: kube-system}\n"
	"rules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [create, get]\n"
	"---\n"
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: builder-deploys, namespace: kube-system}\n"
	"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}\n"
	"subjects:\n- {kind: ServiceAccount, name: builder, namespace: ci}\n"
	"---\n"
	/* Two hops: reads secrets in ci, where the builder's token lives. */
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: secret-reader, namespace: ci}\n"
	"rules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [get]\n"
	"---\n"
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: auditor-reads, namespace: ci}\n"
	"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}\n"
	"subjects:\n- {kind: User, name: auditor}\n"
	"---\n"
	/* One hop to cluster-admin without another account: bind + create bindings. */
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: binder}\n"
	"rules:\n- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles]\n  verbs: [bind]\n"
	"- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterrolebindings]\n  verbs: [create]\n"
	"---\n"
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ops-binds}\n"
	"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binder}\n"
	"subjects:\n- {kind: User, name: ops}\n"
	"---\n"
	/* Creates pods only in a namespace with no powerful account: no path. */
	"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: dev-deploys, namespace: dev}\n"
	"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n"
	"subjects:\n- {kind: User, name: dev}\n"
	"---\n"
	"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ci-runner, namespace: ci}\n"
	"spec:\n  template:\n    spec:\n      serviceAccountName: builder\n      containers: [{name: c, image: x}]\n";

static void
test_escalation(void)
{
	g_autoptr(HullReport) r = scan_tree("esc.yaml", escalation_yaml);
	dump(r);
	const HullFinding *f = find_msg(r, "RBAC-0022", "ServiceAccount/ci/builder");
	g_assert_nonnull(f);
	g_assert_cmpstr(f->message, ==,
	                "ServiceAccount/ci/builder \xE2\x86\x92 create pods in kube-system \xE2\x86\x92 "
	                "ServiceAccount/kube-system/platform-admin \xE2\x86\x92 cluster-admin");
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_CRITICAL);
	g_assert_cmpstr(f->object, ==, "RoleBinding/kube-system/builder-deploys");

	const HullFinding *two = find_msg(r, "RBAC-0022", "User/auditor");
	g_assert_nonnull(two);
	g_assert_cmpstr(two->message, ==,
	                "User/auditor \xE2\x86\x92 read secrets (service account tokens) in ci \xE2\x86\x92 "
	                "ServiceAccount/ci/builder \xE2\x86\x92 create pods in kube-system \xE2\x86\x92 "
	                "ServiceAccount/kube-system/platform-admin \xE2\x86\x92 cluster-admin");
	g_assert_cmpint(two->severity, ==, HULL_SEVERITY_HIGH);

	const HullFinding *ops = find_msg(r, "RBAC-0022", "User/ops");
	g_assert_nonnull(ops);
	g_assert_cmpstr(ops->message, ==, "User/ops \xE2\x86\x92 bind cluster roles \xE2\x86\x92 cluster-admin");

	/* Already cluster-admin: RBAC-0001, not a path. */
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *x = g_ptr_array_index(r->findings, i);
		g_assert_false(strcmp(x->rule_id, "RBAC-0022") == 0 &&
		               g_str_has_prefix(x->message, "ServiceAccount/kube-system/platform-admin"));
	}
	g_assert_nonnull(find_msg(r, "RBAC-0001", "ServiceAccount/kube-system/platform-admin"));
	g_assert_null(find_msg(r, "RBAC-0022", "User/dev"));
	g_assert_cmpuint(hull_test_count(r, "RBAC-0022"), ==, 3);

	/* The runner mounts the builder's token, which leads to cluster-admin. */
	const HullFinding *w = find_msg(r, "RBAC-0019", "Deployment/ci/ci-runner");
	g_assert_nonnull(w);
	g_assert_cmpint(w->severity, ==, HULL_SEVERITY_CRITICAL);
}

/* The model and graph directly: what the service-account facts' cluster_admin_path carries. */
static void
test_escalation_model(void)
{
	g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func((GDestroyNotify)hull_k8s_object_free);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_k8s_parse("/esc.yaml", -1, (const guint8 *)escalation_yaml, strlen(escalation_yaml), objects,
	                             notes, &error));
	g_assert_no_error(error);
	HullRbacModel *m = hull_rbac_model_new(objects);
	hull_rbac_graph_solve(m);
	HullRbacIdentity *b = hull_rbac_model_lookup(m, "ServiceAccount/ci/builder");
	g_assert_nonnull(b);
	g_assert_cmpuint(b->admin_hops, ==, 1);
	g_assert_nonnull(strstr(b->admin_path, "ServiceAccount/kube-system/platform-admin"));
	HullRbacIdentity *pa = hull_rbac_model_lookup(m, "ServiceAccount/kube-system/platform-admin");
	g_assert_nonnull(pa);
	g_assert_cmpuint(pa->admin_hops, ==, 0);
	HullRbacIdentity *dev = hull_rbac_model_lookup(m, "User/dev");
	g_assert_nonnull(dev);
	g_assert_null(dev->admin_path);
	/* Effective rights: a RoleBinding to a ClusterRole holds in its namespace only. */
	g_assert_true(hull_rbac_can(dev, "create", "", "pods", "dev", NULL));
	g_assert_false(hull_rbac_can(dev, "create", "", "pods", "kube-system", NULL));
	g_assert_false(hull_rbac_can(dev, "create", "", "pods", NULL, NULL));
	/* The groups of a service account: system:serviceaccounts:<ns> grants reach it. */
	hull_rbac_model_free(m);

	const char *grp = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: g, namespace: team}\n"
	                  "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n"
	                  "subjects: [{kind: Group, name: 'system:serviceaccounts:team'}]\n"
	                  "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: s, namespace: team}\n";
	g_ptr_array_set_size(objects, 0);
	g_assert_true(hull_k8s_parse("/g.yaml", -1, (const guint8 *)grp, strlen(grp), objects, notes, NULL));
	m = hull_rbac_model_new(objects);
	HullRbacIdentity *s = hull_rbac_model_lookup(m, "ServiceAccount/team/s");
	g_assert_nonnull(s);
	g_assert_true(hull_rbac_can(s, "list", "apps", "deployments", "team", NULL));
	g_assert_false(hull_rbac_can(s, "get", "", "secrets", "team", NULL));
	hull_rbac_model_free(m);

	m = hull_rbac_model_new(NULL);
	hull_rbac_graph_solve(m);
	g_assert_cmpuint(m->identities->len, ==, 0);
	hull_rbac_model_free(m);
}

static void
test_defaults_quiet(void)
{
	const char *y =
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
		"metadata:\n  name: cluster-admin\n  labels: {kubernetes.io/bootstrapping: rbac-defaults}\n"
		"rules:\n- apiGroups: ['*']\n  resources: ['*']\n  verbs: ['*']\n- nonResourceURLs: ['*']\n  verbs: ['*']\n"
		"---\n"
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
		"metadata:\n  name: cluster-admin\n  labels: {kubernetes.io/bootstrapping: rbac-defaults}\n"
		"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n"
		"subjects:\n- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: 'system:masters'}\n"
		"---\n"
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
		"metadata:\n  name: admin\n  labels: {kubernetes.io/bootstrapping: rbac-defaults}\n"
		"aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {rbac.authorization.k8s.io/aggregate-to-admin: 'true'}\n"
		"rules: []\n"
		"---\n"
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
		"metadata:\n  name: system:aggregate-to-edit\n"
		"  labels: {kubernetes.io/bootstrapping: rbac-defaults, rbac.authorization.k8s.io/aggregate-to-edit: 'true'}\n"
		"rules:\n- apiGroups: ['']\n  resources: [pods/exec, secrets]\n  verbs: [create, get, list]\n"
		"---\n"
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: 'system:node'}\n"
		"rules:\n- apiGroups: ['']\n  resources: [secrets, nodes/proxy]\n  verbs: [get]\n"
		"---\n"
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
		"metadata: {name: 'system:controller:generic-garbage-collector'}\n"
		"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: 'system:controller:generic-garbage-collector'}\n"
		"subjects:\n- {kind: ServiceAccount, name: generic-garbage-collector, namespace: kube-system}\n"
		"---\n"
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
		"metadata:\n  name: 'system:controller:bootstrap-signer'\n  namespace: kube-system\n"
		"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: 'system:controller:bootstrap-signer'}\n"
		"subjects:\n- {kind: ServiceAccount, name: bootstrap-signer, namespace: kube-system}\n";
	g_autoptr(HullReport) r = scan_tree("defaults.yaml", y);
	dump(r);
	g_assert_cmpuint(hull_test_count(r, NULL), ==, 0);

	/* With report-defaults the same objects are judged. */
	g_autofree char *dir = hull_test_make_tree("defaults.yaml", y, NULL);
	g_autoptr(HullReport) all = hull_test_scan(hull_plugin_get_descriptor(), dir, "config",
	                                           "[k8s-rbac]\nreport-defaults=true\n");
	hull_test_remove_tree(dir);
	g_assert_cmpuint(hull_test_count(all, "RBAC-0001"), >, 0);
}

static void
test_aggregation(void)
{
	const char *y = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
	                "metadata:\n  name: widen-view\n  labels: {rbac.authorization.k8s.io/aggregate-to-view: 'true'}\n"
	                "rules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [get, list]\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
	                "metadata:\n  name: widgets-view\n  labels: {rbac.authorization.k8s.io/aggregate-to-view: 'true'}\n"
	                "rules:\n- apiGroups: [example.com]\n  resources: [widgets]\n  verbs: [get, list, watch]\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: viewers, namespace: shop}\n"
	                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n"
	                "subjects:\n- {kind: Group, name: shop-viewers}\n";
	g_autoptr(HullReport) r = scan_tree("agg.yaml", y);
	dump(r);
	const HullFinding *f = find_msg(r, "RBAC-0021", "ClusterRole/widen-view");
	g_assert_nonnull(f);
	g_assert_nonnull(strstr(f->message, "view"));
	g_assert_cmpuint(hull_test_count(r, "RBAC-0021"), ==, 1);
	/* Through aggregation, everyone bound to view now reads secrets (and edit and admin too). */
	const HullFinding *s = find_msg(r, "RBAC-0003", "Group/shop-viewers can read secrets in namespace shop");
	g_assert_nonnull(s);
	g_assert_nonnull(strstr(s->message, "ClusterRole/view"));
}

static void
test_workloads_and_default_sa(void)
{
	const char *y = "apiVersion: v1\nkind: Pod\nmetadata: {name: quiet, namespace: a}\n"
	                "spec:\n  automountServiceAccountToken: false\n  containers: [{name: c, image: x}]\n"
	                "---\n"
	                "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, namespace: a}\n"
	                "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
	                "          serviceAccountName: janitor\n          containers: [{name: c, image: x}]\n"
	                "---\n"
	                "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: janitor, namespace: a}\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: janitor, namespace: a}\n"
	                "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n"
	                "subjects:\n- {kind: ServiceAccount, name: janitor, namespace: a}\n- {kind: ServiceAccount, name: default, namespace: a}\n"
	                "---\n"
	                "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: b}\n"
	                "spec:\n  template:\n    spec:\n      containers: [{name: c, image: x}]\n"
	                "---\n"
	                "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: c}\n"
	                "automountServiceAccountToken: false\n"
	                "---\n"
	                "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: c}\n"
	                "spec:\n  template:\n    spec:\n      containers: [{name: c, image: x}]\n";
	g_autoptr(HullReport) r = scan_tree("w.yaml", y);
	dump(r);
	g_assert_null(find_msg(r, "RBAC-0019", "Pod/a/quiet"));
	g_assert_null(find_msg(r, "RBAC-0020", "Pod/a/quiet"));
	const HullFinding *cj = find_msg(r, "RBAC-0019", "CronJob/a/nightly");
	g_assert_nonnull(cj);
	g_assert_cmpint(cj->severity, ==, HULL_SEVERITY_HIGH);
	g_assert_nonnull(find_msg(r, "RBAC-0020", "StatefulSet/b/db"));
	g_assert_null(find_msg(r, "RBAC-0020", "DaemonSet/c/agent"));
	g_assert_nonnull(find_msg(r, "RBAC-0018", "ServiceAccount/a/default"));
	/* edit impersonates service accounts only: named precisely, rated below acting as anyone. */
	const HullFinding *imp = find_msg(r, "RBAC-0011", "ServiceAccount/a/janitor can impersonate serviceaccounts in");
	g_assert_nonnull(imp);
	g_assert_cmpint(imp->severity, ==, HULL_SEVERITY_HIGH);
	g_assert_cmpuint(hull_test_count(r, "RBAC-0018"), ==, 1);
}

static void
test_hostile(void)
{
	/* Broken shapes must not crash the model: wrong types everywhere. */
	const char *y = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: 5}\n"
	                "rules: [1, {verbs: get}, {apiGroups: [1], resources: [null], verbs: ['*']}]\n"
	                "aggregationRule: {clusterRoleSelectors: [1, {matchLabels: 2}]}\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {}\n"
	                "roleRef: 7\nsubjects: [x, {kind: User}, {name: n}]\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: loop}\n"
	                "roleRef: {kind: ClusterRole, name: loop}\nsubjects: [{kind: ServiceAccount, name: s}]\n"
	                "---\n"
	                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
	                "metadata: {name: loop, labels: {x: 'y'}}\n"
	                "aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: 'y'}}]}\n"
	                "---\n"
	                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: 3\n";
	g_autoptr(HullReport) r = scan_tree("h.yaml", y);
	dump(r);
	/* The self-aggregating role resolves without looping; nothing dangerous is granted. */
	g_assert_cmpuint(hull_test_count(r, "RBAC-0001"), ==, 0);
}

/* ---- agreement with public test cases ---- */

/* The subject a finding is about: the message's first word for subject findings, else the
 * first service account it names (RBAC-0018 names the binding first). RBAC-0001 (every verb on
 * every resource) stands for every other right: the plugin does not repeat them. */
static void
subjects_from_findings(HullReport *r, const char *rule, GHashTable *out)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		if ((strcmp(f->rule_id, rule) != 0 && strcmp(f->rule_id, "RBAC-0001") != 0) ||
		    strstr(f->message, "no binding") != NULL)
			continue;
		const char *m = f->message;
		if (!g_str_has_prefix(m, "User/") && !g_str_has_prefix(m, "Group/") && !g_str_has_prefix(m, "ServiceAccount/")) {
			m = strstr(m, "ServiceAccount/");
			if (m == NULL)
				continue;
		}
		gsize n = strcspn(m, " ,");
		g_hash_table_add(out, g_strndup(m, n));
	}
}

static void
test_kubescape(void)
{
	static const char *const map[][2] = {
		{"rule-list-all-cluster-admins-v1", "RBAC-0001"},
		{"rule-can-list-get-secrets-v1", "RBAC-0003"},
		{"exec-into-container-v1", "RBAC-0005"},
		{"rule-can-impersonate-users-groups-v1", "RBAC-0011"},
		{"rule-can-create-pod", "RBAC-0004"},
		{"rule-excessive-delete-rights-v1", "RBAC-0015"},
		{"rule-can-bind-escalate", "RBAC-0010"},
		{"rule-can-portforward-v1", "RBAC-0007"},
		{"rule-can-update-configmap-v1", "RBAC-0023"},
		{"access-container-service-account-v1", "RBAC-0018"},
	};
	g_autofree char *root = hull_test_shared_data("k8s/kubescape");
	if (root == NULL)
		return;
	guint cases = 0, agree = 0;
	for (guint m = 0; m < G_N_ELEMENTS(map); m++) {
		g_autofree char *tdir = g_build_filename(root, map[m][0], "test", NULL);
		g_autoptr(GDir) d = g_dir_open(tdir, 0, NULL);
		if (d == NULL)
			continue;
		const char *c;
		while ((c = g_dir_read_name(d)) != NULL) {
			g_autofree char *input = g_build_filename(tdir, c, "input", NULL);
			g_autofree char *expected = g_build_filename(tdir, c, "expected.json", NULL);
			g_autoptr(JsonParser) p = json_parser_new();
			if (!g_file_test(input, G_FILE_TEST_IS_DIR) || !json_parser_load_from_file(p, expected, NULL))
				continue;
			g_autoptr(GHashTable) want = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
			JsonNode *root_node = json_parser_get_root(p);
			JsonArray *arr = JSON_NODE_HOLDS_ARRAY(root_node) ? json_node_get_array(root_node) : NULL;
			for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
				JsonObject *a = json_array_get_object_element(arr, i);
				JsonObject *ao = json_object_get_object_member(a, "alertObject");
				JsonObject *eo = ao != NULL && json_object_has_member(ao, "externalObjects")
				                         ? json_object_get_object_member(ao, "externalObjects")
				                         : NULL;
				if (eo == NULL)
					continue;
				const char *kind = json_object_get_string_member_with_default(eo, "kind", "");
				const char *name = json_object_get_string_member_with_default(eo, "name", "");
				const char *ns = json_object_get_string_member_with_default(eo, "namespace", NULL);
				g_hash_table_add(want, strcmp(kind, "ServiceAccount") == 0
				                               ? g_strdup_printf("%s/%s/%s", kind, ns != NULL ? ns : "default", name)
				                               : g_strdup_printf("%s/%s", kind, name));
			}
			g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), input, "config", NULL);
			g_autoptr(GHashTable) got = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
			subjects_from_findings(r, map[m][1], got);
			gboolean same = g_hash_table_size(want) == g_hash_table_size(got);
			GHashTableIter it;
			gpointer k;
			g_hash_table_iter_init(&it, want);
			while (same && g_hash_table_iter_next(&it, &k, NULL))
				same = g_hash_table_contains(got, k);
			cases++;
			if (same)
				agree++;
			else
				g_test_message("kubescape %s/%s: expected %u subjects, %s gave %u", map[m][0], c,
				               g_hash_table_size(want), map[m][1], g_hash_table_size(got));
		}
	}
	g_test_message("kubescape agreement: %u/%u cases", agree, cases);
	g_printerr("# kubescape agreement: %u/%u cases\n", agree, cases);
	g_assert_cmpuint(cases, >=, 25);
	/* Measured 25/28 when written. The three differences are deliberate: kubescape counts
	 * apiGroups [""] with a wildcard resource as cluster-admin (Polaris and we do not: it
	 * lacks every other API group), and reads a "pods/" prefix followed by a star as a
	 * wildcard (twice), which the RBAC authorizer does not. */
	g_assert_cmpuint(agree, >=, 25);
}

static void
test_polaris(void)
{
	static const char *const map[][3] = {
		{"clusterrolebindingClusterAdmin", "RBAC-0001", NULL},
		{"rolebindingClusterAdminClusterRole", "RBAC-0001", NULL},
		{"rolebindingClusterAdminRole", "RBAC-0001", NULL},
		{"clusterrolePodExecAttach", "RBAC-0005", "RBAC-0006"},
		{"clusterrolebindingPodExecAttach", "RBAC-0005", "RBAC-0006"},
		{"rolePodExecAttach", "RBAC-0005", "RBAC-0006"},
		{"rolebindingClusterRolePodExecAttach", "RBAC-0005", "RBAC-0006"},
		{"rolebindingRolePodExecAttach", "RBAC-0005", "RBAC-0006"},
		{"automountServiceAccountToken", "RBAC-0019", "RBAC-0020"},
	};
	g_autofree char *root = hull_test_shared_data("k8s/polaris");
	if (root == NULL)
		return;
	guint files = 0, agree = 0;
	for (guint m = 0; m < G_N_ELEMENTS(map); m++) {
		g_autofree char *dir = g_build_filename(root, map[m][0], NULL);
		g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
		if (d == NULL)
			continue;
		const char *name;
		while ((name = g_dir_read_name(d)) != NULL) {
			gboolean fail = g_str_has_prefix(name, "failure");
			if (!fail && !g_str_has_prefix(name, "success"))
				continue;
			g_autofree char *path = g_build_filename(dir, name, NULL);
			g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), path, "config", NULL);
			/* RBAC-0001 (everything) stands for the rights it contains. */
			guint n = hull_test_count(r, map[m][1]) + (map[m][2] != NULL ? hull_test_count(r, map[m][2]) : 0);
			if (strcmp(map[m][1], "RBAC-0005") == 0)
				n += hull_test_count(r, "RBAC-0001");
			gboolean ok = fail ? n > 0 : n == 0;
			files++;
			if (ok)
				agree++;
			else {
				g_test_message("polaris %s/%s: %u findings", map[m][0], name, n);
				dump(r);
			}
		}
	}
	g_test_message("polaris agreement: %u/%u files", agree, files);
	g_printerr("# polaris agreement: %u/%u files\n", agree, files);
	g_assert_cmpuint(files, >=, 100);
	/* Measured 133/138 when written. The differences: a binding to a role missing from the
	 * file fails in Polaris (3 files; we cannot judge rights we cannot see), a user binding
	 * that happens to be named cluster-admin is exempt there by name, and a RoleBinding to an
	 * all-powerful ClusterRole passes Polaris' Role-only check (we report it). */
	g_assert_cmpuint(agree * 100, >=, files * 95);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(right_cases); i++) {
		g_autofree char *name = g_strdup_printf("/k8s-rbac/rights/%s", right_cases[i].rule);
		g_test_add_data_func(name, &right_cases[i], test_rights);
	}
	g_test_add_func("/k8s-rbac/subjects", test_subject_rights);
	g_test_add_func("/k8s-rbac/groups", test_group_and_authenticated);
	g_test_add_func("/k8s-rbac/escalation/paths", test_escalation);
	g_test_add_func("/k8s-rbac/escalation/empty-model", test_escalation_model);
	g_test_add_func("/k8s-rbac/defaults-quiet", test_defaults_quiet);
	g_test_add_func("/k8s-rbac/aggregation", test_aggregation);
	g_test_add_func("/k8s-rbac/workloads", test_workloads_and_default_sa);
	g_test_add_func("/k8s-rbac/hostile", test_hostile);
	g_test_add_func("/k8s-rbac/eval/kubescape", test_kubescape);
	g_test_add_func("/k8s-rbac/eval/polaris", test_polaris);
	return g_test_run();
}
