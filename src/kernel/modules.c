// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 4: loaded modules, their address ranges and their symbols. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/symbolize_internal.h"
#include "util/array.h"

/* ---- modules ---- */

struct module_layout_info {
	struct po_type module, kallsyms;
	struct po_member list, name, mkallsyms, state, init_fn;
	struct po_member symtab, num_symtab, strtab;
	bool has_typetab;
	struct po_member typetab;
	bool has_mem; /* 6.4+: struct module_memory mem[] */
	struct po_member mem;
	uint64_t mem_stride, nr_mem;
	struct po_member mem_base, mem_size;
	int64_t text_type, init_text_type, unformed;
	struct po_member core_base, core_size, core_text, init_base, init_size,
		init_text;
};

static struct po_error *module_member(struct po_debuginfo *dw, struct po_type t,
				      const char *path, struct po_member *m)
{
	return po_type_member(dw, t, path, m);
}

/*
 * Linux kernel commit ac3b43283923 ("module: replace module_layout with
 * module_memory") (in v6.4) split core_layout/init_layout into mem[].
 */
static struct po_error *module_layout(struct po_debuginfo *dw,
				      struct module_layout_info *l)
{
	struct po_error *err;
	struct po_type mm_type;

	err = po_type_find(dw, "struct module", &l->module);
	if (!err)
		err = po_type_find(dw, "struct mod_kallsyms", &l->kallsyms);
	if (!err)
		err = module_member(dw, l->module, "list", &l->list);
	if (!err)
		err = module_member(dw, l->module, "name", &l->name);
	if (!err)
		err = module_member(dw, l->module, "kallsyms", &l->mkallsyms);
	if (!err)
		err = module_member(dw, l->module, "state", &l->state);
	/* mod->init, for frames of a freed init text; optional. */
	if (!err && po_type_has_member(dw, l->module, "init"))
		err = module_member(dw, l->module, "init", &l->init_fn);
	else
		l->init_fn = (struct po_member){ 0 };
	if (!err)
		err = module_member(dw, l->kallsyms, "symtab", &l->symtab);
	if (!err)
		err = module_member(dw, l->kallsyms, "num_symtab",
				    &l->num_symtab);
	if (!err)
		err = module_member(dw, l->kallsyms, "strtab", &l->strtab);
	/*
	 * "kallsyms: store type information in its own array" (2019; cited
	 * by subject, the hash unchecked) moved each symbol's type letter
	 * from st_info to typetab: the member says which.
	 */
	l->has_typetab = !err && po_type_has_member(dw, l->kallsyms, "typetab");
	if (l->has_typetab)
		err = module_member(dw, l->kallsyms, "typetab", &l->typetab);
	if (!err)
		err = po_debuginfo_enumerator(dw, "MODULE_STATE_UNFORMED",
					      &l->unformed);
	if (err)
		return err;
	l->has_mem = po_type_has_member(dw, l->module, "mem");
	if (l->has_mem) {
		err = module_member(dw, l->module, "mem", &l->mem);
		if (!err)
			err = po_type_array_length(dw, l->mem.type, &l->nr_mem);
		if (!err)
			err = po_type_find(dw, "struct module_memory",
					   &mm_type);
		if (!err)
			err = po_type_size(dw, mm_type, &l->mem_stride);
		if (!err)
			err = module_member(dw, mm_type, "base", &l->mem_base);
		if (!err)
			err = module_member(dw, mm_type, "size", &l->mem_size);
		if (!err)
			err = po_debuginfo_enumerator(dw, "MOD_TEXT",
						      &l->text_type);
		if (!err)
			err = po_debuginfo_enumerator(dw, "MOD_INIT_TEXT",
						      &l->init_text_type);
		return err;
	}
	err = module_member(dw, l->module, "core_layout.base", &l->core_base);
	if (!err)
		err = module_member(dw, l->module, "core_layout.size",
				    &l->core_size);
	if (!err)
		err = module_member(dw, l->module, "core_layout.text_size",
				    &l->core_text);
	if (!err)
		err = module_member(dw, l->module, "init_layout.base",
				    &l->init_base);
	if (!err)
		err = module_member(dw, l->module, "init_layout.size",
				    &l->init_size);
	if (!err)
		err = module_member(dw, l->module, "init_layout.text_size",
				    &l->init_text);
	return err;
}

static void add_range(struct module_info *mi, uint64_t base, uint64_t size,
		      uint64_t next_limit, uint64_t best_floor, bool text)
{
	struct module_range *r;

	if (!size || mi->nr_ranges >= 8)
		return;
	r = &mi->ranges[mi->nr_ranges++];
	r->base = base;
	r->size = size;
	r->next_limit = next_limit;
	r->best_floor = best_floor;
	r->text = text;
}

static struct po_error *read_module_ranges(struct po_mm *mm,
					   const struct module_layout_info *l,
					   const uint8_t *mod,
					   struct module_info *mi)
{
	uint64_t i;

	if (l->has_mem) {
		for (i = 0; i < l->nr_mem && i < 8; i++) {
			struct po_member b = l->mem_base, s = l->mem_size;
			uint64_t base, size;

			b.bit_offset +=
				l->mem.bit_offset + i * l->mem_stride * 8;
			s.bit_offset +=
				l->mem.bit_offset + i * l->mem_stride * 8;
			base = po_member_get(&b, mod);
			size = po_member_get(&s, mod);
			add_range(mi, base, size, base + size, base - 1,
				  (int64_t)i == l->text_type ||
					  (int64_t)i == l->init_text_type);
		}
		return NULL;
	}
	/* Before v6.4 the floor is symtab[0]'s value, which is 0. */
	add_range(mi, po_member_get(&l->core_base, mod),
		  po_member_get(&l->core_size, mod),
		  po_member_get(&l->core_base, mod) +
			  po_member_get(&l->core_text, mod),
		  0, true);
	add_range(mi, po_member_get(&l->init_base, mod),
		  po_member_get(&l->init_size, mod),
		  po_member_get(&l->init_base, mod) +
			  po_member_get(&l->init_text, mod),
		  0, true);
	(void)mm;
	return NULL;
}

/*
 * Each symbol's type letter: from typetab (v5.2+), else from st_info,
 * where the module loader wrote it before.  A typetab the dump does not
 * hold leaves them unknown ('?'): the names still resolve.
 */
static struct po_error *read_types(struct po_mm *mm,
				   const struct module_layout_info *l,
				   const uint8_t *ks, const uint8_t *raw,
				   uint64_t n, struct module_sym *syms)
{
	uint8_t *types = NULL;
	struct po_error *err;
	uint64_t i;

	if (l->has_typetab) {
		types = malloc(n + 1);
		if (!types)
			return &po_enomem;
		err = po_mm_read(mm, po_member_get(&l->typetab, ks), types, n);
		if (err) {
			po_error_destroy(err);
			memset(types, '?', n);
		}
	}
	for (i = 0; i < n; i++)
		syms[i].type =
			(char)(types ? types[i] : raw[i * ELF64_SYM_SIZE + 4]);
	free(types);
	return NULL;
}

static struct po_error *read_module_symbols(struct po_mm *mm,
					    const struct module_layout_info *l,
					    uint64_t kallsyms,
					    struct module_info *mi)
{
	uint8_t ks[64] = { 0 };
	uint64_t symtab, strtab, n, i, max_name = 0;
	struct po_error *err;
	uint8_t *raw;
	uint64_t kssize;

	err = po_type_size(po_mm_debuginfo(mm), l->kallsyms, &kssize);
	if (!err && kssize > sizeof(ks))
		kssize = sizeof(ks);
	if (!err)
		err = po_mm_read(mm, kallsyms, ks, kssize);
	if (err)
		return err;
	symtab = po_member_get(&l->symtab, ks);
	n = po_member_get(&l->num_symtab, ks);
	strtab = po_member_get(&l->strtab, ks);
	if (n > MAX_MODULE_SYMS)
		return po_error_addr(PO_ERR_BAD_DATA, kallsyms,
				     "module %s: num_symtab %" PRIu64, mi->name,
				     n);
	raw = malloc(n * ELF64_SYM_SIZE + 1);
	mi->syms = calloc(n + 1, sizeof(*mi->syms));
	if (!raw || !mi->syms) {
		free(raw);
		return &po_enomem;
	}
	err = po_mm_read(mm, symtab, raw, n * ELF64_SYM_SIZE);
	if (!err)
		err = read_types(mm, l, ks, raw, n, mi->syms);
	for (i = 0; !err && i < n; i++) {
		const uint8_t *s = raw + i * ELF64_SYM_SIZE;
		uint32_t name;
		uint16_t shndx;
		uint64_t value;

		memcpy(&name, s, 4);
		memcpy(&shndx, s + 6, 2);
		memcpy(&value, s + 8, 8);
		/* SHN_UNDEF symbols never match; keep the index dense. */
		mi->syms[i].value = shndx == 0 ? 0 : value;
		mi->syms[i].name = shndx == 0 ? UINT32_MAX : name;
		if (shndx && name > max_name)
			max_name = name;
	}
	free(raw);
	mi->nr_syms = err ? 0 : n;
	if (err)
		return err;
	mi->strtab_len = max_name + KSYM_NAME_LEN;
	mi->strtab = calloc(1, mi->strtab_len + 1);
	if (!mi->strtab)
		return &po_enomem;
	err = po_mm_read(mm, strtab, mi->strtab, mi->strtab_len);
	if (err) {
		/* The table may end just before an unmapped page. */
		po_error_destroy(err);
		mi->strtab_len = max_name + 1;
		err = po_mm_read(mm, strtab, mi->strtab, mi->strtab_len);
	}
	return err;
}

static struct po_error *read_one_module(struct po_symbolizer *sym,
					const struct module_layout_info *l,
					uint64_t mod_addr, uint8_t *buf,
					size_t size, bool *unformed)
{
	struct po_mm *mm = sym->mm;
	struct module_info *mi;
	struct po_error *err;

	err = po_mm_read(mm, mod_addr, buf, size);
	if (err)
		return err;
	*unformed = (int64_t)po_member_get(&l->state, buf) == l->unformed;
	if (*unformed)
		return NULL;
	sym->mods = po_array_grow(sym->mods, sym->nr_mods, &sym->cap_mods,
				  sizeof(*sym->mods), &err);
	if (err)
		return err;
	mi = &sym->mods[sym->nr_mods++];
	memset(mi, 0, sizeof(*mi));
	memcpy(mi->name, buf + l->name.bit_offset / 8,
	       l->name.byte_size < sizeof(mi->name) ? l->name.byte_size :
						      sizeof(mi->name) - 1);
	mi->name[sizeof(mi->name) - 1] = '\0';
	mi->init_fn = l->init_fn.byte_size ? po_member_get(&l->init_fn, buf) :
					     0;
	err = read_module_ranges(mm, l, buf, mi);
	if (!err)
		err = read_module_symbols(
			mm, l, po_member_get(&l->mkallsyms, buf), mi);
	return err ? po_error_prefix(err, "module %s: ", mi->name) : NULL;
}

struct po_error *po_modules_load(struct po_symbolizer *sym)
{
	struct po_debuginfo *dw = po_mm_debuginfo(sym->mm);
	struct module_layout_info l;
	struct po_variable head;
	struct po_error *err;
	uint64_t size, pos;
	uint8_t *buf;
	size_t count = 0;

	err = po_mm_variable(sym->mm, "modules", NULL, &head);
	if (err) {
		/* !CONFIG_MODULES: nothing to load. */
		po_error_destroy(err);
		return NULL;
	}
	err = module_layout(dw, &l);
	if (!err)
		err = po_type_size(dw, l.module, &size);
	if (err)
		return po_error_prefix(err, "struct module layout: ");
	buf = malloc(size);
	if (!buf)
		return &po_enomem;
	err = po_mm_read_u64(sym->mm, head.address, &pos);
	while (!err && pos != head.address) {
		bool unformed;

		if (++count > MAX_MODULES) {
			err = po_error_addr(
				PO_ERR_BAD_DATA, head.address,
				"module list does not end after %d entries",
				MAX_MODULES);
			break;
		}
		err = read_one_module(sym, &l, pos - l.list.bit_offset / 8, buf,
				      size, &unformed);
		if (!err)
			err = po_mm_read_u64(sym->mm, pos, &pos);
	}
	free(buf);
	return err;
}
