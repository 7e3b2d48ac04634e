/* hull-cmd-files.c: `hullscan files TARGET [--json]`: prints the merged file tree of a target,
 * one entry per path with its type, mode, size, link target and the layer that wrote it
 * (index, digest, created_by) - what a user reaches for to see which layer added a file. Names
 * that are not valid UTF-8 are shown with \xNN escapes so the output (JSON too) stays valid. */
#include <stdio.h>
#include <string.h>
#include "hull-cli.h"
#include "hull-target.h"
#include "hull-mask.h"
#include "hull-text.h"
#include "image/hull-fs-private.h"

static const char *
hull_kind_name(HullFileKind k)
{
	switch (k) {
	case HULL_FILE_KIND_REGULAR:
		return "file";
	case HULL_FILE_KIND_DIRECTORY:
		return "dir";
	case HULL_FILE_KIND_SYMLINK:
		return "symlink";
	case HULL_FILE_KIND_HARDLINK:
		return "hardlink";
	case HULL_FILE_KIND_CHAR_DEVICE:
		return "char";
	case HULL_FILE_KIND_BLOCK_DEVICE:
		return "block";
	case HULL_FILE_KIND_FIFO:
		return "fifo";
	case HULL_FILE_KIND_SOCKET:
		return "socket";
	default:
		return "unknown";
	}
}

typedef struct {
	HullTarget *target;
	HullImage *image;
	JsonBuilder *b;
	GString *table;
	GPtrArray *created_by;   /* per layer: masked and printable, or NULL */
} HullFilesOut;

/* Each layer's created_by once, masked (a credential in a RUN line or an ADD URL) and made
 * printable: not once per file, which may be 100,000 times. */
static GPtrArray *
hull_files_created_by(HullImage *image)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; image != NULL && i < hull_image_get_n_layers(image); i++) {
		const char *cb = hull_image_get_layer_created_by(image, i);
		g_autofree char *masked = hull_mask_text(cb);
		g_ptr_array_add(a, masked != NULL ? hull_printable(masked) : NULL);
	}
	return a;
}

static void
hull_files_add_layer(JsonBuilder *b, HullFilesOut *o, int layer)
{
	HullImage *image = o->image;
	if (layer < 0 || image == NULL) {
		json_builder_add_null_value(b);
		return;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "index");
	json_builder_add_int_value(b, layer);
	json_builder_set_member_name(b, "digest");
	const char *d = hull_image_get_layer_diff_id(image, (guint)layer);
	g_autofree char *ds = d ? hull_printable(d) : NULL;
	if (ds != NULL)
		json_builder_add_string_value(b, ds);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "created_by");
	const char *cbs = (guint)layer < o->created_by->len ? g_ptr_array_index(o->created_by, layer) : NULL;
	if (cbs != NULL)
		json_builder_add_string_value(b, cbs);
	else
		json_builder_add_null_value(b);
	json_builder_end_object(b);
}

static void
hull_files_emit(HullFilesOut *o, const HullFile *f)
{
	g_autofree char *shown_path = hull_target_display_path(o->target, hull_file_get_path(f));
	g_autofree char *path = hull_printable(shown_path);
	const char *lt = hull_file_get_link_target(f);
	g_autofree char *link = lt ? hull_printable(lt) : NULL;
	guint32 mode = hull_file_get_mode(f) & 07777;
	if (o->b != NULL) {
		JsonBuilder *b = o->b;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "path");
		json_builder_add_string_value(b, path);
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, hull_kind_name(hull_file_get_kind(f)));
		json_builder_set_member_name(b, "mode");
		g_autofree char *m = g_strdup_printf("%04o", mode);
		json_builder_add_string_value(b, m);
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, (gint64)hull_file_get_size(f));
		json_builder_set_member_name(b, "uid");
		json_builder_add_int_value(b, hull_file_get_uid(f));
		json_builder_set_member_name(b, "gid");
		json_builder_add_int_value(b, hull_file_get_gid(f));
		if (link != NULL) {
			json_builder_set_member_name(b, "link_target");
			json_builder_add_string_value(b, link);
		}
		json_builder_set_member_name(b, "layer");
		hull_files_add_layer(b, o, hull_file_get_layer(f));
		if (hull_file_get_deleted_in(f) >= 0) {
			json_builder_set_member_name(b, "deleted_in");
			json_builder_add_int_value(b, hull_file_get_deleted_in(f));
		}
		json_builder_end_object(b);
		return;
	}
	g_autofree char *layer = hull_file_get_layer(f) >= 0 ? g_strdup_printf("%d", hull_file_get_layer(f)) : g_strdup("-");
	g_string_append_printf(o->table, "%-8s %04o %12" G_GUINT64_FORMAT " %5s  %s%s%s", hull_kind_name(hull_file_get_kind(f)),
	                       mode, hull_file_get_size(f), layer, path, link ? " -> " : "", link ? link : "");
	if (hull_file_get_deleted_in(f) >= 0)
		g_string_append_printf(o->table, "  (deleted in layer %d)", hull_file_get_deleted_in(f));
	g_string_append_c(o->table, '\n');
	if (o->table->len > 1 << 20) {
		fwrite(o->table->str, 1, o->table->len, stdout);
		g_string_truncate(o->table, 0);
	}
}

static gboolean
hull_files_each(const HullFile *f, gpointer user_data)
{
	hull_files_emit(user_data, f);
	return TRUE;
}

static gint
hull_file_path_cmp(gconstpointer a, gconstpointer b)
{
	const HullFile *x = *(const HullFile *const *)a, *y = *(const HullFile *const *)b;
	int c = strcmp(hull_file_get_path(x), hull_file_get_path(y));
	return c != 0 ? c : hull_file_get_layer(x) - hull_file_get_layer(y);
}

int
hull_cmd_files(int argc, char **argv)
{
	gboolean json = FALSE, deleted = FALSE;
	g_autofree char *type = NULL, *ref = NULL, *platform = NULL, *max_size = NULL;
	GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "JSON output", NULL},
		{"type", 0, 0, G_OPTION_ARG_STRING, &type, "image|rootfs|dockerfile|config", "TYPE"},
		{"ref", 0, 0, G_OPTION_ARG_STRING, &ref, "image name in an archive holding several", "NAME"},
		{"platform", 0, 0, G_OPTION_ARG_STRING, &platform, "OS/ARCH[/VARIANT] (default linux/amd64)", "P"},
		{"max-image-size", 0, 0, G_OPTION_ARG_STRING, &max_size, "refuse images larger than SIZE uncompressed", "SIZE"},
		{"deleted", 0, 0, G_OPTION_ARG_NONE, &deleted, "also list entries deleted by a later layer", NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("TARGET - the merged file tree with the layer of each entry");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		hull_cli_error("hullscan files: %s", error->message);
		return HULL_EXIT_USAGE;
	}
	if (argc != 2) {
		hull_cli_error("hullscan files: expected exactly one TARGET (see hullscan files --help)");
		return HULL_EXIT_USAGE;
	}
	HullOpenOptions opt = {.verify_digests = TRUE, .ref = ref, .platform = platform};
	if (type != NULL && !hull_target_type_from_string(type, &opt.type)) {
		hull_cli_error("hullscan files: unknown --type %s", type);
		return HULL_EXIT_USAGE;
	}
	if (max_size != NULL && !hull_parse_size(max_size, &opt.max_image_size)) {
		hull_cli_error("hullscan files: invalid --max-image-size %s", max_size);
		return HULL_EXIT_USAGE;
	}
	g_autoptr(HullTarget) target = hull_target_open(argv[1], &opt, &error);
	if (target == NULL) {
		hull_cli_error("hullscan files: %s", error->message);
		return error->domain == HULL_TARGET_ERROR ? HULL_EXIT_USAGE : HULL_EXIT_INTERNAL;
	}
	HullFilesOut o = {.target = target, .image = hull_target_get_image(target)};
	g_autoptr(GPtrArray) created_by = hull_files_created_by(o.image);
	o.created_by = created_by;
	HullFs *fs = hull_target_get_fs(target);
	if (json) {
		o.b = json_builder_new();
		json_builder_begin_object(o.b);
		json_builder_set_member_name(o.b, "target");
		json_builder_begin_object(o.b);
		json_builder_set_member_name(o.b, "input");
		g_autofree char *in_masked = hull_mask_text(argv[1]);
		g_autofree char *in = hull_printable(in_masked);
		json_builder_add_string_value(o.b, in);
		json_builder_set_member_name(o.b, "type");
		json_builder_add_string_value(o.b, hull_target_type_to_string(hull_target_get_type(target)));
		if (o.image != NULL && hull_image_get_digest(o.image) != NULL) {
			json_builder_set_member_name(o.b, "digest");
			json_builder_add_string_value(o.b, hull_image_get_digest(o.image));
		}
		json_builder_end_object(o.b);
		json_builder_set_member_name(o.b, "layers");
		json_builder_begin_array(o.b);
		for (guint i = 0; o.image != NULL && i < hull_image_get_n_layers(o.image); i++)
			hull_files_add_layer(o.b, &o, (int)i);
		json_builder_end_array(o.b);
		json_builder_set_member_name(o.b, "files");
		json_builder_begin_array(o.b);
	} else {
		o.table = g_string_new(NULL);
		g_string_append_printf(o.table, "%-8s %4s %12s %5s  %s\n", "TYPE", "MODE", "SIZE", "LAYER", "PATH");
	}
	hull_fs_foreach(fs, hull_files_each, &o);
	if (deleted) {
		/* the deleted entries are private to the fs; list them sorted after the visible tree */
		g_autoptr(GPtrArray) del = g_ptr_array_new();
		for (guint i = 0; i < fs->deleted->len; i++)
			g_ptr_array_add(del, g_ptr_array_index(fs->deleted, i));
		g_ptr_array_sort(del, hull_file_path_cmp);
		for (guint i = 0; i < del->len; i++)
			hull_files_emit(&o, g_ptr_array_index(del, i));
	}
	if (json) {
		json_builder_end_array(o.b);
		json_builder_end_object(o.b);
		g_autoptr(JsonNode) root = json_builder_get_root(o.b);
		g_autoptr(JsonGenerator) gen = json_generator_new();
		json_generator_set_pretty(gen, TRUE);
		json_generator_set_root(gen, root);
		gsize len;
		g_autofree char *data = json_generator_to_data(gen, &len);
		g_autoptr(GString) text = g_string_new_len(data, (gssize)len);
		hull_text_escape_json(text);
		fwrite(text->str, 1, text->len, stdout);
		fputc('\n', stdout);
		g_object_unref(o.b);
	} else {
		fwrite(o.table->str, 1, o.table->len, stdout);
		g_string_free(o.table, TRUE);
	}
	return fflush(stdout) == 0 ? HULL_EXIT_OK : HULL_EXIT_INTERNAL;
}
