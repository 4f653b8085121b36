// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 3: nodes and zones (see zones.h).  Without CONFIG_NUMA the one
 * node is contig_page_data; with it, node_data[MAX_NUMNODES] points to
 * each node's pglist_data, NULL for a node that has none.  A zone is
 * [zone_start_pfn, zone_start_pfn + spanned_pages), as zone_spans_pfn()
 * has it; the empty zones of a node (ZONE_MOVABLE without movablecore=,
 * ZONE_DEVICE) span nothing and are left out.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "xlat/zones.h"

/* No kernel has more: NODES_SHIFT is at most 10. */
#define MAX_NODES 1024u
#define MAX_ZONES_PER_NODE 16u

struct zone_layout {
	struct po_member node_id, node_zones;
	bool has_node_id;
	uint64_t zone_size, nr_zones;
	struct po_member start, spanned, present, name;
};

struct po_zones {
	struct po_zone *v;
	size_t n, cap;
	bool by_flags;
	struct po_zone_bits bits;
	bool overlap;
	char overlap_text[160];
};

static struct po_error *read_zone_layout(struct po_mm *mm,
					 struct zone_layout *l)
{
	static const char zone[] = "struct zone";
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_type t;
	struct po_error *err;

	err = po_type_member_of(dw, "struct pglist_data", "node_zones",
				&l->node_zones);
	if (!err)
		err = po_type_array_length(dw, l->node_zones.type,
					   &l->nr_zones);
	if (!err)
		err = po_type_find(dw, zone, &t);
	if (!err)
		err = po_type_size(dw, t, &l->zone_size);
	if (!err)
		err = po_type_member_of(dw, zone, "zone_start_pfn", &l->start);
	if (!err)
		err = po_type_member_of(dw, zone, "spanned_pages", &l->spanned);
	if (!err)
		err = po_type_member_of(dw, zone, "present_pages", &l->present);
	if (!err)
		err = po_type_member_of(dw, zone, "name", &l->name);
	if (err)
		return err;
	if (!l->nr_zones || l->nr_zones > MAX_ZONES_PER_NODE)
		return po_error_create(PO_ERR_UNSUPPORTED,
				       "struct pglist_data: node_zones has "
				       "%" PRIu64 " zones",
				       l->nr_zones);
	/* Only UP-era pglist_data lacks it; the node is then its index. */
	l->has_node_id = !po_type_member_of(dw, "struct pglist_data", "node_id",
					    &l->node_id);
	return NULL;
}

/* Zone @i of the node at @pgdat, when it spans a pfn. */
static struct po_error *add_zone(struct po_mm *mm, struct po_zones *z,
				 const struct zone_layout *l, uint64_t pgdat,
				 int node, unsigned int i)
{
	uint64_t addr = pgdat + l->node_zones.bit_offset / 8 + i * l->zone_size;
	struct po_zone zn = { .node = node, .index = i, .address = addr };
	struct po_error *err;
	uint64_t name;

	err = po_mm_read_member(mm, addr, &l->spanned, &zn.spanned);
	if (!err && !zn.spanned)
		return NULL;
	if (!err)
		err = po_mm_read_member(mm, addr, &l->start, &zn.start_pfn);
	if (!err)
		err = po_mm_read_member(mm, addr, &l->present, &zn.present);
	if (!err)
		err = po_mm_read_member(mm, addr, &l->name, &name);
	if (!err)
		err = po_mm_read_string(mm, name, zn.name, sizeof(zn.name));
	if (err)
		return po_error_prefix(err,
				       "node %d zone %u (struct zone at "
				       "0x%" PRIx64 "): ",
				       node, i, addr);
	if (zn.start_pfn + zn.spanned < zn.start_pfn)
		return po_error_create(PO_ERR_BAD_DATA,
				       "zone %s of node %d at 0x%" PRIx64
				       ": span 0x%" PRIx64 "+0x%" PRIx64
				       " wraps",
				       zn.name, node, addr, zn.start_pfn,
				       zn.spanned);
	z->v = po_array_grow(z->v, z->n, &z->cap, sizeof(*z->v), &err);
	if (!err)
		z->v[z->n++] = zn;
	return err;
}

static struct po_error *add_node(struct po_mm *mm, struct po_zones *z,
				 const struct zone_layout *l, uint64_t pgdat,
				 unsigned int index)
{
	struct po_error *err = NULL;
	uint64_t id = index;
	unsigned int i;

	if (l->has_node_id)
		err = po_mm_read_member(mm, pgdat, &l->node_id, &id);
	for (i = 0; !err && i < l->nr_zones; i++)
		err = add_zone(mm, z, l, pgdat, (int)id, i);
	return err;
}

/*
 * node_states[N_ONLINE], the nodes for_each_online_node() goes through,
 * as bytes of a bitmap: every online node has its pglist_data.
 */
static struct po_error *read_online(struct po_mm *mm, uint8_t *bits,
				    size_t size)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_variable v;
	struct po_error *err;
	struct po_type mask;
	uint64_t len;
	int64_t online;

	err = po_mm_variable(mm, "node_states", NULL, &v);
	if (!err)
		err = po_debuginfo_enumerator(dw, "N_ONLINE", &online);
	if (!err)
		err = po_type_target(dw, v.type, &mask);
	if (!err)
		err = po_type_size(dw, mask, &len);
	if (err)
		return po_error_prefix(err, "node_states[N_ONLINE]: ");
	if (len > size)
		len = size;
	return po_mm_read(mm, v.address + (uint64_t)online * len, bits, len);
}

/*
 * node_data[]: each online node's pglist_data.  Without vmlinux its
 * length is only the space up to the next symbol, so node_states is what
 * says which entries are nodes.
 */
static struct po_error *add_nodes(struct po_mm *mm, struct po_zones *z,
				  const struct zone_layout *l)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	uint8_t online[MAX_NODES / 8] = { 0 };
	struct po_variable v;
	struct po_error *err;
	uint64_t n, i, pgdat;

	err = po_mm_variable(mm, "node_data", NULL, &v);
	if (!err)
		err = po_type_array_length(dw, v.type, &n);
	if (!err)
		err = read_online(mm, online, sizeof(online));
	if (err)
		return err;
	if (n > MAX_NODES)
		n = MAX_NODES;
	for (i = 0; !err && i < n; i++) {
		if (!(online[i / 8] & (1u << (i % 8))))
			continue;
		err = po_mm_read_u64(mm, v.address + i * 8, &pgdat);
		if (!err && !pgdat)
			err = po_error_create(PO_ERR_BAD_DATA,
					      "node_data[%" PRIu64 "]: node "
					      "%" PRIu64
					      " is online but has no "
					      "pglist_data",
					      i, i);
		if (!err)
			err = add_node(mm, z, l, pgdat, (unsigned int)i);
	}
	return err;
}

static bool spans_overlap(const struct po_zone *x, const struct po_zone *y)
{
	return x->start_pfn < y->start_pfn + y->spanned &&
	       y->start_pfn < x->start_pfn + x->spanned;
}

static void find_overlap(struct po_zones *z)
{
	size_t i, j;

	for (i = 0; i < z->n && !z->overlap; i++) {
		for (j = i + 1; j < z->n && !z->overlap; j++) {
			const struct po_zone *x = &z->v[i], *y = &z->v[j];

			if (!spans_overlap(x, y))
				continue;
			z->overlap = true;
			snprintf(z->overlap_text, sizeof(z->overlap_text),
				 "node %d %s [0x%" PRIx64 ", 0x%" PRIx64
				 ") and node %d %s [0x%" PRIx64 ", 0x%" PRIx64
				 ") overlap",
				 x->node, x->name, x->start_pfn,
				 x->start_pfn + x->spanned, y->node, y->name,
				 y->start_pfn, y->start_pfn + y->spanned);
		}
	}
}

struct po_error *po_zones_read(struct po_mm *mm, struct po_zones **ret)
{
	struct po_zones *z = calloc(1, sizeof(*z));
	struct zone_layout l;
	struct po_variable v;
	struct po_error *err;

	if (!z)
		return &po_enomem;
	err = read_zone_layout(mm, &l);
	if (!err) {
		err = po_mm_variable(mm, "contig_page_data", NULL, &v);
		if (!err)
			err = add_node(mm, z, &l, v.address, 0);
		else if (po_error_catch(&err, PO_ERR_LOOKUP))
			err = add_nodes(mm, z, &l);
	}
	if (!err && !z->n)
		err = po_error_create(PO_ERR_BAD_DATA,
				      "no zone of any node spans a pfn");
	if (err) {
		po_zones_destroy(z);
		return err;
	}
	find_overlap(z);
	*ret = z;
	return NULL;
}

void po_zones_destroy(struct po_zones *z)
{
	if (!z)
		return;
	free(z->v);
	free(z);
}

const struct po_zone *po_zones_all(const struct po_zones *z, size_t *nr)
{
	*nr = z->n;
	return z->v;
}

void po_zones_set_bits(struct po_zones *z, const struct po_zone_bits *b)
{
	z->bits = *b;
	z->by_flags = true;
}

bool po_zones_by_flags(const struct po_zones *z)
{
	return z->by_flags;
}

/* Linear searches: a machine has a few zones a node. */
static const struct po_zone *by_span(const struct po_zones *z, uint64_t pfn)
{
	size_t i;

	for (i = 0; i < z->n; i++)
		if (pfn >= z->v[i].start_pfn &&
		    pfn - z->v[i].start_pfn < z->v[i].spanned)
			return &z->v[i];
	return NULL;
}

static const struct po_zone *by_flags(const struct po_zones *z, uint64_t flags)
{
	const struct po_zone_bits *b = &z->bits;
	uint64_t zone = (flags >> b->zone_shift) & b->zone_mask;
	uint64_t node = (flags >> b->node_shift) & b->node_mask;
	size_t i;

	for (i = 0; i < z->n; i++)
		if (z->v[i].index == zone && (uint64_t)z->v[i].node == node)
			return &z->v[i];
	return NULL;
}

const struct po_zone *po_zones_of_page(const struct po_zones *z, uint64_t pfn,
				       uint64_t flags)
{
	return z->by_flags ? by_flags(z, flags) : by_span(z, pfn);
}

const char *po_zones_overlap(const struct po_zones *z)
{
	return z->overlap && !z->by_flags ? z->overlap_text : NULL;
}
