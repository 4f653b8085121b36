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

/* Collect the symbolized stacks of every depot record into @set. */
static size_t depot_stacks(struct po_program *prog, void **set,
			   struct harness *h)
{
	char *text = NULL, *line, *save = NULL, *cur = NULL;
	size_t size = 0, len = 0, n = 0;
	FILE *out = open_memstream(&text, &size);
	struct po_error *err = po_report_depot(prog, true, out);

	fclose(out);
	CHECK(h, !err, "depot --records: %s", err ? err->message : "");
	po_error_destroy(err);
	for (line = strtok_r(text, "\n", &save);;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line && line[0] == ' ') {
			append(&cur, &len, line);
			append(&cur, &len, "\n");
			continue;
		}
		if (cur && !tfind(cur, set, cmp_str)) {
			tsearch(cur, set, cmp_str);
			n++;
		} else {
			free(cur);
		}
		cur = NULL;
		len = 0;
		if (!line || !strncmp(line, "era:", 4))
			break; /* the summary follows the records */
	}
	free(text);
	return n;
}

int main(int argc, char **argv)
{
	struct harness h = { 0 };
	struct po_program *prog;
	struct po_error *err;
	void *depot = NULL, *seen = NULL;
	size_t records, distinct = 0, found = 0;
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
	records = depot_stacks(prog, &depot, &h);
	for (i = 3; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		char *line = NULL, *cur = NULL;
		size_t cap = 0, len = 0;

		CHECK(&h, f != NULL, "cannot open %s", argv[i]);
		while (f) {
			ssize_t n = getline(&line, &cap, f);

			if (n > 0 && line[0] == ' ') {
				append(&cur, &len, line);
				continue;
			}
			if (cur && !tfind(cur, &seen, cmp_str)) {
				tsearch(cur, &seen, cmp_str);
				distinct++;
				if (tfind(cur, &depot, cmp_str))
					found++;
				else
					CHECK(&h, 0,
					      "captured stack not in the depot:\n%s",
					      cur);
			} else {
				free(cur);
			}
			cur = NULL;
			len = 0;
			if (n <= 0)
				break;
		}
		free(line);
		if (f)
			fclose(f);
	}
	printf("depot_stacks: %zu depot stacks, %zu distinct captured, %zu found (%.2f%%)\n",
	       records, distinct, found,
	       distinct ? 100.0 * found / distinct : 0.0);
	CHECK(&h, distinct > 0 && records > 0, "nothing compared");
	tdestroy(seen, free);
	tdestroy(depot, free);
	po_program_destroy(prog);
	return harness_finish(&h, "depot_stacks");
}
