/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 6: the kernel's own text tables, read from the dump, so that our
 * output is the kernel's: gfpflag_names and pageflag_names (%pGg, %pGp),
 * the page-flags fields of lib/vsprintf.c (pff[]), migratetype_names,
 * migrate_reason_names, and page_owner's printf formats from .rodata.
 */
#ifndef PO_KFORMAT_H
#define PO_KFORMAT_H

#include <stdio.h>

#include "xlat/mm.h"

struct po_kformat;

struct po_error *po_kformat_create(struct po_mm *mm, struct po_kformat **ret);
void po_kformat_destroy(struct po_kformat *kf);

/* %pGg: gfp flag names joined by '|', any remainder in hex. */
void po_kformat_gfp(const struct po_kformat *kf, uint64_t gfp, FILE *out);
/*
 * The mask of "GFP_KERNEL|__GFP_ZERO" or "0xcc0": names as this kernel's
 * gfpflag_names spells them, or numbers, joined by '|'.
 */
struct po_error *po_kformat_parse_gfp(const struct po_kformat *kf,
				      const char *text, uint64_t *ret);
/*
 * %pGp: from v5.16 "0x<flags>(names|field=..)", before only the names of
 * the low NR_PAGEFLAGS bits (the caller printed the hex).
 */
void po_kformat_page_flags(const struct po_kformat *kf, uint64_t flags,
			   FILE *out);
/*
 * Where %pGp's field @name ("zone", "node") is in page->flags: the
 * kernel's own pff[] (v5.13+).  False when it has no pff[] or no such
 * field; *@mask is 0 for a field of no width (no NUMA: node 0).
 */
bool po_kformat_page_field(const struct po_kformat *kf, const char *name,
			   unsigned int *shift, uint64_t *mask);
/* Whether %pGp prints the hex itself (v5.16+) rather than the caller. */
bool po_kformat_page_flags_hex(const struct po_kformat *kf);
/* migratetype_names[@mt], or "Unknown(<mt>)" outside the table. */
const char *po_kformat_migratetype(const struct po_kformat *kf, int mt,
				   char *buf, size_t size);
/* migrate_reason_names[@reason], likewise. */
const char *po_kformat_migrate_reason(const struct po_kformat *kf, int reason,
				      char *buf, size_t size);
/* gfp_migratetype(): honours page_group_by_mobility_disabled. */
int po_kformat_gfp_migratetype(const struct po_kformat *kf, uint32_t gfp);

/*
 * page_owner's debugfs formats of this kernel: the "Page allocated via"
 * header and the "PFN" line, exactly as in its .rodata.
 */
const char *po_kformat_owner_header(const struct po_kformat *kf);
const char *po_kformat_owner_pfn_line(const struct po_kformat *kf);
/*
 * __dump_page_owner()'s "page last allocated via order ..." and "page last
 * free ..." formats (KERN_ALERT prefix removed), or NULL when not found.
 */
const char *po_kformat_dump_alloc(const struct po_kformat *kf);
const char *po_kformat_dump_free(const struct po_kformat *kf);

#endif /* PO_KFORMAT_H */
