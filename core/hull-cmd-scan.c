/* hull-cmd-scan.c: `hullscan scan TARGET`: options to HullScanOptions, the scan, the report
 * in the chosen format, and the exit code of DESIGN.md. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "hull-cli.h"
#include "hull-output.h"
#include "hull-scanner.h"
#include "cache/hull-cache.h"
#ifdef HULL_HAVE_VULNDB
#include "vulndb/hull-vulndb.h"
#endif

typedef struct {
	gchar *type;
	gchar *ref;
	gchar *platform;
	gchar *plugins;
	gchar *profile;
	gchar *config;
	gchar *format;
	gchar *output;
	gchar *severity;
	gchar *fail_on;
	gchar *ignore_file;
	gchar *vuln_db;
	gboolean ignore_unfixed;
	gchar *max_image_size;
	gchar *cache_dir;
	gboolean no_cache;
	gint jobs;
	gboolean no_progress;
	gboolean quiet;
	gboolean verbose;
	gboolean no_deleted;
	gboolean keep_going;
} HullScanArgs;

static void
hull_scan_args_clear(HullScanArgs *a)
{
	g_free(a->type);
	g_free(a->ref);
	g_free(a->platform);
	g_free(a->plugins);
	g_free(a->profile);
	g_free(a->config);
	g_free(a->format);
	g_free(a->output);
	g_free(a->severity);
	g_free(a->fail_on);
	g_free(a->ignore_file);
	g_free(a->vuln_db);
	g_free(a->max_image_size);
	g_free(a->cache_dir);
}

static int
hull_scan_usage_error(const char *format, ...) G_GNUC_PRINTF(1, 2);

static int
hull_scan_usage_error(const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	g_autofree gchar *msg = g_strdup_vprintf(format, ap);
	va_end(ap);
	hull_cli_error("hullscan scan: %s", msg);
	return HULL_EXIT_USAGE;
}

/* What `scan --help` says after the options: the exit codes and which one wins. */
#define HULL_SCAN_EXIT_HELP                                                                                  \
	"Exit codes:\n"                                                                                          \
	"  0  scan done, nothing at or above --fail-on\n"                                                        \
	"  1  findings at or above --fail-on\n"                                                                  \
	"  2  bad usage or unusable input (one line on stderr naming it; no report is written)\n"               \
	"  3  internal failure, or a plugin failed (the report still holds the other plugins' results);\n"      \
	"     3 wins over 1; --keep-going makes a plugin's failure not count"

/* "-" and the names of stdout itself: where colour may go when stdout is a terminal. */
static gboolean
hull_output_is_stdout(const char *dest)
{
	return g_strcmp0(dest, "-") == 0 || g_strcmp0(dest, "/dev/stdout") == 0;
}

/* The --vuln-db file is opened once before the scan: a typo or a file that is no database is
 * usage error 2 now, not a note after minutes of scanning. */
static gboolean
hull_scan_check_vuln_db(const char *path, GError **error)
{
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no such file", path);
		return FALSE;
	}
	if (access(path, R_OK) != 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", path, g_strerror(e));
		return FALSE;
	}
#ifdef HULL_HAVE_VULNDB
	g_autoptr(GError) local = NULL;
	g_autoptr(HullVulnDb) db = hull_vulndb_open(path, TRUE, &local);
	if (db == NULL) {
		/* the database's own message names the path already */
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", local->message);
		return FALSE;
	}
#endif
	return TRUE;
}

/* The exit code of a scan whose report was written (DESIGN.md): a failed plugin (3) wins over
 * findings at or above --fail-on (1), unless --keep-going. A refused plugin never ran and is
 * not a failure of this scan: it is listed with its reason like any load error. */
static int
hull_scan_exit_code(HullReport *report, HullSeverity fail_on, gboolean have_fail_on, gboolean keep_going)
{
	for (guint i = 0; !keep_going && i < report->plugins->len; i++) {
		HullReportPlugin *p = g_ptr_array_index(report->plugins, i);
		if (g_strcmp0(p->status, "failed") == 0)
			return HULL_EXIT_INTERNAL;
	}
	for (guint i = 0; have_fail_on && i < report->findings->len; i++) {
		HullFinding *f = g_ptr_array_index(report->findings, i);
		if (f->severity >= fail_on)
			return HULL_EXIT_FINDINGS;
	}
	return HULL_EXIT_OK;
}

int
hull_cmd_scan(int argc, char **argv)
{
	HullScanArgs a = {0};
	GOptionEntry entries[] = {
		{"type", 0, 0, G_OPTION_ARG_STRING, &a.type, "Kind of TARGET: image, rootfs, dockerfile, config (k8s)", "TYPE"},
		{"ref", 0, 0, G_OPTION_ARG_STRING, &a.ref, "Image to pick from an archive or layout holding several", "NAME"},
		{"platform", 0, 0, G_OPTION_ARG_STRING, &a.platform, "Platform of a multi-platform index (default linux/amd64)", "OS/ARCH"},
		{"plugins", 0, 0, G_OPTION_ARG_STRING, &a.plugins, "Plugins to run, comma-separated", "A,B"},
		{"profile", 0, 0, G_OPTION_ARG_STRING, &a.profile, "Profile from configs/profiles (default, ci, strict) or a path", "NAME"},
		{"config", 0, 0, G_OPTION_ARG_FILENAME, &a.config, "Settings file: plugin options, severities, disabled rules", "FILE"},
		{"format", 'f', 0, G_OPTION_ARG_STRING, &a.format, "table, json, sarif, junit or cyclonedx (default table)", "FORMAT"},
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &a.output,
		 "Write the report to FILE (default stdout, also `-`): a regular file is replaced atomically, "
		 "a symlink's target is written (never the link), a device or FIFO is written through", "FILE"},
		{"severity", 0, 0, G_OPTION_ARG_STRING, &a.severity, "Report only these severities", "LIST"},
		{"fail-on", 0, 0, G_OPTION_ARG_STRING, &a.fail_on, "Exit 1 when a finding at or above SEVERITY remains", "SEVERITY"},
		{"ignore-file", 0, 0, G_OPTION_ARG_FILENAME, &a.ignore_file, "Rule ids, fingerprints, path globs to suppress", "FILE"},
		{"vuln-db", 0, 0, G_OPTION_ARG_FILENAME, &a.vuln_db, "Vulnerability database for os-packages", "FILE"},
		{"ignore-unfixed", 0, 0, G_OPTION_ARG_NONE, &a.ignore_unfixed, "Drop advisories with no fixed version", NULL},
		{"max-image-size", 0, 0, G_OPTION_ARG_STRING, &a.max_image_size, "Refuse images whose uncompressed size exceeds SIZE", "SIZE"},
		{"cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &a.cache_dir, "Scan cache directory (default: $XDG_CACHE_HOME/hullscan)", "DIR"},
		{"no-cache", 0, 0, G_OPTION_ARG_NONE, &a.no_cache, "Neither read nor write the scan cache", NULL},
		{"keep-going", 0, 0, G_OPTION_ARG_NONE, &a.keep_going, "A failing plugin does not make the exit code 3", NULL},
		{"jobs", 'j', 0, G_OPTION_ARG_INT, &a.jobs, "Worker threads (default: number of cores)", "N"},
		{"no-deleted", 0, 0, G_OPTION_ARG_NONE, &a.no_deleted, "Do not offer files deleted by later layers to plugins", NULL},
		{"no-progress", 0, 0, G_OPTION_ARG_NONE, &a.no_progress, "No progress bar", NULL},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, "Only errors on stderr", NULL},
		{"verbose", 'v', 0, G_OPTION_ARG_NONE, &a.verbose, "Debug messages and notes on stderr", NULL},
		{NULL},
	};
	g_autoptr(GOptionContext) octx = g_option_context_new("TARGET - scan a container image, rootfs, Dockerfile or config files");
	g_option_context_add_main_entries(octx, entries, NULL);
	g_option_context_set_description(octx, HULL_SCAN_EXIT_HELP);
	g_autoptr(GError) error = NULL;
	/* Declared before the first goto: cleanup runs for each at `out`. */
	g_autoptr(HullIgnoreList) ignore = NULL;
	g_autoptr(HullScanner) scanner = NULL;
	g_autoptr(HullCache) cache = NULL;
	g_autoptr(HullReport) report = NULL;
	g_autoptr(GString) out = NULL;
	g_autoptr(HullOutput) output = NULL;
	int rc = HULL_EXIT_OK;
	HullScanOptions o;
	hull_scan_options_init(&o);
	HullSeverity fail_on = HULL_SEVERITY_UNKNOWN;
	const char *format = NULL;
	HullReportWriteFunc writer = NULL;
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		rc = hull_scan_usage_error("%s", error->message);
		goto out;
	}
	if (argc != 2) {
		rc = hull_scan_usage_error(argc < 2 ? "missing TARGET (see --help)" : "only one TARGET may be given");
		goto out;
	}
	hull_cli_setup_logging(a.quiet, a.verbose);

	if (a.type != NULL) {
		const char *t = g_strcmp0(a.type, "k8s") == 0 ? "config" : a.type;
		if (!hull_target_type_from_string(t, &o.open.type)) {
			rc = hull_scan_usage_error("--type %s: expected image, rootfs, dockerfile, config or k8s", a.type);
			goto out;
		}
	}
	o.open.ref = a.ref;
	o.open.platform = a.platform;
	if (a.max_image_size != NULL && !hull_parse_size(a.max_image_size, &o.open.max_image_size)) {
		rc = hull_scan_usage_error("--max-image-size %s: expected a size such as 500M or 2G", a.max_image_size);
		goto out;
	}
	if (a.jobs < 0 || a.jobs > 1024) {
		rc = hull_scan_usage_error("--jobs %d: expected 1 to 1024", a.jobs);
		goto out;
	}
	o.n_jobs = (guint)a.jobs;
	o.include_deleted = !a.no_deleted;
	o.verbose = a.verbose;
	o.quiet = a.quiet;
	o.progress = !a.no_progress && !a.quiet && isatty(STDERR_FILENO);
	if (a.severity != NULL && !hull_severity_set_parse(a.severity, &o.severity_mask, &error)) {
		rc = hull_scan_usage_error("--severity: %s", error->message);
		goto out;
	}
	if (a.fail_on != NULL && !hull_severity_from_string(a.fail_on, &fail_on)) {
		rc = hull_scan_usage_error("--fail-on %s: expected CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN", a.fail_on);
		goto out;
	}
	format = a.format != NULL ? a.format : "table";
	writer = hull_report_writer_lookup(format);
	if (writer == NULL) {
		rc = hull_scan_usage_error("--format %s: expected table, json, sarif, junit or cyclonedx", format);
		goto out;
	}

	/* An output that cannot be written is found before the scan, not after it. */
	if (a.output != NULL && !hull_output_check(a.output, HULL_OUTPUT_FLAGS_NONE, &error)) {
		rc = hull_scan_usage_error("--output %s", error->message);
		goto out;
	}

	if (a.ignore_file != NULL) {
		ignore = hull_ignore_list_load(a.ignore_file, &error);
		if (ignore == NULL) {
			rc = hull_scan_usage_error("%s", error->message);
			goto out;
		}
		o.ignore = ignore;
	}

	scanner = hull_scanner_new();
	if (a.profile != NULL && !hull_scanner_load_profile(scanner, a.profile, &error)) {
		rc = hull_scan_usage_error("%s", error->message);
		goto out;
	}
	if (a.config != NULL && !hull_scanner_load_config(scanner, a.config, &error)) {
		rc = hull_scan_usage_error("%s", error->message);
		goto out;
	}
	if (a.vuln_db != NULL) {
		if (!hull_scan_check_vuln_db(a.vuln_db, &error)) {
			rc = hull_scan_usage_error("--vuln-db %s", error->message);
			goto out;
		}
		hull_scanner_set_option(scanner, "os-packages", "vuln-db", a.vuln_db);
	}
	if (a.ignore_unfixed)
		hull_scanner_set_option(scanner, "os-packages", "ignore-unfixed", "true");
	if (a.plugins != NULL) {
		g_auto(GStrv) names = g_strsplit_set(a.plugins, ",", -1);
		g_autoptr(GPtrArray) clean = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; names[i] != NULL; i++) {
			g_autofree gchar *n = g_strstrip(g_strdup(names[i]));
			if (n[0] != '\0')
				g_ptr_array_add(clean, g_steal_pointer(&n));
		}
		g_ptr_array_add(clean, NULL);
		hull_scanner_set_plugin_filter(scanner, (const char *const *)clean->pdata);
	}
	if (!a.no_cache) {
		/* The cache only ever saves time: when it cannot be opened the scan goes on without. */
		g_autofree gchar *dir = a.cache_dir != NULL ? g_strdup(a.cache_dir)
		                                            : g_build_filename(g_get_user_cache_dir(), "hullscan", NULL);
		g_autoptr(GError) local = NULL;
		cache = hull_cache_open(dir, &local);
		if (cache == NULL && !a.quiet)
			hull_cli_error("hullscan: scan cache not used: %s", local->message);
		o.cache = cache;
		hull_scanner_set_cache(scanner, cache);
	}
	if (!hull_scanner_load_plugins(scanner, &error)) {
		rc = hull_scan_usage_error("%s", error->message);
		goto out;
	}

	report = hull_scanner_run(scanner, argv[1], &o, &error);
	if (report == NULL) {
		hull_cli_error("hullscan: %s", error->message);
		rc = error->domain == HULL_TARGET_ERROR ? HULL_EXIT_USAGE : HULL_EXIT_INTERNAL;
		goto out;
	}
	for (guint i = 0; i < report->plugins->len; i++) {
		HullReportPlugin *p = g_ptr_array_index(report->plugins, i);
		if (g_strcmp0(p->status, "ok") != 0 && !a.quiet)
			hull_cli_error("hullscan: plugin %s %s: %s", p->name, p->status, p->error ? p->error : "");
	}
	if (a.verbose) {
		if (report->from_cache)
			hull_cli_error("hullscan: results replayed from the scan cache %s (%s)", hull_cache_get_path(cache),
			               report->layers_read ? "layers read and verified" : "layers not read: unchanged since verified");
		for (guint i = 0; i < report->notes->len; i++)
			hull_cli_error("hullscan: note: %s", (const char *)g_ptr_array_index(report->notes, i));
	}
	const char *dest = a.output != NULL ? a.output : "-";
	report->color = hull_output_is_stdout(dest) && g_strcmp0(format, "table") == 0 && isatty(STDOUT_FILENO) &&
	                g_getenv("NO_COLOR") == NULL;
	out = g_string_new(NULL);
	writer(report, out);
	output = hull_output_open(dest, HULL_OUTPUT_FLAGS_NONE, &error);
	if (output == NULL) {
		rc = hull_scan_usage_error("--output %s", error->message);
		goto out;
	}
	if (!hull_output_write(output, out->str, out->len, &error) || !hull_output_commit(output, &error)) {
		hull_cli_error("hullscan: the report was not written: %s", error->message);
		rc = HULL_EXIT_INTERNAL;
		goto out;
	}
	rc = hull_scan_exit_code(report, fail_on, a.fail_on != NULL, a.keep_going);
out:
	hull_scan_args_clear(&a);
	return rc;
}
