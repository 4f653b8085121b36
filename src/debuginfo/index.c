// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 2: the name index.  At open we make one pass over the top-level
 * DIEs of every CU and index them by name (types, variables with a
 * location, enumerators), so that a lookup is a hash probe and never a
 * scan of all CUs.  The pass reads the section bytes itself (dwarfscan.c)
 * and asks libdw only about DIEs it cannot judge alone.  Names point into
 * the sections libdw holds and stay valid while the Dwarf handle is open.
 */
#define _GNU_SOURCE
#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "debuginfo/dwarfscan.h"
#include "debuginfo/internal.h"
#include "util/array.h"

uint32_t po_dwarf_name_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The first entry of @kind named @name (whose po_dwarf_name_hash() is @h) after
 * @after, or from the start when @after is NULL. */
const struct index_entry *po_dwarf_index_lookup(const struct name_index *ix,
						enum index_kind kind,
						const char *name, uint32_t h,
						const struct index_entry *after)
{
	uint32_t i;

	if (!ix->nr_buckets)
		return NULL;
	i = after ? after->next : ix->buckets[h & (ix->nr_buckets - 1)];
	for (; i != NO_ENTRY; i = ix->entries[i].next) {
		const struct index_entry *e = &ix->entries[i];

		if (e->hash == h && e->kind == kind && !strcmp(e->name, name))
			return e;
	}
	return NULL;
}

/*
 * Chain every entry into @n buckets (a power of two).  Entries keep CU
 * order within a bucket, so the first definition of a type wins, as in
 * the kernel's own CU order.
 */
static struct po_error *index_chain(struct name_index *ix, uint32_t n)
{
	uint32_t *b = malloc((size_t)n * sizeof(*b)), i;

	if (!b)
		return &po_enomem;
	memset(b, 0xff, (size_t)n * sizeof(*b));
	for (i = ix->nr_entries; i-- > 0;) {
		uint32_t h = ix->entries[i].hash & (n - 1);

		ix->entries[i].next = b[h];
		b[h] = i;
	}
	free(ix->buckets);
	ix->buckets = b;
	ix->nr_buckets = n;
	return NULL;
}

/*
 * Add a name.  All but variables are kept once: every CU repeats the
 * types and enumerators of the headers it includes, and only the first
 * is ever looked up.  Variables keep every definition, for file-static
 * ones of the same name.
 */
struct po_error *po_dwarf_index_add(struct name_index *ix, enum index_kind kind,
				    const char *name, uint64_t die, uint64_t cu)
{
	uint32_t hash = po_dwarf_name_hash(name);
	struct index_entry *e;
	struct po_error *err;

	if (kind != IDX_VARIABLE &&
	    po_dwarf_index_lookup(ix, kind, name, hash, NULL))
		return NULL;
	ix->entries = po_array_grow(ix->entries, ix->nr_entries,
				    &ix->cap_entries, sizeof(*ix->entries),
				    &err);
	if (err)
		return err;
	e = &ix->entries[ix->nr_entries++];
	e->name = name;
	e->die = die;
	e->cu = cu;
	e->kind = kind;
	e->hash = hash;
	if (ix->nr_entries * 2 > ix->nr_buckets)
		return index_chain(ix,
				   ix->nr_buckets ? ix->nr_buckets * 2 : 1024);
	/* Out of CU order until po_dwarf_index_build() chains them again. */
	e->next = ix->buckets[hash & (ix->nr_buckets - 1)];
	ix->buckets[hash & (ix->nr_buckets - 1)] = ix->nr_entries - 1;
	return NULL;
}

int po_dwarf_tag_kind(int tag)
{
	switch (tag) {
	case DW_TAG_structure_type:
		return IDX_STRUCT;
	case DW_TAG_union_type:
		return IDX_UNION;
	case DW_TAG_enumeration_type:
		return IDX_ENUM;
	case DW_TAG_typedef:
		return IDX_TYPEDEF;
	case DW_TAG_base_type:
		return IDX_BASE;
	case DW_TAG_variable:
		return IDX_VARIABLE;
	default:
		return -1;
	}
}

/*
 * The entry a DIE of @kind (po_dwarf_tag_kind()) makes, or -1: types that are not
 * declarations, variables that are definitions (they carry the location)
 * and variables that are only declared (linker aliases such as jiffies
 * have only these).
 */
static int entry_kind(int kind, bool declaration, bool location)
{
	if (kind != IDX_VARIABLE)
		return declaration ? -1 : kind;
	if (declaration)
		return IDX_DECLARATION;
	return location ? IDX_VARIABLE : -1;
}

static struct po_error *index_enumerators(struct po_debuginfo *dw,
					  Dwarf_Die *en, uint64_t cu)
{
	struct po_error *err;
	Dwarf_Die child;

	if (dwarf_child(en, &child) != 0)
		return NULL;
	do {
		const char *name = dwarf_diename(&child);

		if (dwarf_tag(&child) != DW_TAG_enumerator || !name)
			continue;
		err = po_dwarf_index_add(&dw->idx, IDX_ENUMERATOR, name,
					 dwarf_dieoffset(&child), cu);
		if (err)
			return err;
	} while (dwarf_siblingof(&child, &child) == 0);
	return NULL;
}

static struct po_error *index_die(struct po_debuginfo *dw, Dwarf_Die *die,
				  uint64_t cu)
{
	int kind = po_dwarf_tag_kind(dwarf_tag(die));
	Dwarf_Attribute attr;
	const char *name;

	if (kind < 0)
		return NULL;
	kind = entry_kind(kind, dwarf_hasattr(die, DW_AT_declaration),
			  kind == IDX_VARIABLE &&
				  dwarf_hasattr(die, DW_AT_location));
	if (kind < 0)
		return NULL;
	/* A definition that completes a declaration names it by
	 * specification. */
	name = kind == IDX_VARIABLE ?
		       dwarf_formstring(
			       dwarf_attr_integrate(die, DW_AT_name, &attr)) :
		       dwarf_diename(die);
	if (kind == IDX_ENUM) {
		struct po_error *err = index_enumerators(dw, die, cu);

		if (err)
			return err;
	}
	if (!name)
		return NULL;
	return po_dwarf_index_add(&dw->idx, kind, name, dwarf_dieoffset(die),
				  cu);
}

/*
 * The part of .debug_info the index has read, given back to the kernel as
 * it goes: the scan touches all of it (63 MiB for a 6.12 vmlinux) but
 * lookups later need a few pages, and peak RSS should follow what is
 * kept, not what was read.  Only for a section libelf mapped read-only
 * from the file (not one it decompressed into memory), so that a page
 * dropped is a page read again from the file on the next touch.
 */
struct scan_pages {
	uint8_t *base;
	size_t size, dropped;
	uintptr_t page;
};

static void scan_pages_init(struct po_debuginfo *dw, struct scan_pages *sp)
{
	Elf_Data *d = po_dwarf_section_data(dw, ".debug_info");
	size_t len;
	uint8_t *file = (uint8_t *)elf_rawfile(dw->elf, &len);

	memset(sp, 0, sizeof(*sp));
	sp->page = (uintptr_t)sysconf(_SC_PAGESIZE);
	if (d && d->d_buf && file && (uint8_t *)d->d_buf >= file &&
	    d->d_size <= len - ((uint8_t *)d->d_buf - file)) {
		sp->base = d->d_buf;
		sp->size = d->d_size;
	}
}

/* Drop the whole pages of [sp->dropped, @upto) of .debug_info. */
static void scan_pages_drop(struct scan_pages *sp, uint64_t upto)
{
	uintptr_t page = sp->page;
	uintptr_t start = (uintptr_t)sp->base + sp->dropped;
	uintptr_t end =
		(uintptr_t)sp->base + (upto < sp->size ? upto : sp->size);

	start = (start + page - 1) & ~(page - 1);
	end &= ~(page - 1);
	if (!sp->base || end <= start)
		return;
	if (!madvise((void *)start, end - start, MADV_DONTNEED))
		sp->dropped = end - (uintptr_t)sp->base;
}

/* The rest of a unit through libdw, from its top-level DIE @die. */
static struct po_error *index_rest(struct po_debuginfo *dw, Dwarf_Die *die,
				   uint64_t cu)
{
	struct po_error *err;

	do {
		err = index_die(dw, die, cu);
		if (err)
			return err;
	} while (dwarf_siblingof(die, die) == 0);
	return NULL;
}

struct scan_arg {
	struct po_debuginfo *dw;
	uint64_t cu;
};

/* The DIE at @off through libdw, for what the scan did not read. */
static struct po_error *index_by_libdw(struct po_debuginfo *dw, uint64_t off,
				       uint64_t cu)
{
	Dwarf_Die die;

	return dwarf_offdie(dw->dbg, off, &die) ? index_die(dw, &die, cu) :
						  NULL;
}

/* index_die() for what dwarfscan.c read of a DIE: the same entries. */
static struct po_error *scan_die(void *arg, const struct po_scan_die *d)
{
	struct scan_arg *a = arg;
	int kind;

	if (d->depth == 2) {
		if (d->parent_declaration || d->tag != DW_TAG_enumerator)
			return NULL;
		/* The whole enum: types and enumerators are added once. */
		if (d->integrates || d->name_unread)
			return index_by_libdw(a->dw, d->parent, a->cu);
		return d->name ? po_dwarf_index_add(&a->dw->idx, IDX_ENUMERATOR,
						    d->name, d->off, a->cu) :
				 NULL;
	}
	kind = po_dwarf_tag_kind((int)d->tag);
	if (kind < 0)
		return NULL;
	/* A name dwarf_diename() finds where the scan does not. */
	if (d->integrates || d->name_unread)
		return index_by_libdw(a->dw, d->off, a->cu);
	kind = entry_kind(kind, d->declaration, d->location);
	if (kind < 0 || !d->name)
		return NULL;
	return po_dwarf_index_add(&a->dw->idx, kind, d->name, d->off, a->cu);
}

static void scan_section(struct po_debuginfo *dw, const char *name,
			 struct po_scan_section *sec)
{
	Elf_Data *d = po_dwarf_section_data(dw, name);

	sec->data = d ? d->d_buf : NULL;
	sec->size = d && d->d_buf ? d->d_size : 0;
}

/* The tags index_die() indexes (po_dwarf_tag_kind()), for dwarfscan.c. */
static const uint32_t scan_tags[] = {
	DW_TAG_structure_type, DW_TAG_union_type, DW_TAG_enumeration_type,
	DW_TAG_typedef,	       DW_TAG_base_type,  DW_TAG_variable,
};

/*
 * Index the unit of @cudie with dwarfscan.c; *@resume: where libdw must
 * carry on (0: nowhere; the CU DIE's offset: from its first child).
 */
static struct po_error *scan_cu(struct po_debuginfo *dw,
				const struct po_scan_sections *s,
				Dwarf_Die *cudie, uint64_t *resume)
{
	struct scan_arg arg = { .dw = dw, .cu = dwarf_dieoffset(cudie) };
	struct po_scan_unit u = { .cu_die = arg.cu };
	Dwarf_Half version;
	Dwarf_Off abbrev_off, next;
	uint8_t addr_size, off_size;
	Dwarf_Die die;

	*resume = arg.cu;
	u.start = arg.cu - dwarf_cuoffset(cudie);
	if (!dwarf_cu_die(cudie->cu, &die, &version, &abbrev_off, &addr_size,
			  &off_size, NULL, NULL) ||
	    dwarf_next_unit(dw->dbg, u.start, &next, NULL, NULL, NULL, NULL,
			    NULL, NULL, NULL) != 0 ||
	    (off_size != 4 && off_size != 8) || addr_size > 8)
		return NULL;
	u.end = next;
	u.abbrev_off = abbrev_off;
	u.version = version;
	u.addr_size = addr_size;
	u.offset_size = off_size;
	return po_dwarf_scan_unit(s, &u, scan_die, &arg, resume);
}

/*
 * Every unit's top-level DIEs through dwarfscan.c; where it cannot read
 * them, the rest of the unit through libdw.  Both give the same entries
 * (tests/real/dwarf_index_real.c compares them).
 */
struct po_error *po_dwarf_index_cus(struct po_debuginfo *dw, bool libdw_only)
{
	struct po_scan_sections s = {
		.big_endian = dw->big_endian,
		.tags = scan_tags,
		.nr_tags = sizeof(scan_tags) / sizeof(scan_tags[0]),
	};
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, die;
	uint8_t unit_type;
	Dwarf_Half version;
	struct po_error *err;
	struct scan_pages sp;
	uint64_t resume;

	scan_pages_init(dw, &sp);
	scan_section(dw, ".debug_info", &s.info);
	scan_section(dw, ".debug_abbrev", &s.abbrev);
	scan_section(dw, ".debug_str", &s.str);
	scan_section(dw, ".debug_line_str", &s.line_str);
	scan_section(dw, ".debug_str_offsets", &s.str_offsets);
	while (dwarf_get_units(dw->dbg, cu, &cu, &version, &unit_type, &cudie,
			       NULL) == 0) {
		uint64_t cuoff = dwarf_dieoffset(&cudie);

		/* Everything before this CU's header has been indexed. */
		if (cuoff > 64)
			scan_pages_drop(&sp, cuoff - 64);
		resume = cuoff;
		err = libdw_only ? NULL : scan_cu(dw, &s, &cudie, &resume);
		if (err)
			return err;
		if (!resume)
			continue;
		if (resume == cuoff ? dwarf_child(&cudie, &die) != 0 :
				      !dwarf_offdie(dw->dbg, resume, &die))
			continue;
		err = index_rest(dw, &die, cuoff);
		if (err)
			return err;
	}
	return NULL;
}

/* Once every name is in: chains in CU order again. */
struct po_error *po_dwarf_index_build(struct name_index *ix)
{
	uint32_t n = 1;

	while (n < ix->nr_entries * 2 && n < (1u << 30))
		n <<= 1;
	return index_chain(ix, n);
}

const struct index_entry *po_dwarf_index_find(const struct po_debuginfo *dw,
					      enum index_kind kind,
					      const char *name,
					      const struct index_entry *after)
{
	return po_dwarf_index_lookup(&dw->idx, kind, name,
				     po_dwarf_name_hash(name), after);
}

void po_dwarf_index_free(struct name_index *ix)
{
	free(ix->entries);
	free(ix->buckets);
}

struct po_error *po_dwarf_index_check(struct po_debuginfo *dw, uint64_t *differ,
				      char *first, size_t len)
{
	struct name_index fast = dw->idx;
	struct po_error *err;
	uint32_t i, n;

	*differ = 0;
	first[0] = '\0';
	memset(&dw->idx, 0, sizeof(dw->idx));
	err = po_dwarf_index_cus(dw, true);
	if (!err)
		err = po_dwarf_index_build(&dw->idx);
	n = fast.nr_entries < dw->idx.nr_entries ? fast.nr_entries :
						   dw->idx.nr_entries;
	for (i = 0; !err && i < n; i++) {
		const struct index_entry *a = &fast.entries[i];
		const struct index_entry *b = &dw->idx.entries[i];

		if (a->kind == b->kind && a->die == b->die && a->cu == b->cu &&
		    !strcmp(a->name, b->name))
			continue;
		if (!(*differ)++)
			snprintf(
				first, len,
				"entry %u: %s kind %u die 0x%llx, libdw: %s kind %u die 0x%llx",
				i, a->name, a->kind, (unsigned long long)a->die,
				b->name, b->kind, (unsigned long long)b->die);
	}
	if (!err && fast.nr_entries != dw->idx.nr_entries) {
		if (!*differ)
			snprintf(first, len, "%u entries, libdw %u",
				 fast.nr_entries, dw->idx.nr_entries);
		*differ += fast.nr_entries > dw->idx.nr_entries ?
				   fast.nr_entries - dw->idx.nr_entries :
				   dw->idx.nr_entries - fast.nr_entries;
	}
	po_dwarf_index_free(&dw->idx);
	dw->idx = fast;
	return err;
}

static unsigned int name_kind(uint8_t idx)
{
	switch (idx) {
	case IDX_VARIABLE:
		return PO_NAME_VARIABLE;
	case IDX_TYPEDEF:
	case IDX_BASE:
		return PO_NAME_TYPEDEF;
	case IDX_STRUCT:
		return PO_NAME_STRUCT;
	case IDX_UNION:
		return PO_NAME_UNION;
	case IDX_ENUM:
		return PO_NAME_ENUM;
	case IDX_ENUMERATOR:
		return PO_NAME_ENUMERATOR;
	}
	return 0;
}

void dw_names(struct po_debuginfo *dw, unsigned int kinds, const char *prefix,
	      int (*fn)(void *arg, const char *name, unsigned int kind),
	      void *arg)
{
	size_t len = strlen(prefix);
	uint32_t i;

	for (i = 0; i < dw->idx.nr_entries; i++) {
		const struct index_entry *e = &dw->idx.entries[i];
		unsigned int k = name_kind(e->kind);

		if ((k & kinds) && !strncmp(e->name, prefix, len) &&
		    fn(arg, e->name, k))
			return;
	}
}
