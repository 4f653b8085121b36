/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 7, inside the aggregation: what its files share.  Only
 * aggregate.c, agg_stacks.c and agg_filter.c include this.
 *
 *   aggregate.c   the walk's records added up by kind, then grouped
 *   agg_stacks.c  interned strings, and what each stack says: its text,
 *                 module, leaf function, allocator
 *   agg_filter.c  --pid, --name and the other filters' lists
 */
#ifndef PO_AGG_INTERNAL_H
#define PO_AGG_INTERNAL_H

#include "report/aggregate.h"
#include "report/dims.h"

/* One filter option's list: its words, and for a number their values. */
struct filter {
	const struct po_report_dim *dim;
	char **words;
	int64_t *ints;
	size_t n;
};

/* The filter options given, in the order of the table's rows. */
struct po_agg_filter {
	struct filter *v;
	size_t n;
};

/* agg_stacks.c */
struct po_error *po_agg_stack_of(struct po_agg *a, uint32_t handle,
				 const struct po_agg_stack **ret);

/* agg_filter.c */
void po_agg_free_words(char **v, size_t n);
void po_agg_filter_free(struct po_agg_filter *f);
const char *po_agg_filter_list(const struct po_report_options *opt,
			       const struct po_report_dim *d);
struct po_error *po_agg_filter_create(const struct po_report_options *opt,
				      struct po_agg_filter **ret);
bool po_agg_filter_match(const struct filter *x, const struct po_agg_kind *k,
			 const struct po_agg_stack *st);

#endif /* PO_AGG_INTERNAL_H */
