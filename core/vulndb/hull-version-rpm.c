/* hull-version-rpm.c: RPM version ordering: [epoch:]version[-release], each of version and
 * release compared with the rpmvercmp rules. Segments are maximal runs of ASCII digits or of
 * ASCII letters; everything else separates them (so "1.0" equals "1_0"). A numeric segment is
 * newer than an alpha one; numbers compare by value; '~' sorts before everything including
 * the end (pre-releases); '^' sorts after the end but before any further segment
 * (post-release snapshots). An epoch is the digits before the first ':'; text before a ':'
 * that is not all digits is not an epoch and stays part of the version. */
#include <string.h>

#include "hull-version-compare.h"

static gboolean
hull_rpm_is_alnum(char c)
{
	return g_ascii_isalnum(c);
}

/* rpmvercmp over [p, pend) and [q, qend). */
static int
hull_rpm_segments_cmp(const char *p, const char *pend, const char *q, const char *qend)
{
	if (pend - p == qend - q && memcmp(p, q, (gsize)(pend - p)) == 0)
		return 0;
	for (;;) {
		while (p < pend && !hull_rpm_is_alnum(*p) && *p != '~' && *p != '^')
			p++;
		while (q < qend && !hull_rpm_is_alnum(*q) && *q != '~' && *q != '^')
			q++;
		gboolean pe = p >= pend, qe = q >= qend;

		/* tilde: sorts before anything, even the end */
		gboolean pt = !pe && *p == '~', qt = !qe && *q == '~';
		if (pt || qt) {
			if (!pt)
				return 1;
			if (!qt)
				return -1;
			p++;
			q++;
			continue;
		}
		/* caret: after the end, before any other segment */
		gboolean pc = !pe && *p == '^', qc = !qe && *q == '^';
		if (pc || qc) {
			if (pe)
				return -1;
			if (qe)
				return 1;
			if (!pc)
				return 1;
			if (!qc)
				return -1;
			p++;
			q++;
			continue;
		}
		if (pe || qe)
			break;

		const char *ps = p, *qs = q;
		gboolean numeric = g_ascii_isdigit(*p);
		if (numeric) {
			while (p < pend && g_ascii_isdigit(*p))
				p++;
			while (q < qend && g_ascii_isdigit(*q))
				q++;
		} else {
			while (p < pend && g_ascii_isalpha(*p))
				p++;
			while (q < qend && g_ascii_isalpha(*q))
				q++;
		}
		/* q had a segment of the other kind: numeric beats alpha */
		if (q == qs)
			return numeric ? 1 : -1;
		if (numeric) {
			while (ps < p && *ps == '0')
				ps++;
			while (qs < q && *qs == '0')
				qs++;
			if (p - ps != q - qs)
				return (p - ps) < (q - qs) ? -1 : 1;
		}
		gsize lp = (gsize)(p - ps), lq = (gsize)(q - qs);
		int r = memcmp(ps, qs, MIN(lp, lq));
		if (r != 0)
			return r < 0 ? -1 : 1;
		if (lp != lq)
			return lp < lq ? -1 : 1;
	}
	if (p >= pend && q >= qend)
		return 0;
	return p < pend ? 1 : -1;
}

typedef struct {
	const char *epoch, *epoch_end; /* empty: 0 */
	const char *version, *version_end;
	const char *release, *release_end; /* release == NULL: none */
} HullRpmEvr;

static void
hull_rpm_split(const char *v, HullRpmEvr *out)
{
	const char *end = v + strlen(v);
	const char *colon = strchr(v, ':');
	out->epoch = out->epoch_end = v;
	if (colon != NULL && colon > v) {
		gboolean digits = TRUE;
		for (const char *c = v; c < colon; c++)
			digits = digits && g_ascii_isdigit(*c);
		if (digits) {
			out->epoch_end = colon;
			v = colon + 1;
		}
	}
	out->version = v;
	const char *dash = strrchr(v, '-');
	if (dash != NULL) {
		out->version_end = dash;
		out->release = dash + 1;
		out->release_end = end;
	} else {
		out->version_end = end;
		out->release = out->release_end = NULL;
	}
}

static int
hull_rpm_epoch_cmp(const HullRpmEvr *a, const HullRpmEvr *b)
{
	const char *p = a->epoch, *q = b->epoch;
	while (p < a->epoch_end && *p == '0')
		p++;
	while (q < b->epoch_end && *q == '0')
		q++;
	gsize lp = (gsize)(a->epoch_end - p), lq = (gsize)(b->epoch_end - q);
	if (lp != lq)
		return lp < lq ? -1 : 1;
	int r = memcmp(p, q, lp);
	return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

int
hull_version_compare_rpm(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b ? 0 : (a == NULL ? -1 : 1);
	HullRpmEvr ea, eb;
	hull_rpm_split(a, &ea);
	hull_rpm_split(b, &eb);
	int r = hull_rpm_epoch_cmp(&ea, &eb);
	if (r != 0)
		return r;
	r = hull_rpm_segments_cmp(ea.version, ea.version_end, eb.version, eb.version_end);
	if (r != 0)
		return r;
	/* a version with a release is newer than the same version without one */
	if (ea.release == NULL || eb.release == NULL)
		return ea.release == eb.release ? 0 : (ea.release == NULL ? -1 : 1);
	return hull_rpm_segments_cmp(ea.release, ea.release_end, eb.release, eb.release_end);
}
