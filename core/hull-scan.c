/* hull-scan.c: one scan from start to report, and the HullScan handle plugins see. The
 * order of the phases is the plugin contract of hull-plugin.h: scan_begin, the walk,
 * scan_collect, scan_end; then the findings are filtered, sorted and turned into a report. */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "hull-scan-private.h"
#include "hull-mask.h"
#include "hull-scanner.h"
#include "hull-views-private.h"
#include "hull-config.h"
#include "hull-scan-cache.h"
#include "cache/hull-cache.h"

/* The single-file checks read the file whole; past this they leave it to the walk. */
#define HULL_SCAN_CHECK_MAX_SIZE (4 * 1024 * 1024)

struct _HullScanner {
	GKeyFile *config;
	HullProfile *profile;
	gchar **plugin_filter;
	GPtrArray *plugins;         /* HullPlugin*, loaded, failed and refused, in load order */
	HullCache *cache;           /* (transfer none) with a cache, init runs at the first scan
	                             * that needs the plugins, and known modules are not opened
	                             * until then */
	GPtrArray *notes;           /* gchar*: what loading the plugins has to tell every report */
};

void
hull_scanner_set_cache(HullScanner *s, HullCache *cache)
{
	s->cache = cache;
}

void
hull_scan_options_init(HullScanOptions *o)
{
	memset(o, 0, sizeof(*o));
	o->open.verify_digests = TRUE;
	o->include_deleted = TRUE;
}

HullScanner *
hull_scanner_new(void)
{
	HullScanner *s = g_new0(HullScanner, 1);
	s->config = g_key_file_new();
	s->profile = hull_profile_new();
	s->plugins = g_ptr_array_new_with_free_func((GDestroyNotify)hull_plugin_free);
	s->notes = g_ptr_array_new_with_free_func(g_free);
	return s;
}

void
hull_scanner_free(HullScanner *s)
{
	if (s == NULL)
		return;
	g_ptr_array_unref(s->plugins);
	g_ptr_array_unref(s->notes);
	hull_profile_free(s->profile);
	g_key_file_unref(s->config);
	g_strfreev(s->plugin_filter);
	g_free(s);
}

gboolean
hull_scanner_load_config(HullScanner *s, const char *filename, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	if (!g_key_file_load_from_file(kf, filename, G_KEY_FILE_NONE, error)) {
		g_prefix_error(error, "config %s: ", filename);
		return FALSE;
	}
	if (!hull_profile_merge_keyfile(s->profile, kf, filename, error))
		return FALSE;
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		g_auto(GStrv) keys = g_key_file_get_keys(kf, groups[i], NULL, NULL);
		for (guint j = 0; keys != NULL && keys[j] != NULL; j++) {
			g_autofree gchar *v = g_key_file_get_value(kf, groups[i], keys[j], NULL);
			g_key_file_set_value(s->config, groups[i], keys[j], v);
		}
	}
	return TRUE;
}

gboolean
hull_scanner_load_profile(HullScanner *s, const char *name_or_path, GError **error)
{
	g_autofree gchar *fn = hull_profile_find(name_or_path, error);
	if (fn == NULL)
		return FALSE;
	g_autoptr(GKeyFile) kf = g_key_file_new();
	if (!g_key_file_load_from_file(kf, fn, G_KEY_FILE_NONE, error)) {
		g_prefix_error(error, "profile %s: ", fn);
		return FALSE;
	}
	g_free(s->profile->name);
	s->profile->name = g_strdup(name_or_path);
	return hull_profile_merge_keyfile(s->profile, kf, fn, error);
}

void
hull_scanner_set_option(HullScanner *s, const char *plugin, const char *key, const char *value)
{
	g_key_file_set_string(s->config, plugin, key, value);
}

void
hull_scanner_set_plugin_filter(HullScanner *s, const char *const *names)
{
	g_strfreev(s->plugin_filter);
	s->plugin_filter = g_strdupv((gchar **)names);
}

static gboolean
hull_scanner_selected(HullScanner *s, const char *name)
{
	if (s->plugin_filter != NULL)
		return g_strv_contains((const char *const *)s->plugin_filter, name);
	if (s->profile->plugins != NULL)
		return g_strv_contains((const char *const *)s->profile->plugins, name);
	return TRUE;
}

static HullPlugin *
hull_scanner_find(HullScanner *s, const char *name)
{
	for (guint i = 0; i < s->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(s->plugins, i);
		if (p->desc != NULL && g_strcmp0(p->name, name) == 0)
			return p;
	}
	return NULL;
}

/* A plugin that crashes in init must not take the scan down with it. Plugins are initialised
 * one at a time on the loading thread, so one jump buffer suffices; the handlers are in place
 * only while init runs. A plugin that crashed is never called again (whatever it held is
 * abandoned, deliberately). */
static sigjmp_buf *hull_init_jmp;
static const int hull_init_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static void
hull_init_crash(int sig)
{
	siglongjmp(*hull_init_jmp, sig);
}

static gboolean
hull_plugin_run_init(HullPlugin *p, GError **error)
{
	struct sigaction sa, old[G_N_ELEMENTS(hull_init_signals)];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = hull_init_crash;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	sigjmp_buf jb;
	volatile gboolean ok = FALSE;
	hull_init_jmp = &jb;
	for (guint i = 0; i < G_N_ELEMENTS(hull_init_signals); i++)
		sigaction(hull_init_signals[i], &sa, &old[i]);
	int sig = sigsetjmp(jb, 1);
	if (sig == 0)
		ok = p->desc->init(p->ctx, &p->state, error);
	for (guint i = 0; i < G_N_ELEMENTS(hull_init_signals); i++)
		sigaction(hull_init_signals[i], &old[i], NULL);
	hull_init_jmp = NULL;
	if (sig != 0) {
		g_clear_error(error);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "crashed (signal %d, %s)", sig, g_strsignal(sig));
		return FALSE;
	}
	return ok;
}

static gboolean hull_scanner_init_plugin(HullPlugin *p, GError **error);

static gboolean
hull_scanner_may_replace(HullScanner *s, const char *name)
{
	return s->profile->replace != NULL && g_strv_contains((const char *const *)s->profile->replace, name);
}

/* Refuses @p, which has the name of @prev, loaded before it. A bundle's plugin never
 * silently takes the place of a built-in one: the loader adopts the built-ins before any
 * bundle's plugins, except those the profile names in [plugins] replace=, which go first.
 * Either way every report says so in a note. */
static void
hull_scanner_refuse_duplicate(HullScanner *s, HullPlugin *p, HullPlugin *prev)
{
	if (p->origin == HULL_PLUGIN_ORIGIN_BUNDLE && prev->origin == HULL_PLUGIN_ORIGIN_BUILTIN) {
		hull_plugin_fail(p, HULL_PLUGIN_STATUS_REFUSED,
		                 "a bundle's plugin %s does not replace the built-in one (%s) unless the profile names it in "
		                 "[plugins] replace=", p->name, prev->path);
	} else if (p->origin == HULL_PLUGIN_ORIGIN_BUILTIN && prev->origin == HULL_PLUGIN_ORIGIN_BUNDLE) {
		hull_plugin_fail(p, HULL_PLUGIN_STATUS_REFUSED,
		                 "built-in plugin replaced by a bundle's plugin %s (%s), as the profile's [plugins] replace= allows",
		                 p->name, prev->path);
	} else {
		hull_plugin_fail(p, HULL_PLUGIN_STATUS_REFUSED, "duplicate plugin name %s (already loaded from %s)", p->name,
		                 prev->path);
		return;
	}
	g_ptr_array_add(s->notes, g_strdup_printf("plugin %s: %s", p->name, p->error));
}

/* Takes @desc (already checked) into the scanner and runs its init (or leaves it for
 * hull_scanner_init_plugins when the scanner has a cache). @sha256 (transfer full, may be
 * NULL) is the module file's digest; @listed (transfer full) stands in for a descriptor
 * whose module is not open yet (then @desc is @listed). */
static gboolean
hull_scanner_adopt(HullScanner *s, const HullPluginDescriptor *desc, const char *origin, HullPluginOrigin kind,
                   lt_dlhandle module, gchar *sha256, HullPluginDescriptor *listed, GError **error)
{
	HullPlugin *p = hull_plugin_new(desc->name, origin);
	p->origin = kind;
	p->module = module;
	p->desc = desc;
	p->module_sha256 = sha256;
	p->listed = listed;
	g_ptr_array_add(s->plugins, p);
	HullPlugin *prev = hull_scanner_find(s, desc->name);
	if (prev != NULL && prev != p) {
		p->desc = NULL;
		hull_scanner_refuse_duplicate(s, p, prev);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s: %s", origin, p->error);
		return FALSE;
	}
	p->ctx = hull_plugin_ctx_new(p, s->config, s->profile);
	hull_plugin_prepare_interest(p);
	if (s->cache != NULL)
		return TRUE;
	return hull_scanner_init_plugin(p, error);
}

/* Opens the module of a plugin adopted from the cache's record of it. The file must still be
 * the one recorded: the scan's cache key was computed from it. */
static gboolean
hull_scanner_open_listed(HullScanner *s, HullPlugin *p, GError **error)
{
	lt_dlhandle module = NULL;
	const HullPluginDescriptor *desc = hull_plugin_open_module(p->path, &module, error);
	if (desc == NULL)
		return FALSE;
	g_autofree gchar *sha = hull_sha256_file(p->path);
	if (g_strcmp0(sha, p->module_sha256) != 0 || g_strcmp0(desc->name, p->listed->name) != 0 ||
	    g_strcmp0(desc->version, p->listed->version) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s changed while hullscan was starting", p->path);
		return FALSE;
	}
	p->desc = desc;
	p->module = module;
	hull_plugin_ctx_free(p->ctx);
	p->ctx = hull_plugin_ctx_new(p, s->config, s->profile);
	g_clear_pointer(&p->globs_base, g_ptr_array_unref);
	g_clear_pointer(&p->globs_path, g_ptr_array_unref);
	hull_plugin_prepare_interest(p);
	return TRUE;
}

static gboolean
hull_scanner_init_plugin(HullPlugin *p, GError **error)
{
	g_autoptr(GError) local = NULL;
	if (!hull_plugin_run_init(p, &local)) {
		hull_plugin_fail(p, HULL_PLUGIN_STATUS_FAILED, "init failed: %s",
		                 local != NULL ? local->message : "no reason given");
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", p->name, p->error);
		return FALSE;
	}
	p->initialised = TRUE;
	return TRUE;
}

/* The in-house rule files given to the secrets plugin (`[secrets] rules=`) teach the masker
 * too: a token of an in-house format must not be printed by another plugin's finding. */
static void
hull_scanner_share_secret_rules(HullPlugin *p)
{
	if (g_strcmp0(p->name, "secrets") != 0 || p->ctx == NULL)
		return;
	g_auto(GStrv) files = hull_plugin_ctx_get_option_list(p->ctx, "rules");
	for (guint i = 0; files != NULL && files[i] != NULL; i++) {
		g_autofree gchar *fn = g_strstrip(g_strdup(files[i]));
		g_autoptr(GError) local = NULL;
		if (*fn != '\0' && !hull_mask_add_rules_file(fn, &local))
			g_debug("masking: %s", local->message);
	}
}

void
hull_scanner_init_plugins(HullScanner *s)
{
	for (guint i = 0; i < s->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(s->plugins, i);
		if (p->status != HULL_PLUGIN_STATUS_OK || p->initialised || p->desc == NULL)
			continue;
		g_autoptr(GError) local = NULL;
		if (p->desc == p->listed && !hull_scanner_open_listed(s, p, &local)) {
			hull_plugin_fail(p, HULL_PLUGIN_STATUS_FAILED, "%s", local->message);
			continue;
		}
		if (!hull_scanner_init_plugin(p, &local))
			g_debug("plugin %s", local->message);
		else
			hull_scanner_share_secret_rules(p);
	}
}

gboolean
hull_scanner_add_descriptor(HullScanner *s, const HullPluginDescriptor *desc, const char *origin, GError **error)
{
	if (!hull_plugin_check_descriptor(desc, error)) {
		HullPlugin *p = hull_plugin_new(origin, origin);
		hull_plugin_fail(p, HULL_PLUGIN_STATUS_REFUSED, "%s", (*error)->message);
		g_ptr_array_add(s->plugins, p);
		return FALSE;
	}
	return hull_scanner_adopt(s, desc, origin, HULL_PLUGIN_ORIGIN_PATH, NULL, NULL, NULL, error);
}

/* Opens a module now: records its facts in the cache (keyed by @sha, may be NULL). NULL with
 * the module refused in the scanner's list when it cannot be used. */
static const HullPluginDescriptor *
hull_scanner_open_now(HullScanner *s, const char *fn, const char *sha, lt_dlhandle *module)
{
	g_autoptr(GError) local = NULL;
	const HullPluginDescriptor *desc = hull_plugin_open_module(fn, module, &local);
	if (desc == NULL) {
		g_autofree gchar *base = g_path_get_basename(fn);
		HullPlugin *p = hull_plugin_new(base, fn);
		hull_plugin_fail(p, HULL_PLUGIN_STATUS_REFUSED, "%s", local->message);
		g_ptr_array_add(s->plugins, p);
		g_debug("plugin refused: %s", local->message);
		return NULL;
	}
	if (sha != NULL) {
		HullCacheModule facts = {(gchar *)desc->name, (gchar *)desc->version, desc->capabilities,
		                         desc->max_file_size, desc->file_flags};
		hull_cache_module_store(s->cache, sha, &facts);
	}
	return desc;
}

/* A module found in HULLSCAN_PLUGIN_PATH or the built-in directory. With a cache, the key
 * needs each module's bytes; a module the cache has seen is not opened until a scan needs it
 * (opening six costs a warm scan a third of its time). */
static void
hull_scanner_load_file(HullScanner *s, const char *fn, HullPluginOrigin kind)
{
	g_autoptr(GError) local = NULL;
	g_autofree gchar *sha = s->cache != NULL ? hull_cache_file_sha256(s->cache, fn) : NULL;
	HullCacheModule known;
	if (sha != NULL && hull_cache_module_lookup(s->cache, sha, &known)) {
		if (hull_scanner_selected(s, known.name)) {
			HullPluginDescriptor *listed = g_new0(HullPluginDescriptor, 1);
			listed->abi_major = HULL_ABI_MAJOR;
			listed->abi_minor = HULL_ABI_MINOR;
			listed->struct_size = sizeof(HullPluginDescriptor);
			listed->name = g_steal_pointer(&known.name);
			listed->version = g_steal_pointer(&known.version);
			listed->capabilities = known.capabilities;
			listed->max_file_size = known.max_file_size;
			listed->file_flags = known.file_flags;
			g_debug("plugin %s: known to the scan cache: opened only if a scan needs it", listed->name);
			if (!hull_scanner_adopt(s, listed, fn, kind, NULL, g_steal_pointer(&sha), listed, &local))
				g_debug("plugin %s", local->message);
		}
		hull_cache_module_clear(&known);
		return;
	}
	lt_dlhandle module = NULL;
	const HullPluginDescriptor *desc = hull_scanner_open_now(s, fn, sha, &module);
	if (desc == NULL || !hull_scanner_selected(s, desc->name))
		return;
	if (!hull_scanner_adopt(s, desc, fn, kind, module, g_steal_pointer(&sha), NULL, &local))
		g_debug("plugin %s", local->message);
}

/* A module unpacked from a bundle, opened at once: its file does not stay. */
typedef struct {
	const char *path;           /* (transfer none) */
	const HullPluginDescriptor *desc;
	lt_dlhandle module;
	gchar *sha256;
} HullBundledModule;

static void
hull_bundled_module_free(HullBundledModule *m)
{
	g_free(m->sha256);
	g_free(m);
}

static void
hull_scanner_adopt_bundled(HullScanner *s, HullBundledModule *m)
{
	g_autoptr(GError) local = NULL;
	if (!hull_scanner_adopt(s, m->desc, m->path, HULL_PLUGIN_ORIGIN_BUNDLE, m->module, g_steal_pointer(&m->sha256),
	                        NULL, &local))
		g_debug("plugin %s", local->message);
	m->desc = NULL;
}

gboolean
hull_scanner_load_plugins(HullScanner *s, GError **error)
{
	g_autoptr(GPtrArray) dirs = hull_plugin_search_path();
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) refused = g_ptr_array_new();
	g_autoptr(GPtrArray) tempdirs = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < dirs->len; i++)
		hull_plugin_scan_dir(g_ptr_array_index(dirs, i), TRUE, files, refused, tempdirs);
	for (guint i = 0; i < refused->len; i++)
		g_ptr_array_add(s->plugins, g_ptr_array_index(refused, i));

	/* Bundled modules are opened first (while their files exist) and adopted in two groups
	 * around the others: those the profile lets replace a built-in, then, after every
	 * built-in, the rest. */
	g_autofree gchar *builtin = hull_plugin_builtin_dir();
	g_autofree gchar *builtin_prefix = builtin != NULL ? g_strconcat(builtin, G_DIR_SEPARATOR_S, NULL) : NULL;
	g_autoptr(GPtrArray) bundled = g_ptr_array_new_with_free_func((GDestroyNotify)hull_bundled_module_free);
	g_autoptr(GPtrArray) plain = g_ptr_array_new();
	for (guint i = 0; i < files->len; i++) {
		const char *fn = g_ptr_array_index(files, i);
		gboolean from_bundle = FALSE;
		for (guint j = 0; j < tempdirs->len && !from_bundle; j++)
			from_bundle = g_str_has_prefix(fn, g_ptr_array_index(tempdirs, j));
		if (!from_bundle) {
			g_ptr_array_add(plain, (gpointer)fn);
			continue;
		}
		HullBundledModule *m = g_new0(HullBundledModule, 1);
		m->path = fn;
		m->sha256 = s->cache != NULL ? hull_cache_file_sha256(s->cache, fn) : NULL;
		m->desc = hull_scanner_open_now(s, fn, m->sha256, &m->module);
		if (m->desc != NULL && hull_scanner_selected(s, m->desc->name))
			g_ptr_array_add(bundled, m);
		else
			hull_bundled_module_free(m);
	}
	for (guint i = 0; i < bundled->len; i++) {
		HullBundledModule *m = g_ptr_array_index(bundled, i);
		if (hull_scanner_may_replace(s, m->desc->name))
			hull_scanner_adopt_bundled(s, m);
	}
	for (guint i = 0; i < plain->len; i++) {
		const char *fn = g_ptr_array_index(plain, i);
		gboolean is_builtin = builtin_prefix != NULL && g_str_has_prefix(fn, builtin_prefix);
		hull_scanner_load_file(s, fn, is_builtin ? HULL_PLUGIN_ORIGIN_BUILTIN : HULL_PLUGIN_ORIGIN_PATH);
	}
	for (guint i = 0; i < bundled->len; i++) {
		HullBundledModule *m = g_ptr_array_index(bundled, i);
		if (m->desc != NULL)
			hull_scanner_adopt_bundled(s, m);
	}
	/* Unpacked bundles: once mapped, the module files are no longer needed on disk. */
	for (guint i = 0; i < tempdirs->len; i++)
		hull_remove_tree(g_ptr_array_index(tempdirs, i));

	/* Every name the user asked for must exist. */
	const char *const *wanted = (const char *const *)(s->plugin_filter != NULL ? s->plugin_filter : s->profile->plugins);
	for (guint i = 0; wanted != NULL && wanted[i] != NULL; i++) {
		if (hull_scanner_find(s, wanted[i]) == NULL) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "plugin %s: not found in the plugin path", wanted[i]);
			return FALSE;
		}
	}
	return TRUE;
}

/* The report's record of a plugin: what loaded, and why not when it did not. */
static HullReportPlugin *
hull_report_plugin_from(HullPlugin *p)
{
	static const char *const status[] = {
		[HULL_PLUGIN_STATUS_OK] = "ok",
		[HULL_PLUGIN_STATUS_FAILED] = "failed",
		[HULL_PLUGIN_STATUS_REFUSED] = "refused",
	};
	HullReportPlugin *rp = g_new0(HullReportPlugin, 1);
	rp->name = g_strdup(p->name);
	rp->version = g_strdup(p->desc != NULL ? p->desc->version : NULL);
	rp->status = g_strdup(status[p->status]);
	rp->error = g_strdup(p->error);
	rp->n_rules = p->ctx != NULL ? p->ctx->rules->len : 0;
	rp->path = g_strdup(p->path);
	return rp;
}

GPtrArray *
hull_scanner_get_plugin_infos(HullScanner *s)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_report_plugin_free);
	for (guint i = 0; i < s->plugins->len; i++)
		g_ptr_array_add(out, hull_report_plugin_from(g_ptr_array_index(s->plugins, i)));
	return out;
}

static HullReportRule *
hull_report_rule_from(const HullRule *r, const char *plugin)
{
	HullReportRule *rr = g_new0(HullReportRule, 1);
	rr->id = g_strdup(r->id);
	rr->plugin = g_strdup(plugin);
	rr->severity = r->severity;
	rr->title = g_strdup(r->title);
	rr->description = g_strdup(r->description);
	rr->remediation = g_strdup(r->remediation);
	rr->aliases = g_ptr_array_new_with_free_func(g_free);
	rr->references = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; r->aliases != NULL && r->aliases[i] != NULL; i++)
		g_ptr_array_add(rr->aliases, g_strdup(r->aliases[i]));
	for (guint i = 0; r->references != NULL && r->references[i] != NULL; i++)
		g_ptr_array_add(rr->references, g_strdup(r->references[i]));
	return rr;
}

void
hull_report_rule_free(HullReportRule *rr)
{
	g_free(rr->id);
	g_free(rr->plugin);
	g_free(rr->title);
	g_free(rr->description);
	g_free(rr->remediation);
	g_ptr_array_unref(rr->aliases);
	g_ptr_array_unref(rr->references);
	g_free(rr);
}

GPtrArray *
hull_scanner_get_plugin_rules(HullScanner *s, const char *plugin)
{
	HullPlugin *p = hull_scanner_find(s, plugin);
	if (p == NULL || p->ctx == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_report_rule_free);
	for (guint i = 0; i < p->ctx->rules->len; i++)
		g_ptr_array_add(out, hull_report_rule_from(g_ptr_array_index(p->ctx->rules, i), p->name));
	return out;
}

const HullPluginDescriptor *
hull_scanner_get_descriptor(HullScanner *s, const char *plugin)
{
	HullPlugin *p = hull_scanner_find(s, plugin);
	return p != NULL ? p->desc : NULL;
}

/* ---- The HullScan handle ---- */

HullBus *
hull_scan_get_bus(HullScan *scan)
{
	g_return_val_if_fail(scan != NULL, NULL);
	return scan->bus;
}

HullImage *
hull_scan_get_image(HullScan *scan)
{
	g_return_val_if_fail(scan != NULL, NULL);
	return hull_target_get_image(scan->target);
}

HullFs *
hull_scan_get_fs(HullScan *scan)
{
	g_return_val_if_fail(scan != NULL, NULL);
	return hull_target_get_fs(scan->target);
}

const char *
hull_scan_get_target_type(HullScan *scan)
{
	g_return_val_if_fail(scan != NULL, NULL);
	return hull_target_type_to_string(hull_target_get_type(scan->target));
}

static void
hull_scan_first_fact(const HullFact *fact, gpointer user_data)
{
	const HullFact **out = user_data;
	if (*out == NULL)
		*out = fact;
}

const HullFact *
hull_scan_get_os(HullScan *scan)
{
	g_return_val_if_fail(scan != NULL, NULL);
	const HullFact *os = NULL;
	hull_bus_foreach_fact(scan->bus, "os", hull_scan_first_fact, &os);
	return os;
}

/* Length in bytes of the line break at @p (CR, LF, VT, FF, NEL, U+2028, U+2029), 0 if none. */
static gsize
hull_note_break_len(const char *p)
{
	const guchar *u = (const guchar *)p;
	if (u[0] == '\n' || u[0] == '\r' || u[0] == '\v' || u[0] == '\f')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0x85)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

/* @text on one line: each run of line breaks, with the blanks around it, becomes one space
 * (a library's error may carry a context line or a trailing newline). (transfer full) */
static gchar *
hull_note_one_line(const char *text)
{
	GString *s = g_string_sized_new(strlen(text));
	gboolean broke = FALSE;
	for (const char *p = text; *p != '\0';) {
		gsize n = hull_note_break_len(p);
		if (n > 0) {
			while (s->len > 0 && (s->str[s->len - 1] == ' ' || s->str[s->len - 1] == '\t'))
				g_string_truncate(s, s->len - 1);
			for (p += n; *p == ' ' || *p == '\t'; p++)
				;
			broke = TRUE;
			continue;
		}
		if (broke && s->len > 0)
			g_string_append_c(s, ' ');
		broke = FALSE;
		g_string_append_c(s, *p++);
	}
	return g_string_free(s, FALSE);
}

/* "P: P:3: why" and "P: P: why" name the file twice: a caller prefixed the path to a message
 * (a parser's GError) that starts with it already. Returns where the second naming starts. */
static const char *
hull_note_skip_repeated_path(const char *msg)
{
	const char *sep = strstr(msg, ": ");
	if (sep == NULL || sep == msg)
		return msg;
	gsize n = (gsize)(sep - msg);
	const char *rest = sep + 2;
	if (strncmp(rest, msg, n) == 0 && (rest[n] == ':' || rest[n] == ' ' || rest[n] == '\0'))
		return rest;
	return msg;
}

/* The one place a note is formatted, for the core and for plugins: "WHO: MESSAGE" on one
 * line, the file it is about named once. */
void
hull_scan_add_note(HullScan *scan, HullPluginCtx *ctx, const char *format, ...)
{
	g_return_if_fail(scan != NULL && format != NULL);
	va_list ap;
	va_start(ap, format);
	g_autofree gchar *raw = g_strdup_vprintf(format, ap);
	va_end(ap);
	g_autofree gchar *msg = hull_note_one_line(raw);
	gchar *note = g_strdup_printf("%s: %s", ctx != NULL ? hull_plugin_ctx_get_name(ctx) : "hullscan",
	                              hull_note_skip_repeated_path(msg));
	/* Masked here, not only when reported: notes are kept in the scan cache too. (The CLI
	 * prints them with --verbose, so no g_debug copy as well.) */
	hull_mask_text_inplace(&note);
	g_mutex_lock(&scan->lock);
	g_ptr_array_add(scan->notes, note);
	g_mutex_unlock(&scan->lock);
}

guint
hull_scan_get_n_k8s_objects(HullScan *scan)
{
	g_return_val_if_fail(scan != NULL, 0);
	return scan->k8s_objects->len;
}

HullK8sObject *
hull_scan_get_k8s_object(HullScan *scan, guint index)
{
	g_return_val_if_fail(scan != NULL, NULL);
	g_return_val_if_fail(index < scan->k8s_objects->len, NULL);
	return g_ptr_array_index(scan->k8s_objects, index);
}

guint
hull_scan_get_n_dockerfiles(HullScan *scan)
{
	g_return_val_if_fail(scan != NULL, 0);
	return scan->dockerfiles->len;
}

HullDockerfile *
hull_scan_get_dockerfile(HullScan *scan, guint index)
{
	g_return_val_if_fail(scan != NULL, NULL);
	g_return_val_if_fail(index < scan->dockerfiles->len, NULL);
	return g_ptr_array_index(scan->dockerfiles, index);
}

static HullScan *
hull_scan_new(HullTarget *target, GPtrArray *active)
{
	HullScan *scan = g_new0(HullScan, 1);
	scan->target = target;
	g_mutex_init(&scan->lock);
	scan->notes = g_ptr_array_new_with_free_func(g_free);
	scan->k8s_objects = g_ptr_array_new_with_free_func((GDestroyNotify)hull_k8s_object_free);
	scan->dockerfiles = g_ptr_array_new_with_free_func((GDestroyNotify)hull_dockerfile_free);
	scan->config_docs = g_ptr_array_new_with_free_func((GDestroyNotify)hull_config_document_free);
	scan->plugins = g_ptr_array_ref(active);
	scan->bus = hull_bus_new(scan, active);
	return scan;
}

static void
hull_scan_free(HullScan *scan)
{
	hull_bus_free(scan->bus);
	g_ptr_array_unref(scan->notes);
	g_ptr_array_unref(scan->k8s_objects);
	g_ptr_array_unref(scan->dockerfiles);
	g_ptr_array_unref(scan->config_docs);
	g_ptr_array_unref(scan->plugins);
	g_mutex_clear(&scan->lock);
	g_free(scan);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullScan, hull_scan_free)

typedef gboolean (*HullPhaseFunc)(gpointer state, HullScan *scan, GError **error);

static void
hull_scan_phase(HullScan *scan, const char *phase, gsize offset)
{
	for (guint i = 0; i < scan->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(scan->plugins, i);
		HullPhaseFunc fn = *(HullPhaseFunc *)((const guint8 *)p->desc + offset);
		if (p->status != HULL_PLUGIN_STATUS_OK || fn == NULL)
			continue;
		g_autoptr(GError) error = NULL;
		if (!fn(p->state, scan, &error)) {
			hull_plugin_fail(p, HULL_PLUGIN_STATUS_FAILED, "%s failed: %s", phase,
			                 error != NULL ? error->message : "no reason given");
			g_debug("plugin %s: %s", p->name, p->error);
		}
	}
}

static gint
hull_dockerfile_cmp(gconstpointer a, gconstpointer b)
{
	HullDockerfile *x = *(HullDockerfile *const *)a, *y = *(HullDockerfile *const *)b;
	return g_strcmp0(hull_dockerfile_get_path(x), hull_dockerfile_get_path(y));
}

static gint
hull_k8s_cmp(gconstpointer a, gconstpointer b)
{
	HullK8sObject *x = *(HullK8sObject *const *)a, *y = *(HullK8sObject *const *)b;
	gint r = g_strcmp0(hull_k8s_object_get_path(x), hull_k8s_object_get_path(y));
	if (r != 0)
		return r;
	guint lx = hull_k8s_object_get_line(x), ly = hull_k8s_object_get_line(y);
	return lx < ly ? -1 : lx > ly ? 1 : g_strcmp0(hull_k8s_object_get_ref(x), hull_k8s_object_get_ref(y));
}

gint hull_config_document_compare(gconstpointer a, gconstpointer b);

static gint
hull_finding_ptr_cmp(gconstpointer a, gconstpointer b)
{
	return hull_finding_compare(*(HullFinding *const *)a, *(HullFinding *const *)b);
}

/* Packages sort by type, name, version, arch. The keys are looked up once per fact, not
 * once per comparison: an image holds thousands of packages. */
typedef struct {
	const char *key[4];
	HullFact *fact;
} HullPackageSortItem;

static gint
hull_package_item_cmp(gconstpointer a, gconstpointer b)
{
	const HullPackageSortItem *x = a, *y = b;
	for (guint i = 0; i < 4; i++) {
		gint r = g_strcmp0(x->key[i], y->key[i]);
		if (r != 0)
			return r;
	}
	return x->fact->seq < y->fact->seq ? -1 : x->fact->seq > y->fact->seq;
}

static HullFact *
hull_fact_copy(const HullFact *f)
{
	HullFact *c = hull_fact_new(f->kind);
	c->plugin = g_strdup(f->plugin);
	c->seq = f->seq;
	for (guint i = 0; i < f->keys->len; i++)
		hull_fact_set(c, g_ptr_array_index(f->keys, i), g_ptr_array_index(f->values, i));
	return c;
}

/* The scan's results before the per-run filters: what the cache stores. Findings are moved
 * out of the bus. */
static HullScanResults *
hull_scan_collect_results(HullScan *scan, GPtrArray *plugins)
{
	HullScanResults *res = hull_scan_results_new();
	const HullFact *os = hull_scan_get_os(scan);
	if (os != NULL) {
		res->os_id = g_strdup(hull_fact_get(os, "id"));
		res->os_version = g_strdup(hull_fact_get(os, "version_id"));
	}
	for (guint i = 0; i < plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(plugins, i);
		if (p->ctx == NULL)
			continue;
		g_hash_table_insert(res->n_rules, g_strdup(p->name), GUINT_TO_POINTER(p->ctx->rules->len));
		for (guint j = 0; j < p->ctx->rules->len; j++)
			g_ptr_array_add(res->rules, hull_report_rule_from(g_ptr_array_index(p->ctx->rules, j), p->name));
	}
	GPtrArray *all = scan->bus->findings;
	for (guint i = 0; i < all->len; i++) {
		g_ptr_array_add(res->findings, g_ptr_array_index(all, i));
		g_ptr_array_index(all, i) = NULL;
	}

	g_autoptr(GArray) items = g_array_new(FALSE, FALSE, sizeof(HullPackageSortItem));
	for (guint i = 0; i < scan->bus->facts->len; i++) {
		HullFact *f = g_ptr_array_index(scan->bus->facts, i);
		if (g_strcmp0(f->kind, "package") != 0)
			continue;
		HullPackageSortItem it = {{hull_fact_get(f, "type"), hull_fact_get(f, "name"), hull_fact_get(f, "version"),
		                           hull_fact_get(f, "arch")}, f};
		g_array_append_val(items, it);
	}
	g_array_sort(items, hull_package_item_cmp);
	for (guint i = 0; i < items->len; i++)
		g_ptr_array_add(res->packages, hull_fact_copy(g_array_index(items, HullPackageSortItem, i).fact));
	for (guint i = 0; i < scan->notes->len; i++)
		g_ptr_array_add(res->notes, g_strdup(g_ptr_array_index(scan->notes, i)));
	return res;
}

/* Turns results (fresh or from the cache) into the report: the per-run filters, display
 * paths and sort order. Moves the findings, rules, packages and notes out of @res. */
static void
hull_scan_build_report(HullScanner *s, HullTarget *target, HullScanResults *res, const char *input,
                       const HullScanOptions *o, HullReport *r)
{
	HullImage *image = hull_target_get_image(target);
	r->tool_version = g_strdup(HULL_VERSION);
	r->input = g_strdup(input);
	r->target_type = g_strdup(hull_target_type_to_string(hull_target_get_type(target)));
	if (image != NULL) {
		r->digest = g_strdup(hull_image_get_digest(image));
		for (guint i = 0; i < hull_image_get_n_layers(image); i++) {
			HullReportLayer *l = g_new0(HullReportLayer, 1);
			l->index = (int)i;
			l->digest = g_strdup(hull_image_get_layer_diff_id(image, i));
			l->created_by = g_strdup(hull_image_get_layer_created_by(image, i));
			g_ptr_array_add(r->layers, l);
		}
	}
	r->os_id = g_strdup(res->os_id);
	r->os_version = g_strdup(res->os_version);

	for (guint i = 0; i < s->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(s->plugins, i);
		HullReportPlugin *rp = hull_report_plugin_from(p);
		gpointer n;
		if (g_hash_table_lookup_extended(res->n_rules, p->name, NULL, &n))
			rp->n_rules = GPOINTER_TO_UINT(n);
		g_ptr_array_add(r->plugins, rp);
	}
	g_ptr_array_extend_and_steal(r->rules, g_steal_pointer(&res->rules));
	for (guint i = 0; i < s->notes->len; i++)
		g_ptr_array_add(r->notes, g_strdup(g_ptr_array_index(s->notes, i)));

	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autoptr(GDate) today = g_date_new_dmy((GDateDay)g_date_time_get_day_of_month(now),
	                                        (GDateMonth)g_date_time_get_month(now),
	                                        (GDateYear)g_date_time_get_year(now));
	GPtrArray *all = res->findings;
	for (guint i = 0; i < all->len; i++) {
		HullFinding *f = g_ptr_array_index(all, i);
		if (o->severity_mask != 0 && !(o->severity_mask & (1u << f->severity)))
			continue;
		if (o->ignore != NULL && hull_ignore_list_matches(o->ignore, f, today, r->notes))
			continue;
		g_ptr_array_index(all, i) = NULL;
		if (f->path != NULL && f->path[0] == '/') {
			gchar *shown = hull_target_display_path(target, f->path);
			g_free(f->path);
			f->path = shown;
		}
		g_ptr_array_add(r->findings, f);
	}
	g_ptr_array_sort(r->findings, hull_finding_ptr_cmp);
	g_ptr_array_extend_and_steal(r->packages, g_steal_pointer(&res->packages));
	g_ptr_array_extend_and_steal(r->notes, g_steal_pointer(&res->notes));
	hull_report_mask(r);
	hull_report_update_summary(r);
}

/* The plugins that will run: loaded, and not failed (init may still be pending). */
static GPtrArray *
hull_scanner_active(HullScanner *s)
{
	GPtrArray *active = g_ptr_array_new();
	for (guint i = 0; i < s->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(s->plugins, i);
		if (p->status == HULL_PLUGIN_STATUS_OK)
			g_ptr_array_add(active, p);
	}
	return active;
}

/* After the walk: a directory that held nothing to scan is unusable input (exit 2), not an
 * empty report that reads as "no problems". Nothing means: no regular file at all (rootfs or
 * config), or, for a tree the user asked to scan as config (--type config|k8s), no file
 * recognised as a Dockerfile, Kubernetes manifest, compose file or run configuration. A tree
 * detected as config on its own (a source checkout) is scanned whatever it holds: the
 * secrets plugin reads every file, so a plain tree is still something to scan. */
static gboolean
hull_scan_check_found(HullScan *scan, const char *input, gboolean config_asked, GError **error)
{
	HullTargetType type = hull_target_get_type(scan->target);
	if (type == HULL_TARGET_IMAGE || !g_file_test(input, G_FILE_TEST_IS_DIR))
		return TRUE;
	if (g_atomic_int_get(&scan->n_files) == 0) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
		            "%s: a directory with no regular file: nothing to scan", input);
		return FALSE;
	}
	if (type == HULL_TARGET_CONFIG && config_asked && scan->dockerfiles->len == 0 && scan->k8s_objects->len == 0 &&
	    scan->config_docs->len == 0) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
		            "%s: no Dockerfile, Kubernetes manifest, compose file or inspect JSON found "
		            "(--type rootfs scans every file)", input);
		return FALSE;
	}
	return TRUE;
}

/* The scan proper: init what is pending, then every phase over the target. @all_ok is FALSE
 * when a plugin failed on the way (such results are not cached: the failure may pass). */
static HullScanResults *
hull_scanner_scan(HullScanner *s, HullTarget *target, const char *input, const HullScanOptions *o, guint jobs,
                  gboolean *all_ok, GError **error)
{
	hull_scanner_init_plugins(s);
	g_autoptr(GPtrArray) active = hull_scanner_active(s);
	for (guint i = 0; i < active->len; i++) {
		HullPlugin *p = g_ptr_array_index(active, i);
		p->n_oversized = 0;
		p->oversized_bytes = 0;
	}
	g_autoptr(HullScan) scan = hull_scan_new(target, active);
	GPtrArray *target_notes = hull_target_get_notes(target);
	for (guint i = 0; i < target_notes->len; i++)
		hull_scan_add_note(scan, NULL, "%s", (const char *)g_ptr_array_index(target_notes, i));

	hull_scan_phase(scan, "scan_begin", G_STRUCT_OFFSET(HullPluginDescriptor, scan_begin));
	HullImage *image = hull_target_get_image(target);
	if (image != NULL && hull_image_get_n_history(image) > 0)
		g_ptr_array_add(scan->dockerfiles, hull_dockerfile_from_history(image));

	if (!hull_walker_run(scan, jobs, o->include_deleted, o->progress, error))
		return NULL;
	g_ptr_array_sort(scan->dockerfiles, hull_dockerfile_cmp);
	g_ptr_array_sort(scan->k8s_objects, hull_k8s_cmp);
	g_ptr_array_sort(scan->config_docs, hull_config_document_compare);

	hull_scan_phase(scan, "scan_collect", G_STRUCT_OFFSET(HullPluginDescriptor, scan_collect));
	hull_scan_phase(scan, "scan_end", G_STRUCT_OFFSET(HullPluginDescriptor, scan_end));
	/* checked once every plugin has ended the scan, so that none is left holding its state */
	if (!hull_scan_check_found(scan, input, o->open.type == HULL_TARGET_CONFIG, error))
		return NULL;
	*all_ok = TRUE;
	for (guint i = 0; i < s->plugins->len; i++) {
		HullPlugin *p = g_ptr_array_index(s->plugins, i);
		if (p->status == HULL_PLUGIN_STATUS_FAILED)
			*all_ok = FALSE;
	}
	return hull_scan_collect_results(scan, active);
}

/* Stats the files an image is read from, before they are read. NULL if one cannot be. */
static GPtrArray *
hull_scan_layer_file_ids(HullTarget *target)
{
	g_autoptr(GPtrArray) paths = hull_target_get_layer_files(target);
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(hull_cache_file_id_free);
	for (guint i = 0; i < paths->len; i++) {
		HullCacheFileId *id = g_new0(HullCacheFileId, 1);
		g_ptr_array_add(ids, id);
		if (!hull_cache_file_id(g_ptr_array_index(paths, i), id))
			return NULL;
	}
	return ids->len > 0 ? g_steal_pointer(&ids) : NULL;
}

/* The probe memo of @target when its archive was listed by this open (not answered from a memo)
 * and the file is still as stat'ed before it (@id) was read; else NULL. (transfer full) */
static GBytes *
hull_scan_fresh_probe_memo(HullTarget *target, const char *input, const HullCacheFileId *id)
{
	if (id->path == NULL)
		return NULL;
	g_auto(HullCacheFileId) now = {0};
	if (!hull_cache_file_id(input, &now) || now.dev != id->dev || now.ino != id->ino || now.size != id->size ||
	    now.mtime_ns != id->mtime_ns || now.ctime_ns != id->ctime_ns)
		return NULL;
	return hull_target_get_probe_memo(target);
}

/* Is @data nothing but blanks, and with @yaml also comments and document markers? */
static gboolean
hull_scan_text_is_blank(const char *data, gsize len, gboolean yaml)
{
	g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
	if (strlen(data) != len)
		return FALSE; /* a NUL byte: something, if not text */
	for (guint i = 0; lines[i] != NULL; i++) {
		const char *l = g_strstrip(lines[i]);
		if (l[0] == '\0')
			continue;
		if (yaml && (l[0] == '#' || strcmp(l, "---") == 0 || strcmp(l, "...") == 0))
			continue;
		return FALSE;
	}
	return TRUE;
}

/* A Dockerfile given as the target that BuildKit could not build from at all: no instruction
 * (an empty file, or a parse error before the first one), or no FROM (no build stage: what is
 * left is not a Dockerfile). Instructions it parses but would refuse one by one (an unknown
 * keyword, a FROM or COPY without arguments) are not this: they become notes and the rest of
 * the file is still linted. */
static gboolean
hull_scan_check_dockerfile(const char *input, const char *data, gsize len, GError **error)
{
	g_autoptr(HullDockerfile) df = hull_dockerfile_parse(input, -1, (const guint8 *)data, len, NULL);
	if (hull_dockerfile_get_n_instructions(df) == 0) {
		const char *why = hull_dockerfile_get_error(df);
		if (why != NULL)
			g_set_error_literal(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, why);
		else
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: no instruction", input);
		return FALSE;
	}
	if (hull_dockerfile_get_n_stages(df) == 0) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
		            "%s: no FROM instruction: not a Dockerfile", input);
		return FALSE;
	}
	return TRUE;
}

/* A single file given as the target that holds nothing to scan is refused before any plugin
 * runs (exit 2): an empty file, a Dockerfile BuildKit could not build from at all, a YAML or
 * JSON config file that is empty or does not parse. The file is read a second time for this;
 * the views stop at 4 MiB, and so does the check. */
static gboolean
hull_scan_check_single_file(HullTarget *target, const char *input, GError **error)
{
	HullTargetType type = hull_target_get_type(target);
	GStatBuf st;
	if (type == HULL_TARGET_IMAGE || g_stat(input, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > HULL_SCAN_CHECK_MAX_SIZE)
		return TRUE;
	g_autofree gchar *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(input, &data, &len, NULL))
		return TRUE; /* the walk reports what it cannot read */
	g_autofree gchar *base = g_path_get_basename(input);
	gboolean dockerfile = type == HULL_TARGET_DOCKERFILE || hull_dockerfile_name_matches(base);
	/* a config file named .yaml/.yml/.json is meant to be a YAML or JSON document; any other
	 * file given with --type config is scanned as it is (the secrets plugin reads plain text) */
	gboolean yaml = !dockerfile && type == HULL_TARGET_CONFIG &&
	                (g_str_has_suffix(base, ".yaml") || g_str_has_suffix(base, ".yml") || g_str_has_suffix(base, ".json"));
	if (dockerfile)
		return hull_scan_check_dockerfile(input, data, len, error);
	if (hull_scan_text_is_blank(data, len, yaml)) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: %s", input,
		            yaml ? "no YAML or JSON document: nothing to scan" : "an empty file: nothing to scan");
		return FALSE;
	}
	if (yaml) {
		g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func((GDestroyNotify)hull_k8s_object_free);
		g_autoptr(GError) local = NULL;
		if (!hull_k8s_parse(input, -1, (const guint8 *)data, len, objects, NULL, &local)) {
			g_autofree gchar *one = hull_note_one_line(local->message);
			g_set_error_literal(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, one);
			return FALSE;
		}
	}
	return TRUE;
}

/* Replaces a target opened for its manifest and config with one whose layers are read and
 * verified. */
static gboolean
hull_target_reopen_with_layers(HullTarget **target, const char *input, HullOpenOptions *open, GError **error)
{
	hull_target_free(g_steal_pointer(target));
	open->skip_layers = FALSE;
	*target = hull_target_open(input, open, error);
	return *target != NULL;
}

HullReport *
hull_scanner_run(HullScanner *s, const char *input, const HullScanOptions *o, GError **error)
{
	/* With a cache, an image is first opened for its manifest and config only: when the cache
	 * holds its results and its files are unchanged since their digests were verified, no
	 * layer is read at all. With more than one job, layer digests are checked on a thread of
	 * their own while the layers are indexed and walked; nothing is reported, stored or
	 * trusted before that check has passed. */
	guint jobs = o->n_jobs > 0 ? o->n_jobs : (guint)g_get_num_processors();
	HullOpenOptions open = o->open;
	open.skip_layers = o->cache != NULL && open.verify_digests;
	open.defer_verify = jobs > 1;
	/* An image tar seen before, unchanged, is not even listed: its member list, manifests and
	 * config come from the probe memo (and libarchive is not loaded). */
	g_auto(HullCacheFileId) input_id = {0};
	g_autoptr(GBytes) probe_memo = NULL;
	if (open.skip_layers && hull_cache_file_id(input, &input_id))
		open.probe_memo = probe_memo = hull_cache_probe_lookup(o->cache, &input_id);
	g_autoptr(HullTarget) target = hull_target_open(input, &open, probe_memo != NULL ? NULL : error);
	if (target == NULL && probe_memo != NULL) {
		/* what the cache said about the file does not hold: list it as if it had said nothing */
		g_debug("cache: the probe memo of %s does not open: listing the archive", input);
		open.probe_memo = NULL;
		target = hull_target_open(input, &open, error);
	}
	open.probe_memo = NULL;
	if (target == NULL)
		return NULL;
	if (!hull_scan_check_single_file(target, input, error))
		return NULL;
	g_autoptr(GBytes) new_memo = hull_scan_fresh_probe_memo(target, input, &input_id);
	gboolean layers_read = !open.skip_layers || hull_target_get_type(target) != HULL_TARGET_IMAGE;
	g_autofree gchar *content_key = open.skip_layers ? hull_target_get_content_key(target) : NULL;
	g_autofree gchar *key = NULL;
	g_autoptr(GPtrArray) active = hull_scanner_active(s);
	if (content_key != NULL) {
		g_autofree gchar *why = NULL;
		key = hull_scan_cache_key(content_key, active, s->profile, s->config, o->include_deleted,
		                          o->open.max_image_size, &why);
		if (key == NULL)
			g_debug("cache: not used: %s", why);
	}

	g_autoptr(HullScanResults) res = NULL;
	g_autoptr(GPtrArray) to_trust = NULL;   /* files to record as verified once they are */
	gint64 read_start_ns = 0;
	if (key != NULL) {
		g_autoptr(GPtrArray) files = hull_scan_layer_file_ids(target);
		if (files == NULL || !hull_cache_is_trusted(o->cache, content_key, files)) {
			read_start_ns = g_get_real_time() * 1000;
			if (!hull_target_reopen_with_layers(&target, input, &open, error))
				return NULL;
			layers_read = TRUE;
			g_clear_pointer(&new_memo, g_bytes_unref);
			new_memo = hull_scan_fresh_probe_memo(target, input, &input_id);
			g_autofree gchar *now_key = hull_target_get_content_key(target);
			if (g_strcmp0(now_key, content_key) != 0)
				g_clear_pointer(&key, g_free); /* changed while we looked: no cache this time */
			else
				to_trust = g_steal_pointer(&files);
		}
		g_autofree gchar *deps = NULL;
		g_autoptr(GBytes) payload = NULL;
		if (key != NULL && hull_cache_lookup(o->cache, key, &deps, &payload)) {
			if (!hull_scan_cache_deps_current(deps, o->cache))
				g_debug("cache: a rule data file changed since the result was stored");
			else if ((res = hull_scan_results_deserialize(payload)) == NULL)
				g_debug("cache: the stored result is unreadable: scanning");
		}
	}

	gboolean from_cache = res != NULL;
	gboolean all_ok = FALSE;
	if (res == NULL) {
		if (!layers_read && !hull_target_reopen_with_layers(&target, input, &open, error))
			return NULL;
		layers_read = TRUE;
		res = hull_scanner_scan(s, target, input, o, jobs, &all_ok, error);
		if (res == NULL)
			return NULL;
	}
	if (layers_read && !hull_target_finish_verify(target, error))
		return NULL;
	if (to_trust != NULL)
		hull_cache_trust(o->cache, content_key, to_trust, read_start_ns);
	/* here the target's content is verified or trusted: what its listing found can be kept (and
	 * replaces a memo that was unreadable or did not match the file) */
	if (new_memo != NULL)
		hull_cache_probe_store(o->cache, &input_id, new_memo,
		                       read_start_ns != 0 ? read_start_ns : g_get_real_time() * 1000);
	if (!from_cache && key != NULL && all_ok) {
		g_autofree gchar *deps = hull_scan_cache_deps(active, o->cache);
		g_autoptr(GBytes) payload = hull_scan_results_serialize(res);
		g_autoptr(GError) local = NULL;
		if (payload == NULL)
			g_debug("cache: these results do not serialise: not stored");
		else if (!hull_cache_store(o->cache, key, deps, payload, &local))
			g_debug("cache: not stored: %s", local->message);
	}

	HullReport *r = hull_report_new();
	r->from_cache = from_cache;
	r->layers_read = layers_read;
	hull_scan_build_report(s, target, res, input, o, r);
	return r;
}
