// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 6: walking page_ext the way read_page_owner() does (internal.h
 * shows how the files divide the work).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "walk/internal.h"

struct po_error *po_walk_check_interrupt(const struct po_walk_hooks *hooks)
{
	if (hooks && hooks->interrupt && hooks->interrupt(hooks->interrupt_arg))
		return po_error_create(PO_ERR_INTERRUPTED, "interrupted");
	return NULL;
}

void po_walk_progress(const struct po_walk *w, uint64_t done)
{
	if (w->hooks && w->hooks->progress)
		w->hooks->progress(w->hooks->progress_arg, done,
				   w->end - w->start);
}

/* Once per chunk: often enough for Ctrl-C, rare enough to cost nothing. */
struct po_error *po_walk_section_hooks(struct po_walk *w, uint64_t pfn)
{
	struct po_error *err = po_walk_check_interrupt(w->hooks);

	if (!err)
		po_walk_progress(w, pfn - w->start);
	return err;
}

/* ---- the walk ---- */

/* The walk of [@start, @end), with no thread started and nothing loaded. */
static struct po_error *walk_init(struct po_owner *owner,
				  const struct po_memmap *memmap,
				  const struct po_pfn_uses *uses,
				  const struct po_walk_hooks *hooks,
				  uint64_t start, uint64_t end,
				  enum po_walk_mode mode, struct po_walk **ret)
{
	const struct po_owner_config *cfg = po_owner_config(owner);
	struct po_walk *w;
	uint64_t n;

	if (!cfg->enabled && mode != PO_WALK_PAGES)
		return po_error_create(
			PO_ERR_INVALID,
			"page_owner was not enabled in this kernel (boot with page_owner=on)");
	w = calloc(1, sizeof(*w));
	if (!w)
		return &po_enomem;
	w->mm = po_owner_mm(owner);
	w->hooks = hooks;
	po_walker_setup(&w->main, owner, memmap, w->mm, mode);
	w->main.uses = uses;
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
				const struct po_pfn_uses *uses,
				const struct po_walk_hooks *hooks,
				uint64_t start, uint64_t end,
				enum po_walk_mode mode, struct po_walk **ret)
{
	struct po_walk *w;
	struct po_error *err;
	unsigned int jobs;
	uint64_t n;
	bool threaded = false;

	err = walk_init(owner, memmap, uses, hooks, start, end, mode, &w);
	if (err)
		return err;
	jobs = walk_jobs(w, UINT_MAX);
	if (jobs > 1) {
		w->slots = calloc(2 * jobs, sizeof(*w->slots));
		w->nr_slots = w->slots ? 2 * jobs : 0;
		err = w->slots ? po_walk_start_workers(w, owner, mode, jobs,
						       po_walk_worker_main,
						       &threaded) :
				 &po_enomem;
	}
	/* A short range needs only short buffers. */
	n = w->main.chunk_pages;
	if (!err && !threaded)
		err = po_walker_alloc(
			&w->main, w->end > w->start && w->end - w->start < n ?
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
		po_walk_stop_workers(w);
	free(w->workers);
	free(w->slots);
	po_walker_fini(&w->main);
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
	struct po_error *err = w->nr_workers ? po_walk_next_parallel(w, ret) :
					       po_walker_next(&w->main, w, ret);

	if (err)
		return err;
	if (*ret)
		w->stats.records++;
	else if (w->end > w->start)
		po_walk_progress(w, w->end - w->start);
	return NULL;
}

struct po_error *
po_walk_fold(struct po_owner *owner, const struct po_memmap *memmap,
	     const struct po_pfn_uses *uses, const struct po_walk_hooks *hooks,
	     uint64_t start, uint64_t end, enum po_walk_mode mode,
	     const struct po_walk_fold *f, struct po_walk_stats *stats)
{
	struct po_walk *w;
	struct po_error *err;
	unsigned int i, jobs;
	bool done = false;

	err = walk_init(owner, memmap, uses, hooks, start, end, mode, &w);
	if (err)
		return err;
	jobs = walk_jobs(w, f->nr_states);
	if (jobs > 1)
		err = po_walk_fold_parallel(w, owner, mode, f, jobs, &done);
	if (!err && !done) {
		po_walk_destroy(w);
		for (i = 0; i < f->nr_states && jobs > 1; i++)
			f->reset(po_walk_fold_state(f, i));
		err = po_walk_create(owner, memmap, uses, hooks, start, end,
				     mode, &w);
		if (err)
			return err;
		err = po_walk_fold_ordered(w, f);
	}
	*stats = w->stats;
	po_walk_destroy(w);
	return err;
}
