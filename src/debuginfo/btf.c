// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 2: the kernel's BTF (see btf.h).  The format is the kernel's
 * include/uapi/linux/btf.h and Documentation/bpf/btf.rst: a header, a
 * type section of variable-length records numbered from 1, and a string
 * section of NUL-terminated names.
 *
 * Opening checks the whole blob once, the way the kernel's own verifier
 * does, so that every later access is in bounds and every walk along
 * type references ends: records fit their section, kinds and vlens are
 * known, names are inside the string section, type ids exist, and no
 * chain of references that needs a size (typedefs, qualifiers, array
 * elements, members by value) comes back to where it started.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "debuginfo/btf.h"
#include "util/array.h"
#include "util/hashidx.h"

#define BTF_MAGIC 0xeb9f
#define BTF_HDR_LEN 24
#define BTF_TYPE_LEN 12 /* name_off, info, size or type */
/* The kernel's limit (BTF_MAX_TYPE): ids have 20 bits in places. */
#define BTF_MAX_TYPES 0xfffff
/* How deep po_btf_member() looks into anonymous members. */
#define MAX_ANON_DEPTH 32
/* Members one po_btf_member() step may look at; real structs have <1000. */
#define MAX_MEMBER_SEARCH (1u << 20)
/*
 * How deep types may nest by value.  The kernel refuses more than 32
 * (MAX_RESOLVE_DEPTH) when it checks its own BTF at boot; past ours,
 * chains of typedefs would make every call that strips them slow.
 */
#define MAX_NESTING 64

/* INT's extra word */
#define INT_ENCODING(v) (((v) >> 24) & 0x0f)
#define INT_OFFSET(v) (((v) >> 16) & 0xff)
#define INT_BITS(v) ((v)&0xff)
#define INT_SIGNED 1
#define INT_CHAR 2
#define INT_BOOL 4

/* What a name is indexed as: one name can be a struct and a typedef. */
enum name_class {
	NC_STRUCT,
	NC_UNION,
	NC_ENUM,
	NC_TYPEDEF,
	NC_BASE,
	NC_FWD_STRUCT,
	NC_FWD_UNION,
	NC_VAR,
	NC_ENUMERATOR,
};

struct name_entry {
	uint32_t name_off;
	uint32_t id;
	uint32_t index; /* of an enumerator in its enum */
	uint8_t class;
};

/* A VAR's place in a DATASEC, sorted by var for bsearch(). */
struct var_loc {
	uint32_t var, sec, offset, size;
};

struct po_btf {
	char *name;
	uint8_t *data; /* our copy of the blob */
	bool swap; /* the blob's byte order is not ours */
	const uint8_t *types;
	uint32_t types_len;
	uint64_t types_pos; /* in the blob, for messages */
	const char *strs;
	uint32_t strs_len;
	uint32_t *offs; /* type id -> offset in types; offs[0] unused */
	uint32_t nr; /* ids 0 .. nr - 1 */
	size_t cap_offs;
	struct name_entry *names;
	size_t nr_names, cap_names;
	struct po_hashidx idx;
	struct var_loc *vars;
	size_t nr_vars, cap_vars;
	uint32_t ptr_size;
};

/* One type record, read in our byte order. */
struct rec {
	uint32_t name_off;
	uint32_t kind;
	uint32_t vlen;
	bool kflag;
	uint32_t size_type; /* size or type, by kind */
	const uint8_t *extra; /* what follows the 12 bytes */
};

static const char *const kind_names[] = {
	[PO_BTF_VOID] = "void",		[PO_BTF_INT] = "int",
	[PO_BTF_PTR] = "ptr",		[PO_BTF_ARRAY] = "array",
	[PO_BTF_STRUCT] = "struct",	[PO_BTF_UNION] = "union",
	[PO_BTF_ENUM] = "enum",		[PO_BTF_FWD] = "fwd",
	[PO_BTF_TYPEDEF] = "typedef",	[PO_BTF_VOLATILE] = "volatile",
	[PO_BTF_CONST] = "const",	[PO_BTF_RESTRICT] = "restrict",
	[PO_BTF_FUNC] = "func",		[PO_BTF_FUNC_PROTO] = "func_proto",
	[PO_BTF_VAR] = "var",		[PO_BTF_DATASEC] = "datasec",
	[PO_BTF_FLOAT] = "float",	[PO_BTF_DECL_TAG] = "decl_tag",
	[PO_BTF_TYPE_TAG] = "type_tag", [PO_BTF_ENUM64] = "enum64",
};

/* ---- reading the blob ---- */

static uint32_t rd32(const struct po_btf *btf, const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return btf->swap ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(const struct po_btf *btf, const void *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return btf->swap ? __builtin_bswap16(v) : v;
}

/* @off was checked to hold a whole record (index_types()). */
static struct rec rec_at(const struct po_btf *btf, uint32_t off)
{
	const uint8_t *p = btf->types + off;
	uint32_t info = rd32(btf, p + 4);

	return (struct rec){
		.name_off = rd32(btf, p),
		.kind = (info >> 24) & 0x1f,
		.vlen = info & 0xffff,
		.kflag = info >> 31,
		.size_type = rd32(btf, p + 8),
		.extra = p + BTF_TYPE_LEN,
	};
}

/* Callers pass ids below btf->nr: checked at open, or by valid_id(). */
static struct rec get(const struct po_btf *btf, uint32_t id)
{
	if (!id)
		return (struct rec){ .kind = PO_BTF_VOID };
	return rec_at(btf, btf->offs[id]);
}

/* The i-th u32 of a record's extra data. */
static uint32_t extra32(const struct po_btf *btf, const struct rec *r, size_t i)
{
	return rd32(btf, r->extra + 4 * i);
}

/* Every string offset was checked; the section ends in a NUL. */
static const char *str(const struct po_btf *btf, uint32_t off)
{
	return btf->strs + off;
}

static const char *kind_name(uint32_t kind)
{
	return kind < sizeof(kind_names) / sizeof(kind_names[0]) ?
		       kind_names[kind] :
		       "unknown";
}

static bool valid_id(const struct po_btf *btf, struct po_btf_type t)
{
	return t.id < btf->nr;
}

static struct po_error *bad_id(const struct po_btf *btf, struct po_btf_type t)
{
	return po_error_create(PO_ERR_INVALID,
			       "%s: no type id %u (the last is %u)", btf->name,
			       t.id, btf->nr - 1);
}

/* "type id 5 (struct 'page', at 0x1234)" for messages. */
static struct po_error *type_error(const struct po_btf *btf, uint32_t id,
				   enum po_error_code code, const char *what)
{
	struct rec r = get(btf, id);
	unsigned long long at = id ? btf->types_pos + btf->offs[id] : 0;
	/* Its own name offset may be what is wrong. */
	const char *name = r.name_off < btf->strs_len ? str(btf, r.name_off) :
							"?";

	return po_error_create(code, "%s: type id %u (%s '%s', at 0x%llx): %s",
			       btf->name, id, kind_name(r.kind), name, at,
			       what);
}

/* ---- the header ---- */

/* A malformed blob, named in the message. */
#define bad_blob(btf, fmt, ...) \
	po_error_create(PO_ERR_FORMAT, "%s: " fmt, (btf)->name, ##__VA_ARGS__)

/*
 * Header fields past the ones we know must be 0: the kernel refuses
 * them too, since a reader that ignored them would misread the blob.
 */
static bool tail_is_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

static struct po_error *check_section(const struct po_btf *btf,
				      const char *what, uint32_t off,
				      uint32_t len, uint64_t room)
{
	if ((uint64_t)off + len <= room)
		return NULL;
	return bad_blob(
		btf,
		"the %s section (offset 0x%x, 0x%x bytes) ends past the blob's 0x%llx bytes after the header",
		what, off, len, (unsigned long long)room);
}

/* Magic (which also gives the byte order), version, flags, length. */
static struct po_error *read_magic(struct po_btf *btf, const uint8_t *p,
				   size_t size, uint32_t *hdr_len)
{
	uint16_t magic;

	if (size < BTF_HDR_LEN)
		return bad_blob(btf, "truncated header: %zu bytes, need %d",
				size, BTF_HDR_LEN);
	memcpy(&magic, p, 2);
	if (magic == __builtin_bswap16(BTF_MAGIC))
		btf->swap = true;
	else if (magic != BTF_MAGIC)
		return bad_blob(btf, "bad magic 0x%04x, not 0x%04x",
				rd16(btf, p), BTF_MAGIC);
	if (p[2] != 1)
		return po_error_create(PO_ERR_UNSUPPORTED,
				       "%s: BTF version %u, only 1 is known",
				       btf->name, p[2]);
	if (p[3])
		return po_error_create(PO_ERR_UNSUPPORTED,
				       "%s: unknown header flags 0x%x",
				       btf->name, p[3]);
	*hdr_len = rd32(btf, p + 4);
	if (*hdr_len < BTF_HDR_LEN || *hdr_len > size)
		return bad_blob(
			btf,
			"header length %u outside 24 .. %zu (the blob's size)",
			*hdr_len, size);
	if (!tail_is_zero(p + BTF_HDR_LEN, *hdr_len - BTF_HDR_LEN))
		return po_error_create(
			PO_ERR_UNSUPPORTED,
			"%s: header of %u bytes has unknown nonzero fields past byte 24",
			btf->name, *hdr_len);
	return NULL;
}

static struct po_error *read_header(struct po_btf *btf, const uint8_t *p,
				    size_t size)
{
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	struct po_error *err = read_magic(btf, p, size, &hdr_len);

	if (err)
		return err;
	type_off = rd32(btf, p + 8);
	type_len = rd32(btf, p + 12);
	str_off = rd32(btf, p + 16);
	str_len = rd32(btf, p + 20);
	err = check_section(btf, "type", type_off, type_len, size - hdr_len);
	if (!err)
		err = check_section(btf, "string", str_off, str_len,
				    size - hdr_len);
	if (err)
		return err;
	if ((uint64_t)type_off + type_len > str_off &&
	    (uint64_t)str_off + str_len > type_off && type_len && str_len)
		return bad_blob(
			btf,
			"the type and string sections overlap (at 0x%x and 0x%x)",
			type_off, str_off);
	btf->types = p + hdr_len + type_off;
	btf->types_len = type_len;
	btf->types_pos = (uint64_t)hdr_len + type_off;
	btf->strs = (const char *)p + hdr_len + str_off;
	btf->strs_len = str_len;
	/* Offset 0 is the empty name; a NUL at the end bounds every name. */
	if (!str_len || btf->strs[0] || btf->strs[str_len - 1])
		return bad_blob(
			btf,
			"the string section (0x%x bytes at 0x%llx) does not start and end with a NUL",
			str_len, (unsigned long long)hdr_len + str_off);
	return NULL;
}

/* ---- pass 1: find each record, check its own fields ---- */

/* Bytes that follow the 12-byte head of a record of @kind. */
static bool extra_size(uint32_t kind, uint32_t vlen, size_t *ret)
{
	switch (kind) {
	case PO_BTF_INT:
	case PO_BTF_VAR:
	case PO_BTF_DECL_TAG:
		*ret = 4;
		return true;
	case PO_BTF_PTR:
	case PO_BTF_FWD:
	case PO_BTF_TYPEDEF:
	case PO_BTF_VOLATILE:
	case PO_BTF_CONST:
	case PO_BTF_RESTRICT:
	case PO_BTF_FUNC:
	case PO_BTF_FLOAT:
	case PO_BTF_TYPE_TAG:
		*ret = 0;
		return true;
	case PO_BTF_ARRAY:
		*ret = 12;
		return true;
	case PO_BTF_STRUCT:
	case PO_BTF_UNION:
	case PO_BTF_ENUM64:
	case PO_BTF_DATASEC:
		*ret = 12 * (size_t)vlen;
		return true;
	case PO_BTF_ENUM:
	case PO_BTF_FUNC_PROTO:
		*ret = 8 * (size_t)vlen;
		return true;
	}
	return false;
}

/* Kinds whose vlen counts entries; FUNC's holds its linkage. */
static bool has_vlen(uint32_t kind)
{
	switch (kind) {
	case PO_BTF_STRUCT:
	case PO_BTF_UNION:
	case PO_BTF_ENUM:
	case PO_BTF_ENUM64:
	case PO_BTF_FUNC_PROTO:
	case PO_BTF_DATASEC:
	case PO_BTF_FUNC:
		return true;
	}
	return false;
}

static struct po_error *check_name(const struct po_btf *btf, uint32_t id,
				   uint32_t name_off, const char *what)
{
	char buf[96];

	if (name_off < btf->strs_len)
		return NULL;
	snprintf(buf, sizeof(buf),
		 "%s name offset 0x%x is past the string section's 0x%x bytes",
		 what, name_off, btf->strs_len);
	return type_error(btf, id, PO_ERR_FORMAT, buf);
}

static struct po_error *check_int(const struct po_btf *btf, uint32_t id,
				  const struct rec *r)
{
	uint32_t v = extra32(btf, r, 0), enc = INT_ENCODING(v);

	if (r->size_type < 1 || r->size_type > 16 || INT_BITS(v) > 128 ||
	    INT_OFFSET(v) + INT_BITS(v) > 8 * r->size_type)
		return type_error(btf, id, PO_ERR_FORMAT,
				  "bits do not fit its size");
	if (enc && enc != INT_SIGNED && enc != INT_CHAR && enc != INT_BOOL)
		return type_error(btf, id, PO_ERR_FORMAT, "unknown encoding");
	return NULL;
}

static bool enum_size_ok(uint32_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/* Names of members, enumerators and parameters; not of DATASEC's. */
static struct po_error *check_entry_names(const struct po_btf *btf, uint32_t id,
					  const struct rec *r)
{
	size_t stride;
	uint32_t i;

	switch (r->kind) {
	case PO_BTF_STRUCT:
	case PO_BTF_UNION:
	case PO_BTF_ENUM64:
		stride = 12;
		break;
	case PO_BTF_ENUM:
	case PO_BTF_FUNC_PROTO:
		stride = 8;
		break;
	default:
		return NULL;
	}
	for (i = 0; i < r->vlen; i++) {
		struct po_error *err =
			check_name(btf, id, rd32(btf, r->extra + stride * i),
				   "an entry's");

		if (err)
			return err;
	}
	return NULL;
}

/* Member offsets must lie inside the struct. */
static struct po_error *check_members(const struct po_btf *btf, uint32_t id,
				      const struct rec *r)
{
	uint64_t bits = 8 * (uint64_t)r->size_type;
	uint32_t i;

	for (i = 0; i < r->vlen; i++) {
		uint32_t off = extra32(btf, r, 3 * i + 2);
		uint64_t at = r->kflag ? off & 0xffffff : off;
		uint64_t width = r->kflag ? off >> 24 : 0;
		char buf[96];

		if (at + width <= bits)
			continue;
		snprintf(buf, sizeof(buf),
			 "member %u at bit %llu (+%llu) is past its %u bytes",
			 i, (unsigned long long)at, (unsigned long long)width,
			 r->size_type);
		return type_error(btf, id, PO_ERR_FORMAT, buf);
	}
	return NULL;
}

static struct po_error *check_record(const struct po_btf *btf, uint32_t id,
				     const struct rec *r)
{
	struct po_error *err = check_name(btf, id, r->name_off, "its");

	if (!err && !has_vlen(r->kind) && r->vlen)
		err = type_error(btf, id, PO_ERR_FORMAT,
				 "vlen is not 0 for its kind");
	if (err)
		return err;
	switch (r->kind) {
	case PO_BTF_INT:
		return check_int(btf, id, r);
	case PO_BTF_ENUM:
	case PO_BTF_ENUM64:
		if (!enum_size_ok(r->size_type))
			return type_error(btf, id, PO_ERR_FORMAT,
					  "enum size is not 1, 2, 4 or 8");
		break;
	case PO_BTF_STRUCT:
	case PO_BTF_UNION:
		err = check_members(btf, id, r);
		break;
	case PO_BTF_FUNC:
		if (r->vlen > 2)
			return type_error(btf, id, PO_ERR_FORMAT,
					  "unknown function linkage");
		break;
	}
	return err ?: check_entry_names(btf, id, r);
}

static struct po_error *index_one(struct po_btf *btf, uint32_t off,
				  uint32_t *len)
{
	struct po_error *err = NULL;
	uint32_t id = btf->nr;
	struct rec r;
	size_t extra;

	if (btf->types_len - off < BTF_TYPE_LEN)
		return bad_blob(
			btf,
			"type id %u at 0x%llx is cut short by the end of the type section at 0x%llx",
			btf->nr, (unsigned long long)(btf->types_pos + off),
			(unsigned long long)(btf->types_pos + btf->types_len));
	r = rec_at(btf, off);
	if (!extra_size(r.kind, r.vlen, &extra))
		return po_error_create(
			PO_ERR_FORMAT,
			"%s: type id %u at 0x%llx: unknown kind %u", btf->name,
			id, (unsigned long long)(btf->types_pos + off), r.kind);
	if (btf->types_len - off - BTF_TYPE_LEN < extra)
		return po_error_create(
			PO_ERR_FORMAT,
			"%s: type id %u (%s) at 0x%llx: its %zu bytes of entries run past the end of the type section at 0x%llx",
			btf->name, id, kind_name(r.kind),
			(unsigned long long)(btf->types_pos + off), extra,
			(unsigned long long)(btf->types_pos + btf->types_len));
	if (id >= BTF_MAX_TYPES)
		return bad_blob(btf, "more than %d types (at 0x%llx)",
				BTF_MAX_TYPES,
				(unsigned long long)(btf->types_pos + off));
	btf->offs = po_array_grow(btf->offs, btf->nr, &btf->cap_offs,
				  sizeof(*btf->offs), &err);
	if (err)
		return err;
	btf->offs[btf->nr++] = off;
	*len = BTF_TYPE_LEN + extra;
	return check_record(btf, id, &r);
}

static struct po_error *index_types(struct po_btf *btf)
{
	struct po_error *err = NULL;
	uint32_t off = 0, len;

	/* Id 0 is void and has no record. */
	btf->offs = po_array_grow(NULL, 0, &btf->cap_offs, sizeof(*btf->offs),
				  &err);
	if (err)
		return err;
	btf->offs[0] = 0;
	btf->nr = 1;
	while (off < btf->types_len) {
		err = index_one(btf, off, &len);
		if (err)
			return err;
		off += len;
	}
	return NULL;
}

/* ---- pass 2: type ids, and names into the hash index ---- */

struct name_key {
	const struct po_btf *btf;
	const char *name;
	uint8_t class;
};

static uint64_t name_hash(const char *name, uint8_t class)
{
	return po_hash_bytes(name, strlen(name)) + class;
}

static bool name_eq(const void *arg, size_t i)
{
	const struct name_key *k = arg;
	const struct name_entry *e = &k->btf->names[i];

	return e->class == k->class &&
	       !strcmp(str(k->btf, e->name_off), k->name);
}

static const struct name_entry *lookup(const struct po_btf *btf, uint8_t class,
				       const char *name)
{
	struct name_key k = { btf, name, class };
	size_t i =
		po_hashidx_find(&btf->idx, name_hash(name, class), name_eq, &k);

	return i == SIZE_MAX ? NULL : &btf->names[i];
}

/* Of several types of one name, the first (lowest id) is kept. */
static struct po_error *add_name(struct po_btf *btf, uint8_t class,
				 uint32_t name_off, uint32_t id, uint32_t nth)
{
	const char *name = str(btf, name_off);
	struct po_error *err = NULL;

	if (!*name || lookup(btf, class, name))
		return NULL;
	btf->names = po_array_grow(btf->names, btf->nr_names, &btf->cap_names,
				   sizeof(*btf->names), &err);
	if (err)
		return err;
	btf->names[btf->nr_names] = (struct name_entry){
		.name_off = name_off,
		.id = id,
		.index = nth,
		.class = class,
	};
	err = po_hashidx_insert(&btf->idx, name_hash(name, class),
				btf->nr_names);
	if (!err)
		btf->nr_names++;
	return err;
}

static int name_class(const struct rec *r)
{
	switch (r->kind) {
	case PO_BTF_STRUCT:
		return NC_STRUCT;
	case PO_BTF_UNION:
		return NC_UNION;
	case PO_BTF_ENUM:
	case PO_BTF_ENUM64:
		return NC_ENUM;
	case PO_BTF_TYPEDEF:
		return NC_TYPEDEF;
	case PO_BTF_INT:
	case PO_BTF_FLOAT:
		return NC_BASE;
	case PO_BTF_FWD:
		return r->kflag ? NC_FWD_UNION : NC_FWD_STRUCT;
	case PO_BTF_VAR:
		return NC_VAR;
	}
	return -1;
}

static struct po_error *add_names(struct po_btf *btf, uint32_t id,
				  const struct rec *r)
{
	int class = name_class(r);
	struct po_error *err;
	uint32_t i;

	if (class < 0)
		return NULL;
	err = add_name(btf, class, r->name_off, id, 0);
	if (r->kind != PO_BTF_ENUM && r->kind != PO_BTF_ENUM64)
		return err;
	for (i = 0; !err && i < r->vlen; i++) {
		size_t stride = r->kind == PO_BTF_ENUM ? 2 : 3;

		err = add_name(btf, NC_ENUMERATOR, extra32(btf, r, stride * i),
			       id, i);
	}
	return err;
}

static struct po_error *check_ref(const struct po_btf *btf, uint32_t id,
				  uint32_t ref, const char *what)
{
	char buf[128];

	if (ref < btf->nr)
		return NULL;
	snprintf(buf, sizeof(buf), "%s type id %u is past the last type, %u",
		 what, ref, btf->nr - 1);
	return type_error(btf, id, PO_ERR_FORMAT, buf);
}

/* What a record refers to: a single type, or one per entry. */
static struct po_error *check_refs(const struct po_btf *btf, uint32_t id,
				   const struct rec *r)
{
	struct po_error *err = NULL;
	uint32_t i;

	switch (r->kind) {
	case PO_BTF_PTR:
	case PO_BTF_TYPEDEF:
	case PO_BTF_VOLATILE:
	case PO_BTF_CONST:
	case PO_BTF_RESTRICT:
	case PO_BTF_TYPE_TAG:
	case PO_BTF_FUNC:
	case PO_BTF_VAR:
	case PO_BTF_DECL_TAG:
	case PO_BTF_FUNC_PROTO:
		err = check_ref(btf, id, r->size_type, "its target");
		break;
	case PO_BTF_ARRAY:
		err = check_ref(btf, id, extra32(btf, r, 0), "its element");
		if (!err)
			err = check_ref(btf, id, extra32(btf, r, 1),
					"its index");
		break;
	}
	for (i = 0; !err && i < r->vlen; i++) {
		if (r->kind == PO_BTF_STRUCT || r->kind == PO_BTF_UNION)
			err = check_ref(btf, id, extra32(btf, r, 3 * i + 1),
					"a member's");
		else if (r->kind == PO_BTF_FUNC_PROTO)
			err = check_ref(btf, id, extra32(btf, r, 2 * i + 1),
					"a parameter's");
		else if (r->kind == PO_BTF_DATASEC)
			err = check_ref(btf, id, extra32(btf, r, 3 * i),
					"a variable's");
	}
	return err;
}

/* A DATASEC's entries are VARs (or FUNCs, in BPF objects) inside it. */
static struct po_error *add_datasec(struct po_btf *btf, uint32_t id,
				    const struct rec *r)
{
	struct po_error *err = NULL;
	uint32_t i;

	for (i = 0; i < r->vlen; i++) {
		uint32_t var = extra32(btf, r, 3 * i);
		uint32_t off = extra32(btf, r, 3 * i + 1);
		uint32_t size = extra32(btf, r, 3 * i + 2);

		if ((uint64_t)off + size > r->size_type && r->size_type) {
			char buf[96];

			snprintf(
				buf, sizeof(buf),
				"variable %u at 0x%x (+0x%x) is past its 0x%x bytes",
				i, off, size, r->size_type);
			return type_error(btf, id, PO_ERR_FORMAT, buf);
		}
		if (get(btf, var).kind != PO_BTF_VAR)
			continue;
		btf->vars = po_array_grow(btf->vars, btf->nr_vars,
					  &btf->cap_vars, sizeof(*btf->vars),
					  &err);
		if (err)
			return err;
		btf->vars[btf->nr_vars++] =
			(struct var_loc){ var, id, off, size };
	}
	return NULL;
}

static int var_cmp(const void *a, const void *b)
{
	const struct var_loc *x = a, *y = b;

	if (x->var != y->var)
		return x->var < y->var ? -1 : 1;
	return x->sec < y->sec ? -1 : x->sec > y->sec;
}

static struct po_error *link_types(struct po_btf *btf)
{
	struct po_error *err = NULL;
	uint32_t id;

	for (id = 1; !err && id < btf->nr; id++) {
		struct rec r = get(btf, id);

		err = check_refs(btf, id, &r);
		if (!err)
			err = add_names(btf, id, &r);
		if (!err && r.kind == PO_BTF_DATASEC)
			err = add_datasec(btf, id, &r);
	}
	if (!err && btf->nr_vars)
		qsort(btf->vars, btf->nr_vars, sizeof(*btf->vars), var_cmp);
	return err;
}

/* ---- pass 3: no loops through references that need a size ---- */

/*
 * The @k-th type that @id holds by value: what its size depends on.  A
 * pointer, a function's prototype or a tag's target are not, so the
 * loops of every linked list (list_head.next) are fine.
 */
static bool value_edge(const struct po_btf *btf, uint32_t id, uint32_t k,
		       uint32_t *ret)
{
	struct rec r = get(btf, id);

	switch (r.kind) {
	case PO_BTF_TYPEDEF:
	case PO_BTF_VOLATILE:
	case PO_BTF_CONST:
	case PO_BTF_RESTRICT:
	case PO_BTF_TYPE_TAG:
	case PO_BTF_VAR:
		*ret = r.size_type;
		return k == 0;
	case PO_BTF_ARRAY:
		*ret = extra32(btf, &r, 0);
		return k == 0;
	case PO_BTF_STRUCT:
	case PO_BTF_UNION:
		if (k >= r.vlen)
			return false;
		*ret = extra32(btf, &r, 3 * k + 1);
		return true;
	case PO_BTF_DATASEC:
		if (k >= r.vlen)
			return false;
		*ret = extra32(btf, &r, 3 * k);
		return true;
	}
	return false;
}

enum { WHITE, GREY, BLACK };

struct dfs {
	uint8_t *color;
	uint32_t *id, *k; /* the path from the root */
	uint32_t depth;
};

/* Names the loop: the ids from where it starts back to itself. */
static struct po_error *loop_error(const struct po_btf *btf,
				   const struct dfs *d, uint32_t to)
{
	char path[256] = "";
	size_t len = 0;
	uint32_t i = d->depth;

	while (i > 0 && d->id[i - 1] != to)
		i--;
	for (i = i ? i - 1 : 0; i < d->depth && len < sizeof(path) - 32; i++)
		len += snprintf(path + len, sizeof(path) - len, "%u -> ",
				d->id[i]);
	if (len >= sizeof(path) - 32)
		len += snprintf(path + len, sizeof(path) - len, "... -> ");
	snprintf(path + len, sizeof(path) - len, "%u", to);
	return po_error_create(
		PO_ERR_FORMAT,
		"%s: type loop: %s '%s' (id %u) refers back to itself: %s",
		btf->name, kind_name(get(btf, to).kind),
		str(btf, get(btf, to).name_off), to, path);
}

/* Depth-first from @root with an explicit stack: chains can be long. */
static struct po_error *dfs_from(const struct po_btf *btf, struct dfs *d,
				 uint32_t root)
{
	d->id[0] = root;
	d->k[0] = 0;
	d->color[root] = GREY;
	d->depth = 1;
	while (d->depth) {
		uint32_t top = d->id[d->depth - 1], next;

		if (!value_edge(btf, top, d->k[d->depth - 1]++, &next)) {
			d->color[top] = BLACK;
			d->depth--;
			continue;
		}
		if (!next || d->color[next] == BLACK)
			continue;
		if (d->color[next] == GREY)
			return loop_error(btf, d, next);
		if (d->depth >= MAX_NESTING)
			return type_error(btf, root, PO_ERR_FORMAT,
					  "nests more than 64 types deep");
		d->color[next] = GREY;
		d->id[d->depth] = next;
		d->k[d->depth] = 0;
		d->depth++;
	}
	return NULL;
}

static struct po_error *check_loops(const struct po_btf *btf)
{
	struct po_error *err = NULL;
	struct dfs d = {
		.color = calloc(btf->nr, 1),
		.id = malloc(btf->nr * sizeof(*d.id)),
		.k = malloc(btf->nr * sizeof(*d.k)),
	};
	uint32_t id;

	if (!d.color || !d.id || !d.k)
		err = &po_enomem;
	for (id = 1; !err && id < btf->nr; id++)
		if (d.color[id] == WHITE)
			err = dfs_from(btf, &d, id);
	free(d.color);
	free(d.id);
	free(d.k);
	return err;
}

/* ---- open and close ---- */

/*
 * BTF does not say how big a pointer is; libbpf guesses it from "long"
 * too.  Every target we support is LP64, so 8 when there is no "long".
 */
static void find_ptr_size(struct po_btf *btf)
{
	const struct name_entry *e = lookup(btf, NC_BASE, "long unsigned int");

	if (!e)
		e = lookup(btf, NC_BASE, "long int");
	btf->ptr_size = e ? get(btf, e->id).size_type : 8;
}

struct po_error *po_btf_open(const void *data, size_t size, const char *name,
			     struct po_btf **ret)
{
	struct po_btf *btf = calloc(1, sizeof(*btf));
	struct po_error *err = NULL;

	if (!btf)
		return &po_enomem;
	btf->name = strdup(name);
	btf->data = malloc(size ? size : 1);
	if (!btf->name || !btf->data) {
		err = &po_enomem;
		goto fail;
	}
	memcpy(btf->data, data, size);
	err = read_header(btf, btf->data, size);
	if (!err)
		err = index_types(btf);
	if (!err)
		err = link_types(btf);
	if (!err)
		err = check_loops(btf);
	if (err)
		goto fail;
	find_ptr_size(btf);
	*ret = btf;
	return NULL;
fail:
	po_btf_destroy(btf);
	return err;
}

void po_btf_destroy(struct po_btf *btf)
{
	if (!btf)
		return;
	po_hashidx_free(&btf->idx);
	free(btf->names);
	free(btf->vars);
	free(btf->offs);
	free(btf->data);
	free(btf->name);
	free(btf);
}

const char *po_btf_name(const struct po_btf *btf)
{
	return btf->name;
}

uint32_t po_btf_nr_types(const struct po_btf *btf)
{
	return btf->nr;
}

/* ---- types ---- */

static const struct {
	const char *prefix;
	uint8_t class, fwd;
} type_prefixes[] = {
	{ "struct ", NC_STRUCT, NC_FWD_STRUCT },
	{ "union ", NC_UNION, NC_FWD_UNION },
	{ "enum ", NC_ENUM, NC_ENUM },
};

/* C's spellings of the base types that BTF writes as GCC names them. */
static const char *base_name(const char *name)
{
	static const char *const alias[][2] = {
		{ "unsigned long", "long unsigned int" },
		{ "long", "long int" },
		{ "unsigned int", "unsigned int" },
		{ "unsigned", "unsigned int" },
		{ "unsigned short", "short unsigned int" },
		{ "short", "short int" },
		{ "unsigned long long", "long long unsigned int" },
		{ "long long", "long long int" },
	};
	size_t i;

	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (!strcmp(name, alias[i][0]))
			return alias[i][1];
	return name;
}

static const struct name_entry *find_type(const struct po_btf *btf,
					  const char *name)
{
	const struct name_entry *e;
	size_t i;

	for (i = 0; i < sizeof(type_prefixes) / sizeof(type_prefixes[0]); i++) {
		size_t plen = strlen(type_prefixes[i].prefix);

		if (strncmp(name, type_prefixes[i].prefix, plen))
			continue;
		e = lookup(btf, type_prefixes[i].class, name + plen);
		return e ?: lookup(btf, type_prefixes[i].fwd, name + plen);
	}
	e = lookup(btf, NC_TYPEDEF, name);
	if (!e)
		e = lookup(btf, NC_BASE, name);
	if (!e)
		e = lookup(btf, NC_BASE, base_name(name));
	return e;
}

struct po_error *po_btf_type_find(struct po_btf *btf, const char *name,
				  struct po_btf_type *ret)
{
	const struct name_entry *e = find_type(btf, name);

	if (!e)
		return po_error_create(PO_ERR_LOOKUP, "%s: no type '%s'",
				       btf->name, name);
	ret->id = e->id;
	return NULL;
}

enum po_btf_kind po_btf_kind(struct po_btf *btf, struct po_btf_type type)
{
	return valid_id(btf, type) ? get(btf, type.id).kind : PO_BTF_VOID;
}

enum po_type_kind po_btf_type_kind(struct po_btf *btf, struct po_btf_type type)
{
	struct rec r;

	if (!valid_id(btf, type))
		return PO_TYPE_VOID;
	r = get(btf, type.id);
	switch (r.kind) {
	case PO_BTF_VOID:
		return PO_TYPE_VOID;
	case PO_BTF_INT:
	case PO_BTF_FLOAT:
		return PO_TYPE_BASE;
	case PO_BTF_PTR:
		return PO_TYPE_POINTER;
	case PO_BTF_STRUCT:
		return PO_TYPE_STRUCT;
	case PO_BTF_UNION:
		return PO_TYPE_UNION;
	case PO_BTF_FWD: /* as DWARF's declaration, a struct or union */
		return r.kflag ? PO_TYPE_UNION : PO_TYPE_STRUCT;
	case PO_BTF_ENUM:
	case PO_BTF_ENUM64:
		return PO_TYPE_ENUM;
	case PO_BTF_TYPEDEF:
		return PO_TYPE_TYPEDEF;
	case PO_BTF_ARRAY:
		return PO_TYPE_ARRAY;
	case PO_BTF_FUNC_PROTO:
		return PO_TYPE_FUNCTION;
	case PO_BTF_VOLATILE:
	case PO_BTF_CONST:
	case PO_BTF_RESTRICT:
	case PO_BTF_TYPE_TAG:
		return PO_TYPE_QUALIFIER;
	}
	return PO_TYPE_OTHER;
}

const char *po_btf_type_name(struct po_btf *btf, struct po_btf_type type)
{
	const char *name;

	if (!valid_id(btf, type) || !type.id)
		return NULL;
	name = str(btf, get(btf, type.id).name_off);
	return *name ? name : NULL;
}

static bool is_modifier(uint32_t kind)
{
	return kind == PO_BTF_TYPEDEF || kind == PO_BTF_VOLATILE ||
	       kind == PO_BTF_CONST || kind == PO_BTF_RESTRICT ||
	       kind == PO_BTF_TYPE_TAG;
}

/* The struct or union a FWD declares, if the blob has it. */
static struct po_btf_type complete(struct po_btf *btf, struct po_btf_type t)
{
	struct rec r = get(btf, t.id);
	const struct name_entry *e;

	if (r.kind != PO_BTF_FWD)
		return t;
	e = lookup(btf, r.kflag ? NC_UNION : NC_STRUCT, str(btf, r.name_off));
	return e ? (struct po_btf_type){ e->id } : t;
}

/* Ends: open refused loops through modifiers. */
struct po_btf_type po_btf_unqualified(struct po_btf *btf,
				      struct po_btf_type type)
{
	struct rec r;

	if (!valid_id(btf, type))
		return (struct po_btf_type){ 0 };
	for (r = get(btf, type.id); is_modifier(r.kind); r = get(btf, type.id))
		type.id = r.size_type;
	return complete(btf, type);
}

struct po_error *po_btf_type_target(struct po_btf *btf, struct po_btf_type type,
				    struct po_btf_type *ret)
{
	struct rec r;

	if (!valid_id(btf, type))
		return bad_id(btf, type);
	r = get(btf, type.id);
	switch (r.kind) {
	case PO_BTF_ARRAY:
		ret->id = extra32(btf, &r, 0);
		return NULL;
	case PO_BTF_PTR:
	case PO_BTF_TYPEDEF:
	case PO_BTF_VOLATILE:
	case PO_BTF_CONST:
	case PO_BTF_RESTRICT:
	case PO_BTF_TYPE_TAG:
	case PO_BTF_FUNC:
	case PO_BTF_FUNC_PROTO:
	case PO_BTF_VAR:
	case PO_BTF_DECL_TAG:
		ret->id = r.size_type;
		return NULL;
	}
	return type_error(btf, type.id, PO_ERR_INVALID, "has no target type");
}

static struct po_error *array_step(struct po_btf *btf, struct po_btf_type *t,
				   uint64_t *mult)
{
	struct rec r = get(btf, t->id);
	uint64_t n = extra32(btf, &r, 2); /* nelems */

	if (n && *mult > UINT64_MAX / n)
		return type_error(btf, t->id, PO_ERR_FORMAT,
				  "size overflows 64 bits");
	*mult *= n;
	t->id = extra32(btf, &r, 0);
	return NULL;
}

/* Arrays multiply their element's size: walk down to a sized type. */
struct po_error *po_btf_type_size(struct po_btf *btf, struct po_btf_type type,
				  uint64_t *ret)
{
	uint64_t mult = 1, size;
	struct po_error *err;
	struct rec r;

	if (!valid_id(btf, type))
		return bad_id(btf, type);
	for (;;) {
		type = po_btf_unqualified(btf, type);
		r = get(btf, type.id);
		if (r.kind != PO_BTF_ARRAY)
			break;
		err = array_step(btf, &type, &mult);
		if (err)
			return err;
	}
	switch (r.kind) {
	case PO_BTF_PTR:
		size = btf->ptr_size;
		break;
	case PO_BTF_INT:
	case PO_BTF_FLOAT:
	case PO_BTF_STRUCT:
	case PO_BTF_UNION:
	case PO_BTF_ENUM:
	case PO_BTF_ENUM64:
	case PO_BTF_DATASEC:
		size = r.size_type;
		break;
	default:
		return type_error(btf, type.id, PO_ERR_LOOKUP, "has no size");
	}
	if (mult && size > UINT64_MAX / mult)
		return type_error(btf, type.id, PO_ERR_FORMAT,
				  "array size overflows 64 bits");
	*ret = size * mult;
	return NULL;
}

struct po_error *po_btf_array_length(struct po_btf *btf,
				     struct po_btf_type type, uint64_t *ret)
{
	struct rec r;

	type = po_btf_unqualified(btf, type);
	r = get(btf, type.id);
	if (r.kind != PO_BTF_ARRAY)
		return type_error(btf, type.id, PO_ERR_LOOKUP,
				  "is not an array");
	*ret = extra32(btf, &r, 2);
	return NULL;
}

enum po_encoding po_btf_encoding(struct po_btf *btf, struct po_btf_type type)
{
	struct rec r;
	uint32_t enc;

	type = po_btf_unqualified(btf, type);
	r = get(btf, type.id);
	switch (r.kind) {
	case PO_BTF_FLOAT:
		return PO_ENC_FLOAT;
	case PO_BTF_ENUM:
	case PO_BTF_ENUM64: /* kind_flag: signed values (v6.0+) */
		return r.kflag ? PO_ENC_SIGNED : PO_ENC_UNSIGNED;
	case PO_BTF_INT:
		break;
	default:
		return PO_ENC_OTHER;
	}
	enc = INT_ENCODING(extra32(btf, &r, 0));
	if (enc & INT_BOOL)
		return PO_ENC_BOOL;
	if (enc & INT_CHAR)
		return enc & INT_SIGNED ? PO_ENC_SIGNED_CHAR :
					  PO_ENC_UNSIGNED_CHAR;
	return enc & INT_SIGNED ? PO_ENC_SIGNED : PO_ENC_UNSIGNED;
}

bool po_btf_is_signed(struct po_btf *btf, struct po_btf_type type)
{
	enum po_encoding enc = po_btf_encoding(btf, type);

	return enc == PO_ENC_SIGNED || enc == PO_ENC_SIGNED_CHAR;
}

/* ---- members ---- */

static bool is_aggregate(uint32_t kind)
{
	return kind == PO_BTF_STRUCT || kind == PO_BTF_UNION;
}

/*
 * Member @i of the struct or union @r.  With kind_flag the offset word
 * holds the bit-field's width in its top 8 bits; without, an old-style
 * bit-field is a member whose INT type has fewer bits than its size.
 */
static struct po_btf_field member_at(struct po_btf *btf, const struct rec *r,
				     uint32_t i)
{
	uint32_t off = extra32(btf, r, 3 * i + 2);
	struct po_btf_field f = {
		.name = str(btf, extra32(btf, r, 3 * i)),
		.type = { extra32(btf, r, 3 * i + 1) },
		.bit_offset = r->kflag ? off & 0xffffff : off,
		.bit_size = r->kflag ? off >> 24 : 0,
	};
	struct rec t;

	if (!*f.name)
		f.name = NULL;
	if (r->kflag)
		return f;
	t = get(btf, po_btf_unqualified(btf, f.type).id);
	if (t.kind == PO_BTF_INT) {
		uint32_t v = extra32(btf, &t, 0);

		if (INT_OFFSET(v) || INT_BITS(v) != 8 * t.size_type) {
			f.bit_offset += INT_OFFSET(v);
			f.bit_size = INT_BITS(v);
		}
	}
	return f;
}

/*
 * One path component @name (@len bytes) in @agg, through anonymous ones:
 * 1 found, 0 not, -1 when *@left members have been looked at.  Nesting
 * is bounded at open, but one anonymous type can be a member many times
 * over at each level, and the paths multiply: hence the budget.
 */
static int find_member(struct po_btf *btf, struct po_btf_type agg,
		       const char *name, size_t len, struct po_btf_field *ret,
		       int depth, uint32_t *left)
{
	struct rec r = get(btf, agg.id);
	uint32_t i;
	int found;

	if (depth > MAX_ANON_DEPTH || !is_aggregate(r.kind))
		return 0;
	for (i = 0; i < r.vlen; i++) {
		struct po_btf_field f = member_at(btf, &r, i);

		if (!(*left)--)
			return -1;
		if (f.name && strlen(f.name) == len &&
		    !strncmp(f.name, name, len)) {
			*ret = f;
			return 1;
		}
		if (f.name)
			continue;
		found = find_member(btf, po_btf_unqualified(btf, f.type), name,
				    len, ret, depth + 1, left);
		if (found > 0)
			ret->bit_offset += f.bit_offset;
		if (found)
			return found;
	}
	return 0;
}

struct po_error *po_btf_member(struct po_btf *btf, struct po_btf_type type,
			       const char *path, struct po_btf_member *ret)
{
	struct po_btf_type cur = type;
	uint64_t bit_off = 0;
	struct po_btf_field f = { 0 };
	const char *p = path;
	struct po_error *err;
	uint32_t left;
	int found;

	if (!valid_id(btf, type))
		return bad_id(btf, type);
	for (;;) {
		size_t len = strcspn(p, ".");
		struct rec r;

		cur = po_btf_unqualified(btf, cur);
		r = get(btf, cur.id);
		if (!is_aggregate(r.kind))
			return po_error_create(
				PO_ERR_LOOKUP,
				"%s: '%.*s' is not inside a struct or union (in '%s')",
				btf->name, (int)(p - path), path, path);
		left = MAX_MEMBER_SEARCH;
		found = find_member(btf, cur, p, len, &f, 0, &left);
		if (found < 0)
			return type_error(
				btf, cur.id, PO_ERR_BAD_DATA,
				"too many anonymous members to search for a name");
		if (!found)
			return po_error_create(
				PO_ERR_LOOKUP,
				"%s: %s %s (id %u) has no member '%s'",
				btf->name, kind_name(r.kind),
				*str(btf, r.name_off) ? str(btf, r.name_off) :
							"(anonymous)",
				cur.id, path);
		bit_off += f.bit_offset;
		cur = f.type;
		if (!p[len])
			break;
		p += len + 1;
	}
	ret->type = cur;
	ret->bit_offset = bit_off;
	ret->bit_size = f.bit_size;
	err = po_btf_type_size(btf, cur, &ret->byte_size);
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		ret->byte_size = 0;
	return err;
}

bool po_btf_has_member(struct po_btf *btf, struct po_btf_type type,
		       const char *path)
{
	struct po_btf_member m;
	struct po_error *err = po_btf_member(btf, type, path, &m);

	po_error_destroy(err);
	return !err;
}

struct po_error *po_btf_fields(struct po_btf *btf, struct po_btf_type type,
			       struct po_btf_field **ret, size_t *nr)
{
	struct po_btf_field *f;
	struct rec r;
	uint32_t i;

	type = po_btf_unqualified(btf, type);
	r = get(btf, type.id);
	if (!is_aggregate(r.kind))
		return type_error(btf, type.id, PO_ERR_INVALID,
				  "is not a struct or union");
	f = calloc(r.vlen ? r.vlen : 1, sizeof(*f));
	if (!f)
		return &po_enomem;
	for (i = 0; i < r.vlen; i++)
		f[i] = member_at(btf, &r, i);
	*ret = f;
	*nr = r.vlen;
	return NULL;
}

/* ---- enumerators ---- */

/*
 * Since v6.0 kind_flag says the values are signed; without it they are
 * unsigned, zero-extended as debuginfo.c reads DWARF's.
 */
static struct po_enumerator enumerator_at(struct po_btf *btf,
					  const struct rec *r, uint32_t i)
{
	struct po_enumerator e;

	if (r->kind == PO_BTF_ENUM) {
		uint32_t v = extra32(btf, r, 2 * i + 1);

		e.name = str(btf, extra32(btf, r, 2 * i));
		e.value = r->kflag ? (int64_t)(int32_t)v : (int64_t)v;
	} else {
		uint64_t lo = extra32(btf, r, 3 * i + 1);
		uint64_t hi = extra32(btf, r, 3 * i + 2);

		e.name = str(btf, extra32(btf, r, 3 * i));
		e.value = (int64_t)(hi << 32 | lo);
	}
	return e;
}

struct po_error *po_btf_enumerators(struct po_btf *btf, struct po_btf_type type,
				    struct po_enumerator **ret, size_t *nr)
{
	struct po_enumerator *e;
	struct rec r;
	uint32_t i;

	type = po_btf_unqualified(btf, type);
	r = get(btf, type.id);
	if (r.kind != PO_BTF_ENUM && r.kind != PO_BTF_ENUM64)
		return type_error(btf, type.id, PO_ERR_INVALID,
				  "is not an enum");
	e = calloc(r.vlen ? r.vlen : 1, sizeof(*e));
	if (!e)
		return &po_enomem;
	for (i = 0; i < r.vlen; i++)
		e[i] = enumerator_at(btf, &r, i);
	*ret = e;
	*nr = r.vlen;
	return NULL;
}

struct po_error *po_btf_enumerator(struct po_btf *btf, const char *name,
				   int64_t *ret)
{
	const struct name_entry *e = lookup(btf, NC_ENUMERATOR, name);
	struct rec r;

	if (!e)
		return po_error_create(PO_ERR_LOOKUP, "%s: no enumerator '%s'",
				       btf->name, name);
	r = get(btf, e->id);
	*ret = enumerator_at(btf, &r, e->index).value;
	return NULL;
}

/* ---- variables ---- */

static int var_key_cmp(const void *key, const void *elem)
{
	uint32_t id = *(const uint32_t *)key;
	const struct var_loc *v = elem;

	return id < v->var ? -1 : id > v->var;
}

struct po_error *po_btf_variable(struct po_btf *btf, const char *name,
				 struct po_btf_variable *ret)
{
	const struct name_entry *e = lookup(btf, NC_VAR, name);
	const struct var_loc *v = NULL;

	if (!e)
		return po_error_create(PO_ERR_LOOKUP, "%s: no variable '%s'",
				       btf->name, name);
	*ret = (struct po_btf_variable){
		.var = { e->id },
		.type = { get(btf, e->id).size_type },
	};
	/* A VAR in no DATASEC is legal: bsearch() wants a non-NULL base. */
	if (btf->nr_vars)
		v = bsearch(&e->id, btf->vars, btf->nr_vars, sizeof(*btf->vars),
			    var_key_cmp);
	if (v) {
		ret->section = str(btf, get(btf, v->sec).name_off);
		ret->offset = v->offset;
		ret->size = v->size;
	}
	return NULL;
}

/* ---- function prototypes ---- */

/*
 * BTF ends a variadic prototype with a parameter of type 0 and no name
 * (libbpf's btf_dump writes it as "..."); a prototype of no parameters is
 * "(void)", which C's "()" also becomes.
 */
struct po_error *po_btf_params(struct po_btf *btf, struct po_btf_type type,
			       struct po_btf_type **ret, size_t *nr,
			       bool *variadic)
{
	struct po_btf_type *p;
	struct rec r;
	uint32_t i, n;

	if (!valid_id(btf, type))
		return bad_id(btf, type);
	r = get(btf, type.id);
	if (r.kind != PO_BTF_FUNC_PROTO)
		return type_error(btf, type.id, PO_ERR_INVALID,
				  "is not a function prototype");
	n = r.vlen;
	*variadic = n && !extra32(btf, &r, 2 * (n - 1) + 1);
	if (*variadic)
		n--;
	p = calloc(n ? n : 1, sizeof(*p));
	if (!p)
		return &po_enomem;
	for (i = 0; i < n; i++)
		p[i].id = extra32(btf, &r, 2 * i + 1);
	*ret = p;
	*nr = n;
	return NULL;
}
