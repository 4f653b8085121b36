/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Layer 1: sanity checks of a dump file's headers before libkdumpfile. */
#ifndef PO_DUMPCHECK_H
#define PO_DUMPCHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "dump/kdump_format.h"
#include "util/error.h"

/* What po_dump_check() found of a kdump file: is it a part of a split? */
struct po_dump_split {
	bool split; /* makedumpfile --split wrote it, with the others */
	uint64_t start_pfn, end_pfn; /* the pfns it holds, [start, end) */
	uint64_t max_mapnr;
	/* The header up to its status: the same in every part of a dump. */
	uint8_t header[DD_OFF_STATUS];
};

/*
 * Check that what libkdumpfile reads and allocates when it opens the dump
 * in @fd (named @path in messages) lies inside the file.  Files that are
 * neither ELF nor diskdump pass: libkdumpfile refuses them itself.
 * *@split says whether a kdump file is a part of a split dump.
 */
struct po_error *po_dump_check(int fd, const char *path,
			       struct po_dump_split *split);

#endif /* PO_DUMPCHECK_H */
