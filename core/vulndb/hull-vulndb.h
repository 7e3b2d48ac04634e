/* hull-vulndb.h: the offline vulnerability database. Advisories in the OSV model (plus the
 * Debian security tracker and Alpine secdb formats, converted to it) are imported into one
 * SQLite file; the os-packages plugin asks it which advisories affect an installed package.
 *
 * Ecosystems are OSV ecosystem strings ("Debian:12", "Alpine:v3.19", "Ubuntu:22.04:LTS",
 * "Rocky Linux:9", "Red Hat:enterprise_linux:9::appstream"...). hull_vulndb_match() looks up,
 * for a package name:
 *   1. rows whose ecosystem equals @ecosystem exactly;
 *   2. rows whose ecosystem starts with "@ecosystem:" ("Ubuntu:22.04" also finds
 *      "Ubuntu:22.04:LTS", but not "Ubuntu:Pro:22.04:LTS"; "Red Hat" finds every
 *      "Red Hat:..." stream);
 *   3. rows whose ecosystem is the bare name before the first ':' of @ecosystem ("Debian" for
 *      "Debian:12"): an advisory that names no release applies to every release.
 * ECOSYSTEM ranges are evaluated with the comparator of the row's ecosystem, SEMVER ranges with
 * SemVer, GIT ranges never match (we have no commits). Withdrawn advisories never match.
 *
 * Threading: a HullVulnDb is used from one thread at a time.
 * Memory: what a function returns belongs to the caller unless it says (transfer none). */
#pragma once

#include <glib.h>
#include <hullscan/hull-severity.h>

#include "hull-version-compare.h"

G_BEGIN_DECLS

#define HULL_VULNDB_ERROR (hull_vulndb_error_quark())
GQuark hull_vulndb_error_quark(void);

typedef enum {
	HULL_VULNDB_ERROR_FAILED,  /* internal: SQLite said no for a reason we did not expect */
	HULL_VULNDB_ERROR_CORRUPT, /* the --db file is not a hullscan database or is damaged */
	HULL_VULNDB_ERROR_INVALID, /* an input file is unusable (not JSON, too big, too deep...) */
	HULL_VULNDB_ERROR_IO,      /* an input or the database could not be read or written */
} HullVulnDbError;

typedef struct _HullVulnDb HullVulnDb;

/* Opens (readonly) or opens/creates (read-write) the database at @path. A file that is not a
 * hullscan vulnerability database, or is corrupt, gives HULL_VULNDB_ERROR_CORRUPT naming
 * @path. (transfer full) */
HullVulnDb *hull_vulndb_open(const char *path, gboolean readonly, GError **error);
void hull_vulndb_close(HullVulnDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullVulnDb, hull_vulndb_close)

/* (transfer none) the path given to hull_vulndb_open() */
const char *hull_vulndb_get_path(HullVulnDb *db);

/* ---- matching ---- */

typedef struct {
	gchar *id;             /* advisory id: "DSA-5000-1", "DEBIAN-CVE-2024-1", "ALPINE-CVE-..." */
	GPtrArray *aliases;    /* gchar*: other ids (CVE-...), never NULL, maybe empty */
	gchar *summary;        /* or NULL */
	HullSeverity severity; /* see "Severity" below */
	gchar *fixed_version;  /* the first fixed version above the installed one, or NULL */
	GPtrArray *references; /* gchar*: URLs, never NULL */
	gchar *ecosystem;      /* the ecosystem of the row that matched ("Debian:12") */
	gchar *package;        /* the package name of the row that matched */
	gdouble cvss_score;    /* CVSS v3 (else v2) base score from the vector, or -1 */
	gchar *modified;       /* RFC 3339 "modified" of the advisory, or NULL */
} HullVulnMatch;

void hull_vuln_match_free(HullVulnMatch *match);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullVulnMatch, hull_vuln_match_free)

/* Advisories affecting @package at @version in @ecosystem (rules above), at most one per
 * advisory id, sorted by id. Returns an empty array when nothing matches, NULL with @error
 * only when the database cannot be read. (transfer full) (element-type HullVulnMatch) with
 * the free function set. */
GPtrArray *hull_vulndb_match(HullVulnDb *db, const char *ecosystem, const char *package,
			     const char *version, GError **error);

/* Whether any advisory row exists for @ecosystem (same lookup rules), so a caller can tell
 * "no vulnerabilities" from "this database knows nothing about this distro". */
gboolean hull_vulndb_has_ecosystem(HullVulnDb *db, const char *ecosystem, GError **error);

/* ---- import ----
 * Severity: the distribution's own rating wins when the record has one (Ubuntu/Debian
 * "severity" entries of a non-CVSS type, affected[].ecosystem_specific.severity,
 * database_specific.severity, the tracker's urgency); otherwise the CVSS v3 base score
 * computed from the vector (v2 when only v2 is given): 9.0+ CRITICAL, 7.0+ HIGH, 4.0+ MEDIUM,
 * else LOW; UNKNOWN when there is neither (CVSS v4 vectors are not scored).
 *
 * Limits (hostile input): an input file over 64 MiB (OSV) or 512 MiB (tracker/secdb) is
 * refused; JSON nested deeper than 64 levels is refused before json-glib sees it; strings over
 * 1 MiB inside a record and records that are not OSV-shaped are skipped with a note; zip
 * members are read one at a time with a per-member cap, members with absolute or ".." names
 * are skipped with a note. */

typedef struct {
	guint files;      /* input files (and zip members) read */
	guint records;    /* advisories inserted or updated */
	guint skipped;    /* records or members skipped */
	GPtrArray *notes; /* gchar*: one line per skipped thing, naming it (capped at 1000) */
} HullVulnImportStats;

HullVulnImportStats *hull_vuln_import_stats_new(void);
void hull_vuln_import_stats_free(HullVulnImportStats *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullVulnImportStats, hull_vuln_import_stats_free)

/* Imports @path: a directory (recursively, *.json and *.zip), a .zip export, or a JSON file
 * holding one OSV record, an array of them, a Debian security tracker dump or an Alpine secdb
 * file (sniffed from the content). One transaction per file (per 5,000 records in a zip).
 * Importing a record again replaces it (tracker/secdb records replace only the
 * (ecosystem, package) rows they carry). Returns FALSE with @error when @path is unusable as a
 * whole (missing, not a zip, or a JSON file giving no usable record: the error names it) or
 * the database fails; bad records inside a usable input are counted in @stats with notes. */
gboolean hull_vulndb_import_path(HullVulnDb *db, const char *path, HullVulnImportStats *stats,
				 GError **error);

/* Imports one in-memory JSON document (same sniffing as above); @origin names it in errors
 * and notes. */
gboolean hull_vulndb_import_json_data(HullVulnDb *db, const char *data, gsize len,
				      const char *origin, HullVulnImportStats *stats,
				      GError **error);

/* ---- info ---- */

typedef struct {
	gchar *ecosystem;
	guint64 advisories; /* distinct advisories with a row in this ecosystem */
	guint64 packages;   /* affected-package rows */
} HullVulnDbEcosystemCount;

typedef struct {
	guint64 advisories; /* all advisories, withdrawn included */
	guint64 withdrawn;
	gchar *newest_modified;  /* the largest "modified" (RFC 3339), or NULL when empty */
	GPtrArray *ecosystems;   /* HullVulnDbEcosystemCount*, sorted by name */
} HullVulnDbInfo;

void hull_vulndb_info_free(HullVulnDbInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullVulnDbInfo, hull_vulndb_info_free)

/* (transfer full) */
HullVulnDbInfo *hull_vulndb_info(HullVulnDb *db, GError **error);

G_END_DECLS
