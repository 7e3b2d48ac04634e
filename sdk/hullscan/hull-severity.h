/* hull-severity.h: the five severities of the report schema, ordered so that a larger value
 * is more severe. */
#pragma once

#include <glib.h>
#include <hullscan/hull-version.h>

G_BEGIN_DECLS

typedef enum {
	HULL_SEVERITY_UNKNOWN = 0,
	HULL_SEVERITY_LOW = 1,
	HULL_SEVERITY_MEDIUM = 2,
	HULL_SEVERITY_HIGH = 3,
	HULL_SEVERITY_CRITICAL = 4,
} HullSeverity;

#define HULL_SEVERITY_LAST HULL_SEVERITY_CRITICAL

/* "CRITICAL", "HIGH", ... (transfer none) */
HULL_API const char *hull_severity_to_string(HullSeverity severity);
/* Case-insensitive; also accepts "INFO" as LOW. Returns FALSE for an unknown name. */
HULL_API gboolean hull_severity_from_string(const char *name, HullSeverity *out);

G_END_DECLS
