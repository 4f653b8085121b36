// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 2: vmlinux's ELF side: its sections, build-id, symbol table,
 * strings, and the bytes of its image.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debuginfo/internal.h"

/* The section named @name, its header in @shdr; NULL if there is none. */
static Elf_Scn *find_section(struct po_debuginfo *dw, const char *name,
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

static void read_build_id(struct po_debuginfo *dw)
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

struct po_error *po_dwarf_open_elf(struct po_debuginfo *dw)
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
void po_dwarf_find_percpu(struct po_debuginfo *dw)
{
	GElf_Shdr shdr;

	if (find_section(dw, ".data..percpu", &shdr) && shdr.sh_addr == 0)
		dw->percpu_size = shdr.sh_size;
}

bool dw_is_percpu_offset(const struct po_debuginfo *dw, uint64_t addr)
{
	return addr < dw->percpu_size;
}

/* Every defined symbol of .symtab, by name; the value goes in ->die. */
static struct po_error *index_symbols(struct po_debuginfo *dw)
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
				err = po_dwarf_index_add(&dw->syms, IDX_SYMBOL,
							 s, sym.st_value, 0);
		}
	}
	return err ? err : po_dwarf_index_build(&dw->syms);
}

/*
 * Symbols are indexed on the first lookup rather than at open: most runs
 * need one or two, but the shell asks for any name typed, and a miss must
 * not cost a pass over 100,000 symbols.
 */
struct po_error *dw_elf_symbol(struct po_debuginfo *dw, const char *name,
			       uint64_t *ret)
{
	const struct index_entry *e;

	/* po_dwarf_index_build() leaves at least one bucket: indexed already. */
	if (!dw->syms.nr_buckets) {
		struct po_error *err = index_symbols(dw);

		if (err) {
			po_dwarf_index_free(&dw->syms);
			memset(&dw->syms, 0, sizeof(dw->syms));
			return err;
		}
	}
	e = po_dwarf_index_lookup(&dw->syms, IDX_SYMBOL, name,
				  po_dwarf_name_hash(name), NULL);
	if (e) {
		*ret = e->die;
		return NULL;
	}
	return po_error_create(PO_ERR_LOOKUP, "%s: no ELF symbol '%s'",
			       dw->path, name);
}

struct po_error *dw_read_image(struct po_debuginfo *dw, uint64_t addr,
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

Elf_Data *po_dwarf_section_data(struct po_debuginfo *dw, const char *name)
{
	GElf_Shdr shdr;
	Elf_Scn *scn = find_section(dw, name, &shdr);

	return scn && shdr.sh_type == SHT_PROGBITS ? elf_getdata(scn, NULL) :
						     NULL;
}

/*
 * With a @needle: look for the needle, which is longer and rarer than
 * prefixes like "PFN ", and check the prefix of the string around each
 * hit.  memmem() skips ahead by the needle's length: scanning .rodata for
 * a 4-byte prefix cost 8% of `report` on a small dump.
 */
static struct po_error *find_by_needle(const char *start, size_t size,
				       const char *where, const char *prefix,
				       const char *needle, const char **ret)
{
	const char *end = start + size, *p = start;
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
			       "%s: no string \"%s...%s...\" in .rodata", where,
			       prefix, needle);
}

struct po_error *po_di_find_string_in(const char *buf, size_t size,
				      const char *where, const char *prefix,
				      const char *needle, const char **ret)
{
	const char *p = buf, *end = buf + size;
	size_t plen = strlen(prefix);

	if (needle)
		return find_by_needle(buf, size, where, prefix, needle, ret);
	while (p < end) {
		const char *hit = memmem(p, (size_t)(end - p), prefix, plen);

		if (!hit || !memchr(hit, '\0', (size_t)(end - hit)))
			break;
		/* A string starts after a NUL (or at the section start). */
		if (hit == buf || hit[-1] == '\0') {
			*ret = hit;
			return NULL;
		}
		p = hit + 1;
	}
	return po_error_create(PO_ERR_LOOKUP,
			       "%s: no string \"%s...\" in .rodata", where,
			       prefix);
}

struct po_error *dw_find_string(struct po_debuginfo *dw, const char *prefix,
				const char *needle, const char **ret)
{
	Elf_Data *data = po_dwarf_section_data(dw, ".rodata");

	if (!data || !data->d_buf)
		return po_error_create(PO_ERR_FORMAT, "%s: no .rodata section",
				       dw->path);
	return po_di_find_string_in(data->d_buf, data->d_size, dw->path, prefix,
				    needle, ret);
}
