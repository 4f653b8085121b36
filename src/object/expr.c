// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 3: a recursive-descent parser for C expressions that evaluates as
 * it parses.  Precedence and conversions follow C, simplified: integer
 * arithmetic is done in long or unsigned long.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "object/expr.h"

enum tok {
	T_END,
	T_IDENT,
	T_NUMBER,
	T_HISTORY, /* $ or $N */
	T_ARROW,
	T_SHL,
	T_SHR,
	T_LE,
	T_GE,
	T_EQ,
	T_NE,
	T_ANDAND,
	T_OROR,
	T_CHAR, /* any other single character, in ch */
};

struct parser {
	struct po_mm *mm;
	struct po_debuginfo *dw;
	const char *text;
	const char *pos; /* start of the current token */
	const char *next; /* just past it */
	enum tok tok;
	char ch;
	uint64_t number;
	char ident[256];
	const struct po_object *history;
	size_t nr_history;
	int depth;
};

static struct po_error *syntax(struct parser *p, const char *what)
{
	return po_error_create(PO_ERR_INVALID, "%s at column %d of '%s'", what,
			       (int)(p->pos - p->text) + 1, p->text);
}

static const struct {
	const char *s;
	enum tok t;
} two_char[] = {
	{ "->", T_ARROW }, { "<<", T_SHL },    { ">>", T_SHR },
	{ "<=", T_LE },	   { ">=", T_GE },     { "==", T_EQ },
	{ "!=", T_NE },	   { "&&", T_ANDAND }, { "||", T_OROR },
};

static struct po_error *lex_number(struct parser *p, const char *s)
{
	char *end;

	errno = 0;
	p->number = strtoull(s, &end, 0);
	if (errno)
		return syntax(p, "number out of range");
	while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
		end++;
	if (isalnum((unsigned char)*end) || *end == '_')
		return syntax(p, "bad number");
	p->tok = T_NUMBER;
	p->next = end;
	return NULL;
}

static struct po_error *lex_history(struct parser *p, const char *s)
{
	char *end;

	p->tok = T_HISTORY;
	if (!isdigit((unsigned char)s[1])) {
		p->number = p->nr_history; /* "$": the last one */
		p->next = s + 1;
		return NULL;
	}
	p->number = strtoull(s + 1, &end, 10);
	p->next = end;
	return NULL;
}

static const char *skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

static struct po_error *lex(struct parser *p)
{
	const char *s = p->next;
	size_t i, n;

	while (isspace((unsigned char)*s))
		s++;
	p->pos = s;
	if (!*s) {
		p->tok = T_END;
		p->next = s;
		return NULL;
	}
	if (isalpha((unsigned char)*s) || *s == '_') {
		for (n = 0; isalnum((unsigned char)s[n]) || s[n] == '_'; n++)
			;
		if (n >= sizeof(p->ident))
			return syntax(p, "name too long");
		memcpy(p->ident, s, n);
		p->ident[n] = '\0';
		p->tok = T_IDENT;
		p->next = s + n;
		return NULL;
	}
	if (isdigit((unsigned char)*s))
		return lex_number(p, s);
	if (*s == '$')
		return lex_history(p, s);
	if (*s == '\'' && s[1] && s[1] != '\\' && s[2] == '\'') {
		p->tok = T_NUMBER;
		p->number = (unsigned char)s[1];
		p->next = s + 3;
		return NULL;
	}
	for (i = 0; i < sizeof(two_char) / sizeof(two_char[0]); i++)
		if (!strncmp(s, two_char[i].s, 2)) {
			p->tok = two_char[i].t;
			p->next = s + 2;
			return NULL;
		}
	if (!strchr("()[].*&+-~!/%<>^|?:,", *s))
		return syntax(p, "unexpected character");
	p->tok = T_CHAR;
	p->ch = *s;
	p->next = s + 1;
	return NULL;
}

static bool is_char(const struct parser *p, char c)
{
	return p->tok == T_CHAR && p->ch == c;
}

static struct po_error *expect_char(struct parser *p, char c)
{
	char what[32];

	if (!is_char(p, c)) {
		snprintf(what, sizeof(what), "expected '%c'", c);
		return syntax(p, what);
	}
	return lex(p);
}

static struct po_error *parse_expr(struct parser *p, struct po_object *ret);
static struct po_error *parse_unary(struct parser *p, struct po_object *ret);

/* ---- types inside expressions: casts and sizeof ---- */

static bool type_keyword(const char *w)
{
	static const char *const kw[] = { "struct",   "union",	"enum",
					  "unsigned", "signed", "int",
					  "long",     "short",	"char",
					  "void",     "const",	"volatile",
					  "_Bool",    "bool" };
	size_t i;

	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (!strcmp(w, kw[i]))
			return true;
	return false;
}

/* After "(": does a type name follow?  A typedef counts unless a
 * variable of the same name hides it, as in C. */
static bool at_type(struct parser *p)
{
	struct po_variable var;
	struct po_type t;
	struct po_error *err;

	if (p->tok != T_IDENT)
		return false;
	if (type_keyword(p->ident))
		return true;
	err = po_type_find(p->dw, p->ident, &t);
	if (err) {
		po_error_destroy(err);
		return false;
	}
	err = po_mm_variable(p->mm, p->ident, NULL, &var);
	po_error_destroy(err);
	return err != NULL;
}

/* A type name up to the closing ")", which is consumed. */
static struct po_error *parse_type(struct parser *p, struct po_ctype *ret)
{
	const char *start = p->pos;
	struct po_error *err;
	char *text;

	while (p->tok == T_IDENT || is_char(p, '*')) {
		err = lex(p);
		if (err)
			return err;
	}
	if (!is_char(p, ')'))
		return syntax(p, "expected ')' after a type name");
	text = strndup(start, (size_t)(p->pos - start));
	if (!text)
		return &po_enomem;
	err = po_ctype_parse(p->dw, text, ret);
	free(text);
	return err ? err : lex(p);
}

static struct po_error *sizeof_value(struct parser *p, struct po_ctype ct,
				     struct po_object *ret)
{
	uint64_t size;
	struct po_error *err = po_ctype_size(p->dw, ct, &size);

	return err ? err : po_object_integer(p->mm, "unsigned long", size, ret);
}

static struct po_error *parse_sizeof(struct parser *p, struct po_object *ret)
{
	struct po_error *err = lex(p);
	struct po_object obj;
	struct po_ctype ct;

	if (err)
		return err;
	if (is_char(p, '(')) {
		const char *save = p->next;

		err = lex(p);
		if (!err && at_type(p)) {
			err = parse_type(p, &ct);
			return err ? err : sizeof_value(p, ct, ret);
		}
		po_error_destroy(err);
		p->next = save;
		p->tok = T_CHAR;
		p->ch = '(';
	}
	err = parse_unary(p, &obj);
	return err ? err : sizeof_value(p, obj.type, ret);
}

/* ---- primary and postfix ---- */

static struct po_error *parse_history(struct parser *p, struct po_object *ret)
{
	if (!p->number || p->number > p->nr_history)
		return syntax(p, p->nr_history ? "no such history value" :
						 "the value history is empty");
	*ret = p->history[p->number - 1];
	return lex(p);
}

/*
 * per_cpu(VAR, CPU), the kernel's macro: VAR's copy in CPU's per-CPU area,
 * &VAR + __per_cpu_offset[CPU].  "per_cpu" is already lexed.
 */
static struct po_error *parse_per_cpu(struct parser *p, struct po_object *ret)
{
	struct po_object var, cpu, offsets, off;
	struct po_error *err = lex(p);
	uint64_t c, n, delta;

	if (!err)
		err = expect_char(p, '(');
	if (!err)
		err = parse_expr(p, &var);
	if (!err)
		err = expect_char(p, ',');
	if (!err)
		err = parse_expr(p, &cpu);
	if (!err)
		err = expect_char(p, ')');
	if (!err && var.kind != PO_OBJ_REFERENCE)
		err = syntax(p, "per_cpu() needs a variable, not a value");
	if (!err)
		err = po_object_value(p->mm, &cpu, &c);
	if (!err)
		err = po_object_find(p->mm, "nr_cpu_ids", &off);
	if (!err)
		err = po_object_read_scalar(p->mm, &off, &n);
	if (!err && c >= n)
		err = po_error_create(PO_ERR_INVALID,
				      "per_cpu(): cpu %" PRIu64
				      " is not below nr_cpu_ids (%" PRIu64 ")",
				      c, n);
	if (!err)
		err = po_object_find(p->mm, "__per_cpu_offset", &offsets);
	if (!err)
		err = po_object_subscript(p->mm, &offsets, (int64_t)c, &off);
	if (!err)
		err = po_object_read_scalar(p->mm, &off, &delta);
	if (err)
		return err;
	*ret = po_object_at(var.type, var.address + delta);
	return NULL;
}

static struct po_error *parse_primary(struct parser *p, struct po_object *ret)
{
	struct po_error *err;

	switch (p->tok) {
	case T_NUMBER:
		err = po_object_integer(
			p->mm, p->number > INT64_MAX ? "unsigned long" : "long",
			p->number, ret);
		return err ? err : lex(p);
	case T_IDENT:
		if (!strcmp(p->ident, "per_cpu") && *skip_space(p->next) == '(')
			return parse_per_cpu(p, ret);
		err = po_object_find(p->mm, p->ident, ret);
		return err ? err : lex(p);
	case T_HISTORY:
		return parse_history(p, ret);
	default:
		/* "(" never gets here: parse_unary() takes it. */
		return syntax(p, "expression expected");
	}
}

static struct po_error *parse_member(struct parser *p, bool arrow,
				     struct po_object *obj)
{
	struct po_error *err = lex(p);
	struct po_object base = *obj;

	if (err)
		return err;
	if (p->tok != T_IDENT)
		return syntax(p, arrow ? "expected a member name after '->'" :
					 "expected a member name after '.'");
	if (arrow) {
		err = po_object_deref(p->mm, obj, &base);
		if (err)
			return err;
	}
	err = po_object_member(p->mm, &base, p->ident, obj);
	return err ? err : lex(p);
}

static struct po_error *parse_index(struct parser *p, struct po_object *obj)
{
	struct po_object idx;
	struct po_error *err = lex(p);
	uint64_t i;

	if (!err)
		err = parse_expr(p, &idx);
	if (!err)
		err = po_object_value(p->mm, &idx, &i);
	if (!err)
		err = expect_char(p, ']');
	if (!err)
		err = po_object_subscript(p->mm, obj, (int64_t)i, obj);
	return err;
}

/* "->m", ".m" and "[i]" after an operand. */
static struct po_error *parse_postfix_ops(struct parser *p,
					  struct po_object *ret)
{
	struct po_error *err = NULL;

	while (!err) {
		if (p->tok == T_ARROW)
			err = parse_member(p, true, ret);
		else if (is_char(p, '.'))
			err = parse_member(p, false, ret);
		else if (is_char(p, '['))
			err = parse_index(p, ret);
		else
			break;
	}
	return err;
}

static struct po_error *parse_postfix(struct parser *p, struct po_object *ret)
{
	struct po_error *err = parse_primary(p, ret);

	return err ? err : parse_postfix_ops(p, ret);
}

/* ---- values ---- */

/* Arrays used as values are pointers to their first element. */
static struct po_error *decay(struct parser *p, struct po_object *o)
{
	struct po_ctype elem;
	struct po_error *err;

	if (po_ctype_kind(p->dw, o->type) != PO_TYPE_ARRAY ||
	    o->kind != PO_OBJ_REFERENCE)
		return NULL;
	err = po_ctype_target(p->dw, o->type, &elem);
	if (err)
		return err;
	*o = (struct po_object){ .type = po_ctype_pointer(elem),
				 .kind = PO_OBJ_VALUE,
				 .value = o->address };
	return NULL;
}

static struct po_error *parse_cast(struct parser *p, struct po_object *ret)
{
	struct po_object obj;
	struct po_ctype ct;
	struct po_error *err = parse_type(p, &ct);

	if (!err)
		err = parse_unary(p, &obj);
	return err ? err : po_object_cast(p->mm, &obj, ct, ret);
}

static struct po_error *unary_arith(struct parser *p, char op,
				    struct po_object *obj)
{
	bool is_signed = po_ctype_is_signed(p->dw, obj->type);
	struct po_error *err;
	uint64_t v;

	err = po_object_value(p->mm, obj, &v);
	if (err)
		return err;
	switch (op) {
	case '-':
		v = -v;
		break;
	case '~':
		v = ~v;
		break;
	case '!':
		return po_object_integer(p->mm, "int", !v, obj);
	}
	return po_object_integer(p->mm, is_signed ? "long" : "unsigned long", v,
				 obj);
}

/* A parenthesised expression or a cast; "(" is already consumed. */
static struct po_error *parse_paren(struct parser *p, struct po_object *ret)
{
	struct po_error *err;

	if (at_type(p))
		return parse_cast(p, ret);
	err = parse_expr(p, ret);
	if (!err)
		err = expect_char(p, ')');
	return err ? err : parse_postfix_ops(p, ret);
}

static struct po_error *unary_body(struct parser *p, struct po_object *ret)
{
	struct po_error *err;
	char op;

	if (p->tok == T_IDENT && !strcmp(p->ident, "sizeof"))
		return parse_sizeof(p, ret);
	if (p->tok != T_CHAR || !strchr("-~!*&+(", p->ch))
		return parse_postfix(p, ret);
	op = p->ch;
	err = lex(p);
	if (err)
		return err;
	if (op == '(')
		return parse_paren(p, ret);
	err = parse_unary(p, ret);
	if (err)
		return err;
	switch (op) {
	case '*':
		return po_object_deref(p->mm, ret, ret);
	case '&':
		return po_object_address_of(p->mm, ret, ret);
	case '+':
		return NULL;
	default:
		return unary_arith(p, op, ret);
	}
}

static struct po_error *parse_unary(struct parser *p, struct po_object *ret)
{
	struct po_error *err;

	if (p->depth >= 200)
		return syntax(p, "expression nests too deep");
	p->depth++;
	err = unary_body(p, ret);
	p->depth--;
	return err;
}

/* ---- binary operators ---- */

enum { OP_NONE = -1 };

static int binary_prec(const struct parser *p, int *op)
{
	static const struct {
		char ch;
		int prec;
	} chars[] = { { '*', 10 }, { '/', 10 }, { '%', 10 }, { '+', 9 },
		      { '-', 9 },  { '<', 7 },	{ '>', 7 },  { '&', 5 },
		      { '^', 4 },  { '|', 3 } };
	size_t i;

	*op = p->tok;
	switch (p->tok) {
	case T_SHL:
	case T_SHR:
		return 8;
	case T_LE:
	case T_GE:
		return 7;
	case T_EQ:
	case T_NE:
		return 6;
	case T_ANDAND:
		return 2;
	case T_OROR:
		return 1;
	case T_CHAR:
		*op = 1000 + p->ch;
		for (i = 0; i < sizeof(chars) / sizeof(chars[0]); i++)
			if (chars[i].ch == p->ch)
				return chars[i].prec;
		return OP_NONE;
	default:
		return OP_NONE;
	}
}

static bool is_pointer(struct parser *p, const struct po_object *o)
{
	return po_ctype_kind(p->dw, o->type) == PO_TYPE_POINTER;
}

static struct po_error *pointer_arith(struct parser *p, int op,
				      struct po_object *l,
				      const struct po_object *r)
{
	struct po_ctype elem;
	struct po_error *err;
	uint64_t size, a, b;

	err = po_ctype_target(p->dw, l->type, &elem);
	if (!err)
		err = po_ctype_size(p->dw, elem, &size);
	if (!err)
		err = po_object_value(p->mm, l, &a);
	if (!err)
		err = po_object_value(p->mm, r, &b);
	if (err)
		return err;
	if (is_pointer(p, r)) /* pointer - pointer */
		return po_object_integer(
			p->mm, "long",
			(uint64_t)((int64_t)(a - b) / (int64_t)size), l);
	l->value = op == 1000 + '+' ? a + b * size : a - b * size;
	l->kind = PO_OBJ_VALUE;
	l->bit_size = 0;
	return NULL;
}

static struct po_error *int_arith(int op, uint64_t a, uint64_t b, bool sgn,
				  uint64_t *v)
{
	int64_t sa = (int64_t)a, sb = (int64_t)b;

	if ((op == 1000 + '/' || op == 1000 + '%') &&
	    (!b || (sgn && sb == -1 && sa == INT64_MIN)))
		return po_error_create(PO_ERR_INVALID, "division by zero");
	switch (op) {
	case 1000 + '*':
		*v = a * b;
		break;
	case 1000 + '/':
		*v = sgn ? (uint64_t)(sa / sb) : a / b;
		break;
	case 1000 + '%':
		*v = sgn ? (uint64_t)(sa % sb) : a % b;
		break;
	case 1000 + '+':
		*v = a + b;
		break;
	case 1000 + '-':
		*v = a - b;
		break;
	case T_SHL:
		*v = b < 64 ? a << b : 0;
		break;
	case T_SHR:
		*v = b < 64 ? (sgn ? (uint64_t)(sa >> b) : a >> b) : 0;
		break;
	case 1000 + '<':
		*v = sgn ? sa < sb : a < b;
		break;
	case 1000 + '>':
		*v = sgn ? sa > sb : a > b;
		break;
	case T_LE:
		*v = sgn ? sa <= sb : a <= b;
		break;
	case T_GE:
		*v = sgn ? sa >= sb : a >= b;
		break;
	case T_EQ:
		*v = a == b;
		break;
	case T_NE:
		*v = a != b;
		break;
	case 1000 + '&':
		*v = a & b;
		break;
	case 1000 + '^':
		*v = a ^ b;
		break;
	case 1000 + '|':
		*v = a | b;
		break;
	case T_ANDAND:
		*v = a && b;
		break;
	case T_OROR:
		*v = a || b;
		break;
	}
	return NULL;
}

static bool is_comparison(int op)
{
	return op == 1000 + '<' || op == 1000 + '>' || op == T_LE ||
	       op == T_GE || op == T_EQ || op == T_NE || op == T_ANDAND ||
	       op == T_OROR;
}

static struct po_error *apply(struct parser *p, int op, struct po_object *l,
			      struct po_object *r)
{
	struct po_error *err = decay(p, l);
	uint64_t a, b, v = 0;
	bool sgn;

	if (!err)
		err = decay(p, r);
	if (err)
		return err;
	if ((op == 1000 + '+' || op == 1000 + '-') && is_pointer(p, l))
		return pointer_arith(p, op, l, r);
	if (op == 1000 + '+' && is_pointer(p, r))
		return pointer_arith(p, op, r, l) ?: (*l = *r, NULL);
	err = po_object_value(p->mm, l, &a);
	if (!err)
		err = po_object_value(p->mm, r, &b);
	if (err)
		return err;
	sgn = (!is_pointer(p, l) && po_ctype_is_signed(p->dw, l->type)) &&
	      (!is_pointer(p, r) && po_ctype_is_signed(p->dw, r->type));
	err = int_arith(op, a, b, sgn, &v);
	if (err)
		return err;
	return po_object_integer(p->mm,
				 is_comparison(op) ? "int" :
				 sgn		   ? "long" :
						     "unsigned long",
				 v, l);
}

static struct po_error *parse_binary(struct parser *p, int min_prec,
				     struct po_object *ret)
{
	struct po_error *err = parse_unary(p, ret);
	int op, prec;

	while (!err && (prec = binary_prec(p, &op)) >= min_prec) {
		struct po_object rhs;

		err = lex(p);
		if (!err)
			err = parse_binary(p, prec + 1, &rhs);
		if (!err)
			err = apply(p, op, ret, &rhs);
	}
	return err;
}

static struct po_error *parse_expr(struct parser *p, struct po_object *ret)
{
	return parse_binary(p, 1, ret);
}

struct po_error *po_expr_eval(struct po_mm *mm, const char *text,
			      const struct po_object *history,
			      size_t nr_history, struct po_object *ret)
{
	struct parser p = { .mm = mm,
			    .dw = po_mm_debuginfo(mm),
			    .text = text,
			    .next = text,
			    .history = history,
			    .nr_history = nr_history };
	struct po_error *err = lex(&p);

	if (!err)
		err = parse_expr(&p, ret);
	if (!err && p.tok != T_END)
		err = syntax(&p, "unexpected text");
	return err;
}
