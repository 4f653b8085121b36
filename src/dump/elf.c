// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 1: ELF dumps.  Their PT_LOADs hold physical memory plainly, so
 * bulk reads come straight from the file, and the pages makedumpfile -E
 * left out are counted from the program headers.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump/internal.h"

/* The PT_LOADs of an ELF dump (po_dump_check() vetted the headers). */
struct po_error *po_elf_read_loads(struct po_dump *dump)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint16_t i;

	if (pread(dump->fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return NULL;
	dump->loads = calloc(eh.e_phnum, sizeof(*dump->loads));
	if (!dump->loads)
		return &po_enomem;
	dump->elf = true;
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(dump->fd, &ph, sizeof(ph),
			  eh.e_phoff + (uint64_t)i * sizeof(ph)) != sizeof(ph))
			return po_error_os(errno, "%s", dump->path);
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		dump->loads[dump->nr_loads++] =
			(struct elf_load){ ph.p_paddr, ph.p_filesz, ph.p_memsz,
					   ph.p_offset };
	}
	return NULL;
}

/*
 * How many of the @len bytes from @paddr one PT_LOAD gives alike: from
 * the file, at offset *@off, or (*@zero) as the zeroes of a tail past
 * p_filesz.  0 if no PT_LOAD holds @paddr.  Should PT_LOADs overlap, the
 * file's bytes win over another's tail.
 */
static uint64_t elf_span(const struct po_dump *dump, uint64_t paddr,
			 uint64_t len, uint64_t *off, bool *zero)
{
	uint64_t tail = 0;
	size_t i;

	for (i = 0; i < dump->nr_loads; i++) {
		const struct elf_load *l = &dump->loads[i];
		uint64_t in = paddr - l->paddr;

		if (paddr < l->paddr) {
			/* Ours ends where a later one's file bytes begin. */
			if (l->filesz && l->paddr - paddr < len)
				len = l->paddr - paddr;
			continue;
		}
		if (in < l->filesz) {
			*off = l->offset + in;
			*zero = false;
			return len < l->filesz - in ? len : l->filesz - in;
		}
		if (in < l->memsz && l->memsz - in > tail)
			tail = l->memsz - in;
	}
	*zero = true;
	return len < tail ? len : tail;
}

/*
 * A bulk read of an ELF dump straight from the file: each page translated
 * once, pages that follow each other in the file read with one pread(),
 * and those past a PT_LOAD's p_filesz zeroed.  Through libkdumpfile every
 * page costs a cache lookup and a copy, and its mmap()ed chunks (were they allowed) stay in RSS: every
 * struct page and page_ext array a walk reads.  Returns how many bytes
 * from the start it read; the caller reads the rest through libkdumpfile,
 * which words any error.
 */
static size_t read_elf_direct(struct po_dump *dump, enum po_addrspace as,
			      uint64_t addr, uint8_t *buf, size_t len,
			      struct po_error **err)
{
	uint64_t run_off = 0, run_len = 0, done = 0;
	struct po_vtop_walk w = { NULL, NULL };

	if (as == PO_KVADDR && !po_vtop_start(dump, &w))
		return 0;
	while (done < len) {
		uint64_t a = addr + done, paddr = a, n = len - done, off;
		bool zero;

		if (as == PO_KVADDR && !po_vtop_span(dump, &w, a, &paddr, &n))
			break;
		if (n > len - done)
			n = len - done;
		n = elf_span(dump, paddr, n, &off, &zero);
		if (!n)
			break;
		if (run_len && (zero || off != run_off + run_len)) {
			if (pread(dump->fd, buf + done - run_len, run_len,
				  run_off) != (ssize_t)run_len)
				break;
			run_len = 0;
		}
		if (zero) {
			memset(buf + done, 0, n);
			done += n;
			continue;
		}
		if (!run_len)
			run_off = off;
		run_len += n;
		done += n;
	}
	if (run_len && pread(dump->fd, buf + done - run_len, run_len,
			     run_off) != (ssize_t)run_len)
		done -= run_len;
	if (w.ctx)
		po_vtop_end(&w);
	return done;
}

/* Only bulk reads: a few bytes are cheaper through libkdumpfile's cache. */
static bool elf_takes(const struct po_dump *dump, enum po_addrspace as,
		      size_t len)
{
	return dump->nr_loads && len >= dump->page_size &&
	       !dump->libkdumpfile_only;
}

const struct po_reader po_elf_reader = {
	.name = "ELF file",
	.takes = elf_takes,
	.read = read_elf_direct,
};

/* ---- excluded pages ---- */

/* A range of pfns, [start, end). */
struct pfn_range {
	uint64_t start, end;
};

/* The pfns of the @size > 0 bytes at @paddr; memory past 2^64 has none. */
static struct pfn_range pfns_of(uint64_t paddr, uint64_t size,
				unsigned int shift)
{
	uint64_t last = paddr + (size - 1);

	if (last < paddr)
		last = UINT64_MAX;
	return (struct pfn_range){ paddr >> shift, (last >> shift) + 1 };
}

/* Set (@on) or clear the bits of @r below @nr_bits. */
static void mark_range(uint8_t *map, struct pfn_range r, uint64_t nr_bits,
		       bool on)
{
	uint64_t pfn, end = r.end < nr_bits ? r.end : nr_bits;

	for (pfn = r.start; pfn < end; pfn++) {
		if (on)
			map[pfn / 8] |= 1u << (pfn % 8);
		else
			map[pfn / 8] &= ~(1u << (pfn % 8));
	}
}

/*
 * po_dump_excluded_map() of an ELF dump, from its program headers: the
 * pfns its PT_LOADs' p_memsz cover less those their p_filesz do (a page
 * counts if any of its bytes does, as in libkdumpfile's page maps).  Not
 * through libkdumpfile's file page map: 0.5.1's elf_get_bits() clears
 * bits far past the caller's buffer when the next PT_LOAD starts past the
 * requested pfns, and did on every makedumpfile -E dump.
 */
struct po_error *po_elf_excluded_map(const struct po_dump *dump,
				     uint64_t nr_pfns, uint8_t **map,
				     uint64_t *nr_bits)
{
	unsigned int shift = __builtin_ctzll(dump->page_size);
	uint64_t end = 0;
	uint8_t *m;
	size_t i;

	/* The last pfn of memory the headers describe ends the map. */
	for (i = 0; i < dump->nr_loads; i++) {
		const struct elf_load *l = &dump->loads[i];

		if (l->memsz && pfns_of(l->paddr, l->memsz, shift).end > end)
			end = pfns_of(l->paddr, l->memsz, shift).end;
	}
	if (end < nr_pfns)
		nr_pfns = end;
	m = calloc((nr_pfns + 7) / 8 + 1, 1);
	if (!m)
		return &po_enomem;
	/*
	 * Memory's pfns set, then the file's cleared, over every PT_LOAD:
	 * p_filesz <= p_memsz (po_dump_check()), so file pfns are memory's.
	 */
	for (i = 0; i < 2 * dump->nr_loads; i++) {
		const struct elf_load *l = &dump->loads[i % dump->nr_loads];
		bool mem = i < dump->nr_loads;
		uint64_t size = mem ? l->memsz : l->filesz;

		if (size)
			mark_range(m, pfns_of(l->paddr, size, shift), nr_pfns,
				   mem);
	}
	*map = m;
	*nr_bits = nr_pfns;
	return NULL;
}
