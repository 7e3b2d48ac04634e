/* hull-fact.h: facts, typed key/value records plugins share through the bus.
 *
 * Well-known kinds and their keys (a plugin may add keys; consumers ignore unknown ones):
 *   "os"              id, version_id, pretty_name, ecosystem, eol
 *   "package"         name, version, source, source_version, arch, type (deb|apk|rpm), layer,
 *                     purl
 *   "port"            port (or "lo-hi" range), protocol, source (image-config|dockerfile|k8s|
 *                     service-config), path, line, object, exposure
 *   "user"            name, uid, source
 *   "service-account" namespace, name, cluster_admin_path
 *   "service"         name, path, listen, auth
 *
 * Memory contract: hull_fact_new() returns a fact the plugin owns; hull_bus_emit_fact() takes
 * it (transfer full). A fact passed to on_fact is owned by the bus and valid for the scan. */
#pragma once

#include <glib.h>
#include <hullscan/hull-version.h>

G_BEGIN_DECLS

typedef struct _HullFact HullFact;

/* (transfer full) a new, empty fact of @kind ("os", "package", …). */
HULL_API HullFact *hull_fact_new(const char *kind);
/* Frees a fact the plugin still owns (one not handed to the bus). */
HULL_API void hull_fact_free(HullFact *fact);
/* Copies key and value; setting an existing key replaces it. */
HULL_API void hull_fact_set(HullFact *fact, const char *key, const char *value);
/* Sets @key to the decimal text of @value. */
HULL_API void hull_fact_set_int(HullFact *fact, const char *key, gint64 value);
/* (transfer none) NULL when absent. */
HULL_API const char *hull_fact_get(const HullFact *fact, const char *key);
/* The value of @key as an integer, or @fallback when absent or not a number. */
HULL_API gint64 hull_fact_get_int(const HullFact *fact, const char *key, gint64 fallback);
/* (transfer none) the kind given to hull_fact_new(). */
HULL_API const char *hull_fact_get_kind(const HullFact *fact);
/* The plugin that emitted it (set by the bus). */
HULL_API const char *hull_fact_get_plugin(const HullFact *fact);
/* (transfer container) the keys in insertion order. */
HULL_API GPtrArray *hull_fact_get_keys(const HullFact *fact);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullFact, hull_fact_free)

G_END_DECLS
