// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 6: the pages behind the percpu allocator, from mm/percpu.c's own
 * bookkeeping, so that they add up to pcpu_nr_pages() (meminfo's Percpu).
 *
 * Every chunk has one unit per possible CPU, at pcpu_unit_offsets[cpu]
 * from its base_addr.  The first chunk (static, reserved and the first
 * dynamic part) is populated in full from boot: pcpu_setup_first_chunk()
 * adds PFN_DOWN(size_sum) to pcpu_nr_populated, and its pages come from
 * memblock (embedded in the linear map) or, with percpu_alloc=page, are
 * vmap()ed.  Later chunks are vmalloc space whose pages pcpu_populate_chunk()
 * allocates one by one and maps, where the chunk's populated bitmap says.
 * So each populated page's pfn is found through the page tables.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/percpu.h"
#include "util/array.h"

#define PERCPU_FILE "mm/percpu.c"
/* Bounds against corrupt lists and chunks. */
#define MAX_CHUNKS (1u << 16)
#define MAX_CHUNK_PAGES (1u << 20)
#define MAX_LISTS 4096u
#define MAX_CPUS 8192u

struct percpu_layout {
	struct po_member list, base_addr, nr_pages, populated;
};

struct walk {
	struct po_mm *mm;
	struct percpu_layout l;
	struct po_pfn_uses *u;
	struct po_percpu_stats *st;
	uint64_t page_size;
	uint64_t *unit_off; /* of each possible CPU */
	size_t nr_units;
	uint64_t first, reserved; /* pcpu_first_chunk, pcpu_reserved_chunk */
	unsigned int budget;
	/* The run of consecutive pfns being built, of chunk run_chunk. */
	uint64_t run_pfn, run_len, run_chunk;
};

static struct po_error *read_layout(struct po_debuginfo *dw,
				    struct percpu_layout *l)
{
	static const char pc[] = "struct pcpu_chunk";
	struct po_error *err;

	err = po_type_member_of(dw, pc, "list", &l->list);
	if (!err)
		err = po_type_member_of(dw, pc, "base_addr", &l->base_addr);
	if (!err)
		err = po_type_member_of(dw, pc, "nr_pages", &l->nr_pages);
	if (!err)
		err = po_type_member_of(dw, pc, "populated", &l->populated);
	return err;
}

static struct po_error *flush_run(struct walk *w)
{
	struct po_pfn_uses *u = w->u;
	struct po_error *err = NULL;

	if (!w->run_len)
		return NULL;
	u->v = po_array_grow(u->v, u->n, &u->cap, sizeof(*u->v), &err);
	if (!err)
		u->v[u->n++] = (struct po_pfn_use){ .pfn = w->run_pfn,
						    .pages = w->run_len,
						    .use = PO_USE_PERCPU,
						    .object = w->run_chunk };
	w->run_len = 0;
	return err;
}

/* One page of @chunk at @vaddr: its pfn through the page tables. */
static struct po_error *add_page(struct walk *w, uint64_t chunk, uint64_t vaddr)
{
	struct po_error *err;
	uint64_t paddr, pfn;

	err = po_mm_vtop(w->mm, vaddr, &paddr);
	if (po_error_catch(&err, PO_ERR_FAULT) ||
	    po_error_catch(&err, PO_ERR_EXCLUDED) ||
	    po_error_catch(&err, PO_ERR_BAD_DATA)) {
		w->st->unmapped++;
		return NULL;
	}
	if (err)
		return err;
	w->st->pages++;
	pfn = paddr / w->page_size;
	if (w->run_len && chunk == w->run_chunk &&
	    pfn == w->run_pfn + w->run_len) {
		w->run_len++;
		return NULL;
	}
	err = flush_run(w);
	w->run_pfn = pfn;
	w->run_len = 1;
	w->run_chunk = chunk;
	return err;
}

/* Page @idx of @chunk (whose units start at @base) in every unit. */
static struct po_error *add_unit_pages(struct walk *w, uint64_t chunk,
				       uint64_t base, uint64_t idx)
{
	struct po_error *err = NULL;
	size_t cpu;

	for (cpu = 0; cpu < w->nr_units && !err; cpu++)
		err = add_page(w, chunk,
			       base + w->unit_off[cpu] + idx * w->page_size);
	return err;
}

/*
 * The first chunk, populated from pcpu_base_addr to the end of its
 * dynamic part (pcpu_first_chunk's own base_addr is past the static and
 * reserved parts): PFN_DOWN(size_sum) pages a unit.
 */
static struct po_error *add_first_chunk(struct walk *w)
{
	uint64_t base, start, nr, i;
	struct po_error *err;

	err = po_mm_read_variable(w->mm, "pcpu_base_addr", PERCPU_FILE, &base);
	if (!err)
		err = po_mm_read_member(w->mm, w->first, &w->l.base_addr,
					&start);
	if (!err)
		err = po_mm_read_member(w->mm, w->first, &w->l.nr_pages, &nr);
	if (err)
		return err;
	nr = (start + nr * w->page_size - base) / w->page_size;
	if (start < base || nr > MAX_CHUNK_PAGES)
		return po_error_addr(
			PO_ERR_BAD_DATA, w->first,
			"pcpu_first_chunk 0x%" PRIx64 ": base_addr 0x%" PRIx64
			" before pcpu_base_addr 0x%" PRIx64 " or too large",
			w->first, start, base);
	w->st->chunks++;
	for (i = 0; i < nr && !err; i++)
		err = add_unit_pages(w, w->first, base, i);
	return err;
}

/* A later chunk: the pages its populated bitmap has. */
static struct po_error *add_chunk(struct walk *w, uint64_t chunk)
{
	uint64_t base, nr, word = 0, i;
	struct po_error *err;
	uint64_t bitmap = chunk + w->l.populated.bit_offset / 8;

	err = po_mm_read_member(w->mm, chunk, &w->l.base_addr, &base);
	if (!err)
		err = po_mm_read_member(w->mm, chunk, &w->l.nr_pages, &nr);
	if (!err && nr > MAX_CHUNK_PAGES)
		err = po_error_addr(PO_ERR_BAD_DATA, chunk,
				    "pcpu_chunk 0x%" PRIx64 ": %" PRIu64
				    " pages",
				    chunk, nr);
	if (!err)
		w->st->chunks++;
	for (i = 0; i < nr && !err; i++) {
		if (!(i % 64))
			err = po_mm_read_u64(w->mm, bitmap + i / 8, &word);
		if (!err && (word >> (i % 64) & 1))
			err = add_unit_pages(w, chunk, base, i);
	}
	return err;
}

/* A chunk of a list, but the first and reserved: those are apart. */
static struct po_error *add_listed_chunk(void *arg, uint64_t chunk)
{
	struct walk *w = arg;

	if (chunk == w->first || chunk == w->reserved)
		return NULL;
	return add_chunk(w, chunk);
}

static struct po_error *walk_list(struct walk *w, uint64_t head)
{
	return po_mm_list_walk(w->mm, head, w->l.list.bit_offset / 8,
			       &w->budget, "pcpu_chunk list", add_listed_chunk,
			       w);
}

/*
 * pcpu_chunk_lists[] has pcpu_nr_slots lists, and in kernels with enum
 * pcpu_chunk_type (v5.9's "mm: memcg/percpu: account percpu memory to
 * memory cgroups" until v5.14's "percpu: rework memcg accounting"; the
 * commits by subject only, their hashes not verified here) one set per
 * type, PCPU_NR_CHUNK_TYPES of them: 5.10's has the enum.  Older kernels
 * call the array pcpu_slot.
 */
static struct po_error *walk_lists(struct walk *w)
{
	struct po_debuginfo *dw = po_mm_debuginfo(w->mm);
	uint64_t lists, slots, i;
	int64_t types = 1;
	struct po_error *err;

	err = po_mm_read_variable(w->mm, "pcpu_chunk_lists", PERCPU_FILE,
				  &lists);
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		err = po_mm_read_variable(w->mm, "pcpu_slot", PERCPU_FILE,
					  &lists);
	if (!err)
		err = po_mm_read_variable(w->mm, "pcpu_nr_slots", PERCPU_FILE,
					  &slots);
	if (err)
		return err;
	err = po_debuginfo_enumerator(dw, "PCPU_NR_CHUNK_TYPES", &types);
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		types = 1;
	if (err)
		return err;
	if (types < 1 || slots * (uint64_t)types > MAX_LISTS)
		return po_error_create(PO_ERR_BAD_DATA,
				       "pcpu_nr_slots %" PRIu64 " x %" PRId64
				       " chunk types: too many lists",
				       slots, types);
	for (i = 0; i < slots * (uint64_t)types && !err; i++)
		err = walk_list(w, lists + i * 16);
	return err;
}

/* Each possible CPU's unit offset (cpu_possible_mask, nr_cpu_ids). */
static struct po_error *read_units(struct walk *w)
{
	uint64_t nr_cpus, offsets, word = 0, cpu, off;
	struct po_variable possible;
	struct po_error *err;

	err = po_mm_read_variable(w->mm, "nr_cpu_ids", NULL, &nr_cpus);
	if (!err)
		err = po_mm_read_variable(w->mm, "pcpu_unit_offsets",
					  PERCPU_FILE, &offsets);
	if (!err)
		err = po_mm_variable(w->mm, "__cpu_possible_mask", NULL,
				     &possible);
	if (!err && (!nr_cpus || nr_cpus > MAX_CPUS))
		err = po_error_create(PO_ERR_BAD_DATA, "nr_cpu_ids %" PRIu64,
				      nr_cpus);
	if (err)
		return err;
	w->unit_off = calloc(nr_cpus, sizeof(*w->unit_off));
	if (!w->unit_off)
		return &po_enomem;
	for (cpu = 0; cpu < nr_cpus && !err; cpu++) {
		if (!(cpu % 64))
			err = po_mm_read_u64(w->mm, possible.address + cpu / 8,
					     &word);
		if (err || !(word >> (cpu % 64) & 1))
			continue;
		err = po_mm_read_u64(w->mm, offsets + cpu * 8, &off);
		if (!err)
			w->unit_off[w->nr_units++] = off;
	}
	return err;
}

struct po_error *po_percpu_uses(struct po_mm *mm, struct po_pfn_uses *u,
				struct po_percpu_stats *st)
{
	struct walk w = { .mm = mm, .u = u, .st = st };
	struct po_error *err;

	memset(st, 0, sizeof(*st));
	w.page_size = po_mm_page_size(mm);
	w.budget = MAX_CHUNKS;
	err = read_layout(po_mm_debuginfo(mm), &w.l);
	if (!err)
		err = read_units(&w);
	if (!err)
		err = po_mm_read_variable(mm, "pcpu_first_chunk", PERCPU_FILE,
					  &w.first);
	if (!err)
		err = po_mm_read_variable(mm, "pcpu_reserved_chunk",
					  PERCPU_FILE, &w.reserved);
	if (!err)
		err = add_first_chunk(&w);
	if (!err)
		err = walk_lists(&w);
	if (!err)
		err = flush_run(&w);
	free(w.unit_off);
	return err ? po_error_prefix(err, "percpu chunks: ") : NULL;
}
