/* hull-svc-sshd.c: reads sshd_config (and drop-ins in sshd_config.d/) for where the daemon
 * listens and how it lets people in. sshd keeps the first value it reads for most keywords
 * and Match blocks apply only to some connections, so only global lines before the first
 * Match count here. Defaults follow OpenSSH >= 7.0 (sshd_config(5)). */
#include <string.h>
#include "hull-netports.h"

/* "addr", "addr:port", "[v6]:port", "v6" → address and port (0 when absent). */
static void
hull_sshd_split_listen(const char *value, gchar **addr, guint *port)
{
	*port = 0;
	if (value[0] == '[') {
		const char *close = strchr(value, ']');
		if (close == NULL) {
			*addr = g_strdup(value);
			return;
		}
		*addr = g_strndup(value + 1, (gsize)(close - value - 1));
		if (close[1] == ':')
			hull_svc_parse_port(close + 2, port);
		return;
	}
	const char *colon = strchr(value, ':');
	if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		*addr = g_strndup(value, (gsize)(colon - value));
		hull_svc_parse_port(colon + 1, port);
		return;
	}
	*addr = g_strdup(value);
}

HullSvcConfig *
hull_svc_parse_sshd(const char *path, const char *data, gsize len)
{
	HullSvcConfig *cfg = hull_svc_config_new("sshd", path, 22);
	HullLineIter it;
	g_autofree gchar *root_login = NULL, *password_auth = NULL, *empty_pw = NULL;
	guint root_line = 0, empty_line = 0;
	g_autoptr(GArray) ports = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autoptr(GArray) port_lines = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) addr_lines = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autoptr(GArray) addr_ports = g_array_new(FALSE, FALSE, sizeof(guint));
	const char *line;
	hull_line_iter_init(&it, cfg, data, len);
	while ((line = hull_line_iter_next(&it, "#")) != NULL) {
		/* "Keyword value" or "Keyword=value"; keywords are case-insensitive. */
		g_autofree gchar *copy = g_strdup(line);
		for (char *c = copy; *c != '\0'; c++) {
			if (*c == '=') {
				*c = ' ';
				break;
			}
			if (*c == ' ' || *c == '\t')
				break;
		}
		g_auto(GStrv) w = hull_line_split(copy, 3);
		if (w[0] == NULL)
			continue;
		if (g_ascii_strcasecmp(w[0], "Match") == 0)
			break;
		if (w[1] == NULL)
			continue;
		if (g_ascii_strcasecmp(w[0], "Port") == 0) {
			guint p;
			if (hull_svc_parse_port(w[1], &p)) {
				g_array_append_val(ports, p);
				g_array_append_val(port_lines, it.lineno);
			} else {
				hull_svc_config_add_note(cfg, "%s:%u: Port \"%.32s\" is not a port in 1-65535", path, it.lineno, w[1]);
			}
		} else if (g_ascii_strcasecmp(w[0], "ListenAddress") == 0) {
			gchar *addr = NULL;
			guint p = 0;
			hull_sshd_split_listen(w[1], &addr, &p);
			g_ptr_array_add(addrs, addr);
			g_array_append_val(addr_lines, it.lineno);
			g_array_append_val(addr_ports, p);
		} else if (g_ascii_strcasecmp(w[0], "PermitRootLogin") == 0 && root_login == NULL) {
			root_login = g_ascii_strdown(w[1], -1);
			root_line = it.lineno;
		} else if (g_ascii_strcasecmp(w[0], "PasswordAuthentication") == 0 && password_auth == NULL) {
			password_auth = g_ascii_strdown(w[1], -1);
		} else if (g_ascii_strcasecmp(w[0], "PermitEmptyPasswords") == 0 && empty_pw == NULL) {
			empty_pw = g_ascii_strdown(w[1], -1);
			empty_line = it.lineno;
		}
	}
	hull_line_iter_clear(&it);

	/* Each ListenAddress without its own port listens on every Port (default 22). */
	if (ports->len == 0) {
		guint p = 22, l = 0;
		g_array_append_val(ports, p);
		g_array_append_val(port_lines, l);
	}
	if (addrs->len == 0) {
		for (guint i = 0; i < ports->len; i++)
			hull_svc_config_add_listen(cfg, "", g_array_index(ports, guint, i), g_array_index(port_lines, guint, i));
	}
	for (guint a = 0; a < addrs->len; a++) {
		guint ap = g_array_index(addr_ports, guint, a);
		if (ap != 0) {
			hull_svc_config_add_listen(cfg, g_ptr_array_index(addrs, a), ap, g_array_index(addr_lines, guint, a));
			continue;
		}
		for (guint i = 0; i < ports->len; i++)
			hull_svc_config_add_listen(cfg, g_ptr_array_index(addrs, a), g_array_index(ports, guint, i),
			                           g_array_index(addr_lines, guint, a));
	}

	gboolean passwords = password_auth == NULL || g_strcmp0(password_auth, "yes") == 0;
	cfg->auth = g_strdup(passwords ? "password" : "publickey");
	cfg->summary = g_strdup_printf("PermitRootLogin %s, PasswordAuthentication %s%s",
	                               root_login != NULL ? root_login : "prohibit-password (default)",
	                               password_auth != NULL ? password_auth : "yes (default)",
	                               g_strcmp0(empty_pw, "yes") == 0 ? ", PermitEmptyPasswords yes" : "");
	if (g_strcmp0(empty_pw, "yes") == 0 && passwords)
		hull_svc_config_add_issue(cfg, "NET-0010", HULL_SEVERITY_CRITICAL, empty_line,
		                          "sshd accepts accounts with empty passwords (PermitEmptyPasswords yes, "
		                          "password authentication %s)", password_auth != NULL ? "on" : "on by default");
	if (g_strcmp0(root_login, "yes") == 0)
		hull_svc_config_add_issue(cfg, "NET-0010", passwords ? HULL_SEVERITY_HIGH : HULL_SEVERITY_MEDIUM, root_line,
		                          passwords ? "sshd permits root login with a password (PermitRootLogin yes, "
		                                      "PasswordAuthentication %s)"
		                                    : "sshd permits root login (PermitRootLogin yes; PasswordAuthentication %s)",
		                          password_auth != NULL ? password_auth : "yes by default");
	return cfg;
}
