/* hull-dockerfile-rules.c: the rule table of the dockerfile plugin (ids DF-xxxx, security
 * rules first), with the peers' ids for the same check as aliases, and the inline pragma
 * parser that lets a Dockerfile silence a rule by our id or any alias. */
#include "hull-dockerfile-lint.h"

#include <string.h>

#define HADO "https://github.com/hadolint/hadolint/wiki/"
#define DOCS_BP "https://docs.docker.com/build/building/best-practices/"
#define DOCS_REF "https://docs.docker.com/reference/dockerfile/"
#define CIS "https://www.cisecurity.org/benchmark/docker"
#define DOCKLE "https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md"
#define AVD "https://avd.aquasec.com/misconfig/"

#define A(...) (const char *const[]){ __VA_ARGS__, NULL }

const HullRule hull_df_rules[] = {
	/* ---- security ---- */
	{ "DF-0001", HULL_SEVERITY_HIGH, "Final stage runs as root", A("DL3002", "CIS-DI-0001", "DS-0002"),
	  A(HADO "DL3002", DOCS_REF "#user", CIS, AVD "ds002"),
	  "Add a USER instruction with a non-root user at the end of the final stage.",
	  "The last USER of the final build stage is root, or there is none (the default user is root)." },
	{ "DF-0002", HULL_SEVERITY_MEDIUM, "RUN uses sudo", A("DL3004", "DS-0010"),
	  A(HADO "DL3004", AVD "ds010"),
	  "Drop sudo: RUN already runs as the current USER; switch USER where root is needed.", NULL },
	{ "DF-0003", HULL_SEVERITY_LOW, "ADD used for local files", A("DL3020", "CIS-DI-0009", "DS-0005"),
	  A(HADO "DL3020", DOCS_BP "#add-or-copy", CIS, AVD "ds005"),
	  "Use COPY for local files and directories; keep ADD for archives that must be extracted.", NULL },
	{ "DF-0004", HULL_SEVERITY_MEDIUM, "ADD downloads a remote URL", A("CIS-DI-0009"),
	  A(DOCS_BP "#add-or-copy", CIS),
	  "Download with curl/wget in a RUN and verify a checksum, or use ADD --checksum.", NULL },
	{ "DF-0005", HULL_SEVERITY_HIGH, "Secret in ARG or ENV", A("CIS-DI-0010"),
	  A(DOCS_REF "#arg", "https://docs.docker.com/build/building/secrets/", CIS, DOCKLE),
	  "Pass secrets with RUN --mount=type=secret; ARG and ENV values stay in the image and its history.", NULL },
	{ "DF-0006", HULL_SEVERITY_HIGH, "COPY of a secret-looking file", A("CIS-DI-0010"),
	  A("https://docs.docker.com/build/building/secrets/", CIS),
	  "Keep keys and credential files out of the build context (.dockerignore) and use build secrets.", NULL },
	{ "DF-0007", HULL_SEVERITY_HIGH, "Remote script piped to a shell", NULL,
	  A(DOCS_BP "#run", "https://www.idontplaydarts.com/2016/04/detecting-curl-pipe-bash-server-side/"),
	  "Download the script, verify its checksum or signature, then run it.", NULL },
	{ "DF-0008", HULL_SEVERITY_MEDIUM, "SSH port exposed", A("DS-0004"),
	  A(DOCS_REF "#expose", AVD "ds004"),
	  "Do not run sshd in a container; use docker exec / kubectl exec.", NULL },
	{ "DF-0009", HULL_SEVERITY_MEDIUM, "Exposed port out of range", A("DL3011", "DS-0008"),
	  A(HADO "DL3011", AVD "ds008"), "Use ports 0-65535.", NULL },
	{ "DF-0010", HULL_SEVERITY_MEDIUM, "Base image not pinned", A("DL3006", "DL3007", "DKL-DI-0006", "DS-0001"),
	  A(HADO "DL3006", HADO "DL3007", DOCKLE, AVD "ds001"),
	  "Use a specific tag, ideally with a digest (image:1.2@sha256:…).", NULL },
	{ "DF-0011", HULL_SEVERITY_MEDIUM, "Base image from an untrusted registry", A("DL3026"),
	  A(HADO "DL3026"), "Pull base images only from the registries in trusted_registries.", NULL },
	{ "DF-0012", HULL_SEVERITY_MEDIUM, "Package index update alone", A("CIS-DI-0007", "DS-0017"),
	  A(DOCS_BP "#apt-get", CIS, AVD "ds017"),
	  "Update and install in the same RUN so a cached update layer never serves stale indexes.", NULL },
	{ "DF-0013", HULL_SEVERITY_LOW, "apt-get install without --no-install-recommends", A("DL3015", "DS-0029"),
	  A(HADO "DL3015", AVD "ds029"), "Add --no-install-recommends.", NULL },
	{ "DF-0014", HULL_SEVERITY_LOW, "Package install without non-interactive flag",
	  A("DL3014", "DL3030", "DL3034", "DL3038", "DS-0021"),
	  A(HADO "DL3014", HADO "DL3030", HADO "DL3034", HADO "DL3038", AVD "ds021"),
	  "Add -y (apt-get, yum, dnf) or -n (zypper).", NULL },
	{ "DF-0015", HULL_SEVERITY_LOW, "Package manager cache left in the image",
	  A("DL3009", "DL3019", "DL3032", "DL3036", "DL3040", "DL3042", "DKL-DI-0005", "DS-0015", "DS-0019",
	    "DS-0020", "DS-0025"),
	  A(HADO "DL3009", HADO "DL3019", HADO "DL3032", HADO "DL3036", HADO "DL3040", HADO "DL3042", DOCKLE),
	  "Clean the cache in the same RUN (rm -rf /var/lib/apt/lists/*, apk --no-cache, yum/dnf/zypper clean "
	  "all, pip --no-cache-dir, npm cache clean --force).", NULL },
	{ "DF-0016", HULL_SEVERITY_LOW, "Package installed without a pinned version",
	  A("DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3062"),
	  A(HADO "DL3008", HADO "DL3013", HADO "DL3016", HADO "DL3018", HADO "DL3028", HADO "DL3062"),
	  "Pin versions (pkg=1.2, pkg==1.2, pkg@1.2, gem -v 1.2, go install mod@v1.2).", NULL },
	{ "DF-0017", HULL_SEVERITY_LOW, "No HEALTHCHECK", A("CIS-DI-0006", "DS-0026"),
	  A(DOCS_REF "#healthcheck", CIS, AVD "ds026"), "Add a HEALTHCHECK to the final stage.", NULL },
	{ "DF-0018", HULL_SEVERITY_MEDIUM, "World-writable permissions (chmod 777)", NULL,
	  A("https://cwe.mitre.org/data/definitions/732.html"), "Grant the least permissions needed.", NULL },
	{ "DF-0019", HULL_SEVERITY_LOW, "RUN cd instead of WORKDIR", A("DL3003", "DS-0013"),
	  A(HADO "DL3003", AVD "ds013"), "Use WORKDIR to change directory.", NULL },
	{ "DF-0020", HULL_SEVERITY_LOW, "Relative WORKDIR", A("DL3000", "DS-0009"),
	  A(HADO "DL3000", AVD "ds009"), "Use an absolute WORKDIR.", NULL },
	{ "DF-0021", HULL_SEVERITY_HIGH, "WORKDIR or VOLUME on a kernel filesystem", NULL,
	  A(DOCS_REF "#workdir", CIS), "Never use /proc, /sys or /dev as WORKDIR or VOLUME.", NULL },
	{ "DF-0022", HULL_SEVERITY_LOW, "CMD/ENTRYPOINT in shell form", A("DL3025"),
	  A(HADO "DL3025", DOCS_REF "#shell-and-exec-form"),
	  "Use the JSON (exec) form so signals reach the process.", NULL },
	{ "DF-0023", HULL_SEVERITY_MEDIUM, "Several CMD, ENTRYPOINT or HEALTHCHECK in a stage",
	  A("DL4003", "DL4004", "DL3012", "DS-0007", "DS-0016", "DS-0023"),
	  A(HADO "DL4003", HADO "DL4004", HADO "DL3012", AVD "ds016"), "Keep only the last one.", NULL },
	{ "DF-0024", HULL_SEVERITY_MEDIUM, "Duplicate or reserved stage name", A("DL3024", "DS-0012"),
	  A(HADO "DL3024", AVD "ds012"), "Give every stage a unique name other than scratch.", NULL },
	{ "DF-0025", HULL_SEVERITY_MEDIUM, "COPY --from an unknown stage or itself", A("DL3022", "DL3023", "DS-0006"),
	  A(HADO "DL3022", HADO "DL3023", AVD "ds006"),
	  "Reference a stage defined earlier, or a full image reference.", NULL },
	{ "DF-0026", HULL_SEVERITY_LOW, "MAINTAINER is deprecated", A("DL4000", "DS-0022"),
	  A(HADO "DL4000", DOCS_REF "#maintainer-deprecated", AVD "ds022"),
	  "Use LABEL org.opencontainers.image.authors=….", NULL },
	{ "DF-0027", HULL_SEVERITY_LOW, "Pipe without pipefail", A("DL4006"),
	  A(HADO "DL4006", DOCS_BP "#using-pipes"),
	  "Use SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] or set -o pipefail.", NULL },
	{ "DF-0028", HULL_SEVERITY_LOW, "Consecutive RUN instructions", A("DL3059"),
	  A(HADO "DL3059", DOCS_BP "#minimize-the-number-of-layers"), "Merge consecutive RUNs.", NULL },
	/* ---- image mode ---- */
	{ "DF-0100", HULL_SEVERITY_HIGH, "Image runs as root", A("CIS-DI-0001", "DS-0002"),
	  A(CIS, DOCKLE), "Set a non-root USER when building the image.", NULL },
	{ "DF-0101", HULL_SEVERITY_LOW, "Image has no healthcheck", A("CIS-DI-0006"),
	  A(CIS, DOCKLE), "Add a HEALTHCHECK to the image.", NULL },
	{ "DF-0102", HULL_SEVERITY_HIGH, "Secret in the image environment", A("CIS-DI-0010"),
	  A(CIS, DOCKLE), "Remove the variable; pass secrets at run time or with build secrets.", NULL },
	{ "DF-0103", HULL_SEVERITY_MEDIUM, "Image exposes a remote-login port", A("DS-0004"),
	  A(DOCS_REF "#expose", AVD "ds004"), "Do not expose SSH/telnet/FTP or the Docker API from an image.", NULL },
	{ "DF-0104", HULL_SEVERITY_HIGH, "Image volume on a kernel filesystem", NULL,
	  A(DOCS_REF "#volume", CIS), "Do not declare /proc, /sys or /dev as volumes.", NULL },
	{ "DF-0105", HULL_SEVERITY_LOW, "setuid/setgid files", A("CIS-DI-0008"),
	  A(CIS, DOCKLE), "Remove the setuid/setgid bits that are not needed (chmod u-s,g-s).", NULL },
	{ "DF-0106", HULL_SEVERITY_HIGH, "Account with an empty password", A("DKL-LI-0001"),
	  A(DOCKLE, "https://man7.org/linux/man-pages/man5/shadow.5.html"), "Lock the account (passwd -l) or set a password.", NULL },
	{ "DF-0107", HULL_SEVERITY_MEDIUM, "Duplicate UID or GID", A("DKL-LI-0002"),
	  A(DOCKLE, "https://man7.org/linux/man-pages/man5/passwd.5.html"), "Give every user and group a unique id.", NULL },
	{ "DF-0108", HULL_SEVERITY_HIGH, "Credentials directory left in the image", A("DKL-LI-0003", "CIS-DI-0010"),
	  A(DOCKLE, CIS), "Remove .aws, .docker, .git, .ssh … from the image (.dockerignore, multi-stage builds).", NULL },
};
const guint hull_df_n_rules = G_N_ELEMENTS(hull_df_rules);

const HullRule *
hull_df_rule(const char *id)
{
	for (guint i = 0; i < hull_df_n_rules; i++)
		if (strcmp(hull_df_rules[i].id, id) == 0)
			return &hull_df_rules[i];
	return NULL;
}

/* ---- pragmas ---- */

void
hull_df_pragmas_free(HullDfPragmas *pragmas)
{
	if (pragmas == NULL)
		return;
	g_hash_table_unref(pragmas->by_line);
	g_ptr_array_unref(pragmas->global);
	g_free(pragmas);
}

static void
df_add_ids(GPtrArray *to, const char *list)
{
	g_auto(GStrv) ids = g_strsplit_set(list, ",; \t", -1);

	for (guint i = 0; ids[i] != NULL; i++)
		if (*ids[i] != '\0')
			g_ptr_array_add(to, g_strdup(ids[i]));
}

HullDfPragmas *
hull_df_pragmas_parse(const char *text, gsize len)
{
	HullDfPragmas *pr = g_new0(HullDfPragmas, 1);
	g_autoptr(GPtrArray) pending = NULL;
	const char *p = text, *end = text + len;
	guint line = 0;

	pr->by_line = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
	pr->global = g_ptr_array_new_with_free_func(g_free);
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		gsize n = nl != NULL ? (gsize)(nl - p) : (gsize)(end - p);
		g_autofree gchar *l = g_strstrip(g_strndup(p, MIN(n, 4096)));
		line++;
		p = nl != NULL ? nl + 1 : end;
		if (*l == '\0')
			continue;
		if (*l != '#') {
			if (pending != NULL) {
				g_hash_table_replace(pr->by_line, GUINT_TO_POINTER(line), g_steal_pointer(&pending));
			}
			continue;
		}
		const char *c = l + 1;
		while (*c == ' ' || *c == '\t')
			c++;
		gboolean ours = g_str_has_prefix(c, "hullscan");
		gboolean hado = g_str_has_prefix(c, "hadolint");
		if (!ours && !hado)
			continue;
		c += 8;
		while (*c == ' ' || *c == '\t')
			c++;
		gboolean global = FALSE;
		if (g_str_has_prefix(c, "global")) {
			global = TRUE;
			c += 6;
			while (*c == ' ' || *c == '\t')
				c++;
		}
		if (!g_str_has_prefix(c, "ignore="))
			continue;
		c += 7;
		if (global) {
			df_add_ids(pr->global, c);
		} else {
			if (pending == NULL)
				pending = g_ptr_array_new_with_free_func(g_free);
			df_add_ids(pending, c);
		}
	}
	return pr;
}

static gboolean
df_ids_match(GPtrArray *ids, const HullRule *rule)
{
	for (guint i = 0; ids != NULL && i < ids->len; i++) {
		const char *id = ids->pdata[i];
		if (g_ascii_strcasecmp(id, rule->id) == 0)
			return TRUE;
		for (guint j = 0; rule->aliases != NULL && rule->aliases[j] != NULL; j++)
			if (g_ascii_strcasecmp(id, rule->aliases[j]) == 0)
				return TRUE;
	}
	return FALSE;
}

gboolean
hull_df_pragmas_ignore(const HullDfPragmas *pragmas, guint line, const HullRule *rule)
{
	if (pragmas == NULL || rule == NULL)
		return FALSE;
	if (df_ids_match(pragmas->global, rule))
		return TRUE;
	return df_ids_match(g_hash_table_lookup(pragmas->by_line, GUINT_TO_POINTER(line)), rule);
}

/* ---- secrets ---- */

gboolean
hull_df_secret_name(HullDfPlugin *p, const char *name)
{
	return name != NULL && g_regex_match(p->re_secret_name, name, 0, NULL);
}

gboolean
hull_df_secret_value(HullDfPlugin *p, const char *value)
{
	return value != NULL && *value != '\0' && g_regex_match(p->re_secret_value, value, 0, NULL);
}
