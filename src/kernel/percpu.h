/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 6: which pages back the percpu allocator (mm/percpu.c): every
 * populated page of every chunk, in every CPU's unit.
 */
#ifndef PO_PERCPU_H
#define PO_PERCPU_H

#include "xlat/mm.h"
#include "xlat/pageuse.h"

/**
 * struct po_percpu_stats - what the walk of the chunks found
 * @chunks: chunks walked, the first one included
 * @pages: pages found, each unit's counted (meminfo's Percpu, that is
 *	pcpu_nr_populated * pcpu_nr_units, where all are mapped)
 * @unmapped: populated pages whose address the page tables do not map
 */
struct po_percpu_stats {
	uint64_t chunks, pages, unmapped;
};

/*
 * po_percpu_uses() - add each populated page of each percpu chunk, in
 * each possible CPU's unit, to @u as PO_USE_PERCPU (unsorted: the
 * caller sorts).  The object of a range is its chunk.
 */
struct po_error *po_percpu_uses(struct po_mm *mm, struct po_pfn_uses *u,
				struct po_percpu_stats *st);

#endif /* PO_PERCPU_H */
