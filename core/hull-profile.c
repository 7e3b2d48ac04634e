/* hull-profile.c: profiles (configs/profiles/NAME.conf) and the rule settings of --config.
 * Both are GKeyFiles:
 *   [profile]  description=…  plugins=a;b           which plugins run (absent: all)
 *   [severity] RULE-OR-ALIAS=HIGH                    per-rule severity overrides
 *   [disable]  rules=ID;ALIAS;…                      rules whose findings are dropped
 *   [plugins]  replace=NAME;…                        bundle plugins that may replace the
 *                                                    built-in plugin of the same name
 * Later files override earlier ones key by key. */
#include <string.h>
#include "hull-scan-private.h"
#include "hull-config.h"

HullProfile *
hull_profile_new(void)
{
	HullProfile *p = g_new0(HullProfile, 1);
	p->severity = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	p->disabled = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return p;
}

void
hull_profile_free(HullProfile *p)
{
	if (p == NULL)
		return;
	g_free(p->name);
	g_strfreev(p->plugins);
	g_strfreev(p->replace);
	g_hash_table_unref(p->severity);
	g_hash_table_unref(p->disabled);
	g_free(p);
}

/* A list of plugin names from @group's @key, blanks trimmed and empty items dropped. */
static gchar **
hull_profile_get_names(GKeyFile *kf, const char *group, const char *key)
{
	g_auto(GStrv) list = g_key_file_get_string_list(kf, group, key, NULL, NULL);
	GPtrArray *names = g_ptr_array_new();
	for (guint i = 0; list != NULL && list[i] != NULL; i++) {
		g_autofree gchar *n = g_strstrip(g_strdup(list[i]));
		if (n[0] != '\0')
			g_ptr_array_add(names, g_steal_pointer(&n));
	}
	g_ptr_array_add(names, NULL);
	return (gchar **)g_ptr_array_free(names, FALSE);
}

gboolean
hull_profile_merge_keyfile(HullProfile *p, GKeyFile *kf, const char *filename, GError **error)
{
	if (g_key_file_has_key(kf, "profile", "plugins", NULL)) {
		g_strfreev(p->plugins);
		p->plugins = hull_profile_get_names(kf, "profile", "plugins");
	}
	if (g_key_file_has_key(kf, "plugins", "replace", NULL)) {
		g_strfreev(p->replace);
		p->replace = hull_profile_get_names(kf, "plugins", "replace");
	}
	if (g_key_file_has_group(kf, "severity")) {
		g_auto(GStrv) keys = g_key_file_get_keys(kf, "severity", NULL, NULL);
		for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
			g_autofree gchar *v = g_key_file_get_string(kf, "severity", keys[i], NULL);
			HullSeverity sev;
			if (!hull_severity_from_string(v != NULL ? g_strstrip(v) : NULL, &sev)) {
				g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				            "%s: [severity] %s: unknown severity '%s'", filename, keys[i], v ? v : "");
				return FALSE;
			}
			g_hash_table_insert(p->severity, g_strdup(keys[i]), GINT_TO_POINTER(sev + 1));
		}
	}
	if (g_key_file_has_key(kf, "disable", "rules", NULL)) {
		g_auto(GStrv) list = g_key_file_get_string_list(kf, "disable", "rules", NULL, NULL);
		for (guint i = 0; list != NULL && list[i] != NULL; i++) {
			g_autofree gchar *id = g_strstrip(g_strdup(list[i]));
			if (id[0] != '\0')
				g_hash_table_insert(p->disabled, g_steal_pointer(&id), GINT_TO_POINTER(1));
		}
	}
	return TRUE;
}

/* Running from the build tree means the binary sits under HULL_BUILD_ROOT. */
gboolean hull_running_from_build_tree(void);

gboolean
hull_running_from_build_tree(void)
{
	g_autofree gchar *exe = g_file_read_link("/proc/self/exe", NULL);
	if (exe == NULL)
		return FALSE;
	g_autofree gchar *root = g_canonicalize_filename(HULL_BUILD_ROOT, NULL);
	return g_str_has_prefix(exe, root) && exe[strlen(root)] == '/';
}

GPtrArray *
hull_data_dirs(void)
{
	GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
	const char *env = g_getenv("HULLSCAN_DATA_DIR");
	if (env != NULL && env[0] != '\0') {
		g_auto(GStrv) parts = g_strsplit(env, ":", -1);
		for (guint i = 0; parts[i] != NULL; i++) {
			if (parts[i][0] != '\0')
				g_ptr_array_add(dirs, g_strdup(parts[i]));
		}
	}
	/* Test programs live in the build tree too, so they find the source configs/. */
	if (hull_running_from_build_tree())
		g_ptr_array_add(dirs, g_strdup(HULL_SOURCE_CONFIGDIR));
	g_ptr_array_add(dirs, g_strdup(HULL_DATADIR));
	return dirs;
}

gchar *
hull_profile_find(const char *name_or_path, GError **error)
{
	if (strchr(name_or_path, '/') != NULL || g_str_has_suffix(name_or_path, ".conf")) {
		if (g_file_test(name_or_path, G_FILE_TEST_IS_REGULAR))
			return g_strdup(name_or_path);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "profile %s: no such file", name_or_path);
		return NULL;
	}
	g_autoptr(GPtrArray) dirs = hull_data_dirs();
	g_autofree gchar *base = g_strconcat(name_or_path, ".conf", NULL);
	for (guint i = 0; i < dirs->len; i++) {
		g_autofree gchar *fn = g_build_filename(g_ptr_array_index(dirs, i), "profiles", base, NULL);
		if (g_file_test(fn, G_FILE_TEST_IS_REGULAR))
			return g_steal_pointer(&fn);
	}
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
	            "profile %s: not found (looked for profiles/%s in the data directories)", name_or_path, base);
	return NULL;
}
