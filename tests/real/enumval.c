// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * enumval VMLINUX NAME: print the value of enumerator NAME from vmlinux's
 * DWARF.  The real-dump tests use it to learn a fixture's page flag bits
 * (PG_anon_exclusive) without hard-coding them per kernel.
 */
#include <inttypes.h>
#include <stdio.h>

#include "debuginfo/debuginfo.h"

int main(int argc, char **argv)
{
	struct po_debuginfo *dw;
	struct po_error *err;
	int64_t v;

	if (argc != 3) {
		fprintf(stderr, "usage: enumval VMLINUX NAME\n");
		return 2;
	}
	err = po_dwarf_open(argv[1], &dw);
	if (!err) {
		err = po_debuginfo_enumerator(dw, argv[2], &v);
		po_debuginfo_destroy(dw);
	}
	if (err) {
		fprintf(stderr, "enumval: %s\n", err->message);
		po_error_destroy(err);
		return 1;
	}
	printf("%" PRId64 "\n", v);
	return 0;
}
