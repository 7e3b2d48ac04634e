/* hull-os-packages-plugin.h: what the plugin's files share: one inventoried package with the
 * layer that listed it, the per-scan inventory, and the matching entry point (built only when
 * the vulnerability DB library is). */
#pragma once

#include <hullscan/hullscan.h>
#include "hull-ospkg.h"

G_BEGIN_DECLS

typedef struct {
	HullOsPkg *pkg;
	int layer;
	gchar *db_path;          /* the database file that listed it */
} HullOspkgEntry;

/* Per-scan results, from scan_collect to scan_end. */
typedef struct {
	GHashTable *files;       /* path → HullOspkgFile*, filled by the walker callbacks */
	GPtrArray *entries;      /* HullOspkgEntry* */
	HullOsInfo *os;          /* NULL when undetected */
	gchar *eol;              /* end of support of the release ("YYYY-MM-DD") or NULL */
	gchar *eol_source;       /* where that date comes from */
} HullOspkgScan;

/* Emits one finding per advisory affecting @scan_data's packages, per the options of @ctx
 * ("vuln-db", "ignore-unfixed"). FALSE with @error when the DB cannot be used. */
gboolean hull_ospkg_match_scan(HullPluginCtx *ctx, HullScan *scan, HullOspkgScan *scan_data, GError **error);

/* Rule data: the end-of-life table (configs/os-packages/eol.json). (transfer full) the date
 * ("YYYY-MM-DD") support ended or ends for @os, or NULL when unknown; *source the URL. */
gchar *hull_ospkg_eol_lookup(const char *json_path, const HullOsInfo *os, gchar **source, GError **error);

G_END_DECLS
