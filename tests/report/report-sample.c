/* report-sample.c: prints the sample report in one format, for validate-schemas.py.
 * Usage: report-sample FORMAT [hostile] */
#include <stdio.h>
#include "hull-report-sample.h"

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: report-sample FORMAT [hostile]\n");
		return 2;
	}
	HullReportWriteFunc write = hull_report_writer_lookup(argv[1]);
	if (write == NULL) {
		fprintf(stderr, "report-sample: unknown format %s\n", argv[1]);
		return 2;
	}
	g_autoptr(HullReport) r = hull_report_sample_new(argc > 2 && g_strcmp0(argv[2], "hostile") == 0);
	g_autoptr(GString) out = g_string_new(NULL);
	write(r, out);
	fwrite(out->str, 1, out->len, stdout);
	return 0;
}
