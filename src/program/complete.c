// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Completion for a shell: kernel variables and types by name, and the
 * members of what the expression before the cursor evaluates to.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "object/expr.h"
#include "program/program.h"

struct completer {
	const char *word;
	size_t len;
	void (*fn)(void *arg, const char *name);
	void *arg;
};

static int complete_name(void *arg, const char *name, unsigned int kind)
{
	struct completer *c = arg;

	c->fn(c->arg, name);
	return 0;
}

static void complete_fields(struct po_debuginfo *dw, struct po_type t,
			    struct completer *c, int depth)
{
	struct po_field *f;
	struct po_error *err;
	size_t i, n;

	err = po_type_fields(dw, t, &f, &n);
	if (err) {
		po_error_destroy(err);
		return;
	}
	for (i = 0; i < n; i++) {
		if (f[i].name && !strncmp(f[i].name, c->word, c->len))
			c->fn(c->arg, f[i].name);
		else if (!f[i].name && depth < 8)
			complete_fields(dw, po_type_unqualified(dw, f[i].type),
					c, depth + 1);
	}
	free(f);
}

/* Where the postfix expression that ends at @end starts in @s. */
static size_t expr_start(const char *s, size_t end)
{
	int depth = 0;

	while (end > 0) {
		char ch = s[end - 1];

		if (ch == ')' || ch == ']') {
			depth++;
		} else if (ch == '(' || ch == '[') {
			if (!depth)
				break;
			depth--;
		} else if (!depth && (isspace((unsigned char)ch) ||
				      strchr(",;=+-*/!~&|^<>", ch) != NULL)) {
			/* "->" is part of the expression. */
			if (!(ch == '>' && end > 1 && s[end - 2] == '-') &&
			    !(ch == '-' && s[end] == '>'))
				break;
		}
		end--;
	}
	return end;
}

static bool complete_members(struct po_program *prog, const char *before,
			     const struct po_object *history, size_t nr,
			     struct completer *c)
{
	size_t end = strlen(before), start;
	struct po_object obj;
	struct po_error *err;
	bool arrow;
	char *expr;

	if (end >= 2 && !strcmp(before + end - 2, "->"))
		end -= 2, arrow = true;
	else if (end >= 1 && before[end - 1] == '.')
		end -= 1, arrow = false;
	else
		return false;
	start = expr_start(before, end);
	expr = strndup(before + start, end - start);
	if (!expr)
		return true;
	err = po_expr_eval(prog->mm, expr, history, nr, &obj);
	free(expr);
	if (!err &&
	    (arrow || po_ctype_kind(prog->dw, obj.type) == PO_TYPE_POINTER))
		err = po_object_deref(prog->mm, &obj, &obj);
	if (!err)
		complete_fields(prog->dw,
				po_ctype_strip(prog->dw, obj.type).base, c, 0);
	po_error_destroy(err);
	return true;
}

/* Does @before end with the word @kw (then a space)? */
static bool after_keyword(const char *before, const char *kw)
{
	size_t n = strlen(before), k = strlen(kw);

	while (n && isspace((unsigned char)before[n - 1]))
		n--;
	if (n == strlen(before) || n < k || strncmp(before + n - k, kw, k))
		return false;
	return n == k || !isalnum((unsigned char)before[n - k - 1]);
}

void po_complete(struct po_program *prog, const char *before, const char *word,
		 const struct po_object *history, size_t nr_history,
		 void (*fn)(void *arg, const char *name), void *arg)
{
	struct completer c = { word, strlen(word), fn, arg };

	if (complete_members(prog, before, history, nr_history, &c))
		return;
	if (after_keyword(before, "struct"))
		po_debuginfo_names(prog->dw, PO_NAME_STRUCT, word,
				   complete_name, &c);
	else if (after_keyword(before, "union"))
		po_debuginfo_names(prog->dw, PO_NAME_UNION, word, complete_name,
				   &c);
	else if (after_keyword(before, "enum"))
		po_debuginfo_names(prog->dw, PO_NAME_ENUM, word, complete_name,
				   &c);
	else
		po_debuginfo_names(prog->dw,
				   PO_NAME_VARIABLE | PO_NAME_ENUMERATOR |
					   PO_NAME_TYPEDEF,
				   word, complete_name, &c);
}
