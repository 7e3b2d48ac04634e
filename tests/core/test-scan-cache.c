/* test-scan-cache.c: the scan cache's payload and dependency readers, and its store's row
 * authentication. A payload round-trips every field (NULLs included); one that cannot be stored
 * faithfully (a string that is not UTF-8) is refused; truncated, random, out-of-range and
 * foreign bytes read as a miss, never a crash; a dependency list is current only while each
 * file keeps its fingerprint. A row of any table changed behind the store's back, or copied
 * from another row, is a miss with a warning; a key file that is not private, ours and a
 * regular file keeps the cache from being used; a new key drops the rows of the old one. */
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include "hull-scan-cache.h"

static HullScanResults *
make_results(void)
{
	HullScanResults *r = hull_scan_results_new();
	r->os_id = g_strdup("debian");
	HullFinding *f = hull_finding_new_raw("secrets", "SEC-0001");
	f->severity = HULL_SEVERITY_CRITICAL;
	f->title = g_strdup("AWS key");
	f->path = g_strdup("/app/.env");
	f->line = 3;
	f->column = 7;
	f->layer = 1;
	f->deleted_in = 2;
	f->evidence = g_strdup("AKIA****");
	g_ptr_array_add(f->aliases, g_strdup("aws-access-token"));
	g_ptr_array_add(f->field_keys, g_strdup("kind"));
	g_ptr_array_add(f->field_values, NULL);
	g_ptr_array_add(r->findings, f);
	g_ptr_array_add(r->findings, hull_finding_new_raw("dockerfile", "DF-0002"));
	HullReportRule *rule = g_new0(HullReportRule, 1);
	rule->id = g_strdup("SEC-0001");
	rule->plugin = g_strdup("secrets");
	rule->severity = HULL_SEVERITY_CRITICAL;
	rule->aliases = g_ptr_array_new_with_free_func(g_free);
	rule->references = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(rule->references, g_strdup("https://example.org"));
	g_ptr_array_add(r->rules, rule);
	g_hash_table_insert(r->n_rules, g_strdup("secrets"), GUINT_TO_POINTER(258));
	HullFact *pkg = hull_fact_new("package");
	hull_fact_set(pkg, "name", "openssl");
	hull_fact_set(pkg, "version", "3.0.11-1");
	g_ptr_array_add(r->packages, pkg);
	g_ptr_array_add(r->notes, g_strdup("hullscan: a note"));
	return r;
}

static void
test_round_trip(void)
{
	g_autoptr(HullScanResults) in = make_results();
	g_autoptr(GBytes) payload = hull_scan_results_serialize(in);
	g_assert_nonnull(payload);
	g_autoptr(HullScanResults) out = hull_scan_results_deserialize(payload);
	g_assert_nonnull(out);
	g_assert_cmpstr(out->os_id, ==, "debian");
	g_assert_null(out->os_version);
	g_assert_cmpuint(out->findings->len, ==, 2);
	HullFinding *f = g_ptr_array_index(out->findings, 0);
	g_assert_cmpstr(f->rule_id, ==, "SEC-0001");
	g_assert_cmpstr(f->plugin, ==, "secrets");
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_CRITICAL);
	g_assert_cmpstr(f->path, ==, "/app/.env");
	g_assert_cmpuint(f->line, ==, 3);
	g_assert_cmpuint(f->column, ==, 7);
	g_assert_cmpint(f->layer, ==, 1);
	g_assert_cmpint(f->deleted_in, ==, 2);
	g_assert_cmpstr(f->evidence, ==, "AKIA****");
	g_assert_null(f->message);
	g_assert_cmpstr(g_ptr_array_index(f->aliases, 0), ==, "aws-access-token");
	g_assert_cmpuint(f->field_values->len, ==, 1);
	g_assert_null(g_ptr_array_index(f->field_values, 0));
	HullFinding *g = g_ptr_array_index(out->findings, 1);
	g_assert_cmpint(g->layer, ==, -1);
	g_assert_cmpint(g->deleted_in, ==, -1);
	HullReportRule *rule = g_ptr_array_index(out->rules, 0);
	g_assert_cmpstr(rule->id, ==, "SEC-0001");
	g_assert_cmpstr(g_ptr_array_index(rule->references, 0), ==, "https://example.org");
	g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(out->n_rules, "secrets")), ==, 258);
	g_assert_cmpstr(hull_fact_get(g_ptr_array_index(out->packages, 0), "version"), ==, "3.0.11-1");
	g_assert_cmpstr(g_ptr_array_index(out->notes, 0), ==, "hullscan: a note");
}

static void
test_not_utf8_refused(void)
{
	g_autoptr(HullScanResults) in = make_results();
	HullFinding *f = g_ptr_array_index(in->findings, 0);
	g_free(f->evidence);
	f->evidence = g_strdup("bad \xff\xfe bytes");
	g_assert_null(hull_scan_results_serialize(in));
}

static void
test_hostile_payloads(void)
{
	g_autoptr(HullScanResults) in = make_results();
	g_autoptr(GBytes) payload = hull_scan_results_serialize(in);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(payload, &len);
	/* every truncation */
	for (gsize n = 0; n < len; n++) {
		g_autoptr(GBytes) cut = g_bytes_new(data, n);
		g_autoptr(HullScanResults) r = hull_scan_results_deserialize(cut);
		g_assert_null(r);
	}
	/* random bytes of many sizes, and single-byte flips of a good payload: never a crash */
	GRand *rand = g_rand_new_with_seed(42);
	for (guint i = 0; i < 2000; i++) {
		gsize n = g_rand_int_range(rand, 0, (gint32)len * 2);
		guint8 *buf = g_malloc(n + 1);
		for (gsize j = 0; j < n; j++)
			buf[j] = (guint8)g_rand_int(rand);
		g_autoptr(GBytes) junk = g_bytes_new_take(buf, n);
		g_autoptr(HullScanResults) r = hull_scan_results_deserialize(junk);
		(void)r;
		guint8 *flip = g_memdup2(data, len);
		flip[g_rand_int_range(rand, 0, (gint32)len)] ^= (guint8)(1u << g_rand_int_range(rand, 0, 8));
		g_autoptr(GBytes) flipped = g_bytes_new_take(flip, len);
		g_autoptr(HullScanResults) r2 = hull_scan_results_deserialize(flipped);
		if (r2 != NULL) {
			for (guint k = 0; k < r2->findings->len; k++) {
				HullFinding *f = g_ptr_array_index(r2->findings, k);
				g_assert_cmpint(f->severity, <=, HULL_SEVERITY_LAST);
				g_assert_cmpuint(f->field_keys->len, ==, f->field_values->len);
			}
		}
	}
	g_rand_free(rand);
	/* well formed, out of range: a severity the report could not print */
	HullFinding *f = g_ptr_array_index(in->findings, 0);
	f->severity = (HullSeverity)(HULL_SEVERITY_LAST + 5);
	g_autoptr(GBytes) bad = hull_scan_results_serialize(in);
	g_assert_nonnull(bad);
	g_assert_null(hull_scan_results_deserialize(bad));
	/* text where a variant is expected */
	g_autoptr(GBytes) text = g_bytes_new_static("{\"format\": 1}", 13);
	g_assert_null(hull_scan_results_deserialize(text));
}

static void
test_deps(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("hullscan-deps-XXXXXX", NULL);
	g_autofree gchar *fn = g_build_filename(dir, "rules.json", NULL);
	g_assert_true(g_file_set_contents(fn, "{\"rules\": []}", -1, NULL));
	g_autofree gchar *missing = g_build_filename(dir, "absent.json", NULL);
	g_autofree gchar *deps = g_strdup_printf("[[\"file:%s\", \"%s\", \"absent\"]]", missing, missing);
	g_assert_true(hull_scan_cache_deps_current(deps, NULL));
	g_assert_true(hull_scan_cache_deps_current("[]", NULL));
	const char *const junk[] = {"", "[", "{}", "[1]", "[[1, 2, 3]]", "[[\"file:/x\", \"/x\"]]",
	                            "[[\"weird:/x\", \"/x\", \"absent\"]]", "[[[], {}, null]]", "null", "[[\"file:/x\", \"/y\", \"absent\"]]"};
	for (guint i = 0; i < G_N_ELEMENTS(junk); i++)
		g_assert_false(hull_scan_cache_deps_current(junk[i], NULL));
	/* a file's fingerprint, then the file changed */
	g_autofree gchar *good = g_strdup_printf("[[\"file:%s\", \"%s\", \"sha256:%s\"]]", fn, fn,
	                                         "b2d6f3cb1b1a3b6e0b1f1cc1f2b7ab8d1b4b9ed2d5f4f1b4c6c1b5f4c8a6b2f1");
	g_assert_false(hull_scan_cache_deps_current(good, NULL));
	g_autofree gchar *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "{\"rules\": []}", -1);
	g_autofree gchar *right = g_strdup_printf("[[\"file:%s\", \"%s\", \"sha256:%s\"]]", fn, fn, hex);
	g_assert_true(hull_scan_cache_deps_current(right, NULL));
	g_assert_true(g_file_set_contents(fn, "{\"rules\": [1]}", -1, NULL));
	g_assert_false(hull_scan_cache_deps_current(right, NULL));
	g_unlink(fn);
	g_rmdir(dir);
}

/* ---- row authentication ---- */

/* A temporary cache directory, removed with everything in it. */
typedef struct {
	gchar *dir;
	gchar *db;
	gchar *key;
} CacheDir;

static void
cache_dir_init(CacheDir *d)
{
	d->dir = g_dir_make_tmp("hullscan-cache-XXXXXX", NULL);
	g_assert_nonnull(d->dir);
	d->db = g_build_filename(d->dir, "cache.sqlite", NULL);
	d->key = g_build_filename(d->dir, "cache.key", NULL);
}

static void
cache_dir_clear(CacheDir *d)
{
	const char *names[] = {"cache.sqlite", "cache.sqlite-wal", "cache.sqlite-shm", "cache.key", "key.real", "fifo"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *fn = g_build_filename(d->dir, names[i], NULL);
		g_unlink(fn);
	}
	g_rmdir(d->dir);
	g_free(d->dir);
	g_free(d->db);
	g_free(d->key);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CacheDir, cache_dir_clear)

static HullCache *
open_cache(CacheDir *d)
{
	g_autoptr(GError) error = NULL;
	HullCache *c = hull_cache_open(d->dir, &error);
	g_assert_no_error(error);
	g_assert_nonnull(c);
	return c;
}

/* Runs @sql on the database directly, as someone who can write it but not read the key. */
static void
tamper(CacheDir *d, const char *sql)
{
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open(d->db, &db), ==, SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		g_error("%s: %s", sql, msg);
	g_assert_cmpint(sqlite3_changes(db), >, 0);
	sqlite3_close(db);
}

/* Expects the one warning a cache handle gives about rows that fail their MAC. */
static void
expect_integrity_warning(void)
{
	g_test_expect_message(NULL, G_LOG_LEVEL_WARNING, "*fails its integrity check*");
}

static void
store_result(HullCache *c, const char *key, const char *deps, const char *payload)
{
	g_autoptr(GBytes) p = g_bytes_new(payload, strlen(payload));
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_cache_store(c, key, deps, p, &error));
	g_assert_no_error(error);
}

/* Looks @key up in a fresh handle: TRUE, with what it holds, or FALSE. */
static gboolean
lookup_fresh(CacheDir *d, const char *key, gchar **payload_out)
{
	g_autoptr(HullCache) c = open_cache(d);
	g_autofree gchar *deps = NULL;
	g_autoptr(GBytes) payload = NULL;
	if (!hull_cache_lookup(c, key, &deps, &payload))
		return FALSE;
	gsize len = 0;
	const char *data = g_bytes_get_data(payload, &len);
	*payload_out = g_strndup(data, len);
	return TRUE;
}

static void
check_result_tamper(CacheDir *d, const char *sql)
{
	{
		g_autoptr(HullCache) c = open_cache(d);
		store_result(c, "k-leaky", "[]", "CRITICAL finding");
		store_result(c, "k-clean", "[[\"file:/r\", \"/r\", \"absent\"]]", "nothing");
	}
	g_autofree gchar *before = NULL;
	g_assert_true(lookup_fresh(d, "k-leaky", &before));
	g_assert_cmpstr(before, ==, "CRITICAL finding");
	tamper(d, sql);
	expect_integrity_warning();
	g_autofree gchar *after = NULL;
	g_assert_false(lookup_fresh(d, "k-leaky", &after));
	g_test_assert_expected_messages();
	/* the row was dropped: the next lookup is a plain miss, with no warning */
	g_assert_false(lookup_fresh(d, "k-leaky", &after));
	g_autofree gchar *other = NULL;
	g_assert_true(lookup_fresh(d, "k-clean", &other));
	g_assert_cmpstr(other, ==, "nothing");
}

static void
test_mac_results(void)
{
	const char *const attacks[] = {
		"UPDATE payloads SET payload = CAST('nothing' AS BLOB) WHERE key = 'k-leaky'",
		"UPDATE results SET deps = '[[\"file:/r\", \"/r\", \"absent\"]]' WHERE key = 'k-leaky'",
		"UPDATE results SET mac = zeroblob(32) WHERE key = 'k-leaky'",
		"UPDATE results SET mac = x'00' WHERE key = 'k-leaky'",
		/* another row's payload, deps and MAC: made with the same key, for another cache key */
		"UPDATE payloads SET payload = (SELECT payload FROM payloads WHERE key = 'k-clean') WHERE key = 'k-leaky';"
		"UPDATE results SET (deps, mac) = (SELECT deps, mac FROM results WHERE key = 'k-clean') WHERE key = 'k-leaky'",
	};
	for (guint i = 0; i < G_N_ELEMENTS(attacks); i++) {
		g_auto(CacheDir) d = {0};
		cache_dir_init(&d);
		check_result_tamper(&d, attacks[i]);
	}
}

static HullCacheFileId
fake_file(const char *path, guint64 ino)
{
	/* stat'ed long ago: outside the racy window */
	HullCacheFileId id = {(gchar *)path, 42, ino, 1000, G_GINT64_CONSTANT(1000000000000000000),
	                      G_GINT64_CONSTANT(1000000000000000000)};
	return id;
}

static void
test_mac_probes(void)
{
	g_auto(CacheDir) d = {0};
	cache_dir_init(&d);
	HullCacheFileId a = fake_file("/images/a.tar", 7), b = fake_file("/images/b.tar", 8);
	gint64 now_ns = g_get_real_time() * 1000;
	{
		g_autoptr(HullCache) c = open_cache(&d);
		g_autoptr(GBytes) ma = g_bytes_new_static("memo of a", 9);
		g_autoptr(GBytes) mb = g_bytes_new_static("memo of b", 9);
		hull_cache_probe_store(c, &a, ma, now_ns);
		hull_cache_probe_store(c, &b, mb, now_ns);
		g_autoptr(GBytes) got = hull_cache_probe_lookup(c, &a);
		g_assert_nonnull(got);
		g_assert_cmpmem(g_bytes_get_data(got, NULL), g_bytes_get_size(got), "memo of a", 9);
	}
	/* b's memo and MAC moved onto a's row */
	tamper(&d, "UPDATE probes SET (memo, mac) = (SELECT memo, mac FROM probes WHERE path = '/images/b.tar')"
	           " WHERE path = '/images/a.tar'");
	g_autoptr(HullCache) c = open_cache(&d);
	expect_integrity_warning();
	g_autoptr(GBytes) got = hull_cache_probe_lookup(c, &a);
	g_test_assert_expected_messages();
	g_assert_null(got);
	/* a's row, edited in place to describe a changed file */
	tamper(&d, "UPDATE probes SET size = 2000 WHERE path = '/images/b.tar'");
	b.size = 2000;
	g_autoptr(GBytes) got_b = hull_cache_probe_lookup(c, &b); /* the second failure: g_debug only */
	g_assert_null(got_b);
}

static void
test_mac_trusted(void)
{
	g_auto(CacheDir) d = {0};
	cache_dir_init(&d);
	HullCacheFileId a = fake_file("/images/a.tar", 7);
	g_autoptr(GPtrArray) files = g_ptr_array_new();
	g_ptr_array_add(files, &a);
	{
		g_autoptr(HullCache) c = open_cache(&d);
		hull_cache_trust(c, "image-1", files, g_get_real_time() * 1000);
		g_assert_true(hull_cache_is_trusted(c, "image-1", files));
	}
	/* a file changed since it was verified, its new stat written into the row */
	tamper(&d, "UPDATE trusted SET ino = 99");
	a.ino = 99;
	g_autoptr(HullCache) c = open_cache(&d);
	expect_integrity_warning();
	g_assert_false(hull_cache_is_trusted(c, "image-1", files));
	g_test_assert_expected_messages();
	hull_cache_trust(c, "image-1", files, g_get_real_time() * 1000);
	g_assert_true(hull_cache_is_trusted(c, "image-1", files));
	/* vouching for another image's content */
	tamper(&d, "UPDATE trusted SET image_key = 'image-2'");
	g_assert_false(hull_cache_is_trusted(c, "image-2", files));
}

static void
test_mac_modules(void)
{
	g_auto(CacheDir) d = {0};
	cache_dir_init(&d);
	HullCacheModule m = {"secrets", "1.0", 5, 1024, 3};
	{
		g_autoptr(HullCache) c = open_cache(&d);
		hull_cache_module_store(c, "abc", &m);
		HullCacheModule got;
		g_assert_true(hull_cache_module_lookup(c, "abc", &got));
		g_assert_cmpstr(got.name, ==, "secrets");
		g_assert_cmpuint(got.capabilities, ==, 5);
		hull_cache_module_clear(&got);
	}
	tamper(&d, "UPDATE modules SET capabilities = 0");
	g_autoptr(HullCache) c = open_cache(&d);
	HullCacheModule got;
	expect_integrity_warning();
	g_assert_false(hull_cache_module_lookup(c, "abc", &got));
	g_test_assert_expected_messages();
	g_assert_null(got.name);
	hull_cache_module_store(c, "abc", &m);
	g_assert_true(hull_cache_module_lookup(c, "abc", &got));
	hull_cache_module_clear(&got);
	tamper(&d, "UPDATE modules SET name = 'secretz'");
	g_assert_false(hull_cache_module_lookup(c, "abc", &got));
}

/* hull_cache_open's error on @d, which must name the key file and say @why. */
static void
assert_refused(CacheDir *d, const char *why)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(HullCache) c = hull_cache_open(d->dir, &error);
	g_assert_null(c);
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "cache.key"));
	g_assert_nonnull(strstr(error->message, why));
	g_assert_null(strchr(error->message, '\n'));
}

static void
test_key_refused(void)
{
	g_auto(CacheDir) d = {0};
	cache_dir_init(&d);
	{
		g_autoptr(HullCache) c = open_cache(&d);
	}
	GStatBuf st;
	g_assert_cmpint(g_lstat(d.key, &st), ==, 0);
	g_assert_cmpint(st.st_size, ==, 32);
	g_assert_cmpint(st.st_mode & 07777, ==, 0600);
	g_assert_cmpint(st.st_uid, ==, geteuid());

	g_assert_cmpint(g_chmod(d.key, 0644), ==, 0);
	assert_refused(&d, "mode 0644");
	g_assert_cmpint(g_chmod(d.key, 0640), ==, 0);
	assert_refused(&d, "mode 0640");
	g_assert_cmpint(g_chmod(d.key, 0600), ==, 0);
	{
		g_autoptr(HullCache) c = open_cache(&d);
	}

	/* a link to a private key of ours is still refused: the name itself must be the file */
	g_autofree gchar *real = g_build_filename(d.dir, "key.real", NULL);
	g_assert_cmpint(g_rename(d.key, real), ==, 0);
	g_assert_cmpint(symlink(real, d.key), ==, 0);
	assert_refused(&d, "symbolic link");
	g_unlink(d.key);

	/* a FIFO under the name: refused, without hanging on its open */
	g_assert_cmpint(mkfifo(d.key, 0600), ==, 0);
	assert_refused(&d, "not a regular file");
	g_unlink(d.key);

	g_assert_true(g_file_set_contents(d.key, "short", -1, NULL));
	g_assert_cmpint(g_chmod(d.key, 0600), ==, 0);
	assert_refused(&d, "not a 32-byte key");
}

static void
test_key_other_owner(void)
{
	if (geteuid() != 0) {
		g_test_skip("a key file owned by another user: needs root to chown");
		return;
	}
	g_auto(CacheDir) d = {0};
	cache_dir_init(&d);
	{
		g_autoptr(HullCache) c = open_cache(&d);
	}
	g_assert_cmpint(chown(d.key, 65534, (gid_t)-1), ==, 0);
	assert_refused(&d, "owned by uid 65534");
}

static void
test_key_new_drops_rows(void)
{
	g_auto(CacheDir) d = {0};
	cache_dir_init(&d);
	{
		g_autoptr(HullCache) c = open_cache(&d);
		store_result(c, "k", "[]", "payload");
		g_assert_cmpint(hull_cache_count(c), ==, 1);
	}
	g_autofree gchar *old_key = NULL;
	g_assert_true(g_file_get_contents(d.key, &old_key, NULL, NULL));
	g_assert_cmpint(g_unlink(d.key), ==, 0);
	/* a new key: the old rows would all fail their MAC, so they are dropped, silently */
	g_autoptr(HullCache) c = open_cache(&d);
	g_assert_cmpint(hull_cache_count(c), ==, 0);
	g_autofree gchar *new_key = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(d.key, &new_key, &len, NULL));
	g_assert_cmpuint(len, ==, 32);
	g_assert_true(memcmp(old_key, new_key, 32) != 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scan-cache/round-trip", test_round_trip);
	g_test_add_func("/scan-cache/not-utf8-refused", test_not_utf8_refused);
	g_test_add_func("/scan-cache/hostile-payloads", test_hostile_payloads);
	g_test_add_func("/scan-cache/deps", test_deps);
	g_test_add_func("/scan-cache/mac/results", test_mac_results);
	g_test_add_func("/scan-cache/mac/probes", test_mac_probes);
	g_test_add_func("/scan-cache/mac/trusted", test_mac_trusted);
	g_test_add_func("/scan-cache/mac/modules", test_mac_modules);
	g_test_add_func("/scan-cache/key/refused", test_key_refused);
	g_test_add_func("/scan-cache/key/other-owner", test_key_other_owner);
	g_test_add_func("/scan-cache/key/new-key-drops-rows", test_key_new_drops_rows);
	return g_test_run();
}
