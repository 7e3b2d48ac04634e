/* hull-report-text.h: text hygiene shared by the reporters. Image content is hostile: paths,
 * messages and fields may hold invalid UTF-8 or terminal escapes. Every writer passes
 * strings through these helpers so its output is valid UTF-8 (invalid bytes become U+FFFD,
 * the choice of every format here) and, where the format forbids them (XML) or they are
 * dangerous (a terminal), control characters are replaced too. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "hull-report.h"

G_BEGIN_DECLS

typedef enum {
	HULL_TEXT_UTF8 = 0,          /* only make valid UTF-8 (JSON escapes controls itself) */
	HULL_TEXT_NO_CONTROLS = 1,   /* also C0/C1 controls and DEL except \t \n -> U+FFFD */
	HULL_TEXT_ONE_LINE = 2,      /* also \t \n \r -> a space */
} HullTextFlags;

/* (transfer full) a cleaned copy of @s; NULL for NULL. */
gchar *hull_report_text_clean(const char *s, HullTextFlags flags);

/* The value of the package fact @key, or NULL. */
const char *hull_report_fact_get(const HullFact *fact, const char *key);

/* (transfer full) the purl of a package fact: its "purl" key when set, else built from
 * type, name, version, arch and the report's OS (pkg:deb/debian/…, pkg:apk/alpine/…,
 * pkg:rpm/<os>/…, pkg:generic/… otherwise), percent-encoded per the purl spec. */
gchar *hull_report_package_purl(const HullReport *report, const HullFact *package);

/* "file:line" or the object, or NULL: how a location reads in one line. (transfer full) */
gchar *hull_report_finding_where(const HullFinding *finding);

/* JSON helpers: a string member written cleaned, skipped when @value is NULL; a string
 * member that is null when @value is NULL; the final pretty (2-space) serialisation. */
void hull_json_add_str(JsonBuilder *b, const char *key, const char *value);
void hull_json_add_str_or_null(JsonBuilder *b, const char *key, const char *value);
void hull_json_add_str_value(JsonBuilder *b, const char *value);
void hull_json_write(JsonBuilder *b, GString *out);

G_END_DECLS
