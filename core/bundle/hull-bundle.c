/* hull-bundle.c: creating, verifying and unpacking vendor bundles. A bundle is untrusted
 * input until verified: the reader refuses anything but regular files and directories,
 * checks every path before use, bounds sizes and counts, and matches each member's size and
 * SHA-256 against bundle.json, which the optional Ed25519 signature covers. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <string.h>
#include <unistd.h>
#include "hull-bundle.h"
#include "hull-scan-private.h"
#include <hullscan/hull-json.h>

#define HULL_BUNDLE_MAX_MEMBERS 10000
#define HULL_BUNDLE_MAX_FILE (512ull * 1024 * 1024)
#define HULL_BUNDLE_MAX_TOTAL (1024ull * 1024 * 1024)
#define HULL_BUNDLE_MAX_MANIFEST (1024 * 1024)
#define HULL_BUNDLE_FORMAT 1

typedef struct {
	gchar *sha256;
	guint64 size;
} HullBundleMember;

static void
hull_bundle_member_free(HullBundleMember *m)
{
	g_free(m->sha256);
	g_free(m);
}

void
hull_bundle_info_free(HullBundleInfo *info)
{
	if (info == NULL)
		return;
	g_free(info->name);
	g_free(info->version);
	g_free(info->vendor);
	g_free(info->signed_by);
	g_strfreev(info->files);
	g_clear_pointer(&info->manifest, g_bytes_unref);
	g_free(info);
}

void
hull_bundle_policy_from_env(HullBundlePolicy *policy)
{
	memset(policy, 0, sizeof(*policy));
	const char *keys = g_getenv("HULLSCAN_TRUSTED_KEYS");
	if (keys != NULL && keys[0] != '\0')
		policy->trusted_keys = (const char *const *)g_strsplit(keys, ":", -1);
	policy->require_signed = g_strcmp0(g_getenv("HULLSCAN_REQUIRE_SIGNED"), "1") == 0;
}

void
hull_bundle_policy_clear(HullBundlePolicy *policy)
{
	g_strfreev((gchar **)policy->trusted_keys);
	policy->trusted_keys = NULL;
}

/* A member path we are willing to create: relative, no "." or ".." or empty component,
 * valid UTF-8, under plugins/, rules/ or profiles/ (or the two manifest files at the top). */
static gboolean
hull_bundle_path_ok(const char *path, gboolean is_dir, GError **error)
{
	if (path == NULL || path[0] == '\0' || strlen(path) > 1024 || !g_utf8_validate(path, -1, NULL)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, "member name is empty, too long or not UTF-8");
		return FALSE;
	}
	if (path[0] == '/' || strchr(path, '\\') != NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, "member %s: absolute paths are not allowed", path);
		return FALSE;
	}
	g_autofree gchar *trimmed = g_strdup(path);
	gsize n = strlen(trimmed);
	while (is_dir && n > 0 && trimmed[n - 1] == '/')
		trimmed[--n] = '\0';
	g_auto(GStrv) parts = g_strsplit(trimmed, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (parts[i][0] == '\0' || strcmp(parts[i], ".") == 0 || strcmp(parts[i], "..") == 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
			            "member %s: '.', '..' and empty path components are not allowed", path);
			return FALSE;
		}
	}
	if (!is_dir && parts[1] == NULL && (strcmp(parts[0], "bundle.json") == 0 || strcmp(parts[0], "bundle.sig") == 0))
		return TRUE;
	/* A bundle inside a bundle would be unpacked by the loader in turn, and so on down a chain
	 * a few kilobytes long: bundles are flat. */
	if (!is_dir && g_str_has_suffix(path, ".hsb")) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
		            "member %s is a bundle: bundles inside bundles are refused", path);
		return FALSE;
	}
	if (strcmp(parts[0], "plugins") != 0 && strcmp(parts[0], "rules") != 0 && strcmp(parts[0], "profiles") != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
		            "member %s: only plugins/, rules/ and profiles/ may be bundled", path);
		return FALSE;
	}
	return TRUE;
}

static gchar *
hull_sha256_final_hex(EVP_MD_CTX *md)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(md, digest, &len);
	GString *hex = g_string_sized_new(64);
	for (unsigned int i = 0; i < len; i++)
		g_string_append_printf(hex, "%02x", digest[i]);
	return g_string_free(hex, FALSE);
}

/* ---- Ed25519 ---- */

static EVP_PKEY *
hull_bundle_read_key(const char *filename, gboolean private_key, GError **error)
{
	FILE *f = fopen(filename, "r");
	if (f == NULL) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "key %s: %s", filename, g_strerror(errno));
		return NULL;
	}
	EVP_PKEY *key = private_key ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (key == NULL || EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(key);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "key %s: not a PEM Ed25519 %s key", filename,
		            private_key ? "private" : "public");
		return NULL;
	}
	return key;
}

static gchar *
hull_bundle_sign(const char *key_file, const guint8 *msg, gsize len, GError **error)
{
	EVP_PKEY *key = hull_bundle_read_key(key_file, TRUE, error);
	if (key == NULL)
		return NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char sig[64];
	size_t sig_len = sizeof(sig);
	gboolean ok = EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
	              EVP_DigestSign(ctx, sig, &sig_len, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	if (!ok) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "signing with %s failed", key_file);
		return NULL;
	}
	return g_base64_encode(sig, sig_len);
}

static gboolean
hull_bundle_signature_valid(const char *key_file, const guint8 *msg, gsize len, const char *sig_b64)
{
	g_autoptr(GError) error = NULL;
	EVP_PKEY *key = hull_bundle_read_key(key_file, FALSE, &error);
	if (key == NULL) {
		g_warning("%s", error->message);
		return FALSE;
	}
	g_autofree gchar *trimmed = g_strstrip(g_strdup(sig_b64));
	gsize sig_len = 0;
	g_autofree guchar *sig = g_base64_decode(trimmed, &sig_len);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	gboolean ok = sig_len == 64 && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
	              EVP_DigestVerify(ctx, sig, sig_len, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ok;
}

/* ---- Reading ---- */

typedef struct {
	GHashTable *members;   /* path → HullBundleMember* (regular files only) */
	GBytes *manifest;
	GBytes *signature;
} HullBundleContents;

static void
hull_bundle_contents_clear(HullBundleContents *c)
{
	g_clear_pointer(&c->members, g_hash_table_unref);
	g_clear_pointer(&c->manifest, g_bytes_unref);
	g_clear_pointer(&c->signature, g_bytes_unref);
}

static struct archive *
hull_bundle_open_read(const char *file, GError **error)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, file, 65536) != ARCHIVE_OK) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: %s", file, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Callback for each regular member's bytes while it is read (extraction writes them). */
typedef gboolean (*HullBundleSink)(const char *path, const void *buf, gsize len, gpointer user_data, GError **error);

static gboolean
hull_bundle_read_all(const char *file, HullBundleContents *c, HullBundleSink sink, gpointer sink_data, GError **error)
{
	struct archive *a = hull_bundle_open_read(file, error);
	if (a == NULL)
		return FALSE;
	c->members = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)hull_bundle_member_free);
	struct archive_entry *entry;
	guint count = 0;
	guint64 total = 0;
	gboolean ok = TRUE;
	g_autofree guint8 *buf = g_malloc(65536);
	int r;
	while (ok && (r = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
		const char *path = archive_entry_pathname_utf8(entry);
		if (path == NULL)
			path = archive_entry_pathname(entry);
		if (++count > HULL_BUNDLE_MAX_MEMBERS) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: more than %d members", file,
			            HULL_BUNDLE_MAX_MEMBERS);
			ok = FALSE;
			break;
		}
		if (archive_entry_hardlink(entry) != NULL || archive_entry_filetype(entry) == AE_IFLNK) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: member %s is a link; bundles hold only files",
			            file, path ? path : "?");
			ok = FALSE;
			break;
		}
		gboolean is_dir = archive_entry_filetype(entry) == AE_IFDIR;
		if (!is_dir && archive_entry_filetype(entry) != AE_IFREG) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: member %s is not a regular file", file,
			            path ? path : "?");
			ok = FALSE;
			break;
		}
		g_autoptr(GError) perr = NULL;
		if (!hull_bundle_path_ok(path, is_dir, &perr)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: %s", file, perr->message);
			ok = FALSE;
			break;
		}
		if (is_dir)
			continue;
		if (g_hash_table_contains(c->members, path)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: member %s appears twice", file, path);
			ok = FALSE;
			break;
		}
		gboolean is_manifest = strcmp(path, "bundle.json") == 0 || strcmp(path, "bundle.sig") == 0;
		GByteArray *keep = is_manifest ? g_byte_array_new() : NULL;
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		EVP_DigestInit_ex(md, EVP_sha256(), NULL);
		guint64 size = 0;
		la_ssize_t n;
		while ((n = archive_read_data(a, buf, 65536)) > 0) {
			size += (guint64)n;
			total += (guint64)n;
			if (size > HULL_BUNDLE_MAX_FILE || total > HULL_BUNDLE_MAX_TOTAL ||
			    (keep != NULL && size > HULL_BUNDLE_MAX_MANIFEST)) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: member %s is too large", file, path);
				ok = FALSE;
				break;
			}
			EVP_DigestUpdate(md, buf, (size_t)n);
			if (keep != NULL)
				g_byte_array_append(keep, buf, (guint)n);
			else if (sink != NULL && !sink(path, buf, (gsize)n, sink_data, error)) {
				ok = FALSE;
				break;
			}
		}
		if (ok && n < 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: member %s: %s", file, path,
			            archive_error_string(a));
			ok = FALSE;
		}
		HullBundleMember *m = g_new0(HullBundleMember, 1);
		m->sha256 = hull_sha256_final_hex(md);
		m->size = size;
		EVP_MD_CTX_free(md);
		g_hash_table_insert(c->members, g_strdup(path), m);
		if (keep != NULL) {
			GBytes *bytes = g_byte_array_free_to_bytes(keep);
			if (strcmp(path, "bundle.json") == 0)
				c->manifest = bytes;
			else
				c->signature = bytes;
		}
		if (ok && sink != NULL && !is_manifest && !sink(path, NULL, 0, sink_data, error))
			ok = FALSE;
	}
	if (ok && r != ARCHIVE_EOF && r != ARCHIVE_OK) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: %s", file, archive_error_string(a));
		ok = FALSE;
	}
	archive_read_free(a);
	return ok;
}

static const char *
hull_json_string(JsonObject *o, const char *member)
{
	JsonNode *n = json_object_get_member(o, member);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

/* The signature over bundle.json's bytes, checked before anything in it is interpreted:
 * the trusted key that verifies it (transfer full), or NULL. FALSE when the policy refuses. */
static gboolean
hull_bundle_check_signature(const char *file, HullBundleContents *c, const HullBundlePolicy *policy,
                            gchar **signed_by, GError **error)
{
	gsize mlen = 0;
	const char *mdata = g_bytes_get_data(c->manifest, &mlen);
	gboolean have_keys = policy != NULL && policy->trusted_keys != NULL && policy->trusted_keys[0] != NULL;
	if (c->signature != NULL && have_keys) {
		gsize slen = 0;
		const char *sdata = g_bytes_get_data(c->signature, &slen);
		g_autofree gchar *sig = g_strndup(sdata, slen);
		for (guint i = 0; policy->trusted_keys[i] != NULL && *signed_by == NULL; i++) {
			if (hull_bundle_signature_valid(policy->trusted_keys[i], (const guint8 *)mdata, mlen, sig))
				*signed_by = g_strdup(policy->trusted_keys[i]);
		}
	}
	if (have_keys && *signed_by == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "bundle %s: %s", file,
		            c->signature != NULL ? "the signature does not verify with any trusted key"
		                                 : "not signed, and a trusted key is required");
		return FALSE;
	}
	if (policy != NULL && policy->require_signed && *signed_by == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "bundle %s: unsigned or unverified bundles are refused (--require-signed; give --trust KEY)", file);
		return FALSE;
	}
	return TRUE;
}

static HullBundleInfo *
hull_bundle_check(const char *file, HullBundleContents *c, const HullBundlePolicy *policy, GError **error)
{
	if (c->manifest == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: no bundle.json", file);
		return NULL;
	}
	g_autofree gchar *signed_by = NULL;
	if (!hull_bundle_check_signature(file, c, policy, &signed_by, error))
		return NULL;
	gsize mlen = 0;
	const char *mdata = g_bytes_get_data(c->manifest, &mlen);
	g_autoptr(JsonParser) parser = json_parser_new();
	if (!hull_json_load_one(parser, mdata, mlen, NULL) || json_parser_get_root(parser) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: bundle.json is not a JSON object", file);
		return NULL;
	}
	JsonObject *root = json_node_get_object(json_parser_get_root(parser));
	JsonNode *abi_node = json_object_get_member(root, "abi");
	JsonNode *files_node = json_object_get_member(root, "files");
	if (json_object_get_int_member_with_default(root, "format", 0) != HULL_BUNDLE_FORMAT ||
	    hull_json_string(root, "name") == NULL || abi_node == NULL || !JSON_NODE_HOLDS_OBJECT(abi_node) ||
	    files_node == NULL || !JSON_NODE_HOLDS_ARRAY(files_node)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "bundle %s: bundle.json needs format %d, name, abi{major,minor} and files[]", file, HULL_BUNDLE_FORMAT);
		return NULL;
	}
	g_autoptr(HullBundleInfo) info = g_new0(HullBundleInfo, 1);
	info->name = g_strdup(hull_json_string(root, "name"));
	info->version = g_strdup(hull_json_string(root, "version"));
	info->vendor = g_strdup(hull_json_string(root, "vendor"));
	/* Both under the signature; a bundle made before they existed has neither and counts
	 * as version 0, made at time 0: any bundle with them is newer. */
	info->created = json_object_get_int_member_with_default(root, "created", 0);
	JsonObject *abi = json_node_get_object(abi_node);
	gint64 major = json_object_get_int_member_with_default(abi, "major", -1);
	gint64 minor = json_object_get_int_member_with_default(abi, "minor", -1);
	if (major != HULL_ABI_MAJOR || minor < 0 || minor > HULL_ABI_MINOR) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
		            "bundle %s: needs plugin ABI %" G_GINT64_FORMAT ".%" G_GINT64_FORMAT ", this hullscan speaks %d.%d",
		            file, major, minor, HULL_ABI_MAJOR, HULL_ABI_MINOR);
		return NULL;
	}
	info->abi_major = (guint)major;
	info->abi_minor = (guint)minor;

	g_autoptr(GHashTable) listed = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	JsonArray *files = json_node_get_array(files_node);
	for (guint i = 0; i < json_array_get_length(files); i++) {
		JsonNode *fn = json_array_get_element(files, i);
		if (!JSON_NODE_HOLDS_OBJECT(fn)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: files[%u] is not an object", file, i);
			return NULL;
		}
		JsonObject *fo = json_node_get_object(fn);
		const char *path = hull_json_string(fo, "path");
		const char *sha = hull_json_string(fo, "sha256");
		gint64 size = json_object_get_int_member_with_default(fo, "size", -1);
		g_autoptr(GError) perr = NULL;
		if (path == NULL || sha == NULL || size < 0 || !hull_bundle_path_ok(path, FALSE, &perr) ||
		    strcmp(path, "bundle.json") == 0 || strcmp(path, "bundle.sig") == 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: files[%u] is not a valid entry%s%s", file,
			            i, perr ? ": " : "", perr ? perr->message : "");
			return NULL;
		}
		HullBundleMember *m = g_hash_table_lookup(c->members, path);
		if (m == NULL) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "bundle %s: %s is listed in bundle.json but missing",
			            file, path);
			return NULL;
		}
		if (m->size != (guint64)size || g_ascii_strcasecmp(m->sha256, sha) != 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "bundle %s: %s does not match bundle.json (size or sha256 differs: the file was changed)", file, path);
			return NULL;
		}
		g_hash_table_add(listed, (gpointer)path);
		g_ptr_array_add(paths, g_strdup(path));
		info->n_files++;
		info->total_size += m->size;
	}
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, c->members);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const char *path = key;
		if (strcmp(path, "bundle.json") == 0 || strcmp(path, "bundle.sig") == 0)
			continue;
		if (!g_hash_table_contains(listed, path)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s: %s is not listed in bundle.json", file,
			            path);
			return NULL;
		}
	}
	g_ptr_array_add(paths, NULL);

	info->is_signed = c->signature != NULL;
	info->signed_by = g_steal_pointer(&signed_by);
	info->files = (gchar **)g_ptr_array_free(g_steal_pointer(&paths), FALSE);
	info->manifest = g_bytes_ref(c->manifest);
	return g_steal_pointer(&info);
}

HullBundleInfo *
hull_bundle_verify(const char *file, const HullBundlePolicy *policy, GError **error)
{
	HullBundleContents c = {0};
	HullBundleInfo *info = NULL;
	if (hull_bundle_read_all(file, &c, NULL, NULL, error))
		info = hull_bundle_check(file, &c, policy, error);
	hull_bundle_contents_clear(&c);
	return info;
}

/* ---- Extracting ---- */

typedef struct {
	const char *dest;
	GHashTable *expected;   /* path → HullBundleMember* from the verified pass */
	gchar *current;         /* path being written */
	int fd;
	EVP_MD_CTX *md;
	guint64 size;
	GPtrArray *written;     /* files created, removed again on failure */
} HullBundleWriter;

static gboolean
hull_bundle_write_sink(const char *path, const void *buf, gsize len, gpointer user_data, GError **error)
{
	HullBundleWriter *w = user_data;
	HullBundleMember *want = g_hash_table_lookup(w->expected, path);
	if (want == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle changed while being installed (%s)", path);
		return FALSE;
	}
	if (w->current == NULL || strcmp(w->current, path) != 0) {
		g_free(w->current);
		w->current = g_strdup(path);
		g_autofree gchar *fn = g_build_filename(w->dest, path, NULL);
		g_autofree gchar *parent = g_path_get_dirname(fn);
		if (g_mkdir_with_parents(parent, 0755) != 0) {
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "%s: %s", parent, g_strerror(errno));
			return FALSE;
		}
		/* O_EXCL|O_NOFOLLOW: never write through a link or over an existing file. */
		w->fd = open(fn, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, g_str_has_suffix(path, ".so") ? 0755 : 0644);
		if (w->fd < 0) {
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "%s: %s", fn, g_strerror(errno));
			return FALSE;
		}
		g_ptr_array_add(w->written, g_steal_pointer(&fn));
		w->md = EVP_MD_CTX_new();
		EVP_DigestInit_ex(w->md, EVP_sha256(), NULL);
		w->size = 0;
	}
	if (buf == NULL) {
		/* End of this member: its bytes must still be what was verified. */
		g_autofree gchar *hex = hull_sha256_final_hex(w->md);
		EVP_MD_CTX_free(w->md);
		w->md = NULL;
		int rc = close(w->fd);
		w->fd = -1;
		if (rc != 0 || w->size != want->size || strcmp(hex, want->sha256) != 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle changed while being installed (%s)", path);
			return FALSE;
		}
		return TRUE;
	}
	EVP_DigestUpdate(w->md, buf, len);
	w->size += len;
	const guint8 *p = buf;
	while (len > 0) {
		ssize_t n = write(w->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "writing %s: %s", path, g_strerror(errno));
			return FALSE;
		}
		p += n;
		len -= (gsize)n;
	}
	return TRUE;
}

HullBundleInfo *
hull_bundle_extract(const char *file, const HullBundlePolicy *policy, const char *dest, GError **error)
{
	HullBundleContents verified = {0};
	g_autoptr(HullBundleInfo) info = NULL;
	if (!hull_bundle_read_all(file, &verified, NULL, NULL, error) ||
	    (info = hull_bundle_check(file, &verified, policy, error)) == NULL) {
		hull_bundle_contents_clear(&verified);
		return NULL;
	}
	if (g_mkdir_with_parents(dest, 0755) != 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "%s: %s", dest, g_strerror(errno));
		hull_bundle_contents_clear(&verified);
		return NULL;
	}
	HullBundleWriter w = {.dest = dest, .expected = verified.members, .fd = -1,
	                      .written = g_ptr_array_new_with_free_func(g_free)};
	HullBundleContents again = {0};
	gboolean ok = hull_bundle_read_all(file, &again, hull_bundle_write_sink, &w, error);
	if (w.fd >= 0)
		close(w.fd);
	if (w.md != NULL)
		EVP_MD_CTX_free(w.md);
	if (ok && g_hash_table_size(again.members) != g_hash_table_size(verified.members)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bundle %s changed while being installed", file);
		ok = FALSE;
	}
	if (!ok) {
		for (guint i = 0; i < w.written->len; i++)
			g_unlink(g_ptr_array_index(w.written, i));
	}
	g_ptr_array_unref(w.written);
	g_free(w.current);
	hull_bundle_contents_clear(&again);
	hull_bundle_contents_clear(&verified);
	return ok ? g_steal_pointer(&info) : NULL;
}

/* ---- Creating ---- */

static gboolean
hull_bundle_collect(const char *root, const char *rel, GPtrArray *out, GError **error)
{
	g_autofree gchar *dir = rel[0] ? g_build_filename(root, rel, NULL) : g_strdup(root);
	g_autoptr(GDir) d = g_dir_open(dir, 0, error);
	if (d == NULL)
		return FALSE;
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *child_rel = rel[0] ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);
		g_autofree gchar *child = g_build_filename(root, child_rel, NULL);
		/* The directory's own bundle.json gives defaults; the manifest is written anew. */
		if (rel[0] == '\0' && (strcmp(name, "bundle.json") == 0 || strcmp(name, "bundle.sig") == 0))
			continue;
		GStatBuf st;
		if (g_lstat(child, &st) != 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is a symbolic link: bundles hold only files", child);
			return FALSE;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!hull_bundle_collect(root, child_rel, out, error))
				return FALSE;
		} else if (S_ISREG(st.st_mode)) {
			if (!hull_bundle_path_ok(child_rel, FALSE, error))
				return FALSE;
			g_ptr_array_add(out, g_steal_pointer(&child_rel));
		}
	}
	return TRUE;
}

static gint
hull_bundle_strcmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static gboolean
hull_bundle_write_member(struct archive *a, const char *path, const void *data, gsize len, guint mode, GError **error)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, path);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, mode);
	archive_entry_set_mtime(e, 0, 0);
	gboolean ok = archive_write_header(a, e) == ARCHIVE_OK &&
	              (len == 0 || archive_write_data(a, data, len) == (la_ssize_t)len);
	archive_entry_free(e);
	if (!ok)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "writing %s: %s", path, archive_error_string(a));
	return ok;
}

/* @dir/bundle.json, when there is one: the defaults of name, version and vendor. */
static JsonParser *
hull_bundle_read_defaults(const char *dir, JsonObject **root, GError **error)
{
	*root = NULL;
	g_autofree gchar *fn = g_build_filename(dir, "bundle.json", NULL);
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_autoptr(GError) local = NULL;
	if (!g_file_get_contents(fn, &data, &len, &local)) {
		if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return json_parser_new();
		g_propagate_error(error, g_steal_pointer(&local));
		return NULL;
	}
	g_autoptr(JsonParser) parser = json_parser_new();
	if (!hull_json_load_one(parser, data, len, NULL) || json_parser_get_root(parser) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a JSON object", fn);
		return NULL;
	}
	*root = json_node_get_object(json_parser_get_root(parser));
	return g_steal_pointer(&parser);
}

/* The creation time recorded in a bundle: SOURCE_DATE_EPOCH for reproducible builds, else now. */
static gboolean
hull_bundle_created_now(gint64 *created, GError **error)
{
	const char *epoch = g_getenv("SOURCE_DATE_EPOCH");
	if (epoch == NULL || epoch[0] == '\0') {
		*created = g_get_real_time() / G_USEC_PER_SEC;
		return TRUE;
	}
	guint64 v = 0;
	if (!g_ascii_string_to_unsigned(epoch, 10, 0, G_MAXINT64, &v, NULL)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "SOURCE_DATE_EPOCH '%s' is not a number of seconds", epoch);
		return FALSE;
	}
	*created = (gint64)v;
	return TRUE;
}

gboolean
hull_bundle_create(const char *dir, const char *output, const char *name, const char *version, const char *vendor,
                   const char *sign_key, GError **error)
{
	JsonObject *defaults = NULL;
	g_autoptr(JsonParser) defaults_parser = hull_bundle_read_defaults(dir, &defaults, error);
	if (defaults_parser == NULL)
		return FALSE;
	if (defaults != NULL) {
		name = name != NULL ? name : hull_json_string(defaults, "name");
		version = version != NULL ? version : hull_json_string(defaults, "version");
		vendor = vendor != NULL ? vendor : hull_json_string(defaults, "vendor");
	}
	gint64 created = 0;
	if (!hull_bundle_created_now(&created, error))
		return FALSE;
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	if (!hull_bundle_collect(dir, "", files, error))
		return FALSE;
	g_ptr_array_sort(files, hull_bundle_strcmp);
	guint abi_minor = 0;
	const HullPluginDescriptor *first = NULL;
	guint n_plugins = 0;
	for (guint i = 0; i < files->len; i++) {
		const char *rel = g_ptr_array_index(files, i);
		if (!g_str_has_prefix(rel, "plugins/") || !g_str_has_suffix(rel, ".so"))
			continue;
		g_autofree gchar *fn = g_build_filename(dir, rel, NULL);
		lt_dlhandle module = NULL;
		const HullPluginDescriptor *d = hull_plugin_open_module(fn, &module, error);
		if (d == NULL)
			return FALSE;
		abi_minor = MAX(abi_minor, d->abi_minor);
		if (first == NULL)
			first = d;
		n_plugins++;
	}
	if (n_plugins == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no plugins/*.so to bundle", dir);
		return FALSE;
	}
	/* Each file is read once: what is hashed into bundle.json is exactly what is written. */
	g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	for (guint i = 0; i < files->len; i++) {
		g_autofree gchar *fn = g_build_filename(dir, g_ptr_array_index(files, i), NULL);
		g_autoptr(GMappedFile) mf = g_mapped_file_new(fn, FALSE, error);
		if (mf == NULL)
			return FALSE;
		g_ptr_array_add(contents, g_mapped_file_get_bytes(mf));
	}

	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "format");
	json_builder_add_int_value(b, HULL_BUNDLE_FORMAT);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, name ? name : first->name);
	json_builder_set_member_name(b, "version");
	json_builder_add_string_value(b, version ? version : "0.0.0");
	json_builder_set_member_name(b, "created");
	json_builder_add_int_value(b, created);
	json_builder_set_member_name(b, "vendor");
	json_builder_add_string_value(b, vendor ? vendor : (first->vendor ? first->vendor : ""));
	json_builder_set_member_name(b, "abi");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "major");
	json_builder_add_int_value(b, HULL_ABI_MAJOR);
	json_builder_set_member_name(b, "minor");
	json_builder_add_int_value(b, abi_minor);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "files");
	json_builder_begin_array(b);
	for (guint i = 0; i < files->len; i++) {
		GBytes *bytes = g_ptr_array_index(contents, i);
		gsize len = 0;
		const void *data = g_bytes_get_data(bytes, &len);
		g_autofree gchar *sha = hull_sha256_hex(data, len);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "path");
		json_builder_add_string_value(b, g_ptr_array_index(files, i));
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, (gint64)len);
		json_builder_set_member_name(b, "sha256");
		json_builder_add_string_value(b, sha);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autofree gchar *manifest = json_to_string(root, TRUE);
	g_autofree gchar *sig = NULL;
	if (sign_key != NULL && (sig = hull_bundle_sign(sign_key, (const guint8 *)manifest, strlen(manifest), error)) == NULL)
		return FALSE;

	struct archive *a = archive_write_new();
	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	if (archive_write_open_filename(a, output) != ARCHIVE_OK) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", output, archive_error_string(a));
		archive_write_free(a);
		return FALSE;
	}
	gboolean ok = hull_bundle_write_member(a, "bundle.json", manifest, strlen(manifest), 0644, error);
	if (ok && sig != NULL)
		ok = hull_bundle_write_member(a, "bundle.sig", sig, strlen(sig), 0644, error);
	for (guint i = 0; ok && i < files->len; i++) {
		const char *rel = g_ptr_array_index(files, i);
		gsize len = 0;
		const void *data = g_bytes_get_data(g_ptr_array_index(contents, i), &len);
		ok = hull_bundle_write_member(a, rel, data, len, g_str_has_suffix(rel, ".so") ? 0755 : 0644, error);
	}
	if (archive_write_close(a) != ARCHIVE_OK && ok) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", output, archive_error_string(a));
		ok = FALSE;
	}
	archive_write_free(a);
	if (!ok)
		g_unlink(output);
	return ok;
}

/* ---- Installing ---- */

int
hull_bundle_version_cmp(const char *a, const char *b)
{
	g_auto(GStrv) pa = g_strsplit(a != NULL ? a : "0", ".", -1);
	g_auto(GStrv) pb = g_strsplit(b != NULL ? b : "0", ".", -1);
	guint na = g_strv_length(pa), nb = g_strv_length(pb);
	for (guint i = 0; i < MAX(na, nb); i++) {
		const char *x = i < na ? pa[i] : "0", *y = i < nb ? pb[i] : "0";
		gchar *rx = NULL, *ry = NULL;
		guint64 vx = g_ascii_isdigit(x[0]) ? g_ascii_strtoull(x, &rx, 10) : 0;
		guint64 vy = g_ascii_isdigit(y[0]) ? g_ascii_strtoull(y, &ry, 10) : 0;
		if (vx != vy)
			return vx < vy ? -1 : 1;
		rx = rx != NULL ? rx : (gchar *)x;
		ry = ry != NULL ? ry : (gchar *)y;
		/* "1.0.0-rc1" comes before "1.0.0", as in semver. */
		if ((rx[0] == '-') != (ry[0] == '-') && (rx[0] == '\0' || ry[0] == '\0'))
			return rx[0] == '-' ? -1 : 1;
		int c = strcmp(rx, ry);
		if (c != 0)
			return c < 0 ? -1 : 1;
	}
	return 0;
}

/* A bundle name we can record as a file name under the prefix. */
static gboolean
hull_bundle_name_ok(const char *name)
{
	if (name[0] == '\0' || name[0] == '.' || strlen(name) > 128)
		return FALSE;
	for (const char *c = name; *c != '\0'; c++) {
		if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_' && *c != '.' && *c != '+')
			return FALSE;
	}
	return TRUE;
}

/* What an earlier install recorded in @record: its version, creation time and files. */
typedef struct {
	gchar *version;
	gint64 created;
	GHashTable *files;       /* path → path */
} HullBundleInstalled;

static void
hull_bundle_installed_clear(HullBundleInstalled *inst)
{
	g_clear_pointer(&inst->version, g_free);
	g_clear_pointer(&inst->files, g_hash_table_unref);
}

static gboolean
hull_bundle_read_installed(const char *record, HullBundleInstalled *inst, GError **error)
{
	inst->files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_autoptr(GError) local = NULL;
	if (!g_file_get_contents(record, &data, &len, &local)) {
		if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	g_autoptr(JsonParser) parser = json_parser_new();
	JsonNode *files_node = NULL;
	JsonObject *root = NULL;
	if (hull_json_load_one(parser, data, len, NULL) && json_parser_get_root(parser) != NULL &&
	    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		root = json_node_get_object(json_parser_get_root(parser));
		files_node = json_object_get_member(root, "files");
	}
	if (files_node == NULL || !JSON_NODE_HOLDS_ARRAY(files_node)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s: not the record of an installed bundle (remove it to install anyway)", record);
		return FALSE;
	}
	inst->version = g_strdup(hull_json_string(root, "version"));
	inst->created = json_object_get_int_member_with_default(root, "created", 0);
	JsonArray *files = json_node_get_array(files_node);
	for (guint i = 0; i < json_array_get_length(files); i++) {
		JsonNode *fn = json_array_get_element(files, i);
		const char *path = JSON_NODE_HOLDS_OBJECT(fn) ? hull_json_string(json_node_get_object(fn), "path") : NULL;
		/* Only paths a bundle may hold are ever removed from the prefix. */
		if (path != NULL && hull_bundle_path_ok(path, FALSE, NULL))
			g_hash_table_add(inst->files, g_strdup(path));
	}
	return TRUE;
}

static gchar *
hull_bundle_describe(const char *version, gint64 created)
{
	g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(created);
	g_autofree gchar *when = t != NULL ? g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ") : g_strdup("?");
	return g_strdup_printf("%s (made %s)", version != NULL ? version : "0", when);
}

/* Moves the staged files into @prefix over the installed bundle's, removes the files of the
 * installed bundle the new one no longer has, and records the new manifest. */
static gboolean
hull_bundle_commit(HullBundleInfo *info, const char *stage, const char *prefix, const char *record,
                   HullBundleInstalled *inst, GError **error)
{
	g_autoptr(GHashTable) keep = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; info->files[i] != NULL; i++) {
		const char *path = info->files[i];
		g_autofree gchar *from = g_build_filename(stage, path, NULL);
		g_autofree gchar *to = g_build_filename(prefix, path, NULL);
		g_autofree gchar *parent = g_path_get_dirname(to);
		if (g_mkdir_with_parents(parent, 0755) != 0 || g_rename(from, to) != 0) {
			int e = errno;
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "installing %s: %s", to, g_strerror(e));
			return FALSE;
		}
		g_hash_table_add(keep, (gpointer)path);
	}
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, inst->files);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		if (g_hash_table_contains(keep, key))
			continue;
		g_autofree gchar *old = g_build_filename(prefix, (const char *)key, NULL);
		g_unlink(old);
	}
	g_autofree gchar *dir = g_path_get_dirname(record);
	gsize len = 0;
	const gchar *data = g_bytes_get_data(info->manifest, &len);
	if (g_mkdir_with_parents(dir, 0755) != 0 || !g_file_set_contents(record, data, (gssize)len, error)) {
		if (error != NULL && *error == NULL)
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "%s: %s", dir, g_strerror(errno));
		g_prefix_error(error, "recording the installed bundle: ");
		return FALSE;
	}
	return TRUE;
}

/* Unpacks into @stage (inside @prefix, so the files can be renamed into place), then
 * checks the result against what is installed before anything in @prefix changes. */
static HullBundleInfo *
hull_bundle_install_staged(const char *file, const HullBundlePolicy *policy, const char *prefix, const char *stage,
                           gboolean allow_downgrade, GError **error)
{
	g_autoptr(HullBundleInfo) info = hull_bundle_extract(file, policy, stage, error);
	if (info == NULL)
		return NULL;
	if (!hull_bundle_name_ok(info->name)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "bundle %s: name '%s' cannot be installed (letters, digits, '.', '-', '_', '+'; not leading '.')",
		            file, info->name);
		return NULL;
	}
	g_autofree gchar *base = g_strconcat(info->name, ".json", NULL);
	g_autofree gchar *record = g_build_filename(prefix, "bundles", base, NULL);
	HullBundleInstalled inst = {0};
	if (!hull_bundle_read_installed(record, &inst, error)) {
		hull_bundle_installed_clear(&inst);
		return NULL;
	}
	gboolean installed = g_file_test(record, G_FILE_TEST_EXISTS);
	int cmp = hull_bundle_version_cmp(info->version, inst.version);
	if (cmp == 0)
		cmp = info->created < inst.created ? -1 : info->created > inst.created;
	if (installed && cmp < 0 && !allow_downgrade) {
		g_autofree gchar *have = hull_bundle_describe(inst.version, inst.created);
		g_autofree gchar *want = hull_bundle_describe(info->version, info->created);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS,
		            "bundle %s: %s %s is older than the installed %s in %s (--allow-downgrade installs it anyway)", file,
		            info->name, want, have, prefix);
		hull_bundle_installed_clear(&inst);
		return NULL;
	}
	/* Files of the prefix this bundle did not install are never replaced. */
	for (guint i = 0; info->files[i] != NULL; i++) {
		g_autofree gchar *to = g_build_filename(prefix, info->files[i], NULL);
		GStatBuf st;
		if (g_lstat(to, &st) == 0 && !g_hash_table_contains(inst.files, info->files[i])) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS,
			            "bundle %s: %s exists and was not installed by bundle %s: not replaced", file, to, info->name);
			hull_bundle_installed_clear(&inst);
			return NULL;
		}
	}
	gboolean ok = hull_bundle_commit(info, stage, prefix, record, &inst, error);
	hull_bundle_installed_clear(&inst);
	return ok ? g_steal_pointer(&info) : NULL;
}

HullBundleInfo *
hull_bundle_install(const char *file, const HullBundlePolicy *policy, const char *prefix, gboolean allow_downgrade,
                    GError **error)
{
	if (g_mkdir_with_parents(prefix, 0755) != 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", prefix, g_strerror(e));
		return NULL;
	}
	g_autofree gchar *stage = g_build_filename(prefix, ".hullscan-install-XXXXXX", NULL);
	if (g_mkdtemp_full(stage, 0700) == NULL) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", prefix, g_strerror(e));
		return NULL;
	}
	HullBundleInfo *info = hull_bundle_install_staged(file, policy, prefix, stage, allow_downgrade, error);
	hull_remove_tree(stage);
	return info;
}
