/* hull-layer.c: reading one layer blob. The index pass decompresses the blob once through two
 * stacked libarchive readers (a "raw" reader that only decompresses, feeding a tar reader; a gzip
 * blob is inflated by ISA-L before either sees it, see hull-gunzip.c), so the
 * compressed bytes and the uncompressed stream are both hashed as they go by and checked against
 * the descriptor digest and the config's diff_id without a second pass; each entry is merged into
 * the fs as it is met. The stream pass reads the blob again and hands the bytes of the wanted
 * entries to the walker; layers are streamed concurrently. Nothing is written to disk and no more
 * than a few buffers of a layer are in memory at once. */
#include <errno.h>
#include <string.h>
#include <archive_entry.h>
#include "hull-fs-private.h"

#define HULL_LAYER_BUF (128 * 1024)

HullLayer *
hull_layer_new(guint index, const char *blob, const char *display)
{
	HullLayer *l = g_new0(HullLayer, 1);
	l->index = index;
	l->blob = g_strdup(blob);
	l->display = hull_printable(display);
	l->expect_size = -1;
	l->last_wanted = -1;
	l->wanted = g_array_new(FALSE, FALSE, sizeof(HullWanted));
	return l;
}

void
hull_layer_free(HullLayer *layer)
{
	if (layer == NULL)
		return;
	g_free(layer->blob);
	g_free(layer->display);
	g_free(layer->expect_diff_id);
	g_free(layer->expect_digest);
	g_array_unref(layer->wanted);
	g_free(layer);
}

/* ---- the compressed side ---- */

typedef struct {
	HullBlobReader *r;
	EVP_MD_CTX *md;
	guint64 bytes;
	guint8 *buf;
	const gint *cancel;      /* the deferred digest check stops when this is set */
	gboolean probed;         /* the first block was looked at */
	HullGunzip *gz;          /* a gzip blob: libarchive is handed the inflated bytes */
	guint8 *out;             /* what @gz inflates into */
	const char *gz_error;    /* why @gz stopped (libarchive's own message would only say the
	                          * tar ended early) */
} HullRawIn;

/* Why reading a layer through @a failed. */
static const char *
hull_raw_error(const HullRawIn *in, struct archive *a, const char *fallback)
{
	if (in->gz_error != NULL)
		return in->gz_error;
	return archive_error_string(a) != NULL ? archive_error_string(a) : fallback;
}

/* The next block of the blob, hashed as it goes by. */
static gssize
hull_raw_pull(struct archive *a, HullRawIn *in)
{
	gssize n = hull_blob_reader_read(in->r, in->buf, HULL_LAYER_BUF);
	if (n < 0) {
		archive_set_error(a, EIO, "%s", hull_blob_reader_error(in->r));
		return -1;
	}
	if (in->md != NULL && n > 0)
		EVP_DigestUpdate(in->md, in->buf, (size_t)n);
	in->bytes += (guint64)n;
	return n;
}

static la_ssize_t
hull_raw_read_gzip(struct archive *a, HullRawIn *in, const void **out)
{
	for (;;) {
		if (hull_gunzip_needs_input(in->gz)) {
			gssize n = hull_raw_pull(a, in);
			if (n < 0)
				return -1;
			hull_gunzip_feed(in->gz, in->buf, (gsize)n);
		}
		const char *err = NULL;
		gssize got = hull_gunzip_read(in->gz, in->out, HULL_LAYER_BUF, &err);
		if (got < 0) {
			in->gz_error = err;
			archive_set_error(a, EIO, "%s", err);
			return -1;
		}
		if (got > 0) {
			*out = in->out;
			return got;
		}
		if (hull_gunzip_finished(in->gz))
			return 0;
	}
}

static la_ssize_t
hull_raw_read(struct archive *a, void *ud, const void **out)
{
	HullRawIn *in = ud;
	if (in->cancel != NULL && g_atomic_int_get(in->cancel)) {
		archive_set_error(a, ECANCELED, "cancelled");
		return -1;
	}
	if (in->gz != NULL)
		return hull_raw_read_gzip(a, in, out);
	gssize n = hull_raw_pull(a, in);
	if (n < 0)
		return -1;
	if (!in->probed) {
		in->probed = TRUE;
		if (hull_gunzip_is_gzip(in->buf, (gsize)n) && hull_gunzip_available()) {
			in->gz = hull_gunzip_new();
			in->out = g_malloc(HULL_LAYER_BUF);
			hull_gunzip_feed(in->gz, in->buf, (gsize)n);
			return hull_raw_read_gzip(a, in, out);
		}
	}
	*out = in->buf;
	return n;
}

static la_int64_t
hull_raw_skip(struct archive *a, void *ud, la_int64_t request)
{
	HullRawIn *in = ud;
	if (!in->probed || in->gz != NULL)
		return 0; /* libarchive reads through instead */
	return hull_blob_reader_skip(in->r, request);
}

static void
hull_raw_in_clear(HullRawIn *rin)
{
	g_clear_pointer(&rin->r, hull_blob_reader_free);
	g_clear_pointer(&rin->buf, g_free);
	g_clear_pointer(&rin->gz, hull_gunzip_free);
	g_clear_pointer(&rin->out, g_free);
}

/* ---- the uncompressed side ---- */

typedef struct {
	struct archive *raw;
	EVP_MD_CTX *md;
	guint64 bytes;
	guint64 *total;
	guint64 max;
	gboolean too_large;
	gboolean eof;
} HullTarIn;

static la_ssize_t
hull_tar_read(struct archive *a, void *ud, const void **out)
{
	HullTarIn *in = ud;
	if (in->eof)
		return 0;
	const void *block;
	size_t size;
	la_int64_t offset;
	int r = archive_read_data_block(in->raw, &block, &size, &offset);
	if (r == ARCHIVE_EOF) {
		in->eof = TRUE;
		return 0;
	}
	if (r < ARCHIVE_WARN) {
		archive_set_error(a, EIO, "%s", archive_error_string(in->raw) ? archive_error_string(in->raw) : "corrupt");
		return -1;
	}
	if (in->md != NULL)
		EVP_DigestUpdate(in->md, block, size);
	in->bytes += size;
	*in->total += size;
	if (in->max > 0 && *in->total > in->max) {
		in->too_large = TRUE;
		archive_set_error(a, EFBIG, "uncompressed size over the limit");
		return -1;
	}
	*out = block;
	return (la_ssize_t)size;
}

static char *
hull_md_hex(EVP_MD_CTX *md)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(md, d, &len);
	GString *s = g_string_new("sha256:");
	for (unsigned int i = 0; i < len; i++)
		g_string_append_printf(s, "%02x", d[i]);
	return g_string_free(s, FALSE);
}

static HullFileKind
hull_entry_kind(struct archive_entry *e)
{
	if (archive_entry_hardlink(e) != NULL)
		return HULL_FILE_KIND_HARDLINK;
	switch (archive_entry_filetype(e)) {
	case AE_IFDIR:
		return HULL_FILE_KIND_DIRECTORY;
	case AE_IFLNK:
		return HULL_FILE_KIND_SYMLINK;
	case AE_IFCHR:
		return HULL_FILE_KIND_CHAR_DEVICE;
	case AE_IFBLK:
		return HULL_FILE_KIND_BLOCK_DEVICE;
	case AE_IFIFO:
		return HULL_FILE_KIND_FIFO;
	case AE_IFSOCK:
		return HULL_FILE_KIND_SOCKET;
	default:
		return HULL_FILE_KIND_REGULAR;
	}
}

static const char *
hull_entry_name(struct archive_entry *e)
{
	const char *n = archive_entry_pathname(e);
	return n != NULL ? n : archive_entry_pathname_utf8(e);
}

/* Whether a path or link target of an entry is longer than any runtime extracts. */
static gboolean
hull_entry_too_long(const char *s)
{
	return s != NULL && strnlen(s, HULL_LAYER_MAX_PATH + 1) > HULL_LAYER_MAX_PATH;
}

/* Merges one tar entry into the fs. */
static gboolean
hull_layer_merge(HullFs *fs, HullLayer *layer, struct archive_entry *e, gint64 ordinal, GError **error)
{
	const char *name = hull_entry_name(e);
	if (name == NULL) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
		            "layer %u (%s): entry %" G_GINT64_FORMAT " has no readable name", layer->index,
		            layer->display, ordinal);
		return FALSE;
	}
	/* Counted, not refused: the rest of the image is still worth scanning (one note per layer,
	 * see hull_layer_index). */
	if (hull_entry_too_long(name) || hull_entry_too_long(archive_entry_symlink(e)) ||
	    hull_entry_too_long(archive_entry_hardlink(e))) {
		layer->n_too_long++;
		return TRUE;
	}
	g_auto(GStrv) parts = NULL;
	if (!hull_path_split(name, &parts)) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
		            "layer %u (%s): entry %" G_GINT64_FORMAT " has a path deeper than %d levels or longer than %d bytes",
		            layer->index, layer->display, ordinal, HULL_FS_MAX_DEPTH, HULL_FS_MAX_PATH);
		return FALSE;
	}
	guint depth = g_strv_length(parts);
	int li = (int)layer->index;
	if (depth > 0 && g_str_has_prefix(parts[depth - 1], ".wh.")) {
		char *base = parts[depth - 1];
		if (strcmp(base, ".wh..wh..opq") == 0) {
			g_free(parts[depth - 1]);
			parts[depth - 1] = NULL;
			hull_fs_opaque(fs, parts, li);
		} else if (!g_str_has_prefix(base, ".wh..wh.") && base[4] != '\0') {
			char *target = g_strdup(base + 4);
			g_free(parts[depth - 1]);
			parts[depth - 1] = target;
			if (strcmp(target, ".") != 0 && strcmp(target, "..") != 0)
				hull_fs_whiteout(fs, parts, li);
		}
		return TRUE;
	}
	if (fs->n_entries >= HULL_FS_MAX_ENTRIES) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE, "layer %u (%s): more than %u entries",
		            layer->index, layer->display, HULL_FS_MAX_ENTRIES);
		return FALSE;
	}
	HullFileKind kind = hull_entry_kind(e);
	HullFile *f = hull_file_new(NULL, kind, (guint32)archive_entry_mode(e));
	f->uid = (guint32)archive_entry_uid(e);
	f->gid = (guint32)archive_entry_gid(e);
	f->layer = li;
	switch (kind) {
	case HULL_FILE_KIND_REGULAR:
		f->size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0 ? (guint64)archive_entry_size(e) : 0;
		f->content_layer = li;
		f->content_ordinal = ordinal;
		break;
	case HULL_FILE_KIND_SYMLINK: {
		const char *t = archive_entry_symlink(e);
		if (t == NULL)
			t = archive_entry_symlink_utf8(e);
		f->link_target = g_strdup(t != NULL ? t : "");
		break;
	}
	case HULL_FILE_KIND_HARDLINK: {
		const char *t = archive_entry_hardlink(e);
		g_auto(GStrv) tp = NULL;
		HullNode *tn = NULL;
		if (hull_path_split(t, &tp)) {
			tn = hull_fs_find(fs, tp);
			f->link_target = g_strjoinv("/", tp);
			char *abs = g_strconcat("/", f->link_target, NULL);
			g_free(f->link_target);
			f->link_target = abs;
		}
		/* a hard link is its target's content (within the image: the path is normalised) */
		if (tn != NULL && tn->file != NULL &&
		    (tn->file->kind == HULL_FILE_KIND_REGULAR || tn->file->kind == HULL_FILE_KIND_HARDLINK)) {
			f->size = tn->file->size;
			f->content_layer = tn->file->content_layer;
			f->content_ordinal = tn->file->content_ordinal;
		}
		f->mode = (f->mode & 07777) | 0100000;
		break;
	}
	default:
		break;
	}
	hull_fs_insert(fs, parts, f);
	return TRUE;
}

static struct archive *
hull_tar_reader_new(void)
{
	struct archive *t = archive_read_new();
	archive_read_support_format_tar(t);
	archive_read_support_format_gnutar(t);
	return t;
}

gboolean
hull_layer_index(HullFs *fs, HullLayer *layer, const HullOpenOptions *opt, gboolean merge, guint64 *total,
                 GError **error)
{
	g_autoptr(HullBlobReader) r = hull_blob_reader_open(fs->blobs, layer->blob, error);
	if (r == NULL)
		return FALSE;
	gboolean verify = opt->verify_digests;
	HullRawIn rin = {.r = r, .buf = g_malloc(HULL_LAYER_BUF), .cancel = merge ? NULL : &fs->verify_cancel};
	HullTarIn tin = {.total = total, .max = opt->max_image_size};
	if (verify) {
		/* the compressed bytes are hashed only when a descriptor names their digest (OCI) */
		if (layer->expect_digest != NULL) {
			rin.md = EVP_MD_CTX_new();
			EVP_DigestInit_ex(rin.md, EVP_sha256(), NULL);
		}
		tin.md = EVP_MD_CTX_new();
		EVP_DigestInit_ex(tin.md, EVP_sha256(), NULL);
	}
	gboolean ok = FALSE;
	struct archive *raw = archive_read_new();
	archive_read_support_filter_all(raw);
	archive_read_support_format_raw(raw);
	archive_read_set_read_callback(raw, hull_raw_read);
	archive_read_set_callback_data(raw, &rin);
	struct archive *tar = NULL;
	struct archive_entry *e;
	const char *what = layer->display;
	if (archive_read_open1(raw) != ARCHIVE_OK || archive_read_next_header(raw, &e) != ARCHIVE_OK) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "layer %u (%s): %s", layer->index, what,
		            hull_raw_error(&rin, raw, "unreadable"));
		goto out;
	}
	tin.raw = raw;
	tar = hull_tar_reader_new();
	archive_read_set_read_callback(tar, hull_tar_read);
	archive_read_set_callback_data(tar, &tin);
	int rr = archive_read_open1(tar);
	gint64 ordinal = 0;
	if (rr == ARCHIVE_OK) {
		while ((rr = archive_read_next_header(tar, &e)) == ARCHIVE_OK || rr == ARCHIVE_WARN) {
			if (merge && !hull_layer_merge(fs, layer, e, ordinal, error))
				goto out;
			ordinal++;
			rr = archive_read_data_skip(tar);
			if (rr != ARCHIVE_OK && rr != ARCHIVE_WARN)
				break;
		}
	}
	if (merge && layer->n_too_long > 0)
		g_ptr_array_add(fs->notes, g_strdup_printf("layer %u (%s): %" G_GUINT64_FORMAT " entries with a path or link "
		                                           "target longer than %d bytes skipped",
		                                           layer->index, what, layer->n_too_long, HULL_LAYER_MAX_PATH));
	if (tin.too_large) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE,
		            "layer %u (%s): the image's uncompressed size passes the limit of %" G_GUINT64_FORMAT " bytes",
		            layer->index, what, opt->max_image_size);
		goto out;
	}
	if (rr != ARCHIVE_EOF) {
		/* an empty blob is a valid empty layer only when it is truly empty */
		if (!(ordinal == 0 && tin.bytes == 0)) {
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
			            "layer %u (%s): truncated or corrupt tar: %s", layer->index, what,
			            hull_raw_error(&rin, tar, "unreadable"));
			goto out;
		}
	}
	/* hash what the tar reader did not need (end-of-archive padding, trailing bytes) */
	{
		const void *block;
		size_t size;
		la_int64_t off;
		int dr;
		while ((dr = archive_read_data_block(raw, &block, &size, &off)) == ARCHIVE_OK || dr == ARCHIVE_WARN) {
			if (tin.md != NULL)
				EVP_DigestUpdate(tin.md, block, size);
			tin.bytes += size;
			*total += size;
		}
		if (dr != ARCHIVE_EOF) {
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "layer %u (%s): corrupt: %s",
			            layer->index, what, hull_raw_error(&rin, raw, "unreadable"));
			goto out;
		}
		for (;;) {
			gssize n = hull_blob_reader_read(r, rin.buf, HULL_LAYER_BUF);
			if (n <= 0)
				break;
			if (rin.md != NULL)
				EVP_DigestUpdate(rin.md, rin.buf, (size_t)n);
			rin.bytes += (guint64)n;
		}
	}
	if (opt->max_image_size > 0 && *total > opt->max_image_size) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE,
		            "layer %u (%s): the image's uncompressed size passes the limit of %" G_GUINT64_FORMAT " bytes",
		            layer->index, what, opt->max_image_size);
		goto out;
	}
	if (verify) {
		g_autofree char *zd = rin.md != NULL ? hull_md_hex(rin.md) : NULL;
		g_autofree char *ud = hull_md_hex(tin.md);
		if (layer->expect_size >= 0 && (guint64)layer->expect_size != rin.bytes) {
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_DIGEST,
			            "layer %u: blob %s is %" G_GUINT64_FORMAT " bytes, its descriptor says %" G_GINT64_FORMAT,
			            layer->index, what, rin.bytes, layer->expect_size);
			goto out;
		}
		if (zd != NULL && g_ascii_strcasecmp(layer->expect_digest, zd) != 0) {
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_DIGEST,
			            "layer %u: blob %s has digest %s, its descriptor says %s", layer->index, what, zd,
			            layer->expect_digest);
			goto out;
		}
		if (layer->expect_diff_id != NULL && g_ascii_strcasecmp(layer->expect_diff_id, ud) != 0) {
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_DIGEST,
			            "layer %u: blob %s has uncompressed digest %s, the config's diff_id says %s", layer->index,
			            what, ud, layer->expect_diff_id);
			goto out;
		}
	}
	ok = TRUE;
out:
	if (tar != NULL)
		archive_read_free(tar);
	archive_read_free(raw);
	if (rin.md != NULL)
		EVP_MD_CTX_free(rin.md);
	if (tin.md != NULL)
		EVP_MD_CTX_free(tin.md);
	rin.r = NULL; /* @r's own */
	hull_raw_in_clear(&rin);
	return ok;
}

/* ---- streaming ---- */

typedef struct {
	HullFs *fs;
	const HullFsStreamFuncs *funcs;
	gpointer user_data;
	gboolean include_deleted;
	gint next;
	guint64 done;
	GMutex lock;
	GError *error;
	gint stop;
} HullLayerStream;

typedef struct {
	HullFile *file;
	gpointer data;
	gboolean active;
} HullActive;

/* Opens a layer for a sequential read of its entries. */
static struct archive *
hull_layer_open_stream(HullFs *fs, HullLayer *layer, HullRawIn *rin, GError **error)
{
	rin->r = hull_blob_reader_open(fs->blobs, layer->blob, error);
	if (rin->r == NULL)
		return NULL;
	rin->buf = g_malloc(HULL_LAYER_BUF);
	struct archive *a = hull_tar_reader_new();
	archive_read_support_filter_all(a);
	archive_read_set_read_callback(a, hull_raw_read);
	archive_read_set_skip_callback(a, hull_raw_skip);
	archive_read_set_callback_data(a, rin);
	if (archive_read_open1(a) != ARCHIVE_OK) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "layer %u (%s): %s", layer->index,
		            layer->display, hull_raw_error(rin, a, "unreadable"));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static gboolean
hull_layer_stream_one(HullLayerStream *s, HullLayer *layer, GError **error)
{
	if (layer->last_wanted < 0)
		return TRUE;
	HullRawIn rin = {0};
	struct archive *a = hull_layer_open_stream(s->fs, layer, &rin, error);
	if (a == NULL) {
		hull_raw_in_clear(&rin);
		return FALSE;
	}
	struct archive_entry *e;
	gint64 ordinal = 0;
	int r;
	gboolean ok = TRUE;
	guint8 *buf = g_malloc(HULL_LAYER_BUF);
	GArray *active = g_array_new(FALSE, TRUE, sizeof(HullActive));
	guint next = 0;             /* the wanted list is in entry order: one cursor walks it */
	while (ordinal <= layer->last_wanted && !g_atomic_int_get(&s->stop) &&
	       ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		if (next >= layer->wanted->len)
			break;
		const HullWanted *w = &g_array_index(layer->wanted, HullWanted, next);
		if (w->ordinal != ordinal++)
			continue;
		g_array_set_size(active, 0);
		for (; next < layer->wanted->len && w->ordinal == ordinal - 1; w++, next++) {
			HullFile *f = w->file;
			if (f->deleted_in >= 0 && !s->include_deleted)
				continue;
			HullActive act = {.file = f, .active = TRUE};
			hull_file_hold_path(f);
			if (s->funcs->want(f, s->user_data, &act.data))
				g_array_append_val(active, act);
			else
				hull_file_release_path(f);
		}
		if (active->len == 0)
			continue;
		guint n_active = active->len;
		gboolean complete = TRUE;
		for (;;) {
			la_ssize_t n = archive_read_data(a, buf, HULL_LAYER_BUF);
			if (n < 0) {
				complete = FALSE;
				ok = FALSE;
				g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
				            "layer %u (%s): truncated or corrupt: %s", layer->index, layer->display,
				            hull_raw_error(&rin, a, "unreadable"));
				break;
			}
			if (n == 0)
				break;
			guint64 d = __atomic_add_fetch(&s->done, (guint64)n, __ATOMIC_RELAXED);
			if (s->funcs->progress != NULL)
				s->funcs->progress(d, s->fs->total_bytes, s->user_data);
			for (guint i = 0; i < active->len; i++) {
				HullActive *act = &g_array_index(active, HullActive, i);
				if (!act->active)
					continue;
				if (s->funcs->chunk != NULL &&
				    !s->funcs->chunk(act->file, act->data, buf, (gsize)n, s->user_data)) {
					act->active = FALSE;
					n_active--;
				}
			}
			if (n_active == 0)
				break;
		}
		for (guint i = 0; i < active->len; i++) {
			HullActive *act = &g_array_index(active, HullActive, i);
			if (s->funcs->end != NULL)
				s->funcs->end(act->file, act->data, complete && act->active, s->user_data);
			hull_file_release_path(act->file);
		}
		if (!ok)
			break;
	}
	if (ok && ordinal <= layer->last_wanted && !g_atomic_int_get(&s->stop)) {
		ok = FALSE;
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "layer %u (%s): truncated: %s",
		            layer->index, layer->display, hull_raw_error(&rin, a, "unreadable"));
	}
	g_array_unref(active);
	g_free(buf);
	archive_read_free(a);
	hull_raw_in_clear(&rin);
	return ok;
}

static gpointer
hull_layer_stream_thread(gpointer p)
{
	HullLayerStream *s = p;
	for (;;) {
		gint i = g_atomic_int_add(&s->next, 1);
		if ((guint)i >= s->fs->layers->len || g_atomic_int_get(&s->stop))
			break;
		GError *error = NULL;
		if (!hull_layer_stream_one(s, g_ptr_array_index(s->fs->layers, i), &error)) {
			g_mutex_lock(&s->lock);
			if (s->error == NULL)
				s->error = error;
			else
				g_clear_error(&error);
			g_mutex_unlock(&s->lock);
			g_atomic_int_set(&s->stop, 1);
		}
	}
	return NULL;
}

static gint
hull_wanted_cmp(gconstpointer a, gconstpointer b)
{
	gint64 x = ((const HullWanted *)a)->ordinal, y = ((const HullWanted *)b)->ordinal;
	return x < y ? -1 : x > y;
}

/* Which entry of which layer holds the bytes of each file, visible or deleted. */
static void
hull_layers_plan(HullFs *fs)
{
	static GMutex plan_lock;
	g_mutex_lock(&plan_lock);
	gboolean planned = FALSE;
	for (guint i = 0; i < fs->layers->len; i++) {
		HullLayer *l = g_ptr_array_index(fs->layers, i);
		if (l->wanted->len > 0)
			planned = TRUE;
	}
	if (!planned) {
		GPtrArray *all = g_ptr_array_new();
		for (guint i = 0; i < fs->sorted->len; i++)
			g_ptr_array_add(all, g_ptr_array_index(fs->sorted, i));
		for (guint i = 0; i < fs->deleted->len; i++)
			g_ptr_array_add(all, g_ptr_array_index(fs->deleted, i));
		for (guint i = 0; i < all->len; i++) {
			HullFile *f = g_ptr_array_index(all, i);
			if (f->content_ordinal < 0 || f->content_layer < 0 || (guint)f->content_layer >= fs->layers->len)
				continue;
			HullLayer *l = g_ptr_array_index(fs->layers, f->content_layer);
			HullWanted w = {f->content_ordinal, f};
			g_array_append_val(l->wanted, w);
			l->last_wanted = MAX(l->last_wanted, f->content_ordinal);
		}
		g_ptr_array_free(all, TRUE);
		/* stable: files sharing an entry (hard links) keep path order */
		for (guint i = 0; i < fs->layers->len; i++) {
			HullLayer *l = g_ptr_array_index(fs->layers, i);
			g_array_sort(l->wanted, hull_wanted_cmp);
		}
	}
	g_mutex_unlock(&plan_lock);
}

gboolean
hull_fs_stream_layers(HullFs *fs, guint n_threads, gboolean include_deleted, const HullFsStreamFuncs *funcs,
                      gpointer user_data, GError **error)
{
	hull_layers_plan(fs);
	HullLayerStream s = {.fs = fs, .funcs = funcs, .user_data = user_data, .include_deleted = include_deleted};
	g_mutex_init(&s.lock);
	guint n = MIN(n_threads, MAX(fs->layers->len, 1u));
	if (n <= 1) {
		hull_layer_stream_thread(&s);
	} else {
		GThread **threads = g_new0(GThread *, n);
		for (guint i = 0; i < n; i++)
			threads[i] = g_thread_new("hull-layer", hull_layer_stream_thread, &s);
		for (guint i = 0; i < n; i++)
			g_thread_join(threads[i]);
		g_free(threads);
	}
	g_mutex_clear(&s.lock);
	if (s.error != NULL) {
		g_propagate_error(error, s.error);
		return FALSE;
	}
	return TRUE;
}

GBytes *
hull_layer_read_file(HullFs *fs, const HullFile *file, gsize max_size, GError **error)
{
	if (file->content_ordinal < 0 || file->content_layer < 0 || (guint)file->content_layer >= fs->layers->len)
		return g_bytes_new(NULL, 0);
	HullLayer *layer = g_ptr_array_index(fs->layers, file->content_layer);
	HullRawIn rin = {0};
	struct archive *a = hull_layer_open_stream(fs, layer, &rin, error);
	if (a == NULL) {
		hull_raw_in_clear(&rin);
		return NULL;
	}
	struct archive_entry *e;
	GByteArray *out = NULL;
	for (gint64 i = 0; i <= file->content_ordinal; i++) {
		int r = archive_read_next_header(a, &e);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			goto fail;
	}
	out = g_byte_array_new();
	guint8 *buf = g_malloc(65536);
	for (;;) {
		la_ssize_t n = archive_read_data(a, buf, 65536);
		if (n < 0) {
			g_free(buf);
			goto fail;
		}
		if (n == 0)
			break;
		if (out->len + (gsize)n > max_size) {
			g_free(buf);
			g_byte_array_unref(out);
			archive_read_free(a);
			hull_raw_in_clear(&rin);
			g_autofree char *path = hull_file_dup_path(file);
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE, "%s: more than %" G_GSIZE_FORMAT " bytes",
			            path, max_size);
			return NULL;
		}
		g_byte_array_append(out, buf, (guint)n);
	}
	g_free(buf);
	archive_read_free(a);
	hull_raw_in_clear(&rin);
	return g_byte_array_free_to_bytes(out);
fail:;
	g_autofree char *path = hull_file_dup_path(file);
	g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "layer %u (%s): cannot read %s: %s",
	            layer->index, layer->display, path, hull_raw_error(&rin, a, "truncated"));
	if (out != NULL)
		g_byte_array_unref(out);
	archive_read_free(a);
	hull_raw_in_clear(&rin);
	return NULL;
}
