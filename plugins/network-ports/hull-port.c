/* hull-port.c: parsing of port numbers and ranges as images, Dockerfiles and Kubernetes
 * write them ("80", "80/tcp", "8000-8010/udp", 8080, "8080", "http"). Values a user wrote
 * wrong (99999, -1, 0x50, 1-99999) are errors naming the text, so the plugin can turn them
 * into notes; ranges stay ranges, so "1-65535" costs one entry, not 65535. */
#include <string.h>
#include "hull-netports.h"

G_DEFINE_QUARK(hull-port-error-quark, hull_port_error)

const char *
hull_proto_to_string(HullProto proto)
{
	switch (proto) {
	case HULL_PROTO_UDP:
		return "udp";
	case HULL_PROTO_SCTP:
		return "sctp";
	default:
		return "tcp";
	}
}

gboolean
hull_proto_from_string(const char *text, HullProto *out)
{
	if (text == NULL)
		return FALSE;
	if (g_ascii_strcasecmp(text, "tcp") == 0)
		*out = HULL_PROTO_TCP;
	else if (g_ascii_strcasecmp(text, "udp") == 0)
		*out = HULL_PROTO_UDP;
	else if (g_ascii_strcasecmp(text, "sctp") == 0)
		*out = HULL_PROTO_SCTP;
	else
		return FALSE;
	return TRUE;
}

/* Strict decimal: no sign, no hex, no spaces, at most 5 digits, 1..65535. */
static gboolean
hull_port_number(const char *s, gsize len, guint *out)
{
	if (len == 0 || len > 5)
		return FALSE;
	guint v = 0;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
		v = v * 10 + (guint)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return FALSE;
	*out = v;
	return TRUE;
}

gboolean
hull_port_parse(const char *text, HullProto default_proto, HullPortRange *out, GError **error)
{
	g_return_val_if_fail(text != NULL && out != NULL, FALSE);
	/* Quote the input in errors, cut short and with invalid UTF-8 made safe. */
	g_autofree gchar *shown_full = g_utf8_make_valid(text, MIN(strlen(text), 64));
	const char *shown = shown_full;
	const char *slash = strchr(text, '/');
	gsize num_len = slash != NULL ? (gsize)(slash - text) : strlen(text);
	HullProto proto = default_proto;
	if (slash != NULL && !hull_proto_from_string(slash + 1, &proto)) {
		g_set_error(error, HULL_PORT_ERROR, 0, "port \"%s\": unknown protocol (expected tcp, udp or sctp)", shown);
		return FALSE;
	}
	const char *dash = memchr(text, '-', num_len);
	guint lo = 0, hi = 0;
	if (dash == text) {
		g_set_error(error, HULL_PORT_ERROR, 0, "port \"%s\": negative port", shown);
		return FALSE;
	}
	if (dash == NULL) {
		if (!hull_port_number(text, num_len, &lo)) {
			g_set_error(error, HULL_PORT_ERROR, 0, "port \"%s\": not a decimal port number in 1-65535", shown);
			return FALSE;
		}
		hi = lo;
	} else {
		if (!hull_port_number(text, (gsize)(dash - text), &lo) ||
		    !hull_port_number(dash + 1, num_len - (gsize)(dash - text) - 1, &hi)) {
			g_set_error(error, HULL_PORT_ERROR, 0, "port range \"%s\": bounds must be decimal ports in 1-65535", shown);
			return FALSE;
		}
		if (lo > hi) {
			g_set_error(error, HULL_PORT_ERROR, 0, "port range \"%s\": start is after end", shown);
			return FALSE;
		}
	}
	out->lo = lo;
	out->hi = hi;
	out->proto = proto;
	return TRUE;
}

gboolean
hull_port_from_json(JsonNode *node, guint *out, const char **name, GError **error)
{
	if (name != NULL)
		*name = NULL;
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node)) {
		g_set_error(error, HULL_PORT_ERROR, 0, "port is not a number or a name");
		return FALSE;
	}
	GType t = json_node_get_value_type(node);
	if (t == G_TYPE_INT64) {
		gint64 v = json_node_get_int(node);
		if (v < 1 || v > 65535) {
			g_set_error(error, HULL_PORT_ERROR, 0, "port %" G_GINT64_FORMAT " is outside 1-65535", v);
			return FALSE;
		}
		*out = (guint)v;
		return TRUE;
	}
	if (t == G_TYPE_DOUBLE) {
		g_set_error(error, HULL_PORT_ERROR, 0, "port %g is not an integer", json_node_get_double(node));
		return FALSE;
	}
	if (t != G_TYPE_STRING) {
		g_set_error(error, HULL_PORT_ERROR, 0, "port is not a number or a name");
		return FALSE;
	}
	const char *s = json_node_get_string(node);
	gboolean has_digit = FALSE, has_alpha = FALSE, other = FALSE;
	for (const char *c = s; *c != '\0'; c++) {
		if (g_ascii_isdigit(*c))
			has_digit = TRUE;
		else if (g_ascii_isalpha(*c))
			has_alpha = TRUE;
		else if (*c != '-')
			other = TRUE;
	}
	if (has_digit && !has_alpha && !other) {
		HullPortRange r;
		if (hull_port_parse(s, HULL_PROTO_TCP, &r, error) && r.lo == r.hi) {
			*out = r.lo;
			return TRUE;
		}
		if (error != NULL && *error == NULL)
			g_set_error(error, HULL_PORT_ERROR, 0, "port \"%s\": a range is not allowed here", s);
		return FALSE;
	}
	/* An IANA_SVC_NAME: lower-case letters, digits and '-', at most 15, at least one letter. */
	if (has_alpha && !other && strlen(s) <= 15 && s[0] != '-') {
		if (name != NULL) {
			*name = s;
			return FALSE;
		}
		g_set_error(error, HULL_PORT_ERROR, 0, "port \"%s\" is a name (or not decimal); this field needs a number in 1-65535", s);
		return FALSE;
	}
	g_autofree gchar *shown = g_utf8_make_valid(s, MIN(strlen(s), 64));
	g_set_error(error, HULL_PORT_ERROR, 0, "port \"%s\" is neither a number in 1-65535 nor a port name", shown);
	return FALSE;
}

gchar *
hull_port_range_to_string(const HullPortRange *range)
{
	if (range->lo == range->hi)
		return g_strdup_printf("%u/%s", range->lo, hull_proto_to_string(range->proto));
	return g_strdup_printf("%u-%u/%s", range->lo, range->hi, hull_proto_to_string(range->proto));
}

gboolean
hull_port_range_overlaps(const HullPortRange *a, const HullPortRange *b)
{
	return a->proto == b->proto && a->lo <= b->hi && b->lo <= a->hi;
}
