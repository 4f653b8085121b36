/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 3: the memory model.  SPARSEMEM sections (classic and VMEMMAP,
 * mem_section as an array or a pointer), pfn_valid(), pfn_to_page(), the
 * layout of struct page, PageBuddy() and the pageblock migratetype bitmap.
 * Everything is read once, at create, from DWARF, VMCOREINFO and the
 * dump's mem_section table.
 */
#ifndef PO_MEMMAP_H
#define PO_MEMMAP_H

#include "xlat/mm.h"
#include "xlat/pageuse.h"

struct po_memmap;

/**
 * struct po_page_layout - the members of struct page that page_owner uses
 * @size: sizeof(struct page)
 * @has_memcg: struct page has memcg_data (v5.11+)
 */
/* How PageBuddy() reads a struct page: see read_buddy_test(). */
/* How a tail page names its head: see read_compound_layout(). */
enum po_compound_enc {
	PO_COMPOUND_UNKNOWN, /* neither member: lookup cannot find heads */
	PO_COMPOUND_POINTER, /* bit 0 set: head + 1 */
	PO_COMPOUND_MASK, /* bit 0 set: a mask to apply to the tail's address */
};

enum po_buddy_test {
	PO_BUDDY_PGTY, /* v6.12+: page_type >> 24 == PGTY_buddy */
	PO_BUDDY_TYPE_BIT, /* v4.18-v6.11: page_type's PG_buddy bit clear */
	PO_BUDDY_MAPCOUNT, /* v4.14-v4.17: _mapcount == PAGE_BUDDY_MAPCOUNT_VALUE */
};

struct po_page_layout {
	uint64_t size;
	struct po_member flags;
	struct po_member private_;
	struct po_member page_type;
	struct po_member compound_head; /* compound_head or compound_info */
	enum po_compound_enc compound;
	struct po_member memcg_data;
	bool has_memcg;
	enum po_buddy_test buddy;
	uint32_t buddy_value;
	uint32_t type_base; /* PAGE_TYPE_BASE, for PO_BUDDY_TYPE_BIT */
	struct po_page_use_layout use; /* what the page is now */
};

struct po_error *po_memmap_create(struct po_mm *mm, struct po_memmap **ret);
void po_memmap_destroy(struct po_memmap *mm);

/* min_low_pfn and max_pfn: the range page_owner's reader walks. */
uint64_t po_memmap_min_pfn(const struct po_memmap *mm);
uint64_t po_memmap_max_pfn(const struct po_memmap *mm);
/* MAX_ORDER_NR_PAGES: the largest buddy block, in pages. */
uint64_t po_memmap_max_order_pages(const struct po_memmap *mm);
/* Buddy orders above this are not buddy orders (MAX_PAGE_ORDER). */
unsigned int po_memmap_max_page_order(const struct po_memmap *mm);
/* PAGES_PER_SECTION. */
uint64_t po_memmap_section_pages(const struct po_memmap *mm);
unsigned int po_memmap_pageblock_order(const struct po_memmap *mm);
/* How pageblock_order was found, for `info`. */
const char *po_memmap_pageblock_order_source(const struct po_memmap *mm);
const struct po_page_layout *po_memmap_page_layout(const struct po_memmap *mm);

/* The kernel's pfn_valid(): a section with a mem_map, subsection present. */
bool po_memmap_pfn_valid(const struct po_memmap *mm, uint64_t pfn);
/* Whether pfn_valid() holds for every pfn of @pfn's section. */
bool po_memmap_section_all_valid(const struct po_memmap *mm, uint64_t pfn);
/*
 * Address of @pfn's struct page when its section has a mem_map, whether or
 * not the pfn itself is valid (bulk reads of a section start anywhere).
 */
bool po_memmap_section_page(const struct po_memmap *mm, uint64_t pfn,
			    uint64_t *ret);
/* Address of @pfn's struct page; PO_ERR_INVALID when !pfn_valid(). */
struct po_error *po_memmap_page_address(const struct po_memmap *mm,
					uint64_t pfn, uint64_t *ret);
/*
 * The raw page_ext pointer of @pfn's section (biased by the section's first
 * pfn, bit 0 set when invalid), or 0 when there is none.
 */
uint64_t po_memmap_section_page_ext(const struct po_memmap *mm, uint64_t pfn);

/*
 * PageBuddy() and buddy_order_unsafe() of a struct page in a buffer.
 * Inline: the page_ext walk asks for every pfn it reaches.
 */
static inline bool po_page_is_buddy(const struct po_page_layout *pl,
				    const void *page)
{
	uint32_t t = (uint32_t)po_member_get(&pl->page_type, page);

	switch (pl->buddy) {
	case PO_BUDDY_PGTY:
		return t >> 24 == pl->buddy_value;
	case PO_BUDDY_TYPE_BIT:
		/* PageType(): PAGE_TYPE_BASE set, the type's bit cleared. */
		return (t & (pl->type_base | ~pl->buddy_value)) ==
		       pl->type_base;
	default:
		return t == pl->buddy_value;
	}
}

static inline uint64_t po_page_buddy_order(const struct po_page_layout *pl,
					   const void *page)
{
	return po_member_get(&pl->private_, page);
}
/*
 * po_page_layout_read() - struct page as this kernel lays it out, from
 * DWARF (and VMCOREINFO's PAGE_BUDDY_MAPCOUNT_VALUE before v6.12): what
 * po_memmap_create() reads first, on its own for the era tests.
 */
struct po_error *po_page_layout_read(struct po_mm *mm,
				     struct po_page_layout *ret);
/* compound_head() of a struct page at @page_addr, copied into @page. */
uint64_t po_page_compound_head(const struct po_page_layout *pl,
			       const void *page, uint64_t page_addr);
/*
 * compound_head() of a page at @page_addr: @page_addr itself if no tail,
 * or if the layout does not say (PO_COMPOUND_UNKNOWN).
 */
uint64_t po_memmap_compound_head(const struct po_memmap *mm, const void *page,
				 uint64_t page_addr);

/* get_pageblock_migratetype() of @pfn, or -1 when the bitmap is missing. */
int po_memmap_pageblock_migratetype(const struct po_memmap *mm, uint64_t pfn);

/* The pfn of a struct page address inside the mem_map, if it is one. */
bool po_memmap_page_to_pfn(const struct po_memmap *mm, uint64_t page_addr,
			   uint64_t *ret);

#endif /* PO_MEMMAP_H */
