/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 7: the page_owner walk added up in one pass, grouped by any mix of
 * stack, pid, tgid, comm, module, allocator, leaf function and memcg, with
 * the summary `pageowner report` prints above its table.
 */
#ifndef PO_AGGREGATE_H
#define PO_AGGREGATE_H

#include "util/hashidx.h"
#include "report/owner_report.h"
#include "xlat/zones.h"

#define PO_AGG_ORDERS 16 /* orders above 15 are counted as 15 */
#define PO_AGG_TOP 4 /* tasks and gfp masks kept per group */
#define PO_AGG_MIGRATETYPES 8
#define PO_COMM_LEN 64

/* page_owner_sort's allocator classes (tools/mm/page_owner_sort.c). */
enum {
	PO_ALLOCATOR_CMA = 1,
	PO_ALLOCATOR_SLAB = 2,
	PO_ALLOCATOR_VMALLOC = 4,
	PO_ALLOCATOR_OTHERS = 8,
};

/* What the reports need of one stack, derived once per handle. */
struct po_agg_stack {
	uint32_t handle;
	const char *text; /* " %pS\n" per frame; NULL if it did not decode */
	const char *module; /* first frame in a module, else "vmlinux" */
	const char *leaf; /* first frame outside the allocators */
	bool vmalloc; /* __vmalloc_node_range right after alloc_pages */
	bool slab; /* allocate_slab or new_slab among the frames */
};

/*
 * What grouping needs of a record, but its pfn and timestamp, on the side
 * the report is about: the allocation, or with --free, the freeing.  A
 * dump has millions of records but a few thousand kinds, so records are
 * added up per kind first, in the walk's threads, and grouped (serially)
 * once per kind.  Compared and hashed as bytes: zero what is not set.
 */
struct po_agg_kind {
	uint32_t handle;
	int32_t pid, tgid;
	uint32_t gfp;
	uint32_t order;
	uint32_t pfn_class; /* PO_ALLOCATOR_CMA/SLAB, by the PFN line */
	uint64_t memcg_data; /* struct page's, when grouped by memcg */
	uint32_t use; /* enum po_page_use, when grouped by use, cache, file */
	uint64_t use_object; /* the cache or mapping, by cache or file */
	uint32_t zone; /* po_zones_all()'s index + 1, by node or zone */
	char comm[PO_COMM_LEN];
};

/* A group's key; the fields not grouped by are zero. */
struct po_agg_key {
	uint32_t handle;
	int32_t pid, tgid;
	uint32_t allocator;
	const char *module, *leaf; /* interned: equal strings, equal pointers */
	const char *memcg; /* interned; NULL: charged to no memcg */
	const char *use; /* po_page_use_name()'s: static */
	const char *cache, *file, *task, *fs; /* interned; NULL: none */
	int32_t node; /* -1: in no zone */
	uint32_t zone_type; /* enum zone_type + 1; 0: no zone */
	const char *zone; /* interned; NULL: no zone */
	char comm[PO_COMM_LEN];
};

struct po_agg_task {
	int32_t pid;
	char comm[PO_COMM_LEN];
	uint64_t pages;
};

struct po_agg_gfp {
	uint32_t gfp;
	uint64_t pages;
};

struct po_agg_group {
	struct po_agg_key key;
	/* The stack of the group's first record; its own when by stack. */
	const struct po_agg_stack *stack;
	uint64_t pages, allocs;
	uint64_t order_allocs[PO_AGG_ORDERS];
	uint64_t first_ts, last_ts;
	struct po_agg_task tasks[PO_AGG_TOP]; /* the largest few */
	uint64_t other_task_pages;
	struct po_agg_gfp gfps[PO_AGG_TOP];
	uint64_t other_gfp_pages;
	/*
	 * Pages page_owner has no record of (PO_WALK_PAGES): in no task or
	 * gfp share, which have no meaning for them.
	 */
	uint64_t unrecorded_pages;
};

struct po_agg_summary {
	uint64_t page_size;
	/*
	 * PO_OWNER_HAS_PID, _TGID, _COMM and _TS of the side the report is
	 * about: with --free, the free_* members stand in their places.
	 */
	unsigned int has;
	uint64_t ram_pages; /* totalram_pages(); 0 when unknown */
	uint64_t pages, allocs; /* what the groups hold */
	uint64_t filtered_out; /* records the filters left out */
	uint64_t mt_pages[PO_AGG_MIGRATETYPES]; /* by the gfp's migratetype */
	uint64_t order_pages[PO_AGG_ORDERS], order_allocs[PO_AGG_ORDERS];
	uint64_t special_pages[4], special_allocs[4]; /* by po_special_handle */
	uint64_t bad_stacks; /* records whose handle did not decode */
	struct po_walk_stats walk;
	uint64_t page_ext_sections, page_ext_bytes;
	uint64_t depot_pools, depot_bytes;
	bool all_pages; /* the walk was PO_WALK_PAGES */
	/* Why kernel stacks are not told apart, when they are not. */
	char uses_note[160];
	/*
	 * What the walks of vmalloc areas and percpu chunks could not place
	 * (when by use): those pages are what their struct page says.
	 */
	uint64_t vmalloc_bad_pages, vmalloc_unreadable, percpu_unmapped;
	/* Of those, what page_owner has no record of (handle 0). */
	uint64_t unrecorded_pages, unrecorded_blocks;
	bool owner_off; /* page_owner was not on: no record has a stack */
};

struct po_agg_filter;
struct po_agg_pairs;

struct po_agg {
	struct po_program *prog;
	const struct po_report_options *opt;
	unsigned int group; /* PO_GROUP_* */
	unsigned int recorded; /* @group and the keys filtered by */
	struct po_agg_group *groups;
	size_t nr_groups, groups_cap;
	struct po_agg_summary sum;
	/* private */
	struct po_hashidx gidx;
	struct po_agg_stack **stacks;
	size_t nr_stacks, stacks_cap;
	struct po_hashidx sidx;
	char **strs;
	size_t nr_strs, strs_cap;
	struct po_hashidx stridx;
	struct po_stack_cache *texts;
	struct po_owner *owner;
	struct po_kformat *kf;
	struct po_owner_format *pfn_line;
	unsigned int pb_order;
	struct po_memcg *memcg; /* the program's, when by memcg */
	struct po_pageid *pageid; /* the program's, when by cache or file */
	const struct po_pfn_uses *uses; /* kernel stacks, when by use */
	struct po_tasks *tasks; /* the program's, when by task */
	const struct po_zones *zones; /* the program's, by node or zone */
	struct po_agg_filter *filter;
	struct po_agg_pairs *pairs;
};

/* The one copy of the @len bytes at @s, until po_agg_destroy(). */
struct po_error *po_agg_intern(struct po_agg *a, const char *s, size_t len,
			       const char **ret);

/* The kernel's formats (a->kf, a->pfn_line), loaded once. */
struct po_error *po_agg_load_formats(struct po_agg *a);

/*
 * A key or filter that needs @field (PO_OWNER_HAS_*) of the records is
 * refused when the report's side lacks it, naming the member.
 */
struct po_error *po_agg_need_field(const struct po_agg *a, unsigned int field,
				   const char *what);

/*
 * The report's keys when none are asked for: by stack, or with page_owner
 * off (no page has one) by what each page is now.
 */
unsigned int po_agg_default_group(struct po_owner *owner);

/* po_agg_run() - walk once and group by @opt->group, applying @opt's filters. */
struct po_error *po_agg_run(struct po_program *prog,
			    const struct po_report_options *opt,
			    struct po_agg **ret);
void po_agg_destroy(struct po_agg *a);

/* po_agg_summary.has of a report on the @freed side (or not). */
struct po_error *po_agg_task_fields(struct po_program *prog, bool freed,
				    unsigned int *ret);

/*
 * The struct page_owner members (comma-separated) the report's records
 * lack, "" when none: "pid,tgid,comm,ts_nsec" before v5.11.
 */
const char *po_agg_absent_fields(const struct po_agg *a, char *buf,
				 size_t size);

#endif /* PO_AGGREGATE_H */
