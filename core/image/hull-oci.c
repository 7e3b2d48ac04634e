/* hull-oci.c: the OCI image layout source, as a directory or a tar of one: index.json (nested
 * indexes followed up to a depth limit), the org.opencontainers.image.ref.name annotation for
 * --ref, platform selection (linux/amd64 unless --platform says otherwise), and every blob checked
 * against its descriptor's digest and size. Blob names are derived from validated digests only,
 * so a descriptor can never name a path outside blobs/. */
#include <string.h>
#include "hull-fs-private.h"
#include <hullscan/hull-json.h>

#define HULL_OCI_REF_NAME "org.opencontainers.image.ref.name"

typedef struct {
	char *digest;
	gint64 size;
	char *ref;
	char *platform; /* "os/arch[/variant]" or NULL */
} HullOciCandidate;

static void
hull_oci_candidate_free(HullOciCandidate *c)
{
	g_free(c->digest);
	g_free(c->ref);
	g_free(c->platform);
	g_free(c);
}

/* "sha256:<64 hex>" -> "blobs/sha256/<hex>"; NULL for anything else. */
static char *
hull_oci_blob_name(const char *digest)
{
	if (digest == NULL)
		return NULL;
	if (g_str_has_prefix(digest, "sha256:")) {
		const char *hex = digest + 7;
		if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64)
			return NULL;
		return g_strconcat("blobs/sha256/", hex, NULL);
	}
	if (g_str_has_prefix(digest, "sha512:")) {
		const char *hex = digest + 7;
		if (strlen(hex) != 128 || strspn(hex, "0123456789abcdef") != 128)
			return NULL;
		return g_strconcat("blobs/sha512/", hex, NULL);
	}
	return NULL;
}

static const char *
hull_str(JsonObject *o, const char *m)
{
	if (o == NULL)
		return NULL;
	JsonNode *n = json_object_get_member(o, m);
	return n != NULL && json_node_get_value_type(n) == G_TYPE_STRING ? json_node_get_string(n) : NULL;
}

static gint64
hull_int(JsonObject *o, const char *m)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, m) : NULL;
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return -1;
	GType t = json_node_get_value_type(n);
	if (t == G_TYPE_INT64)
		return json_node_get_int(n);
	if (t == G_TYPE_DOUBLE)
		return (gint64)json_node_get_double(n);
	return -1;
}

/* Reads a JSON blob named by a descriptor and checks its digest and size. */
static JsonNode *
hull_oci_read_json(HullTarget *t, HullBlobSource *src, const char *digest, gint64 size, gboolean verify,
                   const char *what, GError **error)
{
	g_autofree char *shown = hull_printable(digest ? digest : "(none)");
	g_autofree char *name = hull_oci_blob_name(digest);
	if (name == NULL) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: %s has an invalid digest \"%s\"",
		            t->input, what, shown);
		return NULL;
	}
	g_autoptr(GBytes) b = hull_blob_source_read_all(src, name, HULL_IMAGE_MAX_JSON, error);
	if (b == NULL)
		return NULL;
	gsize len;
	const char *data = g_bytes_get_data(b, &len);
	if (verify && g_str_has_prefix(digest, "sha256:")) {
		g_autofree char *hex = hull_sha256_hex(data, len);
		if (strcmp(hex, digest + 7) != 0 || (size >= 0 && (guint64)size != len)) {
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_DIGEST,
			            "%s: %s blob %s does not match its descriptor (sha256:%s, %" G_GSIZE_FORMAT " bytes)",
			            t->input, what, shown, hex, len);
			return NULL;
		}
	}
	g_autoptr(JsonParser) p = json_parser_new();
	if (!hull_json_load_one(p, data, len, NULL) || json_parser_get_root(p) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: %s %s is not a JSON object",
		            t->input, what, shown);
		return NULL;
	}
	return json_node_ref(json_parser_get_root(p));
}

static gboolean
hull_oci_is_index(const char *mt)
{
	return g_strcmp0(mt, "application/vnd.oci.image.index.v1+json") == 0 ||
	       g_strcmp0(mt, "application/vnd.docker.distribution.manifest.list.v2+json") == 0;
}

static gboolean
hull_oci_collect(HullTarget *t, HullBlobSource *src, JsonObject *index, const char *ref, guint depth,
                 const HullOpenOptions *opt, GPtrArray *out, GError **error)
{
	if (depth > HULL_IMAGE_MAX_NESTING) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: indexes nested deeper than %d",
		            t->input, HULL_IMAGE_MAX_NESTING);
		return FALSE;
	}
	JsonNode *mn = json_object_get_member(index, "manifests");
	if (mn == NULL || !JSON_NODE_HOLDS_ARRAY(mn))
		return TRUE;
	JsonArray *ms = json_node_get_array(mn);
	for (guint i = 0; i < json_array_get_length(ms); i++) {
		JsonNode *dn = json_array_get_element(ms, i);
		if (!JSON_NODE_HOLDS_OBJECT(dn))
			continue;
		JsonObject *d = json_node_get_object(dn);
		const char *mt = hull_str(d, "mediaType");
		const char *digest = hull_str(d, "digest");
		JsonNode *an = json_object_get_member(d, "annotations");
		const char *r = an != NULL && JSON_NODE_HOLDS_OBJECT(an) ? hull_str(json_node_get_object(an), HULL_OCI_REF_NAME)
		                                                         : NULL;
		if (r == NULL)
			r = ref;
		if (hull_oci_is_index(mt)) {
			g_autoptr(JsonNode) sub = hull_oci_read_json(t, src, digest, hull_int(d, "size"), opt->verify_digests,
			                                             "index", error);
			if (sub == NULL || !hull_oci_collect(t, src, json_node_get_object(sub), r, depth + 1, opt, out, error))
				return FALSE;
			continue;
		}
		HullOciCandidate *c = g_new0(HullOciCandidate, 1);
		c->digest = g_strdup(digest);
		c->size = hull_int(d, "size");
		c->ref = g_strdup(r);
		JsonNode *pn = json_object_get_member(d, "platform");
		if (pn != NULL && JSON_NODE_HOLDS_OBJECT(pn)) {
			JsonObject *po = json_node_get_object(pn);
			const char *os = hull_str(po, "os"), *arch = hull_str(po, "architecture"), *var = hull_str(po, "variant");
			if (os != NULL && arch != NULL)
				c->platform = var != NULL ? g_strdup_printf("%s/%s/%s", os, arch, var) : g_strdup_printf("%s/%s", os, arch);
		}
		g_ptr_array_add(out, c);
		if (out->len > 10000) {
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: too many manifests", t->input);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
hull_platform_matches(const char *have, const char *want)
{
	if (have == NULL)
		return TRUE;
	if (g_strcmp0(have, want) == 0)
		return TRUE;
	/* "linux/arm64" asked, "linux/arm64/v8" present */
	return g_str_has_prefix(have, want) && have[strlen(want)] == '/';
}

gboolean
hull_oci_load(HullTarget *t, HullBlobSource *src, const HullOpenOptions *opt, GError **error)
{
	g_autoptr(GBytes) ib = hull_blob_source_read_all(src, "index.json", HULL_IMAGE_MAX_JSON, error);
	if (ib == NULL)
		return FALSE;
	g_autoptr(JsonParser) p = json_parser_new();
	gsize ilen;
	const char *idata = g_bytes_get_data(ib, &ilen);
	if (!hull_json_load_one(p, idata, ilen, NULL) || json_parser_get_root(p) == NULL ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: index.json is not a JSON object",
		            t->input);
		return FALSE;
	}
	g_autoptr(GPtrArray) cands = g_ptr_array_new_with_free_func((GDestroyNotify)hull_oci_candidate_free);
	if (!hull_oci_collect(t, src, json_node_get_object(json_parser_get_root(p)), NULL, 0, opt, cands, error))
		return FALSE;
	if (cands->len == 0) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: index.json lists no image manifest",
		            t->input);
		return FALSE;
	}
	const char *want = opt->platform != NULL ? opt->platform : "linux/amd64";
	HullOciCandidate *chosen = NULL;
	guint n_ref = 0;
	HullOciCandidate *only = NULL;
	for (guint i = 0; i < cands->len; i++) {
		HullOciCandidate *c = g_ptr_array_index(cands, i);
		if (opt->ref != NULL && g_strcmp0(c->ref, opt->ref) != 0)
			continue;
		n_ref++;
		only = c;
		if (chosen == NULL && hull_platform_matches(c->platform, want))
			chosen = c;
	}
	/* a single image with an unusual platform is still what the user meant, unless asked otherwise */
	if (chosen == NULL && n_ref == 1 && opt->platform == NULL)
		chosen = only;
	if (chosen == NULL) {
		GString *all = g_string_new(NULL);
		for (guint i = 0; i < cands->len; i++) {
			HullOciCandidate *c = g_ptr_array_index(cands, i);
			g_string_append_printf(all, "%s%s (%s)", all->len ? ", " : "", c->ref ? c->ref : "untagged",
			                       c->platform ? c->platform : "any platform");
		}
		g_autofree char *shown = hull_printable(all->str);
		g_string_free(all, TRUE);
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_NO_MATCH, "%s: no image %s%s for %s (it has: %s)",
		            t->input, opt->ref ? "named " : "", opt->ref ? opt->ref : "", want, shown);
		return FALSE;
	}

	g_autoptr(JsonNode) mnode = hull_oci_read_json(t, src, chosen->digest, chosen->size, opt->verify_digests,
	                                               "manifest", error);
	if (mnode == NULL)
		return FALSE;
	JsonObject *m = json_node_get_object(mnode);
	JsonNode *cdn = json_object_get_member(m, "config");
	JsonNode *ln = json_object_get_member(m, "layers");
	if (cdn == NULL || !JSON_NODE_HOLDS_OBJECT(cdn) || ln == NULL || !JSON_NODE_HOLDS_ARRAY(ln)) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: manifest %s has no config or layers",
		            t->input, chosen->digest);
		return FALSE;
	}
	JsonObject *cd = json_node_get_object(cdn);
	const char *cdigest = hull_str(cd, "digest");
	g_autofree char *cname = hull_oci_blob_name(cdigest);
	g_autofree char *cshown = hull_printable(cdigest ? cdigest : "(none)");
	if (cname == NULL) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID, "%s: config has an invalid digest \"%s\"",
		            t->input, cshown);
		return FALSE;
	}
	g_autoptr(GBytes) config = hull_blob_source_read_all(src, cname, HULL_IMAGE_MAX_JSON, error);
	if (config == NULL)
		return FALSE;
	gsize clen;
	const void *cdata = g_bytes_get_data(config, &clen);
	if (opt->verify_digests && g_str_has_prefix(cdigest, "sha256:")) {
		g_autofree char *hex = hull_sha256_hex(cdata, clen);
		gint64 csize = hull_int(cd, "size");
		if (strcmp(hex, cdigest + 7) != 0 || (csize >= 0 && (guint64)csize != clen)) {
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_DIGEST,
			            "%s: config blob %s does not match its descriptor", t->input, cshown);
			return FALSE;
		}
	}
	HullImage *img = hull_image_new();
	t->image = img;
	img->digest = g_strdup(chosen->digest);
	if (chosen->ref != NULL) {
		g_strfreev(img->repo_tags);
		img->repo_tags = g_new0(char *, 2);
		img->repo_tags[0] = g_strdup(chosen->ref);
	}
	if (!hull_image_set_config(img, config, cshown, error)) {
		g_prefix_error(error, "%s: ", t->input);
		return FALSE;
	}
	JsonArray *layers = json_node_get_array(ln);
	guint n = json_array_get_length(layers);
	if (n > HULL_IMAGE_MAX_LAYERS || n != img->diff_ids->len) {
		g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
		            "%s: manifest lists %u layers but the config has %u diff_ids", t->input, n, img->diff_ids->len);
		return FALSE;
	}
	for (guint i = 0; i < n; i++) {
		JsonNode *dn = json_array_get_element(layers, i);
		JsonObject *d = JSON_NODE_HOLDS_OBJECT(dn) ? json_node_get_object(dn) : NULL;
		const char *digest = hull_str(d, "digest");
		g_autofree char *name = hull_oci_blob_name(digest);
		if (name == NULL || !hull_blob_source_has(src, name)) {
			g_autofree char *shown = hull_printable(digest ? digest : "(none)");
			g_set_error(error, HULL_TARGET_ERROR, HULL_TARGET_ERROR_INVALID,
			            "%s: layer %u blob \"%s\" is invalid or missing", t->input, i, shown);
			return FALSE;
		}
		HullLayer *l = hull_layer_new(i, name, digest);
		l->expect_diff_id = g_strdup(g_ptr_array_index(img->diff_ids, i));
		l->expect_digest = g_strdup(digest);
		l->expect_size = hull_int(d, "size");
		g_ptr_array_add(t->fs->layers, l);
	}
	return hull_image_load_layers(t, opt, error);
}
