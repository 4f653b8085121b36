/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 2, inside: struct po_dwarf and what its files share.  Only
 * src/debuginfo/ includes this.
 *
 *   debuginfo.c  open and close a vmlinux
 *   index.c      the name index built at open (with dwarfscan.c)
 *   elf.c        vmlinux's ELF side: sections, build-id, symbols, strings
 *   types.c      types, members, enumerators and variables from the DIEs
 */
#ifndef PO_DEBUGINFO_INTERNAL_H
#define PO_DEBUGINFO_INTERNAL_H

#include <elfutils/libdw.h>
#include <gelf.h>

#include "debuginfo/debuginfo.h"

enum index_kind {
	IDX_STRUCT,
	IDX_UNION,
	IDX_ENUM,
	IDX_TYPEDEF,
	IDX_BASE,
	IDX_VARIABLE,
	IDX_ENUMERATOR,
	IDX_DECLARATION, /* a variable declared, not defined, in a CU */
	IDX_SYMBOL, /* an ELF symbol (struct po_dwarf's syms) */
};

struct index_entry {
	const char *name;
	uint64_t die;
	uint64_t cu; /* CU DIE offset, for file-static lookups */
	uint32_t hash;
	uint32_t next; /* next entry in the bucket, or UINT32_MAX */
	uint8_t kind;
};

/* Names hashed into buckets of chained entries. */
struct name_index {
	struct index_entry *entries;
	uint32_t nr_entries;
	size_t cap_entries;
	uint32_t *buckets;
	uint32_t nr_buckets; /* a power of two */
};

struct po_dwarf {
	char *path;
	int fd;
	Elf *elf;
	Dwarf *dbg;
	char build_id[2 * 64 + 1];
	bool big_endian;
	uint16_t machine;
	struct name_index idx; /* DWARF: types, variables, enumerators */
	struct name_index syms; /* ELF symbols, indexed on first use */
	uint64_t percpu_size; /* of .data..percpu when linked at 0, else 0 */
};

#define NO_ENTRY UINT32_MAX

/* debuginfo.c */
struct po_error *po_dwarf_err(const struct po_dwarf *dw, const char *what);

/* index.c: the name index */
uint32_t po_dwarf_name_hash(const char *s);
const struct index_entry *
po_dwarf_index_lookup(const struct name_index *ix, enum index_kind kind,
		      const char *name, uint32_t h,
		      const struct index_entry *after);
struct po_error *po_dwarf_index_add(struct name_index *ix, enum index_kind kind,
				    const char *name, uint64_t die,
				    uint64_t cu);
int po_dwarf_tag_kind(int tag);
struct po_error *po_dwarf_index_cus(struct po_dwarf *dw, bool libdw_only);
struct po_error *po_dwarf_index_build(struct name_index *ix);
const struct index_entry *po_dwarf_index_find(const struct po_dwarf *dw,
					      enum index_kind kind,
					      const char *name,
					      const struct index_entry *after);
void po_dwarf_index_free(struct name_index *ix);

/* elf.c */
struct po_error *po_dwarf_open_elf(struct po_dwarf *dw);
void po_dwarf_find_percpu(struct po_dwarf *dw);
Elf_Data *po_dwarf_section_data(struct po_dwarf *dw, const char *name);

#endif /* PO_DEBUGINFO_INTERNAL_H */
