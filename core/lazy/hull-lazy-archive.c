/* hull-lazy-archive.c: libarchive, opened when an archive is first read or written. */
#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include "hull-lazy.h"

#define HULL_LAZY_SELF hull_lazy_archive
#define HULL_LAZY_ARCHIVE_LIST(F, V, N)                                                                 \
	F(mode_t, archive_entry_filetype, (struct archive_entry *e), (e))                               \
	V(archive_entry_free, (struct archive_entry *e), (e))                                           \
	F(la_int64_t, archive_entry_gid, (struct archive_entry *e), (e))                                \
	F(const char *, archive_entry_hardlink, (struct archive_entry *e), (e))                         \
	F(mode_t, archive_entry_mode, (struct archive_entry *e), (e))                                   \
	F(struct archive_entry *, archive_entry_new, (void), ())                                        \
	F(const char *, archive_entry_pathname, (struct archive_entry *e), (e))                         \
	F(const char *, archive_entry_pathname_utf8, (struct archive_entry *e), (e))                    \
	V(archive_entry_set_filetype, (struct archive_entry *e, unsigned int t), (e, t))                \
	V(archive_entry_set_mtime, (struct archive_entry *e, time_t s, long ns), (e, s, ns))            \
	V(archive_entry_set_pathname, (struct archive_entry *e, const char *p), (e, p))                 \
	V(archive_entry_set_perm, (struct archive_entry *e, mode_t m), (e, m))                          \
	V(archive_entry_set_size, (struct archive_entry *e, la_int64_t s), (e, s))                      \
	F(la_int64_t, archive_entry_size, (struct archive_entry *e), (e))                               \
	F(int, archive_entry_size_is_set, (struct archive_entry *e), (e))                               \
	F(const char *, archive_entry_symlink, (struct archive_entry *e), (e))                          \
	F(const char *, archive_entry_symlink_utf8, (struct archive_entry *e), (e))                     \
	F(la_int64_t, archive_entry_uid, (struct archive_entry *e), (e))                                \
	F(const char *, archive_error_string, (struct archive *a), (a))                                 \
	F(la_ssize_t, archive_read_data, (struct archive *a, void *b, size_t n), (a, b, n))             \
	F(int, archive_read_data_block, (struct archive *a, const void **b, size_t *n, la_int64_t *o),  \
	  (a, b, n, o))                                                                                  \
	F(int, archive_read_data_skip, (struct archive *a), (a))                                        \
	F(int, archive_read_free, (struct archive *a), (a))                                             \
	F(struct archive *, archive_read_new, (void), ())                                               \
	F(int, archive_read_next_header, (struct archive *a, struct archive_entry **e), (a, e))         \
	F(int, archive_read_open1, (struct archive *a), (a))                                            \
	F(int, archive_read_open_filename, (struct archive *a, const char *f, size_t b), (a, f, b))     \
	F(int, archive_read_set_callback_data, (struct archive *a, void *d), (a, d))                    \
	F(int, archive_read_set_read_callback, (struct archive *a, archive_read_callback *c), (a, c))   \
	F(int, archive_read_set_skip_callback, (struct archive *a, archive_skip_callback *c), (a, c))   \
	F(int, archive_read_support_filter_all, (struct archive *a), (a))                               \
	F(int, archive_read_support_filter_gzip, (struct archive *a), (a))                              \
	F(int, archive_read_support_filter_none, (struct archive *a), (a))                              \
	F(int, archive_read_support_format_gnutar, (struct archive *a), (a))                            \
	F(int, archive_read_support_format_raw, (struct archive *a), (a))                               \
	F(int, archive_read_support_format_tar, (struct archive *a), (a))                               \
	F(int, archive_read_support_format_zip, (struct archive *a), (a))                               \
	F(int, archive_write_add_filter_gzip, (struct archive *a), (a))                                 \
	F(int, archive_write_close, (struct archive *a), (a))                                           \
	F(la_ssize_t, archive_write_data, (struct archive *a, const void *b, size_t n), (a, b, n))      \
	F(int, archive_write_free, (struct archive *a), (a))                                            \
	F(int, archive_write_header, (struct archive *a, struct archive_entry *e), (a, e))              \
	F(struct archive *, archive_write_new, (void), ())                                              \
	F(int, archive_write_open_filename, (struct archive *a, const char *f), (a, f))                 \
	F(int, archive_write_set_format_pax_restricted, (struct archive *a), (a))                       \
	N(archive_set_error)

HULL_LAZY_LIBRARY(hull_lazy_archive, HULL_SONAME_ARCHIVE, "to read image archives", HULL_LAZY_ARCHIVE_LIST)

/* Variadic: the message is formatted here and handed on as one string. */
void
archive_set_error(struct archive *a, int code, const char *fmt, ...)
{
	__typeof__(&archive_set_error) real = hull_lazy_sym(&hull_lazy_archive, HULL_LAZY_INDEX_archive_set_error);
	if (fmt == NULL) {
		real(a, code, NULL);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	g_autofree gchar *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	real(a, code, "%s", msg);
}
