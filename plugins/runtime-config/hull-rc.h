/* hull-rc.h: the runtime-config plugin's internal interface. Every place a run configuration
 * is written down (Kubernetes pod templates, Docker Compose services, docker/podman inspect
 * output, OCI runtime config.json) is normalised into one HullRcContainer record per
 * container, and one set of rules runs over those records. The normalisers and the rule
 * evaluation are free of the bus so the self-test can drive them on JSON built in memory.
 *
 * Memory: every function returning a HullRcContainer or HullRcResult array returns it
 * (transfer full); records own all their strings. */
#pragma once

#include <hullscan/hullscan.h>

G_BEGIN_DECLS

#define HULL_RC_PLUGIN_NAME "runtime-config"

/* Bounds for hostile input: containers analysed per object/document and findings per
 * container record; beyond them a note says what was skipped. */
#define HULL_RC_MAX_CONTAINERS 1000
#define HULL_RC_MAX_LIST 256

/* A tri-state flag: not written down, false, true. */
typedef enum {
	HULL_RC_UNSET = -1,
	HULL_RC_NO = 0,
	HULL_RC_YES = 1,
} HullRcTri;

typedef struct {
	gchar *host;        /* host path, normalised (no trailing '/', no "." or ".." parts) */
	gchar *dest;        /* path inside the container, may be NULL */
	gboolean read_only;
} HullRcMount;

typedef struct {
	gchar *source;      /* "k8s", "compose", "docker-inspect", "oci-runtime" */
	gchar *object;      /* location.object: "Kind/namespace/name", "ComposeService/name" … */
	gchar *name;        /* container (or service) name; never NULL */
	gchar *image;       /* may be NULL */
	gchar *path;        /* file it came from */
	guint line;
	int layer;

	HullRcTri privileged;
	HullRcTri host_pid;
	HullRcTri host_ipc;
	HullRcTri host_net;
	HullRcTri host_users;       /* TRUE: user namespace off (explicitly), UNSET: default */
	HullRcTri allow_priv_esc;   /* allowPrivilegeEscalation / no-new-privileges inverted */
	HullRcTri run_as_non_root;
	HullRcTri read_only_root;
	gint64 run_as_user;         /* -1: not written down */
	gchar *user;                /* compose/inspect user string as written, may be NULL */
	GPtrArray *mounts;          /* HullRcMount*: host paths only */
	GPtrArray *devices;         /* gchar*: host device paths */
	GPtrArray *cap_add;         /* gchar*: upper case, without "CAP_" */
	GPtrArray *cap_drop;
	gchar *seccomp;             /* lower case: "unconfined", "runtimedefault", "localhost" …; NULL unset */
	gchar *apparmor;            /* lower case: "unconfined", "runtime/default" …; NULL unset */
	gchar *proc_mount;          /* as written, NULL unset */
	GPtrArray *host_ports;      /* gchar*: "8080/tcp" … published on the host, for messages */
} HullRcContainer;

HullRcContainer *hull_rc_container_new(const char *source, const char *object, const char *name);
void hull_rc_container_free(HullRcContainer *c);
void hull_rc_container_add_mount(HullRcContainer *c, const char *host, const char *dest, gboolean read_only);
void hull_rc_container_add_cap(GPtrArray *caps, const char *cap);
gboolean hull_rc_caps_have(GPtrArray *caps, const char *cap);
/* Canonical host path: "/" for the root, "a/../b" folded; NULL for a relative path. */
gchar *hull_rc_normalise_path(const char *path);
/* Whether the record runs as uid 0 for sure (TRUE), not (FALSE); *@unknown when unwritten. */
gboolean hull_rc_container_runs_as_root(const HullRcContainer *c, gboolean *unknown);

/* Safe typed JSON lookups: NULL / fallback when absent or of another type. */
JsonObject *hull_rc_json_object(JsonObject *o, const char *key);
JsonArray *hull_rc_json_array(JsonObject *o, const char *key);
const char *hull_rc_json_string(JsonObject *o, const char *key);
/* Booleans also accept the strings "true"/"false" (compose files quote them). */
HullRcTri hull_rc_json_bool(JsonObject *o, const char *key);
/* Integers also accept decimal strings; FALSE when absent or not an integer. */
gboolean hull_rc_json_int(JsonObject *o, const char *key, gint64 *out);

/* Normalisers: append records to @out (HullRcContainer*) and notes (gchar*) to @notes. */
void hull_rc_from_k8s(JsonObject *doc, const char *object, const char *path, guint line, int layer, GPtrArray *out,
                      GPtrArray *notes);
void hull_rc_from_compose(JsonNode *root, const char *path, guint line, int layer, GPtrArray *out, GPtrArray *notes);
void hull_rc_from_inspect(JsonNode *root, const char *path, guint line, int layer, GPtrArray *out, GPtrArray *notes);
void hull_rc_from_oci(JsonNode *root, const char *path, guint line, int layer, GPtrArray *out, GPtrArray *notes);

/* Shared by the compose and inspect readers: a "key=value"/"key:value" security option, and a
 * "SRC:DST[:MODE]" bind (SRC must be absolute to be a host path). */
void hull_rc_apply_security_opt(HullRcContainer *c, const char *opt);
void hull_rc_add_short_volume(HullRcContainer *c, const char *spec);
/* Docker's default capability set, NULL-terminated. */
extern const char *const hull_rc_default_caps[];

/* One finding to emit. */
typedef struct {
	const char *rule_id;        /* static */
	HullSeverity severity;
	gchar *message;
	gchar *key;                 /* fingerprint data */
	gchar *components;          /* escape findings: the folded rule ids, "RC-0001,RC-0002"; else NULL */
} HullRcResult;

void hull_rc_result_free(HullRcResult *r);

/* Which rules are enabled (NULL: all); lets escape rules step aside when disabled. */
typedef gboolean (*HullRcRuleEnabledFunc)(const char *rule_id, gpointer user_data);

/* Evaluates every rule on @c and appends HullRcResult* to @out. @image_tools, when not
 * NULL, names tools found in the scanned image (e.g. "nsenter, mount") and strengthens the
 * escape messages. */
void hull_rc_evaluate(const HullRcContainer *c, HullRcRuleEnabledFunc enabled, gpointer user_data,
                      const char *image_tools, GPtrArray *out);

#define HULL_RC_N_RULES 26
extern const HullRule hull_rc_rules[HULL_RC_N_RULES];

G_END_DECLS
