// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 4: kernel and module symbols, read from the dump's own kallsyms.
 *
 * The kernel's %pS (kernel/kallsyms.c, __sprint_symbol) picks the first of
 * aliased symbols and sizes a symbol by the distance to the next kallsyms
 * address, so ELF st_size and ELF symbol choice both differ from it.  We
 * therefore decode kallsyms_names/token_table/offsets exactly as
 * kallsyms_expand_symbol() and get_symbol_pos() do (kallsyms.c), and read
 * modules' symbols as the kernel keeps them (modules.c).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/symbolize_internal.h"

struct po_error *po_symbolizer_create(struct po_mm *mm,
				      struct po_symbolizer **ret)
{
	struct po_symbolizer *sym = calloc(1, sizeof(*sym));

	if (!sym)
		return &po_enomem;
	sym->mm = mm;
	*ret = sym;
	return NULL;
}

void po_symbolizer_destroy(struct po_symbolizer *sym)
{
	size_t i;

	if (!sym)
		return;
	for (i = 0; i < sym->nr_mods; i++) {
		free(sym->mods[i].syms);
		free(sym->mods[i].strtab);
	}
	free(sym->mods);
	po_error_destroy(sym->load_err);
	po_error_destroy(sym->kernel_err);
	free(sym->addrs);
	free(sym->by_name);
	free(sym->name_off);
	for (i = 0; sym->names && i < sym->nr_syms; i++)
		free(sym->names[i]);
	free(sym->names);
	free(sym->cnames);
	free(sym->tokens);
	free(sym);
}

/* A copy of a sticky error, for the caller to destroy. */
static struct po_error *sticky(const struct po_error *err)
{
	return err ? po_error_create(err->code, "%s", err->message) : NULL;
}

/*
 * A table that cannot be found is a broken symbolizer, not a miss:
 * callers take PO_ERR_LOOKUP for "no symbol at this address" and would
 * print every frame as bare hex.
 */
static void not_a_miss(struct po_error *err)
{
	if (err && err->code == PO_ERR_LOOKUP)
		err->code = PO_ERR_UNSUPPORTED;
}

/* The kernel's own tables alone: all a dump without vmlinux starts from. */
static struct po_error *ensure_kernel(struct po_symbolizer *sym)
{
	if (!sym->kernel_loaded) {
		sym->kernel_loaded = true;
		sym->kernel_err = po_kallsyms_load(sym);
		not_a_miss(sym->kernel_err);
	}
	return sticky(sym->kernel_err);
}

static struct po_error *ensure_loaded(struct po_symbolizer *sym)
{
	if (sym->loaded)
		return sticky(sym->load_err);
	sym->loaded = true;
	sym->load_err = ensure_kernel(sym);
	if (!sym->load_err)
		sym->load_err = po_modules_load(sym);
	not_a_miss(sym->load_err);
	return sticky(sym->load_err);
}

struct po_error *
po_symbolizer_kernel_symbols(struct po_symbolizer *sym,
			     struct po_error *(*fn)(void *arg, const char *name,
						    char type, uint64_t addr),
			     void *arg)
{
	struct po_error *err = ensure_kernel(sym);
	uint32_t i;

	for (i = 0; !err && i < sym->nr_syms; i++) {
		const char *name = po_ksym_name(sym, i);

		err = name ? fn(arg, name, po_ksym_type(sym, i),
				sym->addrs[i]) :
			     &po_enomem;
	}
	return err;
}

/* ---- lookups ---- */

static bool is_ksym_addr(const struct po_symbolizer *sym, uint64_t addr)
{
	if (sym->kallsyms_all)
		return (addr >= sym->stext && addr < sym->end) ||
		       (addr >= sym->init_begin && addr < sym->init_end);
	return (addr >= sym->stext && addr < sym->etext) ||
	       (addr >= sym->sinittext && addr < sym->einittext);
}

static struct po_error *kernel_symbol(struct po_symbolizer *sym, uint64_t addr,
				      struct po_symbol *ret)
{
	uint32_t low = 0, high = sym->nr_syms, i;
	uint64_t start, end = 0;

	while (high - low > 1) {
		uint32_t mid = low + (high - low) / 2;

		if (sym->addrs[mid] <= addr)
			low = mid;
		else
			high = mid;
	}
	while (low && sym->addrs[low - 1] == sym->addrs[low])
		low--;
	start = sym->addrs[low];
	for (i = low + 1; i < sym->nr_syms; i++) {
		if (sym->addrs[i] > start) {
			end = sym->addrs[i];
			break;
		}
	}
	if (!end) {
		if (addr >= sym->sinittext && addr < sym->einittext)
			end = sym->einittext;
		else
			end = sym->kallsyms_all ? sym->end : sym->etext;
	}
	ret->name = po_ksym_name(sym, low);
	ret->type = po_ksym_type(sym, low);
	ret->module = NULL;
	ret->start = start;
	ret->size = end - start;
	ret->offset = addr - start;
	return ret->name ? NULL : &po_enomem;
}

static bool is_mapping_symbol(const char *s)
{
	return (s[0] == '.' && s[1] == 'L') || (s[0] == 'L' && s[1] == '0') ||
	       s[0] == '$';
}

static const char *module_sym_name(const struct module_info *mi, size_t i)
{
	uint32_t off = mi->syms[i].name;

	if (off == UINT32_MAX || off >= mi->strtab_len)
		return NULL;
	return mi->strtab + off;
}

static bool module_symbol(const struct module_info *mi, uint64_t addr,
			  struct po_symbol *ret)
{
	const struct module_range *r = NULL;
	uint64_t bestval, nextval;
	size_t i, best = 0;
	int k;

	for (k = 0; k < mi->nr_ranges; k++)
		if (addr >= mi->ranges[k].base &&
		    addr - mi->ranges[k].base < mi->ranges[k].size) {
			r = &mi->ranges[k];
			break;
		}
	if (!r)
		return false;
	nextval = r->next_limit;
	bestval = r->best_floor;
	for (i = 1; i < mi->nr_syms; i++) {
		const char *name = module_sym_name(mi, i);
		uint64_t v = mi->syms[i].value;

		if (!name || !*name || is_mapping_symbol(name))
			continue;
		if (v <= addr && v > bestval) {
			best = i;
			bestval = v;
		}
		if (v > addr && v < nextval)
			nextval = v;
	}
	ret->module = mi->name;
	if (!best) {
		ret->name = NULL;
		return true;
	}
	ret->name = module_sym_name(mi, best);
	ret->type = mi->syms[best].type;
	ret->start = bestval;
	ret->size = nextval - bestval;
	ret->offset = addr - bestval;
	return true;
}

struct po_error *po_symbolizer_resolve(struct po_symbolizer *sym, uint64_t addr,
				       struct po_symbol *ret)
{
	struct po_error *err = ensure_loaded(sym);
	size_t i;

	if (err)
		return err;
	addr = po_mm_strip_pac(sym->mm, addr);
	if (is_ksym_addr(sym, addr) && sym->nr_syms)
		return kernel_symbol(sym, addr, ret);
	for (i = 0; i < sym->nr_mods; i++) {
		if (module_symbol(&sym->mods[i], addr, ret)) {
			if (ret->name)
				return NULL;
			break;
		}
	}
	return po_error_addr(PO_ERR_LOOKUP, addr, "no symbol at 0x%" PRIx64,
			     addr);
}

const char *po_symbolizer_freed_init(struct po_symbolizer *sym, uint64_t addr)
{
	uint64_t page = po_mm_page_size(sym->mm);
	struct po_symbol s;
	struct po_error *err;
	size_t i;

	err = ensure_loaded(sym);
	if (err) {
		po_error_destroy(err);
		return NULL;
	}
	addr = po_mm_strip_pac(sym->mm, addr);
	if (is_ksym_addr(sym, addr))
		return NULL;
	for (i = 0; i < sym->nr_mods; i++)
		if (module_symbol(&sym->mods[i], addr, &s))
			return NULL;
	for (i = 0; i < sym->nr_mods; i++) {
		uint64_t fn = sym->mods[i].init_fn;

		if (fn && addr >= fn && addr < (fn & ~(page - 1)) + page)
			return sym->mods[i].name;
	}
	return NULL;
}

/* Text cut to a buffer as snprintf() cuts it: len counts what was cut. */
struct cut_text {
	char *buf;
	size_t size, len;
};

static void put(struct cut_text *t, const char *s, size_t n)
{
	if (t->len + 1 < t->size) {
		size_t room = t->size - 1 - t->len;

		memcpy(t->buf + t->len, s, n < room ? n : room);
	}
	t->len += n;
	if (t->size)
		t->buf[t->len < t->size ? t->len : t->size - 1] = '\0';
}

/* "0x" and @v in lower-case hex: the kernel's %#lx, but 0 is "0x0". */
static void put_hex(struct cut_text *t, uint64_t v)
{
	char digits[2 + 16];
	size_t i = sizeof(digits);

	do {
		digits[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	digits[--i] = 'x';
	digits[--i] = '0';
	put(t, digits + i, sizeof(digits) - i);
}

/*
 * Written out by hand rather than with snprintf(): it runs for every
 * frame of every stack a report or a dump prints, and parsing the format
 * each time was most of its cost.
 */
struct po_error *po_symbolizer_format(struct po_symbolizer *sym, uint64_t addr,
				      char *buf, size_t size)
{
	struct cut_text t = { buf, size, 0 };
	struct po_symbol s;
	struct po_error *err = po_symbolizer_resolve(sym, addr, &s);

	put(&t, "", 0);
	if (po_error_catch(&err, PO_ERR_LOOKUP)) {
		put_hex(&t, addr);
		return NULL;
	}
	if (err)
		return err;
	put(&t, s.name, strlen(s.name));
	put(&t, "+", 1);
	put_hex(&t, s.offset);
	put(&t, "/", 1);
	put_hex(&t, s.size);
	if (s.module) {
		put(&t, " [", 2);
		put(&t, s.module, strlen(s.module));
		put(&t, "]", 1);
	}
	return NULL;
}

struct po_error *po_symbolizer_lookup(struct po_symbolizer *sym,
				      const char *name, uint64_t *ret)
{
	struct po_error *err = ensure_loaded(sym);
	int32_t idx;
	size_t m, i;

	if (err)
		return err;
	if (!sym->by_name) {
		err = po_ksym_index_names(sym);
		if (err)
			return err;
	}
	idx = po_ksym_find_name(sym, name);
	if (idx >= 0) {
		*ret = sym->addrs[idx];
		return NULL;
	}
	for (m = 0; m < sym->nr_mods; m++) {
		const struct module_info *mi = &sym->mods[m];

		for (i = 1; i < mi->nr_syms; i++) {
			const char *s = module_sym_name(mi, i);

			if (s && !strcmp(s, name)) {
				*ret = mi->syms[i].value;
				return NULL;
			}
		}
	}
	return po_error_create(PO_ERR_LOOKUP, "no symbol '%s' in kallsyms",
			       name);
}

struct po_error *po_symbolizer_lookup_next(struct po_symbolizer *sym,
					   const char *name, uint64_t after,
					   uint64_t *ret)
{
	struct po_error *err = ensure_loaded(sym);
	uint64_t best = UINT64_MAX;
	uint32_t i;

	if (!err && !sym->by_name)
		err = po_ksym_index_names(sym);
	if (err)
		return err;
	/* Equal names sit together in by_name. */
	for (i = po_ksym_name_position(sym, name);
	     i < sym->nr_syms && !strcmp(sym->names[sym->by_name[i]], name);
	     i++) {
		uint64_t a = sym->addrs[sym->by_name[i]];

		if (a > after && a < best)
			best = a;
	}
	if (best == UINT64_MAX)
		return po_error_create(PO_ERR_LOOKUP,
				       "no symbol '%s' above 0x%" PRIx64
				       " in kallsyms",
				       name, after);
	*ret = best;
	return NULL;
}

struct po_error *po_symbolizer_count(struct po_symbolizer *sym, size_t *ret)
{
	struct po_error *err = ensure_loaded(sym);

	if (!err)
		*ret = sym->nr_syms;
	return err;
}
