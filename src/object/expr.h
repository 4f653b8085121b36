/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 3: C-like expressions over the dump, for the shell's print, rd and
 * completion, and for scripts.  Globals, enumerators, numbers, "->", ".",
 * "[i]", casts, "&", "*", sizeof, arithmetic and comparisons; "$" and "$N"
 * name earlier results from @history (1-based, as gdb's value history).
 */
#ifndef PO_EXPR_H
#define PO_EXPR_H

#include "object/object.h"

struct po_error *po_expr_eval(struct po_mm *mm, const char *text,
			      const struct po_object *history,
			      size_t nr_history, struct po_object *ret);

#endif /* PO_EXPR_H */
