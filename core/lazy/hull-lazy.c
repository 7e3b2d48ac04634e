/* hull-lazy.c: opens a library listed in hull-lazy.h and resolves its symbols, once. */
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>
#include "hull-lazy.h"

static GMutex hull_lazy_lock;

/* Under the lock: opens @lib and fills its table. NULL on success, else what went wrong
 * (transfer full). */
static gchar *
hull_lazy_open(HullLazyLib *lib)
{
	/* RTLD_LOCAL: nothing else in the process should bind to it by accident; every symbol the
	 * core calls is looked up in this handle. */
	void *handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		const char *err = dlerror();
		return g_strdup(err != NULL ? err : "not found");
	}
	for (guint i = 0; i < lib->n_syms; i++) {
		lib->syms[i] = dlsym(handle, lib->names[i]);
		if (lib->syms[i] == NULL) {
			dlclose(handle);
			return g_strdup_printf("no symbol %s", lib->names[i]);
		}
	}
	g_atomic_int_set(&lib->ready, 1);
	return NULL;
}

void
hull_lazy_require(HullLazyLib *lib)
{
	g_mutex_lock(&hull_lazy_lock);
	g_autofree gchar *err = g_atomic_int_get(&lib->ready) ? NULL : hull_lazy_open(lib);
	g_mutex_unlock(&hull_lazy_lock);
	if (err != NULL) {
		/* The same failure the dynamic loader would have reported at start for a NEEDED
		 * library; there is no caller that could do better than stop. */
		fprintf(stderr, "hullscan: cannot load %s, needed %s: %s\n", lib->soname, lib->why, err);
		fflush(NULL);
		_exit(3);
	}
}

gboolean
hull_lazy_try(HullLazyLib *lib)
{
	/* failed first: a test sets it to take the path of a machine without the library */
	if (g_atomic_int_get(&lib->failed))
		return FALSE;
	if (g_atomic_int_get(&lib->ready))
		return TRUE;
	g_mutex_lock(&hull_lazy_lock);
	if (!g_atomic_int_get(&lib->ready) && !g_atomic_int_get(&lib->failed)) {
		g_autofree gchar *err = hull_lazy_open(lib);
		if (err != NULL) {
			g_debug("%s cannot be loaded (%s): doing without it", lib->soname, err);
			g_atomic_int_set(&lib->failed, 1);
		}
	}
	g_mutex_unlock(&hull_lazy_lock);
	return g_atomic_int_get(&lib->ready) != 0;
}

gboolean
hull_lazy_is_loaded(HullLazyLib *lib)
{
	g_return_val_if_fail(lib != NULL, FALSE);
	return g_atomic_int_get(&lib->ready) != 0;
}
