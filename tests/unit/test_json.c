// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The JSON reader `pageowner diff` reads reports back with: values,
 * escapes, every byte written by po_json_write() read back as itself, and
 * refusal of what is not JSON, with the byte offset, without overflowing
 * the stack on deep nesting.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/json.h"
#include "report/textout.h"

static struct po_json *parse(struct harness *h, const char *text)
{
	struct po_json *j = NULL;
	struct po_error *err = po_json_parse(text, strlen(text), "t.json", &j);

	CHECK(h, !err, "parse %s: %s", text, err ? err->message : "");
	po_error_destroy(err);
	return j;
}

static void values(struct harness *h)
{
	struct po_json *j = parse(
		h, " {\"a\": [1, -2.5e3, true, false, null, \"x\"], "
		   "\"big\": 18446744073709551615, \"o\": {}, \"e\": []} ");
	const struct po_json *a = po_json_get(j, "a");

	CHECK(h, j && j->type == PO_JSON_OBJECT && j->n == 4, "object");
	CHECK(h, a && a->type == PO_JSON_ARRAY && a->n == 6, "array");
	if (a && a->n == 6) {
		CHECK(h, po_json_uint(&a->items[0], 0) == 1, "1");
		CHECK(h, a->items[1].number == -2500 && !a->items[1].is_uint,
		      "-2.5e3");
		CHECK(h,
		      a->items[2].type == PO_JSON_BOOL && a->items[2].boolean,
		      "true");
		CHECK(h,
		      a->items[3].type == PO_JSON_BOOL && !a->items[3].boolean,
		      "false");
		CHECK(h, a->items[4].type == PO_JSON_NULL, "null");
		CHECK(h, !strcmp(po_json_str(&a->items[5]), "x"), "string");
	}
	CHECK(h, po_json_uint(po_json_get(j, "big"), 0) == UINT64_MAX,
	      "2^64-1 stays exact");
	CHECK(h, po_json_get(j, "o")->n == 0 && po_json_get(j, "e")->n == 0,
	      "empty object and array");
	CHECK(h, !po_json_get(j, "missing") && !po_json_str(a), "lookups");
	po_json_free(j);
}

static void escapes(struct harness *h)
{
	struct po_json *j = parse(
		h,
		"\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\u20ac \\ud83d\\ude00\"");
	const char *want =
		"q\" b\\ s/ \b\f\n\r\t \xe9 \xe2\x82\xac \xf0\x9f\x98\x80";

	CHECK(h, j && j->len == strlen(want) && !memcmp(j->str, want, j->len),
	      "escapes decode: %s", j ? j->str : "");
	po_json_free(j);
	j = parse(h, "\"nul\\u0000inside\"");
	CHECK(h, j && j->len == 10 && !memcmp(j->str, "nul\0inside", 10),
	      "\\u0000 keeps the length");
	po_json_free(j);
}

/* Every byte value, written as a report writes a comm, reads back as is. */
static void round_trip(struct harness *h)
{
	char bytes[256], *text = NULL;
	size_t len = 0;
	struct po_json *j;
	FILE *f = open_memstream(&text, &len);
	int i;

	for (i = 0; i < 256; i++)
		bytes[i] = (char)i;
	po_json_write(f, bytes, sizeof(bytes));
	fclose(f);
	CHECK(h, !strchr(text, '<') && !strchr(text, '>') && !strchr(text, '&'),
	      "no <, > or & in the written string");
	j = parse(h, text);
	CHECK(h, j && j->len == 256 && !memcmp(j->str, bytes, 256),
	      "256 byte values round-trip");
	po_json_free(j);
	free(text);
}

static void refuse(struct harness *h, const char *text, const char *words)
{
	struct po_json *j = NULL;
	struct po_error *err = po_json_parse(text, strlen(text), "t.json", &j);

	CHECK(h,
	      err && err->code == PO_ERR_FORMAT &&
		      strstr(err->message, "t.json: byte ") &&
		      strstr(err->message, words),
	      "%s: %s (want \"%s\")", text, err ? err->message : "accepted",
	      words);
	CHECK(h, !j, "%s: no tree on error", text);
	po_error_destroy(err);
	po_json_free(j);
}

static void errors(struct harness *h)
{
	char deep[200];

	refuse(h, "", "unexpected end");
	refuse(h, "{\"a\":1} x", "text after");
	refuse(h, "{\"a\" 1}", "expected ':'");
	refuse(h, "{1:2}", "expected a key");
	refuse(h, "[1,2", "expected ',' or ']'");
	refuse(h, "{\"a\":1,}", "expected a key");
	refuse(h, "[01]", "bad number");
	refuse(h, "[1e]", "bad number");
	refuse(h, "[1.]", "bad number");
	refuse(h, "[.5]", "expected a value");
	refuse(h, "[-]", "bad number");
	refuse(h, "\"abc", "unterminated");
	refuse(h, "\"a\\", "unterminated");
	refuse(h, "\"a\tb\"", "control character");
	refuse(h, "\"\\x\"", "bad escape");
	refuse(h, "\"\\u12\"", "bad \\u");
	refuse(h, "\"\\ud800x\"", "unpaired surrogate");
	refuse(h, "[tru]", "expected a value");
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	refuse(h, deep, "nested too deeply");
	/* A key's memory is freed when its value fails. */
	refuse(h, "{\"k\":[1,}", "expected a value");
}

int main(void)
{
	struct harness h = { 0 };

	values(&h);
	escapes(&h);
	round_trip(&h);
	errors(&h);
	return harness_finish(&h, "json");
}
