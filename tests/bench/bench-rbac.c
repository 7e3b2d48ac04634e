/* bench-rbac.c: measures the k8s-rbac analysis on a generated cluster: 10,000 objects (per
 * namespace: service accounts, roles, bindings and deployments; plus cluster roles and
 * cluster-wide bindings, some forming escalation chains), parsed by the Kubernetes loader,
 * then modelled, solved for escalation paths and checked. Prints the time of each step and
 * objects per second. Usage: bench-rbac [N_OBJECTS] */
#include <stdio.h>
#include <stdlib.h>

#include "views/hull-k8s.h"
#include "hull-rbac.h"

static void
count_finding(gpointer user_data, const char *rule_id, HullSeverity severity, HullK8sObject *obj, const char *message,
              const char *key)
{
	(*(guint *)user_data)++;
}

int
main(int argc, char **argv)
{
	guint target = argc > 1 ? (guint)strtoul(argv[1], NULL, 10) : 10000;
	GString *y = g_string_new(NULL);
	guint n = 0;
	/* Shared cluster roles and an admin account chain. */
	g_string_append(y, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: platform-admin, namespace: kube-system}\n---\n"
	                   "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: pa}\n"
	                   "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n"
	                   "subjects: [{kind: ServiceAccount, name: platform-admin, namespace: kube-system}]\n---\n");
	n += 2;
	for (guint ns = 0; n < target; ns++) {
		for (guint k = 0; k < 5 && n < target; k++, n += 4) {
			/* Every 50th namespace's second account can create pods in kube-system (edit
			 * bound there), where cluster-admin's account lives: escalation chains. */
			gboolean chain = ns % 50 == 0 && k == 1;
			g_autofree char *bns = chain ? g_strdup("kube-system") : g_strdup_printf("ns%u", ns);
			g_autofree char *role = chain ? g_strdup("edit") : g_strdup_printf("r%u", k);
			g_string_append_printf(y,
				"apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa%u, namespace: ns%u}\n---\n"
				"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r%u, namespace: ns%u}\n"
				"rules:\n- apiGroups: ['']\n  resources: [%s]\n  verbs: [get, list, create]\n---\n"
				"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b%u-%u, namespace: %s}\n"
				"roleRef: {apiGroup: rbac.authorization.k8s.io, kind: %s, name: %s}\n"
				"subjects: [{kind: ServiceAccount, name: sa%u, namespace: ns%u}, {kind: User, name: u%u}]\n---\n"
				"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d%u, namespace: ns%u}\n"
				"spec: {template: {spec: {serviceAccountName: sa%u, containers: [{name: c, image: x}]}}}\n---\n",
				k, ns, k, ns, k == 0 ? "secrets" : k == 1 ? "pods" : "configmaps", ns, k, bns,
				chain ? "ClusterRole" : "Role", role, k, ns, ns, k, ns, k);
		}
	}
	gint64 t0 = g_get_monotonic_time();
	g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func((GDestroyNotify)hull_k8s_object_free);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	if (!hull_k8s_parse("/bench.yaml", 0, (const guint8 *)y->str, y->len, objects, notes, &error)) {
		fprintf(stderr, "parse: %s\n", error->message);
		return 1;
	}
	gint64 t1 = g_get_monotonic_time();
	HullRbacModel *m = hull_rbac_model_new(objects);
	gint64 t2 = g_get_monotonic_time();
	hull_rbac_graph_solve(m);
	gint64 t3 = g_get_monotonic_time();
	guint findings = 0;
	HullRbacOptions opt = {FALSE};
	hull_rbac_check(m, &opt, count_finding, &findings);
	gint64 t4 = g_get_monotonic_time();
	guint paths = 0;
	for (guint i = 0; i < m->identities->len; i++) {
		HullRbacIdentity *id = g_ptr_array_index(m->identities, i);
		paths += id->admin_path != NULL && id->admin_hops > 0;
	}
	double analysis = (double)(t4 - t1) / G_USEC_PER_SEC;
	printf("objects: %u (%.1f MiB of YAML), identities: %u, findings: %u, paths to cluster-admin: %u\n",
	       objects->len, y->len / 1048576.0, m->identities->len, findings, paths);
	printf("parse: %.3f s  model: %.3f s  graph: %.3f s  checks: %.3f s\n", (t1 - t0) / 1e6, (t2 - t1) / 1e6,
	       (t3 - t2) / 1e6, (t4 - t3) / 1e6);
	printf("analysis (model+graph+checks): %.3f s = %.0f objects/s\n", analysis, objects->len / MAX(analysis, 1e-9));
	hull_rbac_model_free(m);
	g_string_free(y, TRUE);
	return analysis < 1.0 ? 0 : 2;
}
