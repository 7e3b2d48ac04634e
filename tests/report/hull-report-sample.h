/* hull-report-sample.h: a hand-built report covering every member the writers print, for
 * the golden files and the schema checks; the hostile variant fills strings with invalid
 * UTF-8, control characters and markup. */
#pragma once

#include "hull-report.h"

G_BEGIN_DECLS

HullReport *hull_report_sample_new(gboolean hostile);

G_END_DECLS
