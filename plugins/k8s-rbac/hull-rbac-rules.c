/* hull-rbac-rules.c: the k8s-rbac rule table: ids, default severities, peers' ids (kubescape
 * C-xxxx controls, Trivy KSVxxx checks) and the narrower rule to write instead. */
#include "hull-rbac.h"

#define HULL_RBAC_REF_PRACTICES "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"
#define HULL_RBAC_REF_RBAC "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"

static const char *const hull_rbac_refs[] = {HULL_RBAC_REF_PRACTICES, HULL_RBAC_REF_RBAC, NULL};
static const char *const hull_rbac_refs_escalation[] = {
	HULL_RBAC_REF_PRACTICES,
	"https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping",
	NULL};
static const char *const hull_rbac_refs_sa[] = {
	HULL_RBAC_REF_PRACTICES,
	"https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
	"#opt-out-of-api-credential-automounting",
	NULL};
static const char *const hull_rbac_refs_aggregation[] = {
	"https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles",
	"https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles", NULL};

static const char *const a0001[] = {"C-0035", "C-0185", "KSV044", "KSV111", NULL};
static const char *const a0002[] = {"C-0187", "KSV045", "KSV046", NULL};
static const char *const a0003[] = {"C-0015", "KSV041", NULL};
static const char *const a0004[] = {"C-0188", "KSV048", NULL};
static const char *const a0005[] = {"C-0002", "KSV053", NULL};
static const char *const a0006[] = {"KSV054", NULL};
static const char *const a0007[] = {"C-0063", NULL};
static const char *const a0009[] = {"KSV047", NULL};
static const char *const a0010[] = {"C-0191", "KSV050", NULL};
static const char *const a0011[] = {"C-0065", "KSV043", NULL};
static const char *const a0014[] = {"C-0036", "C-0039", "KSV114", NULL};
static const char *const a0015[] = {"C-0007", NULL};
static const char *const a0017[] = {"KSV122", NULL};
static const char *const a0018[] = {"C-0053", NULL};
static const char *const a0020[] = {"C-0034", NULL};
static const char *const a0023[] = {"C-0037", "KSV049", NULL};

const HullRule hull_rbac_rules[HULL_RBAC_N_RULES] = {
	{"RBAC-0001", HULL_SEVERITY_CRITICAL, "Subject or role equivalent to cluster-admin", a0001, hull_rbac_refs,
	 "Bind a role listing the verbs, API groups and resources the subject needs instead of '*' on '*'; keep "
	 "cluster-admin for break-glass accounts.",
	 "Every verb on every resource in every API group (cluster-wide: CRITICAL; in one namespace: HIGH)."},
	{"RBAC-0002", HULL_SEVERITY_MEDIUM, "Wildcard verbs or resources in a role", a0002, hull_rbac_refs,
	 "List verbs and resources explicitly: a wildcard also grants every resource and verb added later.", NULL},
	{"RBAC-0003", HULL_SEVERITY_HIGH, "Can read secrets", a0003, hull_rbac_refs,
	 "Grant get on the named secrets the workload needs (resourceNames), never list or watch on all secrets.",
	 "get, list or watch on secrets: list and watch return the contents. Grants restricted by resourceNames are "
	 "rated LOW."},
	{"RBAC-0004", HULL_SEVERITY_HIGH, "Can create pods or pod controllers", a0004, hull_rbac_refs,
	 "Let a deployment pipeline with admission policy (Pod Security) create workloads; people and controllers "
	 "should not create pods directly.",
	 "Creating a pod runs it as any service account of the namespace and mounts its token."},
	{"RBAC-0005", HULL_SEVERITY_HIGH, "Can exec into pods", a0005, hull_rbac_refs,
	 "Remove pods/exec (get and create); use ephemeral debug sessions granted on demand.", NULL},
	{"RBAC-0006", HULL_SEVERITY_HIGH, "Can attach to pods", a0006, hull_rbac_refs, "Remove pods/attach (get and create).",
	 NULL},
	{"RBAC-0007", HULL_SEVERITY_MEDIUM, "Can port-forward to pods", a0007, hull_rbac_refs,
	 "Remove pods/portforward; expose what is needed through a Service with a NetworkPolicy.", NULL},
	{"RBAC-0008", HULL_SEVERITY_HIGH, "Can add ephemeral containers", NULL, hull_rbac_refs,
	 "Remove update/patch on pods/ephemeralcontainers: an ephemeral container runs any image in the pod.", NULL},
	{"RBAC-0009", HULL_SEVERITY_HIGH, "Can use nodes/proxy", a0009, hull_rbac_refs,
	 "Remove nodes/proxy: it reaches the kubelet API (exec in every pod on the node) without audit.", NULL},
	{"RBAC-0010", HULL_SEVERITY_CRITICAL, "Can escalate or bind roles", a0010, hull_rbac_refs_escalation,
	 "Remove the escalate and bind verbs; if a controller must bind, restrict bind with resourceNames to the "
	 "roles it hands out.",
	 NULL},
	{"RBAC-0011", HULL_SEVERITY_CRITICAL, "Can impersonate users, groups or service accounts", a0011, hull_rbac_refs,
	 "Remove impersonate, or restrict it with resourceNames to the identities a proxy must act as.", NULL},
	{"RBAC-0012", HULL_SEVERITY_HIGH, "Can create service account tokens", NULL, hull_rbac_refs,
	 "Remove create on serviceaccounts/token, or restrict it with resourceNames.", NULL},
	{"RBAC-0013", HULL_SEVERITY_CRITICAL, "Can approve certificate signing requests", NULL, hull_rbac_refs,
	 "Remove update on certificatesigningrequests/approval and approve on signers: an approved client "
	 "certificate can name any user or group, system:masters included.",
	 NULL},
	{"RBAC-0014", HULL_SEVERITY_CRITICAL, "Can write admission webhook configurations", a0014, hull_rbac_refs,
	 "Keep create/update/patch/delete on mutating and validating webhook configurations to cluster "
	 "administrators.",
	 NULL},
	{"RBAC-0015", HULL_SEVERITY_MEDIUM, "Can delete workloads, secrets or everything", a0015, hull_rbac_refs,
	 "Grant delete only on the resources a subject owns, by name where possible; never deletecollection.", NULL},
	{"RBAC-0016", HULL_SEVERITY_HIGH, "Can create persistent volumes", NULL, hull_rbac_refs,
	 "Let users create PersistentVolumeClaims against a StorageClass; creating PersistentVolumes allows "
	 "hostPath volumes.",
	 NULL},
	{"RBAC-0017", HULL_SEVERITY_CRITICAL, "Binding to anonymous, unauthenticated or all authenticated users", a0017,
	 hull_rbac_refs,
	 "Bind named users, groups or service accounts; system:authenticated includes every service account and "
	 "every identity the cluster's authenticators accept.",
	 NULL},
	{"RBAC-0018", HULL_SEVERITY_MEDIUM, "Default service account bound to a role", a0018, hull_rbac_refs_sa,
	 "Create a dedicated service account for the workload and bind the role to it; every pod without "
	 "serviceAccountName runs as default.",
	 NULL},
	{"RBAC-0019", HULL_SEVERITY_HIGH, "Workload mounts the token of a powerful service account", NULL,
	 hull_rbac_refs_sa,
	 "Set automountServiceAccountToken: false on the pod and mount a projected token only in the container that "
	 "needs it, or move the rights to a service account of their own.",
	 "A compromised container holds the token: CRITICAL when that service account can become cluster-admin."},
	{"RBAC-0020", HULL_SEVERITY_LOW, "Workload mounts a service account token", a0020, hull_rbac_refs_sa,
	 "Set automountServiceAccountToken: false on the pod (or the service account) unless it calls the API.",
	 NULL},
	{"RBAC-0021", HULL_SEVERITY_HIGH, "ClusterRole widens the built-in admin, edit or view roles", NULL,
	 hull_rbac_refs_aggregation,
	 "Drop the rbac.authorization.k8s.io/aggregate-to-* label, or keep the aggregated rules to the custom "
	 "resources the role was written for.",
	 "Aggregation labels silently add rules to every binding of admin, edit or view."},
	{"RBAC-0022", HULL_SEVERITY_HIGH, "Escalation path to cluster-admin", NULL, hull_rbac_refs_escalation,
	 "Break the first step of the path: remove the right it names from the subject's role.",
	 "The shortest chain of rights (creating pods, reading tokens, exec, impersonation, binding) by which the "
	 "subject can act as cluster-admin. CRITICAL when it takes one step."},
	{"RBAC-0023", HULL_SEVERITY_MEDIUM, "Can modify ConfigMaps in kube-system", a0023, hull_rbac_refs,
	 "Remove update/patch on configmaps in kube-system (CoreDNS and other system components read their "
	 "configuration there).",
	 NULL},
};

const guint32 hull_rbac_n_rules = G_N_ELEMENTS(hull_rbac_rules);
G_STATIC_ASSERT(G_N_ELEMENTS(hull_rbac_rules) == HULL_RBAC_N_RULES);
