/* hull-ospkg-dpkg.c: reads dpkg's status database (/var/lib/dpkg/status) and the one-file-
 * per-package variant distroless images ship (/var/lib/dpkg/status.d/<name>). Both are
 * deb822 stanzas separated by blank lines; continuation lines start with a space or tab. A
 * package counts when its files are on disk: dpkg's states half-installed, unpacked,
 * half-configured, triggers-awaited, triggers-pending and installed; not config-files or
 * not-installed (deb-version(7), dpkg(1) "Package states"). A stanza without Status is how
 * distroless writes an installed package. The parser works on ranges of the input and copies
 * only the few fields it keeps, so a 1 MB Description costs one pass over its bytes. */
#include <string.h>
#include "hull-ospkg.h"

typedef struct {
	const char *p;
	gsize len;
} HullRange;

typedef struct {
	HullRange package, version, source, arch, status;
	guint line;
	gboolean any;
} HullDpkgStanza;

static void
hull_range_trim(HullRange *r)
{
	while (r->len > 0 && (r->p[0] == ' ' || r->p[0] == '\t')) {
		r->p++;
		r->len--;
	}
	while (r->len > 0 && (r->p[r->len - 1] == ' ' || r->p[r->len - 1] == '\t' || r->p[r->len - 1] == '\r'))
		r->len--;
}

static gboolean
hull_range_eq(const HullRange *r, const char *s)
{
	gsize n = strlen(s);
	return r->len == n && memcmp(r->p, s, n) == 0;
}

/* Whether the package's files are on disk, from "want flag state". */
static gboolean
hull_dpkg_status_present(const HullRange *status, gboolean *valid)
{
	*valid = FALSE;
	HullRange words[3];
	guint n = 0;
	gsize i = 0;
	while (i < status->len) {
		while (i < status->len && status->p[i] == ' ')
			i++;
		if (i >= status->len)
			break;
		gsize start = i;
		while (i < status->len && status->p[i] != ' ')
			i++;
		if (n == 3)
			return FALSE;
		words[n].p = status->p + start;
		words[n].len = i - start;
		n++;
	}
	if (n != 3)
		return FALSE;
	static const char *const present[] = {
		"installed", "half-installed", "unpacked", "half-configured",
		"triggers-awaited", "triggers-pending", NULL,
	};
	static const char *const absent[] = { "not-installed", "config-files", NULL };
	for (guint k = 0; present[k] != NULL; k++) {
		if (hull_range_eq(&words[2], present[k])) {
			*valid = TRUE;
			return TRUE;
		}
	}
	for (guint k = 0; absent[k] != NULL; k++) {
		if (hull_range_eq(&words[2], absent[k]))
			*valid = TRUE;
	}
	return FALSE;
}

static void
hull_dpkg_finish(const char *name, HullDpkgStanza *st, GPtrArray *out, HullOspkgNotes *notes)
{
	if (!st->any)
		return;
	if (st->package.len == 0) {
		hull_ospkg_notes_add(notes, "%s: stanza at line %u has no Package field: skipped", name, st->line);
		return;
	}
	if (st->status.p != NULL) {
		gboolean valid;
		gboolean present = hull_dpkg_status_present(&st->status, &valid);
		if (!valid) {
			hull_ospkg_notes_add(notes, "%s: stanza at line %u has an unreadable Status: skipped",
			                     name, st->line);
			return;
		}
		if (!present)
			return;
	}
	g_autoptr(HullOsPkg) pkg = hull_ospkg_new("deb");
	pkg->name = hull_ospkg_dup_field(st->package.p, st->package.len);
	if (pkg->name == NULL || memchr(st->package.p, ' ', st->package.len) != NULL) {
		hull_ospkg_notes_add(notes, "%s: stanza at line %u has an invalid Package field: skipped",
		                     name, st->line);
		return;
	}
	if (st->version.len == 0) {
		hull_ospkg_notes_add(notes, "%s: package %s (line %u) has no Version: skipped", name, pkg->name,
		                     st->line);
		return;
	}
	pkg->version = hull_ospkg_dup_field(st->version.p, st->version.len);
	if (pkg->version == NULL || strchr(pkg->version, ' ') != NULL) {
		hull_ospkg_notes_add(notes, "%s: package %s (line %u) has an invalid Version: skipped", name,
		                     pkg->name, st->line);
		return;
	}
	if (st->arch.len > 0)
		pkg->arch = hull_ospkg_dup_field(st->arch.p, st->arch.len);
	/* "Source: name" or "Source: name (version)" when the source version differs. */
	if (st->source.len > 0) {
		const char *paren = memchr(st->source.p, '(', st->source.len);
		HullRange sname = st->source;
		if (paren != NULL) {
			sname.len = (gsize)(paren - st->source.p);
			hull_range_trim(&sname);
			const char *end = memchr(paren, ')', st->source.len - (gsize)(paren - st->source.p));
			if (end != NULL) {
				HullRange sver = { paren + 1, (gsize)(end - paren - 1) };
				hull_range_trim(&sver);
				pkg->source_version = hull_ospkg_dup_field(sver.p, sver.len);
			}
		}
		pkg->source = hull_ospkg_dup_field(sname.p, sname.len);
	}
	if (pkg->source == NULL)
		pkg->source = g_strdup(pkg->name);
	if (pkg->source_version == NULL)
		pkg->source_version = g_strdup(pkg->version);
	g_ptr_array_add(out, g_steal_pointer(&pkg));
}

gboolean
hull_ospkg_parse_dpkg(const char *name, const guint8 *data, gsize len, GPtrArray *out, HullOspkgNotes *notes,
                      GError **error)
{
	g_return_val_if_fail(out != NULL, FALSE);
	const char *p = (const char *)data;
	const char *end = p + len;
	HullDpkgStanza st = { 0 };
	guint line = 0;
	guint n_before = out->len;
	guint n_stanzas = 0;
	guint n_bad_lines = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *eol = nl != NULL ? nl : end;
		HullRange l = { p, (gsize)(eol - p) };
		p = nl != NULL ? nl + 1 : end;
		line++;
		if (l.len > 0 && l.p[l.len - 1] == '\r')
			l.len--;
		if (l.len == 0) {
			if (st.any)
				n_stanzas++;
			hull_dpkg_finish(name, &st, out, notes);
			memset(&st, 0, sizeof(st));
			continue;
		}
		if (!st.any) {
			st.any = TRUE;
			st.line = line;
		}
		/* Continuation of the previous field: none of the fields we keep is multi-line. */
		if (l.p[0] == ' ' || l.p[0] == '\t')
			continue;
		const char *colon = memchr(l.p, ':', l.len);
		if (colon == NULL) {
			n_bad_lines++;
			continue;
		}
		HullRange key = { l.p, (gsize)(colon - l.p) };
		HullRange val = { colon + 1, l.len - key.len - 1 };
		hull_range_trim(&val);
		HullRange *slot = NULL;
		/* Field names are case-insensitive in deb822. */
		if (key.len == 7 && g_ascii_strncasecmp(key.p, "Package", 7) == 0)
			slot = &st.package;
		else if (key.len == 7 && g_ascii_strncasecmp(key.p, "Version", 7) == 0)
			slot = &st.version;
		else if (key.len == 6 && g_ascii_strncasecmp(key.p, "Source", 6) == 0)
			slot = &st.source;
		else if (key.len == 12 && g_ascii_strncasecmp(key.p, "Architecture", 12) == 0)
			slot = &st.arch;
		else if (key.len == 6 && g_ascii_strncasecmp(key.p, "Status", 6) == 0)
			slot = &st.status;
		if (slot != NULL)
			*slot = val;
	}
	if (st.any)
		n_stanzas++;
	hull_dpkg_finish(name, &st, out, notes);
	if (n_bad_lines > 0)
		hull_ospkg_notes_add(notes, "%s: %u malformed line(s) ignored", name, n_bad_lines);
	if (out->len == n_before && n_stanzas > 0 && n_bad_lines > 0 && len > 0) {
		/* Nothing readable at all: most likely not a status file. */
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID,
		            "%s: not a dpkg status file (no readable package stanza)", name);
		return FALSE;
	}
	return TRUE;
}
