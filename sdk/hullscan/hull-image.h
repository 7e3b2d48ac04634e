/* hull-image.h: read-only views of the scanned target that the core hands to plugins: the
 * merged filesystem (HullFs), its entries (HullFile) and the image's config and history
 * (HullImage). All handles are owned by the core and valid for the whole scan. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <hullscan/hull-version.h>

G_BEGIN_DECLS

typedef struct _HullFs HullFs;
typedef struct _HullFile HullFile;
typedef struct _HullImage HullImage;

typedef enum {
	HULL_FILE_KIND_REGULAR = 0,
	HULL_FILE_KIND_DIRECTORY,
	HULL_FILE_KIND_SYMLINK,
	HULL_FILE_KIND_HARDLINK,
	HULL_FILE_KIND_CHAR_DEVICE,
	HULL_FILE_KIND_BLOCK_DEVICE,
	HULL_FILE_KIND_FIFO,
	HULL_FILE_KIND_SOCKET,
} HullFileKind;

/* ---- HullFile: one entry of the merged tree (or one deleted by a later layer) ---- */

/* Absolute, normalised path inside the image ("/etc/passwd"). For a rootfs or config
 * directory it is relative to that directory but still starts with "/". (transfer none)
 * Lifetime: the core stores a name per tree node, not a path per file, and builds the string
 * when asked. Inside a callback that is handed @file (wants_file, file_begin, file_chunk and
 * file_end of the walker; a hull_fs_foreach() callback) it is valid until that callback
 * returns, and for the walker until file_end returns: copy it to keep it longer. Asked for
 * anywhere else (a file from hull_fs_lookup() or hull_fs_resolve(), a HullFile kept from an
 * earlier callback), it is built once and stays valid for the whole scan. */
HULL_API const char *hull_file_get_path(const HullFile *file);
/* Regular file, directory, link, device, FIFO or socket. */
HULL_API HullFileKind hull_file_get_kind(const HullFile *file);
/* Permission and type bits as in st_mode. */
HULL_API guint32 hull_file_get_mode(const HullFile *file);
/* Owner user id as recorded in the layer or on disk. */
HULL_API guint32 hull_file_get_uid(const HullFile *file);
/* Owner group id as recorded in the layer or on disk. */
HULL_API guint32 hull_file_get_gid(const HullFile *file);
/* Size in bytes of a regular file (0 for other kinds). */
HULL_API guint64 hull_file_get_size(const HullFile *file);
/* Symlink target as stored, or the path a hard link points at; NULL otherwise. */
HULL_API const char *hull_file_get_link_target(const HullFile *file);
/* Index of the layer that last wrote this entry; -1 when the target has no layers. */
HULL_API int hull_file_get_layer(const HullFile *file);
/* Index of the layer that deleted it (whiteout or opaque dir); -1 when it is visible. */
HULL_API int hull_file_get_deleted_in(const HullFile *file);

/* ---- HullFs: the merged view ---- */

/* Looks @path up in the merged view without following a final symlink. (transfer none) NULL
 * when absent. */
HULL_API const HullFile *hull_fs_lookup(HullFs *fs, const char *path);
/* Resolves symlinks inside the image root (absolute targets re-rooted, ".." clamped at "/",
 * 40 hops at most). (transfer none) NULL when absent, dangling or looping. */
HULL_API const HullFile *hull_fs_resolve(HullFs *fs, const char *path);
/* Reads a regular file of the merged view, following symlinks inside the image, at most
 * @max_size bytes (error when larger). This re-reads the layer: use it for a few small
 * files, and the walker's file callbacks for everything else. The bytes' data is never NULL,
 * even for an empty file. (transfer full) */
HULL_API GBytes *hull_fs_read(HullFs *fs, const char *path, gsize max_size, GError **error);
/* Calls @func for every visible entry in path order. Returning FALSE stops. */
typedef gboolean (*HullFsForeachFunc)(const HullFile *file, gpointer user_data);
/* Calls @func for every visible entry, in path order; @func returning FALSE stops. */
HULL_API void hull_fs_foreach(HullFs *fs, HullFsForeachFunc func, gpointer user_data);
/* Number of visible entries in the merged view. */
HULL_API guint hull_fs_get_n_entries(HullFs *fs);

/* ---- HullImage: config, layers and history of a container image ---- */

/* The "config" object of the image config (User, Env, ExposedPorts, ...). (transfer none)
 * Never NULL: an empty object when the image has none. */
HULL_API JsonObject *hull_image_get_config(HullImage *image);
/* The whole image config document. (transfer none) */
HULL_API JsonObject *hull_image_get_config_document(HullImage *image);
/* Number of layers, lowest first. */
HULL_API guint hull_image_get_n_layers(HullImage *image);
/* "sha256:…" of the layer's uncompressed content (diff_id). (transfer none) */
HULL_API const char *hull_image_get_layer_diff_id(HullImage *image, guint index);
/* created_by of the history entry that made layer @index, or NULL. (transfer none) */
HULL_API const char *hull_image_get_layer_created_by(HullImage *image, guint index);
/* Number of history entries, including empty_layer ones. */
HULL_API guint hull_image_get_n_history(HullImage *image);
/* (transfer none) */
HULL_API const char *hull_image_get_history_created_by(HullImage *image, guint index);
/* TRUE for a history entry that produced no layer (ENV, CMD …). */
HULL_API gboolean hull_image_get_history_empty_layer(HullImage *image, guint index);
/* The layer a history entry produced, or -1 for an empty_layer entry. */
HULL_API int hull_image_get_history_layer(HullImage *image, guint index);
/* "sha256:…" of the image (config digest for docker-archive, manifest digest for OCI). */
HULL_API const char *hull_image_get_digest(HullImage *image);
/* (transfer none) NULL-terminated. */
HULL_API const char *const *hull_image_get_repo_tags(HullImage *image);

G_END_DECLS
