/* hull-dockerfile-lint.h: what the files of the dockerfile plugin share: the plugin state, the
 * rule table, the emitter (which honours inline pragmas), and the three checkers: instruction
 * rules on Dockerfiles, image config checks, and file checks on the merged tree. */
#pragma once

#include <hullscan/hullscan.h>

G_BEGIN_DECLS

/* Ignore pragmas of one Dockerfile: `# hullscan ignore=ID,…` and `# hadolint ignore=DLxxxx`
 * apply to the next instruction, `# hullscan global ignore=…` to the whole file. */
typedef struct {
	GHashTable *by_line;  /* GUINT_TO_POINTER(line) -> GPtrArray of ids */
	GPtrArray *global;    /* ids */
} HullDfPragmas;

typedef struct {
	HullPluginCtx *ctx;
	gchar **trusted_registries;  /* option trusted_registries, or NULL: any */
	GMutex lock;
	GHashTable *pragmas;         /* path -> HullDfPragmas*, for the current scan */
	gboolean dockerfile_target;
	GRegex *re_pipe_sh;
	GRegex *re_secret_value;
	GRegex *re_secret_name;
} HullDfPlugin;

extern const HullRule hull_df_rules[];
extern const guint hull_df_n_rules;

const HullRule *hull_df_rule(const char *id);

HullDfPragmas *hull_df_pragmas_parse(const char *text, gsize len);
void hull_df_pragmas_free(HullDfPragmas *pragmas);
/* TRUE when @rule (by id or alias) is ignored at @line. */
gboolean hull_df_pragmas_ignore(const HullDfPragmas *pragmas, guint line, const HullRule *rule);

gboolean hull_df_secret_name(HullDfPlugin *p, const char *name);
gboolean hull_df_secret_value(HullDfPlugin *p, const char *value);

void hull_df_lint(HullDfPlugin *p, HullScan *scan, HullDockerfile *df);
void hull_df_check_image(HullDfPlugin *p, HullScan *scan, HullImage *image);
void hull_df_check_fs(HullDfPlugin *p, HullScan *scan, HullFs *fs);

G_END_DECLS
