/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 7 helpers shared by the page_owner reports: the kernel's printf
 * formats turned into print plans, and stack text cached per handle.
 */
#ifndef PO_OWNER_REPORT_H
#define PO_OWNER_REPORT_H

#include "program/program.h"

struct po_owner_format;

/*
 * po_owner_format_compile() - map each conversion of one of page_owner's
 * formats ("Page allocated via order %u, mask %#x(%pGg), ...") to the
 * value it prints, by the word before it.  With @free_side, "pid" and
 * "tgid" are the freeing task's.  An unknown conversion gives
 * PO_ERR_UNSUPPORTED rather than a guess.
 */
struct po_error *po_owner_format_compile(const char *fmt, bool free_side,
					 struct po_owner_format **ret);
void po_owner_format_destroy(struct po_owner_format *f);
/* The values @f prints, comma-separated ("order,gfp,gfp_names,..."). */
void po_owner_format_describe(const struct po_owner_format *f, char *buf,
			      size_t size);
void po_owner_format_print(const struct po_owner_format *f,
			   const struct po_kformat *kf, unsigned int pb_order,
			   const struct po_page_owner *r, FILE *out);

/*
 * The walk `pageowner dump` makes for @opt: its pfn range and side; with
 * @with_uses, records name kernel stacks as the task list does (what the
 * bindings' records say; the dump's text has no use).
 */
struct po_error *
po_page_owner_walk_create(struct po_program *prog,
			  const struct po_page_owner_options *opt,
			  bool with_uses, struct po_walk **ret);

/* Copy the walk's skip counts into the public counts. */
void po_counts_from_walk(struct po_walk_counts *c,
			 const struct po_walk_stats *st);

struct po_stack_cache;

struct po_error *po_stack_cache_create(struct po_program *prog,
				       struct po_stack_cache **ret);
void po_stack_cache_destroy(struct po_stack_cache *c);
/*
 * The frames of @handle as the kernel prints them (" %pS\n" each).  A
 * handle that does not decode gives PO_ERR_BAD_DATA, also cached.
 */
struct po_error *po_stack_cache_get(struct po_stack_cache *c, uint32_t handle,
				    const char **ret);
/*
 * Print @handle's frames to @out; a handle that does not decode prints
 * nothing, is counted in @counts->bad_stacks, and gives false.
 */
bool po_stack_cache_print(struct po_stack_cache *c, uint32_t handle, FILE *out,
			  struct po_walk_counts *counts);

/*
 * po_report_dump_page() - dump_page()'s header of @pfn (refcount,
 * mapcount, mapping, index, flags, page_type, raw words), then what the
 * page is now: its use, and its slab cache or file.
 */
struct po_error *po_report_dump_page(struct po_program *prog, uint64_t pfn,
				     FILE *out);

#endif /* PO_OWNER_REPORT_H */
