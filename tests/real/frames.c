// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * frames VMCORE VMLINUX CAPTURE...: for every distinct stack frame text in
 * the kernel's own captured page_owner/show_stacks output, resolve the
 * function from the dump's kallsyms, add the offset, symbolize the result
 * and require the exact same text back.  Bare-address frames ("0x...")
 * must symbolize to themselves.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pageowner.h"

/*
 * Short buffers get what snprintf() would leave: the frame's first
 * size - 1 bytes and a NUL, and nothing at all when the size is 0.
 */
static void check_cut(struct po_program *prog, uint64_t addr, const char *frame,
		      struct harness *h)
{
	size_t len = strlen(frame);
	size_t sizes[] = { 0, 1, 2, len / 2, len, len + 1 };
	char out[600], want[600];
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct po_error *err;

		memset(out, '#', sizeof(out));
		memset(want, '#', sizeof(want));
		if (sizes[i])
			snprintf(want, sizes[i], "%s", frame);
		err = po_symbolize(prog, addr, out, sizes[i]);
		CHECK(h, !err && !memcmp(out, want, sizeof(out)),
		      "frame '%s' in %zu bytes: '%.*s'", frame, sizes[i],
		      (int)(sizes[i] ? sizes[i] - 1 : 0), out);
		po_error_destroy(err);
	}
}

static int check_frame(struct po_program *prog, const char *frame,
		       struct harness *h)
{
	char func[512], out[600];
	unsigned long long off;
	struct po_error *err;
	uint64_t addr;

	if (!strncmp(frame, "0x", 2)) {
		addr = strtoull(frame, NULL, 16);
	} else {
		if (sscanf(frame, "%511[^+]+%llx", func, &off) != 2) {
			CHECK(h, 0, "unparsable frame '%s'", frame);
			return 0;
		}
		err = po_symbol_lookup(prog, func, &addr);
		if (err) {
			CHECK(h, 0, "frame '%s': %s", frame, err->message);
			po_error_destroy(err);
			return 0;
		}
		addr += off;
	}
	err = po_symbolize(prog, addr, out, sizeof(out));
	/* Another function of the same name (a local one of another file)? */
	while (!err && strcmp(out, frame) && strncmp(frame, "0x", 2)) {
		uint64_t next;

		err = po_symbol_lookup_next(prog, func, addr - off, &next);
		if (err) {
			po_error_destroy(err);
			err = NULL;
			break;
		}
		addr = next + off;
		err = po_symbolize(prog, addr, out, sizeof(out));
	}
	if (err) {
		CHECK(h, 0, "frame '%s': %s", frame, err->message);
		po_error_destroy(err);
		return 0;
	}
	CHECK(h, !strcmp(out, frame), "frame '%s' symbolized as '%s'", frame,
	      out);
	check_cut(prog, addr, frame, h);
	return !strcmp(out, frame);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

int main(int argc, char **argv)
{
	struct harness h = { 0 };
	struct po_program *prog;
	struct po_error *err;
	void *seen = NULL;
	size_t distinct = 0, exact = 0;
	int i;

	if (argc < 4) {
		fprintf(stderr, "usage: frames VMCORE VMLINUX CAPTURE...\n");
		return 2;
	}
	err = po_program_open(argv[1], argv[2], &prog);
	if (err) {
		fprintf(stderr, "frames: %s\n", err->message);
		return 2;
	}
	for (i = 3; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		CHECK(&h, f != NULL, "cannot open %s", argv[i]);
		while (f && (n = getline(&line, &cap, f)) > 0) {
			char *frame;

			if (line[0] != ' ')
				continue;
			line[strcspn(line, "\n")] = '\0';
			if (tfind(line + 1, &seen, cmp_str))
				continue;
			frame = strdup(line + 1);
			tsearch(frame, &seen, cmp_str);
			distinct++;
			exact += check_frame(prog, frame, &h);
		}
		free(line);
		if (f)
			fclose(f);
	}
	printf("frames: %zu distinct, %zu exact (%.2f%%)\n", distinct, exact,
	       distinct ? 100.0 * exact / distinct : 0.0);
	CHECK(&h, distinct > 0, "no frames found in the captures");
	tdestroy(seen, free);
	po_program_destroy(prog);
	return harness_finish(&h, "frames");
}
