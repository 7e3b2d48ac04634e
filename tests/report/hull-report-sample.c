/* hull-report-sample.c: the report behind the golden files in tests/report/golden: findings of every shape
 * (path+line+column, deleted file, object only, vulnerability with a null field), packages
 * with and without a purl, a failed plugin, a note. */
#include "hull-report-sample.h"

static void
add_plugin(HullReport *r, const char *name, const char *status, const char *error, guint n_rules)
{
	HullReportPlugin *p = g_new0(HullReportPlugin, 1);
	p->name = g_strdup(name);
	p->version = g_strdup("0.1.0");
	p->status = g_strdup(status);
	p->error = g_strdup(error);
	p->n_rules = n_rules;
	p->path = g_strdup_printf("/usr/lib/hullscan-1/plugins/hullscan-%s.so", name);
	g_ptr_array_add(r->plugins, p);
}

static void
add_rule(HullReport *r, const char *id, const char *plugin, HullSeverity s, const char *title, const char *desc,
         const char *remediation, const char *alias, const char *reference)
{
	HullReportRule *rule = g_new0(HullReportRule, 1);
	rule->id = g_strdup(id);
	rule->plugin = g_strdup(plugin);
	rule->severity = s;
	rule->title = g_strdup(title);
	rule->description = g_strdup(desc);
	rule->remediation = g_strdup(remediation);
	rule->aliases = g_ptr_array_new_with_free_func(g_free);
	rule->references = g_ptr_array_new_with_free_func(g_free);
	if (alias != NULL)
		g_ptr_array_add(rule->aliases, g_strdup(alias));
	if (reference != NULL)
		g_ptr_array_add(rule->references, g_strdup(reference));
	g_ptr_array_add(r->rules, rule);
}

static void
add_layer(HullReport *r, int index, const char *digest, const char *created_by)
{
	HullReportLayer *l = g_new0(HullReportLayer, 1);
	l->index = index;
	l->digest = g_strdup(digest);
	l->created_by = g_strdup(created_by);
	g_ptr_array_add(r->layers, l);
}

static void
add_package(HullReport *r, const char *name, const char *version, const char *source, const char *source_version,
            const char *purl, const char *layer)
{
	HullFact *p = hull_fact_new("package");
	p->plugin = g_strdup("os-packages");
	hull_fact_set(p, "name", name);
	hull_fact_set(p, "version", version);
	hull_fact_set(p, "source", source);
	if (source_version != NULL)
		hull_fact_set(p, "source_version", source_version);
	hull_fact_set(p, "arch", "amd64");
	hull_fact_set(p, "type", "deb");
	if (purl != NULL)
		hull_fact_set(p, "purl", purl);
	hull_fact_set(p, "layer", layer);
	g_ptr_array_add(r->packages, p);
}

static gint
finding_cmp(gconstpointer a, gconstpointer b)
{
	return hull_finding_compare(*(HullFinding *const *)a, *(HullFinding *const *)b);
}

HullReport *
hull_report_sample_new(gboolean hostile)
{
	HullReport *r = hull_report_new();
	r->tool_version = g_strdup("0.1.0");
	r->input = g_strdup(hostile ? "bad\xff\x1b[31mname.tar" : "example.tar");
	r->target_type = g_strdup("image");
	r->digest = g_strdup("sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945");
	r->os_id = g_strdup("debian");
	r->os_version = g_strdup("12");

	add_plugin(r, "secrets", "ok", NULL, 2);
	add_plugin(r, "dockerfile", "ok", NULL, 1);
	add_plugin(r, "os-packages", "ok", NULL, 0);
	add_plugin(r, "network-ports", "ok", NULL, 4);
	add_plugin(r, "legacy", "refused", "ABI 2.0 is newer than this hullscan (1.0)", 0);

	add_rule(r, "DF-0002", "dockerfile", HULL_SEVERITY_HIGH, "Image runs as root",
	         "The last USER instruction is root or missing, so the container runs as root.",
	         "Add a USER instruction with a non-root user.", "DL3002",
	         "https://docs.docker.com/develop/develop-images/dockerfile_best-practices/#user");
	add_rule(r, "SEC-AWS-KEY", "secrets", HULL_SEVERITY_HIGH, "AWS access key id", NULL,
	         "Revoke the key and remove it from every layer.", NULL, NULL);
	add_rule(r, "SEC-GITHUB-PAT", "secrets", HULL_SEVERITY_CRITICAL, "GitHub personal access token",
	         "A GitHub personal access token grants API access as its owner.",
	         "Revoke the token at github.com/settings/tokens and rebuild the image without it.", "github-pat",
	         "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens");

	add_layer(r, 0, "sha256:1111111111111111111111111111111111111111111111111111111111111111",
	          "/bin/sh -c #(nop) ADD file:0a1b2c in /");
	add_layer(r, 1, "sha256:2222222222222222222222222222222222222222222222222222222222222222",
	          hostile ? "COPY \xc3\x28 . /app\x07" : "COPY . /app");

	HullFinding *f = hull_finding_new_raw("secrets", "SEC-GITHUB-PAT");
	hull_finding_set_severity(f, HULL_SEVERITY_CRITICAL);
	hull_finding_set_title(f, "GitHub personal access token");
	hull_finding_set_message(f, "%s", hostile ? "token in \xff\xfe<b>&amp;\"quoted\"\x01\x1b]0;pwned\x07" :
	                                            "A GitHub personal access token is stored in /app/.env");
	hull_finding_set_path(f, hostile ? "/app/\xe2\x82 bad\x1b[2J.env" : "/app/.env");
	hull_finding_set_line(f, 3);
	hull_finding_set_column(f, 7);
	hull_finding_set_layer(f, 1);
	hull_finding_add_alias(f, "github-pat");
	hull_finding_add_reference(f, "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens");
	hull_finding_set_remediation(f, "Revoke the token at github.com/settings/tokens and rebuild the image without it.");
	hull_finding_set_secret(f, "ghp_0123456789abcdefghijklmnopqrstuvwxyz", -1);
	g_ptr_array_add(r->findings, f);

	f = hull_finding_new_raw("secrets", "SEC-AWS-KEY");
	hull_finding_set_severity(f, HULL_SEVERITY_HIGH);
	hull_finding_set_title(f, "AWS access key id");
	hull_finding_set_message(f, "An AWS access key id is stored in a file a later layer deleted");
	hull_finding_set_path(f, "/tmp/credentials");
	hull_finding_set_line(f, 2);
	hull_finding_set_layer(f, 0);
	hull_finding_set_deleted_in(f, 1);
	hull_finding_set_secret(f, "AKIAIOSFODNN7EXAMPLE", -1);
	g_ptr_array_add(r->findings, f);

	f = hull_finding_new_raw("dockerfile", "DF-0002");
	hull_finding_set_severity(f, HULL_SEVERITY_HIGH);
	hull_finding_set_title(f, "Image runs as root");
	hull_finding_set_message(f, "No USER instruction after the last FROM: the container runs as root");
	hull_finding_set_path(f, "/Dockerfile");
	hull_finding_set_line(f, 5);
	hull_finding_add_alias(f, "DL3002");
	hull_finding_set_remediation(f, "Add a USER instruction with a non-root user.");
	g_ptr_array_add(r->findings, f);

	f = hull_finding_new_raw("os-packages", "CVE-2023-5678");
	hull_finding_set_severity(f, HULL_SEVERITY_MEDIUM);
	hull_finding_set_title(f, "openssl: excessive time spent in DH key generation");
	hull_finding_set_message(f, "openssl 3.0.11-1~deb12u1 is affected; fixed in 3.0.13-1~deb12u1");
	hull_finding_set_path(f, "/var/lib/dpkg/status");
	hull_finding_set_layer(f, 0);
	hull_finding_add_reference(f, "https://security-tracker.debian.org/tracker/CVE-2023-5678");
	hull_finding_set_field(f, "package", "openssl");
	hull_finding_set_field(f, "installed_version", "3.0.11-1~deb12u1");
	hull_finding_set_field(f, "fixed_version", "3.0.13-1~deb12u1");
	hull_finding_set_fingerprint_data(f, "openssl");
	g_ptr_array_add(r->findings, f);

	f = hull_finding_new_raw("os-packages", "CVE-2024-0001");
	hull_finding_set_severity(f, HULL_SEVERITY_UNKNOWN);
	hull_finding_set_title(f, "zlib: an advisory without a fix yet");
	hull_finding_set_path(f, "/var/lib/dpkg/status");
	hull_finding_set_layer(f, 0);
	hull_finding_set_field(f, "package", "zlib1g");
	hull_finding_set_field(f, "installed_version", "1:1.2.13.dfsg-1");
	hull_finding_set_field(f, "fixed_version", NULL);
	if (hostile)
		hull_finding_set_field(f, "weird\xff key", "value\x80\x01");
	hull_finding_set_fingerprint_data(f, "zlib1g");
	g_ptr_array_add(r->findings, f);

	f = hull_finding_new_raw("kubernetes", "K8S-RBAC-WILDCARD");
	hull_finding_set_severity(f, HULL_SEVERITY_LOW);
	hull_finding_set_title(f, "Role grants every verb on every resource");
	hull_finding_set_message(f, "rules[0] allows verbs [\"*\"] on resources [\"*\"]");
	hull_finding_set_object(f, hostile ? "ClusterRole/ops\xff\x1b[1m-superuser" : "ClusterRole/ops-superuser");
	hull_finding_add_alias(f, "KSV041");
	g_ptr_array_add(r->findings, f);

	for (guint i = 0; i < r->findings->len; i++)
		hull_finding_compute_fingerprint(g_ptr_array_index(r->findings, i));
	g_ptr_array_sort(r->findings, finding_cmp);

	add_package(r, "libc6", "2.36-9+deb12u3", "glibc", NULL,
	            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64&distro=debian-12", "0");
	add_package(r, "openssl", "3.0.11-1~deb12u1", "openssl", NULL, NULL, "0");
	add_package(r, "zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1", NULL, hostile ? "1\xff" : "1");

	g_ptr_array_add(r->notes, g_strdup(hostile ? "skipped \x1b[8m/opt/\xff big.bin: larger than 64 MiB" :
	                                             "skipped /opt/big.bin: larger than 64 MiB"));
	hull_report_update_summary(r);
	return r;
}
