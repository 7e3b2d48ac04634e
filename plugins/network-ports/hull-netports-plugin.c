/* hull-netports-plugin.c: the network-ports plugin: collects every place a port is opened
 * (image config ExposedPorts, Dockerfile EXPOSE, Kubernetes objects, service configs in
 * the image), emits "port" and "service" facts, and after every plugin has spoken joins
 * them with the "package" facts so a finding can say what would answer on the port and how
 * it is configured. Rules and their peers' ids are in README.md. */
#include <string.h>
#include "hull-netports.h"


/* Include chains deeper than this are not followed (nginx itself allows far fewer in practice). */
#define HULL_NGINX_MAX_DEPTH 16

typedef struct {
	HullPluginCtx *ctx;
	HullPortCatalogue *cat;
	GMutex lock;
	/* per scan, under @lock (file callbacks run on several threads) */
	GPtrArray *configs;    /* HullSvcConfig* */
	GPtrArray *exposures;  /* HullExposure* */
	GPtrArray *issues;     /* HullNetIssue* */
	GHashTable *packages;  /* name → version */
	gboolean have_packages;
	gchar *image_user;     /* image config User */
	gboolean have_image_ports;
} HullNetports;

static const char *const aliases_ssh[] = { "DS-0004", "ssh-port", NULL };
static const char *const aliases_hostnet[] = { "KSV009", "C-0041", NULL };
static const char *const aliases_hostport[] = { "KSV024", "C-0044", NULL };
static const char *const aliases_hostns[] = { "KSV008", "KSV010", "C-0038", NULL };
static const char *const aliases_internet[] = { "C-0256", NULL };

static const char *const refs_catalogue[] = {
	"https://github.com/aquasecurity/kube-hunter",
	"https://docs.docker.com/engine/security/protect-access/",
	"https://kubernetes.io/docs/reference/networking/ports-and-protocols/",
	NULL,
};
static const char *const refs_ssh[] = {
	"https://avd.aquasec.com/misconfig/ds004",
	"https://docs.kubelinter.io/#/generated/checks?id=ssh-port",
	NULL,
};
static const char *const refs_pss[] = {
	"https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
	NULL,
};
static const char *const refs_internet[] = {
	"https://hub.armosec.io/docs/c-0256",
	"https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types",
	NULL,
};
static const char *const refs_priv[] = {
	"https://man7.org/linux/man-pages/man7/capabilities.7.html",
	"https://docs.docker.com/reference/dockerfile/#expose",
	NULL,
};
static const char *const refs_noauth[] = {
	"https://redis.io/docs/latest/operate/oss_and_stack/management/security/",
	"https://www.postgresql.org/docs/current/auth-trust.html",
	"https://www.mongodb.com/docs/manual/administration/security-checklist/",
	"https://github.com/memcached/memcached/wiki/SASLHowto",
	NULL,
};
static const char *const refs_sshd[] = {
	"https://man.openbsd.org/sshd_config#PermitRootLogin",
	"https://man.openbsd.org/sshd_config#PermitEmptyPasswords",
	NULL,
};
static const char *const refs_docker[] = {
	"https://docs.docker.com/engine/security/protect-access/",
	"https://docs.docker.com/reference/cli/dockerd/#daemon-socket-option",
	NULL,
};

static const HullRule hull_netports_rules[] = {
	{ "NET-0001", HULL_SEVERITY_MEDIUM, "Risky port exposed", NULL, refs_catalogue,
	  "Do not expose this port; reach the service through the orchestrator (kubectl exec, port-forward) "
	  "or put it behind an authenticated proxy.",
	  "A port listed in the port catalogue (configs/ports/catalogue.json) is exposed by the image, a "
	  "Dockerfile or a Kubernetes object; severity comes from the catalogue, higher when reachable "
	  "from outside the cluster or the node." },
	{ "NET-0002", HULL_SEVERITY_MEDIUM, "SSH port 22 exposed", aliases_ssh, refs_ssh,
	  "Remove the SSH server and EXPOSE 22; use docker exec / kubectl exec instead.",
	  "Port 22 is exposed by the image, a Dockerfile or a container port." },
	{ "NET-0003", HULL_SEVERITY_HIGH, "Pod uses the host network", aliases_hostnet, refs_pss,
	  "Remove hostNetwork: true.", NULL },
	{ "NET-0004", HULL_SEVERITY_MEDIUM, "Container binds a host port", aliases_hostport, refs_pss,
	  "Remove hostPort; publish through a Service.", NULL },
	{ "NET-0005", HULL_SEVERITY_HIGH, "Pod shares the node's PID or IPC namespace", aliases_hostns, refs_pss,
	  "Remove hostPID and hostIPC.", NULL },
	{ "NET-0006", HULL_SEVERITY_MEDIUM, "Workload reachable from outside the cluster", aliases_internet,
	  refs_internet, "Check that this workload is meant to be public; otherwise use a ClusterIP Service "
	  "and no Ingress/route to it.",
	  "A NodePort/LoadBalancer Service (or one with externalIPs), an Ingress, a Gateway API route or an "
	  "Istio VirtualService on a Gateway reaches the workload." },
	{ "NET-0007", HULL_SEVERITY_HIGH, "Database, cache or admin port published outside the cluster", NULL,
	  refs_catalogue, "Use a ClusterIP Service for this port.",
	  "A Service of type NodePort/LoadBalancer or with externalIPs publishes a port listed in the port "
	  "catalogue (databases, caches, admin APIs)." },
	{ "NET-0008", HULL_SEVERITY_LOW, "Privileged port exposed by an image that runs as non-root", NULL,
	  refs_priv, "Listen on a port >= 1024 and map it, or grant CAP_NET_BIND_SERVICE deliberately.",
	  "A port below 1024 is exposed while the image's user is not root: binding it needs "
	  "CAP_NET_BIND_SERVICE or a lowered net.ipv4.ip_unprivileged_port_start." },
	{ "NET-0009", HULL_SEVERITY_HIGH, "Service listens on every interface without authentication", NULL,
	  refs_noauth, "Bind to localhost or require authentication (requirepass, md5/scram in pg_hba, "
	  "security.authorization, SASL).", NULL },
	{ "NET-0010", HULL_SEVERITY_HIGH, "SSH daemon allows root or empty-password login", NULL, refs_sshd,
	  "Set PermitRootLogin no (or prohibit-password), PermitEmptyPasswords no, PasswordAuthentication no.",
	  NULL },
	{ "NET-0011", HULL_SEVERITY_LOW, "Exposed port with nothing in the image to serve it", NULL, refs_catalogue,
	  "Remove the stale EXPOSE, or check that the service really ships in the image.",
	  "The port is in the catalogue, but none of the packages or binaries that serve it is in the image, "
	  "and no service config listens on it." },
	{ "NET-0012", HULL_SEVERITY_CRITICAL, "Docker daemon API on TCP without TLS", NULL, refs_docker,
	  "Remove tcp:// hosts from daemon.json or set tlsverify with client certificates.", NULL },
};

static void
hull_netports_reset(HullNetports *np)
{
	g_clear_pointer(&np->configs, g_ptr_array_unref);
	g_clear_pointer(&np->exposures, g_ptr_array_unref);
	g_clear_pointer(&np->issues, g_ptr_array_unref);
	g_clear_pointer(&np->packages, g_hash_table_unref);
	g_clear_pointer(&np->image_user, g_free);
	np->configs = g_ptr_array_new_with_free_func((GDestroyNotify)hull_svc_config_free);
	np->exposures = g_ptr_array_new_with_free_func((GDestroyNotify)hull_exposure_free);
	np->issues = g_ptr_array_new_with_free_func((GDestroyNotify)hull_net_issue_free);
	np->packages = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	np->have_packages = FALSE;
	np->have_image_ports = FALSE;
}

static gboolean
hull_netports_init(HullPluginCtx *ctx, gpointer *state, GError **error)
{
	g_autofree gchar *fn = NULL;
	const char *opt = hull_plugin_ctx_get_option(ctx, "catalogue");
	fn = opt != NULL ? g_strdup(opt) : hull_plugin_ctx_find_data(ctx, "ports/catalogue.json");
	if (opt != NULL)
		hull_plugin_ctx_add_dependency(ctx, opt);
	if (fn == NULL) {
		g_set_error(error, HULL_PORT_ERROR, 0, "ports/catalogue.json not found in the data dirs");
		return FALSE;
	}
	HullPortCatalogue *cat = hull_port_catalogue_load(fn, error);
	if (cat == NULL)
		return FALSE;
	HullNetports *np = g_new0(HullNetports, 1);
	np->ctx = ctx;
	np->cat = cat;
	g_mutex_init(&np->lock);
	hull_netports_reset(np);
	*state = np;
	return TRUE;
}

static void
hull_netports_destroy(gpointer state)
{
	HullNetports *np = state;
	g_clear_pointer(&np->configs, g_ptr_array_unref);
	g_clear_pointer(&np->exposures, g_ptr_array_unref);
	g_clear_pointer(&np->issues, g_ptr_array_unref);
	g_clear_pointer(&np->packages, g_hash_table_unref);
	g_free(np->image_user);
	hull_port_catalogue_free(np->cat);
	g_mutex_clear(&np->lock);
	g_free(np);
}

/* "80/tcp" keys of ExposedPorts, "8080" of a Dockerfile EXPOSE. */
static HullExposure *
hull_netports_add_port_text(HullNetports *np, HullScan *scan, const char *text, const char *source,
                            const char *exposure, const char *path, guint line, int layer, const char *object)
{
	HullPortRange r;
	g_autoptr(GError) error = NULL;
	if (!hull_port_parse(text, HULL_PROTO_TCP, &r, &error)) {
		if (path != NULL)
			hull_scan_add_note(scan, np->ctx, "%s:%u: %s", path, line, error->message);
		else
			hull_scan_add_note(scan, np->ctx, "%s: %s", object, error->message);
		return NULL;
	}
	HullExposure *e = hull_exposure_new(&r, source, exposure, path, line, layer, object);
	g_ptr_array_add(np->exposures, e);
	return e;
}

static gboolean
hull_netports_scan_begin(gpointer state, HullScan *scan, GError **error)
{
	HullNetports *np = state;
	g_mutex_lock(&np->lock);
	hull_netports_reset(np);
	g_mutex_unlock(&np->lock);
	HullImage *image = hull_scan_get_image(scan);
	if (image == NULL)
		return TRUE;
	JsonObject *config = hull_image_get_config(image);
	JsonNode *user = json_object_get_member(config, "User");
	if (user != NULL && JSON_NODE_HOLDS_VALUE(user) && json_node_get_value_type(user) == G_TYPE_STRING)
		np->image_user = g_strdup(json_node_get_string(user));
	JsonNode *ports = json_object_get_member(config, "ExposedPorts");
	if (ports == NULL || !JSON_NODE_HOLDS_OBJECT(ports))
		return TRUE;
	g_autoptr(GList) keys = json_object_get_members(json_node_get_object(ports));
	for (GList *l = keys; l != NULL; l = l->next) {
		HullExposure *e = hull_netports_add_port_text(np, scan, l->data, "image-config", "ExposedPorts", NULL, 0,
		                                              -1, "image-config");
		if (e != NULL)
			e->user = g_strdup(np->image_user);
		np->have_image_ports = TRUE;
	}
	return TRUE;
}

static gboolean
hull_netports_file_chunk(gpointer state, HullScan *scan, const HullFile *file, gpointer file_state,
                         const guint8 *data, gsize len, GError **error)
{
	HullNetports *np = state;
	const char *path = hull_file_get_path(file);
	HullSvcParseFunc parse = hull_svc_parser_for_path(path);
	if (parse == NULL)
		return TRUE;
	HullSvcConfig *cfg = parse(path, (const char *)data, len);
	cfg->layer = hull_file_get_layer(file);
	for (guint i = 0; i < cfg->notes->len; i++)
		hull_scan_add_note(scan, np->ctx, "%s", (const char *)g_ptr_array_index(cfg->notes, i));
	g_mutex_lock(&np->lock);
	g_ptr_array_add(np->configs, cfg);
	g_mutex_unlock(&np->lock);
	return TRUE;
}

static gboolean
hull_netports_is_root(const char *user)
{
	if (user == NULL || user[0] == '\0')
		return TRUE;
	g_autofree gchar *name = g_strdup(user);
	char *colon = strchr(name, ':');
	if (colon != NULL)
		*colon = '\0';
	return g_str_equal(name, "root") || g_str_equal(name, "0");
}

static void
hull_netports_dockerfiles(HullNetports *np, HullScan *scan)
{
	guint n = hull_scan_get_n_dockerfiles(scan);
	for (guint i = 0; i < n; i++) {
		HullDockerfile *df = hull_scan_get_dockerfile(scan, i);
		const char *path = hull_dockerfile_get_path(df);
		/* The image config already lists the ports history's EXPOSE lines produced. */
		if (np->have_image_ports && g_strcmp0(path, "image-history") == 0)
			continue;
		guint last_stage = hull_dockerfile_get_n_stages(df) > 0 ? hull_dockerfile_get_n_stages(df) - 1 : 0;
		guint first = np->exposures->len;
		g_autofree gchar *user = NULL;
		for (guint k = 0; k < hull_dockerfile_get_n_instructions(df); k++) {
			const HullInstruction *insn = hull_dockerfile_get_instruction(df, k);
			const char *kw = hull_instruction_get_keyword(insn);
			/* Only the final stage becomes the image. */
			if (hull_instruction_get_stage(insn) != (int)last_stage)
				continue;
			const char *const *args = hull_instruction_get_args(insn);
			if (g_strcmp0(kw, "USER") == 0 && args != NULL && args[0] != NULL) {
				g_free(user);
				user = g_strdup(args[0]);
			}
			if (g_strcmp0(kw, "EXPOSE") != 0 || args == NULL)
				continue;
			for (guint a = 0; args[a] != NULL; a++) {
				/* Shell form arrives as one string: split on blanks. */
				g_auto(GStrv) words = hull_line_split(args[a], 1024);
				for (guint w = 0; words[w] != NULL; w++)
					hull_netports_add_port_text(np, scan, words[w], "dockerfile", "EXPOSE", path,
					                            hull_instruction_get_start_line(insn),
					                            hull_instruction_get_layer(insn), NULL);
			}
		}
		/* The final USER applies to every port this Dockerfile's image exposes. */
		for (guint k = first; k < np->exposures->len; k++) {
			HullExposure *e = g_ptr_array_index(np->exposures, k);
			e->user = g_strdup(user);
		}
	}
}

static void
hull_netports_k8s(HullNetports *np, HullScan *scan)
{
	g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func((GDestroyNotify)hull_net_doc_free);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	guint n = hull_scan_get_n_k8s_objects(scan);
	for (guint i = 0; i < n; i++) {
		HullK8sObject *o = hull_scan_get_k8s_object(scan, i);
		g_ptr_array_add(docs, hull_net_doc_new(hull_k8s_object_get_kind(o), hull_k8s_object_get_namespace(o),
		                                       hull_k8s_object_get_name(o), hull_k8s_object_get_ref(o),
		                                       hull_k8s_object_get_path(o), hull_k8s_object_get_line(o),
		                                       hull_k8s_object_get_layer(o), hull_k8s_object_get_document(o)));
	}
	hull_k8s_analyse(docs, np->cat, np->exposures, np->issues, notes);
	for (guint i = 0; i < notes->len; i++)
		hull_scan_add_note(scan, np->ctx, "%s", (const char *)g_ptr_array_index(notes, i));
}

static void
hull_netports_emit_port_fact(HullNetports *np, HullBus *bus, const HullExposure *e)
{
	HullFact *f = hull_fact_new("port");
	g_autofree gchar *port = e->range.lo == e->range.hi ? g_strdup_printf("%u", e->range.lo)
	                                                     : g_strdup_printf("%u-%u", e->range.lo, e->range.hi);
	hull_fact_set(f, "port", port);
	hull_fact_set(f, "protocol", hull_proto_to_string(e->range.proto));
	hull_fact_set(f, "source", e->source);
	if (e->path != NULL)
		hull_fact_set(f, "path", e->path);
	if (e->line != 0)
		hull_fact_set_int(f, "line", e->line);
	if (e->object != NULL)
		hull_fact_set(f, "object", e->object);
	hull_fact_set(f, "exposure", e->exposure);
	hull_bus_emit_fact(bus, np->ctx, f);
}

static gint
hull_netports_cfg_cmp(gconstpointer a, gconstpointer b)
{
	const HullSvcConfig *x = *(const HullSvcConfig *const *)a, *y = *(const HullSvcConfig *const *)b;
	return g_strcmp0(x->path, y->path);
}

typedef struct {
	HullFs *fs;
	GPtrArray *nginx;
	GHashTable *aliases;
} HullNginxAliasWalk;

static gboolean
hull_netports_alias_cb(const HullFile *file, gpointer user_data)
{
	HullNginxAliasWalk *aw = user_data;
	const char *path = hull_file_get_path(file);
	if (hull_file_get_kind(file) != HULL_FILE_KIND_SYMLINK || !g_str_has_prefix(path, "/etc/nginx/"))
		return TRUE;
	const HullFile *target = hull_fs_resolve(aw->fs, path);
	if (target == NULL)
		return TRUE;
	for (guint i = 0; i < aw->nginx->len; i++) {
		HullSvcConfig *c = g_ptr_array_index(aw->nginx, i);
		if (g_strcmp0(c->path, hull_file_get_path(target)) == 0)
			g_hash_table_insert(aw->aliases, g_strdup(path), c);
	}
	return TRUE;
}

/* Debian enables a site by symlinking sites-available/x into sites-enabled/: the walker
 * hands over the regular file only, so map the links to the configs they point at. */
static GHashTable *
hull_netports_nginx_aliases(HullScan *scan, GPtrArray *nginx)
{
	HullNginxAliasWalk aw = {
		.fs = hull_scan_get_fs(scan),
		.nginx = nginx,
		.aliases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	};
	if (nginx->len > 0)
		hull_fs_foreach(aw.fs, hull_netports_alias_cb, &aw);
	return aw.aliases;
}

static gboolean
hull_netports_scan_collect(gpointer state, HullScan *scan, GError **error)
{
	HullNetports *np = state;
	HullBus *bus = hull_scan_get_bus(scan);
	g_mutex_lock(&np->lock);
	/* Files arrived in thread order: sort for reproducible facts and findings. */
	g_ptr_array_sort(np->configs, hull_netports_cfg_cmp);
	hull_netports_dockerfiles(np, scan);
	hull_netports_k8s(np, scan);

	/* nginx files only count when nginx.conf pulls them in. */
	g_autoptr(GPtrArray) nginx = g_ptr_array_new();
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < np->configs->len; i++) {
		HullSvcConfig *c = g_ptr_array_index(np->configs, i);
		if (g_str_equal(c->service, "nginx"))
			g_ptr_array_add(nginx, c);
	}
	g_autoptr(GHashTable) aliases = hull_netports_nginx_aliases(scan, nginx);
	g_autoptr(GPtrArray) live = hull_nginx_resolve(nginx, aliases, HULL_NGINX_MAX_DEPTH, notes);
	for (guint i = 0; i < notes->len; i++)
		hull_scan_add_note(scan, np->ctx, "%s", (const char *)g_ptr_array_index(notes, i));
	for (guint i = 0; i < nginx->len; i++) {
		HullSvcConfig *c = g_ptr_array_index(nginx, i);
		if (!g_ptr_array_find(live, c, NULL))
			g_ptr_array_set_size(c->listens, 0);
	}

	for (guint i = 0; i < np->configs->len; i++) {
		HullSvcConfig *c = g_ptr_array_index(np->configs, i);
		g_autoptr(GString) listen = g_string_new(NULL);
		for (guint j = 0; j < c->listens->len; j++) {
			HullSvcListen *l = g_ptr_array_index(c->listens, j);
			HullPortRange r = { l->port != 0 ? l->port : c->default_port, 0, HULL_PROTO_TCP };
			r.hi = r.lo;
			g_string_append_printf(listen, "%s%s:%u", listen->len > 0 ? "," : "",
			                       l->addr[0] != '\0' ? l->addr : "*", r.lo);
			HullExposure *e = hull_exposure_new(&r, "service-config", "listen", c->path, l->line, c->layer, NULL);
			e->judged = TRUE;
			g_ptr_array_add(np->exposures, e);
		}
		if (c->listens->len == 0 && c->auth == NULL)
			continue;
		HullFact *f = hull_fact_new("service");
		hull_fact_set(f, "name", c->service);
		hull_fact_set(f, "path", c->path);
		hull_fact_set(f, "listen", listen->str);
		if (c->auth != NULL)
			hull_fact_set(f, "auth", c->auth);
		hull_bus_emit_fact(bus, np->ctx, f);
	}
	for (guint i = 0; i < np->exposures->len; i++)
		hull_netports_emit_port_fact(np, bus, g_ptr_array_index(np->exposures, i));
	g_mutex_unlock(&np->lock);
	return TRUE;
}

static void
hull_netports_on_fact(gpointer state, HullScan *scan, const HullFact *fact)
{
	HullNetports *np = state;
	if (g_strcmp0(hull_fact_get_kind(fact), "package") != 0)
		return;
	const char *name = hull_fact_get(fact, "name");
	if (name == NULL)
		return;
	g_mutex_lock(&np->lock);
	np->have_packages = TRUE;
	g_hash_table_replace(np->packages, g_strdup(name), g_strdup(hull_fact_get(fact, "version") ?: "?"));
	g_mutex_unlock(&np->lock);
}

static void
hull_netports_emit_issue(HullNetports *np, HullBus *bus, const HullNetIssue *i)
{
	HullFinding *f = hull_finding_new(np->ctx, i->rule_id);
	hull_finding_set_severity(f, i->severity);
	hull_finding_set_message(f, "%s", i->message);
	if (i->path != NULL)
		hull_finding_set_path(f, i->path);
	if (i->line != 0)
		hull_finding_set_line(f, i->line);
	if (i->layer >= 0)
		hull_finding_set_layer(f, i->layer);
	if (i->object != NULL)
		hull_finding_set_object(f, i->object);
	hull_bus_emit(bus, f);
}

/* "openssh-server 1:9.2p1-2 installed; /etc/ssh/sshd_config: PermitRootLogin yes" for the
 * correlated message, and whether anything in the image could serve @e. */
static gboolean
hull_netports_what_serves(HullNetports *np, HullScan *scan, const HullPortEntry *entry, const HullPortRange *r,
                          GString *out)
{
	gboolean served = FALSE;
	for (guint k = 0; entry->packages[k] != NULL; k++) {
		const char *v = g_hash_table_lookup(np->packages, entry->packages[k]);
		if (v == NULL)
			continue;
		g_string_append_printf(out, "; %s %s installed", entry->packages[k], v);
		served = TRUE;
		break;
	}
	HullFs *fs = hull_scan_get_fs(scan);
	for (guint k = 0; !served && entry->binaries[k] != NULL; k++) {
		if (hull_fs_resolve(fs, entry->binaries[k]) != NULL) {
			g_string_append_printf(out, "; %s present", entry->binaries[k]);
			served = TRUE;
		}
	}
	for (guint i = 0; i < np->configs->len; i++) {
		HullSvcConfig *c = g_ptr_array_index(np->configs, i);
		for (guint j = 0; j < c->listens->len; j++) {
			HullSvcListen *l = g_ptr_array_index(c->listens, j);
			guint p = l->port != 0 ? l->port : c->default_port;
			if (p < r->lo || p > r->hi || r->proto != HULL_PROTO_TCP)
				continue;
			g_string_append_printf(out, "; %s", c->path);
			if (l->line != 0)
				g_string_append_printf(out, " (line %u)", l->line);
			g_string_append_printf(out, " listens on %s:%u%s", l->addr[0] != '\0' ? l->addr : "*", p,
			                       l->line == 0 ? " by default" : "");
			if (c->summary != NULL)
				g_string_append_printf(out, " with %s", c->summary);
			served = TRUE;
			break;
		}
	}
	return served;
}

static gboolean
hull_netports_scan_end(gpointer state, HullScan *scan, GError **error)
{
	HullNetports *np = state;
	HullBus *bus = hull_scan_get_bus(scan);
	g_mutex_lock(&np->lock);
	const char *type = hull_scan_get_target_type(scan);
	gboolean has_fs = (g_strcmp0(type, "image") == 0 || g_strcmp0(type, "rootfs") == 0) &&
	                  hull_fs_get_n_entries(hull_scan_get_fs(scan)) > 0;

	for (guint i = 0; i < np->issues->len; i++)
		hull_netports_emit_issue(np, bus, g_ptr_array_index(np->issues, i));
	for (guint i = 0; i < np->configs->len; i++) {
		HullSvcConfig *c = g_ptr_array_index(np->configs, i);
		for (guint j = 0; j < c->issues->len; j++) {
			HullSvcIssue *si = g_ptr_array_index(c->issues, j);
			g_autoptr(HullNetIssue) ni = hull_net_issue_new(si->rule_id, si->severity, c->path, si->line, c->layer,
			                                                NULL, "%s", si->message);
			hull_netports_emit_issue(np, bus, ni);
		}
	}

	for (guint i = 0; i < np->exposures->len; i++) {
		HullExposure *e = g_ptr_array_index(np->exposures, i);
		if (e->judged)
			continue;
		g_autofree gchar *ps = hull_port_range_to_string(&e->range);
		g_autofree gchar *where = e->path != NULL ? g_strdup_printf("%s in %s", e->exposure, e->path)
		                                          : g_strdup_printf("the image config's %s", e->exposure);
		if (!hull_netports_is_root(e->user) && e->range.lo < 1024) {
			g_autoptr(HullNetIssue) ni = hull_net_issue_new("NET-0008", HULL_SEVERITY_LOW, e->path, e->line, e->layer,
			                                                e->object, "port %s is exposed via %s but the image runs "
			                                                "as user \"%s\": binding a port below 1024 needs "
			                                                "CAP_NET_BIND_SERVICE", ps, where, e->user);
			hull_netports_emit_issue(np, bus, ni);
		}
		const HullPortEntry *entry = hull_port_catalogue_lookup(np->cat, &e->range);
		if (entry == NULL)
			continue;
		g_autoptr(GString) serves = g_string_new(NULL);
		gboolean served = hull_netports_what_serves(np, scan, entry, &e->range, serves);
		gboolean ssh = g_str_equal(entry->service, "ssh");
		g_autoptr(HullNetIssue) ni = hull_net_issue_new(ssh ? "NET-0002" : "NET-0001",
		                                                e->external ? entry->exposed_severity : entry->severity,
		                                                e->path, e->line, e->layer, e->object,
		                                                "port %s (%s, %s) is exposed via %s%s", ps, entry->service,
		                                                entry->category, where, serves->str);
		hull_netports_emit_issue(np, bus, ni);
		if (has_fs && !served && (entry->packages[0] != NULL || entry->binaries[0] != NULL)) {
			g_autoptr(HullNetIssue) nx = hull_net_issue_new("NET-0011",
			                                                np->have_packages ? HULL_SEVERITY_LOW : HULL_SEVERITY_UNKNOWN,
			                                                e->path, e->line, e->layer, e->object,
			                                                "port %s (%s) is exposed via %s, but no package or binary "
			                                                "that serves %s is in the image%s", ps, entry->service,
			                                                where, entry->service,
			                                                np->have_packages ? "" : " (no package list was available)");
			hull_netports_emit_issue(np, bus, nx);
		}
	}
	g_mutex_unlock(&np->lock);
	return TRUE;
}

static const char *const hull_netports_fact_kinds[] = { "package", "os", NULL };

static HullPluginDescriptor hull_netports_descriptor = {
	.abi_major = HULL_ABI_MAJOR,
	.abi_minor = HULL_ABI_MINOR,
	.struct_size = sizeof(HullPluginDescriptor),
	.name = "network-ports",
	.version = "0.1.0",
	.description = "Exposed ports from image config, Dockerfiles, Kubernetes and service configs, "
	               "correlated with installed packages",
	.license = "Apache-2.0",
	.vendor = "hullscan",
	/* Results depend on the image, options and rule data found through the core only. */
	.capabilities = HULL_CAP_CACHEABLE,
	.rules = hull_netports_rules,
	.n_rules = G_N_ELEMENTS(hull_netports_rules),
	.max_file_size = 4 * 1024 * 1024,
	.file_flags = HULL_INTEREST_WHOLE_FILE | HULL_INTEREST_TEXT_ONLY,
	.fact_kinds = hull_netports_fact_kinds,
	.init = hull_netports_init,
	.destroy = hull_netports_destroy,
	.file_chunk = hull_netports_file_chunk,
	.scan_begin = hull_netports_scan_begin,
	.scan_collect = hull_netports_scan_collect,
	.on_fact = hull_netports_on_fact,
	.scan_end = hull_netports_scan_end,
};

HULL_EXPORT const HullPluginDescriptor *
hull_plugin_get_descriptor(void)
{
	/* file_globs comes from the parser table so the two never disagree. */
	hull_netports_descriptor.file_globs = hull_svc_file_globs();
	return &hull_netports_descriptor;
}
