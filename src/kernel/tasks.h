/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 6: the dump's tasks, as for_each_process_thread() and the idle
 * tasks of each CPU give them: pid, comm, mm, and where the kernel stack
 * is.  What the page-identity layer needs to name a kernel stack's task,
 * or an address space's.
 */
#ifndef PO_TASKS_H
#define PO_TASKS_H

#include "xlat/memmap.h"

/**
 * struct po_task - one thread
 * @addr: its task_struct
 * @mm: task->mm (0 for kernel threads)
 * @stack_pfn/@stack_pages: the pages of its kernel stack; @stack_pages 0
 *	when they are not pages of their own (slab stacks, smaller than a
 *	page) or could not be read
 */
struct po_task {
	uint64_t addr;
	int32_t pid, tgid;
	char comm[16];
	uint64_t mm;
	uint64_t stack_pfn[8];
	unsigned int stack_pages;
};

/* An index entry: a key, what orders equal keys, and the task's index. */
struct po_task_key {
	uint64_t key, rank;
	size_t i;
};

struct po_tasks {
	struct po_task *v;
	size_t n;
	/* Indexes into @v, sorted by task address and by mm. */
	struct po_task_key *by_addr, *by_mm;
	uint64_t thread_size; /* THREAD_SIZE: sizeof(init_stack) */
	uint64_t unreadable; /* tasks the walk met but could not read */
};

/*
 * po_tasks_read() - every task: each process of init_task.tasks, its
 * threads (signal->thread_head), and each CPU's idle task.  A task that
 * cannot be read is counted in @unreadable; a list that loops or breaks
 * ends the walk there.
 */
struct po_error *po_tasks_read(struct po_mm *mm, const struct po_memmap *map,
			       struct po_tasks **ret);
void po_tasks_destroy(struct po_tasks *t);

/* The task at @addr, or NULL. */
const struct po_task *po_tasks_at(const struct po_tasks *t, uint64_t addr);
/*
 * A task whose mm is @mm: the thread-group leader of the lowest tgid
 * where several processes share it (vfork), or NULL.
 */
const struct po_task *po_tasks_of_mm(const struct po_tasks *t, uint64_t mm);

/* Add each task's kernel stack to @u, as PO_USE_KSTACK of the task. */
struct po_error *po_tasks_stack_uses(const struct po_tasks *t,
				     struct po_pfn_uses *u);

#endif /* PO_TASKS_H */
