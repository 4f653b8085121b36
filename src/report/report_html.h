/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 7: the self-contained HTML page of `pageowner report --format html`.
 * The page (src/report/report.html) is compiled in; it carries the report's JSON
 * document and draws the flame graph, charts and tables from it, offline.
 */
#ifndef PO_REPORT_HTML_H
#define PO_REPORT_HTML_H

#include <stdio.h>

/*
 * po_html_page() - write the page to @out, with @data(@arg) writing the JSON
 * document where the page expects it.  The document must escape '<', so that
 * no string in it can close the <script> element that holds it.
 */
void po_html_page(FILE *out, void (*data)(const void *arg), const void *arg);

#endif /* PO_REPORT_HTML_H */
