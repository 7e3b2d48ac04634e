/* hull-lazy-isal.c: ISA-L's igzip, opened when the first gzip layer is inflated. It only makes
 * inflating faster: where it cannot be opened, hull_lazy_try() says so and zlib is used. */
#include <isa-l/igzip_lib.h>
#include "hull-lazy.h"

#define HULL_LAZY_SELF hull_lazy_isal
#define HULL_LAZY_ISAL_LIST(F, V, N)                                                                     \
	V(isal_inflate_init, (struct inflate_state *s), (s))                                            \
	V(isal_inflate_reset, (struct inflate_state *s), (s))                                           \
	F(int, isal_inflate, (struct inflate_state *s), (s))

HULL_LAZY_LIBRARY(hull_lazy_isal, HULL_SONAME_ISAL, "to inflate gzip layers", HULL_LAZY_ISAL_LIST)
