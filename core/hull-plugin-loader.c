/* hull-plugin-loader.c: finding plugin modules, opening them with libltdl (local binding, so
 * two plugins' private symbols never clash), and checking their descriptors against the ABI
 * this core speaks. Anything wrong with one module refuses that module only, with a reason
 * the user can act on; the scan goes on with the others. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "hull-scan-private.h"
#include "hull-config.h"
#include "bundle/hull-bundle.h"

gboolean hull_running_from_build_tree(void);

HullPlugin *
hull_plugin_new(const char *name, const char *path)
{
	HullPlugin *p = g_new0(HullPlugin, 1);
	p->name = g_strdup(name);
	p->path = g_strdup(path);
	p->status = HULL_PLUGIN_STATUS_OK;
	g_mutex_init(&p->file_lock);
	g_rec_mutex_init(&p->fact_lock);
	return p;
}

void
hull_plugin_free(HullPlugin *p)
{
	if (p == NULL)
		return;
	if (p->initialised && p->desc->destroy != NULL)
		p->desc->destroy(p->state);
	hull_plugin_ctx_free(p->ctx);
	if (p->globs_base != NULL)
		g_ptr_array_unref(p->globs_base);
	if (p->globs_path != NULL)
		g_ptr_array_unref(p->globs_path);
	/* Modules stay mapped until exit: a plugin may have registered atexit handlers or
	 * thread-local destructors that would otherwise point into unmapped code. */
	g_mutex_clear(&p->file_lock);
	g_rec_mutex_clear(&p->fact_lock);
	g_free(p->name);
	g_free(p->path);
	g_free(p->module_sha256);
	if (p->listed != NULL) {
		g_free((gchar *)p->listed->name);
		g_free((gchar *)p->listed->version);
		g_free(p->listed);
	}
	g_free(p->error);
	g_free(p);
}

void
hull_plugin_fail(HullPlugin *p, HullPluginStatus status, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	gchar *msg = g_strdup_vprintf(format, ap);
	va_end(ap);
	p->status = status;
	g_free(p->error);
	p->error = msg;
}

static gboolean
hull_plugin_name_valid(const char *name)
{
	if (name == NULL || name[0] == '\0' || strlen(name) > 64)
		return FALSE;
	for (const char *c = name; *c != '\0'; c++) {
		if (!(g_ascii_islower(*c) || g_ascii_isdigit(*c) || *c == '-' || *c == '_'))
			return FALSE;
	}
	return TRUE;
}

gboolean
hull_plugin_check_descriptor(const HullPluginDescriptor *d, GError **error)
{
	if (d == NULL) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "hull_plugin_get_descriptor() returned NULL");
		return FALSE;
	}
	if (d->abi_major != HULL_ABI_MAJOR) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
		            "built for plugin ABI %u.%u, this hullscan speaks ABI %d.%d (major differs: rebuild the plugin)",
		            d->abi_major, d->abi_minor, HULL_ABI_MAJOR, HULL_ABI_MINOR);
		return FALSE;
	}
	if (d->abi_minor > HULL_ABI_MINOR) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
		            "built for plugin ABI %u.%u, newer than this hullscan's %d.%d (upgrade hullscan)",
		            d->abi_major, d->abi_minor, HULL_ABI_MAJOR, HULL_ABI_MINOR);
		return FALSE;
	}
	if (d->struct_size < offsetof(HullPluginDescriptor, reserved)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "descriptor struct_size %u is smaller than ABI %d.0 requires (%zu)", d->struct_size,
		            HULL_ABI_MAJOR, offsetof(HullPluginDescriptor, reserved));
		return FALSE;
	}
	if (!hull_plugin_name_valid(d->name)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "plugin name '%s' is not valid (lower-case letters, digits, '-' and '_')", d->name ? d->name : "(null)");
		return FALSE;
	}
	if (d->version == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "plugin %s has no version", d->name);
		return FALSE;
	}
	if (d->init == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "plugin %s lacks the required init callback", d->name);
		return FALSE;
	}
	if (d->file_globs != NULL && d->file_chunk == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "plugin %s asks for files but lacks the required file_chunk callback", d->name);
		return FALSE;
	}
	if (d->fact_kinds != NULL && d->on_fact == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "plugin %s subscribes to facts but lacks the required on_fact callback", d->name);
		return FALSE;
	}
	if (d->n_rules > 0 && d->rules == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "plugin %s declares %u rules but no table",
		            d->name, d->n_rules);
		return FALSE;
	}
	return TRUE;
}

void
hull_plugin_prepare_interest(HullPlugin *p)
{
	p->globs_base = g_ptr_array_new_with_free_func((GDestroyNotify)g_pattern_spec_free);
	p->globs_path = g_ptr_array_new_with_free_func((GDestroyNotify)g_pattern_spec_free);
	for (guint i = 0; p->desc->file_globs != NULL && p->desc->file_globs[i] != NULL; i++) {
		const char *g = p->desc->file_globs[i];
		g_ptr_array_add(strchr(g, '/') != NULL ? p->globs_path : p->globs_base, g_pattern_spec_new(g));
	}
}

gboolean
hull_plugin_wants(HullPlugin *p, const HullFile *file)
{
	if (p->status != HULL_PLUGIN_STATUS_OK || p->desc->file_globs == NULL)
		return FALSE;
	if (hull_file_get_deleted_in(file) >= 0 && !(p->desc->file_flags & HULL_INTEREST_DELETED))
		return FALSE;
	const char *path = hull_file_get_path(file);
	const char *base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	gsize path_len = strlen(path), base_len = strlen(base);
	gboolean match = FALSE;
	for (guint i = 0; !match && i < p->globs_base->len; i++)
		match = g_pattern_spec_match(g_ptr_array_index(p->globs_base, i), base_len, base, NULL);
	for (guint i = 0; !match && i < p->globs_path->len; i++)
		match = g_pattern_spec_match(g_ptr_array_index(p->globs_path, i), path_len, path, NULL);
	if (!match)
		return FALSE;
	if (p->desc->wants_file != NULL && !p->desc->wants_file(p->state, file))
		return FALSE;
	return TRUE;
}

gchar *
hull_plugin_builtin_dir(void)
{
	/* HULLSCAN_PLUGIN_PATH_ONLY=1 pins discovery to the variable (CI, tests). */
	if (g_strcmp0(g_getenv("HULLSCAN_PLUGIN_PATH_ONLY"), "1") == 0)
		return NULL;
	/* A build-tree binary uses its own plugins and never mixes in an installed copy. */
	if (hull_running_from_build_tree())
		return g_build_filename(HULL_BUILD_ROOT, "plugins", NULL);
	return g_strdup(HULL_PLUGINSDIR);
}

GPtrArray *
hull_plugin_search_path(void)
{
	GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
	const char *env = g_getenv("HULLSCAN_PLUGIN_PATH");
	if (env != NULL) {
		g_auto(GStrv) parts = g_strsplit(env, ":", -1);
		for (guint i = 0; parts[i] != NULL; i++) {
			if (parts[i][0] != '\0')
				g_ptr_array_add(dirs, g_strdup(parts[i]));
		}
	}
	gchar *builtin = hull_plugin_builtin_dir();
	if (builtin != NULL)
		g_ptr_array_add(dirs, builtin);
	return dirs;
}

/* One component of hull_path_check_trusted(); @last: it is the path asked about itself. */
static gboolean
hull_path_component_trusted(const char *component, const char *path, gboolean last, GError **error)
{
	/* Names the offending component, and the path asked about when they differ. */
	g_autofree gchar *where = strcmp(component, path) == 0 ? g_strdup(path) : g_strdup_printf("%s: %s", path, component);
	struct stat st;
	if (lstat(component, &st) != 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", where, g_strerror(e));
		return FALSE;
	}
	if (S_ISLNK(st.st_mode)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "%s became a symbolic link while being checked: refusing to load code from it", where);
		return FALSE;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "%s is owned by uid %u, neither root nor the user running hullscan: refusing to load code from it",
		            where, (unsigned)st.st_uid);
		return FALSE;
	}
	gboolean sticky_ancestor = !last && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX);
	if ((st.st_mode & 022) != 0 && !sticky_ancestor) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "%s is writable by others (mode %04o): refusing to load code from it", where,
		            (unsigned)(st.st_mode & 07777));
		return FALSE;
	}
	return TRUE;
}

/* Code is loaded only from places nobody but the user running hullscan (or root) could
 * have filled: the same rule the scan cache applies to its directory, applied to every
 * component of the real path from / down to @path. Each must be owned by the effective
 * user or root and closed to writes by group and others, because whoever can write to an
 * ancestor can rename the subtree below it away and put their own in its place.
 *
 * One exception, for ancestors only: a sticky directory (/tmp) may be writable by others.
 * The sticky bit lets only an entry's owner (or root) rename or remove it, and the entry
 * below the sticky directory must itself be owned by the euid or root (the owner rule for
 * that next component), so nobody else can swap it. @path itself is never excused: a
 * sticky world-writable plugin directory still lets anyone add a module to it.
 *
 * Symlinks are resolved first, so a link into a writable place is judged by where it
 * leads; then each component is lstat()ed, and one that has become a link since is refused. */
static gboolean
hull_path_check_trusted(const char *path, GError **error)
{
	g_autofree gchar *real = realpath(path, NULL);
	if (real == NULL) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", path, g_strerror(e));
		return FALSE;
	}
	/* "/", then each ancestor (the real path cut at each later '/'), then the path itself. */
	if (!hull_path_component_trusted("/", path, real[1] == '\0', error))
		return FALSE;
	for (char *c = real + 1; *c != '\0'; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		gboolean ok = hull_path_component_trusted(real, path, FALSE, error);
		*c = '/';
		if (!ok)
			return FALSE;
	}
	return real[1] == '\0' || hull_path_component_trusted(real, path, TRUE, error);
}

/* Records @path as refused with the reason of @error. */
static void
hull_plugin_refuse(GPtrArray *refused, const char *name, const char *path, const GError *error)
{
	HullPlugin *p = hull_plugin_new(name, path);
	hull_plugin_fail(p, HULL_PLUGIN_STATUS_REFUSED, "%s", error->message);
	g_ptr_array_add(refused, p);
}

static gint
hull_strptr_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

static void hull_plugin_scan_dir_full(const char *dir, gboolean recurse, gboolean in_bundle, GPtrArray *files,
                                      GPtrArray *refused, GPtrArray *tempdirs);

/* A bundle in a plugin directory: verified under the environment's policy, unpacked into a
 * private directory, its modules listed; the directory is removed once they are loaded, or
 * at once when the bundle is refused. */
static void
hull_plugin_open_bundle(const char *fn, GPtrArray *files, GPtrArray *refused, GPtrArray *tempdirs)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmp = g_dir_make_tmp("hullscan-bundle-XXXXXX", &error);
	if (tmp == NULL) {
		g_autofree gchar *base = g_path_get_basename(fn);
		hull_plugin_refuse(refused, base, fn, error);
		return;
	}
	HullBundlePolicy policy;
	hull_bundle_policy_from_env(&policy);
	g_autofree gchar *dest = g_build_filename(tmp, "b", NULL);
	g_autoptr(HullBundleInfo) info = hull_bundle_extract(fn, &policy, dest, &error);
	hull_bundle_policy_clear(&policy);
	if (info == NULL) {
		hull_remove_tree(tmp);
		g_autofree gchar *base = g_path_get_basename(fn);
		hull_plugin_refuse(refused, base, fn, error);
		return;
	}
	g_ptr_array_add(tempdirs, g_strdup(tmp));
	g_autofree gchar *plugins = g_build_filename(dest, "plugins", NULL);
	hull_plugin_scan_dir_full(plugins, FALSE, TRUE, files, refused, tempdirs);
}

/* @in_bundle: @dir is an unpacked bundle's. Bundles found there are never opened, so one
 * bundle costs at most one temporary directory whatever it holds (verification already
 * refuses a bundle holding another; this keeps the loader bounded on its own). */
static void
hull_plugin_scan_dir_full(const char *dir, gboolean recurse, gboolean in_bundle, GPtrArray *files,
                          GPtrArray *refused, GPtrArray *tempdirs)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	if (d == NULL)
		return;
	g_autoptr(GError) error = NULL;
	if (!hull_path_check_trusted(dir, &error)) {
		hull_plugin_refuse(refused, dir, dir, error);
		return;
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_strdup(name));
	/* Directory order is the file system's: sort so "first one wins" is reproducible. */
	g_ptr_array_sort(names, hull_strptr_cmp);
	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		g_autofree gchar *fn = g_build_filename(dir, n, NULL);
		if (recurse && g_file_test(fn, G_FILE_TEST_IS_DIR) && !g_file_test(fn, G_FILE_TEST_IS_SYMLINK)) {
			hull_plugin_scan_dir_full(fn, FALSE, in_bundle, files, refused, tempdirs);
			continue;
		}
		gboolean is_bundle = g_str_has_suffix(n, ".hsb");
		if (!g_file_test(fn, G_FILE_TEST_IS_REGULAR) || !(is_bundle || g_str_has_suffix(n, ".so")))
			continue;
		g_autoptr(GError) ferror = NULL;
		if (is_bundle && in_bundle) {
			g_set_error(&ferror, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s: a bundle inside a bundle is not opened", n);
			hull_plugin_refuse(refused, n, fn, ferror);
		} else if (!hull_path_check_trusted(fn, &ferror)) {
			hull_plugin_refuse(refused, n, fn, ferror);
		} else if (is_bundle) {
			hull_plugin_open_bundle(fn, files, refused, tempdirs);
		} else {
			g_ptr_array_add(files, g_steal_pointer(&fn));
		}
	}
}

void
hull_plugin_scan_dir(const char *dir, gboolean recurse, GPtrArray *files, GPtrArray *refused, GPtrArray *tempdirs)
{
	hull_plugin_scan_dir_full(dir, recurse, FALSE, files, refused, tempdirs);
}

static gsize hull_ltdl_once = 0;

const HullPluginDescriptor *
hull_plugin_open_module(const char *path, lt_dlhandle *module, GError **error)
{
	if (g_once_init_enter(&hull_ltdl_once)) {
		lt_dlinit();
		g_once_init_leave(&hull_ltdl_once, 1);
	}
	lt_dladvise advise;
	lt_dladvise_init(&advise);
	lt_dladvise_local(&advise);
	lt_dlhandle h = lt_dlopenadvise(path, advise);
	lt_dladvise_destroy(&advise);
	if (h == NULL) {
		const char *e = lt_dlerror();
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot load %s: %s", path, e ? e : "unknown error");
		return NULL;
	}
	HullPluginGetDescriptorFunc get = (HullPluginGetDescriptorFunc)lt_dlsym(h, HULL_PLUGIN_ENTRY_POINT);
	if (get == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s does not export %s()", path,
		            HULL_PLUGIN_ENTRY_POINT);
		lt_dlclose(h);
		return NULL;
	}
	const HullPluginDescriptor *d = get();
	if (!hull_plugin_check_descriptor(d, error)) {
		g_prefix_error(error, "%s: ", path);
		lt_dlclose(h);
		return NULL;
	}
	*module = h;
	return d;
}

void
hull_remove_tree(const char *path)
{
	GStatBuf st;
	if (g_lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
		const char *name;
		while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			hull_remove_tree(child);
		}
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}
