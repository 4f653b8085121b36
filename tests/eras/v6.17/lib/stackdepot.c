// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Stack depot layout of Linux 6.17+: commit ed4f142f72a9 sizes the pool
 * array at boot (stack_depot_max_pools=), so stack_pools is a pointer and
 * its bound is the variable stack_max_pools.  This era is also built with
 * CONFIG_STACKDEPOT_MAX_FRAMES=32 (the Kconfig range is 1-256) to check
 * that the record size comes from DWARF, not from the default of 64.
 */
#include "era.h"

#define CONFIG_STACKDEPOT_MAX_FRAMES 32
#include "../../v6.12/include/linux/stackdepot.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* Array of memory regions that store stack records. */
static __used void **stack_pools;
/* Number of entries in stack_pools: stack_depot_max_pools= at boot. */
static __used unsigned int stack_max_pools =
	MIN((1LL << DEPOT_POOL_INDEX_BITS) - 1, 8192);
/* Newly allocated pool that is not yet added to stack_pools. */
static __used void *new_pool;
/* Number of pools in stack_pools. */
static __used int pools_num;
/* Offset to the unused space in the currently used pool. */
static __used size_t pool_offset = DEPOT_POOL_SIZE;
/* Freelist of stack records within stack_pools. */
static __used LIST_HEAD(free_stacks);

/* stack_depot_early_init() or stack_depot_init(): kvcalloc() the array. */
#define ERA_INIT() (stack_pools = calloc(stack_max_pools, sizeof(void *)))
#define ERA_POOLS stack_pools
#define ERA_MAX_POOLS stack_max_pools
#define ERA_MAX_FRAMES CONFIG_STACKDEPOT_MAX_FRAMES
#include "alloc-pools.h"

const struct era_desc *era_describe(void)
{
	static const struct era_desc d = {
		.name = "v6.17",
		.era = 3,
		.extra_shift = DEPOT_POOL_INDEX_BITS + DEPOT_OFFSET_BITS,
		.refcounted = true,
		.max_frames = CONFIG_STACKDEPOT_MAX_FRAMES,
	};

	return &d;
}
