// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 6: the pages of every vmalloc area, from the busy vmap_areas of
 * mm/vmalloc.c: each vm_struct's pages[], named by the vm_struct.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/vmalloc.h"
#include "util/array.h"

#define VMALLOC_FILE "mm/vmalloc.c"
/* Bounds against corrupt lists and areas. */
#define MAX_AREAS (1u << 22)
#define MAX_AREA_PAGES (1u << 26)
#define MAX_NODES 4096u
/* VMAP_RAM in vmap_area.flags: a vm_map_ram() area, with no vm_struct. */
#define VMAP_RAM 0x1

struct vmalloc_layout {
	struct po_member va_list, va_vm, va_flags;
	struct po_member vm_pages, vm_nr_pages;
	bool has_flags;
	uint64_t node_size, node_busy; /* struct vmap_node, v6.9+ */
};

struct walk {
	struct po_mm *mm;
	const struct po_memmap *map;
	struct vmalloc_layout l;
	struct po_pfn_uses *u;
	struct po_vmalloc_stats *st;
	unsigned int budget;
};

static struct po_error *read_layout(struct po_debuginfo *dw,
				    struct vmalloc_layout *l)
{
	struct po_member busy;
	struct po_error *err;
	struct po_type node;

	err = po_type_member_of(dw, "struct vmap_area", "list", &l->va_list);
	if (!err)
		err = po_type_member_of(dw, "struct vmap_area", "vm",
					&l->va_vm);
	if (!err)
		err = po_type_member_of(dw, "struct vm_struct", "pages",
					&l->vm_pages);
	if (!err)
		err = po_type_member_of(dw, "struct vm_struct", "nr_pages",
					&l->vm_nr_pages);
	if (err)
		return err;
	err = po_type_member_of(dw, "struct vmap_area", "flags", &l->va_flags);
	l->has_flags = !err;
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		err = NULL;
	/*
	 * From v6.9 the busy areas are spread over vmap_nodes[], each with
	 * its own list (struct vmap_node); before, one vmap_area_list (the
	 * commit is not cited: not found here).
	 */
	if (err)
		return err;
	err = po_type_find(dw, "struct vmap_node", &node);
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		return NULL;
	if (!err)
		err = po_type_size(dw, node, &l->node_size);
	if (!err)
		err = po_type_member(dw, node, "busy.head", &busy);
	if (!err)
		l->node_busy = busy.bit_offset / 8;
	return err;
}

/* Add @run pages from @pfn, of the vm_struct @vm. */
static struct po_error *add_run(struct po_pfn_uses *u, uint64_t pfn,
				uint64_t run, uint64_t vm)
{
	struct po_error *err;

	u->v = po_array_grow(u->v, u->n, &u->cap, sizeof(*u->v), &err);
	if (!err)
		u->v[u->n++] = (struct po_pfn_use){ .pfn = pfn,
						    .pages = run,
						    .use = PO_USE_VMALLOC,
						    .object = vm };
	return err;
}

/* The pages of one vm_struct, in runs of consecutive pfns. */
static struct po_error *add_area(struct walk *w, uint64_t vm)
{
	uint64_t pages, nr, i, *v, start = 0, run = 0, pfn;
	struct po_error *err;

	err = po_mm_read_member(w->mm, vm, &w->l.vm_pages, &pages);
	if (!err)
		err = po_mm_read_member(w->mm, vm, &w->l.vm_nr_pages, &nr);
	if (err || !pages || !nr)
		return err; /* ioremap and vmap() areas have no pages[] */
	if (nr > MAX_AREA_PAGES)
		return po_error_addr(PO_ERR_BAD_DATA, vm,
				     "vm_struct 0x%" PRIx64 ": %" PRIu64
				     " pages",
				     vm, nr);
	v = malloc(nr * sizeof(*v));
	if (!v)
		return &po_enomem;
	err = po_mm_read(w->mm, pages, v, nr * sizeof(*v));
	for (i = 0; i < nr && !err; i++) {
		if (!po_memmap_page_to_pfn(w->map, v[i], &pfn)) {
			w->st->bad_pages++;
			continue;
		}
		if (run && pfn == start + run) {
			run++;
			continue;
		}
		if (run)
			err = add_run(w->u, start, run, vm);
		start = pfn;
		run = 1;
	}
	if (!err && run)
		err = add_run(w->u, start, run, vm);
	free(v);
	if (!err)
		w->st->pages += nr;
	return err;
}

static struct po_error *add_va(void *arg, uint64_t va)
{
	struct walk *w = arg;
	uint64_t vm, flags = 0;
	struct po_error *err;

	err = po_mm_read_member(w->mm, va, &w->l.va_vm, &vm);
	if (!err && w->l.has_flags)
		err = po_mm_read_member(w->mm, va, &w->l.va_flags, &flags);
	if (!err && vm && !(flags & VMAP_RAM)) {
		w->st->areas++;
		err = add_area(w, vm);
	}
	if (po_error_catch(&err, PO_ERR_FAULT) ||
	    po_error_catch(&err, PO_ERR_EXCLUDED) ||
	    po_error_catch(&err, PO_ERR_BAD_DATA))
		w->st->unreadable++;
	return err;
}

/* The vmap_areas on the list_head at @head. */
static struct po_error *walk_list(struct walk *w, uint64_t head)
{
	struct po_error *err;

	err = po_mm_list_walk(w->mm, head, w->l.va_list.bit_offset / 8,
			      &w->budget, "vmap_area list", add_va, w);
	/* A link the dump lacks ends the list: what came before is kept. */
	if (po_error_catch(&err, PO_ERR_FAULT) ||
	    po_error_catch(&err, PO_ERR_EXCLUDED))
		w->st->unreadable++;
	return err;
}

static struct po_error *walk_nodes(struct walk *w)
{
	uint64_t nodes, nr, i;
	struct po_error *err;

	err = po_mm_read_variable(w->mm, "vmap_nodes", VMALLOC_FILE, &nodes);
	if (!err)
		err = po_mm_read_variable(w->mm, "nr_vmap_nodes", VMALLOC_FILE,
					  &nr);
	for (i = 0; !err && i < nr && i < MAX_NODES; i++)
		err = walk_list(w, nodes + i * w->l.node_size + w->l.node_busy);
	return err;
}

struct po_error *po_vmalloc_uses(struct po_mm *mm, const struct po_memmap *map,
				 struct po_pfn_uses *u,
				 struct po_vmalloc_stats *st)
{
	struct walk w = { .mm = mm, .map = map, .u = u, .st = st };
	struct po_variable head;
	struct po_error *err;

	memset(st, 0, sizeof(*st));
	w.budget = MAX_AREAS;
	err = read_layout(po_mm_debuginfo(mm), &w.l);
	if (!err && w.l.node_size)
		err = walk_nodes(&w);
	else if (!err) {
		err = po_mm_variable(mm, "vmap_area_list", VMALLOC_FILE, &head);
		if (!err)
			err = walk_list(&w, head.address);
	}
	return err ? po_error_prefix(err, "vmalloc areas: ") : NULL;
}

struct po_error *po_vmalloc_area(struct po_mm *mm, uint64_t vm,
				 struct po_vmalloc_area *ret)
{
	static const char vs[] = "struct vm_struct";
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_member addr, size, caller, nr;
	struct po_error *err;

	err = po_type_member_of(dw, vs, "addr", &addr);
	if (!err)
		err = po_type_member_of(dw, vs, "size", &size);
	if (!err)
		err = po_type_member_of(dw, vs, "caller", &caller);
	if (!err)
		err = po_type_member_of(dw, vs, "nr_pages", &nr);
	if (!err)
		err = po_mm_read_member(mm, vm, &addr, &ret->addr);
	if (!err)
		err = po_mm_read_member(mm, vm, &size, &ret->size);
	if (!err)
		err = po_mm_read_member(mm, vm, &caller, &ret->caller);
	if (!err)
		err = po_mm_read_member(mm, vm, &nr, &ret->nr_pages);
	return err ? po_error_prefix(err, "vm_struct 0x%" PRIx64 ": ", vm) :
		     NULL;
}
