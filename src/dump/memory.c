// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 1: memory-backed dumps, segments in place of a file. */
#include <stdlib.h>
#include <string.h>

#include "dump/internal.h"
#include "util/array.h"

struct po_error *po_dump_open_memory(const char *name, uint64_t page_size,
				     const char *vmcoreinfo,
				     struct po_dump **ret)
{
	struct po_dump *dump = calloc(1, sizeof(*dump));
	struct po_error *err = &po_enomem;

	if (!dump)
		return err;
	dump->fd = -1;
	dump->dump_level = -1;
	dump->page_size = page_size;
	dump->path = strdup(name);
	dump->format = strdup("memory");
	dump->vmcoreinfo = strdup(vmcoreinfo ? vmcoreinfo : "");
	if (dump->path && dump->format && dump->vmcoreinfo)
		err = po_vmcoreinfo_parse(dump);
	if (err) {
		po_dump_destroy(dump);
		return err;
	}
	*ret = dump;
	return NULL;
}

struct po_error *po_dump_add_segment(struct po_dump *dump, uint64_t start,
				     uint64_t size, const void *data)
{
	struct po_error *err;

	if (dump->ctx || !size || start + size < start)
		return po_error_create(PO_ERR_INVALID,
				       "%s: cannot add a segment of %llu "
				       "bytes at 0x%llx",
				       dump->path, (unsigned long long)size,
				       (unsigned long long)start);
	dump->segs = po_array_grow(dump->segs, dump->nr_segs, &dump->cap_segs,
				   sizeof(*dump->segs), &err);
	if (err)
		return err;
	/* Later segments shadow earlier ones: searched from the end. */
	dump->segs[dump->nr_segs++] = (struct mem_segment){ .start = start,
							    .size = size,
							    .data = data };
	return NULL;
}

static const struct mem_segment *find_segment(const struct po_dump *dump,
					      uint64_t addr)
{
	size_t i;

	if (dump->parent)
		dump = dump->parent;
	for (i = dump->nr_segs; i-- > 0;)
		if (addr - dump->segs[i].start < dump->segs[i].size)
			return &dump->segs[i];
	return NULL;
}

/* All of it, or an error: the last reader of a memory-backed dump. */
static size_t read_segments(struct po_dump *dump, enum po_addrspace as,
			    uint64_t addr, uint8_t *buf, size_t len,
			    struct po_error **err)
{
	size_t done = 0;

	while (done < len) {
		uint64_t a = addr + done, n;
		const struct mem_segment *s =
			as == PO_KVADDR ? find_segment(dump, a) : NULL;

		if (!s) {
			*err = po_error_addr(
				PO_ERR_FAULT, a,
				"%s: cannot read %s address 0x%llx: "
				"not in the dump",
				dump->path,
				as == PO_KVADDR ? "virtual" : "physical",
				(unsigned long long)a);
			break;
		}
		if (!s->data) {
			*err = po_error_addr(PO_ERR_EXCLUDED, a,
					     "%s: virtual address 0x%llx was "
					     "filtered out of the dump",
					     dump->path, (unsigned long long)a);
			break;
		}
		n = s->start + s->size - a;
		if (n > len - done)
			n = len - done;
		memcpy(buf + done, (const char *)s->data + (a - s->start), n);
		done += n;
	}
	return done;
}

static bool memory_takes(const struct po_dump *dump, enum po_addrspace as,
			 size_t len)
{
	return !dump->ctx;
}

const struct po_reader po_memory_reader = {
	.name = "memory image",
	.takes = memory_takes,
	.read = read_segments,
};
