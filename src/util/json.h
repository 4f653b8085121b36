/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A small JSON reader for what pageowner itself wrote: `pageowner diff`
 * reads `report --format json` documents back.  It builds a tree, refuses
 * anything that is not RFC 8259 JSON with the file and byte offset, and
 * bounds nesting so that a hostile file cannot exhaust the stack.
 */
#ifndef PO_JSON_H
#define PO_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum po_json_type {
	PO_JSON_NULL,
	PO_JSON_BOOL,
	PO_JSON_NUMBER,
	PO_JSON_STRING,
	PO_JSON_ARRAY,
	PO_JSON_OBJECT,
};

struct po_json {
	enum po_json_type type;
	bool boolean;
	bool is_uint; /* a number written as digits alone */
	uint64_t uint; /* its value, when is_uint */
	double number;
	char *str; /* NUL-terminated; may also hold NULs, see len */
	size_t len;
	char **keys; /* objects: keys[i] names items[i] */
	struct po_json *items; /* arrays and objects */
	size_t n;
};

/*
 * po_json_parse() - parse the @len bytes at @text; @name (a file name) goes
 * in error messages.  \u escapes below 0x100 become that one byte, which is
 * how report.c writes bytes that are not ASCII; others become UTF-8.
 */
struct po_error *po_json_parse(const char *text, size_t len, const char *name,
			       struct po_json **ret);
void po_json_free(struct po_json *j);

/* The member @key of object @j, or NULL if @j is not an object or lacks it. */
const struct po_json *po_json_get(const struct po_json *j, const char *key);
/* The string @j holds, or NULL if it is not a string. */
const char *po_json_str(const struct po_json *j);
/* The unsigned integer @j holds, or @def if it is not one. */
uint64_t po_json_uint(const struct po_json *j, uint64_t def);

#endif /* PO_JSON_H */
