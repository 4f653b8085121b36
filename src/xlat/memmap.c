// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 3: SPARSEMEM sections, struct page and pageblock bitmaps. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xlat/memmap.h"

/*
 * Section flag bits, for kernels that still define them as macros.  From
 * v5.3 ("mm/sparsemem: ... SECTION_IS_EARLY") to v5.19 they are bits 0-4;
 * later kernels put them in an enum that DWARF gives us.
 */
#define OLD_SECTION_HAS_MEM_MAP_BIT 1
#define OLD_SECTION_IS_EARLY_BIT 3
#define OLD_SECTION_MAP_LAST_BIT 5
/* SUBSECTION_SHIFT: 2 MiB subsections on every architecture since v5.3. */
#define SUBSECTION_SHIFT 21

struct po_section {
	uint64_t map; /* section_mem_map & SECTION_MAP_MASK (pfn-biased) */
	uint64_t flags; /* its low bits */
	uint64_t page_ext; /* raw ms->page_ext */
	uint8_t *usage; /* copy of struct mem_section_usage + usemap */
};

struct po_memmap {
	struct po_mm *mm;
	uint64_t min_pfn, max_pfn;
	unsigned int section_shift; /* PFN_SECTION_SHIFT */
	uint64_t nr_sections; /* sections below max_pfn */
	struct po_section *sections;
	uint64_t has_mem_map_mask, early_mask;
	unsigned int section_flag_bits; /* SECTION_MAP_LAST_BIT */
	unsigned int max_page_order;
	unsigned int pageblock_order;
	const char *pageblock_source;
	uint64_t nr_pageblock_bits, migratetype_mask;
	/* Where the bitmaps sit in the usage copy, -1 when absent. */
	int64_t usemap_offset, subsection_offset;
	uint64_t usage_bytes;
	struct po_page_layout page;
};

/* Read an enumerator, or use @fallback when this kernel has none. */
static int64_t enumerator_or(struct po_debuginfo *dw, const char *name,
			     int64_t fallback)
{
	int64_t v;
	struct po_error *err = po_debuginfo_enumerator(dw, name, &v);

	if (err) {
		po_error_destroy(err);
		return fallback;
	}
	return v;
}

static struct po_error *page_member(struct po_debuginfo *dw,
				    struct po_type page, const char *name,
				    struct po_member *ret)
{
	struct po_error *err = po_type_member(dw, page, name, ret);

	return err ? po_error_prefix(err, "struct page: ") : NULL;
}

/*
 * How a tail page points at its head.  Only lookup needs it; the walk
 * judges pages by page_ext and never looks for a head, so a layout that
 * has neither member only costs lookup its tail-page answer.
 *
 * Linux kernel commit d50569612c29 ("mm: rename the 'compound_head' field
 * in the 'struct page' to 'compound_info'") (in v7.1) renamed the member,
 * and Linux kernel commit 8c846c879e22 ("mm: rework compound_head() for
 * power-of-2 sizeof(struct page)") (in v7.1) made it, when
 * compound_info_has_mask() (CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP and a
 * power-of-two struct page), GENMASK(63, order + log2(sizeof(struct
 * page))) | 1 rather than head + 1.  The config shows in DWARF as struct
 * zone's vmemmap_tails, the test drgn uses too.
 */
static struct po_error *read_compound_layout(struct po_debuginfo *dw,
					     struct po_type page,
					     struct po_page_layout *pl)
{
	struct po_error *err;
	struct po_type zone;
	bool hvo;

	if (po_type_has_member(dw, page, "compound_head")) {
		pl->compound = PO_COMPOUND_POINTER;
		return page_member(dw, page, "compound_head",
				   &pl->compound_head);
	}
	if (!po_type_has_member(dw, page, "compound_info")) {
		pl->compound = PO_COMPOUND_UNKNOWN;
		return NULL;
	}
	err = po_type_find(dw, "struct zone", &zone);
	if (err)
		return err;
	hvo = po_type_has_member(dw, zone, "vmemmap_tails");
	pl->compound = hvo && !(pl->size & (pl->size - 1)) ?
			       PO_COMPOUND_MASK :
			       PO_COMPOUND_POINTER;
	return page_member(dw, page, "compound_info", &pl->compound_head);
}

static struct po_error *read_members(struct po_debuginfo *dw,
				     struct po_page_layout *pl)
{
	struct po_error *err;
	struct po_type page;

	err = po_type_find(dw, "struct page", &page);
	if (!err)
		err = po_type_size(dw, page, &pl->size);
	if (!err)
		err = page_member(dw, page, "flags", &pl->flags);
	if (!err)
		err = page_member(dw, page, "private", &pl->private_);
	if (!err)
		err = read_compound_layout(dw, page, pl);
	if (err)
		return err;
	/*
	 * Linux kernel commit 53fbef56e07d ("mm: introduce memdesc_flags_t")
	 * (in v6.18) wraps the flags word in { unsigned long f; }.
	 */
	if (po_type_has_member(dw, page, "flags.f"))
		err = page_member(dw, page, "flags.f", &pl->flags);
	pl->has_memcg = true;
	if (po_type_has_member(dw, page, "memcg_data"))
		err = page_member(dw, page, "memcg_data", &pl->memcg_data);
	else if (po_type_has_member(dw, page, "mem_cgroup"))
		err = page_member(dw, page, "mem_cgroup", &pl->memcg_data);
	else
		pl->has_memcg = false;
	return err;
}

/*
 * PageBuddy() changed twice: v4.18 ("mm: split page_type out from
 * _mapcount") made it a cleared bit in page_type (under a PAGE_TYPE_BASE
 * that v6.10 moved: po_page_type_base()), and v6.12 ("mm: support only
 * one page_type per page") an 8-bit type in the top byte.
 */
static struct po_error *read_buddy_test(struct po_mm *mm,
					struct po_page_layout *pl)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_type page;
	struct po_error *err;
	int64_t v;

	err = po_type_find(dw, "struct page", &page);
	if (err)
		return err;
	err = po_debuginfo_enumerator(dw, "PGTY_buddy", &v);
	if (!err) {
		pl->buddy = PO_BUDDY_PGTY;
		pl->buddy_value = (uint32_t)v;
		return page_member(dw, page, "page_type", &pl->page_type);
	}
	if (!po_error_catch(&err, PO_ERR_LOOKUP))
		return err;
	err = po_mm_vmcoreinfo_number(mm, "PAGE_BUDDY_MAPCOUNT_VALUE", &v);
	if (err)
		return err;
	pl->buddy_value = (uint32_t)v;
	if (po_type_has_member(dw, page, "page_type")) {
		pl->buddy = PO_BUDDY_TYPE_BIT;
		pl->type_base = po_page_type_base(dw, ~pl->buddy_value);
		return page_member(dw, page, "page_type", &pl->page_type);
	}
	pl->buddy = PO_BUDDY_MAPCOUNT;
	return page_member(dw, page, "_mapcount", &pl->page_type);
}

struct po_error *po_page_layout_read(struct po_mm *mm,
				     struct po_page_layout *ret)
{
	struct po_error *err;

	memset(ret, 0, sizeof(*ret));
	err = read_members(po_mm_debuginfo(mm), ret);
	if (!err)
		err = read_buddy_test(mm, ret);
	if (!err)
		err = po_page_use_layout_read(mm, ret->size, &ret->use);
	return err;
}

uint64_t po_page_compound_head(const struct po_page_layout *pl,
			       const void *page, uint64_t page_addr)
{
	uint64_t info;

	if (pl->compound == PO_COMPOUND_UNKNOWN)
		return page_addr;
	info = po_member_get(&pl->compound_head, page);
	if (!(info & 1))
		return page_addr;
	/* Bit 0 of the mask is set, and clear in @page_addr. */
	return pl->compound == PO_COMPOUND_MASK ? page_addr & info : info - 1;
}

uint64_t po_memmap_compound_head(const struct po_memmap *m, const void *page,
				 uint64_t page_addr)
{
	return po_page_compound_head(&m->page, page, page_addr);
}

struct section_layout {
	uint64_t size; /* sizeof(struct mem_section) */
	uint64_t per_root; /* SECTIONS_PER_ROOT */
	int levels; /* 0: static 2-D array, 1: array of roots, 2: pointer */
	struct po_member map, usage, page_ext;
	bool has_usage, has_page_ext, usage_is_bitmap;
};

static struct po_error *read_section_layout(struct po_memmap *m,
					    const struct po_variable *var,
					    struct section_layout *sl)
{
	struct po_debuginfo *dw = po_mm_debuginfo(m->mm);
	struct po_type ms, t = po_type_unqualified(dw, var->type), elem;
	struct po_error *err;

	err = po_type_find(dw, "struct mem_section", &ms);
	if (!err)
		err = po_type_size(dw, ms, &sl->size);
	if (!err)
		err = po_type_member(dw, ms, "section_mem_map", &sl->map);
	if (err)
		return err;
	/*
	 * v5.3 moved the pageblock bitmap into struct mem_section_usage
	 * ("mm/sparsemem: introduce struct mem_section_usage").
	 */
	sl->has_usage = po_type_has_member(dw, ms, "usage");
	sl->usage_is_bitmap = !sl->has_usage &&
			      po_type_has_member(dw, ms, "pageblock_flags");
	if (sl->has_usage)
		err = po_type_member(dw, ms, "usage", &sl->usage);
	else if (sl->usage_is_bitmap)
		err = po_type_member(dw, ms, "pageblock_flags", &sl->usage);
	sl->has_page_ext = !err && po_type_has_member(dw, ms, "page_ext");
	if (sl->has_page_ext)
		err = po_type_member(dw, ms, "page_ext", &sl->page_ext);
	if (err)
		return err;
	/*
	 * SPARSEMEM_EXTREME: a pointer to roots since v4.15 ("mm/sparsemem:
	 * Allocate mem_section at runtime for CONFIG_SPARSEMEM_EXTREME=y"), an
	 * array of roots before; plain SPARSEMEM: a static 2-D array.
	 */
	switch (po_type_kind(dw, t)) {
	case PO_TYPE_POINTER:
		sl->levels = 2;
		break;
	case PO_TYPE_ARRAY:
		err = po_type_target(dw, t, &elem);
		if (err)
			return err;
		elem = po_type_unqualified(dw, elem);
		sl->levels = po_type_kind(dw, elem) == PO_TYPE_POINTER ? 1 : 0;
		break;
	default:
		return po_error_create(PO_ERR_UNSUPPORTED,
				       "mem_section has an unexpected type");
	}
	sl->per_root = sl->levels ? po_mm_page_size(m->mm) / sl->size : 1;
	return NULL;
}

static void parse_section(struct po_memmap *m, const struct section_layout *sl,
			  const uint8_t *buf, struct po_section *s,
			  uint64_t *usage_ptr)
{
	uint64_t raw = po_member_get(&sl->map, buf);
	/* SECTION_MAP_MASK clears every flag bit below SECTION_MAP_LAST_BIT. */
	uint64_t low = (uint64_t)1 << m->section_flag_bits;

	s->map = raw & ~(low - 1);
	s->flags = raw & (low - 1);
	s->page_ext = sl->has_page_ext ? po_member_get(&sl->page_ext, buf) : 0;
	*usage_ptr = sl->has_usage || sl->usage_is_bitmap ?
			     po_member_get(&sl->usage, buf) :
			     0;
}

static struct po_error *read_root_pointer(struct po_memmap *m,
					  const struct section_layout *sl,
					  uint64_t var, uint64_t root,
					  uint64_t *ret)
{
	struct po_error *err = NULL;
	uint64_t table = var;

	if (sl->levels == 0) {
		*ret = var + root * sl->per_root * sl->size;
		return NULL;
	}
	if (sl->levels == 2)
		err = po_mm_read_u64(m->mm, var, &table);
	if (!err)
		err = po_mm_read_u64(m->mm, table + root * 8, ret);
	return err ? po_error_prefix(err, "mem_section root %" PRIu64 ": ",
				     root) :
		     NULL;
}

static struct po_error *read_sections(struct po_memmap *m,
				      const struct section_layout *sl,
				      uint64_t var, uint64_t *usage_ptrs)
{
	uint64_t nr_roots = (m->nr_sections + sl->per_root - 1) / sl->per_root;
	uint8_t *buf = malloc(sl->per_root * sl->size);
	struct po_error *err = NULL;
	uint64_t r, i;

	if (!buf)
		return &po_enomem;
	for (r = 0; r < nr_roots && !err; r++) {
		uint64_t first = r * sl->per_root, addr;
		uint64_t n = m->nr_sections - first;

		if (n > sl->per_root)
			n = sl->per_root;
		err = read_root_pointer(m, sl, var, r, &addr);
		if (err || !addr)
			continue;
		err = po_mm_read(m->mm, addr, buf, n * sl->size);
		for (i = 0; i < n && !err; i++)
			parse_section(m, sl, buf + i * sl->size,
				      &m->sections[first + i],
				      &usage_ptrs[first + i]);
	}
	free(buf);
	return err ? po_error_prefix(err, "reading mem_section: ") : NULL;
}

static uint64_t usemap_size(const struct po_memmap *m, unsigned int order)
{
	uint64_t bits = ((uint64_t)1 << (m->section_shift - order)) *
			m->nr_pageblock_bits;

	return (bits + 63) / 64 * 8;
}

/*
 * The pageblock orders whose usemap_size() is @size, as a mask.  The size
 * is rounded up to longs, so with few pageblocks per section (16 KiB
 * pages: four of order 11 in 128 MiB) several orders share one size.
 */
static uint64_t orders_for_usemap(const struct po_memmap *m, uint64_t size)
{
	uint64_t mask = 0;
	unsigned int o;

	/* pageblock_order is at most MAX_PAGE_ORDER. */
	for (o = 0; o <= m->section_shift && o <= m->max_page_order; o++)
		if (usemap_size(m, o) == size)
			mask |= (uint64_t)1 << o;
	return mask;
}

/*
 * pageblock_order is a macro on most configurations, so it is not in the
 * DWARF.  At boot, sparse_init_nid() hands out every early section's usage
 * from one array of mem_section_usage_size() strides (sizeof(struct
 * mem_section_usage) + usemap_size()), and usemap_size() is a function of
 * pageblock_order: the stride between two neighbours gives it back.
 */
static uint64_t orders_from_stride(const struct po_memmap *m,
				   const uint64_t *usage, uint64_t header)
{
	uint64_t i;

	for (i = 0; i + 1 < m->nr_sections; i++) {
		const struct po_section *a = &m->sections[i], *b = a + 1;
		uint64_t mask;

		if (!usage[i] || !usage[i + 1] || usage[i + 1] <= usage[i] ||
		    !(a->flags & m->early_mask) || !(b->flags & m->early_mask))
			continue;
		mask = orders_for_usemap(m, usage[i + 1] - usage[i] - header);
		if (mask)
			return mask;
	}
	return 0;
}

/*
 * The rule of include/linux/pageblock-flags.h: the PMD huge page order
 * when hugetlb (or, from v6.4, THP) is built in, else the largest buddy
 * order.  A page table is one page of 8-byte entries on x86_64 and on
 * arm64 at every granule, so a PMD maps PAGE_SHIFT - 3 bits more than a
 * page: order 9 with 4 KiB pages, 11 with 16 KiB, 13 with 64 KiB.
 */
static unsigned int guess_pageblock_order(struct po_memmap *m)
{
	struct po_debuginfo *dw = po_mm_debuginfo(m->mm);
	unsigned int pmd_order = po_mm_page_shift(m->mm) - 3;
	struct po_variable v;
	struct po_error *err;

	err = po_debuginfo_variable(dw, "hstates", NULL, &v);
	if (err && po_error_catch(&err, PO_ERR_LOOKUP))
		err = po_debuginfo_variable(dw, "transparent_hugepage_flags",
					    NULL, &v);
	if (!err)
		return pmd_order < m->max_page_order ? pmd_order :
						       m->max_page_order;
	po_error_destroy(err);
	return m->max_page_order;
}

static struct po_error *find_pageblock_order(struct po_memmap *m,
					     const uint64_t *usage,
					     uint64_t header)
{
	uint64_t v, mask;
	unsigned int o;
	struct po_error *err;

	/* CONFIG_HUGETLB_PAGE_SIZE_VARIABLE makes it a variable. */
	err = po_mm_read_variable(m->mm, "pageblock_order", NULL, &v);
	if (!err) {
		m->pageblock_order = (unsigned int)v;
		m->pageblock_source = "the pageblock_order variable";
		return NULL;
	}
	if (!po_error_catch(&err, PO_ERR_LOOKUP))
		return err;
	mask = orders_from_stride(m, usage, header);
	if (mask && !(mask & (mask - 1))) {
		m->pageblock_order = (unsigned int)__builtin_ctzll(mask);
		m->pageblock_source = "the stride of the boot-time usemaps";
		return NULL;
	}
	o = guess_pageblock_order(m);
	m->pageblock_order = o;
	if (!mask) {
		m->pageblock_source =
			"the configuration: no two early sections give a usemap stride";
	} else if (mask & (uint64_t)1 << o) {
		m->pageblock_source =
			"the configuration, among the orders the usemaps' stride allows";
	} else {
		/* The dump wins over the rule: its largest candidate. */
		m->pageblock_order = 63 - (unsigned int)__builtin_clzll(mask);
		m->pageblock_source =
			"the stride of the boot-time usemaps (of several orders it allows)";
	}
	return NULL;
}

static struct po_error *read_usage_layout(struct po_memmap *m,
					  const struct section_layout *sl,
					  uint64_t *header)
{
	struct po_debuginfo *dw = po_mm_debuginfo(m->mm);
	struct po_member mb;
	struct po_error *err;
	struct po_type u;

	m->usemap_offset = -1;
	m->subsection_offset = -1;
	*header = 0;
	if (sl->usage_is_bitmap) {
		m->usemap_offset = 0;
		return NULL;
	}
	if (!sl->has_usage)
		return NULL;
	err = po_type_find(dw, "struct mem_section_usage", &u);
	if (!err)
		err = po_type_size(dw, u, header);
	if (!err)
		err = po_type_member(dw, u, "pageblock_flags", &mb);
	if (err)
		return err;
	m->usemap_offset = (int64_t)(mb.bit_offset / 8);
	if (!po_type_has_member(dw, u, "subsection_map"))
		return NULL;
	err = po_type_member(dw, u, "subsection_map", &mb);
	if (!err)
		m->subsection_offset = (int64_t)(mb.bit_offset / 8);
	return err;
}

/* Keep a copy of each section's usage: the pfn_valid() and pageblock maps. */
static struct po_error *read_usages(struct po_memmap *m, const uint64_t *usage)
{
	uint64_t i;

	for (i = 0; i < m->nr_sections; i++) {
		struct po_section *s = &m->sections[i];
		struct po_error *err;

		if (!usage[i] || !(s->flags & m->has_mem_map_mask))
			continue;
		s->usage = malloc(m->usage_bytes);
		if (!s->usage)
			return &po_enomem;
		err = po_mm_read(m->mm, usage[i], s->usage, m->usage_bytes);
		if (err) {
			/* Unreadable: pageblock types show as unknown. */
			po_error_destroy(err);
			free(s->usage);
			s->usage = NULL;
		}
	}
	return NULL;
}

static struct po_error *read_limits(struct po_memmap *m)
{
	struct po_debuginfo *dw = po_mm_debuginfo(m->mm);
	struct po_error *err;
	struct po_member fa;
	struct po_type zone;
	uint64_t n;
	int64_t bits, phys;

	err = po_mm_read_variable(m->mm, "min_low_pfn", NULL, &m->min_pfn);
	if (!err)
		err = po_mm_read_variable(m->mm, "max_pfn", NULL, &m->max_pfn);
	if (!err)
		err = po_mm_vmcoreinfo_number(m->mm, "SECTION_SIZE_BITS",
					      &bits);
	if (!err)
		err = po_mm_vmcoreinfo_number(m->mm, "MAX_PHYSMEM_BITS", &phys);
	/* zone.free_area has one list per order: MAX_PAGE_ORDER + 1. */
	if (!err)
		err = po_type_find(dw, "struct zone", &zone);
	if (!err)
		err = po_type_member(dw, zone, "free_area", &fa);
	if (!err)
		err = po_type_array_length(dw, fa.type, &n);
	if (err)
		return err;
	if (bits <= po_mm_page_shift(m->mm) || phys < bits || phys > 64 || !n ||
	    n > 32)
		return po_error_create(PO_ERR_BAD_DATA,
				       "implausible SECTION_SIZE_BITS %" PRId64
				       ", MAX_PHYSMEM_BITS %" PRId64
				       " or %" PRIu64 " buddy orders",
				       bits, phys, n);
	m->max_page_order = (unsigned int)n - 1;
	m->section_shift = (unsigned int)bits - po_mm_page_shift(m->mm);
	m->nr_sections = (m->max_pfn + po_memmap_section_pages(m) - 1) >>
			 m->section_shift;
	if (m->nr_sections > (uint64_t)1 << (phys - bits))
		m->nr_sections = (uint64_t)1 << (phys - bits);
	return NULL;
}

static void read_flag_bits(struct po_memmap *m)
{
	struct po_debuginfo *dw = po_mm_debuginfo(m->mm);
	int64_t pb_end;

	m->has_mem_map_mask = (uint64_t)1
			      << enumerator_or(dw, "SECTION_HAS_MEM_MAP_BIT",
					       OLD_SECTION_HAS_MEM_MAP_BIT);
	m->early_mask = (uint64_t)1 << enumerator_or(dw, "SECTION_IS_EARLY_BIT",
						     OLD_SECTION_IS_EARLY_BIT);
	m->section_flag_bits = (unsigned int)enumerator_or(
		dw, "SECTION_MAP_LAST_BIT", OLD_SECTION_MAP_LAST_BIT);
	/* MIGRATETYPE_MASK covers PB_migrate..PB_migrate_end. */
	pb_end = enumerator_or(dw, "PB_migrate_end", 2);
	m->migratetype_mask = ((uint64_t)1 << (pb_end + 1)) - 1;
	m->nr_pageblock_bits =
		(uint64_t)enumerator_or(dw, "NR_PAGEBLOCK_BITS", 4);
}

static struct po_error *memmap_init(struct po_memmap *m)
{
	struct section_layout sl;
	struct po_variable var;
	uint64_t *usage, header;
	struct po_error *err;

	err = read_limits(m);
	if (!err)
		err = po_page_layout_read(m->mm, &m->page);
	if (err)
		return err;
	read_flag_bits(m);
	err = po_mm_variable(m->mm, "mem_section", NULL, &var);
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		return po_error_create(
			PO_ERR_UNSUPPORTED,
			"vmlinux has no mem_section: FLATMEM kernels are not supported");
	if (!err)
		err = read_section_layout(m, &var, &sl);
	if (err)
		return err;
	m->sections = calloc(m->nr_sections ? m->nr_sections : 1,
			     sizeof(*m->sections));
	usage = calloc(m->nr_sections ? m->nr_sections : 1, sizeof(*usage));
	err = m->sections && usage ? NULL : &po_enomem;
	if (!err)
		err = read_sections(m, &sl, var.address, usage);
	if (!err)
		err = read_usage_layout(m, &sl, &header);
	if (!err)
		err = find_pageblock_order(m, usage, header);
	if (!err && m->usemap_offset >= 0) {
		m->usage_bytes = header + usemap_size(m, m->pageblock_order);
		err = read_usages(m, usage);
	}
	free(usage);
	return err;
}

struct po_error *po_memmap_create(struct po_mm *mm, struct po_memmap **ret)
{
	struct po_memmap *m = calloc(1, sizeof(*m));
	struct po_error *err;

	if (!m)
		return &po_enomem;
	m->mm = mm;
	err = memmap_init(m);
	if (err) {
		po_memmap_destroy(m);
		return po_error_prefix(err, "memory model: ");
	}
	*ret = m;
	return NULL;
}

void po_memmap_destroy(struct po_memmap *m)
{
	uint64_t i;

	if (!m)
		return;
	for (i = 0; m->sections && i < m->nr_sections; i++)
		free(m->sections[i].usage);
	free(m->sections);
	free(m);
}

uint64_t po_memmap_min_pfn(const struct po_memmap *m)
{
	return m->min_pfn;
}

uint64_t po_memmap_max_pfn(const struct po_memmap *m)
{
	return m->max_pfn;
}

uint64_t po_memmap_max_order_pages(const struct po_memmap *m)
{
	return (uint64_t)1 << m->max_page_order;
}

unsigned int po_memmap_max_page_order(const struct po_memmap *m)
{
	return m->max_page_order;
}

uint64_t po_memmap_section_pages(const struct po_memmap *m)
{
	return (uint64_t)1 << m->section_shift;
}

unsigned int po_memmap_pageblock_order(const struct po_memmap *m)
{
	return m->pageblock_order;
}

const char *po_memmap_pageblock_order_source(const struct po_memmap *m)
{
	return m->pageblock_source;
}

const struct po_page_layout *po_memmap_page_layout(const struct po_memmap *m)
{
	return &m->page;
}

static const struct po_section *pfn_section(const struct po_memmap *m,
					    uint64_t pfn)
{
	uint64_t nr = pfn >> m->section_shift;

	return nr < m->nr_sections ? &m->sections[nr] : NULL;
}

/* No subsection map to consult: every pfn of a present section is valid. */
static bool section_whole(const struct po_memmap *m, const struct po_section *s)
{
	return s->flags & m->early_mask || m->subsection_offset < 0 ||
	       !s->usage;
}

bool po_memmap_pfn_valid(const struct po_memmap *m, uint64_t pfn)
{
	const struct po_section *s = pfn_section(m, pfn);
	uint64_t idx;

	if (!s || !(s->flags & m->has_mem_map_mask))
		return false;
	/* pfn_section_valid(): hot-added sections may be partly present. */
	if (section_whole(m, s))
		return true;
	idx = (pfn & (po_memmap_section_pages(m) - 1)) >>
	      (SUBSECTION_SHIFT - po_mm_page_shift(m->mm));
	return s->usage[m->subsection_offset + idx / 8] >> (idx % 8) & 1;
}

bool po_memmap_section_all_valid(const struct po_memmap *m, uint64_t pfn)
{
	const struct po_section *s = pfn_section(m, pfn);

	return s && s->flags & m->has_mem_map_mask && section_whole(m, s);
}

bool po_memmap_section_page(const struct po_memmap *m, uint64_t pfn,
			    uint64_t *ret)
{
	const struct po_section *s = pfn_section(m, pfn);

	if (!s || !(s->flags & m->has_mem_map_mask))
		return false;
	*ret = s->map + pfn * m->page.size;
	return true;
}

struct po_error *po_memmap_page_address(const struct po_memmap *m, uint64_t pfn,
					uint64_t *ret)
{
	if (!po_memmap_pfn_valid(m, pfn) ||
	    !po_memmap_section_page(m, pfn, ret))
		return po_error_create(PO_ERR_INVALID,
				       "pfn 0x%" PRIx64 " has no struct page",
				       pfn);
	return NULL;
}

uint64_t po_memmap_section_page_ext(const struct po_memmap *m, uint64_t pfn)
{
	const struct po_section *s = pfn_section(m, pfn);

	return s ? s->page_ext : 0;
}

int po_memmap_pageblock_migratetype(const struct po_memmap *m, uint64_t pfn)
{
	const struct po_section *s = pfn_section(m, pfn);
	uint64_t bit, word;

	if (!s || !s->usage || m->usemap_offset < 0)
		return -1;
	bit = ((pfn & (po_memmap_section_pages(m) - 1)) >> m->pageblock_order) *
	      m->nr_pageblock_bits;
	memcpy(&word, s->usage + m->usemap_offset + bit / 64 * 8, 8);
	return (int)((word >> (bit % 64)) & m->migratetype_mask);
}

bool po_memmap_page_to_pfn(const struct po_memmap *m, uint64_t page_addr,
			   uint64_t *ret)
{
	uint64_t pages = po_memmap_section_pages(m), i;

	for (i = 0; i < m->nr_sections; i++) {
		const struct po_section *s = &m->sections[i];
		uint64_t first =
			s->map + (i << m->section_shift) * m->page.size;
		uint64_t off = page_addr - first;

		if (!(s->flags & m->has_mem_map_mask) ||
		    off >= pages * m->page.size || off % m->page.size)
			continue;
		*ret = (i << m->section_shift) + off / m->page.size;
		return po_memmap_pfn_valid(m, *ret);
	}
	return false;
}
