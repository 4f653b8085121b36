/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 2: types from the kernel's own BTF (CONFIG_DEBUG_INFO_BTF), for
 * when no vmlinux with DWARF is at hand.  The blob is vmlinux's .BTF
 * section, which the kernel keeps in memory between __start_BTF and
 * __stop_BTF, so a dump carries it.
 *
 * The blob is untrusted: po_btf_open() checks every offset, length, kind,
 * vlen, string offset and type id, and refuses type loops (a typedef or
 * array that reaches itself, a struct that holds itself by value), so
 * that the functions below need no checks of their own and always end.
 *
 * The API has the shape of debuginfo.h's type API; a type is a BTF type
 * id, a small value like struct po_type but of its own C type, so that
 * the two cannot be mixed up.
 */
#ifndef PO_BTF_H
#define PO_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "debuginfo/debuginfo.h"
#include "util/error.h"

struct po_btf;

/* A type in a BTF blob: its type id.  0 is "void". */
struct po_btf_type {
	uint32_t id;
};

/* BTF's own kinds, with the numbers of include/uapi/linux/btf.h. */
enum po_btf_kind {
	PO_BTF_VOID = 0,
	PO_BTF_INT = 1,
	PO_BTF_PTR = 2,
	PO_BTF_ARRAY = 3,
	PO_BTF_STRUCT = 4,
	PO_BTF_UNION = 5,
	PO_BTF_ENUM = 6,
	PO_BTF_FWD = 7,
	PO_BTF_TYPEDEF = 8,
	PO_BTF_VOLATILE = 9,
	PO_BTF_CONST = 10,
	PO_BTF_RESTRICT = 11,
	PO_BTF_FUNC = 12,
	PO_BTF_FUNC_PROTO = 13,
	PO_BTF_VAR = 14,
	PO_BTF_DATASEC = 15,
	PO_BTF_FLOAT = 16,
	PO_BTF_DECL_TAG = 17,
	PO_BTF_TYPE_TAG = 18,
	PO_BTF_ENUM64 = 19,
};

/**
 * struct po_btf_member - where a member sits inside its outermost struct
 * @type: the member's type
 * @bit_offset: offset in bits from the start of the outer struct
 * @bit_size: width for a bit-field, 0 otherwise
 * @byte_size: size of the member's type in bytes (0 for "x[]")
 */
struct po_btf_member {
	struct po_btf_type type;
	uint64_t bit_offset;
	uint64_t bit_size;
	uint64_t byte_size;
};

/**
 * struct po_btf_field - one direct member of a struct or union
 * @name: NULL for an anonymous struct or union member
 * @bit_offset: from the start of the type that holds it
 * @bit_size: width of a bit-field, 0 otherwise
 */
struct po_btf_field {
	const char *name;
	struct po_btf_type type;
	uint64_t bit_offset;
	uint64_t bit_size;
};

/**
 * struct po_btf_variable - a VAR and where its DATASEC puts it
 * @var: the VAR entry itself
 * @type: the variable's type
 * @section: the DATASEC's name (".data..percpu"), NULL if in none
 * @offset: from the start of @section
 * @size: the size the DATASEC gives it
 */
struct po_btf_variable {
	struct po_btf_type var;
	struct po_btf_type type;
	const char *section;
	uint64_t offset;
	uint64_t size;
};

/*
 * po_btf_open() - check and index the BTF blob of @size bytes at @data.
 * @name says where the blob came from in messages ("BTF in the dump at
 * 0x...").  The blob is copied: @data may be freed after the call.  Both
 * byte orders are read.  Split BTF (a module's, over vmlinux's) is not:
 * its type ids past its own fail as out of range.
 */
struct po_error *po_btf_open(const void *data, size_t size, const char *name,
			     struct po_btf **ret);
void po_btf_destroy(struct po_btf *btf);

const char *po_btf_name(const struct po_btf *btf);
/* Type ids run from 0 (void) to po_btf_nr_types() - 1. */
uint32_t po_btf_nr_types(const struct po_btf *btf);

/*
 * po_btf_type_find() - a type by C name, as po_type_find(): "struct
 * page", "union handle_parts", "enum pageflags", a typedef ("gfp_t") or a
 * base type ("unsigned long" is BTF's "long unsigned int").  Of several
 * types of one name, the first.  A hash lookup.
 */
struct po_error *po_btf_type_find(struct po_btf *btf, const char *name,
				  struct po_btf_type *ret);
/* BTF's kind of @type; PO_BTF_VOID for id 0. */
enum po_btf_kind po_btf_kind(struct po_btf *btf, struct po_btf_type type);
/* The kind as debuginfo.h sees types: INT and FLOAT are PO_TYPE_BASE... */
enum po_type_kind po_btf_type_kind(struct po_btf *btf, struct po_btf_type type);
/* The type's name without "struct " etc.; NULL if anonymous. */
const char *po_btf_type_name(struct po_btf *btf, struct po_btf_type type);
/* Size in bytes, through typedefs, qualifiers and arrays. */
struct po_error *po_btf_type_size(struct po_btf *btf, struct po_btf_type type,
				  uint64_t *ret);
/*
 * Strip typedefs, qualifiers and type tags; a FWD becomes the struct or
 * union of its name when the blob has one.
 */
struct po_btf_type po_btf_unqualified(struct po_btf *btf,
				      struct po_btf_type type);
/*
 * The pointed-to, element, underlying or tagged type; a VAR's type, a
 * FUNC's prototype, a FUNC_PROTO's return type.
 */
struct po_error *po_btf_type_target(struct po_btf *btf, struct po_btf_type type,
				    struct po_btf_type *ret);
/*
 * Number of elements of an array type (after stripping typedefs).  BTF
 * writes both "x[]" and "x[0]" as 0 elements.
 */
struct po_error *po_btf_array_length(struct po_btf *btf,
				     struct po_btf_type type, uint64_t *ret);
/* The encoding of an INT or FLOAT, or of an enum's values. */
enum po_encoding po_btf_encoding(struct po_btf *btf, struct po_btf_type type);
bool po_btf_is_signed(struct po_btf *btf, struct po_btf_type type);

/*
 * po_btf_member() - find @path ("handle", "hash_list.next") in a struct
 * or union, looking through anonymous members, as po_type_member().
 */
struct po_error *po_btf_member(struct po_btf *btf, struct po_btf_type type,
			       const char *path, struct po_btf_member *ret);
bool po_btf_has_member(struct po_btf *btf, struct po_btf_type type,
		       const char *path);
/* The members of a struct or union, in order; caller frees *ret. */
struct po_error *po_btf_fields(struct po_btf *btf, struct po_btf_type type,
			       struct po_btf_field **ret, size_t *nr);

/* The enumerators of an ENUM or ENUM64, in order; caller frees *ret. */
struct po_error *po_btf_enumerators(struct po_btf *btf, struct po_btf_type type,
				    struct po_enumerator **ret, size_t *nr);
/* Value of an enumerator by name, in whichever enum defines it. */
struct po_error *po_btf_enumerator(struct po_btf *btf, const char *name,
				   int64_t *ret);

/*
 * po_btf_variable() - a VAR by name.  The kernel's build asks pahole for
 * VARs of per-CPU variables only (scripts/Makefile.btf: "var" among
 * --btf_features, not "global_var"), in DATASEC
 * ".data..percpu": the offset is then the per-CPU offset.
 */
struct po_error *po_btf_variable(struct po_btf *btf, const char *name,
				 struct po_btf_variable *ret);

/*
 * po_btf_params() - parameter types of a FUNC_PROTO, caller frees *ret;
 * *variadic when it ends in "...".
 */
struct po_error *po_btf_params(struct po_btf *btf, struct po_btf_type type,
			       struct po_btf_type **ret, size_t *nr,
			       bool *variadic);

#endif /* PO_BTF_H */
