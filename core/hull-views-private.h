/* hull-views-private.h: the parsers behind the shared views of hull-views.h. The walker hands
 * them candidate files; each parser lives in core/views/ with its own tests. */
#pragma once

#include <hullscan/hull-views.h>
#include <hullscan/hull-image.h>

G_BEGIN_DECLS

/* ---- Kubernetes (core/views/hull-k8s.c) ---- */

/* Cheap check on the first bytes of a file: could it hold Kubernetes objects? */
gboolean hull_k8s_sniff(const char *path, const guint8 *data, gsize len);
/* Parses a YAML or JSON stream. Appends HullK8sObject* (owned by @objects, which must free
 * with hull_k8s_object_free) and notes (gchar*, e.g. "duplicate key", "Helm template skipped")
 * to @notes. FALSE with @error for a file that is not valid YAML/JSON or breaks a limit
 * (alias expansion, depth, size); objects parsed before the error are kept. */
gboolean hull_k8s_parse(const char *path, int layer, const guint8 *data, gsize len,
                        GPtrArray *objects, GPtrArray *notes, GError **error);
void hull_k8s_object_free(HullK8sObject *obj);

/* ---- Run configurations (core/views/hull-config-doc.c) ---- */

/* The kind of run configuration @path (and its first bytes) may hold, or NULL. */
const char *hull_config_doc_sniff(const char *path, const guint8 *data, gsize len);
/* Parses a file hull_config_doc_sniff() accepted into HullConfigDocument* appended to @docs
 * (free with hull_config_document_free). FALSE with @error when it is not valid YAML/JSON. */
gboolean hull_config_doc_parse(const char *path, int layer, const char *kind, const guint8 *data, gsize len,
                               GPtrArray *docs, GPtrArray *notes, GError **error);
void hull_config_document_free(HullConfigDocument *doc);

/* ---- Dockerfiles (core/views/hull-dockerfile-*.c) ---- */

/* Is this path a Dockerfile by name (Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*)? */
gboolean hull_dockerfile_name_matches(const char *path);
/* Parses; never NULL: on a parse error the returned object has hull_dockerfile_get_error()
 * set and holds what parsed before it. @build_args may be NULL. (transfer full) */
HullDockerfile *hull_dockerfile_parse(const char *path, int layer, const guint8 *data, gsize len,
                                      GHashTable *build_args);
/* Rebuilds a Dockerfile from history[].created_by (BuildKit and legacy "#(nop)" forms), each
 * instruction carrying its layer. (transfer full) */
HullDockerfile *hull_dockerfile_from_history(HullImage *image);
void hull_dockerfile_free(HullDockerfile *df);
/* Appends "PATH: line N: reason" (gchar*) for each instruction BuildKit's parser accepts but
 * its build refuses: an unknown keyword; FROM, COPY, ADD, USER, WORKDIR without the arguments
 * they need. Such a Dockerfile is still linted; these are its notes. */
void hull_dockerfile_collect_problems(HullDockerfile *df, GPtrArray *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullDockerfile, hull_dockerfile_free)

G_END_DECLS
