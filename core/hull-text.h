/* hull-text.h: which characters may reach a person's terminal. Image content is hostile: a
 * path, a created_by or a message may carry C0/C1 control characters (an escape sequence
 * rewrites the screen, U+009B is a CSI on its own) or Unicode bidi controls (U+202E turns
 * "gpj.exe" into "exe.jpg" on screen, the Trojan Source trick). Every writer of human-readable
 * text asks this one predicate; each format then escapes what it flags in its own way: \xNN
 * or \uNNNN in `files` and on stderr, U+FFFD in the table and XML, \uNNNN escapes inside JSON
 * strings (lossless). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* C0 and C1 controls, DEL, the bidi embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069), the marks U+200E, U+200F and U+061C, and the non-characters U+FFFE/U+FFFF.
 * Tab and newline are flagged too: callers that keep them test for them first. */
gboolean hull_text_char_is_unsafe(gunichar c);

/* (transfer full) @s for a terminal or a log line: invalid UTF-8 bytes and unsafe ASCII as
 * \xNN, other unsafe characters as \uNNNN; with @quote_backslash a backslash is doubled so the
 * escaping can be read back (paths); NULL gives "(null)". */
gchar *hull_text_escape(const char *s, gboolean quote_backslash);

/* Rewrites JSON text (as json-glib writes it) so that every unsafe character left raw inside
 * a string becomes a \uNNNN escape: the same value for a JSON reader, inert in a terminal. */
void hull_text_escape_json(GString *json);

G_END_DECLS
