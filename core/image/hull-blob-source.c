/* hull-blob-source.c: where the bytes of an image come from: files of an OCI layout directory,
 * or members of an outer tar (docker-archive, OCI layout packed as a tar). The outer tar is
 * listed once; a member is then reached by reading headers again, which libarchive does by
 * seeking over the data of an uncompressed tar, so opening a layer costs a few header reads
 * and never a copy. Member names are normalised, so "./manifest.json" and "manifest.json" match,
 * and a reference can never point outside the archive or the directory. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive_entry.h>
#include "hull-fs-private.h"

struct _HullBlobReader {
	int fd;                  /* directory source */
	struct archive *outer;   /* tar source */
	char *error;
};

/* "a/./b" -> "a/b"; NULL for anything that would leave the root ("..", absolute). */
static char *
hull_member_normalise(const char *name, gboolean strict)
{
	const char *p = name;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (strict) {
		if (p[0] == '/')
			return NULL;
		g_auto(GStrv) raw = g_strsplit(p, "/", -1);
		for (guint i = 0; raw[i] != NULL; i++)
			if (strcmp(raw[i], "..") == 0)
				return NULL;
	}
	g_auto(GStrv) parts = NULL;
	if (!hull_path_split(p, &parts))
		return NULL;
	return g_strjoinv("/", parts);
}

/* Where a link member points, normalised; NULL when @e is no link. Docker before 25 writes a
 * layer that two image layers share once and the second "<id>/layer.tar" as a symlink to
 * "../<first id>/layer.tar"; the manifest names the symlink. A symlink's target is relative to
 * its own directory, a hard link's to the archive's root; ".." stops at the root, so a link can
 * only ever name another member. */
static char *
hull_member_link_target(const char *name, struct archive_entry *e)
{
	const char *hard = archive_entry_hardlink(e);
	if (hard != NULL)
		return hull_member_normalise(hard, FALSE);
	if (archive_entry_filetype(e) != AE_IFLNK)
		return NULL;
	const char *target = archive_entry_symlink(e);
	if (target == NULL || target[0] == '\0')
		return NULL;
	if (target[0] == '/')
		return hull_member_normalise(target, FALSE);
	g_autofree char *dir = g_path_get_dirname(name);
	g_autofree char *joined = g_strcmp0(dir, ".") == 0 ? g_strdup(target) : g_strconcat(dir, "/", target, NULL);
	return hull_member_normalise(joined, FALSE);
}

/* Each link member that leads, in at most HULL_FS_MAX_HOPS links, to a regular member becomes
 * another name of that member. Links that loop, dangle or end on a directory are left out, so
 * a reference to one reads as a missing member. */
static void
hull_blob_source_alias_links(HullBlobSource *src, GHashTable *links)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(GPtrArray) targets = g_ptr_array_new();
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, links);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *cur = v;
		for (guint hop = 0; cur != NULL && hop < HULL_FS_MAX_HOPS; hop++) {
			if (g_hash_table_contains(src->members, cur)) {
				g_ptr_array_add(names, k);
				g_ptr_array_add(targets, (gpointer)cur);
				break;
			}
			cur = g_hash_table_lookup(links, cur);
		}
	}
	for (guint i = 0; i < names->len; i++) {
		const char *target = targets->pdata[i];
		g_hash_table_replace(src->members, g_strdup(names->pdata[i]), g_hash_table_lookup(src->members, target));
		guint64 *sz = g_memdup2(g_hash_table_lookup(src->member_sizes, target), sizeof(guint64));
		g_hash_table_replace(src->member_sizes, g_strdup(names->pdata[i]), sz);
	}
}

HullBlobSource *
hull_blob_source_new(const char *path, gboolean is_dir, GError **error)
{
	HullBlobSource *src = g_new0(HullBlobSource, 1);
	src->path = g_strdup(path);
	src->is_dir = is_dir;
	if (is_dir)
		return src;
	src->members = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	src->member_sizes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	src->read = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: %s", path,
		            archive_error_string(a));
		archive_read_free(a);
		hull_blob_source_free(src);
		return NULL;
	}
	struct archive_entry *e;
	guint ordinal = 0;
	int r;
	/* link members: normalised name -> normalised member they point at */
	g_autoptr(GHashTable) links = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(e);
		char *n = name != NULL ? hull_member_normalise(name, FALSE) : NULL;
		char *to = n != NULL ? hull_member_link_target(n, e) : NULL;
		if (to != NULL) {
			/* a later entry of the same name replaces an earlier one, as tar -x does */
			g_hash_table_remove(src->members, n);
			g_hash_table_remove(src->member_sizes, n);
			g_hash_table_replace(links, n, to);
		} else if (n != NULL && archive_entry_filetype(e) == AE_IFREG) {
			g_hash_table_remove(links, n);
			g_hash_table_replace(src->members, g_strdup(n), GUINT_TO_POINTER(ordinal + 1));
			guint64 *sz = g_new(guint64, 1);
			*sz = (guint64)archive_entry_size(e);
			g_hash_table_replace(src->member_sizes, n, sz);
		} else {
			g_free(n);
		}
		ordinal++;
		if (ordinal > 1000000) {
			r = ARCHIVE_FATAL;
			break;
		}
	}
	if (r != ARCHIVE_EOF) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: unreadable archive: %s", path,
		            archive_error_string(a) ? archive_error_string(a) : "too many members");
		archive_read_free(a);
		hull_blob_source_free(src);
		return NULL;
	}
	archive_read_free(a);
	hull_blob_source_alias_links(src, links);
	return src;
}

void
hull_blob_source_free(HullBlobSource *src)
{
	if (src == NULL)
		return;
	g_free(src->path);
	if (src->members != NULL)
		g_hash_table_unref(src->members);
	if (src->member_sizes != NULL)
		g_hash_table_unref(src->member_sizes);
	if (src->read != NULL)
		g_hash_table_unref(src->read);
	g_free(src);
}

/* ---- the probe memo ----
 * A GVariant (a(sut)a(say)): each regular member's normalised name, ordinal + 1 and size, then
 * the name and bytes of each member read whole (manifests, index, config). With it, a scan whose
 * results are cached opens an unchanged image tar without listing it or loading libarchive. */
#define HULL_BLOB_MEMO_TYPE "(a(sut)a(say))"
#define HULL_BLOB_MEMO_MAX_BYTES (4u * 1024 * 1024)

GBytes *
hull_blob_source_memo(HullBlobSource *src)
{
	g_return_val_if_fail(src != NULL, NULL);
	if (src->is_dir || src->from_memo || g_hash_table_size(src->members) > HULL_BLOB_MEMO_MAX_MEMBERS)
		return NULL;
	GVariantBuilder members, read;
	g_variant_builder_init(&members, G_VARIANT_TYPE("a(sut)"));
	g_variant_builder_init(&read, G_VARIANT_TYPE("a(say)"));
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, src->members);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const guint64 *size = g_hash_table_lookup(src->member_sizes, k);
		if (!g_utf8_validate(k, -1, NULL)) {
			g_variant_builder_clear(&members);
			g_variant_builder_clear(&read);
			return NULL;
		}
		g_variant_builder_add(&members, "(sut)", (const char *)k, GPOINTER_TO_UINT(v), size != NULL ? *size : 0);
	}
	gsize total = 0;
	g_hash_table_iter_init(&it, src->read);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		gsize len = 0;
		gconstpointer data = g_bytes_get_data(v, &len);
		total += len;
		if (total > HULL_BLOB_MEMO_MAX_BYTES || !g_utf8_validate(k, -1, NULL)) {
			g_variant_builder_clear(&members);
			g_variant_builder_clear(&read);
			return NULL;
		}
		g_variant_builder_add(&read, "(s@ay)", (const char *)k,
		                      g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, data, len, 1));
	}
	g_autoptr(GVariant) memo = g_variant_ref_sink(
	    g_variant_new("(@a(sut)@a(say))", g_variant_builder_end(&members), g_variant_builder_end(&read)));
	return g_variant_get_data_as_bytes(memo);
}

HullBlobSource *
hull_blob_source_new_from_memo(const char *path, GBytes *memo)
{
	g_return_val_if_fail(path != NULL && memo != NULL, NULL);
	/* it comes from the cache file: checked like any input */
	g_autoptr(GVariant) v = g_variant_ref_sink(g_variant_new_from_bytes(G_VARIANT_TYPE(HULL_BLOB_MEMO_TYPE), memo, FALSE));
	if (!g_variant_is_normal_form(v))
		return NULL;
	g_autoptr(GVariant) members = g_variant_get_child_value(v, 0);
	g_autoptr(GVariant) read = g_variant_get_child_value(v, 1);
	if (g_variant_n_children(members) > HULL_BLOB_MEMO_MAX_MEMBERS)
		return NULL;
	HullBlobSource *src = g_new0(HullBlobSource, 1);
	src->path = g_strdup(path);
	src->from_memo = TRUE;
	src->members = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	src->member_sizes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	src->read = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
	GVariantIter it;
	const char *name;
	guint32 ordinal;
	guint64 size;
	g_variant_iter_init(&it, members);
	while (g_variant_iter_next(&it, "(&sut)", &name, &ordinal, &size)) {
		g_autofree char *n = hull_member_normalise(name, FALSE);
		if (n == NULL || strcmp(n, name) != 0 || ordinal == 0 || ordinal > 1000001) {
			hull_blob_source_free(src);
			return NULL;
		}
		g_hash_table_replace(src->members, g_strdup(name), GUINT_TO_POINTER(ordinal));
		guint64 *sz = g_new(guint64, 1);
		*sz = size;
		g_hash_table_replace(src->member_sizes, g_strdup(name), sz);
	}
	GVariant *data;
	g_variant_iter_init(&it, read);
	while (g_variant_iter_next(&it, "(&s@ay)", &name, &data)) {
		gboolean known = g_hash_table_contains(src->members, name);
		if (known)
			g_hash_table_replace(src->read, g_strdup(name), g_variant_get_data_as_bytes(data));
		g_variant_unref(data);
		if (!known) {
			hull_blob_source_free(src);
			return NULL;
		}
	}
	return src;
}

gboolean
hull_blob_source_has(HullBlobSource *src, const char *name)
{
	g_autofree char *n = hull_member_normalise(name, TRUE);
	if (n == NULL)
		return FALSE;
	if (src->is_dir) {
		g_autofree char *p = g_build_filename(src->path, n, NULL);
		struct stat st;
		return lstat(p, &st) == 0 && S_ISREG(st.st_mode);
	}
	return g_hash_table_contains(src->members, n);
}

HullBlobReader *
hull_blob_reader_open(HullBlobSource *src, const char *name, GError **error)
{
	g_autofree char *shown = hull_printable(name);
	g_autofree char *n = hull_member_normalise(name, TRUE);
	if (n == NULL || n[0] == '\0') {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
		            "%s: reference \"%s\" points outside the image", src->path, shown);
		return NULL;
	}
	HullBlobReader *r = g_new0(HullBlobReader, 1);
	r->fd = -1;
	if (src->is_dir) {
		/* every component must be a real directory or file of the layout: no link followed */
		int root = open(src->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		int fd = root;
		g_auto(GStrv) parts = g_strsplit(n, "/", -1);
		for (guint i = 0; fd >= 0 && parts[i] != NULL; i++) {
			int flags = parts[i + 1] != NULL ? (O_RDONLY | O_DIRECTORY) : (O_RDONLY | O_NONBLOCK);
			int next = openat(fd, parts[i], flags | O_NOFOLLOW | O_CLOEXEC);
			int e = errno;
			close(fd);
			errno = e;
			fd = next;
		}
		struct stat st;
		if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
			close(fd);
			fd = -1;
			errno = EINVAL;
		}
		if (fd < 0) {
			int e = errno;
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: blob %s: %s", src->path,
			            shown, g_strerror(e));
			g_free(r);
			return NULL;
		}
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		r->fd = fd;
		return r;
	}
	guint ordinal = GPOINTER_TO_UINT(g_hash_table_lookup(src->members, n));
	if (ordinal == 0) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: member %s is missing", src->path,
		            shown);
		g_free(r);
		return NULL;
	}
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	if (archive_read_open_filename(a, src->path, 65536) != ARCHIVE_OK)
		goto fail;
	struct archive_entry *e;
	for (guint i = 0; i < ordinal; i++) {
		int rr = archive_read_next_header(a, &e);
		if (rr != ARCHIVE_OK && rr != ARCHIVE_WARN)
			goto fail;
	}
	r->outer = a;
	return r;
fail:
	g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: member %s: %s", src->path, shown,
	            archive_error_string(a) ? archive_error_string(a) : "unreadable");
	archive_read_free(a);
	g_free(r);
	return NULL;
}

gssize
hull_blob_reader_read(HullBlobReader *r, void *buf, gsize len)
{
	if (r->outer != NULL) {
		la_ssize_t n = archive_read_data(r->outer, buf, len);
		if (n < 0) {
			g_free(r->error);
			r->error = g_strdup(archive_error_string(r->outer));
			return -1;
		}
		return n;
	}
	for (;;) {
		ssize_t n = read(r->fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_free(r->error);
			r->error = g_strdup(g_strerror(errno));
		}
		return n;
	}
}

gint64
hull_blob_reader_skip(HullBlobReader *r, gint64 n)
{
	if (r->fd < 0)
		return 0;
	off_t cur = lseek(r->fd, 0, SEEK_CUR);
	struct stat st;
	if (cur < 0 || fstat(r->fd, &st) != 0)
		return 0;
	gint64 room = (gint64)st.st_size - (gint64)cur;
	if (n > room)
		n = room;
	if (n <= 0)
		return 0;
	if (lseek(r->fd, (off_t)n, SEEK_CUR) < 0)
		return 0;
	return n;
}

const char *
hull_blob_reader_error(HullBlobReader *r)
{
	return r->error != NULL ? r->error : "unexpected end of data";
}

void
hull_blob_reader_free(HullBlobReader *r)
{
	if (r == NULL)
		return;
	if (r->fd >= 0)
		close(r->fd);
	if (r->outer != NULL)
		archive_read_free(r->outer);
	g_free(r->error);
	g_free(r);
}

GBytes *
hull_blob_source_read_all(HullBlobSource *src, const char *name, gsize max, GError **error)
{
	g_autofree char *key = src->read != NULL ? hull_member_normalise(name, TRUE) : NULL;
	GBytes *known = key != NULL ? g_hash_table_lookup(src->read, key) : NULL;
	if (known != NULL && g_bytes_get_size(known) <= max)
		return hull_bytes_nonnull(g_bytes_ref(known));
	g_autoptr(HullBlobReader) r = hull_blob_reader_open(src, name, error);
	if (r == NULL)
		return NULL;
	GByteArray *buf = g_byte_array_new();
	guint8 tmp[65536];
	for (;;) {
		gssize n = hull_blob_reader_read(r, tmp, sizeof tmp);
		if (n < 0) {
			g_autofree char *shown = hull_printable(name);
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: %s: %s", src->path, shown,
			            hull_blob_reader_error(r));
			g_byte_array_unref(buf);
			return NULL;
		}
		if (n == 0)
			break;
		if (buf->len + (gsize)n > max) {
			g_autofree char *shown = hull_printable(name);
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE,
			            "%s: %s is larger than %" G_GSIZE_FORMAT " bytes", src->path, shown, max);
			g_byte_array_unref(buf);
			return NULL;
		}
		g_byte_array_append(buf, tmp, (guint)n);
	}
	GBytes *all = g_byte_array_free_to_bytes(buf);
	if (key != NULL && !src->from_memo)
		g_hash_table_replace(src->read, g_steal_pointer(&key), g_bytes_ref(all));
	return hull_bytes_nonnull(all);
}
