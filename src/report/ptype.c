// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: the shell's ptype and whatis: types with offsets, sizes, holes
 * and padding, laid out as gdb's "ptype /o".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "object/expr.h"
#include "program/program.h"

/*
 * The layout of gdb 10's "ptype /o" (the gdb inside Debian 12's crash),
 * quirks included, so that the two can be compared line by line: a
 * 23-column gutter, struct- and union-typed members expanded in place
 * (but not typedefs of them), and holes found by tracking where the
 * previous member ended.  That tracking does not move inside a union, so
 * a union at a nonzero offset in its parent reports "padding" of its size
 * minus that offset, as gdb does.
 */
#define GUTTER 23

struct ptyper {
	struct po_debuginfo *dw;
	FILE *out;
};

/* gdb's print_offset_data: where the last member ended, in bits. */
struct offsets {
	uint64_t end_bits;
	uint64_t base_bits; /* offset of this struct in the outermost one */
};

static struct po_error *print_fields(struct ptyper *pt, struct po_type type,
				     struct offsets *od, int level, int depth);

static void maybe_hole(struct ptyper *pt, const struct offsets *od,
		       uint64_t bitpos, const char *what)
{
	uint64_t hole;

	if (!od->end_bits || od->end_bits >= bitpos)
		return;
	hole = bitpos - od->end_bits;
	if (hole % 8)
		fprintf(pt->out, "/* XXX %2u-bit %s   */\n",
			(unsigned int)(hole % 8), what);
	if (hole / 8)
		fprintf(pt->out, "/* XXX %2u-byte %s  */\n",
			(unsigned int)(hole / 8), what);
}

static void gutter(struct ptyper *pt, bool in_union, const struct po_field *f,
		   struct offsets *od, uint64_t size)
{
	uint64_t bits = od->base_bits + f->bit_offset;

	if (in_union) {
		fprintf(pt->out, "/*              %4" PRIu64 " */", size);
		return;
	}
	maybe_hole(pt, od, f->bit_offset, "hole");
	if (f->bit_size || od->base_bits % 8)
		fprintf(pt->out, "/* %4u:%2u", (unsigned int)(bits / 8),
			(unsigned int)(bits % 8));
	else
		fprintf(pt->out, "/* %4u   ", (unsigned int)(bits / 8));
	fprintf(pt->out, "   |  %4u */", (unsigned int)size);
	od->end_bits = f->bit_offset + (f->bit_size ? f->bit_size : size * 8);
}

static void total_size(struct ptyper *pt, const struct offsets *od,
		       uint64_t size, int level)
{
	maybe_hole(pt, od, size * 8, "padding");
	fprintf(pt->out, "\n%*s/* total size (bytes): %4" PRIu64 " */\n",
		level + 4 + GUTTER, "", size);
}

/* A struct- or union-typed member, opened and printed in place. */
static struct po_error *nested(struct ptyper *pt, const struct po_field *f,
			       const struct offsets *parent, uint64_t size,
			       int level, int depth)
{
	struct po_type t = po_type_unqualified(pt->dw, f->type);
	bool is_union = po_type_kind(pt->dw, t) == PO_TYPE_UNION;
	const char *tag = po_type_name(pt->dw, t);
	struct offsets od = {
		.end_bits = parent->end_bits - size * 8,
		.base_bits = parent->base_bits + f->bit_offset,
	};
	struct po_error *err;

	fprintf(pt->out, "%*s%s%s%s {\n", level + 4, "",
		is_union ? "union" : "struct", tag ? " " : "", tag ? tag : "");
	err = print_fields(pt, t, &od, level + 4, depth + 1);
	if (err)
		return err;
	fprintf(pt->out, "%*s}%s%s;\n", GUTTER + level + 4, "",
		f->name ? " " : "", f->name ? f->name : "");
	return NULL;
}

static struct po_error *field_line(struct ptyper *pt, const struct po_field *f,
				   bool in_union, struct offsets *od,
				   uint64_t size, int level, int depth)
{
	enum po_type_kind k = po_type_kind(pt->dw, f->type);
	struct po_error *err;
	char *decl;

	gutter(pt, in_union, f, od, size);
	if (k == PO_TYPE_STRUCT || k == PO_TYPE_UNION)
		return nested(pt, f, od, size, level, depth);
	err = po_ctype_name(pt->dw, (struct po_ctype){ f->type, 0 },
			    f->name ? f->name : "", &decl);
	if (err)
		return err;
	fprintf(pt->out, "%*s%s", level + 4, "", decl);
	if (f->bit_size)
		fprintf(pt->out, " : %" PRIu64, f->bit_size);
	fputs(";\n", pt->out);
	free(decl);
	return NULL;
}

static struct po_error *print_fields(struct ptyper *pt, struct po_type type,
				     struct offsets *od, int level, int depth)
{
	bool in_union = po_type_kind(pt->dw, type) == PO_TYPE_UNION;
	struct po_error *err;
	struct po_field *f;
	uint64_t total, size;
	size_t i, n;

	if (depth > 16)
		return po_error_create(PO_ERR_BAD_DATA, "types nest too deep");
	err = po_type_size(pt->dw, type, &total);
	if (!err)
		err = po_type_fields(pt->dw, type, &f, &n);
	if (err)
		return err;
	if (!n)
		fprintf(pt->out, "%*s<no data fields>\n", level + 4, "");
	for (i = 0; !err && i < n; i++) {
		err = po_type_size(pt->dw, f[i].type, &size);
		if (po_error_catch(&err, PO_ERR_LOOKUP))
			size = 0; /* a flexible array */
		if (!err)
			err = field_line(pt, &f[i], in_union, od, size, level,
					 depth);
	}
	free(f);
	if (!err)
		total_size(pt, od, total, level);
	return err;
}

/* "enum X {A, B, C = 8}": values only where they break the count. */
static struct po_error *print_enum_body(struct ptyper *pt, struct po_type t)
{
	struct po_enumerator *e;
	struct po_error *err;
	int64_t next = 0;
	size_t i, n;

	err = po_type_enumerators(pt->dw, t, &e, &n);
	if (err)
		return err;
	fputs(" {", pt->out);
	for (i = 0; i < n; i++) {
		fprintf(pt->out, "%s%s", i ? ", " : "", e[i].name);
		if (e[i].value != next)
			fprintf(pt->out, " = %" PRId64, e[i].value);
		next = e[i].value + 1;
	}
	fputc('}', pt->out);
	free(e);
	return NULL;
}

/* The type under all pointers, and the stars to print after it. */
static struct po_ctype core_type(struct po_debuginfo *dw, struct po_ctype ct,
				 unsigned int *stars)
{
	struct po_ctype t;

	*stars = 0;
	ct = po_ctype_strip(dw, ct);
	while (po_ctype_kind(dw, ct) == PO_TYPE_POINTER && *stars < 16 &&
	       !po_ctype_target(dw, ct, &t)) {
		enum po_type_kind k = po_ctype_kind(dw, t);

		if (k == PO_TYPE_FUNCTION || k == PO_TYPE_ARRAY)
			break;
		ct = po_ctype_strip(dw, t);
		++*stars;
	}
	return ct;
}

/* " ***" after a struct or enum body: as many as the pointer levels. */
static void print_stars(FILE *out, unsigned int stars)
{
	if (stars)
		fputc(' ', out);
	while (stars--)
		fputc('*', out);
	fputc('\n', out);
}

static struct po_error *print_type(struct ptyper *pt, struct po_ctype ct)
{
	unsigned int stars;
	struct po_ctype core = core_type(pt->dw, ct, &stars);
	enum po_type_kind k = po_ctype_kind(pt->dw, core);
	struct po_error *err = NULL;
	char *name;

	if (k != PO_TYPE_STRUCT && k != PO_TYPE_UNION && k != PO_TYPE_ENUM) {
		err = po_ctype_name(pt->dw, po_ctype_strip(pt->dw, ct), "",
				    &name);
		if (!err)
			fprintf(pt->out, "type = %s\n", name);
		free(name);
		return err;
	}
	err = po_ctype_name(pt->dw, core, "", &name);
	if (err)
		return err;
	if (k == PO_TYPE_ENUM) {
		fprintf(pt->out, "type = %s", name);
		err = print_enum_body(pt, core.base);
		print_stars(pt->out, stars);
	} else {
		struct offsets od = { 0, 0 };

		fprintf(pt->out, "/* offset    |  size */  type = %s {\n",
			name);
		err = print_fields(pt, core.base, &od, 0, 0);
		if (!err) {
			fprintf(pt->out, "%*s}", GUTTER + 2, "");
			print_stars(pt->out, stars);
		}
	}
	free(name);
	return err;
}

/* TYPE or EXPR: an expression when it parses as one, else a type. */
static struct po_error *resolve(struct po_program *prog, const char *text,
				const struct po_object *history, size_t nr,
				struct po_ctype *ret)
{
	struct po_object obj;
	struct po_error *err, *terr;

	err = po_expr_eval(prog->mm, text, history, nr, &obj);
	if (!err) {
		*ret = obj.type;
		return NULL;
	}
	terr = po_ctype_parse(prog->dw, text, ret);
	if (!terr) {
		po_error_destroy(err);
		return NULL;
	}
	/* Report the type error for what can only be a type. */
	if (!strncmp(text, "struct ", 7) || !strncmp(text, "union ", 6) ||
	    !strncmp(text, "enum ", 5)) {
		po_error_destroy(err);
		return terr;
	}
	po_error_destroy(terr);
	return err;
}

struct po_error *po_ptype(struct po_program *prog, const char *text,
			  const struct po_object *history, size_t nr_history,
			  bool whatis, FILE *out)
{
	struct ptyper pt = { prog->dw, NULL };
	struct po_error *err;
	struct po_ctype ct;
	char *buf = NULL, *name;
	size_t len;

	err = resolve(prog, text, history, nr_history, &ct);
	if (err)
		return err;
	if (whatis) {
		err = po_ctype_name(prog->dw, ct, "", &name);
		if (!err)
			fprintf(out, "type = %s\n", name);
		free(name);
		return err;
	}
	/* Into memory first, so that an error prints nothing. */
	pt.out = open_memstream(&buf, &len);
	if (!pt.out)
		return &po_enomem;
	err = print_type(&pt, ct);
	if (fclose(pt.out) && !err)
		err = &po_enomem;
	if (!err)
		fputs(buf, out);
	free(buf);
	return err;
}
