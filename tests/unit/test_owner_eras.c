// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * page_ext and struct page_owner of every era, from a synthetic image:
 * which members the kernel's struct page_owner has (free_handle v5.4; pid
 * and ts_nsec v5.11; free_ts_nsec v5.13; tgid and comm v5.18; free_pid
 * and free_tgid v6.8), how page_ext says "allocated" (PAGE_EXT_OWNER
 * cleared at free before v5.4, PAGE_EXT_OWNER_ACTIVE in v5.4-rc1 to -rc3,
 * PAGE_EXT_OWNER_ALLOCATED since), and where the entry size is kept
 * (extra_mem before v5.4, page_ext_size since).
 *
 * tests/eras/owner/mm/{page_owner,page_ext}.c are built once per era into
 * $BUILD/eras-owner/owner-<era>.so, whose constructor writes page_ext
 * entries as the era's __set_page_owner() and __reset_page_owner() would.
 * Each entry decoded by pageowner must give back what was written, and
 * every member the era lacks must be marked absent, never made up.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "layout.h"
#include "kernel/owner.h"
#include "walk/walk.h"
#include "owner/record.h"

struct era {
	const char *suffix;
	uint32_t fields; /* PO_OWNER_HAS_* */
};

#define FROM_5_11 \
	(PO_OWNER_HAS_FREE_HANDLE | PO_OWNER_HAS_PID | PO_OWNER_HAS_TS)
#define FROM_5_18                                               \
	(FROM_5_11 | PO_OWNER_HAS_FREE_TS | PO_OWNER_HAS_TGID | \
	 PO_OWNER_HAS_COMM)

static const struct era eras[] = {
	{ "v4.14.so", 0 },
	{ "v5.4-rc1.so", PO_OWNER_HAS_FREE_HANDLE },
	{ "v5.4.so", PO_OWNER_HAS_FREE_HANDLE },
	{ "v5.11.so", FROM_5_11 },
	{ "v5.13.so", FROM_5_11 | PO_OWNER_HAS_FREE_TS },
	{ "v5.18.so", FROM_5_18 },
	{ "v6.8.so",
	  FROM_5_18 | PO_OWNER_HAS_FREE_PID | PO_OWNER_HAS_FREE_TGID },
};

struct lib {
	struct layout_lib l;
	void *(*entries)(void);
	unsigned int (*nr_entries)(void);
	unsigned long (*entry_size)(void);
	const struct era_record *(*record)(unsigned int);
};

static bool lib_load(struct lib *l, const char *path)
{
	if (!layout_load(&l->l, path))
		return false;
	*(void **)&l->entries = layout_sym(&l->l, "era_entries");
	*(void **)&l->nr_entries = layout_sym(&l->l, "era_nr_entries");
	*(void **)&l->entry_size = layout_sym(&l->l, "era_entry_size");
	*(void **)&l->record = layout_sym(&l->l, "era_record");
	return l->entries && l->nr_entries && l->entry_size && l->record;
}

/* A field the era has must read back; one it lacks must be marked so. */
#define FIELD(h, what, i, fields, bit, got, want)                \
	CHECK(h, !((fields) & (bit)) || (got) == (want),         \
	      "%s: entry %u: " #got " %lld, want %lld", what, i, \
	      (long long)(got), (long long)(want))

static void check_entry(struct harness *h, const char *what, unsigned int i,
			const struct po_page_owner *r,
			const struct era_record *w, uint32_t fields)
{
	CHECK(h, r->fields == fields, "%s: entry %u: fields 0x%x, want 0x%x",
	      what, i, r->fields, fields);
	CHECK(h, r->allocated == (w->allocated != 0),
	      "%s: entry %u: allocated %d, want %d", what, i, r->allocated,
	      w->allocated);
	CHECK(h,
	      r->order == w->order && r->gfp_mask == w->gfp_mask &&
		      r->handle == w->handle &&
		      r->last_migrate_reason == w->last_migrate_reason,
	      "%s: entry %u: order %u gfp 0x%x handle 0x%x reason %d", what, i,
	      r->order, r->gfp_mask, r->handle, r->last_migrate_reason);
	FIELD(h, what, i, fields, PO_OWNER_HAS_FREE_HANDLE, r->free_handle,
	      w->free_handle);
	FIELD(h, what, i, fields, PO_OWNER_HAS_TS, r->ts_nsec, w->ts_nsec);
	FIELD(h, what, i, fields, PO_OWNER_HAS_FREE_TS, r->free_ts_nsec,
	      w->free_ts_nsec);
	FIELD(h, what, i, fields, PO_OWNER_HAS_PID, r->pid, w->pid);
	FIELD(h, what, i, fields, PO_OWNER_HAS_TGID, r->tgid, w->tgid);
	FIELD(h, what, i, fields, PO_OWNER_HAS_FREE_PID, r->free_pid,
	      w->free_pid);
	FIELD(h, what, i, fields, PO_OWNER_HAS_FREE_TGID, r->free_tgid,
	      w->free_tgid);
	CHECK(h,
	      (fields & PO_OWNER_HAS_COMM) ? !strcmp(r->comm, w->comm) :
					     !r->comm[0],
	      "%s: entry %u: comm '%s', want '%s'", what, i, r->comm,
	      fields & PO_OWNER_HAS_COMM ? w->comm : "");
}

static void test_lib(struct harness *h, const char *dir, const struct era *e)
{
	const struct po_owner_config *cfg;
	struct layout_image img;
	struct po_owner *o = NULL;
	struct po_error *err;
	char path[PATH_MAX];
	const void *extra[1];
	size_t extra_size[1];
	unsigned int i;
	struct lib l;

	snprintf(path, sizeof(path), "%s/owner-%s", dir, e->suffix);
	if (!lib_load(&l, path)) {
		CHECK(h, 0, "%s: cannot load: %s", path, dlerror());
		return;
	}
	extra[0] = l.entries();
	extra_size[0] = l.nr_entries() * l.entry_size();
	err = layout_open(&l.l, NULL, extra, extra_size, 1, &img);
	if (!err)
		err = po_owner_create(img.mm, NULL, &o);
	CHECK(h, !err, "%s: %s", e->suffix, err ? err->message : "");
	if (!err) {
		cfg = po_owner_config(o);
		CHECK(h,
		      cfg->enabled && cfg->page_ext_size == l.entry_size() &&
			      cfg->owner_offset == sizeof(unsigned long) &&
			      cfg->dummy_handle == 0x11 &&
			      cfg->failure_handle == 0x22 &&
			      cfg->early_handle == 0x33,
		      "%s: enabled %d, entry size %" PRIu64 " (want %lu), "
		      "offset %" PRIu64 ", handles 0x%x 0x%x 0x%x",
		      e->suffix, cfg->enabled, cfg->page_ext_size,
		      l.entry_size(), cfg->owner_offset, cfg->dummy_handle,
		      cfg->failure_handle, cfg->early_handle);
		for (i = 0; i < l.nr_entries(); i++) {
			struct po_page_owner r;

			po_owner_decode(o,
					(const uint8_t *)l.entries() +
						i * l.entry_size(),
					&r);
			check_entry(h, e->suffix, i, &r, l.record(i),
				    e->fields);
		}
	}
	po_error_destroy(err);
	po_owner_destroy(o);
	layout_close(&img);
	printf("test_owner_eras: %s: %u entries checked\n", e->suffix,
	       l.nr_entries());
	dlclose(l.l.dl);
}

int main(int argc, char **argv)
{
	struct harness h = { 0 };
	char dir[PATH_MAX];
	size_t i;

	layout_dir(dir, sizeof(dir), argc, argv, "eras-owner");
	for (i = 0; i < sizeof(eras) / sizeof(eras[0]); i++)
		test_lib(&h, dir, &eras[i]);
	return harness_finish(&h, "test_owner_eras");
}
