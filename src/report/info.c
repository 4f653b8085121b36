// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 7: `pageowner info`, a summary of the dump and its page_owner. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "program/program.h"
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
