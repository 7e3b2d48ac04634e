/* hull-ospkg-purl.c: package URLs per the purl specification
 * (github.com/package-url/purl-spec, PURL-TYPES.rst for deb, apk and rpm): type, namespace
 * (the distribution), name, version (for rpm without the epoch, which goes in a qualifier),
 * then qualifiers sorted by key. */
#include <string.h>
#include "hull-ospkg.h"

static void
hull_purl_append(GString *s, const char *text)
{
	/* Percent-encode everything but unreserved characters and ':' (purl's version rules). */
	g_autofree gchar *e = g_uri_escape_string(text, ":", FALSE);
	g_string_append(s, e);
}

gchar *
hull_ospkg_purl(const HullOsPkg *pkg, const HullOsInfo *os)
{
	const char *ns = os != NULL ? os->purl_namespace : NULL;
	if (ns == NULL && g_strcmp0(pkg->type, "deb") == 0)
		ns = "debian";
	if (ns == NULL && g_strcmp0(pkg->type, "apk") == 0)
		ns = "alpine";
	GString *s = g_string_new("pkg:");
	g_string_append(s, pkg->type);
	g_string_append_c(s, '/');
	if (ns != NULL) {
		hull_purl_append(s, ns);
		g_string_append_c(s, '/');
	}
	hull_purl_append(s, pkg->name);
	g_string_append_c(s, '@');
	if (g_strcmp0(pkg->type, "rpm") == 0 && pkg->rpm_version != NULL) {
		hull_purl_append(s, pkg->rpm_version);
		if (pkg->rpm_release != NULL) {
			g_string_append_c(s, '-');
			hull_purl_append(s, pkg->rpm_release);
		}
	} else {
		hull_purl_append(s, pkg->version);
	}
	char sep = '?';
	if (pkg->arch != NULL) {
		g_string_append_printf(s, "%carch=", sep);
		hull_purl_append(s, pkg->arch);
		sep = '&';
	}
	if (os != NULL && os->distro != NULL) {
		g_string_append_printf(s, "%cdistro=", sep);
		hull_purl_append(s, os->distro);
		sep = '&';
	}
	if (g_strcmp0(pkg->type, "rpm") == 0 && pkg->epoch > 0) {
		g_string_append_printf(s, "%cepoch=%" G_GINT64_FORMAT, sep, pkg->epoch);
		sep = '&';
	}
	if (pkg->source != NULL && g_strcmp0(pkg->source, pkg->name) != 0) {
		g_string_append_printf(s, "%cupstream=", sep);
		hull_purl_append(s, pkg->source);
	}
	return g_string_free(s, FALSE);
}
