/* hull-dockerfile-image.c: image mode. Checks the image config (User, Healthcheck, Env,
 * ExposedPorts, Volumes) and, Dockle-style, the merged tree: setuid/setgid files, empty
 * password fields in /etc/shadow, duplicate UIDs/GIDs, and credentials directories left in
 * the image. The Dockerfile rebuilt from history is linted with the other Dockerfiles. */
#include "hull-dockerfile-lint.h"

#include <string.h>
#include <sys/stat.h>

#define DF_MAX_ACCOUNT_FILE (4 * 1024 * 1024)
#define DF_MAX_LISTED 50

static void
df_emit_image(HullDfPlugin *p, HullScan *scan, const char *id, const char *object, const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static void
df_emit_image(HullDfPlugin *p, HullScan *scan, const char *id, const char *object, const char *fmt, ...)
{
	va_list ap;

	if (!hull_plugin_ctx_rule_enabled(p->ctx, id))
		return;
	HullFinding *f = hull_finding_new(p->ctx, id);
	va_start(ap, fmt);
	g_autofree gchar *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	hull_finding_set_message(f, "%s", msg);
	hull_finding_set_object(f, object);
	hull_bus_emit(hull_scan_get_bus(scan), f);
}

void
hull_df_check_image(HullDfPlugin *p, HullScan *scan, HullImage *image)
{
	JsonObject *cfg = hull_image_get_config(image);
	const char *user = json_object_has_member(cfg, "User") ? json_object_get_string_member_with_default(cfg, "User", "") : "";

	if (user == NULL || *user == '\0')
		df_emit_image(p, scan, "DF-0100", "config.User", "the image sets no User: containers run as root");
	else if (strncmp(user, "root", 4) == 0 && (user[4] == '\0' || user[4] == ':'))
		df_emit_image(p, scan, "DF-0100", "config.User", "the image runs as %s", user);
	else if (user[0] == '0' && (user[1] == '\0' || user[1] == ':'))
		df_emit_image(p, scan, "DF-0100", "config.User", "the image runs as %s", user);

	JsonNode *hc = json_object_get_member(cfg, "Healthcheck");
	gboolean has_hc = FALSE;
	if (hc != NULL && JSON_NODE_HOLDS_OBJECT(hc)) {
		JsonObject *h = json_node_get_object(hc);
		JsonNode *t = json_object_get_member(h, "Test");
		has_hc = t != NULL && JSON_NODE_HOLDS_ARRAY(t) && json_array_get_length(json_node_get_array(t)) > 0;
		if (has_hc) {
			JsonNode *first = json_array_get_element(json_node_get_array(t), 0);
			if (JSON_NODE_HOLDS_VALUE(first) && g_strcmp0(json_node_get_string(first), "NONE") == 0)
				has_hc = FALSE;
		}
	}
	if (!has_hc)
		df_emit_image(p, scan, "DF-0101", "config.Healthcheck", "the image has no healthcheck");

	JsonNode *env = json_object_get_member(cfg, "Env");
	if (env != NULL && JSON_NODE_HOLDS_ARRAY(env)) {
		JsonArray *a = json_node_get_array(env);
		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonNode *e = json_array_get_element(a, i);
			if (!JSON_NODE_HOLDS_VALUE(e) || json_node_get_value_type(e) != G_TYPE_STRING)
				continue;
			const char *kv = json_node_get_string(e);
			const char *eq = strchr(kv, '=');
			g_autofree gchar *name = eq != NULL ? g_strndup(kv, (gsize)(eq - kv)) : g_strdup(kv);
			const char *value = eq != NULL ? eq + 1 : "";
			gboolean by_name = hull_df_secret_name(p, name) && *value != '\0';
			gboolean by_value = hull_df_secret_value(p, value);
			if ((!by_name && !by_value) || !hull_plugin_ctx_rule_enabled(p->ctx, "DF-0102"))
				continue;
			HullFinding *f = hull_finding_new(p->ctx, "DF-0102");
			hull_finding_set_message(f, "Env %s %s", name, by_value ? "holds a secret-shaped value" : "looks like a secret");
			hull_finding_set_object(f, "config.Env");
			hull_finding_set_secret(f, value, -1);
			hull_bus_emit(hull_scan_get_bus(scan), f);
		}
	}

	static const guint risky[] = { 21, 22, 23, 2375, 2376 };
	JsonNode *ports = json_object_get_member(cfg, "ExposedPorts");
	if (ports != NULL && JSON_NODE_HOLDS_OBJECT(ports)) {
		g_autoptr(GList) keys = json_object_get_members(json_node_get_object(ports));
		for (GList *k = keys; k != NULL; k = k->next) {
			guint64 port = g_ascii_strtoull(k->data, NULL, 10);
			for (guint i = 0; i < G_N_ELEMENTS(risky); i++)
				if (port == risky[i])
					df_emit_image(p, scan, "DF-0103", "config.ExposedPorts", "the image exposes %s",
					              (const char *)k->data);
		}
	}
	JsonNode *vols = json_object_get_member(cfg, "Volumes");
	if (vols != NULL && JSON_NODE_HOLDS_OBJECT(vols)) {
		g_autoptr(GList) keys = json_object_get_members(json_node_get_object(vols));
		for (GList *k = keys; k != NULL; k = k->next) {
			const char *v = k->data;
			if (g_str_has_prefix(v, "/proc") || g_str_has_prefix(v, "/sys") || g_str_has_prefix(v, "/dev")) {
				char c = v[g_str_has_prefix(v, "/sys") || g_str_has_prefix(v, "/dev") ? 4 : 5];
				if (c == '\0' || c == '/')
					df_emit_image(p, scan, "DF-0104", "config.Volumes", "the image declares VOLUME %s", v);
			}
		}
	}
}

/* ---- the merged tree ---- */

typedef struct {
	HullDfPlugin *p;
	HullScan *scan;
	GString *suid;
	guint n_suid;
	int suid_layer;
	GHashTable *cred_dirs;  /* dir path -> layer */
} DfFsWalk;

/* Directories of credentials, as they appear inside a path (looked for in every file's). */
static const char *const df_cred_dirs[] = { "/.aws/", "/.docker/", "/.git/", "/.ssh/", "/.gnupg/", "/.kube/", "/.azure/", NULL };

static gboolean
df_fs_visit(const HullFile *file, gpointer user_data)
{
	DfFsWalk *w = user_data;
	const char *path = hull_file_get_path(file);

	if (hull_file_get_kind(file) != HULL_FILE_KIND_REGULAR)
		return TRUE;
	guint32 mode = hull_file_get_mode(file);
	if (mode & (S_ISUID | S_ISGID)) {
		if (w->n_suid < DF_MAX_LISTED)
			g_string_append_printf(w->suid, "%s%s (%s)", w->n_suid > 0 ? ", " : "", path,
			                       (mode & S_ISUID) && (mode & S_ISGID) ? "setuid+setgid" : (mode & S_ISUID) ? "setuid" : "setgid");
		w->n_suid++;
		w->suid_layer = MAX(w->suid_layer, hull_file_get_layer(file));
	}
	for (guint i = 0; df_cred_dirs[i] != NULL; i++) {
		const char *needle = df_cred_dirs[i];
		const char *hit = strstr(path, needle);
		if (hit == NULL)
			continue;
		g_autofree gchar *dir = g_strndup(path, (gsize)(hit - path) + strlen(needle) - 1);
		if (!g_hash_table_contains(w->cred_dirs, dir))
			g_hash_table_insert(w->cred_dirs, g_steal_pointer(&dir), GINT_TO_POINTER(hull_file_get_layer(file)));
	}
	return TRUE;
}

static GBytes *
df_read(HullFs *fs, const char *path)
{
	if (hull_fs_resolve(fs, path) == NULL)
		return NULL;
	return hull_fs_read(fs, path, DF_MAX_ACCOUNT_FILE, NULL);
}

static void
df_check_shadow(DfFsWalk *w, HullFs *fs)
{
	g_autoptr(GBytes) b = df_read(fs, "/etc/shadow");
	gsize len;
	const char *data;

	if (b == NULL)
		return;
	data = g_bytes_get_data(b, &len);
	g_autofree gchar *text = g_strndup(data, len);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	const HullFile *f = hull_fs_lookup(fs, "/etc/shadow");
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) fields = g_strsplit(lines[i], ":", 3);
		if (fields[0] == NULL || fields[1] == NULL || *fields[0] == '\0' || fields[0][0] == '#')
			continue;
		if (*fields[1] != '\0' || !hull_plugin_ctx_rule_enabled(w->p->ctx, "DF-0106"))
			continue;
		g_autofree gchar *user = g_utf8_make_valid(fields[0], -1);
		HullFinding *fd = hull_finding_new(w->p->ctx, "DF-0106");
		hull_finding_set_message(fd, "user %s has an empty password field: anyone can log in as it", user);
		hull_finding_set_path(fd, "/etc/shadow");
		hull_finding_set_line(fd, i + 1);
		if (f != NULL)
			hull_finding_set_layer(fd, hull_file_get_layer(f));
		hull_finding_set_fingerprint_data(fd, user);
		hull_bus_emit(hull_scan_get_bus(w->scan), fd);
	}
}

static void
df_check_ids(DfFsWalk *w, HullFs *fs, const char *path, const char *what)
{
	g_autoptr(GBytes) b = df_read(fs, path);
	g_autoptr(GHashTable) seen = NULL;
	gsize len;

	if (b == NULL)
		return;
	seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	const char *data = g_bytes_get_data(b, &len);
	g_autofree gchar *text = g_strndup(data, len);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	const HullFile *f = hull_fs_lookup(fs, path);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) fields = g_strsplit(lines[i], ":", 4);
		if (g_strv_length(fields) < 3 || fields[0][0] == '#' || fields[0][0] == '+' || fields[0][0] == '-')
			continue;
		const char *id = fields[2];
		const char *prev = g_hash_table_lookup(seen, id);
		if (prev == NULL) {
			g_hash_table_insert(seen, g_strdup(id), g_strdup(fields[0]));
			continue;
		}
		if (!hull_plugin_ctx_rule_enabled(w->p->ctx, "DF-0107"))
			continue;
		g_autofree gchar *a = g_utf8_make_valid(prev, -1), *bname = g_utf8_make_valid(fields[0], -1);
		g_autofree gchar *idv = g_utf8_make_valid(id, -1);
		HullFinding *fd = hull_finding_new(w->p->ctx, "DF-0107");
		hull_finding_set_message(fd, "%s %s is shared by %s and %s", what, idv, a, bname);
		hull_finding_set_path(fd, path);
		hull_finding_set_line(fd, i + 1);
		if (f != NULL)
			hull_finding_set_layer(fd, hull_file_get_layer(f));
		hull_bus_emit(hull_scan_get_bus(w->scan), fd);
	}
}

static gint
df_cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
hull_df_check_fs(HullDfPlugin *p, HullScan *scan, HullFs *fs)
{
	DfFsWalk w = { p, scan, g_string_new(NULL), 0, -1, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };

	hull_fs_foreach(fs, df_fs_visit, &w);
	if (w.n_suid > 0 && hull_plugin_ctx_rule_enabled(p->ctx, "DF-0105")) {
		HullFinding *f = hull_finding_new(p->ctx, "DF-0105");
		g_autofree gchar *list = g_utf8_make_valid(w.suid->str, -1);
		hull_finding_set_message(f, "%u setuid/setgid file(s): %s%s", w.n_suid, list,
		                         w.n_suid > DF_MAX_LISTED ? ", …" : "");
		hull_finding_set_evidence(f, list);
		hull_bus_emit(hull_scan_get_bus(scan), f);
	}
	GHashTableIter it;
	gpointer k, v;
	g_autoptr(GPtrArray) dirs = g_ptr_array_new();
	g_hash_table_iter_init(&it, w.cred_dirs);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_ptr_array_add(dirs, k);
	g_ptr_array_sort(dirs, df_cmp_str);
	for (guint i = 0; i < dirs->len && hull_plugin_ctx_rule_enabled(p->ctx, "DF-0108"); i++) {
		const char *dir = dirs->pdata[i];
		HullFinding *f = hull_finding_new(p->ctx, "DF-0108");
		hull_finding_set_message(f, "%s holds files", dir);
		hull_finding_set_path(f, dir);
		hull_finding_set_layer(f, GPOINTER_TO_INT(g_hash_table_lookup(w.cred_dirs, dir)));
		hull_bus_emit(hull_scan_get_bus(scan), f);
	}
	df_check_shadow(&w, fs);
	df_check_ids(&w, fs, "/etc/passwd", "UID");
	df_check_ids(&w, fs, "/etc/group", "GID");
	g_string_free(w.suid, TRUE);
	g_hash_table_unref(w.cred_dirs);
}
