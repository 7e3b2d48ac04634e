/* hull-netports.h: the network-ports plugin's internal interfaces: the port/range parser,
 * the data-driven port catalogue, the service-config parsers (one file each) and the
 * Kubernetes exposure walk. Nothing here is part of the SDK; the test program links these
 * directly to exercise each piece without a scan. */
#pragma once

#include <hullscan/hullscan.h>

G_BEGIN_DECLS

/* ---- Ports and ranges (hull-port.c) ---- */

typedef enum {
	HULL_PROTO_TCP = 0,
	HULL_PROTO_UDP,
	HULL_PROTO_SCTP,
} HullProto;

/* One port or an inclusive range; ranges are never expanded into one entry per port. */
typedef struct {
	guint lo;
	guint hi;
	HullProto proto;
} HullPortRange;

#define HULL_PORT_ERROR (hull_port_error_quark())
GQuark hull_port_error_quark(void);

/* "tcp", "udp", "sctp". */
const char *hull_proto_to_string(HullProto proto);
/* Case-insensitive; FALSE for anything else. */
gboolean hull_proto_from_string(const char *text, HullProto *out);
/* Parses "80", "80/tcp", "8000-8010/udp" (decimal only; 1..65535, lo <= hi). @default_proto
 * applies when no "/proto" is given. FALSE with @error naming the text and the reason. */
gboolean hull_port_parse(const char *text, HullProto default_proto, HullPortRange *out, GError **error);
/* A Kubernetes port field: a JSON integer, or a string holding digits. A non-numeric string
 * is a named port: with @name non-NULL, returns FALSE with *@name set (transfer none, points
 * into @node) and no error; with @name NULL (fields that take numbers only) it is an error.
 * Other values fail with @error. */
gboolean hull_port_from_json(JsonNode *node, guint *out, const char **name, GError **error);
/* "22/tcp" or "8000-8010/udp". (transfer full) */
gchar *hull_port_range_to_string(const HullPortRange *range);
gboolean hull_port_range_overlaps(const HullPortRange *a, const HullPortRange *b);

/* ---- The catalogue of risky ports (hull-port-catalogue.c) ---- */

typedef struct {
	HullPortRange range;
	gchar *service;           /* "ssh", "docker-api", … */
	gchar *category;          /* "remote-access", "database", "cache", "admin", … */
	HullSeverity severity;    /* exposed by an image or Dockerfile */
	HullSeverity exposed_severity; /* reachable from outside: hostPort, NodePort, LoadBalancer */
	gchar **packages;         /* packages that ship a server for it (may be empty) */
	gchar **binaries;         /* absolute paths of such servers (may be empty) */
	gchar **references;
	gchar *description;
} HullPortEntry;

typedef struct _HullPortCatalogue HullPortCatalogue;

/* Loads the JSON catalogue (configs/ports/catalogue.json). FALSE with @error naming the
 * file and the entry for malformed data. (transfer full) */
HullPortCatalogue *hull_port_catalogue_load(const char *filename, GError **error);
HullPortCatalogue *hull_port_catalogue_load_data(const char *name, const char *data, gsize len, GError **error);
void hull_port_catalogue_free(HullPortCatalogue *cat);
guint hull_port_catalogue_get_n_entries(HullPortCatalogue *cat);
/* The most severe entry overlapping @range, or NULL. (transfer none) */
const HullPortEntry *hull_port_catalogue_lookup(HullPortCatalogue *cat, const HullPortRange *range);
/* The entry whose service name is @service, or NULL. (transfer none) */
const HullPortEntry *hull_port_catalogue_find_service(HullPortCatalogue *cat, const char *service);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullPortCatalogue, hull_port_catalogue_free)

/* ---- Service configs (hull-svc-*.c) ---- */

typedef struct {
	gchar *addr;      /* as written; "*" or "" for every interface */
	guint port;       /* 0: the service's default */
	guint line;
} HullSvcListen;

typedef struct {
	const char *rule_id;
	HullSeverity severity;
	guint line;
	gchar *message;
} HullSvcIssue;

typedef struct {
	gchar *service;       /* "sshd", "nginx", "apache", "redis", "postgresql", "pg_hba",
	                       * "mongod", "mysql", "memcached", "dockerd" */
	gchar *path;
	int layer;
	guint default_port;
	GPtrArray *listens;   /* HullSvcListen* */
	GPtrArray *issues;    /* HullSvcIssue* */
	GPtrArray *includes;  /* gchar*: include patterns (nginx), as written */
	GPtrArray *notes;     /* gchar*: problems with the file itself */
	gchar *auth;          /* "none", "password", "trust", "tls", … or NULL when unknown */
	gchar *summary;       /* settings worth quoting in a correlated finding, or NULL */
	gboolean listens_capped;
} HullSvcConfig;

/* Longest line a config parser looks at; longer lines are skipped with a note. */
#define HULL_SVC_MAX_LINE 8192
/* At most this many listen entries are kept per file (a note says so). */
#define HULL_SVC_MAX_LISTENS 256

typedef HullSvcConfig *(*HullSvcParseFunc)(const char *path, const char *data, gsize len);

HullSvcConfig *hull_svc_config_new(const char *service, const char *path, guint default_port);
void hull_svc_config_free(HullSvcConfig *cfg);
void hull_svc_config_add_listen(HullSvcConfig *cfg, const char *addr, guint port, guint line);
void hull_svc_config_add_issue(HullSvcConfig *cfg, const char *rule_id, HullSeverity severity, guint line,
                               const char *format, ...) G_GNUC_PRINTF(5, 6);
void hull_svc_config_add_note(HullSvcConfig *cfg, const char *format, ...) G_GNUC_PRINTF(2, 3);
/* Is @addr a wildcard ("", "*", "0.0.0.0", "::", "[::]")? */
gboolean hull_svc_addr_is_any(const char *addr);
/* Is @addr loopback-only ("127.x", "::1", "localhost")? */
gboolean hull_svc_addr_is_loopback(const char *addr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullSvcConfig, hull_svc_config_free)

/* Line iterator shared by the parsers: skips blank lines and '#' comments, strips, reports
 * (once per file) lines longer than HULL_SVC_MAX_LINE and NUL bytes. */
typedef struct {
	const char *p;
	const char *end;
	guint lineno;
	HullSvcConfig *cfg;
	gboolean warned_long;
	gchar *buf;
	guint indent;         /* leading blanks of the current line before stripping */
} HullLineIter;
void hull_line_iter_init(HullLineIter *it, HullSvcConfig *cfg, const char *data, gsize len);
/* Next meaningful line (transfer none, valid until the next call) or NULL at the end. */
const char *hull_line_iter_next(HullLineIter *it, const char *comment_chars);
void hull_line_iter_clear(HullLineIter *it);
/* Splits a line into whitespace-separated words (at most @max). (transfer full) */
gchar **hull_line_split(const char *line, guint max);
/* Parses a decimal port; FALSE when not 1..65535. */
gboolean hull_svc_parse_port(const char *text, guint *out);

HullSvcConfig *hull_svc_parse_sshd(const char *path, const char *data, gsize len);
HullSvcConfig *hull_svc_parse_nginx(const char *path, const char *data, gsize len);
HullSvcConfig *hull_svc_parse_apache(const char *path, const char *data, gsize len);
HullSvcConfig *hull_svc_parse_redis(const char *path, const char *data, gsize len);
HullSvcConfig *hull_svc_parse_postgresql(const char *path, const char *data, gsize len);
HullSvcConfig *hull_svc_parse_pg_hba(const char *path, const char *data, gsize len);
HullSvcConfig *hull_svc_parse_mongod(const char *path, const char *data, gsize len);
HullSvcConfig *hull_svc_parse_mysql(const char *path, const char *data, gsize len);
HullSvcConfig *hull_svc_parse_memcached(const char *path, const char *data, gsize len);
HullSvcConfig *hull_svc_parse_dockerd(const char *path, const char *data, gsize len);
/* The parser for a path inside the image, or NULL when the path is not a known config. */
HullSvcParseFunc hull_svc_parser_for_path(const char *path);
/* The globs of every known config, for the descriptor's file_globs. (transfer none) */
const char *const *hull_svc_file_globs(void);

/* nginx include resolution among the files seen (hull-svc-nginx-includes.c): marks which
 * configs are reachable from a root (nginx.conf) following include globs up to @max_depth,
 * and adds a note (gchar*) to @notes for every loop or depth overflow. @aliases (may be
 * NULL) maps symlink paths (sites-enabled/x) to the config they resolve to, since the walker
 * only hands over regular files. Returns the configs that count (transfer container).
 * Without a root, every file counts. */
GPtrArray *hull_nginx_resolve(GPtrArray *configs, GHashTable *aliases, guint max_depth, GPtrArray *notes);

G_END_DECLS

G_BEGIN_DECLS

/* ---- What the plugin collects before judging (hull-netports-k8s.c, plugin) ---- */

/* One place a port is exposed. */
typedef struct {
	HullPortRange range;
	const char *source;   /* "image-config", "dockerfile", "k8s", "service-config" (static) */
	gchar *exposure;      /* "EXPOSE", "ExposedPorts", "containerPort", "hostPort", "hostNetwork",
	                       * "NodePort", "LoadBalancer", "externalIPs", "listen" */
	gchar *path;          /* file, or NULL */
	guint line;
	int layer;
	gchar *object;        /* "Kind/ns/name", "image-config", or NULL */
	gboolean external;    /* reachable from outside the pod network / the node */
	gboolean judged;      /* already turned into findings where it was found */
	gchar *user;          /* the user the exposing image/Dockerfile runs as; NULL: root */
} HullExposure;

HullExposure *hull_exposure_new(const HullPortRange *range, const char *source, const char *exposure,
                                const char *path, guint line, int layer, const char *object);
void hull_exposure_free(HullExposure *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullExposure, hull_exposure_free)

/* A finding-to-be: the plugin turns it into a HullFinding (rule defaults come from the
 * rule table; severity here overrides). */
typedef struct {
	const char *rule_id;
	HullSeverity severity;
	gchar *path;
	guint line;
	int layer;
	gchar *object;
	gchar *message;
} HullNetIssue;

HullNetIssue *hull_net_issue_new(const char *rule_id, HullSeverity severity, const char *path, guint line,
                                 int layer, const char *object, const char *format, ...) G_GNUC_PRINTF(7, 8);
void hull_net_issue_free(HullNetIssue *issue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullNetIssue, hull_net_issue_free)

/* A Kubernetes object as the view hands it out, detached from the view so the analysis
 * can be tested on JSON documents. */
typedef struct {
	gchar *kind;
	gchar *ns;            /* "default" when absent */
	gchar *name;
	gchar *ref;           /* "Kind/name" or "Kind/ns/name" */
	gchar *path;
	guint line;
	int layer;
	JsonObject *doc;      /* (owned reference) */
} HullNetDoc;

HullNetDoc *hull_net_doc_new(const char *kind, const char *ns, const char *name, const char *ref,
                             const char *path, guint line, int layer, JsonObject *doc);
void hull_net_doc_free(HullNetDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullNetDoc, hull_net_doc_free)

/* Walks workloads, Services, Ingresses, Gateway API routes and Istio VirtualServices:
 * appends HullExposure* (container, host and service ports), HullNetIssue* (hostNetwork,
 * hostPort, hostPID/hostIPC, risky service ports, workloads reachable from outside) and
 * notes (gchar*: malformed ports). */
void hull_k8s_analyse(GPtrArray *docs, HullPortCatalogue *cat, GPtrArray *exposures, GPtrArray *issues,
                      GPtrArray *notes);

G_END_DECLS
