// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 6: every task of the dump, with its mm and its kernel stack. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/tasks.h"
#include "object/expr.h"
#include "util/array.h"

/* More tasks than pid_max allows: a list that does not end is corrupt. */
#define MAX_TASKS (4u << 20)

struct task_layout {
	struct po_member tasks, thread_node, signal, pid, tgid, comm, mm;
	struct po_member stack, stack_vm_area, thread_head, vm_pages;
	struct po_member vm_nr_pages;
	bool vmap_stack; /* CONFIG_VMAP_STACK: task->stack_vm_area */
};

struct walk {
	struct po_mm *mm;
	const struct po_memmap *map;
	struct task_layout l;
	struct po_tasks *t;
	size_t cap;
	uint64_t init_task;
	unsigned int budget;
};

static struct po_error *read_layout(struct po_debuginfo *dw,
				    struct task_layout *l)
{
	static const char ts[] = "struct task_struct";
	struct po_error *err;

	err = po_type_member_of(dw, ts, "tasks", &l->tasks);
	if (!err)
		err = po_type_member_of(dw, ts, "thread_node", &l->thread_node);
	if (!err)
		err = po_type_member_of(dw, ts, "signal", &l->signal);
	if (!err)
		err = po_type_member_of(dw, ts, "pid", &l->pid);
	if (!err)
		err = po_type_member_of(dw, ts, "tgid", &l->tgid);
	if (!err)
		err = po_type_member_of(dw, ts, "comm", &l->comm);
	if (!err)
		err = po_type_member_of(dw, ts, "mm", &l->mm);
	if (!err)
		err = po_type_member_of(dw, ts, "stack", &l->stack);
	if (!err)
		err = po_type_member_of(dw, "struct signal_struct",
					"thread_head", &l->thread_head);
	if (err)
		return err;
	err = po_type_member_of(dw, ts, "stack_vm_area", &l->stack_vm_area);
	l->vmap_stack = !err;
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		return NULL;
	if (!err)
		err = po_type_member_of(dw, "struct vm_struct", "pages",
					&l->vm_pages);
	if (!err)
		err = po_type_member_of(dw, "struct vm_struct", "nr_pages",
					&l->vm_nr_pages);
	return err;
}

static uint64_t off(const struct po_member *m)
{
	return m->bit_offset / 8;
}

/* The pfns of a CONFIG_VMAP_STACK stack: its vm_struct's pages[]. */
static struct po_error *vmap_stack(struct walk *w, uint64_t vm,
				   struct po_task *t)
{
	uint64_t pages, nr, page, i;
	struct po_error *err;

	err = po_mm_read_member(w->mm, vm, &w->l.vm_pages, &pages);
	if (!err)
		err = po_mm_read_member(w->mm, vm, &w->l.vm_nr_pages, &nr);
	if (err || nr > sizeof(t->stack_pfn) / sizeof(t->stack_pfn[0]))
		return err;
	for (i = 0; i < nr && !err; i++) {
		err = po_mm_read_u64(w->mm, pages + 8 * i, &page);
		if (!err &&
		    !po_memmap_page_to_pfn(w->map, page, &t->stack_pfn[i]))
			return NULL;
	}
	if (!err)
		t->stack_pages = (unsigned int)nr;
	return err;
}

/*
 * Where @t's stack is: pages of the direct map (alloc_thread_stack_node()
 * of a THREAD_SIZE of a page or more), or of a vmalloc area.  init_task's
 * is init_stack, in the kernel image: not an allocation.
 */
static struct po_error *find_stack(struct walk *w, struct po_task *t)
{
	uint64_t page = po_mm_page_size(w->mm), vm = 0, stack, phys, i, n;
	struct po_error *err = NULL;

	if (t->addr == w->init_task)
		return NULL;
	if (w->l.vmap_stack)
		err = po_mm_read_member(w->mm, t->addr, &w->l.stack_vm_area,
					&vm);
	if (err || vm)
		return err ? err : vmap_stack(w, vm, t);
	n = w->t->thread_size / page;
	if (!n || n > sizeof(t->stack_pfn) / sizeof(t->stack_pfn[0]))
		return NULL;
	err = po_mm_read_member(w->mm, t->addr, &w->l.stack, &stack);
	if (!err)
		err = po_mm_vtop(w->mm, stack, &phys);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		t->stack_pfn[i] = phys / page + i;
	t->stack_pages = (unsigned int)n;
	return NULL;
}

static struct po_error *read_task(struct walk *w, uint64_t addr,
				  struct po_task *t)
{
	const struct task_layout *l = &w->l;
	uint64_t pid, tgid, mm;
	struct po_error *err;

	memset(t, 0, sizeof(*t));
	t->addr = addr;
	err = po_mm_read_member(w->mm, addr, &l->pid, &pid);
	if (!err)
		err = po_mm_read_member(w->mm, addr, &l->tgid, &tgid);
	if (!err)
		err = po_mm_read_member(w->mm, addr, &l->mm, &mm);
	if (!err)
		err = po_mm_read(w->mm, addr + off(&l->comm), t->comm,
				 sizeof(t->comm) - 1);
	if (err)
		return err;
	t->pid = (int32_t)pid;
	t->tgid = (int32_t)tgid;
	t->mm = mm;
	return find_stack(w, t);
}

/* Add the task at @addr; one it cannot read is only counted. */
static struct po_error *add_task(void *arg, uint64_t addr)
{
	struct walk *w = arg;
	struct po_tasks *t = w->t;
	struct po_error *err;

	t->v = po_array_grow(t->v, t->n, &w->cap, sizeof(*t->v), &err);
	if (err)
		return err;
	err = read_task(w, addr, &t->v[t->n]);
	if (po_error_catch(&err, PO_ERR_FAULT) ||
	    po_error_catch(&err, PO_ERR_EXCLUDED) ||
	    po_error_catch(&err, PO_ERR_BAD_DATA)) {
		t->unreadable++;
		return NULL;
	}
	if (!err)
		t->n++;
	return err;
}

/* Walk the list_head at @head, whose entries sit @link bytes into each
 * task, calling @fn on each task. */
static struct po_error *
walk_list(struct walk *w, uint64_t head, uint64_t link, const char *what,
	  struct po_error *(*fn)(void *w, uint64_t task))
{
	struct po_error *err;

	err = po_mm_list_walk(w->mm, head, link, &w->budget, what, fn, w);
	/* A link the dump lacks (filtered, or never saved) ends the list:
	 * the tasks before it are kept, the rest counted as unreadable. */
	if (po_error_catch(&err, PO_ERR_FAULT) ||
	    po_error_catch(&err, PO_ERR_EXCLUDED))
		w->t->unreadable++;
	return err;
}

/* A process: each of its threads, the leader among them. */
static struct po_error *add_process(void *arg, uint64_t task)
{
	struct walk *w = arg;
	struct po_error *err;
	uint64_t signal;

	err = po_mm_read_member(w->mm, task, &w->l.signal, &signal);
	if (!err)
		err = walk_list(w, signal + off(&w->l.thread_head),
				off(&w->l.thread_node), "thread list",
				add_task);
	if (po_error_catch(&err, PO_ERR_FAULT) ||
	    po_error_catch(&err, PO_ERR_EXCLUDED))
		w->t->unreadable++;
	return err;
}

/* The idle task of each CPU but the boot one (init_task, already in). */
static struct po_error *add_idle_tasks(struct walk *w)
{
	struct po_object obj;
	struct po_error *err;
	uint64_t ncpu, c, idle;
	char expr[64];

	err = po_mm_read_variable(w->mm, "nr_cpu_ids", NULL, &ncpu);
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		return NULL;
	for (c = 1; c < ncpu && c < 8192 && !err; c++) {
		snprintf(expr, sizeof(expr),
			 "per_cpu(runqueues, %" PRIu64 ").idle", c);
		err = po_expr_eval(w->mm, expr, NULL, 0, &obj);
		if (!err)
			err = po_object_value(w->mm, &obj, &idle);
		if (po_error_catch(&err, PO_ERR_FAULT) ||
		    po_error_catch(&err, PO_ERR_EXCLUDED))
			continue;
		if (!err && idle)
			err = add_task(w, idle);
	}
	return err;
}

static int cmp_key(const void *x, const void *y)
{
	const struct po_task_key *a = x, *b = y;

	if (a->key != b->key)
		return (a->key > b->key) - (a->key < b->key);
	return (a->rank > b->rank) - (a->rank < b->rank);
}

/*
 * Sorted keys: by address; by mm with, for one mm, thread-group leaders
 * first and then the lowest tgid (rank = !leader << 32 | tgid).
 */
static struct po_error *make_index(struct po_tasks *t)
{
	size_t i;

	t->by_addr = calloc(t->n ? t->n : 1, sizeof(*t->by_addr));
	t->by_mm = calloc(t->n ? t->n : 1, sizeof(*t->by_mm));
	if (!t->by_addr || !t->by_mm)
		return &po_enomem;
	for (i = 0; i < t->n; i++) {
		const struct po_task *k = &t->v[i];

		t->by_addr[i] = (struct po_task_key){ k->addr, 0, i };
		t->by_mm[i] = (struct po_task_key){
			k->mm,
			(uint64_t)(k->pid != k->tgid) << 32 | (uint32_t)k->tgid,
			i
		};
	}
	qsort(t->by_addr, t->n, sizeof(*t->by_addr), cmp_key);
	qsort(t->by_mm, t->n, sizeof(*t->by_mm), cmp_key);
	return NULL;
}

/* The task of the first key in @idx not below @key, if it is @key. */
static const struct po_task *
find_key(const struct po_tasks *t, const struct po_task_key *idx, uint64_t key)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (idx[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && idx[lo].key == key ? &t->v[idx[lo].i] : NULL;
}

const struct po_task *po_tasks_at(const struct po_tasks *t, uint64_t addr)
{
	return find_key(t, t->by_addr, addr);
}

const struct po_task *po_tasks_of_mm(const struct po_tasks *t, uint64_t mm)
{
	return mm ? find_key(t, t->by_mm, mm) : NULL;
}

/*
 * THREAD_SIZE, which DWARF has no constant for: the size of init_stack,
 * declared unsigned long init_stack[THREAD_SIZE / sizeof(unsigned long)]
 * (the linker script defines it, so only its declaration has the type).
 */
static struct po_error *thread_size(struct po_mm *mm, uint64_t *ret)
{
	struct po_object stack;
	struct po_error *err = po_object_find(mm, "init_stack", &stack);

	if (!err)
		err = po_ctype_size(po_mm_debuginfo(mm), stack.type, ret);
	if (err)
		return po_error_prefix(err, "THREAD_SIZE from init_stack: ");
	/*
	 * Without vmlinux the size is kallsyms' distance to the next
	 * symbol, which can fall short: THREAD_SIZE is a power of two.
	 */
	while (*ret & (*ret - 1))
		*ret += *ret & -*ret;
	return NULL;
}

static struct po_error *read_all(struct walk *w)
{
	struct po_variable init;
	struct po_error *err;
	uint64_t size;

	err = read_layout(po_mm_debuginfo(w->mm), &w->l);
	if (!err)
		err = po_mm_variable(w->mm, "init_task", NULL, &init);
	if (!err)
		err = thread_size(w->mm, &size);
	if (err)
		return err;
	w->t->thread_size = size;
	w->init_task = init.address;
	w->budget = MAX_TASKS;
	err = add_process(w, init.address);
	if (!err)
		err = walk_list(w, init.address + off(&w->l.tasks),
				off(&w->l.tasks), "task list", add_process);
	if (!err)
		err = add_idle_tasks(w);
	return err ? err : make_index(w->t);
}

struct po_error *po_tasks_read(struct po_mm *mm, const struct po_memmap *map,
			       struct po_tasks **ret)
{
	struct walk w = { .mm = mm, .map = map };
	struct po_error *err;

	w.t = calloc(1, sizeof(*w.t));
	if (!w.t)
		return &po_enomem;
	err = read_all(&w);
	if (err) {
		po_tasks_destroy(w.t);
		return po_error_prefix(err, "tasks: ");
	}
	*ret = w.t;
	return NULL;
}

void po_tasks_destroy(struct po_tasks *t)
{
	if (!t)
		return;
	free(t->v);
	free(t->by_addr);
	free(t->by_mm);
	free(t);
}

static struct po_error *add_range(struct po_pfn_uses *u, uint64_t pfn,
				  uint64_t pages, uint64_t task)
{
	struct po_error *err;

	u->v = po_array_grow(u->v, u->n, &u->cap, sizeof(*u->v), &err);
	if (err)
		return err;
	u->v[u->n++] = (struct po_pfn_use){
		.pfn = pfn, .pages = pages, .use = PO_USE_KSTACK, .object = task
	};
	return NULL;
}

struct po_error *po_tasks_stack_uses(const struct po_tasks *t,
				     struct po_pfn_uses *u)
{
	struct po_error *err = NULL;
	size_t i;

	for (i = 0; i < t->n && !err; i++) {
		const struct po_task *k = &t->v[i];
		unsigned int j, run;

		/* Runs of consecutive pfns: a direct-map stack is one. */
		for (j = 0; j < k->stack_pages && !err; j += run) {
			for (run = 1;
			     j + run < k->stack_pages &&
			     k->stack_pfn[j + run] == k->stack_pfn[j] + run;
			     run++)
				;
			err = add_range(u, k->stack_pfn[j], run, k->addr);
		}
	}
	return err;
}
