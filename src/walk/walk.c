// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 6: walking page_ext the way read_page_owner() does. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "walk/walk.h"
#include "util/array.h"

/*
 * The pfns loaded at a time, when a memory section has more: big enough
 * for bulk reads, small enough that each thread's buffers (struct pages
 * and page_ext entries) and a parallel walk's waiting records stay a few
 * hundred KiB.
 */
#ifndef WALK_CHUNK_PAGES
#define WALK_CHUNK_PAGES 4096
#endif

/*
 * The fewest pfns a walker loads at once.  Their struct pages fill one
 * 4 KiB page when struct page is 64 bytes: a free MAX_ORDER block costs
 * that one read, not its 1024 struct pages and page_ext entries.
 */
#define WALK_LOAD_MIN_ORDER 6
#define WALK_LOAD_MIN (1 << WALK_LOAD_MIN_ORDER)

/* Why a pfn of the loaded chunk cannot be judged. */
enum hole {
	HOLE_NONE,
	HOLE_EXCLUDED,
	HOLE_UNREADABLE,
	HOLE_MISSING, /* page_ext only: the section has none */
};

/*
 * One of the current chunk's two arrays: its struct pages or its page_ext
 * entries, indexed from the chunk's first pfn.  Below @hi each entry is
 * loaded or was stepped over.  The walk only moves forward, so a load
 * starts at the pfn that needs it and reads ahead @ahead pfns: doubled
 * while the walk keeps needing the next ones, reset when a buddy run
 * skipped some, or skipped a page of struct pages or more (scan_chunk()),
 * even within what was loaded: the next run may be free too.
 */
struct chunk_array {
	uint64_t base; /* the address of the first pfn's entry */
	uint64_t size; /* of an entry */
	uint8_t *buf;
	uint8_t *holes; /* enum hole per pfn */
	uint64_t hi, ahead;
	bool ext; /* page_ext, for the skip counts */
};

/*
 * One thread's walking state: its reader, its cursor and the loaded chunk.
 * The serial walk has one; each worker of a parallel walk has its own.
 */
struct walker {
	struct po_mm *mm; /* reads go through it */
	const struct po_memmap *memmap;
	const struct po_owner_layout *ol;
	const struct po_page_layout *pl;
	uint64_t ext_size, owner_offset;
	enum po_walk_mode mode;
	uint64_t pfn, end;
	uint64_t chunk_pages; /* a power of two, at most a section */
	/* The current chunk: pfns [first, last) of one section. */
	uint64_t first, last;
	struct chunk_array pages, exts;
	bool all_valid; /* pfn_valid() holds for the whole chunk */
	struct chunk_array *reading; /* for the hole callback */
	struct po_walk_stats *stats; /* where to count what it skips */
	struct po_page_owner rec;
};

/*
 * The records a worker found in one chunk (a section, or what of it lies
 * in the range), kept until the caller has consumed them in pfn order.
 */
struct slot {
	uint64_t first, last;
	uint64_t exit; /* where the walk left the chunk: >= last */
	struct po_page_owner *recs;
	size_t nr, cap;
	struct po_walk_stats stats;
	struct po_error *err;
	bool done;
};

struct worker {
	struct po_walk *w;
	struct walker wk;
	pthread_t thread;
	/* po_walk_fold() only: what the thread adds to, and its counts. */
	void *state;
	struct po_walk_stats stats;
};

struct po_walk {
	struct walker main; /* the serial walk, and the parallel one's repairs */
	struct po_mm *mm; /* the owner's, which workers clone */
	const struct po_walk_hooks *hooks; /* NULL: one job, no callbacks */
	uint64_t start, end;
	struct po_walk_stats stats;
	/* Parallel walks (nr_workers > 0) only. */
	struct worker *workers;
	unsigned int nr_workers;
	struct slot *slots;
	unsigned int nr_slots;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	uint64_t base, nr_chunks; /* chunk k starts at base + k chunks */
	uint64_t next_chunk; /* the next one a worker takes */
	uint64_t cur_chunk; /* the one the caller consumes */
	struct slot *cur; /* its slot, once ready */
	size_t cur_rec;
	uint64_t cursor0; /* the first pfn the walk judges */
	uint64_t cursor; /* where the serial walk would be */
	/* po_walk_fold() with threads only. */
	const struct po_walk_fold *fold;
	unsigned int running; /* workers not yet finished */
	uint64_t chunks_done;
	bool crossed; /* a worker's walk left its chunk late */
	struct po_error *err; /* the error of the lowest chunk */
	uint64_t err_chunk;
};

static void walker_setup(struct walker *wk, struct po_owner *owner,
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
	wk->chunk_pages = po_memmap_section_pages(memmap);
	if (wk->chunk_pages > WALK_CHUNK_PAGES)
		wk->chunk_pages = WALK_CHUNK_PAGES;
}

/* Buffers for @cap pfns: a chunk never spans sections. */
static struct po_error *walker_alloc(struct walker *wk, uint64_t cap)
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

static void walker_fini(struct walker *wk)
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
	}
}

void po_owner_decode(const struct po_owner *owner, const void *ext,
		     struct po_page_owner *ret)
{
	memset(ret, 0, sizeof(*ret));
	decode_owner(po_owner_layout(owner), NULL,
		     po_owner_config(owner)->owner_offset, ext, NULL, ret);
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

/* Decode @pfn's record into wk->rec: false if it has no stack. */
static bool take_record(struct walker *wk, const uint8_t *ext,
			const uint8_t *page, uint64_t pfn, bool allocated)
{
	struct po_page_owner *r = &wk->rec;

	decode_owner(wk->ol, wk->pl, wk->owner_offset, ext, page, r);
	if (!(allocated ? r->handle : r->free_handle))
		return false;
	r->pfn = pfn;
	po_memmap_section_page(wk->memmap, pfn, &r->page);
	r->pageblock_mt = po_memmap_pageblock_migratetype(wk->memmap, pfn);
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

struct po_error *po_walk_check_interrupt(const struct po_walk_hooks *hooks)
{
	if (hooks && hooks->interrupt && hooks->interrupt(hooks->interrupt_arg))
		return po_error_create(PO_ERR_INTERRUPTED, "interrupted");
	return NULL;
}

static void walk_progress(const struct po_walk *w, uint64_t done)
{
	if (w->hooks && w->hooks->progress)
		w->hooks->progress(w->hooks->progress_arg, done,
				   w->end - w->start);
}

/* Once per chunk: often enough for Ctrl-C, rare enough to cost nothing. */
static struct po_error *section_hooks(struct po_walk *w, uint64_t pfn)
{
	struct po_error *err = po_walk_check_interrupt(w->hooks);

	if (!err)
		walk_progress(w, pfn - w->start);
	return err;
}

/*
 * The next record of @wk below wk->end, or NULL once wk->pfn has passed
 * it.  @hooks: the walk whose callbacks to run per chunk, or NULL.
 */
static struct po_error *walker_next(struct walker *wk, struct po_walk *hooks,
				    const struct po_page_owner **ret)
{
	while (wk->pfn < wk->end) {
		struct po_error *err;
		bool record;

		if (wk->pfn < wk->first || wk->pfn >= wk->last) {
			err = hooks ? section_hooks(hooks, wk->pfn) : NULL;
			if (err)
				return err;
			start_chunk(wk);
		}
		err = scan_chunk(wk, &record);
		if (err)
			return err;
		if (record) {
			wk->pfn++;
			*ret = &wk->rec;
			return NULL;
		}
	}
	*ret = NULL;
	return NULL;
}

/* ---- the parallel walk ---- */

static uint64_t chunk_first(const struct po_walk *w, uint64_t k)
{
	return k ? w->base + k * w->main.chunk_pages : w->cursor0;
}

static uint64_t chunk_last(const struct po_walk *w, uint64_t k)
{
	uint64_t last = w->base + (k + 1) * w->main.chunk_pages;

	return last < w->end ? last : w->end;
}

/* Make @wk walk [@from, @end) next, with nothing loaded. */
static void walker_seek(struct walker *wk, uint64_t from, uint64_t end)
{
	wk->pfn = from;
	wk->end = end;
	wk->first = wk->last = 0;
}

/* Walk @s's chunk from @from, keeping every record it finds. */
static void fill_slot(struct walker *wk, struct slot *s, uint64_t from)
{
	const struct po_page_owner *r;

	memset(&s->stats, 0, sizeof(s->stats));
	s->nr = 0;
	wk->stats = &s->stats;
	walker_seek(wk, from, s->last);
	while (!(s->err = walker_next(wk, NULL, &r)) && r) {
		s->recs = po_array_grow(s->recs, s->nr, &s->cap,
					sizeof(*s->recs), &s->err);
		if (s->err)
			break;
		s->recs[s->nr++] = *r;
	}
	s->exit = wk->pfn;
}

/*
 * Each worker takes the next chunk, as long as it is within nr_slots of
 * the one the caller consumes: memory stays bounded by the slots, not by
 * the size of RAM.
 */
static void *worker_main(void *arg)
{
	struct worker *wr = arg;
	struct po_walk *w = wr->w;

	pthread_mutex_lock(&w->lock);
	while (!w->stop && w->next_chunk < w->nr_chunks) {
		uint64_t k = w->next_chunk;
		struct slot *s = &w->slots[k % w->nr_slots];

		if (k >= w->cur_chunk + w->nr_slots) {
			pthread_cond_wait(&w->cond, &w->lock);
			continue;
		}
		w->next_chunk++;
		pthread_mutex_unlock(&w->lock);
		s->first = chunk_first(w, k);
		s->last = chunk_last(w, k);
		fill_slot(&wr->wk, s, s->first);
		pthread_mutex_lock(&w->lock);
		s->done = true;
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void add_stats(struct po_walk_stats *to, const struct po_walk_stats *st)
{
	to->page_excluded += st->page_excluded;
	to->page_unreadable += st->page_unreadable;
	to->ext_excluded += st->ext_excluded;
	to->ext_unreadable += st->ext_unreadable;
	to->ext_missing += st->ext_missing;
	to->bad_order += st->bad_order;
}

/* Wait for the chunk the caller has reached, and check where it began. */
static struct po_error *take_slot(struct po_walk *w)
{
	uint64_t k = w->cur_chunk;
	struct slot *s = &w->slots[k % w->nr_slots];
	struct po_error *err = section_hooks(w, chunk_first(w, k));

	if (err)
		return err;
	pthread_mutex_lock(&w->lock);
	while (!s->done)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	/*
	 * The worker started at the chunk's first pfn.  A buddy run the
	 * kernel found misaligned may have carried the serial walk past it:
	 * then walk the chunk again from there, as read_page_owner() would.
	 */
	if (!s->err && w->cursor > s->first) {
		if (!w->main.pages.buf)
			s->err = walker_alloc(&w->main, w->main.chunk_pages);
		if (!s->err)
			fill_slot(&w->main, s, w->cursor);
	}
	if (s->err) {
		err = s->err;
		s->err = NULL;
		return err;
	}
	add_stats(&w->stats, &s->stats);
	w->cur = s;
	w->cur_rec = 0;
	return NULL;
}

/* Hand the consumed slot back to the workers. */
static void release_slot(struct po_walk *w)
{
	if (w->cur->exit > w->cursor)
		w->cursor = w->cur->exit;
	pthread_mutex_lock(&w->lock);
	w->cur->done = false;
	w->cur = NULL;
	w->cur_chunk++;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static struct po_error *next_parallel(struct po_walk *w,
				      const struct po_page_owner **ret)
{
	for (;;) {
		struct po_error *err;

		if (w->cur && w->cur_rec < w->cur->nr) {
			*ret = &w->cur->recs[w->cur_rec++];
			return NULL;
		}
		if (w->cur)
			release_slot(w);
		if (w->cur_chunk >= w->nr_chunks) {
			*ret = NULL;
			return NULL;
		}
		err = take_slot(w);
		if (err)
			return err;
	}
}

static void stop_workers(struct po_walk *w)
{
	unsigned int i;

	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->nr_workers; i++) {
		pthread_join(w->workers[i].thread, NULL);
		walker_fini(&w->workers[i].wk);
		po_mm_destroy(w->workers[i].wk.mm);
	}
	for (i = 0; i < w->nr_slots; i++) {
		free(w->slots[i].recs);
		po_error_destroy(w->slots[i].err);
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
}

/* State @i of @f's array. */
static void *fold_state(const struct po_walk_fold *f, unsigned int i)
{
	return (char *)f->states + i * f->state_size;
}

/*
 * Up to @jobs workers running @fn, each with its own reader (libkdumpfile
 * contexts are not thread-safe) and its own section buffers.  *@started is
 * false when no thread could be started: the caller walks serially then.
 */
static struct po_error *start_workers(struct po_walk *w, struct po_owner *owner,
				      enum po_walk_mode mode, unsigned int jobs,
				      void *(*fn)(void *), bool *started)
{
	uint64_t cap = w->main.chunk_pages;
	struct po_error *err = NULL;
	unsigned int i;

	w->workers = calloc(jobs, sizeof(*w->workers));
	if (!w->workers)
		return &po_enomem;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	for (i = 0; i < jobs && !err; i++) {
		struct worker *wr = &w->workers[i];

		wr->w = w;
		wr->state = w->fold ? fold_state(w->fold, i) : NULL;
		walker_setup(&wr->wk, owner, w->main.memmap, NULL, mode);
		err = po_mm_clone(w->mm, &wr->wk.mm);
		if (!err)
			err = walker_alloc(&wr->wk, cap);
		pthread_mutex_lock(&w->lock);
		w->running++;
		pthread_mutex_unlock(&w->lock);
		/* A thread that cannot start leaves the walk to the others. */
		if (err || pthread_create(&wr->thread, NULL, fn, wr)) {
			pthread_mutex_lock(&w->lock);
			w->running--;
			pthread_mutex_unlock(&w->lock);
			walker_fini(&wr->wk);
			po_mm_destroy(wr->wk.mm);
			break;
		}
		w->nr_workers++;
	}
	*started = w->nr_workers > 0;
	if (err || !*started) {
		stop_workers(w);
		w->nr_workers = 0;
	}
	return err;
}

/* ---- the walk ---- */

/* The walk of [@start, @end), with no thread started and nothing loaded. */
static struct po_error *walk_init(struct po_owner *owner,
				  const struct po_memmap *memmap,
				  const struct po_walk_hooks *hooks,
				  uint64_t start, uint64_t end,
				  enum po_walk_mode mode, struct po_walk **ret)
{
	const struct po_owner_config *cfg = po_owner_config(owner);
	struct po_walk *w;
	uint64_t n;

	if (!cfg->enabled)
		return po_error_create(
			PO_ERR_INVALID,
			"page_owner was not enabled in this kernel (boot with page_owner=on)");
	w = calloc(1, sizeof(*w));
	if (!w)
		return &po_enomem;
	w->mm = po_owner_mm(owner);
	w->hooks = hooks;
	walker_setup(&w->main, owner, memmap, w->mm, mode);
	w->main.stats = &w->stats;
	w->start = start > po_memmap_min_pfn(memmap) ?
			   start :
			   po_memmap_min_pfn(memmap);
	w->end = end < po_memmap_max_pfn(memmap) ? end :
						   po_memmap_max_pfn(memmap);
	w->main.pfn = w->start;
	w->main.end = w->end;
	/* read_page_owner(): find a valid pfn or a MAX_ORDER boundary. */
	while (w->main.pfn < w->end &&
	       !po_memmap_pfn_valid(memmap, w->main.pfn) &&
	       (w->main.pfn & (po_memmap_max_order_pages(memmap) - 1)))
		w->main.pfn++;
	w->cursor0 = w->cursor = w->main.pfn;
	n = w->main.chunk_pages;
	w->base = w->cursor0 & ~(n - 1);
	w->nr_chunks = w->cursor0 < w->end ? (w->end - w->base + n - 1) / n : 0;
	*ret = w;
	return NULL;
}

/* The threads a walk of @w uses: one per chunk at most. */
static unsigned int walk_jobs(const struct po_walk *w, unsigned int max)
{
	unsigned int jobs = w->hooks && w->hooks->jobs ? w->hooks->jobs : 1;

	if (jobs > max)
		jobs = max;
	return jobs > w->nr_chunks ? (unsigned int)w->nr_chunks : jobs;
}

struct po_error *po_walk_create(struct po_owner *owner,
				const struct po_memmap *memmap,
				const struct po_walk_hooks *hooks,
				uint64_t start, uint64_t end,
				enum po_walk_mode mode, struct po_walk **ret)
{
	struct po_walk *w;
	struct po_error *err;
	unsigned int jobs;
	uint64_t n;
	bool threaded = false;

	err = walk_init(owner, memmap, hooks, start, end, mode, &w);
	if (err)
		return err;
	jobs = walk_jobs(w, UINT_MAX);
	if (jobs > 1) {
		w->slots = calloc(2 * jobs, sizeof(*w->slots));
		w->nr_slots = w->slots ? 2 * jobs : 0;
		err = w->slots ? start_workers(w, owner, mode, jobs,
					       worker_main, &threaded) :
				 &po_enomem;
	}
	/* A short range needs only short buffers. */
	n = w->main.chunk_pages;
	if (!err && !threaded)
		err = walker_alloc(&w->main,
				   w->end > w->start && w->end - w->start < n ?
					   w->end - w->start :
					   n);
	if (err) {
		po_walk_destroy(w);
		return err;
	}
	*ret = w;
	return NULL;
}

void po_walk_destroy(struct po_walk *w)
{
	if (!w)
		return;
	if (w->nr_workers)
		stop_workers(w);
	free(w->workers);
	free(w->slots);
	walker_fini(&w->main);
	po_error_destroy(w->err);
	free(w);
}

const struct po_walk_stats *po_walk_stats(const struct po_walk *w)
{
	return &w->stats;
}

struct po_error *po_walk_next(struct po_walk *w,
			      const struct po_page_owner **ret)
{
	struct po_error *err = w->nr_workers ? next_parallel(w, ret) :
					       walker_next(&w->main, w, ret);

	if (err)
		return err;
	if (*ret)
		w->stats.records++;
	else if (w->end > w->start)
		walk_progress(w, w->end - w->start);
	return NULL;
}

/* ---- folding records into per-thread states ---- */

/* Hand @f->add every record of @w's walk, in pfn order. */
static struct po_error *fold_ordered(struct po_walk *w,
				     const struct po_walk_fold *f)
{
	const struct po_page_owner *r;
	struct po_error *err;

	while (!(err = po_walk_next(w, &r)) && r &&
	       !(err = f->add(fold_state(f, 0), r)))
		;
	return err;
}

/* Walk [@first, @last) in @wr's thread, adding its records to its state. */
static struct po_error *fold_chunk(struct worker *wr, uint64_t first,
				   uint64_t last)
{
	const struct po_page_owner *r;
	struct po_error *err;

	walker_seek(&wr->wk, first, last);
	while (!(err = walker_next(&wr->wk, NULL, &r)) && r) {
		wr->stats.records++;
		err = wr->w->fold->add(wr->state, r);
		if (err)
			break;
	}
	return err;
}

/*
 * Keep the error of the lowest chunk, the one the serial walk meets first,
 * and take no chunk past it.  Called with w->lock held.
 */
static void fold_failed(struct po_walk *w, uint64_t k, struct po_error *err)
{
	if (w->err && w->err_chunk < k) {
		po_error_destroy(err);
		return;
	}
	po_error_destroy(w->err);
	w->err = err;
	w->err_chunk = k;
}

/*
 * Each worker takes the next chunk and walks it from its first pfn.  A run
 * that carries a walk past its chunk's end means the serial walk would not
 * have started the next chunk there (see take_slot()): w->crossed.
 */
static void *fold_main(void *arg)
{
	struct worker *wr = arg;
	struct po_walk *w = wr->w;

	wr->wk.stats = &wr->stats;
	pthread_mutex_lock(&w->lock);
	while (!w->stop && w->next_chunk < w->nr_chunks &&
	       !(w->err && w->next_chunk > w->err_chunk)) {
		uint64_t k = w->next_chunk++, last = chunk_last(w, k);
		struct po_error *err;

		pthread_mutex_unlock(&w->lock);
		err = fold_chunk(wr, chunk_first(w, k), last);
		pthread_mutex_lock(&w->lock);
		if (err)
			fold_failed(w, k, err);
		if (wr->wk.pfn > last && last < w->end)
			w->crossed = true;
		w->chunks_done++;
		pthread_cond_broadcast(&w->cond);
	}
	w->running--;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * Run the interrupt and progress hooks as chunks get done, until every
 * worker has finished: on an interrupt, they stop after their chunk.
 */
static struct po_error *fold_wait(struct po_walk *w)
{
	struct po_error *err = NULL;

	pthread_mutex_lock(&w->lock);
	while (w->running) {
		uint64_t done = w->chunks_done;

		if (!err && done < w->nr_chunks) {
			pthread_mutex_unlock(&w->lock);
			err = section_hooks(w, chunk_first(w, done));
			if (!err && w->fold->idle)
				err = w->fold->idle(w->fold->idle_arg);
			pthread_mutex_lock(&w->lock);
			w->stop = err != NULL;
		}
		if (w->running && (err || done == w->chunks_done))
			pthread_cond_wait(&w->cond, &w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return err;
}

/*
 * The parallel fold: *@done is false, and nothing is returned, when it
 * could not run or a run crossed a chunk boundary.  Then the states may
 * hold records, and the caller walks again in order.
 */
static struct po_error *fold_parallel(struct po_walk *w, struct po_owner *owner,
				      enum po_walk_mode mode,
				      const struct po_walk_fold *f,
				      unsigned int jobs, bool *done)
{
	struct po_error *err;
	unsigned int i;
	bool started;

	w->fold = f;
	*done = false;
	err = start_workers(w, owner, mode, jobs, fold_main, &started);
	if (err || !started)
		return err;
	err = fold_wait(w);
	stop_workers(w);
	for (i = 0; i < w->nr_workers; i++) {
		add_stats(&w->stats, &w->workers[i].stats);
		w->stats.records += w->workers[i].stats.records;
	}
	w->nr_workers = 0;
	if (!err && w->crossed)
		return NULL;
	*done = true;
	if (!err) {
		err = w->err;
		w->err = NULL;
	}
	if (!err)
		walk_progress(w, w->end - w->start);
	return err;
}

struct po_error *po_walk_fold(struct po_owner *owner,
			      const struct po_memmap *memmap,
			      const struct po_walk_hooks *hooks, uint64_t start,
			      uint64_t end, enum po_walk_mode mode,
			      const struct po_walk_fold *f,
			      struct po_walk_stats *stats)
{
	struct po_walk *w;
	struct po_error *err;
	unsigned int i, jobs;
	bool done = false;

	err = walk_init(owner, memmap, hooks, start, end, mode, &w);
	if (err)
		return err;
	jobs = walk_jobs(w, f->nr_states);
	if (jobs > 1)
		err = fold_parallel(w, owner, mode, f, jobs, &done);
	if (!err && !done) {
		po_walk_destroy(w);
		for (i = 0; i < f->nr_states && jobs > 1; i++)
			f->reset(fold_state(f, i));
		err = po_walk_create(owner, memmap, hooks, start, end, mode,
				     &w);
		if (err)
			return err;
		err = fold_ordered(w, f);
	}
	*stats = w->stats;
	po_walk_destroy(w);
	return err;
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
