// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * kallsyms in each of its address encodings, decoded from a synthetic
 * image: absolute kallsyms_addresses[] (before v6.11), offsets from
 * kallsyms_relative_base (v4.6+), the same with absolute per-CPU symbols
 * (CONFIG_KALLSYMS_ABSOLUTE_PERCPU, x86_64 SMP before v6.15), and offsets
 * from their own place (v7.0+).
 *
 * tests/eras/kallsyms/kallsyms.c is built once per encoding into
 * $BUILD/eras-kallsyms/kallsyms-<encoding>.so; this test dlopen()s each and points
 * the symbolizer at it: the .so's symbol table plays vmlinux, the
 * process's memory (where the library wrote its tables when loaded) the
 * dump, and its load address the KASLR offset.  Every symbol must come
 * back at the address the library says, and a frame inside a function
 * must print as %pS does.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "layout.h"
#include "kernel/symbolize.h"

/* The era library and what it says of its symbols. */
struct lib {
	struct layout_lib l;
	unsigned long (*addr)(unsigned int);
	const char *(*name)(unsigned int);
	unsigned int (*count)(void);
	void *(*module_text)(void);
};

static bool lib_load(struct lib *l, const char *path)
{
	if (!layout_load(&l->l, path))
		return false;
	*(void **)&l->addr = layout_sym(&l->l, "era_kallsyms_addr");
	*(void **)&l->name = layout_sym(&l->l, "era_kallsyms_name");
	*(void **)&l->count = layout_sym(&l->l, "era_kallsyms_count");
	*(void **)&l->module_text = layout_sym(&l->l, "era_module_text");
	return l->addr && l->name && l->count && l->module_text;
}

struct image {
	struct layout_image li;
	struct po_symbolizer *sym;
};

static struct po_error *image_open(const struct lib *l, struct image *img)
{
	struct po_error *err;

	const void *extra[1] = { l->module_text() };
	const size_t extra_size[1] = { 4096 };

	img->sym = NULL;
	err = layout_open(&l->l, NULL, extra, extra_size, 1, &img->li);
	if (!err)
		err = po_symbolizer_create(img->li.mm, &img->sym);
	return err;
}

static void image_close(struct image *img)
{
	po_symbolizer_destroy(img->sym);
	layout_close(&img->li);
}

static void check_symbols(struct harness *h, const char *what,
			  const struct lib *l, struct image *img)
{
	unsigned int i, n = l->count();
	struct po_error *err;
	size_t count = 0;

	err = po_symbolizer_count(img->sym, &count);
	CHECK(h, !err && count == n, "%s: %zu symbols, want %u: %s", what,
	      count, n, err ? err->message : "");
	po_error_destroy(err);
	for (i = 0; i < n; i++) {
		uint64_t got = 0;

		err = po_symbolizer_lookup(img->sym, l->name(i), &got);
		CHECK(h, !err && got == l->addr(i),
		      "%s: %s at 0x%" PRIx64 ", want 0x%lx: %s", what,
		      l->name(i), got, l->addr(i), err ? err->message : "");
		po_error_destroy(err);
	}
}

/* A frame 3 bytes into each function prints as the kernel's %pS. */
static void check_frames(struct harness *h, const char *what,
			 const struct lib *l, struct image *img)
{
	unsigned int i, n = l->count();

	for (i = 0; i + 1 < n; i++) {
		unsigned long start = l->addr(i), end = l->addr(i + 1);
		struct po_error *err;
		char want[128], got[128] = "";

		if (strncmp(l->name(i), "era_fn_", 7))
			continue;
		snprintf(want, sizeof(want), "%s+0x3/0x%lx", l->name(i),
			 end - start);
		err = po_symbolizer_format(img->sym, start + 3, got,
					   sizeof(got));
		CHECK(h, !err && !strcmp(got, want), "%s: '%s', want '%s': %s",
		      what, got, want, err ? err->message : "");
		po_error_destroy(err);
	}
}

/*
 * The module's two functions, 0x10 and 0x40 into its 0x60 bytes of text,
 * through its own mod_kallsyms: core_layout before v6.4, mem[] after.
 */
static void check_module(struct harness *h, const char *what,
			 const struct lib *l, struct image *img)
{
	static const struct {
		const char *name;
		unsigned int start, size;
	} fns[] = { { "era_mod_fn_a", 0x10, 0x30 },
		    { "era_mod_fn_b", 0x40, 0x20 } };
	uintptr_t text = (uintptr_t)l->module_text();
	struct po_error *err;
	size_t i;

	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		char want[128], got[128] = "";
		uint64_t addr = 0;

		snprintf(want, sizeof(want), "%s+0x3/0x%x [era_mod]",
			 fns[i].name, fns[i].size);
		err = po_symbolizer_format(img->sym, text + fns[i].start + 3,
					   got, sizeof(got));
		CHECK(h, !err && !strcmp(got, want), "%s: '%s', want '%s': %s",
		      what, got, want, err ? err->message : "");
		po_error_destroy(err);
		err = po_symbolizer_lookup(img->sym, fns[i].name, &addr);
		CHECK(h, !err && addr == text + fns[i].start,
		      "%s: %s at 0x%" PRIx64 ", want 0x%" PRIxPTR ": %s", what,
		      fns[i].name, addr, text + fns[i].start,
		      err ? err->message : "");
		po_error_destroy(err);
	}
}

/*
 * arm64 pointer authentication: with KERNELPACMASK in VMCOREINFO a kernel
 * address (bit 55 set) gets the mask's bits set again, as
 * ptrauth_strip_kernel_insn_pac() does; a user address, or any address
 * without the line, is left alone; a mask that is no number is refused.
 */
static void check_pac(struct harness *h, const struct lib *l)
{
	static const struct {
		const char *info;
		uint64_t in, want;
	} cases[] = {
		{ "NUMBER(KERNELPACMASK)=0xff7f000000000000\n",
		  0x3a92800012345678, 0xffff800012345678 },
		{ "NUMBER(KERNELPACMASK)=0xff7f000000000000\n",
		  0xffff800012345678, 0xffff800012345678 },
		{ "NUMBER(KERNELPACMASK)=0xff7f000000000000\n",
		  0x0000ffff12345678, 0x0000ffff12345678 },
		{ "NUMBER(KERNELPACMASK)=0x0\n", 0x3a92800012345678,
		  0x3a92800012345678 },
		{ "", 0x3a92800012345678, 0x3a92800012345678 },
	};
	struct layout_image li;
	struct po_error *err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = layout_open(&l->l, cases[i].info, NULL, NULL, 0, &li);
		CHECK(h,
		      !err && po_mm_strip_pac(li.mm, cases[i].in) ==
				      cases[i].want,
		      "PAC: '%s' strips 0x%" PRIx64 " to 0x%" PRIx64
		      ", want 0x%" PRIx64 ": %s",
		      cases[i].info, cases[i].in,
		      err ? 0 : po_mm_strip_pac(li.mm, cases[i].in),
		      cases[i].want, err ? err->message : "");
		po_error_destroy(err);
		layout_close(&li);
	}
	err = layout_open(&l->l, "NUMBER(KERNELPACMASK)=0xzz\n", NULL, NULL, 0,
			  &li);
	CHECK(h, err && strstr(err->message, "KERNELPACMASK"),
	      "PAC: a bad KERNELPACMASK is refused by name: %s",
	      err ? err->message : "opened");
	po_error_destroy(err);
	layout_close(&li);
}

static void test_lib(struct harness *h, const char *path)
{
	const char *what = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct po_error *err;
	struct image img;
	struct lib l;

	if (!lib_load(&l, path)) {
		CHECK(h, 0, "%s: cannot load: %s", path, dlerror());
		return;
	}
	err = image_open(&l, &img);
	CHECK(h, !err, "%s: %s", what, err ? err->message : "");
	po_error_destroy(err);
	if (!err) {
		check_symbols(h, what, &l, &img);
		check_frames(h, what, &l, &img);
		check_module(h, what, &l, &img);
		check_pac(h, &l);
	}
	image_close(&img);
	printf("test_kallsyms_eras: %s: %u symbols checked\n", what, l.count());
	dlclose(l.l.dl);
}

int main(int argc, char **argv)
{
	struct harness h = { 0 };
	struct dirent **list;
	char dir[PATH_MAX];
	int n, i, seen = 0;

	layout_dir(dir, sizeof(dir), argc, argv, "eras-kallsyms");
	n = scandir(dir, &list, NULL, alphasort);
	for (i = 0; i < n; i++) {
		char path[PATH_MAX];

		if (!strncmp(list[i]->d_name, "kallsyms-", 9)) {
			snprintf(path, sizeof(path), "%s/%s", dir,
				 list[i]->d_name);
			test_lib(&h, path);
			seen++;
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	/* Absolute, base-relative, absolute per-CPU and place-relative. */
	CHECK(&h, seen == 4, "%s: %d kallsyms era libraries, want 4", dir,
	      seen);
	return harness_finish(&h, "test_kallsyms_eras");
}
