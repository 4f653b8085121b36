// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * depot_stacks VMCORE VMLINUX CAPTURE...: walk every stack depot pool and
 * symbolize every record (`depot --records`), then require that every
 * distinct stack the kernel printed in its captured page_owner or
 * show_stacks text is one of those records, frame for frame.  This proves
 * the pool walk finds every record and decodes its frames exactly.
 */
#define _GNU_SOURCE
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pageowner.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Append @line to the growing stack text in @buf. */
static void append(char **buf, size_t *len, const char *line)
{
	size_t n = strlen(line);

	*buf = realloc(*buf, *len + n + 1);
	if (!*buf)
		abort();
	memcpy(*buf + *len, line, n + 1);
	*len += n;
}

/*
 * Add every stack block in @f (consecutive lines that start with a space,
 * as the kernel prints frames) to @set; return how many were new.
 */
static size_t read_stacks(FILE *f, void **set)
{
	char *line = NULL, *cur = NULL;
	size_t cap = 0, len = 0, added = 0;

	for (;;) {
		ssize_t n = getline(&line, &cap, f);

		if (n > 0 && line[0] == ' ') {
			append(&cur, &len, line);
			continue;
		}
		if (cur && !tfind(cur, set, cmp_str)) {
			tsearch(cur, set, cmp_str);
			added++;
		} else {
			free(cur);
		}
		cur = NULL;
		len = 0;
		if (n <= 0)
			break;
	}
	free(line);
	return added;
}

/* The symbolized stacks of every depot record (`depot --records`). */
static size_t depot_stacks(struct po_program *prog, void **set,
			   struct harness *h)
{
	char *text = NULL;
	size_t size = 0, n;
	FILE *out = open_memstream(&text, &size);
	struct po_error *err = po_report_depot(prog, true, out);

	fclose(out);
	CHECK(h, !err, "depot --records: %s", err ? err->message : "");
	po_error_destroy(err);
	out = fmemopen(text, size, "r");
	n = out ? read_stacks(out, set) : 0;
	if (out)
		fclose(out);
	free(text);
	return n;
}

struct compare {
	void *depot;
	struct harness *h;
	size_t found;
};

/* twalk_r action: is this captured stack one of the depot's? */
static void check_captured(const void *node, VISIT which, void *arg)
{
	const char *stack = *(const char *const *)node;
	struct compare *c = arg;

	if (which != postorder && which != leaf)
		return;
	if (tfind(stack, &c->depot, cmp_str))
		c->found++;
	else
		CHECK(c->h, 0, "captured stack not in the depot:\n%s", stack);
}

int main(int argc, char **argv)
{
	struct harness h = { 0 };
	struct compare c = { .h = &h };
	struct po_program *prog;
	struct po_error *err;
	void *seen = NULL;
	size_t records, distinct = 0;
	int i;

	if (argc < 4) {
		fprintf(stderr,
			"usage: depot_stacks VMCORE VMLINUX CAPTURE...\n");
		return 2;
	}
	err = po_program_open(argv[1], argv[2], &prog);
	if (err) {
		fprintf(stderr, "depot_stacks: %s\n", err->message);
		return 2;
	}
	records = depot_stacks(prog, &c.depot, &h);
	for (i = 3; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");

		CHECK(&h, f != NULL, "cannot open %s", argv[i]);
		if (f) {
			distinct += read_stacks(f, &seen);
			fclose(f);
		}
	}
	twalk_r(seen, check_captured, &c);
	printf("depot_stacks: %zu depot stacks, %zu distinct captured, %zu found (%.2f%%)\n",
	       records, distinct, c.found,
	       distinct ? 100.0 * c.found / distinct : 0.0);
	CHECK(&h, distinct > 0 && records > 0, "nothing compared");
	tdestroy(seen, free);
	tdestroy(c.depot, free);
	po_program_destroy(prog);
	return harness_finish(&h, "depot_stacks");
}
