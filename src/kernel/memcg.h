/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 6: what page_owner's print_page_owner_memcg() (v5.18+) says about a
 * page's memcg_data: "Slab cache page" and "Charged ... memcg NAME".
 */
#ifndef PO_MEMCG_H
#define PO_MEMCG_H

#include "xlat/mm.h"

struct po_memcg;

struct po_memcg_info {
	bool slab; /* "Slab cache page" */
	bool charged; /* "Charged %sto %smemcg %s" */
	bool via_objcg;
	bool offline;
	char name[80]; /* cgroup_name() into char name[80] */
	char path[256]; /* cgroup_path(): "/" or "/a/b", cut at 255 bytes */
};

/* *ret is NULL when this kernel's page_owner prints no memcg lines. */
struct po_error *po_memcg_create(struct po_mm *mm, struct po_memcg **ret);
void po_memcg_destroy(struct po_memcg *mc);

/*
 * po_memcg_describe() - follow memcg_data as this kernel's page_owner does.
 * A pointer chain the dump cannot follow gives an error; the kernel would
 * have read garbage there.
 */
struct po_error *po_memcg_describe(struct po_memcg *mc, uint64_t memcg_data,
				   struct po_memcg_info *ret);

#endif /* PO_MEMCG_H */
