/* fuzz-k8s-yaml.c: libFuzzer harness for the Kubernetes objects loader (YAML and JSON
 * streams): every input must end in objects, notes or a GError, within bounded memory. */
#include <stdint.h>

#include "views/hull-k8s.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func((GDestroyNotify)hull_k8s_object_free);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	if (!hull_k8s_sniff("/fuzz.yaml", data, size))
		return 0;
	gboolean ok = hull_k8s_parse("/fuzz.yaml", 0, data, size, objects, notes, &error);
	g_assert(ok || error != NULL);
	for (guint i = 0; i < objects->len; i++) {
		HullK8sObject *o = g_ptr_array_index(objects, i);
		g_assert(hull_k8s_object_get_ref(o) != NULL);
		g_assert(hull_k8s_object_get_document(o) != NULL);
	}
	return 0;
}
