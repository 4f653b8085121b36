// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: the page_ext walk over hostile page_ext and page_owner
 * bytes, on top of a real dump.  At start-up it opens the fixture named by
 * PO_FUZZ_CORE and PO_FUZZ_VMLINUX (tests/fuzz/run.sh sets them to the
 * bundled v6.12 one) and picks windows of 64 pfns that hold records.  Each
 * input is patched over one window's page_ext entries (flags, order,
 * handle, gfp, pid, comm without NUL, timestamps: everything), and the
 * window is walked and printed the way `pageowner dump` does, decoding
 * whatever handles the bytes name.  The dump file is never written.
 *
 * Input: byte 0 picks the window, bit 0 of byte 1 the walk (allocated or
 * freed), the rest are the page_ext bytes from the window's first pfn.
 *
 * With PO_FUZZ_SEEDS=DIR it first writes each window's real bytes there,
 * as seeds for tests/fuzz/corpus/page_ext.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "program/program.h"

#define WINDOW 64
#define MAX_WINDOWS 16

struct fuzz_state {
	struct po_program *prog;
	struct po_owner *owner;
	struct po_memmap *memmap;
	struct po_owner_printer *printer[2];
	FILE *out;
	uint64_t ext_size;
	uint64_t window[MAX_WINDOWS];
	unsigned int nr_windows;
};

static struct fuzz_state fs;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, struct po_error *err)
{
	fprintf(stderr, "fuzz_page_ext: %s: %s\n", what,
		err ? err->message : "failed");
	abort();
}

/* The address of @pfn's page_ext entry (windows all have one). */
static uint64_t ext_address(uint64_t pfn)
{
	return po_memmap_section_page_ext(fs.memmap, pfn) + pfn * fs.ext_size;
}

/* Windows of pfns with records, spread over the whole walk. */
static void pick_windows(void)
{
	uint64_t pfns[4096], n = 0, i;
	const struct po_page_owner *r;
	struct po_walk *w;
	struct po_error *err;

	err = po_walk_create(fs.owner, fs.memmap, NULL, NULL, 0, UINT64_MAX,
			     PO_WALK_ALLOCATED, &w);
	while (!err && n < 4096 && !(err = po_walk_next(w, &r)) && r)
		pfns[n++] = r->pfn;
	po_walk_destroy(w);
	if (err || !n)
		die("walking the fixture", err);
	for (i = 0; i < MAX_WINDOWS; i++) {
		uint64_t start = pfns[i * n / MAX_WINDOWS] &
				 ~(uint64_t)(WINDOW - 1);

		if (!fs.nr_windows || fs.window[fs.nr_windows - 1] != start)
			fs.window[fs.nr_windows++] = start;
	}
}

static void write_seeds(const char *dir)
{
	size_t len = WINDOW * fs.ext_size;
	uint8_t *buf = malloc(2 + len);
	unsigned int i;

	if (!buf)
		abort();
	for (i = 0; i < fs.nr_windows; i++) {
		char path[4096];
		struct po_error *err;
		FILE *f;

		buf[0] = i;
		buf[1] = i & 1;
		err = po_dump_read(fs.prog->dump, PO_KVADDR,
				   ext_address(fs.window[i]), buf + 2, len);
		if (err)
			die("reading page_ext", err);
		snprintf(path, sizeof(path), "%s/window-%02u", dir, i);
		f = fopen(path, "w");
		if (!f || fwrite(buf, 1, 2 + len, f) != 2 + len || fclose(f))
			die(path, NULL);
	}
	free(buf);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *core = getenv("PO_FUZZ_CORE");
	const char *vmlinux = getenv("PO_FUZZ_VMLINUX");
	struct po_page_owner_options opt = { 0 };
	struct po_error *err;

	if (!core || !vmlinux)
		die("set PO_FUZZ_CORE and PO_FUZZ_VMLINUX", NULL);
	err = po_program_open(core, vmlinux, &fs.prog);
	if (!err)
		err = po_program_owner(fs.prog, &fs.owner);
	if (!err)
		err = po_program_memmap(fs.prog, &fs.memmap);
	if (!err)
		err = po_owner_printer_create(fs.prog, &opt, &fs.printer[0]);
	opt.freed = true;
	if (!err)
		err = po_owner_printer_create(fs.prog, &opt, &fs.printer[1]);
	if (err)
		die(core, err);
	fs.ext_size = po_owner_config(fs.owner)->page_ext_size;
	fs.out = fopen("/dev/null", "w");
	if (!fs.out)
		die("/dev/null", NULL);
	pick_windows();
	if (getenv("PO_FUZZ_SEEDS"))
		write_seeds(getenv("PO_FUZZ_SEEDS"));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t start, len = WINDOW * fs.ext_size;
	const struct po_page_owner *r;
	struct po_walk *w = NULL;
	struct po_error *err;
	bool freed;

	if (size < 2)
		return 0;
	start = fs.window[data[0] % fs.nr_windows];
	freed = data[1] & 1;
	if (size - 2 < len)
		len = size - 2;
	err = po_dump_patch(fs.prog->dump, PO_KVADDR, ext_address(start),
			    data + 2, len);
	if (!err)
		err = po_walk_create(fs.owner, fs.memmap, NULL, NULL, start,
				     start + WINDOW,
				     freed ? PO_WALK_FREED : PO_WALK_ALLOCATED,
				     &w);
	while (!err && !(err = po_walk_next(w, &r)) && r)
		po_owner_print(fs.printer[freed], r, fs.out);
	po_walk_destroy(w);
	po_error_destroy(err);
	po_dump_unpatch(fs.prog->dump);
	return 0;
}
