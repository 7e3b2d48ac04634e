/* hull-dockerfile.c: the Dockerfile view. Entry point of the parser (hull_dockerfile_parse),
 * the resolver that assigns instructions to stages and expands their arguments the way
 * BuildKit's dispatcher does (global ARGs for FROM, ARG/ENV scoping per stage, build-arg
 * overrides), the accessors of hull-views.h, and BuildKit's AST dump used by conformance
 * tests. */
#include "hull-dockerfile.h"

#include <string.h>

HullDockerfile *
hull_dockerfile_new(const char *path, int layer)
{
	HullDockerfile *df = g_new0(HullDockerfile, 1);

	df->path = g_strdup(path != NULL ? path : "Dockerfile");
	df->layer = layer;
	df->insns = g_ptr_array_new_with_free_func((GDestroyNotify)hull_instruction_free);
	df->stage_names = g_ptr_array_new_with_free_func(g_free);
	df->escape = '\\';
	return df;
}

void
hull_dockerfile_free(HullDockerfile *df)
{
	if (df == NULL)
		return;
	g_free(df->path);
	g_free(df->error);
	g_ptr_array_unref(df->insns);
	g_ptr_array_unref(df->stage_names);
	g_free(df);
}

gboolean
hull_dockerfile_name_matches(const char *path)
{
	const char *base;

	g_return_val_if_fail(path != NULL, FALSE);
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if (g_ascii_strcasecmp(base, "Dockerfile") == 0 || g_ascii_strcasecmp(base, "Containerfile") == 0)
		return TRUE;
	if (g_ascii_strncasecmp(base, "Dockerfile.", 11) == 0 && base[11] != '\0')
		return TRUE;
	if (g_ascii_strncasecmp(base, "Containerfile.", 14) == 0 && base[14] != '\0')
		return TRUE;
	gsize n = strlen(base);
	if (n > 11 && g_ascii_strcasecmp(base + n - 11, ".Dockerfile") == 0)
		return TRUE;
	return FALSE;
}

/* ---- resolver ---- */

/* Expansion may amplify (ENV B=$A$A, 100k times): the whole file gets a budget, past which
 * words stay as written. */
#define DF_EXPAND_BUDGET (64 * 1024 * 1024)

static gchar *
df_expand_in(HullDockerfile *df, GHashTable *env, const char *word)
{
	HullDfLex lex = { df->escape, FALSE, FALSE, FALSE, env };
	gchar *out;

	if (strchr(word, '$') == NULL && strchr(word, '\'') == NULL && strchr(word, '"') == NULL &&
	    strchr(word, df->escape) == NULL)
		return g_strdup(word);
	if (df->expand_budget == 0)
		return g_strdup(word);
	out = hull_df_lex_word(&lex, word, NULL);
	/* BuildKit fails the build on a bad substitution; a linter keeps the word as written. */
	if (out == NULL)
		return g_strdup(word);
	gsize n = strlen(out);
	if (n > df->expand_budget) {
		df->expand_budget = 0;
		g_free(out);
		return g_strdup(word);
	}
	df->expand_budget -= n;
	return out;
}
#define df_expand(env, escape, word) df_expand_in(df, (env), (word))

static void
df_set_args(HullInstruction *insn, GPtrArray *args)
{
	g_ptr_array_add(args, NULL);
	g_strfreev(insn->args);
	insn->args = (char **)g_ptr_array_free(args, FALSE);
}

static void
df_raw_args(HullInstruction *insn)
{
	GPtrArray *a = g_ptr_array_new();

	for (guint i = 0; i < insn->raw->len; i++)
		g_ptr_array_add(a, g_strdup(insn->raw->pdata[i]));
	df_set_args(insn, a);
}

/* ARG name[=value]: declares @name in @env, honouring build args and global defaults. */
static void
df_declare_arg(GHashTable *env, GHashTable *globals, GHashTable *build_args, const char *name,
               const char *value)
{
	const char *v = NULL;

	if (build_args != NULL)
		v = g_hash_table_lookup(build_args, name);
	if (v == NULL)
		v = value;
	if (v == NULL && globals != NULL)
		v = g_hash_table_lookup(globals, name);
	if (v != NULL)
		g_hash_table_replace(env, g_strdup(name), g_strdup(v));
}

static void
df_resolve_insn(HullDockerfile *df, HullInstruction *insn, GHashTable *env, GHashTable *globals,
                GHashTable *build_args, int stage)
{
	const char *k = insn->keyword;
	GPtrArray *a;

	insn->stage = stage;
	if (strcmp(k, "ARG") == 0) {
		a = g_ptr_array_new();
		for (guint i = 0; i < insn->raw->len; i++) {
			const char *w = insn->raw->pdata[i];
			const char *eq = strchr(w, '=');
			g_autofree gchar *name = eq != NULL ? g_strndup(w, (gsize)(eq - w)) : g_strdup(w);
			g_autofree gchar *val = eq != NULL ? df_expand(env, df->escape, eq + 1) : NULL;
			df_declare_arg(env, stage >= 0 ? globals : NULL, build_args, name, val);
			g_ptr_array_add(a, val != NULL ? g_strdup_printf("%s=%s", name, val) : g_strdup(name));
		}
		df_set_args(insn, a);
	} else if (strcmp(k, "ENV") == 0 || strcmp(k, "LABEL") == 0) {
		a = g_ptr_array_new();
		for (guint i = 0; i + 1 < insn->raw->len; i += 3) {
			gchar *key = df_expand(env, df->escape, insn->raw->pdata[i]);
			gchar *val = df_expand(env, df->escape, insn->raw->pdata[i + 1]);
			if (strcmp(k, "ENV") == 0)
				g_hash_table_replace(env, g_strdup(key), g_strdup(val));
			g_ptr_array_add(a, key);
			g_ptr_array_add(a, val);
		}
		df_set_args(insn, a);
	} else if (strcmp(k, "EXPOSE") == 0) {
		HullDfLex lex = { df->escape, FALSE, FALSE, FALSE, env };
		a = g_ptr_array_new();
		for (guint i = 0; i < insn->raw->len; i++) {
			g_auto(GStrv) ws = df->expand_budget > 0 ? hull_df_lex_words(&lex, insn->raw->pdata[i], NULL) : NULL;
			for (guint j = 0; ws != NULL && ws[j] != NULL; j++)
				df->expand_budget -= MIN(df->expand_budget, strlen(ws[j]));
			if (ws == NULL) {
				g_ptr_array_add(a, g_strdup(insn->raw->pdata[i]));
				continue;
			}
			for (guint j = 0; ws[j] != NULL; j++)
				g_ptr_array_add(a, g_strdup(ws[j]));
		}
		df_set_args(insn, a);
	} else if (strcmp(k, "COPY") == 0 || strcmp(k, "ADD") == 0 || strcmp(k, "USER") == 0 ||
	           strcmp(k, "WORKDIR") == 0 || strcmp(k, "VOLUME") == 0 || strcmp(k, "STOPSIGNAL") == 0) {
		a = g_ptr_array_new();
		for (guint i = 0; i < insn->raw->len; i++)
			g_ptr_array_add(a, df_expand(env, df->escape, insn->raw->pdata[i]));
		df_set_args(insn, a);
	} else {
		df_raw_args(insn);
	}
	if (insn->onbuild != NULL) {
		/* ONBUILD triggers run in the child image: keep their words as written */
		insn->onbuild->stage = stage;
		df_raw_args(insn->onbuild);
	}
}

void
hull_dockerfile_resolve(HullDockerfile *df, GHashTable *build_args)
{
	g_autoptr(GHashTable) globals = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) env = NULL;
	static const char *const meta[] = {
		"BUILDPLATFORM", "linux/amd64", "BUILDOS", "linux", "BUILDARCH", "amd64", "BUILDVARIANT", "",
		"TARGETPLATFORM", "linux/amd64", "TARGETOS", "linux", "TARGETARCH", "amd64", "TARGETVARIANT", "",
		NULL,
	};
	int stage = -1;

	df->expand_budget = DF_EXPAND_BUDGET;
	for (guint i = 0; meta[i] != NULL; i += 2)
		g_hash_table_replace(globals, g_strdup(meta[i]), g_strdup(meta[i + 1]));
	for (guint i = 0; i < df->insns->len; i++) {
		HullInstruction *insn = df->insns->pdata[i];
		if (strcmp(insn->keyword, "FROM") == 0) {
			GPtrArray *a = g_ptr_array_new();
			stage++;
			for (guint j = 0; j < insn->raw->len; j++)
				g_ptr_array_add(a, df_expand(globals, df->escape, insn->raw->pdata[j]));
			df_set_args(insn, a);
			insn->stage = stage;
			const char *name = NULL;
			if (g_strv_length(insn->args) >= 3 && g_ascii_strcasecmp(insn->args[1], "AS") == 0)
				name = insn->args[2];
			g_ptr_array_add(df->stage_names, name != NULL ? g_ascii_strdown(name, -1) : NULL);
			if (env != NULL)
				g_hash_table_unref(env);
			env = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
			continue;
		}
		df_resolve_insn(df, insn, stage < 0 ? globals : env, globals, build_args, stage);
	}
}

HullDockerfile *
hull_dockerfile_parse(const char *path, int layer, const guint8 *data, gsize len, GHashTable *build_args)
{
	HullDockerfile *df = hull_dockerfile_new(path, layer);
	const guint8 *nul;
	gsize use = len;
	guint nul_line = 0;

	g_return_val_if_fail(data != NULL || len == 0, df);
	/* A NUL byte cannot be part of a Dockerfile we can reason about: stop at its line. */
	nul = len > 0 ? memchr(data, 0, len) : NULL;
	if (nul != NULL) {
		const guint8 *ls = nul;
		while (ls > data && ls[-1] != '\n')
			ls--;
		use = (gsize)(ls - data);
		nul_line = 1;
		for (const guint8 *p = data; p < ls; p++)
			if (*p == '\n')
				nul_line++;
	}
	hull_dockerfile_parse_lines(df, (const char *)data, use);
	if (nul != NULL) {
		g_free(df->error);
		df->error = g_strdup_printf("%s: line %u: NUL byte in Dockerfile", df->path, nul_line);
	}
	hull_dockerfile_resolve(df, build_args);
	return df;
}

/* ---- instructions the parser takes but a build refuses ---- */

/* The words BuildKit dispatches (instructions.Parse); any other is "unknown instruction". */
static const char *const hull_df_keywords[] = {
	"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
	"MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR", NULL,
};

#define HULL_DF_MAX_PROBLEMS 32

/* BuildKit's wording for an instruction it parses but would not build, or NULL. */
static gchar *
hull_df_instruction_problem(const HullInstruction *insn)
{
	const char *k = insn->keyword;
	guint n = insn->raw != NULL ? insn->raw->len : 0;
	if (!g_strv_contains(hull_df_keywords, k))
		return g_strdup_printf("unknown instruction: %s", insn->cmd);
	if (strcmp(k, "FROM") == 0 && n != 1 && n != 3)
		return g_strdup("FROM requires either one or three arguments");
	if ((strcmp(k, "COPY") == 0 || strcmp(k, "ADD") == 0) && n < 2)
		return g_strdup_printf("%s requires at least two arguments", k);
	if ((strcmp(k, "USER") == 0 || strcmp(k, "WORKDIR") == 0) && n != 1)
		return g_strdup_printf("%s requires exactly one argument", k);
	return NULL;
}

void
hull_dockerfile_collect_problems(HullDockerfile *df, GPtrArray *out)
{
	g_return_if_fail(df != NULL && out != NULL);
	guint found = 0;
	for (guint i = 0; i < df->insns->len; i++) {
		const HullInstruction *insn = g_ptr_array_index(df->insns, i);
		g_autofree gchar *why = hull_df_instruction_problem(insn);
		if (why == NULL)
			continue;
		if (++found > HULL_DF_MAX_PROBLEMS)
			continue;
		g_ptr_array_add(out, g_strdup_printf("%s: line %u: %s", df->path, insn->start_line, why));
	}
	if (found > HULL_DF_MAX_PROBLEMS)
		g_ptr_array_add(out, g_strdup_printf("%s: %u more instruction problem(s) not shown", df->path,
		                                     found - HULL_DF_MAX_PROBLEMS));
}

/* ---- accessors (hull-views.h) ---- */

const char *
hull_dockerfile_get_path(HullDockerfile *df)
{
	g_return_val_if_fail(df != NULL, NULL);
	return df->path;
}

int
hull_dockerfile_get_layer(HullDockerfile *df)
{
	g_return_val_if_fail(df != NULL, -1);
	return df->layer;
}

const char *
hull_dockerfile_get_error(HullDockerfile *df)
{
	g_return_val_if_fail(df != NULL, NULL);
	return df->error;
}

guint
hull_dockerfile_get_n_instructions(HullDockerfile *df)
{
	g_return_val_if_fail(df != NULL, 0);
	return df->insns->len;
}

const HullInstruction *
hull_dockerfile_get_instruction(HullDockerfile *df, guint index)
{
	g_return_val_if_fail(df != NULL, NULL);
	g_return_val_if_fail(index < df->insns->len, NULL);
	return df->insns->pdata[index];
}

guint
hull_dockerfile_get_n_stages(HullDockerfile *df)
{
	g_return_val_if_fail(df != NULL, 0);
	return df->stage_names->len;
}

const char *
hull_dockerfile_get_stage_name(HullDockerfile *df, guint stage)
{
	g_return_val_if_fail(df != NULL, NULL);
	g_return_val_if_fail(stage < df->stage_names->len, NULL);
	return df->stage_names->pdata[stage];
}

const char *
hull_instruction_get_keyword(const HullInstruction *insn)
{
	g_return_val_if_fail(insn != NULL, NULL);
	return insn->keyword;
}

const char *const *
hull_instruction_get_args(const HullInstruction *insn)
{
	static const char *const empty[] = { NULL };

	g_return_val_if_fail(insn != NULL, NULL);
	return insn->args != NULL ? (const char *const *)insn->args : empty;
}

gboolean
hull_instruction_is_json_form(const HullInstruction *insn)
{
	g_return_val_if_fail(insn != NULL, FALSE);
	return insn->json;
}

const char *const *
hull_instruction_get_flags(const HullInstruction *insn)
{
	g_return_val_if_fail(insn != NULL, NULL);
	return (const char *const *)insn->flags;
}

const char *
hull_instruction_get_flag(const HullInstruction *insn, const char *name)
{
	gsize n;

	g_return_val_if_fail(insn != NULL, NULL);
	g_return_val_if_fail(name != NULL, NULL);
	n = strlen(name);
	for (guint i = 0; insn->flags[i] != NULL; i++) {
		const char *f = insn->flags[i];
		if (strncmp(f, "--", 2) != 0 || g_ascii_strncasecmp(f + 2, name, n) != 0)
			continue;
		if (f[2 + n] == '=')
			return f + 3 + n;
		if (f[2 + n] == '\0')
			return "";
	}
	return NULL;
}

const char *
hull_instruction_get_original(const HullInstruction *insn)
{
	g_return_val_if_fail(insn != NULL, NULL);
	return insn->original;
}

guint
hull_instruction_get_start_line(const HullInstruction *insn)
{
	g_return_val_if_fail(insn != NULL, 0);
	return insn->start_line;
}

guint
hull_instruction_get_end_line(const HullInstruction *insn)
{
	g_return_val_if_fail(insn != NULL, 0);
	return insn->end_line;
}

int
hull_instruction_get_stage(const HullInstruction *insn)
{
	g_return_val_if_fail(insn != NULL, -1);
	return insn->stage;
}

const char *const *
hull_instruction_get_heredocs(const HullInstruction *insn)
{
	static const char *const empty[] = { NULL };

	g_return_val_if_fail(insn != NULL, NULL);
	return insn->heredocs != NULL ? (const char *const *)insn->heredocs : empty;
}

const HullInstruction *
hull_instruction_get_onbuild(const HullInstruction *insn)
{
	g_return_val_if_fail(insn != NULL, NULL);
	return insn->onbuild;
}

int
hull_instruction_get_layer(const HullInstruction *insn)
{
	g_return_val_if_fail(insn != NULL, -1);
	return insn->layer;
}

/* ---- BuildKit's Node.Dump() ---- */

/* Go's strconv.Quote, close enough for Dockerfile text. */
static void
df_quote(GString *out, const char *s)
{
	const char *p = s, *end = s + strlen(s);

	g_string_append_c(out, '"');
	while (p < end) {
		guchar c = (guchar)*p;
		if (c < 0x80) {
			switch (c) {
			case '"': g_string_append(out, "\\\""); break;
			case '\\': g_string_append(out, "\\\\"); break;
			case '\a': g_string_append(out, "\\a"); break;
			case '\b': g_string_append(out, "\\b"); break;
			case '\f': g_string_append(out, "\\f"); break;
			case '\n': g_string_append(out, "\\n"); break;
			case '\r': g_string_append(out, "\\r"); break;
			case '\t': g_string_append(out, "\\t"); break;
			case '\v': g_string_append(out, "\\v"); break;
			default:
				if (c < 0x20 || c == 0x7f)
					g_string_append_printf(out, "\\x%02x", c);
				else
					g_string_append_c(out, (char)c);
			}
			p++;
			continue;
		}
		const char *nx = g_utf8_find_next_char(p, end);
		gsize w = nx != NULL ? (gsize)(nx - p) : (gsize)(end - p);
		gunichar u = g_utf8_get_char_validated(p, (gssize)w);
		if (c == 0xC0 && p + 1 < end && (guchar)p[1] == 0x80) {
			/* NUL from a JSON "\u0000", stored as modified UTF-8 */
			g_string_append(out, "\\x00");
			p += 2;
			continue;
		}
		if (u >= 0x110000) {
			g_string_append_printf(out, "\\x%02x", c);
			p++;
			continue;
		}
		if (!g_unichar_isprint(u) || u == 0xA0 || u == 0xAD)
			g_string_append_printf(out, u > 0xFFFF ? "\\U%08x" : "\\u%04x", u);
		else
			g_string_append_len(out, p, (gssize)w);
		p += w;
	}
	g_string_append_c(out, '"');
}

static void
df_dump_insn(GString *out, const HullInstruction *insn)
{
	g_autofree gchar *lower = g_utf8_strdown(insn->cmd, -1);

	g_string_append(out, lower);
	if (insn->flags[0] != NULL) {
		g_string_append(out, " [");
		for (guint i = 0; insn->flags[i] != NULL; i++) {
			if (i > 0)
				g_string_append_c(out, ' ');
			df_quote(out, insn->flags[i]);
		}
		g_string_append_c(out, ']');
	}
	if (insn->onbuild != NULL) {
		g_string_append(out, " (");
		df_dump_insn(out, insn->onbuild);
		g_string_append(out, ")");
		return;
	}
	for (guint i = 0; i < insn->raw->len; i++) {
		g_string_append_c(out, ' ');
		df_quote(out, insn->raw->pdata[i]);
	}
}

gchar *
hull_dockerfile_dump(HullDockerfile *df)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < df->insns->len; i++) {
		g_string_append_c(out, '(');
		df_dump_insn(out, df->insns->pdata[i]);
		g_string_append(out, ")\n");
	}
	return g_string_free(out, FALSE);
}
