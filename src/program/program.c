// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Opening a dump with its vmlinux: find vmlinux when not given, refuse one
 * that does not match, and build the layers bottom-up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "object/expr.h"
#include "program/program.h"

#define BANNER_MAX 512

static int add_candidate(char ***list, size_t *n, const char *fmt, ...)
	__printf(3, 4);

static int add_candidate(char ***list, size_t *n, const char *fmt, ...)
{
	char **nl;
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	nl = realloc(*list, (*n + 2) * sizeof(*nl));
	if (!nl) {
		free(s);
		return -1;
	}
	nl[(*n)++] = s;
	nl[*n] = NULL;
	*list = nl;
	return 0;
}

/* @dirs' candidates, the user's own, searched before the usual places. */
static int add_dir_candidates(char ***list, size_t *n, const char *const *dirs,
			      const char *release, const char *build_id)
{
	int r = 0;

	for (; dirs && *dirs; dirs++) {
		if (build_id && strlen(build_id) > 2)
			r |= add_candidate(list, n,
					   "%s/.build-id/%.2s/%s.debug", *dirs,
					   build_id, build_id + 2);
		if (release) {
			r |= add_candidate(list, n, "%s/vmlinux-%s", *dirs,
					   release);
			r |= add_candidate(list, n, "%s/%s/vmlinux", *dirs,
					   release);
		}
	}
	return r;
}

char **po_vmlinux_candidates(const char *core, const char *release,
			     const char *build_id, const char *root)
{
	return po_vmlinux_candidates_dirs(core, release, build_id, root, NULL);
}

char **po_vmlinux_candidates_dirs(const char *core, const char *release,
				  const char *build_id, const char *root,
				  const char *const *dirs)
{
	char *dir = strdup(core), *slash;
	char **list = calloc(1, sizeof(*list));
	size_t n = 0;
	int r = 0;

	if (!dir || !list) {
		free(dir);
		free(list);
		return NULL;
	}
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if (!root)
		root = "";
	r |= add_dir_candidates(&list, &n, dirs, release, build_id);
	if (build_id && strlen(build_id) > 2)
		r |= add_candidate(&list, &n,
				   "%s/usr/lib/debug/.build-id/%.2s/%s.debug",
				   root, build_id, build_id + 2);
	if (release) {
		r |= add_candidate(&list, &n,
				   "%s/usr/lib/debug/boot/vmlinux-%s", root,
				   release);
		r |= add_candidate(&list, &n,
				   "%s/usr/lib/debug/lib/modules/%s/vmlinux",
				   root, release);
		r |= add_candidate(&list, &n, "%s/boot/vmlinux-%s", root,
				   release);
		r |= add_candidate(&list, &n, "%s/vmlinux-%s", dir, release);
	}
	r |= add_candidate(&list, &n, "%s/vmlinux", dir);
	free(dir);
	if (r) {
		for (n = 0; list[n]; n++)
			free(list[n]);
		free(list);
		return NULL;
	}
	return list;
}

/* "Linux version 6.12.117 (...)" -> "6.12.117" in @out. */
static void banner_release(const char *banner, char *out, size_t size)
{
	const char *p = strstr(banner, "Linux version ");
	size_t n;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen("Linux version ");
	n = strcspn(p, " ");
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/*
 * The BUILD-ID a broken stable backport of Linux kernel commit
 * 905415ff3ffb ("lib/buildid: harden build ID parsing logic") (in v6.12)
 * writes into VMCOREINFO: it takes the id from note + ALIGN(namesz, 4)
 * without skipping the Elf32_Nhdr, so it reads descsz (20), type
 * (NT_GNU_BUILD_ID) and "GNU\0", then the first 8 bytes of the real id.
 * drgn's reading of the stable trees: 6.1.113-6.1.118, 6.6.55-6.6.62,
 * 6.10.14+, 6.11.3-6.11.9, and 5.15 from 5.15.168 (6.6.y's backport is
 * c83a80d8b84f, fixed by "lib/buildid: Fix build ID parsing logic").
 */
#define BROKEN_BUILD_ID_HEAD "1400000003000000474e5500"

static bool broken_build_id(const char *want, const char *have)
{
	size_t head = strlen(BROKEN_BUILD_ID_HEAD);

	return strlen(want) == strlen(have) && strlen(have) == 40 &&
	       !strncasecmp(want, BROKEN_BUILD_ID_HEAD, head) &&
	       !strncasecmp(want + head, have, 40 - head);
}

static struct po_error *check_build_id(struct po_program *prog,
				       struct po_debuginfo *dw)
{
	const char *want = po_dump_vmcoreinfo(prog->dump, "BUILD-ID");
	const char *have = po_debuginfo_build_id(dw);

	if (!want || !have || !strcasecmp(want, have))
		return NULL;
	if (broken_build_id(want, have)) {
		prog->identity_note =
			"the dump's BUILD-ID is the broken form a "
			"stable backport of \"lib/buildid: harden "
			"build ID parsing logic\" writes; its 8 "
			"bytes of the id match";
		return NULL;
	}
	return po_error_create(
		PO_ERR_MISMATCH,
		"%s does not match %s: vmlinux build-id %s, dump BUILD-ID %s",
		po_debuginfo_path(dw), po_dump_path(prog->dump), have, want);
}

/*
 * Compare the release in vmlinux's linux_banner with VMCOREINFO's
 * OSRELEASE, and the banner text with the copy in the dump's memory: the
 * latter also proves the KASLR offset right.
 */
static struct po_error *check_banner(struct po_program *prog)
{
	const char *release = po_dump_vmcoreinfo(prog->dump, "OSRELEASE");
	char image[BANNER_MAX + 1] = "", mem[BANNER_MAX + 1] = "";
	char rel[128];
	struct po_error *err;
	uint64_t addr;

	err = po_debuginfo_symbol(prog->dw, "linux_banner", &addr);
	if (!err)
		err = po_debuginfo_read_image(prog->dw, addr, image,
					      BANNER_MAX);
	if (err)
		return po_error_prefix(err, "%s: cannot read linux_banner: ",
				       po_debuginfo_path(prog->dw));
	banner_release(image, rel, sizeof(rel));
	if (release && strcmp(rel, release))
		return po_error_create(
			PO_ERR_MISMATCH,
			"%s does not match %s: vmlinux is release %s, the dump is %s",
			po_debuginfo_path(prog->dw), po_dump_path(prog->dump),
			rel[0] ? rel : "(unknown)", release);
	err = po_mm_read(prog->mm, addr + po_mm_kaslr_offset(prog->mm), mem,
			 strlen(image) + 1);
	if (err) {
		/* Filtered or unreadable: the build-id check must do. */
		po_error_destroy(err);
		return NULL;
	}
	if (strcmp(image, mem))
		return po_error_create(
			PO_ERR_MISMATCH,
			"%s does not match %s: linux_banner differs (another build of %s?)",
			po_debuginfo_path(prog->dw), po_dump_path(prog->dump),
			rel);
	return NULL;
}

/* Append ", @s" (or @s) to the message being built in @buf. */
static void append(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s%s", len ? ", " : "", s);
}

/*
 * Search the usual places.  A file found there that does not match is
 * passed over, and named in the error if nothing matches: a stale vmlinux
 * of the same release is common.
 */
static struct po_error *find_vmlinux(struct po_program *prog,
				     const char *const *dirs)
{
	struct po_dump *dump = prog->dump;
	const char *release = po_dump_vmcoreinfo(dump, "OSRELEASE");
	const char *build_id = po_dump_vmcoreinfo(dump, "BUILD-ID");
	char **cands = po_vmlinux_candidates_dirs(po_dump_path(dump), release,
						  build_id,
						  getenv("PAGEOWNER_SYSROOT"),
						  dirs);
	char searched[2048] = "", rejected[2048] = "";
	struct po_error *err = NULL;
	size_t i;

	if (!cands)
		return &po_enomem;
	for (i = 0; cands[i]; i++) {
		append(searched, sizeof(searched), cands[i]);
		if (access(cands[i], R_OK))
			continue;
		err = po_dwarf_open(cands[i], &prog->dw);
		if (!err)
			err = check_build_id(prog, prog->dw);
		if (!err)
			break;
		po_debuginfo_destroy(prog->dw);
		prog->dw = NULL;
		append(rejected, sizeof(rejected), err->message);
		po_error_destroy(err);
		err = NULL;
	}
	if (!cands[i] && *rejected)
		err = po_error_create(
			PO_ERR_MISMATCH,
			"%s: no matching vmlinux for release %s (build-id %s): "
			"rejected %s; pass one with -s",
			po_dump_path(dump), release ? release : "?",
			build_id ? build_id : "?", rejected);
	else if (!cands[i])
		err = po_error_create(
			PO_ERR_LOOKUP,
			"%s: no vmlinux found for release %s (build-id %s) in "
			"%s; pass one with -s",
			po_dump_path(dump), release ? release : "?",
			build_id ? build_id : "?", searched);
	for (i = 0; cands[i]; i++)
		free(cands[i]);
	free(cands);
	return err;
}

/*
 * With PO_OPEN_IGNORE_MISMATCH, a failed identity check is kept as a
 * note for the caller to show, and the dump is read with this vmlinux.
 */
static struct po_error *identity(struct po_program *prog, unsigned int flags,
				 struct po_error *err)
{
	size_t len = strlen(prog->identity_buf);

	if (!err || err->code != PO_ERR_MISMATCH ||
	    !(flags & PO_OPEN_IGNORE_MISMATCH))
		return err;
	/* Both checks can fail (build-id, then linux_banner): keep both. */
	snprintf(prog->identity_buf + len, sizeof(prog->identity_buf) - len,
		 "%s%s",
		 len ? "; " : "identity check overridden: ", err->message);
	prog->identity_note = prog->identity_buf;
	po_error_destroy(err);
	return NULL;
}

/* What open_btf() gathers from kallsyms besides the symbols themselves. */
struct btf_scan {
	struct po_debuginfo *dw;
	uint64_t start, stop; /* __start_BTF, __stop_BTF */
};

static struct po_error *add_symbol(void *arg, const char *name, char type,
				   uint64_t addr)
{
	struct btf_scan *scan = arg;

	if (!strcmp(name, "__start_BTF"))
		scan->start = addr;
	else if (!strcmp(name, "__stop_BTF"))
		scan->stop = addr;
	return po_debuginfo_btf_add_symbol(scan->dw, name, type, addr);
}

/* The most BTF we read: vmlinux's is 2.6 MiB on 7.2 with few options. */
#define BTF_MAX (256u << 20)

static struct po_error *read_btf(struct po_program *prog,
				 const struct btf_scan *scan)
{
	size_t size = scan->stop - scan->start;
	struct po_error *err;
	void *blob;

	if (!scan->start || !scan->stop)
		return po_error_create(
			PO_ERR_LOOKUP,
			"%s: the dump has no BTF: kallsyms has no %s (a kernel "
			"built without CONFIG_DEBUG_INFO_BTF); pass vmlinux "
			"with -s",
			po_dump_path(prog->dump),
			scan->start ? "__stop_BTF" : "__start_BTF");
	if (scan->stop <= scan->start || size > BTF_MAX)
		return po_error_addr(PO_ERR_BAD_DATA, scan->start,
				     "%s: __start_BTF..__stop_BTF is "
				     "0x%" PRIx64 "..0x%" PRIx64,
				     po_dump_path(prog->dump), scan->start,
				     scan->stop);
	blob = malloc(size);
	if (!blob)
		return &po_enomem;
	err = po_mm_read(prog->mm, scan->start, blob, size);
	if (err)
		err = po_error_prefix(
			err, "%s: reading its BTF: ", po_dump_path(prog->dump));
	else
		err = po_debuginfo_btf_attach(prog->dw,
					      po_mm_kaslr_offset(prog->mm),
					      blob, size, scan->start);
	free(blob);
	return err;
}

/*
 * No vmlinux: the kernel's symbols from its kallsyms (VMCOREINFO's
 * SYMBOL(kallsyms_*), Linux 6.0+), and its types from the BTF that
 * kallsyms locates, all read through the dump.  The debuginfo object is
 * built before either (reading memory needs it) and completed after.
 */
static struct po_error *open_btf(struct po_program *prog)
{
	struct btf_scan scan = { 0 };
	struct po_error *err;

	/* Without vmlinux only VMCOREINFO can locate kallsyms' tables. */
	if (!po_dump_vmcoreinfo(prog->dump, "SYMBOL(kallsyms_names)"))
		return po_error_create(
			PO_ERR_LOOKUP,
			"%s: without vmlinux, symbols come from the dump's "
			"kallsyms, but VMCOREINFO has no SYMBOL(kallsyms_names) "
			"to find them by (it has them since Linux 6.0); "
			"pass vmlinux with -s",
			po_dump_path(prog->dump));
	err = po_debuginfo_open_btf(prog->dump, &prog->dw);
	if (!err)
		err = po_mm_create(prog->dump, prog->dw, &prog->mm);
	if (!err)
		err = po_symbolizer_create(prog->mm, &prog->sym);
	if (err)
		return err;
	scan.dw = prog->dw;
	err = po_symbolizer_kernel_symbols(prog->sym, add_symbol, &scan);
	if (err)
		return po_error_prefix(err,
				       "%s: without vmlinux, symbols come from "
				       "the dump's kallsyms: ",
				       po_dump_path(prog->dump));
	return read_btf(prog, &scan);
}

/* vmlinux given or found: its DWARF, checked against the dump. */
static struct po_error *open_vmlinux(struct po_program *prog,
				     const char *vmlinux,
				     const char *const *dirs,
				     unsigned int flags)
{
	struct po_error *err;

	if (vmlinux) {
		err = po_dwarf_open(vmlinux, &prog->dw);
		if (!err)
			err = identity(prog, flags,
				       check_build_id(prog, prog->dw));
	} else {
		err = find_vmlinux(prog, dirs);
	}
	if (!err)
		err = po_mm_create(prog->dump, prog->dw, &prog->mm);
	if (!err)
		err = identity(prog, flags, check_banner(prog));
	if (!err)
		err = po_symbolizer_create(prog->mm, &prog->sym);
	return err;
}

/*
 * When the search finds no vmlinux at all (not one that does not match),
 * the dump's own BTF is tried; if that fails too, both are said.
 */
static struct po_error *fall_back_to_btf(struct po_program *prog,
					 struct po_error *err)
{
	struct po_error *btf, *both;

	btf = open_btf(prog);
	if (!btf) {
		po_error_destroy(err);
		return NULL;
	}
	both = po_error_create(err->code, "%s; and %s", err->message,
			       btf->message);
	po_error_destroy(btf);
	po_error_destroy(err);
	return both;
}

static struct po_error *open_program(const char *const *cores, size_t nr_cores,
				     const char *vmlinux,
				     const char *const *dirs,
				     unsigned int flags,
				     struct po_program **ret);

struct po_error *po_program_open(const char *core, const char *vmlinux,
				 struct po_program **ret)
{
	return po_program_open_flags(core, vmlinux, 0, ret);
}

struct po_error *po_program_open_flags(const char *core, const char *vmlinux,
				       unsigned int flags,
				       struct po_program **ret)
{
	return po_program_open_files(&core, 1, vmlinux, flags, ret);
}

struct po_error *po_program_open_files(const char *const *cores,
				       size_t nr_cores, const char *vmlinux,
				       unsigned int flags,
				       struct po_program **ret)
{
	return open_program(cores, nr_cores, vmlinux, NULL, flags, ret);
}

struct po_error *po_program_open_dirs(const char *core, const char *vmlinux,
				      const char *const *dirs,
				      unsigned int flags,
				      struct po_program **ret)
{
	return open_program(&core, 1, vmlinux, dirs, flags, ret);
}

/* The dump in @nr_cores files, its vmlinux given or searched for. */
static struct po_error *open_program(const char *const *cores, size_t nr_cores,
				     const char *vmlinux,
				     const char *const *dirs,
				     unsigned int flags,
				     struct po_program **ret)
{
	struct po_program *prog = calloc(1, sizeof(*prog));
	struct po_error *err;

	if (!prog)
		return &po_enomem;
	prog->hooks.jobs = 1;
	err = nr_cores ? po_dump_open_files(cores, nr_cores, &prog->dump) :
			 po_error_create(PO_ERR_INVALID, "no dump file given");
	if (err)
		goto fail;
	if (flags & PO_OPEN_NO_VMLINUX)
		err = open_btf(prog);
	else
		err = open_vmlinux(prog, vmlinux, dirs, flags);
	/* find_vmlinux() found nothing: it built no other layer. */
	if (err && !vmlinux && !(flags & PO_OPEN_NO_VMLINUX) &&
	    err->code == PO_ERR_LOOKUP && !prog->dw)
		err = fall_back_to_btf(prog, err);
	if (err)
		goto fail;
	*ret = prog;
	return NULL;
fail:
	po_program_destroy(prog);
	return err;
}

const char *po_program_identity_note(const struct po_program *prog)
{
	return prog->identity_note;
}

void po_program_destroy(struct po_program *prog)
{
	if (!prog)
		return;
	po_memcg_destroy(prog->memcg);
	po_pageid_destroy(prog->pageid);
	po_tasks_destroy(prog->tasks);
	po_zones_destroy(prog->zones);
	po_error_destroy(prog->pfn_uses_err);
	free(prog->pfn_uses.v);
	po_kformat_destroy(prog->kformat);
	po_memmap_destroy(prog->memmap);
	po_owner_destroy(prog->owner);
	po_depot_destroy(prog->depot);
	po_symbolizer_destroy(prog->sym);
	po_mm_destroy(prog->mm);
	po_debuginfo_destroy(prog->dw);
	po_dump_destroy(prog->dump);
	free(prog);
}

const char *po_program_core_path(const struct po_program *prog)
{
	return po_dump_path(prog->dump);
}

bool po_program_dump_incomplete(const struct po_program *prog)
{
	return po_dump_incomplete(prog->dump);
}

const char *po_program_vmlinux_path(const struct po_program *prog)
{
	return po_debuginfo_is_vmlinux(prog->dw) ? po_debuginfo_path(prog->dw) :
						   NULL;
}

struct po_error *po_symbolize(struct po_program *prog, uint64_t addr, char *buf,
			      size_t size)
{
	return po_symbolizer_format(prog->sym, addr, buf, size);
}

struct po_error *po_symbol_lookup(struct po_program *prog, const char *name,
				  uint64_t *ret)
{
	return po_symbolizer_lookup(prog->sym, name, ret);
}

struct po_error *po_symbol_lookup_next(struct po_program *prog,
				       const char *name, uint64_t after,
				       uint64_t *ret)
{
	return po_symbolizer_lookup_next(prog->sym, name, after, ret);
}

struct po_error *po_read(struct po_program *prog, uint64_t addr, void *buf,
			 size_t len)
{
	return po_mm_read(prog->mm, addr, buf, len);
}

struct po_error *po_read_phys(struct po_program *prog, uint64_t addr, void *buf,
			      size_t len)
{
	return po_mm_read_phys(prog->mm, addr, buf, len);
}

const char *po_vmcoreinfo(struct po_program *prog, const char *key)
{
	return po_dump_vmcoreinfo(prog->dump, key);
}

struct po_error *po_program_depot(struct po_program *prog,
				  struct po_depot **ret)
{
	struct po_error *err = NULL;

	if (!prog->depot)
		err = po_depot_create(prog->mm, &prog->depot);
	if (!err)
		*ret = prog->depot;
	return err;
}

struct po_error *po_program_owner(struct po_program *prog,
				  struct po_owner **ret)
{
	struct po_depot *depot;
	struct po_error *err = NULL;

	if (!prog->owner) {
		err = po_program_depot(prog, &depot);
		if (!err)
			err = po_owner_create(prog->mm, depot, &prog->owner);
	}
	if (!err)
		*ret = prog->owner;
	return err;
}

struct po_error *po_program_memmap(struct po_program *prog,
				   struct po_memmap **ret)
{
	struct po_error *err = NULL;

	if (!prog->memmap)
		err = po_memmap_create(prog->mm, &prog->memmap);
	if (!err)
		*ret = prog->memmap;
	return err;
}

struct po_error *po_program_kformat(struct po_program *prog,
				    struct po_kformat **ret)
{
	struct po_error *err = NULL;

	if (!prog->kformat)
		err = po_kformat_create(prog->mm, &prog->kformat);
	if (!err)
		*ret = prog->kformat;
	return err;
}

struct po_error *po_program_memcg(struct po_program *prog,
				  struct po_memcg **ret)
{
	struct po_error *err = NULL;

	if (!prog->memcg && !prog->memcg_absent) {
		err = po_memcg_create(prog->mm, &prog->memcg);
		prog->memcg_absent = !err && !prog->memcg;
	}
	if (!err)
		*ret = prog->memcg;
	return err;
}

struct po_error *po_program_tasks(struct po_program *prog,
				  struct po_tasks **ret)
{
	struct po_error *err = NULL;
	struct po_memmap *map;

	if (!prog->tasks) {
		err = po_program_memmap(prog, &map);
		if (!err)
			err = po_tasks_read(prog->mm, map, &prog->tasks);
	}
	if (!err)
		*ret = prog->tasks;
	return err;
}

/* The first of two errors; the other is dropped. */
static struct po_error *keep_first(struct po_error *a, struct po_error *b)
{
	if (!a)
		return b;
	po_error_destroy(b);
	return a;
}

/* page_owner's own pages: page_ext tables and stack depot pools. */
static struct po_error *owner_uses(struct po_program *prog,
				   const struct po_memmap *map)
{
	struct po_owner *owner;
	struct po_error *err = po_program_owner(prog, &owner);

	if (po_error_catch(&err, PO_ERR_LOOKUP))
		return NULL; /* no page_owner in this kernel */
	if (!err)
		err = po_owner_page_ext_uses(owner, map, &prog->pfn_uses);
	if (!err)
		err = po_depot_pool_uses(po_owner_depot(owner),
					 &prog->pfn_uses);
	return err;
}

/* The table's parts: kernel stacks, then vmalloc areas (the stacks win
 * where the two name one page: a CONFIG_VMAP_STACK stack is both), then
 * percpu chunks (whose vm_structs have no pages[]). */
static struct po_error *build_pfn_uses(struct po_program *prog)
{
	struct po_error *err, *err2;
	struct po_tasks *t;
	struct po_memmap *map;

	err = po_program_memmap(prog, &map);
	if (err)
		return err;
	err = po_program_tasks(prog, &t);
	if (!err)
		err = po_tasks_stack_uses(t, &prog->pfn_uses);
	if (err == &po_enomem)
		return err;
	err2 = po_vmalloc_uses(prog->mm, map, &prog->pfn_uses,
			       &prog->vmalloc_stats);
	err = keep_first(err, err2);
	if (err != &po_enomem)
		err = keep_first(err, po_percpu_uses(prog->mm, &prog->pfn_uses,
						     &prog->percpu_stats));
	if (err != &po_enomem)
		err = keep_first(err, owner_uses(prog, map));
	po_pfn_uses_sort(&prog->pfn_uses);
	return err;
}

struct po_error *po_program_pfn_uses(struct po_program *prog,
				     const struct po_pfn_uses **ret)
{
	if (!prog->pfn_uses_built) {
		prog->pfn_uses_built = true;
		prog->pfn_uses_err = build_pfn_uses(prog);
	}
	*ret = &prog->pfn_uses;
	return prog->pfn_uses_err ?
		       po_error_create(prog->pfn_uses_err->code, "%s",
				       prog->pfn_uses_err->message) :
		       NULL;
}

/*
 * Zones by page->flags, where pff[] (v5.13+) says where the zone and node
 * are.  A node field of no width is node 0 only without NUMA: with nodes
 * beyond 0 and no node bits (NODE_NOT_IN_PAGE_FLAGS), the spans decide,
 * as they do when the kernel's formats cannot be read (no page_owner
 * built in): out of memory is the only error.
 */
static struct po_error *zones_by_flags(struct po_program *prog)
{
	struct po_zone_bits b = { 0 };
	const struct po_zone *all;
	struct po_kformat *kf;
	struct po_error *err;
	size_t n, i;

	err = po_program_kformat(prog, &kf);
	if (err == &po_enomem)
		return err;
	if (err) {
		po_error_destroy(err);
		return NULL;
	}
	if (!po_kformat_page_field(kf, "zone", &b.zone_shift, &b.zone_mask) ||
	    !b.zone_mask ||
	    !po_kformat_page_field(kf, "node", &b.node_shift, &b.node_mask))
		return NULL;
	all = po_zones_all(prog->zones, &n);
	for (i = 0; i < n && !b.node_mask; i++)
		if (all[i].node)
			return NULL;
	po_zones_set_bits(prog->zones, &b);
	return NULL;
}

struct po_error *po_program_zones(struct po_program *prog,
				  const struct po_zones **ret)
{
	struct po_error *err = NULL;

	if (!prog->zones) {
		err = po_zones_read(prog->mm, &prog->zones);
		if (!err)
			err = zones_by_flags(prog);
	}
	if (!err)
		*ret = prog->zones;
	return err;
}

struct po_error *po_program_pageid(struct po_program *prog,
				   struct po_pageid **ret)
{
	struct po_error *err = NULL;

	if (!prog->pageid)
		err = po_pageid_create(prog->mm, &prog->pageid);
	if (!err)
		*ret = prog->pageid;
	return err;
}

void po_program_set_interrupt(struct po_program *prog, bool (*fn)(void *arg),
			      void *arg)
{
	prog->hooks.interrupt = fn;
	prog->hooks.interrupt_arg = arg;
}

void po_program_set_progress(struct po_program *prog,
			     void (*fn)(void *arg, uint64_t done,
					uint64_t total),
			     void *arg)
{
	prog->hooks.progress = fn;
	prog->hooks.progress_arg = arg;
}

void po_program_set_jobs(struct po_program *prog, unsigned int jobs)
{
	prog->hooks.jobs = jobs ? jobs : 1;
}

unsigned int po_program_jobs(const struct po_program *prog)
{
	return prog->hooks.jobs;
}

struct po_error *po_eval(struct po_program *prog, const char *expr,
			 const struct po_object *history, size_t nr_history,
			 struct po_object *ret)
{
	return po_expr_eval(prog->mm, expr, history, nr_history, ret);
}
