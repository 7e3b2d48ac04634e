/* hull-dockerfile-lex.c: the shell-word lexer BuildKit applies to Dockerfile arguments
 * (quote removal, escapes, $V / ${V} and the ${V:-w} ${V:+w} ${V?w} ${V#p} ${V%p} ${V/p/r}
 * modifiers, word splitting). It also finds heredoc delimiters in raw mode. Nesting and
 * pattern work are bounded so hostile input cannot blow the stack or the clock. */
#include "hull-dockerfile.h"

#include <fnmatch.h>
#include <string.h>

#define DF_LEX_ERROR g_quark_from_static_string("hull-dockerfile-lex-error")
#define DF_LEX_MAX_DEPTH 64
#define DF_LEX_MAX_PATTERN_VALUE 1024
#define DF_LEX_MAX_REPLACE_VALUE 256
/* One expanded word may not grow past this: $A$A$A… of a large A is an amplification. */
#define DF_LEX_MAX_RESULT (1024 * 1024)

typedef struct {
	const HullDfLex *lex;
	const char *s;
	gsize pos, len;
	int depth;
} DfWord;

/* Split state for ProcessWords. */
typedef struct {
	GString *word;
	GPtrArray *words;
	gboolean in_word;
} DfWords;

static void
dw_raw_char(DfWords *w, char c)
{
	if (w == NULL)
		return;
	g_string_append_c(w->word, c);
	w->in_word = TRUE;
}

static void
dw_char(DfWords *w, char c)
{
	if (w == NULL)
		return;
	if (hull_df_byte_is_space((guchar)c) && (guchar)c < 0x80) {
		if (w->in_word && w->word->len > 0) {
			g_ptr_array_add(w->words, g_strdup(w->word->str));
			g_string_truncate(w->word, 0);
			w->in_word = FALSE;
		}
	} else {
		dw_raw_char(w, c);
	}
}

static void
dw_string(DfWords *w, const char *s)
{
	for (; *s; s++)
		dw_char(w, *s);
}

static void
dw_raw_string(DfWords *w, const char *s)
{
	if (w == NULL)
		return;
	g_string_append(w->word, s);
	w->in_word = TRUE;
}

static int
df_peek(DfWord *sw)
{
	return sw->pos < sw->len ? (guchar)sw->s[sw->pos] : -1;
}

static int
df_next(DfWord *sw)
{
	return sw->pos < sw->len ? (guchar)sw->s[sw->pos++] : -1;
}

static gchar *df_process_dollar(DfWord *sw, GError **error);

static gchar *
df_process_stop_on(DfWord *sw, int stop, gboolean raw_escapes, DfWords *words, GError **error)
{
	GString *res = g_string_new(NULL);

	if (++sw->depth > DF_LEX_MAX_DEPTH) {
		g_set_error_literal(error, DF_LEX_ERROR, 1, "variable substitution nested too deeply");
		g_string_free(res, TRUE);
		return NULL;
	}
	while (df_peek(sw) != -1) {
		int ch = df_peek(sw);
		if (res->len > DF_LEX_MAX_RESULT) {
			g_set_error_literal(error, DF_LEX_ERROR, 1, "variable expansion too large");
			g_string_free(res, TRUE);
			return NULL;
		}
		if (stop != -1 && ch == stop) {
			df_next(sw);
			sw->depth--;
			return g_string_free(res, FALSE);
		}
		if (ch == '\'') {
			/* single quote: verbatim up to the next one */
			df_next(sw);
			GString *q = g_string_new(NULL);
			if (sw->lex->raw_quotes)
				g_string_append_c(q, '\'');
			for (;;) {
				int c = df_next(sw);
				if (c == -1) {
					g_set_error_literal(error, DF_LEX_ERROR, 1,
					                    "unexpected end of statement while looking for matching single-quote");
					g_string_free(q, TRUE);
					g_string_free(res, TRUE);
					return NULL;
				}
				if (c == '\'')
					break;
				g_string_append_c(q, (char)c);
			}
			if (sw->lex->raw_quotes)
				g_string_append_c(q, '\'');
			g_string_append(res, q->str);
			dw_raw_string(words, q->str);
			g_string_free(q, TRUE);
		} else if (ch == '"') {
			df_next(sw);
			GString *q = g_string_new(NULL);
			if (sw->lex->raw_quotes)
				g_string_append_c(q, '"');
			for (;;) {
				int c = df_peek(sw);
				if (c == -1) {
					g_set_error_literal(error, DF_LEX_ERROR, 1,
					                    "unexpected end of statement while looking for matching double-quote");
					g_string_free(q, TRUE);
					g_string_free(res, TRUE);
					return NULL;
				}
				if (c == '"') {
					df_next(sw);
					if (sw->lex->raw_quotes)
						g_string_append_c(q, '"');
					break;
				}
				if (q->len > DF_LEX_MAX_RESULT) {
					g_set_error_literal(error, DF_LEX_ERROR, 1, "variable expansion too large");
					g_string_free(q, TRUE);
					g_string_free(res, TRUE);
					return NULL;
				}
				if (c == '$') {
					gchar *v = df_process_dollar(sw, error);
					if (v == NULL) {
						g_string_free(q, TRUE);
						g_string_free(res, TRUE);
						return NULL;
					}
					g_string_append(q, v);
					g_free(v);
					continue;
				}
				c = df_next(sw);
				if (c == sw->lex->escape) {
					if (sw->lex->raw_escapes)
						g_string_append_c(q, (char)c);
					int nx = df_peek(sw);
					if (nx == -1)
						continue;
					if (nx == '"' || nx == '$' || nx == sw->lex->escape)
						c = df_next(sw);
				}
				g_string_append_c(q, (char)c);
			}
			g_string_append(res, q->str);
			dw_raw_string(words, q->str);
			g_string_free(q, TRUE);
		} else if (ch == '$') {
			gchar *v = df_process_dollar(sw, error);
			if (v == NULL) {
				g_string_free(res, TRUE);
				return NULL;
			}
			g_string_append(res, v);
			dw_string(words, v);
			g_free(v);
		} else {
			ch = df_next(sw);
			if (ch == sw->lex->escape) {
				if (raw_escapes) {
					dw_raw_char(words, (char)ch);
					g_string_append_c(res, (char)ch);
				}
				ch = df_next(sw);
				if (ch == -1)
					break;
				dw_raw_char(words, (char)ch);
			} else {
				dw_char(words, (char)ch);
			}
			g_string_append_c(res, (char)ch);
		}
	}
	if (stop != -1) {
		g_set_error(error, DF_LEX_ERROR, 1, "unexpected end of statement while looking for matching %c",
		            (char)stop);
		g_string_free(res, TRUE);
		return NULL;
	}
	sw->depth--;
	return g_string_free(res, FALSE);
}

static gboolean
df_is_special_param(int c)
{
	return c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' || c == '!' || c == '0';
}

static gchar *
df_process_name(DfWord *sw)
{
	GString *name = g_string_new(NULL);

	while (df_peek(sw) != -1) {
		int ch = df_peek(sw);
		if (name->len == 0 && g_ascii_isdigit(ch)) {
			while (df_peek(sw) != -1 && g_ascii_isdigit(df_peek(sw)))
				g_string_append_c(name, (char)df_next(sw));
			return g_string_free(name, FALSE);
		}
		if (name->len == 0 && df_is_special_param(ch)) {
			g_string_append_c(name, (char)df_next(sw));
			return g_string_free(name, FALSE);
		}
		if (!g_ascii_isalnum(ch) && ch != '_')
			break;
		g_string_append_c(name, (char)df_next(sw));
	}
	return g_string_free(name, FALSE);
}

static const char *
df_getenv(DfWord *sw, const char *name)
{
	return sw->lex->env != NULL ? g_hash_table_lookup(sw->lex->env, name) : NULL;
}

/* ${V#p} ${V##p} ${V%p} ${V%%p} with shell patterns. */
static gchar *
df_trim_pattern(const char *value, const char *pattern, gboolean suffix, gboolean greedy)
{
	gsize n = strlen(value);

	if (n > DF_LEX_MAX_PATTERN_VALUE)
		return g_strdup(value);
	for (gsize k = 0; k <= n; k++) {
		gsize take = greedy ? n - k : k;
		g_autofree gchar *part = suffix ? g_strdup(value + n - take) : g_strndup(value, take);
		if (fnmatch(pattern, part, 0) == 0)
			return suffix ? g_strndup(value, n - take) : g_strdup(value + take);
	}
	return g_strdup(value);
}

static gchar *
df_replace_pattern(const char *value, const char *pattern, const char *repl, gboolean all)
{
	gsize n = strlen(value), i = 0;
	GString *out = g_string_new(NULL);
	gboolean done = FALSE;

	if (n > DF_LEX_MAX_REPLACE_VALUE || *pattern == '\0') {
		g_string_free(out, TRUE);
		return g_strdup(value);
	}
	while (i < n) {
		gsize best = 0;
		gboolean found = FALSE;
		if (!done) {
			for (gsize j = n; j > i; j--) {
				g_autofree gchar *part = g_strndup(value + i, j - i);
				if (fnmatch(pattern, part, 0) == 0) {
					best = j - i;
					found = TRUE;
					break;
				}
			}
		}
		if (found) {
			g_string_append(out, repl);
			i += best;
			if (!all)
				done = TRUE;
		} else {
			g_string_append_c(out, value[i++]);
		}
	}
	return g_string_free(out, FALSE);
}

static gchar *
df_process_dollar(DfWord *sw, GError **error)
{
	g_autofree gchar *name = NULL;
	const char *value;

	df_next(sw);
	if (df_peek(sw) != '{') {
		name = df_process_name(sw);
		if (*name == '\0')
			return g_strdup("$");
		value = df_getenv(sw, name);
		if (value == NULL && sw->lex->skip_unset)
			return g_strconcat("$", name, NULL);
		return g_strdup(value != NULL ? value : "");
	}
	df_next(sw);
	switch (df_peek(sw)) {
	case -1:
		g_set_error_literal(error, DF_LEX_ERROR, 1, "syntax error: missing '}'");
		return NULL;
	case '{': case '}': case ':':
		g_set_error_literal(error, DF_LEX_ERROR, 1, "syntax error: bad substitution");
		return NULL;
	}
	name = df_process_name(sw);
	int ch = df_next(sw);
	char chs[3] = { (char)(ch == -1 ? 0 : ch), 0, 0 };
	gboolean null_is_unset = FALSE;

	value = df_getenv(sw, name);
	switch (ch) {
	case '}':
		if (value == NULL && sw->lex->skip_unset)
			return g_strdup_printf("${%s}", name);
		return g_strdup(value != NULL ? value : "");
	case ':':
		null_is_unset = TRUE;
		ch = df_next(sw);
		chs[1] = (char)(ch == -1 ? 0 : ch);
		/* fall through */
	case '+': case '-': case '?': case '#': case '%': {
		gboolean raw = ch == '#' || ch == '%';
		if (null_is_unset && raw) {
			g_set_error(error, DF_LEX_ERROR, 1, "unsupported modifier (%s) in substitution", chs);
			return NULL;
		}
		if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
			g_set_error(error, DF_LEX_ERROR, 1, "unsupported modifier (%s) in substitution", chs);
			return NULL;
		}
		g_autofree gchar *word = df_process_stop_on(sw, '}', raw, NULL, error);
		if (word == NULL)
			return NULL;
		gboolean set = value != NULL;
		if (!set && sw->lex->skip_unset)
			return g_strdup_printf("${%s%s%s}", name, chs, word);
		switch (ch) {
		case '-':
			if (!set || (null_is_unset && *value == '\0'))
				return g_steal_pointer(&word);
			return g_strdup(value);
		case '+':
			if (!set || (null_is_unset && *value == '\0'))
				return g_strdup("");
			return g_steal_pointer(&word);
		case '?':
			if (!set || (null_is_unset && *value == '\0')) {
				g_set_error(error, DF_LEX_ERROR, 1, "%s: %s", name,
				            *word ? word : (!set ? "is not allowed to be unset" : "is not allowed to be empty"));
				return NULL;
			}
			return g_strdup(value);
		default: {
			const char *pat = word;
			gboolean greedy = FALSE;
			if (*pat == (char)ch) {
				greedy = TRUE;
				pat++;
			}
			return df_trim_pattern(value != NULL ? value : "", pat, ch == '%', greedy);
		}
		}
	}
	case '/': {
		gboolean all = df_peek(sw) == '/';
		if (all)
			df_next(sw);
		g_autofree gchar *pattern = df_process_stop_on(sw, '/', TRUE, NULL, error);
		if (pattern == NULL)
			return NULL;
		g_autofree gchar *repl = df_process_stop_on(sw, '}', TRUE, NULL, error);
		if (repl == NULL)
			return NULL;
		if (value == NULL && sw->lex->skip_unset)
			return g_strdup_printf("${%s/%s/%s}", name, pattern, repl);
		return df_replace_pattern(value != NULL ? value : "", pattern, repl, all);
	}
	case -1:
		g_set_error_literal(error, DF_LEX_ERROR, 1, "syntax error: missing '}'");
		return NULL;
	default:
		g_set_error(error, DF_LEX_ERROR, 1, "unsupported modifier (%s) in substitution", chs);
		return NULL;
	}
}

gchar *
hull_df_lex_word(const HullDfLex *lex, const char *word, GError **error)
{
	DfWord sw = { lex, word, 0, strlen(word), 0 };

	return df_process_stop_on(&sw, -1, lex->raw_escapes, NULL, error);
}

gchar **
hull_df_lex_words(const HullDfLex *lex, const char *line, GError **error)
{
	DfWord sw = { lex, line, 0, strlen(line), 0 };
	DfWords w = { g_string_new(NULL), g_ptr_array_new_with_free_func(g_free), FALSE };
	gchar *res = df_process_stop_on(&sw, -1, lex->raw_escapes, &w, error);

	if (res == NULL) {
		g_string_free(w.word, TRUE);
		g_ptr_array_unref(w.words);
		return NULL;
	}
	g_free(res);
	if (w.word->len > 0)
		g_ptr_array_add(w.words, g_strdup(w.word->str));
	g_string_free(w.word, TRUE);
	g_ptr_array_add(w.words, NULL);
	return (gchar **)g_ptr_array_free(w.words, FALSE);
}
