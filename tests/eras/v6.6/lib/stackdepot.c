// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Stack depot layout of Linux 6.6 (6.3-6.7): the slabs became pools in
 * commit 961c949b012f ("lib/stackdepot: rename slab to pool"), indexed by
 * the static pool_index; a valid bit and extra bits as in 6.1.
 * Definitions as in that kernel's lib/stackdepot.c.
 */
#include "era.h"

#define DEPOT_HANDLE_BITS (sizeof(depot_stack_handle_t) * 8)

#define DEPOT_VALID_BITS 1
#define DEPOT_POOL_ORDER 2 /* Pool size order, 4 pages */
#define DEPOT_POOL_SIZE (1LL << (PAGE_SHIFT + DEPOT_POOL_ORDER))
#define DEPOT_STACK_ALIGN 4
#define DEPOT_OFFSET_BITS (DEPOT_POOL_ORDER + PAGE_SHIFT - DEPOT_STACK_ALIGN)
#define DEPOT_POOL_INDEX_BITS                                       \
	(DEPOT_HANDLE_BITS - DEPOT_VALID_BITS - DEPOT_OFFSET_BITS - \
	 STACK_DEPOT_EXTRA_BITS)
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
		u32 valid : DEPOT_VALID_BITS;
		u32 extra : STACK_DEPOT_EXTRA_BITS;
	};
};

struct stack_record {
	struct stack_record *next; /* Link in hash table */
	u32 hash; /* Hash in hash table */
	u32 size; /* Number of stored frames */
	union handle_parts handle;
	unsigned long entries[]; /* Variable-sized array of frames */
};

/* Array of memory regions that store stack traces. */
static __used void *stack_pools[DEPOT_MAX_POOLS];
/* Currently used pool in stack_pools. */
static __used int pool_index;
/* Offset to the unused space in the currently used pool. */
static __used size_t pool_offset;

#define ERA_POOLS stack_pools
#define ERA_INDEX pool_index
#define ERA_OFFSET pool_offset
#define ERA_POOL_SIZE DEPOT_POOL_SIZE
#define ERA_MAX_POOLS DEPOT_MAX_POOLS
#define ERA_ALIGN DEPOT_STACK_ALIGN
#define ERA_INDEX_FIELD pool_index
#define ERA_HAS_EXTRA 1
#include "alloc-linked.h"

const struct era_desc *era_describe(void)
{
	static const struct era_desc d = {
		.name = "v6.6",
		.era = 1,
		.extra_shift = DEPOT_POOL_INDEX_BITS + DEPOT_OFFSET_BITS +
			       DEPOT_VALID_BITS,
		.has_valid = true,
	};

	return &d;
}
