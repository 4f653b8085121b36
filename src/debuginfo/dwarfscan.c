// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 2: a fast pass over a unit's top-level DIEs (see dwarfscan.h). */
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "debuginfo/dwarfscan.h"
#include "util/array.h"

/* GCC and clang number a unit's abbreviations from 1, a few hundred. */
#define MAX_CODE 65536
/* DW_FORM_indirect may name another form; a chain of them is garbage. */
#define MAX_INDIRECT 4

struct abbrev_attr {
	uint32_t at, form;
	int64_t implicit; /* DW_FORM_implicit_const */
	int size; /* of its value, or VARIABLE */
};

#define VARIABLE (-1)

struct abbrev {
	bool known; /* the table declares the code */
	uint32_t tag;
	bool children;
	bool wanted; /* a tag the caller wants to see */
	uint32_t first, nr; /* its attributes in scan->attrs */
	/*
	 * For DIEs stepped over: the size of all the attribute values, and
	 * where DW_AT_sibling's is, when no value before has a variable size
	 * (or VARIABLE).
	 */
	int fixed, sibling_at;
	uint32_t sibling_form;
};

struct scan {
	const struct po_scan_sections *s;
	const struct po_scan_unit *u;
	struct abbrev *abbrevs; /* by code */
	uint64_t nr_codes;
	struct abbrev_attr *attrs;
	size_t nr_attrs, cap_attrs;
};

struct cursor {
	const uint8_t *p, *end;
	bool bad;
};

/* ---- reading bytes ---- */

static void skip(struct cursor *c, uint64_t n)
{
	if ((uint64_t)(c->end - c->p) < n) {
		c->bad = true;
		c->p = c->end;
		return;
	}
	c->p += n;
}

static uint64_t load(const uint8_t *p, unsigned int n, bool big)
{
	uint64_t v = 0;
	unsigned int i;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Nearly every value: the common sizes of the host's byte order. */
	if (!big && (n == 1 || n == 2 || n == 4 || n == 8)) {
		memcpy(&v, p, n);
		return v;
	}
#endif
	for (i = 0; i < n; i++)
		v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
	return v;
}

static uint64_t get_fixed(struct cursor *c, unsigned int n, bool big)
{
	uint64_t v;

	if ((size_t)(c->end - c->p) < n) {
		skip(c, n);
		return 0;
	}
	v = load(c->p, n, big);
	c->p += n;
	return v;
}

/* An LEB128 number's bits: *@shift of them, the last byte *@last. */
static uint64_t get_leb(struct cursor *c, unsigned int *shift, uint8_t *last)
{
	uint64_t v = 0;

	*shift = 0;
	while (c->p < c->end) {
		uint8_t b = *c->p++;

		if (*shift < 64)
			v |= (uint64_t)(b & 0x7f) << *shift;
		*shift += 7;
		if (!(b & 0x80)) {
			*last = b;
			return v;
		}
	}
	c->bad = true;
	*last = 0;
	return 0;
}

static uint64_t get_uleb(struct cursor *c)
{
	unsigned int shift;
	uint8_t last;

	return get_leb(c, &shift, &last);
}

static int64_t get_sleb(struct cursor *c)
{
	unsigned int shift;
	uint8_t last;
	uint64_t v = get_leb(c, &shift, &last);

	if (shift < 64 && (last & 0x40))
		v |= ~(uint64_t)0 << shift;
	return (int64_t)v;
}

/* The NUL-terminated string at @off of @sec, or NULL. */
static const char *section_string(const struct po_scan_section *sec,
				  uint64_t off)
{
	if (!sec->data || off >= sec->size ||
	    !memchr(sec->data + off, '\0', sec->size - off))
		return NULL;
	return (const char *)sec->data + off;
}

/* ---- abbreviations ---- */

/* The size of a value of @form in this unit, or VARIABLE. */
static int form_size(const struct po_scan_unit *u, uint64_t form)
{
	switch (form) {
	case DW_FORM_flag_present:
	case DW_FORM_implicit_const:
		return 0;
	case DW_FORM_data1:
	case DW_FORM_ref1:
	case DW_FORM_flag:
	case DW_FORM_strx1:
	case DW_FORM_addrx1:
		return 1;
	case DW_FORM_data2:
	case DW_FORM_ref2:
	case DW_FORM_strx2:
	case DW_FORM_addrx2:
		return 2;
	case DW_FORM_strx3:
	case DW_FORM_addrx3:
		return 3;
	case DW_FORM_data4:
	case DW_FORM_ref4:
	case DW_FORM_strx4:
	case DW_FORM_addrx4:
	case DW_FORM_ref_sup4:
		return 4;
	case DW_FORM_data8:
	case DW_FORM_ref8:
	case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8:
		return 8;
	case DW_FORM_data16:
		return 16;
	case DW_FORM_addr:
		return (int)u->addr_size;
	case DW_FORM_strp:
	case DW_FORM_line_strp:
	case DW_FORM_sec_offset:
	case DW_FORM_strp_sup:
	case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
		return (int)u->offset_size;
	case DW_FORM_ref_addr:
		return (int)(u->version <= 2 ? u->addr_size : u->offset_size);
	default:
		return VARIABLE;
	}
}

static bool add_attr(struct scan *sc, uint32_t at, uint32_t form,
		     int64_t implicit)
{
	struct po_error *err;

	sc->attrs = po_array_grow(sc->attrs, sc->nr_attrs, &sc->cap_attrs,
				  sizeof(*sc->attrs), &err);
	if (err)
		return false;
	sc->attrs[sc->nr_attrs++] =
		(struct abbrev_attr){ at, form, implicit,
				      form_size(sc->u, form) };
	return true;
}

static struct abbrev *code_slot(struct scan *sc, uint64_t code)
{
	if (code >= MAX_CODE)
		return NULL;
	if (code >= sc->nr_codes) {
		uint64_t n = code + 64 < MAX_CODE ? code + 64 : MAX_CODE;
		struct abbrev *a = realloc(sc->abbrevs, n * sizeof(*a));

		if (!a)
			return NULL;
		memset(a + sc->nr_codes, 0, (n - sc->nr_codes) * sizeof(*a));
		sc->abbrevs = a;
		sc->nr_codes = n;
	}
	return sc->abbrevs[code].known ? NULL : &sc->abbrevs[code];
}

static bool wanted_tag(const struct po_scan_sections *s, uint64_t tag)
{
	size_t i;

	for (i = 0; i < s->nr_tags; i++)
		if (s->tags[i] == tag)
			return true;
	return false;
}

/* How to step over a DIE of @a without reading its values one by one. */
static void plan_abbrev(struct scan *sc, struct abbrev *a)
{
	uint32_t i;

	a->fixed = 0;
	a->sibling_at = VARIABLE;
	for (i = 0; i < a->nr; i++) {
		const struct abbrev_attr *at = &sc->attrs[a->first + i];

		if (at->at == DW_AT_sibling && a->fixed != VARIABLE &&
		    (at->form == DW_FORM_ref1 || at->form == DW_FORM_ref2 ||
		     at->form == DW_FORM_ref4 || at->form == DW_FORM_ref8 ||
		     at->form == DW_FORM_ref_addr)) {
			a->sibling_at = a->fixed;
			a->sibling_form = at->form;
		}
		/* Sizes stay small: a huge sum is garbage, read slowly. */
		if (at->size == VARIABLE || a->fixed == VARIABLE ||
		    a->fixed > (1 << 20))
			a->fixed = VARIABLE;
		else
			a->fixed += at->size;
	}
	a->wanted = wanted_tag(sc->s, a->tag);
}

/* The rest of @a, from @c on; false if it cannot be read. */
static bool parse_abbrev(struct scan *sc, struct abbrev *a, struct cursor *c)
{
	uint64_t at, form;

	a->tag = (uint32_t)get_uleb(c);
	a->children = get_fixed(c, 1, false) != 0;
	a->first = sc->nr_attrs;
	while ((at = get_uleb(c)) | (form = get_uleb(c))) {
		int64_t implicit =
			form == DW_FORM_implicit_const ? get_sleb(c) : 0;

		if (c->bad || at > UINT32_MAX || form > UINT32_MAX ||
		    !add_attr(sc, (uint32_t)at, (uint32_t)form, implicit))
			return false;
	}
	if (c->bad)
		return false;
	a->nr = sc->nr_attrs - a->first;
	plan_abbrev(sc, a);
	a->known = true;
	return true;
}

/* The unit's abbreviation table; false if it cannot be read. */
static bool load_abbrevs(struct scan *sc)
{
	const struct po_scan_section *sec = &sc->s->abbrev;
	struct cursor c;

	if (!sec->data || sc->u->abbrev_off >= sec->size)
		return false;
	c = (struct cursor){ sec->data + sc->u->abbrev_off,
			     sec->data + sec->size, false };
	for (;;) {
		uint64_t code = get_uleb(&c);
		struct abbrev *a;

		if (c.bad || !code)
			return !c.bad;
		a = code_slot(sc, code);
		if (!a || !parse_abbrev(sc, a, &c))
			return false;
	}
}

/* ---- attribute values ---- */

enum val_kind {
	VAL_NUM,
	VAL_STRING, /* in .debug_info itself */
	VAL_STRP,
	VAL_LINE_STRP,
	VAL_STRX,
	VAL_REF_UNIT, /* unit-relative */
	VAL_REF_INFO, /* .debug_info-relative */
	VAL_OTHER, /* a string or reference this scan does not follow */
};

struct value {
	enum val_kind kind;
	uint64_t num;
	const char *str;
};

/* What a value of @form is, for the attributes the scan reads. */
static enum val_kind form_kind(uint64_t form)
{
	switch (form) {
	case DW_FORM_string:
		return VAL_STRING;
	case DW_FORM_strp:
		return VAL_STRP;
	case DW_FORM_line_strp:
		return VAL_LINE_STRP;
	case DW_FORM_strx:
	case DW_FORM_strx1:
	case DW_FORM_strx2:
	case DW_FORM_strx3:
	case DW_FORM_strx4:
		return VAL_STRX;
	case DW_FORM_ref1:
	case DW_FORM_ref2:
	case DW_FORM_ref4:
	case DW_FORM_ref8:
	case DW_FORM_ref_udata:
		return VAL_REF_UNIT;
	case DW_FORM_ref_addr:
		return VAL_REF_INFO;
	case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup4:
	case DW_FORM_ref_sup8:
	case DW_FORM_strp_sup:
	case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
	case DW_FORM_GNU_str_index:
		return VAL_OTHER;
	default:
		return VAL_NUM;
	}
}

static void get_value(const struct scan *sc, struct cursor *c, uint64_t form,
		      int size, int64_t implicit, struct value *v,
		      int indirect);

/* A value of a variable-size @form; c->bad if it is unknown or runs out. */
static void get_variable(const struct scan *sc, struct cursor *c, uint64_t form,
			 struct value *v, int indirect)
{
	switch (form) {
	case DW_FORM_sdata:
		v->num = (uint64_t)get_sleb(c);
		break;
	case DW_FORM_udata:
	case DW_FORM_addrx:
	case DW_FORM_loclistx:
	case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index:
	case DW_FORM_strx:
	case DW_FORM_ref_udata:
	case DW_FORM_GNU_str_index:
		v->num = get_uleb(c);
		break;
	case DW_FORM_block1:
	case DW_FORM_block2:
	case DW_FORM_block4:
		skip(c, get_fixed(c,
				  form == DW_FORM_block1 ? 1 :
				  form == DW_FORM_block2 ? 2 :
							   4,
				  sc->s->big_endian));
		break;
	case DW_FORM_block:
	case DW_FORM_exprloc:
		skip(c, get_uleb(c));
		break;
	case DW_FORM_string: {
		const uint8_t *nul =
			memchr(c->p, '\0', (size_t)(c->end - c->p));

		if (!nul) {
			skip(c, (uint64_t)(c->end - c->p) + 1);
			break;
		}
		v->str = (const char *)c->p;
		c->p = nul + 1;
		break;
	}
	case DW_FORM_indirect:
		form = get_uleb(c);
		if (indirect >= MAX_INDIRECT || form == DW_FORM_implicit_const)
			c->bad = true;
		else if (!c->bad)
			get_value(sc, c, form, form_size(sc->u, form), 0, v,
				  indirect + 1);
		break;
	default:
		c->bad = true;
		break;
	}
}

/*
 * Read a value of @form, whose size is @size (form_size()); c->bad if it
 * is unknown or runs out.
 */
static void get_value(const struct scan *sc, struct cursor *c, uint64_t form,
		      int size, int64_t implicit, struct value *v, int indirect)
{
	v->kind = form_kind(form);
	v->num = 0;
	v->str = NULL;
	if (form == DW_FORM_flag_present)
		v->num = 1;
	else if (form == DW_FORM_implicit_const)
		v->num = (uint64_t)implicit;
	else if (size > 8)
		skip(c, (uint64_t)size);
	else if (size != VARIABLE)
		v->num = get_fixed(c, (unsigned int)size, sc->s->big_endian);
	else
		get_variable(sc, c, form, v, indirect);
}

/* A name value as a string, or NULL if the scan cannot read it. */
static const char *value_string(const struct scan *sc, const struct value *v)
{
	const struct po_scan_sections *s = sc->s;
	const unsigned int osz = sc->u->offset_size;
	uint64_t pos;
	struct cursor c;

	switch (v->kind) {
	case VAL_STRING:
		return v->str;
	case VAL_STRP:
		return section_string(&s->str, v->num);
	case VAL_LINE_STRP:
		return section_string(&s->line_str, v->num);
	case VAL_STRX:
		if (!sc->u->has_str_offsets_base || !s->str_offsets.data ||
		    s->str_offsets.size < osz ||
		    sc->u->str_offsets_base > s->str_offsets.size ||
		    v->num > s->str_offsets.size / osz)
			return NULL;
		pos = sc->u->str_offsets_base + v->num * osz;
		if (pos > s->str_offsets.size - osz)
			return NULL;
		c = (struct cursor){ s->str_offsets.data + pos,
				     s->str_offsets.data + s->str_offsets.size,
				     false };
		return section_string(&s->str,
				      get_fixed(&c, osz, s->big_endian));
	default:
		return NULL;
	}
}

/* ---- DIEs ---- */

static const struct abbrev *get_abbrev(const struct scan *sc, struct cursor *c)
{
	uint64_t code = get_uleb(c);

	return !c->bad && code < sc->nr_codes && sc->abbrevs[code].known ?
		       &sc->abbrevs[code] :
		       NULL;
}

/* The DIE a reference @v names, if in this unit; else UINT64_MAX. */
static uint64_t unit_ref(const struct scan *sc, const struct value *v)
{
	uint64_t off = v->kind == VAL_REF_UNIT ? sc->u->start + v->num :
		       v->kind == VAL_REF_INFO ? v->num :
						 UINT64_MAX;

	return off > sc->u->cu_die && off < sc->u->end ? off : UINT64_MAX;
}

/* Note in @d what the index needs of attribute @at and its value @v. */
static inline void note_attr(const struct scan *sc, uint32_t at,
			     const struct value *v, struct po_scan_die *d)
{
	switch (at) {
	case DW_AT_name:
		/* dwarf_attr() takes the first, should there be two. */
		if (d->name || d->name_unread)
			break;
		d->name = v ? value_string(sc, v) : NULL;
		d->name_unread = !d->name;
		break;
	case DW_AT_declaration:
		d->declaration = true;
		break;
	case DW_AT_location:
		d->location = true;
		break;
	case DW_AT_specification:
	case DW_AT_abstract_origin:
		d->integrates = true;
		*(at == DW_AT_specification ? &d->spec : &d->origin) =
			v ? unit_ref(sc, v) : UINT64_MAX;
		break;
	default:
		break;
	}
}

/*
 * The attribute values of a DIE of @a, whose code @c has read: what the
 * index needs into @d (NULL to step over them), and *@sibling, its
 * DW_AT_sibling (0 if none).  False if they cannot be read.
 */
static bool read_values(const struct scan *sc, struct cursor *c,
			const struct abbrev *a, struct po_scan_die *d,
			uint64_t *sibling)
{
	uint32_t i;

	*sibling = 0;
	if (d)
		d->tag = a->tag;
	if (!d && a->sibling_at != VARIABLE) {
		unsigned int n =
			(unsigned int)form_size(sc->u, a->sibling_form);
		uint64_t v;

		if ((size_t)(c->end - c->p) < (size_t)a->sibling_at + n)
			return false;
		v = load(c->p + a->sibling_at, n, sc->s->big_endian);
		*sibling = a->sibling_form == DW_FORM_ref_addr ?
				   v :
				   sc->u->start + v;
	}
	if (!d && a->fixed != VARIABLE) {
		skip(c, (uint64_t)a->fixed);
		return !c->bad;
	}
	for (i = 0; i < a->nr; i++) {
		const struct abbrev_attr *at = &sc->attrs[a->first + i];
		struct value v;

		/* Only a name's value and a sibling's are needed; of the
		 * rest, whether they are there. */
		if (at->size != VARIABLE && at->at != DW_AT_sibling &&
		    (!d ||
		     (at->at != DW_AT_name && at->at != DW_AT_specification &&
		      at->at != DW_AT_abstract_origin))) {
			skip(c, (uint64_t)at->size);
			if (d)
				note_attr(sc, at->at, NULL, d);
			continue;
		}
		get_value(sc, c, at->form, at->size, at->implicit, &v, 0);
		if (c->bad)
			return false;
		if (at->at == DW_AT_sibling && v.kind == VAL_REF_UNIT)
			*sibling = sc->u->start + v.num;
		else if (at->at == DW_AT_sibling && v.kind == VAL_REF_INFO)
			*sibling = v.num;
		else if (d)
			note_attr(sc, at->at, &v, d);
	}
	return !c->bad;
}

/*
 * dwarf_attr_integrate()'s DW_AT_name for @d, which has none of its own:
 * through DW_AT_abstract_origin, else DW_AT_specification, checking up to
 * 16 DIEs in all as libdw does.  Leaves d->integrates set where the chain
 * leaves the scan's reach.
 */
static void integrate_name(const struct scan *sc, struct po_scan_die *d)
{
	struct po_scan_die t = *d;
	int n;

	for (n = 1; n < 16; n++) {
		uint64_t ref = t.origin ? t.origin : t.spec, sibling;
		struct cursor c;
		const struct abbrev *a;

		if (!ref)
			break;
		if (ref == UINT64_MAX)
			return;
		c = (struct cursor){ sc->s->info.data + ref,
				     sc->s->info.data + sc->u->end, false };
		t = (struct po_scan_die){ .off = ref };
		a = get_abbrev(sc, &c);
		if (!a || !read_values(sc, &c, a, &t, &sibling) ||
		    t.name_unread)
			return;
		if (t.name) {
			d->name = t.name;
			break;
		}
	}
	d->integrates = false;
}

/* read_values() of a DIE to report: its name integrated where need be. */
static bool read_report(const struct scan *sc, struct cursor *c,
			const struct abbrev *a, struct po_scan_die *d,
			uint64_t *sibling)
{
	if (!read_values(sc, c, a, d, sibling))
		return false;
	if (d && d->integrates && !d->name_unread) {
		if (d->name)
			d->integrates = false;
		else
			integrate_name(sc, d);
	}
	return true;
}

/* Step over the children of a DIE; false if they cannot be read. */
static bool skip_children(const struct scan *sc, struct cursor *c)
{
	unsigned long depth = 1;

	while (depth) {
		const struct abbrev *a;
		uint64_t sibling;

		if (c->p < c->end && !*c->p) {
			c->p++;
			depth--;
			continue;
		}
		a = get_abbrev(sc, c);
		if (!a || !read_values(sc, c, a, NULL, &sibling))
			return false;
		depth += a->children;
	}
	return true;
}

/* Step over a DIE's children, through DW_AT_sibling where it has one. */
static bool step_over(const struct scan *sc, struct cursor *c,
		      const struct abbrev *a, uint64_t off, uint64_t sibling)
{
	if (!a->children)
		return true;
	if (sibling > off && sibling < sc->u->end) {
		c->p = sc->s->info.data + sibling;
		return true;
	}
	return skip_children(sc, c);
}

/*
 * The children of the enumeration type @e, from @c: reported to @fn if
 * @report, else only stepped over up to *@after.
 */
static bool
enum_children(const struct scan *sc, struct cursor c,
	      const struct po_scan_die *e, bool report,
	      struct po_error *(*fn)(void *, const struct po_scan_die *),
	      void *arg, struct po_error **err, struct cursor *after)
{
	const uint8_t *base = sc->s->info.data;

	for (;;) {
		struct po_scan_die d = {
			.depth = 2,
			.parent = e->off,
			.parent_declaration = e->declaration,
		};
		const struct abbrev *a;
		uint64_t sibling;

		if (c.p < c.end && !*c.p) {
			c.p++;
			*after = c;
			return true;
		}
		d.off = (uint64_t)(c.p - base);
		a = get_abbrev(sc, &c);
		if (!a ||
		    !read_report(sc, &c, a, report ? &d : NULL, &sibling) ||
		    !step_over(sc, &c, a, d.off, sibling))
			return false;
		if (report && (*err = fn(arg, &d)))
			return true;
	}
}

/* The CU DIE: its DW_AT_str_offsets_base; false if it has no children. */
static bool read_cu_die(struct scan *sc, struct cursor *c,
			struct po_scan_unit *u)
{
	const struct abbrev *a = get_abbrev(sc, c);
	uint32_t i;

	if (!a || !a->children)
		return false;
	for (i = 0; i < a->nr; i++) {
		const struct abbrev_attr *at = &sc->attrs[a->first + i];
		struct value v;

		get_value(sc, c, at->form, at->size, at->implicit, &v, 0);
		if (c->bad)
			return false;
		if (at->at == DW_AT_str_offsets_base && v.kind == VAL_NUM) {
			u->has_str_offsets_base = true;
			u->str_offsets_base = v.num;
		}
	}
	return true;
}

/* One top-level DIE at @c, and its children; false if unreadable. */
static bool scan_die(const struct scan *sc, struct cursor *c,
		     struct po_error *(*fn)(void *, const struct po_scan_die *),
		     void *arg, struct po_error **err)
{
	struct po_scan_die d = { .depth = 1 };
	const struct abbrev *a;
	struct cursor kids, after;
	uint64_t sibling;
	bool is_enum;

	d.off = (uint64_t)(c->p - sc->s->info.data);
	a = get_abbrev(sc, c);
	if (!a || !read_report(sc, c, a, a->wanted ? &d : NULL, &sibling))
		return false;
	is_enum = a->wanted && a->children && a->tag == DW_TAG_enumeration_type;
	kids = *c;
	/* Enumerators are read twice: reported only once all of them read,
	 * so that the DIE to resume from was never reported. */
	if (is_enum) {
		if (!enum_children(sc, kids, &d, false, fn, arg, err, &after))
			return false;
		*c = after;
		enum_children(sc, kids, &d, true, fn, arg, err, &after);
	} else if (!step_over(sc, c, a, d.off, sibling)) {
		return false;
	}
	if (a->wanted && !*err)
		*err = fn(arg, &d);
	return true;
}

struct po_error *po_dwarf_scan_unit(
	const struct po_scan_sections *s, const struct po_scan_unit *unit,
	struct po_error *(*fn)(void *arg, const struct po_scan_die *d),
	void *arg, uint64_t *resume)
{
	struct po_scan_unit u = *unit;
	struct scan sc = { .s = s, .u = &u };
	struct po_error *err = NULL;
	struct cursor c;

	*resume = u.cu_die;
	if (!s->info.data || u.end > s->info.size || u.cu_die >= u.end ||
	    !load_abbrevs(&sc))
		goto out;
	c = (struct cursor){ s->info.data + u.cu_die, s->info.data + u.end,
			     false };
	if (!read_cu_die(&sc, &c, &u))
		goto out;
	while (c.p < c.end && *c.p) {
		*resume = (uint64_t)(c.p - s->info.data);
		if (!scan_die(&sc, &c, fn, arg, &err) || err)
			goto out;
	}
	*resume = 0;
out:
	free(sc.abbrevs);
	free(sc.attrs);
	return err;
}
