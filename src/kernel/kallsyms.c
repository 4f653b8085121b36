// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 4: the kernel's kallsyms tables, decoded as
 * kallsyms_expand_symbol() and get_symbol_pos() do, in each era's address
 * encoding.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/symbolize_internal.h"

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

	err = po_debuginfo_read_image(po_mm_debuginfo(mm),
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
const char *po_ksym_name(struct po_symbolizer *sym, uint32_t i)
{
	char name[KSYM_NAME_LEN];

	if (!sym->names[i]) {
		expand_name(sym, i, name, sizeof(name));
		sym->names[i] = strdup(name);
	}
	return sym->names[i];
}

static char name_type(const struct po_symbolizer *sym, const uint8_t *data,
		      size_t start, size_t len);

/* Symbol @i's type letter, from its compressed name. */
char po_ksym_type(const struct po_symbolizer *sym, uint32_t i)
{
	const uint8_t *data = sym->cnames + sym->name_off[i];
	size_t start, len = name_length(data, SIZE_MAX, &start);

	return name_type(sym, data, start, len);
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

struct po_error *po_ksym_index_names(struct po_symbolizer *sym)
{
	uint32_t i;

	for (i = 0; i < sym->nr_syms; i++)
		if (!po_ksym_name(sym, i))
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
uint32_t po_ksym_name_position(const struct po_symbolizer *sym,
			       const char *name)
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

int32_t po_ksym_find_name(const struct po_symbolizer *sym, const char *name)
{
	uint32_t lo = po_ksym_name_position(sym, name);

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

struct bound {
	const char *name;
	uint64_t *val;
};

#define NR_BOUNDS 7

static void bounds(struct po_symbolizer *sym, struct bound *b)
{
	b[0] = (struct bound){ "_stext", &sym->stext };
	b[1] = (struct bound){ "_end", &sym->end };
	b[2] = (struct bound){ "__init_begin", &sym->init_begin };
	b[3] = (struct bound){ "__init_end", &sym->init_end };
	b[4] = (struct bound){ "_etext", &sym->etext };
	b[5] = (struct bound){ "_sinittext", &sym->sinittext };
	b[6] = (struct bound){ "_einittext", &sym->einittext };
}

static void image_bounds(struct po_symbolizer *sym)
{
	struct bound b[NR_BOUNDS];
	size_t i;

	bounds(sym, b);
	for (i = 0; i < NR_BOUNDS; i++)
		po_error_destroy(
			po_mm_symbol_address(sym->mm, b[i].name, b[i].val));
}

/*
 * The bounds neither VMCOREINFO nor vmlinux gave (a dump read without
 * vmlinux): kallsyms lists them too.
 */
static struct po_error *bounds_from_kallsyms(struct po_symbolizer *sym)
{
	struct bound b[NR_BOUNDS];
	struct po_error *err = NULL;
	size_t i;
	int32_t idx;

	bounds(sym, b);
	for (i = 0; i < NR_BOUNDS && !err; i++) {
		if (*b[i].val)
			continue;
		if (!sym->by_name)
			err = po_ksym_index_names(sym);
		idx = err ? -1 : po_ksym_find_name(sym, b[i].name);
		if (idx >= 0)
			*b[i].val = sym->addrs[idx];
	}
	return err;
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

struct po_error *po_kallsyms_load(struct po_symbolizer *sym)
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
	if (!err)
		err = bounds_from_kallsyms(sym);
	return err;
}
