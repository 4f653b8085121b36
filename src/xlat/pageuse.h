/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 3: what a page is now, from its struct page alone: the tests of
 * include/linux/page-flags.h (PageBuddy(), PageSlab(), PageTable(),
 * PageAnon(), ...) as this kernel spells them, era by era.  Following
 * the pointers (the cache's name, the file's path) is layer 6's.
 */
#ifndef PO_PAGEUSE_H
#define PO_PAGEUSE_H

#include <stdbool.h>
#include <stdint.h>

#include "pageowner.h"
#include "xlat/mm.h"

/* How page_type says what a page is; see read_type_encoding(). */
enum po_type_enc {
	PO_TYPE_MAPCOUNT, /* v4.14-v4.17: special _mapcount values */
	PO_TYPE_BITS, /* v4.18-v6.11: a cleared bit under PAGE_TYPE_BASE */
	PO_TYPE_BYTE, /* v6.12+: an enum pagetype in the top byte */
};

/* How PageHuge() asks the first tail page, before hugetlb was a type. */
enum po_huge_test {
	PO_HUGE_NONE, /* no hugetlb, or a page type says it (v6.9+) */
	PO_HUGE_DTOR, /* the tail's compound_dtor byte (before v6.6) */
	PO_HUGE_FLAG, /* PG_hugetlb in the tail's flags (v6.6-v6.8) */
};

/**
 * struct po_page_use_layout - what the tests read of a struct page
 * @ok: the members below were found; false: every page is "unknown"
 * @types: the value (bit or byte) of each page type, by enum po_page_use;
 *	0 for a type this kernel does not have
 * @pg_*: the page->flags masks of PG_slab (before v6.10), PG_reserved,
 *	PG_swapbacked and PG_head; 0 when absent
 * @order: where a folio's order is: the byte at @order_offset from the
 *	head's struct page (the first tail's compound_order or _folio_order,
 *	or the low byte of _flags_1)
 * @huge: how the first tail says hugetlb: its byte at @huge_offset equals
 *	@huge_value (HUGETLB_PAGE_DTOR), or its flags have the bits of
 *	@huge_value (PG_hugetlb)
 * @zs_mops: where zsmalloc's pages are movable ones, the runtime address
 *	of zsmalloc_mops their mapping points to
 */
struct po_page_use_layout {
	bool ok;
	enum po_type_enc enc;
	uint32_t type_base;
	uint32_t types[PO_USE_COUNT];
	uint64_t pg_slab, pg_reserved, pg_swapbacked, pg_head;
	struct po_member mapping, index, refcount, mapcount, slab_cache;
	bool has_slab_cache; /* false for SLOB's struct slab (v5.17-v6.3) */
	uint64_t order_offset;
	enum po_huge_test huge;
	uint64_t huge_offset, huge_value;
	uint64_t zs_mops; /* &zsmalloc_mops, v6.0-v6.10; else 0 */
};

/*
 * po_page_use_layout_read() - the tests of this kernel.  Only an
 * allocation failure is an error: what DWARF lacks leaves @ret->ok false.
 */
struct po_error *po_page_use_layout_read(struct po_mm *mm, uint64_t page_size,
					 struct po_page_use_layout *ret);

/*
 * po_page_use() - the use of the head page in @page (a struct page) and
 * the object that says which (see struct po_page_owner's use_object).
 * @tail is the struct page after @page, which says hugetlb before v6.9:
 * NULL when it could not be read (a hugetlb page is then anon or file).
 */
enum po_page_use po_page_use(const struct po_page_use_layout *u,
			     const struct po_member *flags,
			     const struct po_member *page_type,
			     const void *page, const void *tail,
			     uint64_t *object);

/*
 * po_page_type_base() - PAGE_TYPE_BASE of the bit-per-type page_type
 * (v4.18-v6.11): the enumerator where DWARF has it, else told by where
 * PG_buddy (@buddy_bit) is: 0xf0000000 under low bits (PG_buddy 0x80),
 * 0x80000000 once "mm: allow reuse of the lower 16 bit of the page type
 * with an actual type" (v6.10) put them at the top (PG_buddy 0x40000000).
 */
uint32_t po_page_type_base(struct po_debuginfo *dw, uint32_t buddy_bit);

/*
 * The order of the folio whose head is @page, read from the two struct
 * pages at @pages (head and first tail): 0 unless PG_head.
 */
unsigned int po_page_folio_order(const struct po_page_use_layout *u,
				 const struct po_member *flags,
				 const void *pages);

/*
 * struct po_pfn_uses - pfn ranges whose use the kernel's objects tell and
 * their struct pages do not (a task's kernel stack): sorted by pfn, not
 * overlapping, read-only once sorted, so the walk's threads share it.
 */
struct po_pfn_use {
	uint64_t pfn, pages;
	uint32_t use; /* enum po_page_use */
	uint64_t object;
};

struct po_pfn_uses {
	struct po_pfn_use *v;
	size_t n, cap;
	uint64_t dropped; /* ranges overlapping another: corrupt */
};

/* Sort the ranges and drop those that overlap the one before. */
void po_pfn_uses_sort(struct po_pfn_uses *u);
/* The range holding @pfn, or NULL (also for a NULL @u). */
const struct po_pfn_use *po_pfn_uses_find(const struct po_pfn_uses *u,
					  uint64_t pfn);
/*
 * po_pfn_uses_overlay() - @pfn's use given what its struct page says
 * (@use): a page of no type takes the use @u names for it, and *@object
 * that range's object; any other keeps its own.
 */
enum po_page_use po_pfn_uses_overlay(const struct po_pfn_uses *u, uint64_t pfn,
				     enum po_page_use use, uint64_t *object);

#endif /* PO_PAGEUSE_H */
