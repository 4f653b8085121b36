// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 3: typed objects in the dump; see object.h. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "object/object.h"

struct po_ctype po_ctype_strip(struct po_debuginfo *dw, struct po_ctype ct)
{
	if (!ct.ptrs)
		ct.base = po_type_unqualified(dw, ct.base);
	return ct;
}

enum po_type_kind po_ctype_kind(struct po_debuginfo *dw, struct po_ctype ct)
{
	if (ct.ptrs)
		return PO_TYPE_POINTER;
	return po_type_kind(dw, po_type_unqualified(dw, ct.base));
}

struct po_ctype po_ctype_pointer(struct po_ctype ct)
{
	ct.ptrs++;
	return ct;
}

struct po_error *po_ctype_target(struct po_debuginfo *dw, struct po_ctype ct,
				 struct po_ctype *ret)
{
	enum po_type_kind k = po_ctype_kind(dw, ct);

	if (ct.ptrs) {
		*ret = (struct po_ctype){ ct.base, ct.ptrs - 1 };
		return NULL;
	}
	if (k != PO_TYPE_POINTER && k != PO_TYPE_ARRAY)
		return po_error_create(PO_ERR_INVALID,
				       "not a pointer or an array");
	ret->ptrs = 0;
	return po_type_target(dw, po_type_unqualified(dw, ct.base), &ret->base);
}

struct po_error *po_ctype_size(struct po_debuginfo *dw, struct po_ctype ct,
			       uint64_t *ret)
{
	switch (po_ctype_kind(dw, ct)) {
	case PO_TYPE_POINTER:
		*ret = 8; /* LP64, as po_type_size() */
		return NULL;
	case PO_TYPE_VOID:
		return po_error_create(PO_ERR_INVALID, "void has no size");
	case PO_TYPE_FUNCTION:
		return po_error_create(PO_ERR_INVALID,
				       "a function has no size");
	default:
		return po_type_size(dw, ct.base, ret);
	}
}

bool po_ctype_is_scalar(struct po_debuginfo *dw, struct po_ctype ct)
{
	enum po_type_kind k = po_ctype_kind(dw, ct);

	return k == PO_TYPE_POINTER || k == PO_TYPE_ENUM ||
	       (k == PO_TYPE_BASE &&
		po_type_encoding(dw, ct.base) != PO_ENC_FLOAT);
}

bool po_ctype_is_signed(struct po_debuginfo *dw, struct po_ctype ct)
{
	return !ct.ptrs && po_type_is_signed(dw, ct.base);
}

/* ---- spelling types in C ---- */

static struct po_error *decl(struct po_debuginfo *dw, struct po_ctype ct,
			     const char *inner, int depth, char **ret);

static struct po_error *wrap(struct po_debuginfo *dw, struct po_ctype ct,
			     const char *fmt, const char *inner, int depth,
			     char **ret)
{
	struct po_error *err;
	char *s;

	if (asprintf(&s, fmt, inner) < 0)
		return &po_enomem;
	err = decl(dw, ct, s, depth + 1, ret);
	free(s);
	return err;
}

/* "*inner" around the target of a pointer; parenthesised when it points
 * to an array or a function: "(*inner)[4]". */
static struct po_error *pointer_decl(struct po_debuginfo *dw, struct po_ctype t,
				     const char *star, const char *inner,
				     int depth, char **ret)
{
	enum po_type_kind k =
		t.ptrs ? PO_TYPE_POINTER :
			 po_type_kind(dw, po_type_unqualified(dw, t.base));
	bool paren = k == PO_TYPE_ARRAY || k == PO_TYPE_FUNCTION;
	char *fmt;
	struct po_error *err;

	if (asprintf(&fmt, "%s%s%%s%s", paren ? "(" : "", star,
		     paren ? ")" : "") < 0)
		return &po_enomem;
	err = wrap(dw, t, fmt, inner, depth, ret);
	free(fmt);
	return err;
}

static struct po_error *params_text(struct po_debuginfo *dw, struct po_type fn,
				    int depth, char **ret)
{
	struct po_type *p = NULL;
	struct po_error *err;
	bool variadic;
	size_t i, n;
	char *s = strdup(""), *t;

	if (!s)
		return &po_enomem;
	err = po_type_params(dw, fn, &p, &n, &variadic);
	for (i = 0; !err && i < n; i++) {
		char *one;

		err = decl(dw, (struct po_ctype){ p[i], 0 }, "", depth + 1,
			   &one);
		if (err)
			break;
		if (asprintf(&t, "%s%s%s", s, i ? ", " : "", one) < 0)
			err = &po_enomem;
		free(one);
		if (!err) {
			free(s);
			s = t;
		}
	}
	free(p);
	if (!err && (variadic || !n)) {
		if (asprintf(&t, "%s%s", s,
			     variadic ? (n ? ", ..." : "...") : "void") < 0) {
			err = &po_enomem;
		} else {
			free(s);
			s = t;
		}
	}
	if (err) {
		free(s);
		return err;
	}
	*ret = s;
	return NULL;
}

static const char *tag_prefix(enum po_type_kind k)
{
	switch (k) {
	case PO_TYPE_STRUCT:
		return "struct ";
	case PO_TYPE_UNION:
		return "union ";
	case PO_TYPE_ENUM:
		return "enum ";
	default:
		return "";
	}
}

/* GCC's DWARF names of integer types, as C (and gdb) spell them. */
static const char *c_spelling(const char *name)
{
	static const char *const names[][2] = {
		{ "short int", "short" },
		{ "short unsigned int", "unsigned short" },
		{ "long int", "long" },
		{ "long unsigned int", "unsigned long" },
		{ "long long int", "long long" },
		{ "long long unsigned int", "unsigned long long" },
	};
	size_t i;

	for (i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i][0]))
			return names[i][1];
	return name;
}

static struct po_error *named_decl(struct po_debuginfo *dw, struct po_type t,
				   const char *qual, const char *inner,
				   char **ret)
{
	enum po_type_kind k = po_type_kind(dw, t);
	const char *name = k == PO_TYPE_VOID ? "void" :
			   k == PO_TYPE_BASE ? c_spelling(po_type_name(dw, t)) :
					       po_type_name(dw, t);

	if (asprintf(ret, "%s%s%s%s%s%s", qual, tag_prefix(k),
		     name ? name : "{...}", *inner ? " " : "", inner, "") < 0)
		return &po_enomem;
	return NULL;
}

static struct po_error *array_decl(struct po_debuginfo *dw, struct po_type t,
				   const char *inner, int depth, char **ret)
{
	struct po_ctype elem = { { 0 }, 0 };
	struct po_error *err;
	uint64_t n;
	char *s;

	err = po_type_array_length(dw, t, &n);
	if (!err)
		err = po_type_target(dw, t, &elem.base);
	if (err)
		return err;
	if ((n || po_type_array_has_bound(dw, t) ?
		     asprintf(&s, "%s[%" PRIu64 "]", inner, n) :
		     asprintf(&s, "%s[]", inner)) < 0)
		return &po_enomem;
	err = decl(dw, elem, s, depth + 1, ret);
	free(s);
	return err;
}

static struct po_error *function_decl(struct po_debuginfo *dw, struct po_type t,
				      const char *inner, int depth, char **ret)
{
	struct po_ctype rtype = { { 0 }, 0 };
	struct po_error *err;
	char *params, *s;

	err = po_type_target(dw, t, &rtype.base);
	if (!err)
		err = params_text(dw, t, depth, &params);
	if (err)
		return err;
	if (asprintf(&s, "%s(%s)", inner, params) < 0) {
		free(params);
		return &po_enomem;
	}
	free(params);
	err = decl(dw, rtype, s, depth + 1, ret);
	free(s);
	return err;
}

/* const T: "const T inner", but a const pointer is "T *const inner". */
static struct po_error *qualified_decl(struct po_debuginfo *dw,
				       struct po_type t, const char *inner,
				       int depth, char **ret)
{
	const char *q = po_type_qualifier(dw, t);
	struct po_ctype target = { { 0 }, 0 };
	struct po_error *err = po_type_target(dw, t, &target.base);
	char *star;

	if (err)
		return err;
	if (po_type_kind(dw, target.base) == PO_TYPE_POINTER) {
		struct po_ctype pointee = { { 0 }, 0 };

		err = po_type_target(dw, target.base, &pointee.base);
		if (err)
			return err;
		if (asprintf(&star, "*%s ", q) < 0)
			return &po_enomem;
		err = pointer_decl(dw, pointee, star, inner, depth, ret);
		free(star);
		return err;
	}
	if (target.base.die && po_type_kind(dw, target.base) != PO_TYPE_ARRAY) {
		char *body;

		err = decl(dw, target, inner, depth + 1, &body);
		if (err)
			return err;
		if (asprintf(ret, "%s %s", q, body) < 0)
			err = &po_enomem;
		free(body);
		return err;
	}
	/* const void, and const arrays (whose elements are const). */
	return target.base.die ?
		       decl(dw, target, inner, depth + 1, ret) :
		       named_decl(dw, target.base, "const ", inner, ret);
}

static struct po_error *decl(struct po_debuginfo *dw, struct po_ctype ct,
			     const char *inner, int depth, char **ret)
{
	struct po_ctype t = { { 0 }, 0 };
	struct po_error *err;

	if (depth > 64)
		return po_error_create(PO_ERR_BAD_DATA,
				       "type at 0x%" PRIx64 " nests too deep",
				       ct.base.die);
	if (ct.ptrs)
		return pointer_decl(dw,
				    (struct po_ctype){ ct.base, ct.ptrs - 1 },
				    "*", inner, depth, ret);
	switch (po_type_kind(dw, ct.base)) {
	case PO_TYPE_POINTER:
		err = po_type_target(dw, ct.base, &t.base);
		return err ? err : pointer_decl(dw, t, "*", inner, depth, ret);
	case PO_TYPE_ARRAY:
		return array_decl(dw, ct.base, inner, depth, ret);
	case PO_TYPE_FUNCTION:
		return function_decl(dw, ct.base, inner, depth, ret);
	case PO_TYPE_QUALIFIER:
		return qualified_decl(dw, ct.base, inner, depth, ret);
	default:
		return named_decl(dw, ct.base, "", inner, ret);
	}
}

struct po_error *po_ctype_name(struct po_debuginfo *dw, struct po_ctype ct,
			       const char *inner, char **ret)
{
	/* NULL on failure, so that callers may free it either way. */
	*ret = NULL;
	return decl(dw, ct, inner ? inner : "", 0, ret);
}

/* ---- parsing type names ---- */

/* C's integer spellings, as GCC names the DWARF base types. */
static const char *canonical_int(const char *words)
{
	static const struct {
		const char *c, *dwarf;
	} names[] = {
		{ "unsigned", "unsigned int" },
		{ "signed", "int" },
		{ "unsigned char", "unsigned char" },
		{ "signed char", "signed char" },
		{ "short", "short int" },
		{ "unsigned short", "short unsigned int" },
		{ "long", "long int" },
		{ "unsigned long", "long unsigned int" },
		{ "long long", "long long int" },
		{ "unsigned long long", "long long unsigned int" },
		{ "bool", "_Bool" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(words, names[i].c))
			return names[i].dwarf;
	return words;
}

/* Drop "int" after short/long and "const"/"volatile" anywhere. */
static void normalize_words(char *s)
{
	char *out = s, *w, *save = NULL;
	bool sized = strstr(s, "short") || strstr(s, "long");

	for (w = strtok_r(s, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		if (!strcmp(w, "const") || !strcmp(w, "volatile") ||
		    (sized && !strcmp(w, "int")) ||
		    (!strcmp(w, "signed") && strchr(save ? save : "", 'l')))
			continue;
		if (out != s)
			*out++ = ' ';
		memmove(out, w, strlen(w));
		out += strlen(w);
	}
	*out = '\0';
}

struct po_error *po_ctype_parse(struct po_debuginfo *dw, const char *text,
				struct po_ctype *ret)
{
	struct po_error *err;
	char *s = strdup(text), *end;
	unsigned int ptrs = 0;

	if (!s)
		return &po_enomem;
	for (end = s + strlen(s); end > s; end--) {
		if (end[-1] == '*')
			ptrs++;
		else if (end[-1] != ' ' && end[-1] != '\t')
			break;
	}
	*end = '\0';
	normalize_words(s);
	if (!strcmp(s, "void")) {
		*ret = (struct po_ctype){ { 0 }, ptrs };
		free(s);
		return NULL;
	}
	err = po_type_find(dw, canonical_int(s), &ret->base);
	if (err && strcmp(canonical_int(s), s)) {
		po_error_destroy(err);
		err = po_type_find(dw, s, &ret->base);
	}
	if (err) {
		po_error_destroy(err);
		err = po_error_create(PO_ERR_LOOKUP, "no type '%s'", text);
	}
	ret->ptrs = ptrs;
	free(s);
	return err;
}

/* ---- objects ---- */

struct po_object po_object_at(struct po_ctype ct, uint64_t address)
{
	return (struct po_object){ .type = ct,
				   .kind = PO_OBJ_REFERENCE,
				   .address = address };
}

struct po_error *po_object_integer(struct po_mm *mm, const char *type_name,
				   uint64_t value, struct po_object *ret)
{
	struct po_ctype ct;
	struct po_error *err =
		po_ctype_parse(po_mm_debuginfo(mm), type_name, &ct);

	if (err)
		return err;
	*ret = (struct po_object){ .type = ct,
				   .kind = PO_OBJ_VALUE,
				   .value = value };
	return NULL;
}

struct po_error *po_object_find(struct po_mm *mm, const char *name,
				struct po_object *ret)
{
	struct po_variable var;
	struct po_error *err;
	int64_t e;
	uint64_t addr;

	err = po_mm_variable(mm, name, NULL, &var);
	if (!err) {
		*ret = po_object_at((struct po_ctype){ var.type, 0 },
				    var.address);
		return NULL;
	}
	if (!po_error_catch(&err, PO_ERR_LOOKUP))
		return err;
	err = po_debuginfo_enumerator(po_mm_debuginfo(mm), name, &e);
	if (!err)
		return po_object_integer(mm, "int", (uint64_t)e, ret);
	po_error_destroy(err);
	err = po_mm_symbol_address(mm, name, &addr);
	if (!err) {
		struct po_type t = { 0 };

		/* A linker alias has only an extern declaration; a
		 * function or data without debug info has no type. */
		err = po_debuginfo_variable_declaration(po_mm_debuginfo(mm),
							name, &t);
		po_error_destroy(err);
		*ret = po_object_at((struct po_ctype){ t, 0 }, addr);
		return NULL;
	}
	po_error_destroy(err);
	return po_error_create(PO_ERR_LOOKUP, "no symbol '%s' in the dump",
			       name);
}

static uint64_t sign_extend(uint64_t v, unsigned int bits)
{
	uint64_t m;

	if (bits >= 64)
		return v;
	m = 1ULL << (bits - 1);
	v &= (1ULL << bits) - 1;
	return (v ^ m) - m;
}

static struct po_error *not_scalar(struct po_debuginfo *dw, struct po_ctype ct)
{
	char *name = NULL;
	struct po_error *err = po_ctype_name(dw, ct, "", &name);

	if (err)
		return err;
	err = po_error_create(PO_ERR_INVALID, "'%s' is not a number or pointer",
			      name);
	free(name);
	return err;
}

struct po_error *po_object_read_scalar(struct po_mm *mm,
				       const struct po_object *obj,
				       uint64_t *ret)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	unsigned char buf[16] = { 0 };
	unsigned __int128 bits = 0;
	struct po_error *err;
	uint64_t size, n;

	if (obj->kind == PO_OBJ_VALUE) {
		*ret = obj->value;
		return NULL;
	}
	if (!po_ctype_is_scalar(dw, obj->type))
		return not_scalar(dw, obj->type);
	err = po_ctype_size(dw, obj->type, &size);
	if (err)
		return err;
	if (size > 8)
		return not_scalar(dw, obj->type);
	n = obj->bit_size ?
		    (uint64_t)(obj->bit_offset + obj->bit_size + 7) / 8 :
		    size;
	err = po_mm_read(mm, obj->address, buf, n);
	if (err)
		return err;
	memcpy(&bits, buf, sizeof(bits)); /* little-endian targets only */
	bits >>= obj->bit_offset;
	n = obj->bit_size ? obj->bit_size : size * 8;
	*ret = (uint64_t)bits;
	if (n < 64)
		*ret &= (1ULL << n) - 1;
	if (po_ctype_is_signed(dw, obj->type))
		*ret = sign_extend(*ret, n);
	return NULL;
}

static struct po_error *need_reference(const struct po_object *obj,
				       const char *what)
{
	if (obj->kind == PO_OBJ_REFERENCE && !obj->bit_size)
		return NULL;
	return po_error_create(PO_ERR_INVALID, "cannot %s a %s", what,
			       obj->bit_size ? "bit-field" : "computed value");
}

struct po_error *po_object_member(struct po_mm *mm, const struct po_object *obj,
				  const char *name, struct po_object *ret)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_object base = *obj;
	struct po_error *err;
	struct po_member m;
	enum po_type_kind k = po_ctype_kind(dw, obj->type);

	/* Like gdb, allow "." on a pointer to a struct: it means "->". */
	if (k == PO_TYPE_POINTER) {
		err = po_object_deref(mm, obj, &base);
		if (err)
			return err;
		k = po_ctype_kind(dw, base.type);
	}
	if (k != PO_TYPE_STRUCT && k != PO_TYPE_UNION) {
		char *tname = NULL;

		err = po_ctype_name(dw, base.type, "", &tname);
		if (err)
			return err;
		err = po_error_create(PO_ERR_INVALID,
				      "'%s' is not a struct or union, so it "
				      "has no member '%s'",
				      tname, name);
		free(tname);
		return err;
	}
	err = need_reference(&base, "take a member of");
	if (!err)
		err = po_type_member(dw, po_ctype_strip(dw, base.type).base,
				     name, &m);
	if (err)
		return err;
	*ret = po_object_at((struct po_ctype){ m.type, 0 },
			    base.address + m.bit_offset / 8);
	if (m.bit_size) {
		ret->bit_offset = m.bit_offset % 8;
		ret->bit_size = (uint8_t)m.bit_size;
	}
	return NULL;
}

static struct po_error *element_size(struct po_debuginfo *dw,
				     struct po_ctype ct, struct po_ctype *elem,
				     uint64_t *size)
{
	struct po_error *err = po_ctype_target(dw, ct, elem);

	if (err)
		return err;
	err = po_ctype_size(dw, *elem, size);
	if (err)
		return po_error_prefix(err, "cannot index: ");
	return NULL;
}

struct po_error *po_object_subscript(struct po_mm *mm,
				     const struct po_object *obj, int64_t index,
				     struct po_object *ret)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	enum po_type_kind k = po_ctype_kind(dw, obj->type);
	struct po_ctype elem;
	struct po_error *err;
	uint64_t size, base;

	if (k != PO_TYPE_ARRAY && k != PO_TYPE_POINTER)
		return po_error_create(PO_ERR_INVALID,
				       "only arrays and pointers take [index]");
	err = element_size(dw, obj->type, &elem, &size);
	if (err)
		return err;
	if (k == PO_TYPE_ARRAY) {
		err = need_reference(obj, "index");
		base = obj->address;
	} else {
		err = po_object_read_scalar(mm, obj, &base);
	}
	if (err)
		return err;
	*ret = po_object_at(elem, base + (uint64_t)index * size);
	return NULL;
}

struct po_error *po_object_deref(struct po_mm *mm, const struct po_object *obj,
				 struct po_object *ret)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	enum po_type_kind k = po_ctype_kind(dw, obj->type);
	struct po_ctype target;
	struct po_error *err;

	if (k != PO_TYPE_POINTER && k != PO_TYPE_ARRAY)
		return po_error_create(PO_ERR_INVALID,
				       "only pointers and arrays can be "
				       "dereferenced");
	err = po_ctype_target(dw, obj->type, &target);
	if (err)
		return err;
	if (po_ctype_kind(dw, target) == PO_TYPE_VOID)
		return po_error_create(PO_ERR_INVALID,
				       "cannot dereference a void pointer; "
				       "cast it first");
	return po_object_subscript(mm, obj, 0, ret);
}

struct po_error *po_object_address_of(struct po_mm *mm,
				      const struct po_object *obj,
				      struct po_object *ret)
{
	struct po_error *err = need_reference(obj, "take the address of");

	if (err)
		return err;
	*ret = (struct po_object){ .type = po_ctype_pointer(obj->type),
				   .kind = PO_OBJ_VALUE,
				   .value = obj->address };
	return NULL;
}

struct po_error *po_object_value(struct po_mm *mm, const struct po_object *obj,
				 uint64_t *ret)
{
	enum po_type_kind k = po_ctype_kind(po_mm_debuginfo(mm), obj->type);

	if (obj->kind == PO_OBJ_REFERENCE &&
	    (k == PO_TYPE_ARRAY || k == PO_TYPE_FUNCTION)) {
		*ret = obj->address;
		return NULL;
	}
	return po_object_read_scalar(mm, obj, ret);
}

/* What a cast to a scalar starts from: also a typeless symbol's address. */
static struct po_error *cast_source(struct po_mm *mm,
				    const struct po_object *obj, uint64_t *ret)
{
	if (obj->kind == PO_OBJ_REFERENCE &&
	    po_ctype_kind(po_mm_debuginfo(mm), obj->type) == PO_TYPE_VOID) {
		*ret = obj->address;
		return NULL;
	}
	return po_object_value(mm, obj, ret);
}

struct po_error *po_object_cast(struct po_mm *mm, const struct po_object *obj,
				struct po_ctype ct, struct po_object *ret)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_error *err;
	uint64_t v, size;

	if (po_ctype_kind(dw, ct) == PO_TYPE_VOID)
		return po_error_create(PO_ERR_INVALID,
				       "a cast to void leaves no value");
	if (!po_ctype_is_scalar(dw, ct)) {
		err = need_reference(obj, "cast to a struct, union or array");
		if (err)
			return err;
		*ret = po_object_at(ct, obj->address);
		return NULL;
	}
	err = cast_source(mm, obj, &v);
	if (!err)
		err = po_ctype_size(dw, ct, &size);
	if (err)
		return err;
	if (size < 8)
		v = po_ctype_is_signed(dw, ct) ? sign_extend(v, size * 8) :
						 v & ((1ULL << (size * 8)) - 1);
	*ret = (struct po_object){ .type = ct,
				   .kind = PO_OBJ_VALUE,
				   .value = v };
	return NULL;
}
