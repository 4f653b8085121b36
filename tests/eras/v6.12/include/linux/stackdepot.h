/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * union handle_parts and struct stack_record as include/linux/stackdepot.h
 * has them since 6.9 (and 6.8.5+), where commit 3ee34eabac2a renamed the
 * index field pool_index_plus_1.  Shared by the v6.12 and v6.17 eras.
 */
#ifndef PO_TEST_STACKDEPOT_H
#define PO_TEST_STACKDEPOT_H

#define DEPOT_HANDLE_BITS (sizeof(depot_stack_handle_t) * 8)

#define DEPOT_POOL_ORDER 2 /* Pool size order, 4 pages */
#define DEPOT_POOL_SIZE (1LL << (PAGE_SHIFT + DEPOT_POOL_ORDER))
#define DEPOT_STACK_ALIGN 4
#define DEPOT_OFFSET_BITS (DEPOT_POOL_ORDER + PAGE_SHIFT - DEPOT_STACK_ALIGN)
#define DEPOT_POOL_INDEX_BITS \
	(DEPOT_HANDLE_BITS - DEPOT_OFFSET_BITS - STACK_DEPOT_EXTRA_BITS)

/* Compact structure that stores a reference to a stack. */
union handle_parts {
	depot_stack_handle_t handle;
	struct {
		u32 pool_index_plus_1 : DEPOT_POOL_INDEX_BITS;
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
			/*
			 * An important invariant of the implementation is to
			 * only place a stack record onto the freelist iff its
			 * refcount is zero.
			 */
			struct list_head free_list; /* Links in the freelist */
			unsigned long rcu_state; /* RCU cookie */
		};
	};
};

#define ERA_SET_INDEX(parts, index) ((parts).pool_index_plus_1 = (index) + 1)
#define ERA_GET_INDEX(parts) ((parts).pool_index_plus_1 - 1)

#endif /* PO_TEST_STACKDEPOT_H */
