/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 6: which pages are vmalloc()'s, and whose: the busy vmap_areas'
 * vm_structs (their pages[] and caller).
 */
#ifndef PO_VMALLOC_H
#define PO_VMALLOC_H

#include "xlat/memmap.h"

/**
 * struct po_vmalloc_stats - what the walk of the areas found
 * @areas: vm_structs with pages
 * @pages: their pages, as their nr_pages say
 * @bad_pages: pages[] entries that are no struct page
 * @unreadable: areas the dump could not give
 */
struct po_vmalloc_stats {
	uint64_t areas, pages, bad_pages, unreadable;
};

/*
 * po_vmalloc_uses() - add each vmalloc area's pages to @u as
 * PO_USE_VMALLOC of its vm_struct (unsorted: the caller sorts).
 */
struct po_error *po_vmalloc_uses(struct po_mm *mm, const struct po_memmap *map,
				 struct po_pfn_uses *u,
				 struct po_vmalloc_stats *st);

/* A vm_struct's addr, size and caller (the vmalloc() call site). */
struct po_vmalloc_area {
	uint64_t addr, size, caller, nr_pages;
};

struct po_error *po_vmalloc_area(struct po_mm *mm, uint64_t vm,
				 struct po_vmalloc_area *ret);

#endif /* PO_VMALLOC_H */
