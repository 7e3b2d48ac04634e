/* hull-output.c: the one way the CLI writes a file the user named (see hull-output.h). The
 * old way, renaming a temporary file over the name, turned /dev/null into a regular file when
 * run as root, and replaced FIFOs and symbolic links; here only a regular file (or a missing
 * one) is ever renamed over, and a link is followed to the file it names. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include "hull-output.h"

typedef enum {
	HULL_OUTPUT_REPLACE,  /* temporary file, then rename over dest */
	HULL_OUTPUT_THROUGH,  /* open dest O_WRONLY and write into it */
	HULL_OUTPUT_FD,       /* an inherited descriptor (stdout, /dev/fd/N) */
} HullOutputMode;

struct _HullOutput {
	HullOutputMode mode;
	gchar *dest;          /* the file replaced or written through (a link resolved) */
	gchar *temp;          /* REPLACE: the temporary file, until renamed */
	int fd;
	gboolean close_fd;
	mode_t perm;          /* REPLACE: the permissions the new file gets */
	gboolean committed;
};

static gboolean
hull_output_refuse(GError **error, const char *path, const char *why)
{
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: %s", path, why);
	return FALSE;
}

static gboolean
hull_output_errno(GError **error, const char *path, const char *what, int e)
{
	g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s%s%s", path, what, what[0] ? ": " : "",
	            g_strerror(e));
	return FALSE;
}

/* The descriptor a name stands for: "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N.
 * These are written through the descriptor the shell gave, which keeps its offset and append
 * mode (resolving /dev/stdout to a file and replacing that file would lose both). -1 if none. */
static int
hull_output_named_fd(const char *path)
{
	if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
		return STDOUT_FILENO;
	if (strcmp(path, "/dev/stderr") == 0)
		return STDERR_FILENO;
	const char *num = g_str_has_prefix(path, "/dev/fd/")        ? path + strlen("/dev/fd/")
	                  : g_str_has_prefix(path, "/proc/self/fd/") ? path + strlen("/proc/self/fd/")
	                                                             : NULL;
	if (num == NULL || !g_ascii_isdigit(num[0]))
		return -1;
	gchar *end = NULL;
	guint64 n = g_ascii_strtoull(num, &end, 10);
	return *end == '\0' && n <= G_MAXINT ? (int)n : -1;
}

/* Decides how @path is written. @dest (out, transfer full) is the file to replace or write
 * through; @st (out) its stat, st_mode 0 when it does not exist yet. */
static gboolean
hull_output_classify(const char *path, HullOutputFlags flags, HullOutputMode *mode, gchar **dest, struct stat *st,
                     GError **error)
{
	memset(st, 0, sizeof(*st));
	if (path[0] == '\0')
		return hull_output_refuse(error, "--output", "an empty file name");
	int fd = hull_output_named_fd(path);
	if (fd >= 0) {
		if (flags & HULL_OUTPUT_REGULAR_ONLY)
			return hull_output_refuse(error, path, "not a regular file (this output is read back once written)");
		if (fcntl(fd, F_GETFD) < 0)
			return hull_output_refuse(error, path, "that descriptor is not open");
		*mode = HULL_OUTPUT_FD;
		*dest = g_strdup(path);
		return TRUE;
	}
	g_autofree gchar *resolved = NULL;
	if (lstat(path, st) != 0) {
		int e = errno;
		if (e != ENOENT)
			return hull_output_errno(error, path, "", e);
		memset(st, 0, sizeof(*st));
		*mode = HULL_OUTPUT_REPLACE;
		*dest = g_strdup(path);
		return TRUE;
	}
	if (S_ISLNK(st->st_mode)) {
		/* The link stays: what it names is written, in its own directory. A dangling link is
		 * refused rather than guessed at (it may name a place the user never meant). */
		char buf[PATH_MAX];
		if (realpath(path, buf) == NULL) {
			int e = errno;
			return hull_output_errno(error, path, "a symbolic link that does not resolve", e);
		}
		resolved = g_strdup(buf);
		if (lstat(resolved, st) != 0) {
			int e = errno;
			return hull_output_errno(error, path, "a symbolic link that does not resolve", e);
		}
	}
	if (S_ISREG(st->st_mode)) {
		*mode = HULL_OUTPUT_REPLACE;
	} else if (S_ISCHR(st->st_mode) || S_ISFIFO(st->st_mode)) {
		if (flags & HULL_OUTPUT_REGULAR_ONLY)
			return hull_output_refuse(error, path, "not a regular file (this output is read back once written)");
		*mode = HULL_OUTPUT_THROUGH;
	} else if (S_ISDIR(st->st_mode)) {
		return hull_output_refuse(error, path, "a directory");
	} else {
		return hull_output_refuse(error, path, "neither a regular file, a character device nor a FIFO");
	}
	*dest = resolved != NULL ? g_steal_pointer(&resolved) : g_strdup(path);
	return TRUE;
}

gboolean
hull_output_check(const char *path, HullOutputFlags flags, GError **error)
{
	g_return_val_if_fail(path != NULL, FALSE);
	HullOutputMode mode;
	g_autofree gchar *dest = NULL;
	struct stat st;
	if (!hull_output_classify(path, flags, &mode, &dest, &st, error))
		return FALSE;
	if (mode == HULL_OUTPUT_REPLACE) {
		/* the temporary file goes beside the destination: that directory must take it */
		g_autofree gchar *dir = g_path_get_dirname(dest);
		if (access(dir, W_OK | X_OK) != 0) {
			int e = errno;
			return hull_output_errno(error, path, "cannot create a file in its directory", e);
		}
	}
	return TRUE;
}

HullOutput *
hull_output_open(const char *path, HullOutputFlags flags, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	g_autoptr(HullOutput) out = g_new0(HullOutput, 1);
	out->fd = -1;
	struct stat st;
	if (!hull_output_classify(path, flags, &out->mode, &out->dest, &st, error))
		return NULL;
	switch (out->mode) {
	case HULL_OUTPUT_FD:
		out->fd = hull_output_named_fd(path);
		break;
	case HULL_OUTPUT_THROUGH:
		/* no O_CREAT (it exists), no O_TRUNC (a device or FIFO has nothing to truncate, and
		 * a file swapped in since the check is not clobbered beyond what is written) */
		out->fd = g_open(out->dest, O_WRONLY | O_NOCTTY | O_CLOEXEC, 0);
		if (out->fd < 0) {
			int e = errno;
			hull_output_errno(error, path, "", e);
			return NULL;
		}
		out->close_fd = TRUE;
		break;
	case HULL_OUTPUT_REPLACE: {
		g_autofree gchar *dir = g_path_get_dirname(out->dest);
		g_autofree gchar *base = g_path_get_basename(out->dest);
		g_autofree gchar *name = g_strdup_printf(".%s.XXXXXX", base);
		out->temp = g_build_filename(dir, name, NULL);
		/* 0666 less the umask, as a new file would get; an existing file keeps its mode */
		out->fd = g_mkstemp_full(out->temp, O_RDWR | O_CLOEXEC, 0666);
		if (out->fd < 0) {
			int e = errno;
			g_clear_pointer(&out->temp, g_free);
			hull_output_errno(error, path, "cannot create a file in its directory", e);
			return NULL;
		}
		out->close_fd = TRUE;
		out->perm = st.st_mode != 0 ? (st.st_mode & 07777) : 0;
		break;
	}
	}
	return g_steal_pointer(&out);
}

const char *
hull_output_get_temp_path(HullOutput *out)
{
	g_return_val_if_fail(out != NULL, NULL);
	return out->temp;
}

gboolean
hull_output_write(HullOutput *out, const void *data, gsize len, GError **error)
{
	g_return_val_if_fail(out != NULL && !out->committed, FALSE);
	const guint8 *p = data;
	while (len > 0) {
		ssize_t n = write(out->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			return hull_output_errno(error, out->dest, "cannot write", e);
		}
		p += n;
		len -= (gsize)n;
	}
	return TRUE;
}

gboolean
hull_output_commit(HullOutput *out, GError **error)
{
	g_return_val_if_fail(out != NULL && !out->committed, FALSE);
	if (out->mode != HULL_OUTPUT_REPLACE) {
		out->committed = TRUE;
		return TRUE;
	}
	/* what the rename publishes must be on disk first, or a crash leaves an empty file
	 * where the old report was */
	if ((out->perm != 0 && fchmod(out->fd, out->perm) != 0) || fsync(out->fd) != 0) {
		int e = errno;
		return hull_output_errno(error, out->dest, "cannot write", e);
	}
	if (g_rename(out->temp, out->dest) != 0) {
		int e = errno;
		return hull_output_errno(error, out->dest, "cannot replace", e);
	}
	g_clear_pointer(&out->temp, g_free);
	out->committed = TRUE;
	return TRUE;
}

void
hull_output_free(HullOutput *out)
{
	if (out == NULL)
		return;
	if (out->close_fd && out->fd >= 0)
		close(out->fd);
	if (out->temp != NULL)
		g_unlink(out->temp);
	g_free(out->temp);
	g_free(out->dest);
	g_free(out);
}
