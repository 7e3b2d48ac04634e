/* hull-rc-rules.c: the rule table and the evaluation over one normalised container record.
 *
 * Component rules (RC-00xx) each look at one setting. Escape rules (RC-01xx) name a
 * combination with a known, one-step way out of the container; when one fires, it absorbs
 * every component finding of that container (they are listed in its message and in the
 * finding's "components" field) so a reader sees one CRITICAL line per way out instead of a
 * pile. The first escape of a container carries the unrelated components too; further
 * escapes carry only their own. An escape rule disabled by profile or config steps aside and
 * its components are reported on their own again. */
#include <string.h>
#include "hull-rc.h"

#define REF_PSS "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
#define REF_SC "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"
#define REF_CIS "https://www.cisecurity.org/benchmark/docker"
#define REF_DOCKER_RUN "https://docs.docker.com/reference/cli/docker/container/run/"
#define REF_CAPS "https://man7.org/linux/man-pages/man7/capabilities.7.html"
#define REF_BADPODS "https://github.com/BishopFox/badPods"
#define REF_OCI "https://github.com/opencontainers/runtime-spec/blob/main/config.md"

const char *const hull_rc_default_caps[] = {"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID",
                                            "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
                                            "AUDIT_WRITE", NULL};
static const char *const hull_rc_dangerous_caps[] = {"ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH",
                                                     "NET_ADMIN", "BPF", "SYS_RAWIO", "PERFMON", "SYS_BOOT", NULL};

#define A(...) ((const char *const[]){__VA_ARGS__, NULL})

const HullRule hull_rc_rules[HULL_RC_N_RULES] = {
	{"RC-0001", HULL_SEVERITY_HIGH, "Container runs privileged", A("KSV017", "C-0057", "CIS-DI-5.4"),
	 A(REF_PSS, REF_CIS), "Remove privileged mode: securityContext.privileged: false (Kubernetes), privileged: false (Compose), no --privileged (docker run); add only the capabilities the process needs.", NULL},
	{"RC-0002", HULL_SEVERITY_HIGH, "Container shares the host PID namespace", A("KSV010", "C-0038", "CIS-DI-5.15"),
	 A(REF_PSS, REF_CIS), "Set hostPID: false (or omit it); in Compose drop pid: host; in docker run drop --pid=host.", NULL},
	{"RC-0003", HULL_SEVERITY_HIGH, "Container shares the host IPC namespace", A("KSV008", "C-0038", "CIS-DI-5.16"),
	 A(REF_PSS, REF_CIS), "Set hostIPC: false (or omit it); in Compose drop ipc: host; in docker run drop --ipc=host.", NULL},
	{"RC-0004", HULL_SEVERITY_HIGH, "Container shares the host network namespace", A("KSV009", "C-0041", "CIS-DI-5.9"),
	 A(REF_PSS, REF_CIS), "Set hostNetwork: false and publish ports through a Service; in Compose drop network_mode: host and use ports:.", NULL},
	{"RC-0005", HULL_SEVERITY_MEDIUM, "Host path mounted into the container", A("KSV023", "C-0048"),
	 A(REF_PSS, "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"), "Use a volume type that does not expose the node (emptyDir, configMap, a PersistentVolumeClaim); if a host path is unavoidable mount it readOnly: true.", NULL},
	{"RC-0006", HULL_SEVERITY_HIGH, "Sensitive host directory mounted into the container", A("KSV023", "C-0048", "CIS-DI-5.5"),
	 A(REF_PSS, REF_CIS), "Do not mount /, /etc, /proc, /sys, /dev, /boot, /root, /var/lib/kubelet, /var/lib/docker or similar host directories; if one is truly needed, mount the narrowest subdirectory with readOnly: true (\":ro\" in Compose).", NULL},
	{"RC-0007", HULL_SEVERITY_HIGH, "Container runtime socket mounted into the container", A("KSV006", "C-0074", "CIS-DI-5.31"),
	 A(REF_CIS, "https://docs.docker.com/engine/security/#docker-daemon-attack-surface"), "Remove the docker.sock / containerd.sock / crio.sock mount; a read-only mount does not help, connecting to a socket ignores it.", NULL},
	{"RC-0008", HULL_SEVERITY_HIGH, "Host devices passed into the container", A("CIS-DI-5.17"),
	 A(REF_CIS, REF_DOCKER_RUN), "Remove devices: / --device entries, or pass the single device with the narrowest cgroup permissions (e.g. \"/dev/ttyUSB0:/dev/ttyUSB0:r\").", NULL},
	{"RC-0009", HULL_SEVERITY_HIGH, "Dangerous capability added", A("KSV005", "KSV022", "C-0046", "CIS-DI-5.3"),
	 A(REF_CAPS, REF_PSS, REF_CIS), "Drop the capability: securityContext.capabilities.add must not list SYS_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH, NET_ADMIN, BPF or ALL (cap_add: in Compose).", NULL},
	{"RC-0010", HULL_SEVERITY_LOW, "Default capabilities not dropped", A("KSV003", "C-0055", "CIS-DI-5.3"),
	 A(REF_PSS, REF_CAPS), "Set securityContext.capabilities.drop: [\"ALL\"] and add back only what is needed (cap_drop: [ALL] in Compose).", NULL},
	{"RC-0011", HULL_SEVERITY_MEDIUM, "Privilege escalation allowed", A("KSV001", "C-0016", "CIS-DI-5.25"),
	 A(REF_PSS, REF_SC), "Set securityContext.allowPrivilegeEscalation: false (security_opt: [\"no-new-privileges:true\"] in Compose).", NULL},
	{"RC-0012", HULL_SEVERITY_MEDIUM, "Container may run as root", A("KSV012", "KSV020", "C-0013"),
	 A(REF_PSS, REF_SC), "Set securityContext.runAsNonRoot: true and runAsUser to a UID above 10000 (user: \"10001:10001\" in Compose).", NULL},
	{"RC-0013", HULL_SEVERITY_MEDIUM, "Seccomp disabled", A("KSV104", "C-0055", "CIS-DI-5.21"),
	 A(REF_PSS, "https://kubernetes.io/docs/tutorials/security/seccomp/"), "Set securityContext.seccompProfile.type: RuntimeDefault (remove seccomp:unconfined from security_opt).", NULL},
	{"RC-0014", HULL_SEVERITY_MEDIUM, "AppArmor disabled", A("KSV002", "C-0055", "CIS-DI-5.1"),
	 A(REF_PSS, "https://kubernetes.io/docs/tutorials/security/apparmor/"), "Set securityContext.appArmorProfile.type: RuntimeDefault (remove apparmor:unconfined from security_opt).", NULL},
	{"RC-0015", HULL_SEVERITY_LOW, "Root filesystem is writable", A("KSV014", "C-0017", "CIS-DI-5.12"),
	 A(REF_SC, REF_CIS), "Set securityContext.readOnlyRootFilesystem: true (read_only: true in Compose) and mount an emptyDir/tmpfs where the process must write.", NULL},
	{"RC-0016", HULL_SEVERITY_MEDIUM, "Unmasked /proc", A("KSV027"),
	 A(REF_PSS, REF_SC), "Remove securityContext.procMount or set it to Default.", NULL},
	{"RC-0017", HULL_SEVERITY_MEDIUM, "Host user namespace with privileged settings", A("CIS-DI-5.30"),
	 A(REF_CIS, "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/"), "Run in a user namespace (hostUsers: false; drop userns_mode: host) or remove the privileged settings.", NULL},
	{"RC-0018", HULL_SEVERITY_LOW, "Non-default capability added", A("KSV022", "C-0046"),
	 A(REF_CAPS, REF_PSS), "Add only NET_BIND_SERVICE (the only addition the restricted Pod Security Standard allows) or justify the capability.", NULL},
	{"RC-0101", HULL_SEVERITY_CRITICAL, "Escape: privileged container in the host PID namespace", A("KSV017", "KSV010", "C-0057", "C-0038", "CIS-DI-5.4", "CIS-DI-5.15"),
	 A(REF_BADPODS, REF_PSS), "Remove privileged mode and hostPID: securityContext: {privileged: false, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}} and hostPID: false.", NULL},
	{"RC-0102", HULL_SEVERITY_CRITICAL, "Escape: privileged container with every host device", A("KSV017", "C-0057", "CIS-DI-5.4", "CIS-DI-5.17"),
	 A(REF_BADPODS, REF_PSS, REF_CIS), "Remove privileged mode: securityContext: {privileged: false, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}; pass single devices explicitly if needed.", NULL},
	{"RC-0103", HULL_SEVERITY_CRITICAL, "Escape: container runtime socket reachable", A("KSV006", "C-0074", "CIS-DI-5.31"),
	 A(REF_CIS, "https://docs.docker.com/engine/security/#docker-daemon-attack-surface"), "Remove the runtime socket mount; a read-only bind mount does not protect a socket.", NULL},
	{"RC-0104", HULL_SEVERITY_CRITICAL, "Escape: writable host system directory", A("KSV023", "C-0048", "CIS-DI-5.5"),
	 A(REF_BADPODS, REF_PSS), "Remove the hostPath volume, or mount the narrowest subdirectory with readOnly: true (\":ro\" in Compose).", NULL},
	{"RC-0105", HULL_SEVERITY_CRITICAL, "Escape: SYS_ADMIN with the host root mounted", A("KSV005", "KSV023", "C-0046", "C-0048"),
	 A(REF_CAPS, REF_BADPODS), "Drop SYS_ADMIN (capabilities: {drop: [ALL]}) and remove the hostPath / volume.", NULL},
	{"RC-0106", HULL_SEVERITY_CRITICAL, "Escape: SYS_PTRACE in the host PID namespace", A("KSV010", "KSV005", "C-0038", "C-0046"),
	 A(REF_CAPS, REF_PSS), "Remove hostPID and drop SYS_PTRACE: capabilities: {drop: [ALL]}.", NULL},
	{"RC-0107", HULL_SEVERITY_CRITICAL, "Escape: kernel modules can be loaded", A("KSV022", "C-0046", "CIS-DI-5.3"),
	 A(REF_CAPS), "Drop SYS_MODULE / ALL: capabilities: {drop: [ALL]}.", NULL},
	{"RC-0108", HULL_SEVERITY_CRITICAL, "Escape: host disk or memory device passed through", A("CIS-DI-5.17"),
	 A(REF_CIS, REF_DOCKER_RUN), "Remove the block/memory device from devices: (--device).", NULL},
};

G_STATIC_ASSERT(G_N_ELEMENTS(hull_rc_rules) == HULL_RC_N_RULES);

typedef enum {
	HULL_RC_PATH_OTHER,
	HULL_RC_PATH_SENSITIVE,        /* read-only: information; writable: high */
	HULL_RC_PATH_ESCAPE_IF_WRITABLE,
	HULL_RC_PATH_ROOT,
	HULL_RC_PATH_SOCKET,
	HULL_RC_PATH_RUNTIME_MANAGED,  /* /etc/hosts etc. the runtime itself binds in */
} HullRcPathClass;

static gboolean
hull_rc_path_within(const char *path, const char *dir)
{
	gsize n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static HullRcPathClass
hull_rc_classify(const char *host)
{
	static const char *const managed[] = {"/var/lib/docker/containers", "/var/lib/containers/storage",
	                                      "/run/containers/storage", "/var/lib/kubelet/pods", NULL};
	static const char *const sockets[] = {"/run", "/var/run", "/run/containerd", "/var/run/containerd", "/run/crio",
	                                      "/var/run/crio", "/run/docker", "/var/run/docker", "/run/podman",
	                                      "/var/run/podman", NULL};
	static const char *const sock_names[] = {"docker.sock", "containerd.sock", "crio.sock", "podman.sock",
	                                         "cri-dockerd.sock", "dockershim.sock", NULL};
	/* Writing to these gives code execution on the host (cron, static pods, kernel knobs …). */
	static const char *const escape[] = {"/etc", "/root", "/proc", "/sys", "/boot", "/usr", "/bin", "/sbin", "/lib",
	                                     "/lib64", "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd",
	                                     "/var/spool/cron", "/etc/kubernetes", NULL};
	static const char *const sensitive[] = {"/dev", "/home", "/var/log", "/var/lib/etcd", "/var/run/secrets", NULL};
	if (strcmp(host, "/") == 0)
		return HULL_RC_PATH_ROOT;
	for (guint i = 0; managed[i] != NULL; i++) {
		if (hull_rc_path_within(host, managed[i]))
			return HULL_RC_PATH_RUNTIME_MANAGED;
	}
	const char *base = strrchr(host, '/') + 1;
	for (guint i = 0; sock_names[i] != NULL; i++) {
		if (strcmp(base, sock_names[i]) == 0)
			return HULL_RC_PATH_SOCKET;
	}
	for (guint i = 0; sockets[i] != NULL; i++) {
		if (strcmp(host, sockets[i]) == 0)
			return HULL_RC_PATH_SOCKET;
	}
	/* The directory itself, anything inside it, or a parent that holds it (/var holds
	 * /var/lib/docker). */
	for (guint i = 0; escape[i] != NULL; i++) {
		if (hull_rc_path_within(host, escape[i]) || hull_rc_path_within(escape[i], host))
			return HULL_RC_PATH_ESCAPE_IF_WRITABLE;
	}
	for (guint i = 0; sensitive[i] != NULL; i++) {
		if (hull_rc_path_within(host, sensitive[i]) || hull_rc_path_within(sensitive[i], host))
			return HULL_RC_PATH_SENSITIVE;
	}
	return HULL_RC_PATH_OTHER;
}

static gboolean
hull_rc_is_disk_device(const char *dev)
{
	static const char *const prefixes[] = {"/dev/sd", "/dev/nvme", "/dev/vd", "/dev/xvd", "/dev/hd", "/dev/dm-",
	                                       "/dev/mapper/", "/dev/mem", "/dev/kmem", "/dev/port", "/dev/loop",
	                                       "/dev/disk/", "/dev/mmcblk", NULL};
	for (guint i = 0; prefixes[i] != NULL; i++) {
		if (g_str_has_prefix(dev, prefixes[i]))
			return TRUE;
	}
	return FALSE;
}

/* A component: one rule firing on one setting, before folding. */
typedef struct {
	const char *rule_id;
	HullSeverity severity;
	gchar *what;    /* short: "hostPID", "hostPath / (writable) at /host" */
	gchar *detail;  /* the sentence for a standalone finding */
	gchar *key;
	gboolean folded;
} HullRcComponent;

static void
hull_rc_component_free(HullRcComponent *c)
{
	g_free(c->what);
	g_free(c->detail);
	g_free(c->key);
	g_free(c);
}

static HullRcComponent *
hull_rc_add(GPtrArray *comps, const char *rule_id, HullSeverity sev, const char *key, gchar *what, gchar *detail)
{
	HullRcComponent *c = g_new0(HullRcComponent, 1);
	c->rule_id = rule_id;
	c->severity = sev;
	c->what = what;
	c->detail = detail;
	c->key = g_strdup(key != NULL ? key : rule_id);
	g_ptr_array_add(comps, c);
	return c;
}

void
hull_rc_result_free(HullRcResult *r)
{
	if (r == NULL)
		return;
	g_free(r->message);
	g_free(r->key);
	g_free(r->components);
	g_free(r);
}

static gchar *
hull_rc_mount_label(const HullRcMount *m)
{
	if (m->dest == NULL)
		return g_strdup_printf("hostPath %s (declared, not mounted)", m->host);
	return g_strdup_printf("hostPath %s at %s (%s)", m->host, m->dest, m->read_only ? "read-only" : "writable");
}

static gboolean
hull_rc_cap(const HullRcContainer *c, const char *cap)
{
	return hull_rc_caps_have(c->cap_add, cap) || hull_rc_caps_have(c->cap_add, "ALL");
}

/* Collects every component rule that fires on @c. */
static void
hull_rc_components(const HullRcContainer *c, GPtrArray *comps)
{
	const gboolean k8s = strcmp(c->source, "k8s") == 0;
	if (c->privileged == HULL_RC_YES)
		hull_rc_add(comps, "RC-0001", HULL_SEVERITY_HIGH, NULL, g_strdup("privileged"),
		            g_strdup("runs privileged: every capability, every host device, no seccomp or AppArmor"));
	if (c->host_pid == HULL_RC_YES)
		hull_rc_add(comps, "RC-0002", HULL_SEVERITY_HIGH, NULL, g_strdup("hostPID"),
		            g_strdup("shares the host PID namespace: it sees and can signal every process on the node, and "
		                     "reads their command lines and environments"));
	if (c->host_ipc == HULL_RC_YES)
		hull_rc_add(comps, "RC-0003", HULL_SEVERITY_HIGH, NULL, g_strdup("hostIPC"),
		            g_strdup("shares the host IPC namespace: it can read and write host shared memory (/dev/shm) and "
		                     "message queues"));
	if (c->host_net == HULL_RC_YES) {
		GString *p = g_string_new(NULL);
		for (guint i = 0; i < c->host_ports->len && i < 8; i++)
			g_string_append_printf(p, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(c->host_ports, i));
		hull_rc_add(comps, "RC-0004", HULL_SEVERITY_HIGH, NULL, g_strdup("hostNetwork"),
		            g_strdup_printf("shares the host network namespace: it reaches services bound to the node's "
		                            "localhost (kubelet, cloud metadata) and can sniff node traffic%s%s%s",
		                            p->len ? " (listens on host ports " : "", p->str, p->len ? ")" : ""));
		g_string_free(p, TRUE);
	}
	for (guint i = 0; i < c->mounts->len; i++) {
		const HullRcMount *m = g_ptr_array_index(c->mounts, i);
		HullRcPathClass cls = hull_rc_classify(m->host);
		gchar *label = hull_rc_mount_label(m);
		g_autofree gchar *key = g_strdup_printf("mount:%s:%s", m->host, m->dest != NULL ? m->dest : "");
		switch (cls) {
		case HULL_RC_PATH_RUNTIME_MANAGED:
			g_free(label);
			break;
		case HULL_RC_PATH_SOCKET:
			hull_rc_add(comps, "RC-0007", HULL_SEVERITY_HIGH, key, label,
			            g_strdup_printf("mounts the container runtime socket (%s)", m->host));
			break;
		case HULL_RC_PATH_OTHER:
			hull_rc_add(comps, "RC-0005", HULL_SEVERITY_MEDIUM, key, label,
			            g_strdup_printf("mounts host path %s", m->host));
			break;
		default:
			hull_rc_add(comps, "RC-0006", m->read_only || m->dest == NULL ? HULL_SEVERITY_MEDIUM : HULL_SEVERITY_HIGH,
			            key, label, g_strdup_printf("mounts sensitive host directory %s%s", m->host,
			                                        m->dest == NULL ? " (declared by the pod, not mounted)"
			                                        : m->read_only ? " read-only"
			                                                       : " writable"));
			break;
		}
	}
	for (guint i = 0; i < c->devices->len; i++) {
		const char *d = g_ptr_array_index(c->devices, i);
		g_autofree gchar *key = g_strdup_printf("device:%s", d);
		hull_rc_add(comps, "RC-0008", HULL_SEVERITY_HIGH, key, g_strdup_printf("device %s", d),
		            g_strdup_printf("has host device %s", d));
	}
	for (guint i = 0; i < c->cap_add->len; i++) {
		const char *cap = g_ptr_array_index(c->cap_add, i);
		g_autofree gchar *key = g_strdup_printf("cap:%s", cap);
		if (g_strv_contains(hull_rc_dangerous_caps, cap))
			hull_rc_add(comps, "RC-0009", HULL_SEVERITY_HIGH, key, g_strdup_printf("capability %s", cap),
			            g_strdup_printf("adds capability %s", cap));
		else if (!g_strv_contains(hull_rc_default_caps, cap) && strcmp(cap, "NET_BIND_SERVICE") != 0)
			hull_rc_add(comps, "RC-0018", HULL_SEVERITY_LOW, key, g_strdup_printf("capability %s", cap),
			            g_strdup_printf("adds non-default capability %s", cap));
	}
	if (c->privileged != HULL_RC_YES && !hull_rc_caps_have(c->cap_drop, "ALL")) {
		GString *kept = g_string_new(NULL);
		for (guint i = 0; hull_rc_default_caps[i] != NULL; i++) {
			if (!hull_rc_caps_have(c->cap_drop, hull_rc_default_caps[i]))
				g_string_append_printf(kept, "%s%s", kept->len ? ", " : "", hull_rc_default_caps[i]);
		}
		if (kept->len > 0)
			hull_rc_add(comps, "RC-0010", HULL_SEVERITY_LOW, NULL, g_strdup("default capabilities kept"),
			            g_strdup_printf("does not drop ALL capabilities (keeps %s)", kept->str));
		g_string_free(kept, TRUE);
	}
	/* Kubernetes defaults allowPrivilegeEscalation to true; Docker allows it unless
	 * no-new-privileges is set, but compose/inspect files that omit it say nothing new. */
	if (c->privileged != HULL_RC_YES &&
	    (c->allow_priv_esc == HULL_RC_YES || (k8s && c->allow_priv_esc == HULL_RC_UNSET)))
		hull_rc_add(comps, "RC-0011", HULL_SEVERITY_MEDIUM, NULL, g_strdup("allowPrivilegeEscalation"),
		            g_strdup(c->allow_priv_esc == HULL_RC_YES ? "allows privilege escalation (setuid binaries gain "
		                                                          "privileges)"
		                                                        : "does not set allowPrivilegeEscalation: false (setuid "
		                                                          "binaries gain privileges)"));
	gboolean unknown;
	gboolean root = hull_rc_container_runs_as_root(c, &unknown);
	if (root || (unknown && k8s) || (k8s && c->run_as_non_root == HULL_RC_NO && c->run_as_user <= 0))
		hull_rc_add(comps, "RC-0012", HULL_SEVERITY_MEDIUM, NULL, g_strdup(root ? "runs as root" : "may run as root"),
		            g_strdup(root ? "runs as root (UID 0)"
		                          : "may run as root: runAsNonRoot is not true and no non-zero runAsUser is set"));
	if (c->privileged != HULL_RC_YES && c->seccomp != NULL && strcmp(c->seccomp, "unconfined") == 0)
		hull_rc_add(comps, "RC-0013", HULL_SEVERITY_MEDIUM, NULL, g_strdup("seccomp unconfined"),
		            g_strdup("runs without a seccomp filter (unconfined)"));
	if (c->privileged != HULL_RC_YES && c->apparmor != NULL && strcmp(c->apparmor, "unconfined") == 0)
		hull_rc_add(comps, "RC-0014", HULL_SEVERITY_MEDIUM, NULL, g_strdup("AppArmor unconfined"),
		            g_strdup("runs without an AppArmor profile (unconfined)"));
	if (c->read_only_root == HULL_RC_NO || (c->read_only_root == HULL_RC_UNSET && k8s))
		hull_rc_add(comps, "RC-0015", HULL_SEVERITY_LOW, NULL, g_strdup("writable root filesystem"),
		            g_strdup("has a writable root filesystem"));
	if (c->proc_mount != NULL && strcmp(c->proc_mount, "Default") != 0)
		hull_rc_add(comps, "RC-0016", HULL_SEVERITY_MEDIUM, NULL, g_strdup_printf("procMount %s", c->proc_mount),
		            g_strdup_printf("sets procMount: %s, so /proc is not masked", c->proc_mount));
	gboolean powerful = c->privileged == HULL_RC_YES;
	for (guint i = 0; i < c->cap_add->len; i++)
		powerful = powerful || g_strv_contains(hull_rc_dangerous_caps, g_ptr_array_index(c->cap_add, i));
	if (c->host_users == HULL_RC_YES && powerful && strcmp(c->source, "oci-runtime") != 0)
		hull_rc_add(comps, "RC-0017", HULL_SEVERITY_MEDIUM, NULL, g_strdup("host user namespace"),
		            g_strdup("runs in the host user namespace while privileged or holding dangerous capabilities, so "
		                     "its root is the node's root"));
}

static HullRcComponent *
hull_rc_find(GPtrArray *comps, const char *rule_id)
{
	for (guint i = 0; i < comps->len; i++) {
		HullRcComponent *x = g_ptr_array_index(comps, i);
		if (strcmp(x->rule_id, rule_id) == 0)
			return x;
	}
	return NULL;
}

static HullRcComponent *
hull_rc_find_key(GPtrArray *comps, const char *key)
{
	for (guint i = 0; i < comps->len; i++) {
		HullRcComponent *x = g_ptr_array_index(comps, i);
		if (strcmp(x->key, key) == 0)
			return x;
	}
	return NULL;
}

typedef struct {
	const char *rule_id;
	gchar *sentence;
	GPtrArray *parts; /* HullRcComponent* (borrowed) */
	gchar *key;
} HullRcEscape;

static void
hull_rc_escape_free(HullRcEscape *e)
{
	g_free(e->sentence);
	g_free(e->key);
	g_ptr_array_unref(e->parts);
	g_free(e);
}

static HullRcEscape *
hull_rc_escape(GPtrArray *escapes, const char *rule_id, const char *key, gchar *sentence)
{
	HullRcEscape *e = g_new0(HullRcEscape, 1);
	e->rule_id = rule_id;
	e->sentence = sentence;
	e->parts = g_ptr_array_new();
	e->key = g_strdup_printf("%s:%s", rule_id, key != NULL ? key : "");
	g_ptr_array_add(escapes, e);
	return e;
}

static void
hull_rc_part(HullRcEscape *e, HullRcComponent *comp)
{
	if (comp != NULL && !g_ptr_array_find(e->parts, comp, NULL))
		g_ptr_array_add(e->parts, comp);
}

static void
hull_rc_cap_parts(HullRcEscape *e, GPtrArray *comps, const char *cap)
{
	g_autofree gchar *k1 = g_strdup_printf("cap:%s", cap);
	hull_rc_part(e, hull_rc_find_key(comps, k1));
	hull_rc_part(e, hull_rc_find_key(comps, "cap:ALL"));
}

/* Finds the escape-grade combinations in @comps. */
static void
hull_rc_escapes(const HullRcContainer *c, GPtrArray *comps, const char *tools, GPtrArray *escapes)
{
	HullRcComponent *priv = hull_rc_find(comps, "RC-0001"), *pid = hull_rc_find(comps, "RC-0002");
	g_autofree gchar *with_tools = tools != NULL ? g_strdup_printf(" (the scanned image ships %s)", tools) : g_strdup("");
	if (priv != NULL && pid != NULL) {
		HullRcEscape *e = hull_rc_escape(escapes, "RC-0101", NULL,
		                                 g_strdup_printf("privileged in the host PID namespace: `nsenter --target 1 "
		                                                 "--mount --uts --ipc --net --pid` gives a root shell on the "
		                                                 "node%s",
		                                                 with_tools));
		hull_rc_part(e, priv);
		hull_rc_part(e, pid);
	} else if (priv != NULL) {
		HullRcEscape *e = hull_rc_escape(escapes, "RC-0102", NULL,
		                                 g_strdup_printf("privileged: it sees every host device and holds every "
		                                                 "capability, so mounting the node's disk (e.g. `mount "
		                                                 "/dev/sda1 /mnt`) or a cgroup release_agent gives root on "
		                                                 "the node%s",
		                                                 with_tools));
		hull_rc_part(e, priv);
		for (guint i = 0; i < comps->len; i++) {
			HullRcComponent *x = g_ptr_array_index(comps, i);
			if (strcmp(x->rule_id, "RC-0008") == 0)
				hull_rc_part(e, x);
		}
	}
	for (guint i = 0; i < c->mounts->len; i++) {
		const HullRcMount *m = g_ptr_array_index(c->mounts, i);
		if (m->dest == NULL)
			continue;
		HullRcPathClass cls = hull_rc_classify(m->host);
		g_autofree gchar *key = g_strdup_printf("mount:%s:%s", m->host, m->dest);
		HullRcComponent *mc = hull_rc_find_key(comps, key);
		if (cls == HULL_RC_PATH_SOCKET) {
			HullRcEscape *e = hull_rc_escape(escapes, "RC-0103", key,
			                                 g_strdup_printf("the container runtime's API is reachable through %s at %s%s, "
			                                                 "so it can start a privileged container that mounts the "
			                                                 "node's root",
			                                                 m->host, m->dest,
			                                                 m->read_only ? " (read-only does not protect a socket)"
			                                                              : ""));
			hull_rc_part(e, mc);
		} else if ((cls == HULL_RC_PATH_ROOT || cls == HULL_RC_PATH_ESCAPE_IF_WRITABLE) && !m->read_only) {
			HullRcEscape *e = hull_rc_escape(escapes, "RC-0104", key,
			                                 g_strdup_printf("the node's %s is writable at %s: writing a cron job, an SSH "
			                                                 "key, a static pod manifest or a kernel knob there runs code "
			                                                 "as root on the node",
			                                                 m->host, m->dest));
			hull_rc_part(e, mc);
		} else if (cls == HULL_RC_PATH_ROOT && hull_rc_cap(c, "SYS_ADMIN")) {
			HullRcEscape *e = hull_rc_escape(escapes, "RC-0105", key,
			                                 g_strdup_printf("the node's root is mounted read-only at %s but SYS_ADMIN "
			                                                 "lets it `mount -o remount,rw` and write to the node",
			                                                 m->dest));
			hull_rc_part(e, mc);
			hull_rc_cap_parts(e, comps, "SYS_ADMIN");
		}
	}
	if (pid != NULL && priv == NULL && hull_rc_cap(c, "SYS_PTRACE")) {
		HullRcEscape *e = hull_rc_escape(escapes, "RC-0106", NULL,
		                                 g_strdup_printf("SYS_PTRACE in the host PID namespace: it can attach to a root "
		                                                 "process on the node and inject code, or enter its filesystem "
		                                                 "through /proc/<pid>/root%s",
		                                                 with_tools));
		hull_rc_part(e, pid);
		hull_rc_cap_parts(e, comps, "SYS_PTRACE");
	}
	if (priv == NULL && hull_rc_cap(c, "SYS_MODULE")) {
		HullRcEscape *e = hull_rc_escape(escapes, "RC-0107", NULL,
		                                 g_strdup("SYS_MODULE: it can load a kernel module, which runs in the node's "
		                                          "kernel"));
		hull_rc_cap_parts(e, comps, "SYS_MODULE");
	}
	if (priv == NULL) {
		for (guint i = 0; i < c->devices->len; i++) {
			const char *d = g_ptr_array_index(c->devices, i);
			if (!hull_rc_is_disk_device(d))
				continue;
			g_autofree gchar *key = g_strdup_printf("device:%s", d);
			HullRcEscape *e = hull_rc_escape(escapes, "RC-0108", key,
			                                 g_strdup_printf("host device %s gives raw access to the node's disk or "
			                                                 "memory, so it can read and rewrite any host file",
			                                                 d));
			hull_rc_part(e, hull_rc_find_key(comps, key));
		}
	}
}

static gboolean
hull_rc_enabled(HullRcRuleEnabledFunc enabled, gpointer user_data, const char *rule_id)
{
	return enabled == NULL || enabled(rule_id, user_data);
}

void
hull_rc_evaluate(const HullRcContainer *c, HullRcRuleEnabledFunc enabled, gpointer user_data, const char *image_tools,
                 GPtrArray *out)
{
	g_return_if_fail(c != NULL && out != NULL);
	g_autoptr(GPtrArray) comps = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rc_component_free);
	g_autoptr(GPtrArray) escapes = g_ptr_array_new_with_free_func((GDestroyNotify)hull_rc_escape_free);
	hull_rc_components(c, comps);
	gboolean unknown;
	gboolean root = hull_rc_container_runs_as_root(c, &unknown) || unknown || c->privileged == HULL_RC_YES;
	hull_rc_escapes(c, comps, root ? image_tools : NULL, escapes);

	gboolean first = TRUE;
	for (guint i = 0; i < escapes->len; i++) {
		HullRcEscape *e = g_ptr_array_index(escapes, i);
		if (!hull_rc_enabled(enabled, user_data, e->rule_id))
			continue;
		for (guint j = 0; j < e->parts->len; j++)
			((HullRcComponent *)g_ptr_array_index(e->parts, j))->folded = TRUE;
	}
	/* The first enabled escape also takes every component no escape claimed. */
	for (guint i = 0; i < escapes->len; i++) {
		HullRcEscape *e = g_ptr_array_index(escapes, i);
		if (!hull_rc_enabled(enabled, user_data, e->rule_id))
			continue;
		GString *msg = g_string_new(NULL);
		g_string_append_printf(msg, "container %s can escape to the node: %s.", c->name, e->sentence);
		GString *ids = g_string_new(NULL);
		for (guint j = 0; j < e->parts->len; j++) {
			HullRcComponent *x = g_ptr_array_index(e->parts, j);
			g_string_append_printf(msg, "%s%s", j ? ", " : " Because of: ", x->what);
			g_string_append_printf(ids, "%s%s", ids->len ? "," : "", x->rule_id);
		}
		if (first) {
			guint n = 0;
			for (guint j = 0; j < comps->len; j++) {
				HullRcComponent *x = g_ptr_array_index(comps, j);
				if (x->folded)
					continue;
				x->folded = TRUE;
				g_string_append_printf(msg, "%s%s", n++ ? ", " : ". Also: ", x->what);
				g_string_append_printf(ids, "%s%s", ids->len ? "," : "", x->rule_id);
			}
			if (e->parts->len > 0 || n > 0)
				g_string_append_c(msg, '.');
			first = FALSE;
		} else if (e->parts->len > 0) {
			g_string_append_c(msg, '.');
		}
		HullRcResult *r = g_new0(HullRcResult, 1);
		r->rule_id = e->rule_id;
		r->severity = HULL_SEVERITY_CRITICAL;
		r->message = g_string_free(msg, FALSE);
		r->key = g_strdup_printf("%s|%s", c->name, e->key);
		r->components = g_string_free(ids, FALSE);
		g_ptr_array_add(out, r);
	}
	for (guint i = 0; i < comps->len; i++) {
		HullRcComponent *x = g_ptr_array_index(comps, i);
		if (x->folded || !hull_rc_enabled(enabled, user_data, x->rule_id))
			continue;
		HullRcResult *r = g_new0(HullRcResult, 1);
		r->rule_id = x->rule_id;
		r->severity = x->severity;
		r->message = g_strdup_printf("container %s %s.", c->name, x->detail);
		r->key = g_strdup_printf("%s|%s", c->name, x->key);
		g_ptr_array_add(out, r);
	}
}
