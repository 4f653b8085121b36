/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 3: the memory model's nodes and zones.  Every node's pglist_data
 * (contig_page_data without NUMA, node_data[] with it) and the spans of
 * its node_zones[], read once: which node and zone a pfn is in, as
 * /proc/zoneinfo's "Node N, zone NAME" lines name them.
 */
#ifndef PO_ZONES_H
#define PO_ZONES_H

#include "xlat/mm.h"

#define PO_ZONE_NAME_LEN 16

/**
 * struct po_zone - one populated or spanning zone of one node
 * @node: pglist_data's node_id
 * @index: its place in node_zones[], enum zone_type
 * @name: struct zone's name ("DMA32", "Normal", ...)
 * @start_pfn: zone_start_pfn
 * @spanned: spanned_pages: the zone is [@start_pfn, @start_pfn + @spanned)
 * @present: present_pages
 * @address: the struct zone, for reading its counters
 */
struct po_zone {
	int node;
	unsigned int index;
	char name[PO_ZONE_NAME_LEN];
	uint64_t start_pfn, spanned, present;
	uint64_t address;
};

struct po_zones;

/*
 * po_zones_read() - every zone that spans a pfn, of every node.  A node
 * table or zone that cannot be read is an error naming it; zones whose
 * spans overlap (ZONE_MOVABLE over mirrored memory, interleaved nodes)
 * are read, and po_zones_overlap() says so.
 */
struct po_error *po_zones_read(struct po_mm *mm, struct po_zones **ret);
void po_zones_destroy(struct po_zones *z);

/* The zones, by node and then by index; how many in *@nr. */
const struct po_zone *po_zones_all(const struct po_zones *z, size_t *nr);

/*
 * Where page->flags keeps the zone and node (NODES_PGSHIFT, ZONES_PGSHIFT
 * and their masks), as the kernel's page_zonenum() and page_to_nid()
 * read them; @node_mask 0: the node is 0 (no NUMA).
 */
struct po_zone_bits {
	unsigned int zone_shift, node_shift;
	uint64_t zone_mask, node_mask;
};

/*
 * po_zones_set_bits() - tell zones by struct page's flags from now on.
 * Without, a page's zone is the one whose span holds it.
 */
void po_zones_set_bits(struct po_zones *z, const struct po_zone_bits *b);
bool po_zones_by_flags(const struct po_zones *z);

/*
 * The zone of the page at @pfn whose flags are @flags; NULL for none.  By
 * the flags when set (the kernel gives a hole's struct pages the zone
 * around them, memmap_init()'s init_unavailable_range(), so pfn 0 is in
 * ZONE_DMA, outside its span), else by the spans zone_spans_pfn() tests:
 * the first span wins where two overlap, and po_zones_overlap() is
 * non-NULL.  The zone must be one of the table's: one spanning no pfn is
 * none.
 */
const struct po_zone *po_zones_of_page(const struct po_zones *z, uint64_t pfn,
				       uint64_t flags);

/*
 * "node 0 Normal [...) and node 1 Normal [...) overlap", when zones are
 * told by spans and two overlap; else NULL.
 */
const char *po_zones_overlap(const struct po_zones *z);

#endif /* PO_ZONES_H */
