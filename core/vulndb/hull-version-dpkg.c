/* hull-version-dpkg.c: Debian version ordering (Debian Policy 5.6.12), as dpkg
 * --compare-versions does it: numeric epoch, then upstream version, then Debian revision, the
 * latter two compared by alternating non-digit and digit runs. In non-digit runs '~' sorts
 * before anything (even the end of the string), then the end, then letters, then every other
 * character; digit runs compare as numbers of any length. */
#include <string.h>

#include "hull-version-compare.h"

/* Weight of one character inside a non-digit run; 0 is the end of the run. */
static int
hull_dpkg_weight(unsigned char c)
{
	if (c == '\0' || g_ascii_isdigit(c))
		return 0;
	if (c == '~')
		return -1;
	if (g_ascii_isalpha(c))
		return c;
	return c + 256;
}

/* Compares two upstream or revision parts given as [p, pend) and [q, qend). */
static int
hull_dpkg_part_cmp(const char *p, const char *pend, const char *q, const char *qend)
{
	while (p < pend || q < qend) {
		/* non-digit run */
		while ((p < pend && !g_ascii_isdigit(*p)) || (q < qend && !g_ascii_isdigit(*q))) {
			int wp = p < pend ? hull_dpkg_weight((unsigned char)*p) : 0;
			int wq = q < qend ? hull_dpkg_weight((unsigned char)*q) : 0;
			if (wp != wq)
				return wp < wq ? -1 : 1;
			/* equal non-zero weights: both sides have a character here */
			p++;
			q++;
		}
		/* digit run: skip leading zeros, then the longer run is larger, else the first
		 * differing digit decides */
		while (p < pend && *p == '0')
			p++;
		while (q < qend && *q == '0')
			q++;
		const char *ps = p, *qs = q;
		while (p < pend && g_ascii_isdigit(*p))
			p++;
		while (q < qend && g_ascii_isdigit(*q))
			q++;
		gsize lp = (gsize)(p - ps), lq = (gsize)(q - qs);
		if (lp != lq)
			return lp < lq ? -1 : 1;
		int r = memcmp(ps, qs, lp);
		if (r != 0)
			return r < 0 ? -1 : 1;
	}
	return 0;
}

typedef struct {
	const char *epoch, *epoch_end;
	const char *upstream, *upstream_end;
	const char *revision, *revision_end;
} HullDpkgParts;

static void
hull_dpkg_split(const char *v, HullDpkgParts *out)
{
	const char *end = v + strlen(v);
	const char *colon = strchr(v, ':');
	if (colon != NULL) {
		out->epoch = v;
		out->epoch_end = colon;
		v = colon + 1;
	} else {
		out->epoch = out->epoch_end = v;
	}
	const char *dash = strrchr(v, '-');
	out->upstream = v;
	if (dash != NULL) {
		out->upstream_end = dash;
		out->revision = dash + 1;
	} else {
		out->upstream_end = end;
		out->revision = end;
	}
	out->revision_end = end;
}

/* Epochs are numbers; compared as digit strings so a huge epoch cannot overflow. */
static int
hull_dpkg_epoch_cmp(const HullDpkgParts *a, const HullDpkgParts *b)
{
	return hull_dpkg_part_cmp(a->epoch, a->epoch_end, b->epoch, b->epoch_end);
}

int
hull_version_compare_dpkg(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b ? 0 : (a == NULL ? -1 : 1);
	HullDpkgParts pa, pb;
	hull_dpkg_split(a, &pa);
	hull_dpkg_split(b, &pb);
	int r = hull_dpkg_epoch_cmp(&pa, &pb);
	if (r != 0)
		return r;
	r = hull_dpkg_part_cmp(pa.upstream, pa.upstream_end, pb.upstream, pb.upstream_end);
	if (r != 0)
		return r;
	return hull_dpkg_part_cmp(pa.revision, pa.revision_end, pb.revision, pb.revision_end);
}
