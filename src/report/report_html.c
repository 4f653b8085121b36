// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: the HTML report page.  The build turns src/report/report.html into a C
 * string (report_html.inc); the page is kept as HTML so that it can be
 * edited and checked as what it is.
 */
#include <string.h>

#include "report/report_html.h"

static const char page[] =
#include "report_html.inc"
	;

#define DATA_LINE "PO-DATA\n"

void po_html_page(FILE *out, void (*data)(const void *arg), const void *arg)
{
	const char *mark = strstr(page, DATA_LINE);

	/* The Makefile checks that the template has the line. */
	if (!mark) {
		fputs(page, out);
		return;
	}
	fwrite(page, 1, (size_t)(mark - page), out);
	data(arg);
	fputs(mark + strlen(DATA_LINE), out);
}
