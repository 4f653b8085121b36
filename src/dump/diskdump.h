/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 1: the pages of a kdump-compressed (diskdump) dump, read beside
 * libkdumpfile.  A walk reads thousands of pages in pfn order; this reads
 * their descriptors a block at a time, their compressed data in large
 * preads, and inflates and checks each page with libdeflate.  Small reads
 * come here too, with a cache of the pages they decoded, so that a damaged
 * page is reported as such and libkdumpfile never sees it.  The rest is
 * left to libkdumpfile: excluded pages, and dumps this does not know
 * (foreign byte order, odd headers).  A dump makedumpfile --split wrote
 * into several files is read as one.
 */
#ifndef PO_DISKDUMP_H
#define PO_DISKDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct po_diskdump;

/*
 * po_diskdump_open() - a reader of the dump open on @fds, whose pages are
 * @page_size bytes: one file, or the @nr_fds parts of a dump makedumpfile
 * --split wrote, in pfn order.  *@ret is NULL when the dump is not one it
 * reads.  Only running out of memory is an error.  Each thread needs its
 * own reader.
 */
struct po_error *po_diskdump_open(const int *fds, size_t nr_fds,
				  uint64_t page_size, struct po_diskdump **ret);
/*
 * po_diskdump_clone() - a reader for another thread, reading @fds (the
 * same files): it shares @from's layout and page counts, which @from
 * must outlive, and has its own buffers and decompressor.
 */
struct po_error *po_diskdump_clone(const struct po_diskdump *from,
				   const int *fds, struct po_diskdump **ret);
void po_diskdump_destroy(struct po_diskdump *dd);

/* Why po_diskdump_read() stopped short. */
enum po_diskdump_stop {
	PO_DD_DONE, /* it did not */
	PO_DD_LEFT, /* a page for libkdumpfile: its data or its error */
	PO_DD_DAMAGED, /* a page whose descriptor or data are damaged */
	PO_DD_UNWRITTEN, /* a page an incomplete dump never wrote */
};

/*
 * po_diskdump_read() - copy physical memory [@paddr, @paddr + @len) into
 * @buf.  Returns the bytes copied from the start: fewer than @len at the
 * first page it leaves to libkdumpfile, for its data or its error, or at
 * a page that is damaged or was never written (*@stop says which).  Those
 * are not for libkdumpfile: 0.5.1 can crash on them.  A read shorter than
 * a page keeps the pages it decodes for the next ones; longer reads
 * stream.
 */
size_t po_diskdump_read(struct po_diskdump *dd, uint64_t paddr, void *buf,
			size_t len, enum po_diskdump_stop *stop);
/* The header says makedumpfile could not write it all. */
bool po_diskdump_incomplete(const struct po_diskdump *dd);
/* What the header says the pages are compressed with: "zlib", "none"... */
const char *po_diskdump_compression(const struct po_diskdump *dd);

#endif /* PO_DISKDUMP_H */
