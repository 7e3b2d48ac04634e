/* hull-ospkg-rpm-header.c: decodes an RPM header blob, the record every rpmdb format stores
 * (rpm's lib/header.c "headerImport"): big-endian index count and data length, that many
 * 16-byte index entries (tag, type, offset, count), then the data store. Only the tags a
 * package record needs are read, and each is checked against the store's bounds before it is
 * touched: counts and offsets in a blob are attacker data. */
#include <string.h>
#include "hull-ospkg.h"

#define RPM_MAX_INDEX  0x0000ffff       /* rpm's own limit on index entries */
#define RPM_MAX_DATA   0x0fffffff       /* and on the data store (256 MiB) */

enum {
	RPM_TYPE_INT32 = 4,
	RPM_TYPE_STRING = 6,
	RPM_TYPE_STRING_ARRAY = 8,
	RPM_TYPE_I18NSTRING = 9,
};

enum {
	RPMTAG_NAME = 1000,
	RPMTAG_VERSION = 1001,
	RPMTAG_RELEASE = 1002,
	RPMTAG_EPOCH = 1003,
	RPMTAG_LICENSE = 1014,
	RPMTAG_ARCH = 1022,
	RPMTAG_SOURCERPM = 1044,
	RPMTAG_MODULARITYLABEL = 5096,
};

static guint32
hull_be32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | (guint32)p[3];
}

/* The first string of a STRING / STRING_ARRAY / I18NSTRING entry, NUL-terminated inside the
 * store. */
static gchar *
hull_rpm_string(const guint8 *store, guint32 dl, guint32 type, guint32 offset, guint32 count)
{
	if (type != RPM_TYPE_STRING && type != RPM_TYPE_STRING_ARRAY && type != RPM_TYPE_I18NSTRING)
		return NULL;
	if (count == 0 || offset >= dl)
		return NULL;
	const guint8 *s = store + offset;
	/* Longer values are refused anyway: never scan a lying store for its NUL. */
	const guint8 *nul = memchr(s, '\0', MIN((gsize)(dl - offset), (gsize)HULL_OSPKG_MAX_FIELD + 1));
	if (nul == NULL)
		return NULL;
	return hull_ospkg_dup_field((const char *)s, (gsize)(nul - s));
}

HullOsPkg *
hull_ospkg_rpm_header_decode(const guint8 *blob, gsize len, GError **error)
{
	if (len < 8) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID, "header blob of %" G_GSIZE_FORMAT
		            " bytes is too short", len);
		return NULL;
	}
	guint32 il = hull_be32(blob);
	guint32 dl = hull_be32(blob + 4);
	if (il == 0 || il > RPM_MAX_INDEX || dl > RPM_MAX_DATA) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID,
		            "header blob declares %u index entries and %u data bytes: out of range", il, dl);
		return NULL;
	}
	guint64 need = 8 + (guint64)il * 16 + dl;
	if (need > len) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID,
		            "header blob declares %" G_GUINT64_FORMAT " bytes but holds %" G_GSIZE_FORMAT, need, len);
		return NULL;
	}
	const guint8 *index = blob + 8;
	const guint8 *store = index + (gsize)il * 16;
	g_autoptr(HullOsPkg) pkg = hull_ospkg_new("rpm");
	/* Only the first entry of each tag is read, so a blob repeating one tag 65,535 times
	 * costs no more than a normal one. */
	gboolean tried[8] = { FALSE };
	for (guint32 i = 0; i < il; i++) {
		const guint8 *e = index + (gsize)i * 16;
		guint32 tag = hull_be32(e), type = hull_be32(e + 4), off = hull_be32(e + 8), count = hull_be32(e + 12);
		gchar **slot = NULL;
		guint which = 0;
		switch (tag) {
		case RPMTAG_NAME: slot = &pkg->name; which = 0; break;
		case RPMTAG_VERSION: slot = &pkg->rpm_version; which = 1; break;
		case RPMTAG_RELEASE: slot = &pkg->rpm_release; which = 2; break;
		case RPMTAG_LICENSE: slot = &pkg->license; which = 3; break;
		case RPMTAG_ARCH: slot = &pkg->arch; which = 4; break;
		case RPMTAG_SOURCERPM: slot = &pkg->sourcerpm; which = 5; break;
		case RPMTAG_MODULARITYLABEL: slot = &pkg->modularity_label; which = 6; break;
		case RPMTAG_EPOCH:
			if (!tried[7] && type == RPM_TYPE_INT32 && count >= 1 && off <= dl && dl - off >= 4 &&
			    off % 4 == 0)
				pkg->epoch = hull_be32(store + off);
			tried[7] = TRUE;
			break;
		default:
			break;
		}
		if (slot != NULL && !tried[which]) {
			tried[which] = TRUE;
			*slot = hull_rpm_string(store, dl, type, off, count);
		}
	}
	if (pkg->name == NULL || pkg->rpm_version == NULL) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_INVALID,
		            "header blob has no readable %s tag", pkg->name == NULL ? "name" : "version");
		return NULL;
	}
	GString *v = g_string_new(NULL);
	if (pkg->epoch > 0)
		g_string_append_printf(v, "%" G_GINT64_FORMAT ":", pkg->epoch);
	g_string_append(v, pkg->rpm_version);
	if (pkg->rpm_release != NULL)
		g_string_append_printf(v, "-%s", pkg->rpm_release);
	pkg->version = g_string_free(v, FALSE);
	/* The source package is the source rpm's file name without "-version-release.src.rpm". */
	if (pkg->sourcerpm != NULL) {
		g_autofree gchar *s = g_strdup(pkg->sourcerpm);
		gchar *dot = g_str_has_suffix(s, ".rpm") ? s + strlen(s) - 4 : NULL;
		if (dot != NULL) {
			*dot = '\0';
			gchar *arch = strrchr(s, '.');
			if (arch != NULL)
				*arch = '\0';
			gchar *rel = strrchr(s, '-');
			if (rel != NULL) {
				*rel = '\0';
				gchar *ver = strrchr(s, '-');
				if (ver != NULL) {
					*ver = '\0';
					pkg->source = g_strdup(s);
					pkg->source_version = g_strdup_printf("%s-%s", ver + 1, rel + 1);
				}
			}
		}
	}
	if (pkg->source == NULL)
		pkg->source = g_strdup(pkg->name);
	if (pkg->source_version == NULL)
		pkg->source_version = g_strdup(pkg->version);
	return g_steal_pointer(&pkg);
}

gboolean
hull_ospkg_rpm_is_pubkey(const HullOsPkg *pkg)
{
	return g_strcmp0(pkg->name, "gpg-pubkey") == 0;
}
