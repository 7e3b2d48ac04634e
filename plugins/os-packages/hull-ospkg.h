/* hull-ospkg.h: the os-packages plugin's private model and parsers. Every package database
 * (dpkg status, apk installed, the three RPM database formats) is turned into the same
 * HullOsPkg record; the OS identity files into one HullOsInfo. Parsers take bytes (the walker
 * hands whole files over) and never trust them: a record they cannot read is skipped with a
 * note, a file they cannot read at all is a GError naming it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HULL_OSPKG_ERROR (hull_ospkg_error_quark())
GQuark hull_ospkg_error_quark(void);

typedef enum {
	HULL_OSPKG_ERROR_INVALID,       /* the file is not what its name says, or is corrupt */
	HULL_OSPKG_ERROR_UNSUPPORTED,   /* a valid variant we do not read (encrypted BDB …) */
} HullOspkgError;

/* Longest name/version/source/arch/license we keep; a longer one skips its record. */
#define HULL_OSPKG_MAX_FIELD 4096
/* Notes kept per file; further skipped records are only counted. */
#define HULL_OSPKG_MAX_NOTES 16

typedef struct {
	gchar *name;
	gchar *version;          /* as the package manager prints it ("1:2.3-4", "3.0.6-1.cm2") */
	gchar *source;           /* source package (dpkg Source, apk origin, rpm source rpm name) */
	gchar *source_version;
	gchar *arch;
	gchar *license;
	const char *type;        /* "deb", "apk" or "rpm" (static) */
	/* rpm only */
	gchar *rpm_version;
	gchar *rpm_release;
	gchar *sourcerpm;
	gchar *modularity_label;
	gint64 epoch;            /* -1: none */
} HullOsPkg;

HullOsPkg *hull_ospkg_new(const char *type);
void hull_ospkg_free(HullOsPkg *pkg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullOsPkg, hull_ospkg_free)

/* Notes collected while parsing one file: at most HULL_OSPKG_MAX_NOTES texts, then a count. */
typedef struct {
	GPtrArray *texts;        /* gchar* */
	guint n_dropped;
} HullOspkgNotes;

void hull_ospkg_notes_init(HullOspkgNotes *notes);
void hull_ospkg_notes_clear(HullOspkgNotes *notes);
void hull_ospkg_notes_add(HullOspkgNotes *notes, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* A copy of [p, p+len) when it is non-empty, at most HULL_OSPKG_MAX_FIELD bytes and valid
 * UTF-8 without control characters; NULL otherwise. */
gchar *hull_ospkg_dup_field(const char *p, gsize len);

/* ---- dpkg: /var/lib/dpkg/status and distroless /var/lib/dpkg/status.d/<name> ----
 * Appends HullOsPkg* (transfer full) to @out for every stanza whose package files are on
 * disk. @name names the input in notes and errors. */
gboolean hull_ospkg_parse_dpkg(const char *name, const guint8 *data, gsize len, GPtrArray *out,
                               HullOspkgNotes *notes, GError **error);

/* ---- apk: /lib/apk/db/installed ---- */
gboolean hull_ospkg_parse_apk(const char *name, const guint8 *data, gsize len, GPtrArray *out,
                              HullOspkgNotes *notes, GError **error);

/* ---- RPM ----
 * One header blob (as stored in every rpmdb format: index count, data length, index entries,
 * data). (transfer full) NULL with @error when it cannot be decoded. A gpg-pubkey pseudo
 * package decodes fine; callers skip it with hull_ospkg_rpm_is_pubkey(). */
HullOsPkg *hull_ospkg_rpm_header_decode(const guint8 *blob, gsize len, GError **error);
gboolean hull_ospkg_rpm_is_pubkey(const HullOsPkg *pkg);

/* rpmdb.sqlite read from memory; @wal (may be NULL) is the "-wal" file beside it. */
gboolean hull_ospkg_parse_rpm_sqlite(const char *name, GBytes *db, GBytes *wal, GPtrArray *out,
                                     HullOspkgNotes *notes, GError **error);
/* BerkeleyDB hash "Packages". */
gboolean hull_ospkg_parse_rpm_bdb(const char *name, const guint8 *data, gsize len, GPtrArray *out,
                                  HullOspkgNotes *notes, GError **error);
/* NDB "Packages.db". */
gboolean hull_ospkg_parse_rpm_ndb(const char *name, const guint8 *data, gsize len, GPtrArray *out,
                                  HullOspkgNotes *notes, GError **error);

/* ---- OS identity ---- */
typedef struct {
	gchar *id;               /* os-release ID ("debian", "alpine", "rhel", …) */
	gchar *version_id;       /* "12", "3.19", "edge", "9.0" */
	gchar *pretty_name;
	gchar *ecosystem;        /* OSV ecosystem ("Debian:12", "Alpine:v3.19") or NULL */
	gchar *purl_namespace;   /* "debian", "alpine", "rhel", … */
	gchar *distro;           /* purl distro qualifier ("debian-12", "alpine-3.19") */
	gchar *codename;
	gboolean distroless;
} HullOsInfo;

void hull_os_info_free(HullOsInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullOsInfo, hull_os_info_free)

/* The identity files of one root, each NULL when absent. */
typedef struct {
	GBytes *os_release;      /* /etc/os-release, else /usr/lib/os-release */
	GBytes *debian_version;
	GBytes *alpine_release;
	GBytes *redhat_release;
	GBytes *oracle_release;
} HullOsFiles;

/* (transfer full) NULL when nothing identifies the OS. */
HullOsInfo *hull_os_detect(const HullOsFiles *files);
/* (transfer full) the value of @key in os-release text, unquoted, or NULL. */
gchar *hull_os_release_get(const char *text, gsize len, const char *key);

/* ---- purl (https://github.com/package-url/purl-spec) ---- */
/* (transfer full) pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12 */
gchar *hull_ospkg_purl(const HullOsPkg *pkg, const HullOsInfo *os);

G_END_DECLS
