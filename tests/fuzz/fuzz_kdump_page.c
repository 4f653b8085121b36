// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: our diskdump reader's page decoders (zlib through
 * libdeflate, lzo, snappy and zstd) on hostile compressed data.  The
 * first input byte picks the codec, the rest is one page's data; it goes
 * into a copy of a real kdump file (the 64-pfn lzo seed of dump_open,
 * PO_FUZZ_KDUMP_PAGE or KDUMP_TEMPLATE) as its first dumped page, whose
 * descriptor is rewritten to point at it, and po_diskdump_read() reads
 * that page whole and in a short piece.  No libkdumpfile context is made,
 * so every input costs a decode, not an open.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dump/diskdump.h"

#ifndef KDUMP_TEMPLATE
#define KDUMP_TEMPLATE \
	"tests/fuzz/corpus/dump_open/27d6f1917bea52727878983fe03df7d352957b96"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct template
{
	uint8_t *buf;
	size_t len;
	uint64_t pdesc; /* the first descriptor's offset */
	uint64_t pfn; /* the first dumped pfn */
	uint32_t block;
};

static int load_template(struct template *t)
{
	const char *path = getenv("PO_FUZZ_KDUMP_PAGE");
	uint32_t sub, bmb;
	uint64_t bitmap, second, i;
	FILE *f = fopen(path ? path : KDUMP_TEMPLATE, "rb");

	if (!f)
		return -1;
	t->buf = malloc(1 << 20);
	t->len = t->buf ? fread(t->buf, 1, 1 << 20, f) : 0;
	fclose(f);
	if (t->len < 4096 || memcmp(t->buf, "KDUMP   ", 8))
		return -1;
	memcpy(&t->block, t->buf + 428, 4);
	memcpy(&sub, t->buf + 432, 4);
	memcpy(&bmb, t->buf + 436, 4);
	bitmap = (uint64_t)bmb * t->block / 2;
	second = (1 + (uint64_t)sub) * t->block + bitmap;
	t->pdesc = (1 + (uint64_t)sub + bmb) * t->block;
	for (i = 0; i < bitmap * 8 && second + i / 8 < t->len; i++)
		if (t->buf[second + i / 8] >> (i % 8) & 1)
			break;
	t->pfn = i;
	return t->pdesc + 24 <= t->len ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t codecs[] = { 0x1, 0x2, 0x4, 0x20 };
	static struct template t;
	static int loaded;
	struct po_diskdump *dd = NULL;
	enum po_diskdump_stop stop;
	uint8_t page[65536];
	uint64_t off;
	uint32_t len, flags;
	int fd;

	if (!loaded)
		loaded = load_template(&t) ? -1 : 1;
	if (loaded < 0 || size < 1 || size - 1 > t.block)
		return 0;
	fd = memfd_create("fuzz-kdump-page", 0);
	if (fd < 0)
		return 0;
	off = htole64(t.len);
	len = htole32((uint32_t)(size - 1));
	flags = htole32(codecs[data[0] & 3]);
	memcpy(t.buf + t.pdesc, &off, 8);
	memcpy(t.buf + t.pdesc + 8, &len, 4);
	memcpy(t.buf + t.pdesc + 12, &flags, 4);
	if (write(fd, t.buf, t.len) == (ssize_t)t.len &&
	    write(fd, data + 1, size - 1) == (ssize_t)(size - 1) &&
	    !po_diskdump_open(&fd, 1, 4096, &dd) && dd) {
		po_diskdump_read(dd, t.pfn * 4096, page, 4096, &stop);
		po_diskdump_read(dd, t.pfn * 4096 + 100, page, 200, &stop);
	}
	po_diskdump_destroy(dd);
	close(fd);
	return 0;
}
