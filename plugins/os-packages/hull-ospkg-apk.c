/* hull-ospkg-apk.c: reads apk's installed database (/lib/apk/db/installed): records of
 * "K:value" lines separated by blank lines (apk-tools' "apk v2 installed database" format:
 * P name, V version, A arch, o origin, L license; the rest describes files and is ignored).
 * Lines that are not "K:value" are counted and ignored, a record without P or V is skipped
 * with a note, so one damaged record never hides the others. */
#include <string.h>
#include "hull-ospkg.h"

typedef struct {
	const char *p[128];          /* value of each single-letter key, by ASCII code */
	gsize len[128];
	guint line;
	gboolean any;
} HullApkRecord;

static void
hull_apk_finish(const char *name, HullApkRecord *r, GPtrArray *out, HullOspkgNotes *notes)
{
	if (!r->any)
		return;
	if (r->p['P'] == NULL || r->len['P'] == 0) {
		hull_ospkg_notes_add(notes, "%s: record at line %u has no package name (P:): skipped", name,
		                     r->line);
		return;
	}
	g_autoptr(HullOsPkg) pkg = hull_ospkg_new("apk");
	pkg->name = hull_ospkg_dup_field(r->p['P'], r->len['P']);
	if (pkg->name == NULL) {
		hull_ospkg_notes_add(notes, "%s: record at line %u has an invalid package name: skipped", name,
		                     r->line);
		return;
	}
	pkg->version = hull_ospkg_dup_field(r->p['V'], r->len['V']);
	if (pkg->version == NULL) {
		hull_ospkg_notes_add(notes, "%s: package %s (line %u) has no valid version (V:): skipped", name,
		                     pkg->name, r->line);
		return;
	}
	pkg->arch = hull_ospkg_dup_field(r->p['A'], r->len['A']);
	pkg->license = hull_ospkg_dup_field(r->p['L'], r->len['L']);
	/* Alpine's advisories are per origin (the aport); a package without one is its own. */
	pkg->source = hull_ospkg_dup_field(r->p['o'], r->len['o']);
	if (pkg->source == NULL)
		pkg->source = g_strdup(pkg->name);
	pkg->source_version = g_strdup(pkg->version);
	g_ptr_array_add(out, g_steal_pointer(&pkg));
}

gboolean
hull_ospkg_parse_apk(const char *name, const guint8 *data, gsize len, GPtrArray *out, HullOspkgNotes *notes,
                     GError **error)
{
	g_return_val_if_fail(out != NULL, FALSE);
	const char *p = (const char *)data;
	const char *end = p + len;
	HullApkRecord r;
	memset(&r, 0, sizeof(r));
	guint line = 0, n_bad = 0, n_good = 0;
	guint n_before = out->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *eol = nl != NULL ? nl : end;
		const char *l = p;
		gsize ll = (gsize)(eol - p);
		p = nl != NULL ? nl + 1 : end;
		line++;
		if (ll > 0 && l[ll - 1] == '\r')
			ll--;
		if (ll == 0) {
			hull_apk_finish(name, &r, out, notes);
			memset(&r, 0, sizeof(r));
			continue;
		}
		if (ll < 2 || l[1] != ':' || (guchar)l[0] >= 128 || !g_ascii_isalpha(l[0])) {
			n_bad++;
			continue;
		}
		n_good++;
		if (!r.any) {
			r.any = TRUE;
			r.line = line;
		}
		guchar k = (guchar)l[0];
		/* The first value wins: a record repeating P: is damaged, not a second package. */
		if (r.p[k] == NULL) {
			r.p[k] = l + 2;
			r.len[k] = ll - 2;
		}
	}
	hull_apk_finish(name, &r, out, notes);
	if (n_bad > 0)
		hull_ospkg_notes_add(notes, "%s: %u line(s) that are not \"K:value\" ignored", name, n_bad);
	if (out->len == n_before && n_good == 0 && n_bad > 0) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID,
		            "%s: not an apk installed database (no K:value line)", name);
		return FALSE;
	}
	return TRUE;
}
