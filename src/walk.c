// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 6: walking page_ext the way read_page_owner() does. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"

/* Why a pfn of the loaded chunk cannot be judged. */
enum hole {
	HOLE_NONE,
	HOLE_EXCLUDED,
	HOLE_UNREADABLE,
	HOLE_MISSING, /* page_ext only: the section has none */
};

struct po_walk {
	struct po_owner *owner;
	const struct po_memmap *mm;
	const struct po_owner_layout *ol;
	const struct po_page_layout *pl;
	uint64_t ext_size, owner_offset;
	enum po_walk_mode mode;
	uint64_t start, pfn, end;
	/* The loaded chunk: pfns [first, last) of one section. */
	uint64_t first, last;
	uint8_t *pages, *exts;
	uint8_t *page_hole, *ext_hole; /* enum hole per pfn */
	bool all_valid; /* pfn_valid() holds for the whole chunk */
	uint64_t cap; /* pfns the buffers hold */
	uint64_t hole_base, hole_size; /* for the hole callback */
	uint8_t *hole_map;
	struct po_walk_stats stats;
	struct po_page_owner rec;
};

struct po_error *po_walk_create(struct po_owner *owner,
				const struct po_memmap *memmap, uint64_t start,
				uint64_t end, enum po_walk_mode mode,
				struct po_walk **ret)
{
	const struct po_owner_config *cfg = po_owner_config(owner);
	uint64_t n = po_memmap_section_pages(memmap);
	struct po_walk *w;

	if (!cfg->enabled)
		return po_error_create(
			PO_ERR_INVALID,
			"page_owner was not enabled in this kernel (boot with page_owner=on)");
	w = calloc(1, sizeof(*w));
	if (!w)
		return &po_enomem;
	w->owner = owner;
	w->mm = memmap;
	w->ol = po_owner_layout(owner);
	w->pl = po_memmap_page_layout(memmap);
	w->ext_size = cfg->page_ext_size;
	w->owner_offset = cfg->owner_offset;
	w->mode = mode;
	w->pfn = start > po_memmap_min_pfn(memmap) ? start :
						     po_memmap_min_pfn(memmap);
	w->end = end < po_memmap_max_pfn(memmap) ? end :
						   po_memmap_max_pfn(memmap);
	/* A chunk never spans sections nor passes the end: a short range
	 * needs only short buffers. */
	if (w->end > w->pfn && w->end - w->pfn < n)
		n = w->end - w->pfn;
	w->cap = n;
	w->pages = malloc(n * w->pl->size);
	w->exts = malloc(n * w->ext_size);
	w->page_hole = malloc(n);
	w->ext_hole = malloc(n);
	if (!w->pages || !w->exts || !w->page_hole || !w->ext_hole) {
		po_walk_destroy(w);
		return &po_enomem;
	}
	w->start = w->pfn;
	/* read_page_owner(): find a valid pfn or a MAX_ORDER boundary. */
	while (w->pfn < w->end && !po_memmap_pfn_valid(memmap, w->pfn) &&
	       (w->pfn & (po_memmap_max_order_pages(memmap) - 1)))
		w->pfn++;
	*ret = w;
	return NULL;
}

void po_walk_destroy(struct po_walk *w)
{
	if (!w)
		return;
	free(w->pages);
	free(w->exts);
	free(w->page_hole);
	free(w->ext_hole);
	free(w);
}

const struct po_walk_stats *po_walk_stats(const struct po_walk *w)
{
	return &w->stats;
}

static void mark_hole(void *arg, uint64_t start, uint64_t end,
		      enum po_error_code code)
{
	struct po_walk *w = arg;
	uint64_t a = (start - w->hole_base) / w->hole_size;
	uint64_t b = (end - w->hole_base + w->hole_size - 1) / w->hole_size;

	if (b > w->last - w->first)
		b = w->last - w->first;
	for (; a < b; a++)
		w->hole_map[a] = code == PO_ERR_EXCLUDED ? HOLE_EXCLUDED :
							   HOLE_UNREADABLE;
}

static struct po_error *read_chunk(struct po_walk *w, uint64_t base,
				   uint64_t size, uint8_t *buf, uint8_t *holes)
{
	uint64_t n = w->last - w->first;

	memset(holes, HOLE_NONE, n);
	w->hole_base = base;
	w->hole_size = size;
	w->hole_map = holes;
	return po_mm_read_partial(po_owner_mm(w->owner), base, buf, n * size,
				  mark_hole, w);
}

/*
 * lookup_page_ext(): the address of @pfn's entry, or 0 when its section has
 * none: NULL, or PAGE_EXT_INVALID (bit 0) from v6.0.
 */
static uint64_t page_ext_entry(const struct po_memmap *mm, uint64_t pfn,
			       uint64_t size)
{
	uint64_t base = po_memmap_section_page_ext(mm, pfn);

	return !base || base & 1 ? 0 : base + pfn * size;
}

/*
 * Load the struct pages and page_ext entries of the section holding
 * w->pfn, up to w->end: two bulk reads instead of one per field.
 */
static struct po_error *load_chunk(struct po_walk *w)
{
	uint64_t pages = po_memmap_section_pages(w->mm);
	uint64_t ext, page_addr, n;
	struct po_error *err;

	/* Once per section: often enough for Ctrl-C, rare enough to cost
	 * nothing. */
	err = po_mm_check_interrupt(po_owner_mm(w->owner));
	if (err)
		return err;
	po_mm_progress(po_owner_mm(w->owner), w->pfn - w->start,
		       w->end - w->start);
	w->first = w->pfn;
	w->last = (w->pfn | (pages - 1)) + 1;
	if (w->last > w->end)
		w->last = w->end;
	n = w->last - w->first;
	w->all_valid = po_memmap_section_all_valid(w->mm, w->first);
	if (!po_memmap_section_page(w->mm, w->first, &page_addr)) {
		/* No mem_map here: every pfn fails pfn_valid() anyway. */
		memset(w->page_hole, HOLE_UNREADABLE, n);
		memset(w->ext_hole, HOLE_MISSING, n);
		return NULL;
	}
	err = read_chunk(w, page_addr, w->pl->size, w->pages, w->page_hole);
	if (err)
		return err;
	ext = page_ext_entry(w->mm, w->first, w->ext_size);
	if (!ext) {
		memset(w->ext_hole, HOLE_MISSING, n);
		return NULL;
	}
	return read_chunk(w, ext, w->ext_size, w->exts, w->ext_hole);
}

static int64_t sign_extend(uint64_t v, uint64_t bytes)
{
	unsigned int shift = 64 - 8 * (unsigned int)bytes;

	return bytes >= 8 ? (int64_t)v : (int64_t)(v << shift) >> shift;
}

static int32_t opt_i32(const struct po_member *m, bool has, const void *obj)
{
	return has ? (int32_t)po_member_get(m, obj) : -1;
}

static uint64_t opt_u64(const struct po_member *m, bool has, const void *obj)
{
	return has ? po_member_get(m, obj) : 0;
}

/* Fill @r from a page_ext entry and its struct page. */
static void decode_owner(const struct po_owner_layout *l,
			 const struct po_page_layout *pl, uint64_t owner_offset,
			 const uint8_t *ext, const uint8_t *page,
			 struct po_page_owner *r)
{
	const uint8_t *po = ext + owner_offset;
	size_t comm = l->has_comm ? l->comm.byte_size : 0;

	r->ext_flags = po_member_get(&l->ext_flags, ext);
	r->allocated = r->ext_flags & l->allocated_mask;
	r->order = (unsigned int)po_member_get(&l->order, po);
	r->last_migrate_reason =
		(int)sign_extend(po_member_get(&l->last_migrate_reason, po),
				 l->last_migrate_reason.byte_size);
	r->gfp_mask = (uint32_t)po_member_get(&l->gfp_mask, po);
	r->handle = (uint32_t)po_member_get(&l->handle, po);
	r->free_handle =
		(uint32_t)opt_u64(&l->free_handle, l->has_free_handle, po);
	r->ts_nsec = opt_u64(&l->ts_nsec, l->has_ts_nsec, po);
	r->free_ts_nsec = opt_u64(&l->free_ts_nsec, l->has_free_ts_nsec, po);
	r->pid = opt_i32(&l->pid, l->has_pid, po);
	r->tgid = opt_i32(&l->tgid, l->has_tgid, po);
	r->free_pid = opt_i32(&l->free_pid, l->has_free_pid, po);
	r->free_tgid = opt_i32(&l->free_tgid, l->has_free_tgid, po);
	if (comm >= sizeof(r->comm))
		comm = sizeof(r->comm) - 1;
	memcpy(r->comm, po + (comm ? l->comm.bit_offset / 8 : 0), comm);
	r->comm[comm] = '\0';
	if (page) {
		r->page_flags = po_member_get(&pl->flags, page);
		r->memcg_data = pl->has_memcg ?
					po_member_get(&pl->memcg_data, page) :
					0;
	}
}

static void count_hole(struct po_walk_stats *st, enum hole h, bool ext)
{
	if (h == HOLE_EXCLUDED)
		ext ? st->ext_excluded++ : st->page_excluded++;
	else if (h == HOLE_UNREADABLE)
		ext ? st->ext_unreadable++ : st->page_unreadable++;
	else if (h == HOLE_MISSING)
		st->ext_missing++;
}

/*
 * The body of read_page_owner()'s loop for w->pfn.  Returns true when the
 * pfn is a record; advances w->pfn past buddy runs as the kernel does.
 */
static bool judge_pfn(struct po_walk *w)
{
	uint64_t i = w->pfn - w->first, max_pages;
	const uint8_t *page = w->pages + i * w->pl->size;
	const uint8_t *ext = w->exts + i * w->ext_size;
	struct po_page_owner *r = &w->rec;

	max_pages = po_memmap_max_order_pages(w->mm);
	if (!w->all_valid && !po_memmap_pfn_valid(w->mm, w->pfn)) {
		/* An invalid MAX_ORDER block is skipped whole. */
		if (!(w->pfn & (max_pages - 1)))
			w->pfn += max_pages - 1;
		return false;
	}
	if (w->page_hole[i]) {
		count_hole(&w->stats, w->page_hole[i], false);
		return false;
	}
	/* Free pages carry no owner; the freed walk wants them, though. */
	if (w->mode == PO_WALK_ALLOCATED &&
	    po_memmap_page_is_buddy(w->mm, page)) {
		uint64_t order = po_memmap_buddy_order(w->mm, page);

		if (order <= po_memmap_max_page_order(w->mm))
			w->pfn += ((uint64_t)1 << order) - 1;
		return false;
	}
	if (w->ext_hole[i]) {
		count_hole(&w->stats, w->ext_hole[i], true);
		return false;
	}
	if (!(po_member_get(&w->ol->ext_flags, ext) & w->ol->owner_mask))
		return false;
	decode_owner(w->ol, w->pl, w->owner_offset, ext, page, r);
	if (r->allocated != (w->mode == PO_WALK_ALLOCATED))
		return false;
	/* No kernel writes such an order: the record is garbage, and the
	 * kernel's own IS_ALIGNED() test would shift out of range. */
	if (r->order >= 64) {
		w->stats.bad_order++;
		return false;
	}
	/* Only head pages: tails would inflate the counts. */
	if (w->pfn & (((uint64_t)1 << r->order) - 1))
		return false;
	if (!(w->mode == PO_WALK_ALLOCATED ? r->handle : r->free_handle))
		return false;
	r->pfn = w->pfn;
	po_memmap_section_page(w->mm, w->pfn, &r->page);
	r->pageblock_mt = po_memmap_pageblock_migratetype(w->mm, w->pfn);
	return true;
}

struct po_error *po_walk_next(struct po_walk *w,
			      const struct po_page_owner **ret)
{
	for (; w->pfn < w->end; w->pfn++) {
		bool found;

		if (w->pfn < w->first || w->pfn >= w->last) {
			struct po_error *err = load_chunk(w);

			if (err)
				return err;
		}
		found = judge_pfn(w);
		if (found) {
			w->pfn++;
			w->stats.records++;
			*ret = &w->rec;
			return NULL;
		}
	}
	if (w->end > w->start)
		po_mm_progress(po_owner_mm(w->owner), w->end - w->start,
			       w->end - w->start);
	*ret = NULL;
	return NULL;
}

struct po_error *po_owner_read_page(struct po_owner *owner,
				    const struct po_memmap *memmap,
				    uint64_t pfn, struct po_page_owner *ret)
{
	const struct po_owner_config *cfg = po_owner_config(owner);
	const struct po_owner_layout *ol = po_owner_layout(owner);
	const struct po_page_layout *pl = po_memmap_page_layout(memmap);
	struct po_mm *mm = po_owner_mm(owner);
	uint8_t *page, *ext;
	uint64_t ext_addr, addr;
	struct po_error *err;

	err = po_memmap_page_address(memmap, pfn, &addr);
	if (err)
		return err;
	ext_addr = page_ext_entry(memmap, pfn, cfg->page_ext_size);
	if (!ext_addr)
		return po_error_create(PO_ERR_LOOKUP,
				       "pfn 0x%" PRIx64 " has no page_ext",
				       pfn);
	page = malloc(pl->size);
	ext = malloc(cfg->page_ext_size);
	err = page && ext ? NULL : &po_enomem;
	if (!err)
		err = po_mm_read(mm, addr, page, pl->size);
	if (!err)
		err = po_mm_read(mm, ext_addr, ext, cfg->page_ext_size);
	if (!err && !(po_member_get(&ol->ext_flags, ext) & ol->owner_mask))
		err = po_error_create(
			PO_ERR_LOOKUP,
			"pfn 0x%" PRIx64
			": page_owner info is not present (never set?)",
			pfn);
	if (!err) {
		memset(ret, 0, sizeof(*ret));
		decode_owner(ol, pl, cfg->owner_offset, ext, page, ret);
		ret->pfn = pfn;
		ret->page = addr;
		ret->pageblock_mt =
			po_memmap_pageblock_migratetype(memmap, pfn);
	}
	free(page);
	free(ext);
	return err;
}
