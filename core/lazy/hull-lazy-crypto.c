/* hull-lazy-crypto.c: OpenSSL's libcrypto, opened when a large file is hashed or a bundle is
 * signed or verified (short keys and cache fingerprints use GChecksum, which needs no start-up). */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include "hull-lazy.h"

#define HULL_LAZY_SELF hull_lazy_crypto
#define HULL_LAZY_CRYPTO_LIST(F, V, N)                                                                   \
	F(int, EVP_Digest, (const void *d, size_t n, unsigned char *md, unsigned int *s, const EVP_MD *t,  \
	                    ENGINE *e), (d, n, md, s, t, e))                                             \
	F(int, EVP_DigestInit_ex, (EVP_MD_CTX *c, const EVP_MD *t, ENGINE *e), (c, t, e))               \
	F(int, EVP_DigestUpdate, (EVP_MD_CTX *c, const void *d, size_t n), (c, d, n))                   \
	F(int, EVP_DigestFinal_ex, (EVP_MD_CTX *c, unsigned char *md, unsigned int *s), (c, md, s))     \
	F(int, EVP_DigestSignInit, (EVP_MD_CTX *c, EVP_PKEY_CTX **p, const EVP_MD *t, ENGINE *e,         \
	                            EVP_PKEY *k), (c, p, t, e, k))                                       \
	F(int, EVP_DigestSign, (EVP_MD_CTX *c, unsigned char *sig, size_t *n, const unsigned char *m,    \
	                        size_t l), (c, sig, n, m, l))                                            \
	F(int, EVP_DigestVerifyInit, (EVP_MD_CTX *c, EVP_PKEY_CTX **p, const EVP_MD *t, ENGINE *e,       \
	                              EVP_PKEY *k), (c, p, t, e, k))                                     \
	F(int, EVP_DigestVerify, (EVP_MD_CTX *c, const unsigned char *sig, size_t n,                     \
	                          const unsigned char *m, size_t l), (c, sig, n, m, l))                  \
	F(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())                                                     \
	V(EVP_MD_CTX_free, (EVP_MD_CTX *c), (c))                                                        \
	V(EVP_PKEY_free, (EVP_PKEY *k), (k))                                                            \
	F(int, EVP_PKEY_get_id, (const EVP_PKEY *k), (k))                                               \
	F(const EVP_MD *, EVP_sha256, (void), ())                                                       \
	F(EVP_PKEY *, PEM_read_PUBKEY, (FILE *f, EVP_PKEY **k, pem_password_cb *cb, void *u), (f, k, cb, u)) \
	F(EVP_PKEY *, PEM_read_PrivateKey, (FILE *f, EVP_PKEY **k, pem_password_cb *cb, void *u),        \
	  (f, k, cb, u))

HULL_LAZY_LIBRARY(hull_lazy_crypto, HULL_SONAME_CRYPTO, "to hash files and check signatures", HULL_LAZY_CRYPTO_LIST)
