/* hull-vulndb-store.c: writes one HullVulnRecord with the prepared statements of the handle.
 * An OSV record replaces everything stored under its id; a converted (merge) record replaces
 * only the (ecosystem, package) rows it carries, so importing the tracker's view of one
 * release does not erase another release's rows of the same CVE. */
#include "hull-vulndb-private.h"

static gboolean
hull_step_done(HullVulnDb *db, sqlite3_stmt *st, GError **error)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return hull_vulndb_set_sql_error(db, error, "cannot write");
	return TRUE;
}

static gboolean
hull_exec_id(HullVulnDb *db, sqlite3_stmt *st, sqlite3_int64 id, GError **error)
{
	sqlite3_bind_int64(st, 1, id);
	return hull_step_done(db, st, error);
}

static void
hull_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

/* Appends @s without the separators of the ranges encoding (they cannot occur in a version
 * worth matching; a hostile one just stops matching). */
static void
hull_append_field(GString *out, const char *s)
{
	for (; *s != '\0'; s++)
		g_string_append_c(out, (*s == HULL_VULNDB_REC_SEP || *s == HULL_VULNDB_FIELD_SEP) ? '?' : *s);
}

static gboolean
hull_store_affected(HullVulnDb *db, sqlite3_int64 adv, const HullVulnRecord *rec, const HullVulnAffected *aff,
		    GString *ranges, GError **error)
{
	g_string_truncate(ranges, 0);
	for (guint r = 0; r < aff->ranges->len; r++) {
		const HullVulnRange *range = aff->ranges->pdata[r];
		for (guint e = 0; e < range->events->len; e++) {
			const HullVulnEvent *ev = range->events->pdata[e];
			if (ranges->len > 0)
				g_string_append_c(ranges, HULL_VULNDB_REC_SEP);
			g_string_append_printf(ranges, "%u%c", r, HULL_VULNDB_FIELD_SEP);
			hull_append_field(ranges, range->type);
			g_string_append_printf(ranges, "%c%d%c", HULL_VULNDB_FIELD_SEP, (int)ev->kind,
					       HULL_VULNDB_FIELD_SEP);
			hull_append_field(ranges, ev->version);
		}
	}
	sqlite3_bind_int64(db->insert_aff, 1, adv);
	hull_bind_text(db->insert_aff, 2, aff->ecosystem);
	hull_bind_text(db->insert_aff, 3, aff->package);
	sqlite3_bind_int(db->insert_aff, 4, (int)aff->severity);
	sqlite3_bind_int(db->insert_aff, 5, rec->withdrawn != NULL);
	sqlite3_bind_text(db->insert_aff, 6, ranges->str, (int)ranges->len, SQLITE_STATIC);
	if (!hull_step_done(db, db->insert_aff, error))
		return FALSE;
	sqlite3_int64 aid = sqlite3_last_insert_rowid(db->sql);
	for (guint v = 0; v < aff->versions->len; v++) {
		sqlite3_bind_int64(db->insert_version, 1, aid);
		hull_bind_text(db->insert_version, 2, aff->versions->pdata[v]);
		if (!hull_step_done(db, db->insert_version, error))
			return FALSE;
	}
	return TRUE;
}

/* Merge mode: drops the rows of @adv for (ecosystem, package) before they are re-added. */
static gboolean
hull_store_drop_package(HullVulnDb *db, sqlite3_int64 adv, const HullVulnAffected *aff, GError **error)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(sqlite3_int64));
	sqlite3_bind_int64(db->find_aff_pkg, 1, adv);
	hull_bind_text(db->find_aff_pkg, 2, aff->ecosystem);
	hull_bind_text(db->find_aff_pkg, 3, aff->package);
	int rc;
	while ((rc = sqlite3_step(db->find_aff_pkg)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(db->find_aff_pkg, 0);
		g_array_append_val(ids, id);
	}
	sqlite3_reset(db->find_aff_pkg);
	sqlite3_clear_bindings(db->find_aff_pkg);
	if (rc != SQLITE_DONE)
		return hull_vulndb_set_sql_error(db, error, "cannot read");
	for (guint i = 0; i < ids->len; i++) {
		sqlite3_int64 id = g_array_index(ids, sqlite3_int64, i);
		if (!hull_exec_id(db, db->del_versions_one, id, error) ||
		    !hull_exec_id(db, db->del_affected_one, id, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
hull_vulndb_store_record(HullVulnDb *db, const HullVulnRecord *rec, GError **error)
{
	g_return_val_if_fail(db != NULL && !db->readonly, FALSE);
	sqlite3_int64 adv = 0;
	gboolean exists = FALSE;
	hull_bind_text(db->find_adv, 1, rec->id);
	int rc = sqlite3_step(db->find_adv);
	if (rc == SQLITE_ROW) {
		adv = sqlite3_column_int64(db->find_adv, 0);
		exists = TRUE;
	}
	sqlite3_reset(db->find_adv);
	sqlite3_clear_bindings(db->find_adv);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hull_vulndb_set_sql_error(db, error, "cannot read");

	sqlite3_stmt *st = exists ? db->update_adv : db->insert_adv;
	if (exists)
		sqlite3_bind_int64(st, 1, adv);
	else
		hull_bind_text(st, 1, rec->id);
	hull_bind_text(st, 2, rec->summary);
	hull_bind_text(st, 3, rec->modified);
	hull_bind_text(st, 4, rec->withdrawn);
	sqlite3_bind_int(st, 5, (int)rec->severity);
	if (rec->cvss_score >= 0)
		sqlite3_bind_double(st, 6, rec->cvss_score);
	else
		sqlite3_bind_null(st, 6);
	if (!hull_step_done(db, st, error))
		return FALSE;
	if (!exists)
		adv = sqlite3_last_insert_rowid(db->sql);

	if (exists && !rec->merge) {
		if (!hull_exec_id(db, db->del_versions_all, adv, error) ||
		    !hull_exec_id(db, db->del_affected_all, adv, error) ||
		    !hull_exec_id(db, db->del_aliases, adv, error) ||
		    !hull_exec_id(db, db->del_refs, adv, error))
			return FALSE;
	}
	for (guint i = 0; i < rec->aliases->len; i++) {
		sqlite3_bind_int64(db->insert_alias, 1, adv);
		hull_bind_text(db->insert_alias, 2, rec->aliases->pdata[i]);
		if (!hull_step_done(db, db->insert_alias, error))
			return FALSE;
	}
	for (guint i = 0; i < rec->references->len; i++) {
		sqlite3_bind_int64(db->insert_ref, 1, adv);
		hull_bind_text(db->insert_ref, 2, rec->references->pdata[i]);
		sqlite3_bind_int(db->insert_ref, 3, (int)i);
		if (!hull_step_done(db, db->insert_ref, error))
			return FALSE;
	}
	g_autoptr(GString) ranges = g_string_new(NULL);
	for (guint i = 0; i < rec->affected->len; i++) {
		const HullVulnAffected *aff = rec->affected->pdata[i];
		if (exists && rec->merge && !hull_store_drop_package(db, adv, aff, error))
			return FALSE;
		if (!hull_store_affected(db, adv, rec, aff, ranges, error))
			return FALSE;
	}
	return TRUE;
}
