// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 5: stack depot (lib/stackdepot.c) layouts of every era, handle
 * decoding and the pool walk.  See docs/kernel-layouts.md for the era
 * table; each feature test below cites the kernel change it follows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/stackdepot.h"
#include "util/array.h"
#include "util/hashidx.h"

#define DEPOT_FILE "lib/stackdepot.c"
/* Constants the kernel keeps in macros, unchanged in every era. */
#define DEPOT_POOL_ORDER 2 /* STACK_ALLOC_ORDER / DEPOT_POOL_ORDER */
#define DEPOT_STACK_ALIGN 4 /* a shift: records are 16-byte aligned */
#define MAX_SANE_FRAMES 256 /* CONFIG_STACKDEPOT_MAX_FRAMES' upper bound */
#define MAX_SANE_POOLS (1ULL << 20)

struct depot_layout {
	enum po_depot_era era;
	uint64_t pools; /* address of the array of pool pointers */
	uint64_t max_pools;
	uint64_t nr_pools;
	uint64_t last_offset; /* bytes used in the current (last) pool */
	uint64_t pool_size;
	/* union handle_parts */
	struct po_member h_index, h_offset, h_valid, h_extra;
	bool has_valid, has_extra;
	int plus_1; /* 1: index stored +1, 0: not, -1: unknown */
	/* struct stack_record */
	struct po_member r_size, r_hash, r_handle, r_count;
	bool has_count;
	uint64_t entries_off; /* offsetof(struct stack_record, entries) */
	uint64_t record_size; /* sizeof(struct stack_record) */
	uint64_t max_frames; /* bound of entries[], 0 if flexible */
};

/* A stack read once, by its handle without the extra bits. */
struct cache_slot {
	uint32_t key;
	struct po_stack *stack;
};

struct po_depot {
	struct po_mm *mm;
	struct depot_layout l;
	struct cache_slot *cache; /* in the order they were read */
	size_t nr_cache, cap_cache;
	struct po_hashidx cache_idx; /* key to its slot */
};

static struct po_error *depot_var(struct po_mm *mm, const char *name,
				  struct po_variable *ret)
{
	return po_mm_variable(mm, name, DEPOT_FILE, ret);
}

static struct po_error *read_var_int(struct po_mm *mm, const char *name,
				     uint64_t *ret)
{
	return po_mm_read_variable(mm, name, DEPOT_FILE, ret);
}

/*
 * Pool array and its fill level.  stack_slabs/depot_index became
 * stack_pools/pool_index in Linux kernel commit 961c949b012f
 * ("lib/stackdepot: rename slab to pool") (in v6.3); pools_num, a count
 * rather than an index, came with Linux kernel commit b29d31885814
 * ("lib/stackdepot: store free stack records in a freelist") (in v6.8);
 * stack_pools became a pointer sized by stack_max_pools with Linux kernel
 * commit ed4f142f72a9 ("stackdepot: make max number of pools boot-time
 * configurable") (in v6.17).
 */
static struct po_error *resolve_pools(struct po_mm *mm, struct depot_layout *l)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_variable v;
	struct po_error *err;
	uint64_t idx, off;

	err = depot_var(mm, "stack_slabs", &v);
	if (!po_error_catch(&err, PO_ERR_LOOKUP)) {
		if (err)
			return err;
		l->era = PO_DEPOT_SLABS;
		l->pools = v.address;
		err = po_type_array_length(dw, v.type, &l->max_pools);
		if (!err)
			err = read_var_int(mm, "depot_index", &idx);
		if (!err)
			err = read_var_int(mm, "depot_offset", &off);
		if (err)
			return err;
		l->nr_pools = (uint32_t)idx + 1;
		l->last_offset = off;
		return NULL;
	}
	err = depot_var(mm, "stack_pools", &v);
	if (err)
		return po_error_prefix(err, "stack depot: ");
	l->pools = v.address;
	if (po_type_kind(dw, po_type_unqualified(dw, v.type)) ==
	    PO_TYPE_POINTER) {
		l->era = PO_DEPOT_POOLS_PTR;
		err = po_mm_read_u64(mm, v.address, &l->pools);
		if (!err)
			err = read_var_int(mm, "stack_max_pools",
					   &l->max_pools);
	} else {
		err = po_type_array_length(dw, v.type, &l->max_pools);
	}
	if (err)
		return err;
	if (l->era != PO_DEPOT_POOLS_PTR) {
		err = read_var_int(mm, "pools_num", &idx);
		if (po_error_catch(&err, PO_ERR_LOOKUP)) {
			l->era = PO_DEPOT_POOL_INDEX;
			err = read_var_int(mm, "pool_index", &idx);
			idx = (uint32_t)idx + 1;
		} else {
			l->era = PO_DEPOT_POOLS_NUM;
		}
	} else {
		err = read_var_int(mm, "pools_num", &idx);
	}
	if (!err)
		err = read_var_int(mm, "pool_offset", &off);
	if (err)
		return err;
	l->nr_pools = (uint32_t)idx;
	l->last_offset = off;
	return NULL;
}

/*
 * Handle bit-fields, read from union handle_parts so that page size and
 * endianness come out right.  "slabindex" (<= 6.2), "pool_index" and
 * "pool_index_plus_1": Linux kernel commit 3ee34eabac2a ("lib/stackdepot:
 * fix first entry having a 0-handle") (in v6.9) made the field the index
 * plus 1, and Linux kernel commit a6c1d9cb9a68 ("stackdepot: rename
 * pool_index to pool_index_plus_1") (in v6.9, and 6.8.5+) renamed it.
 * 6.8.2-6.8.4 (and RHEL 9.6+) store index+1 under the old name
 * "pool_index"; only the records' own stored handles can tell, so that
 * case stays undecided (-1) until a record settles it.  "valid" went with
 * "lib/stackdepot: drop valid bit from handles" (in v6.8); "extra" came
 * with "stackdepot: reserve 5 extra bits in depot_stack_handle_t" (in
 * v6.1).
 */
static struct po_error *resolve_handle(struct po_debuginfo *dw,
				       struct depot_layout *l)
{
	static const char *const index_names[] = { "pool_index_plus_1",
						   "pool_index", "slabindex" };
	struct po_error *err = NULL;
	struct po_type t;
	size_t i;

	err = po_type_find(dw, "union handle_parts", &t);
	if (err)
		return po_error_prefix(err, "stack depot: ");
	for (i = 0; i < 3; i++) {
		err = po_type_member(dw, t, index_names[i], &l->h_index);
		if (!po_error_catch(&err, PO_ERR_LOOKUP))
			break;
	}
	if (i == 3)
		return po_error_create(
			PO_ERR_UNSUPPORTED,
			"%s: union handle_parts has no pool index field",
			po_debuginfo_path(dw));
	if (!err)
		err = po_type_member(dw, t, "offset", &l->h_offset);
	if (err)
		return err;
	l->has_valid = po_type_has_member(dw, t, "valid");
	l->has_extra = po_type_has_member(dw, t, "extra");
	if (l->has_valid)
		err = po_type_member(dw, t, "valid", &l->h_valid);
	if (!err && l->has_extra)
		err = po_type_member(dw, t, "extra", &l->h_extra);
	if (err)
		return err;
	if (i == 0)
		l->plus_1 = 1;
	else if (l->has_valid)
		l->plus_1 = 0; /* <= 6.7: a valid bit and a 0-based index */
	else
		l->plus_1 = -1; /* 6.8.0-6.8.4: decided by the records */
	return NULL;
}

/*
 * struct stack_record: "next" (<= 6.7), or "hash_list" from "lib/stackdepot:
 * use list_head for stack record links" (in v6.8) plus refcount_t "count"
 * from "lib/stackdepot: add refcount for records" (in v6.8).  entries[] is
 * a flexible array until Linux kernel commit fc60e0caa94d ("lib/stackdepot:
 * use fixed-sized slots for stack records") (in v6.8) gives it
 * CONFIG_STACKDEPOT_MAX_FRAMES slots.
 */
static struct po_error *resolve_record(struct po_debuginfo *dw,
				       struct depot_layout *l)
{
	struct po_member entries;
	struct po_error *err;
	struct po_type t;

	err = po_type_find(dw, "struct stack_record", &t);
	if (!err)
		err = po_type_member(dw, t, "size", &l->r_size);
	if (!err)
		err = po_type_member(dw, t, "hash", &l->r_hash);
	if (!err)
		err = po_type_member(dw, t, "handle", &l->r_handle);
	if (!err)
		err = po_type_member(dw, t, "entries", &entries);
	if (!err)
		err = po_type_size(dw, t, &l->record_size);
	if (err)
		return po_error_prefix(err, "stack depot: ");
	l->has_count = po_type_has_member(dw, t, "count");
	if (l->has_count) {
		err = po_type_member(dw, t, "count", &l->r_count);
		if (err)
			return err;
	}
	if (l->has_count && l->r_count.byte_size != 4) {
		/* refcount_t wraps an atomic_t: read the int inside. */
		l->r_count.byte_size = 4;
		l->r_count.bit_size = 0;
	}
	l->entries_off = entries.bit_offset / 8;
	l->r_handle.byte_size = 4;
	l->r_handle.bit_size = 0;
	err = po_type_array_length(dw, entries.type, &l->max_frames);
	if (err)
		return err;
	/* <= 5.10 declared entries[1] as a pre-C99 flexible array. */
	if (!l->has_count)
		l->max_frames = 0;
	return NULL;
}

struct po_error *po_depot_create(struct po_mm *mm, struct po_depot **ret)
{
	struct po_depot *depot = calloc(1, sizeof(*depot));
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_error *err;

	if (!depot)
		return &po_enomem;
	depot->mm = mm;
	depot->l.pool_size = po_mm_page_size(mm) << DEPOT_POOL_ORDER;
	err = resolve_pools(mm, &depot->l);
	if (!err)
		err = resolve_handle(dw, &depot->l);
	if (!err)
		err = resolve_record(dw, &depot->l);
	if (!err && (depot->l.nr_pools > depot->l.max_pools ||
		     depot->l.nr_pools > MAX_SANE_POOLS))
		err = po_error_create(PO_ERR_BAD_DATA,
				      "stack depot: %" PRIu64
				      " pools in use but room for %" PRIu64,
				      depot->l.nr_pools, depot->l.max_pools);
	if (err) {
		free(depot);
		return err;
	}
	*ret = depot;
	return NULL;
}

void po_depot_destroy(struct po_depot *depot)
{
	size_t i;

	if (!depot)
		return;
	for (i = 0; i < depot->nr_cache; i++) {
		free(depot->cache[i].stack->entries);
		free(depot->cache[i].stack);
	}
	free(depot->cache);
	po_hashidx_free(&depot->cache_idx);
	free(depot);
}

enum po_depot_era po_depot_era(const struct po_depot *depot)
{
	return depot->l.era;
}

const char *po_depot_era_name(enum po_depot_era era)
{
	switch (era) {
	case PO_DEPOT_SLABS:
		return "stack_slabs + depot_index (<= 6.2)";
	case PO_DEPOT_POOL_INDEX:
		return "stack_pools + pool_index (6.3-6.7)";
	case PO_DEPOT_POOLS_NUM:
		return "stack_pools + pools_num (6.8-6.16)";
	case PO_DEPOT_POOLS_PTR:
		return "stack_pools pointer + stack_max_pools (6.17+)";
	}
	return "unknown";
}

uint64_t po_depot_nr_pools(const struct po_depot *depot)
{
	return depot->l.nr_pools;
}

static uint32_t field_mask(const struct po_member *m)
{
	return (uint32_t)(((1ULL << m->bit_size) - 1) << m->bit_offset);
}

uint32_t po_depot_handle_mask(const struct po_depot *depot)
{
	return depot->l.has_extra ? ~field_mask(&depot->l.h_extra) : UINT32_MAX;
}

static uint64_t handle_field(uint32_t handle, const struct po_member *m)
{
	return ((uint64_t)handle >> m->bit_offset) &
	       ((1ULL << m->bit_size) - 1);
}

void po_depot_parts(const struct po_depot *depot, uint32_t handle,
		    struct po_depot_parts *ret)
{
	const struct depot_layout *l = &depot->l;

	ret->pool_index = handle_field(handle, &l->h_index);
	if (l->plus_1 == 1)
		ret->pool_index -= 1; /* wraps for 0: caught as too large */
	ret->offset = handle_field(handle, &l->h_offset) << DEPOT_STACK_ALIGN;
	ret->extra = l->has_extra ? handle_field(handle, &l->h_extra) : 0;
	ret->valid = l->has_valid ? (int)handle_field(handle, &l->h_valid) : -1;
}

/* ---- the per-handle cache ---- */

static uint64_t cache_hash(uint32_t key)
{
	return po_hash_bytes(&key, sizeof(key));
}

struct cache_probe {
	const struct po_depot *depot;
	uint32_t key;
};

static bool cache_eq(const void *arg, size_t i)
{
	const struct cache_probe *p = arg;

	return p->depot->cache[i].key == p->key;
}

static struct po_stack *cache_get(const struct po_depot *depot, uint32_t key)
{
	struct cache_probe p = { depot, key };
	size_t i = po_hashidx_find(&depot->cache_idx, cache_hash(key), cache_eq,
				   &p);

	return i == SIZE_MAX ? NULL : depot->cache[i].stack;
}

static struct po_error *cache_put(struct po_depot *depot, uint32_t key,
				  struct po_stack *stack)
{
	struct po_error *err;

	depot->cache = po_array_grow(depot->cache, depot->nr_cache,
				     &depot->cap_cache, sizeof(*depot->cache),
				     &err);
	if (!err)
		err = po_hashidx_insert(&depot->cache_idx, cache_hash(key),
					depot->nr_cache);
	if (err)
		return err;
	depot->cache[depot->nr_cache++] = (struct cache_slot){ key, stack };
	return NULL;
}

/* ---- decoding ---- */

static uint64_t frame_limit(const struct depot_layout *l)
{
	return l->max_frames ? l->max_frames : MAX_SANE_FRAMES;
}

static struct po_error *read_pool_ptr(struct po_depot *depot, uint64_t idx,
				      uint64_t *ret)
{
	return po_mm_read_u64(depot->mm, depot->l.pools + idx * 8, ret);
}

/* Does the header in @hdr hold the handle of slot (@idx, @off)? */
static bool self_handle_ok(const struct depot_layout *l, const uint8_t *hdr,
			   uint64_t idx, uint64_t off, int plus_1)
{
	uint32_t stored = (uint32_t)po_member_get(&l->r_handle, hdr);
	uint64_t sidx = handle_field(stored, &l->h_index);

	if (plus_1 == 1) {
		if (sidx == 0)
			return false;
		sidx -= 1;
	}
	if (sidx != idx ||
	    handle_field(stored, &l->h_offset) << DEPOT_STACK_ALIGN != off)
		return false;
	if (l->has_valid && !handle_field(stored, &l->h_valid))
		return false;
	return !l->has_extra || !handle_field(stored, &l->h_extra);
}

static struct po_error *read_record(struct po_depot *depot, uint64_t rec,
				    uint32_t handle, struct po_stack **ret)
{
	const struct depot_layout *l = &depot->l;
	uint8_t hdr[64];
	struct po_stack *s;
	struct po_error *err;
	uint64_t n;

	err = po_mm_read(depot->mm, rec, hdr, l->entries_off);
	if (err)
		return err;
	n = po_member_get(&l->r_size, hdr);
	if (n > frame_limit(l))
		return po_error_addr(PO_ERR_BAD_DATA, rec,
				     "handle 0x%08x: record at 0x%" PRIx64
				     " claims %" PRIu64 " frames (max %" PRIu64
				     ")",
				     handle, rec, n, frame_limit(l));
	s = calloc(1, sizeof(*s));
	if (!s)
		return &po_enomem;
	s->entries = calloc(n ? n : 1, sizeof(*s->entries));
	if (!s->entries) {
		free(s);
		return &po_enomem;
	}
	s->handle = (uint32_t)po_member_get(&l->r_handle, hdr);
	s->record = rec;
	s->hash = (uint32_t)po_member_get(&l->r_hash, hdr);
	s->size = (uint32_t)n;
	s->count = l->has_count ? (int32_t)po_member_get(&l->r_count, hdr) : -1;
	err = po_mm_read(depot->mm, rec + l->entries_off, s->entries, n * 8);
	if (err) {
		free(s->entries);
		free(s);
		return err;
	}
	*ret = s;
	return NULL;
}

/* Try one reading of the pool index; sets *why on a mismatch. */
static struct po_error *try_candidate(struct po_depot *depot, uint32_t handle,
				      uint64_t idx, uint64_t off, int plus_1,
				      uint64_t *rec_ret, char *why,
				      size_t whylen)
{
	const struct depot_layout *l = &depot->l;
	struct po_error *err;
	uint8_t hdr[64];
	uint64_t pool;

	if (idx >= l->nr_pools) {
		snprintf(why, whylen,
			 "pool index %" PRIu64 " out of range (%" PRIu64
			 " pools)",
			 idx, l->nr_pools);
		return NULL;
	}
	err = read_pool_ptr(depot, idx, &pool);
	if (err)
		return err;
	if (!pool) {
		snprintf(why, whylen, "pool %" PRIu64 " is not allocated", idx);
		return NULL;
	}
	if (off + l->entries_off > l->pool_size ||
	    (idx == l->nr_pools - 1 && off >= l->last_offset)) {
		snprintf(why, whylen,
			 "offset 0x%" PRIx64 " past the end of pool %" PRIu64,
			 off, idx);
		return NULL;
	}
	err = po_mm_read(depot->mm, pool + off, hdr, l->entries_off);
	if (err)
		return err;
	if (!self_handle_ok(l, hdr, idx, off, plus_1)) {
		snprintf(why, whylen,
			 "record at 0x%" PRIx64
			 " stores handle 0x%08x, not 0x%08x",
			 pool + off, (uint32_t)po_member_get(&l->r_handle, hdr),
			 handle & po_depot_handle_mask(depot));
		return NULL;
	}
	if (l->has_count && po_member_get(&l->r_count, hdr) == 0) {
		snprintf(why, whylen,
			 "record at 0x%" PRIx64 " was freed (refcount 0)",
			 pool + off);
		return NULL;
	}
	*rec_ret = pool + off;
	return NULL;
}

static struct po_error *locate(struct po_depot *depot, uint32_t handle,
			       uint64_t *rec)
{
	struct depot_layout *l = &depot->l;
	uint64_t raw_idx = handle_field(handle, &l->h_index);
	uint64_t off = handle_field(handle, &l->h_offset) << DEPOT_STACK_ALIGN;
	char why[160] = "";
	struct po_error *err;
	int plus;

	if (l->has_valid && !handle_field(handle, &l->h_valid))
		return po_error_create(PO_ERR_INVALID,
				       "handle 0x%08x: the valid bit is clear",
				       handle);
	/* Undecided +1 (6.8.0-6.8.4): the zero-based reading first. */
	for (plus = l->plus_1 == 1 ? 1 : 0; plus <= (l->plus_1 == 0 ? 0 : 1);
	     plus++) {
		uint64_t idx = raw_idx - plus;

		*rec = 0;
		if (plus && raw_idx == 0) {
			snprintf(why, sizeof(why), "pool index field is 0");
			continue;
		}
		err = try_candidate(depot, handle, idx, off, plus, rec, why,
				    sizeof(why));
		if (err)
			return po_error_prefix(err, "handle 0x%08x: ", handle);
		if (*rec) {
			l->plus_1 = plus;
			return NULL;
		}
	}
	return po_error_create(PO_ERR_INVALID, "handle 0x%08x: %s", handle,
			       why);
}

struct po_error *po_depot_fetch(struct po_depot *depot, uint32_t handle,
				const struct po_stack **ret)
{
	uint32_t key = handle & po_depot_handle_mask(depot);
	struct po_stack *s = cache_get(depot, key);
	struct po_error *err;
	uint64_t rec;

	if (s) {
		*ret = s;
		return NULL;
	}
	if (!key)
		return po_error_create(PO_ERR_INVALID,
				       "handle 0x%08x: 0 means no stack",
				       handle);
	err = locate(depot, handle, &rec);
	if (!err)
		err = read_record(depot, rec, handle, &s);
	if (!err) {
		err = cache_put(depot, key, s);
		if (err) {
			free(s->entries);
			free(s);
		}
	}
	if (err)
		return err;
	*ret = s;
	return NULL;
}

struct po_error *po_depot_fetch_record(struct po_depot *depot, uint64_t rec,
				       const struct po_stack **ret)
{
	const struct depot_layout *l = &depot->l;
	struct po_error *err;
	uint8_t hdr[64];
	uint32_t handle;

	err = po_mm_read(depot->mm, rec, hdr, l->entries_off);
	if (err)
		return po_error_prefix(err, "stack record at 0x%" PRIx64 ": ",
				       rec);
	handle = (uint32_t)po_member_get(&l->r_handle, hdr);
	err = po_depot_fetch(depot, handle, ret);
	if (!err && (*ret)->record != rec)
		return po_error_addr(PO_ERR_BAD_DATA, rec,
				     "stack record at 0x%" PRIx64
				     " stores handle 0x%08x, which belongs to "
				     "the record at 0x%" PRIx64,
				     rec, handle, (*ret)->record);
	return err ? po_error_prefix(err, "stack record at 0x%" PRIx64 ": ",
				     rec) :
		     NULL;
}

/* ---- the pool walk ---- */

static uint64_t align16(uint64_t v)
{
	return (v + 15) & ~15ULL;
}

struct pool_walk {
	struct po_depot *depot;
	const uint8_t *buf;
	uint64_t idx, pool, limit;
};

static bool slot_ok(const struct pool_walk *w, uint64_t off)
{
	const struct depot_layout *l = &w->depot->l;

	return off + l->entries_off <= w->limit &&
	       self_handle_ok(l, w->buf + off, w->idx, off,
			      l->plus_1 < 0 ? 0 : l->plus_1);
}

/*
 * 6.8+ mixes variable-size records with maximum-size ones (evictable, or
 * freed), and page_owner rewrites count, so the size of a record is the
 * candidate after which the next slot validates or the pool ends.
 */
static uint64_t record_step(const struct pool_walk *w, uint64_t off, uint64_t n,
			    bool freed, bool *max_size)
{
	const struct depot_layout *l = &w->depot->l;
	uint64_t small = align16(l->entries_off + 8 * n);
	uint64_t big = align16(l->record_size);

	*max_size = l->has_count && small == big;
	if (!l->has_count || small == big)
		return small;
	if (freed || (!(off + small == w->limit || slot_ok(w, off + small)) &&
		      (off + big == w->limit || slot_ok(w, off + big)))) {
		*max_size = true;
		return big;
	}
	return small;
}

static struct po_error *
walk_pool(struct pool_walk *w, int (*fn)(const struct po_stack *, bool, void *),
	  void *arg, struct po_depot_stats *st, bool *stop)
{
	const struct depot_layout *l = &w->depot->l;
	uint64_t off = 0;

	while (off + l->entries_off <= w->limit && slot_ok(w, off)) {
		const uint8_t *hdr = w->buf + off;
		struct po_stack s;
		uint64_t n = po_member_get(&l->r_size, hdr), step;
		bool freed, max_size;

		if (n > frame_limit(l) ||
		    off + align16(l->entries_off + 8 * n) > w->limit) {
			st->corrupt++;
			break;
		}
		freed = l->has_count && po_member_get(&l->r_count, hdr) == 0;
		step = record_step(w, off, n, freed, &max_size);
		if (off + step > w->limit)
			step = align16(l->entries_off + 8 * n);
		s.handle = (uint32_t)po_member_get(&l->r_handle, hdr);
		s.record = w->pool + off;
		s.hash = (uint32_t)po_member_get(&l->r_hash, hdr);
		s.size = (uint32_t)n;
		s.count = l->has_count ?
				  (int32_t)po_member_get(&l->r_count, hdr) :
				  -1;
		s.entries = (uint64_t *)(w->buf + off + l->entries_off);
		st->records += !freed;
		st->freed += freed;
		/*
		 * A non-evictable record keeps REFCOUNT_SATURATED (negative)
		 * until page_owner (6.9+) sets its own count; that tells it
		 * apart from an evictable one when a stack truncated to the
		 * maximum depth takes the maximum size too.
		 */
		st->evictable += max_size && !freed && s.count >= 0;
		st->bytes_used += step;
		if (fn && fn(&s, freed, arg)) {
			*stop = true;
			return NULL;
		}
		off += step;
	}
	st->bytes_slack += w->limit > off ? w->limit - off : 0;
	return NULL;
}

struct po_error *po_depot_pools(struct po_depot *depot, uint64_t *pools,
				uint64_t *pool_size)
{
	const struct depot_layout *l = &depot->l;
	uint64_t *ptrs = calloc(l->nr_pools ? l->nr_pools : 1, sizeof(*ptrs));
	struct po_error *err;
	uint64_t i;

	if (!ptrs)
		return &po_enomem;
	*pools = 0;
	*pool_size = l->pool_size;
	/* The pointers only: reading the pools would not change the cost. */
	err = po_mm_read(depot->mm, l->pools, ptrs,
			 l->nr_pools * sizeof(*ptrs));
	for (i = 0; !err && i < l->nr_pools; i++)
		*pools += ptrs[i] != 0;
	free(ptrs);
	return err;
}

struct po_error *po_depot_pool_uses(struct po_depot *depot,
				    struct po_pfn_uses *u)
{
	const struct depot_layout *l = &depot->l;
	uint64_t page = po_mm_page_size(depot->mm), phys, i;
	uint64_t *ptrs = calloc(l->nr_pools ? l->nr_pools : 1, sizeof(*ptrs));
	struct po_error *err;

	if (!ptrs)
		return &po_enomem;
	err = po_mm_read(depot->mm, l->pools, ptrs,
			 l->nr_pools * sizeof(*ptrs));
	for (i = 0; !err && i < l->nr_pools; i++) {
		if (!ptrs[i])
			continue;
		err = po_mm_vtop(depot->mm, ptrs[i], &phys);
		if (po_error_catch(&err, PO_ERR_FAULT))
			continue;
		u->v = err ? u->v :
			     po_array_grow(u->v, u->n, &u->cap, sizeof(*u->v),
					   &err);
		if (!err)
			u->v[u->n++] = (struct po_pfn_use){
				.pfn = phys / page,
				.pages = (l->pool_size + page - 1) / page,
				.use = PO_USE_DEPOT,
				.object = ptrs[i]
			};
	}
	free(ptrs);
	return err;
}

struct po_error *po_depot_walk(struct po_depot *depot,
			       int (*fn)(const struct po_stack *s, bool freed,
					 void *arg),
			       void *arg, struct po_depot_stats *stats)
{
	struct depot_layout *l = &depot->l;
	struct po_depot_stats st = { .pool_size = l->pool_size };
	struct po_error *err = NULL;
	uint8_t *buf = malloc(l->pool_size);
	bool stop = false;
	uint64_t i;

	if (!buf)
		return &po_enomem;
	for (i = 0; i < l->nr_pools && !stop; i++) {
		struct pool_walk w = { .depot = depot, .buf = buf, .idx = i };

		err = read_pool_ptr(depot, i, &w.pool);
		if (err)
			break;
		if (!w.pool)
			continue;
		err = po_mm_read(depot->mm, w.pool, buf, l->pool_size);
		if (po_error_catch(&err, PO_ERR_EXCLUDED) ||
		    po_error_catch(&err, PO_ERR_FAULT)) {
			/* Counted and labelled; the other pools still count. */
			st.unreadable++;
			continue;
		}
		if (err)
			break;
		st.pools++;
		w.limit = i == l->nr_pools - 1 ? l->last_offset : l->pool_size;
		if (w.limit > l->pool_size)
			w.limit = l->pool_size;
		if (l->plus_1 < 0 && w.limit >= l->entries_off)
			l->plus_1 = self_handle_ok(l, buf, i, 0, 1) ? 1 : 0;
		err = walk_pool(&w, fn, arg, &st, &stop);
		if (err)
			break;
	}
	free(buf);
	if (stats)
		*stats = st;
	return err ? po_error_prefix(err, "stack depot pool %" PRIu64 ": ", i) :
		     NULL;
}
