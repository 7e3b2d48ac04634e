/* hull-plugin-ctx.c: what a plugin reaches of the core outside a scan: its rules, its
 * options from --config, and the rule data shipped with hullscan. */
#include <string.h>
#include "hull-scan-private.h"

HullPluginCtx *
hull_plugin_ctx_new(HullPlugin *plugin, GKeyFile *config, HullProfile *profile)
{
	HullPluginCtx *ctx = g_new0(HullPluginCtx, 1);
	ctx->plugin = plugin;
	ctx->config = config;
	ctx->profile = profile;
	ctx->rules = g_ptr_array_new();
	ctx->rule_index = g_hash_table_new(g_str_hash, g_str_equal);
	ctx->owned_rules = g_ptr_array_new();
	ctx->deps = g_ptr_array_new_with_free_func(g_free);
	const HullPluginDescriptor *desc = plugin->desc;
	for (guint i = 0; desc != NULL && desc->rules != NULL && i < desc->n_rules; i++) {
		const HullRule *r = &desc->rules[i];
		if (r->id == NULL || g_hash_table_contains(ctx->rule_index, r->id))
			continue;
		g_ptr_array_add(ctx->rules, (gpointer)r);
		g_hash_table_insert(ctx->rule_index, (gpointer)r->id, (gpointer)r);
	}
	return ctx;
}

static void
hull_rule_free(HullRule *r)
{
	g_free((gchar *)r->id);
	g_free((gchar *)r->title);
	g_strfreev((gchar **)r->aliases);
	g_strfreev((gchar **)r->references);
	g_free((gchar *)r->remediation);
	g_free((gchar *)r->description);
	g_free(r);
}

void
hull_plugin_ctx_free(HullPluginCtx *ctx)
{
	if (ctx == NULL)
		return;
	g_ptr_array_unref(ctx->rules);
	g_hash_table_unref(ctx->rule_index);
	g_ptr_array_set_free_func(ctx->owned_rules, (GDestroyNotify)hull_rule_free);
	g_ptr_array_unref(ctx->owned_rules);
	g_ptr_array_unref(ctx->deps);
	g_free(ctx);
}

/* Plugins may ask from any thread; the list is read once the scan is over. */
static GMutex hull_dep_lock;

static void
hull_plugin_ctx_record_dep(HullPluginCtx *ctx, const char *kind, const char *what)
{
	g_autofree gchar *dep = g_strconcat(kind, what, NULL);
	g_mutex_lock(&hull_dep_lock);
	gboolean seen = FALSE;
	for (guint i = 0; i < ctx->deps->len && !seen; i++)
		seen = g_strcmp0(g_ptr_array_index(ctx->deps, i), dep) == 0;
	if (!seen)
		g_ptr_array_add(ctx->deps, g_steal_pointer(&dep));
	g_mutex_unlock(&hull_dep_lock);
}

const char *
hull_plugin_ctx_get_name(HullPluginCtx *ctx)
{
	g_return_val_if_fail(ctx != NULL, NULL);
	return ctx->plugin->name;
}

gboolean
hull_plugin_ctx_add_rule(HullPluginCtx *ctx, const HullRule *rule, GError **error)
{
	g_return_val_if_fail(ctx != NULL, FALSE);
	g_return_val_if_fail(rule != NULL, FALSE);
	if (rule->id == NULL || rule->id[0] == '\0' || rule->title == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s: a rule needs an id and a title", ctx->plugin->name);
		return FALSE;
	}
	if ((guint)rule->severity > HULL_SEVERITY_LAST) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: rule %s has an invalid severity",
		            ctx->plugin->name, rule->id);
		return FALSE;
	}
	if (g_hash_table_contains(ctx->rule_index, rule->id)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s: duplicate rule id %s",
		            ctx->plugin->name, rule->id);
		return FALSE;
	}
	HullRule *copy = g_new0(HullRule, 1);
	copy->id = g_strdup(rule->id);
	copy->severity = rule->severity;
	copy->title = g_strdup(rule->title);
	copy->aliases = (const char *const *)g_strdupv((gchar **)rule->aliases);
	copy->references = (const char *const *)g_strdupv((gchar **)rule->references);
	copy->remediation = g_strdup(rule->remediation);
	copy->description = g_strdup(rule->description);
	g_ptr_array_add(ctx->owned_rules, copy);
	g_ptr_array_add(ctx->rules, copy);
	g_hash_table_insert(ctx->rule_index, (gpointer)copy->id, copy);
	return TRUE;
}

const HullRule *
hull_plugin_ctx_lookup_rule(HullPluginCtx *ctx, const char *rule_id)
{
	return g_hash_table_lookup(ctx->rule_index, rule_id);
}

const char *
hull_plugin_ctx_get_option(HullPluginCtx *ctx, const char *key)
{
	g_return_val_if_fail(ctx != NULL && key != NULL, NULL);
	if (ctx->config == NULL || !g_key_file_has_key(ctx->config, ctx->plugin->name, key, NULL))
		return NULL;
	/* The key file keeps the value; a pointer into it stays valid for the process. */
	g_autofree gchar *v = g_key_file_get_string(ctx->config, ctx->plugin->name, key, NULL);
	return g_intern_string(v);
}

gboolean
hull_plugin_ctx_get_option_bool(HullPluginCtx *ctx, const char *key, gboolean fallback)
{
	const char *v = hull_plugin_ctx_get_option(ctx, key);
	if (v == NULL)
		return fallback;
	if (g_ascii_strcasecmp(v, "true") == 0 || g_ascii_strcasecmp(v, "yes") == 0 || g_strcmp0(v, "1") == 0)
		return TRUE;
	if (g_ascii_strcasecmp(v, "false") == 0 || g_ascii_strcasecmp(v, "no") == 0 || g_strcmp0(v, "0") == 0)
		return FALSE;
	return fallback;
}

gint64
hull_plugin_ctx_get_option_int(HullPluginCtx *ctx, const char *key, gint64 fallback)
{
	const char *v = hull_plugin_ctx_get_option(ctx, key);
	gint64 out = 0;
	if (v == NULL || !g_ascii_string_to_signed(v, 10, G_MININT64, G_MAXINT64, &out, NULL))
		return fallback;
	return out;
}

gchar **
hull_plugin_ctx_get_option_list(HullPluginCtx *ctx, const char *key)
{
	const char *v = hull_plugin_ctx_get_option(ctx, key);
	if (v == NULL)
		return NULL;
	g_auto(GStrv) parts = g_strsplit_set(v, ";,", -1);
	GPtrArray *out = g_ptr_array_new();
	for (guint i = 0; parts[i] != NULL; i++) {
		g_autofree gchar *item = g_strstrip(g_strdup(parts[i]));
		if (item[0] != '\0')
			g_ptr_array_add(out, g_steal_pointer(&item));
	}
	g_ptr_array_add(out, NULL);
	return (gchar **)g_ptr_array_free(out, FALSE);
}

gchar *
hull_plugin_ctx_find_data(HullPluginCtx *ctx, const char *relpath)
{
	g_return_val_if_fail(relpath != NULL, NULL);
	if (strstr(relpath, "..") != NULL || g_path_is_absolute(relpath))
		return NULL;
	if (ctx != NULL)
		hull_plugin_ctx_record_dep(ctx, "data:", relpath);
	return hull_data_find(relpath);
}

gchar *
hull_data_find(const char *relpath)
{
	g_autoptr(GPtrArray) dirs = hull_data_dirs();
	for (guint i = 0; i < dirs->len; i++) {
		g_autofree gchar *fn = g_build_filename(g_ptr_array_index(dirs, i), relpath, NULL);
		if (g_file_test(fn, G_FILE_TEST_EXISTS))
			return g_steal_pointer(&fn);
	}
	return NULL;
}

void
hull_plugin_ctx_add_dependency(HullPluginCtx *ctx, const char *path)
{
	g_return_if_fail(ctx != NULL && path != NULL);
	/* Absolute, so that the check at replay does not depend on the working directory. */
	g_autofree gchar *abs = g_canonicalize_filename(path, NULL);
	hull_plugin_ctx_record_dep(ctx, "file:", abs);
}

static gboolean
hull_profile_lookup_rule(GHashTable *table, const HullRule *rule, const char *rule_id, gpointer *value)
{
	if (g_hash_table_lookup_extended(table, rule_id, NULL, value))
		return TRUE;
	for (guint i = 0; rule != NULL && rule->aliases != NULL && rule->aliases[i] != NULL; i++) {
		if (g_hash_table_lookup_extended(table, rule->aliases[i], NULL, value))
			return TRUE;
	}
	return FALSE;
}

gboolean
hull_plugin_ctx_rule_enabled(HullPluginCtx *ctx, const char *rule_id)
{
	g_return_val_if_fail(ctx != NULL && rule_id != NULL, FALSE);
	if (ctx->profile == NULL)
		return TRUE;
	const HullRule *rule = hull_plugin_ctx_lookup_rule(ctx, rule_id);
	gpointer v;
	return !hull_profile_lookup_rule(ctx->profile->disabled, rule, rule_id, &v);
}

gboolean
hull_plugin_ctx_apply_profile(HullPluginCtx *ctx, HullFinding *finding)
{
	if (ctx->profile == NULL)
		return TRUE;
	const HullRule *rule = hull_plugin_ctx_lookup_rule(ctx, finding->rule_id);
	gpointer v;
	if (hull_profile_lookup_rule(ctx->profile->disabled, rule, finding->rule_id, &v))
		return FALSE;
	/* Aliases the plugin added at emit time count too (e.g. CVE ids of an advisory). */
	for (guint i = 0; i < finding->aliases->len; i++) {
		if (g_hash_table_contains(ctx->profile->disabled, g_ptr_array_index(finding->aliases, i)))
			return FALSE;
	}
	if (hull_profile_lookup_rule(ctx->profile->severity, rule, finding->rule_id, &v))
		finding->severity = (HullSeverity)(GPOINTER_TO_INT(v) - 1);
	return TRUE;
}
