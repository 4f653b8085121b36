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
#include "loader.h"
#include "harness.h"
#include "layout.h"
#include "kernel/stackdepot.h"

#define NR_STACKS 300
#define NR_REUSED 20
#define MAX_ENTRIES 48

struct expect {
	depot_stack_handle_t handle;
	unsigned int n;
	unsigned long entries[MAX_ENTRIES];
	bool evictable, freed, seen;
};

struct era_test {
	struct era_lib l;
	struct expect exp[NR_STACKS + NR_REUSED];
	unsigned int nr_exp;
};

static struct expect *expect_of(struct era_test *e, depot_stack_handle_t h)
{
	unsigned int i;

	for (i = 0; i < e->nr_exp; i++)
		if (e->exp[i].handle == h)
			return &e->exp[i];
	return NULL;
}

static void era_save_one(struct era_test *e, unsigned int i, bool evictable)
{
	struct expect x = { .evictable = evictable };
	struct expect *old;
	unsigned int j;

	x.n = 1 + (i * 7) % 40;
	for (j = 0; j < x.n; j++)
		x.entries[j] = 0xffffffff81000000UL + i * 0x1000 + j * 8;
	x.handle = e->l.save(x.entries, x.n, evictable);
	if (e->l.desc->max_frames && x.n > e->l.desc->max_frames)
		x.n = e->l.desc->max_frames;
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
static void era_fill(struct era_test *e)
{
	bool refcounted = e->l.desc->refcounted;
	unsigned int i;

	for (i = 0; i < NR_STACKS; i++)
		era_save_one(e, i, refcounted && i % 3 == 1);
	for (i = 0; refcounted && i < e->nr_exp; i++) {
		if (e->exp[i].evictable && i % 6 == 1) {
			e->l.put(e->exp[i].handle);
			e->exp[i].freed = true;
		}
	}
	for (i = NR_STACKS; i < NR_STACKS + NR_REUSED; i++)
		era_save_one(e, i, refcounted);
}

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

static void check_fetch(struct harness *h, struct era_test *e,
			struct image *img)
{
	const char *name = e->l.desc->name;
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
			      s->record == (uintptr_t)e->l.record(x->handle),
		      "%s: handle 0x%08x: %s", name, x->handle,
		      err ? err->message : "wrong frames or record");
		po_error_destroy(err);
		if (!e->l.desc->extra_shift || !s)
			continue;
		err = po_depot_fetch(
			img->depot, x->handle | 0x15u << e->l.desc->extra_shift,
			&s2);
		CHECK(h, !err && s2 == s,
		      "%s: handle 0x%08x with extra bits must hit the cache",
		      name, x->handle);
		po_error_destroy(err);
	}
}

struct walk_check {
	struct era_test *e;
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

static void check_walk(struct harness *h, struct era_test *e, struct image *img)
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
	      "%s: walk: %s, %u records visited of %u, %u wrong",
	      e->l.desc->name, err ? err->message : "ok", w.visited, e->nr_exp,
	      w.bad);
	po_error_destroy(err);
	CHECK(h,
	      st.records == live && st.freed == freed &&
		      st.evictable == evictable && !st.corrupt &&
		      st.pools == e->l.nr_pools(),
	      "%s: walk stats: %" PRIu64 "/%" PRIu64 " live, %" PRIu64
	      "/%" PRIu64 " freed, %" PRIu64 "/%" PRIu64 " evictable, %" PRIu64
	      " pools",
	      e->l.desc->name, st.records, live, st.freed, freed, st.evictable,
	      evictable, st.pools);
}

/* Handles no kernel would hand out, made by the kernel's own union. */
static void check_bad_handles(struct harness *h, struct era_test *e,
			      struct image *img)
{
	unsigned int pools = e->l.nr_pools();
	size_t end = (e->l.last_offset() + 15) & ~(size_t)15;
	const struct po_stack *s;
	struct po_error *err;

	err = po_depot_fetch(img->depot, 0, &s);
	CHECK(h, error_is(err, PO_ERR_INVALID, "0 means no stack"),
	      "%s: handle 0", e->l.desc->name);
	err = po_depot_fetch(img->depot, e->l.make_handle(pools, 0, true), &s);
	CHECK(h, error_is(err, PO_ERR_INVALID, "out of range"),
	      "%s: pool index past the last pool", e->l.desc->name);
	err = po_depot_fetch(img->depot, e->l.make_handle(pools - 1, end, true),
			     &s);
	CHECK(h, error_is(err, PO_ERR_INVALID, "past the end of pool"),
	      "%s: offset past the end of the last pool", e->l.desc->name);
	/* 16 bytes into the first record is not where any record starts. */
	err = po_depot_fetch(img->depot, e->l.make_handle(0, 16, true), &s);
	CHECK(h, error_is(err, PO_ERR_INVALID, "stores handle"),
	      "%s: offset inside a record", e->l.desc->name);
	if (!e->l.desc->has_valid)
		return;
	err = po_depot_fetch(img->depot, e->l.make_handle(0, 0x40, false), &s);
	CHECK(h, error_is(err, PO_ERR_INVALID, "valid bit is clear"),
	      "%s: valid bit clear", e->l.desc->name);
}

/* The first live record with a non-zero handle. */
static const struct expect *first_live(const struct era_test *e)
{
	unsigned int i;

	for (i = 0; i < e->nr_exp; i++)
		if (e->exp[i].handle && !e->exp[i].freed)
			return &e->exp[i];
	return NULL;
}

/* A record whose size field is garbage: a labelled error, never frames. */
static void check_corrupt(struct harness *h, struct era_test *e)
{
	const struct expect *x = first_live(e);
	const struct po_stack *s;
	struct po_depot_stats st;
	struct po_error *err;
	struct image img;
	u32 old;

	old = e->l.set_size(x->handle, 1000);
	err = image_open(&e->l, NULL, &img);
	if (!err)
		err = po_depot_fetch(img.depot, x->handle, &s);
	CHECK(h, error_is(err, PO_ERR_BAD_DATA, "claims 1000 frames"),
	      "%s: corrupt record size", e->l.desc->name);
	err = po_depot_walk(img.depot, NULL, NULL, &st);
	CHECK(h, !err && st.corrupt == 1 && st.records < e->nr_exp,
	      "%s: walk over a corrupt record: %s, %" PRIu64 " corrupt",
	      e->l.desc->name, err ? err->message : "ok", st.corrupt);
	po_error_destroy(err);
	image_close(&img);
	e->l.set_size(x->handle, old);
}

/* A pool the dump does not hold (makedumpfile filtered it). */
static void check_excluded(struct harness *h, struct era_test *e)
{
	const struct expect *x = first_live(e);
	void *pool = (char *)e->l.record(x->handle) -
		     ((uintptr_t)e->l.record(x->handle) & 0x3fff);
	const struct po_stack *s;
	struct po_depot_stats st;
	struct po_error *err;
	struct image img;

	err = image_open(&e->l, pool, &img);
	if (!err)
		err = po_depot_fetch(img.depot, x->handle, &s);
	CHECK(h, error_is(err, PO_ERR_EXCLUDED, "filtered out"),
	      "%s: record in an excluded pool", e->l.desc->name);
	err = po_depot_walk(img.depot, NULL, NULL, &st);
	CHECK(h, !err && st.unreadable == 1 && st.pools == e->l.nr_pools() - 1,
	      "%s: walk with an excluded pool: %s, %" PRIu64 " unreadable",
	      e->l.desc->name, err ? err->message : "ok", st.unreadable);
	po_error_destroy(err);
	image_close(&img);
}

/*
 * po_debuginfo_find_string() on the strings the v6.12 era keeps for it: the
 * string that starts with the prefix and holds the needle, not one that
 * has only either; a needle nowhere is a lookup error.
 */
static void check_find_string(struct harness *h, struct image *img)
{
	const char *want = "PFN 0x%lx type %s Block %lu type %s Flags %pGp\n";
	const char *s = NULL;
	struct po_error *err;

	err = po_debuginfo_find_string(img->dw, "PFN ",
				       " Block %lu type %s Flags ", &s);
	CHECK(h, !err && !strcmp(s, want), "find_string with a needle: %s",
	      err ? err->message : s);
	po_error_destroy(err);
	err = po_debuginfo_find_string(img->dw, "PFN alone", NULL, &s);
	CHECK(h, !err && !strcmp(s, "PFN alone, without what follows"),
	      "find_string, prefix alone: %s", err ? err->message : s);
	po_error_destroy(err);
	err = po_debuginfo_find_string(img->dw, "PFN ", "no such needle", &s);
	CHECK(h, err && err->code == PO_ERR_LOOKUP,
	      "find_string of a needle nowhere: %s",
	      err ? err->message : "found");
	po_error_destroy(err);
}

/* The pools are the era's heap memory, left for its user to free. */
static void era_free_memory(struct era_test *e)
{
	struct era_mem mem[ERA_MAX_MEM];
	unsigned int i, n = e->l.memory(mem, ERA_MAX_MEM);

	for (i = 0; i < n; i++)
		free(mem[i].addr);
}

static void test_era(struct harness *h, const char *path)
{
	struct era_test *e = calloc(1, sizeof(*e));
	struct po_error *err;
	struct image img;

	if (!e || !era_load(&e->l, path)) {
		CHECK(h, false, "%s: cannot load: %s", path, dlerror());
		free(e);
		return;
	}
	era_fill(e);
	err = image_open(&e->l, NULL, &img);
	CHECK(h, !err, "%s: open: %s", e->l.desc->name,
	      err ? err->message : "");
	if (!err) {
		CHECK(h, (int)po_depot_era(img.depot) == e->l.desc->era,
		      "%s: era detected as %s", e->l.desc->name,
		      po_depot_era_name(po_depot_era(img.depot)));
		CHECK(h, po_depot_nr_pools(img.depot) == e->l.nr_pools(),
		      "%s: %" PRIu64 " pools, the kernel says %u",
		      e->l.desc->name, po_depot_nr_pools(img.depot),
		      e->l.nr_pools());
		check_fetch(h, e, &img);
		check_walk(h, e, &img);
		check_bad_handles(h, e, &img);
		check_corrupt(h, e);
		check_excluded(h, e);
		if (!strcmp(e->l.desc->name, "v6.12"))
			check_find_string(h, &img);
	}
	po_error_destroy(err);
	image_close(&img);
	printf("  era %s: %u records\n", e->l.desc->name, e->nr_exp);
	era_free_memory(e);
	dlclose(e->l.dl);
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

	/* $BUILD/eras-clang, if given, has the same built by clang. */
	layout_dir(dir, sizeof(dir), argc, argv, "eras");
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
