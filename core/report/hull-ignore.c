/* hull-ignore.c: ignore lists (--ignore-file) and severity sets (--severity).
 *
 * Two formats. YAML: a list of entries, or a mapping whose `ignore:` key holds that list;
 * an entry is a string or a mapping with any of id|rule, alias, fingerprint, path (all
 * given must match) and optional expires: YYYY-MM-DD and reason. Plain: one entry per line,
 * '#' starts a comment, optionally followed by `exp:YYYY-MM-DD` (the .trivyignore form).
 * A file is YAML when it is named with a .yaml or .yml suffix or its first significant line starts with
 * "-", "---" or "ignore:". A bare entry (string or plain line) is a fingerprint when it
 * starts with "sha256:", a path glob when it holds '/', '*', '?' or '[', else a rule id or
 * alias.
 *
 * Path globs: GPatternSpec ('*' and '?' also match '/'). A glob without '/' matches the
 * basename; one with '/' matches the whole path, with or without a leading '/' on either
 * side, so "/app/x.env" and "app/x.env" (and their globs) both fit a finding at "/app/.env".
 *
 * Expiry: an entry suppresses through its expires day; from the next day it no longer does
 * and, the first time it would have matched, adds the note "ignore entry X (FILE:LINE)
 * expired on D" to the report. The YAML is read as an event stream against this fixed shape,
 * so nesting deeper than an entry's mapping is an error at the first extra level, long before
 * it costs memory; every error names the file and line. */
#include <string.h>
#include <yaml.h>
#include "hull-filter.h"

#define HULL_IGNORE_MAX_FILE (16u * 1024 * 1024)
#define HULL_IGNORE_MAX_VALUE 4096

typedef struct {
	gchar *id;           /* rule id or alias: matches either */
	gchar *rule;         /* id: / rule: — the rule id (aliases match too, for migrations) */
	gchar *alias;
	gchar *fingerprint;
	gchar *path;
	GPatternSpec *glob;
	gboolean glob_basename;
	GDate expires;       /* invalid: never */
	gchar *reason;
	guint line;
	gchar *label;        /* how notes name the entry */
} HullIgnoreEntry;

struct _HullIgnoreList {
	gchar *filename;
	GPtrArray *entries;
};

static void
hull_ignore_entry_free(gpointer data)
{
	HullIgnoreEntry *e = data;
	g_free(e->id);
	g_free(e->rule);
	g_free(e->alias);
	g_free(e->fingerprint);
	g_free(e->path);
	if (e->glob != NULL)
		g_pattern_spec_free(e->glob);
	g_free(e->reason);
	g_free(e->label);
	g_free(e);
}

void
hull_ignore_list_free(HullIgnoreList *list)
{
	if (list == NULL)
		return;
	g_free(list->filename);
	g_ptr_array_unref(list->entries);
	g_free(list);
}

static HullIgnoreEntry *
hull_ignore_entry_new(guint line)
{
	HullIgnoreEntry *e = g_new0(HullIgnoreEntry, 1);
	g_date_clear(&e->expires, 1);
	e->line = line;
	return e;
}

static gboolean
hull_ignore_is_glob(const char *s)
{
	return strpbrk(s, "/*?[") != NULL;
}

/* Sorts a bare token into its slot. */
static void
hull_ignore_entry_set_token(HullIgnoreEntry *e, const char *token)
{
	if (g_str_has_prefix(token, "sha256:"))
		e->fingerprint = g_strdup(token);
	else if (hull_ignore_is_glob(token))
		e->path = g_strdup(token);
	else
		e->id = g_strdup(token);
}

static gboolean
hull_ignore_parse_date(const char *s, GDate *out)
{
	guint y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return FALSE;
	for (guint i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
			return FALSE;
	}
	y = (guint)g_ascii_strtoull(s, NULL, 10);
	m = (guint)g_ascii_strtoull(s + 5, NULL, 10);
	d = (guint)g_ascii_strtoull(s + 8, NULL, 10);
	if (y < 1 || y > 9999 || !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return FALSE;
	g_date_set_dmy(out, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	return TRUE;
}

/* Checks and compiles an entry; FALSE with @error when it matches nothing. */
static gboolean
hull_ignore_entry_finish(HullIgnoreList *list, HullIgnoreEntry *e, GError **error)
{
	if (e->id == NULL && e->rule == NULL && e->alias == NULL && e->fingerprint == NULL && e->path == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s:%u: ignore entry has none of id, rule, alias, fingerprint, path", list->filename,
		            e->line);
		return FALSE;
	}
	if (e->path != NULL) {
		const char *p = e->path;
		e->glob_basename = strchr(p, '/') == NULL;
		while (*p == '/')
			p++;
		e->glob = g_pattern_spec_new(p);
	}
	const char *what = e->fingerprint != NULL ? e->fingerprint :
	                   e->rule != NULL ? e->rule :
	                   e->id != NULL ? e->id :
	                   e->alias != NULL ? e->alias : e->path;
	e->label = g_strdup(what);
	g_ptr_array_add(list->entries, e);
	return TRUE;
}

static gboolean
hull_ignore_check_text(const char *filename, guint line, const char *s, gsize len, GError **error)
{
	if (len > HULL_IGNORE_MAX_VALUE) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s:%u: entry longer than %u bytes", filename, line, HULL_IGNORE_MAX_VALUE);
		return FALSE;
	}
	if (memchr(s, '\0', len) != NULL || !g_utf8_validate(s, (gssize)len, NULL)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s:%u: not UTF-8 text", filename, line);
		return FALSE;
	}
	return TRUE;
}

/* ---- plain lists ---- */

static gboolean
hull_ignore_parse_plain(HullIgnoreList *list, const char *data, gsize len, GError **error)
{
	guint lineno = 0;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *eol = nl != NULL ? nl : end;
		lineno++;
		gsize n = (gsize)(eol - p);
		if (!hull_ignore_check_text(list->filename, lineno, p, n, error))
			return FALSE;
		g_autofree gchar *line = g_strndup(p, n);
		p = nl != NULL ? nl + 1 : end;
		char *hash = strchr(line, '#');
		if (hash != NULL && (hash == line || g_ascii_isspace(hash[-1])))
			*hash = '\0';
		g_strstrip(line);
		if (*line == '\0')
			continue;
		g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
		HullIgnoreEntry *e = hull_ignore_entry_new(lineno);
		gboolean have_token = FALSE;
		for (guint i = 0; words[i] != NULL; i++) {
			if (*words[i] == '\0')
				continue;
			if (!have_token) {
				hull_ignore_entry_set_token(e, words[i]);
				have_token = TRUE;
			} else if (g_str_has_prefix(words[i], "exp:") && !g_date_valid(&e->expires) &&
			           hull_ignore_parse_date(words[i] + 4, &e->expires)) {
				continue;
			} else {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				            "%s:%u: unexpected \"%s\" (expected one entry and an optional exp:YYYY-MM-DD)",
				            list->filename, lineno, words[i]);
				hull_ignore_entry_free(e);
				return FALSE;
			}
		}
		if (!hull_ignore_entry_finish(list, e, error)) {
			hull_ignore_entry_free(e);
			return FALSE;
		}
	}
	return TRUE;
}

/* ---- YAML ---- */

typedef struct {
	yaml_parser_t parser;
	yaml_event_t event;
	gboolean have_event;
	HullIgnoreList *list;
	const char *data;
	gsize len;
} HullYaml;

static guint
hull_yaml_line_of_offset(HullYaml *y, gsize offset)
{
	guint line = 1;
	for (gsize i = 0; i < offset && i < y->len; i++)
		line += y->data[i] == '\n';
	return line;
}

/* Pulls the next event into y->event (freeing the previous one). */
static gboolean
hull_yaml_next(HullYaml *y, GError **error)
{
	if (y->have_event) {
		yaml_event_delete(&y->event);
		y->have_event = FALSE;
	}
	if (!yaml_parser_parse(&y->parser, &y->event)) {
		guint line;
		if (y->parser.error == YAML_READER_ERROR)
			line = hull_yaml_line_of_offset(y, y->parser.problem_offset);
		else
			line = (guint)y->parser.problem_mark.line + 1;
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: invalid YAML: %s%s%s",
		            y->list->filename, line, y->parser.problem != NULL ? y->parser.problem : "parse error",
		            y->parser.context != NULL ? " " : "", y->parser.context != NULL ? y->parser.context : "");
		return FALSE;
	}
	y->have_event = TRUE;
	return TRUE;
}

static guint
hull_yaml_line(HullYaml *y)
{
	return (guint)y->event.start_mark.line + 1;
}

static gboolean
hull_yaml_unexpected(HullYaml *y, const char *expected, GError **error)
{
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: expected %s", y->list->filename,
	            hull_yaml_line(y), expected);
	return FALSE;
}

/* (transfer full) the current event's scalar, checked. */
static gchar *
hull_yaml_scalar(HullYaml *y, GError **error)
{
	if (y->event.type != YAML_SCALAR_EVENT) {
		hull_yaml_unexpected(y, "a plain value", error);
		return NULL;
	}
	const char *v = (const char *)y->event.data.scalar.value;
	gsize n = y->event.data.scalar.length;
	if (!hull_ignore_check_text(y->list->filename, hull_yaml_line(y), v, n, error))
		return NULL;
	return g_strndup(v, n);
}

static gboolean
hull_yaml_entry_mapping(HullYaml *y, GError **error)
{
	HullIgnoreEntry *e = hull_ignore_entry_new(hull_yaml_line(y));
	for (;;) {
		if (!hull_yaml_next(y, error))
			goto fail;
		if (y->event.type == YAML_MAPPING_END_EVENT)
			break;
		g_autofree gchar *key = hull_yaml_scalar(y, error);
		if (key == NULL)
			goto fail;
		guint key_line = hull_yaml_line(y);
		if (!hull_yaml_next(y, error))
			goto fail;
		g_autofree gchar *value = hull_yaml_scalar(y, error);
		if (value == NULL)
			goto fail;
		if (*g_strstrip(value) == '\0' && g_strcmp0(key, "reason") != 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: \"%s\" is empty",
			            y->list->filename, key_line, key);
			goto fail;
		}
		gchar **slot = NULL;
		if (g_strcmp0(key, "id") == 0 || g_strcmp0(key, "rule") == 0)
			slot = &e->rule;
		else if (g_strcmp0(key, "alias") == 0)
			slot = &e->alias;
		else if (g_strcmp0(key, "fingerprint") == 0)
			slot = &e->fingerprint;
		else if (g_strcmp0(key, "path") == 0)
			slot = &e->path;
		else if (g_strcmp0(key, "reason") == 0)
			slot = &e->reason;
		if (slot != NULL) {
			if (*slot != NULL) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: \"%s\" given twice",
				            y->list->filename, key_line, key);
				goto fail;
			}
			*slot = g_steal_pointer(&value);
		} else if (g_strcmp0(key, "expires") == 0) {
			if (!hull_ignore_parse_date(value, &e->expires)) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				            "%s:%u: expires \"%s\" is not a date YYYY-MM-DD", y->list->filename, key_line,
				            value);
				goto fail;
			}
		} else {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "%s:%u: unknown key \"%s\" (expected id, rule, alias, fingerprint, path, expires, reason)",
			            y->list->filename, key_line, key);
			goto fail;
		}
	}
	if (e->fingerprint != NULL && !g_str_has_prefix(e->fingerprint, "sha256:")) {
		gchar *full = g_strconcat("sha256:", e->fingerprint, NULL);
		g_free(e->fingerprint);
		e->fingerprint = full;
	}
	if (!hull_ignore_entry_finish(y->list, e, error))
		goto fail;
	return TRUE;
fail:
	hull_ignore_entry_free(e);
	return FALSE;
}

/* The entries of a sequence whose start event was just read. */
static gboolean
hull_yaml_entries(HullYaml *y, GError **error)
{
	for (;;) {
		if (!hull_yaml_next(y, error))
			return FALSE;
		if (y->event.type == YAML_SEQUENCE_END_EVENT)
			return TRUE;
		if (y->event.type == YAML_MAPPING_START_EVENT) {
			if (!hull_yaml_entry_mapping(y, error))
				return FALSE;
		} else if (y->event.type == YAML_SCALAR_EVENT) {
			guint line = hull_yaml_line(y);
			g_autofree gchar *token = hull_yaml_scalar(y, error);
			if (token == NULL)
				return FALSE;
			g_strstrip(token);
			HullIgnoreEntry *e = hull_ignore_entry_new(line);
			if (*token != '\0')
				hull_ignore_entry_set_token(e, token);
			if (!hull_ignore_entry_finish(y->list, e, error)) {
				hull_ignore_entry_free(e);
				return FALSE;
			}
		} else {
			return hull_yaml_unexpected(y, "an entry (a string or a mapping)", error);
		}
	}
}

static gboolean
hull_ignore_parse_yaml(HullIgnoreList *list, const char *data, gsize len, GError **error)
{
	HullYaml y = {.list = list, .data = data, .len = len};
	gboolean ok = FALSE;
	if (!yaml_parser_initialize(&y.parser)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot start the YAML parser", list->filename);
		return FALSE;
	}
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)data, len);
	if (!hull_yaml_next(&y, error) || y.event.type != YAML_STREAM_START_EVENT)
		goto out;
	if (!hull_yaml_next(&y, error))
		goto out;
	if (y.event.type == YAML_STREAM_END_EVENT) {
		ok = TRUE; /* an empty file ignores nothing */
		goto out;
	}
	if (!hull_yaml_next(&y, error)) /* past DOCUMENT-START */
		goto out;
	if (y.event.type == YAML_SEQUENCE_START_EVENT) {
		if (!hull_yaml_entries(&y, error))
			goto out;
	} else if (y.event.type == YAML_MAPPING_START_EVENT) {
		gboolean seen = FALSE;
		for (;;) {
			if (!hull_yaml_next(&y, error))
				goto out;
			if (y.event.type == YAML_MAPPING_END_EVENT)
				break;
			g_autofree gchar *key = hull_yaml_scalar(&y, error);
			if (key == NULL)
				goto out;
			if (g_strcmp0(key, "ignore") != 0 || seen) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				            "%s:%u: expected one top-level key \"ignore\", found \"%s\"", list->filename,
				            hull_yaml_line(&y), key);
				goto out;
			}
			seen = TRUE;
			if (!hull_yaml_next(&y, error))
				goto out;
			if (y.event.type == YAML_SCALAR_EVENT && y.event.data.scalar.length == 0)
				continue; /* "ignore:" with nothing under it */
			if (y.event.type != YAML_SEQUENCE_START_EVENT) {
				hull_yaml_unexpected(&y, "a list under \"ignore\"", error);
				goto out;
			}
			if (!hull_yaml_entries(&y, error))
				goto out;
		}
	} else if (y.event.type == YAML_SCALAR_EVENT && y.event.data.scalar.length == 0) {
		/* a document with only "---" */
	} else {
		hull_yaml_unexpected(&y, "a list of entries or a mapping with \"ignore\"", error);
		goto out;
	}
	/* One document only: anything after it is a mistake worth reporting. */
	if (!hull_yaml_next(&y, error) || !hull_yaml_next(&y, error))
		goto out;
	if (y.event.type != YAML_STREAM_END_EVENT) {
		hull_yaml_unexpected(&y, "a single YAML document", error);
		goto out;
	}
	ok = TRUE;
out:
	if (y.have_event)
		yaml_event_delete(&y.event);
	yaml_parser_delete(&y.parser);
	return ok;
}

static gboolean
hull_ignore_looks_yaml(const char *filename, const char *data, gsize len)
{
	if (g_str_has_suffix(filename, ".yaml") || g_str_has_suffix(filename, ".yml"))
		return TRUE;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *eol = nl != NULL ? nl : end;
		while (p < eol && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p < eol && *p != '#') {
			gsize n = (gsize)(eol - p);
			if (*p == '-' && (n == 1 || p[1] == ' ' || p[1] == '\t' || p[1] == '\r' || p[1] == '-'))
				return TRUE;
			return n >= 7 && strncmp(p, "ignore:", 7) == 0;
		}
		p = nl != NULL ? nl + 1 : end;
	}
	return FALSE;
}

HullIgnoreList *
hull_ignore_list_parse(const char *filename, const char *data, gsize len, GError **error)
{
	g_return_val_if_fail(filename != NULL, NULL);
	g_return_val_if_fail(data != NULL || len == 0, NULL);
	if (len > HULL_IGNORE_MAX_FILE) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: larger than %u MiB", filename,
		            HULL_IGNORE_MAX_FILE >> 20);
		return NULL;
	}
	g_autoptr(HullIgnoreList) list = g_new0(HullIgnoreList, 1);
	list->filename = g_strdup(filename);
	list->entries = g_ptr_array_new_with_free_func(hull_ignore_entry_free);
	if (len == 0)
		return g_steal_pointer(&list);
	gboolean ok = hull_ignore_looks_yaml(filename, data, len) ? hull_ignore_parse_yaml(list, data, len, error)
	                                                          : hull_ignore_parse_plain(list, data, len, error);
	return ok ? g_steal_pointer(&list) : NULL;
}

HullIgnoreList *
hull_ignore_list_load(const char *filename, GError **error)
{
	g_return_val_if_fail(filename != NULL, NULL);
	g_autoptr(GFile) file = g_file_new_for_path(filename);
	g_autoptr(GFileInfo) info = g_file_query_info(file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
	                                              G_FILE_QUERY_INFO_NONE, NULL, error);
	if (info == NULL)
		return NULL;
	if (g_file_info_get_file_type(info) != G_FILE_TYPE_REGULAR) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "%s: not a regular file", filename);
		return NULL;
	}
	if ((guint64)g_file_info_get_size(info) > HULL_IGNORE_MAX_FILE) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: larger than %u MiB", filename,
		            HULL_IGNORE_MAX_FILE >> 20);
		return NULL;
	}
	g_autofree gchar *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(filename, &data, &len, error))
		return NULL;
	return hull_ignore_list_parse(filename, data, len, error);
}

/* ---- matching ---- */

static gboolean
hull_ignore_has_alias(const HullFinding *f, const char *name)
{
	if (g_strcmp0(f->rule_id, name) == 0)
		return TRUE;
	for (guint i = 0; f->aliases != NULL && i < f->aliases->len; i++) {
		if (g_strcmp0(g_ptr_array_index(f->aliases, i), name) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
hull_ignore_path_matches(const HullIgnoreEntry *e, const char *path)
{
	if (path == NULL)
		return FALSE;
	const char *subject = path;
	if (e->glob_basename) {
		const char *slash = strrchr(path, '/');
		subject = slash != NULL ? slash + 1 : path;
	} else {
		while (*subject == '/')
			subject++;
	}
	return g_pattern_spec_match_string(e->glob, subject);
}

static gboolean
hull_ignore_entry_matches(const HullIgnoreEntry *e, const HullFinding *f)
{
	if (e->id != NULL && !hull_ignore_has_alias(f, e->id))
		return FALSE;
	if (e->rule != NULL && !hull_ignore_has_alias(f, e->rule))
		return FALSE;
	if (e->alias != NULL && !hull_ignore_has_alias(f, e->alias))
		return FALSE;
	if (e->fingerprint != NULL && g_strcmp0(e->fingerprint, f->fingerprint) != 0)
		return FALSE;
	if (e->glob != NULL && !hull_ignore_path_matches(e, f->path))
		return FALSE;
	return TRUE;
}

gboolean
hull_ignore_list_matches(HullIgnoreList *list, const HullFinding *finding, GDate *today, GPtrArray *notes)
{
	g_return_val_if_fail(list != NULL && finding != NULL, FALSE);
	GDate now;
	if (today == NULL || !g_date_valid(today)) {
		g_date_clear(&now, 1);
		g_date_set_time_t(&now, time(NULL));
		today = &now;
	}
	gboolean matched = FALSE;
	for (guint i = 0; i < list->entries->len; i++) {
		const HullIgnoreEntry *e = g_ptr_array_index(list->entries, i);
		if (!hull_ignore_entry_matches(e, finding))
			continue;
		if (!g_date_valid(&e->expires) || g_date_compare(today, &e->expires) <= 0) {
			matched = TRUE;
			continue;
		}
		if (notes == NULL)
			continue;
		char day[16];
		g_date_strftime(day, sizeof day, "%Y-%m-%d", &e->expires);
		g_autofree gchar *note = g_strdup_printf("ignore entry %s (%s:%u) expired on %s", e->label,
		                                         list->filename, e->line, day);
		if (!g_ptr_array_find_with_equal_func(notes, note, g_str_equal, NULL))
			g_ptr_array_add(notes, g_steal_pointer(&note));
	}
	return matched;
}

/* ---- severity sets ---- */

gboolean
hull_severity_set_parse(const char *list, guint *out_mask, GError **error)
{
	g_return_val_if_fail(list != NULL && out_mask != NULL, FALSE);
	guint mask = 0;
	g_auto(GStrv) parts = g_strsplit(list, ",", -1);
	if (parts[0] == NULL) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "empty severity list (expected e.g. CRITICAL,HIGH)");
		return FALSE;
	}
	for (guint i = 0; parts[i] != NULL; i++) {
		g_strstrip(parts[i]);
		HullSeverity s;
		if (!hull_severity_from_string(parts[i], &s)) {
			g_autofree gchar *shown = g_utf8_make_valid(parts[i], -1);
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            "unknown severity \"%s\" (expected a comma-separated list of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN)",
			            shown);
			return FALSE;
		}
		mask |= 1u << s;
	}
	*out_mask = mask;
	return TRUE;
}
