/* hull-os-packages-plugin.c: the os-packages plugin. The walker hands over the package
 * databases (dpkg, apk, the three rpm formats) whole; they are stashed per scan and parsed in
 * scan_collect, once every file has arrived (an rpmdb.sqlite needs its -wal beside it). The
 * OS is identified from a few tiny files read directly, then one "os" fact and one "package"
 * fact per package are emitted. scan_end reports an end-of-life release (PKG-EOL) and, with a
 * vulnerability DB configured, the advisories that affect the packages. */
#define G_LOG_DOMAIN "hullscan-os-packages"
#include <string.h>
#include "hull-os-packages-plugin.h"

/* Large enough for the rpmdb of a big server; bounds what the walker buffers for us. */
#define HULL_OSPKG_MAX_DB_SIZE (256 * 1024 * 1024)
#define HULL_OSPKG_MAX_ID_FILE (64 * 1024)

typedef struct {
	GBytes *bytes;
	int layer;
} HullOspkgFile;

typedef struct {
	HullPluginCtx *ctx;
	GMutex lock;
	GHashTable *scans;       /* HullScan* → HullOspkgScan* */
} HullOspkgState;

static const char *const hull_ospkg_globs[] = {
	"/var/lib/dpkg/status",
	"/var/lib/dpkg/status.d/*",
	"/lib/apk/db/installed",
	"/usr/lib/apk/db/installed",     /* where newer apk-tools keep it (/lib/apk may link there) */
	"/var/lib/rpm/Packages",
	"/var/lib/rpm/Packages.db",
	"/var/lib/rpm/rpmdb.sqlite",
	"/var/lib/rpm/rpmdb.sqlite-wal",
	"/usr/lib/sysimage/rpm/Packages",
	"/usr/lib/sysimage/rpm/Packages.db",
	"/usr/lib/sysimage/rpm/rpmdb.sqlite",
	"/usr/lib/sysimage/rpm/rpmdb.sqlite-wal",
	"/usr/share/rpm/Packages",
	"/usr/share/rpm/Packages.db",
	"/usr/share/rpm/rpmdb.sqlite",
	"/usr/share/rpm/rpmdb.sqlite-wal",
	NULL,
};

static const char *const hull_ospkg_eol_refs[] = {
	"https://wiki.debian.org/LTS",
	"https://ubuntu.com/about/release-cycle",
	"https://alpinelinux.org/releases/",
	"https://access.redhat.com/support/policy/updates/errata",
	NULL,
};
static const char *const hull_ospkg_vuln_refs[] = {
	"https://ossf.github.io/osv-schema/",
	NULL,
};

static const HullRule hull_ospkg_rules[] = {
	{ "PKG-EOL", HULL_SEVERITY_HIGH, "Operating system release is end-of-life", NULL, hull_ospkg_eol_refs,
	  "Rebuild the image on a supported release of the distribution.",
	  "The distribution release no longer receives security updates, so vulnerabilities found "
	  "after its end-of-life date stay unfixed and unlisted." },
	{ "PKG-VULN", HULL_SEVERITY_UNKNOWN, "Installed OS package is affected by a known vulnerability", NULL,
	  hull_ospkg_vuln_refs, "Upgrade the package to the fixed version, or rebuild on an updated base image.",
	  "Vulnerability findings use the advisory id as rule id; this generic rule names them in "
	  "rule tables and lets a profile disable them all." },
};

static void
hull_ospkg_file_free(HullOspkgFile *f)
{
	g_bytes_unref(f->bytes);
	g_free(f);
}

static void
hull_ospkg_entry_free(HullOspkgEntry *e)
{
	hull_ospkg_free(e->pkg);
	g_free(e->db_path);
	g_free(e);
}

static void
hull_ospkg_scan_free(HullOspkgScan *s)
{
	g_hash_table_unref(s->files);
	g_ptr_array_unref(s->entries);
	hull_os_info_free(s->os);
	g_free(s->eol);
	g_free(s->eol_source);
	g_free(s);
}

static gboolean
hull_ospkg_init(HullPluginCtx *ctx, gpointer *state, GError **error)
{
	HullOspkgState *st = g_new0(HullOspkgState, 1);
	st->ctx = ctx;
	g_mutex_init(&st->lock);
	st->scans = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)hull_ospkg_scan_free);
	const char *db = hull_plugin_ctx_get_option(ctx, "vuln-db");
	if (db != NULL) {
		/* An update may sit in the write-ahead log before it reaches the main file. */
		g_autofree gchar *wal = g_strconcat(db, "-wal", NULL);
		hull_plugin_ctx_add_dependency(ctx, db);
		hull_plugin_ctx_add_dependency(ctx, wal);
	}
	*state = st;
	return TRUE;
}

static void
hull_ospkg_destroy(gpointer state)
{
	HullOspkgState *st = state;
	g_hash_table_unref(st->scans);
	g_mutex_clear(&st->lock);
	g_free(st);
}

/* Caller holds the lock. */
static HullOspkgScan *
hull_ospkg_scan_get(HullOspkgState *st, HullScan *scan)
{
	HullOspkgScan *s = g_hash_table_lookup(st->scans, scan);
	if (s == NULL) {
		s = g_new0(HullOspkgScan, 1);
		s->files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)hull_ospkg_file_free);
		s->entries = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_entry_free);
		g_hash_table_insert(st->scans, scan, s);
	}
	return s;
}

static gboolean
hull_ospkg_scan_begin(gpointer state, HullScan *scan, GError **error)
{
	HullOspkgState *st = state;
	g_mutex_lock(&st->lock);
	g_hash_table_remove(st->scans, scan);
	hull_ospkg_scan_get(st, scan);
	g_mutex_unlock(&st->lock);
	return TRUE;
}

static gboolean
hull_ospkg_wants_file(gpointer state, const HullFile *file)
{
	/* status.d holds one stanza file per package and, beside it, their md5sums. */
	return hull_file_get_kind(file) == HULL_FILE_KIND_REGULAR &&
	       !g_str_has_suffix(hull_file_get_path(file), ".md5sums");
}

static gpointer
hull_ospkg_file_begin(gpointer state, HullScan *scan, const HullFile *file)
{
	return g_byte_array_new();
}

static gboolean
hull_ospkg_file_chunk(gpointer state, HullScan *scan, const HullFile *file, gpointer file_state, const guint8 *data,
                      gsize len, GError **error)
{
	GByteArray *buf = file_state;
	if ((guint64)buf->len + len > HULL_OSPKG_MAX_DB_SIZE) {
		g_set_error(error, HULL_OSPKG_ERROR, HULL_OSPKG_ERROR_UNSUPPORTED, "%s: larger than %u MiB: skipped",
		            hull_file_get_path(file), HULL_OSPKG_MAX_DB_SIZE >> 20);
		return FALSE;
	}
	g_byte_array_append(buf, data, (guint)len);
	return TRUE;
}

static void
hull_ospkg_file_end(gpointer state, HullScan *scan, const HullFile *file, gpointer file_state, gboolean complete)
{
	HullOspkgState *st = state;
	GByteArray *buf = file_state;
	if (!complete) {
		hull_scan_add_note(scan, st->ctx, "%s: read incompletely: not inventoried", hull_file_get_path(file));
		g_byte_array_unref(buf);
		return;
	}
	HullOspkgFile *f = g_new0(HullOspkgFile, 1);
	f->bytes = g_byte_array_free_to_bytes(buf);
	f->layer = hull_file_get_layer(file);
	g_mutex_lock(&st->lock);
	HullOspkgScan *s = hull_ospkg_scan_get(st, scan);
	g_hash_table_replace(s->files, g_strdup(hull_file_get_path(file)), f);
	g_mutex_unlock(&st->lock);
}

static GBytes *
hull_ospkg_read_id_file(HullScan *scan, const char *path)
{
	/* Errors mean "absent" here: most of these files are missing on any given distro. */
	return hull_fs_read(hull_scan_get_fs(scan), path, HULL_OSPKG_MAX_ID_FILE, NULL);
}

static HullOsInfo *
hull_ospkg_detect_os(HullScan *scan)
{
	HullOsFiles f = {
		hull_ospkg_read_id_file(scan, "/etc/os-release"),
		hull_ospkg_read_id_file(scan, "/etc/debian_version"),
		hull_ospkg_read_id_file(scan, "/etc/alpine-release"),
		hull_ospkg_read_id_file(scan, "/etc/redhat-release"),
		hull_ospkg_read_id_file(scan, "/etc/oracle-release"),
	};
	if (f.os_release == NULL)
		f.os_release = hull_ospkg_read_id_file(scan, "/usr/lib/os-release");
	HullOsInfo *os = hull_os_detect(&f);
	g_clear_pointer(&f.os_release, g_bytes_unref);
	g_clear_pointer(&f.debian_version, g_bytes_unref);
	g_clear_pointer(&f.alpine_release, g_bytes_unref);
	g_clear_pointer(&f.redhat_release, g_bytes_unref);
	g_clear_pointer(&f.oracle_release, g_bytes_unref);
	return os;
}

static gint
hull_ospkg_strcmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* Parses one stashed database file into @s->entries. */
static void
hull_ospkg_inventory_file(HullOspkgState *st, HullScan *scan, HullOspkgScan *s, const char *path,
                          HullOspkgFile *f)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(f->bytes, &len);
	g_autofree gchar *base = g_path_get_basename(path);
	g_autoptr(GPtrArray) pkgs = g_ptr_array_new_with_free_func((GDestroyNotify)hull_ospkg_free);
	HullOspkgNotes notes;
	hull_ospkg_notes_init(&notes);
	g_autoptr(GError) error = NULL;
	gboolean handled = TRUE;
	if (g_str_has_suffix(path, "/var/lib/dpkg/status") || strstr(path, "/var/lib/dpkg/status.d/") != NULL)
		hull_ospkg_parse_dpkg(path, data, len, pkgs, &notes, &error);
	else if (g_str_has_suffix(path, "/lib/apk/db/installed"))
		hull_ospkg_parse_apk(path, data, len, pkgs, &notes, &error);
	else if (g_strcmp0(base, "rpmdb.sqlite") == 0) {
		g_autofree gchar *wal_path = g_strconcat(path, "-wal", NULL);
		HullOspkgFile *wal = g_hash_table_lookup(s->files, wal_path);
		hull_ospkg_parse_rpm_sqlite(path, f->bytes, wal != NULL ? wal->bytes : NULL, pkgs, &notes, &error);
	} else if (g_strcmp0(base, "Packages") == 0)
		hull_ospkg_parse_rpm_bdb(path, data, len, pkgs, &notes, &error);
	else if (g_strcmp0(base, "Packages.db") == 0)
		hull_ospkg_parse_rpm_ndb(path, data, len, pkgs, &notes, &error);
	else
		handled = FALSE;
	if (handled && error != NULL)
		hull_scan_add_note(scan, st->ctx, "%s", error->message);
	for (guint i = 0; i < notes.texts->len; i++)
		hull_scan_add_note(scan, st->ctx, "%s", (const char *)g_ptr_array_index(notes.texts, i));
	if (notes.n_dropped > 0)
		hull_scan_add_note(scan, st->ctx, "%s: %u more skipped record(s)", path, notes.n_dropped);
	hull_ospkg_notes_clear(&notes);
	/* The entries take the packages over, in database order. */
	g_ptr_array_set_free_func(pkgs, NULL);
	for (guint i = 0; i < pkgs->len; i++) {
		HullOspkgEntry *e = g_new0(HullOspkgEntry, 1);
		e->pkg = g_ptr_array_index(pkgs, i);
		e->layer = f->layer;
		e->db_path = g_strdup(path);
		g_ptr_array_add(s->entries, e);
	}
}

static void hull_ospkg_lookup_eol(HullOspkgState *st, HullScan *scan, HullOspkgScan *s);

static gboolean
hull_ospkg_scan_collect(gpointer state, HullScan *scan, GError **error)
{
	HullOspkgState *st = state;
	g_mutex_lock(&st->lock);
	HullOspkgScan *s = hull_ospkg_scan_get(st, scan);
	g_mutex_unlock(&st->lock);
	HullBus *bus = hull_scan_get_bus(scan);

	s->os = hull_ospkg_detect_os(scan);
	if (s->os != NULL) {
		HullFact *fact = hull_fact_new("os");
		hull_fact_set(fact, "id", s->os->id);
		if (s->os->version_id != NULL)
			hull_fact_set(fact, "version_id", s->os->version_id);
		if (s->os->pretty_name != NULL)
			hull_fact_set(fact, "pretty_name", s->os->pretty_name);
		if (s->os->ecosystem != NULL)
			hull_fact_set(fact, "ecosystem", s->os->ecosystem);
		if (s->os->codename != NULL)
			hull_fact_set(fact, "codename", s->os->codename);
		if (s->os->distroless)
			hull_fact_set(fact, "distroless", "true");
		hull_ospkg_lookup_eol(st, scan, s);
		if (s->eol != NULL)
			hull_fact_set(fact, "eol", s->eol);
		hull_bus_emit_fact(bus, st->ctx, fact);
	}

	/* Sorted, so facts and notes come out in the same order on every run. */
	g_autoptr(GPtrArray) paths = g_ptr_array_new();
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, s->files);
	while (g_hash_table_iter_next(&it, &key, NULL))
		g_ptr_array_add(paths, key);
	g_ptr_array_sort(paths, hull_ospkg_strcmp);
	for (guint i = 0; i < paths->len; i++) {
		const char *path = g_ptr_array_index(paths, i);
		if (g_str_has_suffix(path, "-wal"))
			continue;
		hull_ospkg_inventory_file(st, scan, s, path, g_hash_table_lookup(s->files, path));
	}
	/* The database bytes are no longer needed. */
	g_hash_table_remove_all(s->files);

	/* The same rpmdb reachable under two of its paths lists each package twice. */
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < s->entries->len; i++) {
		HullOspkgEntry *e = g_ptr_array_index(s->entries, i);
		HullOsPkg *p = e->pkg;
		gchar *key = g_strdup_printf("%s\n%s\n%s\n%s", p->type, p->name, p->version, p->arch ? p->arch : "");
		if (!g_hash_table_add(seen, key)) {
			g_ptr_array_remove_index(s->entries, i--);
			continue;
		}
		HullFact *fact = hull_fact_new("package");
		hull_fact_set(fact, "name", p->name);
		hull_fact_set(fact, "version", p->version);
		hull_fact_set(fact, "source", p->source);
		hull_fact_set(fact, "source_version", p->source_version);
		if (p->arch != NULL)
			hull_fact_set(fact, "arch", p->arch);
		hull_fact_set(fact, "type", p->type);
		if (e->layer >= 0)
			hull_fact_set_int(fact, "layer", e->layer);
		g_autofree gchar *purl = hull_ospkg_purl(p, s->os);
		hull_fact_set(fact, "purl", purl);
		if (p->license != NULL)
			hull_fact_set(fact, "license", p->license);
		if (p->modularity_label != NULL)
			hull_fact_set(fact, "modularity_label", p->modularity_label);
		hull_fact_set(fact, "path", e->db_path);
		hull_bus_emit_fact(bus, st->ctx, fact);
	}
	return TRUE;
}

/* "today" as YYYY-MM-DD, or the "eol-today" option (reproducible reports and tests). */
static gchar *
hull_ospkg_today(HullPluginCtx *ctx)
{
	const char *opt = hull_plugin_ctx_get_option(ctx, "eol-today");
	if (opt != NULL)
		return g_strdup(opt);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	return g_date_time_format(now, "%Y-%m-%d");
}

/* Looks the release up in the end-of-life table (scan_collect: the date goes in the os fact). */
static void
hull_ospkg_lookup_eol(HullOspkgState *st, HullScan *scan, HullOspkgScan *s)
{
	if (s->os == NULL)
		return;
	g_autofree gchar *fn = hull_plugin_ctx_find_data(st->ctx, "os-packages/eol.json");
	if (fn == NULL) {
		hull_scan_add_note(scan, st->ctx, "os-packages/eol.json not found: end-of-life check skipped");
		return;
	}
	g_autoptr(GError) error = NULL;
	s->eol = hull_ospkg_eol_lookup(fn, s->os, &s->eol_source, &error);
	if (error != NULL)
		hull_scan_add_note(scan, st->ctx, "%s", error->message);
}

static void
hull_ospkg_check_eol(HullOspkgState *st, HullScan *scan, HullOspkgScan *s)
{
	if (s->eol == NULL || !hull_plugin_ctx_rule_enabled(st->ctx, "PKG-EOL"))
		return;
	g_autofree gchar *today = hull_ospkg_today(st->ctx);
	if (g_strcmp0(today, s->eol) < 0)
		return;
	HullFinding *f = hull_finding_new(st->ctx, "PKG-EOL");
	hull_finding_set_message(f, "%s reached end-of-life on %s and no longer receives security updates",
	                         s->os->pretty_name != NULL ? s->os->pretty_name : s->os->id, s->eol);
	hull_finding_set_path(f, "/etc/os-release");
	if (s->eol_source != NULL)
		hull_finding_add_reference(f, s->eol_source);
	hull_finding_set_field(f, "eol_date", s->eol);
	hull_finding_set_fingerprint_data(f, s->os->distro != NULL ? s->os->distro : s->os->id);
	hull_bus_emit(hull_scan_get_bus(scan), f);
}

static gboolean
hull_ospkg_scan_end(gpointer state, HullScan *scan, GError **error)
{
	HullOspkgState *st = state;
	g_mutex_lock(&st->lock);
	HullOspkgScan *s = g_hash_table_lookup(st->scans, scan);
	g_hash_table_steal(st->scans, scan);
	g_mutex_unlock(&st->lock);
	if (s == NULL)
		return TRUE;
	hull_ospkg_check_eol(st, scan, s);
	gboolean ok = TRUE;
	if (hull_plugin_ctx_get_option(st->ctx, "vuln-db") != NULL) {
#ifdef HULL_OSPKG_HAVE_VULNDB
		ok = hull_ospkg_match_scan(st->ctx, scan, s, error);
#else
		hull_scan_add_note(scan, st->ctx, "built without the vulnerability database: vuln-db ignored");
#endif
	}
	hull_ospkg_scan_free(s);
	return ok;
}

static const HullPluginDescriptor hull_ospkg_descriptor = {
	.abi_major = HULL_ABI_MAJOR,
	.abi_minor = HULL_ABI_MINOR,
	.struct_size = sizeof(HullPluginDescriptor),
	.name = "os-packages",
	.version = "0.1.0",
	.description = "OS package inventory (dpkg, apk, rpm) and offline vulnerability matching",
	.license = "Apache-2.0",
	.vendor = "hullscan",
	/* Results depend on the image, eol.json, the date and the vuln-db file (declared at init). */
	.capabilities = HULL_CAP_CACHEABLE,
	.rules = hull_ospkg_rules,
	.n_rules = G_N_ELEMENTS(hull_ospkg_rules),
	.file_globs = hull_ospkg_globs,
	.max_file_size = HULL_OSPKG_MAX_DB_SIZE,
	.file_flags = HULL_INTEREST_WHOLE_FILE,
	.init = hull_ospkg_init,
	.destroy = hull_ospkg_destroy,
	.wants_file = hull_ospkg_wants_file,
	.file_begin = hull_ospkg_file_begin,
	.file_chunk = hull_ospkg_file_chunk,
	.file_end = hull_ospkg_file_end,
	.scan_begin = hull_ospkg_scan_begin,
	.scan_collect = hull_ospkg_scan_collect,
	.scan_end = hull_ospkg_scan_end,
};

HULL_EXPORT const HullPluginDescriptor *
hull_plugin_get_descriptor(void)
{
	return &hull_ospkg_descriptor;
}
