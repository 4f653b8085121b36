/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The kernel environment for the per-era stack depot sources in
 * tests/eras/<version>/lib/stackdepot.c.  Each of those holds one kernel's
 * own definitions (macros, union handle_parts, struct stack_record and the
 * depot's statics) and its depot_alloc_stack() logic, so the compiler lays
 * out bit-fields and records exactly as that kernel would.  Built with -g
 * into a shared object, it is both the "vmlinux" whose DWARF pageowner
 * reads and, once dlopen()ed, the memory image it decodes.
 */
#ifndef PO_TEST_ERA_H
#define PO_TEST_ERA_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint32_t u32;
typedef u32 depot_stack_handle_t;
typedef struct {
	int counter;
} atomic_t;
typedef struct {
	atomic_t refs;
} refcount_t;
struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD(name) struct list_head name = { &(name), &(name) }

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l->prev = l;
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	n->prev = head->prev;
	n->next = head;
	head->prev->next = n;
	head->prev = n;
}

static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

#define PAGE_SHIFT 12
#define ALIGN(x, a) (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define REFCOUNT_SATURATED (INT_MIN / 2)
#define STACK_DEPOT_EXTRA_BITS 5
/* Statics the tests read only through DWARF must survive -O0 linking. */
#define __used __attribute__((used))

/* What an era library tells the test about itself. */
struct era_desc {
	const char *name; /* "v6.1" */
	int era; /* the enum po_depot_era pageowner must detect */
	unsigned int extra_shift; /* bit position of "extra"; 0 if none */
	bool refcounted; /* 6.8+: count, evictable and freed records */
	bool has_valid; /* <= 6.7: the handle has a valid bit */
	unsigned int max_frames; /* CONFIG_STACKDEPOT_MAX_FRAMES; 0: none */
};

/* A range of the era's heap memory: a pool, or 6.17's pool array. */
struct era_mem {
	void *addr;
	size_t size;
};

/* The interface every era library exports (see test_depot_eras.c). */
const struct era_desc *era_describe(void);
/* stack_depot_save(); @evictable is STACK_DEPOT_FLAG_GET (6.8+ only). */
depot_stack_handle_t era_save(const unsigned long *entries, unsigned int n,
			      bool evictable);
/* stack_depot_put() down to zero: the record goes to the freelist. */
void era_put(depot_stack_handle_t handle);
/* The record behind @handle, found the kernel's way. */
void *era_record(depot_stack_handle_t handle);
/* Every pool (and pool array) allocated so far, for the memory map. */
unsigned int era_memory(struct era_mem *mem, unsigned int max);
/* The number of pools in use, as the depot's statics say. */
unsigned int era_nr_pools(void);
/* Bytes used in the last pool. */
size_t era_last_offset(void);
/* A handle made by the kernel's union handle_parts. */
depot_stack_handle_t era_make_handle(unsigned int index, size_t offset,
				     bool valid);
/* Overwrite a record's size, to corrupt it; returns the old one. */
u32 era_set_size(depot_stack_handle_t handle, u32 size);

/*
 * alloc_pages() does not zero the depot's pools: fill them with a pattern
 * so that a walk which trusts the slack at a pool's end is caught.
 */
static inline void *era_alloc_pool(size_t size)
{
	void *p = aligned_alloc(size, size);

	if (p)
		memset(p, 0x5a, size);
	return p;
}

/* Any hash will do: pageowner carries it but never recomputes it. */
static inline u32 era_hash(const unsigned long *entries, unsigned int n)
{
	u32 h = 0x9747b28c;

	while (n--)
		h = (h ^ (u32)entries[n]) * 16777619u;
	return h;
}

#endif /* PO_TEST_ERA_H */
