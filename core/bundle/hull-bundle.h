/* hull-bundle.h: vendor bundles (*.hsb): a tar.gz of plugins/, rules/ and profiles/ with a
 * bundle.json manifest (name, version, vendor, the plugin ABI it needs, each file's size and
 * SHA-256, and when it was made) and, optionally, bundle.sig: an Ed25519 signature of
 * bundle.json. Verifying checks the signature first, then every member against the manifest,
 * refuses links, traversal, extra files and bundles inside the bundle, and the ABI; only then
 * is anything written, and only inside the destination. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	const char *const *trusted_keys;  /* PEM Ed25519 public key files; NULL: none */
	gboolean require_signed;          /* refuse bundles that no trusted key signed */
} HullBundlePolicy;

typedef struct {
	gchar *name;
	gchar *version;                   /* NULL in a bundle made without one: counts as 0 */
	gchar *vendor;
	gint64 created;                   /* Unix time it was made; 0 in a bundle made without one */
	guint abi_major;
	guint abi_minor;
	guint n_files;
	guint64 total_size;
	gboolean is_signed;               /* carries bundle.sig */
	gchar *signed_by;                 /* trusted key that verified it, or NULL */
	gchar **files;                    /* member paths bundle.json lists, in its order */
	GBytes *manifest;                 /* bundle.json's bytes, as signed */
} HullBundleInfo;

void hull_bundle_info_free(HullBundleInfo *info);

/* Writes @output from @dir. @sign_key: PEM Ed25519 private key, or NULL. Name, version and
 * vendor default to those of @dir/bundle.json when it exists (it is not bundled itself), else
 * the name and vendor of the first plugin in @dir and version 0.0.0. The creation time is
 * now, or SOURCE_DATE_EPOCH when set. */
gboolean hull_bundle_create(const char *dir, const char *output, const char *name, const char *version,
                            const char *vendor, const char *sign_key, GError **error);
/* (transfer full) NULL with @error naming the first problem. */
HullBundleInfo *hull_bundle_verify(const char *file, const HullBundlePolicy *policy, GError **error);
/* Verifies, then writes the bundle's files under @dest (created if absent; existing files are
 * never overwritten). Each file is hashed again as it is written. */
HullBundleInfo *hull_bundle_extract(const char *file, const HullBundlePolicy *policy, const char *dest,
                                    GError **error);
/* Verifies, then installs the bundle's files under @prefix, replacing those of an installed
 * bundle of the same name, and records its manifest as @prefix/bundles/NAME.json. Refuses a
 * bundle older (by version, then by creation time) than the installed one unless
 * @allow_downgrade, and any file of @prefix not installed by that bundle. */
HullBundleInfo *hull_bundle_install(const char *file, const HullBundlePolicy *policy, const char *prefix,
                                    gboolean allow_downgrade, GError **error);
/* Orders two bundle versions: dot-separated parts, numbers by value (1.10 > 1.9), the rest
 * byte-wise; NULL and missing parts count as 0. */
int hull_bundle_version_cmp(const char *a, const char *b);
/* The policy from the environment: HULLSCAN_TRUSTED_KEYS (colon-separated public key files)
 * and HULLSCAN_REQUIRE_SIGNED=1. Free with hull_bundle_policy_clear(). */
void hull_bundle_policy_from_env(HullBundlePolicy *policy);
void hull_bundle_policy_clear(HullBundlePolicy *policy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullBundleInfo, hull_bundle_info_free)

G_END_DECLS
