/* hull-severity.c: severity names as the report schema spells them. */
#include <hullscan/hull-severity.h>

static const char *const severity_names[] = {"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

const char *
hull_severity_to_string(HullSeverity severity)
{
	if ((guint)severity > HULL_SEVERITY_LAST)
		return "UNKNOWN";
	return severity_names[severity];
}

gboolean
hull_severity_from_string(const char *name, HullSeverity *out)
{
	g_return_val_if_fail(out != NULL, FALSE);
	if (name == NULL)
		return FALSE;
	for (guint i = 0; i <= HULL_SEVERITY_LAST; i++) {
		if (g_ascii_strcasecmp(name, severity_names[i]) == 0) {
			*out = (HullSeverity)i;
			return TRUE;
		}
	}
	/* Dockle and kube-linter say INFO for what we call LOW. */
	if (g_ascii_strcasecmp(name, "INFO") == 0) {
		*out = HULL_SEVERITY_LOW;
		return TRUE;
	}
	return FALSE;
}
