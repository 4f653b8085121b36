/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 6, inside: what the walk's files share.  Only src/walk/ includes
 * this.
 *
 *   walk.c     the walk: create, next, fold, and the caller's hooks
 *   walker.c   one thread's walk, a chunk of pfns at a time, as
 *              read_page_owner() judges them; one page's owner
 *   threads.c  worker threads that walk chunks ahead of the caller
 */
#ifndef PO_WALK_INTERNAL_H
#define PO_WALK_INTERNAL_H

#include <pthread.h>

#include "walk/walk.h"

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
	const struct po_pfn_uses *uses; /* kernel stacks and such, or NULL */
	bool owners; /* page_owner was on: read page_ext */
	uint64_t pfn, end;
	uint64_t skip; /* pages after the record's first that it covers */
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

/* walk.c */
void po_walk_progress(const struct po_walk *w, uint64_t done);
struct po_error *po_walk_section_hooks(struct po_walk *w, uint64_t pfn);

/* walker.c: one thread's walk over its chunks */
void po_walker_setup(struct walker *wk, struct po_owner *owner,
		     const struct po_memmap *memmap, struct po_mm *mm,
		     enum po_walk_mode mode);
struct po_error *po_walker_alloc(struct walker *wk, uint64_t cap);
void po_walker_fini(struct walker *wk);
struct po_error *po_walker_next(struct walker *wk, struct po_walk *hooks,
				const struct po_page_owner **ret);
void po_walker_seek(struct walker *wk, uint64_t from, uint64_t end);

/* threads.c: worker threads, for po_walk_next() and po_walk_fold() */
void *po_walk_worker_main(void *arg);
struct po_error *po_walk_next_parallel(struct po_walk *w,
				       const struct po_page_owner **ret);
void po_walk_stop_workers(struct po_walk *w);
void *po_walk_fold_state(const struct po_walk_fold *f, unsigned int i);
struct po_error *po_walk_start_workers(struct po_walk *w,
				       struct po_owner *owner,
				       enum po_walk_mode mode,
				       unsigned int jobs, void *(*fn)(void *),
				       bool *started);
struct po_error *po_walk_fold_ordered(struct po_walk *w,
				      const struct po_walk_fold *f);
struct po_error *po_walk_fold_parallel(struct po_walk *w,
				       struct po_owner *owner,
				       enum po_walk_mode mode,
				       const struct po_walk_fold *f,
				       unsigned int jobs, bool *done);

#endif /* PO_WALK_INTERNAL_H */
