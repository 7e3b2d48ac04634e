/* test-runtime-config.c: self-tests of the runtime-config plugin: each normaliser on JSON
 * built in memory, every rule firing and staying quiet, escape folding, whole scans of temp
 * trees through the core's views, the BadPods and Polaris cases from ../shared/data, and
 * hostile input (10,000 containers, wrong types everywhere). */
#include <string.h>
#include "hull-finding-private.h"
#include "hull-test-util.h"
#include "../hull-rc.h"

/* ---- helpers over the normalisers and the rule evaluation ---- */

typedef struct {
	GPtrArray *containers;
	GPtrArray *results;
	GPtrArray *notes;
} Eval;

static void
eval_free(Eval *e)
{
	g_ptr_array_unref(e->containers);
	g_ptr_array_unref(e->results);
	g_ptr_array_unref(e->notes);
	g_free(e);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Eval, eval_free)

static gboolean
deny_escapes(const char *rule_id, gpointer user_data)
{
	return !g_str_has_prefix(rule_id, "RC-01");
}

static Eval *
eval_full(const char *source, const char *json, HullRcRuleEnabledFunc enabled, const char *tools)
{
	g_autoptr(GError) error = NULL;
	JsonNode *root = json_from_string(json, &error);
	g_assert_no_error(error);
	g_assert_nonnull(root);
	Eval *e = g_new0(Eval, 1);
	e->containers = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rc_container_free);
	e->results = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rc_result_free);
	e->notes = g_ptr_array_new_with_free_func(g_free);
	if (strcmp(source, "k8s") == 0)
		hull_rc_from_k8s(json_node_get_object(root), "Pod/default/t", "/t.yaml", 1, -1, e->containers, e->notes);
	else if (strcmp(source, "compose") == 0)
		hull_rc_from_compose(root, "/compose.yaml", 1, -1, e->containers, e->notes);
	else if (strcmp(source, "docker-inspect") == 0)
		hull_rc_from_inspect(root, "/inspect.json", 1, -1, e->containers, e->notes);
	else
		hull_rc_from_oci(root, "/config.json", 1, -1, e->containers, e->notes);
	for (guint i = 0; i < e->containers->len; i++)
		hull_rc_evaluate(g_ptr_array_index(e->containers, i), enabled, NULL, tools, e->results);
	json_node_unref(root);
	return e;
}

static Eval *
eval(const char *source, const char *json)
{
	return eval_full(source, json, NULL, NULL);
}

static guint
count(Eval *e, const char *rule_id)
{
	guint n = 0;
	for (guint i = 0; i < e->results->len; i++)
		n += strcmp(((HullRcResult *)g_ptr_array_index(e->results, i))->rule_id, rule_id) == 0;
	return n;
}

static HullRcResult *
find(Eval *e, const char *rule_id)
{
	for (guint i = 0; i < e->results->len; i++) {
		HullRcResult *r = g_ptr_array_index(e->results, i);
		if (strcmp(r->rule_id, rule_id) == 0)
			return r;
	}
	return NULL;
}

/* A pod hardened the way the restricted Pod Security Standard asks. */
#define HARDENED_SC                                                                                                  \
	"\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":10001,\"allowPrivilegeEscalation\":false,"          \
	"\"readOnlyRootFilesystem\":true,\"capabilities\":{\"drop\":[\"ALL\"]},"                                       \
	"\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}"

static void
test_k8s_hardened_clean(void)
{
	g_autoptr(Eval) e = eval("k8s", "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"app\"," HARDENED_SC "}]}}");
	g_assert_cmpuint(e->containers->len, ==, 1);
	g_assert_cmpuint(e->results->len, ==, 0);
}

static void
test_k8s_defaults(void)
{
	/* Nothing written down: Kubernetes defaults (root possible, escalation allowed,
	 * writable root, default capabilities) fire, but nothing at HIGH. */
	g_autoptr(Eval) e = eval("k8s", "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"app\"}]}}");
	g_assert_cmpuint(count(e, "RC-0011"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0012"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0015"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0010"), ==, 1);
	for (guint i = 0; i < e->results->len; i++)
		g_assert_cmpint(((HullRcResult *)g_ptr_array_index(e->results, i))->severity, <, HULL_SEVERITY_HIGH);
	g_assert_nonnull(strstr(find(e, "RC-0011")->message, "container app"));
}

static void
test_k8s_priv_hostpid_folds(void)
{
	g_autoptr(Eval) e = eval("k8s", "{\"kind\":\"Deployment\",\"spec\":{\"template\":{\"spec\":{\"hostPID\":true,"
	                                "\"hostIPC\":true,\"containers\":[{\"name\":\"x\",\"securityContext\":"
	                                "{\"privileged\":true}}]}}}}");
	g_assert_cmpuint(count(e, "RC-0101"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0102"), ==, 0); /* subsumed by RC-0101 */
	g_assert_cmpuint(count(e, "RC-0001"), ==, 0);
	g_assert_cmpuint(count(e, "RC-0002"), ==, 0);
	g_assert_cmpuint(count(e, "RC-0003"), ==, 0); /* folded into the first escape */
	g_assert_cmpuint(e->results->len, ==, 1);
	HullRcResult *r = find(e, "RC-0101");
	g_assert_cmpint(r->severity, ==, HULL_SEVERITY_CRITICAL);
	g_assert_nonnull(strstr(r->message, "nsenter"));
	g_assert_nonnull(strstr(r->message, "hostIPC"));
	g_assert_nonnull(strstr(r->components, "RC-0001"));
	g_assert_nonnull(strstr(r->components, "RC-0002"));
	g_assert_nonnull(strstr(r->components, "RC-0003"));
}

static void
test_k8s_escape_disabled_unfolds(void)
{
	g_autoptr(Eval) e = eval_full("k8s", "{\"kind\":\"Pod\",\"spec\":{\"hostPID\":true,\"containers\":[{\"name\":\"x\","
	                                     "\"securityContext\":{\"privileged\":true}}]}}",
	                              deny_escapes, NULL);
	g_assert_cmpuint(count(e, "RC-0101"), ==, 0);
	g_assert_cmpuint(count(e, "RC-0001"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0002"), ==, 1);
}

static void
test_k8s_hostpath_classes(void)
{
	g_autoptr(Eval) e = eval("k8s",
	                         "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"a\"," HARDENED_SC ","
	                         "\"volumeMounts\":[{\"name\":\"root\",\"mountPath\":\"/host\"},"
	                         "{\"name\":\"etc\",\"mountPath\":\"/e\",\"readOnly\":true},"
	                         "{\"name\":\"logs\",\"mountPath\":\"/l\"},{\"name\":\"data\",\"mountPath\":\"/d\"},"
	                         "{\"name\":\"sock\",\"mountPath\":\"/s\",\"readOnly\":true},"
	                         "{\"name\":\"ghost\",\"mountPath\":\"/g\"}]}],"
	                         "\"volumes\":[{\"name\":\"root\",\"hostPath\":{\"path\":\"/\"}},"
	                         "{\"name\":\"etc\",\"hostPath\":{\"path\":\"/etc/\"}},"
	                         "{\"name\":\"logs\",\"hostPath\":{\"path\":\"/var/log\"}},"
	                         "{\"name\":\"data\",\"hostPath\":{\"path\":\"/srv/data\"}},"
	                         "{\"name\":\"sock\",\"hostPath\":{\"path\":\"/var/run/../run/containerd/containerd.sock\"}},"
	                         "{\"name\":\"unused\",\"hostPath\":{\"path\":\"/opt\"}}]}}");
	g_assert_cmpuint(count(e, "RC-0104"), ==, 1);   /* writable / */
	g_assert_cmpuint(count(e, "RC-0103"), ==, 1);   /* read-only socket still reachable */
	g_assert_nonnull(strstr(find(e, "RC-0103")->message, "read-only does not protect"));
	/* The first escape takes the unrelated components. */
	g_assert_cmpuint(count(e, "RC-0006"), ==, 0);
	g_assert_cmpuint(count(e, "RC-0005"), ==, 0);
	g_assert_nonnull(strstr(find(e, "RC-0104")->message, "/etc"));
	g_assert_nonnull(strstr(find(e, "RC-0104")->message, "declared, not mounted"));
	g_assert_cmpuint(e->notes->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(e->notes, 0), "ghost"));

	g_autoptr(Eval) d = eval_full("k8s",
	                              "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"a\"," HARDENED_SC ","
	                              "\"volumeMounts\":[{\"name\":\"etc\",\"mountPath\":\"/e\",\"readOnly\":true},"
	                              "{\"name\":\"logs\",\"mountPath\":\"/l\"},{\"name\":\"data\",\"mountPath\":\"/d\"}]}],"
	                              "\"volumes\":[{\"name\":\"etc\",\"hostPath\":{\"path\":\"/etc\"}},"
	                              "{\"name\":\"logs\",\"hostPath\":{\"path\":\"/var/log\"}},"
	                              "{\"name\":\"data\",\"hostPath\":{\"path\":\"/srv/data\"}}]}}",
	                              NULL, NULL);
	g_assert_cmpuint(count(d, "RC-0006"), ==, 2);
	g_assert_cmpuint(count(d, "RC-0005"), ==, 1);
	g_assert_cmpuint(count(d, "RC-0104"), ==, 0);
	for (guint i = 0; i < d->results->len; i++) {
		HullRcResult *r = g_ptr_array_index(d->results, i);
		if (strcmp(r->rule_id, "RC-0006") == 0)
			g_assert_cmpint(r->severity, ==,
			                strstr(r->message, "/etc") != NULL ? HULL_SEVERITY_MEDIUM : HULL_SEVERITY_HIGH);
	}
}

static void
test_k8s_caps(void)
{
	g_autoptr(Eval) e = eval("k8s", "{\"kind\":\"Pod\",\"spec\":{\"hostPID\":true,\"containers\":[{\"name\":\"a\","
	                                "\"securityContext\":{\"capabilities\":{\"add\":[\"cap_sys_ptrace\",\"nEt_aDmIn\","
	                                "\"SYS_TIME\"],\"drop\":[\"all\"]},\"runAsNonRoot\":true,\"runAsUser\":1000,"
	                                "\"allowPrivilegeEscalation\":false,\"readOnlyRootFilesystem\":true}}]}}");
	g_assert_cmpuint(count(e, "RC-0106"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0010"), ==, 0);
	HullRcResult *r = find(e, "RC-0106");
	g_assert_nonnull(strstr(r->message, "NET_ADMIN"));
	g_assert_nonnull(strstr(r->components, "RC-0009"));
	g_assert_nonnull(strstr(r->components, "RC-0018"));

	g_autoptr(Eval) m = eval("k8s", "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"a\","
	                                "\"securityContext\":{\"capabilities\":{\"add\":[\"SYS_MODULE\"]}}}]}}");
	g_assert_cmpuint(count(m, "RC-0107"), ==, 1);
	g_autoptr(Eval) s = eval("k8s", "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"a\","
	                                "\"securityContext\":{\"capabilities\":{\"add\":[\"SYS_ADMIN\"]}},"
	                                "\"volumeMounts\":[{\"name\":\"r\",\"mountPath\":\"/h\",\"readOnly\":true}]}],"
	                                "\"volumes\":[{\"name\":\"r\",\"hostPath\":{\"path\":\"//\"}}]}}");
	g_assert_cmpuint(count(s, "RC-0105"), ==, 1);
	g_assert_cmpuint(count(s, "RC-0104"), ==, 0);
	g_assert_cmpuint(count(s, "RC-0009"), ==, 0);
}

static void
test_k8s_profiles_and_inheritance(void)
{
	/* Pod-level runAsNonRoot and seccomp apply unless the container overrides them;
	 * AppArmor via the beta annotation; procMount Unmasked. */
	g_autoptr(Eval) e = eval("k8s", "{\"kind\":\"CronJob\",\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":{"
	                                "\"metadata\":{\"annotations\":{\"container.apparmor.security.beta.kubernetes.io/b\":"
	                                "\"unconfined\"}},\"spec\":{\"securityContext\":{\"runAsNonRoot\":true,"
	                                "\"seccompProfile\":{\"type\":\"Unconfined\"}},\"containers\":[{\"name\":\"a\","
	                                "\"securityContext\":{\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}},"
	                                "{\"name\":\"b\",\"securityContext\":{\"procMount\":\"Unmasked\","
	                                "\"runAsUser\":0}}]}}}}}}");
	g_assert_cmpuint(e->containers->len, ==, 2);
	g_assert_cmpuint(count(e, "RC-0013"), ==, 1);
	g_assert_nonnull(strstr(find(e, "RC-0013")->message, "container b"));
	g_assert_cmpuint(count(e, "RC-0014"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0016"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0012"), ==, 1);
	g_assert_nonnull(strstr(find(e, "RC-0012")->message, "container b"));
}

static void
test_k8s_init_and_ephemeral(void)
{
	g_autoptr(Eval) e = eval("k8s", "{\"kind\":\"Pod\",\"spec\":{\"initContainers\":[{\"name\":\"i\","
	                                "\"securityContext\":{\"privileged\":true}}],\"containers\":[{\"name\":\"c\"," HARDENED_SC
	                                "}],\"ephemeralContainers\":[{\"name\":\"dbg\",\"securityContext\":"
	                                "{\"privileged\":true}}]}}");
	g_assert_cmpuint(e->containers->len, ==, 3);
	g_assert_cmpuint(count(e, "RC-0102"), ==, 2);
}

static void
test_compose(void)
{
	g_autoptr(Eval) e = eval("compose",
	                         "{\"services\":{\"web\":{\"image\":\"nginx\",\"user\":\"10001\",\"read_only\":true,"
	                         "\"cap_drop\":[\"ALL\"],\"security_opt\":[\"no-new-privileges:true\"]},"
	                         "\"agent\":{\"image\":\"a\",\"pid\":\"host\",\"privileged\":\"true\",\"user\":\"root\"},"
	                         "\"ci\":{\"volumes\":[\"/var/run/docker.sock:/var/run/docker.sock:ro\",\"data:/data\","
	                         "\"./rel:/rel\"],\"user\":\"1000\",\"read_only\":true,\"cap_drop\":[\"ALL\"]},"
	                         "\"disk\":{\"devices\":[\"/dev/sda:/dev/sda\"],\"user\":\"1000:1000\",\"cap_drop\":[\"ALL\"],"
	                         "\"read_only\":true},"
	                         "\"long\":{\"volumes\":[{\"type\":\"bind\",\"source\":\"/etc\",\"target\":\"/h\","
	                         "\"read_only\":true},{\"type\":\"volume\",\"source\":\"/x\",\"target\":\"/y\"}],"
	                         "\"security_opt\":[\"seccomp=unconfined\",\"apparmor:unconfined\"],\"network_mode\":\"host\","
	                         "\"ipc\":\"host\",\"cap_add\":[\"NET_ADMIN\"],\"user\":\"0:0\",\"userns_mode\":\"host\"}}}");
	g_assert_cmpuint(e->containers->len, ==, 5);
	g_assert_cmpuint(count(e, "RC-0101"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0103"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0108"), ==, 1);
	g_assert_nonnull(strstr(find(e, "RC-0101")->message, "container agent"));
	/* "long": many components, no escape */
	for (guint i = 0; i < e->results->len; i++) {
		HullRcResult *r = g_ptr_array_index(e->results, i);
		g_assert_false(strstr(r->message, "container web") != NULL); /* web is clean */
	}
	g_assert_cmpuint(count(e, "RC-0003"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0004"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0006"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0009"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0013"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0014"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0017"), ==, 1);
	g_assert_cmpuint(count(e, "RC-0012"), ==, 1); /* only long: agent's is folded */
	g_assert_cmpuint(count(e, "RC-0005"), ==, 0); /* named and relative volumes are not host paths */
}

static void
test_inspect(void)
{
	g_autoptr(Eval) e = eval("docker-inspect",
	                         "[{\"Name\":\"/runner\",\"Config\":{\"Image\":\"ci\",\"User\":\"\"},\"HostConfig\":{"
	                         "\"Privileged\":false,\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock\"],"
	                         "\"CapAdd\":null,\"CapDrop\":null,\"PidMode\":\"\",\"NetworkMode\":\"bridge\"},"
	                         "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/var/run/docker.sock\","
	                         "\"Destination\":\"/var/run/docker.sock\",\"RW\":true}]},"
	                         "{\"Name\":\"/ok\",\"Config\":{\"User\":\"app\"},\"HostConfig\":{\"ReadonlyRootfs\":true,"
	                         "\"CapDrop\":[\"ALL\"],\"SecurityOpt\":[\"no-new-privileges\"]}},"
	                         "{\"Name\":\"/tracer\",\"Config\":{\"User\":\"0\"},\"HostConfig\":{\"PidMode\":\"host\","
	                         "\"CapAdd\":[\"SYS_PTRACE\"],\"Devices\":[{\"PathOnHost\":\"/dev/fuse\"}]}}]");
	g_assert_cmpuint(e->containers->len, ==, 3);
	g_assert_cmpuint(count(e, "RC-0103"), ==, 1); /* Binds and Mounts name the same bind once */
	g_assert_cmpuint(count(e, "RC-0106"), ==, 1);
	g_assert_nonnull(strstr(find(e, "RC-0106")->message, "device /dev/fuse"));
	for (guint i = 0; i < e->results->len; i++)
		g_assert_null(strstr(((HullRcResult *)g_ptr_array_index(e->results, i))->message, "container ok"));
}

static void
test_inspect_wrong_types(void)
{
	g_autoptr(Eval) e = eval("docker-inspect",
	                         "[1,\"x\",null,{\"HostConfig\":7},{\"Name\":5,\"Config\":[],\"HostConfig\":{\"Privileged\":"
	                         "\"yes\",\"Binds\":{\"a\":1},\"CapAdd\":[1,null,{},[]],\"PidMode\":true,\"Devices\":[\"x\","
	                         "{\"PathOnHost\":9}],\"SecurityOpt\":[\"seccomp\",\"=\",\"\",\":\"],\"PortBindings\":[]},"
	                         "\"Mounts\":[null,{\"Type\":1,\"Source\":[],\"RW\":\"maybe\"},{\"Source\":\"relative\"}]}]");
	g_assert_cmpuint(e->containers->len, ==, 1);
	g_assert_cmpuint(e->notes->len, ==, 1);
	g_autoptr(Eval) n = eval("docker-inspect", "42");
	g_assert_cmpuint(n->containers->len, ==, 0);
	g_assert_cmpuint(n->notes->len, ==, 1);
	g_autoptr(Eval) c = eval("compose", "{\"services\":[1,2]}");
	g_assert_cmpuint(c->containers->len, ==, 0);
	g_assert_cmpuint(c->notes->len, ==, 1);
	g_autoptr(Eval) k = eval("k8s", "{\"kind\":\"Pod\",\"spec\":{\"containers\":[null,7,{\"securityContext\":[],"
	                                "\"volumeMounts\":\"x\"}],\"volumes\":{\"a\":1},\"hostPID\":\"true\"}}");
	g_assert_cmpuint(k->containers->len, ==, 2);
}

static void
test_oci(void)
{
	/* What `docker run --privileged --pid=host` renders: no pid namespace, SYS_ADMIN in the
	 * bounding set, every device allowed, no seccomp. */
	g_autoptr(Eval) e = eval("oci-runtime",
	                         "{\"ociVersion\":\"1.0.2\",\"hostname\":\"box\",\"process\":{\"user\":{\"uid\":0},"
	                         "\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\",\"CAP_CHOWN\"]}},\"root\":{\"path\":"
	                         "\"rootfs\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"network\"},"
	                         "{\"type\":\"ipc\"}],\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
	                         "{\"allow\":true,\"access\":\"rwm\"}]}}}");
	g_assert_cmpuint(e->containers->len, ==, 1);
	g_assert_cmpuint(count(e, "RC-0101"), ==, 1);
	g_autoptr(Eval) h = eval("oci-runtime",
	                         "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":1000},\"noNewPrivileges\":true,"
	                         "\"capabilities\":{\"bounding\":[]}},\"root\":{\"readonly\":true},\"linux\":{"
	                         "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
	                         "{\"type\":\"mount\"},{\"type\":\"user\"}],\"seccomp\":{\"defaultAction\":"
	                         "\"SCMP_ACT_ERRNO\"}},\"mounts\":[{\"destination\":\"/data\",\"type\":\"bind\","
	                         "\"source\":\"/srv/data\",\"options\":[\"rbind\",\"ro\"]},{\"destination\":\"/etc/hosts\","
	                         "\"type\":\"bind\",\"source\":\"/var/lib/docker/containers/abc/hosts\"}]}");
	g_assert_cmpuint(h->results->len, ==, 1);
	g_assert_cmpuint(count(h, "RC-0005"), ==, 1);
	g_autoptr(Eval) w = eval("oci-runtime",
	                         "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":\"x\"}},\"linux\":{"
	                         "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"}]},"
	                         "\"mounts\":[{\"destination\":\"/h\",\"source\":\"/proc\",\"options\":[\"bind\"]}]}");
	g_assert_cmpuint(count(w, "RC-0104"), ==, 1);
	HullRcResult *r = find(w, "RC-0104");
	g_assert_nonnull(strstr(r->message, "seccomp unconfined"));
	g_assert_nonnull(strstr(r->message, "runs as root"));
}

static void
test_paths(void)
{
	static const char *const cases[][2] = {
		{"/", "/"}, {"//", "/"}, {"/a/../..", "/"}, {"/var/run/../run/x.sock", "/var/run/x.sock"},
		{"/etc/", "/etc"}, {"/./etc//kubernetes", "/etc/kubernetes"}, {"rel/x", NULL}, {"", NULL},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *n = hull_rc_normalise_path(cases[i][0]);
		g_assert_cmpstr(n, ==, cases[i][1]);
	}
}

static void
test_tools_strengthen(void)
{
	g_autoptr(Eval) e = eval_full("k8s", "{\"kind\":\"Pod\",\"spec\":{\"hostPID\":true,\"containers\":[{\"name\":\"x\","
	                                     "\"securityContext\":{\"privileged\":true}}]}}",
	                              NULL, "util-linux with nsenter/mount");
	g_assert_nonnull(strstr(find(e, "RC-0101")->message, "util-linux"));
	g_autoptr(Eval) n = eval_full("k8s", "{\"kind\":\"Pod\",\"spec\":{\"hostPID\":true,\"containers\":[{\"name\":\"x\","
	                                     "\"securityContext\":{\"privileged\":true,\"runAsUser\":1000}}]}}",
	                              NULL, "util-linux with nsenter/mount");
	/* privileged counts as root-equivalent whatever the uid */
	g_assert_nonnull(strstr(find(n, "RC-0101")->message, "util-linux"));
}

/* ---- whole scans through the core's views ---- */

static const HullFinding *
report_find(HullReport *r, const char *rule_id, const char *object)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		if (strcmp(f->rule_id, rule_id) == 0 && (object == NULL || g_strcmp0(f->object, object) == 0))
			return f;
	}
	return NULL;
}

static void
test_scan_tree(void)
{
	g_autofree gchar *dir = hull_test_make_tree(
		"k8s/app.yaml",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: apps/v1\nkind: DaemonSet\n"
		"metadata:\n  name: agent\n  namespace: ops\nspec:\n  template:\n    spec:\n      hostPID: true\n"
		"      containers:\n      - name: agent\n        image: agent:1\n        securityContext:\n"
		"          privileged: true\n",
		"compose.yaml",
		"x-common: &common\n  privileged: true\n  pid: host\nservices:\n  base:\n    <<: *common\n    image: x\n"
		"  sock:\n    image: y\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n",
		"inspect.json",
		"[{\"Name\":\"/c1\",\"Config\":{\"User\":\"\"},\"HostConfig\":{\"Privileged\":true}}]",
		"bundle/config.json",
		"{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0},\"capabilities\":{\"bounding\":"
		"[\"CAP_SYS_MODULE\"]}},\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},"
		"{\"type\":\"ipc\"}]}}",
		NULL);
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), dir, "config", NULL);
	const HullFinding *f = report_find(r, "RC-0101", "DaemonSet/ops/agent");
	g_assert_nonnull(f);
	g_assert_nonnull(strstr(f->path, "app.yaml"));
	g_assert_cmpuint(f->line, ==, 6);
	g_assert_nonnull(strstr(f->message, "container agent"));
	g_assert_cmpint(f->aliases->len, >, 0);
	g_assert_nonnull(f->remediation);
	g_assert_nonnull(report_find(r, "RC-0101", "ComposeService/base")); /* merge key resolved */
	g_assert_nonnull(report_find(r, "RC-0103", "ComposeService/sock"));
	g_assert_nonnull(report_find(r, "RC-0102", "Container/c1"));
	g_assert_cmpuint(hull_test_count(r, "RC-0107"), ==, 1);
	hull_test_remove_tree(dir);
}

static void
test_scan_10k_containers(void)
{
	GString *y = g_string_new("apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  hostPID: true\n"
	                          "  containers:\n");
	for (guint i = 0; i < 10000; i++)
		g_string_append_printf(y, "  - name: c%u\n    securityContext: {privileged: true}\n"
		                          "    volumeMounts: [{name: missing%u, mountPath: /x}]\n",
		                       i, i);
	g_autofree gchar *dir = hull_test_make_tree("big.yaml", y->str, NULL);
	g_string_free(y, TRUE);
	gint64 t0 = g_get_monotonic_time();
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), dir, "config", NULL);
	gint64 ms = (g_get_monotonic_time() - t0) / 1000;
	g_test_message("10,000 containers: %" G_GINT64_FORMAT " ms, %u findings", ms, r->findings->len);
	g_assert_cmpuint(hull_test_count(r, "RC-0101"), <=, HULL_RC_MAX_CONTAINERS);
	g_assert_cmpuint(hull_test_count(r, "RC-0101"), >, 0);
	gboolean noted = FALSE;
	for (guint i = 0; i < r->notes->len; i++)
		noted = noted || strstr(g_ptr_array_index(r->notes, i), "only the first") != NULL;
	g_assert_true(noted);
	g_assert_cmpint(ms, <, 30000);
	hull_test_remove_tree(dir);
}

static void
test_scan_disabled_escape(void)
{
	g_autofree gchar *dir = hull_test_make_tree(
		"pod.yaml",
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n"
		"  - name: a\n    securityContext:\n      privileged: true\n",
		NULL);
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), dir, "config",
	                                         "[disable]\nrules=RC-0101\n");
	g_assert_cmpuint(hull_test_count(r, "RC-0101"), ==, 0);
	g_assert_cmpuint(hull_test_count(r, "RC-0001"), ==, 1);
	g_assert_cmpuint(hull_test_count(r, "RC-0002"), ==, 1);
	hull_test_remove_tree(dir);
}

static void
test_scan_hostile_files(void)
{
	/* An alias bomb in a Compose file, deep nesting, invalid UTF-8 and a NUL in an inspect
	 * file, an OCI config that is an array: notes or nothing, never a crash. */
	GString *bomb = g_string_new("services:\n  a: &a\n    privileged: true\n");
	g_string_append(bomb, "x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (guint i = 1; i < 9; i++)
		g_string_append_printf(bomb, "x%u: &x%u [*x%u, *x%u, *x%u, *x%u, *x%u, *x%u, *x%u, *x%u, *x%u, *x%u]\n", i,
		                       i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	GString *deep = g_string_new("[{\"HostConfig\":{\"Privileged\":true},\"Config\":");
	for (guint i = 0; i < 5000; i++)
		g_string_append_c(deep, '[');
	for (guint i = 0; i < 5000; i++)
		g_string_append_c(deep, ']');
	g_string_append(deep, "}]");
	g_autofree gchar *dir = hull_test_make_tree(
		"a/compose.yaml", bomb->str,
		"b/docker-compose.yml", "services:\n  s:\n    <<: [*nope]\n",
		"c/inspect.json", deep->str,
		"d/inspect.json", "[{\"Name\":\"/\xff\xfe\",\"HostConfig\":{\"Privileged\":\"\xc3\x28\"}}]",
		"e/config.json", "[{\"ociVersion\":\"1\"}]",
		"f/compose.yaml", "services:\n  z:\n    volumes:\n      - ':::::'\n      - ''\n      - '/:'\n"
		                  "    devices: [':', 7, {source: 3}]\n    cap_add: [[], {}, 1]\n    user: [1]\n",
		NULL);
	g_string_free(bomb, TRUE);
	g_string_free(deep, TRUE);
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), dir, "config", NULL);
	g_test_message("hostile files: %u findings, %u notes", r->findings->len, r->notes->len);
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		g_assert_true(g_utf8_validate(f->message, -1, NULL));
	}
	/* "/:" mounts the host root at an empty destination: still a writable host root. */
	g_assert_nonnull(report_find(r, "RC-0104", "ComposeService/z"));
	hull_test_remove_tree(dir);
}

/* ---- public data: BadPods and Polaris ---- */

static void
collect_yaml(const char *dir, GPtrArray *out)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *p = g_build_filename(dir, name, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_DIR))
			collect_yaml(p, out);
		else if (g_str_has_suffix(name, ".yaml") || g_str_has_suffix(name, ".yml"))
			g_ptr_array_add(out, g_steal_pointer(&p));
	}
}

static gboolean
report_has(HullReport *r, const char *rule_id)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		if (strcmp(f->rule_id, rule_id) == 0)
			return TRUE;
		/* an escape finding that folded the rule counts */
		for (guint j = 0; j < f->field_keys->len; j++) {
			if (strcmp(g_ptr_array_index(f->field_keys, j), "components") == 0 &&
			    strstr(g_ptr_array_index(f->field_values, j), rule_id) != NULL)
				return TRUE;
		}
	}
	return FALSE;
}

static HullSeverity
report_max(HullReport *r)
{
	HullSeverity m = HULL_SEVERITY_UNKNOWN;
	for (guint i = 0; i < r->findings->len; i++)
		m = MAX(m, ((const HullFinding *)g_ptr_array_index(r->findings, i))->severity);
	return m;
}

static void
test_badpods(void)
{
	g_autofree gchar *root = hull_test_shared_data("k8s/badpods");
	if (root == NULL)
		return;
	/* class → the finding that must appear. Host-namespace classes alone have no one-step
	 * way out (BadPods #6-#8 describe reconnaissance, not escape), so they must produce their
	 * HIGH namespace finding; the others their CRITICAL escape. */
	static const char *const expect[][2] = {
		{"everything-allowed", "RC-0101"}, {"priv-and-hostpid", "RC-0101"}, {"priv", "RC-0102"},
		{"hostpath", "RC-0104"}, {"hostpid", "RC-0002"}, {"hostipc", "RC-0003"}, {"hostnetwork", "RC-0004"},
	};
	guint files = 0;
	for (guint i = 0; i < G_N_ELEMENTS(expect) + 1; i++) {
		const char *cls = i < G_N_ELEMENTS(expect) ? expect[i][0] : "nothing-allowed";
		g_autofree gchar *dir = g_build_filename(root, cls, NULL);
		g_autoptr(GPtrArray) yamls = g_ptr_array_new_with_free_func(g_free);
		collect_yaml(dir, yamls);
		g_assert_cmpuint(yamls->len, >, 0);
		for (guint j = 0; j < yamls->len; j++) {
			const char *y = g_ptr_array_index(yamls, j);
			g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), y, "config", NULL);
			files++;
			if (i < G_N_ELEMENTS(expect)) {
				if (hull_test_count(r, expect[i][1]) == 0)
					g_error("%s: no %s", y, expect[i][1]);
				g_assert_cmpint(report_max(r), >=, HULL_SEVERITY_HIGH);
				if (g_str_has_prefix(expect[i][1], "RC-01"))
					g_assert_cmpint(report_max(r), ==, HULL_SEVERITY_CRITICAL);
			} else {
				g_assert_cmpuint(r->findings->len, >, 0);
				if (report_max(r) >= HULL_SEVERITY_HIGH)
					g_error("%s: a finding at HIGH or above", y);
			}
		}
	}
	g_test_message("BadPods: %u manifests", files);
}

static void
test_polaris(void)
{
	g_autofree gchar *root = hull_test_shared_data("k8s/polaris");
	if (root == NULL)
		return;
	static const char *const checks[][2] = {
		{"runAsPrivileged", "RC-0001"}, {"hostPIDSet", "RC-0002"}, {"hostIPCSet", "RC-0003"},
		{"hostNetworkSet", "RC-0004"}, {"hostPathSet", "RC-0005"}, {"dangerousCapabilities", "RC-0009"},
		{"insecureCapabilities", "RC-0010"}, {"runAsRootAllowed", "RC-0012"},
		{"notReadOnlyRootFilesystem", "RC-0015"}, {"privilegeEscalationAllowed", "RC-0011"},
		{"procMount", "RC-0016"},
	};
	guint n = 0;
	for (guint i = 0; i < G_N_ELEMENTS(checks); i++) {
		g_autofree gchar *dir = g_build_filename(root, checks[i][0], NULL);
		g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
		g_assert_nonnull(d);
		const char *name;
		while ((name = g_dir_read_name(d)) != NULL) {
			gboolean fail = g_str_has_prefix(name, "failure");
			if (!fail && !g_str_has_prefix(name, "success"))
				continue;
			g_autofree gchar *p = g_build_filename(dir, name, NULL);
			g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), p, "config", NULL);
			/* hostPathSet's success case has no hostPath at all: any hostPath rule counts. */
			gboolean got = report_has(r, checks[i][1]) ||
			               (strcmp(checks[i][1], "RC-0005") == 0 && report_has(r, "RC-0006"));
			if (got != fail)
				g_error("polaris %s/%s: %s %s", checks[i][0], name, checks[i][1], fail ? "missing" : "fired");
			n++;
		}
	}
	g_test_message("Polaris: %u cases", n);
	g_assert_cmpuint(n, >, 30);
}

/* The rule (or an escape that folded it) fired on a finding whose object is Kind/…/name. */
static gboolean
report_has_object(HullReport *r, const char *rule_id, const char *kind, const char *name)
{
	g_autofree gchar *prefix = g_strdup_printf("%s/", kind);
	g_autofree gchar *suffix = g_strdup_printf("/%s", name);
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		if (f->object == NULL || !g_str_has_prefix(f->object, prefix) || !g_str_has_suffix(f->object, suffix))
			continue;
		if (strcmp(f->rule_id, rule_id) == 0)
			return TRUE;
		for (guint j = 0; j < f->field_keys->len; j++) {
			if (strcmp(g_ptr_array_index(f->field_keys, j), "components") == 0 &&
			    strstr(g_ptr_array_index(f->field_values, j), rule_id) != NULL)
				return TRUE;
		}
	}
	return FALSE;
}

/* Distinct objects the rule (directly or folded) fired on. */
static guint
count_with_rule(HullReport *r, const char *rule_id)
{
	g_autoptr(GHashTable) objs = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		gboolean hit = strcmp(f->rule_id, rule_id) == 0;
		for (guint j = 0; !hit && j < f->field_keys->len; j++)
			hit = strcmp(g_ptr_array_index(f->field_keys, j), "components") == 0 &&
			      strstr(g_ptr_array_index(f->field_values, j), rule_id) != NULL;
		if (hit && f->object != NULL)
			g_hash_table_add(objs, f->object);
	}
	return g_hash_table_size(objs);
}

static void
test_kubescape_host_network(void)
{
	g_autofree gchar *root = hull_test_shared_data("k8s/kubescape/host-network-access/test");
	if (root == NULL)
		return;
	g_autoptr(GDir) d = g_dir_open(root, 0, NULL);
	g_assert_nonnull(d);
	const char *name;
	guint cases = 0;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *input = g_build_filename(root, name, "input", NULL);
		g_autofree gchar *expected = g_build_filename(root, name, "expected.json", NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonParser) jp = json_parser_new();
		if (!json_parser_load_from_file(jp, expected, &error))
			g_error("%s: %s", expected, error->message);
		g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), input, "config", NULL);
		JsonNode *top = json_parser_get_root(jp);
		guint want = 0;
		if (JSON_NODE_HOLDS_ARRAY(top)) {
			JsonArray *alerts = json_node_get_array(top);
			for (guint i = 0; i < json_array_get_length(alerts); i++) {
				JsonArray *objs = json_object_get_array_member(
					json_object_get_object_member(json_array_get_object_element(alerts, i), "alertObject"),
					"k8sApiObjects");
				for (guint j = 0; j < json_array_get_length(objs); j++) {
					JsonObject *o = json_array_get_object_element(objs, j);
					const char *kind = json_object_get_string_member(o, "kind");
					const char *oname = json_object_get_string_member(json_object_get_object_member(o, "metadata"), "name");
					if (!report_has_object(r, "RC-0004", kind, oname))
						g_error("kubescape host-network-access/%s: no RC-0004 on %s/%s", name, kind, oname);
					want++;
				}
			}
		}
		/* nothing else on the host network */
		g_assert_cmpuint(count_with_rule(r, "RC-0004"), ==, want);
		cases++;
	}
	g_test_message("kubescape host-network-access: %u cases", cases);
	g_assert_cmpuint(cases, >, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/runtime-config/paths", test_paths);
	g_test_add_func("/runtime-config/k8s/hardened-clean", test_k8s_hardened_clean);
	g_test_add_func("/runtime-config/k8s/defaults", test_k8s_defaults);
	g_test_add_func("/runtime-config/k8s/privileged-hostpid-folds", test_k8s_priv_hostpid_folds);
	g_test_add_func("/runtime-config/k8s/escape-disabled-unfolds", test_k8s_escape_disabled_unfolds);
	g_test_add_func("/runtime-config/k8s/hostpath-classes", test_k8s_hostpath_classes);
	g_test_add_func("/runtime-config/k8s/capabilities", test_k8s_caps);
	g_test_add_func("/runtime-config/k8s/profiles-inheritance", test_k8s_profiles_and_inheritance);
	g_test_add_func("/runtime-config/k8s/init-ephemeral", test_k8s_init_and_ephemeral);
	g_test_add_func("/runtime-config/compose", test_compose);
	g_test_add_func("/runtime-config/inspect", test_inspect);
	g_test_add_func("/runtime-config/hostile/wrong-types", test_inspect_wrong_types);
	g_test_add_func("/runtime-config/oci", test_oci);
	g_test_add_func("/runtime-config/facts/tools", test_tools_strengthen);
	g_test_add_func("/runtime-config/scan/tree", test_scan_tree);
	g_test_add_func("/runtime-config/hostile/10k-containers", test_scan_10k_containers);
	g_test_add_func("/runtime-config/hostile/files", test_scan_hostile_files);
	g_test_add_func("/runtime-config/scan/disabled-escape", test_scan_disabled_escape);
	g_test_add_func("/runtime-config/data/badpods", test_badpods);
	g_test_add_func("/runtime-config/data/polaris", test_polaris);
	g_test_add_func("/runtime-config/data/kubescape-host-network", test_kubescape_host_network);
	return g_test_run();
}
