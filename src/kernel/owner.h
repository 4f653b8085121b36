/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 6: page_ext and page_owner (mm/page_ext.c, mm/page_owner.c).
 * Resolves the page_ext entry size, where struct page_owner sits in an
 * entry, whether page_owner was on, and the three special handles.
 */
#ifndef PO_OWNER_H
#define PO_OWNER_H

#include "kernel/stackdepot.h"
#include "xlat/memmap.h"

struct po_owner;

/**
 * struct po_owner_config - page_owner's global state in the dump
 * @enabled: page_owner_inited was on (page_owner=on at boot)
 * @page_ext_size: bytes per page_ext entry
 * @owner_offset: offset of struct page_owner in an entry
 * @dummy_handle/@failure_handle/@early_handle: the special handles
 */
struct po_owner_config {
	bool enabled;
	uint64_t page_ext_size;
	uint64_t owner_offset;
	uint32_t dummy_handle;
	uint32_t failure_handle;
	uint32_t early_handle;
};

/*
 * struct po_owner_layout - page_ext and struct page_owner as this kernel
 * lays them out.  Members the era lacks have @has_X false.
 */
struct po_owner_layout {
	struct po_member ext_flags;
	uint64_t owner_mask; /* BIT(PAGE_EXT_OWNER) */
	uint64_t allocated_mask; /* BIT(PAGE_EXT_OWNER_ALLOCATED) */
	struct po_member order, last_migrate_reason, gfp_mask, handle;
	struct po_member free_handle, ts_nsec, free_ts_nsec, comm;
	struct po_member pid, tgid, free_pid, free_tgid;
	bool has_free_handle, has_ts_nsec, has_free_ts_nsec, has_comm;
	bool has_pid, has_tgid, has_free_pid, has_free_tgid;
	uint32_t fields; /* PO_OWNER_HAS_*, of the has_X above */
};

struct po_error *po_owner_create(struct po_mm *mm, struct po_depot *depot,
				 struct po_owner **ret);
void po_owner_destroy(struct po_owner *owner);

const struct po_owner_config *po_owner_config(const struct po_owner *owner);
const struct po_owner_layout *po_owner_layout(const struct po_owner *owner);
struct po_depot *po_owner_depot(const struct po_owner *owner);
struct po_mm *po_owner_mm(const struct po_owner *owner);
enum po_special_handle po_owner_classify(const struct po_owner *owner,
					 uint32_t handle);
/*
 * po_owner_stack_list() - visit page_owner's stack_list (v6.9+, "mm,
 * page_owner: maintain own list of stack_records"): the record address of
 * each node, newest first, as show_stacks prints them.  PO_ERR_LOOKUP on
 * kernels without it.  @fn returns non-zero to stop.
 */
struct po_error *po_owner_stack_list(struct po_owner *owner,
				     int (*fn)(uint64_t record, void *arg),
				     void *arg);
/*
 * po_owner_page_ext_uses() - add each section's page_ext table to @u as
 * PO_USE_PAGE_EXT (the object is the table's address), where the direct
 * map has it; a vzalloc()ed one is found page by page.
 */
struct po_error *po_owner_page_ext_uses(struct po_owner *owner,
					const struct po_memmap *map,
					struct po_pfn_uses *u);
/* page_owner_pages_threshold: show_stacks' count_threshold in the dump. */
struct po_error *po_owner_stack_threshold(struct po_owner *owner,
					  uint64_t *ret);

#endif /* PO_OWNER_H */
