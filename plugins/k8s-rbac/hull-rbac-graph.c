/* hull-rbac-graph.c: the escalation graph. An identity A has an edge to identity B when A's
 * rights let it act as B (run a pod as B, read B's token secret, request a token for B, exec
 * or attach into a pod running as B, reach such a pod through nodes/proxy, impersonate B),
 * and an edge to cluster-admin when it can bind or escalate cluster roles, approve client
 * certificates, write admission webhooks or impersonate any group. A breadth-first search
 * backwards from cluster-admin gives every identity its shortest path in one pass over the
 * edges: predecessors are found through an index keyed by (capability, namespace), and each
 * index list is consumed once, so the work is linear in identities plus capabilities. */
#include <string.h>

#include "hull-rbac.h"

typedef enum {
	HULL_RBAC_CAP_CREATE_PODS,
	HULL_RBAC_CAP_READ_SECRETS,
	HULL_RBAC_CAP_TOKEN,
	HULL_RBAC_CAP_EXEC,
	HULL_RBAC_CAP_ATTACH,
	HULL_RBAC_CAP_IMPERSONATE_SA,
	HULL_RBAC_CAP_IMPERSONATE_USER,
	HULL_RBAC_CAP_IMPERSONATE_GROUP,
	HULL_RBAC_CAP_NODES_PROXY,
	HULL_RBAC_CAP_LAST,
} HullRbacCap;

static const char *const hull_rbac_cap_label[] = {
	"create pods in %s",
	"read secrets (service account tokens) in %s",
	"request a token (TokenRequest) in %s",
	"exec into pods in %s",
	"attach to pods in %s",
	"impersonate service accounts in %s",
	"impersonate users",
	"impersonate groups",
	"nodes/proxy to the kubelet",
};

typedef struct {
	HullRbacIdentity *id;
	HullRbacGrant *grant;
	HullRbacCap cap;
} HullRbacPred;

typedef struct {
	HullRbacModel *m;
	GHashTable *index;      /* "cap|ns" -> GPtrArray of HullRbacPred* */
	GPtrArray *preds;       /* owns every HullRbacPred */
	GHashTable *workload_sas; /* "ns/name" of service accounts pods run as */
	int *next;              /* successor identity index; -1: cluster-admin itself; -2: unvisited */
	char **label;           /* edge label to the successor */
	HullRbacGrant **via;
	GQueue queue;
} HullRbacGraph;

static void
hull_rbac_graph_add(HullRbacGraph *g, HullRbacCap cap, const char *ns, HullRbacIdentity *id, HullRbacGrant *grant)
{
	g_autofree char *key = g_strdup_printf("%u|%s", cap, ns != NULL ? ns : "*");
	GPtrArray *list = g_hash_table_lookup(g->index, key);
	if (list == NULL) {
		list = g_ptr_array_new();
		g_hash_table_insert(g->index, g_steal_pointer(&key), list);
	}
	/* One entry per identity and list is enough. */
	if (list->len > 0 && ((HullRbacPred *)g_ptr_array_index(list, list->len - 1))->id == id)
		return;
	HullRbacPred *p = g_new0(HullRbacPred, 1);
	p->id = id;
	p->grant = grant;
	p->cap = cap;
	g_ptr_array_add(g->preds, p);
	g_ptr_array_add(list, p);
}

static gboolean
hull_rbac_rule_any(const HullRbacRule *r, const char *const *verbs, const char *group, const char *const *resources)
{
	for (guint v = 0; verbs[v] != NULL; v++)
		for (guint x = 0; resources[x] != NULL; x++)
			if (hull_rbac_rule_allows(r, verbs[v], group, resources[x], NULL))
				return TRUE;
	return FALSE;
}

/* Capabilities one grant gives, recorded in the index; returns TRUE when it leads straight to
 * cluster-admin (only cluster-wide grants can: the resources involved are cluster-scoped). */
static gboolean
hull_rbac_graph_grant(HullRbacGraph *g, HullRbacIdentity *id, HullRbacGrant *gr, const char **sink_label)
{
	static const char *const create[] = {"create", NULL};
	static const char *const getcreate[] = {"get", "create", NULL};
	static const char *const read[] = {"get", "list", NULL};
	static const char *const imp[] = {"impersonate", NULL};
	static const char *const pods[] = {"pods", NULL};
	static const char *const ctl_apps[] = {"deployments", "daemonsets", "statefulsets", "replicasets", NULL};
	static const char *const ctl_batch[] = {"jobs", "cronjobs", NULL};
	static const char *const rc[] = {"replicationcontrollers", NULL};
	static const char *const secrets[] = {"secrets", NULL};
	static const char *const token[] = {"serviceaccounts/token", NULL};
	static const char *const exec[] = {"pods/exec", NULL};
	static const char *const attach[] = {"pods/attach", NULL};
	static const char *const sas[] = {"serviceaccounts", NULL};
	static const char *const users[] = {"users", "uids", NULL};
	static const char *const groups[] = {"groups", NULL};
	static const char *const nproxy[] = {"nodes/proxy", NULL};
	const HullRbacRule *r = gr->rule;
	const char *ns = gr->ns;
	gboolean cluster = ns == NULL;

	/* bind or escalate on roles within a namespace gives everything in that namespace. */
	static const char *const be[] = {"bind", "escalate", NULL};
	static const char *const rbacroles[] = {"roles", "clusterroles", NULL};
	gboolean ns_admin = !cluster && hull_rbac_rule_any(r, be, "rbac.authorization.k8s.io", rbacroles);

	if (ns_admin || hull_rbac_rule_any(r, create, "", pods) || hull_rbac_rule_any(r, create, "apps", ctl_apps) ||
	    hull_rbac_rule_any(r, create, "batch", ctl_batch) || hull_rbac_rule_any(r, create, "", rc))
		hull_rbac_graph_add(g, HULL_RBAC_CAP_CREATE_PODS, ns, id, gr);
	if (ns_admin || hull_rbac_rule_any(r, read, "", secrets))
		hull_rbac_graph_add(g, HULL_RBAC_CAP_READ_SECRETS, ns, id, gr);
	if (ns_admin || hull_rbac_rule_any(r, create, "", token))
		hull_rbac_graph_add(g, HULL_RBAC_CAP_TOKEN, ns, id, gr);
	if (ns_admin || hull_rbac_rule_any(r, getcreate, "", exec))
		hull_rbac_graph_add(g, HULL_RBAC_CAP_EXEC, ns, id, gr);
	if (ns_admin || hull_rbac_rule_any(r, getcreate, "", attach))
		hull_rbac_graph_add(g, HULL_RBAC_CAP_ATTACH, ns, id, gr);
	if (ns_admin || hull_rbac_rule_any(r, imp, "", sas))
		hull_rbac_graph_add(g, HULL_RBAC_CAP_IMPERSONATE_SA, ns, id, gr);
	if (!cluster)
		return FALSE;
	if (hull_rbac_rule_any(r, imp, "", users))
		hull_rbac_graph_add(g, HULL_RBAC_CAP_IMPERSONATE_USER, NULL, id, gr);
	if (hull_rbac_rule_any(r, getcreate, "", nproxy))
		hull_rbac_graph_add(g, HULL_RBAC_CAP_NODES_PROXY, NULL, id, gr);
	if (hull_rbac_rule_any(r, imp, "", groups)) {
		hull_rbac_graph_add(g, HULL_RBAC_CAP_IMPERSONATE_GROUP, NULL, id, gr);
		*sink_label = "impersonate group system:masters";
		return TRUE;
	}
	return FALSE;
}

/* Needs two rights together, possibly from different grants: checked on the identity. */
static const char *
hull_rbac_graph_sink(HullRbacIdentity *id, HullRbacGrant **via)
{
	const char *rbac = "rbac.authorization.k8s.io";
	if (hull_rbac_can(id, "bind", rbac, "clusterroles", NULL, via) &&
	    (hull_rbac_can(id, "create", rbac, "clusterrolebindings", NULL, NULL) ||
	     hull_rbac_can(id, "create", rbac, "rolebindings", NULL, NULL)))
		return "bind cluster roles";
	if (hull_rbac_can(id, "escalate", rbac, "clusterroles", NULL, via) &&
	    (hull_rbac_can(id, "update", rbac, "clusterroles", NULL, NULL) ||
	     hull_rbac_can(id, "patch", rbac, "clusterroles", NULL, NULL)))
		return "escalate cluster roles";
	if (hull_rbac_can(id, "update", "certificates.k8s.io", "certificatesigningrequests/approval", NULL, via) &&
	    hull_rbac_can(id, "approve", "certificates.k8s.io", "signers", NULL, NULL))
		return "approve client certificates";
	const char *adm = "admissionregistration.k8s.io";
	static const char *const writes[] = {"create", "update", "patch", NULL};
	for (guint i = 0; writes[i] != NULL; i++)
		if (hull_rbac_can(id, writes[i], adm, "mutatingwebhookconfigurations", NULL, via) ||
		    hull_rbac_can(id, writes[i], adm, "validatingwebhookconfigurations", NULL, via))
			return "write admission webhooks";
	return NULL;
}

static gboolean
hull_rbac_is_admin(HullRbacIdentity *id, HullRbacGrant **via)
{
	for (guint i = 0; i < id->grants->len; i++) {
		HullRbacGrant *g = g_ptr_array_index(id->grants, i);
		if (g->ns == NULL && hull_rbac_rule_is_all(g->rule)) {
			if (via != NULL)
				*via = g;
			return TRUE;
		}
	}
	return FALSE;
}

static void
hull_rbac_graph_visit(HullRbacGraph *g, HullRbacIdentity *target, HullRbacCap cap, const char *ns)
{
	g_autofree char *key = g_strdup_printf("%u|%s", cap, ns != NULL ? ns : "*");
	GPtrArray *list = g_hash_table_lookup(g->index, key);
	if (list == NULL)
		return;
	for (guint i = 0; i < list->len; i++) {
		HullRbacPred *p = g_ptr_array_index(list, i);
		guint a = p->id->index;
		if (g->next[a] != -2 || p->id == target)
			continue;
		g->next[a] = (int)target->index;
		/* Name the namespace the step lands in, even for a cluster-wide right. */
		const char *where = target->ns != NULL ? target->ns : ns != NULL ? ns : "every namespace";
		g->label[a] = g_strdup_printf(hull_rbac_cap_label[cap], where);
		g->via[a] = p->grant;
		g_queue_push_tail(&g->queue, p->id);
	}
	/* Every member is now visited: the list never needs scanning again. */
	g_ptr_array_set_size(list, 0);
}

void
hull_rbac_graph_solve(HullRbacModel *m)
{
	g_return_if_fail(m != NULL);
	guint n = m->identities->len;
	HullRbacGraph g = {0};
	g.m = m;
	g.index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
	g.preds = g_ptr_array_new_with_free_func(g_free);
	g.workload_sas = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g.next = g_new(int, MAX(n, 1));
	g.label = g_new0(char *, MAX(n, 1));
	g.via = g_new0(HullRbacGrant *, MAX(n, 1));
	g_queue_init(&g.queue);
	for (guint i = 0; i < m->workloads->len; i++) {
		HullRbacWorkload *w = g_ptr_array_index(m->workloads, i);
		g_hash_table_add(g.workload_sas, g_strdup_printf("%s/%s", w->ns, w->sa));
	}

	GPtrArray *sinks = g_ptr_array_new();
	for (guint i = 0; i < n; i++) {
		HullRbacIdentity *id = g_ptr_array_index(m->identities, i);
		g.next[i] = -2;
		HullRbacGrant *via = NULL;
		if (hull_rbac_is_admin(id, &via)) {
			g.next[i] = -1;
			g.via[i] = via;
			g_queue_push_tail(&g.queue, id);
			continue;
		}
		const char *sink = NULL;
		for (guint k = 0; k < id->grants->len; k++) {
			HullRbacGrant *gr = g_ptr_array_index(id->grants, k);
			const char *l = NULL;
			if (hull_rbac_graph_grant(&g, id, gr, &l) && sink == NULL) {
				sink = l;
				via = gr;
			}
		}
		if (sink == NULL)
			sink = hull_rbac_graph_sink(id, &via);
		if (sink != NULL) {
			g.label[i] = g_strdup(sink);
			g.via[i] = via;
			g_ptr_array_add(sinks, id);
		}
	}
	/* Direct routes are one hop: they queue after the admins themselves. */
	for (guint i = 0; i < sinks->len; i++) {
		HullRbacIdentity *id = g_ptr_array_index(sinks, i);
		g.next[id->index] = -1;
		g_queue_push_tail(&g.queue, id);
	}
	g_ptr_array_unref(sinks);

	HullRbacIdentity *b;
	while ((b = g_queue_pop_head(&g.queue)) != NULL) {
		if (strcmp(b->kind, "ServiceAccount") == 0) {
			static const HullRbacCap sa_caps[] = {HULL_RBAC_CAP_CREATE_PODS, HULL_RBAC_CAP_READ_SECRETS,
			                                      HULL_RBAC_CAP_TOKEN, HULL_RBAC_CAP_IMPERSONATE_SA};
			for (guint c = 0; c < G_N_ELEMENTS(sa_caps); c++) {
				hull_rbac_graph_visit(&g, b, sa_caps[c], b->ns);
				hull_rbac_graph_visit(&g, b, sa_caps[c], NULL);
			}
			g_autofree char *key = g_strdup_printf("%s/%s", b->ns, b->name);
			if (g_hash_table_contains(g.workload_sas, key)) {
				hull_rbac_graph_visit(&g, b, HULL_RBAC_CAP_EXEC, b->ns);
				hull_rbac_graph_visit(&g, b, HULL_RBAC_CAP_EXEC, NULL);
				hull_rbac_graph_visit(&g, b, HULL_RBAC_CAP_ATTACH, b->ns);
				hull_rbac_graph_visit(&g, b, HULL_RBAC_CAP_ATTACH, NULL);
				hull_rbac_graph_visit(&g, b, HULL_RBAC_CAP_NODES_PROXY, NULL);
			}
		} else if (strcmp(b->kind, "User") == 0) {
			hull_rbac_graph_visit(&g, b, HULL_RBAC_CAP_IMPERSONATE_USER, NULL);
		}
	}

	/* Write each path out by following successors (bounded by the number of identities). */
	for (guint i = 0; i < n; i++) {
		HullRbacIdentity *id = g_ptr_array_index(m->identities, i);
		if (g.next[i] == -2)
			continue;
		GString *path = g_string_new(id->id);
		guint hops = 0;
		int cur = (int)i;
		while (cur >= 0 && hops <= n) {
			if (g.label[cur] != NULL)
				g_string_append_printf(path, " \xE2\x86\x92 %s", g.label[cur]);
			int nx = g.next[cur];
			if (nx >= 0) {
				HullRbacIdentity *to = g_ptr_array_index(m->identities, nx);
				g_string_append_printf(path, " \xE2\x86\x92 %s", to->id);
			}
			if (g.label[cur] != NULL)
				hops++;
			cur = nx;
		}
		g_string_append(path, " \xE2\x86\x92 cluster-admin");
		id->admin_path = g_string_free(path, FALSE);
		id->admin_hops = hops;
		id->admin_via = g.via[i] != NULL ? g.via[i]->binding : NULL;
	}

	for (guint i = 0; i < n; i++)
		g_free(g.label[i]);
	g_free(g.label);
	g_free(g.next);
	g_free(g.via);
	g_hash_table_unref(g.index);
	g_ptr_array_unref(g.preds);
	g_hash_table_unref(g.workload_sas);
}
