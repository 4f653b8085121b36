// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 2: the BTF backend of debuginfo.h, for a dump without its vmlinux.
 * Types come from the kernel's own BTF (btf.c), read from the dump between
 * __start_BTF and __stop_BTF; symbols and variable addresses from the
 * dump's kallsyms; format strings from the dump's .rodata.  The program
 * layer reads kallsyms and the blob (it needs this object to read memory
 * at all) and hands them down: po_debuginfo_open_btf(), then
 * po_debuginfo_btf_add_symbol() for each symbol, then
 * po_debuginfo_btf_attach().
 *
 * The kernel's BTF has VARs for per-CPU variables only, so the variables
 * the walk reads have their types here, in walk_vars[] (btfvars.c).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debuginfo/btfdi.h"

static struct po_btf_type bt_id(struct po_type t)
{
	return (struct po_btf_type){ (uint32_t)t.die };
}

static struct po_type po_id(struct po_btf_type t)
{
	return (struct po_type){ t.id };
}

/* ---- symbols ---- */

static int sym_name_cmp(const void *a, const void *b, void *arg)
{
	const struct bt_sym *syms = arg;
	const struct bt_sym *x = &syms[*(const uint32_t *)a];
	const struct bt_sym *y = &syms[*(const uint32_t *)b];
	int r = strcmp(x->name, y->name);

	/* Of one name, kallsyms (address) order. */
	if (!r)
		r = (x > y) - (x < y);
	return r;
}

struct bt_key {
	const struct po_btfdi *bt;
	const char *name;
};

static int sym_key_cmp(const void *key, const void *elem)
{
	const struct bt_key *k = key;

	return strcmp(k->name, k->bt->syms[*(const uint32_t *)elem].name);
}

/*
 * Data symbols by kallsyms' (nm's) letter: 'd' data, 'b' bss, 'r'
 * read-only, 'v' weak objects, 'a' absolute (x86_64's zero-based per-CPU
 * symbols).  A hint only, for completion: nm calls objects in an
 * executable .data 'T', as 7.2's modules and page_owner_ops are.
 */
bool po_btfdi_is_data(char type)
{
	return type && strchr("dDbBrRvVaA", type) != NULL;
}

/*
 * The first symbol called @name (by address), of data symbols only if
 * @data, or NULL; *@nr of them.
 */
const struct bt_sym *po_btfdi_symbol(const struct po_btfdi *bt,
				     const char *name, bool data, size_t *nr)
{
	struct bt_key key = { bt, name };
	const uint32_t *p, *end = bt->by_name + bt->nr_syms;
	const struct bt_sym *first = NULL;

	*nr = 0;
	/* Not indexed yet: kallsyms is still being read. */
	if (!bt->by_name || !bt->nr_syms)
		return NULL;
	p = bsearch(&key, bt->by_name, bt->nr_syms, sizeof(*p), sym_key_cmp);
	if (!p)
		return NULL;
	while (p > bt->by_name && !strcmp(bt->syms[p[-1]].name, name))
		p--;
	for (; p < end && !strcmp(bt->syms[*p].name, name); p++) {
		if (data && !po_btfdi_is_data(bt->syms[*p].type))
			continue;
		if (!first)
			first = &bt->syms[*p];
		(*nr)++;
	}
	return first;
}

/* Link-time address, as the DWARF backend gives: without KASLR. */
uint64_t po_btfdi_link_address(const struct po_btfdi *bt, uint64_t addr)
{
	return bt->percpu_end && addr < bt->percpu_end ? addr :
							 addr - bt->kaslr;
}

static struct po_error *bt_elf_symbol(struct po_debuginfo *dw, const char *name,
				      uint64_t *ret)
{
	size_t nr;
	const struct bt_sym *s = po_btfdi_symbol(dw->bt, name, false, &nr);

	if (!s)
		return po_error_create(PO_ERR_LOOKUP,
				       "%s: no symbol '%s' in kallsyms",
				       dw->path, name);
	*ret = po_btfdi_link_address(dw->bt, s->addr);
	return NULL;
}

/*
 * x86_64 before v6.15 links .data..percpu at 0 and kallsyms lists its
 * symbols as absolute offsets: __per_cpu_start is then 0.
 */
static bool bt_is_percpu_offset(const struct po_debuginfo *dw, uint64_t addr)
{
	return dw->bt->percpu_end && addr < dw->bt->percpu_end;
}

struct po_error *po_debuginfo_btf_add_symbol(struct po_debuginfo *dw,
					     const char *name, char type,
					     uint64_t addr)
{
	struct po_btfdi *bt = dw->bt;
	struct bt_sym *s;

	if (bt->nr_syms == bt->cap_syms) {
		size_t cap = bt->cap_syms ? 2 * bt->cap_syms : 4096;

		s = realloc(bt->syms, cap * sizeof(*s));
		if (!s)
			return &po_enomem;
		bt->syms = s;
		bt->cap_syms = cap;
	}
	s = &bt->syms[bt->nr_syms];
	s->name = strdup(name);
	if (!s->name)
		return &po_enomem;
	s->addr = addr;
	s->type = type;
	bt->nr_syms++;
	return NULL;
}

static struct po_error *index_symbols(struct po_btfdi *bt)
{
	uint32_t i;

	bt->by_name =
		malloc((bt->nr_syms ? bt->nr_syms : 1) * sizeof(*bt->by_name));
	if (!bt->by_name)
		return &po_enomem;
	for (i = 0; i < bt->nr_syms; i++)
		bt->by_name[i] = i;
	qsort_r(bt->by_name, bt->nr_syms, sizeof(*bt->by_name), sym_name_cmp,
		bt->syms);
	return NULL;
}

/*
 * The bytes from symbol @s to the next symbol of a higher address: an
 * upper bound of its size, as kallsyms has no sizes.
 */
uint64_t po_btfdi_symbol_gap(const struct po_btfdi *bt, const struct bt_sym *s)
{
	size_t i;

	for (i = (size_t)(s - bt->syms) + 1; i < bt->nr_syms; i++)
		if (bt->syms[i].addr > s->addr)
			return bt->syms[i].addr - s->addr;
	return 0;
}

/* ---- the image: .rodata read from the dump ---- */

static struct po_error *bt_read_image(struct po_debuginfo *dw, uint64_t addr,
				      void *buf, size_t len)
{
	(void)buf;
	(void)len;
	return po_error_addr(PO_ERR_UNSUPPORTED, addr,
			     "%s: no vmlinux image to read 0x%" PRIx64
			     " from (read the dump)",
			     dw->path, addr);
}

static struct po_error *read_rodata(struct po_debuginfo *dw)
{
	struct po_btfdi *bt = dw->bt;
	uint64_t start, end;
	size_t nr;
	const struct bt_sym *s =
		po_btfdi_symbol(bt, "__start_rodata", false, &nr);
	const struct bt_sym *e =
		po_btfdi_symbol(bt, "__end_rodata", false, &nr);
	struct po_error *err;

	if (!s || !e || e->addr <= s->addr || e->addr - s->addr > (1ULL << 30))
		return po_error_create(
			PO_ERR_LOOKUP,
			"%s: kallsyms has no __start_rodata..__end_rodata",
			dw->path);
	start = s->addr;
	end = e->addr;
	bt->rodata = malloc(end - start + 1);
	if (!bt->rodata)
		return &po_enomem;
	err = po_dump_read(bt->dump, PO_KVADDR, start, bt->rodata, end - start);
	if (err) {
		free(bt->rodata);
		bt->rodata = NULL;
		return po_error_prefix(err, "%s: reading .rodata: ", dw->path);
	}
	/* A string at the very end still ends. */
	bt->rodata[end - start] = '\0';
	bt->rodata_len = end - start + 1;
	return NULL;
}

static struct po_error *bt_find_string(struct po_debuginfo *dw,
				       const char *prefix, const char *needle,
				       const char **ret)
{
	struct po_error *err = NULL;

	if (!dw->bt->rodata)
		err = read_rodata(dw);
	if (err)
		return err;
	return po_di_find_string_in(dw->bt->rodata, dw->bt->rodata_len,
				    dw->path, prefix, needle, ret);
}

/* ---- synthetic types: pointers and arrays BTF never spells out ---- */

static const struct bt_syn *syn(const struct po_btfdi *bt, struct po_type t)
{
	uint32_t n = po_btf_nr_types(bt->btf);

	return t.die >= n && t.die - n < bt->nr_syn ? &bt->syn[t.die - n] :
						      NULL;
}

struct po_error *po_btfdi_make_type(struct po_btfdi *bt, enum po_type_kind kind,
				    struct po_type target, uint64_t nelems,
				    bool bound, struct po_type *ret)
{
	struct bt_syn *s;
	size_t i;

	for (i = 0; i < bt->nr_syn; i++) {
		s = &bt->syn[i];
		if (s->kind == kind && s->target.die == target.die &&
		    s->nelems == nelems && s->bound == bound)
			goto found;
	}
	s = realloc(bt->syn, (bt->nr_syn + 1) * sizeof(*s));
	if (!s)
		return &po_enomem;
	bt->syn = s;
	s = &bt->syn[bt->nr_syn++];
	*s = (struct bt_syn){ kind, target, nelems, bound };
found:
	ret->die = po_btf_nr_types(bt->btf) + (uint64_t)(s - bt->syn);
	return NULL;
}

/* A pointer to @target: BTF's own when it has one, else synthetic. */
struct po_error *po_btfdi_pointer_to(struct po_btfdi *bt, struct po_type target,
				     struct po_type *ret)
{
	uint32_t id, n = po_btf_nr_types(bt->btf);
	struct po_btf_type t;

	for (id = 1; id < n && target.die < n; id++) {
		t.id = id;
		if (po_btf_kind(bt->btf, t) == PO_BTF_PTR &&
		    !po_btf_type_target(bt->btf, t, &t) && t.id == target.die) {
			ret->die = id;
			return NULL;
		}
	}
	return po_btfdi_make_type(bt, PO_TYPE_POINTER, target, 0, false, ret);
}

/* ---- types ---- */

static struct po_error *bt_type_find(struct po_debuginfo *dw, const char *name,
				     struct po_type *ret)
{
	struct po_btf_type t;
	struct po_error *err = po_btf_type_find(dw->bt->btf, name, &t);

	if (err) {
		po_error_destroy(err);
		return po_error_create(PO_ERR_LOOKUP,
				       "%s: no type '%s' in the debug info",
				       dw->path, name);
	}
	*ret = po_id(t);
	return NULL;
}

static enum po_type_kind bt_type_kind(struct po_debuginfo *dw,
				      struct po_type type)
{
	const struct bt_syn *s = syn(dw->bt, type);

	return s ? s->kind : po_btf_type_kind(dw->bt->btf, bt_id(type));
}

static const char *bt_type_name(struct po_debuginfo *dw, struct po_type type)
{
	return syn(dw->bt, type) ? NULL :
				   po_btf_type_name(dw->bt->btf, bt_id(type));
}

static struct po_error *bt_type_size(struct po_debuginfo *dw,
				     struct po_type type, uint64_t *ret)
{
	const struct bt_syn *s = syn(dw->bt, type);
	struct po_error *err;
	uint64_t size;

	if (!s)
		return po_btf_type_size(dw->bt->btf, bt_id(type), ret);
	if (s->kind == PO_TYPE_POINTER) {
		*ret = 8; /* LP64, as the DWARF backend */
		return NULL;
	}
	if (!s->bound)
		return po_error_create(
			PO_ERR_LOOKUP,
			"%s: an array of unknown length has no size", dw->path);
	err = bt_type_size(dw, s->target, &size);
	if (!err)
		*ret = size * s->nelems;
	return err;
}

static struct po_type bt_type_unqualified(struct po_debuginfo *dw,
					  struct po_type type)
{
	if (syn(dw->bt, type))
		return type;
	return po_id(po_btf_unqualified(dw->bt->btf, bt_id(type)));
}

static struct po_error *bt_type_target(struct po_debuginfo *dw,
				       struct po_type type, struct po_type *ret)
{
	const struct bt_syn *s = syn(dw->bt, type);
	struct po_btf_type t;
	struct po_error *err;

	if (s) {
		*ret = s->target;
		return NULL;
	}
	err = po_btf_type_target(dw->bt->btf, bt_id(type), &t);
	if (!err)
		*ret = po_id(t);
	return err;
}

static struct po_error *bt_type_array_length(struct po_debuginfo *dw,
					     struct po_type type, uint64_t *ret)
{
	const struct bt_syn *s;

	type = bt_type_unqualified(dw, type);
	s = syn(dw->bt, type);
	if (!s)
		return po_btf_array_length(dw->bt->btf, bt_id(type), ret);
	if (s->kind != PO_TYPE_ARRAY || !s->bound)
		return po_error_create(
			PO_ERR_LOOKUP,
			"%s: the length of this array is not known without vmlinux",
			dw->path);
	*ret = s->nelems;
	return NULL;
}

/*
 * BTF writes "x[]" and "x[0]" alike, as 0 elements.  The kernel has
 * replaced most of its zero-length arrays with flexible ones, so 0 reads
 * as "[]"; the few "x[0]" left (struct cacheline_padding's) read so too.
 */
static bool bt_type_array_has_bound(struct po_debuginfo *dw,
				    struct po_type type)
{
	uint64_t n;
	struct po_error *err;
	const struct bt_syn *s;

	type = bt_type_unqualified(dw, type);
	s = syn(dw->bt, type);
	if (s)
		return s->bound;
	err = po_btf_array_length(dw->bt->btf, bt_id(type), &n);
	po_error_destroy(err);
	return !err && n;
}

static struct po_error *bt_type_member(struct po_debuginfo *dw,
				       struct po_type type, const char *path,
				       struct po_member *ret)
{
	struct po_btf_member m;
	struct po_error *err;

	if (syn(dw->bt, type))
		return po_error_create(PO_ERR_INVALID,
				       "%s: not a struct or union", dw->path);
	err = po_btf_member(dw->bt->btf, bt_id(type), path, &m);
	if (err)
		return err;
	*ret = (struct po_member){ po_id(m.type), m.bit_offset, m.bit_size,
				   m.byte_size };
	return NULL;
}

static struct po_error *bt_enumerator(struct po_debuginfo *dw, const char *name,
				      int64_t *ret)
{
	struct po_error *err = po_btf_enumerator(dw->bt->btf, name, ret);

	if (!err)
		return NULL;
	po_error_destroy(err);
	return po_error_create(PO_ERR_LOOKUP,
			       "%s: no enumerator '%s' in the debug info",
			       dw->path, name);
}

static struct po_error *bt_type_fields(struct po_debuginfo *dw,
				       struct po_type type,
				       struct po_field **ret, size_t *nr)
{
	struct po_btf_field *f;
	struct po_field *out;
	struct po_error *err;
	size_t i;

	if (syn(dw->bt, type))
		return po_error_create(PO_ERR_INVALID,
				       "%s: not a struct or union", dw->path);
	err = po_btf_fields(dw->bt->btf, bt_id(type), &f, nr);
	if (err)
		return err;
	out = calloc(*nr ? *nr : 1, sizeof(*out));
	if (!out) {
		free(f);
		return &po_enomem;
	}
	for (i = 0; i < *nr; i++)
		out[i] = (struct po_field){ f[i].name, po_id(f[i].type),
					    f[i].bit_offset, f[i].bit_size };
	free(f);
	*ret = out;
	return NULL;
}

static struct po_error *bt_type_enumerators(struct po_debuginfo *dw,
					    struct po_type type,
					    struct po_enumerator **ret,
					    size_t *nr)
{
	if (syn(dw->bt, type))
		return po_error_create(PO_ERR_INVALID, "%s: not an enum",
				       dw->path);
	return po_btf_enumerators(dw->bt->btf, bt_id(type), ret, nr);
}

static struct po_error *bt_type_params(struct po_debuginfo *dw,
				       struct po_type type,
				       struct po_type **ret, size_t *nr,
				       bool *variadic)
{
	struct po_btf_type *p;
	struct po_type *out;
	struct po_error *err;
	size_t i;

	if (syn(dw->bt, type))
		return po_error_create(PO_ERR_INVALID,
				       "%s: not a function type", dw->path);
	err = po_btf_params(dw->bt->btf, bt_id(type), &p, nr, variadic);
	if (err)
		return err;
	out = calloc(*nr ? *nr : 1, sizeof(*out));
	if (!out) {
		free(p);
		return &po_enomem;
	}
	for (i = 0; i < *nr; i++)
		out[i] = po_id(p[i]);
	free(p);
	*ret = out;
	return NULL;
}

static enum po_encoding bt_type_encoding(struct po_debuginfo *dw,
					 struct po_type type)
{
	if (syn(dw->bt, type))
		return PO_ENC_OTHER;
	return po_btf_encoding(dw->bt->btf, bt_id(type));
}

static const char *bt_type_qualifier(struct po_debuginfo *dw,
				     struct po_type type)
{
	if (syn(dw->bt, type))
		return NULL;
	switch (po_btf_kind(dw->bt->btf, bt_id(type))) {
	case PO_BTF_CONST:
		return "const";
	case PO_BTF_VOLATILE:
		return "volatile";
	case PO_BTF_RESTRICT:
		return "restrict";
	default:
		return NULL;
	}
}

static struct po_error *bt_variable_declaration(struct po_debuginfo *dw,
						const char *name,
						struct po_type *ret)
{
	(void)ret;
	return po_error_create(PO_ERR_LOOKUP,
			       "%s: no declaration of '%s' (BTF has none)",
			       dw->path, name);
}

/* ---- open and close ---- */

static void bt_destroy(struct po_debuginfo *dw)
{
	struct po_btfdi *bt = dw->bt;
	size_t i;

	if (bt) {
		po_btf_destroy(bt->btf);
		for (i = 0; i < bt->nr_syms; i++)
			free(bt->syms[i].name);
		free(bt->syms);
		free(bt->by_name);
		free(bt->rodata);
		free(bt->syn);
		free(bt);
	}
	free(dw->path);
	free(dw);
}

/*
 * The dump's own ELF machine when it has one; QEMU's ELF dumps and some
 * kdump files leave it to vmlinux, and then VMCOREINFO's x86_64 and arm64
 * symbols tell.
 */
static const char *bt_arch(const struct po_debuginfo *dw)
{
	struct po_dump *dump = dw->bt->dump;
	const char *arch = po_dump_arch(dump);

	if (arch)
		return arch;
	if (po_dump_vmcoreinfo(dump, "SYMBOL(init_top_pgt)"))
		return "x86_64";
	if (po_dump_vmcoreinfo(dump, "NUMBER(kimage_voffset)"))
		return "aarch64";
	return NULL;
}

static const struct po_di_ops btf_ops = {
	.destroy = bt_destroy,
	.arch = bt_arch,
	.elf_symbol = bt_elf_symbol,
	.is_percpu_offset = bt_is_percpu_offset,
	.read_image = bt_read_image,
	.find_string = bt_find_string,
	.type_find = bt_type_find,
	.type_kind = bt_type_kind,
	.type_name = bt_type_name,
	.type_size = bt_type_size,
	.type_unqualified = bt_type_unqualified,
	.type_target = bt_type_target,
	.type_array_length = bt_type_array_length,
	.type_array_has_bound = bt_type_array_has_bound,
	.type_member = bt_type_member,
	.enumerator = bt_enumerator,
	.variable = po_btfdi_variable,
	.type_fields = bt_type_fields,
	.type_enumerators = bt_type_enumerators,
	.type_params = bt_type_params,
	.type_encoding = bt_type_encoding,
	.type_qualifier = bt_type_qualifier,
	.variable_declaration = bt_variable_declaration,
	.names = po_btfdi_names,
};

struct po_error *po_debuginfo_open_btf(struct po_dump *dump,
				       struct po_debuginfo **ret)
{
	struct po_debuginfo *dw = calloc(1, sizeof(*dw));

	if (!dw)
		return &po_enomem;
	dw->ops = &btf_ops;
	dw->fd = -1;
	dw->bt = calloc(1, sizeof(*dw->bt));
	if (dw->bt)
		dw->bt->dump = dump;
	if (dw->bt &&
	    asprintf(&dw->path, "%s (no vmlinux)", po_dump_path(dump)) < 0)
		dw->path = NULL;
	if (!dw->bt || !dw->path) {
		bt_destroy(dw);
		return &po_enomem;
	}
	*ret = dw;
	return NULL;
}

/*
 * Until po_debuginfo_btf_attach() the object has symbols but no types: only
 * what po_mm_create() and reading kallsyms need (arch, symbols) works.
 */
struct po_error *po_debuginfo_btf_attach(struct po_debuginfo *dw,
					 uint64_t kaslr, const void *blob,
					 size_t size, uint64_t addr)
{
	struct po_btfdi *bt = dw->bt;
	struct po_error *err;
	const struct bt_sym *s;
	char *name;
	size_t nr;

	bt->kaslr = kaslr;
	err = index_symbols(bt);
	if (err)
		return err;
	s = po_btfdi_symbol(bt, "__per_cpu_start", false, &nr);
	if (s && s->addr == 0) {
		s = po_btfdi_symbol(bt, "__per_cpu_end", false, &nr);
		bt->percpu_end = s ? s->addr : 0;
	}
	if (asprintf(&name, "BTF in the dump at 0x%" PRIx64, addr) < 0)
		return &po_enomem;
	err = po_btf_open(blob, size, name, &bt->btf);
	free(name);
	if (err)
		return err;
	bt->blob_size = size;
	free(dw->path);
	if (asprintf(&dw->path, "%s: BTF at 0x%" PRIx64, po_dump_path(bt->dump),
		     addr) < 0) {
		dw->path = NULL;
		return &po_enomem;
	}
	return NULL;
}

/* @n with thousands separators, as the "131,072 types". */
static void group_digits(uint64_t n, char *buf, size_t size)
{
	char digits[32];
	size_t len, i, o = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, n);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

void po_debuginfo_sources(const struct po_debuginfo *dw, char *buf, size_t size)
{
	const struct po_btfdi *bt = dw->bt;
	char types[32];

	if (!bt) {
		snprintf(buf, size, "DWARF of %s", dw->path);
		return;
	}
	/* Type id 0 is void, which the blob does not hold. */
	group_digits(bt->btf ? po_btf_nr_types(bt->btf) - 1 : 0, types,
		     sizeof(types));
	snprintf(buf, size, "BTF in the dump, %.1f MiB, %s types",
		 bt->blob_size / 1048576.0, types);
}
