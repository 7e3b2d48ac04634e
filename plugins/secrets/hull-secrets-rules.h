/* hull-secrets-rules.h: secret-detection rules as data. A rules file (configs/secrets/rules.json
 * or an in-house file named by --config) is parsed into HullSecretsRule records: the regex with
 * its named `secret` group compiled by PCRE2 (JIT), the Hyperscan keywords, and the filters
 * (entropy minimum, stop-words, allow regexes, path allow-globs). The format is documented in
 * plugins/secrets/README.md. Rules are immutable once loaded and shared by every thread. */
#pragma once

#include <glib.h>
#include <hullscan/hullscan.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "hull-secrets-globs.h"

G_BEGIN_DECLS

/* Bounds of the candidate window around a keyword hit (bytes before and after its end). */
#define HULL_SECRETS_MAX_WINDOW 2048

typedef struct {
	gchar *id;
	gchar *title;
	gchar *kind;            /* family ("github", "aws", "private-key", …) for evaluations */
	gchar *description;
	gchar *remediation;
	HullSeverity severity;
	GStrv aliases;
	GStrv references;
	GStrv keywords;         /* lower-case literals, matched caselessly by Hyperscan */
	GStrv stopwords;        /* lower-case; a secret containing one is dropped */
	GStrv path_globs;       /* files where this rule is not applied */
	HullSecretsGlobs *path_specs; /* path_globs, compiled */
	gchar *regex;
	pcre2_code *re;
	guint32 secret_group;   /* capture number of (?<secret>…) */
	GPtrArray *allow;       /* pcre2_code*: a match in which one is found is dropped */
	double entropy;         /* Shannon bits per byte of the secret; 0: no minimum */
	gboolean global_filters;/* apply the file-wide stop-words and allow regexes */
	guint before;           /* window bytes before a keyword hit's end */
	guint after;            /* window bytes after it */
	GStrv positive;         /* test examples (templates, see hull_secrets_expand_template) */
	GStrv negative;
} HullSecretsRule;

void hull_secrets_rule_free(HullSecretsRule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullSecretsRule, hull_secrets_rule_free)

/* Filters every rule of a set shares (the "global" object of a rules file). */
typedef struct {
	GPtrArray *stopwords;   /* gchar*, lower-case */
	GPtrArray *allow;       /* pcre2_code* */
} HullSecretsGlobal;

HullSecretsGlobal *hull_secrets_global_new(void);
void hull_secrets_global_free(HullSecretsGlobal *global);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HullSecretsGlobal, hull_secrets_global_free)

/* Parses rules from @data (JSON text) named @name in errors and appends them to @rules
 * (HullSecretsRule*, owning) and the "global" filters to @global. A rule whose id is already
 * in @rules is an error. */
gboolean hull_secrets_rules_parse(const char *data, gsize len, const char *name, GPtrArray *rules,
                                  HullSecretsGlobal *global, GError **error);
/* Reads @path (at most 16 MiB) and parses it. */
gboolean hull_secrets_rules_load_file(const char *path, GPtrArray *rules, HullSecretsGlobal *global,
                                      GError **error);
/* Shannon entropy in bits per byte. */
double hull_secrets_entropy(const char *s, gsize len);
/* Expands a test template: "{{alnum:N}}", "{{hex:N}}", "{{HEX:N}}", "{{upper:N}}", "{{lower:N}}",
 * "{{digits:N}}", "{{b64:N}}", "{{b64url:N}}" become N pseudo-random characters drawn from
 * @rand; "{{nl}}" a newline. Lets test data hold no literal credential. (transfer full) */
gchar *hull_secrets_expand_template(const char *tmpl, GRand *rand);

G_END_DECLS
