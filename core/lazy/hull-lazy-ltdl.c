/* hull-lazy-ltdl.c: libltdl, opened when the first plugin module is loaded (a scan the cache
 * answers loads none). */
#include <ltdl.h>
#include "hull-lazy.h"

#define HULL_LAZY_SELF hull_lazy_ltdl
#define HULL_LAZY_LTDL_LIST(F, V, N)                                                                     \
	F(int, lt_dlinit, (void), ())                                                                   \
	F(const char *, lt_dlerror, (void), ())                                                         \
	F(int, lt_dladvise_init, (lt_dladvise *a), (a))                                                 \
	F(int, lt_dladvise_local, (lt_dladvise *a), (a))                                                \
	F(int, lt_dladvise_destroy, (lt_dladvise *a), (a))                                              \
	F(lt_dlhandle, lt_dlopenadvise, (const char *f, lt_dladvise a), (f, a))                         \
	F(void *, lt_dlsym, (lt_dlhandle h, const char *n), (h, n))                                     \
	F(int, lt_dlclose, (lt_dlhandle h), (h))

HULL_LAZY_LIBRARY(hull_lazy_ltdl, HULL_SONAME_LTDL, "to load plugin modules", HULL_LAZY_LTDL_LIST)
