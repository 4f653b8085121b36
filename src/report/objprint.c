// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: the shell's print, ptype, whatis and rd, in the shapes crash
 * (and the gdb inside it) users read every day: "$1 = {...}" with one
 * member per line, "ptype/o"-style offsets with holes, rd's hex+ASCII.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "object/expr.h"
#include "program/program.h"

/* gdb's "print elements" default, which crash keeps. */
#define PRINT_ELEMENTS 200

struct printer {
	struct po_program *prog;
	struct po_debuginfo *dw;
	FILE *out;
	int radix;
	bool nested; /* inside a struct or array: no "(type *)" prefixes */
};

static struct po_error *print_value(struct printer *pr,
				    const struct po_object *obj, int indent);

static void print_number(struct printer *pr, uint64_t v, bool sgn)
{
	if (pr->radix == 16)
		fprintf(pr->out, "0x%" PRIx64, v);
	else if (pr->radix == 8)
		fprintf(pr->out, "0%" PRIo64, v);
	else if (sgn)
		fprintf(pr->out, "%" PRId64, (int64_t)v);
	else
		fprintf(pr->out, "%" PRIu64, v);
}

static void print_char_escaped(FILE *out, unsigned char c, char quote)
{
	static const char esc[] = "\a\b\f\n\r\t\v";
	static const char letters[] = "abfnrtv";
	const char *e = c ? strchr(esc, c) : NULL;

	if (c == (unsigned char)quote || c == '\\')
		fprintf(out, "\\%c", c);
	else if (e)
		fprintf(out, "\\%c", letters[e - esc]);
	else if (isprint(c))
		fputc(c, out);
	else
		fprintf(out, "\\%03o", c);
}

static void print_base(struct printer *pr, struct po_ctype ct, uint64_t v)
{
	enum po_encoding enc = po_type_encoding(pr->dw, ct.base);

	if (enc == PO_ENC_BOOL) {
		fputs(v ? "true" : "false", pr->out);
		return;
	}
	print_number(pr, v, po_ctype_is_signed(pr->dw, ct));
	if (enc == PO_ENC_SIGNED_CHAR || enc == PO_ENC_UNSIGNED_CHAR) {
		fputs(" '", pr->out);
		print_char_escaped(pr->out, (unsigned char)v, '\'');
		fputc('\'', pr->out);
	}
}

/* An enum as gdb prints it: the name, else "(A | B | unknown: 0x8)". */
static struct po_error *print_enum(struct printer *pr, struct po_ctype ct,
				   uint64_t v)
{
	struct po_enumerator *e;
	struct po_error *err;
	uint64_t rest = v;
	size_t i, n;
	bool first = true;

	err = po_type_enumerators(pr->dw, ct.base, &e, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if ((uint64_t)e[i].value == v) {
			fputs(e[i].name, pr->out);
			free(e);
			return NULL;
		}
	for (i = 0; i < n && rest; i++) {
		uint64_t bit = (uint64_t)e[i].value;

		if (bit && !(bit & (bit - 1)) && (rest & bit)) {
			fprintf(pr->out, "%s%s", first ? "(" : " | ",
				e[i].name);
			rest &= ~bit;
			first = false;
		}
	}
	free(e);
	if (first) {
		print_number(pr, v, po_ctype_is_signed(pr->dw, ct));
		return NULL;
	}
	if (rest)
		fprintf(pr->out, " | unknown: 0x%" PRIx64, rest);
	fputc(')', pr->out);
	return NULL;
}

/* A C string at @addr, cut at PRINT_ELEMENTS like gdb. */
static void print_string_at(struct printer *pr, uint64_t addr)
{
	char buf[PRINT_ELEMENTS + 1];
	struct po_error *err;
	size_t i;

	if (!addr)
		return;
	/* Unreadable: gdb prints the bare pointer, and so do we. */
	err = po_mm_read_string(pr->prog->mm, addr, buf, sizeof(buf));
	if (err) {
		po_error_destroy(err);
		return;
	}
	fputs(" \"", pr->out);
	for (i = 0; buf[i]; i++)
		print_char_escaped(pr->out, (unsigned char)buf[i], '"');
	fprintf(pr->out, "\"%s", i == PRINT_ELEMENTS ? "..." : "");
}

/* " <sym>" or " <sym+off>" (decimal), as gdb annotates a pointer. */
static void print_symbol(struct printer *pr, uint64_t addr)
{
	struct po_symbol sym;
	struct po_error *err = po_symbolizer_resolve(pr->prog->sym, addr, &sym);

	if (!err && sym.offset < sym.size) {
		fprintf(pr->out, " <%s", sym.name);
		if (sym.offset)
			fprintf(pr->out, "+%" PRIu64, sym.offset);
		fputc('>', pr->out);
	}
	po_error_destroy(err);
}

static struct po_error *print_pointer(struct printer *pr, struct po_ctype ct,
				      uint64_t v, bool top)
{
	struct po_ctype target;
	struct po_error *err = po_ctype_target(pr->dw, ct, &target);
	enum po_encoding enc;

	if (err)
		return err;
	enc = po_ctype_kind(pr->dw, target) == PO_TYPE_BASE ?
		      po_type_encoding(pr->dw, target.base) :
		      PO_ENC_OTHER;
	if (enc == PO_ENC_SIGNED_CHAR || enc == PO_ENC_UNSIGNED_CHAR) {
		fprintf(pr->out, "0x%" PRIx64, v);
		print_string_at(pr, v);
		return NULL;
	}
	/* At the top, gdb names the pointer's type: "(pgd_t *) 0x...". */
	if (top) {
		char *name;

		err = po_ctype_name(pr->dw, ct, "", &name);
		if (err)
			return err;
		fprintf(pr->out, "(%s) ", name);
		free(name);
	}
	fprintf(pr->out, "0x%" PRIx64, v);
	print_symbol(pr, v);
	return NULL;
}

/*
 * A 128-bit integer (arm64's FP/SIMD registers in task_struct, __int128
 * unsigned vregs[32]) in memory, printed whole in the radix: it fits in
 * no po_object value.  Little-endian, as every kernel that has them.
 */
static struct po_error *print_int128(struct printer *pr,
				     const struct po_object *obj, bool sgn)
{
	unsigned __int128 v, u;
	struct po_error *err;
	char digits[64];
	size_t i = sizeof(digits);
	unsigned int base = pr->radix == 16 ? 16 : pr->radix == 8 ? 8 : 10;
	bool neg;

	err = po_mm_read(pr->prog->mm, obj->address, &v, sizeof(v));
	if (err)
		return err;
	neg = sgn && base == 10 && (__int128)v < 0;
	u = neg ? -v : v;
	digits[--i] = '\0';
	do {
		digits[--i] = "0123456789abcdef"[(unsigned int)(u % base)];
		u /= base;
	} while (u);
	fprintf(pr->out, "%s%s%s", neg ? "-" : "",
		base == 16 ? "0x" :
		base == 8  ? "0" :
			     "",
		digits + i);
	return NULL;
}

static struct po_error *print_scalar(struct printer *pr,
				     const struct po_object *obj, bool top)
{
	struct po_ctype ct = po_ctype_strip(pr->dw, obj->type);
	struct po_error *err;
	uint64_t size, v;

	if (po_ctype_kind(pr->dw, ct) == PO_TYPE_BASE &&
	    obj->kind == PO_OBJ_REFERENCE && !obj->bit_size &&
	    !po_ctype_size(pr->dw, ct, &size) && size == 16)
		return print_int128(pr, obj, po_ctype_is_signed(pr->dw, ct));
	err = po_object_read_scalar(pr->prog->mm, obj, &v);
	if (err)
		return err;
	switch (po_ctype_kind(pr->dw, ct)) {
	case PO_TYPE_POINTER:
		return print_pointer(pr, obj->type, v, top);
	case PO_TYPE_ENUM:
		return print_enum(pr, ct, v);
	default:
		print_base(pr, ct, v);
		return NULL;
	}
}

static void print_indent(struct printer *pr, int indent)
{
	fprintf(pr->out, "%*s", indent, "");
}

/* Members of a struct or union, one per line, gdb's "set print pretty". */
static struct po_error *print_struct(struct printer *pr,
				     const struct po_object *obj, int indent)
{
	struct po_field *f;
	struct po_error *err;
	size_t i, n;

	err = po_type_fields(pr->dw, obj->type.base, &f, &n);
	if (err)
		return err;
	fputs("{\n", pr->out);
	pr->nested = true;
	for (i = 0; i < n; i++) {
		struct po_object m =
			po_object_at((struct po_ctype){ f[i].type, 0 },
				     obj->address + f[i].bit_offset / 8);

		if (f[i].bit_size) {
			m.bit_offset = f[i].bit_offset % 8;
			m.bit_size = (uint8_t)f[i].bit_size;
		}
		print_indent(pr, indent + 2);
		if (f[i].name)
			fprintf(pr->out, "%s = ", f[i].name);
		err = print_value(pr, &m, indent + 2);
		if (err)
			break;
		fputs(i + 1 < n ? ",\n" : "\n", pr->out);
	}
	free(f);
	if (!err) {
		print_indent(pr, indent);
		fputc('}', pr->out);
	}
	return err;
}

/*
 * char[N] as crash prints it: every byte, NULs as \000, except a final
 * NUL (crash turns gdb's "print repeats" off, so nothing is folded).
 */
static struct po_error *print_char_array(struct printer *pr, uint64_t addr,
					 uint64_t len)
{
	unsigned char buf[PRINT_ELEMENTS];
	uint64_t n = len < PRINT_ELEMENTS ? len : PRINT_ELEMENTS, i;
	struct po_error *err = po_mm_read(pr->prog->mm, addr, buf, n);

	if (err)
		return err;
	if (n == len && n && !buf[n - 1])
		n--;
	fputc('"', pr->out);
	for (i = 0; i < n; i++)
		print_char_escaped(pr->out, buf[i], '"');
	fputs(len > PRINT_ELEMENTS ? "\"..." : "\"", pr->out);
	return NULL;
}

static struct po_error *print_array(struct printer *pr,
				    const struct po_object *obj, int indent)
{
	struct po_ctype elem;
	struct po_error *err;
	uint64_t len, size, i;
	enum po_encoding enc;

	err = po_type_array_length(pr->dw, obj->type.base, &len);
	if (!err)
		err = po_ctype_target(pr->dw, obj->type, &elem);
	if (!err)
		err = po_ctype_size(pr->dw, elem, &size);
	if (err)
		return err;
	enc = po_ctype_kind(pr->dw, elem) == PO_TYPE_BASE ?
		      po_type_encoding(pr->dw, elem.base) :
		      PO_ENC_OTHER;
	if (size == 1 &&
	    (enc == PO_ENC_SIGNED_CHAR || enc == PO_ENC_UNSIGNED_CHAR))
		return print_char_array(pr, obj->address, len);
	fputc('{', pr->out);
	pr->nested = true;
	for (i = 0; i < len && i < PRINT_ELEMENTS; i++) {
		struct po_object e =
			po_object_at(elem, obj->address + i * size);

		if (i)
			fputs(", ", pr->out);
		err = print_value(pr, &e, indent + 2);
		if (err)
			return err;
	}
	fputs(i < len ? "...}" : "}", pr->out);
	return NULL;
}

static struct po_error *print_value(struct printer *pr,
				    const struct po_object *obj, int indent)
{
	struct po_object o = *obj;

	o.type = po_ctype_strip(pr->dw, obj->type);
	switch (po_ctype_kind(pr->dw, o.type)) {
	case PO_TYPE_STRUCT:
	case PO_TYPE_UNION:
		return print_struct(pr, &o, indent);
	case PO_TYPE_ARRAY:
		return print_array(pr, &o, indent);
	case PO_TYPE_FUNCTION:
		fprintf(pr->out, "{function} 0x%" PRIx64, o.address);
		print_symbol(pr, o.address);
		return NULL;
	case PO_TYPE_VOID:
		return po_error_create(
			PO_ERR_INVALID,
			"symbol at 0x%" PRIx64 " has no type in the debug "
			"info (a function, or data without debug info); "
			"cast it, e.g. *(unsigned long *)&NAME",
			o.address);
	default:
		return print_scalar(pr, obj, !pr->nested);
	}
}

struct po_error *po_object_print(struct po_program *prog,
				 const struct po_object *obj,
				 const struct po_print_options *opt, FILE *out)
{
	struct printer pr = { prog, prog->dw, out,
			      opt && opt->radix ? opt->radix : 10, false };
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	struct po_error *err;

	if (!mem)
		return &po_enomem;
	/* Print into memory first, so that a fault prints nothing. */
	pr.out = mem;
	err = print_value(&pr, obj, 0);
	if (fclose(mem) && !err)
		err = &po_enomem;
	if (!err) {
		if (opt && opt->label)
			fprintf(out, "%s = ", opt->label);
		fprintf(out, "%s\n", buf);
	}
	free(buf);
	return err;
}
