/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * depot_alloc_stack() and depot_fetch_stack() of the kernels whose records
 * are linked by "next" (4.6-6.7), written against the names the including
 * era file maps: ERA_POOLS (stack_slabs/stack_pools), ERA_INDEX
 * (depot_index/pool_index), ERA_OFFSET, ERA_POOL_SIZE, ERA_MAX_POOLS,
 * ERA_ALIGN, ERA_INDEX_FIELD (slabindex/pool_index) and ERA_HAS_EXTRA.
 */
#ifndef PO_TEST_ALLOC_LINKED_H
#define PO_TEST_ALLOC_LINKED_H

static int era_next_inited; /* next_slab_inited / !next_pool_required */

/*
 * init_stack_slab(): the first pool goes in at ERA_INDEX, and the spare
 * one is parked at ERA_INDEX + 1 before it is used, so the array holds one
 * more pool than the index says.
 */
static void era_init_pool(void)
{
	void *prealloc;

	if (era_next_inited)
		return;
	prealloc = era_alloc_pool(ERA_POOL_SIZE);
	if (!ERA_POOLS[ERA_INDEX]) {
		ERA_POOLS[ERA_INDEX] = prealloc;
	} else {
		if (ERA_INDEX + 1 < ERA_MAX_POOLS)
			ERA_POOLS[ERA_INDEX + 1] = prealloc;
		else
			free(prealloc);
		era_next_inited = 1;
	}
}

depot_stack_handle_t era_save(const unsigned long *entries, unsigned int n,
			      bool evictable)
{
	size_t required = offsetof(struct stack_record, entries) +
			  n * sizeof(unsigned long);
	struct stack_record *stack;

	(void)evictable; /* no evictable records before 6.8 */
	required = ALIGN(required, 1 << ERA_ALIGN);
	if (ERA_OFFSET + required > ERA_POOL_SIZE) {
		if (ERA_INDEX + 1 >= ERA_MAX_POOLS)
			return 0;
		ERA_INDEX++;
		ERA_OFFSET = 0;
		era_next_inited = 0;
	}
	era_init_pool();
	era_init_pool(); /* stack_depot_save() preallocates the next one */
	if (!ERA_POOLS[ERA_INDEX])
		return 0;
	stack = (struct stack_record *)((char *)ERA_POOLS[ERA_INDEX] +
					ERA_OFFSET);
	stack->next = NULL;
	stack->hash = era_hash(entries, n);
	stack->size = n;
	stack->handle.ERA_INDEX_FIELD = ERA_INDEX;
	stack->handle.offset = ERA_OFFSET >> ERA_ALIGN;
	stack->handle.valid = 1;
#if ERA_HAS_EXTRA
	stack->handle.extra = 0;
#endif
	memcpy(stack->entries, entries, n * sizeof(unsigned long));
	ERA_OFFSET += required;
	return stack->handle.handle;
}

void era_put(depot_stack_handle_t handle)
{
	(void)handle; /* records are never freed before 6.8 */
}

void *era_record(depot_stack_handle_t handle)
{
	union handle_parts parts = { .handle = handle };
	char *pool = ERA_POOLS[parts.ERA_INDEX_FIELD];

	return pool + (parts.offset << ERA_ALIGN);
}

unsigned int era_memory(struct era_mem *mem, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < ERA_MAX_POOLS && n < max; i++)
		if (ERA_POOLS[i])
			mem[n++] =
				(struct era_mem){ ERA_POOLS[i], ERA_POOL_SIZE };
	return n;
}

unsigned int era_nr_pools(void)
{
	return ERA_INDEX + 1;
}

size_t era_last_offset(void)
{
	return ERA_OFFSET;
}

depot_stack_handle_t era_make_handle(unsigned int index, size_t offset,
				     bool valid)
{
	union handle_parts parts = { .handle = 0 };

	parts.ERA_INDEX_FIELD = index;
	parts.offset = offset >> ERA_ALIGN;
	parts.valid = valid;
	return parts.handle;
}

#include "record-common.h"

#endif /* PO_TEST_ALLOC_LINKED_H */
