/* hull-dockerfile.h: the layout of the Dockerfile view (HullDockerfile, HullInstruction) shared
 * by the files of the Dockerfile parser: the line parser that mirrors BuildKit's AST, the shell
 * lexer that expands variables, the resolver that assigns stages and expands arguments, and the
 * history rebuilder. Nothing outside core/views/hull-dockerfile-*.c should need it but the
 * parser's own tests (they compare the BuildKit AST dump). */
#pragma once

#include "hull-views-private.h"

G_BEGIN_DECLS

struct _HullInstruction {
	char *keyword;          /* upper case as BuildKit dispatches it */
	char *cmd;              /* the keyword as written */
	GPtrArray *raw;         /* (char*) the AST's value nodes, before expansion */
	/* Expanded arguments, NULL-terminated, as hull_instruction_get_args() returns them:
	 * ENV and LABEL: key, value, key, value… (quotes removed); ARG: "name" or "name=value";
	 * FROM, COPY, ADD, EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL: expanded words; RUN, CMD,
	 * ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER: as written (one string, or the JSON
	 * elements); ONBUILD: none (see onbuild). */
	char **args;
	char **flags;           /* "--from=x", NULL-terminated */
	char *original;         /* the instruction line, continuations joined */
	char **heredocs;        /* heredoc bodies, NULL-terminated */
	char **heredoc_names;   /* their delimiters, NULL-terminated */
	HullInstruction *onbuild;
	gboolean json;
	gboolean has_sub;       /* ONBUILD with a sub-instruction */
	guint start_line;
	guint end_line;
	int stage;
	int layer;
};

struct _HullDockerfile {
	char *path;
	int layer;
	char *error;
	GPtrArray *insns;       /* (HullInstruction*) */
	GPtrArray *stage_names; /* (char*), NULL entries for unnamed stages */
	char escape;
	gsize expand_budget;    /* bytes the resolver may still produce by expansion */
};

/* Line parser (hull-dockerfile-parse.c): fills df->insns with raw instructions, or sets
 * df->error (with a line number) keeping what parsed before. */
void hull_dockerfile_parse_lines(HullDockerfile *df, const char *data, gsize len);
/* Parses one logical line into an instruction (also used for ONBUILD and history). NULL with
 * @error for a line BuildKit rejects. */
HullInstruction *hull_dockerfile_node_from_line(const char *line, char escape, GError **error);
void hull_instruction_free(HullInstruction *insn);

/* Resolver (hull-dockerfile.c): stages, scoping of ARG/ENV and expansion of args. */
void hull_dockerfile_resolve(HullDockerfile *df, GHashTable *build_args);
HullDockerfile *hull_dockerfile_new(const char *path, int layer);

/* BuildKit's debug dump of the AST ("(from \"x\")\n..."), for conformance tests. (transfer full) */
gchar *hull_dockerfile_dump(HullDockerfile *df);

/* ---- Shell lexer (hull-dockerfile-lex.c), after BuildKit's shell.Lex ---- */
typedef struct {
	char escape;
	gboolean raw_quotes;
	gboolean raw_escapes;
	gboolean skip_unset;
	GHashTable *env;        /* name -> value; may be NULL */
} HullDfLex;

/* One word: quotes removed, variables expanded. (transfer full) NULL with @error. */
gchar *hull_df_lex_word(const HullDfLex *lex, const char *word, GError **error);
/* Several words split at unquoted blanks. (transfer full) NULL with @error. */
gchar **hull_df_lex_words(const HullDfLex *lex, const char *line, GError **error);

/* Go's unicode.IsSpace for one byte taken as a rune, as BuildKit's byte loops use it. */
static inline gboolean
hull_df_byte_is_space(guchar c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
}

G_END_DECLS
