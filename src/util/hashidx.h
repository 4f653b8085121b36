/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A hash index over an array the caller owns: maps a 64-bit hash to array
 * indices, and asks the caller to compare keys.  Open addressing, grown at
 * half full.  Used by the reports, which group millions of pages under a
 * few thousand keys.
 */
#ifndef PO_HASHIDX_H
#define PO_HASHIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/array.h"
#include "util/error.h"

struct po_hashidx_slot {
	uint64_t hash;
	size_t idx_plus_1; /* 0: empty */
};

struct po_hashidx {
	struct po_hashidx_slot *slots;
	size_t cap, n; /* cap is 0 or a power of two */
};

/* A 64-bit hash of @len bytes at @p (not stable across versions). */
uint64_t po_hash_bytes(const void *p, size_t len);

/*
 * po_hashidx_find() - the index whose key equals @arg's, as told by
 * @eq(@arg, index) for indices with the same @hash; SIZE_MAX if none.
 */
size_t po_hashidx_find(const struct po_hashidx *t, uint64_t hash,
		       bool (*eq)(const void *arg, size_t idx),
		       const void *arg);
/* Record that @idx has @hash; the caller checked it is not there yet. */
struct po_error *po_hashidx_insert(struct po_hashidx *t, uint64_t hash,
				   size_t idx);
void po_hashidx_free(struct po_hashidx *t);

#endif /* PO_HASHIDX_H */
