// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: `pageowner stacks`, the debugfs page_owner_stacks/show_stacks
 * file: from page_owner's own stack_list on v6.9+, else by adding up the
 * page_ext walk per allocation stack.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/hashidx.h"
#include "report/owner_report.h"
#include "report/textout.h"

struct stacks_ctx;

/* What becomes of each stack: printed, or kept for po_stack_counts(). */
typedef void emit_fn(struct stacks_ctx *c, uint32_t handle, int64_t pages);

struct stacks_ctx {
	emit_fn *emit;
	struct po_stack_count *kept;
	size_t nr_kept, cap_kept;
	struct po_program *prog;
	struct po_depot *depot;
	struct po_stack_cache *texts;
	FILE *out;
	uint64_t threshold;
	enum po_stacks_show show;
	struct po_walk_counts *counts;
	struct po_error *err;
};

/*
 * stack_print(): the frames (show_stacks, show_stacks_handles), the handle
 * as %d (show_handles, show_stacks_handles), the page count (show_stacks,
 * show_handles), then a blank line.  The threshold applies only where the
 * count is printed: show_stacks_handles maps every handle to its stack.
 */
static void print_stack(struct stacks_ctx *c, uint32_t handle, int64_t pages)
{
	bool frames = c->show != PO_STACKS_SHOW_HANDLES;
	bool count = c->show != PO_STACKS_SHOW_STACKS_HANDLES;

	if (count && (pages < 1 || (uint64_t)pages < c->threshold))
		return;
	if (frames &&
	    !po_stack_cache_print(c->texts, handle, c->out, c->counts))
		return;
	if (c->show != PO_STACKS_SHOW_STACKS)
		fprintf(c->out, "handle: %d\n", (int)handle);
	if (count)
		fprintf(c->out, "nr_base_pages: %d\n", (int)pages);
	fputc('\n', c->out);
	c->counts->records++;
}

static void keep_stack(struct stacks_ctx *c, uint32_t handle, int64_t pages)
{
	if (c->err)
		return;
	c->kept = po_array_grow(c->kept, c->nr_kept, &c->cap_kept,
				sizeof(*c->kept), &c->err);
	if (!c->err)
		c->kept[c->nr_kept++] =
			(struct po_stack_count){ handle, pages };
}

static int visit_list(uint64_t record, void *arg)
{
	struct stacks_ctx *c = arg;
	const struct po_stack *s;

	c->err = po_depot_fetch_record(c->depot, record, &s);
	if (c->err)
		return 1;
	/* The refcount holds one reference of its own. */
	c->emit(c, s->handle, s->count - 1);
	return 0;
}

struct handle_pages {
	uint32_t handle;
	uint64_t pages;
};

struct tally {
	struct handle_pages *v;
	size_t n, cap;
	struct po_hashidx idx;
};

struct tally_arg {
	const struct tally *t;
	uint32_t handle;
};

static bool tally_eq(const void *arg, size_t i)
{
	const struct tally_arg *x = arg;

	return x->t->v[i].handle == x->handle;
}

static struct po_error *tally_add(struct tally *t, uint32_t handle,
				  uint64_t pages)
{
	struct tally_arg x = { t, handle };
	uint64_t h = po_hash_bytes(&handle, sizeof(handle));
	struct po_error *err;
	size_t i;

	if (!handle)
		return NULL; /* no stack: nothing to show it under */
	i = po_hashidx_find(&t->idx, h, tally_eq, &x);
	if (i == SIZE_MAX) {
		t->v = po_array_grow(t->v, t->n, &t->cap, sizeof(*t->v), &err);
		if (err)
			return err;
		err = po_hashidx_insert(&t->idx, h, t->n);
		if (err)
			return err;
		i = t->n++;
		t->v[i] = (struct handle_pages){ .handle = handle };
	}
	t->v[i].pages += pages;
	return NULL;
}

static int cmp_pages_desc(const void *a, const void *b)
{
	const struct handle_pages *x = a, *y = b;

	if (x->pages != y->pages)
		return x->pages < y->pages ? 1 : -1;
	return (x->handle > y->handle) - (x->handle < y->handle);
}

/* One walk thread's pages per stack (po_walk_fold()'s state). */
struct tally_state {
	struct tally t;
	uint32_t mask; /* of the handle bits that name the stack */
};

static struct po_error *tally_record(void *state, const struct po_page_owner *r)
{
	struct tally_state *s = state;

	return tally_add(&s->t, r->handle & s->mask, (uint64_t)1 << r->order);
}

static void tally_reset(void *state)
{
	struct tally_state *s = state;

	po_hashidx_free(&s->t.idx);
	free(s->t.v);
	memset(&s->t, 0, sizeof(s->t));
}

/* Add up the threads' tallies into the first; their order is lost. */
static struct po_error *tally_merge(struct tally_state *ts, unsigned int n)
{
	struct po_error *err = NULL;
	unsigned int i;
	size_t j;

	for (i = 1; i < n && !err; i++)
		for (j = 0; j < ts[i].t.n && !err; j++)
			err = tally_add(&ts[0].t, ts[i].t.v[j].handle,
					ts[i].t.v[j].pages);
	return err;
}

/*
 * Before v6.9: what the kernel would count, from the allocated pages,
 * added up in the walk's threads.  The order is by pages, then handle,
 * so it does not depend on which thread counted what.
 */
static struct po_error *stacks_from_walk(struct stacks_ctx *c)
{
	unsigned int n = c->prog->hooks.jobs, i;
	struct tally_state *ts = calloc(n, sizeof(*ts));
	struct po_walk_fold f = { .add = tally_record,
				  .reset = tally_reset,
				  .states = ts,
				  .state_size = sizeof(*ts),
				  .nr_states = n };
	struct po_walk_stats st = { 0 };
	struct po_owner *owner;
	struct po_memmap *mm;
	struct po_error *err = ts ? NULL : &po_enomem;
	size_t j;

	for (i = 0; !err && i < n; i++)
		ts[i].mask = po_depot_handle_mask(c->depot);
	if (!err)
		err = po_program_owner(c->prog, &owner);
	if (!err)
		err = po_program_memmap(c->prog, &mm);
	if (!err) {
		err = po_walk_fold(owner, mm, NULL, &c->prog->hooks, 0,
				   UINT64_MAX, PO_WALK_ALLOCATED, &f, &st);
		po_counts_from_walk(c->counts, &st);
	}
	if (!err)
		err = tally_merge(ts, n);
	if (!err && ts[0].t.n)
		qsort(ts[0].t.v, ts[0].t.n, sizeof(*ts[0].t.v), cmp_pages_desc);
	for (j = 0; !err && !c->err && j < ts[0].t.n; j++)
		c->emit(c, ts[0].t.v[j].handle, (int64_t)ts[0].t.v[j].pages);
	if (!err)
		err = c->err;
	for (i = 0; ts && i < n; i++)
		tally_reset(&ts[i]);
	free(ts);
	return err;
}

/* The kernel's stack_list where it keeps one (and not @from_walk). */
static struct po_error *visit_stacks(struct stacks_ctx *c,
				     struct po_owner *owner, bool from_walk)
{
	struct po_error *err = NULL;

	if (!from_walk) {
		err = po_owner_stack_list(owner, visit_list, c);
		if (!err)
			err = c->err;
		if (!po_error_catch(&err, PO_ERR_LOOKUP))
			return err;
	}
	return stacks_from_walk(c);
}

/*
 * Booted without page_owner=on, the kernel makes no page_owner_stacks
 * files and its stack_list stays empty: say so rather than list nothing.
 */
static struct po_error *enabled_owner(struct po_program *prog,
				      struct po_owner **owner)
{
	struct po_error *err = po_program_owner(prog, owner);

	if (!err && !po_owner_config(*owner)->enabled)
		err = po_error_create(
			PO_ERR_INVALID,
			"page_owner was not enabled in this kernel (boot with page_owner=on): no page_owner_stacks to show");
	return err;
}

struct po_error *po_report_stacks(struct po_program *prog,
				  const struct po_stacks_options *opt,
				  FILE *out, struct po_walk_counts *counts)
{
	struct po_walk_counts local;
	struct stacks_ctx c = {
		.emit = print_stack, .prog = prog, .out = out, .show = opt->show
	};
	struct po_owner *owner;
	struct po_error *err;

	c.counts = counts ? counts : &local;
	memset(c.counts, 0, sizeof(*c.counts));
	err = enabled_owner(prog, &owner);
	if (!err)
		err = po_program_depot(prog, &c.depot);
	if (!err)
		err = po_stack_cache_create(prog, &c.texts);
	if (err)
		return err;
	if (opt->threshold >= 0)
		c.threshold = (uint64_t)opt->threshold;
	else if ((err = po_owner_stack_threshold(owner, &c.threshold)) &&
		 po_error_catch(&err, PO_ERR_LOOKUP))
		c.threshold = 0;
	if (!err)
		err = visit_stacks(&c, owner, opt->from_walk);
	po_stack_cache_destroy(c.texts);
	if (!err)
		err = po_out_error(out, "writing the stacks report");
	return err;
}

struct po_error *po_stack_counts(struct po_program *prog, bool from_walk,
				 struct po_stack_count **ret, size_t *nr)
{
	struct po_walk_counts counts = { 0 };
	struct stacks_ctx c = { .emit = keep_stack,
				.prog = prog,
				.counts = &counts };
	struct po_owner *owner;
	struct po_error *err;

	err = enabled_owner(prog, &owner);
	if (!err)
		err = po_program_depot(prog, &c.depot);
	if (!err)
		err = visit_stacks(&c, owner, from_walk);
	if (err) {
		free(c.kept);
		return err;
	}
	*ret = c.kept;
	*nr = c.nr_kept;
	return NULL;
}
