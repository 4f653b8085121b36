// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Stack depot layout of Linux 6.12 (6.9-6.16): pool_index_plus_1 in the
 * handle, a static array of DEPOT_MAX_POOLS pools, now one fewer than the
 * index can address.  Definitions as in Debian's linux-source-6.12.
 */
#include "era.h"

#define CONFIG_STACKDEPOT_MAX_FRAMES 64
#include "../include/linux/stackdepot.h"

#define DEPOT_POOLS_CAP 8192
/* The pool_index is offset by 1 so the first record does not have a 0 handle. */
#define DEPOT_MAX_POOLS                                             \
	(((1LL << (DEPOT_POOL_INDEX_BITS)) - 1 < DEPOT_POOLS_CAP) ? \
		 (1LL << (DEPOT_POOL_INDEX_BITS)) - 1 :             \
		 DEPOT_POOLS_CAP)

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

#define ERA_POOLS stack_pools
#define ERA_MAX_POOLS DEPOT_MAX_POOLS
#define ERA_MAX_FRAMES CONFIG_STACKDEPOT_MAX_FRAMES
#define ERA_INIT() ((void)0)
#include "alloc-pools.h"

const struct era_desc *era_describe(void)
{
	static const struct era_desc d = {
		.name = "v6.12",
		.era = 2,
		.extra_shift = DEPOT_POOL_INDEX_BITS + DEPOT_OFFSET_BITS,
		.refcounted = true,
		.max_frames = CONFIG_STACKDEPOT_MAX_FRAMES,
	};

	return &d;
}

/*
 * For po_debuginfo_find_string()'s test in test_depot_eras: of these strings
 * in .rodata, only the last starts with "PFN " and holds the needle.
 */
__used const char *const era_find_string_test[] = {
	"PFN alone, without what follows",
	"Not at the start: PFN  Block %lu type %s Flags ",
	"PFN 0x%lx type %s Block %lu type %s Flags %pGp\n",
};
