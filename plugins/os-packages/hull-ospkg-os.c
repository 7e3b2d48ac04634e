/* hull-ospkg-os.c: works out which distribution and release a root holds, from os-release(5)
 * first (the most precise), then the distribution files older or stripped images keep
 * (/etc/oracle-release, /etc/redhat-release, /etc/alpine-release, /etc/debian_version). It also
 * names the OSV ecosystem advisories for that release are filed under (ossf.github.io/osv-schema
 * "Defined ecosystems"): "Debian:12", "Alpine:v3.19", "Ubuntu:22.04:LTS", "Rocky Linux:9",
 * "AlmaLinux:9", "Red Hat:enterprise_linux:9". Alpine edge (a VERSION_ID like 3.19_alpha…)
 * reports version "edge" and matches against the release it will become. */
#include <string.h>
#include "hull-ospkg.h"

void
hull_os_info_free(HullOsInfo *info)
{
	if (info == NULL)
		return;
	g_free(info->id);
	g_free(info->version_id);
	g_free(info->pretty_name);
	g_free(info->ecosystem);
	g_free(info->purl_namespace);
	g_free(info->distro);
	g_free(info->codename);
	g_free(info);
}

gchar *
hull_os_release_get(const char *text, gsize len, const char *key)
{
	gsize klen = strlen(key);
	const char *p = text, *end = text + len;
	gchar *found = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *eol = nl != NULL ? nl : end;
		const char *l = p;
		p = nl != NULL ? nl + 1 : end;
		while (l < eol && (*l == ' ' || *l == '\t'))
			l++;
		if ((gsize)(eol - l) <= klen || memcmp(l, key, klen) != 0 || l[klen] != '=')
			continue;
		const char *v = l + klen + 1;
		const char *ve = eol;
		while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (ve - v >= 2 && (*v == '"' || *v == '\'') && ve[-1] == *v) {
			v++;
			ve--;
		}
		/* The last assignment wins, as when the file is sourced by a shell. */
		g_free(found);
		GString *s = g_string_new(NULL);
		for (const char *c = v; c < ve; c++) {
			if (*c == '\\' && c + 1 < ve)
				c++;
			g_string_append_c(s, *c);
		}
		found = hull_ospkg_dup_field(s->str, s->len);
		g_string_free(s, TRUE);
	}
	return found;
}

/* "7.9.2009" → "7"; NULL when it does not start with a digit. */
static gchar *
hull_os_major(const char *version)
{
	if (version == NULL || !g_ascii_isdigit(version[0]))
		return NULL;
	gsize n = strspn(version, "0123456789");
	return g_strndup(version, n);
}

/* "3.18.4" → "3.18". */
static gchar *
hull_os_major_minor(const char *version)
{
	if (version == NULL || !g_ascii_isdigit(version[0]))
		return NULL;
	gsize n = strspn(version, "0123456789");
	if (version[n] == '.' && g_ascii_isdigit(version[n + 1]))
		n += 1 + strspn(version + n + 1, "0123456789");
	return g_strndup(version, n);
}

static gchar *
hull_os_bytes_line(GBytes *b)
{
	if (b == NULL)
		return NULL;
	gsize len = 0;
	const char *p = g_bytes_get_data(b, &len);
	const char *nl = memchr(p, '\n', len);
	gsize n = nl != NULL ? (gsize)(nl - p) : len;
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
		n--;
	return hull_ospkg_dup_field(p, n);
}

/* "… release 7.4 (Maipo)" → "7.4". */
static gchar *
hull_os_release_word(const char *line)
{
	const char *r = line != NULL ? strstr(line, " release ") : NULL;
	if (r == NULL)
		return NULL;
	r += strlen(" release ");
	gsize n = strspn(r, "0123456789.");
	return n > 0 ? g_strndup(r, n) : NULL;
}

static void
hull_os_fill_derived(HullOsInfo *os, const char *raw_version, const char *version_text)
{
	const char *id = os->id;
	g_autofree gchar *major = hull_os_major(os->version_id);
	if (g_strcmp0(id, "debian") == 0) {
		os->purl_namespace = g_strdup("debian");
		if (major != NULL)
			os->ecosystem = g_strdup_printf("Debian:%s", major);
	} else if (g_strcmp0(id, "ubuntu") == 0) {
		os->purl_namespace = g_strdup("ubuntu");
		if (os->version_id != NULL) {
			gboolean lts = version_text != NULL && strstr(version_text, "LTS") != NULL;
			os->ecosystem = g_strdup_printf("Ubuntu:%s%s", os->version_id, lts ? ":LTS" : "");
		}
	} else if (g_strcmp0(id, "alpine") == 0) {
		os->purl_namespace = g_strdup("alpine");
		g_autofree gchar *mm = hull_os_major_minor(raw_version);
		if (mm != NULL)
			os->ecosystem = g_strdup_printf("Alpine:v%s", mm);
	} else if (g_strcmp0(id, "rhel") == 0) {
		os->purl_namespace = g_strdup("redhat");
		if (major != NULL)
			os->ecosystem = g_strdup_printf("Red Hat:enterprise_linux:%s", major);
	} else if (g_strcmp0(id, "rocky") == 0) {
		os->purl_namespace = g_strdup("rocky");
		if (major != NULL)
			os->ecosystem = g_strdup_printf("Rocky Linux:%s", major);
	} else if (g_strcmp0(id, "almalinux") == 0) {
		os->purl_namespace = g_strdup("almalinux");
		if (major != NULL)
			os->ecosystem = g_strdup_printf("AlmaLinux:%s", major);
	} else if (id != NULL) {
		os->purl_namespace = g_strdup(id);
	}
	if (id != NULL && os->version_id != NULL)
		os->distro = g_strdup_printf("%s-%s", id, os->version_id);
}

static HullOsInfo *
hull_os_from_os_release(GBytes *b)
{
	gsize len = 0;
	const char *text = g_bytes_get_data(b, &len);
	g_autofree gchar *id = hull_os_release_get(text, len, "ID");
	if (id == NULL)
		return NULL;
	HullOsInfo *os = g_new0(HullOsInfo, 1);
	os->id = g_ascii_strdown(id, -1);
	g_autofree gchar *raw = hull_os_release_get(text, len, "VERSION_ID");
	g_autofree gchar *version = hull_os_release_get(text, len, "VERSION");
	os->pretty_name = hull_os_release_get(text, len, "PRETTY_NAME");
	os->codename = hull_os_release_get(text, len, "VERSION_CODENAME");
	os->distroless = g_strcmp0(os->pretty_name, "Distroless") == 0;
	if (g_strcmp0(os->id, "alpine") == 0) {
		/* Edge names itself in PRETTY_NAME; its VERSION_ID is the next release's alpha. */
		if ((os->pretty_name != NULL && strstr(os->pretty_name, "edge") != NULL) ||
		    (raw != NULL && strstr(raw, "_alpha") != NULL))
			os->version_id = g_strdup("edge");
		else
			os->version_id = hull_os_major_minor(raw);
	} else {
		os->version_id = g_strdup(raw);
	}
	hull_os_fill_derived(os, raw, version);
	return os;
}

HullOsInfo *
hull_os_detect(const HullOsFiles *files)
{
	if (files->os_release != NULL) {
		HullOsInfo *os = hull_os_from_os_release(files->os_release);
		if (os != NULL)
			return os;
	}
	g_autofree gchar *oracle = hull_os_bytes_line(files->oracle_release);
	g_autofree gchar *redhat = hull_os_bytes_line(files->redhat_release);
	const char *line = oracle != NULL ? oracle : redhat;
	if (line != NULL) {
		HullOsInfo *os = g_new0(HullOsInfo, 1);
		g_autofree gchar *v = hull_os_release_word(line);
		if (oracle != NULL)
			os->id = g_strdup("ol");
		else if (g_str_has_prefix(line, "Red Hat Enterprise Linux"))
			os->id = g_strdup("rhel");
		else if (g_str_has_prefix(line, "CentOS"))
			os->id = g_strdup("centos");
		else if (g_str_has_prefix(line, "Rocky Linux"))
			os->id = g_strdup("rocky");
		else if (g_str_has_prefix(line, "AlmaLinux"))
			os->id = g_strdup("almalinux");
		else if (g_str_has_prefix(line, "Fedora"))
			os->id = g_strdup("fedora");
		else
			os->id = g_strdup("rhel-like");
		os->version_id = g_strdup(v);
		os->pretty_name = g_strdup(line);
		hull_os_fill_derived(os, v, line);
		return os;
	}
	g_autofree gchar *alpine = hull_os_bytes_line(files->alpine_release);
	if (alpine != NULL) {
		HullOsInfo *os = g_new0(HullOsInfo, 1);
		os->id = g_strdup("alpine");
		os->version_id = strstr(alpine, "_alpha") != NULL ? g_strdup("edge") : hull_os_major_minor(alpine);
		os->pretty_name = g_strdup_printf("Alpine Linux %s", alpine);
		hull_os_fill_derived(os, alpine, NULL);
		return os;
	}
	g_autofree gchar *deb = hull_os_bytes_line(files->debian_version);
	if (deb != NULL) {
		HullOsInfo *os = g_new0(HullOsInfo, 1);
		os->id = g_strdup("debian");
		/* "12.5" → 12; "bookworm/sid" (testing) has no release number. */
		os->version_id = hull_os_major(deb);
		os->pretty_name = g_strdup_printf("Debian GNU/Linux %s", deb);
		hull_os_fill_derived(os, deb, NULL);
		return os;
	}
	return NULL;
}
