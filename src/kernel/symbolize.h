/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 4: the symbolizer.  Rebuilds the kernel's own kallsyms tables from
 * the dump, and module symbols from each struct module's kallsyms, so that
 * text comes out exactly as the kernel's %pS prints it: symbol choice and
 * sizes follow kallsyms order, not ELF st_size.
 */
#ifndef PO_SYMBOLIZE_H
#define PO_SYMBOLIZE_H

#include "xlat/mm.h"

struct po_symbolizer;

/* Tables are read lazily, at the first lookup. */
struct po_error *po_symbolizer_create(struct po_mm *mm,
				      struct po_symbolizer **ret);
void po_symbolizer_destroy(struct po_symbolizer *sym);

/* Resolve @addr as kallsyms_lookup() would; PO_ERR_LOOKUP if nothing. */
struct po_error *po_symbolizer_resolve(struct po_symbolizer *sym, uint64_t addr,
				       struct po_symbol *ret);
/* Format @addr as %pS: "func+0xoff/0xsize [mod]" or "0xaddr". */
struct po_error *po_symbolizer_format(struct po_symbolizer *sym, uint64_t addr,
				      char *buf, size_t size);
/* Address of the first symbol called @name, kernel first, then modules. */
struct po_error *po_symbolizer_lookup(struct po_symbolizer *sym,
				      const char *name, uint64_t *ret);
/* The lowest address above @after of a kernel symbol named @name. */
struct po_error *po_symbolizer_lookup_next(struct po_symbolizer *sym,
					   const char *name, uint64_t after,
					   uint64_t *ret);
/*
 * po_symbolizer_kernel_symbols() - call @fn for each kernel kallsyms
 * symbol in kallsyms order, with its type letter ('T', 'd', ...) and
 * runtime address; the first error @fn returns ends the walk.  Reads the
 * kernel's tables only, not modules': a dump opened without vmlinux has
 * no types yet when it needs these.
 */
struct po_error *
po_symbolizer_kernel_symbols(struct po_symbolizer *sym,
			     struct po_error *(*fn)(void *arg, const char *name,
						    char type, uint64_t addr),
			     void *arg);
/* Number of kernel kallsyms entries (loads the tables). */
struct po_error *po_symbolizer_count(struct po_symbolizer *sym, size_t *ret);

/*
 * po_symbolizer_freed_init() - the module whose freed init text @addr was
 * in, or NULL.  do_init_module() frees a module's init text and clears
 * its layout once init returns, so frames there print as bare addresses;
 * but mod->init still points at the init function.  An address no live
 * module holds, from mod->init to the end of that page, is taken to be
 * in it: a frame of a later page of a long .init.text is not.
 */
const char *po_symbolizer_freed_init(struct po_symbolizer *sym, uint64_t addr);

#endif /* PO_SYMBOLIZE_H */
