/* hull-version-compare.h: exact version ordering for the package managers whose advisories we
 * match: dpkg (Debian, Ubuntu), rpm (RHEL and its rebuilds, SUSE, Mariner), apk (Alpine,
 * Wolfi) and a lenient SemVer for OSV SEMVER ranges. Each comparator lives in its own file and
 * mirrors the ordering of the real tool (checked against answers from real dpkg and apk runs).
 * All comparators are total on any byte string (NULL sorts first), never allocate more than
 * the input and never fail: malformed versions get the same fallback ordering the real tools
 * give them. Results are normalised to -1, 0 or 1. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	HULL_VERSION_SCHEME_UNKNOWN = 0, /* plain byte order, as a last resort */
	HULL_VERSION_SCHEME_DPKG,
	HULL_VERSION_SCHEME_RPM,
	HULL_VERSION_SCHEME_APK,
	HULL_VERSION_SCHEME_SEMVER,
} HullVersionScheme;

/* Debian policy 5.6.12: [epoch:]upstream[-revision]; '~' sorts before everything, letters
 * before non-letters, digit runs numerically. */
int hull_version_compare_dpkg(const char *a, const char *b);
/* rpmvercmp over [epoch:]version[-release]: alnum segments, '~' pre-release, '^' post-release,
 * numeric segments newer than alpha ones. A missing epoch is 0; text before ':' that is not
 * all digits is not an epoch; a version without a release sorts before the same version
 * with one. */
int hull_version_compare_rpm(const char *a, const char *b);
/* apk-tools ordering: digits{.digits}[letter]{_suffix[N]}[~hash][-rN]. Versions that do not
 * parse compare as apk does: the valid prefix decides, then the invalid one sorts lower. */
int hull_version_compare_apk(const char *a, const char *b);
/* SemVer 2.0.0 precedence with a leading 'v' and missing minor/patch tolerated; build
 * metadata ignored. Non-SemVer text falls back to a digit-aware comparison. */
int hull_version_compare_semver(const char *a, const char *b);

int hull_version_compare(HullVersionScheme scheme, const char *a, const char *b);

/* The scheme for an OSV ecosystem string ("Debian:12" -> DPKG, "Alpine:v3.19" -> APK,
 * "Rocky Linux:9" -> RPM, "npm" -> SEMVER ...); UNKNOWN when we do not know it. */
HullVersionScheme hull_version_scheme_for_ecosystem(const char *ecosystem);
/* "dpkg", "rpm", "apk", "semver", "unknown" (transfer none) */
const char *hull_version_scheme_to_string(HullVersionScheme scheme);

G_END_DECLS
