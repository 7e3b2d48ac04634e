/* hull-secrets-plugin.c: the secrets plugin: loads the rules (configs/secrets/rules.json plus
 * in-house files from --config), compiles the engine once per process, and feeds it every
 * regular file of the image (deleted ones too, by default), the image config as pseudo-files,
 * turning matches into findings with masked evidence. Callbacks run on several threads: all
 * per-file state lives in HullSecretsFile, the shared state is read-only after init except
 * the atomic counters. */
#include <string.h>

#include <hullscan/hullscan.h>

#include "hull-secrets-engine.h"
#include "hull-secrets-plugin.h"

#define HULL_SECRETS_DEFAULT_MAX_SIZE (10 * 1024 * 1024)
#define HULL_SECRETS_SNIFF 8192

/* Documentation, package-manager metadata and runtimes' own test fixtures: full of example
 * keys that are not anybody's credentials. */
static const char *const hull_secrets_builtin_allow[] = {
	"/usr/share/doc/*",
	"/usr/share/man/*",
	"/usr/share/info/*",
	"/usr/share/locale/*",
	"/usr/share/i18n/*",
	"/usr/share/zoneinfo/*",
	"/usr/share/common-licenses/*",
	"/var/lib/apt/lists/*",
	"/var/lib/dpkg/*",
	"/var/cache/apt/*",
	"/var/cache/debconf/*",
	"/var/lib/rpm/*",
	"/lib/apk/db/*",
	"*.dist-info/*",
	"*.egg-info/*",
	"/usr/lib/python3*/test/*",
	"*/dist-packages/*/tests/*",
	"*/site-packages/*/tests/*",
	"*/node_modules/*/test/*",
	"*/node_modules/*/tests/*",
	"*/go/src/*/testdata/*",
	"*/go/src/crypto/*",
	"*/go/pkg/mod/*/testdata/*",
	"/usr/share/perl/*/t/*",
	"/usr/lib/ruby/*/test/*",
	NULL,
};

static const HullRule hull_secrets_static_rules[] = {
	{
		.id = "SEC-SSH-HOST-KEY",
		.severity = HULL_SEVERITY_HIGH,
		.title = "SSH host private key baked into the image",
		.aliases = (const char *const[]){ "ssh-host-key", NULL },
		.references = (const char *const[]){ "https://www.rfc-editor.org/rfc/rfc4251#section-4.1", NULL },
		.remediation = "Generate host keys when the container first starts (ssh-keygen -A) and remove "
		               "/etc/ssh/ssh_host_*_key from the image: every container of it shares the key.",
		.description = "A host key in an image is shared by every container started from it, so one "
		               "leak lets an attacker impersonate all of them.",
	},
};

typedef struct {
	HullPluginCtx *ctx;
	HullSecretsEngine *engine;
	HullSecretsGlobs *allow_specs;
	guint64 max_size;
	gboolean scan_deleted;
	gint n_too_big;
	gint n_binary;
} HullSecretsState;

typedef struct {
	HullSecretsState *st;
	HullScan *scan;
	const HullFile *file;       /* NULL for a pseudo-file */
	const char *path;
	HullSecretsStream *stream;
	gboolean sniffed;
	gboolean skip;
	gboolean host_key;          /* /etc/ssh/ssh_host_*_key */
	gboolean utf16;             /* transcoding UTF-16LE/BE to bytes */
	gboolean utf16_be;
	gint carry;                 /* pending UTF-16 byte, or -1 */
	GArray *line_layers;        /* pseudo-files: layer of each line, or NULL */
} HullSecretsFile;

static gboolean
hull_secrets_is_host_key(const char *path)
{
	return g_str_has_prefix(path, "/etc/ssh/ssh_host_") && g_str_has_suffix(path, "_key");
}

static void
hull_secrets_emit(const HullSecretsMatch *m, gpointer user_data)
{
	HullSecretsFile *f = user_data;
	const HullSecretsRule *rule = m->rule;
	const char *rule_id = rule->id;

	if (f->host_key && g_strcmp0(rule->kind, "private-key") == 0)
		rule_id = "SEC-SSH-HOST-KEY";
	if (!hull_plugin_ctx_rule_enabled(f->st->ctx, rule_id))
		return;
	g_autoptr(HullFinding) finding = hull_finding_new(f->st->ctx, rule_id);
	hull_finding_set_path(finding, f->path);
	hull_finding_set_line(finding, m->line);
	hull_finding_set_column(finding, m->column);
	int layer = f->file != NULL ? hull_file_get_layer(f->file) : -1;
	int deleted = f->file != NULL ? hull_file_get_deleted_in(f->file) : -1;
	if (f->line_layers != NULL && m->line >= 1 && m->line <= f->line_layers->len)
		layer = g_array_index(f->line_layers, int, m->line - 1);
	hull_finding_set_layer(finding, layer);
	const char *what = rule_id == rule->id ? rule->title : "SSH host private key";
	if (deleted >= 0) {
		hull_finding_set_deleted_in(finding, deleted);
		hull_finding_set_message(finding, "%s in %s (deleted in layer %d: it still ships in the image)", what,
		                         f->path, deleted);
	} else {
		hull_finding_set_message(finding, "%s in %s", what, f->path);
	}
	hull_finding_set_secret(finding, m->secret, (gssize)m->secret_len);
	hull_bus_emit(hull_scan_get_bus(f->scan), g_steal_pointer(&finding));
}

static gboolean
hull_secrets_path_allowed(HullSecretsState *st, const char *path)
{
	return hull_secrets_globs_match(st->allow_specs, path, strlen(path));
}

static void
hull_secrets_state_free(gpointer data)
{
	HullSecretsState *st = data;

	if (st == NULL)
		return;
	hull_secrets_engine_free(st->engine);
	hull_secrets_globs_free(st->allow_specs);
	g_free(st);
}

static gboolean
hull_secrets_register(HullPluginCtx *ctx, const HullSecretsRule *rule, GError **error)
{
	HullRule r = {
		.id = rule->id,
		.severity = rule->severity,
		.title = rule->title,
		.aliases = (const char *const *)rule->aliases,
		.references = (const char *const *)rule->references,
		.remediation = rule->remediation != NULL ? rule->remediation
		                                         : "Revoke the credential, then remove it from every layer "
		                                           "of the image and pass it at run time instead.",
		.description = rule->description,
	};
	return hull_plugin_ctx_add_rule(ctx, &r, error);
}

gboolean
hull_secrets_load_all(HullPluginCtx *ctx, const char *builtin, GStrv extra, GStrv disabled, GPtrArray **rules_out,
                      HullSecretsGlobal **global_out, GError **error)
{
	g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func((GDestroyNotify)hull_secrets_rule_free);
	g_autoptr(HullSecretsGlobal) global = hull_secrets_global_new();

	if (builtin != NULL && !hull_secrets_rules_load_file(builtin, rules, global, error))
		return FALSE;
	for (guint i = 0; extra != NULL && extra[i] != NULL; i++) {
		g_autofree gchar *p = g_strstrip(g_strdup(extra[i]));
		if (*p != '\0' && ctx != NULL)
			hull_plugin_ctx_add_dependency(ctx, p); /* a cached result stands only while it is unchanged */
		if (*p != '\0' && !hull_secrets_rules_load_file(p, rules, global, error))
			return FALSE;
	}
	for (guint i = 0; i < rules->len;) {
		HullSecretsRule *rule = rules->pdata[i];
		gboolean off = disabled != NULL && g_strv_contains((const char *const *)disabled, rule->id);
		for (guint a = 0; !off && disabled != NULL && rule->aliases != NULL && rule->aliases[a] != NULL; a++)
			off = g_strv_contains((const char *const *)disabled, rule->aliases[a]);
		if (!off && ctx != NULL && !hull_plugin_ctx_rule_enabled(ctx, rule->id))
			off = TRUE;
		if (off)
			g_ptr_array_remove_index(rules, i);
		else
			i++;
	}
	*rules_out = g_steal_pointer(&rules);
	*global_out = g_steal_pointer(&global);
	return TRUE;
}

static gboolean
hull_secrets_init(HullPluginCtx *ctx, gpointer *state, GError **error)
{
	g_autofree gchar *builtin = hull_plugin_ctx_find_data(ctx, "secrets/rules.json");
	g_auto(GStrv) extra = hull_plugin_ctx_get_option_list(ctx, "rules");
	g_auto(GStrv) disabled = hull_plugin_ctx_get_option_list(ctx, "disable");
	g_auto(GStrv) allow = hull_plugin_ctx_get_option_list(ctx, "allow-paths");
	g_autoptr(GPtrArray) rules = NULL;
	HullSecretsGlobal *global = NULL;

	if (builtin == NULL && extra == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		            "secrets/rules.json not found (set HULLSCAN_DATA_DIR or install hullscan's data)");
		return FALSE;
	}
	if (disabled != NULL) {
		for (guint i = 0; disabled[i] != NULL; i++)
			g_strstrip(disabled[i]);
	}
	if (!hull_secrets_load_all(ctx, builtin, extra, disabled, &rules, &global, error))
		return FALSE;

	HullSecretsState *st = g_new0(HullSecretsState, 1);
	st->ctx = ctx;
	st->engine = hull_secrets_engine_new(rules, global, error);
	if (st->engine == NULL) {
		hull_secrets_state_free(st);
		return FALSE;
	}
	for (guint i = 0; i < rules->len; i++) {
		if (!hull_secrets_register(ctx, rules->pdata[i], error)) {
			hull_secrets_state_free(st);
			return FALSE;
		}
	}
	gint64 max = hull_plugin_ctx_get_option_int(ctx, "max-file-size", HULL_SECRETS_DEFAULT_MAX_SIZE);
	st->max_size = max > 0 ? (guint64)max : 0;
	st->scan_deleted = hull_plugin_ctx_get_option_bool(ctx, "scan-deleted", TRUE);
	st->allow_specs = hull_secrets_globs_new(NULL);
	if (hull_plugin_ctx_get_option_bool(ctx, "builtin-allow-paths", TRUE)) {
		for (guint i = 0; hull_secrets_builtin_allow[i] != NULL; i++)
			hull_secrets_globs_add(st->allow_specs, hull_secrets_builtin_allow[i]);
	}
	for (guint i = 0; allow != NULL && allow[i] != NULL; i++) {
		g_strstrip(allow[i]);
		if (*allow[i] != '\0')
			hull_secrets_globs_add(st->allow_specs, allow[i]);
	}
	*state = st;
	return TRUE;
}

static void
hull_secrets_destroy(gpointer state)
{
	hull_secrets_state_free(state);
}

static gboolean
hull_secrets_wants_file(gpointer state, const HullFile *file)
{
	HullSecretsState *st = state;

	if (hull_file_get_kind(file) != HULL_FILE_KIND_REGULAR)
		return FALSE;
	if (!st->scan_deleted && hull_file_get_deleted_in(file) >= 0)
		return FALSE;
	if (hull_secrets_path_allowed(st, hull_file_get_path(file)))
		return FALSE;
	if (st->max_size > 0 && hull_file_get_size(file) > st->max_size) {
		g_atomic_int_inc(&st->n_too_big);
		return FALSE;
	}
	return TRUE;
}

static gpointer
hull_secrets_file_begin(gpointer state, HullScan *scan, const HullFile *file)
{
	HullSecretsFile *f = g_new0(HullSecretsFile, 1);

	f->st = state;
	f->scan = scan;
	f->file = file;
	f->path = hull_file_get_path(file);
	f->host_key = hull_secrets_is_host_key(f->path);
	f->carry = -1;
	return f;
}

/* Text-in-binary exceptions: UTF-16 with a byte-order mark is text (Windows tools write
 * .env and .config files that way). Everything else with a NUL in its first 8 KiB is binary. */
static void
hull_secrets_sniff(HullSecretsFile *f, const guint8 *data, gsize len)
{
	f->sniffed = TRUE;
	if (len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff))) {
		f->utf16 = TRUE;
		f->utf16_be = data[0] == 0xfe;
		return;
	}
	if (memchr(data, 0, MIN(len, (gsize)HULL_SECRETS_SNIFF)) != NULL) {
		f->skip = TRUE;
		g_atomic_int_inc(&f->st->n_binary);
	}
}

/* UTF-16 to bytes: ASCII code units become their byte, others a '?', which is enough for
 * secrets (all rules match ASCII). */
static GByteArray *
hull_secrets_from_utf16(HullSecretsFile *f, const guint8 *data, gsize len)
{
	GByteArray *out = g_byte_array_sized_new((guint)(len / 2 + 1));
	gsize i = 0;

	if (f->carry >= 0 && len > 0) {
		guint8 pair[2] = { (guint8)f->carry, data[0] };
		guint unit = f->utf16_be ? (guint)(pair[0] << 8 | pair[1]) : (guint)(pair[1] << 8 | pair[0]);
		guint8 c = unit < 0x80 ? (guint8)unit : '?';
		g_byte_array_append(out, &c, 1);
		f->carry = -1;
		i = 1;
	}
	for (; i + 1 < len; i += 2) {
		guint unit = f->utf16_be ? (guint)(data[i] << 8 | data[i + 1]) : (guint)(data[i + 1] << 8 | data[i]);
		guint8 c = unit < 0x80 ? (guint8)unit : '?';
		if (unit == 0xfeff)
			continue;
		g_byte_array_append(out, &c, 1);
	}
	if (i < len)
		f->carry = data[i];
	return out;
}

static gboolean
hull_secrets_file_chunk(gpointer state, HullScan *scan, const HullFile *file, gpointer file_state,
                        const guint8 *data, gsize len, GError **error)
{
	HullSecretsFile *f = file_state;

	if (!f->sniffed)
		hull_secrets_sniff(f, data, len);
	if (f->skip)
		return FALSE;
	if (f->stream == NULL)
		f->stream = hull_secrets_stream_new(f->st->engine, f->path, hull_secrets_emit, f);
	if (f->utf16) {
		g_autoptr(GByteArray) text = hull_secrets_from_utf16(f, data, len);
		return hull_secrets_stream_feed(f->stream, text->data, text->len, error);
	}
	return hull_secrets_stream_feed(f->stream, data, len, error);
}

static void
hull_secrets_file_end(gpointer state, HullScan *scan, const HullFile *file, gpointer file_state,
                      gboolean complete)
{
	HullSecretsFile *f = file_state;

	/* A file cut short still had its bytes so far checked: flush what they hold. */
	if (f->stream != NULL)
		hull_secrets_stream_finish(f->stream);
	if (f->line_layers != NULL)
		g_array_unref(f->line_layers);
	g_free(f);
}

/* One pseudo-file of the image config: each entry is one line, so a finding's line says which
 * entry (Env variable, label, history step) holds the secret. */
static void
hull_secrets_scan_pseudo(HullSecretsState *st, HullScan *scan, const char *path, GString *text,
                         GArray *line_layers)
{
	HullSecretsFile f = {
		.st = st,
		.scan = scan,
		.path = path,
		.carry = -1,
		.line_layers = line_layers,
	};
	g_autoptr(GError) error = NULL;

	if (text->len == 0)
		return;
	if (!hull_secrets_engine_scan_buffer(st->engine, path, (const guint8 *)text->str, text->len,
	                                     hull_secrets_emit, &f, &error))
		hull_scan_add_note(scan, st->ctx, "%s: %s", path, error->message);
}

/* Newlines inside one entry would shift the line numbers of the next: fold them. */
static void
hull_secrets_append_line(GString *out, const char *s)
{
	for (const char *p = s; *p; p++)
		g_string_append_c(out, *p == '\n' || *p == '\r' ? ' ' : *p);
	g_string_append_c(out, '\n');
}

static gboolean
hull_secrets_scan_begin(gpointer state, HullScan *scan, GError **error)
{
	HullSecretsState *st = state;
	HullImage *image = hull_scan_get_image(scan);

	g_atomic_int_set(&st->n_too_big, 0);
	g_atomic_int_set(&st->n_binary, 0);
	if (image == NULL)
		return TRUE;

	JsonObject *config = hull_image_get_config(image);
	g_autoptr(GString) env = g_string_new(NULL);
	if (json_object_has_member(config, "Env") && JSON_NODE_HOLDS_ARRAY(json_object_get_member(config, "Env"))) {
		JsonArray *arr = json_object_get_array_member(config, "Env");
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonNode *n = json_array_get_element(arr, i);
			const char *s = JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
			                        ? json_node_get_string(n)
			                        : "";
			hull_secrets_append_line(env, s);
		}
	}
	hull_secrets_scan_pseudo(st, scan, "image-config:Env", env, NULL);

	g_autoptr(GString) labels = g_string_new(NULL);
	if (json_object_has_member(config, "Labels") &&
	    JSON_NODE_HOLDS_OBJECT(json_object_get_member(config, "Labels"))) {
		JsonObject *lo = json_object_get_object_member(config, "Labels");
		g_autoptr(GList) names = json_object_get_members(lo);
		for (GList *l = names; l != NULL; l = l->next) {
			JsonNode *n = json_object_get_member(lo, l->data);
			const char *v = JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
			                        ? json_node_get_string(n)
			                        : "";
			g_autofree gchar *line = g_strdup_printf("%s=%s", (const char *)l->data, v);
			hull_secrets_append_line(labels, line);
		}
	}
	hull_secrets_scan_pseudo(st, scan, "image-config:Labels", labels, NULL);

	g_autoptr(GString) history = g_string_new(NULL);
	g_autoptr(GArray) layers = g_array_new(FALSE, FALSE, sizeof(int));
	for (guint i = 0; i < hull_image_get_n_history(image); i++) {
		const char *cb = hull_image_get_history_created_by(image, i);
		int layer = hull_image_get_history_layer(image, i);
		hull_secrets_append_line(history, cb != NULL ? cb : "");
		g_array_append_val(layers, layer);
	}
	hull_secrets_scan_pseudo(st, scan, "image-config:history", history, layers);
	return TRUE;
}

static gboolean
hull_secrets_scan_end(gpointer state, HullScan *scan, GError **error)
{
	HullSecretsState *st = state;
	int big = g_atomic_int_get(&st->n_too_big);

	if (big > 0)
		hull_scan_add_note(scan, st->ctx,
		                   "%d file(s) over the secrets size limit of %" G_GUINT64_FORMAT " bytes were not scanned",
		                   big, st->max_size);
	return TRUE;
}

static const char *const hull_secrets_globs[] = { "*", NULL };

static const HullPluginDescriptor hull_secrets_descriptor = {
	.abi_major = HULL_ABI_MAJOR,
	.abi_minor = HULL_ABI_MINOR,
	.struct_size = sizeof(HullPluginDescriptor),
	.name = "secrets",
	.version = "0.1.0",
	.description = "Credentials and private keys in files, deleted files and the image config",
	.license = "Apache-2.0",
	.vendor = "hullscan",
	/* Results depend on the image, rules.json and the rule files named in options only. */
	.capabilities = HULL_CAP_CACHEABLE,
	.rules = hull_secrets_static_rules,
	.n_rules = G_N_ELEMENTS(hull_secrets_static_rules),
	.file_globs = hull_secrets_globs,
	/* The limit is the plugin's own (an option): it counts what it skips in wants_file. */
	.max_file_size = 0,
	.file_flags = HULL_INTEREST_DELETED,
	.init = hull_secrets_init,
	.destroy = hull_secrets_destroy,
	.wants_file = hull_secrets_wants_file,
	.file_begin = hull_secrets_file_begin,
	.file_chunk = hull_secrets_file_chunk,
	.file_end = hull_secrets_file_end,
	.scan_begin = hull_secrets_scan_begin,
	.scan_end = hull_secrets_scan_end,
};

const HullPluginDescriptor *
hull_secrets_plugin_descriptor(void)
{
	return &hull_secrets_descriptor;
}
