/* fuzz-ports.c: libFuzzer harness for the network-ports parsers: the port/range parser, the
 * Kubernetes port field reader, the catalogue loader and every service-config parser. The
 * first byte picks the parser, the rest is its input; every input must end in a value, an
 * error or notes, never a crash, with bounded output. */
#include <stdint.h>
#include <string.h>
#include <hullscan/hull-json.h>

#include "hull-netports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const HullSvcParseFunc fuzz_parsers[] = {
	hull_svc_parse_sshd, hull_svc_parse_nginx, hull_svc_parse_apache, hull_svc_parse_redis,
	hull_svc_parse_postgresql, hull_svc_parse_pg_hba, hull_svc_parse_mongod, hull_svc_parse_mysql,
	hull_svc_parse_memcached, hull_svc_parse_dockerd,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	guint which = data[0] % (G_N_ELEMENTS(fuzz_parsers) + 3);
	const char *text = (const char *)data + 1;
	gsize len = size - 1;
	if (which == 0) {
		g_autofree gchar *s = g_strndup(text, len);
		g_autoptr(GError) error = NULL;
		HullPortRange r;
		if (hull_port_parse(s, HULL_PROTO_TCP, &r, &error))
			g_assert(r.lo >= 1 && r.lo <= r.hi && r.hi <= 65535);
		else
			g_assert(error != NULL && g_utf8_validate(error->message, -1, NULL));
		return 0;
	}
	if (which == 1) {
		g_autoptr(JsonParser) p = json_parser_new();
		if (!hull_json_load_one(p, text, len, NULL) || json_parser_get_root(p) == NULL)
			return 0;
		guint v = 0;
		const char *name = NULL;
		g_autoptr(GError) error = NULL;
		if (hull_port_from_json(json_parser_get_root(p), &v, &name, &error))
			g_assert(v >= 1 && v <= 65535);
		return 0;
	}
	if (which == 2) {
		g_autoptr(GError) error = NULL;
		g_autoptr(HullPortCatalogue) cat = hull_port_catalogue_load_data("fuzz.json", text, len, &error);
		g_assert(cat != NULL || error != NULL);
		return 0;
	}
	HullSvcParseFunc fn = fuzz_parsers[which - 3];
	g_autoptr(HullSvcConfig) cfg = fn("/etc/nginx/nginx.conf", text, len);
	g_assert(cfg->listens->len <= HULL_SVC_MAX_LISTENS);
	g_assert(cfg->notes->len <= 16);
	if (fn == hull_svc_parse_nginx) {
		/* The file includes whatever it names, itself included. */
		g_autoptr(GPtrArray) cfgs = g_ptr_array_new();
		g_ptr_array_add(cfgs, cfg);
		g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GPtrArray) live = hull_nginx_resolve(cfgs, NULL, 16, notes);
		g_assert(live->len <= 1);
	}
	return 0;
}
