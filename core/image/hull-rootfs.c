/* hull-rootfs.c: host-backed targets: an unpacked root filesystem or a config directory (walked
 * with lstat, links recorded but never followed, FIFOs/sockets/devices listed but never
 * opened) and a single file. Files are opened beneath the root without following any link
 * (openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS where the kernel has it) and streamed on up to
 * n threads, each file on one thread. */
#include <dirent.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>
#include "hull-fs-private.h"

/* Opens @rel beneath @root_fd refusing every symlink on the way. Long paths (past what one
 * syscall takes) are walked a component at a time. */
static int
hull_open_beneath(int root_fd, const char *rel, int flags)
{
	while (*rel == '/')
		rel++;
	if (*rel == '\0')
		return openat(root_fd, ".", flags | O_CLOEXEC);
	if (strlen(rel) < 3000) {
#ifdef SYS_openat2
		struct open_how how = {
			.flags = (guint64)(flags | O_CLOEXEC | O_NOFOLLOW),
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
		};
		long fd = syscall(SYS_openat2, root_fd, rel, &how, sizeof how);
		if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
			return (int)fd;
#endif
	}
	/* component walk: every intermediate must be a real directory */
	g_auto(GStrv) parts = g_strsplit(rel, "/", -1);
	int fd = dup(root_fd);
	if (fd < 0)
		return -1;
	guint n = g_strv_length(parts);
	for (guint i = 0; i < n; i++) {
		if (parts[i][0] == '\0' || strcmp(parts[i], ".") == 0)
			continue;
		if (strcmp(parts[i], "..") == 0) {
			close(fd);
			errno = EPERM;
			return -1;
		}
		gboolean last = (i + 1 == n);
		int f = last ? (flags | O_NOFOLLOW | O_CLOEXEC) : (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int next = openat(fd, parts[i], f);
		int e = errno;
		close(fd);
		if (next < 0) {
			errno = e;
			return -1;
		}
		fd = next;
	}
	return fd;
}

int
hull_fs_host_open(HullFs *fs, const HullFile *file)
{
	/* a rootfs entry's path is its place under the root: built here, not stored per file */
	g_autofree char *built = file->host_path != NULL ? NULL : hull_file_dup_path(file);
	const char *rel = file->host_path != NULL ? file->host_path : built;
	int fd = hull_open_beneath(fs->host_root_fd, rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL; /* swapped for something else since the walk */
		return -1;
	}
	/* back to blocking reads for a regular file */
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

static HullFileKind
hull_kind_from_mode(mode_t m)
{
	if (S_ISDIR(m))
		return HULL_FILE_KIND_DIRECTORY;
	if (S_ISLNK(m))
		return HULL_FILE_KIND_SYMLINK;
	if (S_ISCHR(m))
		return HULL_FILE_KIND_CHAR_DEVICE;
	if (S_ISBLK(m))
		return HULL_FILE_KIND_BLOCK_DEVICE;
	if (S_ISFIFO(m))
		return HULL_FILE_KIND_FIFO;
	if (S_ISSOCK(m))
		return HULL_FILE_KIND_SOCKET;
	return HULL_FILE_KIND_REGULAR;
}

static gboolean
hull_host_open_root(HullFs *fs, const char *dir, GError **error)
{
	fs->host_root = g_strdup(dir);
	fs->host_root_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs->host_root_fd < 0) {
		int e = errno;
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NOT_FOUND, "%s: %s", dir, g_strerror(e));
		return FALSE;
	}
	return TRUE;
}

gboolean
hull_rootfs_load(HullFs *fs, const char *dir, GError **error)
{
	if (!hull_host_open_root(fs, dir, error))
		return FALSE;
	GPtrArray *worklist = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(worklist, g_strdup(""));
	gboolean ok = TRUE;
	while (worklist->len > 0 && ok) {
		g_autofree char *rel = g_ptr_array_steal_index(worklist, worklist->len - 1);
		int dfd = hull_open_beneath(fs->host_root_fd, rel, O_RDONLY | O_DIRECTORY);
		if (dfd < 0) {
			g_warning("%s/%s: cannot list: %s", dir, rel, g_strerror(errno));
			continue;
		}
		DIR *d = fdopendir(dfd);
		if (d == NULL) {
			close(dfd);
			continue;
		}
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			struct stat st;
			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			g_autofree char *child = rel[0] ? g_strconcat(rel, "/", de->d_name, NULL) : g_strdup(de->d_name);
			g_auto(GStrv) parts = NULL;
			if (!hull_path_split(child, &parts)) {
				g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
				            "%s: a path deeper or longer than hullscan handles", dir);
				ok = FALSE;
				break;
			}
			if (fs->n_entries >= HULL_FS_MAX_ENTRIES) {
				g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_TOO_LARGE,
				            "%s: more than %u entries", dir, HULL_FS_MAX_ENTRIES);
				ok = FALSE;
				break;
			}
			HullFile *f = hull_file_new(NULL, hull_kind_from_mode(st.st_mode), (guint32)st.st_mode);
			f->uid = st.st_uid;
			f->gid = st.st_gid;
			if (S_ISREG(st.st_mode))
				f->size = (guint64)st.st_size;
			if (S_ISLNK(st.st_mode)) {
				char buf[4097];
				ssize_t n = readlinkat(dirfd(d), de->d_name, buf, sizeof buf - 1);
				if (n >= 0) {
					buf[n] = '\0';
					f->link_target = g_strdup(buf);
				}
			}
			hull_fs_insert(fs, parts, f);
			if (S_ISDIR(st.st_mode))
				g_ptr_array_add(worklist, g_steal_pointer(&child));
		}
		closedir(d);
	}
	g_ptr_array_unref(worklist);
	return ok;
}

gboolean
hull_single_file_load(HullFs *fs, const char *path, GError **error)
{
	/* the user named this file: following a link to it is what they asked for */
	g_autofree char *real = realpath(path, NULL);
	if (real == NULL) {
		int e = errno;
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NOT_FOUND, "%s: %s", path, g_strerror(e));
		return FALSE;
	}
	g_autofree char *dir = g_path_get_dirname(real);
	g_autofree char *base = g_path_get_basename(real);
	g_autofree char *shown_base = g_path_get_basename(path);
	if (!hull_host_open_root(fs, dir, error))
		return FALSE;
	struct stat st;
	if (fstatat(fs->host_root_fd, base, &st, 0) != 0) {
		int e = errno;
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NOT_FOUND, "%s: %s", path, g_strerror(e));
		return FALSE;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: not a regular file", path);
		return FALSE;
	}
	g_autofree char *fspath = g_strconcat("/", shown_base, NULL);
	char *parts[] = {shown_base, NULL};
	HullFile *f = hull_file_new(fspath, HULL_FILE_KIND_REGULAR, (guint32)st.st_mode);
	f->size = (guint64)st.st_size;
	f->uid = st.st_uid;
	f->gid = st.st_gid;
	f->host_path = g_strdup(base);
	hull_fs_insert(fs, parts, f);
	return TRUE;
}

/* ---- streaming ---- */

typedef struct {
	HullFs *fs;
	GPtrArray *files;
	const HullFsStreamFuncs *funcs;
	gpointer user_data;
	gint next;
	guint64 done;
	guint64 total;
	GMutex lock;
	GError *error;
} HullHostStream;

static void
hull_host_stream_one(HullHostStream *s, HullFile *file)
{
	gpointer fdata = NULL;
	if (!s->funcs->want(file, s->user_data, &fdata))
		return;
	int fd = hull_fs_host_open(s->fs, file);
	if (fd < 0) {
		g_debug("%s: cannot open: %s", hull_file_get_path(file), g_strerror(errno));
		if (s->funcs->end != NULL)
			s->funcs->end(file, fdata, FALSE, s->user_data);
		return;
	}
	guint8 *buf = g_malloc(256 * 1024);
	gboolean complete = TRUE;
	for (;;) {
		ssize_t n = read(fd, buf, 256 * 1024);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			complete = FALSE;
			break;
		}
		if (n == 0)
			break;
		guint64 d = __atomic_add_fetch(&s->done, (guint64)n, __ATOMIC_RELAXED);
		if (s->funcs->progress != NULL)
			s->funcs->progress(d, s->total, s->user_data);
		if (s->funcs->chunk != NULL && !s->funcs->chunk(file, fdata, buf, (gsize)n, s->user_data)) {
			complete = FALSE;
			break;
		}
	}
	g_free(buf);
	close(fd);
	if (s->funcs->end != NULL)
		s->funcs->end(file, fdata, complete, s->user_data);
}

static gpointer
hull_host_stream_thread(gpointer p)
{
	HullHostStream *s = p;
	for (;;) {
		gint i = g_atomic_int_add(&s->next, 1);
		if ((guint)i >= s->files->len)
			break;
		HullFile *f = g_ptr_array_index(s->files, i);
		hull_file_hold_path(f);
		hull_host_stream_one(s, f);
		hull_file_release_path(f);
	}
	return NULL;
}

gboolean
hull_fs_stream_host(HullFs *fs, guint n_threads, const HullFsStreamFuncs *funcs, gpointer user_data,
                    GError **error)
{
	HullHostStream s = {.fs = fs, .funcs = funcs, .user_data = user_data, .total = fs->total_bytes};
	s.files = g_ptr_array_new();
	for (guint i = 0; i < fs->sorted->len; i++) {
		HullFile *f = g_ptr_array_index(fs->sorted, i);
		if (f->kind == HULL_FILE_KIND_REGULAR)
			g_ptr_array_add(s.files, f);
	}
	guint n = MIN(n_threads, MAX(s.files->len, 1u));
	if (n <= 1) {
		hull_host_stream_thread(&s);
	} else {
		GThread **threads = g_new0(GThread *, n);
		for (guint i = 0; i < n; i++)
			threads[i] = g_thread_new("hull-stream", hull_host_stream_thread, &s);
		for (guint i = 0; i < n; i++)
			g_thread_join(threads[i]);
		g_free(threads);
	}
	g_ptr_array_unref(s.files);
	return TRUE;
}
