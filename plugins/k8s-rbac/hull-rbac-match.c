/* hull-rbac-match.c: decides whether RBAC rules allow a request, the way the Kubernetes RBAC
 * authorizer does (verbs, API groups, resources with subresources and the "*\/sub" form,
 * resourceNames), so that every check and the escalation graph ask the same question. */
#include <string.h>

#include "hull-rbac.h"

static gboolean
hull_rbac_list_has(GPtrArray *list, const char *s)
{
	for (guint i = 0; i < list->len; i++) {
		const char *e = g_ptr_array_index(list, i);
		if (strcmp(e, "*") == 0 || strcmp(e, s) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
hull_rbac_resource_matches(GPtrArray *list, const char *resource)
{
	const char *slash = strchr(resource, '/');
	for (guint i = 0; i < list->len; i++) {
		const char *e = g_ptr_array_index(list, i);
		if (strcmp(e, "*") == 0 || strcmp(e, resource) == 0)
			return TRUE;
		/* "*\/exec" grants the exec subresource of every resource. */
		if (slash != NULL && e[0] == '*' && e[1] == '/' && strcmp(e + 1, slash) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
hull_rbac_rule_matches(const HullRbacRule *rule, const char *verb, const char *group, const char *resource)
{
	return hull_rbac_list_has(rule->verbs, verb) && hull_rbac_list_has(rule->groups, group) &&
	       hull_rbac_resource_matches(rule->resources, resource);
}

gboolean
hull_rbac_rule_allows(const HullRbacRule *rule, const char *verb, const char *group, const char *resource,
                      const char *name)
{
	g_return_val_if_fail(rule != NULL, FALSE);
	if (!hull_rbac_rule_matches(rule, verb, group, resource))
		return FALSE;
	if (rule->names->len == 0)
		return TRUE;
	if (name == NULL)
		return FALSE;
	for (guint i = 0; i < rule->names->len; i++)
		if (strcmp(g_ptr_array_index(rule->names, i), name) == 0)
			return TRUE;
	return FALSE;
}

gboolean
hull_rbac_rule_allows_some(const HullRbacRule *rule, const char *verb, const char *group, const char *resource)
{
	g_return_val_if_fail(rule != NULL, FALSE);
	return rule->names->len > 0 && hull_rbac_rule_matches(rule, verb, group, resource);
}

gboolean
hull_rbac_rules_allow(GPtrArray *rules, const char *verb, const char *group, const char *resource)
{
	for (guint i = 0; rules != NULL && i < rules->len; i++)
		if (hull_rbac_rule_allows(g_ptr_array_index(rules, i), verb, group, resource, NULL))
			return TRUE;
	return FALSE;
}

gboolean
hull_rbac_can(HullRbacIdentity *id, const char *verb, const char *group, const char *resource, const char *ns,
              HullRbacGrant **via)
{
	g_return_val_if_fail(id != NULL, FALSE);
	for (guint i = 0; i < id->grants->len; i++) {
		HullRbacGrant *g = g_ptr_array_index(id->grants, i);
		/* ns NULL asks for cluster-wide rights; "*" for rights in any namespace. */
		if (g->ns != NULL && (ns == NULL || (strcmp(ns, "*") != 0 && strcmp(ns, g->ns) != 0)))
			continue;
		if (hull_rbac_rule_allows(g->rule, verb, group, resource, NULL)) {
			if (via != NULL)
				*via = g;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
hull_rbac_list_has_star(GPtrArray *list)
{
	for (guint i = 0; i < list->len; i++)
		if (strcmp(g_ptr_array_index(list, i), "*") == 0)
			return TRUE;
	return FALSE;
}

gboolean
hull_rbac_rule_is_all(const HullRbacRule *rule)
{
	static const char *const all_verbs[] = {"get", "list", "watch", "create", "update", "patch", "delete", NULL};
	if (rule->names->len > 0)
		return FALSE;
	if (!hull_rbac_list_has_star(rule->groups) || !hull_rbac_list_has_star(rule->resources))
		return FALSE;
	if (hull_rbac_list_has_star(rule->verbs))
		return TRUE;
	/* Listing every standard verb is the same power (as Polaris also judges). */
	for (guint i = 0; all_verbs[i] != NULL; i++)
		if (!hull_rbac_list_has(rule->verbs, all_verbs[i]))
			return FALSE;
	return TRUE;
}
