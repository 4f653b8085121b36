// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 1: bytes that reads return instead of the dump's (dump.h). */
#include <stdlib.h>
#include <string.h>

#include "dump/internal.h"
#include "util/array.h"

struct po_error *po_dump_patch(struct po_dump *dump, enum po_addrspace as,
			       uint64_t addr, const void *bytes, size_t len)
{
	struct po_error *err;
	struct mem_patch *p;

	if (addr + len < addr)
		return po_error_addr(PO_ERR_INVALID, addr,
				     "a patch of %zu bytes at 0x%llx wraps",
				     len, (unsigned long long)addr);
	dump->patches = po_array_grow(dump->patches, dump->nr_patches,
				      &dump->cap_patches,
				      sizeof(*dump->patches), &err);
	if (err)
		return err;
	p = &dump->patches[dump->nr_patches];
	p->data = malloc(len ? len : 1);
	if (!p->data)
		return &po_enomem;
	memcpy(p->data, bytes, len);
	p->as = as;
	p->start = addr;
	p->size = len;
	dump->nr_patches++;
	return NULL;
}

void po_dump_unpatch(struct po_dump *dump)
{
	size_t i;

	for (i = 0; i < dump->nr_patches; i++)
		free(dump->patches[i].data);
	free(dump->patches);
	dump->patches = NULL;
	dump->nr_patches = dump->cap_patches = 0;
}

/*
 * Overlay the patches that overlap [@addr, @addr + @len) on @buf.  A clone
 * sees its original's patches, made before or after it was.
 */
void po_patch_apply(const struct po_dump *dump, enum po_addrspace as,
		    uint64_t addr, uint8_t *buf, size_t len)
{
	size_t i;

	if (dump->parent)
		dump = dump->parent;
	for (i = 0; i < dump->nr_patches; i++) {
		const struct mem_patch *p = &dump->patches[i];
		uint64_t lo = p->start > addr ? p->start : addr;
		uint64_t hi = p->start + p->size < addr + len ?
				      p->start + p->size :
				      addr + len;

		if (p->as == as && lo < hi)
			memcpy(buf + (lo - addr), p->data + (lo - p->start),
			       hi - lo);
	}
}
