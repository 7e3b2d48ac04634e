/* hull-cvss.c: CVSS base scores computed from vectors (CVSS v3.0/v3.1 specification section
 * 7.1 and appendix A "Roundup"; CVSS v2 guide section 3.2.1), so an advisory that carries only
 * a vector still gets a severity. Unknown or incomplete vectors score -1. */
#include <math.h>
#include <string.h>

#include "hull-vuln-record.h"

/* Value of metric @name in a "/"-separated vector, as one character, or 0. */
static char
hull_cvss_metric(const char *vector, const char *name)
{
	gsize n = strlen(name);
	for (const char *p = vector; p != NULL && *p != '\0';) {
		if (strncmp(p, name, n) == 0 && p[n] == ':' && p[n + 1] != '\0' &&
		    (p[n + 2] == '/' || p[n + 2] == '\0'))
			return p[n + 1];
		p = strchr(p, '/');
		if (p != NULL)
			p++;
	}
	return 0;
}

static gdouble
hull_cvss3_roundup(gdouble x)
{
	gint64 i = (gint64)llround(x * 100000.0);
	if (i % 10000 == 0)
		return (gdouble)i / 100000.0;
	return (gdouble)(i / 10000 + 1) / 10.0;
}

static gdouble
hull_cvss_cia(char v, gdouble high, gdouble low, gboolean *ok)
{
	switch (v) {
	case 'H':
	case 'C':
		return high;
	case 'L':
	case 'P':
		return low;
	case 'N':
		return 0.0;
	default:
		*ok = FALSE;
		return 0.0;
	}
}

static gdouble
hull_cvss3_score(const char *v)
{
	gboolean ok = TRUE;
	char av = hull_cvss_metric(v, "AV"), ac = hull_cvss_metric(v, "AC");
	char pr = hull_cvss_metric(v, "PR"), ui = hull_cvss_metric(v, "UI");
	char s = hull_cvss_metric(v, "S");
	gdouble c = hull_cvss_cia(hull_cvss_metric(v, "C"), 0.56, 0.22, &ok);
	gdouble i = hull_cvss_cia(hull_cvss_metric(v, "I"), 0.56, 0.22, &ok);
	gdouble a = hull_cvss_cia(hull_cvss_metric(v, "A"), 0.56, 0.22, &ok);
	gboolean changed = s == 'C';
	if (!ok || (s != 'U' && s != 'C'))
		return -1;
	gdouble wav = av == 'N' ? 0.85 : av == 'A' ? 0.62 : av == 'L' ? 0.55 : av == 'P' ? 0.2 : -1;
	gdouble wac = ac == 'L' ? 0.77 : ac == 'H' ? 0.44 : -1;
	gdouble wpr = pr == 'N' ? 0.85 : pr == 'L' ? (changed ? 0.68 : 0.62)
			: pr == 'H' ? (changed ? 0.5 : 0.27) : -1;
	gdouble wui = ui == 'N' ? 0.85 : ui == 'R' ? 0.62 : -1;
	if (wav < 0 || wac < 0 || wpr < 0 || wui < 0)
		return -1;
	gdouble iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
	gdouble impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	gdouble expl = 8.22 * wav * wac * wpr * wui;
	if (impact <= 0)
		return 0.0;
	if (changed)
		return hull_cvss3_roundup(MIN(1.08 * (impact + expl), 10.0));
	return hull_cvss3_roundup(MIN(impact + expl, 10.0));
}

static gdouble
hull_cvss2_score(const char *v)
{
	gboolean ok = TRUE;
	char av = hull_cvss_metric(v, "AV"), ac = hull_cvss_metric(v, "AC");
	char au = hull_cvss_metric(v, "Au");
	gdouble c = hull_cvss_cia(hull_cvss_metric(v, "C"), 0.660, 0.275, &ok);
	gdouble i = hull_cvss_cia(hull_cvss_metric(v, "I"), 0.660, 0.275, &ok);
	gdouble a = hull_cvss_cia(hull_cvss_metric(v, "A"), 0.660, 0.275, &ok);
	gdouble wav = av == 'L' ? 0.395 : av == 'A' ? 0.646 : av == 'N' ? 1.0 : -1;
	gdouble wac = ac == 'H' ? 0.35 : ac == 'M' ? 0.61 : ac == 'L' ? 0.71 : -1;
	gdouble wau = au == 'M' ? 0.45 : au == 'S' ? 0.56 : au == 'N' ? 0.704 : -1;
	if (!ok || wav < 0 || wac < 0 || wau < 0)
		return -1;
	gdouble impact = 10.41 * (1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a));
	gdouble expl = 20.0 * wav * wac * wau;
	gdouble f = impact == 0 ? 0 : 1.176;
	gdouble base = ((0.6 * impact) + (0.4 * expl) - 1.5) * f;
	return round(base * 10.0) / 10.0;
}

gdouble
hull_cvss_base_score(const char *vector)
{
	if (vector == NULL)
		return -1;
	if (g_str_has_prefix(vector, "CVSS:3."))
		return hull_cvss3_score(vector);
	if (g_str_has_prefix(vector, "CVSS:"))
		return -1; /* v4 and later: not scored */
	if (strstr(vector, "Au:") != NULL)
		return hull_cvss2_score(vector);
	return -1;
}

HullSeverity
hull_cvss_severity(gdouble score, gboolean v2)
{
	if (score < 0)
		return HULL_SEVERITY_UNKNOWN;
	if (score >= 9.0 && !v2)
		return HULL_SEVERITY_CRITICAL;
	if (score >= 7.0)
		return HULL_SEVERITY_HIGH;
	if (score >= 4.0)
		return HULL_SEVERITY_MEDIUM;
	return HULL_SEVERITY_LOW;
}

gboolean
hull_vuln_severity_from_rating(const char *rating, HullSeverity *out)
{
	static const struct {
		const char *name;
		HullSeverity severity;
	} table[] = {
		{"critical", HULL_SEVERITY_CRITICAL}, {"high", HULL_SEVERITY_HIGH},
		{"important", HULL_SEVERITY_HIGH},    {"moderate", HULL_SEVERITY_MEDIUM},
		{"medium", HULL_SEVERITY_MEDIUM},     {"low", HULL_SEVERITY_LOW},
		{"negligible", HULL_SEVERITY_LOW},    {"unimportant", HULL_SEVERITY_LOW},
	};
	if (rating == NULL)
		return FALSE;
	gsize n = strlen(rating);
	while (n > 0 && (rating[n - 1] == '*' || rating[n - 1] == ' '))
		n--; /* the tracker marks guessed urgencies with trailing stars */
	for (gsize i = 0; i < G_N_ELEMENTS(table); i++) {
		if (strlen(table[i].name) == n && g_ascii_strncasecmp(table[i].name, rating, n) == 0) {
			*out = table[i].severity;
			return TRUE;
		}
	}
	return FALSE;
}
