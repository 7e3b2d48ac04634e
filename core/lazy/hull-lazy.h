/* hull-lazy.h: libraries the core needs on some paths only, opened when first used.
 *
 * libarchive (with libxml2, ICU and libstdc++ behind it), libcrypto, libyaml and libltdl are not
 * linked into the executable: the dynamic loader would map and relocate them in every process,
 * about half the start-up of a scan that the scan cache answers without reading a layer. Each is
 * opened with dlopen() by its soname (found at configure time) the first time one of its
 * functions is called; every function the core calls is defined by a shim of the same name and
 * type (the type is taken from the library's own header, so a mismatch does not compile) that
 * jumps through a table filled once, under a lock, with every symbol the core uses. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	const char *soname;        /* e.g. "libarchive.so.13" */
	const char *why;           /* "to read image archives": for the message when it cannot be */
	const char *const *names;  /* the symbols, in the order of @syms */
	gpointer *syms;
	guint n_syms;
	gint ready;                /* atomic: set once @syms is filled */
	gint failed;               /* atomic: hull_lazy_try() could not open it */
} HullLazyLib;

/* Opens @lib and resolves all its symbols, once per process. When the library or one of its
 * symbols is missing the process cannot go on: like the dynamic loader for a NEEDED library, it
 * says which and exits with 3 (internal failure), before any output. */
void hull_lazy_require(HullLazyLib *lib);

/* Opens @lib like hull_lazy_require(), but for a library that only speeds things up: FALSE (for
 * good: it is not tried again) where it or a symbol is missing. */
gboolean hull_lazy_try(HullLazyLib *lib);

/* Whether @lib has been opened by this process. */
gboolean hull_lazy_is_loaded(HullLazyLib *lib);

static inline gpointer
hull_lazy_sym(HullLazyLib *lib, guint index)
{
	if (G_UNLIKELY(!g_atomic_int_get(&lib->ready)))
		hull_lazy_require(lib);
	return lib->syms[index];
}

/* HULL_LAZY_LIBRARY(var, soname, why, LIST) defines the HullLazyLib @var and a shim for each
 * function in LIST, a macro taking three macros: F(ret, name, params, args) for a function that
 * returns a value, V(name, params, args) for one that does not, and N(name) for one whose shim is
 * written by hand (a variadic one) and only needs its table entry. The library's headers must be
 * included first: a shim has the type the header declares (`__typeof__(&name)`), and a shim whose
 * params disagree with that declaration does not compile. */
#define HULL_LAZY_ENUM_F(ret, name, params, args) HULL_LAZY_INDEX_##name,
#define HULL_LAZY_ENUM_V(name, params, args)      HULL_LAZY_INDEX_##name,
#define HULL_LAZY_NAME_F(ret, name, params, args) #name,
#define HULL_LAZY_NAME_V(name, params, args)      #name,
#define HULL_LAZY_ENUM_N(name)                    HULL_LAZY_INDEX_##name,
#define HULL_LAZY_NAME_N(name)                    #name,
#define HULL_LAZY_SHIM_N(name)
#define HULL_LAZY_SHIM_F(ret, name, params, args)                                                        \
	ret name params                                                                                  \
	{                                                                                                \
		return ((__typeof__(&name))hull_lazy_sym(&HULL_LAZY_SELF, HULL_LAZY_INDEX_##name)) args; \
	}
#define HULL_LAZY_SHIM_V(name, params, args)                                                             \
	void name params                                                                                 \
	{                                                                                                \
		((__typeof__(&name))hull_lazy_sym(&HULL_LAZY_SELF, HULL_LAZY_INDEX_##name)) args;        \
	}
/* HULL_LAZY_SELF must be #defined to @var before the expansion (the shims name it). */
#define HULL_LAZY_LIBRARY(var, soname, why, LIST)                                                        \
	enum { LIST(HULL_LAZY_ENUM_F, HULL_LAZY_ENUM_V, HULL_LAZY_ENUM_N) HULL_LAZY_N_SYMS };            \
	static const char *const hull_lazy_names[] = {                                                   \
	    LIST(HULL_LAZY_NAME_F, HULL_LAZY_NAME_V, HULL_LAZY_NAME_N)};                                 \
	static gpointer hull_lazy_syms[HULL_LAZY_N_SYMS];                                                \
	HullLazyLib var = {soname, why, hull_lazy_names, hull_lazy_syms, HULL_LAZY_N_SYMS, 0, 0};        \
	LIST(HULL_LAZY_SHIM_F, HULL_LAZY_SHIM_V, HULL_LAZY_SHIM_N)

/* The libraries, for tests. */
extern HullLazyLib hull_lazy_archive;
extern HullLazyLib hull_lazy_crypto;
extern HullLazyLib hull_lazy_yaml;
extern HullLazyLib hull_lazy_ltdl;
extern HullLazyLib hull_lazy_isal;

G_END_DECLS
