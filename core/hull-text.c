/* hull-text.c: the unsafe-character predicate shared by every human-readable writer, and its
 * lossless use on JSON text. */
#include <string.h>
#include "hull-text.h"

gboolean
hull_text_char_is_unsafe(gunichar c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
		return TRUE;
	if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
		return TRUE;
	return c == 0xfffe || c == 0xffff;
}

gchar *
hull_text_escape(const char *s, gboolean quote_backslash)
{
	if (s == NULL)
		return g_strdup("(null)");
	GString *out = g_string_sized_new(strlen(s));
	const char *p = s;
	while (*p != '\0') {
		gunichar c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02x", (guint8)*p);
			p++;
			continue;
		}
		if (c < 0x80 && hull_text_char_is_unsafe(c))
			g_string_append_printf(out, "\\x%02x", c);
		else if (hull_text_char_is_unsafe(c))
			g_string_append_printf(out, "\\u%04x", c);
		else if (c == '\\' && quote_backslash)
			g_string_append(out, "\\\\");
		else
			g_string_append_unichar(out, c);
		p = g_utf8_next_char(p);
	}
	return g_string_free(out, FALSE);
}

void
hull_text_escape_json(GString *json)
{
	g_return_if_fail(json != NULL);
	/* Only multi-byte characters can be left raw (json-glib escapes C0 itself), so text that
	 * is all ASCII, as most reports are, is not copied. */
	gsize i = 0;
	while (i < json->len && (guchar)json->str[i] < 0x80)
		i++;
	if (i == json->len)
		return;
	GString *out = g_string_sized_new(json->len + 16);
	g_string_append_len(out, json->str, (gssize)i);
	const char *end = json->str + json->len;
	for (const char *p = json->str + i; p < end;) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_c(out, *p++);
			continue;
		}
		const char *next = g_utf8_next_char(p);
		if (c >= 0x80 && hull_text_char_is_unsafe(c))
			g_string_append_printf(out, "\\u%04x", c);
		else
			g_string_append_len(out, p, next - p);
		p = next;
	}
	g_string_assign(json, out->str);
	g_string_free(out, TRUE);
}
