/* hull-fs.c: the merged filesystem view every plugin sees: a tree of nodes built by the sources
 * (layers merged in order with whiteouts, or a rootfs walk), with lookup, symlink resolution
 * confined to the image root, path-ordered iteration and the HullFile accessors. Nothing here
 * touches the host filesystem except through the source that backs the fs. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "hull-fs-private.h"
#include "hull-text.h"

HullFile *
hull_file_new(const char *path, HullFileKind kind, guint32 mode)
{
	HullFile *f = g_new0(HullFile, 1);
	f->path = g_strdup(path);
	f->kind = kind;
	f->mode = mode;
	f->layer = -1;
	f->deleted_in = -1;
	f->content_layer = -1;
	f->content_ordinal = -1;
	return f;
}

void
hull_file_free(HullFile *file)
{
	if (file == NULL)
		return;
	g_free(file->path);
	g_free(file->link_target);
	g_free(file->host_path);
	g_free(file);
}

static HullNode *
hull_node_new(const char *name, HullNode *parent)
{
	gsize len = strlen(name);
	HullNode *n = g_malloc0(sizeof(HullNode) + len + 1);
	memcpy(n->name, name, len);
	n->name_len = (guint32)len;
	n->parent = parent;
	return n;
}

/* The path of @node from its names up to the root ("/" for the root), written back to front
 * into one exactly sized allocation. (transfer full) */
static char *
hull_node_path(const HullNode *node)
{
	gsize len = 0;
	for (const HullNode *n = node; n->parent != NULL; n = n->parent)
		len += 1 + n->name_len;
	if (len == 0)
		return g_strdup("/");
	char *path = g_malloc(len + 1);
	gsize end = len;
	path[end] = '\0';
	for (const HullNode *n = node; n->parent != NULL; n = n->parent) {
		end -= n->name_len;
		memcpy(path + end, n->name, n->name_len);
		path[--end] = '/';
	}
	return path;
}

char *
hull_file_dup_path(const HullFile *file)
{
	if (file->node == NULL)
		return g_strdup(file->path);
	return hull_node_path(file->node);
}

/* ---- path lifetime ----
 * A file's path is cached in file->path while a callback holds the file (the holds of this
 * thread are listed in hull_path_holds) and freed at the last release, unless someone asked
 * for it outside a hold: that caller may keep the pointer for the whole scan, so the path is
 * then kept (HULL_PATH_KEPT) until the fs is freed. Both transitions happen under the file's
 * bit lock, so a release never frees a path another thread has just been given. */

#define HULL_PATH_LOCK_BIT 0
#define HULL_PATH_KEPT     (1 << 1)

static void
hull_path_holds_free(gpointer p)
{
	g_ptr_array_unref(p);
}

static GPrivate hull_path_holds = G_PRIVATE_INIT(hull_path_holds_free);

static GPtrArray *
hull_path_holds_get(void)
{
	GPtrArray *holds = g_private_get(&hull_path_holds);
	if (holds == NULL) {
		holds = g_ptr_array_new();
		g_private_set(&hull_path_holds, holds);
	}
	return holds;
}

static gboolean
hull_path_held_here(const HullFile *file)
{
	GPtrArray *holds = g_private_get(&hull_path_holds);
	/* newest first: the file being handed over is nearly always the last one held */
	for (guint i = holds != NULL ? holds->len : 0; i > 0; i--)
		if (g_ptr_array_index(holds, i - 1) == file)
			return TRUE;
	return FALSE;
}

void
hull_file_hold_path(HullFile *file)
{
	if (file->node == NULL)
		return;
	g_bit_lock(&file->path_bits, HULL_PATH_LOCK_BIT);
	if (file->path == NULL)
		file->path = hull_node_path(file->node);
	file->path_holds++;
	g_bit_unlock(&file->path_bits, HULL_PATH_LOCK_BIT);
	g_ptr_array_add(hull_path_holds_get(), file);
}

void
hull_file_release_path(HullFile *file)
{
	if (file->node == NULL)
		return;
	GPtrArray *holds = hull_path_holds_get();
	for (guint i = holds->len; i > 0; i--) {
		if (g_ptr_array_index(holds, i - 1) == file) {
			g_ptr_array_remove_index(holds, i - 1);
			break;
		}
	}
	g_bit_lock(&file->path_bits, HULL_PATH_LOCK_BIT);
	if (file->path_holds > 0 && --file->path_holds == 0 && !(g_atomic_int_get(&file->path_bits) & HULL_PATH_KEPT))
		g_clear_pointer(&file->path, g_free);
	g_bit_unlock(&file->path_bits, HULL_PATH_LOCK_BIT);
}

/* Frees a subtree iteratively: a 2,000-level path must not cost 2,000 stack frames twice. */
static void
hull_node_free_tree(HullNode *node)
{
	GPtrArray *stack = g_ptr_array_new();
	g_ptr_array_add(stack, node);
	while (stack->len > 0) {
		HullNode *n = g_ptr_array_steal_index_fast(stack, stack->len - 1);
		if (n->children != NULL) {
			GHashTableIter it;
			gpointer v;
			g_hash_table_iter_init(&it, n->children);
			while (g_hash_table_iter_next(&it, NULL, &v))
				g_ptr_array_add(stack, v);
			g_hash_table_destroy(n->children);
		}
		hull_file_free(n->file);
		g_free(n);
	}
	g_ptr_array_free(stack, TRUE);
}

/* Takes @node and everything below it out of the tree without freeing them: the files deleted
 * with them still name their paths through these nodes. Their child tables go; no lookup
 * reaches them any more. */
static void
hull_fs_bury(HullFs *fs, HullNode *node)
{
	GPtrArray *stack = g_ptr_array_new();
	g_ptr_array_add(stack, node);
	while (stack->len > 0) {
		HullNode *n = g_ptr_array_steal_index_fast(stack, stack->len - 1);
		if (n->children != NULL) {
			GHashTableIter it;
			gpointer v;
			g_hash_table_iter_init(&it, n->children);
			while (g_hash_table_iter_next(&it, NULL, &v))
				g_ptr_array_add(stack, v);
			g_clear_pointer(&n->children, g_hash_table_destroy);
		}
		g_ptr_array_add(fs->buried, n);
	}
	g_ptr_array_free(stack, TRUE);
}

HullFs *
hull_fs_new(void)
{
	HullFs *fs = g_new0(HullFs, 1);
	fs->root = hull_node_new("", NULL);
	fs->root->file = hull_file_new("/", HULL_FILE_KIND_DIRECTORY, 040755);
	fs->root->file->node = fs->root;
	fs->deleted = g_ptr_array_new_with_free_func((GDestroyNotify)hull_file_free);
	fs->buried = g_ptr_array_new_with_free_func(g_free); /* their files were moved to @deleted */
	fs->notes = g_ptr_array_new_with_free_func(g_free);
	fs->layers = g_ptr_array_new_with_free_func((GDestroyNotify)hull_layer_free);
	fs->host_root_fd = -1;
	return fs;
}

void
hull_fs_free(HullFs *fs)
{
	if (fs == NULL)
		return;
	/* the digest thread reads the layers and the blob source freed below */
	g_atomic_int_set(&fs->verify_cancel, 1);
	hull_fs_finish_verify(fs, NULL);
	hull_node_free_tree(fs->root);
	g_ptr_array_unref(fs->deleted);
	g_ptr_array_unref(fs->buried);
	g_ptr_array_unref(fs->notes);
	if (fs->sorted != NULL)
		g_ptr_array_unref(fs->sorted);
	g_ptr_array_unref(fs->layers);
	hull_blob_source_free(fs->blobs);
	if (fs->host_root_fd >= 0)
		close(fs->host_root_fd);
	g_free(fs->host_root);
	g_free(fs);
}

gboolean
hull_path_split(const char *name, char ***out)
{
	if (strlen(name) > HULL_FS_MAX_PATH)
		return FALSE;
	GPtrArray *parts = g_ptr_array_new();
	const char *p = name;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		const char *e = strchr(p, '/');
		gsize len = e ? (gsize)(e - p) : strlen(p);
		if (len == 1 && p[0] == '.') {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (parts->len > 0)
				g_free(g_ptr_array_steal_index(parts, parts->len - 1));
		} else {
			g_ptr_array_add(parts, g_strndup(p, len));
			if (parts->len > HULL_FS_MAX_DEPTH) {
				g_ptr_array_set_free_func(parts, g_free);
				g_ptr_array_unref(parts);
				return FALSE;
			}
		}
		p += len;
	}
	g_ptr_array_add(parts, NULL);
	*out = (char **)g_ptr_array_free(parts, FALSE);
	return TRUE;
}

static HullNode *
hull_node_child(HullNode *n, const char *name)
{
	if (n->children == NULL)
		return NULL;
	return g_hash_table_lookup(n->children, name);
}

HullNode *
hull_fs_find(HullFs *fs, char **components)
{
	HullNode *n = fs->root;
	for (guint i = 0; n != NULL && components[i] != NULL; i++)
		n = hull_node_child(n, components[i]);
	return n;
}

/* Moves every file of a subtree to the deleted list (files with content only matter there,
 * but directories and links are kept too so `files` can show what a layer removed). */
static void
hull_fs_delete_subtree(HullFs *fs, HullNode *node, int layer, gboolean include_self)
{
	GPtrArray *stack = g_ptr_array_new();
	g_ptr_array_add(stack, node);
	while (stack->len > 0) {
		HullNode *n = g_ptr_array_steal_index_fast(stack, stack->len - 1);
		if (n->children != NULL) {
			GHashTableIter it;
			gpointer v;
			g_hash_table_iter_init(&it, n->children);
			while (g_hash_table_iter_next(&it, NULL, &v))
				g_ptr_array_add(stack, v);
		}
		if (n == node && !include_self)
			continue;
		if (n->file != NULL) {
			n->file->deleted_in = layer;
			g_ptr_array_add(fs->deleted, n->file);
			n->file = NULL;
			fs->n_entries--;
		}
	}
	g_ptr_array_free(stack, TRUE);
	if (include_self) {
		if (node->parent != NULL) {
			g_hash_table_remove(node->parent->children, node->name);
			hull_fs_bury(fs, node);
		}
	} else if (node->children != NULL) {
		GHashTableIter it;
		gpointer v;
		g_hash_table_iter_init(&it, node->children);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			g_hash_table_iter_steal(&it);
			hull_fs_bury(fs, v);
		}
	}
}

static HullNode *
hull_node_add_child(HullNode *parent, const char *name)
{
	if (parent->children == NULL)
		parent->children = g_hash_table_new(g_str_hash, g_str_equal); /* nodes are freed with the fs */
	HullNode *n = hull_node_new(name, parent);
	g_hash_table_insert(parent->children, n->name, n);
	return n;
}

HullFile *
hull_fs_insert(HullFs *fs, char **components, HullFile *file)
{
	guint depth = g_strv_length(components);
	HullNode *n = fs->root;
	if (depth == 0) {
		/* the root itself: keep it a directory, take the metadata */
		if (file->kind == HULL_FILE_KIND_DIRECTORY) {
			n->file->mode = file->mode;
			n->file->uid = file->uid;
			n->file->gid = file->gid;
			n->file->layer = file->layer;
		}
		hull_file_free(file);
		return n->file;
	}
	for (guint i = 0; i + 1 < depth; i++) {
		HullNode *c = hull_node_child(n, components[i]);
		if (c != NULL && c->file != NULL && c->file->kind != HULL_FILE_KIND_DIRECTORY) {
			/* A file or a link where a directory is needed: the link is never followed
			 * (that is how extraction escapes a root); the entry is replaced. */
			hull_fs_delete_subtree(fs, c, file->layer, TRUE);
			c = NULL;
		}
		if (c == NULL) {
			c = hull_node_add_child(n, components[i]);
			c->file = hull_file_new(NULL, HULL_FILE_KIND_DIRECTORY, 040755);
			c->file->layer = file->layer;
			c->file->node = c;
			fs->n_entries++;
		} else if (c->file == NULL) {
			c->file = hull_file_new(NULL, HULL_FILE_KIND_DIRECTORY, 040755);
			c->file->layer = file->layer;
			c->file->node = c;
			fs->n_entries++;
		}
		n = c;
	}
	const char *leaf = components[depth - 1];
	HullNode *c = hull_node_child(n, leaf);
	/* the node names the file from now on: no copy of the whole path per entry */
	g_clear_pointer(&file->path, g_free);
	if (c != NULL && c->file != NULL) {
		if (c->file->kind == HULL_FILE_KIND_DIRECTORY && file->kind == HULL_FILE_KIND_DIRECTORY) {
			/* a directory over a directory merges: only the metadata changes */
			HullFile *old = c->file;
			file->node = c;
			c->file = file;
			hull_file_free(old);
			return file;
		}
		if (c->file->kind == HULL_FILE_KIND_DIRECTORY) {
			hull_fs_delete_subtree(fs, c, file->layer, TRUE);
			c = NULL;
		} else {
			HullFile *old = c->file;
			old->deleted_in = file->layer; /* still named by @c, which the new file takes */
			g_ptr_array_add(fs->deleted, old);
			c->file = NULL;
			fs->n_entries--;
		}
	}
	if (c == NULL)
		c = hull_node_add_child(n, leaf);
	c->file = file;
	file->node = c;
	fs->n_entries++;
	return file;
}

void
hull_fs_whiteout(HullFs *fs, char **components, int layer)
{
	HullNode *n = hull_fs_find(fs, components);
	if (n == NULL || n == fs->root)
		return;
	/* Only what lower layers wrote: an entry of this layer is not hidden by its own whiteout. */
	if (n->file != NULL && n->file->layer >= layer)
		return;
	hull_fs_delete_subtree(fs, n, layer, TRUE);
}

void
hull_fs_opaque(HullFs *fs, char **components, int layer)
{
	HullNode *top = hull_fs_find(fs, components);
	if (top == NULL)
		return;
	/* Everything lower layers wrote below the directory goes; what this layer wrote stays
	 * (the marker may come after some of this layer's entries in the tar). */
	GPtrArray *stack = g_ptr_array_new();
	g_ptr_array_add(stack, top);
	while (stack->len > 0) {
		HullNode *n = g_ptr_array_steal_index_fast(stack, stack->len - 1);
		if (n->children == NULL)
			continue;
		GPtrArray *lower = g_ptr_array_new();
		GHashTableIter it;
		gpointer v;
		g_hash_table_iter_init(&it, n->children);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			HullNode *c = v;
			if (c->file == NULL || c->file->layer < layer)
				g_ptr_array_add(lower, c);
			else if (c->file->kind == HULL_FILE_KIND_DIRECTORY)
				g_ptr_array_add(stack, c);
		}
		for (guint i = 0; i < lower->len; i++)
			hull_fs_delete_subtree(fs, g_ptr_array_index(lower, i), layer, TRUE);
		g_ptr_array_free(lower, TRUE);
	}
	g_ptr_array_free(stack, TRUE);
}

static gint
hull_node_name_cmp(gconstpointer a, gconstpointer b)
{
	const HullNode *x = *(HullNode *const *)a;
	const HullNode *y = *(HullNode *const *)b;
	return strcmp(x->name, y->name);
}

void
hull_fs_finish(HullFs *fs)
{
	if (fs->sorted != NULL)
		g_ptr_array_unref(fs->sorted);
	fs->sorted = g_ptr_array_sized_new(fs->n_entries + 1);
	fs->total_bytes = 0;
	/* iterative depth-first walk, children in name order */
	GPtrArray *stack = g_ptr_array_new();
	g_ptr_array_add(stack, fs->root);
	while (stack->len > 0) {
		HullNode *n = g_ptr_array_steal_index(stack, stack->len - 1);
		if (n->file != NULL && n != fs->root) {
			g_ptr_array_add(fs->sorted, n->file);
			if (n->file->kind == HULL_FILE_KIND_REGULAR || n->file->kind == HULL_FILE_KIND_HARDLINK)
				fs->total_bytes += n->file->size;
		}
		if (n->children != NULL) {
			GPtrArray *kids = g_ptr_array_sized_new(g_hash_table_size(n->children));
			GHashTableIter it;
			gpointer v;
			g_hash_table_iter_init(&it, n->children);
			while (g_hash_table_iter_next(&it, NULL, &v))
				g_ptr_array_add(kids, v);
			g_ptr_array_sort(kids, hull_node_name_cmp);
			for (guint i = kids->len; i > 0; i--)
				g_ptr_array_add(stack, g_ptr_array_index(kids, i - 1));
			g_ptr_array_free(kids, TRUE);
		}
	}
	g_ptr_array_free(stack, TRUE);
}

/* ---- public accessors ---- */

const char *
hull_file_get_path(const HullFile *file)
{
	g_return_val_if_fail(file != NULL, NULL);
	HullFile *f = (HullFile *)file; /* the cache is not part of what the handle shows */
	if (f->node == NULL || hull_path_held_here(f))
		return f->path;
	if (g_atomic_int_get(&f->path_bits) & HULL_PATH_KEPT)
		return g_atomic_pointer_get(&f->path);
	/* asked for outside a callback that holds it: kept until the fs goes (SDK contract) */
	g_bit_lock(&f->path_bits, HULL_PATH_LOCK_BIT);
	if (f->path == NULL)
		f->path = hull_node_path(f->node);
	g_atomic_int_or(&f->path_bits, HULL_PATH_KEPT);
	g_bit_unlock(&f->path_bits, HULL_PATH_LOCK_BIT);
	return f->path;
}

HullFileKind
hull_file_get_kind(const HullFile *file)
{
	g_return_val_if_fail(file != NULL, HULL_FILE_KIND_REGULAR);
	return file->kind;
}

guint32
hull_file_get_mode(const HullFile *file)
{
	g_return_val_if_fail(file != NULL, 0);
	return file->mode;
}

guint32
hull_file_get_uid(const HullFile *file)
{
	g_return_val_if_fail(file != NULL, 0);
	return file->uid;
}

guint32
hull_file_get_gid(const HullFile *file)
{
	g_return_val_if_fail(file != NULL, 0);
	return file->gid;
}

guint64
hull_file_get_size(const HullFile *file)
{
	g_return_val_if_fail(file != NULL, 0);
	return file->size;
}

const char *
hull_file_get_link_target(const HullFile *file)
{
	g_return_val_if_fail(file != NULL, NULL);
	return file->link_target;
}

int
hull_file_get_layer(const HullFile *file)
{
	g_return_val_if_fail(file != NULL, -1);
	return file->layer;
}

int
hull_file_get_deleted_in(const HullFile *file)
{
	g_return_val_if_fail(file != NULL, -1);
	return file->deleted_in;
}

const HullFile *
hull_fs_lookup(HullFs *fs, const char *path)
{
	g_return_val_if_fail(fs != NULL && path != NULL, NULL);
	g_auto(GStrv) parts = NULL;
	if (!hull_path_split(path, &parts))
		return NULL;
	HullNode *n = hull_fs_find(fs, parts);
	return n != NULL ? n->file : NULL;
}

/* Walks @path component by component; every symlink met (the final one too) is replaced by
 * its target, absolute targets restart at the image root, ".." stops at the root. */
const HullFile *
hull_fs_resolve(HullFs *fs, const char *path)
{
	g_return_val_if_fail(fs != NULL && path != NULL, NULL);
	if (strlen(path) > HULL_FS_MAX_PATH)
		return NULL;
	/* a queue of remaining components, consumed from the end of the array */
	GPtrArray *worklist = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) raw = g_strsplit(path, "/", -1);
	for (guint i = g_strv_length(raw); i > 0; i--)
		g_ptr_array_add(worklist, g_strdup(raw[i - 1]));
	HullNode *cur = fs->root;
	guint hops = 0;
	const HullFile *result = NULL;
	while (worklist->len > 0) {
		char *c = g_ptr_array_steal_index(worklist, worklist->len - 1);
		if (c[0] == '\0' || strcmp(c, ".") == 0) {
			g_free(c);
			continue;
		}
		if (strcmp(c, "..") == 0) {
			g_free(c);
			if (cur->parent != NULL)
				cur = cur->parent;
			continue;
		}
		HullNode *next = hull_node_child(cur, c);
		g_free(c);
		if (next == NULL || next->file == NULL)
			goto out;
		if (next->file->kind == HULL_FILE_KIND_SYMLINK) {
			if (++hops > HULL_FS_MAX_HOPS || next->file->link_target == NULL)
				goto out;
			const char *t = next->file->link_target;
			if (worklist->len + strlen(t) > HULL_FS_MAX_PATH)
				goto out;
			g_auto(GStrv) tp = g_strsplit(t, "/", -1);
			for (guint i = g_strv_length(tp); i > 0; i--)
				g_ptr_array_add(worklist, g_strdup(tp[i - 1]));
			if (t[0] == '/')
				cur = fs->root;
			continue;
		}
		if (next->file->kind != HULL_FILE_KIND_DIRECTORY && worklist->len > 0) {
			/* a non-directory in the middle of a path; allow trailing "" / "." only */
			gboolean only_dots = TRUE;
			for (guint i = 0; i < worklist->len; i++) {
				const char *r = g_ptr_array_index(worklist, i);
				if (r[0] != '\0' && strcmp(r, ".") != 0)
					only_dots = FALSE;
			}
			if (!only_dots)
				goto out;
		}
		cur = next;
	}
	result = cur->file;
out:
	g_ptr_array_unref(worklist);
	return result;
}

void
hull_fs_foreach(HullFs *fs, HullFsForeachFunc func, gpointer user_data)
{
	g_return_if_fail(fs != NULL && func != NULL);
	if (fs->sorted == NULL)
		hull_fs_finish(fs);
	for (guint i = 0; i < fs->sorted->len; i++) {
		HullFile *f = g_ptr_array_index(fs->sorted, i);
		hull_file_hold_path(f);
		gboolean more = func(f, user_data);
		hull_file_release_path(f);
		if (!more)
			return;
	}
}

guint
hull_fs_get_n_entries(HullFs *fs)
{
	g_return_val_if_fail(fs != NULL, 0);
	return fs->n_entries;
}

static GBytes *
hull_fs_read_bytes(HullFs *fs, const char *path, gsize max_size, GError **error)
{
	const HullFile *f = hull_fs_resolve(fs, path);
	g_autofree char *shown = hull_printable(path);
	if (f == NULL) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NOT_FOUND,
		            "%s: no such file in the image (or a dangling or looping link)", shown);
		return NULL;
	}
	if (f->kind != HULL_FILE_KIND_REGULAR && f->kind != HULL_FILE_KIND_HARDLINK) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: not a regular file", shown);
		return NULL;
	}
	if (f->size > max_size) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE,
		            "%s: %" G_GUINT64_FORMAT " bytes is more than the %" G_GSIZE_FORMAT " allowed",
		            shown, f->size, max_size);
		return NULL;
	}
	if (fs->blobs != NULL)
		return hull_layer_read_file(fs, f, max_size, error);

	int fd = hull_fs_host_open(fs, f);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: %s", shown, g_strerror(e));
		return NULL;
	}
	GByteArray *buf = g_byte_array_new();
	guint8 tmp[65536];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			g_byte_array_unref(buf);
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: %s", shown, g_strerror(e));
			return NULL;
		}
		if (n == 0)
			break;
		if (buf->len + (gsize)n > max_size) {
			close(fd);
			g_byte_array_unref(buf);
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE,
			            "%s: more than the %" G_GSIZE_FORMAT " bytes allowed", shown, max_size);
			return NULL;
		}
		g_byte_array_append(buf, tmp, (guint)n);
	}
	close(fd);
	return g_byte_array_free_to_bytes(buf);
}

GBytes *
hull_fs_read(HullFs *fs, const char *path, gsize max_size, GError **error)
{
	g_return_val_if_fail(fs != NULL && path != NULL, NULL);
	return hull_bytes_nonnull(hull_fs_read_bytes(fs, path, max_size, error));
}

GBytes *
hull_bytes_nonnull(GBytes *b)
{
	/* An empty GBytes may hold a NULL pointer: what callers hand on to parsers and string
	 * functions (g_strndup, json-glib) must always be a valid one. */
	if (b != NULL && g_bytes_get_size(b) == 0) {
		g_bytes_unref(b);
		return g_bytes_new_static("", 0);
	}
	return b;
}

gboolean
hull_fs_stream(HullFs *fs, guint n_threads, gboolean include_deleted,
               const HullFsStreamFuncs *funcs, gpointer user_data, GError **error)
{
	g_return_val_if_fail(fs != NULL && funcs != NULL && funcs->want != NULL, FALSE);
	if (fs->sorted == NULL)
		hull_fs_finish(fs);
	if (n_threads == 0)
		n_threads = 1;
	if (fs->blobs != NULL)
		return hull_fs_stream_layers(fs, n_threads, include_deleted, funcs, user_data, error);
	return hull_fs_stream_host(fs, n_threads, funcs, user_data, error);
}

char *
hull_printable(const char *s)
{
	return hull_text_escape(s, TRUE);
}
