/* hull-dockerfile-history.c: rebuilds a Dockerfile from an image's history[].created_by so
 * the instruction rules can run on images too. Understands the legacy builder's
 * "/bin/sh -c #(nop) CMD …" and "/bin/sh -c cmd" (RUN) forms, "|N K=V … /bin/sh -c" build-arg
 * prefixes, and BuildKit's "RUN /bin/sh -c … # buildkit" form; every instruction carries the
 * layer its history entry produced (or -1 for metadata-only entries). */
#include "hull-dockerfile.h"

#include <string.h>

static const char *const df_keywords[] = {
	"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
	"MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR", NULL,
};

static gboolean
df_is_keyword(const char *s, gsize n)
{
	for (guint i = 0; df_keywords[i] != NULL; i++)
		if (strlen(df_keywords[i]) == n && g_ascii_strncasecmp(df_keywords[i], s, n) == 0)
			return TRUE;
	return FALSE;
}

/* Skips "|N a=b c=d " (the legacy builder's record of build args used by a RUN). */
static const char *
df_skip_arg_prefix(const char *s)
{
	char *end;
	guint64 n;

	if (*s != '|')
		return s;
	n = g_ascii_strtoull(s + 1, &end, 10);
	if (end == s + 1 || n > 4096)
		return s;
	s = end;
	for (guint64 i = 0; i < n; i++) {
		while (*s == ' ')
			s++;
		while (*s && *s != ' ')
			s++;
	}
	while (*s == ' ')
		s++;
	return s;
}

/* "EXPOSE map[22/tcp:{} 80/tcp:{}]" -> "EXPOSE 22/tcp 80/tcp" */
static gchar *
df_fix_expose(const char *line)
{
	const char *m = strstr(line, "map[");
	GString *out;

	if (m == NULL)
		return g_strdup(line);
	out = g_string_new("EXPOSE");
	for (const char *p = m + 4; *p && *p != ']';) {
		while (*p == ' ')
			p++;
		const char *s = p;
		while (*p && *p != ':' && *p != ' ' && *p != ']')
			p++;
		if (p > s)
			g_string_append_printf(out, " %.*s", (int)(p - s), s);
		while (*p && *p != ' ' && *p != ']')
			p++;
	}
	return g_string_free(out, FALSE);
}

/* The instruction text for one created_by, or NULL when it carries none. (transfer full) */
static gchar *
df_history_line(const char *created_by)
{
	g_autofree gchar *cb = g_strstrip(g_strdup(created_by));
	const char *s = cb;
	gsize n = strlen(cb);

	if (n >= 10 && g_str_has_suffix(cb, "# buildkit")) {
		cb[n - 10] = '\0';
		g_strchomp(cb);
	}
	s = df_skip_arg_prefix(s);
	if (g_str_has_prefix(s, "/bin/sh -c #(nop)")) {
		s += strlen("/bin/sh -c #(nop)");
		while (*s == ' ')
			s++;
	} else if (g_str_has_prefix(s, "/bin/sh -c ")) {
		return g_strconcat("RUN ", s + strlen("/bin/sh -c "), NULL);
	} else if (g_str_has_prefix(s, "cmd /S /C ")) {
		return g_strconcat("RUN ", s + strlen("cmd /S /C "), NULL);
	}
	const char *w = s;
	while (*w && *w != ' ' && *w != '\t')
		w++;
	if (!df_is_keyword(s, (gsize)(w - s)))
		return NULL;
	if (g_ascii_strncasecmp(s, "RUN", 3) == 0 && (s[3] == ' ' || s[3] == '\t')) {
		const char *r = s + 4;
		while (*r == ' ')
			r++;
		r = df_skip_arg_prefix(r);
		if (g_str_has_prefix(r, "/bin/sh -c "))
			r += strlen("/bin/sh -c ");
		return g_strconcat("RUN ", r, NULL);
	}
	if (g_ascii_strncasecmp(s, "EXPOSE", 6) == 0)
		return df_fix_expose(s);
	if (g_ascii_strncasecmp(s, "ADD ", 4) == 0 || g_ascii_strncasecmp(s, "COPY ", 5) == 0) {
		/* legacy "ADD file:<sha> in /dst": the context is gone, keep "ADD file:<sha> /dst" */
		const char *in = strstr(s, " in ");
		const char *src = strchr(s, ' ') + 1;
		if (in != NULL && (g_str_has_prefix(src, "file:") || g_str_has_prefix(src, "dir:") ||
		                   g_str_has_prefix(src, "multi:")))
			return g_strdup_printf("%.*s%s", (int)(in - s), s, in + 3);
	}
	return g_strdup(s);
}

HullDockerfile *
hull_dockerfile_from_history(HullImage *image)
{
	HullDockerfile *df = hull_dockerfile_new("image-history", -1);
	guint n;

	g_return_val_if_fail(image != NULL, df);
	n = hull_image_get_n_history(image);
	/* The history has no FROM: the whole image is one stage built on an unknown base. */
	HullInstruction *from = hull_dockerfile_node_from_line("FROM scratch", '\\', NULL);
	g_ptr_array_add(df->insns, from);
	for (guint i = 0; i < n; i++) {
		const char *cb = hull_image_get_history_created_by(image, i);
		if (cb == NULL)
			continue;
		g_autofree gchar *line = df_history_line(cb);
		if (line == NULL || g_str_has_prefix(line, "FROM"))
			continue;
		g_autoptr(GError) error = NULL;
		HullInstruction *insn = hull_dockerfile_node_from_line(line, '\\', &error);
		if (insn == NULL)
			continue;
		insn->start_line = insn->end_line = i + 1;
		insn->layer = hull_image_get_history_layer(image, i);
		g_ptr_array_add(df->insns, insn);
	}
	hull_dockerfile_resolve(df, NULL);
	return df;
}
