// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Stack depot layout of Linux 4.14 (unchanged from 4.6 to 5.10): slabs
 * indexed by depot_index, a valid bit, no extra bits, and a pre-C99
 * entries[1] flexible array.  Definitions as in that kernel's
 * lib/stackdepot.c.
 */
#include "era.h"

#define DEPOT_STACK_BITS (sizeof(depot_stack_handle_t) * 8)

#define STACK_ALLOC_NULL_PROTECTION_BITS 1
#define STACK_ALLOC_ORDER 2 /* 'Slab' size order for stack depot, 4 pages */
#define STACK_ALLOC_SIZE (1LL << (PAGE_SHIFT + STACK_ALLOC_ORDER))
#define STACK_ALLOC_ALIGN 4
#define STACK_ALLOC_OFFSET_BITS \
	(STACK_ALLOC_ORDER + PAGE_SHIFT - STACK_ALLOC_ALIGN)
#define STACK_ALLOC_INDEX_BITS                                 \
	(DEPOT_STACK_BITS - STACK_ALLOC_NULL_PROTECTION_BITS - \
	 STACK_ALLOC_OFFSET_BITS)
#define STACK_ALLOC_SLABS_CAP 8192
#define STACK_ALLOC_MAX_SLABS                                          \
	(((1LL << (STACK_ALLOC_INDEX_BITS)) < STACK_ALLOC_SLABS_CAP) ? \
		 (1LL << (STACK_ALLOC_INDEX_BITS)) :                   \
		 STACK_ALLOC_SLABS_CAP)

union handle_parts {
	depot_stack_handle_t handle;
	struct {
		u32 slabindex : STACK_ALLOC_INDEX_BITS;
		u32 offset : STACK_ALLOC_OFFSET_BITS;
		u32 valid : STACK_ALLOC_NULL_PROTECTION_BITS;
	};
};

struct stack_record {
	struct stack_record *next; /* Link in the hashtable */
	u32 hash; /* Hash in the hastable */
	u32 size; /* Number of frames in the stack */
	union handle_parts handle;
	unsigned long entries[1]; /* Variable-sized array of entries. */
};

static __used void *stack_slabs[STACK_ALLOC_MAX_SLABS];

static __used int depot_index;
static __used int next_slab_inited;
static __used size_t depot_offset;

#define ERA_POOLS stack_slabs
#define ERA_INDEX depot_index
#define ERA_OFFSET depot_offset
#define ERA_POOL_SIZE STACK_ALLOC_SIZE
#define ERA_MAX_POOLS STACK_ALLOC_MAX_SLABS
#define ERA_ALIGN STACK_ALLOC_ALIGN
#define ERA_INDEX_FIELD slabindex
#define ERA_HAS_EXTRA 0
#include "alloc-linked.h"

const struct era_desc *era_describe(void)
{
	static const struct era_desc d = {
		.name = "v4.14",
		.era = 0,
		.has_valid = true,
	};

	return &d;
}
