/* hull-vulndb-import.c: reads import sources (files, directories, .zip exports) and feeds
 * each JSON document to the right converter. A zip is streamed member by member through
 * libarchive, so memory stays bounded by the largest member (capped) and not the archive;
 * commits happen per file, and every 5,000 records inside a zip. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <hullscan/hull-json.h>

#include "hull-vulndb-private.h"

#define HULL_VULN_BATCH 5000
#define HULL_VULN_MAX_NOTES 1000

HullVulnImportStats *
hull_vuln_import_stats_new(void)
{
	HullVulnImportStats *stats = g_new0(HullVulnImportStats, 1);
	stats->notes = g_ptr_array_new_with_free_func(g_free);
	return stats;
}

void
hull_vuln_import_stats_free(HullVulnImportStats *stats)
{
	if (stats == NULL)
		return;
	g_ptr_array_unref(stats->notes);
	g_free(stats);
}

void
hull_vuln_import_note(HullVulnImportStats *stats, const char *fmt, ...)
{
	if (stats == NULL || stats->notes->len >= HULL_VULN_MAX_NOTES)
		return;
	va_list ap;
	va_start(ap, fmt);
	g_ptr_array_add(stats->notes, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

typedef struct {
	HullVulnDb *db;
	HullVulnImportStats *stats;
	guint pending; /* records since the last commit */
} HullImportCtx;

static gboolean
hull_import_sink(const HullVulnRecord *rec, gpointer user_data, GError **error)
{
	HullImportCtx *ctx = user_data;
	if (!hull_vulndb_begin(ctx->db, error) || !hull_vulndb_store_record(ctx->db, rec, error))
		return FALSE;
	ctx->stats->records++;
	if (++ctx->pending >= HULL_VULN_BATCH) {
		ctx->pending = 0;
		return hull_vulndb_commit(ctx->db, error);
	}
	return TRUE;
}

/* One OSV record; a bad one is skipped with a note (FALSE only for database errors). */
static gboolean
hull_import_osv_node(HullImportCtx *ctx, JsonNode *node, const char *origin, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(HullVulnRecord) rec = hull_osv_record_from_json(node, origin, &local);
	if (rec == NULL) {
		ctx->stats->skipped++;
		hull_vuln_import_note(ctx->stats, "%s", local->message);
		return TRUE;
	}
	return hull_import_sink(rec, ctx, error);
}

static gboolean
hull_import_document(HullImportCtx *ctx, const char *data, gsize len, const char *origin,
		     gboolean bulk_ok, GError **error)
{
	/* invalid input is a skipped document with a note; only database errors fail */
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) perr = NULL;
	if (!hull_json_load_one(parser, data, len, &perr)) {
		ctx->stats->skipped++;
		hull_vuln_import_note(ctx->stats, "%s: not JSON: %s", origin, perr->message);
		return TRUE;
	}
	JsonNode *root = json_parser_get_root(parser);
	if (root == NULL) {
		ctx->stats->skipped++;
		hull_vuln_import_note(ctx->stats, "%s: empty document", origin);
		return TRUE;
	}
	if (JSON_NODE_HOLDS_ARRAY(root)) {
		JsonArray *arr = json_node_get_array(root);
		guint n = json_array_get_length(arr);
		for (guint i = 0; i < n; i++) {
			g_autofree gchar *sub = g_strdup_printf("%s[%u]", origin, i);
			if (!hull_import_osv_node(ctx, json_array_get_element(arr, i), sub, error))
				return FALSE;
		}
		return TRUE;
	}
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		ctx->stats->skipped++;
		hull_vuln_import_note(ctx->stats, "%s: not an OSV record, tracker or secdb document", origin);
		return TRUE;
	}
	JsonObject *obj = json_node_get_object(root);
	if (json_object_has_member(obj, "id")) {
		if (len > HULL_VULN_MAX_FILE) {
			ctx->stats->skipped++;
			hull_vuln_import_note(ctx->stats, "%s: OSV record over %d MiB, skipped", origin,
					      HULL_VULN_MAX_FILE / (1024 * 1024));
			return TRUE;
		}
		return hull_import_osv_node(ctx, root, origin, error);
	}
	if (json_object_has_member(obj, "packages") && json_object_has_member(obj, "distroversion")) {
		if (!bulk_ok && len > HULL_VULN_MAX_MEMBER) {
			ctx->stats->skipped++;
			hull_vuln_import_note(ctx->stats, "%s: too large", origin);
			return TRUE;
		}
		return hull_vuln_convert_alpine_secdb(root, origin, hull_import_sink, ctx, ctx->stats, error);
	}
	return hull_vuln_convert_debian_tracker(root, origin, hull_import_sink, ctx, ctx->stats, error);
}

gboolean
hull_vulndb_import_json_data(HullVulnDb *db, const char *data, gsize len, const char *origin,
			     HullVulnImportStats *stats, GError **error)
{
	g_return_val_if_fail(db != NULL && data != NULL && stats != NULL, FALSE);
	HullImportCtx ctx = {db, stats, 0};
	stats->files++;
	if (!hull_import_document(&ctx, data, len, origin, TRUE, error)) {
		hull_vulndb_rollback(db);
		return FALSE;
	}
	return hull_vulndb_commit(db, error);
}

static gboolean
hull_import_file(HullImportCtx *ctx, const char *path, GError **error)
{
	GStatBuf st;
	if (g_stat(path, &st) != 0) {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_IO, "%s: %s", path, g_strerror(errno));
		return FALSE;
	}
	if ((guint64)st.st_size > HULL_VULN_MAX_BULK_FILE) {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_INVALID,
			    "%s: file of %" G_GUINT64_FORMAT " bytes is over the %d MiB limit", path,
			    (guint64)st.st_size, HULL_VULN_MAX_BULK_FILE / (1024 * 1024));
		return FALSE;
	}
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_autoptr(GError) ferr = NULL;
	if (!g_file_get_contents(path, &data, &len, &ferr)) {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_IO, "%s", ferr->message);
		return FALSE;
	}
	ctx->stats->files++;
	/* only a tracker/secdb dump may be bigger than an OSV record's limit */
	if (len > HULL_VULN_MAX_FILE && data[strspn(data, " \t\r\n")] != '{') {
		ctx->stats->skipped++;
		hull_vuln_import_note(ctx->stats, "%s: over %d MiB, skipped", path,
				      HULL_VULN_MAX_FILE / (1024 * 1024));
		return TRUE;
	}
	if (!hull_import_document(ctx, data, len, path, TRUE, error))
		return FALSE;
	return hull_vulndb_commit(ctx->db, error);
}

static gboolean
hull_member_name_ok(const char *name)
{
	if (name == NULL || *name == '\0' || name[0] == '/' || strchr(name, '\\') != NULL)
		return FALSE;
	g_auto(GStrv) parts = g_strsplit(name, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (g_str_equal(parts[i], ".."))
			return FALSE;
	}
	return TRUE;
}

static gboolean
hull_import_zip(HullImportCtx *ctx, const char *path, GError **error)
{
	struct archive *ar = archive_read_new();
	archive_read_support_format_zip(ar);
	archive_read_support_filter_none(ar);
	if (archive_read_open_filename(ar, path, 64 * 1024) != ARCHIVE_OK) {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_INVALID, "%s: not a readable zip: %s",
			    path, archive_error_string(ar) != NULL ? archive_error_string(ar) : "unknown");
		archive_read_free(ar);
		return FALSE;
	}
	ctx->stats->files++;
	gboolean ok = TRUE;
	GByteArray *buf = g_byte_array_new();
	struct archive_entry *entry;
	int rc;
	while ((rc = archive_read_next_header(ar, &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(entry);
		g_autofree gchar *origin = g_strdup_printf("%s:%s", path, name != NULL ? name : "?");
		if (archive_entry_filetype(entry) != AE_IFREG)
			continue;
		if (!hull_member_name_ok(name)) {
			ctx->stats->skipped++;
			hull_vuln_import_note(ctx->stats, "%s: unsafe member name, skipped", origin);
			continue;
		}
		if (!g_str_has_suffix(name, ".json"))
			continue;
		if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > HULL_VULN_MAX_MEMBER) {
			ctx->stats->skipped++;
			hull_vuln_import_note(ctx->stats, "%s: declared size over %d MiB, skipped", origin,
					      HULL_VULN_MAX_MEMBER / (1024 * 1024));
			continue;
		}
		/* read with our own cap: a declared size can lie (zip bombs) */
		g_byte_array_set_size(buf, 0);
		gboolean too_big = FALSE, broken = FALSE;
		char chunk[65536];
		for (;;) {
			la_ssize_t n = archive_read_data(ar, chunk, sizeof(chunk));
			if (n == 0)
				break;
			if (n < 0) {
				broken = TRUE;
				break;
			}
			if (buf->len + (gsize)n > HULL_VULN_MAX_MEMBER) {
				too_big = TRUE;
				break;
			}
			g_byte_array_append(buf, (const guint8 *)chunk, (guint)n);
		}
		ctx->stats->files++;
		if (too_big || broken) {
			ctx->stats->skipped++;
			hull_vuln_import_note(ctx->stats, "%s: %s, skipped", origin,
					      too_big ? "inflates past the member limit" : "damaged member");
			continue;
		}
		if (!hull_import_document(ctx, (const char *)buf->data, buf->len, origin, FALSE, error)) {
			ok = FALSE;
			break;
		}
		/* a batch may be done: keep the shrunk buffer small between members */
		if (buf->len > 1024 * 1024)
			g_byte_array_set_size(buf, 0);
	}
	if (ok && rc != ARCHIVE_EOF && rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
		ctx->stats->skipped++;
		hull_vuln_import_note(ctx->stats, "%s: zip damaged, stopped reading: %s", path,
				      archive_error_string(ar) != NULL ? archive_error_string(ar) : "unknown");
	}
	g_byte_array_unref(buf);
	archive_read_free(ar);
	if (!ok)
		return FALSE;
	return hull_vulndb_commit(ctx->db, error);
}

static gboolean hull_import_any(HullImportCtx *ctx, const char *path, guint depth, GError **error);

static gint
hull_strcmp_ptr(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static gboolean
hull_import_dir(HullImportCtx *ctx, const char *path, guint depth, GError **error)
{
	if (depth > 32) {
		hull_vuln_import_note(ctx->stats, "%s: directories nested too deep, skipped", path);
		return TRUE;
	}
	g_autoptr(GError) derr = NULL;
	g_autoptr(GDir) dir = g_dir_open(path, 0, &derr);
	if (dir == NULL) {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_IO, "%s", derr->message);
		return FALSE;
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	while ((name = g_dir_read_name(dir)) != NULL)
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, hull_strcmp_ptr);
	for (guint i = 0; i < names->len; i++) {
		g_autofree gchar *child = g_build_filename(path, names->pdata[i], NULL);
		if (g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			continue;
		if (g_file_test(child, G_FILE_TEST_IS_DIR)) {
			if (!hull_import_dir(ctx, child, depth + 1, error))
				return FALSE;
		} else if (g_str_has_suffix(child, ".json") || g_str_has_suffix(child, ".zip")) {
			if (!hull_import_any(ctx, child, depth + 1, error))
				return FALSE;
		}
	}
	return TRUE;
}

static gboolean
hull_is_zip(const char *path)
{
	char magic[4] = {0};
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return FALSE;
	gsize n = fread(magic, 1, sizeof(magic), f);
	fclose(f);
	return n == 4 && memcmp(magic, "PK\x03\x04", 4) == 0;
}

static gboolean
hull_import_any(HullImportCtx *ctx, const char *path, guint depth, GError **error)
{
	gboolean ok;
	if (g_file_test(path, G_FILE_TEST_IS_DIR))
		ok = hull_import_dir(ctx, path, depth, error);
	else if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_IO, "%s: no such file or directory",
			    path);
		ok = FALSE;
	} else if (hull_is_zip(path) || g_str_has_suffix(path, ".zip"))
		ok = hull_import_zip(ctx, path, error);
	else
		ok = hull_import_file(ctx, path, error);
	if (!ok)
		hull_vulndb_rollback(ctx->db);
	return ok;
}

gboolean
hull_vulndb_import_path(HullVulnDb *db, const char *path, HullVulnImportStats *stats, GError **error)
{
	g_return_val_if_fail(db != NULL && path != NULL && stats != NULL, FALSE);
	if (db->readonly) {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_IO, "%s: opened read-only", db->path);
		return FALSE;
	}
	HullImportCtx ctx = {db, stats, 0};
	guint records = stats->records, skipped = stats->skipped, notes = stats->notes->len;
	if (!hull_import_any(&ctx, path, 0, error))
		return FALSE;
	/* a JSON file named directly that gave nothing usable is an unusable input, not a note;
	 * inside directories and zips bad documents stay skipped records */
	if (!g_file_test(path, G_FILE_TEST_IS_DIR) && !hull_is_zip(path) && stats->records == records &&
	    stats->skipped > skipped) {
		g_set_error(error, HULL_VULNDB_ERROR, HULL_VULNDB_ERROR_INVALID, "%s",
			    stats->notes->len > notes ? (const char *)stats->notes->pdata[stats->notes->len - 1]
						      : path);
		return FALSE;
	}
	return TRUE;
}
