// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 6: worker threads that walk chunks ahead of the caller.  For
 * po_walk_next() each keeps a chunk's records in a slot, handed over in
 * pfn order; for po_walk_fold() each adds its records up itself.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "walk/internal.h"
#include "util/array.h"

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

/* Walk @s's chunk from @from, keeping every record it finds. */
static void fill_slot(struct walker *wk, struct slot *s, uint64_t from)
{
	const struct po_page_owner *r;

	memset(&s->stats, 0, sizeof(s->stats));
	s->nr = 0;
	wk->stats = &s->stats;
	po_walker_seek(wk, from, s->last);
	while (!(s->err = po_walker_next(wk, NULL, &r)) && r) {
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
void *po_walk_worker_main(void *arg)
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
	struct po_error *err = po_walk_section_hooks(w, chunk_first(w, k));

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
			s->err = po_walker_alloc(&w->main, w->main.chunk_pages);
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

struct po_error *po_walk_next_parallel(struct po_walk *w,
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

void po_walk_stop_workers(struct po_walk *w)
{
	unsigned int i;

	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->nr_workers; i++) {
		pthread_join(w->workers[i].thread, NULL);
		po_walker_fini(&w->workers[i].wk);
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
void *po_walk_fold_state(const struct po_walk_fold *f, unsigned int i)
{
	return (char *)f->states + i * f->state_size;
}

/*
 * Up to @jobs workers running @fn, each with its own reader (libkdumpfile
 * contexts are not thread-safe) and its own section buffers.  *@started is
 * false when no thread could be started: the caller walks serially then.
 */
struct po_error *po_walk_start_workers(struct po_walk *w,
				       struct po_owner *owner,
				       enum po_walk_mode mode,
				       unsigned int jobs, void *(*fn)(void *),
				       bool *started)
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
		wr->state = w->fold ? po_walk_fold_state(w->fold, i) : NULL;
		po_walker_setup(&wr->wk, owner, w->main.memmap, NULL, mode);
		wr->wk.uses = w->main.uses;
		err = po_mm_clone(w->mm, &wr->wk.mm);
		if (!err)
			err = po_walker_alloc(&wr->wk, cap);
		pthread_mutex_lock(&w->lock);
		w->running++;
		pthread_mutex_unlock(&w->lock);
		/* A thread that cannot start leaves the walk to the others. */
		if (err || pthread_create(&wr->thread, NULL, fn, wr)) {
			pthread_mutex_lock(&w->lock);
			w->running--;
			pthread_mutex_unlock(&w->lock);
			po_walker_fini(&wr->wk);
			po_mm_destroy(wr->wk.mm);
			break;
		}
		w->nr_workers++;
	}
	*started = w->nr_workers > 0;
	if (err || !*started) {
		po_walk_stop_workers(w);
		w->nr_workers = 0;
	}
	return err;
}

/* ---- folding records into per-thread states ---- */

/* Hand @f->add every record of @w's walk, in pfn order. */
struct po_error *po_walk_fold_ordered(struct po_walk *w,
				      const struct po_walk_fold *f)
{
	const struct po_page_owner *r;
	struct po_error *err;

	while (!(err = po_walk_next(w, &r)) && r &&
	       !(err = f->add(po_walk_fold_state(f, 0), r)))
		;
	return err;
}

/* Walk [@first, @last) in @wr's thread, adding its records to its state. */
static struct po_error *fold_chunk(struct worker *wr, uint64_t first,
				   uint64_t last)
{
	const struct po_page_owner *r;
	struct po_error *err;

	po_walker_seek(&wr->wk, first, last);
	while (!(err = po_walker_next(&wr->wk, NULL, &r)) && r) {
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
			err = po_walk_section_hooks(w, chunk_first(w, done));
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
struct po_error *po_walk_fold_parallel(struct po_walk *w,
				       struct po_owner *owner,
				       enum po_walk_mode mode,
				       const struct po_walk_fold *f,
				       unsigned int jobs, bool *done)
{
	struct po_error *err;
	unsigned int i;
	bool started;

	w->fold = f;
	*done = false;
	err = po_walk_start_workers(w, owner, mode, jobs, fold_main, &started);
	if (err || !started)
		return err;
	err = fold_wait(w);
	po_walk_stop_workers(w);
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
		po_walk_progress(w, w->end - w->start);
	return err;
}
