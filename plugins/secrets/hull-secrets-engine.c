/* hull-secrets-engine.c: keyword prefilter (Hyperscan, streaming) + regex confirmation
 * (PCRE2-JIT) for secret rules.
 *
 * Why two stages: Hyperscan finds every rule's keywords in one SIMD pass at several GB/s, and
 * most bytes of an image hold none; PCRE2 then runs only on small windows around hits, where its
 * richer syntax (named groups, lookaround) and match limits are affordable. Hits of one rule
 * that fall close together are coalesced into one range so a file full of the word "key" costs
 * one regex pass, not one per hit. The stream keeps the last TAIL bytes of earlier chunks (and
 * whatever a waiting range still needs, at most MAX_RANGE), so a match that straddles a chunk
 * boundary is confirmed on contiguous bytes. */
#include "hull-secrets-engine.h"

#include <string.h>
#include <hs/hs.h>

#define HULL_SECRETS_TAIL 4096
/* A waiting range longer than this is confirmed in part, so memory stays bounded. */
#define HULL_SECRETS_MAX_RANGE (32 * 1024)
/* Kept unconfirmed at the end of a partially confirmed range: longer than any match. */
#define HULL_SECRETS_KEEP 2048
/* PCRE2 work per call: bounds catastrophic backtracking on hostile windows. */
#define HULL_SECRETS_MATCH_LIMIT 200000
#define HULL_SECRETS_DEPTH_LIMIT 5000
/* Reported matches per file: a generated file of a million "password=…" lines is one
 * problem, not a million findings. */
#define HULL_SECRETS_MAX_MATCHES 500

struct _HullSecretsEngine {
	GPtrArray *rules;          /* HullSecretsRule* */
	HullSecretsGlobal *global;
	hs_database_t *db;
	GPtrArray *kw_rules;       /* per keyword id: GArray of guint rule indices */
	hs_scratch_t *proto;
	GMutex lock;
	GPtrArray *pool;           /* HullSecretsStream* finished, kept for reuse; under lock */
	guint32 max_pairs;
	gboolean any_path_globs;   /* some rule is not applied to some paths */
};

typedef struct {
	guint64 start;
	guint64 end;
	gboolean active;
} HullSecretsPending;

typedef struct {
	guint64 start;
	guint64 end;
} HullSecretsSpan;

/* A generic rule's match waits for the end of the file: when a specific rule reports the same
 * bytes (GITHUB_TOKEN=ghp_…), the specific finding alone is kept. */
typedef struct {
	guint rule;
	gchar *secret;
	gsize len;
	guint64 offset;
	guint line;
	guint column;
} HullSecretsDeferred;

struct _HullSecretsStream {
	HullSecretsEngine *engine;
	hs_stream_t *hs;
	hs_scratch_t *scratch;
	guint8 *skip;              /* per rule: excluded by its path allow-globs */
	HullSecretsPending *pending;
	GArray *active;            /* guint rule indices with a pending range */
	GByteArray *buf;
	guint64 buf_start;         /* stream offset of buf->data[0] */
	guint64 total;             /* bytes fed so far */
	guint64 lines_before;      /* newlines before buf_start */
	guint64 line_start;        /* offset of the first byte of the line holding buf_start */
	GHashTable *seen;          /* "rule-index:secret" */
	guint n_matches;
	GArray *spans;             /* HullSecretsSpan of specific rules' secrets */
	GArray *deferred;          /* HullSecretsDeferred of generic rules, emitted at the end */
	pcre2_match_data *md;
	pcre2_match_data *md_allow;
	pcre2_match_context *mctx;
	HullSecretsMatchFunc func;
	gpointer user_data;
};

static void
hull_secrets_garray_free(gpointer a)
{
	g_array_unref(a);
}

static void hull_secrets_stream_destroy(HullSecretsStream *s);

void
hull_secrets_engine_free(HullSecretsEngine *engine)
{
	if (engine == NULL)
		return;
	if (engine->pool != NULL) {
		for (guint i = 0; i < engine->pool->len; i++)
			hull_secrets_stream_destroy(engine->pool->pdata[i]);
		g_ptr_array_unref(engine->pool);
	}
	if (engine->proto != NULL)
		hs_free_scratch(engine->proto);
	if (engine->db != NULL)
		hs_free_database(engine->db);
	if (engine->kw_rules != NULL)
		g_ptr_array_unref(engine->kw_rules);
	if (engine->rules != NULL)
		g_ptr_array_unref(engine->rules);
	hull_secrets_global_free(engine->global);
	g_mutex_clear(&engine->lock);
	g_free(engine);
}

GPtrArray *
hull_secrets_engine_get_rules(HullSecretsEngine *engine)
{
	return engine->rules;
}

HullSecretsEngine *
hull_secrets_engine_new(GPtrArray *rules, HullSecretsGlobal *global, GError **error)
{
	g_autoptr(HullSecretsEngine) engine = g_new0(HullSecretsEngine, 1);
	g_autoptr(GHashTable) kw_ids = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) kws = g_ptr_array_new();
	hs_compile_error_t *cerr = NULL;

	g_mutex_init(&engine->lock);
	engine->rules = g_ptr_array_ref(rules);
	engine->global = global;
	engine->pool = g_ptr_array_new();
	engine->kw_rules = g_ptr_array_new_with_free_func(hull_secrets_garray_free);
	engine->max_pairs = 1;

	for (guint r = 0; r < rules->len; r++) {
		HullSecretsRule *rule = rules->pdata[r];
		guint32 pairs = 0;
		pcre2_pattern_info(rule->re, PCRE2_INFO_CAPTURECOUNT, &pairs);
		engine->max_pairs = MAX(engine->max_pairs, pairs + 1);
		if (hull_secrets_globs_len(rule->path_specs) > 0)
			engine->any_path_globs = TRUE;
		for (guint k = 0; rule->keywords[k] != NULL; k++) {
			gpointer idp = NULL;
			guint id;
			if (g_hash_table_lookup_extended(kw_ids, rule->keywords[k], NULL, &idp)) {
				id = GPOINTER_TO_UINT(idp);
			} else {
				id = kws->len;
				g_ptr_array_add(kws, rule->keywords[k]);
				g_hash_table_insert(kw_ids, rule->keywords[k], GUINT_TO_POINTER(id));
				g_ptr_array_add(engine->kw_rules, g_array_new(FALSE, FALSE, sizeof(guint)));
			}
			GArray *list = engine->kw_rules->pdata[id];
			gboolean dup = FALSE;
			for (guint i = 0; i < list->len; i++)
				dup = dup || g_array_index(list, guint, i) == r;
			if (!dup)
				g_array_append_val(list, r);
		}
	}
	if (kws->len == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no secret rules to compile");
		return NULL;
	}

	g_autofree unsigned int *flags = g_new(unsigned int, kws->len);
	g_autofree unsigned int *ids = g_new(unsigned int, kws->len);
	g_autofree size_t *lens = g_new(size_t, kws->len);
	for (guint i = 0; i < kws->len; i++) {
		flags[i] = HS_FLAG_CASELESS;
		ids[i] = i;
		lens[i] = strlen(kws->pdata[i]);
	}
	if (hs_compile_lit_multi((const char *const *)kws->pdata, flags, ids, lens, kws->len, HS_MODE_STREAM, NULL,
	                         &engine->db, &cerr) != HS_SUCCESS) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "Hyperscan could not compile keyword %d: %s",
		            cerr->expression, cerr->message);
		hs_free_compile_error(cerr);
		return NULL;
	}
	if (hs_alloc_scratch(engine->db, &engine->proto) != HS_SUCCESS) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "Hyperscan could not allocate scratch space");
		return NULL;
	}
	return g_steal_pointer(&engine);
}

/* A stream's buffers, Hyperscan scratch and PCRE2 match data, made once per concurrent
 * stream and reused: an image has many small files, and making these for each was a tenth of
 * a scan of 100,000 of them. */
static HullSecretsStream *
hull_secrets_stream_alloc(HullSecretsEngine *engine)
{
	HullSecretsStream *s = g_new0(HullSecretsStream, 1);
	s->engine = engine;
	if (hs_clone_scratch(engine->proto, &s->scratch) != HS_SUCCESS)
		s->scratch = NULL;
	s->skip = g_new0(guint8, engine->rules->len);
	s->pending = g_new0(HullSecretsPending, engine->rules->len);
	s->active = g_array_new(FALSE, FALSE, sizeof(guint));
	s->buf = g_byte_array_new();
	s->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->spans = g_array_new(FALSE, FALSE, sizeof(HullSecretsSpan));
	s->deferred = g_array_new(FALSE, FALSE, sizeof(HullSecretsDeferred));
	s->md = pcre2_match_data_create(engine->max_pairs, NULL);
	s->md_allow = pcre2_match_data_create(1, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(s->mctx, HULL_SECRETS_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, HULL_SECRETS_DEPTH_LIMIT);
	return s;
}

/* Frees a pooled stream: hull_secrets_stream_free() has closed and emptied it. */
static void
hull_secrets_stream_destroy(HullSecretsStream *s)
{
	if (s->scratch != NULL)
		hs_free_scratch(s->scratch);
	g_free(s->skip);
	g_free(s->pending);
	g_array_unref(s->active);
	g_byte_array_unref(s->buf);
	g_hash_table_unref(s->seen);
	g_array_unref(s->spans);
	g_array_unref(s->deferred);
	pcre2_match_data_free(s->md);
	pcre2_match_data_free(s->md_allow);
	pcre2_match_context_free(s->mctx);
	g_free(s);
}

HullSecretsStream *
hull_secrets_stream_new(HullSecretsEngine *engine, const char *path, HullSecretsMatchFunc func, gpointer user_data)
{
	HullSecretsStream *s = NULL;
	g_mutex_lock(&engine->lock);
	if (engine->pool->len > 0)
		s = g_ptr_array_steal_index_fast(engine->pool, engine->pool->len - 1);
	g_mutex_unlock(&engine->lock);
	if (s == NULL)
		s = hull_secrets_stream_alloc(engine);
	s->func = func;
	s->user_data = user_data;
	if (s->scratch == NULL || hs_open_stream(engine->db, 0, &s->hs) != HS_SUCCESS)
		s->hs = NULL;
	if (path != NULL && engine->any_path_globs) {
		gsize len = strlen(path);
		for (guint r = 0; r < engine->rules->len; r++) {
			const HullSecretsRule *rule = engine->rules->pdata[r];
			s->skip[r] = hull_secrets_globs_match(rule->path_specs, path, len);
		}
	}
	return s;
}

void
hull_secrets_stream_free(HullSecretsStream *s)
{
	if (s == NULL)
		return;
	HullSecretsEngine *engine = s->engine;
	if (s->hs != NULL)
		hs_close_stream(s->hs, s->scratch, NULL, NULL);
	s->hs = NULL;
	/* back to what hull_secrets_stream_alloc() made */
	memset(s->skip, 0, engine->rules->len);
	memset(s->pending, 0, engine->rules->len * sizeof(HullSecretsPending));
	g_array_set_size(s->active, 0);
	g_byte_array_set_size(s->buf, 0); /* its capacity stays what feed() bounds it to */
	s->buf_start = s->total = s->lines_before = s->line_start = 0;
	g_hash_table_remove_all(s->seen);
	s->n_matches = 0;
	g_array_set_size(s->spans, 0);
	for (guint i = 0; i < s->deferred->len; i++)
		g_free(g_array_index(s->deferred, HullSecretsDeferred, i).secret);
	g_array_set_size(s->deferred, 0);
	s->func = NULL;
	s->user_data = NULL;
	g_mutex_lock(&engine->lock);
	g_ptr_array_add(engine->pool, s);
	g_mutex_unlock(&engine->lock);
}

static gboolean
hull_secrets_has_stopword(GStrv words, GPtrArray *more, const char *lower)
{
	for (guint i = 0; words != NULL && words[i] != NULL; i++) {
		if (strstr(lower, words[i]) != NULL)
			return TRUE;
	}
	for (guint i = 0; more != NULL && i < more->len; i++) {
		if (strstr(lower, more->pdata[i]) != NULL)
			return TRUE;
	}
	return FALSE;
}

static gboolean
hull_secrets_allowed(HullSecretsStream *s, GPtrArray *allow, const guint8 *text, gsize len)
{
	for (guint i = 0; allow != NULL && i < allow->len; i++) {
		if (pcre2_match(allow->pdata[i], text, len, 0, 0, s->md_allow, s->mctx) >= 0)
			return TRUE;
	}
	return FALSE;
}

static void
hull_secrets_position(HullSecretsStream *s, guint64 offset, guint *line, guint *column)
{
	const guint8 *d = s->buf->data;
	gsize upto = (gsize)(offset - s->buf_start);
	guint64 lines = s->lines_before;
	guint64 start = s->line_start;

	for (gsize i = 0; i < upto; i++) {
		if (d[i] == '\n') {
			lines++;
			start = s->buf_start + i + 1;
		}
	}
	*line = (guint)MIN(lines + 1, G_MAXUINT);
	*column = (guint)MIN(offset - start + 1, G_MAXUINT);
}

/* Confirms @rule's regex on [@from, @to) of the stream. Matches starting at or after
 * @accept_before (when non-zero) are left for a later pass. */
static void
hull_secrets_confirm(HullSecretsStream *s, guint r, guint64 from, guint64 to, guint64 accept_before)
{
	const HullSecretsRule *rule = s->engine->rules->pdata[r];
	HullSecretsGlobal *global = s->engine->global;
	const guint8 *subject = s->buf->data;
	PCRE2_SIZE len = (PCRE2_SIZE)(to - s->buf_start);
	PCRE2_SIZE off = (PCRE2_SIZE)(MAX(from, s->buf_start) - s->buf_start);

	while (off <= len && s->n_matches < HULL_SECRETS_MAX_MATCHES) {
		int rc = pcre2_match(rule->re, subject, len, off, 0, s->md, s->mctx);
		if (rc < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		PCRE2_SIZE m0 = ov[0], m1 = ov[1];
		if (accept_before != 0 && s->buf_start + m0 >= accept_before)
			break;
		off = m1 > m0 ? m1 : m0 + 1;
		if ((guint32)rc <= rule->secret_group)
			continue;
		PCRE2_SIZE g0 = ov[2 * rule->secret_group], g1 = ov[2 * rule->secret_group + 1];
		if (g0 == PCRE2_UNSET || g1 <= g0)
			continue;
		const char *secret = (const char *)subject + g0;
		gsize slen = g1 - g0;
		if (rule->entropy > 0 && hull_secrets_entropy(secret, slen) < rule->entropy)
			continue;
		g_autofree gchar *lower = g_ascii_strdown(secret, (gssize)slen);
		if (strlen(lower) != slen)
			continue; /* a NUL inside a secret: not text */
		if (hull_secrets_has_stopword(rule->stopwords, rule->global_filters ? global->stopwords : NULL, lower))
			continue;
		/* A rule's allow regexes see the whole match (context such as a host name); the
		 * global ones only the secret, so "example.org" in a URL does not hide it. */
		if (hull_secrets_allowed(s, rule->allow, subject + m0, m1 - m0) ||
		    (rule->global_filters && hull_secrets_allowed(s, global->allow, (const guint8 *)secret, slen)))
			continue;
		GString *key = g_string_new(NULL);
		g_string_append_printf(key, "%u:", r);
		g_string_append_len(key, secret, (gssize)slen);
		if (!g_hash_table_add(s->seen, g_string_free(key, FALSE)))
			continue;
		HullSecretsMatch m = {
			.rule = rule,
			.secret = secret,
			.secret_len = slen,
			.offset = s->buf_start + g0,
		};
		hull_secrets_position(s, m.offset, &m.line, &m.column);
		s->n_matches++;
		if (g_strcmp0(rule->kind, "generic") == 0) {
			HullSecretsDeferred d = { r, g_strndup(secret, slen), slen, m.offset, m.line, m.column };
			g_array_append_val(s->deferred, d);
			continue;
		}
		HullSecretsSpan span = { m.offset, m.offset + slen };
		g_array_append_val(s->spans, span);
		s->func(&m, s->user_data);
	}
}

static int
hull_secrets_on_hit(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
                    void *ctx)
{
	HullSecretsStream *s = ctx;
	GArray *list = s->engine->kw_rules->pdata[id];

	for (guint i = 0; i < list->len; i++) {
		guint r = g_array_index(list, guint, i);
		if (s->skip[r])
			continue;
		const HullSecretsRule *rule = s->engine->rules->pdata[r];
		HullSecretsPending *p = &s->pending[r];
		guint64 start = to > rule->before ? to - rule->before : 0;
		guint64 end = to + rule->after;
		start = MAX(start, s->buf_start);
		if (p->active && start <= p->end) {
			p->end = MAX(p->end, end);
			continue;
		}
		if (p->active) {
			/* The old range ended before this hit's window: all its bytes are here. */
			hull_secrets_confirm(s, r, p->start, MIN(p->end, s->total), 0);
		} else {
			g_array_append_val(s->active, r);
		}
		p->active = TRUE;
		p->start = start;
		p->end = end;
	}
	return 0;
}

/* Confirms ranges whose bytes are all here (or all of them at end of stream), and parts of
 * ranges that grew too long. */
static void
hull_secrets_flush(HullSecretsStream *s, gboolean at_end)
{
	for (guint i = 0; i < s->active->len;) {
		guint r = g_array_index(s->active, guint, i);
		HullSecretsPending *p = &s->pending[r];
		if (at_end || p->end <= s->total) {
			hull_secrets_confirm(s, r, p->start, MIN(p->end, s->total), 0);
			p->active = FALSE;
			g_array_remove_index_fast(s->active, i);
			continue;
		}
		if (s->total - p->start > HULL_SECRETS_MAX_RANGE) {
			guint64 cut = s->total - HULL_SECRETS_KEEP;
			hull_secrets_confirm(s, r, p->start, s->total, cut);
			p->start = cut;
		}
		i++;
	}
}

static void
hull_secrets_compact(HullSecretsStream *s)
{
	guint64 keep = s->total > HULL_SECRETS_TAIL ? s->total - HULL_SECRETS_TAIL : 0;

	for (guint i = 0; i < s->active->len; i++)
		keep = MIN(keep, s->pending[g_array_index(s->active, guint, i)].start);
	if (keep <= s->buf_start)
		return;
	gsize drop = (gsize)(keep - s->buf_start);
	const guint8 *d = s->buf->data;
	for (gsize i = 0; i < drop; i++) {
		if (d[i] == '\n') {
			s->lines_before++;
			s->line_start = s->buf_start + i + 1;
		}
	}
	g_byte_array_remove_range(s->buf, 0, (guint)drop);
	s->buf_start = keep;
}

gboolean
hull_secrets_stream_feed(HullSecretsStream *s, const guint8 *data, gsize len, GError **error)
{
	if (s->hs == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "Hyperscan could not open a stream");
		return FALSE;
	}
	while (len > 0) {
		/* Bounded pieces: the buffer stays small and hs_scan_stream takes an unsigned int. */
		gsize piece = MIN(len, (gsize)(256 * 1024));
		g_byte_array_append(s->buf, data, (guint)piece);
		s->total += piece;
		hs_error_t rc = hs_scan_stream(s->hs, (const char *)data, (unsigned int)piece, 0, s->scratch,
		                               hull_secrets_on_hit, s);
		if (rc != HS_SUCCESS) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "Hyperscan stream scan failed (%d)", rc);
			return FALSE;
		}
		hull_secrets_flush(s, FALSE);
		hull_secrets_compact(s);
		data += piece;
		len -= piece;
	}
	return TRUE;
}

void
hull_secrets_stream_finish(HullSecretsStream *s)
{
	if (s->hs != NULL) {
		/* With a callback, Hyperscan reports end-of-data matches first and, when the stream
		 * had failed, returns an error without freeing it: then it is closed without one. */
		if (hs_close_stream(s->hs, s->scratch, hull_secrets_on_hit, s) != HS_SUCCESS)
			hs_close_stream(s->hs, NULL, NULL, NULL);
		s->hs = NULL;
	}
	hull_secrets_flush(s, TRUE);
	for (guint i = 0; i < s->deferred->len; i++) {
		HullSecretsDeferred *d = &g_array_index(s->deferred, HullSecretsDeferred, i);
		gboolean covered = FALSE;
		for (guint k = 0; k < s->spans->len && !covered; k++) {
			HullSecretsSpan *sp = &g_array_index(s->spans, HullSecretsSpan, k);
			covered = sp->start < d->offset + d->len && d->offset < sp->end;
		}
		if (covered)
			continue;
		HullSecretsMatch m = {
			.rule = s->engine->rules->pdata[d->rule],
			.secret = d->secret,
			.secret_len = d->len,
			.offset = d->offset,
			.line = d->line,
			.column = d->column,
		};
		s->func(&m, s->user_data);
	}
	hull_secrets_stream_free(s);
}

gboolean
hull_secrets_engine_scan_buffer(HullSecretsEngine *engine, const char *path, const guint8 *data, gsize len,
                                HullSecretsMatchFunc func, gpointer user_data, GError **error)
{
	HullSecretsStream *s = hull_secrets_stream_new(engine, path, func, user_data);

	if (!hull_secrets_stream_feed(s, data, len, error)) {
		hull_secrets_stream_free(s);
		return FALSE;
	}
	hull_secrets_stream_finish(s);
	return TRUE;
}
