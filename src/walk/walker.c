// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 6: one thread's walk.  It loads a chunk's struct pages and
 * page_ext entries in bulk, judges each pfn as read_page_owner() does,
 * and counts (rather than fails on) what the dump does not hold.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "walk/internal.h"

void po_walker_setup(struct walker *wk, struct po_owner *owner,
		     const struct po_memmap *memmap, struct po_mm *mm,
		     enum po_walk_mode mode)
{
	const struct po_owner_config *cfg = po_owner_config(owner);

	wk->mm = mm;
	wk->memmap = memmap;
	wk->ol = po_owner_layout(owner);
	wk->pl = po_memmap_page_layout(memmap);
	wk->ext_size = cfg->page_ext_size;
	wk->owner_offset = cfg->owner_offset;
	wk->mode = mode;
	wk->owners = cfg->enabled;
	wk->chunk_pages = po_memmap_section_pages(memmap);
	if (wk->chunk_pages > WALK_CHUNK_PAGES)
		wk->chunk_pages = WALK_CHUNK_PAGES;
}

/* Buffers for @cap pfns: a chunk never spans sections. */
struct po_error *po_walker_alloc(struct walker *wk, uint64_t cap)
{
	wk->pages.size = wk->pl->size;
	wk->exts.size = wk->ext_size;
	wk->exts.ext = true;
	wk->pages.buf = malloc(cap * wk->pages.size);
	wk->exts.buf = malloc(cap * wk->exts.size);
	wk->pages.holes = malloc(cap);
	wk->exts.holes = malloc(cap);
	if (!wk->pages.buf || !wk->exts.buf || !wk->pages.holes ||
	    !wk->exts.holes)
		return &po_enomem;
	return NULL;
}

void po_walker_fini(struct walker *wk)
{
	free(wk->pages.buf);
	free(wk->exts.buf);
	free(wk->pages.holes);
	free(wk->exts.holes);
}

static void mark_hole(void *arg, uint64_t start, uint64_t end,
		      enum po_error_code code)
{
	struct walker *wk = arg;
	const struct chunk_array *ca = wk->reading;
	uint64_t a = (start - ca->base) / ca->size;
	uint64_t b = (end - ca->base + ca->size - 1) / ca->size;

	if (b > wk->last - wk->first)
		b = wk->last - wk->first;
	for (; a < b; a++)
		ca->holes[a] = code == PO_ERR_EXCLUDED ? HOLE_EXCLUDED :
							 HOLE_UNREADABLE;
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
 * Load entry @i of @ca, which is past what is loaded, and what follows it.
 * Only what the walk reaches is read: read_page_owner() steps over a free
 * buddy run after its first struct page, and never looks at its page_ext.
 */
static __attribute__((noinline)) struct po_error *
load_entries(struct walker *wk, struct chunk_array *ca, uint64_t i)
{
	uint64_t from, to, n = wk->last - wk->first;

	if (i == ca->hi && ca->ahead)
		ca->ahead = 2 * ca->ahead < wk->chunk_pages ? 2 * ca->ahead :
							      wk->chunk_pages;
	else
		ca->ahead = WALK_LOAD_MIN;
	from = i & ~(uint64_t)(WALK_LOAD_MIN - 1);
	if (from < ca->hi)
		from = ca->hi;
	to = from + ca->ahead < n ? from + ca->ahead : n;
	ca->hi = to;
	memset(ca->holes + from, HOLE_NONE, to - from);
	wk->reading = ca;
	return po_mm_read_partial(wk->mm, ca->base + from * ca->size,
				  ca->buf + from * ca->size,
				  (to - from) * ca->size, mark_hole, wk);
}

/*
 * Entry @i of @ca, loaded if need be; NULL (and the skip counted) if it
 * could not be read, or on *@err.  Inline, and the load out of line: the
 * walk asks for every pfn it reaches, and loads once per 64 or more.
 */
static inline const uint8_t *entry(struct walker *wk, struct chunk_array *ca,
				   uint64_t i, struct po_error **err)
{
	if (i >= ca->hi && (*err = load_entries(wk, ca, i)))
		return NULL;
	if (ca->holes[i]) {
		count_hole(wk->stats, ca->holes[i], ca->ext);
		return NULL;
	}
	return ca->buf + i * ca->size;
}

/*
 * lookup_page_ext(): the address of @pfn's entry, or 0 when its section has
 * none: NULL, or PAGE_EXT_INVALID (bit 0), which marks a section going
 * offline since "mm: fix use-after free of page_ext after race with
 * memory-offline" (in v6.1).
 */
static uint64_t page_ext_entry(const struct po_memmap *mm, uint64_t pfn,
			       uint64_t size)
{
	uint64_t base = po_memmap_section_page_ext(mm, pfn);

	return !base || base & 1 ? 0 : base + pfn * size;
}

/*
 * Start the chunk holding wk->pfn, up to wk->end: find where its struct
 * pages and page_ext entries are.  They are read as the walk needs them,
 * in bulk rather than one field at a time.
 */
static void start_chunk(struct walker *wk)
{
	uint64_t n;

	wk->first = wk->pfn;
	wk->last = (wk->pfn | (wk->chunk_pages - 1)) + 1;
	if (wk->last > wk->end)
		wk->last = wk->end;
	n = wk->last - wk->first;
	wk->all_valid = po_memmap_section_all_valid(wk->memmap, wk->first);
	/* The read-ahead carries on if the walk does. */
	wk->pages.hi = wk->exts.hi = 0;
	if (!po_memmap_section_page(wk->memmap, wk->first, &wk->pages.base)) {
		/* No mem_map here: every pfn fails pfn_valid() anyway. */
		memset(wk->pages.holes, HOLE_UNREADABLE, n);
		wk->pages.hi = n;
	}
	wk->exts.base = page_ext_entry(wk->memmap, wk->first, wk->ext_size);
	if (!wk->exts.base) {
		memset(wk->exts.holes, HOLE_MISSING, n);
		wk->exts.hi = n;
	}
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

/*
 * Fill @r from a page_ext entry and its struct page (and the struct page
 * after it, @tail, where it could be read: see po_page_use()).
 */
static void decode_owner(const struct po_owner_layout *l,
			 const struct po_page_layout *pl, uint64_t owner_offset,
			 const uint8_t *ext, const uint8_t *page,
			 const uint8_t *tail, struct po_page_owner *r)
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
	r->fields = l->fields;
	if (comm >= sizeof(r->comm))
		comm = sizeof(r->comm) - 1;
	memcpy(r->comm, po + (comm ? l->comm.bit_offset / 8 : 0), comm);
	r->comm[comm] = '\0';
	if (page) {
		r->page_flags = po_member_get(&pl->flags, page);
		r->memcg_data = pl->has_memcg ?
					po_member_get(&pl->memcg_data, page) :
					0;
		r->use = po_page_use(&pl->use, &pl->flags, &pl->page_type, page,
				     tail, &r->use_object);
	}
}

void po_owner_decode(const struct po_owner *owner, const void *ext,
		     struct po_page_owner *ret)
{
	memset(ret, 0, sizeof(*ret));
	decode_owner(po_owner_layout(owner), NULL,
		     po_owner_config(owner)->owner_offset, ext, NULL, NULL,
		     ret);
}

/*
 * Whether the page_ext entry @ext of @pfn is a head page whose owner the
 * walk wants.  Most pages with an owner are not (free, or the tails of
 * compound pages): test the fields that say so before decoding anything.
 */
static bool owner_wanted(struct walker *wk, const uint8_t *ext, uint64_t pfn,
			 bool allocated)
{
	const struct po_owner_layout *l = wk->ol;
	uint64_t flags = po_member_get(&l->ext_flags, ext), order;

	if (!(flags & l->owner_mask) ||
	    !(flags & l->allocated_mask) != !allocated)
		return false;
	order = po_member_get(&l->order, ext + wk->owner_offset);
	/* No kernel writes such an order: the record is garbage, and the
	 * kernel's own IS_ALIGNED() test would shift out of range. */
	if (order >= 64) {
		wk->stats->bad_order++;
		return false;
	}
	/* Only head pages: tails would inflate the counts. */
	return !(pfn & (((uint64_t)1 << order) - 1));
}

/*
 * A record on a tail page (page_owner keeps one where a compound page was
 * put together from pages it saw apart) is what its head is: the tail's
 * own mapping and page_type words hold other things.  Rare enough to read
 * the head on its own.
 */
static void tail_use(struct walker *wk, const uint8_t *page,
		     struct po_page_owner *r)
{
	const struct po_page_layout *pl = wk->pl;
	uint64_t head = po_page_compound_head(pl, page, r->page);
	uint8_t buf[512];
	struct po_error *err;

	if (head == r->page)
		return;
	r->use = PO_USE_UNKNOWN;
	r->use_object = 0;
	if (2 * pl->size > sizeof(buf))
		return;
	/* The head and its first tail: both exist, a tail points there. */
	err = po_mm_read(wk->mm, head, buf, 2 * pl->size);
	if (err) {
		po_error_destroy(err);
		return;
	}
	r->use = po_page_use(&pl->use, &pl->flags, &pl->page_type, buf,
			     buf + pl->size, &r->use_object);
}

/*
 * What the kernel's objects say of a page of no type: a task's stack, a
 * vmalloc area, a percpu chunk.  A page the struct page names (slab,
 * file, ...) keeps that name.
 */
static void overlay_use(const struct walker *wk, struct po_page_owner *r)
{
	r->use = po_pfn_uses_overlay(wk->uses, r->pfn, r->use, &r->use_object);
}

/*
 * The struct page after @pfn's head @page, where it is in this chunk: a
 * folio's first tail, which holds its order (and says hugetlb before
 * v6.9).  NULL for a page that heads no folio.
 */
static const uint8_t *first_tail(struct walker *wk, const uint8_t *page,
				 uint64_t pfn)
{
	struct po_error *err = NULL;
	const uint8_t *next;

	if (!(po_member_get(&wk->pl->flags, page) & wk->pl->use.pg_head) ||
	    pfn + 1 >= wk->last)
		return NULL;
	next = entry(wk, &wk->pages, pfn + 1 - wk->first, &err);
	po_error_destroy(err);
	return next;
}

/* Decode @pfn's record into wk->rec: false if it has no stack. */
static bool take_record(struct walker *wk, const uint8_t *ext,
			const uint8_t *page, uint64_t pfn, bool allocated)
{
	struct po_page_owner *r = &wk->rec;

	decode_owner(wk->ol, wk->pl, wk->owner_offset, ext, page,
		     first_tail(wk, page, pfn), r);
	if (!(allocated ? r->handle : r->free_handle))
		return false;
	r->pfn = pfn;
	po_memmap_section_page(wk->memmap, pfn, &r->page);
	r->pageblock_mt = po_memmap_pageblock_migratetype(wk->memmap, pfn);
	tail_use(wk, page, r);
	overlay_use(wk, r);
	return true;
}

/*
 * The body of read_page_owner()'s loop, for the pfns of the current chunk
 * from wk->pfn: stops at the first record (*@record) or the chunk's end,
 * skipping buddy runs as the kernel does.  What stays the same for the
 * chunk is kept in locals: this runs for every pfn of the dump.
 */
static struct po_error *scan_chunk(struct walker *wk, bool *record)
{
	const struct po_page_layout *pl = wk->pl;
	const uint64_t first = wk->first, last = wk->last;
	const uint64_t max_order = po_memmap_max_page_order(wk->memmap);
	const bool allocated = wk->mode == PO_WALK_ALLOCATED;
	struct po_error *err = NULL;
	uint64_t pfn;

	*record = false;
	for (pfn = wk->pfn; pfn < last; pfn++) {
		const uint8_t *page, *ext;

		if (!wk->all_valid && !po_memmap_pfn_valid(wk->memmap, pfn)) {
			uint64_t max = po_memmap_max_order_pages(wk->memmap);

			/* An invalid MAX_ORDER block is skipped whole. */
			if (!(pfn & (max - 1)))
				pfn += max - 1;
			continue;
		}
		page = entry(wk, &wk->pages, pfn - first, &err);
		if (!page) {
			if (err)
				break;
			continue;
		}
		/* Free pages carry no owner; the freed walk wants them. */
		if (allocated && po_page_is_buddy(pl, page)) {
			uint64_t order = po_page_buddy_order(pl, page);

			if (order > max_order)
				continue;
			pfn += ((uint64_t)1 << order) - 1;
			/* Free memory comes in runs: after a long one, read
			 * ahead little until the walk needs what follows. */
			if (order >= WALK_LOAD_MIN_ORDER)
				wk->pages.ahead = wk->exts.ahead = 0;
			continue;
		}
		ext = entry(wk, &wk->exts, pfn - first, &err);
		if (!ext) {
			if (err)
				break;
			continue;
		}
		if (owner_wanted(wk, ext, pfn, allocated) &&
		    take_record(wk, ext, page, pfn, allocated)) {
			*record = true;
			break;
		}
	}
	wk->pfn = pfn;
	return err;
}

/* A record of a page page_owner says nothing of: what struct page says. */
static void bare_record(struct walker *wk, const uint8_t *page, uint64_t pfn,
			unsigned int order)
{
	const struct po_page_layout *pl = wk->pl;
	struct po_page_owner *r = &wk->rec;

	memset(r, 0, sizeof(*r));
	r->pfn = pfn;
	r->page = wk->pages.base + (pfn - wk->first) * wk->pages.size;
	r->page_flags = po_member_get(&pl->flags, page);
	r->memcg_data = pl->has_memcg ? po_member_get(&pl->memcg_data, page) :
					0;
	r->use = po_page_use(&pl->use, &pl->flags, &pl->page_type, page,
			     first_tail(wk, page, pfn), &r->use_object);
	r->allocated = r->use != PO_USE_FREE;
	r->order = order;
	r->last_migrate_reason = -1;
	r->pid = r->tgid = r->free_pid = r->free_tgid = -1;
	r->pageblock_mt = po_memmap_pageblock_migratetype(wk->memmap, pfn);
	overlay_use(wk, r);
	wk->skip = ((uint64_t)1 << order) - 1;
}

/* The order of the folio headed at @pfn's struct page @page, if loaded. */
static unsigned int folio_order(struct walker *wk, const uint8_t *page,
				uint64_t pfn)
{
	return first_tail(wk, page, pfn) ?
		       po_page_folio_order(&wk->pl->use, &wk->pl->flags, page) :
		       0;
}

/*
 * The pfn @page of PO_WALK_PAGES: its page_owner record when page_owner
 * has one, else what its struct page says.  False for a tail, which its
 * head's record covers.
 */
static bool take_page(struct walker *wk, const uint8_t *page, uint64_t pfn,
		      struct po_error **err)
{
	const struct po_page_layout *pl = wk->pl;
	uint64_t addr = wk->pages.base + (pfn - wk->first) * wk->pages.size;
	const uint8_t *ext;
	unsigned int order;

	if (po_page_is_buddy(pl, page)) {
		uint64_t bo = po_page_buddy_order(pl, page);

		if (bo > po_memmap_max_page_order(wk->memmap))
			bo = 0;
		bare_record(wk, page, pfn, (unsigned int)bo);
		return true;
	}
	if (po_page_compound_head(pl, page, addr) != addr)
		return false;
	ext = wk->owners ? entry(wk, &wk->exts, pfn - wk->first, err) : NULL;
	if (*err)
		return false;
	order = folio_order(wk, page, pfn);
	if (ext && owner_wanted(wk, ext, pfn, true) &&
	    take_record(wk, ext, page, pfn, true)) {
		/*
		 * page_owner's early records are order 0 on every page of a
		 * folio made before it was up (init_pages_in_zone()): the
		 * record of the head stands for the whole folio then.
		 */
		if (order > wk->rec.order)
			wk->rec.order = order;
		wk->skip = ((uint64_t)1 << wk->rec.order) - 1;
		return true;
	}
	bare_record(wk, page, pfn, order);
	return true;
}

/* scan_chunk() of PO_WALK_PAGES: every page, not only page_owner's. */
static struct po_error *scan_chunk_pages(struct walker *wk, bool *record)
{
	const uint64_t first = wk->first, last = wk->last;
	struct po_error *err = NULL;
	uint64_t pfn;

	*record = false;
	for (pfn = wk->pfn; pfn < last; pfn++) {
		const uint8_t *page;

		if (!wk->all_valid && !po_memmap_pfn_valid(wk->memmap, pfn)) {
			uint64_t max = po_memmap_max_order_pages(wk->memmap);

			if (!(pfn & (max - 1)))
				pfn += max - 1;
			continue;
		}
		page = entry(wk, &wk->pages, pfn - first, &err);
		if (!page && err)
			break;
		if (page && take_page(wk, page, pfn, &err)) {
			*record = true;
			break;
		}
		if (err)
			break;
	}
	wk->pfn = pfn;
	return err;
}

/*
 * The next record of @wk below wk->end, or NULL once wk->pfn has passed
 * it.  @hooks: the walk whose callbacks to run per chunk, or NULL.
 */
struct po_error *po_walker_next(struct walker *wk, struct po_walk *hooks,
				const struct po_page_owner **ret)
{
	while (wk->pfn < wk->end) {
		struct po_error *err;
		bool record;

		if (wk->pfn < wk->first || wk->pfn >= wk->last) {
			err = hooks ? po_walk_section_hooks(hooks, wk->pfn) :
				      NULL;
			if (err)
				return err;
			start_chunk(wk);
		}
		wk->skip = 0;
		err = wk->mode == PO_WALK_PAGES ?
			      scan_chunk_pages(wk, &record) :
			      scan_chunk(wk, &record);
		if (err)
			return err;
		if (record) {
			wk->pfn += 1 + wk->skip;
			*ret = &wk->rec;
			return NULL;
		}
	}
	*ret = NULL;
	return NULL;
}

/* Make @wk walk [@from, @end) next, with nothing loaded. */
void po_walker_seek(struct walker *wk, uint64_t from, uint64_t end)
{
	wk->pfn = from;
	wk->end = end;
	wk->first = wk->last = 0;
}

/*
 * Read the struct page after the head @page at @addr into @page's second
 * half: NULL when @page heads no folio or the next cannot be read.
 */
static const uint8_t *read_next_page(struct po_mm *mm,
				     const struct po_page_layout *pl,
				     uint64_t addr, uint8_t *page)
{
	struct po_error *err;

	if (!(po_member_get(&pl->flags, page) & pl->use.pg_head))
		return NULL;
	err = po_mm_read(mm, addr + pl->size, page + pl->size, pl->size);
	if (err) {
		po_error_destroy(err);
		return NULL;
	}
	return page + pl->size;
}

struct po_error *po_owner_read_page(struct po_owner *owner,
				    const struct po_memmap *memmap,
				    uint64_t pfn, struct po_page_owner *ret)
{
	const struct po_owner_config *cfg = po_owner_config(owner);
	const struct po_owner_layout *ol = po_owner_layout(owner);
	const struct po_page_layout *pl = po_memmap_page_layout(memmap);
	struct po_mm *mm = po_owner_mm(owner);
	const uint8_t *tail = NULL;
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
	/* The page and the next one, which a folio's head needs. */
	page = calloc(2, pl->size);
	ext = malloc(cfg->page_ext_size);
	err = page && ext ? NULL : &po_enomem;
	if (!err)
		err = po_mm_read(mm, addr, page, pl->size);
	if (!err)
		tail = read_next_page(mm, pl, addr, page);
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
		decode_owner(ol, pl, cfg->owner_offset, ext, page, tail, ret);
		ret->pfn = pfn;
		ret->page = addr;
		ret->pageblock_mt =
			po_memmap_pageblock_migratetype(memmap, pfn);
	}
	free(page);
	free(ext);
	return err;
}
