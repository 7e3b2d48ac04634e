/* hull-dockerfile-parse.c: the Dockerfile line parser, following BuildKit's
 * frontend/dockerfile/parser step by step (directives, BOM, continuation lines with the
 * escape character, comment and blank lines inside continuations, builder flags, the
 * per-keyword argument parsers, JSON vs shell form, heredocs), so that its AST dump matches
 * BuildKit's own test data byte for byte. Variable expansion is done later by the resolver. */
#include "hull-dockerfile.h"

#include <string.h>

#define DF_ERROR g_quark_from_static_string("hull-dockerfile-error")
#define DF_JSON_MAX_DEPTH 512

/* ---- small helpers on byte strings ---- */

/* Length of the Unicode space (Go's unicode.IsSpace) at @p, 0 when none. */
static gsize
df_space_len(const char *p, gsize n)
{
	guchar c = (guchar)p[0];

	if (n == 0)
		return 0;
	if (c < 0x80)
		return (c == ' ' || (c >= '\t' && c <= '\r')) ? 1 : 0;
	gunichar u = g_utf8_get_char_validated(p, (gssize)n);
	if (u == (gunichar)-1 || u == (gunichar)-2)
		return 0;
	if (u == 0x85 || u == 0xA0 || u == 0x1680 || (u >= 0x2000 && u <= 0x200A) || u == 0x2028 ||
	    u == 0x2029 || u == 0x202F || u == 0x205F || u == 0x3000)
		return (gsize)g_unichar_to_utf8(u, NULL);
	return 0;
}

static const char *
df_skip_space(const char *p, const char *end)
{
	gsize l;

	while (p < end && (l = df_space_len(p, (gsize)(end - p))) > 0)
		p += l;
	return p;
}

/* strings.TrimSpace */
static gchar *
df_trim_space(const char *s)
{
	const char *end = s + strlen(s);
	const char *p = df_skip_space(s, end);

	while (end > p) {
		/* step back over one UTF-8 character */
		const char *q = end - 1;
		while (q > p && ((guchar)*q & 0xC0) == 0x80)
			q--;
		if (df_space_len(q, (gsize)(end - q)) != (gsize)(end - q))
			break;
		end = q;
	}
	return g_strndup(p, (gsize)(end - p));
}

static gboolean
df_is_ws_ascii(char c)
{
	/* reWhitespace: [\t\v\f\r ] */
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* reWhitespace.Split(s, -1) */
static GPtrArray *
df_split_ws(const char *s)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const char *start = s, *p = s;

	while (*p) {
		if (df_is_ws_ascii(*p)) {
			g_ptr_array_add(out, g_strndup(start, (gsize)(p - start)));
			while (df_is_ws_ascii(*p))
				p++;
			start = p;
		} else {
			p++;
		}
	}
	g_ptr_array_add(out, g_strndup(start, (gsize)(p - start)));
	return out;
}

/* ---- instructions ---- */

void
hull_instruction_free(HullInstruction *insn)
{
	if (insn == NULL)
		return;
	g_free(insn->keyword);
	g_free(insn->cmd);
	if (insn->raw != NULL)
		g_ptr_array_unref(insn->raw);
	g_strfreev(insn->args);
	g_strfreev(insn->flags);
	g_free(insn->original);
	g_strfreev(insn->heredocs);
	g_strfreev(insn->heredoc_names);
	hull_instruction_free(insn->onbuild);
	g_free(insn);
}

/* extractBuilderFlags: leading "--flag" words; returns the rest of the line. */
static const char *
df_extract_flags(const char *line, GPtrArray *flags)
{
	gsize n = strlen(line);
	GString *word = g_string_new(NULL);
	enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
	char quote = 0;
	gboolean blank_ok = FALSE;
	const char *rest = "";

	for (gsize pos = 0; pos <= n; pos++) {
		guchar ch = pos < n ? (guchar)line[pos] : 0;

		if (phase == IN_SPACES) {
			if (pos == n)
				break;
			if (hull_df_byte_is_space(ch))
				continue;
			if (ch != '-' || pos + 1 == n || line[pos + 1] != '-') {
				rest = line + pos;
				goto out;
			}
			phase = IN_WORD;
		}
		if (pos == n) {
			if (strcmp(word->str, "--") != 0 && (blank_ok || word->len > 0))
				g_ptr_array_add(flags, g_strdup(word->str));
			break;
		}
		if (phase == IN_WORD) {
			if (hull_df_byte_is_space(ch)) {
				phase = IN_SPACES;
				if (strcmp(word->str, "--") == 0) {
					rest = line + pos;
					goto out;
				}
				if (blank_ok || word->len > 0)
					g_ptr_array_add(flags, g_strdup(word->str));
				g_string_truncate(word, 0);
				blank_ok = FALSE;
				continue;
			}
			if (ch == '\'' || ch == '"') {
				quote = (char)ch;
				blank_ok = TRUE;
				phase = IN_QUOTE;
				continue;
			}
			if (ch == '\\') {
				if (pos + 1 == n)
					continue;
				pos++;
				ch = (guchar)line[pos];
			}
			g_string_append_c(word, (char)ch);
			continue;
		}
		/* IN_QUOTE */
		if (ch == (guchar)quote) {
			phase = IN_WORD;
			continue;
		}
		if (ch == '\\') {
			if (pos + 1 == n) {
				phase = IN_WORD;
				continue;
			}
			pos++;
			ch = (guchar)line[pos];
		}
		g_string_append_c(word, (char)ch);
	}
out:
	g_string_free(word, TRUE);
	return rest;
}

/* parseWords: words with their quotes kept (stripped later by the lexer). */
static GPtrArray *
df_parse_words(const char *rest, char escape)
{
	GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
	GString *word = g_string_new(NULL);
	enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
	char quote = 0;
	gboolean blank_ok = FALSE;
	gsize n = strlen(rest), pos = 0, w = 0;

	for (pos = 0; pos <= n; pos += w) {
		const char *ch = rest + pos;
		gsize sp = 0;

		w = 0;
		if (pos != n) {
			w = 1;
			if ((guchar)*ch >= 0x80) {
				const char *nx = g_utf8_find_next_char(ch, rest + n);
				w = nx != NULL ? (gsize)(nx - ch) : n - pos;
				if (g_utf8_get_char_validated(ch, (gssize)w) == (gunichar)-1)
					w = 1;
			}
			sp = df_space_len(ch, n - pos);
		}
		if (phase == IN_SPACES) {
			if (pos == n)
				break;
			if (sp)
				continue;
			phase = IN_WORD;
		}
		if (pos == n) {
			if (blank_ok || word->len > 0)
				g_ptr_array_add(words, g_strdup(word->str));
			break;
		}
		if (phase == IN_WORD) {
			if (sp) {
				phase = IN_SPACES;
				if (blank_ok || word->len > 0)
					g_ptr_array_add(words, g_strdup(word->str));
				g_string_truncate(word, 0);
				blank_ok = FALSE;
				continue;
			}
			if (*ch == '\'' || *ch == '"') {
				quote = *ch;
				blank_ok = TRUE;
				phase = IN_QUOTE;
			}
			if (*ch == escape) {
				if (pos + w == n)
					continue;
				g_string_append_len(word, ch, (gssize)w);
				pos += w;
				ch = rest + pos;
				w = 1;
				if ((guchar)*ch >= 0x80) {
					const char *nx = g_utf8_find_next_char(ch, rest + n);
					w = nx != NULL ? (gsize)(nx - ch) : n - pos;
				}
			}
			g_string_append_len(word, ch, (gssize)w);
			continue;
		}
		/* IN_QUOTE */
		if (*ch == quote)
			phase = IN_WORD;
		if (*ch == escape && quote != '\'') {
			if (pos + w == n) {
				phase = IN_WORD;
				continue;
			}
			pos += w;
			g_string_append_len(word, ch, (gssize)w);
			ch = rest + pos;
			w = 1;
			if ((guchar)*ch >= 0x80) {
				const char *nx = g_utf8_find_next_char(ch, rest + n);
				w = nx != NULL ? (gsize)(nx - ch) : n - pos;
			}
		}
		g_string_append_len(word, ch, (gssize)w);
	}
	g_string_free(word, TRUE);
	return words;
}

/* ---- a strict JSON reader for exec form, with Go's encoding/json acceptance ---- */

typedef struct {
	const char *p, *end;
	int depth;
} DfJson;

static void
df_json_ws(DfJson *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
df_hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = g_ascii_xdigit_value(p[i]);
		if (c < 0)
			return -1;
		v = v * 16 + c;
	}
	return v;
}

/* A string at j->p ('"'); appends the decoded value to @out when not NULL. */
static gboolean
df_json_string(DfJson *j, GString *out)
{
	j->p++;
	while (j->p < j->end) {
		guchar c = (guchar)*j->p;
		if (c == '"') {
			j->p++;
			return TRUE;
		}
		if (c < 0x20)
			return FALSE;
		if (c == '\\') {
			if (j->p + 1 >= j->end)
				return FALSE;
			char e = j->p[1];
			j->p += 2;
			switch (e) {
			case '"': case '\\': case '/':
				if (out) g_string_append_c(out, e);
				break;
			case 'b': if (out) g_string_append_c(out, '\b'); break;
			case 'f': if (out) g_string_append_c(out, '\f'); break;
			case 'n': if (out) g_string_append_c(out, '\n'); break;
			case 'r': if (out) g_string_append_c(out, '\r'); break;
			case 't': if (out) g_string_append_c(out, '\t'); break;
			case 'u': {
				if (j->end - j->p < 4)
					return FALSE;
				int u = df_hex4(j->p);
				if (u < 0)
					return FALSE;
				j->p += 4;
				gunichar r = (gunichar)u;
				if (u >= 0xD800 && u < 0xDC00) {
					int lo = -1;
					if (j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u')
						lo = df_hex4(j->p + 2);
					if (lo >= 0xDC00 && lo < 0xE000) {
						r = 0x10000 + (((gunichar)u - 0xD800) << 10) + ((gunichar)lo - 0xDC00);
						j->p += 6;
					} else {
						r = 0xFFFD;
					}
				} else if (u >= 0xDC00 && u < 0xE000) {
					r = 0xFFFD;
				}
				/* a C string cannot hold NUL: keep it as modified UTF-8 */
				if (out && r == 0)
					g_string_append(out, "\xC0\x80");
				else if (out)
					g_string_append_unichar(out, r);
				break;
			}
			default:
				return FALSE;
			}
			continue;
		}
		if (c < 0x80) {
			if (out) g_string_append_c(out, (char)c);
			j->p++;
			continue;
		}
		const char *nx = g_utf8_find_next_char(j->p, j->end);
		gsize w = nx != NULL ? (gsize)(nx - j->p) : (gsize)(j->end - j->p);
		if (g_utf8_get_char_validated(j->p, (gssize)w) >= 0x110000) {
			if (out) g_string_append_unichar(out, 0xFFFD);
			j->p++;
		} else {
			if (out) g_string_append_len(out, j->p, (gssize)w);
			j->p += w;
		}
	}
	return FALSE;
}

static gboolean df_json_value(DfJson *j);

static gboolean
df_json_number(DfJson *j)
{
	const char *p = j->p;

	if (p < j->end && *p == '-')
		p++;
	if (p >= j->end || !g_ascii_isdigit(*p))
		return FALSE;
	if (*p == '0')
		p++;
	else
		while (p < j->end && g_ascii_isdigit(*p))
			p++;
	if (p < j->end && *p == '.') {
		p++;
		if (p >= j->end || !g_ascii_isdigit(*p))
			return FALSE;
		while (p < j->end && g_ascii_isdigit(*p))
			p++;
	}
	if (p < j->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < j->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= j->end || !g_ascii_isdigit(*p))
			return FALSE;
		while (p < j->end && g_ascii_isdigit(*p))
			p++;
	}
	j->p = p;
	return TRUE;
}

static gboolean
df_json_container(DfJson *j, char close)
{
	if (++j->depth > DF_JSON_MAX_DEPTH)
		return FALSE;
	j->p++;
	df_json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return TRUE;
	}
	for (;;) {
		if (close == '}') {
			df_json_ws(j);
			if (j->p >= j->end || *j->p != '"' || !df_json_string(j, NULL))
				return FALSE;
			df_json_ws(j);
			if (j->p >= j->end || *j->p != ':')
				return FALSE;
			j->p++;
		}
		if (!df_json_value(j))
			return FALSE;
		df_json_ws(j);
		if (j->p >= j->end)
			return FALSE;
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == close) {
			j->p++;
			j->depth--;
			return TRUE;
		}
		return FALSE;
	}
}

static gboolean
df_json_value(DfJson *j)
{
	df_json_ws(j);
	if (j->p >= j->end)
		return FALSE;
	switch (*j->p) {
	case '"': return df_json_string(j, NULL);
	case '[': return df_json_container(j, ']');
	case '{': return df_json_container(j, '}');
	case 't': if (j->end - j->p >= 4 && memcmp(j->p, "true", 4) == 0) { j->p += 4; return TRUE; } return FALSE;
	case 'f': if (j->end - j->p >= 5 && memcmp(j->p, "false", 5) == 0) { j->p += 5; return TRUE; } return FALSE;
	case 'n': if (j->end - j->p >= 4 && memcmp(j->p, "null", 4) == 0) { j->p += 4; return TRUE; } return FALSE;
	default: return df_json_number(j);
	}
}

typedef enum { DF_JSON_OK, DF_JSON_SYNTAX, DF_JSON_NOT_STRINGS } DfJsonResult;

/* parseJSON: a JSON array of strings at the start of @rest (after Unicode spaces); what follows
 * the array is ignored, as Go's json.Decoder does. */
static DfJsonResult
df_parse_json(const char *rest, GPtrArray *out)
{
	const char *end = rest + strlen(rest);
	DfJson j = { df_skip_space(rest, end), end, 0 };
	const char *start;

	if (j.p >= end || *j.p != '[')
		return DF_JSON_SYNTAX;
	start = j.p;
	if (!df_json_value(&j))
		return DF_JSON_SYNTAX;
	/* valid: now walk the top-level elements */
	j.p = start + 1;
	j.depth = 0;
	df_json_ws(&j);
	if (*j.p == ']')
		return DF_JSON_OK;
	for (;;) {
		df_json_ws(&j);
		if (*j.p != '"')
			return DF_JSON_NOT_STRINGS;
		GString *s = g_string_new(NULL);
		df_json_string(&j, s);
		g_ptr_array_add(out, g_string_free(s, FALSE));
		df_json_ws(&j);
		if (*j.p == ',') {
			j.p++;
			continue;
		}
		return DF_JSON_OK;
	}
}

/* ---- per-keyword argument parsers (line_parsers.go) ---- */

static void
df_add_ws_list(HullInstruction *insn, const char *rest)
{
	GPtrArray *parts;

	if (*rest == '\0')
		return;
	parts = df_split_ws(rest);
	for (guint i = 0; i < parts->len; i++)
		g_ptr_array_add(insn->raw, g_strdup(parts->pdata[i]));
	g_ptr_array_unref(parts);
}

static gboolean
df_maybe_json(HullInstruction *insn, const char *rest, gboolean to_list, GError **error)
{
	g_autoptr(GPtrArray) vals = g_ptr_array_new_with_free_func(g_free);

	if (!to_list && *rest == '\0')
		return TRUE;
	switch (df_parse_json(rest, vals)) {
	case DF_JSON_OK:
		for (guint i = 0; i < vals->len; i++)
			g_ptr_array_add(insn->raw, g_strdup(vals->pdata[i]));
		insn->json = TRUE;
		return TRUE;
	case DF_JSON_NOT_STRINGS:
		g_set_error_literal(error, DF_ERROR, 1,
		                    "when using JSON array syntax, arrays must be comprised of strings only");
		return FALSE;
	case DF_JSON_SYNTAX:
		break;
	}
	if (to_list)
		df_add_ws_list(insn, rest);
	else
		g_ptr_array_add(insn->raw, g_strdup(rest));
	return TRUE;
}

static gboolean
df_name_val(HullInstruction *insn, const char *rest, const char *key, char escape, GError **error)
{
	g_autoptr(GPtrArray) words = df_parse_words(rest, escape);

	if (words->len == 0)
		return TRUE;
	if (strchr(words->pdata[0], '=') == NULL) {
		const char *p = rest;
		while (*p && !df_is_ws_ascii(*p))
			p++;
		if (*p == '\0') {
			g_set_error(error, DF_ERROR, 1, "%s must have two arguments", key);
			return FALSE;
		}
		g_ptr_array_add(insn->raw, g_strndup(rest, (gsize)(p - rest)));
		while (df_is_ws_ascii(*p))
			p++;
		g_ptr_array_add(insn->raw, g_strdup(p));
		g_ptr_array_add(insn->raw, g_strdup(""));
		return TRUE;
	}
	for (guint i = 0; i < words->len; i++) {
		const char *w = words->pdata[i];
		const char *eq = strchr(w, '=');
		if (eq == NULL) {
			g_set_error(error, DF_ERROR, 1,
			            "Syntax error - can't find = in \"%s\". Must be of the form: name=value", w);
			return FALSE;
		}
		g_ptr_array_add(insn->raw, g_strndup(w, (gsize)(eq - w)));
		g_ptr_array_add(insn->raw, g_strdup(eq + 1));
		g_ptr_array_add(insn->raw, g_strdup("="));
	}
	return TRUE;
}

static gboolean
df_health(HullInstruction *insn, const char *rest, GError **error)
{
	gsize sep = 0, next;

	while (rest[sep] && !hull_df_byte_is_space((guchar)rest[sep]))
		sep++;
	next = sep;
	while (rest[next] && hull_df_byte_is_space((guchar)rest[next]))
		next++;
	if (sep == 0)
		return TRUE;
	g_ptr_array_add(insn->raw, g_strndup(rest, sep));
	return df_maybe_json(insn, rest + next, FALSE, error);
}

HullInstruction *
hull_dockerfile_node_from_line(const char *line, char escape, GError **error)
{
	g_autofree gchar *trimmed = df_trim_space(line);
	g_autoptr(GPtrArray) flags = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *rest = NULL;
	HullInstruction *insn = g_new0(HullInstruction, 1);
	const char *p = trimmed;
	gboolean ok = TRUE;

	insn->raw = g_ptr_array_new_with_free_func(g_free);
	insn->stage = -1;
	insn->layer = -1;
	insn->original = g_strdup(line);
	while (*p && !df_is_ws_ascii(*p))
		p++;
	insn->cmd = g_strndup(trimmed, (gsize)(p - trimmed));
	insn->keyword = g_ascii_strup(insn->cmd, -1);
	if (*p) {
		while (df_is_ws_ascii(*p))
			p++;
		rest = df_trim_space(df_extract_flags(p, flags));
	} else {
		rest = g_strdup("");
	}
	g_ptr_array_add(flags, NULL);
	insn->flags = (char **)g_ptr_array_steal(flags, NULL);

	const char *k = insn->keyword;
	if (strcmp(k, "ADD") == 0 || strcmp(k, "COPY") == 0 || strcmp(k, "VOLUME") == 0) {
		ok = df_maybe_json(insn, rest, TRUE, error);
	} else if (strcmp(k, "CMD") == 0 || strcmp(k, "ENTRYPOINT") == 0 || strcmp(k, "RUN") == 0 ||
	           strcmp(k, "SHELL") == 0) {
		ok = df_maybe_json(insn, rest, FALSE, error);
	} else if (strcmp(k, "ARG") == 0) {
		g_autoptr(GPtrArray) words = df_parse_words(rest, escape);
		for (guint i = 0; i < words->len; i++)
			g_ptr_array_add(insn->raw, g_strdup(words->pdata[i]));
	} else if (strcmp(k, "ENV") == 0) {
		ok = df_name_val(insn, rest, "ENV", escape, error);
	} else if (strcmp(k, "LABEL") == 0) {
		ok = df_name_val(insn, rest, "LABEL", escape, error);
	} else if (strcmp(k, "EXPOSE") == 0 || strcmp(k, "FROM") == 0) {
		df_add_ws_list(insn, rest);
	} else if (strcmp(k, "HEALTHCHECK") == 0) {
		ok = df_health(insn, rest, error);
	} else if (strcmp(k, "MAINTAINER") == 0 || strcmp(k, "STOPSIGNAL") == 0 || strcmp(k, "USER") == 0 ||
	           strcmp(k, "WORKDIR") == 0) {
		if (*rest)
			g_ptr_array_add(insn->raw, g_strdup(rest));
	} else if (strcmp(k, "ONBUILD") == 0) {
		if (*rest) {
			insn->onbuild = hull_dockerfile_node_from_line(rest, escape, error);
			ok = insn->onbuild != NULL;
			insn->has_sub = ok;
		}
	}
	/* unknown instructions: kept with no arguments, as BuildKit's parseIgnore */
	if (!ok) {
		hull_instruction_free(insn);
		return NULL;
	}
	return insn;
}

/* ---- heredocs ---- */

/* reHeredoc: ^(\d*)<<(-?)([^<]*)$ on one word; fills @name/@chomp. */
static gboolean
df_heredoc_from_word(const char *word, gchar **name, gboolean *chomp, GError **error)
{
	const char *p = word;
	HullDfLex lex = { '\\', FALSE, FALSE, TRUE, NULL };

	while (g_ascii_isdigit(*p))
		p++;
	if (p[0] != '<' || p[1] != '<')
		return FALSE;
	p += 2;
	*chomp = *p == '-';
	if (*chomp)
		p++;
	if (*p == '\0' || strchr(p, '<') != NULL)
		return FALSE;
	g_auto(GStrv) words = hull_df_lex_words(&lex, p, error);
	if (words == NULL)
		return FALSE;
	if (g_strv_length(words) != 1)
		return FALSE;
	*name = g_strdup(words[0]);
	return TRUE;
}

static gboolean
df_can_heredoc(const HullInstruction *insn)
{
	if (strcmp(insn->keyword, "ONBUILD") == 0 && insn->onbuild != NULL)
		insn = insn->onbuild;
	if (strcmp(insn->keyword, "ADD") != 0 && strcmp(insn->keyword, "COPY") != 0 &&
	    strcmp(insn->keyword, "RUN") != 0)
		return FALSE;
	return !insn->json;
}

/* ---- the line loop (parser.go Parse) ---- */

typedef struct {
	const char *data, *end, *cur;
	guint line;            /* lines consumed */
	char escape;
	gboolean directives_done;
	gboolean seen_escape, seen_syntax, seen_check;
} DfReader;

/* Next physical line without its trailing CR/LF characters; FALSE at EOF. */
static gboolean
df_next_line(DfReader *r, const char **line, gsize *len)
{
	const char *nl;

	if (r->cur >= r->end)
		return FALSE;
	nl = memchr(r->cur, '\n', (gsize)(r->end - r->cur));
	*line = r->cur;
	*len = nl != NULL ? (gsize)(nl - r->cur) : (gsize)(r->end - r->cur);
	r->cur = nl != NULL ? nl + 1 : r->end;
	while (*len > 0 && ((*line)[*len - 1] == '\r' || (*line)[*len - 1] == '\n'))
		(*len)--;
	return TRUE;
}

static gboolean
df_is_comment(const char *line)
{
	const char *p = df_skip_space(line, line + strlen(line));
	return *p == '#';
}

/* DirectiveParser.ParseLine: `# name = value` while at the top of the file. */
static gboolean
df_directive(DfReader *r, const char *line, GError **error)
{
	const char *p = line, *ns, *ne, *vs, *ve;

	if (r->directives_done)
		return TRUE;
	if (*p != '#')
		goto done;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	ns = p;
	if (!g_ascii_isalpha(*p))
		goto done;
	while (g_ascii_isalnum(*p))
		p++;
	ne = p;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=')
		goto done;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	vs = p;
	ve = p + strlen(p);
	while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	if (ve == vs)
		goto done;
	char name[8];
	gboolean *seen = NULL;
	if (ne - ns >= (gssize)sizeof name)
		goto done;
	for (gssize i = 0; i < ne - ns; i++)
		name[i] = g_ascii_tolower(ns[i]);
	name[ne - ns] = '\0';
	if (strcmp(name, "escape") == 0)
		seen = &r->seen_escape;
	else if (strcmp(name, "syntax") == 0)
		seen = &r->seen_syntax;
	else if (strcmp(name, "check") == 0)
		seen = &r->seen_check;
	else
		goto done;
	if (*seen) {
		g_set_error(error, DF_ERROR, 1, "only one %s parser directive can be used", name);
		return FALSE;
	}
	*seen = TRUE;
	if (seen == &r->seen_escape) {
		if (ve - vs != 1 || (*vs != '`' && *vs != '\\')) {
			g_set_error(error, DF_ERROR, 1, "invalid escape token '%.*s' does not match ` or \\",
			            (int)MIN(ve - vs, 64), vs);
			return FALSE;
		}
		r->escape = *vs;
	}
	return TRUE;
done:
	r->directives_done = TRUE;
	return TRUE;
}

/* processLine: trims the newline (done by the reader), optionally leading blanks, handles a
 * possible directive, and drops a comment line. Returns the kept text (transfer full). */
static gchar *
df_process_line(DfReader *r, const char *line, gsize len, gboolean strip_left, GError **error)
{
	g_autofree gchar *s = g_strndup(line, len);
	const char *p = s;

	if (strip_left)
		p = df_skip_space(s, s + strlen(s));
	if (!df_directive(r, p, error))
		return NULL;
	if (df_is_comment(p))
		return g_strdup("");
	return g_strdup(p);
}

/* trimContinuationCharacter; returns TRUE when the line ends the instruction. */
static gboolean
df_trim_continuation(DfReader *r, gchar *line)
{
	gsize n = strlen(line);

	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (n == 0 || line[n - 1] != r->escape)
		return TRUE;
	if (n == 1) {
		line[0] = '\0';
		return FALSE;
	}
	if (line[n - 2] == r->escape)
		return TRUE;
	line[n - 1] = '\0';
	return FALSE;
}

static void
df_set_error(HullDockerfile *df, guint start, guint end, const char *msg)
{
	if (df->error != NULL)
		return;
	if (end > start)
		df->error = g_strdup_printf("%s: lines %u-%u: %s", df->path, start, end, msg);
	else
		df->error = g_strdup_printf("%s: line %u: %s", df->path, start, msg);
}

void
hull_dockerfile_parse_lines(HullDockerfile *df, const char *data, gsize len)
{
	DfReader r = { data, data + len, data, 0, '\\', FALSE, FALSE, FALSE, FALSE };
	const char *line;
	gsize llen;
	GError *error = NULL;

	while (df_next_line(&r, &line, &llen)) {
		if (r.line == 0 && llen >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			line += 3;
			llen -= 3;
		}
		g_autofree gchar *first = df_process_line(&r, line, llen, TRUE, &error);
		r.line++;
		df->escape = r.escape;
		if (first == NULL) {
			df_set_error(df, r.line, 0, error->message);
			g_clear_error(&error);
			return;
		}
		guint start = r.line;
		gboolean eol = df_trim_continuation(&r, first);
		if (eol && *first == '\0')
			continue;
		GString *buf = g_string_new(first);
		while (!eol && df_next_line(&r, &line, &llen)) {
			g_autofree gchar *raw = g_strndup(line, llen);
			g_autofree gchar *cont = df_process_line(&r, line, llen, FALSE, &error);
			r.line++;
			if (cont == NULL) {
				df_set_error(df, r.line, 0, error->message);
				g_clear_error(&error);
				g_string_free(buf, TRUE);
				return;
			}
			if (df_is_comment(raw))
				continue;
			if (*df_skip_space(cont, cont + strlen(cont)) == '\0')
				continue;
			eol = df_trim_continuation(&r, cont);
			g_string_append(buf, cont);
		}
		HullInstruction *insn = hull_dockerfile_node_from_line(buf->str, r.escape, &error);
		if (insn == NULL) {
			df_set_error(df, start, r.line, error->message);
			g_clear_error(&error);
			g_string_free(buf, TRUE);
			return;
		}
		if (df_can_heredoc(insn) && strstr(buf->str, "<<") != NULL) {
			HullDfLex lex = { '\\', TRUE, TRUE, FALSE, NULL };
			g_auto(GStrv) words = hull_df_lex_words(&lex, buf->str, NULL);
			GPtrArray *bodies = g_ptr_array_new();
			GPtrArray *names = g_ptr_array_new();
			for (guint i = 0; words != NULL && words[i] != NULL; i++) {
				gchar *name = NULL;
				gboolean chomp = FALSE;
				if (!df_heredoc_from_word(words[i], &name, &chomp, &error)) {
					if (error != NULL) {
						df_set_error(df, start, r.line, error->message);
						g_clear_error(&error);
						g_ptr_array_add(bodies, NULL);
						g_ptr_array_add(names, NULL);
						insn->heredocs = (char **)g_ptr_array_free(bodies, FALSE);
						insn->heredoc_names = (char **)g_ptr_array_free(names, FALSE);
						hull_instruction_free(insn);
						g_string_free(buf, TRUE);
						return;
					}
					continue;
				}
				GString *body = g_string_new(NULL);
				gboolean terminated = FALSE;
				while (df_next_line(&r, &line, &llen)) {
					const char *t = line;
					gsize tl = llen;
					r.line++;
					if (chomp)
						while (tl > 0 && *t == '\t') {
							t++;
							tl--;
						}
					if (tl == strlen(name) && memcmp(t, name, tl) == 0) {
						terminated = TRUE;
						break;
					}
					/* the scanner keeps the newline: bytes up to the next line */
					g_string_append_len(body, line, (gssize)(r.cur - line));
				}
				g_ptr_array_add(names, name);
				g_ptr_array_add(bodies, g_string_free(body, FALSE));
				if (!terminated) {
					df_set_error(df, start, r.line, "unterminated heredoc");
					g_ptr_array_add(bodies, NULL);
					g_ptr_array_add(names, NULL);
					insn->heredocs = (char **)g_ptr_array_free(bodies, FALSE);
					insn->heredoc_names = (char **)g_ptr_array_free(names, FALSE);
					hull_instruction_free(insn);
					g_string_free(buf, TRUE);
					return;
				}
			}
			g_ptr_array_add(bodies, NULL);
			g_ptr_array_add(names, NULL);
			insn->heredocs = (char **)g_ptr_array_free(bodies, FALSE);
			insn->heredoc_names = (char **)g_ptr_array_free(names, FALSE);
		}
		g_string_free(buf, TRUE);
		insn->start_line = start;
		insn->end_line = r.line;
		if (insn->onbuild != NULL) {
			insn->onbuild->start_line = start;
			insn->onbuild->end_line = r.line;
		}
		g_ptr_array_add(df->insns, insn);
	}
	if (df->insns->len == 0)
		df_set_error(df, r.line, 0, "file with no instructions");
}
