// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * A synthetic kernel's struct page, in one era, chosen at build time, for
 * the things pageowner reads of it outside page_ext: how a tail page names
 * its head, PageBuddy() (and so that the page's use is free), and
 * PageHuge() of a hugetlb folio (pages[32]):
 *
 *   v4.14, v6.1    the first tail's compound_dtor == HUGETLB_PAGE_DTOR
 *   v6.6           PG_hugetlb (PG_active) in the first tail's flags, "mm:
 *                  remove HUGETLB_PAGE_DTOR" (v6.6-v6.8)
 *   v6.12          the head's page_type >> 24 == PGTY_hugetlb
 *   others         not marked: its use must not be hugetlb
 *
 * and a zsmalloc page (pages[48], by its movable_operations, v6.0-v6.10)
 * beside another non-LRU movable page (pages[49]).
 *
 *   -DPAGE_V4_14   compound_head = head + 1; PageBuddy(): _mapcount ==
 *                  PAGE_BUDDY_MAPCOUNT_VALUE (-128), no page_type;
 *                  mem_cgroup, not memcg_data
 *   -DPAGE_V6_1    compound_head = head + 1; PageBuddy(): PG_buddy (0x80)
 *                  cleared in page_type under PAGE_TYPE_BASE 0xf0000000
 *                  (v4.18-v6.9)
 *   -DPAGE_V6_6    as v6.1, hugetlb told by PG_hugetlb
 *   -DPAGE_V6_10   as v6.1 but PG_buddy 0x40000000 under PAGE_TYPE_BASE
 *                  0x80000000 ("mm: allow reuse of the lower 16 bit of the
 *                  page type with an actual type", v6.10-v6.11), both
 *                  enumerators of enum pagetype
 *   -DPAGE_V6_10_MACROS the same values as macros: no enum in DWARF
 *   -DPAGE_V6_12   compound_head = head + 1; page_type >> 24 == PGTY_buddy
 *   -DPAGE_V7_1    compound_info = head | 1, as without
 *                  CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP
 *   -DPAGE_V7_1_HVO compound_info = GENMASK(63, order + log2(64)) | 1, as
 *                  with it (struct zone has vmemmap_tails)
 *
 * Each era's set_compound_head() and __SetPageBuddy() are written as the
 * kernel wrote them, over an array of struct pages aligned as a vmemmap
 * is; the test reads the array from this process's memory, the layout
 * from this object's DWARF.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct list_head {
	struct list_head *next, *prev;
};

typedef struct {
	int counter;
} atomic_t;

/* 64 bytes, as on x86_64 and arm64: a power of two. */
struct page {
	unsigned long flags;
	union {
		struct {
			struct list_head lru;
			void *mapping;
			unsigned long index;
			unsigned long private;
		};
		struct {
#if defined(PAGE_V7_1) || defined(PAGE_V7_1_HVO)
			unsigned long compound_info;
#else
			unsigned long compound_head;
#endif
#if defined(PAGE_V4_14) || defined(PAGE_V6_1)
			unsigned char compound_dtor;
#endif
			unsigned char compound_order;
		};
		struct {
			struct list_head slab_list;
			void *slab_cache; /* in struct slab from v5.17 */
		};
	};
	union {
		atomic_t _mapcount;
#if !defined(PAGE_V4_14)
		unsigned int page_type;
#endif
	};
	atomic_t _refcount;
#if defined(PAGE_V4_14)
	struct mem_cgroup *mem_cgroup; /* memcg_data from v5.11 */
#else
	unsigned long memcg_data;
#endif
};

_Static_assert(sizeof(struct page) == 64, "struct page");

/* The page flags xlat/pageuse.c tests, as enum pageflags names them. */
enum pageflags {
	PG_active = 6,
	PG_slab = 7,
	PG_reserved = 10,
	PG_head = 15,
	PG_swapbacked = 19,
#ifdef PAGE_V6_6
	PG_hugetlb = PG_active,
#endif
};
__attribute__((used)) enum pageflags era_pageflags = PG_head;

struct zone {
	unsigned long watermark[4];
#ifdef PAGE_V7_1_HVO
	struct page *vmemmap_tails[2];
#endif
};

__attribute__((used)) struct zone era_zone;

#if defined(PAGE_V6_12) || defined(PAGE_V7_1) || defined(PAGE_V7_1_HVO)
#define HAS_PGTY
enum pagetype {
	PGTY_buddy = 0xf0,
	PGTY_offline = 0xf1,
	PGTY_table = 0xf2,
	PGTY_guard = 0xf3,
	PGTY_hugetlb = 0xf4,
	PGTY_slab = 0xf5,
	PGTY_zsmalloc = 0xf6,
};
__attribute__((used)) enum pagetype era_pagetype = PGTY_buddy;
#endif

#define PAGE_BUDDY_MAPCOUNT_VALUE (-128)
#if defined(PAGE_V6_10)
enum pagetype {
	PG_buddy = 0x40000000,
	PG_offline = 0x20000000,
	PG_table = 0x10000000,
	PAGE_TYPE_BASE = 0x80000000,
};
__attribute__((used)) enum pagetype era_pagetype = PG_buddy;
#elif defined(PAGE_V6_10_MACROS)
#define PG_buddy 0x40000000
#else
#define PG_buddy 0x00000080
#endif

#if defined(PAGE_V4_14) || defined(PAGE_V6_1)
enum compound_dtor_id {
	NULL_COMPOUND_DTOR,
	COMPOUND_PAGE_DTOR,
	HUGETLB_PAGE_DTOR,
	TRANSHUGE_PAGE_DTOR,
};
__attribute__((used)) enum compound_dtor_id era_dtor = HUGETLB_PAGE_DTOR;
#endif

/*
 * Non-LRU movable pages: page->mapping is their movable_operations plus
 * PAGE_MAPPING_MOVABLE (2) from v6.0 to v6.10.  zsmalloc's, at pages[48],
 * must read as zsmalloc there; a balloon's, at pages[49], as movable.
 * Elsewhere both are only movable: zsmalloc is a page type from v6.11,
 * which this library does not set.
 */
#if defined(PAGE_V6_1) || defined(PAGE_V6_6) || defined(PAGE_V6_10) || \
	defined(PAGE_V6_10_MACROS)
#define ZS_MOVABLE
#endif
struct movable_operations {
	void *isolate_page;
};
#ifdef ZS_MOVABLE
__attribute__((used)) const struct movable_operations zsmalloc_mops;
#else
/* Before v6.0 none; from v6.11 a page type says zsmalloc, not this. */
__attribute__((used)) const struct movable_operations not_zsmalloc_mops;
#define zsmalloc_mops not_zsmalloc_mops
#endif
__attribute__((used)) const struct movable_operations balloon_mops;
#define ZSPAGE 48
#define BALLOON 49

#define NR_PAGES 64
#define ORDER 3 /* the compound page at pages[16] */
#define BUDDY 40 /* a free order-2 block at pages[40] */
#define BUDDY_ORDER 2
#define HUGETLB 32 /* a hugetlb folio of order 2 at pages[32] */
#define HUGETLB_ORDER 2
#define HUGETLB_ANON_VMA 0x5000UL

static struct page *pages;

/* include/linux/page-flags.h of the era. */
static void set_compound_head(struct page *page, const struct page *head,
			      unsigned int order)
{
#if defined(PAGE_V7_1_HVO)
	unsigned int shift = order + 6; /* order_base_2(sizeof(struct page)) */

	(void)head;

	page->compound_info = ~((1UL << shift) - 1) | 1;
#elif defined(PAGE_V7_1)
	(void)order;
	page->compound_info = (unsigned long)head | 1;
#else
	(void)order;
	page->compound_head = (unsigned long)head + 1;
#endif
}

static void set_page_buddy(struct page *page, unsigned int order)
{
#if defined(PAGE_V4_14)
	page->_mapcount.counter = PAGE_BUDDY_MAPCOUNT_VALUE;
#elif defined(HAS_PGTY)
	page->page_type = (unsigned int)PGTY_buddy << 24;
#else
	page->page_type &= ~PG_buddy;
#endif
	page->private = order;
}

/* The era's folio_set_hugetlb() (or the dtor before it) on @head. */
static void set_hugetlb(struct page *head)
{
#if defined(PAGE_V4_14) || defined(PAGE_V6_1)
	head[1].compound_dtor = HUGETLB_PAGE_DTOR;
#elif defined(PAGE_V6_6)
	head[1].flags |= 1UL << PG_hugetlb;
#elif defined(PAGE_V6_12)
	head->page_type = (unsigned int)PGTY_hugetlb << 24;
#else
	(void)head;
#endif
}

/* A folio of @order at @head; its first tail holds the order. */
static void make_folio(struct page *head, unsigned int order)
{
	unsigned int i;

	head->flags = 1UL << PG_head;
	for (i = 1; i < 1u << order; i++)
		set_compound_head(&head[i], head, order);
	head[1].compound_order = order;
}

__attribute__((constructor)) static void make_pages(void)
{
	unsigned int i;

	/* A vmemmap is aligned to its largest folio's struct pages. */
	pages = aligned_alloc(NR_PAGES * sizeof(*pages),
			      NR_PAGES * sizeof(*pages));
	if (!pages)
		abort();
	memset(pages, 0, NR_PAGES * sizeof(*pages));
	for (i = 0; i < NR_PAGES; i++) {
		pages[i]._mapcount.counter = -1;
#if defined(PAGE_V4_14)
		pages[i].mem_cgroup = (struct mem_cgroup *)(0x1000UL + i);
#else
		pages[i].memcg_data = 0x1000UL + i;
#endif
#if !defined(PAGE_V4_14)
		/* PAGE_TYPE_BASE... : page_type starts all ones. */
		pages[i].page_type = 0xffffffffu;
#endif
	}
	make_folio(&pages[16], ORDER);
#if defined(PAGE_V4_14) || defined(PAGE_V6_1)
	pages[17].compound_dtor = COMPOUND_PAGE_DTOR;
#endif
	make_folio(&pages[HUGETLB], HUGETLB_ORDER);
	set_hugetlb(&pages[HUGETLB]);
	/* A private mapping's: its anon_vma | PAGE_MAPPING_ANON. */
	pages[HUGETLB].mapping = (void *)(HUGETLB_ANON_VMA | 1);
	set_page_buddy(&pages[BUDDY], BUDDY_ORDER);
	pages[ZSPAGE].mapping = (char *)&zsmalloc_mops + 2;
	pages[BALLOON].mapping = (char *)&balloon_mops + 2;
}

__attribute__((destructor)) static void free_pages(void)
{
	free(pages);
}

/* What the test needs. */
struct page *era_pages(void)
{
	return pages;
}

unsigned int era_nr_pages(void)
{
	return NR_PAGES;
}

/* The head of pages[@i] as the kernel's compound_head() gives it. */
unsigned int era_head_index(unsigned int i)
{
	if (i > HUGETLB && i < HUGETLB + (1u << HUGETLB_ORDER))
		return HUGETLB;
	return i > 16 && i < 16 + (1u << ORDER) ? 16 : i;
}

/* Whether pageowner must call pages[@i] hugetlb: the marked head. */
int era_hugetlb(unsigned int i)
{
#if defined(PAGE_V4_14) || defined(PAGE_V6_1) || defined(PAGE_V6_6) || \
	defined(PAGE_V6_12)
	return i == HUGETLB;
#else
	(void)i;
	return 0;
#endif
}

/* Whether pageowner must call pages[@i] zsmalloc, or movable. */
int era_zsmalloc(unsigned int i)
{
#ifdef ZS_MOVABLE
	return i == ZSPAGE;
#else
	(void)i;
	return 0;
#endif
}

int era_movable(unsigned int i)
{
	return i == BALLOON || (i == ZSPAGE && !era_zsmalloc(i));
}

/* The page->mapping pageowner must give as a hugetlb folio's object. */
unsigned long era_hugetlb_object(void)
{
	return HUGETLB_ANON_VMA | 1;
}

/* PageBuddy(pages[@i]) and its order, -1 if not. */
int era_buddy_order(unsigned int i)
{
	return i == BUDDY ? BUDDY_ORDER : -1;
}

long era_buddy_mapcount_value(void)
{
#if defined(HAS_PGTY)
	return 0; /* no such VMCOREINFO number is needed */
#elif defined(PAGE_V4_14)
	return PAGE_BUDDY_MAPCOUNT_VALUE;
#else
	return ~PG_buddy;
#endif
}
