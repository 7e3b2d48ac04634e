/* hull-rbac.h: the k8s-rbac plugin's model of Kubernetes authorization, shared by its files:
 * the model (roles, bindings, service accounts and workloads read from the Kubernetes
 * objects view, plus the built-in roles Kubernetes ships), the matcher (does a rule allow a
 * verb on a resource, as the RBAC authorizer decides), the escalation graph (who can become
 * whom, and who reaches cluster-admin) and the checks that turn them into findings.
 *
 * Memory contract: a HullRbacModel owns everything it builds; HullK8sObject handles belong
 * to the scan (or to whoever made them) and must outlive the model. */
#pragma once

#include <hullscan/hullscan.h>

G_BEGIN_DECLS

#define HULL_RBAC_PLUGIN_NAME "k8s-rbac"

typedef struct {
	GPtrArray *verbs;       /* char* */
	GPtrArray *groups;
	GPtrArray *resources;
	GPtrArray *names;       /* resourceNames: empty means every name */
	GPtrArray *urls;        /* nonResourceURLs */
} HullRbacRule;

typedef struct _HullRbacRole HullRbacRole;
struct _HullRbacRole {
	HullK8sObject *obj;     /* NULL for a built-in role */
	gboolean cluster;       /* ClusterRole */
	char *ns;               /* Role only */
	char *name;
	GPtrArray *rules;       /* HullRbacRule*, own rules */
	GPtrArray *effective;   /* HullRbacRule* (not owned): own plus aggregated */
	JsonObject *labels;     /* may be NULL */
	GPtrArray *selectors;   /* JsonObject* matchLabels of aggregationRule, or NULL */
	gboolean is_default;    /* shipped by Kubernetes or the provider */
	gboolean bound;         /* a binding in the manifests references it */
	gboolean builtin;       /* not from the manifests: our copy of a Kubernetes default */
	GPtrArray *shadows;     /* manifest copies of a built-in role (HullRbacRole*, not owned) */
};

typedef struct {
	char *kind;             /* User, Group, ServiceAccount */
	char *name;
	char *ns;               /* ServiceAccount only */
} HullRbacSubject;

typedef struct {
	HullK8sObject *obj;
	gboolean cluster;       /* ClusterRoleBinding */
	char *ns;
	char *name;
	char *role_kind;
	char *role_name;
	HullRbacRole *role;     /* resolved, or NULL when not in the manifests nor built in */
	GPtrArray *subjects;    /* HullRbacSubject* */
	gboolean is_default;
} HullRbacBinding;

typedef struct {
	HullK8sObject *obj;
	char *ns;
	char *name;
	int automount;          /* -1 unset, 0, 1 */
} HullRbacServiceAccount;

typedef struct {
	HullK8sObject *obj;
	char *kind;
	char *ns;
	char *name;
	char *sa;               /* service account name (default: "default") */
	int automount;          /* pod spec's automountServiceAccountToken: -1 unset, 0, 1 */
} HullRbacWorkload;

/* One rule reaching an identity: through which binding, in which namespace (NULL: all). */
typedef struct {
	HullRbacRule *rule;
	const char *ns;
	HullRbacBinding *binding;
	HullRbacRole *role;
	gboolean inherited;     /* reaches the identity through a group it belongs to */
} HullRbacGrant;

typedef struct {
	char *id;               /* "ServiceAccount/ns/name", "User/name", "Group/name" */
	char *kind;
	char *name;
	char *ns;
	GPtrArray *grants;      /* HullRbacGrant* (owned), including those through its groups */
	guint index;            /* node number in the graph */
	gboolean is_default;    /* only reached through default bindings */
	/* Escalation result: the shortest path to cluster-admin, NULL when none. */
	char *admin_path;
	guint admin_hops;
	HullRbacBinding *admin_via;  /* the first binding on the path, for the location */
} HullRbacIdentity;

typedef struct {
	GPtrArray *roles;       /* HullRbacRole* */
	GPtrArray *bindings;    /* HullRbacBinding* */
	GPtrArray *sas;         /* HullRbacServiceAccount* */
	GPtrArray *workloads;   /* HullRbacWorkload* */
	GHashTable *role_index; /* "ns/name" (Role) or "name" (ClusterRole) -> HullRbacRole* */
	GHashTable *ids;        /* id -> HullRbacIdentity* */
	GPtrArray *identities;  /* HullRbacIdentity* in creation order (owned) */
	GPtrArray *notes;       /* char* */
} HullRbacModel;

/* ---- model (hull-rbac-model.c) ---- */

/* Builds the model from Kubernetes objects (HullK8sObject*), resolves bindings and
 * aggregation, and computes each identity's grants. (transfer full) */
HullRbacModel *hull_rbac_model_new(GPtrArray *objects);
void hull_rbac_model_free(HullRbacModel *model);
HullRbacIdentity *hull_rbac_model_lookup(HullRbacModel *model, const char *id);
/* Is this object's name or label one Kubernetes (or a provider) ships by default? */
gboolean hull_rbac_is_default_object(const char *name, JsonObject *labels);

/* ---- matching (hull-rbac-match.c) ---- */

/* Does @rule allow @verb on @resource ("pods" or "pods/exec") in API group @group, for an
 * object called @name (NULL: any name, so resourceNames-restricted rules do not count)? */
gboolean hull_rbac_rule_allows(const HullRbacRule *rule, const char *verb, const char *group,
                               const char *resource, const char *name);
/* Does @rule allow @verb on @resource for some names only (resourceNames set)? */
gboolean hull_rbac_rule_allows_some(const HullRbacRule *rule, const char *verb, const char *group,
                                    const char *resource);
/* Any of @rules (HullRbacRule*) allows it. */
gboolean hull_rbac_rules_allow(GPtrArray *rules, const char *verb, const char *group, const char *resource);
/* The identity can do it in namespace @ns (NULL: in every namespace, i.e. cluster-wide). The
 * grant that allows it goes to @via when not NULL. */
gboolean hull_rbac_can(HullRbacIdentity *id, const char *verb, const char *group, const char *resource,
                       const char *ns, HullRbacGrant **via);
/* Every verb and resource in every group, cluster-wide (cluster-admin equivalent)? */
gboolean hull_rbac_rule_is_all(const HullRbacRule *rule);

/* ---- escalation graph (hull-rbac-graph.c) ---- */

/* Fills admin_path/admin_hops/admin_via of every identity that can become cluster-admin. */
void hull_rbac_graph_solve(HullRbacModel *model);

/* ---- checks (hull-rbac-check.c) ---- */

typedef void (*HullRbacEmitFunc)(gpointer user_data, const char *rule_id, HullSeverity severity,
                                 HullK8sObject *obj, const char *message, const char *key);

typedef struct {
	gboolean report_defaults;   /* report Kubernetes' own roles and bindings too */
} HullRbacOptions;

/* Runs every rule over the model, calling @emit per finding. Returns the number emitted. */
guint hull_rbac_check(HullRbacModel *model, const HullRbacOptions *options, HullRbacEmitFunc emit,
                      gpointer user_data);

/* The rule table (hull-rbac-rules.c). */
#define HULL_RBAC_N_RULES 23
extern const HullRule hull_rbac_rules[HULL_RBAC_N_RULES];
extern const guint32 hull_rbac_n_rules;

G_END_DECLS
