/* fuzz-dockerfile.c: libFuzzer harness for the Dockerfile parser: parse (with a build arg so
 * the resolver expands), walk every accessor, dump the AST, and lex the input as words the
 * way heredoc detection does. Any crash, leak or hang is a bug. */
#include "views/hull-dockerfile.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GHashTable) ba = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_insert(ba, (gpointer)"V", (gpointer)"1");
	g_autoptr(HullDockerfile) df = hull_dockerfile_parse("fuzz/Dockerfile", -1, data, size, ba);
	guint n = hull_dockerfile_get_n_instructions(df);

	for (guint i = 0; i < n; i++) {
		const HullInstruction *in = hull_dockerfile_get_instruction(df, i);
		const char *const *a = hull_instruction_get_args(in);
		for (guint j = 0; a[j] != NULL; j++)
			(void)strlen(a[j]);
		(void)hull_instruction_get_flag(in, "from");
		(void)hull_instruction_get_heredocs(in);
		(void)hull_instruction_get_onbuild(in);
	}
	for (guint s = 0; s < hull_dockerfile_get_n_stages(df); s++)
		(void)hull_dockerfile_get_stage_name(df, s);
	g_autofree gchar *dump = hull_dockerfile_dump(df);
	if (size < 4096 && memchr(data, 0, size) == NULL) {
		g_autofree gchar *s = g_strndup((const char *)data, size);
		HullDfLex lex = { '\\', TRUE, TRUE, FALSE, NULL };
		g_auto(GStrv) words = hull_df_lex_words(&lex, s, NULL);
		g_autofree gchar *w = hull_df_lex_word(&lex, s, NULL);
	}
	return 0;
}
