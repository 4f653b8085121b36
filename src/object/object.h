/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 3: typed objects in the dump (struct po_object, see pageowner.h),
 * the C semantics of member access, subscripts, pointers and casts, and C
 * spelling of types.  The expression parser (expr.c), the shell's print
 * and ptype, and the Python bindings all stand on these.
 */
#ifndef PO_OBJECT_H
#define PO_OBJECT_H

#include <stdio.h>

#include "xlat/mm.h"

/* Kind of @ct once typedefs and qualifiers are stripped. */
enum po_type_kind po_ctype_kind(struct po_debuginfo *dw, struct po_ctype ct);
/* @ct without typedefs and qualifiers at its top. */
struct po_ctype po_ctype_strip(struct po_debuginfo *dw, struct po_ctype ct);
/* The pointed-to or element type. */
struct po_error *po_ctype_target(struct po_debuginfo *dw, struct po_ctype ct,
				 struct po_ctype *ret);
struct po_error *po_ctype_size(struct po_debuginfo *dw, struct po_ctype ct,
			       uint64_t *ret);
/* Integer, enum, bool or pointer: what fits in po_object.value. */
bool po_ctype_is_scalar(struct po_debuginfo *dw, struct po_ctype ct);
bool po_ctype_is_signed(struct po_debuginfo *dw, struct po_ctype ct);
/* A pointer to @ct. */
struct po_ctype po_ctype_pointer(struct po_ctype ct);

/*
 * po_ctype_name() - @ct spelled in C around the declarator @inner
 * ("comm" gives "char comm[16]"; "" gives "char [16]").  Caller frees.
 */
struct po_error *po_ctype_name(struct po_debuginfo *dw, struct po_ctype ct,
			       const char *inner, char **ret);
/*
 * po_ctype_parse() - a C type name: "struct page *", "unsigned long",
 * "depot_stack_handle_t", "union handle_parts", "char **".
 */
struct po_error *po_ctype_parse(struct po_debuginfo *dw, const char *text,
				struct po_ctype *ret);

/* A named kernel variable, else an enumerator, else a bare symbol. */
struct po_error *po_object_find(struct po_mm *mm, const char *name,
				struct po_object *ret);
/* A computed value of type @type_name ("long", "unsigned long", "int"). */
struct po_error *po_object_integer(struct po_mm *mm, const char *type_name,
				   uint64_t value, struct po_object *ret);
/* The object of type @ct at @address. */
struct po_object po_object_at(struct po_ctype ct, uint64_t address);

/* Read an integer, enum, bool or pointer object as 64 bits. */
struct po_error *po_object_read_scalar(struct po_mm *mm,
				       const struct po_object *obj,
				       uint64_t *ret);
/* @obj as a number in an expression: arrays and functions decay to their
 * address, as in C. */
struct po_error *po_object_value(struct po_mm *mm, const struct po_object *obj,
				 uint64_t *ret);
/* @obj.@name (through anonymous members) of a struct or union. */
struct po_error *po_object_member(struct po_mm *mm, const struct po_object *obj,
				  const char *name, struct po_object *ret);
/* *@obj: a pointer's target, or an array's first element. */
struct po_error *po_object_deref(struct po_mm *mm, const struct po_object *obj,
				 struct po_object *ret);
/* @obj[@index] of an array or pointer. */
struct po_error *po_object_subscript(struct po_mm *mm,
				     const struct po_object *obj, int64_t index,
				     struct po_object *ret);
/* &@obj */
struct po_error *po_object_address_of(struct po_mm *mm,
				      const struct po_object *obj,
				      struct po_object *ret);
/* (@ct)@obj: converts scalars; reinterprets objects in memory. */
struct po_error *po_object_cast(struct po_mm *mm, const struct po_object *obj,
				struct po_ctype ct, struct po_object *ret);

#endif /* PO_OBJECT_H */
