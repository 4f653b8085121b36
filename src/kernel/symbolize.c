// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 4: kernel and module symbols, read from the dump's own kallsyms.
 *
 * The kernel's %pS (kernel/kallsyms.c, __sprint_symbol) picks the first of
 * aliased symbols and sizes a symbol by the distance to the next kallsyms
 * address, so ELF st_size and ELF symbol choice both differ from it.  We
 * therefore decode kallsyms_names/token_table/offsets exactly as
 * kallsyms_expand_symbol() and get_symbol_pos() do.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/symbolize.h"
#include "util/array.h"

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
};

struct module_info {
	char name[64];
	struct module_range ranges[8];
	int nr_ranges;
	struct module_sym *syms;
	size_t nr_syms;
	char *strtab;
	size_t strtab_len;
};

struct po_symbolizer {
	struct po_mm *mm;
	bool loaded;
	struct po_error *load_err; /* sticky: tables are read once */
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

/* ---- kernel kallsyms ---- */

/* How kallsyms_offsets[] encode an address: see compute_addresses(). */
enum kallsyms_enc {
	KALLSYMS_ABSOLUTE, /* kallsyms_addresses[], no offsets */
	KALLSYMS_BASE_RELATIVE, /* kallsyms_relative_base + (u32)offset */
	KALLSYMS_ABS_PERCPU, /* the above, but offsets >= 0 are absolute */
	KALLSYMS_PLACE_RELATIVE, /* &kallsyms_offsets[i] + (s32)offset */
};

struct kallsyms_tables {
	uint64_t names, token_table, token_index, offsets, relative_base,
		addresses;
	uint64_t base;
	enum kallsyms_enc enc;
};

static struct po_error *kallsyms_addr(struct po_mm *mm, const char *name,
				      uint64_t *ret)
{
	struct po_error *err = po_mm_symbol_address(mm, name, ret);

	return err ? po_error_prefix(err, "kallsyms: ") : NULL;
}

/* How much of a table read from vmlinux is checked against the dump. */
#define TABLE_CHECK 64

/*
 * Read @len bytes of a kallsyms table at @addr.  vmlinux holds the same
 * bytes as the dump: the tables carry no relocations, and the build-id
 * and linux_banner checks tie vmlinux to the dump.  Reading them from
 * vmlinux spares inflating the dump's pages, a quarter of `report` on a
 * small kdump dump.  The first bytes must agree with the dump's, else
 * (or where vmlinux lacks them) the dump is read.
 */
static struct po_error *read_table(struct po_mm *mm, uint64_t addr, void *buf,
				   size_t len)
{
	uint8_t mem[TABLE_CHECK];
	size_t n = len < TABLE_CHECK ? len : TABLE_CHECK;
	struct po_error *err;

	err = po_dwarf_read_image(po_mm_dwarf(mm),
				  addr - po_mm_kaslr_offset(mm), buf, len);
	if (!err)
		err = po_mm_read(mm, addr, mem, n);
	if (!err && !memcmp(buf, mem, n))
		return NULL;
	po_error_destroy(err);
	return po_mm_read(mm, addr, buf, len);
}

static struct po_error *read_tokens(struct po_symbolizer *sym,
				    const struct kallsyms_tables *t)
{
	struct po_error *err;
	size_t max = 0, len, i;

	err = read_table(sym->mm, t->token_index, sym->tindex,
			 sizeof(sym->tindex));
	if (err)
		return err;
	for (i = 0; i < 256; i++)
		if (sym->tindex[i] > max)
			max = sym->tindex[i];
	/* A token is a few characters; the last one ends within 256. */
	len = max + 256;
	sym->tokens = malloc(len + 1);
	if (!sym->tokens)
		return &po_enomem;
	err = read_table(sym->mm, t->token_table, sym->tokens, len);
	sym->tokens[len] = '\0';
	return err;
}

/*
 * The length of the compressed name at @data (its first byte or two), and
 * where its tokens start: 0 when it runs past @avail.
 */
static size_t name_length(const uint8_t *data, size_t avail, size_t *start)
{
	size_t len;

	if (avail < 1)
		return 0;
	len = data[0];
	*start = 1;
	if (len & 0x80) { /* "big" symbol, 6.1+ */
		if (avail < 2)
			return 0;
		len = (len & 0x7f) | ((size_t)data[1] << 7);
		*start = 2;
	}
	return *start + len <= avail ? len : 0;
}

/*
 * Expand compressed name @i as kallsyms_expand_symbol() does, into @out,
 * without its first character: the type (see name_type()).
 */
static void expand_name(const struct po_symbolizer *sym, uint32_t i, char *out,
			size_t outlen)
{
	const uint8_t *data = sym->cnames + sym->name_off[i];
	/* scan_names() saw that every name fits in the table. */
	size_t start, len = name_length(data, SIZE_MAX, &start), n = 0;
	bool skipped_first = false;

	for (size_t k = 0; k < len; k++) {
		const char *tok = sym->tokens + sym->tindex[data[start + k]];

		for (; *tok; tok++) {
			if (!skipped_first)
				skipped_first = true;
			else if (n + 1 < outlen)
				out[n++] = *tok;
		}
	}
	out[n] = '\0';
}

/* Symbol @i's name, expanded the first time it is asked for. */
static const char *sym_name(struct po_symbolizer *sym, uint32_t i)
{
	char name[KSYM_NAME_LEN];

	if (!sym->names[i]) {
		expand_name(sym, i, name, sizeof(name));
		sym->names[i] = strdup(name);
	}
	return sym->names[i];
}

/* Reads kallsyms_names ahead, keeping all it has read. */
struct name_reader {
	struct po_mm *mm;
	uint64_t addr; /* next address to read */
	uint8_t *buf;
	size_t len, cap, pos;
};

/* Make at least @need bytes available at r->pos, reading ahead. */
static struct po_error *reader_fill(struct name_reader *r, size_t need)
{
	const size_t chunk = 64 * 1024;
	struct po_error *err;

	if (r->len - r->pos >= need)
		return NULL;
	if (r->len + chunk > r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 4 * chunk;
		uint8_t *nb = realloc(r->buf, cap);

		if (!nb)
			return &po_enomem;
		r->buf = nb;
		r->cap = cap;
	}
	err = read_table(r->mm, r->addr, r->buf + r->len, chunk);
	if (err) {
		/* The table may end just before an unreadable page: retry
		 * page by page. */
		size_t got = 0, page = po_mm_page_size(r->mm);

		po_error_destroy(err);
		while (got < chunk &&
		       !(err = po_mm_read(r->mm, r->addr + got,
					  r->buf + r->len + got, page)))
			got += page;
		if (got == 0)
			return err;
		po_error_destroy(err);
		r->addr += got;
		r->len += got;
		return NULL;
	}
	r->addr += chunk;
	r->len += chunk;
	return NULL;
}

/* The type of compressed name @data: the first character it expands to. */
static char name_type(const struct po_symbolizer *sym, const uint8_t *data,
		      size_t start, size_t len)
{
	for (size_t k = 0; k < len; k++) {
		const char *tok = sym->tokens + sym->tindex[data[start + k]];

		if (*tok)
			return *tok;
	}
	return '?';
}

/*
 * Read kallsyms_names and find where each name starts, without expanding
 * them: only their types, to learn whether data symbols are listed
 * (CONFIG_KALLSYMS_ALL).
 */
static struct po_error *scan_names(struct po_symbolizer *sym,
				   const struct kallsyms_tables *t)
{
	struct name_reader r = { .mm = sym->mm, .addr = t->names };
	struct po_error *err = NULL;
	uint32_t i;

	for (i = 0; i < sym->nr_syms; i++) {
		size_t start, len;

		err = reader_fill(&r, 2 + KSYM_NAME_LEN);
		if (err)
			break;
		len = name_length(r.buf + r.pos, r.len - r.pos, &start);
		if (!len) {
			err = po_error_create(
				PO_ERR_BAD_DATA,
				"kallsyms: name %u runs past the table", i);
			break;
		}
		if (strchr("dDbBrR", name_type(sym, r.buf + r.pos, start, len)))
			sym->kallsyms_all = true;
		sym->name_off[i] = r.pos;
		r.pos += start + len;
	}
	sym->cnames = r.buf;
	return err;
}

static uint64_t sym_address(const struct kallsyms_tables *t,
			    const int32_t *offs, uint32_t i,
			    enum kallsyms_enc enc)
{
	switch (enc) {
	case KALLSYMS_PLACE_RELATIVE:
		return t->offsets + 4 * (uint64_t)i + (int64_t)offs[i];
	case KALLSYMS_ABS_PERCPU:
		if (offs[i] >= 0)
			return offs[i];
		return t->base - 1 - offs[i];
	default:
		return t->base + (uint32_t)offs[i];
	}
}

/*
 * Linear: used once at load time, for a symbol near the start, before the
 * name index exists.
 */
static int32_t find_name(const struct po_symbolizer *sym, const char *name)
{
	char buf[KSYM_NAME_LEN];
	uint32_t i;

	for (i = 0; i < sym->nr_syms; i++) {
		expand_name(sym, i, buf, sizeof(buf));
		if (!strcmp(buf, name))
			return i;
	}
	return -1;
}

static int cmp_by_name(const void *a, const void *b, void *arg)
{
	const struct po_symbolizer *sym = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(sym->names[x], sym->names[y]);

	/* Ties keep kallsyms order, so the first symbol of a name wins. */
	return c ? c : (x > y) - (x < y);
}

static struct po_error *build_name_index(struct po_symbolizer *sym)
{
	uint32_t i;

	for (i = 0; i < sym->nr_syms; i++)
		if (!sym_name(sym, i))
			return &po_enomem;
	sym->by_name = malloc((size_t)sym->nr_syms * sizeof(*sym->by_name));
	if (!sym->by_name)
		return &po_enomem;
	for (i = 0; i < sym->nr_syms; i++)
		sym->by_name[i] = i;
	qsort_r(sym->by_name, sym->nr_syms, sizeof(*sym->by_name), cmp_by_name,
		sym);
	return NULL;
}

/* The first position in by_name whose name is not below @name. */
static uint32_t name_position(const struct po_symbolizer *sym, const char *name)
{
	uint32_t lo = 0, hi = sym->nr_syms;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (strcmp(sym->names[sym->by_name[mid]], name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int32_t find_name_indexed(const struct po_symbolizer *sym,
				 const char *name)
{
	uint32_t lo = name_position(sym, name);

	if (lo < sym->nr_syms && !strcmp(sym->names[sym->by_name[lo]], name))
		return sym->by_name[lo];
	return -1;
}

/*
 * kallsyms_offsets[] are relative to kallsyms_relative_base, and with
 * CONFIG_KALLSYMS_ABSOLUTE_PERCPU (x86_64 SMP, until Linux kernel commit
 * 01157ddc58dc ("kallsyms: Remove KALLSYMS_ABSOLUTE_PERCPU") (in v6.15))
 * negative values are relative and positive ones absolute.  The config is not in DWARF, so
 * pick the reading under which _stext lands where it must.  Without
 * kallsyms_relative_base, each offset is relative to its own place.
 */
static struct po_error *compute_addresses(struct po_symbolizer *sym,
					  struct kallsyms_tables *t)
{
	int32_t *offs;
	struct po_error *err;
	int32_t stext;
	uint32_t i;

	if (t->enc == KALLSYMS_ABSOLUTE) {
		err = po_mm_read(sym->mm, t->addresses, sym->addrs,
				 (size_t)sym->nr_syms * 8);
		return err ? po_error_prefix(err, "kallsyms_addresses: ") :
			     NULL;
	}
	offs = malloc((size_t)sym->nr_syms * 4);
	if (!offs)
		return &po_enomem;
	err = read_table(sym->mm, t->offsets, offs, (size_t)sym->nr_syms * 4);
	if (!err && t->enc == KALLSYMS_BASE_RELATIVE)
		err = po_mm_read_u64(sym->mm, t->relative_base, &t->base);
	stext = find_name(sym, "_stext");
	if (!err && stext >= 0 && t->enc == KALLSYMS_BASE_RELATIVE &&
	    sym_address(t, offs, stext, t->enc) != sym->stext &&
	    sym_address(t, offs, stext, KALLSYMS_ABS_PERCPU) == sym->stext)
		t->enc = KALLSYMS_ABS_PERCPU;
	if (!err && stext >= 0 && sym->stext &&
	    sym_address(t, offs, stext, t->enc) != sym->stext)
		err = po_error_addr(PO_ERR_BAD_DATA, t->offsets,
				    "kallsyms_offsets put _stext at 0x%" PRIx64
				    ", vmlinux at 0x%" PRIx64,
				    sym_address(t, offs, stext, t->enc),
				    sym->stext);
	for (i = 0; !err && i < sym->nr_syms; i++)
		sym->addrs[i] = sym_address(t, offs, i, t->enc);
	free(offs);
	return err ? po_error_prefix(err, "kallsyms_offsets: ") : NULL;
}

static void image_bounds(struct po_symbolizer *sym)
{
	struct {
		const char *name;
		uint64_t *val;
	} b[] = {
		{ "_stext", &sym->stext },
		{ "_end", &sym->end },
		{ "__init_begin", &sym->init_begin },
		{ "__init_end", &sym->init_end },
		{ "_etext", &sym->etext },
		{ "_sinittext", &sym->sinittext },
		{ "_einittext", &sym->einittext },
	};
	size_t i;

	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		po_error_destroy(
			po_mm_symbol_address(sym->mm, b[i].name, b[i].val));
}

/*
 * Which tables a kernel has says how they encode addresses:
 * kallsyms_addresses[] without CONFIG_KALLSYMS_BASE_RELATIVE (gone since
 * Linux kernel commit 64e166099b69 ("kallsyms: get rid of code for
 * absolute kallsyms") (in v6.11)); offsets from kallsyms_relative_base
 * since Linux kernel commit 2213e9a66bb8 ("kallsyms: add support for
 * relative offsets in kallsyms address table") (in v4.6); and offsets from
 * their own place since Linux kernel commit a081b5789255 ("kallsyms: Get
 * rid of kallsyms relative base") (in v7.0).
 */
static struct po_error *kallsyms_encoding(struct po_mm *mm,
					  struct kallsyms_tables *t)
{
	struct po_error *err;

	err = kallsyms_addr(mm, "kallsyms_offsets", &t->offsets);
	if (po_error_catch(&err, PO_ERR_LOOKUP)) {
		t->enc = KALLSYMS_ABSOLUTE;
		return kallsyms_addr(mm, "kallsyms_addresses", &t->addresses);
	}
	if (err)
		return err;
	err = kallsyms_addr(mm, "kallsyms_relative_base", &t->relative_base);
	t->enc = KALLSYMS_BASE_RELATIVE;
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		t->enc = KALLSYMS_PLACE_RELATIVE;
	return err;
}

static struct po_error *load_kallsyms(struct po_symbolizer *sym)
{
	struct kallsyms_tables t = { 0 };
	struct po_error *err;
	uint64_t num_addr;
	uint32_t num;

	image_bounds(sym);
	err = kallsyms_addr(sym->mm, "kallsyms_num_syms", &num_addr);
	if (!err)
		err = kallsyms_addr(sym->mm, "kallsyms_names", &t.names);
	if (!err)
		err = kallsyms_addr(sym->mm, "kallsyms_token_table",
				    &t.token_table);
	if (!err)
		err = kallsyms_addr(sym->mm, "kallsyms_token_index",
				    &t.token_index);
	if (!err)
		err = kallsyms_encoding(sym->mm, &t);
	if (!err)
		err = po_mm_read_u32(sym->mm, num_addr, &num);
	if (err)
		return err;
	if (num == 0 || num > MAX_KALLSYMS)
		return po_error_addr(PO_ERR_BAD_DATA, num_addr,
				     "kallsyms_num_syms is %u", num);
	sym->nr_syms = num;
	sym->addrs = calloc(num, sizeof(*sym->addrs));
	sym->name_off = calloc(num, sizeof(*sym->name_off));
	sym->names = calloc(num, sizeof(*sym->names));
	if (!sym->addrs || !sym->name_off || !sym->names)
		return &po_enomem;
	err = read_tokens(sym, &t);
	if (!err)
		err = scan_names(sym, &t);
	if (!err)
		err = compute_addresses(sym, &t);
	return err;
}

/* ---- modules ---- */

struct module_layout_info {
	struct po_type module, kallsyms;
	struct po_member list, name, mkallsyms, state;
	struct po_member symtab, num_symtab, strtab;
	bool has_mem; /* 6.4+: struct module_memory mem[] */
	struct po_member mem;
	uint64_t mem_stride, nr_mem;
	struct po_member mem_base, mem_size;
	int64_t text_type, init_text_type, unformed;
	struct po_member core_base, core_size, core_text, init_base, init_size,
		init_text;
};

static struct po_error *module_member(struct po_dwarf *dw, struct po_type t,
				      const char *path, struct po_member *m)
{
	return po_type_member(dw, t, path, m);
}

/*
 * Linux kernel commit ac3b43283923 ("module: replace module_layout with
 * module_memory") (in v6.4) split core_layout/init_layout into mem[].
 */
static struct po_error *module_layout(struct po_dwarf *dw,
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
	if (!err)
		err = module_member(dw, l->kallsyms, "symtab", &l->symtab);
	if (!err)
		err = module_member(dw, l->kallsyms, "num_symtab",
				    &l->num_symtab);
	if (!err)
		err = module_member(dw, l->kallsyms, "strtab", &l->strtab);
	if (!err)
		err = po_dwarf_enumerator(dw, "MODULE_STATE_UNFORMED",
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
			err = po_dwarf_enumerator(dw, "MOD_TEXT",
						  &l->text_type);
		if (!err)
			err = po_dwarf_enumerator(dw, "MOD_INIT_TEXT",
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

	err = po_type_size(po_mm_dwarf(mm), l->kallsyms, &kssize);
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
	err = read_module_ranges(mm, l, buf, mi);
	if (!err)
		err = read_module_symbols(
			mm, l, po_member_get(&l->mkallsyms, buf), mi);
	return err ? po_error_prefix(err, "module %s: ", mi->name) : NULL;
}

static struct po_error *load_modules(struct po_symbolizer *sym)
{
	struct po_dwarf *dw = po_mm_dwarf(sym->mm);
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

static struct po_error *ensure_loaded(struct po_symbolizer *sym)
{
	if (sym->loaded)
		return sym->load_err ?
			       po_error_create(sym->load_err->code, "%s",
					       sym->load_err->message) :
			       NULL;
	sym->loaded = true;
	sym->load_err = load_kallsyms(sym);
	if (!sym->load_err)
		sym->load_err = load_modules(sym);
	/*
	 * A table that cannot be found is a broken symbolizer, not a miss:
	 * callers take PO_ERR_LOOKUP for "no symbol at this address" and
	 * would print every frame as bare hex.
	 */
	if (sym->load_err && sym->load_err->code == PO_ERR_LOOKUP)
		sym->load_err->code = PO_ERR_UNSUPPORTED;
	return ensure_loaded(sym);
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
	ret->name = sym_name(sym, low);
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
		err = build_name_index(sym);
		if (err)
			return err;
	}
	idx = find_name_indexed(sym, name);
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
		err = build_name_index(sym);
	if (err)
		return err;
	/* Equal names sit together in by_name. */
	for (i = name_position(sym, name);
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
