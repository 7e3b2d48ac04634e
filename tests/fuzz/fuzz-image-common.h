/* fuzz-image-common.h: shared by fuzz-docker-archive.c and fuzz-oci.c. The fuzz input is text
 * (so seeds stay small readable files, no binary blobs in git): parts separated by a line "--".
 * Part 0 is manifest.json (docker-archive) or index.json (OCI); then the image config (OCI: the
 * manifest, then the config); every further part is a layer, either a little script ("f PATH CONTENT", "d PATH", "l PATH TARGET",
 * "h PATH TARGET", "w PATH", "o DIR", "p PATH" fifo) packed into a tar here, or, when it starts
 * with "RAW\n", the layer blob's bytes as given. A last part that starts with "OUTER\n" adds link
 * members to the outer tar itself ("l NAME TARGET" symlink, "h NAME TARGET" hard link), as
 * Docker before 25 links a shared layer.tar. The parts are packed into an outer tar that is
 * opened, merged and streamed like any image; errors are expected, crashes and leaks are not. */
#pragma once

#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "hull-target.h"

static GPtrArray *
hull_fuzz_split(const uint8_t *data, size_t size)
{
	GPtrArray *parts = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	size_t start = 0;
	for (size_t i = 0; i + 4 <= size; i++) {
		if (memcmp(data + i, "\n--\n", 4) == 0) {
			g_ptr_array_add(parts, g_bytes_new(data + start, i + 1 - start));
			start = i + 4;
			i += 3;
		}
	}
	g_ptr_array_add(parts, g_bytes_new(data + start, size - start));
	return parts;
}

static void
hull_fuzz_add(struct archive *w, const char *name, int type, const void *data, size_t len, const char *link)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_mode(e, (type == AE_IFDIR ? 0755 : 0644) | type);
	if (type == AE_IFLNK)
		archive_entry_set_symlink(e, link);
	if (link != NULL && type == AE_IFREG) {
		archive_entry_set_hardlink(e, link);
		len = 0;
	}
	archive_entry_set_size(e, (la_int64_t)len);
	archive_write_header(w, e);
	if (len > 0)
		archive_write_data(w, data, len);
	archive_entry_free(e);
}

/* Builds a layer blob from a part. (transfer full) */
static GBytes *
hull_fuzz_layer(GBytes *part)
{
	gsize len;
	const char *text = g_bytes_get_data(part, &len);
	if (text == NULL || len == 0)
		text = "", len = 0;
	if (len >= 4 && memcmp(text, "RAW\n", 4) == 0)
		return g_bytes_new(text + 4, len - 4);
	size_t cap = 1 << 16;
	size_t used = 0;
	void *buf = g_malloc(cap + 4096);
	struct archive *w = archive_write_new();
	archive_write_set_format_pax_restricted(w);
	archive_write_set_bytes_per_block(w, 512);
	archive_write_open_memory(w, buf, cap + 4096, &used);
	g_autofree char *copy = g_strndup(text, len);
	g_auto(GStrv) lines = g_strsplit(copy, "\n", 200);
	for (guint i = 0; lines[i] != NULL; i++) {
		char *l = lines[i];
		if (l[0] == '\0' || l[1] != ' ')
			continue;
		char *path = l + 2;
		char *arg = strchr(path, ' ');
		if (arg != NULL)
			*arg++ = '\0';
		switch (l[0]) {
		case 'f':
			hull_fuzz_add(w, path, AE_IFREG, arg ? arg : "", arg ? strlen(arg) : 0, NULL);
			break;
		case 'd':
			hull_fuzz_add(w, path, AE_IFDIR, NULL, 0, NULL);
			break;
		case 'l':
			hull_fuzz_add(w, path, AE_IFLNK, NULL, 0, arg ? arg : "");
			break;
		case 'h':
			hull_fuzz_add(w, path, AE_IFREG, NULL, 0, arg ? arg : "");
			break;
		case 'p':
			hull_fuzz_add(w, path, AE_IFIFO, NULL, 0, NULL);
			break;
		case 'w': {
			g_autofree char *dir = g_path_get_dirname(path);
			g_autofree char *base = g_path_get_basename(path);
			g_autofree char *wh = g_strdup_printf("%s/.wh.%s", dir, base);
			hull_fuzz_add(w, wh, AE_IFREG, NULL, 0, NULL);
			break;
		}
		case 'o': {
			g_autofree char *wh = g_strdup_printf("%s/.wh..wh..opq", path);
			hull_fuzz_add(w, wh, AE_IFREG, NULL, 0, NULL);
			break;
		}
		default:
			break;
		}
	}
	archive_write_close(w);
	archive_write_free(w);
	return g_bytes_new_take(buf, used);
}

static char *
hull_fuzz_sha(GBytes *b)
{
	return g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, b);
}

static GBytes *
hull_fuzz_subst(GBytes *b, GHashTable *vars)
{
	GString *s = g_string_new_len(g_bytes_get_data(b, NULL), (gssize)g_bytes_get_size(b));
	GHashTableIter it;
	gpointer k, v;
	/* longest names first so "@CONFIGSIZE" is not cut by "@CONFIG" */
	for (int pass = 0; pass < 2; pass++) {
		g_hash_table_iter_init(&it, vars);
		while (g_hash_table_iter_next(&it, &k, &v))
			if ((strstr(k, "SIZE") != NULL) == (pass == 0))
				g_string_replace(s, k, v, 0);
	}
	gsize len = s->len;
	return g_bytes_new_take(g_string_free(s, FALSE), len);
}

/* Writes the outer tar into @path. @oci: lay it out as an OCI image layout, where part 0 is
 * index.json, part 1 the manifest, part 2 the config. Placeholders are replaced by real digests so
 * seeds can be valid: @DIFFn @LAYERn @SIZEn (layer n), @CONFIG @CONFIGSIZE, @MANIFEST @MANIFESTSIZE. */
static void
hull_fuzz_pack(const char *path, GPtrArray *parts, gboolean oci)
{
	guint first_layer = oci ? 3 : 2;
	g_autoptr(GBytes) outer_links = NULL;
	if (parts->len > first_layer) {
		GBytes *last = g_ptr_array_index(parts, parts->len - 1);
		gsize n;
		const char *t = g_bytes_get_data(last, &n);
		if (t != NULL && n >= 6 && memcmp(t, "OUTER\n", 6) == 0) {
			outer_links = g_bytes_new_from_bytes(last, 6, n - 6);
			g_ptr_array_remove_index(parts, parts->len - 1);
		}
	}
	g_autoptr(GHashTable) vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	for (guint i = 0; i < parts->len; i++)
		g_ptr_array_add(blobs, i >= first_layer ? hull_fuzz_layer(g_ptr_array_index(parts, i))
		                                        : g_bytes_ref(g_ptr_array_index(parts, i)));
	for (guint i = first_layer; i < blobs->len; i++) {
		GBytes *b = g_ptr_array_index(blobs, i);
		g_autofree char *sha = hull_fuzz_sha(b);
		guint n = i - first_layer;
		g_hash_table_insert(vars, g_strdup_printf("@DIFF%u", n), g_strconcat("sha256:", sha, NULL));
		g_hash_table_insert(vars, g_strdup_printf("@LAYER%u", n), g_strconcat("sha256:", sha, NULL));
		g_hash_table_insert(vars, g_strdup_printf("@SIZE%u", n), g_strdup_printf("%" G_GSIZE_FORMAT, g_bytes_get_size(b)));
	}
	/* config, then manifest, then index: each may name the digest of the one before */
	for (gint i = (gint)MIN(blobs->len, first_layer) - 1; i >= 0; i--) {
		GBytes *old = g_ptr_array_index(blobs, i);
		GBytes *b = hull_fuzz_subst(old, vars);
		g_ptr_array_index(blobs, i) = b;
		g_bytes_unref(old);
		g_autofree char *sha = hull_fuzz_sha(b);
		const char *what = (oci && i == 1) ? "@MANIFEST" : "@CONFIG";
		g_hash_table_insert(vars, g_strdup(what), g_strconcat("sha256:", sha, NULL));
		g_hash_table_insert(vars, g_strconcat(what, "SIZE", NULL), g_strdup_printf("%" G_GSIZE_FORMAT, g_bytes_get_size(b)));
	}
	struct archive *w = archive_write_new();
	archive_write_set_format_pax_restricted(w);
	archive_write_open_filename(w, path);
	for (guint i = 0; i < blobs->len; i++) {
		GBytes *blob = g_ptr_array_index(blobs, i);
		gsize len;
		const void *d = g_bytes_get_data(blob, &len);
		g_autofree char *sha = hull_fuzz_sha(blob);
		g_autofree char *name = NULL;
		if (i == 0)
			name = g_strdup(oci ? "index.json" : "manifest.json");
		else if (oci)
			name = g_strdup_printf("blobs/sha256/%s", sha);
		else
			name = i == 1 ? g_strdup("config.json") : g_strdup_printf("layer%u.tar", i - 2);
		hull_fuzz_add(w, name, AE_IFREG, d, len, NULL);
	}
	if (oci)
		hull_fuzz_add(w, "oci-layout", AE_IFREG, "{\"imageLayoutVersion\":\"1.0.0\"}", 30, NULL);
	if (outer_links != NULL) {
		g_autofree char *text = g_strndup(g_bytes_get_data(outer_links, NULL), g_bytes_get_size(outer_links));
		g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
		for (guint i = 0; lines[i] != NULL; i++) {
			g_auto(GStrv) f = g_strsplit(lines[i], " ", 3);
			if (g_strv_length(f) != 3 || (strcmp(f[0], "l") != 0 && strcmp(f[0], "h") != 0))
				continue;
			hull_fuzz_add(w, f[1], f[0][0] == 'l' ? AE_IFLNK : AE_IFREG, NULL, 0, f[2]);
		}
	}
	archive_write_close(w);
	archive_write_free(w);
}

static gboolean
hull_fuzz_want(const HullFile *file, gpointer user_data, gpointer *file_data)
{
	return TRUE;
}

static gboolean
hull_fuzz_chunk(const HullFile *file, gpointer file_data, const guint8 *buf, gsize len, gpointer user_data)
{
	*(guint64 *)user_data += len;
	return TRUE;
}

static gboolean
hull_fuzz_visit(const HullFile *file, gpointer user_data)
{
	HullFs *fs = user_data;
	if (hull_file_get_kind(file) == HULL_FILE_KIND_SYMLINK)
		(void)hull_fs_resolve(fs, hull_file_get_path(file));
	return TRUE;
}

static int
hull_fuzz_run(const uint8_t *data, size_t size, gboolean oci)
{
	if (size > 256 * 1024)
		return 0;
	static char *path = NULL;
	if (path == NULL) {
		int fd = g_file_open_tmp("hull-fuzz-XXXXXX.tar", &path, NULL);
		if (fd < 0)
			return 0;
		close(fd);
	}
	g_autoptr(GPtrArray) parts = hull_fuzz_split(data, size);
	hull_fuzz_pack(path, parts, oci);
	HullOpenOptions o = {.type = HULL_TARGET_IMAGE, .verify_digests = size % 2 == 0,
	                     .max_image_size = 64 * 1024 * 1024};
	GError *error = NULL;
	HullTarget *t = hull_target_open(path, &o, &error);
	if (t == NULL) {
		g_assert(error != NULL && strchr(error->message, '\n') == NULL);
		g_debug("%s", error->message);
		g_error_free(error);
		return 0;
	}
	HullFs *fs = hull_target_get_fs(t);
	hull_fs_foreach(fs, hull_fuzz_visit, fs);
	guint64 n = 0;
	HullFsStreamFuncs funcs = {.want = hull_fuzz_want, .chunk = hull_fuzz_chunk};
	if (!hull_fs_stream(fs, 2, TRUE, &funcs, &n, &error))
		g_clear_error(&error);
	g_debug("opened: %u entries, %" G_GUINT64_FORMAT " bytes streamed", hull_fs_get_n_entries(fs), n);
	hull_target_free(t);
	return 0;
}
