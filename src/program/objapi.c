// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The public face of object.c for bindings: the same operations as
 * expressions have, taking the program rather than its layers, so that
 * pageowner.h stays the only interface the Python module needs.
 */
#include <stdlib.h>

#include "object/object.h"
#include "program/program.h"

struct po_error *po_object_lookup(struct po_program *prog, const char *name,
				  struct po_object *ret)
{
	return po_object_find(prog->mm, name, ret);
}

struct po_error *po_object_get_member(struct po_program *prog,
				      const struct po_object *obj,
				      const char *name, struct po_object *ret)
{
	struct po_debuginfo *dw = prog->dw;
	struct po_object target;
	struct po_error *err;

	/* drgn's obj.member works through one pointer; so does ours. */
	if (po_ctype_kind(dw, obj->type) != PO_TYPE_POINTER)
		return po_object_member(prog->mm, obj, name, ret);
	err = po_object_deref(prog->mm, obj, &target);
	return err ? err : po_object_member(prog->mm, &target, name, ret);
}

struct po_error *po_object_get_index(struct po_program *prog,
				     const struct po_object *obj, int64_t index,
				     struct po_object *ret)
{
	return po_object_subscript(prog->mm, obj, index, ret);
}

struct po_error *po_object_get_deref(struct po_program *prog,
				     const struct po_object *obj,
				     struct po_object *ret)
{
	return po_object_deref(prog->mm, obj, ret);
}

struct po_error *po_object_get_address(struct po_program *prog,
				       const struct po_object *obj,
				       struct po_object *ret)
{
	return po_object_address_of(prog->mm, obj, ret);
}

struct po_error *po_object_get_cast(struct po_program *prog,
				    const struct po_object *obj,
				    struct po_ctype type, struct po_object *ret)
{
	return po_object_cast(prog->mm, obj, type, ret);
}

struct po_error *po_object_get_value(struct po_program *prog,
				     const struct po_object *obj, uint64_t *ret)
{
	return po_object_value(prog->mm, obj, ret);
}

struct po_error *po_object_from_value(struct po_program *prog,
				      struct po_ctype type, uint64_t value,
				      struct po_object *ret)
{
	if (!po_ctype_is_scalar(prog->dw, type))
		return po_error_create(PO_ERR_INVALID,
				       "only an integer, enum, bool or pointer "
				       "type can hold a value");
	*ret = (struct po_object){ .type = type,
				   .kind = PO_OBJ_VALUE,
				   .value = value };
	return NULL;
}

struct po_error *po_ctype_lookup(struct po_program *prog, const char *text,
				 struct po_ctype *ret)
{
	return po_ctype_parse(prog->dw, text, ret);
}

struct po_error *po_ctype_format(struct po_program *prog, struct po_ctype type,
				 const char *inner, char **ret)
{
	return po_ctype_name(prog->dw, type, inner, ret);
}

struct po_error *po_ctype_sizeof(struct po_program *prog, struct po_ctype type,
				 uint64_t *ret)
{
	return po_ctype_size(prog->dw, type, ret);
}

static const char *base_kind(struct po_debuginfo *dw, struct po_type t)
{
	switch (po_type_encoding(dw, t)) {
	case PO_ENC_BOOL:
		return "bool";
	case PO_ENC_FLOAT:
		return "float";
	default:
		return "int";
	}
}

const char *po_ctype_kind_name(struct po_program *prog, struct po_ctype type)
{
	struct po_ctype s = po_ctype_strip(prog->dw, type);

	switch (po_ctype_kind(prog->dw, type)) {
	case PO_TYPE_BASE:
		return base_kind(prog->dw, s.base);
	case PO_TYPE_POINTER:
		return "pointer";
	case PO_TYPE_STRUCT:
		return "struct";
	case PO_TYPE_UNION:
		return "union";
	case PO_TYPE_ENUM:
		return "enum";
	case PO_TYPE_ARRAY:
		return "array";
	case PO_TYPE_FUNCTION:
		return "function";
	default:
		return "void";
	}
}

bool po_ctype_signed(struct po_program *prog, struct po_ctype type)
{
	return po_ctype_is_signed(prog->dw, type);
}

struct po_error *po_ctype_referenced(struct po_program *prog,
				     struct po_ctype type, struct po_ctype *ret)
{
	return po_ctype_target(prog->dw, type, ret);
}

bool po_ctype_length(struct po_program *prog, struct po_ctype type,
		     uint64_t *ret)
{
	struct po_ctype s = po_ctype_strip(prog->dw, type);
	struct po_error *err;

	if (s.ptrs || po_type_kind(prog->dw, s.base) != PO_TYPE_ARRAY ||
	    !po_type_array_has_bound(prog->dw, s.base))
		return false;
	err = po_type_array_length(prog->dw, s.base, ret);
	po_error_destroy(err);
	return !err;
}

struct po_error *po_ctype_members(struct po_program *prog, struct po_ctype type,
				  struct po_ctype_member **ret, size_t *nr)
{
	struct po_ctype s = po_ctype_strip(prog->dw, type);
	struct po_ctype_member *m;
	struct po_field *f;
	struct po_error *err;
	size_t i;

	if (s.ptrs)
		return po_error_create(PO_ERR_INVALID,
				       "a pointer has no members");
	err = po_type_fields(prog->dw, s.base, &f, nr);
	if (err)
		return err;
	m = calloc(*nr ? *nr : 1, sizeof(*m));
	if (!m) {
		free(f);
		return &po_enomem;
	}
	for (i = 0; i < *nr; i++)
		m[i] = (struct po_ctype_member){
			.name = f[i].name,
			.type = { .base = f[i].type },
			.bit_offset = f[i].bit_offset,
			.bit_size = f[i].bit_size,
		};
	free(f);
	*ret = m;
	return NULL;
}
