/* hull-fact.c: facts, small ordered key/value records. Facts are few (hundreds to a few
 * thousand per scan) and have a handful of keys, so a linear lookup beats a hash table. */
#include "hull-finding-private.h"

HullFact *
hull_fact_new(const char *kind)
{
	g_return_val_if_fail(kind != NULL, NULL);
	HullFact *fact = g_new0(HullFact, 1);
	fact->kind = g_strdup(kind);
	fact->keys = g_ptr_array_new_with_free_func(g_free);
	fact->values = g_ptr_array_new_with_free_func(g_free);
	return fact;
}

void
hull_fact_free(HullFact *fact)
{
	if (fact == NULL)
		return;
	g_free(fact->kind);
	g_free(fact->plugin);
	g_ptr_array_unref(fact->keys);
	g_ptr_array_unref(fact->values);
	g_free(fact);
}

static gint
hull_fact_index(const HullFact *fact, const char *key)
{
	for (guint i = 0; i < fact->keys->len; i++) {
		if (g_strcmp0(g_ptr_array_index(fact->keys, i), key) == 0)
			return (gint)i;
	}
	return -1;
}

void
hull_fact_set(HullFact *fact, const char *key, const char *value)
{
	g_return_if_fail(fact != NULL && key != NULL);
	gint idx = hull_fact_index(fact, key);
	if (idx >= 0) {
		g_free(g_ptr_array_index(fact->values, idx));
		g_ptr_array_index(fact->values, idx) = g_strdup(value);
		return;
	}
	g_ptr_array_add(fact->keys, g_strdup(key));
	g_ptr_array_add(fact->values, g_strdup(value));
}

void
hull_fact_set_int(HullFact *fact, const char *key, gint64 value)
{
	g_autofree gchar *s = g_strdup_printf("%" G_GINT64_FORMAT, value);
	hull_fact_set(fact, key, s);
}

const char *
hull_fact_get(const HullFact *fact, const char *key)
{
	g_return_val_if_fail(fact != NULL && key != NULL, NULL);
	gint idx = hull_fact_index(fact, key);
	return idx >= 0 ? g_ptr_array_index(fact->values, idx) : NULL;
}

gint64
hull_fact_get_int(const HullFact *fact, const char *key, gint64 fallback)
{
	const char *s = hull_fact_get(fact, key);
	gint64 v = 0;
	if (s == NULL || !g_ascii_string_to_signed(s, 10, G_MININT64, G_MAXINT64, &v, NULL))
		return fallback;
	return v;
}

const char *
hull_fact_get_kind(const HullFact *fact)
{
	g_return_val_if_fail(fact != NULL, NULL);
	return fact->kind;
}

const char *
hull_fact_get_plugin(const HullFact *fact)
{
	g_return_val_if_fail(fact != NULL, NULL);
	return fact->plugin;
}

GPtrArray *
hull_fact_get_keys(const HullFact *fact)
{
	g_return_val_if_fail(fact != NULL, NULL);
	GPtrArray *keys = g_ptr_array_new();
	for (guint i = 0; i < fact->keys->len; i++)
		g_ptr_array_add(keys, g_ptr_array_index(fact->keys, i));
	return keys;
}
