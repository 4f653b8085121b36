/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 4, inside: struct po_symbolizer and what its files share.  Only
 * symbolize.c, kallsyms.c and modules.c include this.
 *
 *   symbolize.c  create, lookups, and %pS as the kernel prints it
 *   kallsyms.c   the kernel's kallsyms tables, in each of their encodings
 *   modules.c    loaded modules: their ranges and symbols
 */
#ifndef PO_SYMBOLIZE_INTERNAL_H
#define PO_SYMBOLIZE_INTERNAL_H

#include "kernel/symbolize.h"

#define KSYM_NAME_LEN 512 /* 6.1+: 512; enough for every era */
#define MAX_KALLSYMS (1U << 24) /* sanity bound on kallsyms_num_syms */
#define MAX_MODULES 4096
#define MAX_MODULE_SYMS (1U << 20)
#define ELF64_SYM_SIZE 24 /* sizeof(Elf64_Sym) */

struct module_range {
	uint64_t base;
	uint64_t size;
	uint64_t next_limit; /* "at worst, next value is here" */
	uint64_t best_floor; /* initial bestval of find_kallsyms_symbol */
	bool text;
};

struct module_sym {
	uint64_t value;
	uint32_t name; /* offset into strtab */
	char type; /* its kallsyms type letter */
};

struct module_info {
	char name[64];
	uint64_t init_fn; /* mod->init: kept after its text is freed */
	struct module_range ranges[8];
	int nr_ranges;
	struct module_sym *syms;
	size_t nr_syms;
	char *strtab;
	size_t strtab_len;
};

struct po_symbolizer {
	struct po_mm *mm;
	bool loaded, kernel_loaded;
	struct po_error *load_err; /* sticky: tables are read once */
	struct po_error *kernel_err; /* the kernel's tables alone */
	/* kernel kallsyms, in kallsyms (address) order */
	uint32_t nr_syms;
	uint64_t *addrs;
	/*
	 * Names stay compressed until asked for: a stack needs a few
	 * hundred of them, and expanding all (tens of thousands) cost more
	 * than symbolizing every stack of a big dump.
	 */
	uint8_t *cnames; /* kallsyms_names, as far as the symbols go */
	uint32_t *name_off; /* into cnames */
	char **names; /* expanded, or NULL */
	char *tokens; /* kallsyms_token_table */
	uint16_t tindex[256]; /* kallsyms_token_index */
	bool kallsyms_all;
	uint64_t stext, end, init_begin, init_end, etext, sinittext, einittext;
	uint32_t *by_name; /* indices sorted by name, built lazily */
	/* modules, read with the kernel tables */
	struct module_info *mods;
	size_t nr_mods, cap_mods;
};

/* kallsyms.c */
const char *po_ksym_name(struct po_symbolizer *sym, uint32_t i);
char po_ksym_type(const struct po_symbolizer *sym, uint32_t i);
struct po_error *po_ksym_index_names(struct po_symbolizer *sym);
uint32_t po_ksym_name_position(const struct po_symbolizer *sym,
			       const char *name);
int32_t po_ksym_find_name(const struct po_symbolizer *sym, const char *name);
struct po_error *po_kallsyms_load(struct po_symbolizer *sym);

/* modules.c */
struct po_error *po_modules_load(struct po_symbolizer *sym);

#endif /* PO_SYMBOLIZE_INTERNAL_H */
