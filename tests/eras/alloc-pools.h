/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * depot_alloc_stack(), depot_free_stack() and depot_fetch_stack() of the
 * refcounted depot (6.8+), against the names the including era file maps:
 * ERA_POOLS, ERA_MAX_POOLS, ERA_MAX_FRAMES, ERA_SET_INDEX(parts, index)
 * and ERA_GET_INDEX(parts) (both 0-based index), and ERA_INIT() run once
 * before the first save.
 */
#ifndef PO_TEST_ALLOC_POOLS_H
#define PO_TEST_ALLOC_POOLS_H

/*
 * Like the kernel, keep one spare pool in new_pool, outside the array,
 * so the array never shows it.
 */
static bool era_init_pool(void)
{
	if ((long long)pools_num >= (long long)ERA_MAX_POOLS)
		return false;
	if (!new_pool)
		new_pool = era_alloc_pool(DEPOT_POOL_SIZE);
	if (!new_pool)
		return false;
	ERA_POOLS[pools_num] = new_pool;
	new_pool = era_alloc_pool(DEPOT_POOL_SIZE);
	pool_offset = 0;
	pools_num++;
	return true;
}

static struct stack_record *era_pop_free_pool(size_t size)
{
	struct stack_record *stack;
	u32 index;

	if (pool_offset + size > DEPOT_POOL_SIZE && !era_init_pool())
		return NULL;
	index = pools_num - 1;
	stack = (struct stack_record *)((char *)ERA_POOLS[index] + pool_offset);
	/* Pre-initialize handle once. */
	ERA_SET_INDEX(stack->handle, index);
	stack->handle.offset = pool_offset >> DEPOT_STACK_ALIGN;
	stack->handle.extra = 0;
	INIT_LIST_HEAD(&stack->hash_list);
	pool_offset += size;
	return stack;
}

static struct stack_record *era_pop_free(void)
{
	struct stack_record *stack;

	if (free_stacks.next == &free_stacks)
		return NULL;
	stack = (struct stack_record *)((char *)free_stacks.next -
					offsetof(struct stack_record,
						 free_list));
	list_del(&stack->free_list);
	return stack;
}

static size_t era_record_size(unsigned int n)
{
	return ALIGN(offsetof(struct stack_record, entries) +
			     n * sizeof(unsigned long),
		     1 << DEPOT_STACK_ALIGN);
}

depot_stack_handle_t era_save(const unsigned long *entries, unsigned int n,
			      bool evictable)
{
	static bool inited;
	struct stack_record *stack = NULL;
	size_t size;

	if (!inited) {
		ERA_INIT();
		inited = true;
	}
	if (n > ERA_MAX_FRAMES)
		n = ERA_MAX_FRAMES;
	/* Evictable records take the maximum size so slots can be reused. */
	size = era_record_size(evictable ? ERA_MAX_FRAMES : n);
	if (evictable)
		stack = era_pop_free();
	if (!stack)
		stack = era_pop_free_pool(size);
	if (!stack)
		return 0;
	stack->hash = era_hash(entries, n);
	stack->size = n;
	memcpy(stack->entries, entries, n * sizeof(unsigned long));
	stack->count.refs.counter = evictable ? 1 : REFCOUNT_SATURATED;
	return stack->handle.handle;
}

void *era_record(depot_stack_handle_t handle)
{
	union handle_parts parts = { .handle = handle };
	char *pool = ERA_POOLS[ERA_GET_INDEX(parts)];

	return pool + (parts.offset << DEPOT_STACK_ALIGN);
}

/* stack_depot_put() to zero: depot_free_stack() */
void era_put(depot_stack_handle_t handle)
{
	struct stack_record *stack = era_record(handle);

	if (--stack->count.refs.counter)
		return;
	list_del(&stack->hash_list);
	stack->rcu_state = 0x2a; /* get_state_synchronize_rcu() */
	list_add_tail(&stack->free_list, &free_stacks);
}

unsigned int era_memory(struct era_mem *mem, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < (unsigned int)pools_num && n < max; i++)
		mem[n++] = (struct era_mem){ ERA_POOLS[i], DEPOT_POOL_SIZE };
	if (new_pool && n < max)
		mem[n++] = (struct era_mem){ new_pool, DEPOT_POOL_SIZE };
	/* 6.17's array is heap memory too; elsewhere it is in .bss. */
	if ((void *)ERA_POOLS != (void *)&ERA_POOLS && n < max)
		mem[n++] = (struct era_mem){ (void *)ERA_POOLS,
					     ERA_MAX_POOLS * sizeof(void *) };
	return n;
}

unsigned int era_nr_pools(void)
{
	return pools_num;
}

size_t era_last_offset(void)
{
	return pool_offset;
}

depot_stack_handle_t era_make_handle(unsigned int index, size_t offset,
				     bool valid)
{
	union handle_parts parts = { .handle = 0 };

	(void)valid; /* no valid bit since 6.8 */
	ERA_SET_INDEX(parts, index);
	parts.offset = offset >> DEPOT_STACK_ALIGN;
	return parts.handle;
}

#include "record-common.h"

#endif /* PO_TEST_ALLOC_POOLS_H */
