/* test-network-ports.c: self-test of the network-ports plugin: the port parser with hostile
 * input, the catalogue, each service-config parser, nginx include resolution, the
 * Kubernetes exposure analysis on JSON documents, and whole scans through the core on temp
 * trees and on ../shared/data (kubescape and badpods cases). */
#include <string.h>
#include "hull-test-util.h"
#include "../hull-netports.h"

static HullPortCatalogue *
load_catalogue(void)
{
	g_autoptr(GError) error = NULL;
	HullPortCatalogue *cat = hull_port_catalogue_load(NETPORTS_CATALOGUE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(cat);
	return cat;
}

static void
test_port_parse(void)
{
	HullPortRange r;
	g_autoptr(GError) error = NULL;
	g_assert_true(hull_port_parse("80", HULL_PROTO_TCP, &r, &error));
	g_assert_cmpuint(r.lo, ==, 80);
	g_assert_cmpuint(r.hi, ==, 80);
	g_assert_cmpint(r.proto, ==, HULL_PROTO_TCP);
	g_assert_true(hull_port_parse("53/UDP", HULL_PROTO_TCP, &r, &error));
	g_assert_cmpint(r.proto, ==, HULL_PROTO_UDP);
	g_assert_true(hull_port_parse("8000-8010/udp", HULL_PROTO_TCP, &r, &error));
	g_assert_cmpuint(r.lo, ==, 8000);
	g_assert_cmpuint(r.hi, ==, 8010);
	/* A whole-range stays one range. */
	g_assert_true(hull_port_parse("1-65535", HULL_PROTO_TCP, &r, &error));
	g_assert_cmpuint(r.hi - r.lo, ==, 65534);
	g_autofree gchar *s = hull_port_range_to_string(&r);
	g_assert_cmpstr(s, ==, "1-65535/tcp");

	static const char *const bad[] = {
		"99999", "-1", "abc", "0x50", "1-99999", "0", "", "80/foo", "9000-8000", "80-", "-80",
		"65536", "80 ", " 80", "8\xff", "000080", "1e3", "+80", "80//tcp", "80/tcp/udp", NULL,
	};
	for (guint i = 0; bad[i] != NULL; i++) {
		g_clear_error(&error);
		g_assert_false(hull_port_parse(bad[i], HULL_PROTO_TCP, &r, &error));
		g_assert_error(error, HULL_PORT_ERROR, 0);
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
	}
	g_clear_error(&error);
	g_assert_false(hull_port_parse("99999", HULL_PROTO_TCP, &r, &error));
	g_assert_nonnull(strstr(error->message, "99999"));
	g_clear_error(&error);
	g_assert_false(hull_port_parse("1-99999", HULL_PROTO_TCP, &r, &error));
	g_assert_nonnull(strstr(error->message, "range"));
	/* A huge field is quoted cut short. */
	g_autofree gchar *huge = g_strnfill(100000, '9');
	g_clear_error(&error);
	g_assert_false(hull_port_parse(huge, HULL_PROTO_TCP, &r, &error));
	g_assert_cmpuint(strlen(error->message), <, 200);
}

static JsonNode *
json_node(const char *text)
{
	g_autoptr(JsonParser) p = json_parser_new();
	g_assert_true(json_parser_load_from_data(p, text, -1, NULL));
	return json_node_copy(json_parser_get_root(p));
}

static void
test_port_json(void)
{
	struct {
		const char *json;
		guint port;
		const char *name;
	} cases[] = {
		{ "8080", 8080, NULL }, { "\"8080\"", 8080, NULL }, { "\"http\"", 0, "http" },
		{ "99999", 0, NULL }, { "-1", 0, NULL }, { "\"abc-\"", 0, "abc-" }, { "\"0x50\"", 0, "0x50" },
		{ "\"1-99999\"", 0, NULL }, { "80.5", 0, NULL }, { "true", 0, NULL }, { "null", 0, NULL },
		{ "\"a b\"", 0, NULL }, { "\"8000-8010\"", 0, NULL }, { "\"averyveryverylongportname\"", 0, NULL },
	};
	/* Fields that take numbers only: a name is an error too. */
	g_autoptr(JsonNode) hex = json_node("\"0x50\"");
	g_autoptr(GError) hex_error = NULL;
	guint hex_port = 0;
	g_assert_false(hull_port_from_json(hex, &hex_port, NULL, &hex_error));
	g_assert_nonnull(hex_error);
	g_assert_nonnull(strstr(hex_error->message, "0x50"));
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) n = json_node(cases[i].json);
		g_autoptr(GError) error = NULL;
		guint v = 0;
		const char *name = NULL;
		gboolean ok = hull_port_from_json(n, &v, &name, &error);
		if (cases[i].port != 0) {
			g_assert_no_error(error);
			g_assert_true(ok);
			g_assert_cmpuint(v, ==, cases[i].port);
		} else if (cases[i].name != NULL) {
			/* "0x50" and "abc-" are syntactically names: no error, resolved (or not) by name. */
			g_assert_false(ok);
			g_assert_no_error(error);
			g_assert_cmpstr(name, ==, cases[i].name);
		} else {
			g_assert_false(ok);
			g_assert_nonnull(error);
		}
	}
}

static void
test_catalogue(void)
{
	g_autoptr(HullPortCatalogue) cat = load_catalogue();
	g_assert_cmpuint(hull_port_catalogue_get_n_entries(cat), >=, 20);
	HullPortRange r = { 2375, 2375, HULL_PROTO_TCP };
	const HullPortEntry *e = hull_port_catalogue_lookup(cat, &r);
	g_assert_nonnull(e);
	g_assert_cmpstr(e->service, ==, "docker-api");
	g_assert_cmpint(e->severity, ==, HULL_SEVERITY_CRITICAL);
	r = (HullPortRange){ 23, 23, HULL_PROTO_TCP };
	g_assert_cmpint(hull_port_catalogue_lookup(cat, &r)->severity, ==, HULL_SEVERITY_HIGH);
	r = (HullPortRange){ 22, 22, HULL_PROTO_TCP };
	g_assert_cmpint(hull_port_catalogue_lookup(cat, &r)->severity, ==, HULL_SEVERITY_MEDIUM);
	r = (HullPortRange){ 5432, 5432, HULL_PROTO_TCP };
	g_assert_cmpint(hull_port_catalogue_lookup(cat, &r)->exposed_severity, ==, HULL_SEVERITY_HIGH);
	r = (HullPortRange){ 2380, 2380, HULL_PROTO_TCP };
	g_assert_cmpstr(hull_port_catalogue_lookup(cat, &r)->service, ==, "etcd");
	/* UDP 22 is not SSH; a range overlapping 2375 finds the most severe entry. */
	r = (HullPortRange){ 22, 22, HULL_PROTO_UDP };
	g_assert_null(hull_port_catalogue_lookup(cat, &r));
	r = (HullPortRange){ 1, 65535, HULL_PROTO_TCP };
	g_assert_cmpint(hull_port_catalogue_lookup(cat, &r)->severity, ==, HULL_SEVERITY_CRITICAL);
	r = (HullPortRange){ 40000, 40010, HULL_PROTO_TCP };
	g_assert_null(hull_port_catalogue_lookup(cat, &r));

	static const char *const bad[] = {
		"", "[]", "{\"ports\": 1}", "{\"ports\": [1]}", "{\"ports\": [{\"port\": \"99999\", \"service\": \"x\", \"severity\": \"LOW\"}]}",
		"{\"ports\": [{\"port\": \"22\", \"service\": \"x\", \"severity\": \"SEVERE\"}]}",
		"{\"ports\": [{\"port\": \"22\", \"protocol\": \"icmp\", \"service\": \"x\", \"severity\": \"LOW\"}]}",
		"{\"ports\": [{\"service\": \"x\", \"severity\": \"LOW\"}]}", "{\"ports\": [{\"port\": \"22\"",
		NULL,
	};
	for (guint i = 0; bad[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(HullPortCatalogue) c = hull_port_catalogue_load_data("test.json", bad[i], strlen(bad[i]), &error);
		g_assert_null(c);
		g_assert_nonnull(error);
		g_assert_nonnull(strstr(error->message, "test.json"));
	}
}

static HullSvcConfig *
parse(HullSvcParseFunc fn, const char *path, const char *text)
{
	return fn(path, text, strlen(text));
}

static gboolean
has_issue(HullSvcConfig *cfg, const char *rule, guint line)
{
	for (guint i = 0; i < cfg->issues->len; i++) {
		HullSvcIssue *is = g_ptr_array_index(cfg->issues, i);
		if (g_str_equal(is->rule_id, rule) && (line == 0 || is->line == line))
			return TRUE;
	}
	return FALSE;
}

static HullSvcListen *
listen_at(HullSvcConfig *cfg, guint i)
{
	g_assert_cmpuint(i, <, cfg->listens->len);
	return g_ptr_array_index(cfg->listens, i);
}

static void
test_sshd(void)
{
	g_autoptr(HullSvcConfig) a = parse(hull_svc_parse_sshd, "/etc/ssh/sshd_config",
	                                   "# comment\nPort 2222\nListenAddress 10.0.0.1\nPermitRootLogin yes\n"
	                                   "PermitEmptyPasswords yes\nMatch User bob\n  PermitRootLogin no\n");
	g_assert_cmpuint(a->listens->len, ==, 1);
	g_assert_cmpstr(listen_at(a, 0)->addr, ==, "10.0.0.1");
	g_assert_cmpuint(listen_at(a, 0)->port, ==, 2222);
	g_assert_true(has_issue(a, "NET-0010", 4));
	g_assert_true(has_issue(a, "NET-0010", 5));
	g_assert_cmpstr(a->auth, ==, "password");
	g_assert_nonnull(strstr(a->summary, "PermitRootLogin yes"));

	/* Defaults: port 22 everywhere, root login without password, nothing to report. */
	g_autoptr(HullSvcConfig) b = parse(hull_svc_parse_sshd, "/etc/ssh/sshd_config", "UsePAM yes\n");
	g_assert_cmpuint(b->listens->len, ==, 1);
	g_assert_cmpuint(listen_at(b, 0)->port, ==, 22);
	g_assert_true(hull_svc_addr_is_any(listen_at(b, 0)->addr));
	g_assert_cmpuint(b->issues->len, ==, 0);

	/* Passwords off: root login is MEDIUM; first value wins; "=" form; bad port is a note. */
	g_autoptr(HullSvcConfig) c = parse(hull_svc_parse_sshd, "/x", "PasswordAuthentication=no\nPermitRootLogin yes\n"
	                                   "PermitRootLogin no\nPort 99999\nListenAddress [::1]:2200\n");
	g_assert_cmpuint(c->issues->len, ==, 1);
	g_assert_cmpint(((HullSvcIssue *)g_ptr_array_index(c->issues, 0))->severity, ==, HULL_SEVERITY_MEDIUM);
	g_assert_cmpuint(c->notes->len, ==, 1);
	g_assert_cmpstr(listen_at(c, 0)->addr, ==, "::1");
	g_assert_cmpuint(listen_at(c, 0)->port, ==, 2200);

	/* Settings only inside a Match block do not count. */
	g_autoptr(HullSvcConfig) d = parse(hull_svc_parse_sshd, "/x", "Match all\nPermitRootLogin yes\n");
	g_assert_cmpuint(d->issues->len, ==, 0);
}

static void
test_redis(void)
{
	g_autoptr(HullSvcConfig) a = parse(hull_svc_parse_redis, "/etc/redis/redis.conf",
	                                   "bind 0.0.0.0\nprotected-mode no\nport 6380\n");
	g_assert_true(has_issue(a, "NET-0009", 2));
	g_assert_cmpuint(listen_at(a, 0)->port, ==, 6380);
	g_assert_cmpstr(a->auth, ==, "none");
	/* requirepass, loopback bind, or protected-mode on: no finding. */
	static const char *const ok[] = {
		"bind 0.0.0.0\nprotected-mode no\nrequirepass s3cret\n",
		"bind 127.0.0.1 -::1\nprotected-mode no\n",
		"bind 0.0.0.0\n",
		"port 0\nprotected-mode no\n",
		NULL,
	};
	for (guint i = 0; ok[i] != NULL; i++) {
		g_autoptr(HullSvcConfig) c = parse(hull_svc_parse_redis, "/r", ok[i]);
		g_assert_false(has_issue(c, "NET-0009", 0));
	}
	/* No bind at all listens everywhere. */
	g_autoptr(HullSvcConfig) b = parse(hull_svc_parse_redis, "/r", "protected-mode no\n");
	g_assert_true(has_issue(b, "NET-0009", 0));
}

static void
test_postgresql(void)
{
	g_autoptr(HullSvcConfig) a = parse(hull_svc_parse_postgresql, "/etc/postgresql/15/main/postgresql.conf",
	                                   "listen_addresses = '*'   # all\nport = 5433\n");
	g_assert_cmpuint(a->listens->len, ==, 1);
	g_assert_cmpstr(listen_at(a, 0)->addr, ==, "*");
	g_assert_cmpuint(listen_at(a, 0)->port, ==, 5433);
	g_assert_cmpuint(listen_at(a, 0)->line, ==, 1);
	g_autoptr(HullSvcConfig) b = parse(hull_svc_parse_postgresql, "/p", "#listen_addresses = '*'\n");
	g_assert_cmpstr(listen_at(b, 0)->addr, ==, "localhost");

	g_autoptr(HullSvcConfig) h = parse(hull_svc_parse_pg_hba, "/etc/postgresql/15/main/pg_hba.conf",
	                                   "local all all trust\nhost all all 127.0.0.1/32 trust\n"
	                                   "host all all 0.0.0.0/0 trust\nhostssl all all ::/0 scram-sha-256\n"
	                                   "host all all 0.0.0.0 0.0.0.0 trust\nhost all all all trust\n");
	g_assert_false(has_issue(h, "NET-0009", 1));
	g_assert_false(has_issue(h, "NET-0009", 2));
	g_assert_true(has_issue(h, "NET-0009", 3));
	g_assert_false(has_issue(h, "NET-0009", 4));
	g_assert_true(has_issue(h, "NET-0009", 5));
	g_assert_true(has_issue(h, "NET-0009", 6));
	g_assert_cmpstr(h->auth, ==, "trust");
}

static void
test_nginx(void)
{
	g_autoptr(HullSvcConfig) a = parse(hull_svc_parse_nginx, "/etc/nginx/conf.d/default.conf",
	                                   "server { listen 80; listen [::]:8080 ipv6only=on;\n"
	                                   "  listen 127.0.0.1:81; listen unix:/run/x.sock; listen 99999;\n"
	                                   "  listen localhost; # listen 9999;\n}\ninclude /etc/nginx/x/*.conf;\n");
	g_assert_cmpuint(a->listens->len, ==, 4);
	g_assert_cmpuint(listen_at(a, 0)->port, ==, 80);
	g_assert_cmpstr(listen_at(a, 1)->addr, ==, "::");
	g_assert_cmpuint(listen_at(a, 1)->port, ==, 8080);
	g_assert_cmpstr(listen_at(a, 2)->addr, ==, "127.0.0.1");
	g_assert_cmpuint(listen_at(a, 3)->port, ==, 80);
	g_assert_cmpuint(a->notes->len, ==, 1);
	g_assert_cmpuint(a->includes->len, ==, 1);
}

static void
test_nginx_includes(void)
{
	g_autoptr(GPtrArray) cfgs = g_ptr_array_new_with_free_func((GDestroyNotify)hull_svc_config_free);
	g_ptr_array_add(cfgs, parse(hull_svc_parse_nginx, "/etc/nginx/nginx.conf", "include conf.d/*.conf;\n"));
	g_ptr_array_add(cfgs, parse(hull_svc_parse_nginx, "/etc/nginx/conf.d/a.conf", "listen 81; include loop/b.conf;\n"));
	g_ptr_array_add(cfgs, parse(hull_svc_parse_nginx, "/etc/nginx/loop/b.conf", "listen 82; include conf.d/a.conf;\n"));
	g_ptr_array_add(cfgs, parse(hull_svc_parse_nginx, "/etc/nginx/sites-available/c", "listen 83;\n"));
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) live = hull_nginx_resolve(cfgs, NULL, 16, notes);
	g_assert_cmpuint(live->len, ==, 3);
	g_assert_false(g_ptr_array_find(live, g_ptr_array_index(cfgs, 3), NULL));
	g_assert_cmpuint(notes->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(notes, 0), "loop"));

	/* A fan-out of files that all include each other terminates, reaches them all, with a
	 * loop note. */
	g_autoptr(GPtrArray) fan = g_ptr_array_new_with_free_func((GDestroyNotify)hull_svc_config_free);
	g_ptr_array_add(fan, parse(hull_svc_parse_nginx, "/etc/nginx/nginx.conf", "include d/*;\n"));
	for (guint i = 0; i < 300; i++) {
		g_autofree gchar *p = g_strdup_printf("/etc/nginx/d/%u", i);
		g_ptr_array_add(fan, parse(hull_svc_parse_nginx, p, "include d/*;\n"));
	}
	g_autoptr(GPtrArray) notes2 = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) live2 = hull_nginx_resolve(fan, NULL, 16, notes2);
	g_assert_cmpuint(live2->len, ==, 301);
	g_assert_cmpuint(notes2->len, >=, 1);

	/* A chain deeper than the limit stops there, with a note. */
	g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func((GDestroyNotify)hull_svc_config_free);
	g_ptr_array_add(chain, parse(hull_svc_parse_nginx, "/etc/nginx/nginx.conf", "include c/0;\n"));
	for (guint i = 0; i < 40; i++) {
		g_autofree gchar *p = g_strdup_printf("/etc/nginx/c/%u", i);
		g_autofree gchar *t = g_strdup_printf("include c/%u;\n", i + 1);
		g_ptr_array_add(chain, parse(hull_svc_parse_nginx, p, t));
	}
	g_autoptr(GPtrArray) notes4 = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) live4 = hull_nginx_resolve(chain, NULL, 16, notes4);
	g_assert_cmpuint(live4->len, ==, 17);
	g_assert_cmpuint(notes4->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(notes4, 0), "deeper"));

	/* sites-enabled/x is a symlink to sites-available/x: the alias makes it count. */
	g_autoptr(GPtrArray) sites = g_ptr_array_new_with_free_func((GDestroyNotify)hull_svc_config_free);
	g_ptr_array_add(sites, parse(hull_svc_parse_nginx, "/etc/nginx/nginx.conf", "include /etc/nginx/sites-enabled/*;\n"));
	g_ptr_array_add(sites, parse(hull_svc_parse_nginx, "/etc/nginx/sites-available/default", "listen 80;\n"));
	g_ptr_array_add(sites, parse(hull_svc_parse_nginx, "/etc/nginx/sites-available/off", "listen 81;\n"));
	g_autoptr(GHashTable) aliases = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_insert(aliases, (gpointer) "/etc/nginx/sites-enabled/default", g_ptr_array_index(sites, 1));
	g_autoptr(GPtrArray) notes5 = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) live5 = hull_nginx_resolve(sites, aliases, 16, notes5);
	g_assert_cmpuint(live5->len, ==, 2);
	g_assert_true(g_ptr_array_find(live5, g_ptr_array_index(sites, 1), NULL));
	g_assert_false(g_ptr_array_find(live5, g_ptr_array_index(sites, 2), NULL));

	/* No nginx.conf: every file counts. */
	g_autoptr(GPtrArray) solo = g_ptr_array_new_with_free_func((GDestroyNotify)hull_svc_config_free);
	g_ptr_array_add(solo, parse(hull_svc_parse_nginx, "/etc/nginx/conf.d/x.conf", "listen 80;"));
	g_autoptr(GPtrArray) notes3 = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) live3 = hull_nginx_resolve(solo, NULL, 16, notes3);
	g_assert_cmpuint(live3->len, ==, 1);
}

static void
test_apache_mysql_memcached_mongod(void)
{
	g_autoptr(HullSvcConfig) ap = parse(hull_svc_parse_apache, "/etc/apache2/ports.conf",
	                                    "Listen 80\n<IfModule ssl_module>\n  Listen [::]:443 https\n</IfModule>\n"
	                                    "listen 10.0.0.1:8080\nListen abc\n");
	g_assert_cmpuint(ap->listens->len, ==, 3);
	g_assert_cmpstr(listen_at(ap, 1)->addr, ==, "::");
	g_assert_cmpuint(listen_at(ap, 1)->port, ==, 443);
	g_assert_cmpuint(listen_at(ap, 2)->port, ==, 8080);
	g_assert_cmpuint(ap->notes->len, ==, 1);

	g_autoptr(HullSvcConfig) my = parse(hull_svc_parse_mysql, "/etc/mysql/my.cnf",
	                                    "[client]\nport = 1\n[mysqld]\nbind_address = 0.0.0.0\nport=3307\n"
	                                    "skip-grant-tables\n");
	g_assert_cmpuint(listen_at(my, 0)->port, ==, 3307);
	g_assert_true(has_issue(my, "NET-0009", 6));
	g_autoptr(HullSvcConfig) my2 = parse(hull_svc_parse_mysql, "/etc/mysql/my.cnf", "[client]\nport=3306\n");
	g_assert_cmpuint(my2->listens->len, ==, 0);

	g_autoptr(HullSvcConfig) mc = parse(hull_svc_parse_memcached, "/etc/memcached.conf", "-m 64\n-p 11212\n");
	g_assert_true(has_issue(mc, "NET-0009", 0));
	g_assert_cmpuint(listen_at(mc, 0)->port, ==, 11212);
	g_autoptr(HullSvcConfig) mc2 = parse(hull_svc_parse_memcached, "/etc/memcached.conf", "-l 127.0.0.1\n");
	g_assert_false(has_issue(mc2, "NET-0009", 0));

	g_autoptr(HullSvcConfig) mg = parse(hull_svc_parse_mongod, "/etc/mongod.conf",
	                                    "storage:\n  dbPath: /data\nnet:\n  port: 27018\n  bindIp: \"0.0.0.0\"  # all\n"
	                                    "security:\n  keyFile: /k\n");
	g_assert_cmpuint(listen_at(mg, 0)->port, ==, 27018);
	g_assert_true(has_issue(mg, "NET-0009", 5));
	g_autoptr(HullSvcConfig) mg2 = parse(hull_svc_parse_mongod, "/etc/mongod.conf",
	                                     "net:\n  bindIpAll: true\nsecurity:\n  authorization: enabled\n");
	g_assert_false(has_issue(mg2, "NET-0009", 0));
	g_assert_cmpstr(listen_at(mg2, 0)->addr, ==, "0.0.0.0");
	/* port: under another section is not net.port */
	g_autoptr(HullSvcConfig) mg3 = parse(hull_svc_parse_mongod, "/etc/mongod.conf", "other:\n  port: 1\n");
	g_assert_cmpuint(listen_at(mg3, 0)->port, ==, 27017);
}

static void
test_dockerd(void)
{
	g_autoptr(HullSvcConfig) a = parse(hull_svc_parse_dockerd, "/etc/docker/daemon.json",
	                                   "{\n  \"hosts\": [\"unix:///var/run/docker.sock\",\n"
	                                   "            \"tcp://0.0.0.0:2375\"]\n}\n");
	g_assert_true(has_issue(a, "NET-0012", 3));
	g_assert_cmpuint(listen_at(a, 0)->port, ==, 2375);
	g_autoptr(HullSvcConfig) b = parse(hull_svc_parse_dockerd, "/etc/docker/daemon.json",
	                                   "{\"tlsverify\": true, \"hosts\": [\"tcp://0.0.0.0:2376\"]}");
	g_assert_cmpuint(b->issues->len, ==, 0);
	g_autoptr(HullSvcConfig) c = parse(hull_svc_parse_dockerd, "/etc/docker/daemon.json", "{\"hosts\": [\"tcp://");
	g_assert_cmpuint(c->notes->len, ==, 1);
	g_autoptr(HullSvcConfig) d = parse(hull_svc_parse_dockerd, "/etc/docker/daemon.json",
	                                   "{\"hosts\": [\"tcp://127.0.0.1:2375\", 5, null, \"tcp://h:99999\"]}");
	g_assert_cmpuint(d->issues->len, ==, 0);
	g_assert_cmpuint(d->notes->len, ==, 1);
}

static void
test_paths(void)
{
	g_assert_true(hull_svc_parser_for_path("/etc/ssh/sshd_config") == hull_svc_parse_sshd);
	g_assert_true(hull_svc_parser_for_path("/etc/ssh/sshd_config.d/10-x.conf") == hull_svc_parse_sshd);
	g_assert_true(hull_svc_parser_for_path("/etc/nginx/sites-enabled/default") == hull_svc_parse_nginx);
	g_assert_true(hull_svc_parser_for_path("/etc/postgresql/15/main/pg_hba.conf") == hull_svc_parse_pg_hba);
	g_assert_true(hull_svc_parser_for_path("/etc/docker/daemon.json") == hull_svc_parse_dockerd);
	g_assert_null(hull_svc_parser_for_path("/usr/share/doc/readme"));
	g_assert_null(hull_svc_parser_for_path("/srv/daemon.json"));
	g_assert_null(hull_svc_parser_for_path("/usr/share/openssh/sshd_config"));
	g_assert_true(hull_svc_parser_for_path("/sshd_config") == hull_svc_parse_sshd);
}

/* Every parser on hostile bytes: NULs, invalid UTF-8, a huge line, deep garbage. */
static void
test_hostile_configs(void)
{
	static const HullSvcParseFunc fns[] = {
		hull_svc_parse_sshd, hull_svc_parse_nginx, hull_svc_parse_apache, hull_svc_parse_redis,
		hull_svc_parse_postgresql, hull_svc_parse_pg_hba, hull_svc_parse_mongod, hull_svc_parse_mysql,
		hull_svc_parse_memcached, hull_svc_parse_dockerd,
	};
	g_autoptr(GString) big = g_string_new("Port 22\n");
	g_string_append_len(big, "listen \0 80;\n", 13);
	g_string_append(big, "\xff\xfe bind \xc3\x28 port=\xe2\x82\n[\n{{{{\n'\n\"\n");
	for (guint i = 0; i < HULL_SVC_MAX_LINE + 10; i++)
		g_string_append_c(big, 'A');
	g_string_append(big, "\nlisten 8080;\nPort 2200\n");
	for (guint i = 0; i < 2000; i++)
		g_string_append_printf(big, "listen %u;\nListen %u\n", 1000 + i, 1000 + i);
	for (guint f = 0; f < G_N_ELEMENTS(fns); f++) {
		for (gsize cut = 0; cut <= big->len; cut += big->len / 7 + 1) {
			g_autoptr(HullSvcConfig) c = fns[f]("/hostile", big->str, cut);
			g_assert_nonnull(c);
			g_assert_cmpuint(c->listens->len, <=, HULL_SVC_MAX_LISTENS);
			g_assert_cmpuint(c->notes->len, <=, 16);
			for (guint n = 0; n < c->notes->len; n++)
				g_assert_true(g_utf8_validate(g_ptr_array_index(c->notes, n), -1, NULL));
			for (guint n = 0; n < c->listens->len; n++)
				g_assert_true(g_utf8_validate(listen_at(c, n)->addr, -1, NULL));
		}
		g_autoptr(HullSvcConfig) full = fns[f]("/hostile", big->str, big->len);
		if (fns[f] == hull_svc_parse_nginx || fns[f] == hull_svc_parse_apache) {
			g_assert_true(full->listens_capped);
			g_assert_cmpuint(full->listens->len, ==, HULL_SVC_MAX_LISTENS);
		}
		/* The long line was noted. */
		gboolean noted = FALSE;
		for (guint n = 0; n < full->notes->len; n++)
			noted = noted || strstr(g_ptr_array_index(full->notes, n), "longer than") != NULL;
		if (fns[f] != hull_svc_parse_dockerd)
			g_assert_true(noted);
	}
}

/* ---- Kubernetes analysis on JSON documents ---- */

static void
add_doc(GPtrArray *docs, const char *json)
{
	g_autoptr(JsonNode) n = json_node(json);
	JsonObject *o = json_node_get_object(n);
	JsonObject *meta = json_object_get_object_member(o, "metadata");
	const char *ns = json_object_has_member(meta, "namespace") ? json_object_get_string_member(meta, "namespace") : NULL;
	const char *kind = json_object_get_string_member(o, "kind");
	const char *name = json_object_get_string_member(meta, "name");
	g_autofree gchar *ref = ns != NULL ? g_strdup_printf("%s/%s/%s", kind, ns, name) : g_strdup_printf("%s/%s", kind, name);
	g_ptr_array_add(docs, hull_net_doc_new(kind, ns, name, ref, "/k8s.yaml", docs->len + 1, -1, o));
}

static guint
count_issues(GPtrArray *issues, const char *rule, const char *object)
{
	guint n = 0;
	for (guint i = 0; i < issues->len; i++) {
		HullNetIssue *is = g_ptr_array_index(issues, i);
		if (g_str_equal(is->rule_id, rule) && (object == NULL || g_strcmp0(is->object, object) == 0))
			n++;
	}
	return n;
}

static void
test_k8s_analysis(void)
{
	g_autoptr(HullPortCatalogue) cat = load_catalogue();
	g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func((GDestroyNotify)hull_net_doc_free);
	add_doc(docs, "{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"cache\",\"namespace\":\"a\"},\"spec\":{\"template\":"
	              "{\"metadata\":{\"labels\":{\"app\":\"cache\",\"tier\":\"x\"}},\"spec\":{\"hostPID\":true,\"containers\":"
	              "[{\"name\":\"redis\",\"ports\":[{\"name\":\"redis\",\"containerPort\":6379},{\"containerPort\":22,"
	              "\"hostPort\":2222},{\"containerPort\":99999},{\"containerPort\":\"abc def\"},{\"containerPort\":\"0x50\"},"
	              "{\"containerPort\":80,\"protocol\":\"ICMP\"}]}]}}}}");
	add_doc(docs, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"cache\",\"namespace\":\"a\"},\"spec\":{\"type\":\"NodePort\","
	              "\"selector\":{\"app\":\"cache\"},\"ports\":[{\"port\":80,\"targetPort\":\"redis\",\"nodePort\":30000}]}}");
	/* Same selector, other namespace: selects nothing. */
	add_doc(docs, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"cache\",\"namespace\":\"b\"},\"spec\":{\"type\":\"LoadBalancer\","
	              "\"selector\":{\"app\":\"cache\"},\"ports\":[{\"port\":8080}]}}");
	add_doc(docs, "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"hostNetwork\":true,\"containers\":"
	              "[{\"name\":\"web\",\"ports\":[{\"containerPort\":10250}]}]},\"labels\":{}}");
	add_doc(docs, "{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"api\"},\"spec\":{\"template\":{\"metadata\":"
	              "{\"labels\":{\"app\":\"api\"}},\"spec\":{\"containers\":[{\"name\":\"api\"}]}}}}");
	add_doc(docs, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"api\"},\"spec\":{\"selector\":{\"app\":\"api\"},"
	              "\"ports\":[{\"port\":80}]}}");
	add_doc(docs, "{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"ing\",\"namespace\":\"default\"},\"spec\":{\"rules\":[{\"http\":"
	              "{\"paths\":[{\"backend\":{\"service\":{\"name\":\"api\",\"port\":{\"number\":80}}}},"
	              "{\"backend\":{\"service\":{\"name\":\"api\"}}}]}}]}}");
	add_doc(docs, "{\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"r\"},\"spec\":{\"rules\":[{\"backendRefs\":"
	              "[{\"name\":\"api\",\"port\":80},{\"kind\":\"ConfigMap\",\"name\":\"api\"}]}]}}");
	add_doc(docs, "{\"kind\":\"VirtualService\",\"metadata\":{\"name\":\"vs\"},\"spec\":{\"gateways\":[\"mesh\"],"
	              "\"http\":[{\"route\":[{\"destination\":{\"host\":\"api\"}}]}]}}");
	add_doc(docs, "{\"kind\":\"Service\",\"metadata\":{\"name\":\"weird\"},\"spec\":{\"type\":\"NodePort\",\"ports\":"
	              "[{\"port\":\"1-99999\"},{\"port\":-1},{\"port\":0.5},7,{\"port\":5432,\"targetPort\":{}}]}}");
	g_autoptr(GPtrArray) exposures = g_ptr_array_new_with_free_func((GDestroyNotify)hull_exposure_free);
	g_autoptr(GPtrArray) issues = g_ptr_array_new_with_free_func((GDestroyNotify)hull_net_issue_free);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	hull_k8s_analyse(docs, cat, exposures, issues, notes);

	g_assert_cmpuint(count_issues(issues, "NET-0003", "Pod/web"), ==, 1);
	g_assert_cmpuint(count_issues(issues, "NET-0003", NULL), ==, 1);
	g_assert_cmpuint(count_issues(issues, "NET-0004", "Deployment/a/cache"), ==, 1);
	g_assert_cmpuint(count_issues(issues, "NET-0005", "Deployment/a/cache"), ==, 1);
	/* kubelet port on the host network; ssh as a containerPort (ssh-port). */
	g_assert_cmpuint(count_issues(issues, "NET-0001", "Pod/web"), ==, 1);
	g_assert_cmpuint(count_issues(issues, "NET-0002", "Deployment/a/cache"), ==, 1);
	/* The NodePort's named targetPort resolves to 6379 (redis): NET-0007. */
	g_assert_cmpuint(count_issues(issues, "NET-0007", "Service/a/cache"), ==, 1);
	g_assert_cmpuint(count_issues(issues, "NET-0007", "Service/weird"), ==, 1);
	/* Exposure: cache via its NodePort; api via Ingress (once, two paths) and HTTPRoute;
	 * the mesh-only VirtualService and the other namespace's LoadBalancer do not count. */
	g_assert_cmpuint(count_issues(issues, "NET-0006", "Deployment/a/cache"), ==, 1);
	g_assert_cmpuint(count_issues(issues, "NET-0006", "Deployment/api"), ==, 2);
	g_assert_cmpuint(count_issues(issues, "NET-0006", NULL), ==, 3);
	/* 99999, "abc def", ICMP, "1-99999", -1, 0.5, {} targetPort: notes, not crashes. */
	g_assert_cmpuint(notes->len, >=, 6);
	gboolean saw_99999 = FALSE;
	for (guint i = 0; i < notes->len; i++)
		saw_99999 = saw_99999 || strstr(g_ptr_array_index(notes, i), "99999") != NULL;
	g_assert_true(saw_99999);
	gboolean saw_hex = FALSE;
	for (guint i = 0; i < notes->len; i++)
		saw_hex = saw_hex || strstr(g_ptr_array_index(notes, i), "\"0x50\"") != NULL;
	g_assert_true(saw_hex);
	/* Exposures for facts: the hostPort is external, the plain containerPort is not. */
	gboolean host = FALSE, plain = FALSE;
	for (guint i = 0; i < exposures->len; i++) {
		HullExposure *e = g_ptr_array_index(exposures, i);
		if (g_str_equal(e->exposure, "hostPort") && e->range.lo == 2222)
			host = e->external;
		if (g_str_equal(e->exposure, "containerPort") && e->range.lo == 6379)
			plain = !e->external;
	}
	g_assert_true(host);
	g_assert_true(plain);
}

/* ---- Whole scans through the core ---- */

extern const HullPluginDescriptor *hull_plugin_get_descriptor(void);

static gboolean
report_has_note(HullReport *r, const char *needle)
{
	for (guint i = 0; i < r->notes->len; i++)
		if (strstr(g_ptr_array_index(r->notes, i), needle) != NULL)
			return TRUE;
	return FALSE;
}

static const HullFinding *
find_msg(HullReport *r, const char *rule, const char *needle)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		if (g_str_equal(f->rule_id, rule) && (needle == NULL || (f->message != NULL && strstr(f->message, needle) != NULL)))
			return f;
	}
	return NULL;
}

static void
test_scan_rootfs(void)
{
	g_autofree gchar *dir = hull_test_make_tree(
		"etc/ssh/sshd_config", "Port 22\nPermitRootLogin yes\n",
		"etc/redis/redis.conf", "bind 0.0.0.0\nprotected-mode no\n",
		"etc/postgresql/15/main/pg_hba.conf", "host all all 0.0.0.0/0 trust\n",
		"etc/docker/daemon.json", "{\"hosts\": [\"tcp://0.0.0.0:2375\"]}\n",
		"etc/nginx/nginx.conf", "include conf.d/*.conf;\n",
		"etc/nginx/conf.d/a.conf", "server { listen 8080; }\ninclude /etc/nginx/conf.d/b.conf;\n",
		"etc/nginx/conf.d/b.conf", "include /etc/nginx/conf.d/a.conf;\n",
		"usr/sbin/sshd", "#!binary\n",
		"etc/nginx/sites-available/default", "server { listen 22; }\n",
		"etc/nginx/sites-available/off", "server { listen 22; }\n",
		"Dockerfile", "FROM scratch\nEXPOSE 22\n",
		NULL);
	/* nginx.conf above includes conf.d only; enable a site the Debian way, by symlink. */
	g_autofree gchar *conf = g_build_filename(dir, "etc/nginx/nginx.conf", NULL);
	g_assert_true(g_file_set_contents(conf, "include conf.d/*.conf;\ninclude /etc/nginx/sites-enabled/*;\n", -1, NULL));
	g_autofree gchar *enabled = g_build_filename(dir, "etc/nginx/sites-enabled", NULL);
	g_assert_cmpint(g_mkdir_with_parents(enabled, 0755), ==, 0);
	g_autofree gchar *link = g_build_filename(enabled, "default", NULL);
	g_autoptr(GFile) link_file = g_file_new_for_path(link);
	g_assert_true(g_file_make_symbolic_link(link_file, "../sites-available/default", NULL, NULL));
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), dir, "rootfs", NULL);
	const HullFinding *ssh = hull_test_find(r, "NET-0002");
	g_assert_nonnull(ssh);
	g_test_message("NET-0002: %s", ssh->message);
	g_assert_nonnull(strstr(ssh->message, "/etc/nginx/sites-available/default (line 1) listens on *:22"));
	g_assert_null(strstr(ssh->message, "sites-available/off"));
	g_assert_nonnull(strstr(ssh->message, "/usr/sbin/sshd present"));
	const HullFinding *f = hull_test_find(r, "NET-0010");
	g_assert_nonnull(f);
	g_assert_cmpstr(f->path, ==, "/etc/ssh/sshd_config");
	g_assert_cmpuint(f->line, ==, 2);
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_HIGH);
	g_assert_nonnull(find_msg(r, "NET-0009", "redis"));
	g_assert_nonnull(find_msg(r, "NET-0009", "pg_hba"));
	f = hull_test_find(r, "NET-0012");
	g_assert_nonnull(f);
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_CRITICAL);
	g_assert_true(report_has_note(r, "include loop"));
	hull_test_remove_tree(dir);
}

static void
test_scan_dockerfile(void)
{
	g_autofree gchar *dir = hull_test_make_tree(
		"Dockerfile", "FROM debian:12 AS build\nEXPOSE 23\nFROM debian:12\nARG P=2375\nEXPOSE 22 $P 8000-8010/udp\n"
		              "EXPOSE 99999 0x50 1-99999 -1 abc\nUSER app\nEXPOSE 80\n",
		NULL);
	g_autofree gchar *df = g_build_filename(dir, "Dockerfile", NULL);
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), df, "dockerfile", NULL);
	const HullFinding *f = hull_test_find(r, "NET-0002");
	g_assert_nonnull(f);
	g_assert_cmpuint(f->line, ==, 5);
	f = find_msg(r, "NET-0001", "2375");
	g_assert_nonnull(f);
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_CRITICAL);
	/* The build stage's EXPOSE 23 is not in the image. */
	g_assert_null(find_msg(r, "NET-0001", "23/tcp (telnet"));
	g_assert_nonnull(find_msg(r, "NET-0008", "80/tcp"));
	/* The final USER applies to every port the image exposes, whatever the order. */
	g_assert_nonnull(find_msg(r, "NET-0008", "port 22/tcp"));
	g_assert_null(find_msg(r, "NET-0008", "8000-8010"));
	g_assert_null(find_msg(r, "NET-0008", "2375"));
	static const char *const bad[] = { "\"99999\"", "\"0x50\"", "\"1-99999\"", "\"-1\"", "\"abc\"", NULL };
	for (guint i = 0; bad[i] != NULL; i++)
		g_assert_true(report_has_note(r, bad[i]));
	hull_test_remove_tree(dir);
}

static void
test_scan_k8s(void)
{
	g_autofree gchar *dir = hull_test_make_tree(
		"app.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: prod\n  labels: {app: db}\n"
		            "spec:\n  hostNetwork: true\n  containers:\n  - name: c\n    ports:\n    - containerPort: \"5432\"\n"
		            "      hostPort: 5432\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: prod\n"
		            "spec:\n  type: LoadBalancer\n  selector: {app: db}\n  ports:\n  - port: 5432\n",
		NULL);
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), dir, "config", NULL);
	const HullFinding *f = hull_test_find(r, "NET-0003");
	g_assert_nonnull(f);
	g_assert_cmpstr(f->object, ==, "Pod/prod/p");
	g_assert_nonnull(hull_test_find(r, "NET-0004"));
	f = hull_test_find(r, "NET-0007");
	g_assert_nonnull(f);
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_HIGH);
	g_assert_nonnull(find_msg(r, "NET-0006", "Service/prod/db"));
	hull_test_remove_tree(dir);
}

/* A stand-in for os-packages: emits "package" facts, and records the "port" and "service"
 * facts network-ports emits, so the join through the bus is tested with both sides. */
typedef struct {
	GPtrArray *ports;     /* "22/tcp image-config" */
	GPtrArray *services;  /* "sshd /etc/ssh/sshd_config password" */
} FakeState;

static FakeState fake_state;

static gboolean
fake_init(HullPluginCtx *ctx, gpointer *state, GError **error)
{
	*state = ctx;
	return TRUE;
}

static gboolean
fake_collect(gpointer state, HullScan *scan, GError **error)
{
	HullFact *f = hull_fact_new("package");
	hull_fact_set(f, "name", "openssh-server");
	hull_fact_set(f, "version", "1:9.2p1-2");
	hull_fact_set(f, "type", "deb");
	hull_bus_emit_fact(hull_scan_get_bus(scan), state, f);
	return TRUE;
}

static void
fake_on_fact(gpointer state, HullScan *scan, const HullFact *fact)
{
	if (g_str_equal(hull_fact_get_kind(fact), "port"))
		g_ptr_array_add(fake_state.ports, g_strdup_printf("%s/%s %s", hull_fact_get(fact, "port"),
		                                                  hull_fact_get(fact, "protocol"), hull_fact_get(fact, "source")));
	else
		g_ptr_array_add(fake_state.services, g_strdup_printf("%s %s %s", hull_fact_get(fact, "name"),
		                                                     hull_fact_get(fact, "path"), hull_fact_get(fact, "auth")));
}

static const char *const fake_kinds[] = { "port", "service", NULL };

static const HullPluginDescriptor fake_descriptor = {
	.abi_major = HULL_ABI_MAJOR,
	.abi_minor = HULL_ABI_MINOR,
	.struct_size = sizeof(HullPluginDescriptor),
	.name = "fake-packages",
	.version = "0",
	.fact_kinds = fake_kinds,
	.init = fake_init,
	.scan_collect = fake_collect,
	.on_fact = fake_on_fact,
};

static gboolean
has_str(GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (g_str_equal(g_ptr_array_index(a, i), s))
			return TRUE;
	return FALSE;
}

static void
test_scan_image(void)
{
	const char *gen = g_getenv("HULL_GEN_IMAGE");
	if (gen == NULL || !g_file_test(gen, G_FILE_TEST_EXISTS)) {
		g_test_skip("HULL_GEN_IMAGE (tests/gen/gen-image.py) not set");
		return;
	}
	g_autofree gchar *dir = hull_test_make_tree(
		"spec.json",
		"{\"config\": {\"User\": \"nobody\", \"ExposedPorts\": {\"22/tcp\": {}, \"2375/tcp\": {}, \"99999/tcp\": {},"
		" \"8000-8010/udp\": {}}},"
		" \"layers\": [{\"entries\": ["
		"  {\"path\": \"etc/ssh/sshd_config\", \"type\": \"file\", \"content\": \"Port 22\\nPermitRootLogin yes\\n\"},"
		"  {\"path\": \"usr/sbin/sshd\", \"type\": \"file\", \"content\": \"x\"}]}]}",
		NULL);
	g_autofree gchar *spec = g_build_filename(dir, "spec.json", NULL);
	g_autofree gchar *tar = g_build_filename(dir, "image.tar", NULL);
	const char *argv[] = { "python3", gen, "build", spec, tar, NULL };
	g_autoptr(GError) error = NULL;
	gint status = 0;
	g_assert_true(g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
	g_assert_no_error(error);
	g_assert_true(g_spawn_check_wait_status(status, NULL));

	fake_state.ports = g_ptr_array_new_with_free_func(g_free);
	fake_state.services = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(HullScanner) scanner = hull_scanner_new();
	g_assert_true(hull_scanner_add_descriptor(scanner, &fake_descriptor, "(test)", &error));
	g_assert_true(hull_scanner_add_descriptor(scanner, hull_plugin_get_descriptor(), "(test)", &error));
	g_assert_no_error(error);
	HullScanOptions o;
	hull_scan_options_init(&o);
	o.n_jobs = 2;
	g_autoptr(HullReport) r = hull_scanner_run(scanner, tar, &o, &error);
	g_assert_no_error(error);
	g_assert_nonnull(r);

	const HullFinding *f = hull_test_find(r, "NET-0002");
	g_assert_nonnull(f);
	g_assert_cmpstr(f->object, ==, "image-config");
	g_test_message("NET-0002: %s", f->message);
	g_assert_nonnull(strstr(f->message, "openssh-server 1:9.2p1-2 installed"));
	g_assert_nonnull(strstr(f->message, "PermitRootLogin yes"));
	f = find_msg(r, "NET-0001", "2375/tcp (docker-api");
	g_assert_nonnull(f);
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_CRITICAL);
	/* Nothing in the image serves 2375; sshd does serve 22. */
	f = find_msg(r, "NET-0011", "2375/tcp");
	g_assert_nonnull(f);
	g_assert_cmpint(f->severity, ==, HULL_SEVERITY_LOW);
	g_assert_null(find_msg(r, "NET-0011", "22/tcp"));
	g_assert_nonnull(find_msg(r, "NET-0008", "port 22/tcp"));
	g_assert_nonnull(hull_test_find(r, "NET-0010"));
	g_assert_true(report_has_note(r, "\"99999/tcp\""));
	/* Facts: the range stays one fact; the service is known with its auth. */
	g_assert_true(has_str(fake_state.ports, "22/tcp image-config"));
	g_assert_true(has_str(fake_state.ports, "8000-8010/udp image-config"));
	g_assert_true(has_str(fake_state.ports, "22/tcp service-config"));
	g_assert_true(has_str(fake_state.services, "sshd /etc/ssh/sshd_config password"));
	g_clear_pointer(&fake_state.ports, g_ptr_array_unref);
	g_clear_pointer(&fake_state.services, g_ptr_array_unref);
	hull_test_remove_tree(dir);
}

/* Number of alerts kubescape's expected.json lists for a case, or -1 without one; checks
 * that each "workload 'NAME' is exposed" alert names an object @r reports for @rule. */
static gint
expected_alerts(const char *case_dir, HullReport *r, const char *rule)
{
	g_autofree gchar *fn = g_build_filename(case_dir, "expected.json", NULL);
	g_autoptr(JsonParser) p = json_parser_new();
	if (!json_parser_load_from_file(p, fn, NULL))
		return -1;
	JsonNode *root = json_parser_get_root(p);
	if (root == NULL || !JSON_NODE_HOLDS_ARRAY(root))
		return -1;
	JsonArray *a = json_node_get_array(root);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *alert = json_array_get_object_element(a, i);
		const char *msg = json_object_get_string_member_with_default(alert, "alertMessage", "");
		if (!g_str_has_prefix(msg, "workload '"))
			continue;
		const char *start = msg + strlen("workload '");
		const char *end = strchr(start, '\'');
		g_assert_nonnull(end);
		g_autofree gchar *suffix = g_strdup_printf("/%.*s", (int)(end - start), start);
		gboolean found = FALSE;
		for (guint k = 0; k < r->findings->len; k++) {
			const HullFinding *f = g_ptr_array_index(r->findings, k);
			found = found || (g_str_equal(f->rule_id, rule) && f->object != NULL && g_str_has_suffix(f->object, suffix));
		}
		g_assert_true(found);
	}
	return (gint)json_array_get_length(a);
}

/* Scans each case dir under @rel. With an expected.json (kubescape) @rule must fire as many
 * times as kubescape alerts; otherwise (badpods) it must fire at least once, or never. */
static void
check_cases(const char *rel, const char *rule, gboolean must_fire)
{
	g_autofree gchar *base = hull_test_shared_data(rel);
	if (base == NULL)
		return;
	g_autoptr(GDir) d = g_dir_open(base, 0, NULL);
	g_assert_nonnull(d);
	const char *name;
	guint n = 0;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *case_dir = g_build_filename(base, name, NULL);
		g_autofree gchar *input = g_build_filename(case_dir, "input", NULL);
		if (!g_file_test(input, G_FILE_TEST_IS_DIR)) {
			g_free(input);
			input = g_strdup(case_dir); /* badpods: kind dirs hold the manifests */
		}
		g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), input, "config", NULL);
		guint fired = hull_test_count(r, rule);
		gint want = expected_alerts(case_dir, r, rule);
		g_test_message("%s/%s: %s fired %u times (expected %d)", rel, name, rule, fired, want);
		if (want >= 0)
			g_assert_cmpuint(fired, ==, (guint)want);
		else if (must_fire)
			g_assert_cmpuint(fired, >, 0);
		else
			g_assert_cmpuint(fired, ==, 0);
		n++;
	}
	g_assert_cmpuint(n, >, 0);
}

static void
test_kubescape_hostnetwork(void)
{
	check_cases("k8s/kubescape/host-network-access/test", "NET-0003", TRUE);
}

static void
test_kubescape_hostport(void)
{
	check_cases("k8s/kubescape/container-hostPort/test", "NET-0004", TRUE);
}

static void
test_kubescape_internet(void)
{
	check_cases("k8s/kubescape/exposure-to-internet/test", "NET-0006", TRUE);
	check_cases("k8s/kubescape/exposure-to-internet-via-gateway-api/test", "NET-0006", TRUE);
	check_cases("k8s/kubescape/exposure-to-internet-via-istio-ingress/test", "NET-0006", TRUE);
}

static void
test_badpods(void)
{
	check_cases("k8s/badpods/hostnetwork", "NET-0003", TRUE);
	check_cases("k8s/badpods/nothing-allowed", "NET-0003", FALSE);
	check_cases("k8s/badpods/nothing-allowed", "NET-0004", FALSE);
	check_cases("k8s/badpods/nothing-allowed", "NET-0005", FALSE);
	check_cases("k8s/badpods/hostpid", "NET-0005", TRUE);
	check_cases("k8s/badpods/hostipc", "NET-0005", TRUE);
}

/* The whole public Kubernetes corpus (polaris, kubescape, badpods): completes, and every
 * finding names its object, its file and what it found. */
static void
test_k8s_corpus(void)
{
	g_autofree gchar *base = hull_test_shared_data("k8s");
	if (base == NULL)
		return;
	gint64 start = g_get_monotonic_time();
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), base, "config", NULL);
	g_test_message("k8s corpus: %u findings, %u notes in %.2f s", r->findings->len, r->notes->len,
	               (g_get_monotonic_time() - start) / 1e6);
	for (guint i = 1; i <= 12; i++) {
		g_autofree gchar *id = g_strdup_printf("NET-%04u", i);
		const HullFinding *f = hull_test_find(r, id);
		g_test_message("  %s: %u%s%s", id, hull_test_count(r, id), f != NULL ? ", e.g. " : "",
		               f != NULL ? f->message : "");
	}
	g_assert_cmpuint(hull_test_count(r, "NET-0003"), >, 0);
	g_assert_cmpuint(hull_test_count(r, "NET-0006"), >, 0);
	for (guint i = 0; i < r->findings->len; i++) {
		const HullFinding *f = g_ptr_array_index(r->findings, i);
		g_assert_nonnull(f->object);
		g_assert_nonnull(f->path);
		g_assert_true(f->message != NULL && f->message[0] != '\0');
		g_assert_true(g_utf8_validate(f->message, -1, NULL));
	}
}

static void
test_scan_two_dockerfiles(void)
{
	/* Each Dockerfile's own final USER decides NET-0008 for its ports. */
	g_autofree gchar *dir = hull_test_make_tree(
		"a/Dockerfile", "FROM scratch\nUSER app\nEXPOSE 80\n",
		"b/Dockerfile", "FROM scratch\nEXPOSE 443\n",
		NULL);
	g_autoptr(HullReport) r = hull_test_scan(hull_plugin_get_descriptor(), dir, "config", NULL);
	const HullFinding *f = hull_test_find(r, "NET-0008");
	g_assert_nonnull(f);
	g_assert_true(g_str_has_suffix(f->path, "a/Dockerfile"));
	g_assert_cmpuint(f->line, ==, 3);
	g_assert_cmpuint(hull_test_count(r, "NET-0008"), ==, 1);
	hull_test_remove_tree(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/network-ports/port/parse", test_port_parse);
	g_test_add_func("/network-ports/port/json", test_port_json);
	g_test_add_func("/network-ports/catalogue", test_catalogue);
	g_test_add_func("/network-ports/config/sshd", test_sshd);
	g_test_add_func("/network-ports/config/redis", test_redis);
	g_test_add_func("/network-ports/config/postgresql", test_postgresql);
	g_test_add_func("/network-ports/config/nginx", test_nginx);
	g_test_add_func("/network-ports/config/nginx-includes", test_nginx_includes);
	g_test_add_func("/network-ports/config/apache-mysql-memcached-mongod", test_apache_mysql_memcached_mongod);
	g_test_add_func("/network-ports/config/dockerd", test_dockerd);
	g_test_add_func("/network-ports/config/paths", test_paths);
	g_test_add_func("/network-ports/config/hostile", test_hostile_configs);
	g_test_add_func("/network-ports/k8s/analysis", test_k8s_analysis);
	g_test_add_func("/network-ports/scan/rootfs", test_scan_rootfs);
	g_test_add_func("/network-ports/scan/dockerfile", test_scan_dockerfile);
	g_test_add_func("/network-ports/scan/k8s", test_scan_k8s);
	g_test_add_func("/network-ports/scan/image-correlation", test_scan_image);
	g_test_add_func("/network-ports/data/kubescape-host-network", test_kubescape_hostnetwork);
	g_test_add_func("/network-ports/data/kubescape-host-port", test_kubescape_hostport);
	g_test_add_func("/network-ports/data/kubescape-exposure", test_kubescape_internet);
	g_test_add_func("/network-ports/data/badpods", test_badpods);
	g_test_add_func("/network-ports/data/k8s-corpus", test_k8s_corpus);
	g_test_add_func("/network-ports/scan/two-dockerfiles", test_scan_two_dockerfiles);
	return g_test_run();
}
