// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: stack depot decoding and the pool walk over hostile
 * memory.  At start-up the v6.12 era library (tests/eras) saves 300 stacks
 * the kernel's way; each input then overwrites part of that image, either
 * pool bytes (records, sizes, stored handles) or the depot's statics (the
 * stack_pools pointers and pools_num), and a fresh depot walks every pool
 * and decodes the saved handles and handles taken from the input.  The
 * image is restored after each input.
 *
 * Input: byte 0 picks the target (even: pools, odd: statics), bytes 1-4
 * the offset, the rest is written there (wrapping around).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "loader.h"

#ifndef ERA_LIB
#error "build with -DERA_LIB=\"path/to/v6.12.so\""
#endif

#define NR_SAVED 300

struct region {
	uint8_t *addr, *pristine;
	size_t size;
};

static struct era_lib lib;
static struct image img;
static struct region pools, statics[2];
static depot_stack_handle_t saved[NR_SAVED];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void keep(struct region *r, void *addr, size_t size)
{
	r->addr = addr;
	r->size = size;
	r->pristine = malloc(size);
	if (!r->pristine)
		abort();
	memcpy(r->pristine, addr, size);
}

static void keep_static(struct region *r, const char *name, size_t size)
{
	struct po_variable v;
	struct po_error *err = po_mm_variable(img.mm, name, NULL, &v);

	if (err)
		abort();
	keep(r, (void *)(uintptr_t)v.address, size); /* already biased */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned long entries[40];
	struct era_mem mem[ERA_MAX_MEM];
	struct po_error *err;
	unsigned int i, j, n;

	if (!era_load(&lib, ERA_LIB))
		abort();
	for (i = 0; i < NR_SAVED; i++) {
		for (j = 0; j < 1 + i % 40; j++)
			entries[j] = 0xffffffff81000000UL + i * 0x1000 + j * 8;
		saved[i] = lib.save(entries, 1 + i % 40, i % 3 == 1);
	}
	err = image_open(&lib, NULL, &img);
	if (err) {
		fprintf(stderr, "fuzz_depot: %s: %s\n", ERA_LIB, err->message);
		abort();
	}
	po_depot_destroy(img.depot);
	img.depot = NULL;
	/* The first pool stands for all: records of every size are there. */
	n = lib.memory(mem, ERA_MAX_MEM);
	if (!n)
		abort();
	keep(&pools, mem[0].addr, mem[0].size);
	keep_static(&statics[0], "stack_pools", 8 * sizeof(void *));
	keep_static(&statics[1], "pools_num", sizeof(int));
	return 0;
}

static int visit(const struct po_stack *s, bool freed, void *arg)
{
	return 0;
}

static void overwrite(struct region *r, uint32_t off, const uint8_t *d,
		      size_t n)
{
	size_t i;

	for (i = 0; i < n && i < r->size; i++)
		r->addr[(off + i) % r->size] = d[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct po_depot_stats stats;
	const struct po_stack *s;
	struct po_error *err;
	struct region *r;
	uint32_t off, h;
	size_t i;

	if (size < 5)
		return 0;
	memcpy(&off, data + 1, 4);
	r = data[0] & 1 ? &statics[(data[0] >> 1) & 1] : &pools;
	overwrite(r, off, data + 5, size - 5);
	err = po_depot_create(img.mm, &img.depot);
	if (!err) {
		po_error_destroy(po_depot_walk(img.depot, visit, NULL, &stats));
		for (i = 0; i < NR_SAVED; i += 7)
			po_error_destroy(
				po_depot_fetch(img.depot, saved[i], &s));
		for (i = 5; i + 4 <= size && i < 5 + 64; i += 4) {
			memcpy(&h, data + i, 4);
			po_error_destroy(po_depot_fetch(img.depot, h, &s));
		}
	}
	po_error_destroy(err);
	po_depot_destroy(img.depot);
	img.depot = NULL;
	memcpy(r->addr, r->pristine, r->size);
	return 0;
}
