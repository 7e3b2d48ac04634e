/* hull-secrets-engine.h: the matching engine. One Hyperscan database of every rule's keywords,
 * compiled once per process, runs in streaming mode over a file's chunks; each keyword hit opens
 * a candidate window for its rule, and PCRE2 (JIT, with match limits) confirms the rule's regex
 * in that window and extracts the `secret` group. A bounded tail of earlier chunks is kept so a
 * secret that straddles a chunk boundary is confirmed whole. The engine is immutable after
 * creation and shared by all threads; a HullSecretsStream is one file's state and belongs to
 * one thread at a time. */
#pragma once

#include "hull-secrets-rules.h"

G_BEGIN_DECLS

typedef struct _HullSecretsEngine HullSecretsEngine;
typedef struct _HullSecretsStream HullSecretsStream;

typedef struct {
	const HullSecretsRule *rule;
	const char *secret;     /* not NUL-terminated; valid during the callback only */
	gsize secret_len;
	guint64 offset;         /* of the secret in the stream */
	guint line;             /* 1-based, of the secret's first byte */
	guint column;           /* 1-based byte column */
} HullSecretsMatch;

typedef void (*HullSecretsMatchFunc)(const HullSecretsMatch *match, gpointer user_data);

/* Compiles the engine from @rules (HullSecretsRule*, the engine takes a reference) and
 * @global (transfer full). */
HullSecretsEngine *hull_secrets_engine_new(GPtrArray *rules, HullSecretsGlobal *global, GError **error);
void hull_secrets_engine_free(HullSecretsEngine *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullSecretsEngine, hull_secrets_engine_free)

/* (transfer none) HullSecretsRule* */
GPtrArray *hull_secrets_engine_get_rules(HullSecretsEngine *engine);

/* Starts a file. @path selects the rules whose path allow-globs do not match it. Every
 * confirmed, filtered, de-duplicated (per rule and secret) match goes to @func. */
HullSecretsStream *hull_secrets_stream_new(HullSecretsEngine *engine, const char *path, HullSecretsMatchFunc func,
                                           gpointer user_data);
/* Feeds the next chunk. Fails only when Hyperscan does. */
gboolean hull_secrets_stream_feed(HullSecretsStream *stream, const guint8 *data, gsize len, GError **error);
/* Flushes the candidates still waiting for more data, then frees the stream. */
void hull_secrets_stream_finish(HullSecretsStream *stream);
/* Frees without flushing (an aborted file). */
void hull_secrets_stream_free(HullSecretsStream *stream);

/* Convenience: scans one buffer as a whole file. */
gboolean hull_secrets_engine_scan_buffer(HullSecretsEngine *engine, const char *path, const guint8 *data,
                                         gsize len, HullSecretsMatchFunc func, gpointer user_data, GError **error);

G_END_DECLS
