// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Stack depot layout of Linux 6.8.0: the refcounted rework
 * ("lib/stackdepot: store free stack records in a freelist" and the
 * variable-size records of "stackdepot: use variable size records for
 * non-evictable entries") counts pools in pools_num, drops the valid bit,
 * links records by hash_list and gives them a refcount.  The index is
 * stored 0-based, so the first record ever saved has handle 0 (fixed by
 * commit 3ee34eabac2a, see v6.8.4).  Definitions as in that kernel's
 * lib/stackdepot.c.
 */
#include "era.h"

#ifndef CONFIG_STACKDEPOT_MAX_FRAMES
#define CONFIG_STACKDEPOT_MAX_FRAMES 64
#endif

#define DEPOT_HANDLE_BITS (sizeof(depot_stack_handle_t) * 8)

#define DEPOT_POOL_ORDER 2 /* Pool size order, 4 pages */
#define DEPOT_POOL_SIZE (1LL << (PAGE_SHIFT + DEPOT_POOL_ORDER))
#define DEPOT_STACK_ALIGN 4
#define DEPOT_OFFSET_BITS (DEPOT_POOL_ORDER + PAGE_SHIFT - DEPOT_STACK_ALIGN)
#define DEPOT_POOL_INDEX_BITS \
	(DEPOT_HANDLE_BITS - DEPOT_OFFSET_BITS - STACK_DEPOT_EXTRA_BITS)
#define DEPOT_POOLS_CAP 8192
#define DEPOT_MAX_POOLS                                         \
	(((1LL << (DEPOT_POOL_INDEX_BITS)) < DEPOT_POOLS_CAP) ? \
		 (1LL << (DEPOT_POOL_INDEX_BITS)) :             \
		 DEPOT_POOLS_CAP)

/* Compact structure that stores a reference to a stack. */
union handle_parts {
	depot_stack_handle_t handle;
	struct {
		u32 pool_index : DEPOT_POOL_INDEX_BITS;
		u32 offset : DEPOT_OFFSET_BITS;
		u32 extra : STACK_DEPOT_EXTRA_BITS;
	};
};

struct stack_record {
	struct list_head hash_list; /* Links in the hash table */
	u32 hash; /* Hash in hash table */
	u32 size; /* Number of stored frames */
	union handle_parts handle; /* Constant after initialization */
	refcount_t count;
	union {
		unsigned long entries[CONFIG_STACKDEPOT_MAX_FRAMES]; /* Frames */
		struct {
			struct list_head free_list; /* Links in the freelist */
			unsigned long rcu_state; /* RCU cookie */
		};
	};
};

/* Array of memory regions that store stack records. */
static __used void *stack_pools[DEPOT_MAX_POOLS];
/* Newly allocated pool that is not yet added to stack_pools. */
static __used void *new_pool;
/* Number of pools in stack_pools. */
static __used int pools_num;
/* Offset to the unused space in the currently used pool. */
static __used size_t pool_offset = DEPOT_POOL_SIZE;
/* Freelist of stack records within stack_pools. */
static __used LIST_HEAD(free_stacks);

/*
 * 6.8.0 stores the index as is; the 6.8.y stable kernels that took
 * 3ee34eabac2a before the field's rename (v6.8.4) store index + 1.
 */
#ifndef ERA_STORED_PLUS
#define ERA_STORED_PLUS 0
#define ERA_NAME "v6.8.0"
#endif
#define ERA_POOLS stack_pools
#define ERA_MAX_POOLS DEPOT_MAX_POOLS
#define ERA_MAX_FRAMES CONFIG_STACKDEPOT_MAX_FRAMES
#define ERA_SET_INDEX(parts, index) \
	((parts).pool_index = (index) + ERA_STORED_PLUS)
#define ERA_GET_INDEX(parts) ((parts).pool_index - ERA_STORED_PLUS)
#define ERA_INIT() ((void)0)
#include "alloc-pools.h"

const struct era_desc *era_describe(void)
{
	static const struct era_desc d = {
		.name = ERA_NAME,
		.era = 2,
		.extra_shift = DEPOT_POOL_INDEX_BITS + DEPOT_OFFSET_BITS,
		.refcounted = true,
		.max_frames = CONFIG_STACKDEPOT_MAX_FRAMES,
	};

	return &d;
}
