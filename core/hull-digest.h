/* hull-digest.h: SHA-256 as lower-case hex, through OpenSSL's libcrypto. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* (transfer full) */
gchar *hull_sha256_hex(const void *data, gsize len);
/* A file's bytes; NULL when it cannot be read. (transfer full) */
gchar *hull_sha256_file(const char *path);

G_END_DECLS
