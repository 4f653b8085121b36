/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 2, inside: the BTF backend's state, shared by btfdi.c (symbols,
 * types, .rodata) and btfvars.c (variables and their types).  Only
 * src/debuginfo/ includes this.
 */
#ifndef PO_BTFDI_H
#define PO_BTFDI_H

#include "debuginfo/btf.h"
#include "debuginfo/internal.h"
#include "dump/dump.h"

/* A kallsyms symbol, with its runtime (KASLR-shifted) address. */
struct bt_sym {
	char *name;
	uint64_t addr;
	char type; /* kallsyms' type letter: 'T', 'd', 'b', 'r' ... */
};

/* A pointer or array type BTF does not have, with an id past BTF's. */
struct bt_syn {
	enum po_type_kind kind; /* PO_TYPE_POINTER or PO_TYPE_ARRAY */
	struct po_type target;
	uint64_t nelems;
	bool bound; /* false: an array of unknown length */
};

/* The most variables btfvars.c's table can type in one run. */
#define BT_MAX_TYPED 64

struct po_btfdi {
	struct po_btf *btf; /* NULL until po_debuginfo_btf_attach() */
	size_t blob_size;
	struct po_dump *dump;
	uint64_t kaslr;
	uint64_t percpu_end; /* __per_cpu_end when .data..percpu is at 0 */
	struct bt_sym *syms; /* in kallsyms (address) order */
	size_t nr_syms, cap_syms;
	uint32_t *by_name; /* indices into syms, sorted by name */
	char *rodata; /* __start_rodata..__end_rodata, read on first use */
	size_t rodata_len;
	struct bt_syn *syn;
	size_t nr_syn;
	/* the variables typed from walk_vars[], for po_debuginfo_walk_typed() */
	const char *typed[BT_MAX_TYPED];
	size_t nr_typed;
};

/* btfdi.c */
bool po_btfdi_is_data(char type);
const struct bt_sym *po_btfdi_symbol(const struct po_btfdi *bt,
				     const char *name, bool data, size_t *nr);
uint64_t po_btfdi_link_address(const struct po_btfdi *bt, uint64_t addr);
uint64_t po_btfdi_symbol_gap(const struct po_btfdi *bt, const struct bt_sym *s);
struct po_error *po_btfdi_make_type(struct po_btfdi *bt, enum po_type_kind kind,
				    struct po_type target, uint64_t nelems,
				    bool bound, struct po_type *ret);
struct po_error *po_btfdi_pointer_to(struct po_btfdi *bt, struct po_type target,
				     struct po_type *ret);

/* btfvars.c */
struct po_error *po_btfdi_variable(struct po_debuginfo *dw, const char *name,
				   const char *file, struct po_variable *ret);
void po_btfdi_names(struct po_debuginfo *dw, unsigned int kinds,
		    const char *prefix,
		    int (*fn)(void *arg, const char *name, unsigned int kind),
		    void *arg);

#endif /* PO_BTFDI_H */
