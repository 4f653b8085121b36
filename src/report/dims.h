/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 7: the keys of `pageowner report`, one row each, as perf's struct
 * sort_entry (tools/perf/util/sort.h) is one sort key: the words that name
 * it, what it needs of the kernel, how a record's key is made, filtered
 * and compared, and how every output format prints it.  aggregate.c and
 * report.c only walk the rows: adding a key is adding a row.
 */
#ifndef PO_DIMS_H
#define PO_DIMS_H

#include <stdio.h>

#include "report/aggregate.h"

/*
 * struct po_report_dim - one key; a callback is NULL where the key has no
 * such part (pages, times and alloc_ts only sort, and only some keys
 * filter or make a root frame).  Grouped means a->group has @group.
 */
struct po_report_dim {
	/* The words: page_owner_sort's long, alias and short, and ours. */
	const char *name, *alias, *short_name;
	unsigned int group; /* PO_GROUP_*; 0 for a key that only sorts */
	enum po_report_key sort;
	bool descending; /* a count: largest first unless --ascending */
	/* PO_OWNER_HAS_* of the report's side that the key needs. */
	unsigned int need;
	/*
	 * What else it needs before the walk, when grouped, sorted or
	 * filtered by: refuse (@what names the option) what this kernel
	 * cannot answer, load what the walk's threads will read.
	 */
	struct po_error *(*setup)(struct po_agg *a, const char *what);
	/* The record's part of its kind, in the walk's threads; grouped. */
	void (*record)(const struct po_agg *a, const struct po_page_owner *r,
		       struct po_agg_kind *k);
	/* Its field of the group key, from a kind and its stack; grouped. */
	struct po_error *(*make)(struct po_agg *a, const struct po_agg_kind *k,
				 const struct po_agg_stack *st,
				 struct po_agg_key *key);
	/* --sort: by the group's value, whether grouped by the key or not. */
	int (*sort_cmp)(const struct po_agg_group *x,
			const struct po_agg_group *y);
	/*
	 * The last word on the order of groups equal by the sort key and by
	 * pages: the keys, compared in the order of @tie (0: never).
	 */
	int (*key_cmp)(const struct po_agg_key *x, const struct po_agg_key *y);
	unsigned int tie;
	/*
	 * A filter: its option, the offset of its list in struct
	 * po_report_options (a const char *, NULL when not given), and the
	 * record's value, a number or a word.
	 */
	const char *filter;
	size_t filter_offset;
	int64_t (*filter_int)(const struct po_agg_kind *k);
	const char *(*filter_word)(const struct po_agg_kind *k,
				   const struct po_agg_stack *st);
	/* The text line's ", KEY VALUE" and the JSON key's ,"KEY":VALUE. */
	void (*text)(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k);
	void (*json)(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k);
	/*
	 * The CSV column: its name and its ",VALUE", empty (@k NULL) when not
	 * grouped.  The columns of version 1 are always there, so that they
	 * keep their places; a key added since has one only when grouped.
	 */
	const char *csv_name;
	bool csv_always;
	void (*csv)(FILE *out, const struct po_agg *a,
		    const struct po_agg_key *k);
	/*
	 * A FlameGraph root frame, "VALUE;", above the stack: the roots go
	 * outermost first in the order of @fold (0: none).
	 */
	void (*folded)(FILE *out, const struct po_agg *a,
		       const struct po_agg_key *k);
	unsigned int fold;
};

/*
 * The rows, in the order of the key words and of the outputs' keys; the
 * last one is empty.
 */
const struct po_report_dim *po_report_dims(void);

/* The row of a --sort key; NULL for none. */
const struct po_report_dim *po_report_dim_of_sort(enum po_report_key key);

/* The rows with a @tie (or with @fold) rank, in its order; how many. */
size_t po_report_dims_by_tie(const struct po_report_dim **v, size_t size);
size_t po_report_dims_by_fold(const struct po_report_dim **v, size_t size);

/* The names of the keys in @group, in the rows' order, joined by @sep. */
void po_report_print_group(unsigned int group, const char *sep, FILE *out);

#endif /* PO_DIMS_H */
