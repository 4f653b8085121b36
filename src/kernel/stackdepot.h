/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 5: the stack depot.  Resolves its layout from DWARF once (which
 * pool array, which handle bit-fields, which record fields), decodes
 * depot_stack_handle_t values to frames with a per-handle cache, and walks
 * every pool.
 */
#ifndef PO_STACKDEPOT_H
#define PO_STACKDEPOT_H

#include "xlat/mm.h"
#include "xlat/pageuse.h"

struct po_depot;

/* Layout eras, each detected by a DWARF feature test. */
enum po_depot_era {
	PO_DEPOT_SLABS, /* stack_slabs[] + depot_index (<= 6.2) */
	PO_DEPOT_POOL_INDEX, /* stack_pools[] + pool_index (6.3-6.7) */
	PO_DEPOT_POOLS_NUM, /* stack_pools[] + pools_num (6.8-6.16) */
	PO_DEPOT_POOLS_PTR, /* void **stack_pools + stack_max_pools (6.17+) */
};

/**
 * struct po_stack - one decoded depot record
 * @handle: the handle as stored in the record (extra bits clear)
 * @record: address of struct stack_record
 * @hash: the record's jhash of its frames
 * @size: number of frames
 * @count: refcount, or -1 where records have none (<= 6.7)
 * @entries: @size return addresses
 */
struct po_stack {
	uint32_t handle;
	uint64_t record;
	uint32_t hash;
	uint32_t size;
	int64_t count;
	uint64_t *entries;
};

struct po_depot_stats {
	uint64_t pools;
	uint64_t pool_size;
	uint64_t records; /* live records found by the walk */
	uint64_t freed; /* evicted records (6.8+, count == 0) */
	uint64_t evictable; /* live records of the maximum size (6.8+) */
	uint64_t bytes_used; /* record bytes, live and freed */
	uint64_t bytes_slack; /* unused tails of pools */
	/*
	 * Pools whose walk stopped at a record that names itself but whose
	 * size cannot be right; the rest of such a pool is not walked.
	 */
	uint64_t corrupt;
	/* Pools the dump does not hold (filtered out or unmapped). */
	uint64_t unreadable;
};

struct po_error *po_depot_create(struct po_mm *mm, struct po_depot **ret);
void po_depot_destroy(struct po_depot *depot);

enum po_depot_era po_depot_era(const struct po_depot *depot);
const char *po_depot_era_name(enum po_depot_era era);
uint64_t po_depot_nr_pools(const struct po_depot *depot);
/* Bits of the handle that are not "extra" (user) bits. */
uint32_t po_depot_handle_mask(const struct po_depot *depot);

/*
 * po_depot_fetch() - decode @handle to its record.  The result is cached
 * and valid until po_depot_destroy().  Invalid handles give PO_ERR_INVALID
 * or PO_ERR_BAD_DATA with the precise reason (0, pool out of range, offset
 * past the pool, stored handle mismatch, freed record, excluded page).
 */
struct po_error *po_depot_fetch(struct po_depot *depot, uint32_t handle,
				const struct po_stack **ret);

/*
 * po_depot_fetch_record() - the record at address @rec (as page_owner's
 * stack_list points to it), checked to be where its own handle says.
 */
struct po_error *po_depot_fetch_record(struct po_depot *depot, uint64_t rec,
				       const struct po_stack **ret);

/* Fields of @handle as this kernel lays them out. */
struct po_depot_parts {
	uint64_t pool_index; /* 0-based, after any +1 decoding */
	uint64_t offset; /* in bytes */
	uint64_t extra;
	int valid; /* -1 where the era has no valid bit */
};
void po_depot_parts(const struct po_depot *depot, uint32_t handle,
		    struct po_depot_parts *ret);

/*
 * po_depot_pools() - how many pools the kernel has allocated, whether the
 * dump holds them or not: with @pool_size, what the depot costs.
 */
struct po_error *po_depot_pools(struct po_depot *depot, uint64_t *pools,
				uint64_t *pool_size);

/*
 * po_depot_pool_uses() - add each pool's pages to @u as PO_USE_DEPOT (the
 * object is the pool's address).  Pools are page allocations of the
 * direct map: the dump's page tables say where.
 */
struct po_error *po_depot_pool_uses(struct po_depot *depot,
				    struct po_pfn_uses *u);

/*
 * po_depot_walk() - visit every record in every pool, in pool order.
 * @fn returns non-zero to stop.  @stats, if not NULL, is filled in.
 */
struct po_error *po_depot_walk(struct po_depot *depot,
			       int (*fn)(const struct po_stack *s, bool freed,
					 void *arg),
			       void *arg, struct po_depot_stats *stats);

#endif /* PO_STACKDEPOT_H */
