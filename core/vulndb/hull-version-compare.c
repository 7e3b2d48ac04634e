/* hull-version-compare.c: picks the comparator for an ecosystem, and a lenient SemVer 2.0.0
 * precedence for OSV SEMVER ranges (npm, crates.io, Go ... advisories may sit in the same
 * database even though the os-packages plugin only asks about distro ecosystems). */
#include <string.h>

#include "hull-version-compare.h"

/* Compares two digit runs of any length by value. */
static int
hull_digits_cmp(const char *p, gsize lp, const char *q, gsize lq)
{
	while (lp > 0 && *p == '0')
		p++, lp--;
	while (lq > 0 && *q == '0')
		q++, lq--;
	if (lp != lq)
		return lp < lq ? -1 : 1;
	int r = memcmp(p, q, lp);
	return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

static gboolean
hull_all_digits(const char *p, gsize len)
{
	if (len == 0)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit(p[i]))
			return FALSE;
	}
	return TRUE;
}

/* Length of the major.minor.patch core, the start of the pre-release (or NULL) and its end
 * (where build metadata starts). */
static void
hull_semver_split(const char *v, const char **core_end, const char **pre, const char **pre_end)
{
	const char *plus = strchr(v, '+');
	const char *end = plus != NULL ? plus : v + strlen(v);
	const char *dash = memchr(v, '-', (gsize)(end - v));
	*core_end = dash != NULL ? dash : end;
	*pre = dash != NULL ? dash + 1 : NULL;
	*pre_end = end;
}

int
hull_version_compare_semver(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b ? 0 : (a == NULL ? -1 : 1);
	if (*a == 'v' || *a == 'V')
		a++;
	if (*b == 'v' || *b == 'V')
		b++;
	const char *ae, *ap, *ape, *be, *bp, *bpe;
	hull_semver_split(a, &ae, &ap, &ape);
	hull_semver_split(b, &be, &bp, &bpe);

	/* core: dot-separated numbers, a missing component is 0 */
	const char *p = a, *q = b;
	while (p < ae || q < be) {
		const char *ps = p, *qs = q;
		while (p < ae && *p != '.')
			p++;
		while (q < be && *q != '.')
			q++;
		int r;
		gsize lp = (gsize)(p - ps), lq = (gsize)(q - qs);
		if ((lp == 0 || hull_all_digits(ps, lp)) && (lq == 0 || hull_all_digits(qs, lq))) {
			r = hull_digits_cmp(ps, lp, qs, lq);
		} else {
			r = memcmp(ps, qs, MIN(lp, lq));
			if (r == 0 && lp != lq)
				r = lp < lq ? -1 : 1;
		}
		if (r != 0)
			return r < 0 ? -1 : 1;
		if (p < ae)
			p++;
		if (q < be)
			q++;
	}
	/* a pre-release is older than the release */
	if (ap == NULL || bp == NULL)
		return ap == bp ? 0 : (ap == NULL ? 1 : -1);
	p = ap;
	q = bp;
	for (;;) {
		if (p >= ape || q >= bpe)
			return (p >= ape && q >= bpe) ? 0 : (p >= ape ? -1 : 1);
		const char *ps = p, *qs = q;
		while (p < ape && *p != '.')
			p++;
		while (q < bpe && *q != '.')
			q++;
		gsize lp = (gsize)(p - ps), lq = (gsize)(q - qs);
		gboolean np = hull_all_digits(ps, lp), nq = hull_all_digits(qs, lq);
		int r;
		if (np && nq)
			r = hull_digits_cmp(ps, lp, qs, lq);
		else if (np != nq)
			r = np ? -1 : 1; /* numeric identifiers sort before alphanumeric ones */
		else {
			r = memcmp(ps, qs, MIN(lp, lq));
			if (r == 0 && lp != lq)
				r = lp < lq ? -1 : 1;
		}
		if (r != 0)
			return r < 0 ? -1 : 1;
		if (p < ape)
			p++;
		if (q < bpe)
			q++;
		if (p >= ape && q >= bpe)
			return 0;
	}
}

int
hull_version_compare(HullVersionScheme scheme, const char *a, const char *b)
{
	switch (scheme) {
	case HULL_VERSION_SCHEME_DPKG:
		return hull_version_compare_dpkg(a, b);
	case HULL_VERSION_SCHEME_RPM:
		return hull_version_compare_rpm(a, b);
	case HULL_VERSION_SCHEME_APK:
		return hull_version_compare_apk(a, b);
	case HULL_VERSION_SCHEME_SEMVER:
		return hull_version_compare_semver(a, b);
	case HULL_VERSION_SCHEME_UNKNOWN:
	default:
		break;
	}
	if (a == NULL || b == NULL)
		return a == b ? 0 : (a == NULL ? -1 : 1);
	int r = strcmp(a, b);
	return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

HullVersionScheme
hull_version_scheme_for_ecosystem(const char *ecosystem)
{
	static const struct {
		const char *prefix;
		HullVersionScheme scheme;
	} table[] = {
		{"Debian", HULL_VERSION_SCHEME_DPKG},
		{"Ubuntu", HULL_VERSION_SCHEME_DPKG},
		{"Alpine", HULL_VERSION_SCHEME_APK},
		{"Wolfi", HULL_VERSION_SCHEME_APK},
		{"Chainguard", HULL_VERSION_SCHEME_APK},
		{"Red Hat", HULL_VERSION_SCHEME_RPM},
		{"Rocky Linux", HULL_VERSION_SCHEME_RPM},
		{"AlmaLinux", HULL_VERSION_SCHEME_RPM},
		{"openSUSE", HULL_VERSION_SCHEME_RPM},
		{"SUSE", HULL_VERSION_SCHEME_RPM},
		{"Mageia", HULL_VERSION_SCHEME_RPM},
		{"Photon OS", HULL_VERSION_SCHEME_RPM},
		{"Azure Linux", HULL_VERSION_SCHEME_RPM},
		{"CBL-Mariner", HULL_VERSION_SCHEME_RPM},
		{"Oracle Linux", HULL_VERSION_SCHEME_RPM},
		{"Amazon Linux", HULL_VERSION_SCHEME_RPM},
		{"Fedora", HULL_VERSION_SCHEME_RPM},
		{"CentOS", HULL_VERSION_SCHEME_RPM},
		{"openEuler", HULL_VERSION_SCHEME_RPM},
		{"npm", HULL_VERSION_SCHEME_SEMVER},
		{"crates.io", HULL_VERSION_SCHEME_SEMVER},
		{"Go", HULL_VERSION_SCHEME_SEMVER},
		{"Hex", HULL_VERSION_SCHEME_SEMVER},
		{"Pub", HULL_VERSION_SCHEME_SEMVER},
		{"NuGet", HULL_VERSION_SCHEME_SEMVER},
	};
	if (ecosystem == NULL)
		return HULL_VERSION_SCHEME_UNKNOWN;
	for (gsize i = 0; i < G_N_ELEMENTS(table); i++) {
		gsize n = strlen(table[i].prefix);
		if (strncmp(ecosystem, table[i].prefix, n) == 0 &&
		    (ecosystem[n] == '\0' || ecosystem[n] == ':'))
			return table[i].scheme;
	}
	return HULL_VERSION_SCHEME_UNKNOWN;
}

const char *
hull_version_scheme_to_string(HullVersionScheme scheme)
{
	switch (scheme) {
	case HULL_VERSION_SCHEME_DPKG:
		return "dpkg";
	case HULL_VERSION_SCHEME_RPM:
		return "rpm";
	case HULL_VERSION_SCHEME_APK:
		return "apk";
	case HULL_VERSION_SCHEME_SEMVER:
		return "semver";
	case HULL_VERSION_SCHEME_UNKNOWN:
	default:
		return "unknown";
	}
}
