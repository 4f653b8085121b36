/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 7: small pieces of output the reports share: sizes for people,
 * frames out of a stack's text, JSON strings and CSV fields.
 */
#ifndef PO_TEXTOUT_H
#define PO_TEXTOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/error.h"

/* "1536 KiB", "4.8 MiB": @bytes for people, in @buf. */
const char *po_human_bytes(uint64_t bytes, char *buf, size_t size);

/*
 * po_next_frame() - the next frame of a stack's text (" %pS\n" per frame):
 * sets *@line to it without the leading spaces, returns its length and
 * moves *@p past its newline.  Call while **@p.
 */
size_t po_next_frame(const char **p, const char **line);

/*
 * A JSON string of the @len bytes at @s.  Bytes outside ASCII are escaped
 * as \u00XX (Latin-1), so that a comm of arbitrary bytes still makes valid
 * UTF-8 JSON; json.c reads them back as the same bytes.  So are '<', '>'
 * and '&', so that the document can sit inside an HTML <script>.
 */
void po_json_write(FILE *out, const char *s, size_t len);
/* The same for a C string; NULL is written as null. */
void po_json_write_cstr(FILE *out, const char *s);

/* A stack's text as a JSON array of its frames; NULL is written as null. */
void po_json_write_frames(FILE *out, const char *text);

/* ',' and an RFC 4180 field of the C string @s; NULL is written as "". */
void po_csv_write_cstr(FILE *out, const char *s);

/*
 * po_out_error() - whether writing to @out failed, as an error naming
 * @what: @out is flushed first, so that the error is the write's own (no
 * space left on a full disk), not a guess.
 */
struct po_error *po_out_error(FILE *out, const char *what);

#endif /* PO_TEXTOUT_H */
