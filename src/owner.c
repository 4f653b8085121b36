// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 6: page_owner's global configuration and special handles. */
#include <stdlib.h>

#include "owner.h"

#define OWNER_FILE "mm/page_owner.c"

struct po_owner {
	struct po_mm *mm;
	struct po_depot *depot;
	struct po_owner_config cfg;
};

/*
 * page_owner_inited is a static key: key.enabled.counter is non-zero when
 * page_owner=on took effect.  (page_owner_enabled is __initdata from 6.1,
 * so it cannot be read back.)
 */
static struct po_error *read_enabled(struct po_mm *mm, bool *ret)
{
	struct po_dwarf *dw = po_mm_dwarf(mm);
	struct po_variable v;
	struct po_member m;
	struct po_error *err;
	uint64_t val;

	err = po_mm_variable(mm, "page_owner_inited", OWNER_FILE, &v);
	if (!err)
		err = po_type_member(dw, v.type, "key.enabled.counter", &m);
	if (!err)
		err = po_mm_read_member(mm, v.address, &m, &val);
	if (!err)
		*ret = val != 0;
	return err;
}

/*
 * The entry size is the global page_ext_size from v5.4 on (and it may
 * start at 0 from v6.3, so it must be read, never assumed); before v5.4 it
 * is sizeof(struct page_ext) plus the file-static extra_mem.
 */
static struct po_error *read_entry_size(struct po_mm *mm, uint64_t *ret)
{
	struct po_error *err;
	struct po_type t;
	uint64_t extra, base;

	err = po_mm_read_variable(mm, "page_ext_size", NULL, ret);
	if (!po_error_catch(&err, PO_ERR_LOOKUP))
		return err;
	err = po_mm_read_variable(mm, "extra_mem", "mm/page_ext.c", &extra);
	if (!err)
		err = po_type_find(po_mm_dwarf(mm), "struct page_ext", &t);
	if (!err)
		err = po_type_size(po_mm_dwarf(mm), t, &base);
	if (!err)
		*ret = base + extra;
	return err;
}

static struct po_error *read_handle(struct po_mm *mm, const char *name,
				    uint32_t *ret)
{
	uint64_t v;
	struct po_error *err = po_mm_read_variable(mm, name, OWNER_FILE, &v);

	if (!err)
		*ret = (uint32_t)v;
	return err;
}

static struct po_error *read_config(struct po_owner *o)
{
	struct po_dwarf *dw = po_mm_dwarf(o->mm);
	struct po_owner_config *c = &o->cfg;
	struct po_variable ops;
	struct po_member off;
	struct po_error *err;

	err = read_enabled(o->mm, &c->enabled);
	if (!err)
		err = read_entry_size(o->mm, &c->page_ext_size);
	if (!err)
		err = po_mm_variable(o->mm, "page_owner_ops", NULL, &ops);
	if (!err)
		err = po_type_member(dw, ops.type, "offset", &off);
	if (!err)
		err = po_mm_read_member(o->mm, ops.address, &off,
					&c->owner_offset);
	if (!err)
		err = read_handle(o->mm, "dummy_handle", &c->dummy_handle);
	if (!err)
		err = read_handle(o->mm, "failure_handle", &c->failure_handle);
	if (!err)
		err = read_handle(o->mm, "early_handle", &c->early_handle);
	return err ? po_error_prefix(err, "page_owner: ") : NULL;
}

struct po_error *po_owner_create(struct po_mm *mm, struct po_depot *depot,
				 struct po_owner **ret)
{
	struct po_owner *o = calloc(1, sizeof(*o));
	struct po_error *err;

	if (!o)
		return &po_enomem;
	o->mm = mm;
	o->depot = depot;
	err = read_config(o);
	if (err) {
		free(o);
		return err;
	}
	*ret = o;
	return NULL;
}

void po_owner_destroy(struct po_owner *owner)
{
	free(owner);
}

const struct po_owner_config *po_owner_config(const struct po_owner *owner)
{
	return &owner->cfg;
}

enum po_special_handle po_owner_classify(const struct po_owner *owner,
					 uint32_t handle)
{
	uint32_t mask = po_depot_handle_mask(owner->depot);

	handle &= mask;
	if (!handle)
		return PO_HANDLE_NORMAL;
	if (handle == (owner->cfg.dummy_handle & mask))
		return PO_HANDLE_DUMMY;
	if (handle == (owner->cfg.failure_handle & mask))
		return PO_HANDLE_FAILURE;
	if (handle == (owner->cfg.early_handle & mask))
		return PO_HANDLE_EARLY;
	return PO_HANDLE_NORMAL;
}

const char *po_special_handle_name(enum po_special_handle kind)
{
	switch (kind) {
	case PO_HANDLE_DUMMY:
		return "dummy";
	case PO_HANDLE_FAILURE:
		return "failure";
	case PO_HANDLE_EARLY:
		return "early";
	default:
		return NULL;
	}
}

const char *po_special_handle_meaning(enum po_special_handle kind)
{
	switch (kind) {
	case PO_HANDLE_DUMMY:
		return "allocated by page_owner or the stack depot itself, while page_owner was recursing";
	case PO_HANDLE_FAILURE:
		return "the stack depot could not save the allocation stack (out of pool memory)";
	case PO_HANDLE_EARLY:
		return "allocated before page_owner was initialised";
	default:
		return "an ordinary allocation stack";
	}
}
