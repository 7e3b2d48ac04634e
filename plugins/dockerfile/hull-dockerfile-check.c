/* hull-dockerfile-check.c: the instruction rules, run on every Dockerfile of the shared view
 * (files of the target, Dockerfiles found in an image, and the one rebuilt from an image's
 * history). Stage-aware: root user, healthcheck and cache rules look at the final stage only;
 * RUN rules read shell-form commands, exec-form arguments, heredoc bodies and ONBUILD
 * triggers alike. */
#include "hull-dockerfile-lint.h"

#include <string.h>
#include <stdlib.h>

typedef struct {
	HullDfPlugin *p;
	HullScan *scan;
	HullDockerfile *df;
	const HullDfPragmas *pragmas;
	gboolean history;
	int final_stage;
} DfLint;

static void G_GNUC_PRINTF(4, 5)
df_emit(DfLint *l, const char *id, const HullInstruction *insn, const char *fmt, ...)
{
	const HullRule *rule = hull_df_rule(id);
	guint line = insn != NULL ? hull_instruction_get_start_line(insn) : 0;
	va_list ap;

	if (hull_df_pragmas_ignore(l->pragmas, line, rule))
		return;
	/* History holds the base image's instructions too: its CMDs, RUNs and EXPOSEs are layered,
	 * not written in one file, and the config checks report what is in effect. */
	if (l->history && (strcmp(id, "DF-0023") == 0 || strcmp(id, "DF-0028") == 0 || strcmp(id, "DF-0008") == 0))
		return;
	if (!hull_plugin_ctx_rule_enabled(l->p->ctx, id))
		return;
	HullFinding *f = hull_finding_new(l->p->ctx, id);
	va_start(ap, fmt);
	g_autofree gchar *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	hull_finding_set_message(f, "%s", msg);
	if (l->history) {
		hull_finding_set_object(f, "image-history");
		if (insn != NULL && hull_instruction_get_layer(insn) >= 0)
			hull_finding_set_layer(f, hull_instruction_get_layer(insn));
	} else {
		hull_finding_set_path(f, hull_dockerfile_get_path(l->df));
		hull_finding_set_layer(f, hull_dockerfile_get_layer(l->df));
	}
	if (line > 0)
		hull_finding_set_line(f, line);
	if (insn != NULL) {
		g_autofree gchar *ev = g_utf8_make_valid(hull_instruction_get_original(insn), MIN(strlen(hull_instruction_get_original(insn)), 200));
		if (strcmp(id, "DF-0005") != 0)
			hull_finding_set_evidence(f, ev);
		g_autofree gchar *fp = g_strdup_printf("%s\n%s", msg, hull_instruction_get_original(insn));
		hull_finding_set_fingerprint_data(f, fp);
	}
	hull_bus_emit(hull_scan_get_bus(l->scan), f);
}

/* ---- shell command analysis ---- */

/* Splits a shell script into simple commands at ; && || | & and newlines (quotes respected
 * roughly), each a vector of words with quotes removed. */
static GPtrArray *
df_commands(const char *script, gboolean *has_pipe)
{
	GPtrArray *cmds = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	GPtrArray *words = g_ptr_array_new();
	GString *w = g_string_new(NULL);
	gboolean in_word = FALSE;
	char q = 0;

#define DF_END_WORD() do { if (in_word) { g_ptr_array_add(words, g_strdup(w->str)); g_string_truncate(w, 0); in_word = FALSE; } } while (0)
#define DF_END_CMD() do { DF_END_WORD(); if (words->len > 0) { g_ptr_array_add(words, NULL); g_ptr_array_add(cmds, g_ptr_array_free(words, FALSE)); words = g_ptr_array_new(); } } while (0)
	for (const char *c = script; *c; c++) {
		if (q) {
			if (*c == q)
				q = 0;
			else if (*c == '\\' && q == '"' && c[1])
				g_string_append_c(w, *++c);
			else
				g_string_append_c(w, *c);
			continue;
		}
		switch (*c) {
		case '\'': case '"':
			q = *c;
			in_word = TRUE;
			break;
		case '\\':
			if (c[1] == '\n') {
				c++;
			} else if (c[1]) {
				g_string_append_c(w, *++c);
				in_word = TRUE;
			}
			break;
		case ' ': case '\t': case '\r':
			DF_END_WORD();
			break;
		case '|':
			if (c[1] == '|')
				c++;
			else if (has_pipe != NULL)
				*has_pipe = TRUE;
			DF_END_CMD();
			break;
		case ';': case '&': case '\n': case '(': case ')':
			if (*c == '&' && c[1] == '&')
				c++;
			DF_END_CMD();
			break;
		case '#':
			if (!in_word) {
				while (c[1] && c[1] != '\n')
					c++;
				break;
			}
			/* fall through */
		default:
			g_string_append_c(w, *c);
			in_word = TRUE;
		}
	}
	DF_END_CMD();
#undef DF_END_CMD
#undef DF_END_WORD
	g_ptr_array_unref(words);
	g_string_free(w, TRUE);
	return cmds;
}

static const char *
df_base(const char *w)
{
	const char *s = strrchr(w, '/');
	return s != NULL ? s + 1 : w;
}

/* Index of the first word after sudo/env prefixes. */
static guint
df_cmd_start(char **cmd)
{
	guint i = 0;

	while (cmd[i] != NULL) {
		const char *b = df_base(cmd[i]);
		if (strcmp(b, "sudo") == 0 || strcmp(b, "env") == 0 || strcmp(b, "nice") == 0 ||
		    strcmp(b, "exec") == 0 || strcmp(b, "time") == 0) {
			i++;
			while (cmd[i] != NULL && cmd[i][0] == '-')
				i++;
		} else if (strchr(cmd[i], '=') != NULL && cmd[i][0] != '-' && g_ascii_isalpha(cmd[i][0])) {
			i++; /* VAR=value prefix */
		} else {
			break;
		}
	}
	return i;
}

static gboolean
df_has_word(char **cmd, guint from, const char *w)
{
	for (guint i = from; cmd[i] != NULL; i++)
		if (strcmp(cmd[i], w) == 0)
			return TRUE;
	return FALSE;
}

static gboolean
df_has_prefix_word(char **cmd, guint from, const char *prefix)
{
	for (guint i = from; cmd[i] != NULL; i++)
		if (g_str_has_prefix(cmd[i], prefix))
			return TRUE;
	return FALSE;
}

/* Short flag cluster containing @ch ("-qy"), or a long flag. */
static gboolean
df_has_flag(char **cmd, guint from, char ch, const char *const *longs)
{
	for (guint i = from; cmd[i] != NULL; i++) {
		const char *a = cmd[i];
		if (a[0] == '-' && a[1] != '-' && ch != 0 && strchr(a + 1, ch) != NULL)
			return TRUE;
		for (guint j = 0; longs != NULL && longs[j] != NULL; j++)
			if (g_str_has_prefix(a, longs[j]))
				return TRUE;
	}
	return FALSE;
}

typedef struct {
	gboolean update, install, apt_install, apt_clean;
	gboolean yum_install, yum_clean, dnf_install, dnf_clean, zypper_install, zypper_clean;
	gboolean npm_install, npm_clean;
} DfPkgState;

/* Unpinned arguments of an install command, as a ", "-joined list, or NULL. */
static gchar *
df_unpinned(char **cmd, guint from, const char *pin, gboolean (*skip)(const char *))
{
	GString *out = NULL;

	for (guint i = from; cmd[i] != NULL; i++) {
		const char *a = cmd[i];
		if (a[0] == '-' || a[0] == '$' || a[0] == '.' || a[0] == '/' || (skip != NULL && skip(a)))
			continue;
		if (pin != NULL && strstr(a, pin) != NULL)
			continue;
		if (out == NULL)
			out = g_string_new(a);
		else if (out->len < 200)
			g_string_append_printf(out, ", %s", a);
	}
	return out != NULL ? g_string_free(out, FALSE) : NULL;
}

static gboolean
df_skip_pip(const char *a)
{
	return strstr(a, "==") || strstr(a, ">=") || strstr(a, "~=") || strstr(a, "<=") || strstr(a, "://") ||
	       g_str_has_suffix(a, ".whl") || g_str_has_suffix(a, ".txt") || g_str_has_suffix(a, ".tar.gz") ||
	       strcmp(a, "install") == 0;
}

static gboolean
df_skip_apt(const char *a)
{
	return g_str_has_suffix(a, ".deb") || strcmp(a, "install") == 0;
}

static gboolean
df_skip_npm(const char *a)
{
	/* @scope/pkg@1.2 is pinned; a bare @scope/pkg is not */
	const char *at = strrchr(a, '@');
	return (at != NULL && at != a) || strstr(a, "://") || strcmp(a, "install") == 0 || strcmp(a, "i") == 0;
}

static gboolean
df_skip_word_install(const char *a)
{
	return strcmp(a, "install") == 0 || strcmp(a, "add") == 0;
}

/* @cmd is one simple command of a RUN in the final stage or not. */
static void
df_check_command(DfLint *l, const HullInstruction *insn, char **cmd, DfPkgState *st, gboolean final_stage)
{
	guint s = df_cmd_start(cmd);
	const char *prog = cmd[s] != NULL ? df_base(cmd[s]) : NULL;
	const char *sub = prog != NULL ? cmd[s + 1] : NULL;
	guint sub_i = s + 1;

	if (cmd[0] != NULL && strcmp(df_base(cmd[0]), "sudo") == 0)
		df_emit(l, "DF-0002", insn, "sudo in RUN: %s", cmd[s] != NULL ? cmd[s] : "");
	if (prog == NULL)
		return;
	/* skip options before the sub-command (apt-get -qq install) */
	while (sub != NULL && sub[0] == '-') {
		sub = cmd[++sub_i];
	}
	if (strcmp(prog, "cd") == 0)
		df_emit(l, "DF-0019", insn, "RUN cd %s: use WORKDIR", cmd[s + 1] != NULL ? cmd[s + 1] : "");
	if (strcmp(prog, "chmod") == 0) {
		for (guint i = s + 1; cmd[i] != NULL; i++) {
			const char *m = cmd[i];
			if (strcmp(m, "777") == 0 || strcmp(m, "0777") == 0 || strcmp(m, "a+rwx") == 0 ||
			    strcmp(m, "ugo+rwx") == 0 || strcmp(m, "o+w") == 0 || strcmp(m, "a+w") == 0) {
				df_emit(l, "DF-0018", insn, "chmod %s makes files world-writable", m);
				break;
			}
		}
	}
	if (sub == NULL)
		return;
	gboolean apt = strcmp(prog, "apt-get") == 0 || strcmp(prog, "apt") == 0;
	if ((apt || strcmp(prog, "apk") == 0 || strcmp(prog, "yum") == 0 || strcmp(prog, "dnf") == 0 ||
	     strcmp(prog, "zypper") == 0) &&
	    (strcmp(sub, "update") == 0 || strcmp(sub, "refresh") == 0 || strcmp(sub, "ref") == 0 ||
	     (strcmp(prog, "yum") == 0 && strcmp(sub, "makecache") == 0)))
		st->update = TRUE;
	if (apt && strcmp(sub, "install") == 0) {
		static const char *const yes[] = { "--yes", "--assume-yes", "-qq", NULL };
		st->install = st->apt_install = TRUE;
		if (!df_has_word(cmd, s, "--no-install-recommends") && !df_has_prefix_word(cmd, s, "-o=APT::Install-Recommends=false"))
			df_emit(l, "DF-0013", insn, "%s install without --no-install-recommends", prog);
		if (!df_has_flag(cmd, s + 1, 'y', yes))
			df_emit(l, "DF-0014", insn, "%s install without -y", prog);
		g_autofree gchar *up = df_unpinned(cmd, sub_i + 1, "=", df_skip_apt);
		if (up != NULL)
			df_emit(l, "DF-0016", insn, "apt packages without a version (pkg=version): %s", up);
	}
	if ((apt && (strcmp(sub, "clean") == 0)) ||
	    (strcmp(prog, "rm") == 0 && df_has_prefix_word(cmd, s, "/var/lib/apt/lists")))
		st->apt_clean = TRUE;
	if (strcmp(prog, "apk") == 0 && strcmp(sub, "add") == 0) {
		st->install = TRUE;
		if (!df_has_word(cmd, s, "--no-cache") && final_stage)
			df_emit(l, "DF-0015", insn, "apk add without --no-cache");
		g_autofree gchar *up = df_unpinned(cmd, sub_i + 1, "=", df_skip_word_install);
		if (up != NULL)
			df_emit(l, "DF-0016", insn, "apk packages without a version (pkg=version): %s", up);
	}
	gboolean yum = strcmp(prog, "yum") == 0, dnf = strcmp(prog, "dnf") == 0 || strcmp(prog, "microdnf") == 0;
	if ((yum || dnf) && (strcmp(sub, "install") == 0 || strcmp(sub, "groupinstall") == 0)) {
		static const char *const yes[] = { "--assumeyes", NULL };
		st->install = TRUE;
		if (yum)
			st->yum_install = TRUE;
		else
			st->dnf_install = TRUE;
		if (strcmp(prog, "microdnf") != 0 && !df_has_flag(cmd, s + 1, 'y', yes))
			df_emit(l, "DF-0014", insn, "%s install without -y", prog);
	}
	if ((yum || dnf) && strcmp(sub, "clean") == 0)
		(yum ? (st->yum_clean = TRUE) : (st->dnf_clean = TRUE));
	if (strcmp(prog, "rm") == 0 && (df_has_prefix_word(cmd, s, "/var/cache/yum") || df_has_prefix_word(cmd, s, "/var/cache/dnf")))
		st->yum_clean = st->dnf_clean = TRUE;
	if (strcmp(prog, "zypper") == 0 && (strcmp(sub, "install") == 0 || strcmp(sub, "in") == 0)) {
		static const char *const yes[] = { "--non-interactive", "--no-confirm", "-y", NULL };
		st->install = st->zypper_install = TRUE;
		if (!df_has_flag(cmd, s + 1, 'n', yes))
			df_emit(l, "DF-0014", insn, "zypper install without -n");
	}
	if (strcmp(prog, "zypper") == 0 && (strcmp(sub, "clean") == 0 || strcmp(sub, "cc") == 0))
		st->zypper_clean = TRUE;
	gboolean pip = g_str_has_prefix(prog, "pip") ||
	               ((g_str_has_prefix(prog, "python")) && strcmp(sub, "-m") == 0);
	if (pip && df_has_word(cmd, s, "install")) {
		guint from = s + 1;
		while (cmd[from] != NULL && strcmp(cmd[from], "install") != 0)
			from++;
		if (final_stage && !df_has_word(cmd, s, "--no-cache-dir"))
			df_emit(l, "DF-0015", insn, "pip install without --no-cache-dir");
		if (!df_has_word(cmd, s, "-r") && !df_has_word(cmd, s, "--requirement") && !df_has_word(cmd, s, "-e")) {
			g_autofree gchar *up = df_unpinned(cmd, from + 1, NULL, df_skip_pip);
			if (up != NULL)
				df_emit(l, "DF-0016", insn, "pip packages without a version (pkg==version): %s", up);
		}
	}
	if (strcmp(prog, "npm") == 0 && (strcmp(sub, "install") == 0 || strcmp(sub, "i") == 0 || strcmp(sub, "ci") == 0)) {
		st->npm_install = TRUE;
		g_autofree gchar *up = df_unpinned(cmd, sub_i + 1, NULL, df_skip_npm);
		if (up != NULL)
			df_emit(l, "DF-0016", insn, "npm packages without a version (pkg@version): %s", up);
	}
	if (strcmp(prog, "npm") == 0 && strcmp(sub, "cache") == 0)
		st->npm_clean = TRUE;
	if (strcmp(prog, "gem") == 0 && strcmp(sub, "install") == 0 && !df_has_word(cmd, s, "-v") &&
	    !df_has_prefix_word(cmd, s, "--version")) {
		g_autofree gchar *up = df_unpinned(cmd, sub_i + 1, ":", df_skip_word_install);
		if (up != NULL)
			df_emit(l, "DF-0016", insn, "gems without a version (gem install pkg -v version): %s", up);
	}
	if (strcmp(prog, "go") == 0 && strcmp(sub, "install") == 0) {
		for (guint i = sub_i + 1; cmd[i] != NULL; i++) {
			const char *a = cmd[i];
			if (a[0] == '-' || a[0] == '.')
				continue;
			const char *at = strrchr(a, '@');
			if (at == NULL || strcmp(at, "@latest") == 0)
				df_emit(l, "DF-0016", insn, "go install without a pinned version: %s", a);
		}
	}
}

static gboolean
df_stage_pipefail(DfLint *l, int stage, guint upto)
{
	gboolean on = FALSE;

	for (guint i = 0; i < upto; i++) {
		const HullInstruction *in = hull_dockerfile_get_instruction(l->df, i);
		if (hull_instruction_get_stage(in) != stage || strcmp(hull_instruction_get_keyword(in), "SHELL") != 0)
			continue;
		on = FALSE;
		const char *const *a = hull_instruction_get_args(in);
		for (guint j = 0; a[j] != NULL; j++)
			if (strcmp(a[j], "pipefail") == 0 || strstr(a[j], "pipefail") != NULL)
				on = TRUE;
		/* a non-POSIX shell (pwsh, cmd) has no pipefail to set */
		if (a[0] != NULL && (strstr(a[0], "pwsh") || strstr(a[0], "powershell") || strstr(a[0], "cmd")))
			on = TRUE;
	}
	return on;
}

static void
df_check_run(DfLint *l, const HullInstruction *insn, guint index, gboolean final_stage)
{
	const char *const *args = hull_instruction_get_args(insn);
	const char *const *heredocs = hull_instruction_get_heredocs(insn);
	g_autofree gchar *script = NULL;
	gboolean has_pipe = FALSE;
	DfPkgState st = { 0 };

	if (hull_instruction_is_json_form(insn)) {
		/* ["sh", "-c", "script"] is a script; otherwise a plain argv */
		guint n = g_strv_length((gchar **)args);
		if (n >= 3 && strcmp(args[n - 2], "-c") == 0)
			script = g_strdup(args[n - 1]);
		else
			script = g_strjoinv(" ", (gchar **)args);
	} else {
		script = g_strjoinv(" ", (gchar **)args);
	}
	GString *all = g_string_new(script);
	for (guint i = 0; heredocs[i] != NULL; i++) {
		g_string_append_c(all, '\n');
		g_string_append(all, heredocs[i]);
	}
	if (g_regex_match(l->p->re_pipe_sh, all->str, 0, NULL))
		df_emit(l, "DF-0007", insn, "a downloaded script is piped into a shell");
	g_autoptr(GPtrArray) cmds = df_commands(all->str, &has_pipe);
	for (guint i = 0; i < cmds->len; i++)
		df_check_command(l, insn, cmds->pdata[i], &st, final_stage);
	if (st.update && !st.install)
		df_emit(l, "DF-0012", insn, "package index updated without installing in the same RUN");
	if (final_stage) {
		if (st.apt_install && !st.apt_clean)
			df_emit(l, "DF-0015", insn, "apt lists not removed (rm -rf /var/lib/apt/lists/*)");
		if (st.yum_install && !st.yum_clean)
			df_emit(l, "DF-0015", insn, "yum install without yum clean all");
		if (st.dnf_install && !st.dnf_clean)
			df_emit(l, "DF-0015", insn, "dnf install without dnf clean all");
		if (st.zypper_install && !st.zypper_clean)
			df_emit(l, "DF-0015", insn, "zypper install without zypper clean");
		if (st.npm_install && !st.npm_clean)
			df_emit(l, "DF-0015", insn, "npm install without npm cache clean --force");
	}
	if (has_pipe && !hull_instruction_is_json_form(insn) && strstr(all->str, "pipefail") == NULL &&
	    !df_stage_pipefail(l, hull_instruction_get_stage(insn), index))
		df_emit(l, "DF-0027", insn, "a pipe's failure is hidden without set -o pipefail");
	g_string_free(all, TRUE);
}

/* ---- other instructions ---- */

static gboolean
df_is_root(const char *user)
{
	g_autofree gchar *u = g_strndup(user, strcspn(user, ":"));
	return strcmp(u, "root") == 0 || strcmp(u, "0") == 0;
}

static void
df_check_secret_pair(DfLint *l, const HullInstruction *insn, const char *kw, const char *name, const char *value)
{
	gboolean by_name = hull_df_secret_name(l->p, name);
	gboolean by_value = hull_df_secret_value(l->p, value);

	if (!by_name && !by_value)
		return;
	/* ENV X=$SECRET_FROM_ARG moves no literal; ARG TOKEN without default still lands in history */
	if (strcmp(kw, "ENV") == 0 && by_name && !by_value && (value == NULL || *value == '\0'))
		return;
	const HullRule *rule = hull_df_rule("DF-0005");
	guint line = hull_instruction_get_start_line(insn);
	if (hull_df_pragmas_ignore(l->pragmas, line, rule) || !hull_plugin_ctx_rule_enabled(l->p->ctx, "DF-0005"))
		return;
	HullFinding *f = hull_finding_new(l->p->ctx, "DF-0005");
	hull_finding_set_message(f, "%s %s %s", kw, name, by_value ? "holds a secret-shaped value" : "looks like a secret");
	if (l->history) {
		hull_finding_set_object(f, "image-history");
		if (hull_instruction_get_layer(insn) >= 0)
			hull_finding_set_layer(f, hull_instruction_get_layer(insn));
	} else {
		hull_finding_set_path(f, hull_dockerfile_get_path(l->df));
		hull_finding_set_layer(f, hull_dockerfile_get_layer(l->df));
	}
	hull_finding_set_line(f, line);
	if (value != NULL && *value != '\0')
		hull_finding_set_secret(f, value, -1);
	else
		hull_finding_set_fingerprint_data(f, name);
	hull_bus_emit(hull_scan_get_bus(l->scan), f);
}

static gboolean
df_kernel_path(const char *p)
{
	static const char *const k[] = { "/proc", "/sys", "/dev", NULL };

	for (guint i = 0; k[i] != NULL; i++) {
		gsize n = strlen(k[i]);
		if (strncmp(p, k[i], n) == 0 && (p[n] == '\0' || p[n] == '/'))
			return TRUE;
	}
	return FALSE;
}

static gboolean
df_is_secret_file(const char *src)
{
	static const char *const globs[] = {
		"id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*", "*.pem", "*.key", "*.p12", "*.pfx", ".env",
		".env.*", "credentials", "credentials.json", ".npmrc", ".pypirc", ".netrc", ".git-credentials",
		".aws", ".ssh", ".docker", "config.json", "kubeconfig", ".htpasswd", "*.keystore", "*.jks", NULL,
	};
	g_autofree gchar *s = g_strdup(src);
	gsize n = strlen(s);

	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	const char *b = df_base(s);
	if (strcmp(b, "config.json") == 0)
		return strstr(s, ".docker/") != NULL;
	for (guint i = 0; globs[i] != NULL; i++)
		if (g_pattern_match_simple(globs[i], b))
			return TRUE;
	return strstr(s, ".ssh/") != NULL || strstr(s, ".aws/") != NULL;
}

static void
df_check_from(DfLint *l, const HullInstruction *insn, GPtrArray *seen_names)
{
	const char *const *a = hull_instruction_get_args(insn);
	const char *image = a[0];

	if (image == NULL)
		return;
	if (a[1] != NULL && a[2] != NULL && g_ascii_strcasecmp(a[1], "AS") == 0) {
		g_autofree gchar *name = g_ascii_strdown(a[2], -1);
		if (strcmp(name, "scratch") == 0 || strcmp(name, "context") == 0)
			df_emit(l, "DF-0024", insn, "stage name %s is reserved", name);
		else if (g_ptr_array_find_with_equal_func(seen_names, name, g_str_equal, NULL))
			df_emit(l, "DF-0024", insn, "stage name %s is used twice", name);
	}
	if (l->history || g_ascii_strcasecmp(image, "scratch") == 0 || strchr(image, '$') != NULL)
		return;
	g_autofree gchar *lower = g_ascii_strdown(image, -1);
	if (g_ptr_array_find_with_equal_func(seen_names, lower, g_str_equal, NULL))
		return; /* FROM an earlier stage */
	if (strchr(image, '@') == NULL) {
		const char *slash = strrchr(image, '/');
		const char *last = slash != NULL ? slash + 1 : image;
		const char *colon = strchr(last, ':');
		if (colon == NULL)
			df_emit(l, "DF-0010", insn, "base image %s has no tag", image);
		else if (strcmp(colon + 1, "latest") == 0)
			df_emit(l, "DF-0010", insn, "base image %s uses :latest", image);
	}
	if (l->p->trusted_registries != NULL) {
		const char *slash = strchr(image, '/');
		g_autofree gchar *reg = NULL;
		if (slash != NULL) {
			g_autofree gchar *first = g_strndup(image, (gsize)(slash - image));
			if (strchr(first, '.') != NULL || strchr(first, ':') != NULL || strcmp(first, "localhost") == 0)
				reg = g_steal_pointer(&first);
		}
		if (reg == NULL)
			reg = g_strdup("docker.io");
		gboolean ok = FALSE;
		for (guint i = 0; l->p->trusted_registries[i] != NULL; i++)
			if (g_ascii_strcasecmp(g_strstrip(l->p->trusted_registries[i]), reg) == 0)
				ok = TRUE;
		if (!ok)
			df_emit(l, "DF-0011", insn, "base image %s comes from registry %s", image, reg);
	}
}

static void
df_check_copy_from(DfLint *l, const HullInstruction *insn, int stage)
{
	const char *from = hull_instruction_get_flag(insn, "from");
	char *end;

	if (from == NULL || *from == '\0' || strchr(from, '$') != NULL)
		return;
	guint64 idx = g_ascii_strtoull(from, &end, 10);
	if (*end == '\0') {
		if ((int)idx == stage)
			df_emit(l, "DF-0025", insn, "COPY --from=%s refers to its own stage", from);
		else if (idx > (guint64)stage)
			df_emit(l, "DF-0025", insn, "COPY --from=%s refers to a stage not defined yet", from);
		return;
	}
	g_autofree gchar *name = g_ascii_strdown(from, -1);
	for (int s = 0; s <= stage && s < (int)hull_dockerfile_get_n_stages(l->df); s++) {
		if (g_strcmp0(hull_dockerfile_get_stage_name(l->df, (guint)s), name) != 0)
			continue;
		if (s == stage)
			df_emit(l, "DF-0025", insn, "COPY --from=%s refers to its own stage", from);
		return;
	}
	/* an image reference is fine; a bare name that is no earlier stage is a typo */
	if (strchr(from, ':') == NULL && strchr(from, '/') == NULL && strchr(from, '@') == NULL)
		df_emit(l, "DF-0025", insn, "COPY --from=%s names no earlier stage", from);
}

static void
df_check_insn(DfLint *l, const HullInstruction *insn, guint index, gboolean in_onbuild)
{
	const char *kw = hull_instruction_get_keyword(insn);
	const char *const *a = hull_instruction_get_args(insn);
	int stage = hull_instruction_get_stage(insn);
	gboolean final_stage = stage == l->final_stage && !in_onbuild;

	if (strcmp(kw, "RUN") == 0) {
		df_check_run(l, insn, index, final_stage);
	} else if (strcmp(kw, "ADD") == 0) {
		guint n = g_strv_length((gchar **)a);
		for (guint i = 0; i + 1 < n; i++) {
			const char *src = a[i];
			if (g_str_has_prefix(src, "http://") || g_str_has_prefix(src, "https://") ||
			    g_str_has_prefix(src, "git@") || g_str_has_prefix(src, "ftp://")) {
				if (hull_instruction_get_flag(insn, "checksum") == NULL)
					df_emit(l, "DF-0004", insn, "ADD fetches %s", src);
			} else if (!g_str_has_prefix(src, "file:") && !g_str_has_prefix(src, "dir:") &&
			           !g_str_has_prefix(src, "multi:") &&
			           !(g_str_has_suffix(src, ".tar") || g_str_has_suffix(src, ".tar.gz") ||
			             g_str_has_suffix(src, ".tgz") || g_str_has_suffix(src, ".tar.bz2") ||
			             g_str_has_suffix(src, ".tar.xz") || g_str_has_suffix(src, ".txz") ||
			             g_str_has_suffix(src, ".tar.zst") || g_str_has_suffix(src, ".tbz2"))) {
				df_emit(l, "DF-0003", insn, "ADD %s: use COPY for local files", src);
			}
			if (df_is_secret_file(src))
				df_emit(l, "DF-0006", insn, "%s copied into the image", src);
		}
	} else if (strcmp(kw, "COPY") == 0) {
		guint n = g_strv_length((gchar **)a);
		if (hull_instruction_get_flag(insn, "from") == NULL)
			for (guint i = 0; i + 1 < n; i++)
				if (df_is_secret_file(a[i]))
					df_emit(l, "DF-0006", insn, "%s copied into the image", a[i]);
		if (!in_onbuild)
			df_check_copy_from(l, insn, stage);
	} else if (strcmp(kw, "ARG") == 0) {
		for (guint i = 0; a[i] != NULL; i++) {
			const char *eq = strchr(a[i], '=');
			g_autofree gchar *name = eq != NULL ? g_strndup(a[i], (gsize)(eq - a[i])) : g_strdup(a[i]);
			df_check_secret_pair(l, insn, "ARG", name, eq != NULL ? eq + 1 : NULL);
		}
	} else if (strcmp(kw, "ENV") == 0) {
		for (guint i = 0; a[i] != NULL && a[i + 1] != NULL; i += 2)
			df_check_secret_pair(l, insn, "ENV", a[i], a[i + 1]);
	} else if (strcmp(kw, "EXPOSE") == 0) {
		for (guint i = 0; a[i] != NULL; i++) {
			g_auto(GStrv) range = g_strsplit(a[i], "/", 2);
			g_auto(GStrv) ends = g_strsplit(range[0], "-", 2);
			for (guint j = 0; ends[j] != NULL; j++) {
				char *e;
				if (*ends[j] == '\0' || !g_ascii_isdigit(*ends[j]))
					continue;
				guint64 port = g_ascii_strtoull(ends[j], &e, 10);
				if (*e != '\0')
					continue;
				if (port > 65535)
					df_emit(l, "DF-0009", insn, "port %s is out of range", ends[j]);
				else if (port == 22 && (j == 0 || ends[1] == NULL))
					df_emit(l, "DF-0008", insn, "EXPOSE %s", a[i]);
			}
		}
	} else if (strcmp(kw, "WORKDIR") == 0 && a[0] != NULL) {
		const char *w = a[0];
		if (df_kernel_path(w))
			df_emit(l, "DF-0021", insn, "WORKDIR %s", w);
		else if (w[0] != '/' && strchr(hull_instruction_get_original(insn), '$') == NULL &&
		         !(g_ascii_isalpha(w[0]) && w[1] == ':'))
			df_emit(l, "DF-0020", insn, "WORKDIR %s is relative", w);
	} else if (strcmp(kw, "VOLUME") == 0) {
		for (guint i = 0; a[i] != NULL; i++)
			if (df_kernel_path(a[i]))
				df_emit(l, "DF-0021", insn, "VOLUME %s", a[i]);
	} else if ((strcmp(kw, "CMD") == 0 || strcmp(kw, "ENTRYPOINT") == 0) && a[0] != NULL &&
	           !hull_instruction_is_json_form(insn) && !l->history) {
		df_emit(l, "DF-0022", insn, "%s in shell form", kw);
	} else if (strcmp(kw, "MAINTAINER") == 0) {
		df_emit(l, "DF-0026", insn, "MAINTAINER %s", a[0] != NULL ? a[0] : "");
	} else if (strcmp(kw, "ONBUILD") == 0 && hull_instruction_get_onbuild(insn) != NULL) {
		const HullInstruction *sub = hull_instruction_get_onbuild(insn);
		if (strcmp(hull_instruction_get_keyword(sub), "RUN") == 0) {
			/* heredocs of ONBUILD RUN <<X are attached to the ONBUILD instruction */
			const char *const *h = hull_instruction_get_heredocs(insn);
			if (h[0] != NULL) {
				GString *s = g_string_new(NULL);
				for (guint i = 0; h[i] != NULL; i++)
					g_string_append(s, h[i]);
				g_autoptr(GPtrArray) cmds = df_commands(s->str, NULL);
				DfPkgState st = { 0 };
				if (g_regex_match(l->p->re_pipe_sh, s->str, 0, NULL))
					df_emit(l, "DF-0007", insn, "a downloaded script is piped into a shell");
				for (guint i = 0; i < cmds->len; i++)
					df_check_command(l, insn, cmds->pdata[i], &st, FALSE);
				g_string_free(s, TRUE);
			}
		}
		df_check_insn(l, sub, index, TRUE);
	}
}

void
hull_df_lint(HullDfPlugin *p, HullScan *scan, HullDockerfile *df)
{
	DfLint l = { p, scan, df, NULL, FALSE, -1 };
	guint n = hull_dockerfile_get_n_instructions(df);
	guint n_stages = hull_dockerfile_get_n_stages(df);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const HullInstruction *last_user = NULL, *final_from = NULL;
	gboolean healthcheck = FALSE;
	int counts_stage = -2;
	guint n_cmd = 0, n_ep = 0, n_hc = 0;

	l.history = g_strcmp0(hull_dockerfile_get_path(df), "image-history") == 0;
	g_mutex_lock(&p->lock);
	if (p->pragmas != NULL)
		l.pragmas = g_hash_table_lookup(p->pragmas, hull_dockerfile_get_path(df));
	g_mutex_unlock(&p->lock);
	if (hull_dockerfile_get_error(df) != NULL)
		hull_scan_add_note(scan, p->ctx, "%s", hull_dockerfile_get_error(df));
	l.final_stage = (int)n_stages - 1;
	for (guint i = 0; i < n; i++) {
		const HullInstruction *insn = hull_dockerfile_get_instruction(df, i);
		const char *kw = hull_instruction_get_keyword(insn);
		int stage = hull_instruction_get_stage(insn);

		if (strcmp(kw, "FROM") == 0) {
			df_check_from(&l, insn, names);
			const char *const *a = hull_instruction_get_args(insn);
			if (a[0] != NULL && a[1] != NULL && a[2] != NULL && g_ascii_strcasecmp(a[1], "AS") == 0)
				g_ptr_array_add(names, g_ascii_strdown(a[2], -1));
			if (stage == l.final_stage)
				final_from = insn;
			continue;
		}
		if (stage != counts_stage) {
			counts_stage = stage;
			n_cmd = n_ep = n_hc = 0;
		}
		if (strcmp(kw, "CMD") == 0 && ++n_cmd == 2)
			df_emit(&l, "DF-0023", insn, "several CMD in one stage: only the last takes effect");
		if (strcmp(kw, "ENTRYPOINT") == 0 && ++n_ep == 2)
			df_emit(&l, "DF-0023", insn, "several ENTRYPOINT in one stage: only the last takes effect");
		if (strcmp(kw, "HEALTHCHECK") == 0 && ++n_hc == 2)
			df_emit(&l, "DF-0023", insn, "several HEALTHCHECK in one stage: only the last takes effect");
		if (stage == l.final_stage && strcmp(kw, "USER") == 0)
			last_user = insn;
		if (stage == l.final_stage && strcmp(kw, "HEALTHCHECK") == 0)
			healthcheck = TRUE;
		if (strcmp(kw, "RUN") == 0 && i > 0) {
			const HullInstruction *prev = hull_dockerfile_get_instruction(df, i - 1);
			if (strcmp(hull_instruction_get_keyword(prev), "RUN") == 0 && hull_instruction_get_stage(prev) == stage &&
			    hull_instruction_get_flags(prev)[0] == NULL && hull_instruction_get_flags(insn)[0] == NULL)
				df_emit(&l, "DF-0028", insn, "RUN follows RUN: merge them into one layer");
		}
		df_check_insn(&l, insn, i, FALSE);
	}
	if (l.history || final_from == NULL)
		return;
	if (last_user == NULL)
		df_emit(&l, "DF-0001", final_from, "the final stage sets no USER: the container runs as root");
	else if (hull_instruction_get_args(last_user)[0] != NULL && df_is_root(hull_instruction_get_args(last_user)[0]))
		df_emit(&l, "DF-0001", last_user, "the final stage's last USER is %s", hull_instruction_get_args(last_user)[0]);
	if (!healthcheck)
		df_emit(&l, "DF-0017", final_from, "the final stage has no HEALTHCHECK");
}
