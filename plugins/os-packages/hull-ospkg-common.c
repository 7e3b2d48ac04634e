/* hull-ospkg-common.c: the package record every parser fills, the bounded note list parsers
 * report skipped records into, and the one field-copy helper that keeps hostile values (too
 * long, invalid UTF-8, control bytes) out of facts and reports. */
#include <string.h>
#include "hull-ospkg.h"

G_DEFINE_QUARK(hull-ospkg-error-quark, hull_ospkg_error)

HullOsPkg *
hull_ospkg_new(const char *type)
{
	HullOsPkg *pkg = g_new0(HullOsPkg, 1);
	pkg->type = type;
	pkg->epoch = -1;
	return pkg;
}

void
hull_ospkg_free(HullOsPkg *pkg)
{
	if (pkg == NULL)
		return;
	g_free(pkg->name);
	g_free(pkg->version);
	g_free(pkg->source);
	g_free(pkg->source_version);
	g_free(pkg->arch);
	g_free(pkg->license);
	g_free(pkg->rpm_version);
	g_free(pkg->rpm_release);
	g_free(pkg->sourcerpm);
	g_free(pkg->modularity_label);
	g_free(pkg);
}

void
hull_ospkg_notes_init(HullOspkgNotes *notes)
{
	notes->texts = g_ptr_array_new_with_free_func(g_free);
	notes->n_dropped = 0;
}

void
hull_ospkg_notes_clear(HullOspkgNotes *notes)
{
	g_clear_pointer(&notes->texts, g_ptr_array_unref);
	notes->n_dropped = 0;
}

void
hull_ospkg_notes_add(HullOspkgNotes *notes, const char *format, ...)
{
	if (notes == NULL || notes->texts == NULL)
		return;
	/* A hostile file can make every record fail: keep the first few, count the rest. */
	if (notes->texts->len >= HULL_OSPKG_MAX_NOTES) {
		notes->n_dropped++;
		return;
	}
	va_list ap;
	va_start(ap, format);
	g_ptr_array_add(notes->texts, g_strdup_vprintf(format, ap));
	va_end(ap);
}

gchar *
hull_ospkg_dup_field(const char *p, gsize len)
{
	if (p == NULL || len == 0 || len > HULL_OSPKG_MAX_FIELD)
		return NULL;
	if (!g_utf8_validate_len(p, len, NULL))
		return NULL;
	for (gsize i = 0; i < len; i++) {
		if ((guchar)p[i] < 0x20 || p[i] == 0x7f)
			return NULL;
	}
	return g_strndup(p, len);
}
