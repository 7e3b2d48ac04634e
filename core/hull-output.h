/* hull-output.h: writing a file the user named on the command line (`scan -o`, `bundle create
 * -o`), the same way for every command. `-` is stdout (and /dev/stdout, /dev/stderr, /dev/fd/N
 * are the descriptors they name). A regular file, or a name that does not exist yet, is
 * replaced atomically: a temporary file in the same directory, renamed over it once complete.
 * A symbolic link is never replaced: the regular file it resolves to is, in that file's own
 * directory; a link to nothing is refused. A character device (/dev/null, a terminal) or a
 * FIFO is written through, never truncated, created or renamed over. Anything else (a
 * directory, a socket, a block device) is refused. No temporary file outlives the HullOutput. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	HULL_OUTPUT_FLAGS_NONE = 0,
	/* Refuse stdout, devices and FIFOs: for a caller that reads the written file back. */
	HULL_OUTPUT_REGULAR_ONLY = 1 << 0,
} HullOutputFlags;

typedef struct _HullOutput HullOutput;

/* Says whether @path can be written, without creating or opening anything: for a check
 * before long work. The error is one line naming @path. */
gboolean hull_output_check(const char *path, HullOutputFlags flags, GError **error);
/* Opens @path for writing as the file comment says (a FIFO blocks until it has a reader).
 * NULL with a one-line error naming @path when it cannot be written. (transfer full) */
HullOutput *hull_output_open(const char *path, HullOutputFlags flags, GError **error);
/* (transfer none) the temporary file to write by name (then commit renames it over the
 * destination); NULL when the output is written through its descriptor. */
const char *hull_output_get_temp_path(HullOutput *out);
gboolean hull_output_write(HullOutput *out, const void *data, gsize len, GError **error);
/* Completes the output: the temporary file is flushed and renamed over the destination. */
gboolean hull_output_commit(HullOutput *out, GError **error);
/* Without a commit, the destination is left as it was and the temporary file removed. */
void hull_output_free(HullOutput *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullOutput, hull_output_free)

G_END_DECLS
