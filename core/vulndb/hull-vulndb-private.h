/* hull-vulndb-private.h: the database handle and the helpers shared by the open/info, store,
 * import and match files. */
#pragma once

#include <sqlite3.h>

#include "hull-vulndb.h"
#include "hull-vuln-record.h"

struct _HullVulnDb {
	sqlite3 *sql;
	gchar *path;
	gboolean readonly;
	gboolean in_txn;
	/* prepared once, reused for every record */
	sqlite3_stmt *find_adv, *insert_adv, *update_adv, *del_versions_all, *del_affected_all,
		*del_aliases, *del_refs, *insert_alias, *insert_ref, *insert_aff, *insert_version,
		*find_aff_pkg, *del_versions_one, *del_affected_one;
	sqlite3_stmt *match_rows, *match_adv, *match_version,
		*has_eco;
};

gboolean hull_vulndb_set_sql_error(HullVulnDb *db, GError **error, const char *what);
gboolean hull_vulndb_exec(HullVulnDb *db, const char *sql, GError **error);
gboolean hull_vulndb_begin(HullVulnDb *db, GError **error);
gboolean hull_vulndb_commit(HullVulnDb *db, GError **error);
void hull_vulndb_rollback(HullVulnDb *db);

/* Inserts or replaces @rec (merge semantics per rec->merge) inside the open transaction. */
/* The compact text form of an affected row's ranges (see the schema in hull-vulndb.c). */
#define HULL_VULNDB_REC_SEP '\x1e'
#define HULL_VULNDB_FIELD_SEP '\x1f'

gboolean hull_vulndb_store_record(HullVulnDb *db, const HullVulnRecord *rec, GError **error);

/* Converters for the non-OSV formats; each calls @sink for every record it builds. */
typedef gboolean (*HullVulnRecordSink)(const HullVulnRecord *rec, gpointer user_data, GError **error);
gboolean hull_vuln_convert_debian_tracker(JsonNode *root, const char *origin, HullVulnRecordSink sink,
					  gpointer user_data, HullVulnImportStats *stats, GError **error);
gboolean hull_vuln_convert_alpine_secdb(JsonNode *root, const char *origin, HullVulnRecordSink sink,
					gpointer user_data, HullVulnImportStats *stats, GError **error);
/* "bookworm" -> "12"; NULL for names we do not know */
const char *hull_debian_release_for_codename(const char *codename);

void hull_vuln_import_note(HullVulnImportStats *stats, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
