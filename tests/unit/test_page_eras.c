// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * struct page of every era, from a synthetic image: how a tail page names
 * its head (compound_head = head + 1 up to v7.0; compound_info from v7.1,
 * head | 1 or, with CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP, a mask) and
 * PageBuddy() (_mapcount before v4.18, a page_type bit up to v6.11, under
 * PAGE_TYPE_BASE 0xf0000000 or, from v6.10, 0x80000000, a page_type byte
 * since), and the memcg (mem_cgroup before v5.11, then
 * memcg_data).
 *
 * tests/eras/page/page.c is built once per era into
 * $BUILD/eras-page/page-<era>.so; its constructor lays out a compound page
 * and a free buddy block with the era's own set_compound_head() and
 * __SetPageBuddy().  This test reads the layout with
 * po_page_layout_read() from the library's DWARF (and the VMCOREINFO
 * number the era needs), then every struct page from its memory: each
 * must name the head, and be or not be a buddy, as the kernel would say.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "layout.h"
#include "xlat/memmap.h"

struct era {
	const char *suffix;
	enum po_compound_enc compound;
	enum po_buddy_test buddy;
};

static const struct era eras[] = {
	{ "v4.14.so", PO_COMPOUND_POINTER, PO_BUDDY_MAPCOUNT },
	{ "v6.1.so", PO_COMPOUND_POINTER, PO_BUDDY_TYPE_BIT },
	{ "v6.6.so", PO_COMPOUND_POINTER, PO_BUDDY_TYPE_BIT },
	{ "v6.10.so", PO_COMPOUND_POINTER, PO_BUDDY_TYPE_BIT },
	{ "v6.10-macros.so", PO_COMPOUND_POINTER, PO_BUDDY_TYPE_BIT },
	{ "v6.12.so", PO_COMPOUND_POINTER, PO_BUDDY_PGTY },
	{ "v7.1.so", PO_COMPOUND_POINTER, PO_BUDDY_PGTY },
	{ "v7.1-hvo.so", PO_COMPOUND_MASK, PO_BUDDY_PGTY },
};

struct lib {
	struct layout_lib l;
	void *(*pages)(void);
	unsigned int (*nr_pages)(void);
	unsigned int (*head_index)(unsigned int);
	int (*buddy_order)(unsigned int);
	long (*mapcount_value)(void);
	int (*hugetlb)(unsigned int);
	int (*zsmalloc)(unsigned int);
	int (*movable)(unsigned int);
	unsigned long (*hugetlb_object)(void);
};

static bool lib_load(struct lib *l, const char *path)
{
	if (!layout_load(&l->l, path))
		return false;
	*(void **)&l->pages = layout_sym(&l->l, "era_pages");
	*(void **)&l->nr_pages = layout_sym(&l->l, "era_nr_pages");
	*(void **)&l->head_index = layout_sym(&l->l, "era_head_index");
	*(void **)&l->buddy_order = layout_sym(&l->l, "era_buddy_order");
	*(void **)&l->mapcount_value =
		layout_sym(&l->l, "era_buddy_mapcount_value");
	*(void **)&l->hugetlb = layout_sym(&l->l, "era_hugetlb");
	*(void **)&l->zsmalloc = layout_sym(&l->l, "era_zsmalloc");
	*(void **)&l->movable = layout_sym(&l->l, "era_movable");
	*(void **)&l->hugetlb_object = layout_sym(&l->l, "era_hugetlb_object");
	return l->pages && l->nr_pages && l->head_index && l->buddy_order &&
	       l->mapcount_value && l->hugetlb && l->zsmalloc && l->movable &&
	       l->hugetlb_object;
}

/* pages[@i]'s use, with the struct page after it as its first tail. */
static enum po_page_use page_use(const struct po_page_layout *pl,
				 const uint8_t *buf, bool has_tail,
				 uint64_t *object)
{
	return po_page_use(&pl->use, &pl->flags, &pl->page_type, buf,
			   has_tail ? buf + pl->size : NULL, object);
}

static void check_pages(struct harness *h, const char *what,
			const struct lib *l, struct po_mm *mm,
			const struct po_page_layout *pl)
{
	uint8_t *pages = l->pages();
	unsigned int i, n = l->nr_pages();
	uint8_t buf[512];

	for (i = 0; i < n; i++) {
		uint64_t addr = (uintptr_t)(pages + i * pl->size);
		uint64_t want =
			(uintptr_t)(pages + l->head_index(i) * pl->size);
		bool has_tail = i + 1 < n;
		struct po_error *err = po_mm_read(
			mm, addr, buf, (has_tail ? 2 : 1) * pl->size);
		int order = l->buddy_order(i);
		enum po_page_use use;
		uint64_t object;

		CHECK(h, !err, "%s: page %u: %s", what, i,
		      err ? err->message : "");
		po_error_destroy(err);
		if (err)
			return;
		use = page_use(pl, buf, has_tail, &object);
		CHECK(h, po_page_compound_head(pl, buf, addr) == want,
		      "%s: page %u's head at 0x%" PRIx64 ", want 0x%" PRIx64,
		      what, i, po_page_compound_head(pl, buf, addr), want);
		CHECK(h,
		      pl->has_memcg &&
			      po_member_get(&pl->memcg_data, buf) == 0x1000 + i,
		      "%s: page %u's memcg 0x%" PRIx64, what, i,
		      pl->has_memcg ? po_member_get(&pl->memcg_data, buf) : 0);
		CHECK(h, po_page_is_buddy(pl, buf) == (order >= 0),
		      "%s: page %u %s a buddy", what, i,
		      order >= 0 ? "is not" : "is");
		CHECK(h, (use == PO_USE_FREE) == (order >= 0),
		      "%s: page %u's use %s", what, i, po_page_use_name(use));
		CHECK(h, (use == PO_USE_HUGETLB) == (l->hugetlb(i) != 0),
		      "%s: page %u's use %s, hugetlb %s", what, i,
		      po_page_use_name(use), l->hugetlb(i) ? "wanted" : "not");
		/* Its mapping as is: a private mapping's anon_vma | 1. */
		if (use == PO_USE_HUGETLB)
			CHECK(h, object == l->hugetlb_object(),
			      "%s: page %u: hugetlb object 0x%" PRIx64
			      ", want 0x%lx",
			      what, i, object, l->hugetlb_object());
		CHECK(h, (use == PO_USE_ZSMALLOC) == (l->zsmalloc(i) != 0),
		      "%s: page %u's use %s, zsmalloc %s", what, i,
		      po_page_use_name(use), l->zsmalloc(i) ? "wanted" : "not");
		CHECK(h, (use == PO_USE_MOVABLE) == (l->movable(i) != 0),
		      "%s: page %u's use %s, movable %s", what, i,
		      po_page_use_name(use), l->movable(i) ? "wanted" : "not");
		/* Without the tail no test before v6.9 can say hugetlb. */
		if (l->hugetlb(i) && pl->use.huge != PO_HUGE_NONE)
			CHECK(h,
			      page_use(pl, buf, false, &object) !=
				      PO_USE_HUGETLB,
			      "%s: page %u hugetlb without its tail", what, i);
		if (order >= 0)
			CHECK(h,
			      po_page_buddy_order(pl, buf) == (uint64_t)order,
			      "%s: page %u's buddy order %" PRIu64 ", want %d",
			      what, i, po_page_buddy_order(pl, buf), order);
	}
}

static void test_lib(struct harness *h, const char *dir, const struct era *e)
{
	char path[PATH_MAX], info[64];
	struct layout_image img;
	struct po_page_layout pl;
	struct po_error *err;
	struct lib l;
	const void *extra[1];
	size_t extra_size[1];

	snprintf(path, sizeof(path), "%s/page-%s", dir, e->suffix);
	if (!lib_load(&l, path)) {
		CHECK(h, 0, "%s: cannot load: %s", path, dlerror());
		return;
	}
	/* Before v6.12 the kernel says the buddy value in VMCOREINFO. */
	snprintf(info, sizeof(info), "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=%ld\n",
		 l.mapcount_value());
	extra[0] = l.pages();
	extra_size[0] = l.nr_pages() * 64;
	err = layout_open(&l.l, l.mapcount_value() ? info : NULL, extra,
			  extra_size, 1, &img);
	if (!err)
		err = po_page_layout_read(img.mm, &pl);
	CHECK(h, !err, "%s: %s", e->suffix, err ? err->message : "");
	if (!err) {
		CHECK(h, pl.compound == e->compound,
		      "%s: compound encoding %d, want %d", e->suffix,
		      pl.compound, e->compound);
		CHECK(h, pl.buddy == e->buddy,
		      "%s: PageBuddy() test %d, want %d", e->suffix, pl.buddy,
		      e->buddy);
		check_pages(h, e->suffix, &l, img.mm, &pl);
	}
	po_error_destroy(err);
	layout_close(&img);
	printf("test_page_eras: %s: %u struct pages checked\n", e->suffix,
	       l.nr_pages());
	dlclose(l.l.dl);
}

int main(int argc, char **argv)
{
	struct harness h = { 0 };
	char dir[PATH_MAX];
	size_t i;

	layout_dir(dir, sizeof(dir), argc, argv, "eras-page");
	for (i = 0; i < sizeof(eras) / sizeof(eras[0]); i++)
		test_lib(&h, dir, &eras[i]);
	return harness_finish(&h, "test_page_eras");
}
