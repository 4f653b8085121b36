// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 7: `pageowner info`, a summary of the dump and its page_owner. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "program/program.h"
#include "report/owner_report.h"
#include "report/textout.h"

#define LABEL "%-16s"

/* vmlinux, or what stands in for it: the dump's BTF and kallsyms. */
static void print_sources(struct po_program *prog, FILE *out)
{
	char types[128];
	size_t nr = 0;
	struct po_error *err;

	if (po_debuginfo_is_vmlinux(prog->dw)) {
		fprintf(out, LABEL "%s (build-id %s)\n",
			"vmlinux:", po_debuginfo_path(prog->dw),
			po_debuginfo_build_id(prog->dw) ?
				po_debuginfo_build_id(prog->dw) :
				"none");
		return;
	}
	po_debuginfo_sources(prog->dw, types, sizeof(types));
	fprintf(out, LABEL "none\n", "vmlinux:");
	fprintf(out, LABEL "%s\n", "types:", types);
	err = po_symbolizer_count(prog->sym, &nr);
	if (err)
		fprintf(out, LABEL "kallsyms in the dump: %s\n",
			"symbols:", err->message);
	else
		fprintf(out, LABEL "kallsyms in the dump, %zu symbols\n",
			"symbols:", nr);
	po_error_destroy(err);
}

/*
 * The variables whose types BTF lacked and the walk's own list gave:
 * known after the walk's set-up has read them, so said last.
 */
static void print_walk_typed(struct po_program *prog, FILE *out)
{
	const char *const *names;
	size_t i, nr = po_debuginfo_walk_typed(prog->dw, &names);

	if (po_debuginfo_is_vmlinux(prog->dw))
		return;
	fprintf(out, LABEL, "walk-typed:");
	for (i = 0; i < nr; i++)
		fprintf(out, "%s%s", i ? ", " : "", names[i]);
	fprintf(out, "%s\n", nr ? " (BTF has no VAR for them)" : "none");
}

static void print_dump(struct po_program *prog, FILE *out)
{
	const char *rel = po_dump_vmcoreinfo(prog->dump, "OSRELEASE");
	const char *arch = po_dump_arch(prog->dump);

	fprintf(out, LABEL "%s\n", "dump:", po_dump_path(prog->dump));
	fprintf(out, LABEL "%s\n", "format:", po_dump_format(prog->dump));
	print_sources(prog, out);
	if (po_program_identity_note(prog))
		fprintf(out, LABEL "%s\n",
			"identity:", po_program_identity_note(prog));
	fprintf(out, LABEL "%s\n", "release:", rel ? rel : "unknown");
	fprintf(out, LABEL "%s\n", "arch:", arch ? arch : "unknown");
	fprintf(out, LABEL "%" PRIu64 "\n",
		"page size:", po_mm_page_size(prog->mm));
	fprintf(out, LABEL "%d\n",
		"paging levels:", po_mm_paging_levels(prog->mm));
	fprintf(out, LABEL "0x%" PRIx64 "\n",
		"KASLR offset:", po_mm_kaslr_offset(prog->mm));
}

/* makedumpfile -d: what each bit of the dump level leaves out. */
static void print_level(int level, FILE *out)
{
	static const char *const kinds[] = { "zero", "cache", "private cache",
					     "user", "free" };
	const char *sep = ": left out ";
	size_t i;

	fprintf(out, LABEL "makedumpfile dump level %d", "dump level:", level);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!(level & (1 << i)))
			continue;
		fprintf(out, "%s%s", sep, kinds[i]);
		sep = ", ";
	}
	fputs(level & 31 ? " pages\n" : "\n", out);
}

/*
 * What makedumpfile's dump level drops by a page's type, as the struct
 * page (kept in every dump) tells it: free pages (16), page cache (2, 4)
 * and user pages (8).  Pages in use by the kernel are dropped only as
 * zero pages (1).
 */
static int level_bits_of(enum po_page_use use)
{
	switch (use) {
	case PO_USE_FREE:
	case PO_USE_GUARD:
		return 16;
	case PO_USE_FILE:
		return 2 | 4;
	case PO_USE_SHMEM:
		return 2 | 4 | 8;
	case PO_USE_ANON:
	case PO_USE_KSM:
	case PO_USE_HUGETLB:
		return 8;
	default:
		return 0;
	}
}

/* No data the kernel uses: not read, unused or given away. */
static bool use_holds_nothing(enum po_page_use use)
{
	return use == PO_USE_UNKNOWN || use == PO_USE_UNUSED ||
	       use == PO_USE_OFFLINE || use == PO_USE_UNACCEPTED;
}

/* Excluded pages by use, and those of them in a folio whose head is kept. */
struct excluded_uses {
	uint64_t pages[PO_USE_COUNT];
	uint64_t tails[PO_USE_COUNT];
};

static bool bit_set(const uint8_t *map, uint64_t pfn)
{
	return map[pfn / 8] & (1u << (pfn % 8));
}

/* Add the excluded pfns of the record @r to @x, by its use. */
static void tally_excluded(const uint8_t *map, uint64_t nr_bits,
			   const struct po_page_owner *r,
			   struct excluded_uses *x)
{
	uint64_t pfn, end = r->order < 64 ? r->pfn + (1ULL << r->order) : 0;
	uint32_t use = r->use < PO_USE_COUNT ? r->use : PO_USE_UNKNOWN;
	bool head_kept = r->pfn < nr_bits && !bit_set(map, r->pfn);

	if (end > nr_bits || end < r->pfn)
		end = nr_bits;
	for (pfn = r->pfn; pfn < end; pfn++) {
		if (!bit_set(map, pfn))
			continue;
		x->pages[use]++;
		if (head_kept)
			x->tails[use]++;
	}
}

/* The excluded pages of the dump by what their struct pages say. */
static struct po_error *count_excluded_uses(struct po_program *prog,
					    uint64_t max_pfn,
					    struct excluded_uses *x)
{
	struct po_page_owner_options opt = { .all_pages = true };
	const struct po_page_owner *r;
	struct po_walk *w;
	uint64_t nr_bits;
	uint8_t *map;
	struct po_error *err;

	err = po_dump_excluded_map(prog->dump, max_pfn, &map, &nr_bits);
	if (err)
		return err;
	err = po_page_owner_walk_create(prog, &opt, true, &w);
	if (err) {
		free(map);
		return err;
	}
	while (!(err = po_walk_next(w, &r)) && r)
		tally_excluded(map, nr_bits, r, x);
	po_walk_destroy(w);
	free(map);
	return err;
}

/* "slab 1164, reserved 32" of the uses @want says, or "" for none. */
static uint64_t list_uses(const uint64_t *count, bool (*want)(int, int),
			  int level, char *buf, size_t size)
{
	uint64_t total = 0;
	size_t len = 0;
	int u;

	buf[0] = '\0';
	for (u = 0; u < PO_USE_COUNT; u++) {
		if (!count[u] || !want(u, level))
			continue;
		total += count[u];
		if (len < size)
			len += snprintf(buf + len, size - len, "%s%s %" PRIu64,
					len ? ", " : "", po_page_use_name(u),
					count[u]);
	}
	return total;
}

static bool any_use(int use, int level)
{
	(void)use;
	(void)level;
	return true;
}

/* In use by the kernel, or of a type @level does not drop. */
static bool kept_by_type(int use, int level)
{
	if (use_holds_nothing(use))
		return false;
	/* A dump that keeps no level (an ELF one): any filter's types. */
	return !(level_bits_of(use) & (level < 0 ? 31 : level));
}

/* Why the kernel's pages that were left out matter, by the dump's kind. */
static void print_kernel_verdict(struct po_program *prog, int level, FILE *out)
{
	if (level >= 0 && !(level & 1))
		fprintf(out,
			"dump level %d keeps such pages, so the filter "
			"misjudged them; what they hold cannot be read\n",
			level);
	else if (level >= 0 && !strcmp(po_dump_format(prog->dump), "diskdump"))
		/*
		 * makedumpfile writes a zero page of a kdump file as one
		 * shared zero page, still in the bitmap: only a page it took
		 * for free, cache or user data is left out.
		 */
		fputs("makedumpfile leaves a kernel page out only as a zero "
		      "page, and a kdump file keeps those (as one shared zero "
		      "page), so the filter misjudged them; what they hold "
		      "cannot be read\n",
		      out);
	else
		fputs("a filter leaves a kernel page out only if it is all "
		      "zeros; what they held, if anything, cannot be read\n",
		      out);
}

/*
 * The filtered pages by their struct pages, and those the dump level
 * should have kept: a filter that misjudges a page's type (makedumpfile
 * 1.7.2 drops slab tail pages of v7.x kernels) leaves out objects that
 * other records point to.
 */
static void print_excluded_uses(struct po_program *prog, uint64_t max_pfn,
				int level, FILE *out)
{
	struct excluded_uses x = { 0 };
	uint64_t kept, tails;
	char buf[512], tbuf[512];
	struct po_error *err = count_excluded_uses(prog, max_pfn, &x);

	if (err) {
		fprintf(out, LABEL "unknown (%s)\n", "  by use:", err->message);
		po_error_destroy(err);
		return;
	}
	list_uses(x.pages, any_use, level, buf, sizeof(buf));
	fprintf(out, LABEL "%s\n", "  by use:", buf);
	kept = list_uses(x.pages, kept_by_type, level, buf, sizeof(buf));
	if (!kept)
		return;
	tails = list_uses(x.tails, kept_by_type, level, tbuf, sizeof(tbuf));
	fprintf(out,
		LABEL "%" PRIu64 " in use by the kernel (%s), %" PRIu64
		      " of them tail pages whose folio's head the dump keeps: ",
		"  kernel pages:", kept, buf, tails);
	print_kernel_verdict(prog, level, out);
}

static void print_memory(struct po_program *prog, FILE *out)
{
	uint64_t max_pfn, totalram, excluded;
	uint64_t psize = po_mm_page_size(prog->mm);
	struct po_error *err;
	int level = po_dump_level(prog->dump);

	err = po_mm_read_variable(prog->mm, "max_pfn", NULL, &max_pfn);
	if (err) {
		fprintf(out, LABEL "unknown (%s)\n", "memory:", err->message);
		po_error_destroy(err);
		max_pfn = 0;
	} else {
		err = po_mm_read_variable(prog->mm, "_totalram_pages", NULL,
					  &totalram);
		if (err) {
			po_error_destroy(err);
			totalram = 0;
		}
		fprintf(out,
			LABEL "%" PRIu64 " MiB of RAM (%" PRIu64
			      " pages), max_pfn 0x%" PRIx64 "\n",
			"memory:", totalram * psize >> 20, totalram, max_pfn);
	}
	if (level >= 0)
		print_level(level, out);
	if (po_dump_compression(prog->dump))
		fprintf(out, LABEL "%s\n",
			"compression:", po_dump_compression(prog->dump));
	if (po_dump_incomplete(prog->dump))
		fprintf(out,
			LABEL "no: makedumpfile could not write all of it "
			      "(DUMP_DH_COMPRESSED_INCOMPLETE); the pages it "
			      "did not write are missing\n",
			"complete:");
	err = po_dump_count_excluded(prog->dump, max_pfn, &excluded);
	if (err) {
		fprintf(out, LABEL "unknown (%s)\n",
			"filtered pages:", err->message);
		po_error_destroy(err);
	} else {
		fprintf(out, LABEL "%" PRIu64 "%s\n",
			"filtered pages:", excluded,
			excluded ? " (excluded from the dump)" : "");
		if (excluded)
			print_excluded_uses(prog, max_pfn, level, out);
	}
}

static void print_memmap(struct po_program *prog, FILE *out)
{
	struct po_memmap *mm;
	struct po_error *err = po_program_memmap(prog, &mm);

	if (err) {
		fprintf(out, LABEL "unavailable: %s\n",
			"memory model:", err->message);
		po_error_destroy(err);
		return;
	}
	fprintf(out,
		LABEL "SPARSEMEM, %" PRIu64 " pages per section, struct page "
		      "of %" PRIu64 " bytes\n",
		"memory model:", po_memmap_section_pages(mm),
		po_memmap_page_layout(mm)->size);
	fprintf(out, LABEL "order %u (from %s), max buddy order %u\n",
		"pageblock:", po_memmap_pageblock_order(mm),
		po_memmap_pageblock_order_source(mm),
		po_memmap_max_page_order(mm));
}

static void print_handle(struct po_owner *owner, FILE *out, const char *name,
			 uint32_t handle)
{
	enum po_special_handle kind = po_owner_classify(owner, handle);

	fprintf(out, LABEL "%" PRIu32 " (0x%08" PRIx32 "): %s\n", name, handle,
		handle, po_special_handle_meaning(kind));
}

static void print_owner(struct po_program *prog, FILE *out)
{
	const struct po_owner_config *c;
	struct po_owner *owner;
	struct po_error *err = po_program_owner(prog, &owner);

	if (err) {
		fprintf(out, LABEL "unavailable: %s\n",
			"page_owner:", err->message);
		po_error_destroy(err);
		return;
	}
	c = po_owner_config(owner);
	fprintf(out, LABEL "%s\n", "page_owner:",
		c->enabled ? "enabled" :
			     "disabled (boot without page_owner=on)");
	fprintf(out,
		LABEL "entry size %" PRIu64 ", page_owner at offset %" PRIu64
		      "\n",
		"page_ext:", c->page_ext_size, c->owner_offset);
	print_handle(owner, out, "dummy_handle:", c->dummy_handle);
	print_handle(owner, out, "failure_handle:", c->failure_handle);
	print_handle(owner, out, "early_handle:", c->early_handle);
}

static void print_depot(struct po_program *prog, FILE *out)
{
	struct po_depot_stats st;
	struct po_depot *depot;
	struct po_error *err = po_program_depot(prog, &depot);

	if (!err)
		err = po_depot_walk(depot, NULL, NULL, &st);
	if (err) {
		fprintf(out, LABEL "unavailable: %s\n",
			"stack depot:", err->message);
		po_error_destroy(err);
		return;
	}
	fprintf(out, LABEL "%s\n",
		"stack depot:", po_depot_era_name(po_depot_era(depot)));
	fprintf(out, LABEL "%" PRIu64 " of %" PRIu64 " bytes\n",
		"depot pools:", st.pools, st.pool_size);
	fprintf(out, LABEL "%" PRIu64 " live, %" PRIu64 " freed\n",
		"depot records:", st.records, st.freed);
}

struct po_error *po_program_info(struct po_program *prog, FILE *out)
{
	print_dump(prog, out);
	print_memory(prog, out);
	print_memmap(prog, out);
	print_owner(prog, out);
	print_depot(prog, out);
	print_walk_typed(prog, out);
	return po_out_error(out, "writing the info report");
}
