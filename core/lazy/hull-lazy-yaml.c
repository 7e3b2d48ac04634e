/* hull-lazy-yaml.c: libyaml, opened when a YAML document (Kubernetes manifest, ignore file) is
 * first parsed. */
#include <yaml.h>
#include "hull-lazy.h"

#define HULL_LAZY_SELF hull_lazy_yaml
#define HULL_LAZY_YAML_LIST(F, V, N)                                                                     \
	F(int, yaml_parser_initialize, (yaml_parser_t *p), (p))                                         \
	V(yaml_parser_delete, (yaml_parser_t *p), (p))                                                  \
	V(yaml_parser_set_input_string, (yaml_parser_t *p, const unsigned char *s, size_t n), (p, s, n)) \
	F(int, yaml_parser_parse, (yaml_parser_t *p, yaml_event_t *e), (p, e))                          \
	V(yaml_event_delete, (yaml_event_t *e), (e))

HULL_LAZY_LIBRARY(hull_lazy_yaml, HULL_SONAME_YAML, "to parse YAML", HULL_LAZY_YAML_LIST)
