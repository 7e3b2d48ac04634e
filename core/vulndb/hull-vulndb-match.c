/* hull-vulndb-match.c: which stored advisories affect one installed package. Implements the
 * OSV range evaluation (osv-schema "Evaluation"): events of a range are sorted with the
 * ecosystem's comparator ("0" first); walking them, "introduced" at or below the version
 * opens an affected interval, "fixed" at or below closes it, "last_affected" below closes it;
 * "limit" events bound the whole range. A version listed in versions[] is affected. */
#include <stdlib.h>
#include <string.h>

#include "hull-vulndb-private.h"

void
hull_vuln_match_free(HullVulnMatch *match)
{
	if (match == NULL)
		return;
	g_free(match->id);
	g_ptr_array_unref(match->aliases);
	g_free(match->summary);
	g_free(match->fixed_version);
	g_ptr_array_unref(match->references);
	g_free(match->ecosystem);
	g_free(match->package);
	g_free(match->modified);
	g_free(match);
}

typedef struct {
	HullVulnEventKind kind;
	gchar *version;
} HullMatchEvent;

typedef struct {
	HullVersionScheme scheme;
} HullSortCtx;

static gint
hull_event_cmp(gconstpointer a, gconstpointer b, gpointer user_data)
{
	const HullMatchEvent *x = a, *y = b;
	const HullSortCtx *ctx = user_data;
	gboolean x0 = x->kind == HULL_VULN_EVENT_INTRODUCED && g_str_equal(x->version, "0");
	gboolean y0 = y->kind == HULL_VULN_EVENT_INTRODUCED && g_str_equal(y->version, "0");
	if (x0 || y0)
		return x0 == y0 ? 0 : (x0 ? -1 : 1);
	return hull_version_compare(ctx->scheme, x->version, y->version);
}

/* Evaluates one range. Returns TRUE when @version is affected and sets *@fixed (transfer
 * full, or NULL) to the fix that ends the interval containing it. */
static gboolean
hull_range_affects(GArray *events, HullVersionScheme scheme, const char *version, gchar **fixed)
{
	HullSortCtx ctx = {scheme};
	*fixed = NULL;
	/* limits: the version must be below at least one of them */
	gboolean has_limit = FALSE, below_limit = FALSE;
	for (guint i = 0; i < events->len; i++) {
		HullMatchEvent *ev = &g_array_index(events, HullMatchEvent, i);
		if (ev->kind != HULL_VULN_EVENT_LIMIT)
			continue;
		has_limit = TRUE;
		if (g_str_equal(ev->version, "*") || hull_version_compare(scheme, version, ev->version) < 0)
			below_limit = TRUE;
	}
	if (has_limit && !below_limit)
		return FALSE;
	g_array_sort_with_data(events, hull_event_cmp, &ctx);
	gboolean affected = FALSE;
	guint opened = 0;
	for (guint i = 0; i < events->len; i++) {
		HullMatchEvent *ev = &g_array_index(events, HullMatchEvent, i);
		switch (ev->kind) {
		case HULL_VULN_EVENT_INTRODUCED:
			if (g_str_equal(ev->version, "0") || hull_version_compare(scheme, version, ev->version) >= 0) {
				affected = TRUE;
				opened = i;
			}
			break;
		case HULL_VULN_EVENT_FIXED:
			if (hull_version_compare(scheme, version, ev->version) >= 0)
				affected = FALSE;
			break;
		case HULL_VULN_EVENT_LAST_AFFECTED:
			if (hull_version_compare(scheme, version, ev->version) > 0)
				affected = FALSE;
			break;
		case HULL_VULN_EVENT_LIMIT:
		default:
			break;
		}
	}
	if (!affected)
		return FALSE;
	/* the fix that closes the open interval: the first "fixed" after it, above the version */
	for (guint i = opened + 1; i < events->len; i++) {
		HullMatchEvent *ev = &g_array_index(events, HullMatchEvent, i);
		if (ev->kind == HULL_VULN_EVENT_INTRODUCED)
			break;
		if (ev->kind == HULL_VULN_EVENT_FIXED && hull_version_compare(scheme, version, ev->version) < 0) {
			*fixed = g_strdup(ev->version);
			break;
		}
	}
	return TRUE;
}

typedef struct {
	int range_no;
	gchar *type;
	HullVulnEventKind kind;
	gchar *version;
} HullRowEvent;

static void
hull_row_event_clear(HullRowEvent *ev)
{
	g_free(ev->type);
	g_free(ev->version);
}

/* Evaluates every range of one affected row (its events ordered by range). */
static gboolean
hull_row_affects(HullVulnDb *db, sqlite3_int64 aff_id, const char *ecosystem, GArray *row_events,
		 const char *version, gboolean *matched, gchar **fixed, GError **error)
{
	*matched = FALSE;
	*fixed = NULL;
	HullVersionScheme eco_scheme = hull_version_scheme_for_ecosystem(ecosystem);
	g_autoptr(GArray) events = g_array_new(FALSE, FALSE, sizeof(HullMatchEvent));
	for (guint i = 0; i < row_events->len;) {
		HullRowEvent *first = &g_array_index(row_events, HullRowEvent, i);
		HullVersionScheme scheme = HULL_VERSION_SCHEME_UNKNOWN;
		gboolean skip = FALSE;
		if (g_strcmp0(first->type, "ECOSYSTEM") == 0)
			scheme = eco_scheme;
		else if (g_strcmp0(first->type, "SEMVER") == 0)
			scheme = HULL_VERSION_SCHEME_SEMVER;
		else
			skip = TRUE; /* GIT: commits, not versions */
		g_array_set_size(events, 0);
		guint j = i;
		for (; j < row_events->len; j++) {
			HullRowEvent *ev = &g_array_index(row_events, HullRowEvent, j);
			if (ev->range_no != first->range_no)
				break;
			/* borrowed strings: the row owns them */
			HullMatchEvent me = {ev->kind, ev->version};
			g_array_append_val(events, me);
		}
		i = j;
		gchar *fx = NULL;
		if (!skip && events->len > 0 && hull_range_affects(events, scheme, version, &fx)) {
			*matched = TRUE;
			if (fx != NULL && (*fixed == NULL || hull_version_compare(scheme, fx, *fixed) < 0)) {
				g_free(*fixed);
				*fixed = g_steal_pointer(&fx);
			}
		}
		g_free(fx);
	}
	if (!*matched) {
		sqlite3_stmt *st = db->match_version;
		sqlite3_bind_int64(st, 1, aff_id);
		sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (rc == SQLITE_ROW)
			*matched = TRUE;
		else if (rc != SQLITE_DONE)
			return hull_vulndb_set_sql_error(db, error, "cannot read");
	}
	return TRUE;
}

static void
hull_split_into(const char *joined, GPtrArray *out)
{
	if (joined == NULL || *joined == '\0')
		return;
	g_auto(GStrv) parts = g_strsplit(joined, "\x1e", -1);
	for (guint i = 0; parts[i] != NULL; i++)
		g_ptr_array_add(out, g_strdup(parts[i]));
}

/* Binds the ecosystem lookup rules (see hull-vulndb.h) at @first.. @first+3. */
static void
hull_bind_ecosystem(sqlite3_stmt *st, int first, const char *ecosystem, gchar **lo, gchar **hi,
		    gchar **base)
{
	*lo = g_strconcat(ecosystem, ":", NULL);
	*hi = g_strconcat(ecosystem, ";", NULL); /* ';' follows ':' in ASCII */
	const char *colon = strchr(ecosystem, ':');
	*base = colon != NULL ? g_strndup(ecosystem, (gsize)(colon - ecosystem)) : NULL;
	sqlite3_bind_text(st, first, ecosystem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, first + 1, *lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, first + 2, *hi, -1, SQLITE_STATIC);
	if (*base != NULL)
		sqlite3_bind_text(st, first + 3, *base, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, first + 3);
}

typedef struct {
	sqlite3_int64 aff_id, adv_id;
	gchar *ecosystem, *package;
	int aff_severity;
	GArray *events; /* HullRowEvent */
} HullMatchRow;

static void
hull_match_row_clear(HullMatchRow *row)
{
	g_free(row->ecosystem);
	g_free(row->package);
	if (row->events != NULL)
		g_array_unref(row->events);
}

/* Decodes the ranges column (format in hull-vulndb.c); malformed records are dropped. */
static void
hull_decode_ranges(const char *text, GArray *out)
{
	if (text == NULL || *text == '\0')
		return;
	const char rsep[2] = {HULL_VULNDB_REC_SEP, '\0'}, fsep[2] = {HULL_VULNDB_FIELD_SEP, '\0'};
	g_auto(GStrv) recs = g_strsplit(text, rsep, -1);
	for (guint i = 0; recs[i] != NULL; i++) {
		g_auto(GStrv) f = g_strsplit(recs[i], fsep, 4);
		if (g_strv_length(f) != 4)
			continue;
		int kind = atoi(f[2]);
		if (kind < HULL_VULN_EVENT_INTRODUCED || kind > HULL_VULN_EVENT_LIMIT)
			continue;
		HullRowEvent ev = {
			.range_no = atoi(f[0]),
			.type = g_strdup(f[1]),
			.kind = (HullVulnEventKind)kind,
			.version = g_strdup(f[3]),
		};
		g_array_append_val(out, ev);
	}
}

static gint
hull_match_id_cmp(gconstpointer a, gconstpointer b)
{
	const HullVulnMatch *x = *(HullVulnMatch *const *)a, *y = *(HullVulnMatch *const *)b;
	return strcmp(x->id, y->id);
}

/* Fills the advisory-level fields of @m from advisory row @adv. */
static gboolean
hull_load_advisory(HullVulnDb *db, sqlite3_int64 adv, HullVulnMatch *m, int *adv_severity, GError **error)
{
	sqlite3_stmt *st = db->match_adv;
	sqlite3_bind_int64(st, 1, adv);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m->id = g_strdup((const char *)sqlite3_column_text(st, 0));
		m->summary = g_strdup((const char *)sqlite3_column_text(st, 1));
		*adv_severity = sqlite3_column_int(st, 2);
		m->cvss_score = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 3);
		m->modified = g_strdup((const char *)sqlite3_column_text(st, 4));
		hull_split_into((const char *)sqlite3_column_text(st, 5), m->aliases);
		hull_split_into((const char *)sqlite3_column_text(st, 6), m->references);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hull_vulndb_set_sql_error(db, error, "cannot read");
	if (m->id == NULL)
		m->id = g_strdup_printf("advisory-%" G_GINT64_FORMAT, (gint64)adv); /* dangling row */
	return TRUE;
}

GPtrArray *
hull_vulndb_match(HullVulnDb *db, const char *ecosystem, const char *package, const char *version,
		  GError **error)
{
	g_return_val_if_fail(db != NULL && ecosystem != NULL && package != NULL && version != NULL, NULL);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)hull_vuln_match_free);

	/* collect the candidate rows first: the statement must be reset before the others run */
	g_autoptr(GArray) rows = g_array_new(FALSE, TRUE, sizeof(HullMatchRow));
	g_array_set_clear_func(rows, (GDestroyNotify)hull_match_row_clear);
	g_autofree gchar *lo = NULL, *hi = NULL, *base = NULL;
	sqlite3_stmt *st = db->match_rows;
	sqlite3_bind_text(st, 1, package, -1, SQLITE_STATIC);
	hull_bind_ecosystem(st, 2, ecosystem, &lo, &hi, &base);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		HullMatchRow row = {
			.aff_id = sqlite3_column_int64(st, 0),
			.ecosystem = g_strdup((const char *)sqlite3_column_text(st, 1)),
			.package = g_strdup((const char *)sqlite3_column_text(st, 2)),
			.aff_severity = sqlite3_column_int(st, 3),
			.adv_id = sqlite3_column_int64(st, 4),
			.events = g_array_new(FALSE, FALSE, sizeof(HullRowEvent)),
		};
		g_array_set_clear_func(row.events, (GDestroyNotify)hull_row_event_clear);
		hull_decode_ranges((const char *)sqlite3_column_text(st, 5), row.events);
		g_array_append_val(rows, row);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return (hull_vulndb_set_sql_error(db, error, "cannot read"), NULL);

	HullVulnMatch *last = NULL;
	sqlite3_int64 last_adv = -1;
	for (guint i = 0; i < rows->len; i++) {
		HullMatchRow *row = &g_array_index(rows, HullMatchRow, i);
		gboolean matched = FALSE;
		g_autofree gchar *fixed = NULL;
		if (!hull_row_affects(db, row->aff_id, row->ecosystem, row->events, version, &matched, &fixed,
				      error))
			return NULL;
		if (!matched)
			continue;
		HullVersionScheme scheme = hull_version_scheme_for_ecosystem(row->ecosystem);
		HullSeverity sev = (HullSeverity)row->aff_severity;
		if (last != NULL && last_adv == row->adv_id) {
			/* a second row of the same advisory: keep the lowest fix, the highest rating */
			if (fixed != NULL && (last->fixed_version == NULL ||
					      hull_version_compare(scheme, fixed, last->fixed_version) < 0)) {
				g_free(last->fixed_version);
				last->fixed_version = g_steal_pointer(&fixed);
			}
			if (sev <= HULL_SEVERITY_LAST)
				last->severity = MAX(last->severity, sev);
			continue;
		}
		HullVulnMatch *m = g_new0(HullVulnMatch, 1);
		m->aliases = g_ptr_array_new_with_free_func(g_free);
		m->references = g_ptr_array_new_with_free_func(g_free);
		m->fixed_version = g_steal_pointer(&fixed);
		m->ecosystem = g_strdup(row->ecosystem);
		m->package = g_strdup(row->package);
		g_ptr_array_add(out, m);
		last = m;
		last_adv = row->adv_id;
		int adv_sev = 0;
		if (!hull_load_advisory(db, row->adv_id, m, &adv_sev, error))
			return NULL;
		/* the ecosystem's own rating of this row, else the advisory's */
		if (sev == HULL_SEVERITY_UNKNOWN)
			sev = (HullSeverity)adv_sev;
		m->severity = sev <= HULL_SEVERITY_LAST ? sev : HULL_SEVERITY_UNKNOWN;
	}
	g_ptr_array_sort(out, hull_match_id_cmp);
	return g_steal_pointer(&out);
}

gboolean
hull_vulndb_has_ecosystem(HullVulnDb *db, const char *ecosystem, GError **error)
{
	g_return_val_if_fail(db != NULL && ecosystem != NULL, FALSE);
	g_autofree gchar *lo = NULL, *hi = NULL, *base = NULL;
	sqlite3_stmt *st = db->has_eco;
	hull_bind_ecosystem(st, 1, ecosystem, &lo, &hi, &base);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hull_vulndb_set_sql_error(db, error, "cannot read");
	return rc == SQLITE_ROW;
}
