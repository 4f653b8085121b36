// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 6: page_owner's global configuration and special handles. */
#include <stddef.h>
#include <stdlib.h>
#include <sys/types.h>

#include "kernel/owner.h"
#include "util/array.h"

#define OWNER_FILE "mm/page_owner.c"

struct po_owner {
	struct po_mm *mm;
	struct po_depot *depot;
	struct po_owner_config cfg;
	struct po_owner_layout layout;
};

#define LAYOUT_MEMBER(name, has)                                      \
	{                                                             \
#name, offsetof(struct po_owner_layout, name), has, 0 \
	}

/*
 * struct page_owner grew over time; each member is looked up, never
 * assumed.  free_handle came with Linux kernel commit 8974558f49a6 ("mm,
 * page_owner, debug_pagealloc: save and dump freeing stack trace") (in
 * v5.4); pid and ts_nsec with Linux kernel commit 9cc7e96aa846
 * ("mm/page_owner: record timestamp and pid") (in v5.11); free_ts_nsec
 * with Linux kernel commit 866b48526217 ("mm/page_owner: record the
 * timestamp of all pages during free") (in v5.13); tgid with
 * "mm/page_owner.c: record tgid" (in v5.18); comm with Linux kernel
 * commit 865ed6a32786 ("mm/page_owner: record task command name") (in
 * v5.18); free_pid and free_tgid with "mm/page_owner: record and dump
 * free_pid and free_tgid" (in v6.8).  (The two without a hash were read
 * in merged logs, not checked against a kernel tree.)
 */
#define OPTIONAL_MEMBER(name, bit)                                    \
	{                                                             \
#name, offsetof(struct po_owner_layout, name),        \
			offsetof(struct po_owner_layout, has_##name), \
			PO_OWNER_HAS_##bit                            \
	}

static const struct {
	const char *name;
	size_t offset;
	ssize_t has; /* offset of the has_X flag, -1 when required */
	uint32_t field; /* its PO_OWNER_HAS_* bit */
} owner_members[] = {
	LAYOUT_MEMBER(order, -1),
	LAYOUT_MEMBER(last_migrate_reason, -1),
	LAYOUT_MEMBER(gfp_mask, -1),
	LAYOUT_MEMBER(handle, -1),
	OPTIONAL_MEMBER(free_handle, FREE_HANDLE),
	OPTIONAL_MEMBER(ts_nsec, TS),
	OPTIONAL_MEMBER(free_ts_nsec, FREE_TS),
	OPTIONAL_MEMBER(comm, COMM),
	OPTIONAL_MEMBER(pid, PID),
	OPTIONAL_MEMBER(tgid, TGID),
	OPTIONAL_MEMBER(free_pid, FREE_PID),
	OPTIONAL_MEMBER(free_tgid, FREE_TGID),
};

/*
 * page_owner_inited is a static key: key.enabled.counter is non-zero when
 * page_owner=on took effect.  (page_owner_enabled is __initdata from 6.1,
 * so it cannot be read back.)
 */
static struct po_error *read_enabled(struct po_mm *mm, bool *ret)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
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
 * The entry size is the global page_ext_size, exported for page_owner by
 * "mm, page_owner: fix off-by-one error in __set_page_owner_handle()" (in
 * v5.4), and it may start at 0 from v6.3, so it must be read, never
 * assumed; before v5.4 it is sizeof(struct page_ext) plus the file-static
 * extra_mem.
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
		err = po_type_find(po_mm_debuginfo(mm), "struct page_ext", &t);
	if (!err)
		err = po_type_size(po_mm_debuginfo(mm), t, &base);
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
	struct po_debuginfo *dw = po_mm_debuginfo(o->mm);
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

static struct po_error *read_struct_layout(struct po_owner *o)
{
	struct po_debuginfo *dw = po_mm_debuginfo(o->mm);
	struct po_owner_layout *l = &o->layout;
	struct po_error *err;
	struct po_type t;
	size_t i;

	err = po_type_find(dw, "struct page_owner", &t);
	for (i = 0;
	     !err && i < sizeof(owner_members) / sizeof(owner_members[0]);
	     i++) {
		const char *name = owner_members[i].name;
		struct po_member *m =
			(void *)((char *)l + owner_members[i].offset);

		if (owner_members[i].has >= 0) {
			bool *has = (void *)((char *)l + owner_members[i].has);

			*has = po_type_has_member(dw, t, name);
			if (!*has)
				continue;
			l->fields |= owner_members[i].field;
		}
		err = po_type_member(dw, t, name, m);
	}
	return err ? po_error_prefix(err, "struct page_owner: ") : NULL;
}

/*
 * page_ext->flags bits.  Linux kernel commit 37389167a281 ("mm, page_owner:
 * keep owner info when freeing the page") (in v5.4) kept PAGE_EXT_OWNER set
 * at free and added PAGE_EXT_OWNER_ACTIVE for "allocated"; "mm,
 * page_owner: rename flag indicating that page is allocated" (in v5.4,
 * from -rc4) made it PAGE_EXT_OWNER_ALLOCATED.  Before them, the owner bit
 * itself was cleared at free.
 */
static struct po_error *read_ext_layout(struct po_owner *o)
{
	struct po_debuginfo *dw = po_mm_debuginfo(o->mm);
	struct po_owner_layout *l = &o->layout;
	struct po_error *err;
	struct po_type t;
	int64_t bit;

	err = po_type_find(dw, "struct page_ext", &t);
	if (!err)
		err = po_type_member(dw, t, "flags", &l->ext_flags);
	if (!err)
		err = po_debuginfo_enumerator(dw, "PAGE_EXT_OWNER", &bit);
	if (err)
		return po_error_prefix(err, "page_ext: ");
	l->owner_mask = (uint64_t)1 << bit;
	err = po_debuginfo_enumerator(dw, "PAGE_EXT_OWNER_ALLOCATED", &bit);
	/* v5.4-rc1 to -rc3 called it PAGE_EXT_OWNER_ACTIVE. */
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		err = po_debuginfo_enumerator(dw, "PAGE_EXT_OWNER_ACTIVE",
					      &bit);
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		l->allocated_mask = l->owner_mask;
	else if (!err)
		l->allocated_mask = (uint64_t)1 << bit;
	return err;
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
	if (!err)
		err = read_struct_layout(o);
	if (!err)
		err = read_ext_layout(o);
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

const struct po_owner_layout *po_owner_layout(const struct po_owner *owner)
{
	return &owner->layout;
}

struct po_depot *po_owner_depot(const struct po_owner *owner)
{
	return owner->depot;
}

struct po_mm *po_owner_mm(const struct po_owner *owner)
{
	return owner->mm;
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

/*
 * A list longer than this is corrupt even without a loop: the depot holds
 * fewer records.  Loops are caught sooner, by Brent's algorithm: a node is
 * remembered at each power of two steps, and meeting it again is a loop.
 */
#define MAX_STACK_LIST (1u << 24)

static struct po_error *stack_list_bad(uint64_t node, uint32_t n, bool loop)
{
	if (loop)
		return po_error_addr(PO_ERR_BAD_DATA, node,
				     "page_owner's stack_list loops back to "
				     "node 0x%llx after %u nodes",
				     (unsigned long long)node, n);
	return po_error_addr(PO_ERR_BAD_DATA, node,
			     "page_owner's stack_list does not end after %u "
			     "nodes",
			     n);
}

/*
 * page_owner's own list of the stacks it counts, from "mm,page_owner:
 * maintain own list of stack_records structs" (in v6.9); the counts came
 * with Linux kernel commit 217b2119b9e2 ("mm,page_owner: implement the
 * tracking of the stacks count") (in v6.9).
 */
struct po_error *po_owner_stack_list(struct po_owner *owner,
				     int (*fn)(uint64_t record, void *arg),
				     void *arg)
{
	struct po_debuginfo *dw = po_mm_debuginfo(owner->mm);
	uint64_t node, r, seen = 0, power = 1, lam = 0;
	struct po_member rec, next;
	struct po_variable head;
	struct po_error *err;
	struct po_type t;
	uint32_t n = 0;

	err = po_mm_variable(owner->mm, "stack_list", OWNER_FILE, &head);
	/* Its own type, not any "struct stack" of another file. */
	if (!err)
		err = po_type_target(dw, head.type, &t);
	if (!err)
		err = po_type_member(dw, t, "stack_record", &rec);
	if (!err)
		err = po_type_member(dw, t, "next", &next);
	if (!err)
		err = po_mm_read_u64(owner->mm, head.address, &node);
	for (; !err && node; n++) {
		if (node == seen || n == MAX_STACK_LIST)
			return po_error_prefix(stack_list_bad(node, n,
							      node == seen),
					       "stack_list: ");
		if (++lam == power) {
			seen = node;
			power *= 2;
			lam = 0;
		}
		err = po_mm_read_member(owner->mm, node, &rec, &r);
		if (!err && r && fn(r, arg))
			break;
		if (!err)
			err = po_mm_read_member(owner->mm, node, &next, &node);
	}
	return err ? po_error_prefix(err, "stack_list: ") : NULL;
}

/* From "mm,page_owner: filter out stacks by a threshold" (in v6.9). */
struct po_error *po_owner_stack_threshold(struct po_owner *owner, uint64_t *ret)
{
	return po_mm_read_variable(owner->mm, "page_owner_pages_threshold",
				   OWNER_FILE, ret);
}

/* Add @pfn to @u: one more page of the run before it, or a new run. */
static struct po_error *add_table_page(struct po_pfn_uses *u, uint64_t pfn,
				       uint64_t table)
{
	struct po_pfn_use *last = u->n ? &u->v[u->n - 1] : NULL;
	struct po_error *err;

	if (last && last->use == PO_USE_PAGE_EXT && last->object == table &&
	    last->pfn + last->pages == pfn) {
		last->pages++;
		return NULL;
	}
	u->v = po_array_grow(u->v, u->n, &u->cap, sizeof(*u->v), &err);
	if (!err)
		u->v[u->n++] = (struct po_pfn_use){ .pfn = pfn,
						    .pages = 1,
						    .use = PO_USE_PAGE_EXT,
						    .object = table };
	return err;
}

/*
 * A section's table: PAGES_PER_SECTION entries from the entry of its
 * first pfn (ms->page_ext is biased by that pfn: lookup_page_ext()).
 */
static struct po_error *add_table(struct po_owner *o, uint64_t table,
				  uint64_t bytes, struct po_pfn_uses *u)
{
	uint64_t page = po_mm_page_size(o->mm), off, phys;
	struct po_error *err = NULL;

	for (off = 0; off < bytes && !err; off += page) {
		err = po_mm_vtop(o->mm, table + off, &phys);
		if (po_error_catch(&err, PO_ERR_FAULT))
			continue;
		if (!err)
			err = add_table_page(u, phys / page, table);
	}
	return err;
}

struct po_error *po_owner_page_ext_uses(struct po_owner *o,
					const struct po_memmap *map,
					struct po_pfn_uses *u)
{
	uint64_t step = po_memmap_section_pages(map), pfn, raw;
	struct po_error *err = NULL;

	for (pfn = po_memmap_min_pfn(map) & ~(step - 1);
	     pfn < po_memmap_max_pfn(map) && !err; pfn += step) {
		raw = po_memmap_section_page_ext(map, pfn);
		if (raw && !(raw & 1))
			err = add_table(o, raw + pfn * o->cfg.page_ext_size,
					step * o->cfg.page_ext_size, u);
	}
	return err;
}
