// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: one pass of the page_owner walk, grouped (see aggregate.h).
 * The walk's threads add records up by kind; the kinds are then grouped
 * by the keys of the report (dims.c).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "report/agg_internal.h"

/* ---- records added up before they are grouped ---- */

/* The records of one kind (struct po_agg_kind). */
struct fold_entry {
	struct po_agg_kind key;
	uint64_t allocs;
	uint64_t first_pfn; /* of its first record: the order to group in */
	uint64_t first_ts, last_ts;
};

/*
 * The stacks the walk threads have met, for the caller to format while
 * they walk on (po_walk_fold()'s idle work): symbolizing is serial, and
 * would otherwise all wait for the end of the walk.
 */
struct fold_run {
	struct po_agg *a;
	const struct po_memmap *mm;
	bool costs_read; /* read_ram() and read_costs() done */
	pthread_mutex_t lock;
	uint32_t *handles;
	size_t n, cap;
};

/* One walk thread's records, by kind. */
struct fold {
	const struct po_agg *a;
	struct fold_run *run;
	uint32_t mask; /* of the handle bits that name the stack */
	struct fold_entry *v;
	size_t n, cap;
	struct po_hashidx idx;
};

static bool selected(const struct po_agg *a, const struct po_agg_kind *k,
		     const struct po_agg_stack *st)
{
	const struct po_agg_filter *f = a->filter;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!po_agg_filter_match(&f->v[i], k, st))
			return false;
	return (k->gfp & a->opt->gfp) == a->opt->gfp &&
	       (a->opt->order < 0 || k->order == (unsigned int)a->opt->order);
}

/* ---- groups ---- */

struct group_arg {
	const struct po_agg *a;
	struct po_agg_key key;
};

static bool group_eq(const void *arg, size_t idx)
{
	const struct group_arg *x = arg;

	return !memcmp(&x->a->groups[idx].key, &x->key, sizeof(x->key));
}

static struct po_error *group_of(struct po_agg *a, const struct po_agg_key *k,
				 const struct po_agg_stack *st,
				 struct po_agg_group **ret)
{
	struct group_arg x = { .a = a, .key = *k };
	uint64_t h = po_hash_bytes(k, sizeof(*k));
	size_t i = po_hashidx_find(&a->gidx, h, group_eq, &x);
	struct po_agg_group *g;
	struct po_error *err;

	if (i != SIZE_MAX) {
		*ret = &a->groups[i];
		return NULL;
	}
	a->groups = po_array_grow(a->groups, a->nr_groups, &a->groups_cap,
				  sizeof(*a->groups), &err);
	if (err)
		return err;
	g = &a->groups[a->nr_groups];
	memset(g, 0, sizeof(*g));
	g->key = *k;
	g->stack = st;
	g->first_ts = UINT64_MAX;
	err = po_hashidx_insert(&a->gidx, h, a->nr_groups);
	if (err)
		return err;
	*ret = &a->groups[a->nr_groups++];
	return NULL;
}

/*
 * Pages per (group, task) and per (group, gfp mask), kept whole until the
 * end so that each group's largest few are exact.
 */
enum pair_kind { PAIR_TASK, PAIR_GFP };

struct pair {
	size_t group;
	uint32_t kind;
	int32_t pid;
	uint32_t gfp;
	char comm[PO_COMM_LEN];
	uint64_t pages;
};

struct po_agg_pairs {
	struct pair *v;
	size_t n, cap;
	struct po_hashidx idx;
};

struct pair_arg {
	const struct po_agg_pairs *p;
	const struct pair *key;
};

/* Pairs compare by everything but their page count. */
static bool pair_eq(const void *arg, size_t idx)
{
	const struct pair_arg *x = arg;

	return !memcmp(&x->p->v[idx], x->key, offsetof(struct pair, pages));
}

static struct po_error *pair_add(struct po_agg_pairs *p, const struct pair *key,
				 uint64_t pages)
{
	struct pair_arg x = { p, key };
	uint64_t h = po_hash_bytes(key, offsetof(struct pair, pages));
	size_t i = po_hashidx_find(&p->idx, h, pair_eq, &x);
	struct po_error *err;

	if (i == SIZE_MAX) {
		p->v = po_array_grow(p->v, p->n, &p->cap, sizeof(*p->v), &err);
		if (err)
			return err;
		p->v[p->n] = *key;
		p->v[p->n].pages = 0;
		err = po_hashidx_insert(&p->idx, h, p->n);
		if (err)
			return err;
		i = p->n++;
	}
	p->v[i].pages += pages;
	return NULL;
}

/* Keep @pages in a top-PO_AGG_TOP list sorted by pages, else in *other. */
static void top_insert(void *top, size_t elem, uint64_t (*pages_of)(void *),
		       const void *item, uint64_t pages, uint64_t *other)
{
	char *v = top;
	int i;

	if (pages <= pages_of(v + (PO_AGG_TOP - 1) * elem)) {
		*other += pages;
		return;
	}
	*other += pages_of(v + (PO_AGG_TOP - 1) * elem);
	for (i = PO_AGG_TOP - 1; i > 0 && pages_of(v + (i - 1) * elem) < pages;
	     i--)
		memcpy(v + i * elem, v + (i - 1) * elem, elem);
	memcpy(v + i * elem, item, elem);
}

static uint64_t task_pages(void *t)
{
	return ((struct po_agg_task *)t)->pages;
}

static uint64_t gfp_pages(void *g)
{
	return ((struct po_agg_gfp *)g)->pages;
}

static void pairs_finish(struct po_agg *a, struct po_agg_pairs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct pair *x = &p->v[i];
		struct po_agg_group *g = &a->groups[x->group];

		if (x->kind == PAIR_TASK) {
			struct po_agg_task t = { .pid = x->pid,
						 .pages = x->pages };

			memcpy(t.comm, x->comm, sizeof(t.comm));
			top_insert(g->tasks, sizeof(t), task_pages, &t,
				   x->pages, &g->other_task_pages);
		} else {
			struct po_agg_gfp t = { x->gfp, x->pages };

			top_insert(g->gfps, sizeof(t), gfp_pages, &t, x->pages,
				   &g->other_gfp_pages);
		}
	}
}

/* ---- one record ---- */

/* The comm up to its NUL: the bytes after it in task->comm are stale. */
static void copy_comm(char *dst, const char *src)
{
	memcpy(dst, src, strnlen(src, PO_COMM_LEN - 1));
}

static void add_summary(struct po_agg *a, const struct fold_entry *e,
			const struct po_agg_stack *st, uint64_t pages)
{
	struct po_agg_summary *sum = &a->sum;
	const struct po_agg_kind *k = &e->key;
	unsigned int o = k->order < PO_AGG_ORDERS ? k->order :
						    PO_AGG_ORDERS - 1;
	int mt = po_kformat_gfp_migratetype(a->kf, k->gfp);
	enum po_special_handle kind = po_owner_classify(a->owner, k->handle);

	sum->pages += pages;
	sum->allocs += e->allocs;
	if (!k->handle) {
		/* PO_WALK_PAGES: a page page_owner has no record of. */
		sum->unrecorded_pages += pages;
		sum->unrecorded_blocks += e->allocs;
		sum->order_pages[o] += pages;
		sum->order_allocs[o] += e->allocs;
		return;
	}
	if (mt >= 0 && mt < PO_AGG_MIGRATETYPES)
		sum->mt_pages[mt] += pages;
	sum->order_pages[o] += pages;
	sum->order_allocs[o] += e->allocs;
	sum->special_pages[kind] += pages;
	sum->special_allocs[kind] += e->allocs;
	if (!st->text)
		sum->bad_stacks += e->allocs;
}

/* The group key of a kind: each key grouped by gives its field. */
static struct po_error *make_key(struct po_agg *a, const struct po_agg_kind *fk,
				 const struct po_agg_stack *st,
				 struct po_agg_key *k)
{
	const struct po_report_dim *d;
	struct po_error *err = NULL;

	memset(k, 0, sizeof(*k));
	for (d = po_report_dims(); d->name; d++)
		if (!err && (d->group & a->group))
			err = d->make(a, fk, st, k);
	return err;
}

static struct po_error *add_pairs(struct po_agg *a, size_t group,
				  const struct po_agg_kind *k, uint64_t pages)
{
	struct pair task, gfp;
	struct po_error *err;

	memset(&task, 0, sizeof(task));
	task.group = group;
	task.kind = PAIR_TASK;
	task.pid = k->pid;
	memcpy(task.comm, k->comm, sizeof(task.comm));
	memset(&gfp, 0, sizeof(gfp));
	gfp.group = group;
	gfp.kind = PAIR_GFP;
	gfp.gfp = k->gfp;
	err = pair_add(a->pairs, &task, pages);
	return err ? err : pair_add(a->pairs, &gfp, pages);
}

/* Group the records of one kind. */
static struct po_error *add_kind(struct po_agg *a, const struct fold_entry *e)
{
	const struct po_agg_kind *fk = &e->key;
	uint64_t pages = e->allocs << fk->order;
	const struct po_agg_stack *st;
	struct po_agg_group *g;
	struct po_agg_key k;
	struct po_error *err;

	err = po_agg_stack_of(a, fk->handle, &st);
	if (err)
		return err;
	if (!selected(a, fk, st)) {
		a->sum.filtered_out += e->allocs;
		return NULL;
	}
	err = make_key(a, fk, st, &k);
	if (!err)
		err = group_of(a, &k, st, &g);
	if (err)
		return err;
	g->pages += pages;
	g->allocs += e->allocs;
	g->order_allocs[fk->order < PO_AGG_ORDERS ? fk->order :
						    PO_AGG_ORDERS - 1] +=
		e->allocs;
	add_summary(a, e, st, pages);
	if (!fk->handle) {
		/* No record: no time, task or gfp mask to add. */
		g->unrecorded_pages += pages;
		return NULL;
	}
	if (e->first_ts < g->first_ts)
		g->first_ts = e->first_ts;
	if (e->last_ts > g->last_ts)
		g->last_ts = e->last_ts;
	return add_pairs(a, g - a->groups, fk, pages);
}

/* ---- page_owner's own cost, and RAM ---- */

/*
 * totalram_pages(): the atomic_long_t _totalram_pages since v5.0 (commit
 * ca79b0c211af, "mm: convert totalram_pages and totalhigh_pages variables
 * to atomic"), a plain unsigned long totalram_pages before.
 */
static void read_ram(struct po_agg *a)
{
	struct po_mm *mm = a->prog->mm;
	struct po_variable v;
	struct po_error *err;

	err = po_mm_variable(mm, "_totalram_pages", NULL, &v);
	if (err) {
		po_error_destroy(err);
		err = po_mm_variable(mm, "totalram_pages", NULL, &v);
	}
	if (!err)
		err = po_mm_read_u64(mm, v.address, &a->sum.ram_pages);
	if (err)
		a->sum.ram_pages = 0; /* shown as unknown */
	po_error_destroy(err);
}

/* page_ext is allocated per present section, for every feature. */
static void read_costs(struct po_agg *a, const struct po_memmap *mm)
{
	const struct po_owner_config *cfg = po_owner_config(a->owner);
	uint64_t step = po_memmap_section_pages(mm), pfn;
	uint64_t pools, pool_size;
	struct po_error *err;

	for (pfn = po_memmap_min_pfn(mm) & ~(step - 1);
	     pfn < po_memmap_max_pfn(mm); pfn += step)
		a->sum.page_ext_sections +=
			po_memmap_section_page_ext(mm, pfn) != 0;
	a->sum.page_ext_bytes =
		a->sum.page_ext_sections * step * cfg->page_ext_size;
	err = po_depot_pools(po_owner_depot(a->owner), &pools, &pool_size);
	if (!err) {
		a->sum.depot_pools = pools;
		a->sum.depot_bytes = pools * pool_size;
	}
	po_error_destroy(err);
}

/* ---- adding up kinds ---- */

struct fold_arg {
	const struct fold *f;
	const struct po_agg_kind *key;
};

static bool fold_eq(const void *arg, size_t idx)
{
	const struct fold_arg *x = arg;

	return !memcmp(&x->f->v[idx].key, x->key, sizeof(*x->key));
}

/* The entry of kind @k, a new empty one (*@fresh) if need be. */
static struct po_error *fold_find(struct fold *f, const struct po_agg_kind *k,
				  struct fold_entry **ret, bool *fresh)
{
	struct fold_arg x = { f, k };
	uint64_t h = po_hash_bytes(k, sizeof(*k));
	size_t i = po_hashidx_find(&f->idx, h, fold_eq, &x);
	struct po_error *err;

	*fresh = i == SIZE_MAX;
	if (i == SIZE_MAX) {
		f->v = po_array_grow(f->v, f->n, &f->cap, sizeof(*f->v), &err);
		if (err)
			return err;
		memset(&f->v[f->n], 0, sizeof(f->v[f->n]));
		f->v[f->n].key = *k;
		f->v[f->n].first_pfn = f->v[f->n].first_ts = UINT64_MAX;
		err = po_hashidx_insert(&f->idx, h, f->n);
		if (err)
			return err;
		i = f->n++;
	}
	*ret = &f->v[i];
	return NULL;
}

static void fold_into(struct fold_entry *e, const struct fold_entry *add)
{
	e->allocs += add->allocs;
	if (add->first_pfn < e->first_pfn)
		e->first_pfn = add->first_pfn;
	if (add->first_ts < e->first_ts)
		e->first_ts = add->first_ts;
	if (add->last_ts > e->last_ts)
		e->last_ts = add->last_ts;
}

struct po_error *po_agg_load_formats(struct po_agg *a)
{
	struct po_error *err;

	if (a->pfn_line)
		return NULL;
	err = po_program_kformat(a->prog, &a->kf);
	if (!err)
		err = po_owner_format_compile(po_kformat_owner_pfn_line(a->kf),
					      false, &a->pfn_line);
	return err;
}

/* Queue a new kind's stack for fold_idle(). */
static struct po_error *tell_handle(struct fold_run *run, uint32_t handle)
{
	struct po_error *err;

	pthread_mutex_lock(&run->lock);
	run->handles = po_array_grow(run->handles, run->n, &run->cap,
				     sizeof(*run->handles), &err);
	if (!err)
		run->handles[run->n++] = handle;
	pthread_mutex_unlock(&run->lock);
	return err;
}

/*
 * po_walk_fold()'s @idle: what needs no record, then the stacks met so
 * far, in the caller's thread while the walk threads walk.
 */
static struct po_error *fold_idle(void *arg)
{
	struct fold_run *run = arg;
	const struct po_agg_stack *st;
	struct po_error *err;
	uint32_t *handles;
	size_t i, n;

	err = po_agg_load_formats(run->a);
	if (!run->costs_read) {
		read_ram(run->a);
		read_costs(run->a, run->mm);
		run->costs_read = true;
	}
	pthread_mutex_lock(&run->lock);
	handles = run->handles;
	n = run->n;
	run->handles = NULL;
	run->n = run->cap = 0;
	pthread_mutex_unlock(&run->lock);
	for (i = 0; i < n && !err; i++)
		err = po_agg_stack_of(run->a, handles[i], &st);
	free(handles);
	return err;
}

/* po_walk_fold()'s @add: runs in the walk's threads. */
static struct po_error *fold_add(void *state, const struct po_page_owner *r)
{
	struct fold *f = state;
	const struct po_agg *a = f->a;
	const struct po_report_dim *d;
	struct fold_entry one, *e;
	struct po_agg_kind *k = &one.key;
	struct po_error *err;
	bool fresh;

	memset(k, 0, sizeof(*k));
	if (a->opt->freed) {
		k->handle = r->free_handle & f->mask;
		k->pid = r->free_pid;
		k->tgid = r->free_tgid;
	} else {
		k->handle = r->handle & f->mask;
		k->pid = r->pid;
		k->tgid = r->tgid;
	}
	k->gfp = r->gfp_mask;
	k->order = r->order;
	if (!a->opt->freed)
		copy_comm(k->comm, r->comm);
	for (d = po_report_dims(); d->name; d++)
		if (d->record && (d->group & a->recorded))
			d->record(a, r, k);
	err = fold_find(f, k, &e, &fresh);
	if (!err && fresh)
		err = tell_handle(f->run, k->handle);
	if (err)
		return err;
	one.allocs = 1;
	one.first_pfn = r->pfn;
	one.first_ts = one.last_ts = a->opt->freed ? r->free_ts_nsec :
						     r->ts_nsec;
	fold_into(e, &one);
	return NULL;
}

static void fold_reset(void *state)
{
	struct fold *f = state;

	free(f->v);
	po_hashidx_free(&f->idx);
	f->v = NULL;
	f->n = f->cap = 0;
}

static struct po_error *fold_merge(struct fold *to, const struct fold *from)
{
	struct po_error *err = NULL;
	struct fold_entry *e;
	size_t i;

	bool fresh;

	for (i = 0; i < from->n && !err; i++) {
		err = fold_find(to, &from->v[i].key, &e, &fresh);
		if (!err)
			fold_into(e, &from->v[i]);
	}
	return err;
}

static int by_first_pfn(const void *x, const void *y)
{
	const struct fold_entry *a = x, *b = y;

	return (a->first_pfn > b->first_pfn) - (a->first_pfn < b->first_pfn);
}

/*
 * Group the kinds in the order of their first records: groups, stacks and
 * strings then come in the order a record-by-record pass would make them,
 * whatever the number of threads.
 */
static struct po_error *group_kinds(struct po_agg *a, struct fold *folds,
				    unsigned int n)
{
	struct po_error *err;
	unsigned int i;
	size_t j;

	err = po_agg_load_formats(a);
	for (i = 1; i < n && !err; i++)
		err = fold_merge(&folds[0], &folds[i]);
	if (!err && folds[0].n)
		qsort(folds[0].v, folds[0].n, sizeof(*folds[0].v),
		      by_first_pfn);
	for (j = 0; j < folds[0].n && !err; j++)
		err = add_kind(a, &folds[0].v[j]);
	return err;
}

/* ---- the run ---- */

/*
 * With page_owner off there are no records to walk: every page of RAM is
 * reported by what it is now, and the summary says why there are no
 * stacks.
 */
static enum po_walk_mode walk_mode(struct po_agg *a)
{
	a->sum.owner_off = !po_owner_config(a->owner)->enabled;
	a->sum.all_pages = !a->opt->freed &&
			   (a->opt->all_pages || a->sum.owner_off);
	return a->opt->freed	? PO_WALK_FREED :
	       a->sum.all_pages ? PO_WALK_PAGES :
				  PO_WALK_ALLOCATED;
}

/* One walk, its records added up in as many states as it has threads. */
static struct po_error *walk_all(struct po_agg *a, struct po_memmap *mm)
{
	unsigned int n = a->prog->hooks.jobs, i;
	struct fold *folds = calloc(n, sizeof(*folds));
	struct fold_run run = { .a = a, .mm = mm };
	struct po_walk_fold f = { .add = fold_add,
				  .reset = fold_reset,
				  .states = folds,
				  .state_size = sizeof(*folds),
				  .nr_states = n,
				  .idle = fold_idle,
				  .idle_arg = &run };
	struct po_error *err = &po_enomem;

	pthread_mutex_init(&run.lock, NULL);
	if (folds) {
		for (i = 0; i < n; i++) {
			folds[i].a = a;
			folds[i].run = &run;
			folds[i].mask =
				po_depot_handle_mask(po_owner_depot(a->owner));
		}
		err = po_walk_fold(a->owner, mm, a->uses, &a->prog->hooks, 0,
				   UINT64_MAX, walk_mode(a), &f, &a->sum.walk);
		if (!err)
			err = group_kinds(a, folds, n);
	}
	if (!err && !run.costs_read) {
		read_ram(a);
		read_costs(a, mm);
	}
	for (i = 0; folds && i < n; i++)
		fold_reset(&folds[i]);
	free(folds);
	free(run.handles);
	pthread_mutex_destroy(&run.lock);
	return err;
}

/*
 * The fields of struct page_owner the report's side has (see owner.c for
 * the commit that added each).  page_owner keeps no comm of the task that
 * freed a page.
 */
static unsigned int fields_of(const struct po_owner_layout *l, bool freed)
{
	const uint32_t f = l->fields;

	if (freed)
		return (f & PO_OWNER_HAS_FREE_PID ? PO_OWNER_HAS_PID : 0) |
		       (f & PO_OWNER_HAS_FREE_TGID ? PO_OWNER_HAS_TGID : 0) |
		       (f & PO_OWNER_HAS_FREE_TS ? PO_OWNER_HAS_TS : 0);
	return f & (PO_OWNER_HAS_PID | PO_OWNER_HAS_TGID | PO_OWNER_HAS_COMM |
		    PO_OWNER_HAS_TS);
}

/* The fields, and their members on either side (no comm of a freeing task). */
static const struct {
	unsigned int field;
	const char *member, *free_member;
} task_fields[] = {
	{ PO_OWNER_HAS_PID, "pid", "free_pid" },
	{ PO_OWNER_HAS_TGID, "tgid", "free_tgid" },
	{ PO_OWNER_HAS_COMM, "comm", NULL },
	{ PO_OWNER_HAS_TS, "ts_nsec", "free_ts_nsec" },
};

struct po_error *po_agg_need_field(const struct po_agg *a, unsigned int field,
				   const char *what)
{
	size_t i;

	if (a->sum.has & field)
		return NULL;
	for (i = 0; task_fields[i].field != field; i++)
		;
	if (a->opt->freed && !task_fields[i].free_member)
		return po_error_create(PO_ERR_UNSUPPORTED,
				       "%s: page_owner keeps no %s of the "
				       "task that freed a page",
				       what, task_fields[i].member);
	return po_error_create(PO_ERR_UNSUPPORTED,
			       "%s: this kernel's struct page_owner has no "
			       "member '%s'",
			       what,
			       a->opt->freed ? task_fields[i].free_member :
					       task_fields[i].member);
}

const char *po_agg_absent_fields(const struct po_agg *a, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(task_fields) / sizeof(task_fields[0]); i++) {
		const char *m = task_fields[i].member;

		if (a->sum.has & task_fields[i].field)
			continue;
		if (a->opt->freed && task_fields[i].free_member)
			m = task_fields[i].free_member;
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
				len ? "," : "", m);
	}
	return buf;
}

struct po_error *po_agg_task_fields(struct po_program *prog, bool freed,
				    unsigned int *ret)
{
	struct po_owner *owner;
	struct po_error *err = po_program_owner(prog, &owner);

	if (!err)
		*ret = fields_of(po_owner_layout(owner), freed);
	return err;
}

/* What a key grouped, sorted or filtered by needs (see dims.h). */
static struct po_error *need(struct po_agg *a, const struct po_report_dim *d,
			     const char *what)
{
	struct po_error *err = NULL;

	if (d->need)
		err = po_agg_need_field(a, d->need, what);
	if (!err && d->setup)
		err = d->setup(a, what);
	return err;
}

/* Groups first, then filters, then the sort key, each in the rows' order. */
static struct po_error *check_fields(struct po_agg *a)
{
	const struct po_report_options *o = a->opt;
	const struct po_report_dim *d;
	struct po_error *err = NULL;
	char what[64];

	a->sum.has = fields_of(po_owner_layout(a->owner), o->freed);
	for (d = po_report_dims(); d->name; d++) {
		if (err || !(d->group & a->group))
			continue;
		snprintf(what, sizeof(what), "--group %s", d->name);
		err = need(a, d, what);
	}
	for (d = po_report_dims(); d->name; d++)
		if (!err && po_agg_filter_list(o, d))
			err = need(a, d, d->filter);
	d = po_report_dim_of_sort(o->sort);
	if (!err && d) {
		snprintf(what, sizeof(what), "--sort %s", d->name);
		err = need(a, d, what);
	}
	return err;
}

/*
 * The pfns the task list names (kernel stacks), for the use key.  A task
 * list the dump cannot follow only costs that: the report says so.
 */
static struct po_error *load_uses(struct po_agg *a)
{
	struct po_error *err = po_program_pfn_uses(a->prog, &a->uses);

	a->sum.vmalloc_bad_pages = a->prog->vmalloc_stats.bad_pages;
	a->sum.vmalloc_unreadable = a->prog->vmalloc_stats.unreadable;
	a->sum.percpu_unmapped = a->prog->percpu_stats.unmapped;
	if (err && err->code != PO_ERR_NOMEM) {
		snprintf(a->sum.uses_note, sizeof(a->sum.uses_note), "%s",
			 err->message);
		po_error_destroy(err);
		return NULL;
	}
	return err;
}

/* The keys whose part of a record the kinds keep: grouped or filtered. */
static unsigned int recorded_groups(const struct po_agg *a)
{
	const struct po_report_dim *d;
	unsigned int g = a->group;

	for (d = po_report_dims(); d->name; d++)
		if (d->record && d->filter && po_agg_filter_list(a->opt, d))
			g |= d->group;
	return g;
}

/*
 * By stack unless told otherwise; with page_owner off no page has one,
 * and what each page is now is what there is to group by.
 */
unsigned int po_agg_default_group(struct po_owner *owner)
{
	return po_owner_config(owner)->enabled ? PO_GROUP_STACK : PO_GROUP_USE;
}

static struct po_error *agg_setup(struct po_agg *a, struct po_memmap **mm)
{
	struct po_error *err;

	a->pairs = calloc(1, sizeof(*a->pairs));
	if (!a->pairs)
		return &po_enomem;
	err = po_program_owner(a->prog, &a->owner);
	if (!err)
		a->group = a->opt->group ? a->opt->group :
					   po_agg_default_group(a->owner);
	if (!err)
		err = po_agg_filter_create(a->opt, &a->filter);
	if (!err)
		a->recorded = recorded_groups(a);
	if (!err && a->recorded & PO_GROUP_USE)
		err = load_uses(a);
	if (!err)
		err = check_fields(a);
	if (!err)
		err = po_program_memmap(a->prog, mm);
	if (!err)
		err = po_stack_cache_create(a->prog, &a->texts);
	if (!err)
		a->pb_order = po_memmap_pageblock_order(*mm);
	return err;
}

struct po_error *po_agg_run(struct po_program *prog,
			    const struct po_report_options *opt,
			    struct po_agg **ret)
{
	struct po_agg *a = calloc(1, sizeof(*a));
	struct po_memmap *mm;
	struct po_error *err;

	if (!a)
		return &po_enomem;
	a->prog = prog;
	a->opt = opt;
	a->sum.page_size = po_mm_page_size(prog->mm);
	err = agg_setup(a, &mm);
	if (!err)
		err = walk_all(a, mm);
	if (err) {
		po_agg_destroy(a);
		return err;
	}
	pairs_finish(a, a->pairs);
	*ret = a;
	return NULL;
}

void po_agg_destroy(struct po_agg *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nr_stacks; i++)
		free(a->stacks[i]);
	free(a->stacks);
	po_hashidx_free(&a->sidx);
	po_agg_free_words(a->strs, a->nr_strs);
	po_hashidx_free(&a->stridx);
	free(a->groups);
	po_hashidx_free(&a->gidx);
	if (a->pairs) {
		free(a->pairs->v);
		po_hashidx_free(&a->pairs->idx);
		free(a->pairs);
	}
	po_agg_filter_free(a->filter);
	po_stack_cache_destroy(a->texts);
	po_owner_format_destroy(a->pfn_line);
	free(a);
}
