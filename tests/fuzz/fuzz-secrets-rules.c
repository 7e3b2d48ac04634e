/* fuzz-secrets-rules.c: libFuzzer harness for the secrets plugin's rule loader and engine. The
 * input is parsed as a rules file; when it loads, the engine is compiled from it and the same
 * bytes are scanned with it, in one piece and split in two, so the loader's validation, the
 * Hyperscan compile and the PCRE2 confirmation all see hostile data. */
#include <stdint.h>
#include <string.h>

#include "hull-secrets-engine.h"

static void
hull_fuzz_on_match(const HullSecretsMatch *m, gpointer user_data)
{
	guint *n = user_data;
	(*n)++;
	g_assert(m->secret_len > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func((GDestroyNotify)hull_secrets_rule_free);
	HullSecretsGlobal *global = hull_secrets_global_new();
	g_autoptr(GError) error = NULL;
	guint n = 0;

	if (size > 64 * 1024) {
		hull_secrets_global_free(global);
		return 0;
	}
	if (!hull_secrets_rules_parse((const char *)data, size, "fuzz", rules, global, &error) || rules->len == 0) {
		hull_secrets_global_free(global);
		return 0;
	}
	g_autoptr(HullSecretsEngine) engine = hull_secrets_engine_new(rules, global, NULL);
	if (engine == NULL)
		return 0;
	(void)hull_secrets_engine_scan_buffer(engine, "/fuzz", data, size, hull_fuzz_on_match, &n, NULL);
	HullSecretsStream *s = hull_secrets_stream_new(engine, "/fuzz", hull_fuzz_on_match, &n);
	(void)hull_secrets_stream_feed(s, data, size / 2, NULL);
	(void)hull_secrets_stream_feed(s, data + size / 2, size - size / 2, NULL);
	hull_secrets_stream_finish(s);
	return 0;
}
