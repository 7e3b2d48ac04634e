/* fuzz-ignore-list.c: libFuzzer harness for ignore lists (core/report/hull-ignore.c): the
 * same bytes parsed as YAML and as a plain list, and any list that loads is matched against
 * a finding, expiry included. */
#include <stdint.h>
#include "hull-filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"fuzz.yaml", "fuzz.txt"};
	HullFinding *f = hull_finding_new_raw("fuzz", "DF-0002");
	hull_finding_set_path(f, "/app/config/.env");
	hull_finding_add_alias(f, "DL3002");
	hull_finding_compute_fingerprint(f);
	GDate *today = g_date_new_dmy(1, G_DATE_JUNE, 2024);
	GPtrArray *notes = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		GError *error = NULL;
		HullIgnoreList *l = hull_ignore_list_parse(names[i], (const char *)data, size, &error);
		if (l != NULL) {
			hull_ignore_list_matches(l, f, today, notes);
			hull_ignore_list_free(l);
		}
		g_clear_error(&error);
	}
	g_ptr_array_unref(notes);
	g_date_free(today);
	hull_finding_free(f);
	return 0;
}
