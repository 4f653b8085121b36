// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: page_owner records, stack handles and symbols handed out one at
 * a time through the public API, for bindings that build their own objects
 * (the Python module).  The walk itself is walk.c's.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "report/owner_report.h"
#include "xlat/zones.h"

/* The iterator is the dump's walk, handed out in batches. */
struct po_owner_iter {
	struct po_walk *walk;
};

struct po_error *po_owners_open(struct po_program *prog,
				const struct po_page_owner_options *opt,
				struct po_owner_iter **ret)
{
	struct po_page_owner_options none = { 0 };
	struct po_owner_iter *it = calloc(1, sizeof(*it));
	struct po_error *err;

	if (!it)
		return &po_enomem;
	err = po_page_owner_walk_create(prog, opt ? opt : &none, true,
					&it->walk);
	if (err) {
		free(it);
		return err;
	}
	*ret = it;
	return NULL;
}

struct po_error *po_owners_next(struct po_owner_iter *it,
				struct po_page_owner *buf, size_t max,
				size_t *nr)
{
	const struct po_page_owner *r;
	struct po_error *err = NULL;

	*nr = 0;
	while (*nr < max && !(err = po_walk_next(it->walk, &r)) && r)
		buf[(*nr)++] = *r;
	return err;
}

void po_owners_counts(const struct po_owner_iter *it,
		      struct po_walk_counts *ret)
{
	const struct po_walk_stats *st = po_walk_stats(it->walk);

	*ret = (struct po_walk_counts){ .records = st->records };
	po_counts_from_walk(ret, st);
}

void po_owners_close(struct po_owner_iter *it)
{
	if (!it)
		return;
	po_walk_destroy(it->walk);
	free(it);
}

struct po_error *po_page_zone(struct po_program *prog, uint64_t pfn,
			      uint64_t flags, int *node, const char **name)
{
	const struct po_zones *zones;
	const struct po_zone *z;
	const char *overlap;
	struct po_error *err = po_program_zones(prog, &zones);

	if (err)
		return err;
	overlap = po_zones_overlap(zones);
	if (overlap)
		return po_error_create(PO_ERR_BAD_DATA, "pfn 0x%" PRIx64 ": %s",
				       pfn, overlap);
	z = po_zones_of_page(zones, pfn, flags);
	*node = z ? z->node : -1;
	*name = z ? z->name : NULL;
	return NULL;
}

struct po_error *po_handle_classify(struct po_program *prog, uint32_t handle,
				    enum po_special_handle *ret)
{
	struct po_owner *owner;
	struct po_error *err = po_program_owner(prog, &owner);

	if (!err)
		*ret = po_owner_classify(owner, handle);
	return err;
}

struct po_error *po_special_handle_value(struct po_program *prog,
					 enum po_special_handle kind,
					 uint32_t *ret)
{
	const struct po_owner_config *cfg;
	struct po_owner *owner;
	struct po_error *err = po_program_owner(prog, &owner);

	if (err)
		return err;
	cfg = po_owner_config(owner);
	switch (kind) {
	case PO_HANDLE_DUMMY:
		*ret = cfg->dummy_handle;
		return NULL;
	case PO_HANDLE_FAILURE:
		*ret = cfg->failure_handle;
		return NULL;
	case PO_HANDLE_EARLY:
		*ret = cfg->early_handle;
		return NULL;
	default:
		return po_error_create(PO_ERR_INVALID,
				       "%d is not a special handle kind",
				       (int)kind);
	}
}

struct po_error *po_stack_entries(struct po_program *prog, uint32_t handle,
				  const uint64_t **ret, size_t *nr)
{
	const struct po_stack *s;
	struct po_depot *depot;
	struct po_error *err = po_program_depot(prog, &depot);

	if (!err)
		err = po_depot_fetch(depot, handle, &s);
	if (err)
		return err;
	*ret = s->entries;
	*nr = s->size;
	return NULL;
}

const char *po_symbol_freed_init_module(struct po_program *prog, uint64_t addr)
{
	return po_symbolizer_freed_init(prog->sym, addr);
}

struct po_error *po_symbol_resolve(struct po_program *prog, uint64_t addr,
				   struct po_symbol *ret)
{
	return po_symbolizer_resolve(prog->sym, addr, ret);
}
