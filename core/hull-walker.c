/* hull-walker.c: the single pass. For every file the target streams, decide once which
 * plugins (and which of the core's own view parsers) want it, then hand each chunk to all of
 * them: a file is decompressed and read exactly once however many plugins look at it. */
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include "hull-scan-private.h"
#include "hull-views-private.h"

#define HULL_SNIFF_BYTES 8192
#define HULL_VIEW_MAX_SIZE (4 * 1024 * 1024)

typedef struct {
	HullPlugin *plugin;
	gpointer fstate;
	gboolean begun;
	gboolean active;
	GByteArray *whole;       /* HULL_INTEREST_WHOLE_FILE */
} HullPluginFile;

typedef struct {
	GArray *pfiles;          /* HullPluginFile */
	gboolean sniffed;
	GByteArray *view_buf;    /* content for the Dockerfile or Kubernetes parser */
	gboolean want_dockerfile;
	gboolean want_k8s;          /* also run configurations (compose, inspect, OCI) */
} HullFileWork;

typedef struct {
	HullScan *scan;
	gboolean progress;
	gint64 last_progress_us;
	gint files_done;            /* atomic */
	GMutex progress_lock;
	gboolean dockerfile_target;
} HullWalk;

/* YAML and JSON files may hold Kubernetes objects or run configurations: both parsers see
 * the same buffered bytes. */
static gboolean
hull_walker_is_config_name(const char *path)
{
	return g_str_has_suffix(path, ".yaml") || g_str_has_suffix(path, ".yml") || g_str_has_suffix(path, ".json");
}

static void
hull_plugin_file_lock(HullPlugin *p)
{
	if (p->desc->capabilities & HULL_CAP_SERIAL_FILES)
		g_mutex_lock(&p->file_lock);
}

static void
hull_plugin_file_unlock(HullPlugin *p)
{
	if (p->desc->capabilities & HULL_CAP_SERIAL_FILES)
		g_mutex_unlock(&p->file_lock);
}

static gboolean
hull_walker_want(const HullFile *file, gpointer user_data, gpointer *file_data)
{
	HullWalk *walk = user_data;
	HullScan *scan = walk->scan;
	guint64 size = hull_file_get_size(file);
	gboolean deleted = hull_file_get_deleted_in(file) >= 0;
	const char *path = hull_file_get_path(file);
	/* Allocated on the first match: most files of an image interest no plugin. */
	g_autoptr(GArray) pfiles = NULL;
	if (!deleted)
		g_atomic_int_inc(&scan->n_files);

	for (guint i = 0; i < scan->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(scan->plugins, i);
		if (!hull_plugin_wants(p, file))
			continue;
		if (p->desc->max_file_size > 0 && size > p->desc->max_file_size) {
			g_debug("%s: skipping %s: %" G_GUINT64_FORMAT " bytes is over its limit of %" G_GUINT64_FORMAT,
			        p->name, path, size, p->desc->max_file_size);
			g_mutex_lock(&scan->lock);
			p->n_oversized++;
			p->oversized_bytes += size;
			g_mutex_unlock(&scan->lock);
			continue;
		}
		if (pfiles == NULL)
			pfiles = g_array_new(FALSE, TRUE, sizeof(HullPluginFile));
		HullPluginFile pf = {.plugin = p, .active = TRUE};
		/* At least one byte reserved: an empty file's buffer then still has a data pointer,
		 * which plugins and parsers are promised. */
		if (p->desc->file_flags & HULL_INTEREST_WHOLE_FILE)
			pf.whole = g_byte_array_sized_new((guint)CLAMP(size, 1, 1 << 20));
		g_array_append_val(pfiles, pf);
	}

	gboolean want_df = FALSE, want_k8s = FALSE;
	if (!deleted && size <= HULL_VIEW_MAX_SIZE) {
		want_df = walk->dockerfile_target || hull_dockerfile_name_matches(path);
		want_k8s = !want_df && hull_walker_is_config_name(path);
	}
	if (pfiles == NULL && !want_df && !want_k8s)
		return FALSE;

	HullFileWork *work = g_new0(HullFileWork, 1);
	work->pfiles = pfiles != NULL ? g_steal_pointer(&pfiles) : g_array_new(FALSE, TRUE, sizeof(HullPluginFile));
	work->want_dockerfile = want_df;
	work->want_k8s = want_k8s;
	if (want_df || want_k8s)
		work->view_buf = g_byte_array_sized_new((guint)MAX(size, 1));
	*file_data = work;
	return TRUE;
}

static void
hull_walker_sniff(HullFileWork *work, const guint8 *buf, gsize len)
{
	work->sniffed = TRUE;
	gboolean binary = memchr(buf, 0, MIN(len, HULL_SNIFF_BYTES)) != NULL;
	if (!binary)
		return;
	for (guint i = 0; i < work->pfiles->len; i++) {
		HullPluginFile *pf = &g_array_index(work->pfiles, HullPluginFile, i);
		if (pf->plugin->desc->file_flags & HULL_INTEREST_TEXT_ONLY)
			pf->active = FALSE;
	}
	/* Neither a Dockerfile nor a manifest holds NUL bytes. */
	work->want_dockerfile = work->want_k8s = FALSE;
}

static void
hull_walker_deliver(HullScan *scan, const HullFile *file, HullPluginFile *pf, const guint8 *buf, gsize len)
{
	HullPlugin *p = pf->plugin;
	g_autoptr(GError) error = NULL;
	hull_plugin_file_lock(p);
	if (!pf->begun) {
		pf->begun = TRUE;
		if (p->desc->file_begin != NULL)
			pf->fstate = p->desc->file_begin(p->state, scan, file);
	}
	gboolean ok = p->desc->file_chunk(p->state, scan, file, pf->fstate, buf, len, &error);
	hull_plugin_file_unlock(p);
	if (!ok) {
		pf->active = FALSE;
		if (error != NULL)
			hull_scan_add_note(scan, p->ctx, "%s: %s", hull_file_get_path(file), error->message);
	}
}

static gboolean
hull_walker_chunk(const HullFile *file, gpointer file_data, const guint8 *buf, gsize len, gpointer user_data)
{
	HullWalk *walk = user_data;
	HullFileWork *work = file_data;
	if (!work->sniffed && len > 0)
		hull_walker_sniff(work, buf, len);
	gboolean any = FALSE;
	for (guint i = 0; i < work->pfiles->len; i++) {
		HullPluginFile *pf = &g_array_index(work->pfiles, HullPluginFile, i);
		if (!pf->active)
			continue;
		if (pf->whole != NULL) {
			/* The size in the header can lie: the limit holds on what really arrives. */
			guint64 limit = pf->plugin->desc->max_file_size;
			if (limit > 0 && pf->whole->len + len > limit) {
				pf->active = FALSE;
				continue;
			}
			g_byte_array_append(pf->whole, buf, (guint)len);
		} else {
			hull_walker_deliver(walk->scan, file, pf, buf, len);
		}
		any = any || pf->active;
	}
	if (work->view_buf != NULL && (work->want_dockerfile || work->want_k8s)) {
		if (work->view_buf->len + len > HULL_VIEW_MAX_SIZE)
			work->want_dockerfile = work->want_k8s = FALSE;
		else
			g_byte_array_append(work->view_buf, buf, (guint)len);
		any = any || work->want_dockerfile || work->want_k8s;
	}
	return any;
}

static void
hull_walker_parse_views(HullWalk *walk, const HullFile *file, HullFileWork *work)
{
	HullScan *scan = walk->scan;
	const char *path = hull_file_get_path(file);
	int layer = hull_file_get_layer(file);
	const guint8 *data = work->view_buf->data;
	gsize len = work->view_buf->len;
	if (work->want_dockerfile) {
		HullDockerfile *df = hull_dockerfile_parse(path, layer, data, len, NULL);
		g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
		hull_dockerfile_collect_problems(df, problems);
		for (guint i = 0; i < problems->len; i++)
			hull_scan_add_note(scan, NULL, "%s", (const char *)g_ptr_array_index(problems, i));
		g_mutex_lock(&scan->lock);
		g_ptr_array_add(scan->dockerfiles, df);
		g_mutex_unlock(&scan->lock);
	}
	if (work->want_k8s && hull_k8s_sniff(path, data, len)) {
		g_autoptr(GPtrArray) objects = g_ptr_array_new();
		g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GError) error = NULL;
		if (!hull_k8s_parse(path, layer, data, len, objects, notes, &error))
			hull_scan_add_note(scan, NULL, "%s: %s", path, error->message);
		g_mutex_lock(&scan->lock);
		for (guint i = 0; i < objects->len; i++)
			g_ptr_array_add(scan->k8s_objects, g_ptr_array_index(objects, i));
		g_mutex_unlock(&scan->lock);
		for (guint i = 0; i < notes->len; i++)
			hull_scan_add_note(scan, NULL, "%s: %s", path, (const char *)g_ptr_array_index(notes, i));
	}
	const char *kind = work->want_k8s ? hull_config_doc_sniff(path, data, len) : NULL;
	if (kind != NULL) {
		g_autoptr(GPtrArray) docs = g_ptr_array_new();
		g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GError) error = NULL;
		if (!hull_config_doc_parse(path, layer, kind, data, len, docs, notes, &error))
			hull_scan_add_note(scan, NULL, "%s: %s", path, error->message);
		g_mutex_lock(&scan->lock);
		for (guint i = 0; i < docs->len; i++)
			g_ptr_array_add(scan->config_docs, g_ptr_array_index(docs, i));
		g_mutex_unlock(&scan->lock);
		for (guint i = 0; i < notes->len; i++)
			hull_scan_add_note(scan, NULL, "%s: %s", path, (const char *)g_ptr_array_index(notes, i));
	}
}

static void
hull_walker_end(const HullFile *file, gpointer file_data, gboolean complete, gpointer user_data)
{
	HullWalk *walk = user_data;
	HullFileWork *work = file_data;
	g_atomic_int_inc(&walk->files_done);
	for (guint i = 0; i < work->pfiles->len; i++) {
		HullPluginFile *pf = &g_array_index(work->pfiles, HullPluginFile, i);
		HullPlugin *p = pf->plugin;
		/* A whole-file plugin gets nothing from a file cut short: half a dpkg status
		 * would read as packages missing. */
		if (pf->whole != NULL && pf->active && complete)
			hull_walker_deliver(walk->scan, file, pf, pf->whole->data, pf->whole->len);
		if (pf->begun && p->desc->file_end != NULL) {
			hull_plugin_file_lock(p);
			p->desc->file_end(p->state, walk->scan, file, pf->fstate, complete);
			hull_plugin_file_unlock(p);
		}
		if (pf->whole != NULL)
			g_byte_array_unref(pf->whole);
	}
	if (complete && work->view_buf != NULL)
		hull_walker_parse_views(walk, file, work);
	if (work->view_buf != NULL)
		g_byte_array_unref(work->view_buf);
	g_array_unref(work->pfiles);
	g_free(work);
}

static void
hull_walker_progress(guint64 done, guint64 total, gpointer user_data)
{
	HullWalk *walk = user_data;
	if (!walk->progress)
		return;
	gint64 now = g_get_monotonic_time();
	g_mutex_lock(&walk->progress_lock);
	if (now - walk->last_progress_us >= 100000 || done == total) {
		walk->last_progress_us = now;
		guint pct = total > 0 ? (guint)(MIN(done, total) * 100 / total) : 100;
		char bar[31];
		guint filled = pct * 30 / 100;
		for (guint i = 0; i < 30; i++)
			bar[i] = i < filled ? '#' : '.';
		bar[30] = '\0';
		g_autofree gchar *d = g_format_size(done);
		g_autofree gchar *t = g_format_size(total);
		fprintf(stderr, "\r[%s] %3u%%  %s / %s  %d files ", bar, pct, d, t, g_atomic_int_get(&walk->files_done));
		fflush(stderr);
	}
	g_mutex_unlock(&walk->progress_lock);
}

gboolean
hull_walker_run(HullScan *scan, guint n_threads, gboolean include_deleted, gboolean progress, GError **error)
{
	HullWalk walk = {
		.scan = scan,
		.progress = progress,
		.dockerfile_target = hull_target_get_type(scan->target) == HULL_TARGET_DOCKERFILE,
	};
	g_mutex_init(&walk.progress_lock);
	HullFsStreamFuncs funcs = {
		.want = hull_walker_want,
		.chunk = hull_walker_chunk,
		.end = hull_walker_end,
		.progress = hull_walker_progress,
	};
	gboolean any_deleted = FALSE;
	for (guint i = 0; include_deleted && i < scan->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(scan->plugins, i);
		any_deleted = any_deleted || (p->desc->file_flags & HULL_INTEREST_DELETED);
	}
	gboolean ok = hull_fs_stream(hull_target_get_fs(scan->target), MAX(n_threads, 1), any_deleted, &funcs, &walk, error);
	if (progress)
		fprintf(stderr, "\r%*s\r", 72, "");
	g_mutex_clear(&walk.progress_lock);

	for (guint i = 0; i < scan->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(scan->plugins, i);
		if (p->n_oversized > 0) {
			g_autofree gchar *sz = g_format_size(p->oversized_bytes);
			hull_scan_add_note(scan, p->ctx, "%u file(s) (%s) over the size limit of %" G_GUINT64_FORMAT " bytes were not scanned",
			                   p->n_oversized, sz, p->desc->max_file_size);
		}
	}
	return ok;
}
