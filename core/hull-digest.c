/* hull-digest.c: SHA-256 through OpenSSL's libcrypto, which uses SHA-NI where the CPU has it
 * (several times faster than GChecksum), except for short inputs. */
#include <openssl/evp.h>
#include "hull-scan-private.h"

gchar *
hull_sha256_file(const char *path)
{
	g_autoptr(GMappedFile) mf = g_mapped_file_new(path, FALSE, NULL);
	if (mf == NULL)
		return NULL;
	return hull_sha256_hex(g_mapped_file_get_contents(mf), g_mapped_file_get_length(mf));
}

/* Below this, GChecksum: OpenSSL's first digest in a process loads libcrypto, its configuration
 * and its providers (about 2 ms), longer than GChecksum takes for this many bytes; cache keys and
 * configs are this short, and a warm scan then does not load libcrypto at all. */
#define HULL_DIGEST_SHORT (64u * 1024)

gchar *
hull_sha256_hex(const void *data, gsize len)
{
	if (len < HULL_DIGEST_SHORT)
		return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	if (!EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL))
		return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	GString *hex = g_string_sized_new(md_len * 2);
	for (unsigned int i = 0; i < md_len; i++)
		g_string_append_printf(hex, "%02x", md[i]);
	return g_string_free(hex, FALSE);
}
