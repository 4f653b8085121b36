// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * dwarf_index_real ELF...: the name index that dwarfscan.c builds at open
 * (types, variables, enumerators of every unit's top-level DIEs) holds the
 * same entries, in the same order, as the same pass through libdw alone,
 * which read every DIE with dwarf_siblingof() and dwarf_diename().  Run on
 * each fixture's vmlinux and on the era libraries, built by gcc (DWARF 5,
 * strp names) and by clang (strx names through .debug_str_offsets).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>

#include "debuginfo/debuginfo.h"
#include "harness.h"

int main(int argc, char **argv)
{
	struct harness h = { 0 };
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: dwarf_index_real ELF...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct po_debuginfo *dw = NULL;
		struct po_error *err = po_dwarf_open(argv[i], &dw);
		uint64_t differ = 0;
		char first[512];

		if (!err)
			err = po_dwarf_index_check(dw, &differ, first,
						   sizeof(first));
		CHECK(&h, !err, "%s: %s", argv[i], err ? err->message : "ok");
		if (!err)
			CHECK(&h, !differ,
			      "%s: %" PRIu64 " entries differ from libdw's; %s",
			      argv[i], differ, first);
		po_error_destroy(err);
		po_debuginfo_destroy(dw);
	}
	return harness_finish(&h, "dwarf_index_real");
}
