/* hull-views.h: documents the core parses once per scan and shares with every plugin:
 * Kubernetes objects and Dockerfiles found in the target. They are complete when the
 * scan_collect callback runs. All handles are owned by the core (transfer none). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <hullscan/hull-version.h>

G_BEGIN_DECLS

typedef struct _HullScan HullScan;
typedef struct _HullK8sObject HullK8sObject;
typedef struct _HullDockerfile HullDockerfile;
typedef struct _HullInstruction HullInstruction;

/* ---- Kubernetes (and other config) objects: YAML or JSON documents with apiVersion+kind ---- */

/* Number of Kubernetes objects found in the target, sorted by path and line. */
HULL_API guint hull_scan_get_n_k8s_objects(HullScan *scan);
/* (transfer none) object @index, below hull_scan_get_n_k8s_objects(). */
HULL_API HullK8sObject *hull_scan_get_k8s_object(HullScan *scan, guint index);
/* (transfer none) "ClusterRole", "Deployment", … */
HULL_API const char *hull_k8s_object_get_kind(HullK8sObject *obj);
/* (transfer none) "rbac.authorization.k8s.io/v1", … */
HULL_API const char *hull_k8s_object_get_api_version(HullK8sObject *obj);
/* NULL for cluster-scoped objects or when absent. */
HULL_API const char *hull_k8s_object_get_namespace(HullK8sObject *obj);
/* (transfer none) metadata.name, or NULL when absent. */
HULL_API const char *hull_k8s_object_get_name(HullK8sObject *obj);
/* The file it came from (as in hull_file_get_path()) and the line its document starts on. */
HULL_API const char *hull_k8s_object_get_path(HullK8sObject *obj);
/* Line the object starts on in its file (its list item for List kinds). */
HULL_API guint hull_k8s_object_get_line(HullK8sObject *obj);
/* Image layer of the file, or -1. */
HULL_API int hull_k8s_object_get_layer(HullK8sObject *obj);
/* The whole document as JSON (YAML converted with Kubernetes' scalar rules). */
HULL_API JsonObject *hull_k8s_object_get_document(HullK8sObject *obj);
/* "Kind/name" or "Kind/namespace/name", as findings' location.object. */
HULL_API const char *hull_k8s_object_get_ref(HullK8sObject *obj);

/* ---- Run configurations: how containers are started, written down elsewhere ---- */

typedef struct _HullConfigDocument HullConfigDocument;

/* Documents that describe how containers run, other than Kubernetes objects: Docker Compose
 * files ("compose": compose.yaml, docker-compose.yml …), `docker/podman inspect` output
 * ("docker-inspect": a JSON array of containers with HostConfig) and OCI runtime bundle
 * configs ("oci-runtime": config.json with ociVersion). Complete at scan_collect. */
HULL_API guint hull_scan_get_n_config_documents(HullScan *scan);
/* (transfer none) document @index, below hull_scan_get_n_config_documents(). */
HULL_API HullConfigDocument *hull_scan_get_config_document(HullScan *scan, guint index);
/* "compose", "docker-inspect" or "oci-runtime". */
HULL_API const char *hull_config_document_get_kind(HullConfigDocument *doc);
/* (transfer none) the file it came from, as hull_file_get_path() names it. */
HULL_API const char *hull_config_document_get_path(HullConfigDocument *doc);
/* Line the document starts on (YAML streams may hold several). */
HULL_API guint hull_config_document_get_line(HullConfigDocument *doc);
/* Image layer of the file, or -1. */
HULL_API int hull_config_document_get_layer(HullConfigDocument *doc);
/* The document as JSON (YAML converted with the same rules as Kubernetes objects). */
HULL_API JsonNode *hull_config_document_get_root(HullConfigDocument *doc);

/* ---- Dockerfiles: given as the target or found in the image ---- */

/* Number of Dockerfiles in the view, sorted by path. */
HULL_API guint hull_scan_get_n_dockerfiles(HullScan *scan);
/* (transfer none) Dockerfile @index, below hull_scan_get_n_dockerfiles(). */
HULL_API HullDockerfile *hull_scan_get_dockerfile(HullScan *scan, guint index);
/* Path as in hull_file_get_path(), or as given for a single-file target; for a Dockerfile
 * rebuilt from image history, "image-history". */
HULL_API const char *hull_dockerfile_get_path(HullDockerfile *df);
/* Image layer of the file, or -1. */
HULL_API int hull_dockerfile_get_layer(HullDockerfile *df);
/* Non-NULL when the file could not be parsed (the message names the line). */
HULL_API const char *hull_dockerfile_get_error(HullDockerfile *df);
/* Number of instructions, in file order. */
HULL_API guint hull_dockerfile_get_n_instructions(HullDockerfile *df);
/* (transfer none) instruction @index. */
HULL_API const HullInstruction *hull_dockerfile_get_instruction(HullDockerfile *df, guint index);
/* Number of build stages (FROM instructions). */
HULL_API guint hull_dockerfile_get_n_stages(HullDockerfile *df);
/* Stage name (lower-cased, as BuildKit compares) or NULL when unnamed. */
HULL_API const char *hull_dockerfile_get_stage_name(HullDockerfile *df, guint stage);

/* Upper-case keyword: "FROM", "RUN", ... */
HULL_API const char *hull_instruction_get_keyword(const HullInstruction *insn);
/* The arguments after flags, variables expanded where BuildKit expands them for this
 * keyword; for JSON (exec) form, the array elements; for shell form, one string; for ENV
 * and LABEL, alternating key, value, key, value. */
HULL_API const char *const *hull_instruction_get_args(const HullInstruction *insn);
/* TRUE when written in exec (JSON array) form. */
HULL_API gboolean hull_instruction_is_json_form(const HullInstruction *insn);
/* Flags as written, "--from=builder", … (NULL-terminated). */
HULL_API const char *const *hull_instruction_get_flags(const HullInstruction *insn);
/* The value of flag --@name, or NULL. */
HULL_API const char *hull_instruction_get_flag(const HullInstruction *insn, const char *name);
/* The instruction as written (continuations joined). */
HULL_API const char *hull_instruction_get_original(const HullInstruction *insn);
/* First line of the instruction, from 1. */
HULL_API guint hull_instruction_get_start_line(const HullInstruction *insn);
/* Last line, including continuations and heredoc bodies. */
HULL_API guint hull_instruction_get_end_line(const HullInstruction *insn);
/* Stage index the instruction belongs to; -1 for global ARGs before the first FROM. */
HULL_API int hull_instruction_get_stage(const HullInstruction *insn);
/* Heredoc bodies attached to this instruction (NULL-terminated, may be empty). */
HULL_API const char *const *hull_instruction_get_heredocs(const HullInstruction *insn);
/* For ONBUILD, the wrapped instruction; NULL otherwise. */
HULL_API const HullInstruction *hull_instruction_get_onbuild(const HullInstruction *insn);
/* Layer it maps to when rebuilt from image history, else -1. */
HULL_API int hull_instruction_get_layer(const HullInstruction *insn);

G_END_DECLS
