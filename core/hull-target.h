/* hull-target.h: opening what the user asked to scan. A target is a container image
 * (docker-archive tar, OCI layout as a directory or tar), a rootfs directory, a Dockerfile,
 * or config files (a file or tree of Kubernetes manifests). Opening it indexes every layer
 * once (verifying digests) and builds the merged HullFs; content is streamed later by
 * hull_fs_stream(). Nothing is ever extracted to disk. */
#pragma once

#include <hullscan/hull-image.h>

G_BEGIN_DECLS

typedef enum {
	HULL_TARGET_AUTO = 0,
	HULL_TARGET_IMAGE,
	HULL_TARGET_ROOTFS,
	HULL_TARGET_DOCKERFILE,
	HULL_TARGET_CONFIG,
} HullTargetType;

typedef struct {
	HullTargetType type;      /* AUTO detects */
	const char *ref;          /* --ref: image name in a docker-archive/OCI layout with several */
	const char *platform;     /* --platform "os/arch[/variant]"; NULL: linux/amd64 */
	guint64 max_image_size;   /* --max-image-size in bytes of uncompressed layers; 0: no limit */
	gboolean verify_digests;  /* TRUE normally */
	gboolean skip_layers;     /* images: read the manifest and config only; the fs stays empty */
	gboolean defer_verify;    /* images: check layer digests on a thread of their own, beside
	                           * the index pass and the walk; hull_target_finish_verify() waits */
	GBytes *probe_memo;       /* an image tar: its member list and the manifests and config read
	                           * from it, from hull_target_get_probe_memo() of an earlier open of
	                           * the same unchanged file; the tar is then not listed again */
} HullOpenOptions;

typedef struct _HullTarget HullTarget;

#define HULL_TARGET_ERROR (hull_target_error_quark())
GQuark hull_target_error_quark(void);
typedef enum {
	HULL_TARGET_ERROR_NOT_FOUND,     /* the path does not exist */
	HULL_TARGET_ERROR_UNKNOWN_TYPE,  /* auto-detection failed */
	HULL_TARGET_ERROR_INVALID,       /* malformed, truncated, hostile */
	HULL_TARGET_ERROR_DIGEST,        /* a blob or layer does not match its digest */
	HULL_TARGET_ERROR_TOO_LARGE,     /* --max-image-size exceeded */
	HULL_TARGET_ERROR_NO_MATCH,      /* --ref / --platform matched nothing */
} HullTargetError;

/* (transfer full) NULL with @error set (domain HULL_TARGET_ERROR, message naming the input). */
HullTarget *hull_target_open(const char *path, const HullOpenOptions *options, GError **error);
void hull_target_free(HullTarget *target);
HullTargetType hull_target_get_type(HullTarget *target);
/* "image", "rootfs", "dockerfile", "config" */
const char *hull_target_type_to_string(HullTargetType type);
gboolean hull_target_type_from_string(const char *name, HullTargetType *out);
/* (transfer none) never NULL. */
HullFs *hull_target_get_fs(HullTarget *target);
/* (transfer none) NULL unless the target is an image. */
HullImage *hull_target_get_image(HullTarget *target);
/* How a path of the fs is shown in reports: absolute for images and rootfs, relative to the
 * directory for a config tree, as given for a single file. (transfer full) */
gchar *hull_target_display_path(HullTarget *target, const char *fs_path);
/* What an image is, for the scan cache: a hex SHA-256 over the config document's digest and
 * each layer's diff_id and blob digest, in order. NULL unless the target is an image.
 * (transfer full) */
gchar *hull_target_get_content_key(HullTarget *target);
/* What opening an image tar learnt from it (member list, manifests, config), for
 * HullOpenOptions.probe_memo of a later open of the same unchanged file. NULL for other targets,
 * for archives with very many members, and when the open itself used a memo. (transfer full) */
GBytes *hull_target_get_probe_memo(HullTarget *target);
/* The files on disk an image's layers are read from, absolute (transfer full) gchar*: the
 * archive itself, or each layer blob of an OCI layout directory. Empty unless an image. */
GPtrArray *hull_target_get_layer_files(HullTarget *target);
/* Waits for the layer digests of a target opened with defer_verify (TRUE at once otherwise).
 * FALSE with @error (HULL_TARGET_ERROR_DIGEST …) when a layer does not match: nothing read
 * from the target may then be reported. */
gboolean hull_target_finish_verify(HullTarget *target, GError **error);
/* Sum of regular-file sizes, for progress. */
guint64 hull_target_get_total_bytes(HullTarget *target);
/* What opening the target skipped, one line each (entries with over-long paths …), for the
 * report's notes. (transfer none) char* */
GPtrArray *hull_target_get_notes(HullTarget *target);

/* ---- Streaming content: the walker's single pass ---- */

typedef struct {
	/* Called once for each regular file (hard links resolved to their content). Return TRUE
	 * to receive its bytes; *file_data is passed back to chunk and end. */
	gboolean (*want)(const HullFile *file, gpointer user_data, gpointer *file_data);
	/* Consecutive chunks in order. Return FALSE to stop this file (end still follows). */
	gboolean (*chunk)(const HullFile *file, gpointer file_data, const guint8 *buf, gsize len, gpointer user_data);
	/* After the last chunk; @complete FALSE when reading stopped early. */
	void (*end)(const HullFile *file, gpointer file_data, gboolean complete, gpointer user_data);
	/* optional: bytes streamed so far (called often; may be from any thread). */
	void (*progress)(guint64 done, guint64 total, gpointer user_data);
} HullFsStreamFuncs;

/* Streams the content of every visible regular file and, when @include_deleted, of files
 * deleted by a later layer. want/chunk/end of one file run on one thread; different files
 * may run on up to @n_threads threads at once. Returns FALSE on an unreadable source
 * (truncated layer …) after calling end(complete=FALSE) for the file in flight. */
gboolean hull_fs_stream(HullFs *fs, guint n_threads, gboolean include_deleted,
                        const HullFsStreamFuncs *funcs, gpointer user_data, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullTarget, hull_target_free)

G_END_DECLS
