/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 6: the page_owner walk.  A streaming iterator from pfn to owner
 * record, with the selection rules of the kernel's read_page_owner().  It
 * reads the struct pages and page_ext entries of a chunk of pfns at a
 * time, and counts (rather than fails on) pages the dump does not hold.
 * With more than one job (struct po_walk_hooks) worker threads walk chunks
 * ahead of the caller,
 * who still gets the records in pfn order: the same ones, whatever the
 * number of threads.
 */
#ifndef PO_WALK_H
#define PO_WALK_H

#include "xlat/memmap.h"
#include "kernel/owner.h"

enum po_walk_mode {
	/* What /sys/kernel/debug/page_owner prints: allocated head pages. */
	PO_WALK_ALLOCATED,
	/* Freed pages that still remember who freed them. */
	PO_WALK_FREED,
	/*
	 * Every page of RAM once: a record per free buddy block, per folio
	 * or page_owner allocation (its head), per other page.  Records
	 * without a page_owner entry have handle 0 and no fields; the walk
	 * runs with page_owner off too.
	 */
	PO_WALK_PAGES,
};

/* Pages the walk examined but could not judge. */
struct po_walk_stats {
	uint64_t records;
	uint64_t page_excluded; /* struct page filtered out of the dump */
	uint64_t page_unreadable; /* struct page not in the dump at all */
	uint64_t ext_excluded; /* page_ext entry filtered out */
	uint64_t ext_unreadable; /* page_ext entry not in the dump */
	uint64_t ext_missing; /* section without page_ext (NULL or invalid) */
	uint64_t bad_order; /* owner records with an order of 64 or more */
};

struct po_walk;

/*
 * How a program's walks run, as its caller set it: @jobs threads, and the
 * callbacks that the thread running the walk calls once per chunk (never
 * a worker): @interrupt to stop it (PO_ERR_INTERRUPTED), @progress to
 * show how far it got, in pfns.  A walk given no hooks runs in one thread
 * and calls nothing.
 */
struct po_walk_hooks {
	unsigned int jobs;
	bool (*interrupt)(void *arg);
	void *interrupt_arg;
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
};

/* PO_ERR_INTERRUPTED once @hooks' caller asks to stop; for long loops. */
struct po_error *po_walk_check_interrupt(const struct po_walk_hooks *hooks);

/*
 * po_walk_create() - iterate pfns in [@start, @end) (clamped to
 * min_low_pfn..max_pfn) in @mode; @hooks may be NULL.  @uses, if not
 * NULL, names the use of pfns their struct page does not tell (kernel
 * stacks): it must outlive the walk.
 */
struct po_error *po_walk_create(struct po_owner *owner,
				const struct po_memmap *memmap,
				const struct po_pfn_uses *uses,
				const struct po_walk_hooks *hooks,
				uint64_t start, uint64_t end,
				enum po_walk_mode mode, struct po_walk **ret);
void po_walk_destroy(struct po_walk *w);
/* The next record, or *ret = NULL at the end.  Valid until the next call. */
struct po_error *po_walk_next(struct po_walk *w,
			      const struct po_page_owner **ret);
const struct po_walk_stats *po_walk_stats(const struct po_walk *w);

/*
 * Where po_walk_fold() puts the records: @add(state i, record), each
 * state only ever in one thread at a time.  @reset(state) empties one.
 * @idle(@idle_arg), if set, is the caller's own work, done in its thread
 * while worker threads walk: it runs after each chunk they finish, and
 * not at all when the walk runs in the caller's thread.
 */
struct po_walk_fold {
	struct po_error *(*add)(void *state, const struct po_page_owner *r);
	void (*reset)(void *state);
	void *states; /* an array of @nr_states, @state_size bytes each */
	size_t state_size;
	unsigned int nr_states;
	struct po_error *(*idle)(void *arg);
	void *idle_arg;
};

/*
 * po_walk_fold() - the records of po_walk_create()'s walk, each handed to
 * @f->add in the thread that read it: in no set order, and spread over up
 * to @f->nr_states states (in pfn order into the first when there is
 * one).  For callers that add records up, so that no thread waits for
 * another: the per-record work runs in parallel too.  *@stats: the counts
 * po_walk_stats() would give.
 */
struct po_error *
po_walk_fold(struct po_owner *owner, const struct po_memmap *memmap,
	     const struct po_pfn_uses *uses, const struct po_walk_hooks *hooks,
	     uint64_t start, uint64_t end, enum po_walk_mode mode,
	     const struct po_walk_fold *f, struct po_walk_stats *stats);

/*
 * po_owner_decode() - the record in one page_ext entry copied into @ext,
 * without its page's fields (flags, memcg): for the era tests.
 */
void po_owner_decode(const struct po_owner *owner, const void *ext,
		     struct po_page_owner *ret);

/*
 * po_owner_read_page() - the owner record of one pfn, whatever its state
 * (the __dump_page_owner() view).  @ret->allocated tells the state;
 * PO_ERR_LOOKUP when page_owner never saw the page.
 */
struct po_error *po_owner_read_page(struct po_owner *owner,
				    const struct po_memmap *memmap,
				    uint64_t pfn, struct po_page_owner *ret);

#endif /* PO_WALK_H */
