/* hull-version.h: the ABI version a plugin is built against and the export macro.
 *
 * ABI rules: the major changes only when an existing field or function changes meaning or
 * layout; the minor grows when a field is appended to a descriptor or a function is added.
 * The core loads a plugin whose major equals its own and whose minor is not newer. */
#pragma once

#define HULL_ABI_MAJOR 1
#define HULL_ABI_MINOR 1

#if defined(_WIN32)
#define HULL_EXPORT __declspec(dllexport)
#else
#define HULL_EXPORT __attribute__((visibility("default")))
#endif

/* Functions of libhullscan that plugins may call. */
#define HULL_API HULL_EXPORT
