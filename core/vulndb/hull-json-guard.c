/* hull-json-guard.c: json-glib builds the whole tree recursively and has no nesting limit, so
 * a 10,000-deep OSV file would exhaust the stack. This scan counts brackets outside strings
 * and refuses the input before json-glib sees it. */
#include "hull-vuln-record.h"

gboolean
hull_json_depth_ok(const char *data, gsize len, guint max_depth)
{
	guint depth = 0;
	gboolean in_string = FALSE;
	for (gsize i = 0; i < len; i++) {
		char c = data[i];
		if (in_string) {
			if (c == '\\')
				i++; /* skip the escaped character */
			else if (c == '"')
				in_string = FALSE;
			continue;
		}
		if (c == '"') {
			in_string = TRUE;
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth)
				return FALSE;
		} else if (c == ']' || c == '}') {
			if (depth > 0)
				depth--;
		}
	}
	return TRUE;
}
