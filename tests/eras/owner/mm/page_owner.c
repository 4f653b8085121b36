// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The synthetic kernel's mm/page_owner.c (see ../owner-era.h): its
 * statics, which pageowner looks up by this file's name, and page_ext
 * entries written as the era's __set_page_owner() and
 * __reset_page_owner() would, for the test to decode.
 */
#include <stdlib.h>
#include <string.h>

#include "../owner-era.h"

typedef struct {
	int counter;
} atomic_t;

struct static_key {
	atomic_t enabled;
};

struct static_key_false {
	struct static_key key;
};

/* page_owner=on took effect. */
static struct static_key_false page_owner_inited
	__attribute__((used)) = { { { 1 } } };

static depot_stack_handle_t dummy_handle __attribute__((used)) = 0x11;
static depot_stack_handle_t failure_handle __attribute__((used)) = 0x22;
static depot_stack_handle_t early_handle __attribute__((used)) = 0x33;

struct page_ext_operations page_owner_ops = {
	.offset = sizeof(struct page_ext),
	.size = sizeof(struct page_owner),
};

#define NR_ENTRIES 4
#define ENTRY_SIZE (sizeof(struct page_ext) + sizeof(struct page_owner))

static unsigned char *entries;
static struct era_record records[NR_ENTRIES];

static struct page_owner *get_page_owner(struct page_ext *ext)
{
	return (void *)((char *)ext + page_owner_ops.offset);
}

static void set_page_owner(struct page_ext *ext, const struct era_record *r)
{
	struct page_owner *po = get_page_owner(ext);

	po->order = (unsigned short)r->order;
	po->last_migrate_reason = (short)r->last_migrate_reason;
	po->gfp_mask = r->gfp_mask;
	po->handle = r->handle;
#if ERA_AT_LEAST(511)
	po->ts_nsec = r->ts_nsec;
	po->pid = r->pid;
#endif
#if ERA_AT_LEAST(518)
	po->tgid = r->tgid;
	memcpy(po->comm, r->comm, sizeof(po->comm));
#endif
	ext->flags |= 1UL << PAGE_EXT_OWNER;
#if ERA_AT_LEAST(504)
	ext->flags |= 1UL << PAGE_EXT_OWNER_ALLOCATED;
#elif ERA_AT_LEAST(503)
	ext->flags |= 1UL << PAGE_EXT_OWNER_ACTIVE;
#endif
}

static void reset_page_owner(struct page_ext *ext, const struct era_record *r)
{
#if ERA_AT_LEAST(503)
	struct page_owner *po = get_page_owner(ext);

	po->free_handle = r->free_handle;
#endif
#if ERA_AT_LEAST(513)
	po->free_ts_nsec = r->free_ts_nsec;
#endif
#if ERA_AT_LEAST(608)
	po->free_pid = r->free_pid;
	po->free_tgid = r->free_tgid;
#endif
	(void)r;
#if ERA_AT_LEAST(504)
	ext->flags &= ~(1UL << PAGE_EXT_OWNER_ALLOCATED);
#elif ERA_AT_LEAST(503)
	ext->flags &= ~(1UL << PAGE_EXT_OWNER_ACTIVE);
#else
	ext->flags &= ~(1UL << PAGE_EXT_OWNER);
#endif
}

__attribute__((constructor)) static void make_entries(void)
{
	unsigned int i;

	entries = calloc(NR_ENTRIES, ENTRY_SIZE);
	if (!entries)
		abort();
	for (i = 0; i < NR_ENTRIES; i++) {
		struct era_record *r = &records[i];
		struct page_ext *ext = (void *)(entries + i * ENTRY_SIZE);

		r->order = i;
		r->last_migrate_reason = i == 2 ? 3 : -1;
		r->gfp_mask = 0xcc0 + i;
		r->handle = 0x100000 + i;
		r->ts_nsec = 1000000000ULL * (i + 1);
		r->pid = 100 + (int)i;
		r->tgid = 200 + (int)i;
		memcpy(r->comm, i & 1 ? "holder_beta" : "holder_alpha", 13);
		set_page_owner(ext, r);
		r->allocated = 1;
		if (i == 3) { /* freed, by another task */
			r->free_handle = 0x200003;
			r->free_ts_nsec = 9000000000ULL;
			r->free_pid = 300;
			r->free_tgid = 301;
			reset_page_owner(ext, r);
			r->allocated = 0;
		}
	}
}

__attribute__((destructor)) static void free_entries(void)
{
	free(entries);
}

/* What the test needs. */
void *era_entries(void)
{
	return entries;
}

unsigned int era_nr_entries(void)
{
	return NR_ENTRIES;
}

unsigned long era_entry_size(void)
{
	return ENTRY_SIZE;
}

const struct era_record *era_record(unsigned int i)
{
	return i < NR_ENTRIES ? &records[i] : NULL;
}
