// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 2: vmlinux DWARF and ELF symbols through libdw/libelf.
 *
 * At open we make one pass over the top-level DIEs of every CU and index
 * them by name (types, variables with a location, enumerators), so that a
 * lookup is a hash probe and never a scan of all CUs.  The pass reads the
 * section bytes itself (dwarfscan.c) and asks libdw only about DIEs it
 * cannot judge alone.  Names point into the sections libdw holds and
 * stay valid while the Dwarf handle is open.
 */
#define _GNU_SOURCE
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "debuginfo/debuginfo.h"
#include "debuginfo/dwarfscan.h"
#include "util/array.h"

enum index_kind {
	IDX_STRUCT,
	IDX_UNION,
	IDX_ENUM,
	IDX_TYPEDEF,
	IDX_BASE,
	IDX_VARIABLE,
	IDX_ENUMERATOR,
	IDX_DECLARATION, /* a variable declared, not defined, in a CU */
	IDX_SYMBOL, /* an ELF symbol (struct po_dwarf's syms) */
};

struct index_entry {
	const char *name;
	uint64_t die;
	uint64_t cu; /* CU DIE offset, for file-static lookups */
	uint32_t hash;
	uint32_t next; /* next entry in the bucket, or UINT32_MAX */
	uint8_t kind;
};

/* Names hashed into buckets of chained entries. */
struct name_index {
	struct index_entry *entries;
	uint32_t nr_entries;
	size_t cap_entries;
	uint32_t *buckets;
	uint32_t nr_buckets; /* a power of two */
};

struct po_dwarf {
	char *path;
	int fd;
	Elf *elf;
	Dwarf *dbg;
	char build_id[2 * 64 + 1];
	bool big_endian;
	uint16_t machine;
	struct name_index idx; /* DWARF: types, variables, enumerators */
	struct name_index syms; /* ELF symbols, indexed on first use */
	uint64_t percpu_size; /* of .data..percpu when linked at 0, else 0 */
};

#define NO_ENTRY UINT32_MAX

static struct po_error *dwarf_err(const struct po_dwarf *dw, const char *what)
{
	return po_error_create(PO_ERR_FORMAT, "%s: %s: %s", dw->path, what,
			       dwarf_errmsg(-1));
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The first entry of @kind named @name (whose name_hash() is @h) after
 * @after, or from the start when @after is NULL. */
static const struct index_entry *index_lookup(const struct name_index *ix,
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
static struct po_error *index_add(struct name_index *ix, enum index_kind kind,
				  const char *name, uint64_t die, uint64_t cu)
{
	uint32_t hash = name_hash(name);
	struct index_entry *e;
	struct po_error *err;

	if (kind != IDX_VARIABLE && index_lookup(ix, kind, name, hash, NULL))
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
	/* Out of CU order until index_build() chains them again. */
	e->next = ix->buckets[hash & (ix->nr_buckets - 1)];
	ix->buckets[hash & (ix->nr_buckets - 1)] = ix->nr_entries - 1;
	return NULL;
}

static int tag_kind(int tag)
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
 * The entry a DIE of @kind (tag_kind()) makes, or -1: types that are not
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

static struct po_error *index_enumerators(struct po_dwarf *dw, Dwarf_Die *en,
					  uint64_t cu)
{
	struct po_error *err;
	Dwarf_Die child;

	if (dwarf_child(en, &child) != 0)
		return NULL;
	do {
		const char *name = dwarf_diename(&child);

		if (dwarf_tag(&child) != DW_TAG_enumerator || !name)
			continue;
		err = index_add(&dw->idx, IDX_ENUMERATOR, name,
				dwarf_dieoffset(&child), cu);
		if (err)
			return err;
	} while (dwarf_siblingof(&child, &child) == 0);
	return NULL;
}

static struct po_error *index_die(struct po_dwarf *dw, Dwarf_Die *die,
				  uint64_t cu)
{
	int kind = tag_kind(dwarf_tag(die));
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
	return index_add(&dw->idx, kind, name, dwarf_dieoffset(die), cu);
}

static Elf_Data *section_data(struct po_dwarf *dw, const char *name);

/* The section named @name, its header in @shdr; NULL if there is none. */
static Elf_Scn *find_section(struct po_dwarf *dw, const char *name,
			     GElf_Shdr *shdr)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(dw->elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(dw->elf, scn))) {
		const char *n;

		if (!gelf_getshdr(scn, shdr))
			continue;
		n = elf_strptr(dw->elf, shstrndx, shdr->sh_name);
		if (n && !strcmp(n, name))
			return scn;
	}
	return NULL;
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

static void scan_pages_init(struct po_dwarf *dw, struct scan_pages *sp)
{
	Elf_Data *d = section_data(dw, ".debug_info");
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
static struct po_error *index_rest(struct po_dwarf *dw, Dwarf_Die *die,
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
	struct po_dwarf *dw;
	uint64_t cu;
};

/* The DIE at @off through libdw, for what the scan did not read. */
static struct po_error *index_by_libdw(struct po_dwarf *dw, uint64_t off,
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
		return d->name ? index_add(&a->dw->idx, IDX_ENUMERATOR, d->name,
					   d->off, a->cu) :
				 NULL;
	}
	kind = tag_kind((int)d->tag);
	if (kind < 0)
		return NULL;
	/* A name dwarf_diename() finds where the scan does not. */
	if (d->integrates || d->name_unread)
		return index_by_libdw(a->dw, d->off, a->cu);
	kind = entry_kind(kind, d->declaration, d->location);
	if (kind < 0 || !d->name)
		return NULL;
	return index_add(&a->dw->idx, kind, d->name, d->off, a->cu);
}

static void scan_section(struct po_dwarf *dw, const char *name,
			 struct po_scan_section *sec)
{
	Elf_Data *d = section_data(dw, name);

	sec->data = d ? d->d_buf : NULL;
	sec->size = d && d->d_buf ? d->d_size : 0;
}

/* The tags index_die() indexes (tag_kind()), for dwarfscan.c. */
static const uint32_t scan_tags[] = {
	DW_TAG_structure_type, DW_TAG_union_type, DW_TAG_enumeration_type,
	DW_TAG_typedef,	       DW_TAG_base_type,  DW_TAG_variable,
};

/*
 * Index the unit of @cudie with dwarfscan.c; *@resume: where libdw must
 * carry on (0: nowhere; the CU DIE's offset: from its first child).
 */
static struct po_error *scan_cu(struct po_dwarf *dw,
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
static struct po_error *index_cus(struct po_dwarf *dw, bool libdw_only)
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
static struct po_error *index_build(struct name_index *ix)
{
	uint32_t n = 1;

	while (n < ix->nr_entries * 2 && n < (1u << 30))
		n <<= 1;
	return index_chain(ix, n);
}

static const struct index_entry *index_find(const struct po_dwarf *dw,
					    enum index_kind kind,
					    const char *name,
					    const struct index_entry *after)
{
	return index_lookup(&dw->idx, kind, name, name_hash(name), after);
}

static void index_free(struct name_index *ix)
{
	free(ix->entries);
	free(ix->buckets);
}

static void read_build_id(struct po_dwarf *dw)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(dw->elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nhdr;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		while (data && (off = gelf_getnote(data, off, &nhdr, &name_off,
						   &desc_off)) > 0) {
			const uint8_t *desc;
			size_t i;

			if (nhdr.n_type != NT_GNU_BUILD_ID ||
			    nhdr.n_namesz != 4 ||
			    memcmp((char *)data->d_buf + name_off, "GNU", 4) ||
			    nhdr.n_descsz > 64)
				continue;
			desc = (const uint8_t *)data->d_buf + desc_off;
			for (i = 0; i < nhdr.n_descsz; i++)
				sprintf(dw->build_id + 2 * i, "%02x", desc[i]);
			return;
		}
	}
}

static struct po_error *open_elf(struct po_dwarf *dw)
{
	GElf_Ehdr ehdr;

	dw->fd = open(dw->path, O_RDONLY | O_CLOEXEC);
	if (dw->fd < 0)
		return po_error_os(errno, "%s", dw->path);
	elf_version(EV_CURRENT);
	dw->elf = elf_begin(dw->fd, ELF_C_READ_MMAP, NULL);
	if (!dw->elf || elf_kind(dw->elf) != ELF_K_ELF ||
	    !gelf_getehdr(dw->elf, &ehdr))
		return po_error_create(PO_ERR_FORMAT, "%s: not an ELF file",
				       dw->path);
	dw->big_endian = ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
	dw->machine = ehdr.e_machine;
	read_build_id(dw);
	dw->dbg = dwarf_begin_elf(dw->elf, DWARF_C_READ, NULL);
	if (!dw->dbg)
		return po_error_create(
			PO_ERR_FORMAT,
			"%s: no DWARF debug info (%s); pass a vmlinux built with CONFIG_DEBUG_INFO",
			dw->path, dwarf_errmsg(-1));
	return NULL;
}

/*
 * x86_64 SMP kernels have long linked .data..percpu at 0 (the 5.10, 6.1
 * and 6.12 fixtures do; 7.2's is linked at an address like any data, as
 * on other architectures).  A symbol there is an offset into each CPU's
 * area, not an address, and gets no KASLR offset.  The section headers
 * say which, so no version is assumed.
 */
static void find_zero_based_percpu(struct po_dwarf *dw)
{
	GElf_Shdr shdr;

	if (find_section(dw, ".data..percpu", &shdr) && shdr.sh_addr == 0)
		dw->percpu_size = shdr.sh_size;
}

bool po_dwarf_is_percpu_offset(const struct po_dwarf *dw, uint64_t addr)
{
	return addr < dw->percpu_size;
}

struct po_error *po_dwarf_open(const char *path, struct po_dwarf **ret)
{
	struct po_dwarf *dw = calloc(1, sizeof(*dw));
	struct po_error *err;

	if (!dw)
		return &po_enomem;
	dw->fd = -1;
	dw->path = strdup(path);
	if (!dw->path) {
		err = &po_enomem;
		goto fail;
	}
	err = open_elf(dw);
	if (!err) {
		find_zero_based_percpu(dw);
		err = index_cus(dw, false);
	}
	if (!err && dw->idx.nr_entries == 0)
		err = po_error_create(
			PO_ERR_FORMAT,
			"%s: the DWARF info names no types or variables", path);
	if (!err)
		err = index_build(&dw->idx);
	if (err)
		goto fail;
	*ret = dw;
	return NULL;
fail:
	po_dwarf_destroy(dw);
	return err;
}

struct po_error *po_dwarf_index_check(struct po_dwarf *dw, uint64_t *differ,
				      char *first, size_t len)
{
	struct name_index fast = dw->idx;
	struct po_error *err;
	uint32_t i, n;

	*differ = 0;
	first[0] = '\0';
	memset(&dw->idx, 0, sizeof(dw->idx));
	err = index_cus(dw, true);
	if (!err)
		err = index_build(&dw->idx);
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
	index_free(&dw->idx);
	dw->idx = fast;
	return err;
}

void po_dwarf_destroy(struct po_dwarf *dw)
{
	if (!dw)
		return;
	if (dw->dbg)
		dwarf_end(dw->dbg);
	if (dw->elf)
		elf_end(dw->elf);
	if (dw->fd >= 0)
		close(dw->fd);
	index_free(&dw->idx);
	index_free(&dw->syms);
	free(dw->path);
	free(dw);
}

const char *po_dwarf_path(const struct po_dwarf *dw)
{
	return dw->path;
}

const char *po_dwarf_build_id(const struct po_dwarf *dw)
{
	return dw->build_id[0] ? dw->build_id : NULL;
}

const char *po_dwarf_arch(const struct po_dwarf *dw)
{
	switch (dw->machine) {
	case EM_X86_64:
		return "x86_64";
	case EM_AARCH64:
		return "aarch64";
	case EM_386:
		return "ia32";
	case EM_PPC64:
		return "ppc64";
	case EM_S390:
		return "s390x";
	default:
		return NULL;
	}
}

/* Every defined symbol of .symtab, by name; the value goes in ->die. */
static struct po_error *index_symbols(struct po_dwarf *dw)
{
	struct po_error *err = NULL;
	Elf_Scn *scn = NULL;

	while (!err && (scn = elf_nextscn(dw->elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_SYMTAB ||
		    !shdr.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		n = shdr.sh_size / shdr.sh_entsize;
		for (i = 0; !err && data && i < n; i++) {
			GElf_Sym sym;
			const char *s;

			if (!gelf_getsym(data, i, &sym))
				break;
			s = elf_strptr(dw->elf, shdr.sh_link, sym.st_name);
			if (s && *s && sym.st_shndx != SHN_UNDEF)
				err = index_add(&dw->syms, IDX_SYMBOL, s,
						sym.st_value, 0);
		}
	}
	return err ? err : index_build(&dw->syms);
}

/*
 * Symbols are indexed on the first lookup rather than at open: most runs
 * need one or two, but the shell asks for any name typed, and a miss must
 * not cost a pass over 100,000 symbols.
 */
struct po_error *po_dwarf_elf_symbol(struct po_dwarf *dw, const char *name,
				     uint64_t *ret)
{
	const struct index_entry *e;

	/* index_build() leaves at least one bucket: indexed already. */
	if (!dw->syms.nr_buckets) {
		struct po_error *err = index_symbols(dw);

		if (err) {
			index_free(&dw->syms);
			memset(&dw->syms, 0, sizeof(dw->syms));
			return err;
		}
	}
	e = index_lookup(&dw->syms, IDX_SYMBOL, name, name_hash(name), NULL);
	if (e) {
		*ret = e->die;
		return NULL;
	}
	return po_error_create(PO_ERR_LOOKUP, "%s: no ELF symbol '%s'",
			       dw->path, name);
}

struct po_error *po_dwarf_read_image(struct po_dwarf *dw, uint64_t addr,
				     void *buf, size_t len)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(dw->elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_ALLOC) ||
		    shdr.sh_type != SHT_PROGBITS || addr < shdr.sh_addr ||
		    addr - shdr.sh_addr >= shdr.sh_size)
			continue;
		if (addr - shdr.sh_addr + len > shdr.sh_size)
			break;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf || data->d_size < shdr.sh_size)
			break;
		memcpy(buf, (char *)data->d_buf + (addr - shdr.sh_addr), len);
		return NULL;
	}
	return po_error_addr(PO_ERR_FAULT, addr,
			     "%s: no initialised data at 0x%llx", dw->path,
			     (unsigned long long)addr);
}

static Elf_Data *section_data(struct po_dwarf *dw, const char *name)
{
	GElf_Shdr shdr;
	Elf_Scn *scn = find_section(dw, name, &shdr);

	return scn && shdr.sh_type == SHT_PROGBITS ? elf_getdata(scn, NULL) :
						     NULL;
}

/*
 * po_dwarf_find_string() with a @needle: look for the needle, which is
 * longer and rarer than prefixes like "PFN ", and check the prefix of the
 * string around each hit.  memmem() skips ahead by the needle's length:
 * scanning .rodata for a 4-byte prefix cost 8% of `report` on a small
 * dump.
 */
static struct po_error *find_by_needle(struct po_dwarf *dw,
				       const Elf_Data *data, const char *prefix,
				       const char *needle, const char **ret)
{
	const char *start = data->d_buf, *end = start + data->d_size;
	const char *p = start;
	size_t plen = strlen(prefix), nlen = strlen(needle);

	while (p < end) {
		const char *hit = memmem(p, (size_t)(end - p), needle, nlen);
		const char *s;

		if (!hit)
			break;
		for (s = hit; s > start && s[-1]; s--)
			;
		if (!memchr(hit, '\0', (size_t)(end - hit)))
			break;
		if (!strncmp(s, prefix, plen)) {
			*ret = s;
			return NULL;
		}
		/* The rest of this string cannot start another. */
		p = hit + strlen(hit) + 1;
	}
	return po_error_create(PO_ERR_LOOKUP,
			       "%s: no string \"%s...%s...\" in .rodata",
			       dw->path, prefix, needle);
}

struct po_error *po_dwarf_find_string(struct po_dwarf *dw, const char *prefix,
				      const char *needle, const char **ret)
{
	Elf_Data *data = section_data(dw, ".rodata");
	const char *p, *end;
	size_t plen = strlen(prefix);

	if (!data || !data->d_buf)
		return po_error_create(PO_ERR_FORMAT, "%s: no .rodata section",
				       dw->path);
	p = data->d_buf;
	end = p + data->d_size;
	if (needle)
		return find_by_needle(dw, data, prefix, needle, ret);
	while (p < end) {
		const char *hit = memmem(p, (size_t)(end - p), prefix, plen);
		const char *nul;

		if (!hit)
			break;
		nul = memchr(hit, '\0', (size_t)(end - hit));
		if (!nul)
			break;
		/* A string starts after a NUL (or at the section start). */
		if ((hit == data->d_buf || hit[-1] == '\0') &&
		    (!needle || strstr(hit, needle))) {
			*ret = hit;
			return NULL;
		}
		p = hit + 1;
	}
	return po_error_create(PO_ERR_LOOKUP,
			       "%s: no string \"%s...\" in .rodata", dw->path,
			       prefix);
}

/* ---- types ---- */

static struct po_error *get_die(struct po_dwarf *dw, struct po_type type,
				Dwarf_Die *ret)
{
	if (!type.die || !dwarf_offdie(dw->dbg, type.die, ret))
		return po_error_create(PO_ERR_BAD_DATA,
				       "%s: no type DIE at offset 0x%llx",
				       dw->path, (unsigned long long)type.die);
	return NULL;
}

/* The DIE's DW_AT_type, or void (0) when it has none. */
static struct po_type die_type(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Die t;

	if (!dwarf_attr_integrate(die, DW_AT_type, &attr) ||
	    !dwarf_formref_die(&attr, &t))
		return (struct po_type){ 0 };
	return (struct po_type){ dwarf_dieoffset(&t) };
}

enum po_type_kind po_type_kind(struct po_dwarf *dw, struct po_type type)
{
	Dwarf_Die die;

	if (!type.die || !dwarf_offdie(dw->dbg, type.die, &die))
		return PO_TYPE_VOID;
	switch (dwarf_tag(&die)) {
	case DW_TAG_base_type:
		return PO_TYPE_BASE;
	case DW_TAG_pointer_type:
		return PO_TYPE_POINTER;
	case DW_TAG_structure_type:
		return PO_TYPE_STRUCT;
	case DW_TAG_union_type:
		return PO_TYPE_UNION;
	case DW_TAG_enumeration_type:
		return PO_TYPE_ENUM;
	case DW_TAG_typedef:
		return PO_TYPE_TYPEDEF;
	case DW_TAG_array_type:
		return PO_TYPE_ARRAY;
	case DW_TAG_subroutine_type:
		return PO_TYPE_FUNCTION;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		return PO_TYPE_QUALIFIER;
	default:
		return PO_TYPE_OTHER;
	}
}

const char *po_type_name(struct po_dwarf *dw, struct po_type type)
{
	Dwarf_Die die;

	if (!type.die || !dwarf_offdie(dw->dbg, type.die, &die))
		return NULL;
	return dwarf_diename(&die);
}

/*
 * A CU that only uses a pointer to a struct declares it ("struct
 * sched_class;"); the definition with members and size is in another CU.
 */
static struct po_type complete_type(struct po_dwarf *dw, struct po_type type)
{
	const struct index_entry *e;
	Dwarf_Die die;
	const char *name;
	int kind;

	if (!type.die || !dwarf_offdie(dw->dbg, type.die, &die) ||
	    !dwarf_hasattr(&die, DW_AT_declaration))
		return type;
	kind = tag_kind(dwarf_tag(&die));
	name = dwarf_diename(&die);
	if (kind < 0 || !name)
		return type;
	e = index_find(dw, kind, name, NULL);
	return e ? (struct po_type){ e->die } : type;
}

struct po_type po_type_unqualified(struct po_dwarf *dw, struct po_type type)
{
	int depth;

	for (depth = 0; depth < 64; depth++) {
		enum po_type_kind k = po_type_kind(dw, type);
		Dwarf_Die die;

		if (k != PO_TYPE_TYPEDEF && k != PO_TYPE_QUALIFIER)
			break;
		if (!dwarf_offdie(dw->dbg, type.die, &die))
			break;
		type = die_type(&die);
	}
	return complete_type(dw, type);
}

struct po_error *po_type_target(struct po_dwarf *dw, struct po_type type,
				struct po_type *ret)
{
	Dwarf_Die die;
	struct po_error *err = get_die(dw, type, &die);

	if (err)
		return err;
	*ret = die_type(&die);
	return NULL;
}

struct po_error *po_type_size(struct po_dwarf *dw, struct po_type type,
			      uint64_t *ret)
{
	struct po_error *err;
	Dwarf_Die die;
	int size;

	type = po_type_unqualified(dw, type);
	if (po_type_kind(dw, type) == PO_TYPE_POINTER) {
		*ret = 8; /* LP64: every supported target */
		return NULL;
	}
	err = get_die(dw, type, &die);
	if (err)
		return err;
	/* dwarf_aggregate_size handles arrays (bounds times element). */
	{
		Dwarf_Word w;

		if (dwarf_aggregate_size(&die, &w) == 0) {
			*ret = w;
			return NULL;
		}
	}
	size = dwarf_bytesize(&die);
	if (size < 0)
		return po_error_create(PO_ERR_LOOKUP,
				       "%s: type '%s' has no size", dw->path,
				       dwarf_diename(&die) ?: "?");
	*ret = size;
	return NULL;
}

struct po_error *po_type_array_length(struct po_dwarf *dw, struct po_type type,
				      uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;
	Dwarf_Die die, sub;
	struct po_error *err;

	type = po_type_unqualified(dw, type);
	err = get_die(dw, type, &die);
	if (err)
		return err;
	if (dwarf_tag(&die) != DW_TAG_array_type ||
	    dwarf_child(&die, &sub) != 0 ||
	    dwarf_tag(&sub) != DW_TAG_subrange_type)
		return po_error_create(PO_ERR_LOOKUP,
				       "%s: type at 0x%llx is not an array",
				       dw->path, (unsigned long long)type.die);
	if (dwarf_attr_integrate(&sub, DW_AT_count, &attr) &&
	    dwarf_formudata(&attr, &w) == 0) {
		*ret = w;
		return NULL;
	}
	if (dwarf_attr_integrate(&sub, DW_AT_upper_bound, &attr) &&
	    dwarf_formudata(&attr, &w) == 0) {
		*ret = w + 1;
		return NULL;
	}
	*ret = 0; /* flexible array member */
	return NULL;
}

bool po_type_array_has_bound(struct po_dwarf *dw, struct po_type type)
{
	Dwarf_Die die, sub;

	type = po_type_unqualified(dw, type);
	if (!type.die || !dwarf_offdie(dw->dbg, type.die, &die) ||
	    dwarf_child(&die, &sub) != 0)
		return false;
	return dwarf_hasattr(&sub, DW_AT_count) ||
	       dwarf_hasattr(&sub, DW_AT_upper_bound);
}

bool po_type_is_signed(struct po_dwarf *dw, struct po_type type)
{
	enum po_encoding enc = po_type_encoding(dw, type);

	return enc == PO_ENC_SIGNED || enc == PO_ENC_SIGNED_CHAR;
}

static const struct {
	const char *prefix;
	enum index_kind kind;
} type_prefixes[] = {
	{ "struct ", IDX_STRUCT },
	{ "union ", IDX_UNION },
	{ "enum ", IDX_ENUM },
};

struct po_error *po_type_find(struct po_dwarf *dw, const char *name,
			      struct po_type *ret)
{
	const struct index_entry *e = NULL;
	size_t i, len = strlen(name);

	if (len > 2 && !strcmp(name + len - 2, " *")) {
		/* A pointer type is rarely named; we only need its size and
		 * target, so represent it by the target with kind pointer
		 * resolved by the caller.  Not supported here yet. */
		return po_error_create(
			PO_ERR_UNSUPPORTED,
			"pointer type names are not supported: '%s'", name);
	}
	for (i = 0; i < sizeof(type_prefixes) / sizeof(type_prefixes[0]); i++) {
		size_t plen = strlen(type_prefixes[i].prefix);

		if (!strncmp(name, type_prefixes[i].prefix, plen)) {
			e = index_find(dw, type_prefixes[i].kind, name + plen,
				       NULL);
			goto found;
		}
	}
	e = index_find(dw, IDX_TYPEDEF, name, NULL);
	if (!e)
		e = index_find(dw, IDX_BASE, name, NULL);
found:
	if (!e)
		return po_error_create(PO_ERR_LOOKUP,
				       "%s: no type '%s' in the debug info",
				       dw->path, name);
	ret->die = e->die;
	return NULL;
}

/* Bit offset of a member DIE within its parent (DWARF 4 and 5 styles). */
static struct po_error *member_bits(struct po_dwarf *dw, Dwarf_Die *m,
				    uint64_t *bit_off, uint64_t *bit_size)
{
	Dwarf_Attribute attr;
	Dwarf_Word loc = 0, bs = 0, bo, byte_size;

	if (dwarf_attr(m, DW_AT_data_member_location, &attr) &&
	    dwarf_formudata(&attr, &loc) != 0)
		return dwarf_err(dw, "member location is not a constant");
	if (dwarf_attr(m, DW_AT_bit_size, &attr))
		dwarf_formudata(&attr, &bs);
	*bit_size = bs;
	if (dwarf_attr(m, DW_AT_data_bit_offset, &attr) &&
	    dwarf_formudata(&attr, &bo) == 0) {
		*bit_off = bo;
		return NULL;
	}
	*bit_off = loc * 8;
	if (bs && dwarf_attr(m, DW_AT_bit_offset, &attr) &&
	    dwarf_formudata(&attr, &bo) == 0) {
		/* DWARF 2-4: bit_offset counts from the MSB of the storage
		 * unit, whose size is the member's DW_AT_byte_size. */
		if (dwarf_attr(m, DW_AT_byte_size, &attr) &&
		    dwarf_formudata(&attr, &byte_size) == 0 && !dw->big_endian)
			*bit_off += byte_size * 8 - bo - bs;
		else
			*bit_off += bo;
	}
	return NULL;
}

static bool is_aggregate(int tag)
{
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type;
}

/* Find one path component @name (length @len) in the struct @agg, looking
 * through anonymous struct/union members.  Adds to *bit_off. */
static struct po_error *find_member(struct po_dwarf *dw, Dwarf_Die *agg,
				    const char *name, size_t len,
				    Dwarf_Die *ret, uint64_t *bit_off,
				    uint64_t *bit_size, int depth)
{
	struct po_error *err;
	Dwarf_Die m;

	if (depth > 16 || dwarf_child(agg, &m) != 0)
		return po_error_create(PO_ERR_LOOKUP, "no member");
	do {
		const char *mname;
		uint64_t off, bs;

		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		mname = dwarf_diename(&m);
		err = member_bits(dw, &m, &off, &bs);
		if (err)
			return err;
		if (mname && strlen(mname) == len &&
		    !strncmp(mname, name, len)) {
			*ret = m;
			*bit_off += off;
			*bit_size = bs;
			return NULL;
		}
		if (!mname) {
			struct po_type t =
				po_type_unqualified(dw, die_type(&m));
			Dwarf_Die sub;
			uint64_t sub_off = 0;

			if (!t.die || !dwarf_offdie(dw->dbg, t.die, &sub) ||
			    !is_aggregate(dwarf_tag(&sub)))
				continue;
			err = find_member(dw, &sub, name, len, ret, &sub_off,
					  bit_size, depth + 1);
			if (!err) {
				*bit_off += off + sub_off;
				return NULL;
			}
			po_error_destroy(err);
		}
	} while (dwarf_siblingof(&m, &m) == 0);
	return po_error_create(PO_ERR_LOOKUP, "no member");
}

struct po_error *po_type_member(struct po_dwarf *dw, struct po_type type,
				const char *path, struct po_member *ret)
{
	const char *p = path;
	uint64_t bit_off = 0, bit_size = 0;
	struct po_type cur = type;
	struct po_error *err;
	Dwarf_Die agg, m;

	for (;;) {
		size_t len = strcspn(p, ".");

		cur = po_type_unqualified(dw, cur);
		if (!cur.die || !dwarf_offdie(dw->dbg, cur.die, &agg) ||
		    !is_aggregate(dwarf_tag(&agg)))
			return po_error_create(
				PO_ERR_LOOKUP,
				"%s: '%.*s' is not inside a struct or union (in '%s')",
				dw->path, (int)(p - path), path, path);
		err = find_member(dw, &agg, p, len, &m, &bit_off, &bit_size, 0);
		if (err) {
			po_error_destroy(err);
			return po_error_create(
				PO_ERR_LOOKUP, "%s: %s %s has no member '%s'",
				dw->path,
				dwarf_tag(&agg) == DW_TAG_union_type ? "union" :
								       "struct",
				dwarf_diename(&agg) ?: "(anonymous)", path);
		}
		cur = die_type(&m);
		if (!p[len])
			break;
		p += len + 1;
	}
	ret->type = cur;
	ret->bit_offset = bit_off;
	ret->bit_size = bit_size;
	err = po_type_size(dw, cur, &ret->byte_size);
	if (err) {
		po_error_destroy(err);
		ret->byte_size = 0; /* a flexible array has no size */
	}
	return NULL;
}

bool po_type_has_member(struct po_dwarf *dw, struct po_type type,
			const char *path)
{
	struct po_member m;
	struct po_error *err = po_type_member(dw, type, path, &m);

	po_error_destroy(err);
	return !err;
}

/*
 * An enumerator's DW_AT_const_value.  GCC writes non-negative values with
 * DW_FORM_data1/2/4/8 and expects consumers to zero-extend them (its
 * gen_enumeration_type_die() says so); only negative ones get
 * DW_FORM_sdata.  dwarf_formsdata() sign-extends dataN, which read v6.12's
 * PGTY_buddy (0xf0, in a data1) as -16.
 */
static bool enumerator_value(Dwarf_Die *die, int64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Sword sv;
	Dwarf_Word uv;

	if (!dwarf_attr(die, DW_AT_const_value, &attr))
		return false;
	switch (dwarf_whatform(&attr)) {
	case DW_FORM_sdata:
	case DW_FORM_implicit_const:
		if (dwarf_formsdata(&attr, &sv) != 0)
			return false;
		*ret = sv;
		return true;
	default:
		if (dwarf_formudata(&attr, &uv) != 0)
			return false;
		*ret = (int64_t)uv;
		return true;
	}
}

struct po_error *po_dwarf_enumerator(struct po_dwarf *dw, const char *name,
				     int64_t *ret)
{
	const struct index_entry *e =
		index_find(dw, IDX_ENUMERATOR, name, NULL);
	Dwarf_Die die;
	int64_t v;

	if (!e)
		return po_error_create(
			PO_ERR_LOOKUP,
			"%s: no enumerator '%s' in the debug info", dw->path,
			name);
	if (!dwarf_offdie(dw->dbg, e->die, &die) || !enumerator_value(&die, &v))
		return dwarf_err(dw, name);
	*ret = v;
	return NULL;
}

static bool cu_matches(struct po_dwarf *dw, uint64_t cu, const char *file)
{
	Dwarf_Die die;
	const char *name;
	size_t n, f;

	if (!file)
		return true;
	if (!dwarf_offdie(dw->dbg, cu, &die) || !(name = dwarf_diename(&die)))
		return false;
	n = strlen(name);
	f = strlen(file);
	return n >= f && !strcmp(name + n - f, file) &&
	       (n == f || name[n - f - 1] == '/');
}

static struct po_error *variable_address(struct po_dwarf *dw, Dwarf_Die *die,
					 const char *name, uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Op *expr;
	size_t len;

	Dwarf_Attribute addr_attr;
	Dwarf_Addr addr;

	if (!dwarf_attr(die, DW_AT_location, &attr) ||
	    dwarf_getlocation(&attr, &expr, &len) != 0 || len != 1)
		goto none;
	if (expr[0].atom == DW_OP_addr) {
		*ret = expr[0].number;
		return NULL;
	}
	/*
	 * clang's DWARF 5 (and split DWARF) names the address by its index
	 * in .debug_addr: DW_OP_addrx, or DW_OP_GNU_addr_index before v5.
	 */
	if ((expr[0].atom == DW_OP_addrx ||
	     expr[0].atom == DW_OP_GNU_addr_index) &&
	    dwarf_getlocation_attr(&attr, &expr[0], &addr_attr) == 0 &&
	    dwarf_formaddr(&addr_attr, &addr) == 0) {
		*ret = addr;
		return NULL;
	}
none:
	return po_error_create(PO_ERR_UNSUPPORTED,
			       "%s: variable '%s' has no static address",
			       dw->path, name);
}

struct po_error *po_dwarf_variable(struct po_dwarf *dw, const char *name,
				   const char *file, struct po_variable *ret)
{
	const struct index_entry *e = NULL;
	Dwarf_Die die;

	while ((e = index_find(dw, IDX_VARIABLE, name, e)))
		if (cu_matches(dw, e->cu, file))
			break;
	if (!e)
		return po_error_create(
			PO_ERR_LOOKUP,
			"%s: no variable '%s'%s%s in the debug info", dw->path,
			name, file ? " in " : "", file ? file : "");
	if (!dwarf_offdie(dw->dbg, e->die, &die))
		return dwarf_err(dw, name);
	ret->type = die_type(&die);
	return variable_address(dw, &die, name, &ret->address);
}

/* The children of @type's DIE with @tag, as an array of DIEs. */
static struct po_error *die_children(struct po_dwarf *dw, struct po_type type,
				     int tag, Dwarf_Die **ret, size_t *nr)
{
	Dwarf_Die die, child, *v = NULL;
	struct po_error *err = get_die(dw, type, &die);
	size_t n = 0, cap = 0;

	*ret = NULL;
	*nr = 0;
	if (err || dwarf_child(&die, &child) != 0)
		return err;
	do {
		if (dwarf_tag(&child) != tag)
			continue;
		v = po_array_grow(v, n, &cap, sizeof(*v), &err);
		if (err) {
			free(v);
			return err;
		}
		v[n++] = child;
	} while (dwarf_siblingof(&child, &child) == 0);
	*ret = v;
	*nr = n;
	return NULL;
}

struct po_error *po_type_fields(struct po_dwarf *dw, struct po_type type,
				struct po_field **ret, size_t *nr)
{
	struct po_field *f = NULL;
	struct po_error *err;
	Dwarf_Die *m;
	size_t i, n;

	type = po_type_unqualified(dw, type);
	if (po_type_kind(dw, type) != PO_TYPE_STRUCT &&
	    po_type_kind(dw, type) != PO_TYPE_UNION)
		return po_error_create(
			PO_ERR_INVALID,
			"%s: type at 0x%llx is not a struct or union", dw->path,
			(unsigned long long)type.die);
	err = die_children(dw, type, DW_TAG_member, &m, &n);
	if (!err && n && !(f = calloc(n, sizeof(*f))))
		err = &po_enomem;
	for (i = 0; !err && i < n; i++) {
		f[i].name = dwarf_diename(&m[i]);
		f[i].type = die_type(&m[i]);
		err = member_bits(dw, &m[i], &f[i].bit_offset, &f[i].bit_size);
	}
	free(m);
	if (err) {
		free(f);
		return err;
	}
	*ret = f;
	*nr = n;
	return NULL;
}

struct po_error *po_type_enumerators(struct po_dwarf *dw, struct po_type type,
				     struct po_enumerator **ret, size_t *nr)
{
	struct po_enumerator *e = NULL;
	struct po_error *err;
	Dwarf_Die *d;
	size_t i, n;

	type = po_type_unqualified(dw, type);
	if (po_type_kind(dw, type) != PO_TYPE_ENUM)
		return po_error_create(PO_ERR_INVALID,
				       "%s: type at 0x%llx is not an enum",
				       dw->path, (unsigned long long)type.die);
	err = die_children(dw, type, DW_TAG_enumerator, &d, &n);
	if (!err && n && !(e = calloc(n, sizeof(*e))))
		err = &po_enomem;
	for (i = 0; !err && i < n; i++) {
		int64_t v = 0;

		e[i].name = dwarf_diename(&d[i]);
		if (!enumerator_value(&d[i], &v))
			err = dwarf_err(dw, "enumerator value");
		e[i].value = v;
	}
	free(d);
	if (err) {
		free(e);
		return err;
	}
	*ret = e;
	*nr = n;
	return NULL;
}

struct po_error *po_type_params(struct po_dwarf *dw, struct po_type type,
				struct po_type **ret, size_t *nr,
				bool *variadic)
{
	struct po_type *t = NULL;
	struct po_error *err;
	Dwarf_Die *d, *rest;
	size_t i, n, nrest;

	err = die_children(dw, type, DW_TAG_formal_parameter, &d, &n);
	if (err)
		return err;
	err = die_children(dw, type, DW_TAG_unspecified_parameters, &rest,
			   &nrest);
	free(rest);
	if (!err && n && !(t = calloc(n, sizeof(*t))))
		err = &po_enomem;
	for (i = 0; !err && i < n; i++)
		t[i] = die_type(&d[i]);
	free(d);
	if (err)
		return err;
	*ret = t;
	*nr = n;
	*variadic = nrest > 0;
	return NULL;
}

enum po_encoding po_type_encoding(struct po_dwarf *dw, struct po_type type)
{
	Dwarf_Attribute attr;
	Dwarf_Word enc;
	Dwarf_Die die;

	type = po_type_unqualified(dw, type);
	if (po_type_kind(dw, type) == PO_TYPE_ENUM) {
		if (!dwarf_offdie(dw->dbg, type.die, &die))
			return PO_ENC_OTHER;
		type = die_type(&die);
		/* Old compilers give no underlying type: int-like. */
		if (!type.die)
			return PO_ENC_UNSIGNED;
	}
	if (!dwarf_offdie(dw->dbg, type.die, &die) ||
	    !dwarf_attr(&die, DW_AT_encoding, &attr) ||
	    dwarf_formudata(&attr, &enc) != 0)
		return PO_ENC_OTHER;
	switch (enc) {
	case DW_ATE_signed:
		return PO_ENC_SIGNED;
	case DW_ATE_unsigned:
		return PO_ENC_UNSIGNED;
	case DW_ATE_boolean:
		return PO_ENC_BOOL;
	case DW_ATE_float:
		return PO_ENC_FLOAT;
	case DW_ATE_signed_char:
		return PO_ENC_SIGNED_CHAR;
	case DW_ATE_unsigned_char:
		return PO_ENC_UNSIGNED_CHAR;
	}
	return PO_ENC_OTHER;
}

const char *po_type_qualifier(struct po_dwarf *dw, struct po_type type)
{
	Dwarf_Die die;

	if (!type.die || !dwarf_offdie(dw->dbg, type.die, &die))
		return "";
	switch (dwarf_tag(&die)) {
	case DW_TAG_const_type:
		return "const";
	case DW_TAG_volatile_type:
		return "volatile";
	case DW_TAG_restrict_type:
		return "restrict";
	case DW_TAG_atomic_type:
		return "_Atomic";
	}
	return "";
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

void po_dwarf_names(struct po_dwarf *dw, unsigned int kinds, const char *prefix,
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

/* A top-level declaration of variable @name in @cudie's CU, if any. */
struct po_error *po_dwarf_variable_declaration(struct po_dwarf *dw,
					       const char *name,
					       struct po_type *ret)
{
	const struct index_entry *e =
		index_find(dw, IDX_DECLARATION, name, NULL);
	Dwarf_Die die;

	if (e && dwarf_offdie(dw->dbg, e->die, &die)) {
		*ret = die_type(&die);
		return NULL;
	}
	return po_error_create(PO_ERR_LOOKUP,
			       "%s: no declaration of '%s' in the debug info",
			       dw->path, name);
}
