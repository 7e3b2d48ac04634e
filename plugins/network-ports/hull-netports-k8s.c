/* hull-netports-k8s.c: network exposure in Kubernetes objects. Workloads say which ports
 * their containers open and whether they share the node's network, PID or IPC namespace;
 * Services of type NodePort/LoadBalancer (or with externalIPs) publish ports outside the
 * cluster; Ingresses, Gateway API routes and Istio VirtualServices route outside traffic
 * to Services. Joining these (route → Service → selected workload, in one namespace) tells
 * which workloads the internet can reach, as kubescape's C-0256 does. */
#include <string.h>
#include "hull-netports.h"

HullExposure *
hull_exposure_new(const HullPortRange *range, const char *source, const char *exposure, const char *path,
                  guint line, int layer, const char *object)
{
	HullExposure *e = g_new0(HullExposure, 1);
	e->range = *range;
	e->source = source;
	e->exposure = g_strdup(exposure);
	e->path = g_strdup(path);
	e->line = line;
	e->layer = layer;
	e->object = g_strdup(object);
	return e;
}

void
hull_exposure_free(HullExposure *e)
{
	g_free(e->exposure);
	g_free(e->path);
	g_free(e->object);
	g_free(e->user);
	g_free(e);
}

HullNetIssue *
hull_net_issue_new(const char *rule_id, HullSeverity severity, const char *path, guint line, int layer,
                   const char *object, const char *format, ...)
{
	va_list ap;
	HullNetIssue *i = g_new0(HullNetIssue, 1);
	i->rule_id = rule_id;
	i->severity = severity;
	i->path = g_strdup(path);
	i->line = line;
	i->layer = layer;
	i->object = g_strdup(object);
	va_start(ap, format);
	i->message = g_strdup_vprintf(format, ap);
	va_end(ap);
	return i;
}

void
hull_net_issue_free(HullNetIssue *issue)
{
	g_free(issue->path);
	g_free(issue->object);
	g_free(issue->message);
	g_free(issue);
}

HullNetDoc *
hull_net_doc_new(const char *kind, const char *ns, const char *name, const char *ref, const char *path,
                 guint line, int layer, JsonObject *doc)
{
	HullNetDoc *d = g_new0(HullNetDoc, 1);
	d->kind = g_strdup(kind != NULL ? kind : "");
	d->ns = g_strdup(ns != NULL && ns[0] != '\0' ? ns : "default");
	d->name = g_strdup(name != NULL ? name : "");
	d->ref = ref != NULL ? g_strdup(ref) : g_strdup_printf("%s/%s", d->kind, d->name);
	d->path = g_strdup(path);
	d->line = line;
	d->layer = layer;
	d->doc = doc != NULL ? json_object_ref(doc) : json_object_new();
	return d;
}

void
hull_net_doc_free(HullNetDoc *doc)
{
	g_free(doc->kind);
	g_free(doc->ns);
	g_free(doc->name);
	g_free(doc->ref);
	g_free(doc->path);
	json_object_unref(doc->doc);
	g_free(doc);
}

/* ---- small JSON helpers: every step tolerates a wrong type ---- */

static JsonObject *
hull_obj(JsonObject *o, const char *member)
{
	if (o == NULL)
		return NULL;
	JsonNode *n = json_object_get_member(o, member);
	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *
hull_arr(JsonObject *o, const char *member)
{
	if (o == NULL)
		return NULL;
	JsonNode *n = json_object_get_member(o, member);
	return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static const char *
hull_str(JsonObject *o, const char *member)
{
	if (o == NULL)
		return NULL;
	JsonNode *n = json_object_get_member(o, member);
	return n != NULL && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
	           ? json_node_get_string(n) : NULL;
}

static gboolean
hull_true(JsonObject *o, const char *member)
{
	if (o == NULL)
		return FALSE;
	JsonNode *n = json_object_get_member(o, member);
	return n != NULL && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_BOOLEAN &&
	       json_node_get_boolean(n);
}

static JsonObject *
hull_arr_obj(JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element(a, i);
	return JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* The pod template of a workload: (spec, metadata) or FALSE for other kinds. */
static gboolean
hull_k8s_pod_template(HullNetDoc *d, JsonObject **spec, JsonObject **meta)
{
	JsonObject *root = d->doc;
	if (g_str_equal(d->kind, "Pod")) {
		*spec = hull_obj(root, "spec");
		*meta = hull_obj(root, "metadata");
		return *spec != NULL;
	}
	JsonObject *s = hull_obj(root, "spec");
	if (g_str_equal(d->kind, "CronJob"))
		s = hull_obj(hull_obj(s, "jobTemplate"), "spec");
	else if (!(g_str_equal(d->kind, "Deployment") || g_str_equal(d->kind, "StatefulSet") ||
	           g_str_equal(d->kind, "DaemonSet") || g_str_equal(d->kind, "ReplicaSet") ||
	           g_str_equal(d->kind, "ReplicationController") || g_str_equal(d->kind, "Job") ||
	           g_str_equal(d->kind, "PodTemplate")))
		return FALSE;
	JsonObject *tmpl = hull_obj(s, "template");
	*spec = hull_obj(tmpl, "spec");
	*meta = hull_obj(tmpl, "metadata");
	return *spec != NULL;
}

/* Every selector key is a label with the same value; an empty selector selects nothing
 * (a Service without a selector is backed by hand-made Endpoints). */
static gboolean
hull_k8s_selects(JsonObject *selector, JsonObject *labels)
{
	if (selector == NULL || json_object_get_size(selector) == 0 || labels == NULL)
		return FALSE;
	g_autoptr(GList) keys = json_object_get_members(selector);
	for (GList *l = keys; l != NULL; l = l->next) {
		const char *want = hull_str(selector, l->data);
		const char *have = hull_str(labels, l->data);
		if (want == NULL || have == NULL || !g_str_equal(want, have))
			return FALSE;
	}
	return TRUE;
}

typedef struct {
	GPtrArray *docs;
	HullPortCatalogue *cat;
	GPtrArray *exposures;
	GPtrArray *issues;
	GPtrArray *notes;
	GHashTable *reported;  /* "workload\nexposer" pairs already reported */
} HullK8sWalk;

static void
hull_k8s_note(HullK8sWalk *w, HullNetDoc *d, const char *what, const GError *error)
{
	if (w->notes->len < 256)
		g_ptr_array_add(w->notes, g_strdup_printf("%s (%s:%u): %s: %s", d->ref, d->path != NULL ? d->path : "?",
		                                          d->line, what, error->message));
}

static HullProto
hull_k8s_proto(HullK8sWalk *w, HullNetDoc *d, JsonObject *port)
{
	HullProto p = HULL_PROTO_TCP;
	const char *s = hull_str(port, "protocol");
	if (s != NULL && !hull_proto_from_string(s, &p)) {
		g_autoptr(GError) e = g_error_new(HULL_PORT_ERROR, 0, "unknown protocol \"%.32s\", read as TCP", s);
		hull_k8s_note(w, d, "port", e);
	}
	return p;
}

static void
hull_k8s_risky(HullK8sWalk *w, HullNetDoc *d, const HullPortRange *r, const char *how, gboolean external,
               const char *container)
{
	const HullPortEntry *e = hull_port_catalogue_lookup(w->cat, r);
	g_autofree gchar *ps = hull_port_range_to_string(r);
	if (e == NULL)
		return;
	gboolean ssh = g_str_equal(e->service, "ssh");
	/* A plain containerPort is reachable inside the cluster only: report SSH alone there,
	 * as kube-linter's ssh-port does. */
	if (!external && !ssh)
		return;
	g_ptr_array_add(w->issues, hull_net_issue_new(ssh ? "NET-0002" : "NET-0001",
	                                              external ? e->exposed_severity : e->severity, d->path, d->line,
	                                              d->layer, d->ref,
	                                              "port %s (%s, %s) of container \"%s\" is exposed via %s",
	                                              ps, e->service, e->category, container, how));
}

static void
hull_k8s_workload(HullK8sWalk *w, HullNetDoc *d, JsonObject *spec)
{
	gboolean host_net = hull_true(spec, "hostNetwork");
	if (host_net)
		g_ptr_array_add(w->issues, hull_net_issue_new("NET-0003", HULL_SEVERITY_HIGH, d->path, d->line, d->layer, d->ref,
		                                              "%s shares the node's network namespace (hostNetwork: true): "
		                                              "its ports open on the node and it can reach the node's "
		                                              "loopback services", d->ref));
	if (hull_true(spec, "hostPID") || hull_true(spec, "hostIPC"))
		g_ptr_array_add(w->issues, hull_net_issue_new("NET-0005", HULL_SEVERITY_HIGH, d->path, d->line, d->layer, d->ref,
		                                              "%s shares the node's %s%s%s namespace: the node's processes "
		                                              "are exposed to it", d->ref,
		                                              hull_true(spec, "hostPID") ? "PID" : "",
		                                              hull_true(spec, "hostPID") && hull_true(spec, "hostIPC") ? " and " : "",
		                                              hull_true(spec, "hostIPC") ? "IPC" : ""));
	static const char *const lists[] = { "initContainers", "containers", "ephemeralContainers" };
	for (guint l = 0; l < G_N_ELEMENTS(lists); l++) {
		JsonArray *cs = hull_arr(spec, lists[l]);
		for (guint c = 0; cs != NULL && c < json_array_get_length(cs); c++) {
			JsonObject *co = hull_arr_obj(cs, c);
			const char *cname = hull_str(co, "name") ?: "?";
			JsonArray *ports = hull_arr(co, "ports");
			for (guint p = 0; ports != NULL && p < json_array_get_length(ports); p++) {
				JsonObject *po = hull_arr_obj(ports, p);
				if (po == NULL)
					continue;
				g_autoptr(GError) err = NULL;
				guint cport = 0, hport = 0;
				HullProto proto = hull_k8s_proto(w, d, po);
				if (!hull_port_from_json(json_object_get_member(po, "containerPort"), &cport, NULL, &err)) {
					hull_k8s_note(w, d, "containerPort", err);
					continue;
				}
				HullPortRange r = { cport, cport, proto };
				HullExposure *e = hull_exposure_new(&r, "k8s", host_net ? "hostNetwork" : "containerPort", d->path,
				                                    d->line, d->layer, d->ref);
				e->external = host_net;
				e->judged = TRUE;
				g_ptr_array_add(w->exposures, e);
				hull_k8s_risky(w, d, &r, host_net ? "hostNetwork" : "containerPort", host_net, cname);
				JsonNode *hn = json_object_get_member(po, "hostPort");
				if (hn == NULL)
					continue;
				if (JSON_NODE_HOLDS_VALUE(hn) && json_node_get_value_type(hn) == G_TYPE_INT64 &&
				    json_node_get_int(hn) == 0)
					continue; /* 0 means unset */
				g_clear_error(&err);
				if (!hull_port_from_json(hn, &hport, NULL, &err)) {
					hull_k8s_note(w, d, "hostPort", err);
					continue;
				}
				HullPortRange hr = { hport, hport, proto };
				HullExposure *he = hull_exposure_new(&hr, "k8s", "hostPort", d->path, d->line, d->layer, d->ref);
				he->external = TRUE;
				he->judged = TRUE;
				g_ptr_array_add(w->exposures, he);
				g_autofree gchar *hs = hull_port_range_to_string(&hr);
				g_ptr_array_add(w->issues, hull_net_issue_new("NET-0004", HULL_SEVERITY_MEDIUM, d->path, d->line, d->layer,
				                                              d->ref, "container \"%s\" of %s binds node port %s "
				                                              "(hostPort) to containerPort %u", cname, d->ref, hs, cport));
				if (!host_net)
					hull_k8s_risky(w, d, &hr, "hostPort", TRUE, cname);
			}
		}
	}
}

/* containerPort of a named port in the workloads @svc selects, or 0. */
static guint
hull_k8s_resolve_named(HullK8sWalk *w, HullNetDoc *svc, JsonObject *selector, const char *name)
{
	for (guint i = 0; i < w->docs->len; i++) {
		HullNetDoc *d = g_ptr_array_index(w->docs, i);
		JsonObject *spec, *meta;
		if (!g_str_equal(d->ns, svc->ns) || !hull_k8s_pod_template(d, &spec, &meta) ||
		    !hull_k8s_selects(selector, hull_obj(meta, "labels")))
			continue;
		JsonArray *cs = hull_arr(spec, "containers");
		for (guint c = 0; cs != NULL && c < json_array_get_length(cs); c++) {
			JsonArray *ports = hull_arr(hull_arr_obj(cs, c), "ports");
			for (guint p = 0; ports != NULL && p < json_array_get_length(ports); p++) {
				JsonObject *po = hull_arr_obj(ports, p);
				guint v = 0;
				if (g_strcmp0(hull_str(po, "name"), name) == 0 &&
				    hull_port_from_json(json_object_get_member(po, "containerPort"), &v, NULL, NULL))
					return v;
			}
		}
	}
	return 0;
}

/* Reports every workload @svc selects as reachable from outside through @via. */
static void
hull_k8s_expose_workloads(HullK8sWalk *w, HullNetDoc *svc, HullNetDoc *via, const char *how)
{
	JsonObject *selector = hull_obj(hull_obj(svc->doc, "spec"), "selector");
	for (guint i = 0; i < w->docs->len; i++) {
		HullNetDoc *d = g_ptr_array_index(w->docs, i);
		JsonObject *spec, *meta;
		if (!g_str_equal(d->ns, svc->ns) || !hull_k8s_pod_template(d, &spec, &meta) ||
		    !hull_k8s_selects(selector, hull_obj(meta, "labels")))
			continue;
		g_autofree gchar *key = g_strdup_printf("%s\n%s", d->ref, via->ref);
		if (!g_hash_table_add(w->reported, g_steal_pointer(&key)))
			continue;
		if (via == svc)
			g_ptr_array_add(w->issues, hull_net_issue_new("NET-0006", HULL_SEVERITY_MEDIUM, d->path, d->line, d->layer,
			                                              d->ref, "%s is reachable from outside the cluster: %s "
			                                              "(%s) selects it", d->ref, svc->ref, how));
		else
			g_ptr_array_add(w->issues, hull_net_issue_new("NET-0006", HULL_SEVERITY_MEDIUM, d->path, d->line, d->layer,
			                                              d->ref, "%s is reachable from outside the cluster: %s "
			                                              "routes to %s, which selects it", d->ref, via->ref,
			                                              svc->ref));
	}
}

static HullNetDoc *
hull_k8s_find_service(HullK8sWalk *w, const char *ns, const char *name)
{
	for (guint i = 0; i < w->docs->len; i++) {
		HullNetDoc *d = g_ptr_array_index(w->docs, i);
		if (g_str_equal(d->kind, "Service") && g_str_equal(d->ns, ns) && g_str_equal(d->name, name))
			return d;
	}
	return NULL;
}

static void
hull_k8s_service(HullK8sWalk *w, HullNetDoc *d)
{
	JsonObject *spec = hull_obj(d->doc, "spec");
	const char *type = hull_str(spec, "type") ?: "ClusterIP";
	JsonArray *ext = hull_arr(spec, "externalIPs");
	gboolean external = g_str_equal(type, "NodePort") || g_str_equal(type, "LoadBalancer") ||
	                    (ext != NULL && json_array_get_length(ext) > 0);
	if (!external)
		return;
	const char *how = g_str_equal(type, "NodePort") || g_str_equal(type, "LoadBalancer") ? type : "externalIPs";
	hull_k8s_expose_workloads(w, d, d, how);
	JsonObject *selector = hull_obj(spec, "selector");
	JsonArray *ports = hull_arr(spec, "ports");
	for (guint p = 0; ports != NULL && p < json_array_get_length(ports); p++) {
		JsonObject *po = hull_arr_obj(ports, p);
		if (po == NULL)
			continue;
		HullProto proto = hull_k8s_proto(w, d, po);
		g_autoptr(GError) err = NULL;
		guint port = 0, target = 0;
		const char *tname = NULL;
		if (!hull_port_from_json(json_object_get_member(po, "port"), &port, NULL, &err)) {
			hull_k8s_note(w, d, "port", err);
			continue;
		}
		JsonNode *tn = json_object_get_member(po, "targetPort");
		if (tn == NULL) {
			target = port;
		} else if (!hull_port_from_json(tn, &target, &tname, &err)) {
			if (err != NULL)
				hull_k8s_note(w, d, "targetPort", err);
			else if (tname != NULL)
				target = hull_k8s_resolve_named(w, d, selector, tname);
		}
		HullPortRange r = { port, port, proto };
		HullExposure *e = hull_exposure_new(&r, "k8s", how, d->path, d->line, d->layer, d->ref);
		e->external = TRUE;
		e->judged = TRUE;
		g_ptr_array_add(w->exposures, e);
		HullPortRange tr = { target, target, proto };
		const HullPortEntry *entry = hull_port_catalogue_lookup(w->cat, &r);
		if (target != 0) {
			const HullPortEntry *te = hull_port_catalogue_lookup(w->cat, &tr);
			if (te != NULL && (entry == NULL || te->exposed_severity > entry->exposed_severity))
				entry = te;
		}
		if (entry == NULL)
			continue;
		g_autofree gchar *ps = hull_port_range_to_string(&r);
		g_ptr_array_add(w->issues, hull_net_issue_new("NET-0007", entry->exposed_severity, d->path, d->line, d->layer,
		                                              d->ref, "%s publishes port %s (target %u: %s, %s) outside the "
		                                              "cluster through %s", d->ref, ps, target, entry->service,
		                                              entry->category, how));
	}
}

static void
hull_k8s_route_to(HullK8sWalk *w, HullNetDoc *via, const char *ns, const char *name, const char *how)
{
	if (name == NULL)
		return;
	HullNetDoc *svc = hull_k8s_find_service(w, ns != NULL ? ns : via->ns, name);
	if (svc != NULL)
		hull_k8s_expose_workloads(w, svc, via, how);
}

static void
hull_k8s_ingress(HullK8sWalk *w, HullNetDoc *d)
{
	JsonObject *spec = hull_obj(d->doc, "spec");
	JsonObject *def = hull_obj(spec, "defaultBackend") ?: hull_obj(spec, "backend");
	if (def != NULL)
		hull_k8s_route_to(w, d, NULL, hull_str(hull_obj(def, "service"), "name") ?: hull_str(def, "serviceName"), "Ingress");
	JsonArray *rules = hull_arr(spec, "rules");
	for (guint r = 0; rules != NULL && r < json_array_get_length(rules); r++) {
		JsonArray *paths = hull_arr(hull_obj(hull_arr_obj(rules, r), "http"), "paths");
		for (guint p = 0; paths != NULL && p < json_array_get_length(paths); p++) {
			JsonObject *b = hull_obj(hull_arr_obj(paths, p), "backend");
			hull_k8s_route_to(w, d, NULL, hull_str(hull_obj(b, "service"), "name") ?: hull_str(b, "serviceName"),
			                  "Ingress");
		}
	}
}

/* HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute: rules[].backendRefs[]. */
static void
hull_k8s_gateway_route(HullK8sWalk *w, HullNetDoc *d)
{
	JsonArray *rules = hull_arr(hull_obj(d->doc, "spec"), "rules");
	for (guint r = 0; rules != NULL && r < json_array_get_length(rules); r++) {
		JsonArray *refs = hull_arr(hull_arr_obj(rules, r), "backendRefs");
		for (guint i = 0; refs != NULL && i < json_array_get_length(refs); i++) {
			JsonObject *ref = hull_arr_obj(refs, i);
			const char *kind = hull_str(ref, "kind");
			if (kind != NULL && !g_str_equal(kind, "Service"))
				continue;
			hull_k8s_route_to(w, d, hull_str(ref, "namespace"), hull_str(ref, "name"), d->kind);
		}
	}
}

/* Istio VirtualService bound to a Gateway: {http,tcp,tls}[].route[].destination.host,
 * where host is "svc", "svc.ns" or "svc.ns.svc.<domain>". */
static void
hull_k8s_virtual_service(HullK8sWalk *w, HullNetDoc *d)
{
	JsonObject *spec = hull_obj(d->doc, "spec");
	JsonArray *gws = hull_arr(spec, "gateways");
	gboolean gateway = FALSE;
	for (guint i = 0; gws != NULL && i < json_array_get_length(gws); i++) {
		JsonNode *n = json_array_get_element(gws, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING &&
		    !g_str_equal(json_node_get_string(n), "mesh"))
			gateway = TRUE;
	}
	if (!gateway)
		return;
	static const char *const kinds[] = { "http", "tcp", "tls" };
	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		JsonArray *routes = hull_arr(spec, kinds[k]);
		for (guint r = 0; routes != NULL && r < json_array_get_length(routes); r++) {
			JsonArray *dests = hull_arr(hull_arr_obj(routes, r), "route");
			for (guint i = 0; dests != NULL && i < json_array_get_length(dests); i++) {
				const char *host = hull_str(hull_obj(hull_arr_obj(dests, i), "destination"), "host");
				if (host == NULL)
					continue;
				g_auto(GStrv) parts = g_strsplit(host, ".", 3);
				hull_k8s_route_to(w, d, parts[1] != NULL ? parts[1] : NULL, parts[0], "VirtualService");
			}
		}
	}
}

void
hull_k8s_analyse(GPtrArray *docs, HullPortCatalogue *cat, GPtrArray *exposures, GPtrArray *issues, GPtrArray *notes)
{
	HullK8sWalk w = {
		.docs = docs,
		.cat = cat,
		.exposures = exposures,
		.issues = issues,
		.notes = notes,
		.reported = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	};
	for (guint i = 0; i < docs->len; i++) {
		HullNetDoc *d = g_ptr_array_index(docs, i);
		JsonObject *spec, *meta;
		if (hull_k8s_pod_template(d, &spec, &meta))
			hull_k8s_workload(&w, d, spec);
		else if (g_str_equal(d->kind, "Service"))
			hull_k8s_service(&w, d);
		else if (g_str_equal(d->kind, "Ingress"))
			hull_k8s_ingress(&w, d);
		else if (g_str_equal(d->kind, "HTTPRoute") || g_str_equal(d->kind, "GRPCRoute") ||
		         g_str_equal(d->kind, "TCPRoute") || g_str_equal(d->kind, "TLSRoute") ||
		         g_str_equal(d->kind, "UDPRoute"))
			hull_k8s_gateway_route(&w, d);
		else if (g_str_equal(d->kind, "VirtualService"))
			hull_k8s_virtual_service(&w, d);
	}
	g_hash_table_unref(w.reported);
}
