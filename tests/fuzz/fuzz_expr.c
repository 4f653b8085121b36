// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: the shell's expression language (print, ptype, whatis)
 * over a real dump.  At start-up it opens the fixture named by PO_FUZZ_CORE
 * and PO_FUZZ_VMLINUX and evaluates two history values; each input is one
 * expression, evaluated and printed as `print` would, then given to ptype
 * and whatis.  Reads of whatever addresses the input makes up must fail
 * cleanly, and deep nesting must be refused, not overflow the stack.
 *
 * Input: byte 0 picks the radix (10, 16, 8), the rest is the expression.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pageowner.h"

#define MAX_EXPR 4096

static struct po_program *prog;
static struct po_object history[2];
static FILE *out;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, struct po_error *err)
{
	fprintf(stderr, "fuzz_expr: %s: %s\n", what,
		err ? err->message : "failed");
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *core = getenv("PO_FUZZ_CORE");
	const char *vmlinux = getenv("PO_FUZZ_VMLINUX");
	struct po_error *err;

	if (!core || !vmlinux)
		die("set PO_FUZZ_CORE and PO_FUZZ_VMLINUX", NULL);
	err = po_program_open(core, vmlinux, &prog);
	if (!err)
		err = po_eval(prog, "init_task", NULL, 0, &history[0]);
	if (!err)
		err = po_eval(prog, "&stack_pools", NULL, 0, &history[1]);
	if (err)
		die(core, err);
	out = fopen("/dev/null", "w");
	if (!out)
		die("/dev/null", NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int radix[] = { 10, 16, 8 };
	struct po_print_options opt = { 0 };
	char text[MAX_EXPR + 1];
	struct po_object obj;
	struct po_error *err;

	if (!size || size - 1 > MAX_EXPR)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	opt.radix = radix[data[0] % 3];
	opt.label = data[0] & 4 ? "$3" : NULL;
	err = po_eval(prog, text, history, 2, &obj);
	if (!err)
		err = po_object_print(prog, &obj, &opt, out);
	po_error_destroy(err);
	po_error_destroy(po_ptype(prog, text, history, 2, false, out));
	po_error_destroy(po_ptype(prog, text, history, 2, true, out));
	return 0;
}
