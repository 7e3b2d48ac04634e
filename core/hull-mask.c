/* hull-mask.c: the masker behind hull_mask_text(). Two sources of knowledge: the secret rules
 * (the same files the secrets plugin reads: a rule's keywords say when its regex is worth
 * running, its `secret` group says what to hide) and a few shapes in which people write a
 * credential on a command line or in a build file, which no rule can match precisely because
 * the value may be short or plain ("hunter2"). The rules alone would miss those; the shapes
 * alone would miss a bare token pasted into a RUN line. Both run on every text.
 *
 * Texts here are short (a message, a created_by, a note), so the regexes run in PCRE2's
 * interpreter under match and depth limits: compiling 250 JIT programs would cost more than
 * every match of a scan, and a crafted text must not stall the report. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <hullscan/hull-json.h>

#include "hull-mask.h"
#include "hull-scan-private.h"

#define HULL_MASK_MATCH_LIMIT   200000
#define HULL_MASK_DEPTH_LIMIT   2000
#define HULL_MASK_MAX_RULE_FILE (16 * 1024 * 1024)
#define HULL_MASK_MAX_RULES     20000
#define HULL_MASK_KEEP          4

typedef struct {
	gchar *regex;
	pcre2_code *re;      /* compiled on first use */
	gboolean broken;     /* did not compile: never tried again */
	guint32 group;       /* the `secret` group, 0 for the whole match */
} HullMaskRule;

typedef struct {
	gchar *text;         /* lower-case */
	gsize len;
	guint rule;
} HullMaskKeyword;

/* A credential written in a known shape: the `secret` group is hidden; a `key` group, when the
 * pattern has one, is the name the value was assigned to (checked by hull_mask_key_is_secret). */
typedef struct {
	const char *regex;
	gboolean check_key;
	const char *needles[8]; /* lower-case; the regex runs only on a text holding one of them */
} HullMaskShape;

/* Names that say "secret" when they end a word of an identifier (`DB_PASSWORD`, `GITHUB_TOKEN`,
 * `PGPASSWORD`, `api-key`), not inside one (`tokenizer`, `secretary`). */
#define HULL_MASK_SECRET_NAME                                                                                      \
	"[A-Za-z0-9_.-]{0,48}?(?:passw(?:or)?d|pwd|passphrase|secret|token|api[_.-]?key|apikey|access[_.-]?key|"  \
	"private[_.-]?key|auth[_.-]?key|credentials?|auth)(?![A-Za-z0-9])(?:[_.-][A-Za-z0-9_.-]{0,48})?"
#define HULL_MASK_VALUE "(?<secret>(?![$/%{<])[^\\s'\"`&;|,)}\\]\\\\]{1,4096})"

static const HullMaskShape hull_mask_shapes[] = {
	/* scheme://user:password@host (RFC 3986 user-info) */
	{"(?i)(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{0,15}://[^\\s/@:'\"`]{0,128}:(?<secret>[^\\s/@'\"`]{1,512})@", FALSE, {"://"}},
	/* Authorization: <scheme> <credentials> (RFC 9110 11.6.2), wherever it is written */
	{"(?i)(?<![A-Za-z0-9-])(?:proxy-)?authorization\\s*:\\s*(?:(?:bearer|token|basic|digest|bot|apikey|key|"
	 "sso-key|negotiate|ntlm|gitlab-token)\\s+)?(?<secret>[^\\s'\"`]{1,4096})",
	 FALSE, {"authorization"}},
	{"(?i)(?<![A-Za-z0-9-])(?:x-api-key|api-key|apikey|private-token|job-token|deploy-token|x-auth-token|"
	 "x-access-token|x-vault-token|x-registry-auth|x-goog-api-key)\\s*:\\s*(?<secret>[^\\s'\"`]{1,4096})",
	 FALSE, {"api-key", "apikey", "-token", "x-registry-auth"}},
	/* NAME=value, NAME: "value", export NAME=value, --build-arg NAME=value */
	{"(?i)(?<![A-Za-z0-9_.-])(?<key>" HULL_MASK_SECRET_NAME ")['\"]?\\s{0,3}(?:=|:=|:(?=\\s{0,3}['\"]))\\s{0,3}['\"]?"
	 HULL_MASK_VALUE,
	 TRUE, {"pass", "pwd", "secret", "token", "key", "credential", "auth"}},
	/* Dockerfile ENV in its space-separated form, ENV DB_PASSWORD hunter2: only when the value
	 * ends the line, or every sentence that starts "ENV NAME is …" would lose its verb. */
	{"(?im)(?<![A-Za-z0-9_])ENV[ \\t]+(?<key>" HULL_MASK_SECRET_NAME ")[ \\t]+['\"]?(?<secret>(?![$/%{<])"
	 "[^\\s'\"`]{1,4096})['\"]?[ \\t]*$",
	 TRUE, {"env"}},
	/* --password x, --token=x, openssl -passin pass:x */
	{"(?i)(?<![A-Za-z0-9_-])--?(?:password|passwd|pass|passin|passout|token|api-key|apikey|auth-token|access-token|"
	 "client-secret|registry-password)(?:=|\\s+)['\"]?(?<secret>(?![$-])[^\\s'\"`]{1,4096})",
	 FALSE, {"-pass", "-token", "api-key", "apikey", "client-secret"}},
	/* curl -u user:password, --user, --proxy-user */
	{"(?<![A-Za-z0-9_-])(?:-u|-U|--user|--proxy-user)\\s*['\"]?[^\\s:'\"`]{1,128}:(?<secret>(?!\\d+(?:[\\s'\"]|$))"
	 "[^\\s'\"`]{1,4096})",
	 FALSE, {"-u"}},
	/* mysql -pPASSWORD (the password glued to the flag), sshpass -p x, docker login -p x */
	{"\\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mariadb|mariadb-dump)\\b[^\\n|;&]{0,512}?\\s-p"
	 "(?<secret>[^\\s'\"`]{1,4096})",
	 FALSE, {"mysql", "mariadb"}},
	{"\\bsshpass\\s+-p\\s*['\"]?(?<secret>[^\\s'\"`]{1,4096})", FALSE, {"sshpass"}},
	{"\\b(?:docker|podman|buildah|skopeo|helm|oras|crane)\\s+(?:registry\\s+)?login\\b[^\\n|;&]{0,512}?\\s-p\\s*"
	 "['\"]?(?<secret>[^\\s'\"`]{1,4096})",
	 FALSE, {"login"}},
};

/* Values that a secret-sounding name holds without being a secret (ALLOW_EMPTY_PASSWORD=yes). */
static const char *const hull_mask_plain_values[] = {"true", "false", "yes", "no", "on", "off", "none",
                                                     "null", "nil", "empty", "0", "1", NULL};
/* Name endings that say the value is about a secret, not the secret (PASSWORD_FILE=/run/…). */
static const char *const hull_mask_plain_suffixes[] = {"_file", "_path", "_dir", "_url", "_uri", "_name", "_id",
                                                       "_len", "_length", "_size", "_type", "_host", "_user",
                                                       "_username", "-file", "-path", ".file", ".path", NULL};

static struct {
	GRecMutex lock;
	gboolean loaded;
	GPtrArray *rules;      /* HullMaskRule* */
	GArray *keywords;      /* HullMaskKeyword, sorted by text once `sorted` */
	gboolean sorted;
	guint8 first2[65536 / 8]; /* bit set of the keywords' first two lower-case bytes */
	GPtrArray *shapes;     /* pcre2_code*, parallel to hull_mask_shapes */
	pcre2_match_context *mctx;
} hull_masker;

static void
hull_mask_rule_free(gpointer data)
{
	HullMaskRule *r = data;
	g_free(r->regex);
	if (r->re != NULL)
		pcre2_code_free(r->re);
	g_free(r);
}

static void
hull_mask_keyword_clear(gpointer data)
{
	g_free(((HullMaskKeyword *)data)->text);
}

static pcre2_code *
hull_mask_compile(const char *regex)
{
	int errcode = 0;
	PCRE2_SIZE erroff = 0;
	return pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED, 0, &errcode, &erroff, NULL);
}

static guint
hull_mask_first2(const char *lower)
{
	return ((guint)(guchar)lower[0] << 8) | (guchar)lower[1];
}

static void
hull_mask_add_keyword(const char *keyword, guint rule)
{
	gsize len = strlen(keyword);
	if (len < 2 || len > 64)
		return;
	HullMaskKeyword kw = {g_ascii_strdown(keyword, -1), len, rule};
	guint k = hull_mask_first2(kw.text);
	hull_masker.first2[k / 8] |= (guint8)(1u << (k % 8));
	g_array_append_val(hull_masker.keywords, kw);
	hull_masker.sorted = FALSE;
}

/* One rule object of a rules file: its regex and keywords; anything else is the plugin's. */
static void
hull_mask_add_rule(JsonObject *o)
{
	const char *regex = json_object_get_string_member_with_default(o, "regex", NULL);
	JsonNode *kw = json_object_get_member(o, "keywords");
	if (regex == NULL || kw == NULL || !JSON_NODE_HOLDS_ARRAY(kw) || hull_masker.rules->len >= HULL_MASK_MAX_RULES)
		return;
	HullMaskRule *r = g_new0(HullMaskRule, 1);
	r->regex = g_strdup(regex);
	g_ptr_array_add(hull_masker.rules, r);
	JsonArray *a = json_node_get_array(kw);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			hull_mask_add_keyword(json_node_get_string(n), hull_masker.rules->len - 1);
	}
}

static gboolean
hull_mask_load_file(const char *path, GError **error)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &data, &len, error))
		return FALSE;
	if (len > HULL_MASK_MAX_RULE_FILE) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: larger than %u bytes", path,
		            HULL_MASK_MAX_RULE_FILE);
		return FALSE;
	}
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	if (!hull_json_load_one(parser, data, len, error)) {
		g_prefix_error(error, "%s: ", path);
		return FALSE;
	}
	JsonNode *root = json_parser_get_root(parser);
	JsonNode *rules = root != NULL && JSON_NODE_HOLDS_OBJECT(root)
	                      ? json_object_get_member(json_node_get_object(root), "rules")
	                      : NULL;
	if (rules == NULL || !JSON_NODE_HOLDS_ARRAY(rules)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no \"rules\" array", path);
		return FALSE;
	}
	JsonArray *a = json_node_get_array(rules);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (JSON_NODE_HOLDS_OBJECT(n))
			hull_mask_add_rule(json_node_get_object(n));
	}
	return TRUE;
}

/* Called with the lock held. A missing built-in file leaves the shapes alone to work: a
 * hullscan installed without its data still masks what it can. */
static void
hull_mask_ensure_loaded(void)
{
	if (hull_masker.loaded)
		return;
	hull_masker.loaded = TRUE;
	hull_masker.rules = g_ptr_array_new_with_free_func(hull_mask_rule_free);
	hull_masker.keywords = g_array_new(FALSE, FALSE, sizeof(HullMaskKeyword));
	g_array_set_clear_func(hull_masker.keywords, hull_mask_keyword_clear);
	memset(hull_masker.first2, 0, sizeof hull_masker.first2);
	hull_masker.mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(hull_masker.mctx, HULL_MASK_MATCH_LIMIT);
	pcre2_set_depth_limit(hull_masker.mctx, HULL_MASK_DEPTH_LIMIT);
	hull_masker.shapes = g_ptr_array_new_with_free_func((GDestroyNotify)pcre2_code_free);
	for (guint i = 0; i < G_N_ELEMENTS(hull_mask_shapes); i++) {
		pcre2_code *re = hull_mask_compile(hull_mask_shapes[i].regex);
		g_assert(re != NULL); /* a constant of this file: a typo is a programmer's error */
		g_ptr_array_add(hull_masker.shapes, re);
	}
	g_autofree gchar *builtin = hull_data_find("secrets/rules.json");
	if (builtin != NULL)
		(void)hull_mask_load_file(builtin, NULL);
}

gboolean
hull_mask_add_rules_file(const char *path, GError **error)
{
	g_return_val_if_fail(path != NULL, FALSE);
	g_rec_mutex_lock(&hull_masker.lock);
	hull_mask_ensure_loaded();
	gboolean ok = hull_mask_load_file(path, error);
	g_rec_mutex_unlock(&hull_masker.lock);
	return ok;
}

void
hull_mask_reset(void)
{
	g_rec_mutex_lock(&hull_masker.lock);
	if (hull_masker.loaded) {
		g_ptr_array_unref(hull_masker.rules);
		g_array_unref(hull_masker.keywords);
		g_ptr_array_unref(hull_masker.shapes);
		pcre2_match_context_free(hull_masker.mctx);
		hull_masker.loaded = FALSE;
	}
	g_rec_mutex_unlock(&hull_masker.lock);
}

guint
hull_mask_get_n_rules(void)
{
	g_rec_mutex_lock(&hull_masker.lock);
	hull_mask_ensure_loaded();
	guint n = hull_masker.rules->len;
	g_rec_mutex_unlock(&hull_masker.lock);
	return n;
}

typedef struct {
	gsize start, end;
} HullMaskRange;

static gboolean
hull_mask_in_list(const char *s, gsize len, const char *const *list, gboolean suffix)
{
	for (guint i = 0; list[i] != NULL; i++) {
		gsize n = strlen(list[i]);
		if (suffix ? (n < len && g_ascii_strncasecmp(s + len - n, list[i], n) == 0)
		           : (n == len && g_ascii_strncasecmp(s, list[i], n) == 0))
			return TRUE;
	}
	return FALSE;
}

/* Whether a match of @re in @text at @ov is a secret to hide. */
static gboolean
hull_mask_accept(pcre2_code *re, const char *text, PCRE2_SIZE *ov, guint32 group, gboolean check_key)
{
	PCRE2_SIZE g0 = ov[2 * group], g1 = ov[2 * group + 1];
	if (g0 == PCRE2_UNSET || g1 <= g0)
		return FALSE;
	/* Already masked (a secret finding's evidence, a text masked twice). */
	if (g_strstr_len(text + g0, (gssize)(g1 - g0) + (gssize)strlen(HULL_MASK_REDACTED), "(redacted)") != NULL)
		return FALSE;
	if (!check_key)
		return TRUE;
	if (hull_mask_in_list(text + g0, g1 - g0, hull_mask_plain_values, FALSE))
		return FALSE;
	int key = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "key");
	if (key <= 0 || ov[2 * key] == PCRE2_UNSET)
		return TRUE;
	return !hull_mask_in_list(text + ov[2 * key], ov[2 * key + 1] - ov[2 * key], hull_mask_plain_suffixes, TRUE);
}

/* Every match of @re in @text: the ranges of what is to be hidden. A match that hits a limit
 * ends the search for this regex (the text is hostile; the other regexes still run). */
static void
hull_mask_collect(pcre2_code *re, guint32 group, gboolean check_key, const char *text, gsize len, GArray *ranges)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	PCRE2_SIZE off = 0;
	while (off <= len) {
		int rc = pcre2_match(re, (PCRE2_SPTR)text, len, off, 0, md, hull_masker.mctx);
		if (rc < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		if (hull_mask_accept(re, text, ov, group, check_key)) {
			HullMaskRange r = {ov[2 * group], ov[2 * group + 1]};
			g_array_append_val(ranges, r);
		}
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	pcre2_match_data_free(md);
}

static gboolean
hull_mask_rule_ready(HullMaskRule *r)
{
	if (r->re != NULL || r->broken)
		return r->re != NULL;
	r->re = hull_mask_compile(r->regex);
	if (r->re == NULL) {
		r->broken = TRUE;
		return FALSE;
	}
	int g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "secret");
	r->group = g > 0 ? (guint32)g : 0;
	return TRUE;
}

static gint
hull_mask_keyword_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(((const HullMaskKeyword *)a)->text, ((const HullMaskKeyword *)b)->text);
}

/* The first keyword (in sorted order) whose first two bytes are @lower's. */
static guint
hull_mask_keyword_lower_bound(const char *lower)
{
	guint lo = 0, hi = hull_masker.keywords->len;
	guint want = hull_mask_first2(lower);
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (hull_mask_first2(g_array_index(hull_masker.keywords, HullMaskKeyword, mid).text) < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Runs each rule one of whose keywords @lower holds, once. */
static void
hull_mask_rules_hit(const char *lower, gsize len, GArray *ranges, const char *text)
{
	if (!hull_masker.sorted) {
		g_array_sort(hull_masker.keywords, hull_mask_keyword_cmp);
		hull_masker.sorted = TRUE;
	}
	g_autofree guint8 *seen = g_new0(guint8, hull_masker.rules->len + 1);
	for (gsize i = 0; i + 1 < len; i++) {
		guint k = hull_mask_first2(lower + i);
		if (!(hull_masker.first2[k / 8] & (1u << (k % 8))))
			continue;
		for (guint j = hull_mask_keyword_lower_bound(lower + i); j < hull_masker.keywords->len; j++) {
			HullMaskKeyword *kw = &g_array_index(hull_masker.keywords, HullMaskKeyword, j);
			if (hull_mask_first2(kw->text) != k)
				break;
			if (seen[kw->rule] || kw->len > len - i || memcmp(lower + i, kw->text, kw->len) != 0)
				continue;
			seen[kw->rule] = 1;
			HullMaskRule *r = g_ptr_array_index(hull_masker.rules, kw->rule);
			if (hull_mask_rule_ready(r))
				hull_mask_collect(r->re, r->group, FALSE, text, len, ranges);
		}
	}
}

static gint
hull_mask_range_cmp(gconstpointer a, gconstpointer b)
{
	const HullMaskRange *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start ? 1 : (x->end > y->end) - (x->end < y->end);
}

/* @text with each (merged) range replaced by its first characters and the marker. */
static gchar *
hull_mask_apply(const char *text, gsize len, GArray *ranges)
{
	g_array_sort(ranges, hull_mask_range_cmp);
	GString *out = g_string_sized_new(len + 16);
	gsize at = 0;
	for (guint i = 0; i < ranges->len; i++) {
		HullMaskRange r = g_array_index(ranges, HullMaskRange, i);
		while (i + 1 < ranges->len && g_array_index(ranges, HullMaskRange, i + 1).start <= r.end) {
			i++;
			r.end = MAX(r.end, g_array_index(ranges, HullMaskRange, i).end);
		}
		if (r.start < at)
			r.start = at;
		if (r.end <= r.start)
			continue;
		/* At most 4 characters, fewer for a short secret, never half a UTF-8 sequence. */
		gsize keep = MIN((gsize)HULL_MASK_KEEP, (r.end - r.start) / 3);
		while (keep > 0 && ((guchar)text[r.start + keep] & 0xc0) == 0x80)
			keep--;
		g_string_append_len(out, text + at, (gssize)(r.start + keep - at));
		g_string_append(out, HULL_MASK_REDACTED);
		at = r.end;
	}
	g_string_append_len(out, text + at, (gssize)(len - at));
	return g_string_free(out, FALSE);
}

/* Most texts (a vulnerability's message, a path) hold no needle of a shape: a strstr each
 * instead of a regex that tries every position. */
static gboolean
hull_mask_any_needle(const char *lower, const char *const *needles)
{
	for (guint i = 0; i < 8 && needles[i] != NULL; i++) {
		if (strstr(lower, needles[i]) != NULL)
			return TRUE;
	}
	return FALSE;
}

gchar *
hull_mask_text(const char *text)
{
	if (text == NULL)
		return NULL;
	gsize len = strlen(text);
	if (len < 2)
		return g_strdup(text);
	g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(HullMaskRange));
	g_autofree gchar *lower = g_ascii_strdown(text, (gssize)len);
	g_rec_mutex_lock(&hull_masker.lock);
	hull_mask_ensure_loaded();
	hull_mask_rules_hit(lower, len, ranges, text);
	for (guint i = 0; i < hull_masker.shapes->len; i++) {
		if (!hull_mask_any_needle(lower, hull_mask_shapes[i].needles))
			continue;
		pcre2_code *re = g_ptr_array_index(hull_masker.shapes, i);
		int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "secret");
		hull_mask_collect(re, (guint32)g, hull_mask_shapes[i].check_key, text, len, ranges);
	}
	g_rec_mutex_unlock(&hull_masker.lock);
	if (ranges->len == 0)
		return g_strdup(text);
	return hull_mask_apply(text, len, ranges);
}

gboolean
hull_mask_text_inplace(gchar **text)
{
	g_return_val_if_fail(text != NULL, FALSE);
	if (*text == NULL)
		return FALSE;
	gchar *masked = hull_mask_text(*text);
	if (strcmp(masked, *text) == 0) {
		g_free(masked);
		return FALSE;
	}
	g_free(*text);
	*text = masked;
	return TRUE;
}
