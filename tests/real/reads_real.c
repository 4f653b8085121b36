// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * reads_real VMCORE VMLINUX: (VMCORE may be A,B,C: a split dump's files)
 * a bulk read of kernel virtual memory gives
 * the same bytes, and fails at the same address, as the same memory read a
 * few hundred bytes at a time, and both agree with libkdumpfile.
 *
 * Bulk reads translate a span at a time (a page, a 2 MiB vmemmap page, a
 * linear mapping) and read physical memory, or the ELF file, directly;
 * on kdump-compressed dumps, reads shorter than a page also go through
 * our own reader and its page cache.  The reference is the same memory
 * read in short pieces through libkdumpfile alone
 * (po_dump_read_through_libkdumpfile()), which translates every page on
 * its own.  Checked: the struct
 * pages and the page_ext arrays of the first, a middle and the last
 * section (vmemmap, and the direct map or vmalloc), 1 MiB of kernel text,
 * the memory of the first module (4 KiB pages of the module area), and a
 * read that runs off the end of the vmemmap.  Each PFN given (one
 * that makedumpfile filtered out) is read through the direct map with a
 * page either side: both reads must fail at its first byte, as excluded.
 *
 * reads_real --damaged VMCORE VMLINUX: VMCORE has damaged pages
 * (patch-dump.py bad-data), or a damaged page table (bad-tables).  The struct pages read in pieces must meet
 * some, and each must fail as damaged, judged by our reader: libkdumpfile
 * 0.5.1 can crash when a short read hands it one.  Each page is read
 * whole first, so that the pieces also take their descriptors from the
 * block a bulk read loaded.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump/dump.h"
#include "object/expr.h"
#include "harness.h"
#include "program/program.h"

#define PIECE 400 /* not a divisor of the page size: pieces straddle pages */

/* Read [@addr, @addr + @len) in pieces: the bytes, or where it failed. */
static struct po_error *read_pieces(struct po_mm *mm, uint64_t addr,
				    uint8_t *buf, size_t len)
{
	size_t done;

	for (done = 0; done < len; done += PIECE) {
		size_t n = len - done < PIECE ? len - done : PIECE;
		struct po_error *err =
			po_mm_read(mm, addr + done, buf + done, n);

		if (err)
			return err;
	}
	return NULL;
}

/* @got (read @how) against @ref (libkdumpfile's): same bytes or error. */
static void agree(struct harness *h, const char *what, const char *how,
		  uint64_t addr, size_t len, const uint8_t *got,
		  struct po_error *eg, const uint8_t *ref, struct po_error *er)
{
	CHECK(h, !eg == !er, "%s at 0x%" PRIx64 ": %s %s, libkdumpfile %s",
	      what, addr, how, eg ? eg->message : "ok",
	      er ? er->message : "ok");
	if (eg && er)
		CHECK(h, eg->address == er->address && eg->code == er->code,
		      "%s: %s failed at 0x%" PRIx64
		      " (%d), libkdumpfile at 0x%" PRIx64 " (%d)",
		      what, how, eg->address, eg->code, er->address, er->code);
	else if (!eg && !er)
		CHECK(h, !memcmp(got, ref, len),
		      "%s at 0x%" PRIx64 ": %s: %zu bytes differ", what, addr,
		      how, len);
}

/*
 * @ref: the reference's memory; NULL for @mm's own dump read through
 * libkdumpfile alone.
 */
static void compare(struct harness *h, struct po_mm *mm, struct po_mm *ref_mm,
		    const char *what, uint64_t addr, size_t len)
{
	struct po_dump *dump = po_mm_dump(mm);
	uint8_t *bulk = malloc(len), *pieces = malloc(len), *ref = malloc(len);
	struct po_error *eb, *ep, *er;

	if (!bulk || !pieces || !ref) {
		CHECK(h, 0, "%s: out of memory", what);
		goto out;
	}
	eb = po_mm_read(mm, addr, bulk, len);
	ep = read_pieces(mm, addr, pieces, len);
	if (ref_mm)
		dump = po_mm_dump(ref_mm);
	po_dump_read_through_libkdumpfile(dump, true);
	er = read_pieces(ref_mm ? ref_mm : mm, addr, ref, len);
	po_dump_read_through_libkdumpfile(dump, false);
	agree(h, what, "bulk read", addr, len, bulk, eb, ref, er);
	agree(h, what, "pieces", addr, len, pieces, ep, ref, er);
	po_error_destroy(eb);
	po_error_destroy(ep);
	po_error_destroy(er);
out:
	free(bulk);
	free(pieces);
	free(ref);
}

/* Read [@addr, @addr + @len) in pieces, each on its own: the failures. */
static unsigned int damaged_pieces(struct harness *h, struct po_mm *mm,
				   uint64_t addr, size_t len)
{
	unsigned int bad = 0;
	uint8_t buf[PIECE], page[4096];
	uint64_t last = UINT64_MAX;
	size_t done;

	for (done = 0; done < len; done += PIECE) {
		size_t n = len - done < PIECE ? len - done : PIECE;
		struct po_error *err;

		if ((addr + done) / sizeof(page) != last) {
			last = (addr + done) / sizeof(page);
			po_error_destroy(po_mm_read(mm, last * sizeof(page),
						    page, sizeof(page)));
		}
		err = po_mm_read(mm, addr + done, buf, n);

		if (err && bad++ < 3)
			CHECK(h,
			      err->code == PO_ERR_FAULT &&
				      strstr(err->message, "is damaged"),
			      "0x%" PRIx64 ": not judged damaged: %s",
			      addr + done, err->message);
		po_error_destroy(err);
	}
	return bad;
}

static void check_damaged(struct harness *h, struct po_program *prog,
			  struct po_memmap *mm)
{
	uint64_t n = po_memmap_section_pages(mm), pfn, addr;
	uint64_t lo = po_memmap_min_pfn(mm) & ~(n - 1);
	uint64_t hi = po_memmap_max_pfn(mm);
	unsigned int bad = 0;

	for (pfn = lo; pfn < hi; pfn += n)
		if (po_memmap_section_page(mm, pfn, &addr))
			bad += damaged_pieces(
				h, prog->mm, addr,
				n * po_memmap_page_layout(mm)->size);
	CHECK(h, bad > 0,
	      "no short read of the struct pages met a damaged page");
}

static void compare_section(struct harness *h, struct po_program *prog,
			    struct po_mm *ref, struct po_memmap *mm,
			    uint64_t pfn)
{
	uint64_t n = po_memmap_section_pages(mm), addr, ext;
	uint64_t ext_size = 0;
	struct po_owner *owner;
	char what[64];

	pfn &= ~(n - 1);
	snprintf(what, sizeof(what), "struct pages of pfn 0x%" PRIx64, pfn);
	/* The sections read are ones with memory: no check is skipped. */
	if (po_memmap_section_page(mm, pfn, &addr))
		compare(h, prog->mm, ref, what, addr,
			n * po_memmap_page_layout(mm)->size);
	else
		CHECK(h, 0, "%s: the section has no mem_map", what);
	if (!po_program_owner(prog, &owner))
		ext_size = po_owner_config(owner)->page_ext_size;
	ext = po_memmap_section_page_ext(mm, pfn);
	snprintf(what, sizeof(what), "page_ext of pfn 0x%" PRIx64, pfn);
	if (ext_size && ext && !(ext & 1))
		compare(h, prog->mm, ref, what, ext + pfn * ext_size,
			n * ext_size);
	else
		CHECK(h, 0, "%s: no page_ext (entry size %" PRIu64 ")", what,
		      ext_size);
}

/* The first module's memory: mem[] from v6.4, core_layout before. */
static void compare_module(struct harness *h, struct po_mm *mm,
			   struct po_mm *ref)
{
	static const char *const areas[][2] = {
		{ "mem[0].base", "mem[0].size" },
		{ "mem[1].base", "mem[1].size" },
		{ "core_layout.base", "core_layout.size" },
	};
	const char *mod = "((struct module *)((char *)modules.next - "
			  "(unsigned long)&((struct module *)0)->list))->";
	int found = 0;
	size_t i;

	for (i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		struct po_object obj;
		uint64_t base = 0, size = 0;
		char expr[256];
		struct po_error *err;

		snprintf(expr, sizeof(expr), "%s%s", mod, areas[i][0]);
		err = po_expr_eval(mm, expr, NULL, 0, &obj);
		if (!err)
			err = po_object_value(mm, &obj, &base);
		snprintf(expr, sizeof(expr), "%s%s", mod, areas[i][1]);
		if (!err)
			err = po_expr_eval(mm, expr, NULL, 0, &obj);
		if (!err)
			err = po_object_value(mm, &obj, &size);
		if (!err && size && size < (64 << 20)) {
			compare(h, mm, ref, areas[i][0], base, size);
			found++;
		}
		po_error_destroy(err);
	}
	CHECK(h, found, "no module memory found to read");
}

static void compare_excluded(struct harness *h, struct po_mm *mm,
			     struct po_mm *ref, const char *arg)
{
	uint64_t pfn = strtoull(arg, NULL, 0), base, addr;
	uint8_t buf[3 * 4096];
	struct po_error *err;

	err = po_mm_symbol_address(mm, "page_offset_base", &addr);
	if (!err)
		err = po_mm_read_u64(mm, addr, &base);
	CHECK(h, !err, "page_offset_base: %s", err ? err->message : "ok");
	po_error_destroy(err);
	if (err)
		return;
	addr = base + pfn * 4096;
	compare(h, mm, ref, "an excluded page", addr - 4096, sizeof(buf));
	err = po_mm_read(mm, addr - 4096, buf, sizeof(buf));
	CHECK(h, err && err->code == PO_ERR_EXCLUDED && err->address == addr,
	      "pfn 0x%" PRIx64 " at 0x%" PRIx64 ": %s", pfn, addr,
	      err ? err->message : "read, though it was filtered out");
	po_error_destroy(err);
}

/* VMCORE may be the files of a split dump, joined by commas. */
static struct po_error *open_files(const char *vmcore, const char *vmlinux,
				   struct po_program **ret)
{
	char *copy = strdup(vmcore), *save = NULL, *tok;
	const char *paths[64];
	size_t n = 0;
	struct po_error *err;

	if (!copy)
		return &po_enomem;
	for (tok = strtok_r(copy, ",", &save); tok && n < 64;
	     tok = strtok_r(NULL, ",", &save))
		paths[n++] = tok;
	err = po_program_open_files(paths, n, vmlinux, 0, ret);
	free(copy);
	return err;
}

int main(int argc, char **argv)
{
	struct harness h = { 0 };
	struct po_program *prog = NULL, *ref_prog = NULL;
	struct po_mm *ref = NULL;
	struct po_memmap *mm;
	struct po_error *err;
	uint64_t lo, hi, addr, n;
	bool damaged = argc > 1 && !strcmp(argv[1], "--damaged");
	const char *ref_path = NULL;

	if (!damaged && argc > 2 && !strcmp(argv[1], "--reference")) {
		ref_path = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 3 + damaged) {
		fprintf(stderr, "usage: reads_real [--damaged | --reference "
				"DUMP] VMCORE VMLINUX [PFN...]\n");
		return 2;
	}
	argv += damaged;
	argc -= damaged;
	/*
	 * --reference: another dump of the same moment (the ELF of a QEMU
	 * aarch64 kdump, whose 64 KiB blocks libkdumpfile 0.5.1 takes for
	 * pages and cannot translate) stands in for libkdumpfile's reading
	 * of VMCORE.
	 */
	if (ref_path) {
		err = po_program_open(ref_path, argv[2], &ref_prog);
		CHECK(&h, !err, "%s: %s", ref_path, err ? err->message : "");
		po_error_destroy(err);
		if (!ref_prog)
			return harness_finish(&h, "reads_real");
		ref = ref_prog->mm;
	}
	err = open_files(argv[1], argv[2], &prog);
	if (!err)
		err = po_program_memmap(prog, &mm);
	/* With damaged pages, the setup may need one: it must say so. */
	if (damaged && err)
		CHECK(&h, strstr(err->message, "is damaged"),
		      "%s: not judged damaged: %s", argv[1], err->message);
	else
		CHECK(&h, !err, "%s: %s", argv[1], err ? err->message : "ok");
	if (err)
		goto out;
	if (damaged) {
		check_damaged(&h, prog, mm);
		goto out;
	}
	lo = po_memmap_min_pfn(mm);
	hi = po_memmap_max_pfn(mm) - 1;
	n = po_memmap_section_pages(mm);
	compare_section(&h, prog, ref, mm, lo);
	compare_section(&h, prog, ref, mm, lo + (hi - lo) / 2);
	compare_section(&h, prog, ref, mm, hi);
	if (!po_mm_symbol_address(prog->mm, "_stext", &addr))
		compare(&h, prog->mm, ref, "kernel text", addr, 1 << 20);
	compare_module(&h, prog->mm, ref);
	/* Off the end of the last section's struct pages. */
	if (po_memmap_section_page(mm, hi & ~(n - 1), &addr))
		compare(&h, prog->mm, ref, "past the vmemmap",
			addr + n * po_memmap_page_layout(mm)->size - 8192,
			5 * 4096);
	else
		CHECK(&h, 0, "the last section has no mem_map");
	for (int i = 3; i < argc; i++)
		compare_excluded(&h, prog->mm, ref, argv[i]);
out:
	po_error_destroy(err);
	po_program_destroy(prog);
	po_program_destroy(ref_prog);
	return harness_finish(&h, "reads_real");
}
