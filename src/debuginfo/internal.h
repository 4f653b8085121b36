/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 2, inside: struct po_debuginfo and what its files share.  Only
 * src/debuginfo/ includes this.
 *
 *   ops.c        the interface of debuginfo.h, through either backend
 *   debuginfo.c  open and close a vmlinux (the DWARF backend)
 *   index.c      the name index built at open (with dwarfscan.c)
 *   elf.c        vmlinux's ELF side: sections, build-id, symbols, strings
 *   types.c      types, members, enumerators and variables from the DIEs
 *   btf.c        the BTF blob: checked, indexed, read (btf.h)
 *   btfdi.c      the BTF backend: symbols, types, .rodata (btfdi.h)
 *   btfvars.c    the BTF backend's variables, and names for completion
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
	IDX_SYMBOL, /* an ELF symbol (struct po_debuginfo's syms) */
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

/*
 * struct po_di_ops - one backend of debuginfo.h: DWARF from a vmlinux
 * (debuginfo.c, types.c, elf.c, index.c) or the kernel's own BTF read from
 * the dump (btfdi.c).  ops.c calls through it; each member has the
 * contract of the function of debuginfo.h with the same name.
 */
struct po_di_ops {
	void (*destroy)(struct po_debuginfo *dw);
	const char *(*arch)(const struct po_debuginfo *dw);
	struct po_error *(*elf_symbol)(struct po_debuginfo *dw,
				       const char *name, uint64_t *ret);
	bool (*is_percpu_offset)(const struct po_debuginfo *dw, uint64_t addr);
	struct po_error *(*read_image)(struct po_debuginfo *dw, uint64_t addr,
				       void *buf, size_t len);
	struct po_error *(*find_string)(struct po_debuginfo *dw,
					const char *prefix, const char *needle,
					const char **ret);
	struct po_error *(*type_find)(struct po_debuginfo *dw, const char *name,
				      struct po_type *ret);
	enum po_type_kind (*type_kind)(struct po_debuginfo *dw,
				       struct po_type type);
	const char *(*type_name)(struct po_debuginfo *dw, struct po_type type);
	struct po_error *(*type_size)(struct po_debuginfo *dw,
				      struct po_type type, uint64_t *ret);
	struct po_type (*type_unqualified)(struct po_debuginfo *dw,
					   struct po_type type);
	struct po_error *(*type_target)(struct po_debuginfo *dw,
					struct po_type type,
					struct po_type *ret);
	struct po_error *(*type_array_length)(struct po_debuginfo *dw,
					      struct po_type type,
					      uint64_t *ret);
	bool (*type_array_has_bound)(struct po_debuginfo *dw,
				     struct po_type type);
	struct po_error *(*type_member)(struct po_debuginfo *dw,
					struct po_type type, const char *path,
					struct po_member *ret);
	struct po_error *(*enumerator)(struct po_debuginfo *dw,
				       const char *name, int64_t *ret);
	struct po_error *(*variable)(struct po_debuginfo *dw, const char *name,
				     const char *file, struct po_variable *ret);
	struct po_error *(*type_fields)(struct po_debuginfo *dw,
					struct po_type type,
					struct po_field **ret, size_t *nr);
	struct po_error *(*type_enumerators)(struct po_debuginfo *dw,
					     struct po_type type,
					     struct po_enumerator **ret,
					     size_t *nr);
	struct po_error *(*type_params)(struct po_debuginfo *dw,
					struct po_type type,
					struct po_type **ret, size_t *nr,
					bool *variadic);
	enum po_encoding (*type_encoding)(struct po_debuginfo *dw,
					  struct po_type type);
	const char *(*type_qualifier)(struct po_debuginfo *dw,
				      struct po_type type);
	struct po_error *(*variable_declaration)(struct po_debuginfo *dw,
						 const char *name,
						 struct po_type *ret);
	void (*names)(struct po_debuginfo *dw, unsigned int kinds,
		      const char *prefix,
		      int (*fn)(void *arg, const char *name, unsigned int kind),
		      void *arg);
};

struct po_btfdi;

/*
 * One debuginfo object, of either backend: @ops says which.  The DWARF
 * members are unused (zero) with BTF, @bt is NULL with DWARF.
 */
struct po_debuginfo {
	const struct po_di_ops *ops;
	struct po_btfdi *bt; /* btfdi.c's state */
	char *path; /* vmlinux, or where the BTF came from */
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
struct po_error *po_dwarf_err(const struct po_debuginfo *dw, const char *what);

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
struct po_error *po_dwarf_index_cus(struct po_debuginfo *dw, bool libdw_only);
struct po_error *po_dwarf_index_build(struct name_index *ix);
const struct index_entry *po_dwarf_index_find(const struct po_debuginfo *dw,
					      enum index_kind kind,
					      const char *name,
					      const struct index_entry *after);
void po_dwarf_index_free(struct name_index *ix);

/* The DWARF backend's members of struct po_di_ops. */
void dw_destroy(struct po_debuginfo *dw);
const char *dw_arch(const struct po_debuginfo *dw);
struct po_error *dw_elf_symbol(struct po_debuginfo *dw, const char *name,
			       uint64_t *ret);
bool dw_is_percpu_offset(const struct po_debuginfo *dw, uint64_t addr);
struct po_error *dw_read_image(struct po_debuginfo *dw, uint64_t addr,
			       void *buf, size_t len);
struct po_error *dw_find_string(struct po_debuginfo *dw, const char *prefix,
				const char *needle, const char **ret);
struct po_error *dw_type_find(struct po_debuginfo *dw, const char *name,
			      struct po_type *ret);
enum po_type_kind dw_type_kind(struct po_debuginfo *dw, struct po_type type);
const char *dw_type_name(struct po_debuginfo *dw, struct po_type type);
struct po_error *dw_type_size(struct po_debuginfo *dw, struct po_type type,
			      uint64_t *ret);
struct po_type dw_type_unqualified(struct po_debuginfo *dw,
				   struct po_type type);
struct po_error *dw_type_target(struct po_debuginfo *dw, struct po_type type,
				struct po_type *ret);
struct po_error *dw_type_array_length(struct po_debuginfo *dw,
				      struct po_type type, uint64_t *ret);
bool dw_type_array_has_bound(struct po_debuginfo *dw, struct po_type type);
struct po_error *dw_type_member(struct po_debuginfo *dw, struct po_type type,
				const char *path, struct po_member *ret);
struct po_error *dw_enumerator(struct po_debuginfo *dw, const char *name,
			       int64_t *ret);
struct po_error *dw_variable(struct po_debuginfo *dw, const char *name,
			     const char *file, struct po_variable *ret);
struct po_error *dw_type_fields(struct po_debuginfo *dw, struct po_type type,
				struct po_field **ret, size_t *nr);
struct po_error *dw_type_enumerators(struct po_debuginfo *dw,
				     struct po_type type,
				     struct po_enumerator **ret, size_t *nr);
struct po_error *dw_type_params(struct po_debuginfo *dw, struct po_type type,
				struct po_type **ret, size_t *nr,
				bool *variadic);
enum po_encoding dw_type_encoding(struct po_debuginfo *dw, struct po_type type);
const char *dw_type_qualifier(struct po_debuginfo *dw, struct po_type type);
struct po_error *dw_variable_declaration(struct po_debuginfo *dw,
					 const char *name, struct po_type *ret);
void dw_names(struct po_debuginfo *dw, unsigned int kinds, const char *prefix,
	      int (*fn)(void *arg, const char *name, unsigned int kind),
	      void *arg);

/*
 * The first NUL-terminated string of the @size bytes at @buf (a copy of
 * .rodata) that starts with @prefix and contains @needle (may be NULL);
 * @where names the copy in the error.  Both backends' find_string.
 */
struct po_error *po_di_find_string_in(const char *buf, size_t size,
				      const char *where, const char *prefix,
				      const char *needle, const char **ret);

/* elf.c */
struct po_error *po_dwarf_open_elf(struct po_debuginfo *dw);
void po_dwarf_find_percpu(struct po_debuginfo *dw);
Elf_Data *po_dwarf_section_data(struct po_debuginfo *dw, const char *name);

#endif /* PO_DEBUGINFO_INTERNAL_H */
