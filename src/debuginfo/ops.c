// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 2: debuginfo.h's interface, dispatched to the backend the object
 * was opened with (struct po_di_ops in internal.h).  Callers above never
 * learn whether types came from vmlinux's DWARF or the dump's BTF.
 */
#include "debuginfo/internal.h"

void po_debuginfo_destroy(struct po_debuginfo *dw)
{
	if (dw)
		dw->ops->destroy(dw);
}

const char *po_debuginfo_path(const struct po_debuginfo *dw)
{
	return dw->path;
}

bool po_debuginfo_is_vmlinux(const struct po_debuginfo *dw)
{
	return !dw->bt;
}

const char *po_debuginfo_build_id(const struct po_debuginfo *dw)
{
	return dw->build_id[0] ? dw->build_id : NULL;
}

const char *po_debuginfo_arch(const struct po_debuginfo *dw)
{
	return dw->ops->arch(dw);
}

struct po_error *po_debuginfo_symbol(struct po_debuginfo *dw, const char *name,
				     uint64_t *ret)
{
	return dw->ops->elf_symbol(dw, name, ret);
}

bool po_debuginfo_is_percpu_offset(const struct po_debuginfo *dw, uint64_t addr)
{
	return dw->ops->is_percpu_offset(dw, addr);
}

struct po_error *po_debuginfo_read_image(struct po_debuginfo *dw, uint64_t addr,
					 void *buf, size_t len)
{
	return dw->ops->read_image(dw, addr, buf, len);
}

struct po_error *po_debuginfo_find_string(struct po_debuginfo *dw,
					  const char *prefix,
					  const char *needle, const char **ret)
{
	return dw->ops->find_string(dw, prefix, needle, ret);
}

struct po_error *po_type_find(struct po_debuginfo *dw, const char *name,
			      struct po_type *ret)
{
	return dw->ops->type_find(dw, name, ret);
}

enum po_type_kind po_type_kind(struct po_debuginfo *dw, struct po_type type)
{
	return dw->ops->type_kind(dw, type);
}

const char *po_type_name(struct po_debuginfo *dw, struct po_type type)
{
	return dw->ops->type_name(dw, type);
}

struct po_error *po_type_size(struct po_debuginfo *dw, struct po_type type,
			      uint64_t *ret)
{
	return dw->ops->type_size(dw, type, ret);
}

struct po_type po_type_unqualified(struct po_debuginfo *dw, struct po_type type)
{
	return dw->ops->type_unqualified(dw, type);
}

struct po_error *po_type_target(struct po_debuginfo *dw, struct po_type type,
				struct po_type *ret)
{
	return dw->ops->type_target(dw, type, ret);
}

struct po_error *po_type_array_length(struct po_debuginfo *dw,
				      struct po_type type, uint64_t *ret)
{
	return dw->ops->type_array_length(dw, type, ret);
}

bool po_type_array_has_bound(struct po_debuginfo *dw, struct po_type type)
{
	return dw->ops->type_array_has_bound(dw, type);
}

bool po_type_is_signed(struct po_debuginfo *dw, struct po_type type)
{
	enum po_encoding enc = dw->ops->type_encoding(dw, type);

	return enc == PO_ENC_SIGNED || enc == PO_ENC_SIGNED_CHAR;
}

struct po_error *po_type_member(struct po_debuginfo *dw, struct po_type type,
				const char *path, struct po_member *ret)
{
	return dw->ops->type_member(dw, type, path, ret);
}

struct po_error *po_type_member_of(struct po_debuginfo *dw, const char *type,
				   const char *path, struct po_member *ret)
{
	struct po_error *err;
	struct po_type t;

	err = po_type_find(dw, type, &t);
	if (!err)
		err = po_type_member(dw, t, path, ret);
	return err ? po_error_prefix(err, "%s: ", type) : NULL;
}

bool po_type_has_member(struct po_debuginfo *dw, struct po_type type,
			const char *path)
{
	struct po_member m;
	struct po_error *err = dw->ops->type_member(dw, type, path, &m);

	po_error_destroy(err);
	return !err;
}

struct po_error *po_debuginfo_enumerator(struct po_debuginfo *dw,
					 const char *name, int64_t *ret)
{
	return dw->ops->enumerator(dw, name, ret);
}

struct po_error *po_debuginfo_variable(struct po_debuginfo *dw,
				       const char *name, const char *file,
				       struct po_variable *ret)
{
	return dw->ops->variable(dw, name, file, ret);
}

struct po_error *po_type_fields(struct po_debuginfo *dw, struct po_type type,
				struct po_field **ret, size_t *nr)
{
	return dw->ops->type_fields(dw, type, ret, nr);
}

struct po_error *po_type_enumerators(struct po_debuginfo *dw,
				     struct po_type type,
				     struct po_enumerator **ret, size_t *nr)
{
	return dw->ops->type_enumerators(dw, type, ret, nr);
}

struct po_error *po_type_params(struct po_debuginfo *dw, struct po_type type,
				struct po_type **ret, size_t *nr,
				bool *variadic)
{
	return dw->ops->type_params(dw, type, ret, nr, variadic);
}

enum po_encoding po_type_encoding(struct po_debuginfo *dw, struct po_type type)
{
	return dw->ops->type_encoding(dw, type);
}

const char *po_type_qualifier(struct po_debuginfo *dw, struct po_type type)
{
	return dw->ops->type_qualifier(dw, type);
}

struct po_error *po_debuginfo_variable_declaration(struct po_debuginfo *dw,
						   const char *name,
						   struct po_type *ret)
{
	return dw->ops->variable_declaration(dw, name, ret);
}

void po_debuginfo_names(
	struct po_debuginfo *dw, unsigned int kinds, const char *prefix,
	int (*fn)(void *arg, const char *name, unsigned int kind), void *arg)
{
	dw->ops->names(dw, kinds, prefix, fn, arg);
}
