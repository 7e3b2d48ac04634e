/* hull-version-apk.c: Alpine apk version ordering. A version is
 *   digits{.digits}[letter]{_suffix[digits]}[~hexhash][-rdigits]
 * read as a sequence of typed tokens; tokens of the same type compare by value (numbers
 * numerically unless one side has a leading zero, which compares as text as Gentoo does;
 * suffixes in the order alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p). When the
 * types differ the shorter version wins or loses by the type of what follows: a pre-release
 * suffix makes it older, anything else makes it newer. A token that breaks the grammar turns
 * the rest of that version into an "invalid" token, which sorts after (older than) every
 * valid continuation; two invalid tails compare equal. Digits right after a letter continue
 * the version ("5.7.3p1-r0"): real apk accepts them, and the generated answers depend on it. */
#include <string.h>

#include "hull-version-compare.h"

typedef enum {
	HULL_APK_TOK_INITIAL_DIGIT,
	HULL_APK_TOK_DIGIT,
	HULL_APK_TOK_LETTER,
	HULL_APK_TOK_SUFFIX,
	HULL_APK_TOK_SUFFIX_NO,
	HULL_APK_TOK_COMMIT_HASH,
	HULL_APK_TOK_REVISION_NO,
	HULL_APK_TOK_END,
	HULL_APK_TOK_INVALID,
} HullApkTokenType;

enum {
	HULL_APK_SUF_INVALID = 0,
	HULL_APK_SUF_ALPHA,
	HULL_APK_SUF_BETA,
	HULL_APK_SUF_PRE,
	HULL_APK_SUF_RC,
	HULL_APK_SUF_NONE,
	HULL_APK_SUF_CVS,
	HULL_APK_SUF_SVN,
	HULL_APK_SUF_GIT,
	HULL_APK_SUF_HG,
	HULL_APK_SUF_P,
};

typedef struct {
	HullApkTokenType type;
	int suffix;
	guint64 number;    /* saturating */
	const char *value; /* the token's text */
	gsize len;
} HullApkToken;

typedef struct {
	const char *p, *end;
} HullApkCursor;

static int
hull_apk_suffix_value(const char *s, gsize len)
{
	static const struct {
		const char *name;
		int value;
	} names[] = {
		{"alpha", HULL_APK_SUF_ALPHA}, {"beta", HULL_APK_SUF_BETA}, {"pre", HULL_APK_SUF_PRE},
		{"rc", HULL_APK_SUF_RC},       {"cvs", HULL_APK_SUF_CVS},   {"svn", HULL_APK_SUF_SVN},
		{"git", HULL_APK_SUF_GIT},     {"hg", HULL_APK_SUF_HG},     {"p", HULL_APK_SUF_P},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		if (strlen(names[i].name) == len && memcmp(names[i].name, s, len) == 0)
			return names[i].value;
	}
	return HULL_APK_SUF_INVALID;
}

static void
hull_apk_parse_digits(HullApkToken *t, HullApkCursor *c)
{
	const char *start = c->p;
	guint64 n = 0;
	while (c->p < c->end && g_ascii_isdigit(*c->p)) {
		guint d = (guint)(*c->p - '0');
		n = n > (G_MAXUINT64 - d) / 10 ? G_MAXUINT64 : n * 10 + d;
		c->p++;
	}
	t->number = n;
	t->value = start;
	t->len = (gsize)(c->p - start);
	if (t->len == 0)
		t->type = HULL_APK_TOK_INVALID;
}

static void
hull_apk_first(HullApkToken *t, HullApkCursor *c)
{
	t->type = HULL_APK_TOK_INITIAL_DIGIT;
	hull_apk_parse_digits(t, c);
}

static void
hull_apk_next(HullApkToken *t, HullApkCursor *c)
{
	if (c->p >= c->end) {
		t->type = HULL_APK_TOK_END;
		return;
	}
	char ch = *c->p;
	if (ch >= 'a' && ch <= 'z') {
		if (t->type > HULL_APK_TOK_DIGIT)
			goto invalid;
		t->value = c->p;
		t->len = 1;
		t->type = HULL_APK_TOK_LETTER;
		c->p++;
		return;
	}
	if (ch == '.' || g_ascii_isdigit(ch)) {
		if (ch == '.') {
			if (t->type > HULL_APK_TOK_DIGIT)
				goto invalid;
			c->p++;
		}
		if (t->type <= HULL_APK_TOK_LETTER)
			t->type = HULL_APK_TOK_DIGIT;
		else if (t->type == HULL_APK_TOK_SUFFIX)
			t->type = HULL_APK_TOK_SUFFIX_NO;
		else
			goto invalid;
		hull_apk_parse_digits(t, c);
		return;
	}
	if (ch == '_') {
		if (t->type > HULL_APK_TOK_SUFFIX_NO)
			goto invalid;
		c->p++;
		const char *s = c->p;
		while (c->p < c->end && *c->p >= 'a' && *c->p <= 'z')
			c->p++;
		t->value = s;
		t->len = (gsize)(c->p - s);
		t->suffix = hull_apk_suffix_value(s, t->len);
		if (t->suffix == HULL_APK_SUF_INVALID)
			goto invalid;
		t->type = HULL_APK_TOK_SUFFIX;
		return;
	}
	if (ch == '~') {
		if (t->type >= HULL_APK_TOK_COMMIT_HASH)
			goto invalid;
		c->p++;
		const char *s = c->p;
		while (c->p < c->end && g_ascii_isxdigit(*c->p))
			c->p++;
		t->value = s;
		t->len = (gsize)(c->p - s);
		if (t->len == 0)
			goto invalid;
		t->type = HULL_APK_TOK_COMMIT_HASH;
		return;
	}
	if (ch == '-') {
		if (t->type >= HULL_APK_TOK_REVISION_NO)
			goto invalid;
		if (c->end - c->p < 2 || c->p[1] != 'r')
			goto invalid;
		c->p += 2;
		t->type = HULL_APK_TOK_REVISION_NO;
		hull_apk_parse_digits(t, c);
		return;
	}
invalid:
	t->type = HULL_APK_TOK_INVALID;
}

static int
hull_apk_text_cmp(const HullApkToken *a, const HullApkToken *b)
{
	int r = memcmp(a->value, b->value, MIN(a->len, b->len));
	if (r == 0 && a->len != b->len)
		r = a->len < b->len ? -1 : 1;
	return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

static int
hull_apk_token_cmp(const HullApkToken *a, const HullApkToken *b)
{
	guint64 x, y;
	switch (a->type) {
	case HULL_APK_TOK_DIGIT:
		if (a->value[0] == '0' || b->value[0] == '0')
			return hull_apk_text_cmp(a, b);
		/* fall through */
	case HULL_APK_TOK_INITIAL_DIGIT:
	case HULL_APK_TOK_SUFFIX_NO:
	case HULL_APK_TOK_REVISION_NO:
		x = a->number;
		y = b->number;
		break;
	case HULL_APK_TOK_LETTER:
		x = (guchar)a->value[0];
		y = (guchar)b->value[0];
		break;
	case HULL_APK_TOK_SUFFIX:
		x = (guint64)a->suffix;
		y = (guint64)b->suffix;
		break;
	default:
		return hull_apk_text_cmp(a, b);
	}
	return x < y ? -1 : (x > y ? 1 : 0);
}

int
hull_version_compare_apk(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b ? 0 : (a == NULL ? -1 : 1);
	HullApkCursor ca = {a, a + strlen(a)}, cb = {b, b + strlen(b)};
	HullApkToken ta = {0}, tb = {0};

	for (hull_apk_first(&ta, &ca), hull_apk_first(&tb, &cb);
	     ta.type == tb.type && ta.type < HULL_APK_TOK_END;
	     hull_apk_next(&ta, &ca), hull_apk_next(&tb, &cb)) {
		int r = hull_apk_token_cmp(&ta, &tb);
		if (r != 0)
			return r;
	}
	if (ta.type == tb.type)
		return 0;
	if (ta.type == HULL_APK_TOK_SUFFIX && ta.suffix < HULL_APK_SUF_NONE)
		return -1;
	if (tb.type == HULL_APK_TOK_SUFFIX && tb.suffix < HULL_APK_SUF_NONE)
		return 1;
	return ta.type > tb.type ? -1 : 1;
}
