/* hull-secrets-entry.c: the module's single exported symbol. Kept out of the static library so
 * self-tests can link the plugin's code without exporting a second entry point. */
#include "hull-secrets-plugin.h"

HULL_EXPORT const HullPluginDescriptor *
hull_plugin_get_descriptor(void)
{
	return hull_secrets_plugin_descriptor();
}
