// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: opening a dump file (ELF, kdump, or makedumpfile's
 * flattened format, which flat.c rearranges) and reading from it: a page,
 * then short reads (diskdump.c's page cache and lone descriptors), one
 * across two pages.  The input is the whole file, offered through a
 * memfd.  The seed corpus has a real kdump cut to its first 64 pfns
 * (patch-dump.py shrink), so that mutations reach the page data.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dump/dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct po_dump *dump = NULL;
	struct po_error *err;
	char path[64], page[4096];
	int fd = memfd_create("fuzz-vmcore", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		err = po_dump_open(path, &dump);
		if (!err) {
			po_dump_vmcoreinfo(dump, "OSRELEASE");
			po_error_destroy(po_dump_read(dump, PO_PHYSADDR, 0x1000,
						      page, sizeof(page)));
			po_error_destroy(po_dump_read(dump, PO_PHYSADDR, 0x1010,
						      page, 100));
			po_error_destroy(po_dump_read(dump, PO_PHYSADDR, 0x3fc0,
						      page, 200));
			po_error_destroy(po_dump_read(dump, PO_PHYSADDR,
						      0x3f000, page, 64));
		}
		po_error_destroy(err);
		po_dump_destroy(dump);
	}
	close(fd);
	return 0;
}
