/* hull-fs-private.h: the layouts behind the opaque HullFile, HullFs, HullImage and HullTarget
 * handles, shared by the sources (rootfs, docker-archive, OCI) that build them. The merged view
 * is a tree of nodes so that whiteouts, opaque directories and dir<->file replacement delete a
 * whole subtree in time proportional to its size, whatever the image holds. */
#pragma once

#include <stdio.h>
#include <archive.h>
#include <openssl/evp.h>
#include "hull-target.h"
#include "hull-digest.h"

G_BEGIN_DECLS

/* Limits that keep a hostile image from costing unbounded memory or stack. */
#define HULL_FS_MAX_DEPTH      4096
#define HULL_FS_MAX_PATH       (64 * 1024)
/* A layer entry whose path or link target is longer than Linux's PATH_MAX cannot be extracted
 * by any runtime; such entries are skipped (one note per layer). Without the cap, 20,000
 * entries under a 60 KB directory (a 217 KB gzip layer) cost gigabytes wherever a path is
 * held whole. A rootfs keeps HULL_FS_MAX_PATH: it exists on disk already. */
#define HULL_LAYER_MAX_PATH    4096
#define HULL_FS_MAX_ENTRIES    (4u * 1024 * 1024)
#define HULL_FS_MAX_HOPS       40
#define HULL_IMAGE_MAX_JSON    (16 * 1024 * 1024)
#define HULL_BLOB_MEMO_MAX_MEMBERS 4096u
#define HULL_IMAGE_MAX_LAYERS  1024
#define HULL_IMAGE_MAX_NESTING 8

typedef struct _HullNode HullNode;

struct _HullFile {
	/* Normalised, starts with "/". A file in the tree (@node set) stores no path of its own:
	 * it is built from the node's names when asked for and cached here only while a callback
	 * holds the file or once hull_file_get_path() was called outside one (see
	 * hull_file_hold_path()); a file outside any tree keeps the path it was made with. */
	char *path;
	char *link_target;       /* symlink target as stored, or hard link's path */
	char *host_path;         /* rootfs/single file: path relative to the source root */
	guint64 size;
	guint32 mode, uid, gid;
	HullFileKind kind;
	int layer;               /* layer that wrote it, -1 without layers */
	int deleted_in;          /* -1 when visible */
	int content_layer;       /* layer holding the bytes (hard links: the target's) */
	gint64 content_ordinal;  /* entry index in that layer; -1 when there are no bytes */
	HullNode *node;          /* names the file; a deleted file keeps its (buried) node */
	gint path_bits;          /* bit 0 locks @path and @path_holds; HULL_PATH_KEPT */
	guint path_holds;        /* callbacks running with @path cached */
};

struct _HullNode {
	HullNode *parent;        /* nodes live as long as the fs, so a chain of parents stays valid */
	HullFile *file;
	GHashTable *children;    /* name -> HullNode*, NULL for leaves */
	guint32 name_len;
	char name[];             /* in the node's own allocation: one malloc per node, not two */
};

typedef struct _HullLayer HullLayer;

/* One file whose bytes are entry @ordinal of a layer (16 bytes, not a hash entry and a list
 * per file: the plan is held for every file of the image). */
typedef struct {
	gint64 ordinal;
	HullFile *file;
} HullWanted;
typedef struct _HullBlobSource HullBlobSource;

struct _HullFs {
	HullNode *root;
	GPtrArray *deleted;      /* HullFile* owned here */
	GPtrArray *buried;       /* HullNode* taken out of the tree: deleted files still name theirs */
	GPtrArray *notes;        /* char*: what loading skipped, for the report */
	GPtrArray *sorted;       /* visible HullFile* in path order, built by hull_fs_finish() */
	guint n_entries;
	/* what backs the content */
	char *host_root;         /* rootfs / config dir / single file: the directory */
	int host_root_fd;
	HullBlobSource *blobs;   /* images */
	GPtrArray *layers;       /* HullLayer* */
	guint64 total_bytes;
	GThread *verify_thread;  /* defer_verify: checks every layer's digests */
	GError *verify_error;    /* its verdict, once joined */
	gint verify_cancel;      /* atomic: set when nobody waits for the verdict any more */
	guint64 verify_max_size; /* --max-image-size for the digest thread */
};

struct _HullImage {
	JsonNode *config_node;
	JsonObject *config_doc;
	JsonObject *config;
	JsonObject *empty;
	GPtrArray *diff_ids;     /* char* */
	GPtrArray *layer_created_by; /* char* or NULL */
	GPtrArray *history_created_by;
	GArray *history_empty;   /* gboolean */
	GArray *history_layer;   /* int */
	char *digest;
	char *config_sha256;     /* hex digest of the config document's bytes */
	char **repo_tags;
};

struct _HullTarget {
	HullTargetType type;
	char *input;             /* as given */
	gboolean single_file;
	HullFs *fs;
	HullImage *image;
};

/* ---- blob sources: where layer and JSON bytes come from ---- */

typedef struct _HullBlobReader HullBlobReader;

struct _HullBlobSource {
	char *path;              /* the directory (OCI layout) or the outer tar */
	gboolean is_dir;
	GHashTable *members;     /* outer tar: normalised name -> GUINT_TO_POINTER(ordinal + 1) */
	GHashTable *member_sizes;/* name -> guint64* */
	GHashTable *read;        /* outer tar: name -> GBytes of each member read whole (the probe memo) */
	gboolean from_memo;      /* @members, @member_sizes and @read came from a probe memo */
};

HullBlobSource *hull_blob_source_new(const char *path, gboolean is_dir, GError **error);
/* A tar source rebuilt from hull_blob_source_memo() of the same unchanged file: members read
 * whole then are answered from the memo, anything else is read from the file. NULL when @memo
 * is not a well-formed memo. */
HullBlobSource *hull_blob_source_new_from_memo(const char *path, GBytes *memo);
/* (transfer full) NULL for a directory source, or more than HULL_BLOB_MEMO_MAX_MEMBERS members. */
GBytes *hull_blob_source_memo(HullBlobSource *src);
void hull_blob_source_free(HullBlobSource *src);
gboolean hull_blob_source_has(HullBlobSource *src, const char *name);
/* (transfer full) a reader positioned at the start of member @name. */
HullBlobReader *hull_blob_reader_open(HullBlobSource *src, const char *name, GError **error);
gssize hull_blob_reader_read(HullBlobReader *r, void *buf, gsize len);
/* Skips forward; returns the number of bytes skipped (0 when the reader cannot seek). */
gint64 hull_blob_reader_skip(HullBlobReader *r, gint64 n);
const char *hull_blob_reader_error(HullBlobReader *r);
void hull_blob_reader_free(HullBlobReader *r);
/* Reads a whole (JSON) member of at most @max bytes. (transfer full) */
GBytes *hull_blob_source_read_all(HullBlobSource *src, const char *name, gsize max, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullBlobReader, hull_blob_reader_free)

/* ---- gzip blobs through ISA-L (hull-gunzip.c) ---- */

typedef struct _HullGunzip HullGunzip;
/* Whether libisal can be opened (else gzip goes through libarchive and zlib). */
gboolean hull_gunzip_available(void);
/* Whether @data starts a gzip member. */
gboolean hull_gunzip_is_gzip(const guint8 *data, gsize len);
HullGunzip *hull_gunzip_new(void);
void hull_gunzip_free(HullGunzip *z);
/* TRUE when hull_gunzip_read() needs hull_gunzip_feed() first. */
gboolean hull_gunzip_needs_input(HullGunzip *z);
/* TRUE once the last member has ended. */
gboolean hull_gunzip_finished(HullGunzip *z);
/* The next compressed bytes; they must stay valid until consumed. @len 0: there are no more. */
void hull_gunzip_feed(HullGunzip *z, const guint8 *data, gsize len);
/* Inflates into @out: bytes written; 0 when input is needed (see needs_input) or the stream
 * ended; -1 with a static message in @error on corrupt or truncated data. */
gssize hull_gunzip_read(HullGunzip *z, guint8 *out, gsize cap, const char **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullGunzip, hull_gunzip_free)

/* ---- layers ---- */

struct _HullLayer {
	guint index;
	char *blob;              /* member name of the layer blob */
	char *display;           /* how errors name it */
	char *expect_diff_id;    /* "sha256:…" from the config, or NULL */
	char *expect_digest;     /* OCI descriptor digest, or NULL */
	gint64 expect_size;      /* OCI descriptor size, or -1 */
	GArray *wanted;          /* HullWanted by entry ordinal: the files whose bytes it holds */
	gint64 last_wanted;
	guint64 n_too_long;      /* entries skipped: path or link target over HULL_LAYER_MAX_PATH */
};

HullLayer *hull_layer_new(guint index, const char *blob, const char *display);
void hull_layer_free(HullLayer *layer);
/* One pass over the layer: merges its entries into @fs (unless @merge is FALSE: a pass that
 * only checks digests), checks digests when opt->verify_digests. @total counts uncompressed
 * bytes across layers for --max-image-size. */
gboolean hull_layer_index(HullFs *fs, HullLayer *layer, const HullOpenOptions *opt, gboolean merge,
                          guint64 *total, GError **error);
/* Joins the deferred digest check, if one runs. */
gboolean hull_fs_finish_verify(HullFs *fs, GError **error);

/* ---- the merged tree ---- */

HullFs *hull_fs_new(void);
void hull_fs_free(HullFs *fs);
/* Normalises @name into components ("..", ".", empty dropped or clamped). FALSE when it is
 * deeper or longer than the limits. (transfer full) a NULL-terminated vector. */
gboolean hull_path_split(const char *name, char ***out);
/* (transfer full) @b itself, or for empty bytes an empty GBytes whose data is "" (not NULL).
 * Takes @b; NULL stays NULL. */
GBytes *hull_bytes_nonnull(GBytes *b);
/* Adds or replaces @file at its path; creates missing parents; applies replacement rules.
 * Takes ownership of @file. */
HullFile *hull_fs_insert(HullFs *fs, char **components, HullFile *file);
/* Whiteouts: removes @components (and its subtree) written by layers < @layer. */
void hull_fs_whiteout(HullFs *fs, char **components, int layer);
/* Opaque dir: removes children of @components written by layers < @layer. */
void hull_fs_opaque(HullFs *fs, char **components, int layer);
HullNode *hull_fs_find(HullFs *fs, char **components);
void hull_fs_finish(HullFs *fs);
HullFile *hull_file_new(const char *path, HullFileKind kind, guint32 mode);
void hull_file_free(HullFile *file);
/* (transfer full) @file's path, built from its node's names; nothing is cached. */
char *hull_file_dup_path(const HullFile *file);
/* Brackets the callbacks this thread runs for @file (the stream's want..end, a foreach
 * callback): inside them hull_file_get_path() returns a path cached for their duration only,
 * so a walk over every file never holds every path at once. Calls nest; a release matches
 * the latest hold of the same file on the same thread. */
void hull_file_hold_path(HullFile *file);
void hull_file_release_path(HullFile *file);
gboolean hull_fs_stream_host(HullFs *fs, guint n_threads, const HullFsStreamFuncs *funcs,
                             gpointer user_data, GError **error);
gboolean hull_fs_stream_layers(HullFs *fs, guint n_threads, gboolean include_deleted,
                               const HullFsStreamFuncs *funcs, gpointer user_data, GError **error);
/* Opens a regular file of a host-backed fs without following links. -1 with errno. */
int hull_fs_host_open(HullFs *fs, const HullFile *file);
GBytes *hull_layer_read_file(HullFs *fs, const HullFile *file, gsize max_size, GError **error);

/* ---- sources ---- */
gboolean hull_rootfs_load(HullFs *fs, const char *dir, GError **error);
gboolean hull_single_file_load(HullFs *fs, const char *path, GError **error);
gboolean hull_docker_archive_load(HullTarget *t, HullBlobSource *src, const HullOpenOptions *opt, GError **error);
gboolean hull_oci_load(HullTarget *t, HullBlobSource *src, const HullOpenOptions *opt, GError **error);

HullImage *hull_image_new(void);
void hull_image_free(HullImage *image);
/* Takes the config document; fills diff_ids and history. */
gboolean hull_image_set_config(HullImage *image, GBytes *config, const char *name, GError **error);
/* Loads the layers in order and verifies them; the image's config must be set. */
gboolean hull_image_load_layers(HullTarget *t, const HullOpenOptions *opt, GError **error);
/* A printable, one-line form of a name from an archive. (transfer full) */
char *hull_printable(const char *s);

G_END_DECLS
