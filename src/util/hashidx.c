// SPDX-License-Identifier: GPL-3.0-or-later
/* A hash index over a caller-owned array (see hashidx.h). */
#include <stdlib.h>
#include <string.h>

#include "util/hashidx.h"

/*
 * Eight bytes a step, then a final avalanche (the mix of splitmix64): the
 * report hashes a key of well over 100 bytes per record, which byte-wise
 * FNV-1a made its largest cost.
 */
uint64_t po_hash_bytes(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ len, w;

	for (; len >= 8; b += 8, len -= 8) {
		memcpy(&w, b, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;
	}
	if (len) {
		w = 0;
		memcpy(&w, b, len);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	}
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

size_t po_hashidx_find(const struct po_hashidx *t, uint64_t hash,
		       bool (*eq)(const void *arg, size_t idx), const void *arg)
{
	size_t mask = t->cap - 1, i;

	if (!t->cap)
		return SIZE_MAX;
	for (i = hash & mask; t->slots[i].idx_plus_1; i = (i + 1) & mask)
		if (t->slots[i].hash == hash &&
		    eq(arg, t->slots[i].idx_plus_1 - 1))
			return t->slots[i].idx_plus_1 - 1;
	return SIZE_MAX;
}

static void place(struct po_hashidx_slot *slots, size_t cap,
		  struct po_hashidx_slot s)
{
	size_t i;

	for (i = s.hash & (cap - 1); slots[i].idx_plus_1;
	     i = (i + 1) & (cap - 1))
		;
	slots[i] = s;
}

struct po_error *po_hashidx_insert(struct po_hashidx *t, uint64_t hash,
				   size_t idx)
{
	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256, i;
		struct po_hashidx_slot *slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return &po_enomem;
		for (i = 0; i < t->cap; i++)
			if (t->slots[i].idx_plus_1)
				place(slots, cap, t->slots[i]);
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	place(t->slots, t->cap,
	      (struct po_hashidx_slot){ .hash = hash, .idx_plus_1 = idx + 1 });
	t->n++;
	return NULL;
}

void po_hashidx_free(struct po_hashidx *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->n = 0;
}
