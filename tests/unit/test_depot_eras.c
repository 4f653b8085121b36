// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The stack depot of every kernel era, decoded from a synthetic image.
 *
 * Each tests/eras/<version>/lib/stackdepot.c holds that kernel's own
 * definitions and allocation logic and is built with -g into
 * $BUILD/eras/<version>.so.  This test dlopen()s it, lets it save stacks
 * the kernel's way (pools, evictable and freed records, the 6.8.0 zero
 * handle), then points pageowner at it: the .so's DWARF plays vmlinux and
 * the process's own memory, offered as a memory-backed dump, plays the
 * vmcore, with the load address as the KASLR offset.  The compiler, not
 * pageowner, laid out the bit-fields and records, so a wrong reading of
 * the DWARF cannot agree with itself.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "era.h"
#include "harness.h"
#include "stackdepot.h"

#define NR_STACKS 300
#define NR_REUSED 20
#define MAX_ENTRIES 48
#define MAX_MEM 64

struct expect {
	depot_stack_handle_t handle;
	unsigned int n;
	unsigned long entries[MAX_ENTRIES];
	bool evictable, freed, seen;
};

struct era_lib {
	char path[PATH_MAX];
	void *dl;
	const struct era_desc *desc;
	depot_stack_handle_t (*save)(const unsigned long *, unsigned int, bool);
	void (*put)(depot_stack_handle_t);
	void *(*record)(depot_stack_handle_t);
	unsigned int (*memory)(struct era_mem *, unsigned int);
	unsigned int (*nr_pools)(void);
	size_t (*last_offset)(void);
	depot_stack_handle_t (*make_handle)(unsigned int, size_t, bool);
	u32 (*set_size)(depot_stack_handle_t, u32);
	struct era_mem loads[8]; /* the .so's PT_LOAD segments */
	unsigned int nr_loads;
	uintptr_t bias;
	struct expect exp[NR_STACKS + NR_REUSED];
	unsigned int nr_exp;
};

/* What pageowner needs open to decode one era's image. */
struct image {
	struct po_dump *dump;
	struct po_dwarf *dw;
	struct po_mm *mm;
	struct po_depot *depot;
};

static int find_loads(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct era_lib *e = arg;
	int i;

	if (strcmp(info->dlpi_name, e->path))
		return 0;
	e->bias = info->dlpi_addr;
	for (i = 0; i < info->dlpi_phnum && e->nr_loads < 8; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD)
			e->loads[e->nr_loads++] = (struct era_mem){
				(void *)(info->dlpi_addr + ph->p_vaddr),
				ph->p_memsz
			};
	}
	return 1;
}

#define SYM(e, field, name) \
	((*(void **)&(e)->field = dlsym((e)->dl, name)) != NULL)

static bool era_load(struct era_lib *e, const char *path)
{
	const struct era_desc *(*describe)(void);

	if (!realpath(path, e->path))
		return false;
	e->dl = dlopen(e->path, RTLD_NOW | RTLD_LOCAL);
	if (!e->dl || !SYM(e, save, "era_save") || !SYM(e, put, "era_put") ||
	    !SYM(e, record, "era_record") || !SYM(e, memory, "era_memory") ||
	    !SYM(e, nr_pools, "era_nr_pools") ||
	    !SYM(e, last_offset, "era_last_offset") ||
	    !SYM(e, make_handle, "era_make_handle") ||
	    !SYM(e, set_size, "era_set_size"))
		return false;
	*(void **)&describe = dlsym(e->dl, "era_describe");
	if (!describe)
		return false;
	e->desc = describe();
	dl_iterate_phdr(find_loads, e);
	return e->nr_loads > 0;
}

static struct expect *expect_of(struct era_lib *e, depot_stack_handle_t h)
{
	unsigned int i;

	for (i = 0; i < e->nr_exp; i++)
		if (e->exp[i].handle == h)
			return &e->exp[i];
	return NULL;
}

static void era_save_one(struct era_lib *e, unsigned int i, bool evictable)
{
	struct expect x = { .evictable = evictable };
	struct expect *old;
	unsigned int j;

	x.n = 1 + (i * 7) % 40;
	for (j = 0; j < x.n; j++)
		x.entries[j] = 0xffffffff81000000UL + i * 0x1000 + j * 8;
	x.handle = e->save(x.entries, x.n, evictable);
	if (e->desc->max_frames && x.n > e->desc->max_frames)
		x.n = e->desc->max_frames;
	old = expect_of(e, x.handle);
	if (old && old->freed)
		*old = x; /* a freed slot, reused with its handle */
	else
		e->exp[e->nr_exp++] = x;
}

/*
 * Save the stacks as the kernel would.  From 6.8, every third stack is
 * evictable; half of those are then put back on the freelist, and
 * NR_REUSED more evictable saves take freed slots (keeping their handles).
 */
static void era_fill(struct era_lib *e)
{
	bool refcounted = e->desc->refcounted;
	unsigned int i;

	for (i = 0; i < NR_STACKS; i++)
		era_save_one(e, i, refcounted && i % 3 == 1);
	for (i = 0; refcounted && i < e->nr_exp; i++) {
		if (e->exp[i].evictable && i % 6 == 1) {
			e->put(e->exp[i].handle);
			e->exp[i].freed = true;
		}
	}
	for (i = NR_STACKS; i < NR_STACKS + NR_REUSED; i++)
		era_save_one(e, i, refcounted);
}

static struct po_error *image_open(struct era_lib *e, const void *excluded,
				   struct image *img)
{
	struct era_mem mem[MAX_MEM];
	unsigned int i, n = e->memory(mem, MAX_MEM);
	struct po_error *err;
	char vmcoreinfo[128];

	memset(img, 0, sizeof(*img));
	snprintf(vmcoreinfo, sizeof(vmcoreinfo),
		 "OSRELEASE=%s\nKERNELOFFSET=%" PRIxPTR "\n", e->desc->name,
		 e->bias);
	err = po_dump_open_memory(e->desc->name, 4096, vmcoreinfo, &img->dump);
	for (i = 0; !err && i < e->nr_loads; i++)
		err = po_dump_add_segment(img->dump,
					  (uintptr_t)e->loads[i].addr,
					  e->loads[i].size, e->loads[i].addr);
	for (i = 0; !err && i < n; i++)
		err = po_dump_add_segment(
			img->dump, (uintptr_t)mem[i].addr, mem[i].size,
			mem[i].addr == excluded ? NULL : mem[i].addr);
	if (!err)
		err = po_dwarf_open(e->path, &img->dw);
	if (!err)
		err = po_mm_create(img->dump, img->dw, &img->mm);
	if (!err)
		err = po_depot_create(img->mm, &img->depot);
	return err;
}

static void image_close(struct image *img)
{
	po_depot_destroy(img->depot);
	po_mm_destroy(img->mm);
	po_dwarf_destroy(img->dw);
	po_dump_destroy(img->dump);
}

/* Is @err of @code with @what in its message?  Frees it. */
static bool error_is(struct po_error *err, enum po_error_code code,
		     const char *what)
{
	bool ok = err && err->code == code && strstr(err->message, what);

	if (err && !ok)
		printf("  got: %s (%s)\n", err->message,
		       po_error_code_name(err->code));
	po_error_destroy(err);
	return ok;
}

static void check_fetch(struct harness *h, struct era_lib *e, struct image *img)
{
	const char *name = e->desc->name;
	unsigned int i;

	for (i = 0; i < e->nr_exp; i++) {
		const struct expect *x = &e->exp[i];
		const struct po_stack *s = NULL, *s2 = NULL;
		struct po_error *err =
			po_depot_fetch(img->depot, x->handle, &s);

		if (!x->handle) {
			CHECK(h, error_is(err, PO_ERR_INVALID, "no stack"),
			      "%s: handle 0 must mean no stack", name);
			continue;
		}
		if (x->freed) {
			CHECK(h, error_is(err, PO_ERR_INVALID, "freed"),
			      "%s: handle 0x%08x is a freed record", name,
			      x->handle);
			continue;
		}
		CHECK(h,
		      !err && s->size == x->n &&
			      !memcmp(s->entries, x->entries, x->n * 8) &&
			      s->record == (uintptr_t)e->record(x->handle),
		      "%s: handle 0x%08x: %s", name, x->handle,
		      err ? err->message : "wrong frames or record");
		po_error_destroy(err);
		if (!e->desc->extra_shift || !s)
			continue;
		err = po_depot_fetch(img->depot,
				     x->handle | 0x15u << e->desc->extra_shift,
				     &s2);
		CHECK(h, !err && s2 == s,
		      "%s: handle 0x%08x with extra bits must hit the cache",
		      name, x->handle);
		po_error_destroy(err);
	}
}

struct walk_check {
	struct era_lib *e;
	unsigned int bad, visited;
};

static int visit(const struct po_stack *s, bool freed, void *arg)
{
	struct walk_check *w = arg;
	struct expect *x = expect_of(w->e, s->handle);

	w->visited++;
	if (!x || x->seen || x->freed != freed ||
	    (!freed &&
	     (s->size != x->n || memcmp(s->entries, x->entries, x->n * 8))))
		w->bad++;
	else
		x->seen = true;
	return 0;
}

static void check_walk(struct harness *h, struct era_lib *e, struct image *img)
{
	struct walk_check w = { .e = e };
	struct po_depot_stats st;
	uint64_t live = 0, freed = 0, evictable = 0;
	struct po_error *err;
	unsigned int i;

	for (i = 0; i < e->nr_exp; i++) {
		e->exp[i].seen = false;
		live += !e->exp[i].freed;
		freed += e->exp[i].freed;
		evictable += !e->exp[i].freed && e->exp[i].evictable;
	}
	err = po_depot_walk(img->depot, visit, &w, &st);
	CHECK(h, !err && !w.bad && w.visited == e->nr_exp,
	      "%s: walk: %s, %u records visited of %u, %u wrong", e->desc->name,
	      err ? err->message : "ok", w.visited, e->nr_exp, w.bad);
	po_error_destroy(err);
	CHECK(h,
	      st.records == live && st.freed == freed &&
		      st.evictable == evictable && !st.corrupt &&
		      st.pools == e->nr_pools(),
	      "%s: walk stats: %" PRIu64 "/%" PRIu64 " live, %" PRIu64
	      "/%" PRIu64 " freed, %" PRIu64 "/%" PRIu64 " evictable, %" PRIu64
	      " pools",
	      e->desc->name, st.records, live, st.freed, freed, st.evictable,
	      evictable, st.pools);
}

/* Handles no kernel would hand out, made by the kernel's own union. */
static void check_bad_handles(struct harness *h, struct era_lib *e,
			      struct image *img)
{
	unsigned int pools = e->nr_pools();
	size_t end = (e->last_offset() + 15) & ~(size_t)15;
	const struct po_stack *s;
	struct po_error *err;

	err = po_depot_fetch(img->depot, 0, &s);
	CHECK(h, error_is(err, PO_ERR_INVALID, "0 means no stack"),
	      "%s: handle 0", e->desc->name);
	err = po_depot_fetch(img->depot, e->make_handle(pools, 0, true), &s);
	CHECK(h, error_is(err, PO_ERR_INVALID, "out of range"),
	      "%s: pool index past the last pool", e->desc->name);
	err = po_depot_fetch(img->depot, e->make_handle(pools - 1, end, true),
			     &s);
	CHECK(h, error_is(err, PO_ERR_INVALID, "past the end of pool"),
	      "%s: offset past the end of the last pool", e->desc->name);
	/* 16 bytes into the first record is not where any record starts. */
	err = po_depot_fetch(img->depot, e->make_handle(0, 16, true), &s);
	CHECK(h, error_is(err, PO_ERR_INVALID, "stores handle"),
	      "%s: offset inside a record", e->desc->name);
	if (!e->desc->has_valid)
		return;
	err = po_depot_fetch(img->depot, e->make_handle(0, 0x40, false), &s);
	CHECK(h, error_is(err, PO_ERR_INVALID, "valid bit is clear"),
	      "%s: valid bit clear", e->desc->name);
}

/* The first live record with a non-zero handle. */
static const struct expect *first_live(const struct era_lib *e)
{
	unsigned int i;

	for (i = 0; i < e->nr_exp; i++)
		if (e->exp[i].handle && !e->exp[i].freed)
			return &e->exp[i];
	return NULL;
}

/* A record whose size field is garbage: a labelled error, never frames. */
static void check_corrupt(struct harness *h, struct era_lib *e)
{
	const struct expect *x = first_live(e);
	const struct po_stack *s;
	struct po_depot_stats st;
	struct po_error *err;
	struct image img;
	u32 old;

	old = e->set_size(x->handle, 1000);
	err = image_open(e, NULL, &img);
	if (!err)
		err = po_depot_fetch(img.depot, x->handle, &s);
	CHECK(h, error_is(err, PO_ERR_BAD_DATA, "claims 1000 frames"),
	      "%s: corrupt record size", e->desc->name);
	err = po_depot_walk(img.depot, NULL, NULL, &st);
	CHECK(h, !err && st.corrupt == 1 && st.records < e->nr_exp,
	      "%s: walk over a corrupt record: %s, %" PRIu64 " corrupt",
	      e->desc->name, err ? err->message : "ok", st.corrupt);
	po_error_destroy(err);
	image_close(&img);
	e->set_size(x->handle, old);
}

/* A pool the dump does not hold (makedumpfile filtered it). */
static void check_excluded(struct harness *h, struct era_lib *e)
{
	const struct expect *x = first_live(e);
	void *pool = (char *)e->record(x->handle) -
		     ((uintptr_t)e->record(x->handle) & 0x3fff);
	const struct po_stack *s;
	struct po_depot_stats st;
	struct po_error *err;
	struct image img;

	err = image_open(e, pool, &img);
	if (!err)
		err = po_depot_fetch(img.depot, x->handle, &s);
	CHECK(h, error_is(err, PO_ERR_EXCLUDED, "filtered out"),
	      "%s: record in an excluded pool", e->desc->name);
	err = po_depot_walk(img.depot, NULL, NULL, &st);
	CHECK(h, !err && st.unreadable == 1 && st.pools == e->nr_pools() - 1,
	      "%s: walk with an excluded pool: %s, %" PRIu64 " unreadable",
	      e->desc->name, err ? err->message : "ok", st.unreadable);
	po_error_destroy(err);
	image_close(&img);
}

/* The pools are the era's heap memory, left for its user to free. */
static void era_free_memory(struct era_lib *e)
{
	struct era_mem mem[MAX_MEM];
	unsigned int i, n = e->memory(mem, MAX_MEM);

	for (i = 0; i < n; i++)
		free(mem[i].addr);
}

static void test_era(struct harness *h, const char *path)
{
	struct era_lib *e = calloc(1, sizeof(*e));
	struct po_error *err;
	struct image img;

	if (!e || !era_load(e, path)) {
		CHECK(h, false, "%s: cannot load: %s", path, dlerror());
		free(e);
		return;
	}
	era_fill(e);
	err = image_open(e, NULL, &img);
	CHECK(h, !err, "%s: open: %s", e->desc->name, err ? err->message : "");
	if (!err) {
		CHECK(h, (int)po_depot_era(img.depot) == e->desc->era,
		      "%s: era detected as %s", e->desc->name,
		      po_depot_era_name(po_depot_era(img.depot)));
		CHECK(h, po_depot_nr_pools(img.depot) == e->nr_pools(),
		      "%s: %" PRIu64 " pools, the kernel says %u",
		      e->desc->name, po_depot_nr_pools(img.depot),
		      e->nr_pools());
		check_fetch(h, e, &img);
		check_walk(h, e, &img);
		check_bad_handles(h, e, &img);
		check_corrupt(h, e);
		check_excluded(h, e);
	}
	po_error_destroy(err);
	image_close(&img);
	printf("  era %s: %u records\n", e->desc->name, e->nr_exp);
	era_free_memory(e);
	dlclose(e->dl);
	free(e);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strverscmp((*a)->d_name, (*b)->d_name);
}

static int is_so(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 3 && !strcmp(d->d_name + n - 3, ".so");
}

int main(int argc, char **argv)
{
	struct harness h = { 0 };
	struct dirent **list;
	char dir[PATH_MAX];
	int i, n;

	/* The era libraries sit in $BUILD/eras, beside $BUILD/tests. */
	snprintf(dir, sizeof(dir), "%s", argv[0]);
	*strrchr(dir, '/') = '\0';
	strncat(dir, "/../eras", sizeof(dir) - strlen(dir) - 1);
	n = scandir(dir, &list, is_so, by_name);
	CHECK(&h, n >= 8, "%s: %d era libraries, expected 8", dir, n);
	for (i = 0; i < n; i++) {
		char path[PATH_MAX * 2];

		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		test_era(&h, path);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return harness_finish(&h, "test_depot_eras");
}
