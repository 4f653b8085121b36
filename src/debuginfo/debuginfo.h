/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 2: types, variables and symbols of the dumped kernel, from one of
 * two backends chosen at open: vmlinux's DWARF (po_dwarf_open()) or the
 * kernel's own BTF and kallsyms read from the dump (po_debuginfo_open_btf()).
 * The only module that includes libdw/libelf.  Upper layers see types as
 * opaque struct po_type values (a DIE offset, or a BTF type id), so no
 * backend's type leaks past this file, and they never learn which backend
 * answers.
 *
 * All addresses here are link-time addresses; the caller adds the KASLR
 * offset.
 */
#ifndef PO_DEBUGINFO_H
#define PO_DEBUGINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct po_debuginfo;

enum po_type_kind {
	PO_TYPE_VOID,
	PO_TYPE_BASE,
	PO_TYPE_POINTER,
	PO_TYPE_STRUCT,
	PO_TYPE_UNION,
	PO_TYPE_ENUM,
	PO_TYPE_TYPEDEF,
	PO_TYPE_ARRAY,
	PO_TYPE_FUNCTION,
	PO_TYPE_QUALIFIER, /* const, volatile, restrict, atomic */
	PO_TYPE_OTHER,
};

/**
 * struct po_member - where a member sits inside its outermost struct
 * @type: the member's type
 * @bit_offset: offset in bits from the start of the outer struct
 * @bit_size: width for a bit-field, 0 otherwise
 * @byte_size: size of the member's type in bytes
 */
struct po_member {
	struct po_type type;
	uint64_t bit_offset;
	uint64_t bit_size;
	uint64_t byte_size;
};

/* A global or file-static variable. */
struct po_variable {
	uint64_t address; /* link-time */
	struct po_type type;
};

/* The DWARF backend: a vmlinux with debug info. */
struct po_error *po_dwarf_open(const char *path, struct po_debuginfo **ret);

struct po_dump;

/*
 * The BTF backend, for a dump without its vmlinux: types from the
 * kernel's BTF in the dump, symbols from its kallsyms.  Reading either
 * needs address translation, which needs this object, so it is built in
 * three steps.  po_debuginfo_open_btf() gives an object that knows the
 * architecture only; po_debuginfo_btf_add_symbol() adds each kallsyms symbol
 * (@addr as kallsyms gives it, with KASLR), in kallsyms order; and
 * po_debuginfo_btf_attach() indexes them and opens the @size bytes of BTF
 * read at @addr.  @dump must outlive the object.
 */
struct po_error *po_debuginfo_open_btf(struct po_dump *dump,
				       struct po_debuginfo **ret);
struct po_error *po_debuginfo_btf_add_symbol(struct po_debuginfo *dw,
					     const char *name, char type,
					     uint64_t addr);
struct po_error *po_debuginfo_btf_attach(struct po_debuginfo *dw,
					 uint64_t kaslr, const void *blob,
					 size_t size, uint64_t addr);
/* Where types come from, for `info`: "BTF in the dump, 2.6 MiB, ...". */
void po_debuginfo_sources(const struct po_debuginfo *dw, char *buf,
			  size_t size);
/*
 * The variables read so far whose types BTF lacks and the walk's own
 * list gave (btfvars.c); none with DWARF.  *ret lives as long as @dw.
 */
size_t po_debuginfo_walk_typed(const struct po_debuginfo *dw,
			       const char *const **ret);

void po_debuginfo_destroy(struct po_debuginfo *dw);
/*
 * po_dwarf_index_check() - index the DWARF again through libdw alone, as
 * before dwarfscan.c, and compare with the index open built: *@differ
 * entries differ, the first described in @first.  For the tests.
 */
struct po_error *po_dwarf_index_check(struct po_debuginfo *dw, uint64_t *differ,
				      char *first, size_t len);

/* A vmlinux's path; with BTF, where in the dump the types came from. */
const char *po_debuginfo_path(const struct po_debuginfo *dw);
/* Whether @dw is a vmlinux (DWARF), not the dump's BTF. */
bool po_debuginfo_is_vmlinux(const struct po_debuginfo *dw);
/* GNU build-id as lowercase hex, or NULL when vmlinux has none. */
const char *po_debuginfo_build_id(const struct po_debuginfo *dw);
/* libkdumpfile's name for the ELF machine ("x86_64"), or NULL. */
const char *po_debuginfo_arch(const struct po_debuginfo *dw);

/* Link-time value of an ELF symbol from .symtab. */
struct po_error *po_debuginfo_symbol(struct po_debuginfo *dw, const char *name,
				     uint64_t *ret);
/*
 * Whether link-time @addr is in a per-CPU section linked at 0 (x86_64
 * SMP): an offset into each CPU's area, which KASLR does not move.
 */
bool po_debuginfo_is_percpu_offset(const struct po_debuginfo *dw,
				   uint64_t addr);
/* Read initialised bytes of the vmlinux image at link-time @addr. */
struct po_error *po_debuginfo_read_image(struct po_debuginfo *dw, uint64_t addr,
					 void *buf, size_t len);

/*
 * po_debuginfo_find_string() - the first NUL-terminated string in .rodata that
 * starts with @prefix and contains @needle (may be NULL).  Used to read
 * the kernel's own printf formats.  The result points into the ELF image
 * and lives as long as @dw.
 */
struct po_error *po_debuginfo_find_string(struct po_debuginfo *dw,
					  const char *prefix,
					  const char *needle, const char **ret);

/*
 * po_type_find() - a type by C name: "struct page", "union handle_parts",
 * "enum page_ext_flags", a typedef ("depot_stack_handle_t") or a base type
 * ("unsigned long").  A trailing " *" makes a pointer type.
 */
struct po_error *po_type_find(struct po_debuginfo *dw, const char *name,
			      struct po_type *ret);
enum po_type_kind po_type_kind(struct po_debuginfo *dw, struct po_type type);
/* The type's name without its "struct " etc. prefix; NULL if anonymous. */
const char *po_type_name(struct po_debuginfo *dw, struct po_type type);
struct po_error *po_type_size(struct po_debuginfo *dw, struct po_type type,
			      uint64_t *ret);
/* Strip typedefs and qualifiers. */
struct po_type po_type_unqualified(struct po_debuginfo *dw,
				   struct po_type type);
/* The pointed-to, element, or underlying type. */
struct po_error *po_type_target(struct po_debuginfo *dw, struct po_type type,
				struct po_type *ret);
/* Number of elements of an array type (after stripping typedefs). */
struct po_error *po_type_array_length(struct po_debuginfo *dw,
				      struct po_type type, uint64_t *ret);
/* False for a flexible array member ("x[]"), true for "x[0]" and "x[4]". */
bool po_type_array_has_bound(struct po_debuginfo *dw, struct po_type type);
/* Whether an integer base type or enum is signed. */
bool po_type_is_signed(struct po_debuginfo *dw, struct po_type type);

/*
 * po_type_member() - find @path ("handle", "hash_list.next",
 * "key.enabled.counter") in a struct or union, looking through anonymous
 * members.  Offsets accumulate along the path.
 */
struct po_error *po_type_member(struct po_debuginfo *dw, struct po_type type,
				const char *path, struct po_member *ret);
bool po_type_has_member(struct po_debuginfo *dw, struct po_type type,
			const char *path);
/*
 * po_type_member_of() - po_type_member() of the type named @type ("struct
 * page"); an error names the type.
 */
struct po_error *po_type_member_of(struct po_debuginfo *dw, const char *type,
				   const char *path, struct po_member *ret);

/* Value of an enumerator by name, e.g. "PAGE_EXT_OWNER". */
struct po_error *po_debuginfo_enumerator(struct po_debuginfo *dw,
					 const char *name, int64_t *ret);

/*
 * po_debuginfo_variable() - a variable with a location.  @file, if not NULL,
 * picks among file-static variables of the same name by the end of the CU
 * name ("mm/page_owner.c").
 */
struct po_error *po_debuginfo_variable(struct po_debuginfo *dw,
				       const char *name, const char *file,
				       struct po_variable *ret);

/**
 * struct po_field - one direct member of a struct or union
 * @name: NULL for an anonymous struct or union member
 * @bit_offset: from the start of the type that holds it
 * @bit_size: width of a bit-field, 0 otherwise
 */
struct po_field {
	const char *name;
	struct po_type type;
	uint64_t bit_offset;
	uint64_t bit_size;
};

/* The members of a struct or union, in order; caller frees *ret. */
struct po_error *po_type_fields(struct po_debuginfo *dw, struct po_type type,
				struct po_field **ret, size_t *nr);

struct po_enumerator {
	const char *name;
	int64_t value;
};

/* The enumerators of an enum type, in order; caller frees *ret. */
struct po_error *po_type_enumerators(struct po_debuginfo *dw,
				     struct po_type type,
				     struct po_enumerator **ret, size_t *nr);

/*
 * po_type_params() - parameter types of a function type, caller frees
 * *ret; *variadic when it ends in "...".  A K&R "()" gives none.
 */
struct po_error *po_type_params(struct po_debuginfo *dw, struct po_type type,
				struct po_type **ret, size_t *nr,
				bool *variadic);

/* How a base type's bits are read. */
enum po_encoding {
	PO_ENC_OTHER,
	PO_ENC_SIGNED,
	PO_ENC_UNSIGNED,
	PO_ENC_BOOL,
	PO_ENC_FLOAT,
	PO_ENC_SIGNED_CHAR,
	PO_ENC_UNSIGNED_CHAR,
};

/* The encoding of a base type, or of an enum's underlying type. */
enum po_encoding po_type_encoding(struct po_debuginfo *dw, struct po_type type);
/* Qualifier keyword of a PO_TYPE_QUALIFIER type ("const", ...). */
const char *po_type_qualifier(struct po_debuginfo *dw, struct po_type type);

/*
 * po_debuginfo_variable_declaration() - the type of an "extern" declaration
 * of @name, for symbols that only the linker defines (jiffies is
 * jiffies_64's alias).  Scans every CU: slow, for a rare miss.
 */
struct po_error *po_debuginfo_variable_declaration(struct po_debuginfo *dw,
						   const char *name,
						   struct po_type *ret);

/* What po_debuginfo_names() lists. */
enum {
	PO_NAME_VARIABLE = 1 << 0,
	PO_NAME_TYPEDEF = 1 << 1, /* typedefs and base types */
	PO_NAME_STRUCT = 1 << 2,
	PO_NAME_UNION = 1 << 3,
	PO_NAME_ENUM = 1 << 4,
	PO_NAME_ENUMERATOR = 1 << 5,
};

/*
 * po_debuginfo_names() - call @fn for each indexed name of a kind in @kinds
 * that starts with @prefix (for completion).  A name defined in several
 * CUs comes once per CU.  A nonzero return from @fn stops the walk.
 */
void po_debuginfo_names(
	struct po_debuginfo *dw, unsigned int kinds, const char *prefix,
	int (*fn)(void *arg, const char *name, unsigned int kind), void *arg);

#endif /* PO_DEBUGINFO_H */
