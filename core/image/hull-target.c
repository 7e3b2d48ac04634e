/* hull-target.c: opening what the user asked to scan. Detects the kind of target (image tar or
 * OCI layout, rootfs, Dockerfile, config files) from what is on disk, hands it to the source
 * that builds the HullFs, and says how fs paths are shown in reports. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <archive.h>
#include <archive_entry.h>
#include "hull-fs-private.h"

G_DEFINE_QUARK(hull-target-error-quark, hull_target_error)

const char *
hull_target_type_to_string(HullTargetType type)
{
	switch (type) {
	case HULL_TARGET_IMAGE:
		return "image";
	case HULL_TARGET_ROOTFS:
		return "rootfs";
	case HULL_TARGET_DOCKERFILE:
		return "dockerfile";
	case HULL_TARGET_CONFIG:
		return "config";
	case HULL_TARGET_AUTO:
	default:
		return "auto";
	}
}

gboolean
hull_target_type_from_string(const char *name, HullTargetType *out)
{
	g_return_val_if_fail(out != NULL, FALSE);
	if (name == NULL)
		return FALSE;
	static const struct {
		const char *name;
		HullTargetType type;
	} names[] = {
		{"auto", HULL_TARGET_AUTO},         {"image", HULL_TARGET_IMAGE},
		{"rootfs", HULL_TARGET_ROOTFS},     {"dockerfile", HULL_TARGET_DOCKERFILE},
		{"config", HULL_TARGET_CONFIG},     {"k8s", HULL_TARGET_CONFIG},
	};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (g_ascii_strcasecmp(name, names[i].name) == 0) {
			*out = names[i].type;
			return TRUE;
		}
	}
	return FALSE;
}

/* Sniffs whether @path is a tar (maybe compressed) that libarchive can read. */
static gboolean
hull_is_tar(const char *path)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	gboolean ok = FALSE;
	if (archive_read_open_filename(a, path, 16384) == ARCHIVE_OK) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		ok = (r == ARCHIVE_OK || r == ARCHIVE_WARN);
	}
	archive_read_free(a);
	return ok;
}

static gboolean
hull_is_dockerfile_name(const char *base)
{
	return g_strcmp0(base, "Dockerfile") == 0 || g_strcmp0(base, "Containerfile") == 0 ||
	       g_str_has_suffix(base, ".Dockerfile") || g_str_has_suffix(base, ".dockerfile") ||
	       g_str_has_prefix(base, "Dockerfile.") || g_str_has_prefix(base, "Containerfile.");
}

/* First non-comment, non-blank line starts with FROM or ARG (parser directives are comments). */
static gboolean
hull_looks_like_dockerfile(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return FALSE;
	char line[512];
	gboolean result = FALSE;
	for (int n = 0; n < 200 && fgets(line, sizeof line, f) != NULL; n++) {
		const char *p = line;
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		result = (g_ascii_strncasecmp(p, "FROM", 4) == 0 && (p[4] == ' ' || p[4] == '\t')) ||
		         (g_ascii_strncasecmp(p, "ARG", 3) == 0 && (p[3] == ' ' || p[3] == '\t'));
		break;
	}
	fclose(f);
	return result;
}

static gboolean
hull_dir_has(const char *dir, const char *name)
{
	g_autofree char *p = g_build_filename(dir, name, NULL);
	return g_file_test(p, G_FILE_TEST_EXISTS);
}

static gboolean
hull_detect(const char *path, struct stat *st, HullTargetType *out, GError **error)
{
	if (S_ISDIR(st->st_mode)) {
		if (hull_dir_has(path, "oci-layout"))
			*out = HULL_TARGET_IMAGE;
		else if (hull_dir_has(path, "etc") || hull_dir_has(path, "usr") || hull_dir_has(path, "bin") ||
		         hull_dir_has(path, "lib"))
			*out = HULL_TARGET_ROOTFS;
		else
			*out = HULL_TARGET_CONFIG;
		return TRUE;
	}
	if (!S_ISREG(st->st_mode)) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_UNKNOWN_TYPE,
		            "%s: not a regular file or directory", path);
		return FALSE;
	}
	g_autofree char *base = g_path_get_basename(path);
	if (hull_is_dockerfile_name(base)) {
		*out = HULL_TARGET_DOCKERFILE;
		return TRUE;
	}
	if (g_str_has_suffix(base, ".yaml") || g_str_has_suffix(base, ".yml") || g_str_has_suffix(base, ".json")) {
		*out = HULL_TARGET_CONFIG;
		return TRUE;
	}
	if (hull_is_tar(path)) {
		*out = HULL_TARGET_IMAGE;
		return TRUE;
	}
	if (hull_looks_like_dockerfile(path)) {
		*out = HULL_TARGET_DOCKERFILE;
		return TRUE;
	}
	g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_UNKNOWN_TYPE,
	            "%s: not an image, rootfs, Dockerfile or config file (use --type to say which)", path);
	return FALSE;
}

static gboolean
hull_target_open_image(HullTarget *t, const char *path, gboolean is_dir, const HullOpenOptions *opt,
                       GError **error)
{
	HullBlobSource *src = NULL;
	if (!is_dir && opt->probe_memo != NULL && (src = hull_blob_source_new_from_memo(path, opt->probe_memo)) == NULL)
		g_debug("%s: the probe memo is unreadable: listing the archive", path);
	if (src == NULL)
		src = hull_blob_source_new(path, is_dir, error);
	if (src == NULL)
		return FALSE;
	t->fs->blobs = src;
	if (!is_dir && hull_blob_source_has(src, "manifest.json"))
		return hull_docker_archive_load(t, src, opt, error);
	if (hull_blob_source_has(src, "index.json"))
		return hull_oci_load(t, src, opt, error);
	g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
	            "%s: neither a docker-archive (no manifest.json) nor an OCI layout (no index.json)", path);
	return FALSE;
}

HullTarget *
hull_target_open(const char *path, const HullOpenOptions *options, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	HullOpenOptions defaults = {.verify_digests = TRUE};
	const HullOpenOptions *opt = options != NULL ? options : &defaults;
	struct stat st;
	if (stat(path, &st) != 0) {
		int e = errno;
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NOT_FOUND, "%s: %s", path, g_strerror(e));
		return NULL;
	}
	HullTargetType type = opt->type;
	/* a probe memo is only ever made from an image tar, and only handed back for that file unchanged */
	if (type == HULL_TARGET_AUTO && opt->probe_memo != NULL && S_ISREG(st.st_mode))
		type = HULL_TARGET_IMAGE;
	if (type == HULL_TARGET_AUTO && !hull_detect(path, &st, &type, error))
		return NULL;

	g_autoptr(HullTarget) t = g_new0(HullTarget, 1);
	t->type = type;
	t->input = g_strdup(path);
	t->fs = hull_fs_new();
	gboolean is_dir = S_ISDIR(st.st_mode);
	gboolean ok;
	switch (type) {
	case HULL_TARGET_IMAGE:
		ok = hull_target_open_image(t, path, is_dir, opt, error);
		break;
	case HULL_TARGET_ROOTFS:
	case HULL_TARGET_CONFIG:
	case HULL_TARGET_DOCKERFILE:
		if (is_dir) {
			if (type == HULL_TARGET_DOCKERFILE) {
				g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
				            "%s: a directory, not a Dockerfile", path);
				return NULL;
			}
			ok = hull_rootfs_load(t->fs, path, error);
		} else {
			t->single_file = TRUE;
			ok = hull_single_file_load(t->fs, path, error);
		}
		break;
	case HULL_TARGET_AUTO:
	default:
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_UNKNOWN_TYPE, "%s: unknown target type", path);
		return NULL;
	}
	if (!ok) {
		/* one line, printable, whatever the archive or a parser put in the message */
		if (error != NULL && *error != NULL) {
			char *clean = hull_printable((*error)->message);
			g_free((*error)->message);
			(*error)->message = clean;
		}
		return NULL;
	}
	hull_fs_finish(t->fs);
	return g_steal_pointer(&t);
}

void
hull_target_free(HullTarget *target)
{
	if (target == NULL)
		return;
	hull_fs_free(target->fs);
	hull_image_free(target->image);
	g_free(target->input);
	g_free(target);
}

HullTargetType
hull_target_get_type(HullTarget *target)
{
	g_return_val_if_fail(target != NULL, HULL_TARGET_AUTO);
	return target->type;
}

HullFs *
hull_target_get_fs(HullTarget *target)
{
	g_return_val_if_fail(target != NULL, NULL);
	return target->fs;
}

HullImage *
hull_target_get_image(HullTarget *target)
{
	g_return_val_if_fail(target != NULL, NULL);
	return target->image;
}

gchar *
hull_target_display_path(HullTarget *target, const char *fs_path)
{
	g_return_val_if_fail(target != NULL && fs_path != NULL, NULL);
	if (target->single_file)
		return g_strdup(target->input);
	if (target->type == HULL_TARGET_CONFIG || target->type == HULL_TARGET_DOCKERFILE) {
		const char *p = fs_path;
		while (*p == '/')
			p++;
		return g_strdup(*p != '\0' ? p : ".");
	}
	return g_strdup(fs_path);
}

guint64
hull_target_get_total_bytes(HullTarget *target)
{
	g_return_val_if_fail(target != NULL, 0);
	return target->fs->total_bytes;
}

GPtrArray *
hull_target_get_notes(HullTarget *target)
{
	g_return_val_if_fail(target != NULL, NULL);
	return target->fs->notes;
}

gchar *
hull_target_get_content_key(HullTarget *target)
{
	g_return_val_if_fail(target != NULL, NULL);
	HullImage *img = target->image;
	if (target->type != HULL_TARGET_IMAGE || img == NULL || img->config_sha256 == NULL)
		return NULL;
	g_autoptr(GString) s = g_string_new("hullscan-image-key 1\n");
	g_string_append_printf(s, "image %s\nconfig sha256:%s\n", img->digest != NULL ? img->digest : "-",
	                       img->config_sha256);
	for (guint i = 0; target->fs->layers != NULL && i < target->fs->layers->len; i++) {
		HullLayer *l = g_ptr_array_index(target->fs->layers, i);
		g_string_append_printf(s, "layer %u %s %s %s\n", i, l->expect_diff_id != NULL ? l->expect_diff_id : "-",
		                       l->expect_digest != NULL ? l->expect_digest : "-", l->blob);
	}
	return hull_sha256_hex(s->str, s->len);
}

GBytes *
hull_target_get_probe_memo(HullTarget *target)
{
	g_return_val_if_fail(target != NULL, NULL);
	if (target->type != HULL_TARGET_IMAGE || target->fs->blobs == NULL)
		return NULL;
	return hull_blob_source_memo(target->fs->blobs);
}

GPtrArray *
hull_target_get_layer_files(HullTarget *target)
{
	g_return_val_if_fail(target != NULL, NULL);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	HullBlobSource *src = target->fs->blobs;
	if (target->type != HULL_TARGET_IMAGE || src == NULL)
		return out;
	if (!src->is_dir) {
		g_ptr_array_add(out, g_canonicalize_filename(src->path, NULL));
		return out;
	}
	for (guint i = 0; target->fs->layers != NULL && i < target->fs->layers->len; i++) {
		HullLayer *l = g_ptr_array_index(target->fs->layers, i);
		g_autofree gchar *p = g_build_filename(src->path, l->blob, NULL);
		g_ptr_array_add(out, g_canonicalize_filename(p, NULL));
	}
	return out;
}

gboolean
hull_target_finish_verify(HullTarget *target, GError **error)
{
	g_return_val_if_fail(target != NULL, FALSE);
	if (hull_fs_finish_verify(target->fs, error))
		return TRUE;
	if (error != NULL && *error != NULL)
		g_prefix_error(error, "%s: ", target->input);
	return FALSE;
}
