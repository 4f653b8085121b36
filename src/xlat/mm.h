/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 3: address translation and the memory model.  Joins the dump
 * (layer 1) and the debug info (layer 2): symbol addresses with the KASLR
 * offset applied, typed reads of kernel variables and struct members, and
 * the machine facts (page size, paging levels) upper layers need.
 */
#ifndef PO_MM_H
#define PO_MM_H

#include <string.h>

#include "debuginfo/debuginfo.h"
#include "dump/dump.h"

struct po_mm;

struct po_error *po_mm_create(struct po_dump *dump, struct po_debuginfo *dw,
			      struct po_mm **ret);
void po_mm_destroy(struct po_mm *mm);

/*
 * po_mm_clone() - a reader of the same memory for another thread (see
 * po_dump_clone()).  @mm must outlive it; po_mm_destroy() frees it.
 */
struct po_error *po_mm_clone(const struct po_mm *mm, struct po_mm **ret);

struct po_dump *po_mm_dump(const struct po_mm *mm);
struct po_debuginfo *po_mm_debuginfo(const struct po_mm *mm);
/* KERNELOFFSET: what KASLR added to every kernel-image address. */
uint64_t po_mm_kaslr_offset(const struct po_mm *mm);
/*
 * @addr without arm64 pointer-authentication bits (KERNELPACMASK): the
 * kernel strips them before it saves a stack (arch_stack_walk()'s
 * unwinder calls ptrauth_strip_kernel_insn_pac() on every frame), so a
 * frame that still has them is stripped the same way before it is
 * symbolized.  Unchanged elsewhere.
 */
uint64_t po_mm_strip_pac(const struct po_mm *mm, uint64_t addr);
uint64_t po_mm_page_size(const struct po_mm *mm);
unsigned int po_mm_page_shift(const struct po_mm *mm);
/* Page-table levels of the dumped kernel (4 or 5 on x86_64). */
int po_mm_paging_levels(const struct po_mm *mm);

struct po_error *po_mm_read(struct po_mm *mm, uint64_t addr, void *buf,
			    size_t len);
struct po_error *po_mm_read_phys(struct po_mm *mm, uint64_t addr, void *buf,
				 size_t len);
struct po_error *po_mm_read_u32(struct po_mm *mm, uint64_t addr, uint32_t *ret);
struct po_error *po_mm_read_u64(struct po_mm *mm, uint64_t addr, uint64_t *ret);
/* Read an unsigned integer of @size bytes (1, 2, 4 or 8). */
struct po_error *po_mm_read_uint(struct po_mm *mm, uint64_t addr, size_t size,
				 uint64_t *ret);

/*
 * po_mm_variable() - a kernel variable with its runtime (KASLR-shifted)
 * address.  @file picks a file-static variable ("mm/page_owner.c").
 */
struct po_error *po_mm_variable(struct po_mm *mm, const char *name,
				const char *file, struct po_variable *ret);
/* Read an integer variable, whatever its width. */
struct po_error *po_mm_read_variable(struct po_mm *mm, const char *name,
				     const char *file, uint64_t *ret);
/*
 * po_mm_symbol_address() - runtime address of a kernel-image symbol:
 * VMCOREINFO's SYMBOL(name) when exported, else vmlinux plus KASLR.
 */
struct po_error *po_mm_symbol_address(struct po_mm *mm, const char *name,
				      uint64_t *ret);

/*
 * po_mm_read_partial() - read [@addr, @addr + @len) as far as the dump
 * allows.  Pages the dump lacks (filtered out or unmapped) are zero-filled
 * and passed to @hole with their error code; only failures that are not
 * about a missing page (out of memory) are returned.
 */
struct po_error *
po_mm_read_partial(struct po_mm *mm, uint64_t addr, void *buf, size_t len,
		   void (*hole)(void *arg, uint64_t start, uint64_t end,
				enum po_error_code code),
		   void *arg);

/*
 * po_mm_read_string() - a NUL-terminated string at @addr into @buf, cut to
 * @size - 1 bytes like strscpy().  Reads stop at page ends, so a string that
 * ends before a hole in the dump is still read.
 */
struct po_error *po_mm_read_string(struct po_mm *mm, uint64_t addr, char *buf,
				   size_t size);

/*
 * po_mm_list_walk() - @fn(@arg, entry) for each entry of the circular
 * list_head at @head, whose list_head sits @link bytes into each entry,
 * taking one from *@budget each (shared by nested walks).  A list that
 * loops without its head, or is not back at it when the budget is spent,
 * is PO_ERR_BAD_DATA naming @what.  Stops at @fn's first error.
 */
struct po_error *
po_mm_list_walk(struct po_mm *mm, uint64_t head, uint64_t link,
		unsigned int *budget, const char *what,
		struct po_error *(*fn)(void *arg, uint64_t entry), void *arg);

/* Kernel virtual to physical, through the dump's page tables. */
struct po_error *po_mm_vtop(struct po_mm *mm, uint64_t vaddr, uint64_t *ret);

/* VMCOREINFO NUMBER(@name), decimal.  PO_ERR_LOOKUP when absent. */
struct po_error *po_mm_vmcoreinfo_number(struct po_mm *mm, const char *name,
					 int64_t *ret);

/* Read the integer (or bit-field) member @m of the object at @addr. */
struct po_error *po_mm_read_member(struct po_mm *mm, uint64_t addr,
				   const struct po_member *m, uint64_t *ret);
/* The bit-field case of po_member_get(). */
uint64_t po_member_get_bits(const struct po_member *m, const void *obj);

/* An unsigned integer of @size (1, 2, 4 or 8) bytes at @p, in the host's
 * byte order: only little-endian x86-64 dumps are read, on x86-64. */
static inline uint64_t po_load_uint(const void *p, size_t size)
{
	uint8_t b1;
	uint16_t b2;
	uint32_t b4;
	uint64_t b8;

	switch (size) {
	case 1:
		memcpy(&b1, p, 1);
		return b1;
	case 2:
		memcpy(&b2, p, 2);
		return b2;
	case 4:
		memcpy(&b4, p, 4);
		return b4;
	default:
		memcpy(&b8, p, 8);
		return b8;
	}
}

/*
 * Extract the same from a buffer already holding the object.  Inline: the
 * page walk calls it for several fields of every pfn, and most are plain
 * integers.
 */
static inline uint64_t po_member_get(const struct po_member *m, const void *obj)
{
	if (m->bit_size)
		return po_member_get_bits(m, obj);
	return po_load_uint((const uint8_t *)obj + m->bit_offset / 8,
			    m->byte_size);
}

#endif /* PO_MM_H */
