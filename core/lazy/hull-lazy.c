/* hull-lazy.c: opens a library listed in hull-lazy.h and resolves its symbols, once. */
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>
#include "hull-lazy.h"

static GMutex hull_lazy_lock;

void
hull_lazy_require(HullLazyLib *lib)
{
	g_mutex_lock(&hull_lazy_lock);
	if (!g_atomic_int_get(&lib->ready)) {
		/* RTLD_LOCAL: nothing else in the process should bind to it by accident; every symbol
		 * the core calls is looked up in this handle. */
		void *handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
		const char *missing = NULL;
		for (guint i = 0; handle != NULL && i < lib->n_syms && missing == NULL; i++) {
			lib->syms[i] = dlsym(handle, lib->names[i]);
			if (lib->syms[i] == NULL)
				missing = lib->names[i];
		}
		if (handle == NULL || missing != NULL) {
			/* The same failure the dynamic loader would have reported at start for a NEEDED
			 * library; there is no caller that could do better than stop. */
			const char *err = dlerror();
			fprintf(stderr, "hullscan: cannot load %s, needed %s: %s\n", lib->soname, lib->why,
			        err != NULL ? err : (missing != NULL ? missing : "unknown error"));
			fflush(NULL);
			_exit(3);
		}
		g_atomic_int_set(&lib->ready, 1);
	}
	g_mutex_unlock(&hull_lazy_lock);
}

gboolean
hull_lazy_is_loaded(HullLazyLib *lib)
{
	g_return_val_if_fail(lib != NULL, FALSE);
	return g_atomic_int_get(&lib->ready) != 0;
}
