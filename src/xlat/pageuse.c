// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 3: what a page is now, from its struct page alone. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xlat/pageuse.h"

static const char *const use_names[PO_USE_COUNT] = {
	[PO_USE_UNKNOWN] = "unknown",
	[PO_USE_FREE] = "free",
	[PO_USE_SLAB] = "slab",
	[PO_USE_FILE] = "file",
	[PO_USE_SHMEM] = "shmem",
	[PO_USE_ANON] = "anon",
	[PO_USE_KSM] = "ksm",
	[PO_USE_PAGETABLE] = "pagetable",
	[PO_USE_HUGETLB] = "hugetlb",
	[PO_USE_RESERVED] = "reserved",
	[PO_USE_OFFLINE] = "offline",
	[PO_USE_GUARD] = "guard",
	[PO_USE_ZSMALLOC] = "zsmalloc",
	[PO_USE_UNACCEPTED] = "unaccepted",
	[PO_USE_LARGE_KMALLOC] = "large_kmalloc",
	[PO_USE_MOVABLE] = "movable",
	[PO_USE_UNUSED] = "unused",
	[PO_USE_KERNEL] = "kernel",
	[PO_USE_KSTACK] = "kstack",
	[PO_USE_VMALLOC] = "vmalloc",
	[PO_USE_PAGE_EXT] = "page_ext",
	[PO_USE_DEPOT] = "depot",
	[PO_USE_PERCPU] = "percpu",
};

static const char *const use_meanings[PO_USE_COUNT] = {
	[PO_USE_UNKNOWN] = "its struct page is not in the dump",
	[PO_USE_FREE] = "free, in the buddy allocator",
	[PO_USE_SLAB] = "a slab of a kmem_cache",
	[PO_USE_FILE] = "page cache of a file",
	[PO_USE_SHMEM] = "shmem or tmpfs page cache (swap-backed)",
	[PO_USE_ANON] = "anonymous memory of a process",
	[PO_USE_KSM] = "anonymous memory merged by KSM",
	[PO_USE_PAGETABLE] = "a page table",
	[PO_USE_HUGETLB] = "a hugetlbfs page",
	[PO_USE_RESERVED] = "reserved (PG_reserved): memblock, kernel image",
	[PO_USE_OFFLINE] = "offline (ballooned or hot-removed)",
	[PO_USE_GUARD] = "a debug_pagealloc guard page",
	[PO_USE_ZSMALLOC] = "a zsmalloc page (zram, zswap)",
	[PO_USE_UNACCEPTED] = "memory the guest has not accepted yet",
	[PO_USE_LARGE_KMALLOC] = "a kmalloc() too large for a slab",
	[PO_USE_MOVABLE] = "a non-LRU movable page",
	[PO_USE_UNUSED] = "refcount 0 but not free: on a per-CPU free list, "
			  "or a tail of a non-compound allocation",
	[PO_USE_KERNEL] = "allocated by the kernel, of no page type "
			  "(vmalloc, page_ext, ...)",
	[PO_USE_KSTACK] = "the kernel stack of a task",
	[PO_USE_VMALLOC] = "a page of a vmalloc area",
	[PO_USE_PAGE_EXT] = "page_owner's own: a page_ext table",
	[PO_USE_DEPOT] = "page_owner's own: a stack depot pool",
	[PO_USE_PERCPU] = "a populated page of a percpu chunk",
};

const char *po_page_use_name(enum po_page_use use)
{
	return (unsigned int)use < PO_USE_COUNT ? use_names[use] : "unknown";
}

const char *po_page_use_meaning(enum po_page_use use)
{
	return (unsigned int)use < PO_USE_COUNT ? use_meanings[use] : "";
}

/* The enumerator @name, false when this kernel lacks it. */
static bool find_enum(struct po_debuginfo *dw, const char *name, int64_t *v)
{
	struct po_error *err = po_debuginfo_enumerator(dw, name, v);

	po_error_destroy(err);
	return !err;
}

/* A PG_* enumerator as a page->flags mask; 0 when this kernel lacks it. */
static uint64_t flag_mask(struct po_debuginfo *dw, const char *name)
{
	int64_t v;

	if (!find_enum(dw, name, &v))
		return 0;
	return v >= 0 && v < 64 ? (uint64_t)1 << v : 0;
}

static uint32_t enum_value(struct po_debuginfo *dw, const char *name)
{
	int64_t v;

	return find_enum(dw, name, &v) ? (uint32_t)v : 0;
}

/*
 * An enum pagetype bit of v6.9-v6.11.  A small value is a page flag of the
 * same name (PG_hugetlb was one before it became a type): not a type.
 */
static uint32_t type_bit(struct po_debuginfo *dw, const char *name)
{
	uint32_t v = enum_value(dw, name);

	return v >= 0x80 ? v : 0;
}

uint32_t po_page_type_base(struct po_debuginfo *dw, uint32_t buddy_bit)
{
	uint32_t base = enum_value(dw, "PAGE_TYPE_BASE");

	if (base)
		return base;
	return buddy_bit >= 0x10000000u ? 0x80000000u : 0xf0000000u;
}

/* ~NUMBER(name) of VMCOREINFO: the page_type bit its value clears. */
static uint32_t vmcoreinfo_bit(struct po_mm *mm, const char *name)
{
	struct po_error *err;
	int64_t v;

	err = po_mm_vmcoreinfo_number(mm, name, &v);
	if (err) {
		po_error_destroy(err);
		return 0;
	}
	return ~(uint32_t)v;
}

/* The kinds a page type can name, with the names each era gives them. */
static const struct {
	enum po_page_use use;
	const char *pgty, *pg;
} type_names[] = {
	{ PO_USE_FREE, "PGTY_buddy", "PG_buddy" },
	{ PO_USE_OFFLINE, "PGTY_offline", "PG_offline" },
	{ PO_USE_PAGETABLE, "PGTY_table", "PG_table" },
	{ PO_USE_GUARD, "PGTY_guard", "PG_guard" },
	{ PO_USE_HUGETLB, "PGTY_hugetlb", "PG_hugetlb" },
	{ PO_USE_SLAB, "PGTY_slab", "PG_slab" },
	{ PO_USE_ZSMALLOC, "PGTY_zsmalloc", "PG_zsmalloc" },
	{ PO_USE_UNACCEPTED, "PGTY_unaccepted", "PG_unaccepted" },
	{ PO_USE_LARGE_KMALLOC, "PGTY_large_kmalloc", NULL },
};

/*
 * Linux kernel commit 4ffca5a96678 ("mm: support only one page_type per
 * page") (in v6.12) made page_type's top byte an enum pagetype (PGTY_*).
 * Before it, from v4.18 ("mm: split page_type out from _mapcount"), a type
 * is a bit cleared under PAGE_TYPE_BASE; v6.9-v6.11 name those bits in an
 * enum pagetype (PG_buddy, ...) that DWARF has, with their own
 * PAGE_TYPE_BASE (po_page_type_base(): 0x80000000 with the bits at the top
 * from v6.10, 0xf0000000 with them low before).  Earlier they are macros: VMCOREINFO gives PG_buddy
 * (PAGE_BUDDY_MAPCOUNT_VALUE) and, where it has it, PG_offline; PG_table
 * is two bits above PG_buddy, past PG_offline, or three while PG_kmemcg
 * sat between them.  PG_kmemcg became MEMCG_DATA_KMEM in "mm: convert
 * page kmemcg type to a page memcg flag" (in v5.11), when struct page's
 * mem_cgroup became memcg_data (hash not checked here).
 */
static void read_type_encoding(struct po_mm *mm, bool has_page_type,
			       bool kmemcg_flag, struct po_page_use_layout *u)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	size_t i;

	if (enum_value(dw, "PGTY_buddy")) {
		u->enc = PO_TYPE_BYTE;
		for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
			u->types[type_names[i].use] =
				enum_value(dw, type_names[i].pgty);
		return;
	}
	u->enc = has_page_type ? PO_TYPE_BITS : PO_TYPE_MAPCOUNT;
	if (type_bit(dw, "PG_buddy")) {
		u->type_base = po_page_type_base(dw, type_bit(dw, "PG_buddy"));
		for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
			if (type_names[i].pg)
				u->types[type_names[i].use] =
					type_bit(dw, type_names[i].pg);
		return;
	}
	u->types[PO_USE_FREE] = vmcoreinfo_bit(mm, "PAGE_BUDDY_MAPCOUNT_VALUE");
	u->types[PO_USE_OFFLINE] =
		vmcoreinfo_bit(mm, "PAGE_OFFLINE_MAPCOUNT_VALUE");
	if (u->enc == PO_TYPE_MAPCOUNT) {
		/* Here the "bit" is the whole value: keep it as it is. */
		u->types[PO_USE_FREE] = ~u->types[PO_USE_FREE];
		u->types[PO_USE_OFFLINE] = 0;
		return;
	}
	u->type_base = po_page_type_base(dw, u->types[PO_USE_FREE]);
	if (u->type_base == 0x80000000u) {
		/* v6.10+: PG_buddy, PG_offline, PG_table, ... downwards. */
		u->types[PO_USE_PAGETABLE] = u->types[PO_USE_FREE] >> 2;
		u->types[PO_USE_HUGETLB] =
			vmcoreinfo_bit(mm, "PAGE_HUGETLB_MAPCOUNT_VALUE");
		u->types[PO_USE_SLAB] =
			vmcoreinfo_bit(mm, "PAGE_SLAB_MAPCOUNT_VALUE");
		u->types[PO_USE_UNACCEPTED] =
			vmcoreinfo_bit(mm, "PAGE_UNACCEPTED_MAPCOUNT_VALUE");
		return;
	}
	/* PG_offline (PG_balloon before v5.0), PG_kmemcg, then PG_table. */
	u->types[PO_USE_PAGETABLE] = u->types[PO_USE_FREE]
				     << (kmemcg_flag ? 3 : 2);
}

static bool find_member(struct po_debuginfo *dw, struct po_type t,
			const char *path, struct po_member *ret)
{
	struct po_error *err = po_type_member(dw, t, path, ret);

	if (err)
		po_error_destroy(err);
	return !err;
}

/*
 * Where the folio order is: Linux kernel commit ebc1baf5c9b4 ("mm: free up
 * a word in the first tail page") (in v6.6) moved it from _folio_order
 * (compound_order before folios) to the low byte of _flags_1.
 */
static bool read_order_offset(struct po_debuginfo *dw, struct po_type page,
			      uint64_t page_size, struct po_page_use_layout *u)
{
	struct po_member m;
	struct po_type folio;
	struct po_error *err;

	err = po_type_find(dw, "struct folio", &folio);
	if (err) {
		po_error_destroy(err);
		if (!find_member(dw, page, "compound_order", &m))
			return false;
		u->order_offset = page_size + m.bit_offset / 8;
		return true;
	}
	if (find_member(dw, folio, "_folio_order", &m) ||
	    find_member(dw, folio, "_flags_1", &m)) {
		u->order_offset = m.bit_offset / 8;
		return true;
	}
	return false;
}

/*
 * PageHuge() before "mm: turn folio_test_hugetlb into a PageType" (in
 * v6.9) made hugetlb a page type: the first tail page says it.  From "mm:
 * remove HUGETLB_PAGE_DTOR" (in v6.6) by PG_hugetlb (an alias of PG_active,
 * PF_SECOND) in its flags; before, by its compound_dtor (the folio's
 * _folio_dtor from v6.1) being HUGETLB_PAGE_DTOR.  Without
 * CONFIG_HUGETLB_PAGE neither name exists, and no page is hugetlb.
 * VMCOREINFO has both numbers for makedumpfile, where DWARF lacks them.
 * (Hashes not checked here.)
 */
/* The enumerator @name, else VMCOREINFO's NUMBER(@name). */
static bool find_number(struct po_mm *mm, const char *name, int64_t *v)
{
	struct po_error *err;

	if (find_enum(po_mm_debuginfo(mm), name, v))
		return true;
	err = po_mm_vmcoreinfo_number(mm, name, v);
	po_error_destroy(err);
	return !err;
}

/* Where the first tail's compound_dtor byte is, from that tail. */
static bool dtor_offset(struct po_debuginfo *dw, struct po_type page,
			uint64_t page_size, uint64_t *ret)
{
	struct po_member m;
	struct po_type folio;
	struct po_error *err;

	err = po_type_find(dw, "struct folio", &folio);
	if (!err && find_member(dw, folio, "_folio_dtor", &m) &&
	    m.bit_offset / 8 >= page_size) {
		*ret = m.bit_offset / 8 - page_size;
		return true;
	}
	po_error_destroy(err);
	if (!find_member(dw, page, "compound_dtor", &m))
		return false;
	*ret = m.bit_offset / 8;
	return true;
}

static void read_hugetlb_test(struct po_mm *mm, struct po_type page,
			      uint64_t page_size, struct po_page_use_layout *u)
{
	int64_t v;

	if (u->types[PO_USE_HUGETLB])
		return;
	if (find_number(mm, "PG_hugetlb", &v)) {
		/* v6.9-v6.11's type bit PG_hugetlb is no flag: not here. */
		if (v >= 0 && v < 64) {
			u->huge = PO_HUGE_FLAG;
			u->huge_value = (uint64_t)1 << v;
		}
		return;
	}
	if (find_number(mm, "HUGETLB_PAGE_DTOR", &v) &&
	    dtor_offset(po_mm_debuginfo(mm), page, page_size,
			&u->huge_offset) &&
	    u->huge_offset < page_size) {
		u->huge = PO_HUGE_DTOR;
		u->huge_value = (uint64_t)v;
	}
}

/*
 * zsmalloc's pages before they had a page type ("mm/zsmalloc: use a proper
 * page type", v6.11; hash not checked here) are non-LRU movable pages whose
 * page->mapping is &zsmalloc_mops plus PAGE_MAPPING_MOVABLE, since
 * 68f2736a8583 ("mm: Convert all PageMovable users to movable_operations",
 * v6.0).  Only with CONFIG_COMPACTION: without it they are not movable,
 * and nothing in struct page tells them from other kernel pages.  Before
 * v6.0 the mapping is zsmalloc's inode's address_space, which the struct
 * page alone cannot name.
 */
static void read_zsmalloc_test(struct po_mm *mm, struct po_page_use_layout *u)
{
	struct po_error *err;

	if (u->types[PO_USE_ZSMALLOC])
		return;
	err = po_mm_symbol_address(mm, "zsmalloc_mops", &u->zs_mops);
	if (err) {
		po_error_destroy(err);
		u->zs_mops = 0;
	}
}

/*
 * Linux kernel commit d122019bf061 ("mm: Split slab into its own type")
 * (in v5.17) moved slab_cache from struct page to struct slab.  SLOB's
 * struct slab (until SLOB's removal in v6.4) has none: its pages are
 * shared by every cache, and name none.
 */
static bool read_slab_cache(struct po_debuginfo *dw, struct po_type page,
			    struct po_page_use_layout *u)
{
	struct po_error *err;
	struct po_type slab;

	err = po_type_find(dw, "struct slab", &slab);
	if (!err) {
		u->has_slab_cache =
			find_member(dw, slab, "slab_cache", &u->slab_cache);
		return u->has_slab_cache ||
		       po_type_has_member(dw, slab, "units");
	}
	po_error_destroy(err);
	u->has_slab_cache = find_member(dw, page, "slab_cache", &u->slab_cache);
	return u->has_slab_cache;
}

struct po_error *po_page_use_layout_read(struct po_mm *mm, uint64_t page_size,
					 struct po_page_use_layout *ret)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_error *err;
	struct po_type page;
	bool ok;

	memset(ret, 0, sizeof(*ret));
	err = po_type_find(dw, "struct page", &page);
	if (err) {
		po_error_destroy(err);
		return NULL;
	}
	ok = find_member(dw, page, "mapping", &ret->mapping) &&
	     find_member(dw, page, "index", &ret->index) &&
	     find_member(dw, page, "_refcount", &ret->refcount) &&
	     find_member(dw, page, "_mapcount", &ret->mapcount) &&
	     read_slab_cache(dw, page, ret) &&
	     read_order_offset(dw, page, page_size, ret);
	/* "mm: rename page->index to page->__folio_index" (after v6.12,
	 * before v7.2; hash not checked here). */
	if (!ok && find_member(dw, page, "__folio_index", &ret->index))
		ok = find_member(dw, page, "mapping", &ret->mapping) &&
		     find_member(dw, page, "_refcount", &ret->refcount) &&
		     find_member(dw, page, "_mapcount", &ret->mapcount) &&
		     read_slab_cache(dw, page, ret) &&
		     read_order_offset(dw, page, page_size, ret);
	if (!ok)
		return NULL;
	ret->pg_slab = flag_mask(dw, "PG_slab");
	ret->pg_reserved = flag_mask(dw, "PG_reserved");
	ret->pg_swapbacked = flag_mask(dw, "PG_swapbacked");
	ret->pg_head = flag_mask(dw, "PG_head");
	read_type_encoding(mm, po_type_has_member(dw, page, "page_type"),
			   po_type_has_member(dw, page, "mem_cgroup"), ret);
	read_hugetlb_test(mm, page, page_size, ret);
	read_zsmalloc_test(mm, ret);
	ret->ok = ret->pg_head != 0;
	return NULL;
}

/* Whether @t (page_type, or _mapcount before v4.18) is of type @v. */
static bool is_type(const struct po_page_use_layout *u, uint32_t t, uint32_t v)
{
	switch (u->enc) {
	case PO_TYPE_BYTE:
		return t >> 24 == v;
	case PO_TYPE_BITS:
		/* PageType(): the base set, the type's bit cleared. */
		return (t & (u->type_base | v)) == u->type_base;
	default:
		return t == v;
	}
}

static enum po_page_use type_of(const struct po_page_use_layout *u, uint32_t t)
{
	unsigned int i;

	for (i = 0; i < PO_USE_COUNT; i++)
		if (u->types[i] && is_type(u, t, u->types[i]))
			return (enum po_page_use)i;
	return PO_USE_UNKNOWN;
}

/* PAGE_MAPPING_ANON and PAGE_MAPPING_MOVABLE (FOLIO_MAPPING_* in v7.x). */
#define MAPPING_ANON 1u
#define MAPPING_MOVABLE 2u
#define MAPPING_FLAGS 3u

/* PageHuge() of a head before v6.9, from its first tail @tail. */
static bool tail_says_hugetlb(const struct po_page_use_layout *u,
			      const struct po_member *flags, uint64_t f,
			      const void *tail)
{
	if (!tail || !(f & u->pg_head))
		return false;
	switch (u->huge) {
	case PO_HUGE_DTOR:
		return ((const uint8_t *)tail)[u->huge_offset] == u->huge_value;
	case PO_HUGE_FLAG:
		return (po_member_get(flags, tail) & u->huge_value) != 0;
	default:
		return false;
	}
}

enum po_page_use po_page_use(const struct po_page_use_layout *u,
			     const struct po_member *flags,
			     const struct po_member *page_type,
			     const void *page, const void *tail,
			     uint64_t *object)
{
	uint64_t f = po_member_get(flags, page), mapping;
	enum po_page_use use;

	*object = 0;
	if (!u->ok)
		return PO_USE_UNKNOWN;
	use = type_of(u, (uint32_t)po_member_get(page_type, page));
	if (use == PO_USE_HUGETLB ||
	    (use == PO_USE_UNKNOWN && tail_says_hugetlb(u, flags, f, tail))) {
		/* Its mapping as is: bit 0 tells an anon_vma from a file's. */
		*object = po_member_get(&u->mapping, page);
		return PO_USE_HUGETLB;
	}
	if (use == PO_USE_SLAB || (use == PO_USE_UNKNOWN && f & u->pg_slab)) {
		*object = u->has_slab_cache ?
				  po_member_get(&u->slab_cache, page) :
				  0;
		return PO_USE_SLAB;
	}
	if (use != PO_USE_UNKNOWN)
		return use;
	if (f & u->pg_reserved)
		return PO_USE_RESERVED;
	mapping = po_member_get(&u->mapping, page);
	*object = mapping & ~(uint64_t)MAPPING_FLAGS;
	switch (mapping & MAPPING_FLAGS) {
	case MAPPING_ANON:
		return PO_USE_ANON;
	case MAPPING_ANON | MAPPING_MOVABLE:
		return PO_USE_KSM;
	case MAPPING_MOVABLE:
		if (u->zs_mops && *object == u->zs_mops) {
			*object = 0; /* as for a typed zsmalloc page */
			return PO_USE_ZSMALLOC;
		}
		return PO_USE_MOVABLE;
	default:
		break;
	}
	if (mapping)
		return f & u->pg_swapbacked ? PO_USE_SHMEM : PO_USE_FILE;
	return (uint32_t)po_member_get(&u->refcount, page) ? PO_USE_KERNEL :
							     PO_USE_UNUSED;
}

unsigned int po_page_folio_order(const struct po_page_use_layout *u,
				 const struct po_member *flags,
				 const void *pages)
{
	unsigned int order;

	if (!u->ok || !(po_member_get(flags, pages) & u->pg_head))
		return 0;
	order = ((const uint8_t *)pages)[u->order_offset];
	/* Gigantic hugetlb folios are order 18; more is corrupt data. */
	return order < 32 ? order : 0;
}

/*
 * A vmalloc area's page may also be a kernel stack (CONFIG_VMAP_STACK) or
 * a page_ext table (vzalloc()ed): those say more.
 */
static int use_rank(uint32_t use)
{
	return use == PO_USE_VMALLOC ? 1 : 0;
}

static int range_cmp(const void *x, const void *y)
{
	const struct po_pfn_use *a = x, *b = y;

	if (a->pfn != b->pfn)
		return (a->pfn > b->pfn) - (a->pfn < b->pfn);
	/* Of two names for one page the narrower goes first, and stays. */
	return (use_rank(a->use) > use_rank(b->use)) -
	       (use_rank(a->use) < use_rank(b->use));
}

void po_pfn_uses_sort(struct po_pfn_uses *u)
{
	size_t i, n = 0;

	if (!u->n)
		return;
	qsort(u->v, u->n, sizeof(*u->v), range_cmp);
	/* A range that overlaps the one before it is corrupt: drop it. */
	for (i = 1; i < u->n; i++) {
		if (u->v[i].pfn < u->v[n].pfn + u->v[n].pages) {
			u->dropped++;
			continue;
		}
		u->v[++n] = u->v[i];
	}
	u->n = n + 1;
}

const struct po_pfn_use *po_pfn_uses_find(const struct po_pfn_uses *u,
					  uint64_t pfn)
{
	size_t lo = 0, hi = u ? u->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct po_pfn_use *r = &u->v[mid];

		if (pfn < r->pfn)
			hi = mid;
		else if (pfn >= r->pfn + r->pages)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

enum po_page_use po_pfn_uses_overlay(const struct po_pfn_uses *u, uint64_t pfn,
				     enum po_page_use use, uint64_t *object)
{
	const struct po_pfn_use *r;

	if (use != PO_USE_KERNEL && use != PO_USE_UNUSED &&
	    use != PO_USE_RESERVED)
		return use;
	r = po_pfn_uses_find(u, pfn);
	/*
	 * Of reserved pages only the percpu first chunk's are named: memblock
	 * gave them and pcpu_nr_pages() counts them.  A reserved page another
	 * table names (a vmap() of the kernel image or of memblock memory)
	 * stays reserved, what its struct page says.
	 */
	if (!r || (use == PO_USE_RESERVED && r->use != PO_USE_PERCPU))
		return use;
	*object = r->object;
	return (enum po_page_use)r->use;
}
