/* hull-bundle.h: vendor bundles (*.hsb): a tar.gz of plugins/, rules/ and profiles/ with a
 * bundle.json manifest (name, version, vendor, the plugin ABI it needs, each file's size and
 * SHA-256) and, optionally, bundle.sig: an Ed25519 signature of bundle.json. Verifying
 * checks every member against the manifest, refuses links, traversal and extra files, and
 * the ABI; only then is anything written, and only inside the destination. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	const char *const *trusted_keys;  /* PEM Ed25519 public key files; NULL: none */
	gboolean require_signed;          /* refuse bundles that no trusted key signed */
} HullBundlePolicy;

typedef struct {
	gchar *name;
	gchar *version;
	gchar *vendor;
	guint abi_major;
	guint abi_minor;
	guint n_files;
	guint64 total_size;
	gboolean is_signed;               /* carries bundle.sig */
	gchar *signed_by;                 /* trusted key that verified it, or NULL */
} HullBundleInfo;

void hull_bundle_info_free(HullBundleInfo *info);

/* Writes @output from @dir. @sign_key: PEM Ed25519 private key, or NULL. Name, version and
 * vendor default to those of the first plugin in @dir. */
gboolean hull_bundle_create(const char *dir, const char *output, const char *name, const char *version,
                            const char *vendor, const char *sign_key, GError **error);
/* (transfer full) NULL with @error naming the first problem. */
HullBundleInfo *hull_bundle_verify(const char *file, const HullBundlePolicy *policy, GError **error);
/* Verifies, then writes the bundle's files under @dest (created if absent; existing files are
 * never overwritten). Each file is hashed again as it is written. */
HullBundleInfo *hull_bundle_extract(const char *file, const HullBundlePolicy *policy, const char *dest,
                                    GError **error);
/* The policy from the environment: HULLSCAN_TRUSTED_KEYS (colon-separated public key files)
 * and HULLSCAN_REQUIRE_SIGNED=1. Free with hull_bundle_policy_clear(). */
void hull_bundle_policy_from_env(HullBundlePolicy *policy);
void hull_bundle_policy_clear(HullBundlePolicy *policy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullBundleInfo, hull_bundle_info_free)

G_END_DECLS
