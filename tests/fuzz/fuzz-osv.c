/* fuzz-osv.c: libFuzzer harness for the vulnerability database's input side: the input is
 * imported as a JSON document (OSV record or array, Debian tracker, Alpine secdb) into an
 * in-memory database, then matched; its first two lines are also fed to every version
 * comparator, which must stay antisymmetric. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hull-vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static HullVulnDb *hull_fuzz_db;
static guint hull_fuzz_runs;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a fresh in-memory database now and then keeps memory flat over long runs */
	if (hull_fuzz_db == NULL || ++hull_fuzz_runs % 1000 == 0) {
		g_clear_pointer(&hull_fuzz_db, hull_vulndb_close);
		hull_fuzz_db = hull_vulndb_open(":memory:", FALSE, NULL);
		if (hull_fuzz_db == NULL)
			abort(); /* harness setup, not input handling */
	}
	g_autoptr(HullVulnImportStats) stats = hull_vuln_import_stats_new();
	g_autoptr(GError) error = NULL;
	(void)hull_vulndb_import_json_data(hull_fuzz_db, (const char *)data, size, "fuzz", stats, &error);
	g_autoptr(GPtrArray) m = hull_vulndb_match(hull_fuzz_db, "Debian:12", "foo", "1.0-1", NULL);

	g_autofree gchar *text = g_strndup((const char *)data, size);
	char *nl = strchr(text, '\n');
	const char *a = text, *b = "";
	if (nl != NULL) {
		*nl = '\0';
		b = nl + 1;
		char *nl2 = strchr(nl + 1, '\n');
		if (nl2 != NULL)
			*nl2 = '\0';
	}
	for (int s = HULL_VERSION_SCHEME_UNKNOWN; s <= HULL_VERSION_SCHEME_SEMVER; s++) {
		int x = hull_version_compare((HullVersionScheme)s, a, b);
		int y = hull_version_compare((HullVersionScheme)s, b, a);
		if (x != -y || hull_version_compare((HullVersionScheme)s, a, a) != 0)
			abort(); /* the finding a fuzzer is for */
	}
	return 0;
}
