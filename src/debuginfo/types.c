// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 2: types, members, enumerators and variables from the DIEs. */
#define _GNU_SOURCE
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "debuginfo/internal.h"
#include "util/array.h"

/* ---- types ---- */

static struct po_error *get_die(struct po_debuginfo *dw, struct po_type type,
				Dwarf_Die *ret)
{
	if (!type.die || !dwarf_offdie(dw->dbg, type.die, ret))
		return po_error_create(PO_ERR_BAD_DATA,
				       "%s: no type DIE at offset 0x%llx",
				       dw->path, (unsigned long long)type.die);
	return NULL;
}

/* The DIE's DW_AT_type, or void (0) when it has none. */
static struct po_type die_type(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Die t;

	if (!dwarf_attr_integrate(die, DW_AT_type, &attr) ||
	    !dwarf_formref_die(&attr, &t))
		return (struct po_type){ 0 };
	return (struct po_type){ dwarf_dieoffset(&t) };
}

enum po_type_kind dw_type_kind(struct po_debuginfo *dw, struct po_type type)
{
	Dwarf_Die die;

	if (!type.die || !dwarf_offdie(dw->dbg, type.die, &die))
		return PO_TYPE_VOID;
	switch (dwarf_tag(&die)) {
	case DW_TAG_base_type:
		return PO_TYPE_BASE;
	case DW_TAG_pointer_type:
		return PO_TYPE_POINTER;
	case DW_TAG_structure_type:
		return PO_TYPE_STRUCT;
	case DW_TAG_union_type:
		return PO_TYPE_UNION;
	case DW_TAG_enumeration_type:
		return PO_TYPE_ENUM;
	case DW_TAG_typedef:
		return PO_TYPE_TYPEDEF;
	case DW_TAG_array_type:
		return PO_TYPE_ARRAY;
	case DW_TAG_subroutine_type:
		return PO_TYPE_FUNCTION;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		return PO_TYPE_QUALIFIER;
	default:
		return PO_TYPE_OTHER;
	}
}

const char *dw_type_name(struct po_debuginfo *dw, struct po_type type)
{
	Dwarf_Die die;

	if (!type.die || !dwarf_offdie(dw->dbg, type.die, &die))
		return NULL;
	return dwarf_diename(&die);
}

/*
 * A CU that only uses a pointer to a struct declares it ("struct
 * sched_class;"); the definition with members and size is in another CU.
 */
static struct po_type complete_type(struct po_debuginfo *dw,
				    struct po_type type)
{
	const struct index_entry *e;
	Dwarf_Die die;
	const char *name;
	int kind;

	if (!type.die || !dwarf_offdie(dw->dbg, type.die, &die) ||
	    !dwarf_hasattr(&die, DW_AT_declaration))
		return type;
	kind = po_dwarf_tag_kind(dwarf_tag(&die));
	name = dwarf_diename(&die);
	if (kind < 0 || !name)
		return type;
	e = po_dwarf_index_find(dw, kind, name, NULL);
	return e ? (struct po_type){ e->die } : type;
}

struct po_type dw_type_unqualified(struct po_debuginfo *dw, struct po_type type)
{
	int depth;

	for (depth = 0; depth < 64; depth++) {
		enum po_type_kind k = dw_type_kind(dw, type);
		Dwarf_Die die;

		if (k != PO_TYPE_TYPEDEF && k != PO_TYPE_QUALIFIER)
			break;
		if (!dwarf_offdie(dw->dbg, type.die, &die))
			break;
		type = die_type(&die);
	}
	return complete_type(dw, type);
}

struct po_error *dw_type_target(struct po_debuginfo *dw, struct po_type type,
				struct po_type *ret)
{
	Dwarf_Die die;
	struct po_error *err = get_die(dw, type, &die);

	if (err)
		return err;
	*ret = die_type(&die);
	return NULL;
}

struct po_error *dw_type_size(struct po_debuginfo *dw, struct po_type type,
			      uint64_t *ret)
{
	struct po_error *err;
	Dwarf_Die die;
	int size;

	type = dw_type_unqualified(dw, type);
	if (dw_type_kind(dw, type) == PO_TYPE_POINTER) {
		*ret = 8; /* LP64: every supported target */
		return NULL;
	}
	err = get_die(dw, type, &die);
	if (err)
		return err;
	/* dwarf_aggregate_size handles arrays (bounds times element). */
	{
		Dwarf_Word w;

		if (dwarf_aggregate_size(&die, &w) == 0) {
			*ret = w;
			return NULL;
		}
	}
	size = dwarf_bytesize(&die);
	if (size < 0)
		return po_error_create(PO_ERR_LOOKUP,
				       "%s: type '%s' has no size", dw->path,
				       dwarf_diename(&die) ?: "?");
	*ret = size;
	return NULL;
}

struct po_error *dw_type_array_length(struct po_debuginfo *dw,
				      struct po_type type, uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;
	Dwarf_Die die, sub;
	struct po_error *err;

	type = dw_type_unqualified(dw, type);
	err = get_die(dw, type, &die);
	if (err)
		return err;
	if (dwarf_tag(&die) != DW_TAG_array_type ||
	    dwarf_child(&die, &sub) != 0 ||
	    dwarf_tag(&sub) != DW_TAG_subrange_type)
		return po_error_create(PO_ERR_LOOKUP,
				       "%s: type at 0x%llx is not an array",
				       dw->path, (unsigned long long)type.die);
	if (dwarf_attr_integrate(&sub, DW_AT_count, &attr) &&
	    dwarf_formudata(&attr, &w) == 0) {
		*ret = w;
		return NULL;
	}
	if (dwarf_attr_integrate(&sub, DW_AT_upper_bound, &attr) &&
	    dwarf_formudata(&attr, &w) == 0) {
		*ret = w + 1;
		return NULL;
	}
	*ret = 0; /* flexible array member */
	return NULL;
}

bool dw_type_array_has_bound(struct po_debuginfo *dw, struct po_type type)
{
	Dwarf_Die die, sub;

	type = dw_type_unqualified(dw, type);
	if (!type.die || !dwarf_offdie(dw->dbg, type.die, &die) ||
	    dwarf_child(&die, &sub) != 0)
		return false;
	return dwarf_hasattr(&sub, DW_AT_count) ||
	       dwarf_hasattr(&sub, DW_AT_upper_bound);
}

static const struct {
	const char *prefix;
	enum index_kind kind;
} type_prefixes[] = {
	{ "struct ", IDX_STRUCT },
	{ "union ", IDX_UNION },
	{ "enum ", IDX_ENUM },
};

struct po_error *dw_type_find(struct po_debuginfo *dw, const char *name,
			      struct po_type *ret)
{
	const struct index_entry *e = NULL;
	size_t i, len = strlen(name);

	if (len > 2 && !strcmp(name + len - 2, " *")) {
		/* A pointer type is rarely named; we only need its size and
		 * target, so represent it by the target with kind pointer
		 * resolved by the caller.  Not supported here yet. */
		return po_error_create(
			PO_ERR_UNSUPPORTED,
			"pointer type names are not supported: '%s'", name);
	}
	for (i = 0; i < sizeof(type_prefixes) / sizeof(type_prefixes[0]); i++) {
		size_t plen = strlen(type_prefixes[i].prefix);

		if (!strncmp(name, type_prefixes[i].prefix, plen)) {
			e = po_dwarf_index_find(dw, type_prefixes[i].kind,
						name + plen, NULL);
			goto found;
		}
	}
	e = po_dwarf_index_find(dw, IDX_TYPEDEF, name, NULL);
	if (!e)
		e = po_dwarf_index_find(dw, IDX_BASE, name, NULL);
found:
	if (!e)
		return po_error_create(PO_ERR_LOOKUP,
				       "%s: no type '%s' in the debug info",
				       dw->path, name);
	ret->die = e->die;
	return NULL;
}

/* Bit offset of a member DIE within its parent (DWARF 4 and 5 styles). */
static struct po_error *member_bits(struct po_debuginfo *dw, Dwarf_Die *m,
				    uint64_t *bit_off, uint64_t *bit_size)
{
	Dwarf_Attribute attr;
	Dwarf_Word loc = 0, bs = 0, bo, byte_size;

	if (dwarf_attr(m, DW_AT_data_member_location, &attr) &&
	    dwarf_formudata(&attr, &loc) != 0)
		return po_dwarf_err(dw, "member location is not a constant");
	if (dwarf_attr(m, DW_AT_bit_size, &attr))
		dwarf_formudata(&attr, &bs);
	*bit_size = bs;
	if (dwarf_attr(m, DW_AT_data_bit_offset, &attr) &&
	    dwarf_formudata(&attr, &bo) == 0) {
		*bit_off = bo;
		return NULL;
	}
	*bit_off = loc * 8;
	if (bs && dwarf_attr(m, DW_AT_bit_offset, &attr) &&
	    dwarf_formudata(&attr, &bo) == 0) {
		/* DWARF 2-4: bit_offset counts from the MSB of the storage
		 * unit, whose size is the member's DW_AT_byte_size. */
		if (dwarf_attr(m, DW_AT_byte_size, &attr) &&
		    dwarf_formudata(&attr, &byte_size) == 0 && !dw->big_endian)
			*bit_off += byte_size * 8 - bo - bs;
		else
			*bit_off += bo;
	}
	return NULL;
}

static bool is_aggregate(int tag)
{
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type;
}

/* Find one path component @name (length @len) in the struct @agg, looking
 * through anonymous struct/union members.  Adds to *bit_off. */
static struct po_error *find_member(struct po_debuginfo *dw, Dwarf_Die *agg,
				    const char *name, size_t len,
				    Dwarf_Die *ret, uint64_t *bit_off,
				    uint64_t *bit_size, int depth)
{
	struct po_error *err;
	Dwarf_Die m;

	if (depth > 16 || dwarf_child(agg, &m) != 0)
		return po_error_create(PO_ERR_LOOKUP, "no member");
	do {
		const char *mname;
		uint64_t off, bs;

		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		mname = dwarf_diename(&m);
		err = member_bits(dw, &m, &off, &bs);
		if (err)
			return err;
		if (mname && strlen(mname) == len &&
		    !strncmp(mname, name, len)) {
			*ret = m;
			*bit_off += off;
			*bit_size = bs;
			return NULL;
		}
		if (!mname) {
			struct po_type t =
				dw_type_unqualified(dw, die_type(&m));
			Dwarf_Die sub;
			uint64_t sub_off = 0;

			if (!t.die || !dwarf_offdie(dw->dbg, t.die, &sub) ||
			    !is_aggregate(dwarf_tag(&sub)))
				continue;
			err = find_member(dw, &sub, name, len, ret, &sub_off,
					  bit_size, depth + 1);
			if (!err) {
				*bit_off += off + sub_off;
				return NULL;
			}
			po_error_destroy(err);
		}
	} while (dwarf_siblingof(&m, &m) == 0);
	return po_error_create(PO_ERR_LOOKUP, "no member");
}

struct po_error *dw_type_member(struct po_debuginfo *dw, struct po_type type,
				const char *path, struct po_member *ret)
{
	const char *p = path;
	uint64_t bit_off = 0, bit_size = 0;
	struct po_type cur = type;
	struct po_error *err;
	Dwarf_Die agg, m;

	for (;;) {
		size_t len = strcspn(p, ".");

		cur = dw_type_unqualified(dw, cur);
		if (!cur.die || !dwarf_offdie(dw->dbg, cur.die, &agg) ||
		    !is_aggregate(dwarf_tag(&agg)))
			return po_error_create(
				PO_ERR_LOOKUP,
				"%s: '%.*s' is not inside a struct or union (in '%s')",
				dw->path, (int)(p - path), path, path);
		err = find_member(dw, &agg, p, len, &m, &bit_off, &bit_size, 0);
		if (err) {
			po_error_destroy(err);
			return po_error_create(
				PO_ERR_LOOKUP, "%s: %s %s has no member '%s'",
				dw->path,
				dwarf_tag(&agg) == DW_TAG_union_type ? "union" :
								       "struct",
				dwarf_diename(&agg) ?: "(anonymous)", path);
		}
		cur = die_type(&m);
		if (!p[len])
			break;
		p += len + 1;
	}
	ret->type = cur;
	ret->bit_offset = bit_off;
	ret->bit_size = bit_size;
	err = dw_type_size(dw, cur, &ret->byte_size);
	if (err) {
		po_error_destroy(err);
		ret->byte_size = 0; /* a flexible array has no size */
	}
	return NULL;
}

/*
 * An enumerator's DW_AT_const_value.  GCC writes non-negative values with
 * DW_FORM_data1/2/4/8 and expects consumers to zero-extend them (its
 * gen_enumeration_type_die() says so); only negative ones get
 * DW_FORM_sdata.  dwarf_formsdata() sign-extends dataN, which read v6.12's
 * PGTY_buddy (0xf0, in a data1) as -16.
 */
static bool enumerator_value(Dwarf_Die *die, int64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Sword sv;
	Dwarf_Word uv;

	if (!dwarf_attr(die, DW_AT_const_value, &attr))
		return false;
	switch (dwarf_whatform(&attr)) {
	case DW_FORM_sdata:
	case DW_FORM_implicit_const:
		if (dwarf_formsdata(&attr, &sv) != 0)
			return false;
		*ret = sv;
		return true;
	default:
		if (dwarf_formudata(&attr, &uv) != 0)
			return false;
		*ret = (int64_t)uv;
		return true;
	}
}

struct po_error *dw_enumerator(struct po_debuginfo *dw, const char *name,
			       int64_t *ret)
{
	const struct index_entry *e =
		po_dwarf_index_find(dw, IDX_ENUMERATOR, name, NULL);
	Dwarf_Die die;
	int64_t v;

	if (!e)
		return po_error_create(
			PO_ERR_LOOKUP,
			"%s: no enumerator '%s' in the debug info", dw->path,
			name);
	if (!dwarf_offdie(dw->dbg, e->die, &die) || !enumerator_value(&die, &v))
		return po_dwarf_err(dw, name);
	*ret = v;
	return NULL;
}

static bool cu_matches(struct po_debuginfo *dw, uint64_t cu, const char *file)
{
	Dwarf_Die die;
	const char *name;
	size_t n, f;

	if (!file)
		return true;
	if (!dwarf_offdie(dw->dbg, cu, &die) || !(name = dwarf_diename(&die)))
		return false;
	n = strlen(name);
	f = strlen(file);
	return n >= f && !strcmp(name + n - f, file) &&
	       (n == f || name[n - f - 1] == '/');
}

static struct po_error *variable_address(struct po_debuginfo *dw,
					 Dwarf_Die *die, const char *name,
					 uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Op *expr;
	size_t len;

	Dwarf_Attribute addr_attr;
	Dwarf_Addr addr;

	if (!dwarf_attr(die, DW_AT_location, &attr) ||
	    dwarf_getlocation(&attr, &expr, &len) != 0 || len != 1)
		goto none;
	if (expr[0].atom == DW_OP_addr) {
		*ret = expr[0].number;
		return NULL;
	}
	/*
	 * clang's DWARF 5 (and split DWARF) names the address by its index
	 * in .debug_addr: DW_OP_addrx, or DW_OP_GNU_addr_index before v5.
	 */
	if ((expr[0].atom == DW_OP_addrx ||
	     expr[0].atom == DW_OP_GNU_addr_index) &&
	    dwarf_getlocation_attr(&attr, &expr[0], &addr_attr) == 0 &&
	    dwarf_formaddr(&addr_attr, &addr) == 0) {
		*ret = addr;
		return NULL;
	}
none:
	return po_error_create(PO_ERR_UNSUPPORTED,
			       "%s: variable '%s' has no static address",
			       dw->path, name);
}

struct po_error *dw_variable(struct po_debuginfo *dw, const char *name,
			     const char *file, struct po_variable *ret)
{
	const struct index_entry *e = NULL;
	Dwarf_Die die;

	while ((e = po_dwarf_index_find(dw, IDX_VARIABLE, name, e)))
		if (cu_matches(dw, e->cu, file))
			break;
	if (!e)
		return po_error_create(
			PO_ERR_LOOKUP,
			"%s: no variable '%s'%s%s in the debug info", dw->path,
			name, file ? " in " : "", file ? file : "");
	if (!dwarf_offdie(dw->dbg, e->die, &die))
		return po_dwarf_err(dw, name);
	ret->type = die_type(&die);
	return variable_address(dw, &die, name, &ret->address);
}

/* The children of @type's DIE with @tag, as an array of DIEs. */
static struct po_error *die_children(struct po_debuginfo *dw,
				     struct po_type type, int tag,
				     Dwarf_Die **ret, size_t *nr)
{
	Dwarf_Die die, child, *v = NULL;
	struct po_error *err = get_die(dw, type, &die);
	size_t n = 0, cap = 0;

	*ret = NULL;
	*nr = 0;
	if (err || dwarf_child(&die, &child) != 0)
		return err;
	do {
		if (dwarf_tag(&child) != tag)
			continue;
		v = po_array_grow(v, n, &cap, sizeof(*v), &err);
		if (err) {
			free(v);
			return err;
		}
		v[n++] = child;
	} while (dwarf_siblingof(&child, &child) == 0);
	*ret = v;
	*nr = n;
	return NULL;
}

struct po_error *dw_type_fields(struct po_debuginfo *dw, struct po_type type,
				struct po_field **ret, size_t *nr)
{
	struct po_field *f = NULL;
	struct po_error *err;
	Dwarf_Die *m;
	size_t i, n;

	type = dw_type_unqualified(dw, type);
	if (dw_type_kind(dw, type) != PO_TYPE_STRUCT &&
	    dw_type_kind(dw, type) != PO_TYPE_UNION)
		return po_error_create(
			PO_ERR_INVALID,
			"%s: type at 0x%llx is not a struct or union", dw->path,
			(unsigned long long)type.die);
	err = die_children(dw, type, DW_TAG_member, &m, &n);
	if (!err && n && !(f = calloc(n, sizeof(*f))))
		err = &po_enomem;
	for (i = 0; !err && i < n; i++) {
		f[i].name = dwarf_diename(&m[i]);
		f[i].type = die_type(&m[i]);
		err = member_bits(dw, &m[i], &f[i].bit_offset, &f[i].bit_size);
	}
	free(m);
	if (err) {
		free(f);
		return err;
	}
	*ret = f;
	*nr = n;
	return NULL;
}

struct po_error *dw_type_enumerators(struct po_debuginfo *dw,
				     struct po_type type,
				     struct po_enumerator **ret, size_t *nr)
{
	struct po_enumerator *e = NULL;
	struct po_error *err;
	Dwarf_Die *d;
	size_t i, n;

	type = dw_type_unqualified(dw, type);
	if (dw_type_kind(dw, type) != PO_TYPE_ENUM)
		return po_error_create(PO_ERR_INVALID,
				       "%s: type at 0x%llx is not an enum",
				       dw->path, (unsigned long long)type.die);
	err = die_children(dw, type, DW_TAG_enumerator, &d, &n);
	if (!err && n && !(e = calloc(n, sizeof(*e))))
		err = &po_enomem;
	for (i = 0; !err && i < n; i++) {
		int64_t v = 0;

		e[i].name = dwarf_diename(&d[i]);
		if (!enumerator_value(&d[i], &v))
			err = po_dwarf_err(dw, "enumerator value");
		e[i].value = v;
	}
	free(d);
	if (err) {
		free(e);
		return err;
	}
	*ret = e;
	*nr = n;
	return NULL;
}

struct po_error *dw_type_params(struct po_debuginfo *dw, struct po_type type,
				struct po_type **ret, size_t *nr,
				bool *variadic)
{
	struct po_type *t = NULL;
	struct po_error *err;
	Dwarf_Die *d, *rest;
	size_t i, n, nrest;

	err = die_children(dw, type, DW_TAG_formal_parameter, &d, &n);
	if (err)
		return err;
	err = die_children(dw, type, DW_TAG_unspecified_parameters, &rest,
			   &nrest);
	free(rest);
	if (!err && n && !(t = calloc(n, sizeof(*t))))
		err = &po_enomem;
	for (i = 0; !err && i < n; i++)
		t[i] = die_type(&d[i]);
	free(d);
	if (err)
		return err;
	*ret = t;
	*nr = n;
	*variadic = nrest > 0;
	return NULL;
}

enum po_encoding dw_type_encoding(struct po_debuginfo *dw, struct po_type type)
{
	Dwarf_Attribute attr;
	Dwarf_Word enc;
	Dwarf_Die die;

	type = dw_type_unqualified(dw, type);
	if (dw_type_kind(dw, type) == PO_TYPE_ENUM) {
		if (!dwarf_offdie(dw->dbg, type.die, &die))
			return PO_ENC_OTHER;
		type = die_type(&die);
		/* Old compilers give no underlying type: int-like. */
		if (!type.die)
			return PO_ENC_UNSIGNED;
	}
	if (!dwarf_offdie(dw->dbg, type.die, &die) ||
	    !dwarf_attr(&die, DW_AT_encoding, &attr) ||
	    dwarf_formudata(&attr, &enc) != 0)
		return PO_ENC_OTHER;
	switch (enc) {
	case DW_ATE_signed:
		return PO_ENC_SIGNED;
	case DW_ATE_unsigned:
		return PO_ENC_UNSIGNED;
	case DW_ATE_boolean:
		return PO_ENC_BOOL;
	case DW_ATE_float:
		return PO_ENC_FLOAT;
	case DW_ATE_signed_char:
		return PO_ENC_SIGNED_CHAR;
	case DW_ATE_unsigned_char:
		return PO_ENC_UNSIGNED_CHAR;
	}
	return PO_ENC_OTHER;
}

const char *dw_type_qualifier(struct po_debuginfo *dw, struct po_type type)
{
	Dwarf_Die die;

	if (!type.die || !dwarf_offdie(dw->dbg, type.die, &die))
		return "";
	switch (dwarf_tag(&die)) {
	case DW_TAG_const_type:
		return "const";
	case DW_TAG_volatile_type:
		return "volatile";
	case DW_TAG_restrict_type:
		return "restrict";
	case DW_TAG_atomic_type:
		return "_Atomic";
	}
	return "";
}

/* A top-level declaration of variable @name in @cudie's CU, if any. */
struct po_error *dw_variable_declaration(struct po_debuginfo *dw,
					 const char *name, struct po_type *ret)
{
	const struct index_entry *e =
		po_dwarf_index_find(dw, IDX_DECLARATION, name, NULL);
	Dwarf_Die die;

	if (e && dwarf_offdie(dw->dbg, e->die, &die)) {
		*ret = die_type(&die);
		return NULL;
	}
	return po_error_create(PO_ERR_LOOKUP,
			       "%s: no declaration of '%s' in the debug info",
			       dw->path, name);
}
