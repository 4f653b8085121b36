/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libpageowner: post-mortem page ownership analysis of Linux vmcores.
 *
 * Everything that can fail returns a struct po_error pointer: NULL means
 * success, anything else must be freed with po_error_destroy().  Results
 * come back through trailing out-parameters named *ret.
 */
#ifndef PAGEOWNER_H
#define PAGEOWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PO_PUBLIC __attribute__((visibility("default")))

/*
 * The release, as the Makefile's VERSION says it (the build refuses to
 * run if the two disagree): for #if tests, and for --version.
 */
#define PO_VERSION_MAJOR 0
#define PO_VERSION_MINOR 1
#define PO_VERSION_PATCH 0
#define PO_VERSION_STRING "0.1.0"

/** enum po_error_code - what kind of failure a struct po_error reports */
enum po_error_code {
	PO_ERR_NOMEM = 1, /* out of memory */
	PO_ERR_OS, /* a system call failed; errnum is set */
	PO_ERR_FORMAT, /* a file is not what it should be */
	PO_ERR_FAULT, /* an address cannot be read; address set */
	PO_ERR_EXCLUDED, /* the page was filtered out of the dump */
	PO_ERR_BAD_DATA, /* kernel data in the dump is inconsistent */
	PO_ERR_LOOKUP, /* no such symbol, type, member or key */
	PO_ERR_MISMATCH, /* vmlinux does not belong to the dump */
	PO_ERR_UNSUPPORTED, /* a kernel layout we do not handle */
	PO_ERR_INVALID, /* a bad argument from the caller */
	PO_ERR_INTERRUPTED, /* the caller asked to stop */
};

/**
 * struct po_error - the one error type of libpageowner
 * @code: the kind of failure
 * @errnum: errno for PO_ERR_OS, else 0
 * @address: the address involved for PO_ERR_FAULT and PO_ERR_EXCLUDED
 * @message: a one-line description naming the file, address or member
 */
struct po_error {
	enum po_error_code code;
	int errnum;
	uint64_t address;
	char *message;
};

PO_PUBLIC void po_error_destroy(struct po_error *err);
/* Name of an error code, e.g. "fault"; never NULL. */
PO_PUBLIC const char *po_error_code_name(enum po_error_code code);

struct po_program;

/* A type in vmlinux's DWARF: the offset of its DIE.  0 is "void". */
struct po_type {
	uint64_t die;
};

/*
 * struct po_ctype - a C type as expressions need it: a DWARF type under
 * @ptrs more levels of pointer, which vmlinux may never spell out
 * ("struct page **" in a cast, or "&page->lru").
 */
struct po_ctype {
	struct po_type base;
	unsigned int ptrs;
};

/** enum po_object_kind - where an object's bits are */
enum po_object_kind {
	PO_OBJ_REFERENCE, /* in the dump, at @address */
	PO_OBJ_VALUE, /* in @value: a computed integer or pointer */
};

/**
 * struct po_object - a typed piece of the dumped kernel, like drgn's Object
 * @bit_offset/@bit_size: a bit-field @bit_offset bits past @address
 *	(@bit_size 0 when it is not a bit-field)
 * @value: the bits of a PO_OBJ_VALUE (sign-extended when signed)
 */
struct po_object {
	struct po_ctype type;
	enum po_object_kind kind;
	uint64_t address;
	uint8_t bit_offset;
	uint8_t bit_size;
	uint64_t value;
};

/**
 * po_program_open() - open a vmcore and its vmlinux
 * @core: path of the dump (ELF, kdump-compressed or flattened kdump)
 * @vmlinux: path of vmlinux with DWARF, or NULL to search the usual places
 *	by build-id and release
 * @ret: the program, to be freed with po_program_destroy()
 *
 * The dump is opened read-only.  A vmlinux whose build-id or release does
 * not match the dump is refused with PO_ERR_MISMATCH.
 */
PO_PUBLIC struct po_error *
po_program_open(const char *core, const char *vmlinux, struct po_program **ret);

/* Read the dump with @vmlinux even if the identity checks fail. */
#define PO_OPEN_IGNORE_MISMATCH (1u << 0)
/*
 * Read no vmlinux (and look for none): symbols from the dump's kallsyms,
 * types from the kernel's BTF in the dump (CONFIG_DEBUG_INFO_BTF).
 * po_program_vmlinux_path() is then NULL.  Without this flag, that is
 * also what happens when no vmlinux is given and none is found.
 */
#define PO_OPEN_NO_VMLINUX (1u << 1)

/* po_program_open() with PO_OPEN_* @flags. */
PO_PUBLIC struct po_error *po_program_open_flags(const char *core,
						 const char *vmlinux,
						 unsigned int flags,
						 struct po_program **ret);
/*
 * po_program_open_flags() of a dump in @nr_cores files: the parts that
 * makedumpfile --split wrote, in any order, all of them.  One file is
 * po_program_open_flags().
 */
PO_PUBLIC struct po_error *po_program_open_files(const char *const *cores,
						 size_t nr_cores,
						 const char *vmlinux,
						 unsigned int flags,
						 struct po_program **ret);
/*
 * What the identity checks of vmlinux against the dump had to say beyond
 * "it matches": a BUILD-ID in a known broken form, or a mismatch that
 * PO_OPEN_IGNORE_MISMATCH overrode.  NULL when there is nothing to say.
 */
PO_PUBLIC const char *po_program_identity_note(const struct po_program *prog);
PO_PUBLIC void po_program_destroy(struct po_program *prog);

/*
 * po_program_open_dirs() - po_program_open_flags() that, when @vmlinux is
 * NULL, searches each folder of @dirs (NULL-terminated; NULL for none)
 * before the usual places: DIR/.build-id/NN/REST.debug by the dump's
 * build-id, then DIR/vmlinux-RELEASE and DIR/RELEASE/vmlinux.
 */
PO_PUBLIC struct po_error *po_program_open_dirs(const char *core,
						const char *vmlinux,
						const char *const *dirs,
						unsigned int flags,
						struct po_program **ret);

/**
 * struct po_dump_identity - which dump this is, for rows that leave it
 * @dump_id: 16 hex digits, FNV-1a 64 of the VMCOREINFO text and the file
 *	size: the same file gives the same id on any machine, and two dumps
 *	of one stop in different formats (sizes) differ
 * @release/@build_id: VMCOREINFO's OSRELEASE and BUILD-ID ("" if absent)
 * @host: init_uts_ns's nodename, read from the dump ("" if unreadable)
 * @crash_time: seconds since the epoch, 0 when unknown
 * @crash_time_source: "vmcoreinfo" (CRASHTIME, which the kexec crash
 *	path writes), "kdump-header" (the time the file was written), or
 *	"none"
 * @ram_bytes: totalram_pages() times the page size, 0 when unreadable
 * @file_size: bytes of the dump file
 */
struct po_dump_identity {
	char dump_id[17];
	char release[65];
	char build_id[129];
	char host[65];
	int64_t crash_time;
	const char *crash_time_source;
	uint64_t ram_bytes;
	uint64_t file_size;
};

PO_PUBLIC struct po_error *po_program_identity(struct po_program *prog,
					       struct po_dump_identity *ret);

/* Paths actually used; valid for the lifetime of @prog. */
PO_PUBLIC const char *po_program_core_path(const struct po_program *prog);
/*
 * The dump says makedumpfile could not write all of it (a full disk):
 * what it did not write reads as missing, PO_ERR_EXCLUDED.
 */
PO_PUBLIC bool po_program_dump_incomplete(const struct po_program *prog);
/* NULL when the types came from the dump's BTF (no vmlinux). */
PO_PUBLIC const char *po_program_vmlinux_path(const struct po_program *prog);

/**
 * po_program_info() - write the `pageowner info` summary to @out
 */
PO_PUBLIC struct po_error *po_program_info(struct po_program *prog, FILE *out);

/**
 * po_report_handle() - decode one depot_stack_handle_t and print its
 * pool, offset, record and frames, labelling dummy/failure/early handles
 */
PO_PUBLIC struct po_error *po_report_handle(struct po_program *prog,
					    uint32_t handle, FILE *out);

/**
 * po_report_depot() - summarise every pool of the stack depot; with
 * @records, also list every record with its frames
 */
PO_PUBLIC struct po_error *po_report_depot(struct po_program *prog,
					   bool records, FILE *out);

/**
 * struct po_page_owner_options - what `pageowner dump` prints
 * @pfn_start/@pfn_end: only pfns in [start, end]; end 0 means no limit
 * @freed: list freed pages with their free stack instead of allocated ones
 * @annotate: add a line naming dummy/failure/early handles (this breaks
 *	byte-identity with the kernel's output, so it is off by default)
 */
struct po_page_owner_options {
	uint64_t pfn_start;
	uint64_t pfn_end;
	bool freed;
	bool annotate;
	/*
	 * Every page once, not only page_owner's records (po_owners_open()
	 * only): a free block, a folio or allocation by its head, any other
	 * page; handle 0 where page_owner has no record.  Runs with
	 * page_owner off too.
	 */
	bool all_pages;
};

/**
 * struct po_walk_counts - what a walk printed and what it had to skip
 * @records: records printed
 * @dummy/@failure/@early: records whose stack handle is that special handle
 * @page_excluded/@page_unreadable: pfns whose struct page the dump lacks
 *	(filtered out by makedumpfile, or not in the dump at all)
 * @ext_excluded/@ext_unreadable: the same for their page_ext entry
 * @ext_missing: pfns of sections that have no page_ext
 * @bad_stacks: records whose stack handle did not decode (printed empty)
 * @bad_memcg: records whose memcg could not be followed (line left out)
 * @memcg_excluded: of those, the ones whose memcg is in a page filtered
 *	out of the dump (po_program_info() says which pages those are)
 * @bad_order: records with an order no kernel writes (64 or more), skipped
 */
struct po_walk_counts {
	uint64_t records;
	uint64_t dummy, failure, early;
	uint64_t page_excluded, page_unreadable;
	uint64_t ext_excluded, ext_unreadable, ext_missing;
	uint64_t bad_stacks;
	uint64_t bad_memcg;
	uint64_t bad_order;
	uint64_t memcg_excluded;
};

/*
 * po_skips_format() - the pages a walk skipped, in the one vocabulary of
 * stderr, the text report, JSON (summary.skipped) and Python (.counts):
 * "page_excluded N, page_unreadable N, ext_excluded N, ext_unreadable N,
 * ext_missing N".  *_excluded: filtered out of the dump (or, in an
 * incomplete one, never written); *_unreadable: in the dump but not
 * readable (damaged, or no translation); ext_missing: in a section
 * without page_ext.  page_* counts struct pages, ext_* page_ext entries.
 */
PO_PUBLIC const char *
po_skips_format(char *buf, size_t size, uint64_t page_excluded,
		uint64_t page_unreadable, uint64_t ext_excluded,
		uint64_t ext_unreadable, uint64_t ext_missing);

/**
 * po_report_page_owner() - write what /sys/kernel/debug/page_owner of the
 * dumped kernel would print, record for record, in that kernel's format
 * @opt: the pfn range and what to print; NULL for every allocated page
 * @counts: filled in (may be NULL); skipped pages are counted, not fatal
 */
PO_PUBLIC struct po_error *
po_report_page_owner(struct po_program *prog,
		     const struct po_page_owner_options *opt, FILE *out,
		     struct po_walk_counts *counts);

/*
 * Which file of /sys/kernel/debug/page_owner_stacks/ to write.  The kernel
 * has the last two since v6.19 ("mm/page_owner: add debugfs file
 * 'show_handles'" and "... 'show_stacks_handles'", Mauricio Faria de
 * Oliveira, 2025); before that, they are worked out the same way.
 */
enum po_stacks_show {
	PO_STACKS_SHOW_STACKS, /* show_stacks: frames, then nr_base_pages */
	PO_STACKS_SHOW_HANDLES, /* show_handles: handle, then nr_base_pages */
	PO_STACKS_SHOW_STACKS_HANDLES, /* show_stacks_handles: frames, handle */
};

/**
 * struct po_stacks_options - what `pageowner stacks` prints
 * @threshold: leave out stacks with fewer base pages; -1 takes the dump's
 *	own count_threshold, so the output equals the kernel's.  As in the
 *	kernel, it applies only where the page count is printed
 * @from_walk: count pages by walking page_ext even where the kernel keeps
 *	its own list (v6.9+); kernels before v6.9 always do this
 * @show: which of the three files
 */
struct po_stacks_options {
	int64_t threshold;
	bool from_walk;
	enum po_stacks_show show;
};

/**
 * po_report_stacks() - write /sys/kernel/debug/page_owner_stacks/show_stacks
 * (or show_handles, show_stacks_handles): each allocation stack and the
 * base pages it holds.  On v6.9+ this is the kernel's stack_list, in its
 * order; otherwise (or @from_walk) the walk's totals, largest first, which
 * know only the stacks that hold pages.
 */
PO_PUBLIC struct po_error *po_report_stacks(struct po_program *prog,
					    const struct po_stacks_options *opt,
					    FILE *out,
					    struct po_walk_counts *counts);

/* One stack of page_owner_stacks and the base pages it holds. */
struct po_stack_count {
	uint32_t handle;
	int64_t nr_base_pages;
};

/*
 * po_stack_counts() - the stacks `pageowner stacks` goes through, in its
 * order, with no threshold: all of the kernel's stack_list (v6.9+, where
 * a stack may hold no page now), else (or @from_walk) the walk's stacks
 * that hold pages, largest first.  *@ret is an array of *@nr, to free().
 */
PO_PUBLIC struct po_error *po_stack_counts(struct po_program *prog,
					   bool from_walk,
					   struct po_stack_count **ret,
					   size_t *nr);

/* What `pageowner report` groups by: any mix of these bits. */
enum {
	PO_GROUP_STACK = 1 << 0,
	PO_GROUP_PID = 1 << 1,
	PO_GROUP_TGID = 1 << 2,
	PO_GROUP_COMM = 1 << 3,
	PO_GROUP_MODULE = 1 << 4, /* the first frame in a module */
	PO_GROUP_ALLOCATOR = 1 << 5, /* slab/vmalloc/CMA/other */
	PO_GROUP_LEAF = 1 << 6, /* the first frame outside the allocators */
	PO_GROUP_MEMCG = 1 << 7, /* the memcg page_owner names (v5.18+) */
	PO_GROUP_USE = 1 << 8, /* what the page is now: enum po_page_use */
	PO_GROUP_CACHE = 1 << 9, /* a slab page's kmem_cache */
	PO_GROUP_FILE = 1 << 10, /* a page-cache page's file */
	PO_GROUP_TASK = 1 << 11, /* the task of an anon page or kstack */
	PO_GROUP_FS = 1 << 12, /* a page-cache page's filesystem */
	PO_GROUP_NODE = 1 << 13, /* the NUMA node, by its zones' spans */
	PO_GROUP_ZONE = 1 << 14, /* the zone: "DMA32", "Normal", ... */
};

/* Sort keys, with page_owner_sort's meanings. */
enum po_report_key {
	PO_KEY_PAGES,
	PO_KEY_TIMES, /* allocations */
	PO_KEY_STACK,
	PO_KEY_PID,
	PO_KEY_TGID,
	PO_KEY_COMM,
	PO_KEY_ALLOC_TS, /* earliest allocation */
	PO_KEY_ALLOCATOR,
	PO_KEY_MODULE,
	PO_KEY_LEAF,
	PO_KEY_MEMCG,
	PO_KEY_USE,
	PO_KEY_CACHE,
	PO_KEY_FILE,
	PO_KEY_TASK,
	PO_KEY_FS,
	PO_KEY_NODE,
	PO_KEY_ZONE,
};

enum po_report_format {
	PO_FORMAT_TEXT,
	PO_FORMAT_JSON, /* one document; schema/report.schema.json */
	PO_FORMAT_JSONL, /* one group per line */
	PO_FORMAT_CSV,
	PO_FORMAT_FOLDED, /* FlameGraph folded stacks, weighted by pages */
	PO_FORMAT_HTML, /* one self-contained page: flame graph, charts */
};

/**
 * struct po_report_options - what `pageowner report` adds up and prints
 * @group: PO_GROUP_* bits; 0 means by stack
 * @sort/@ascending: order of the groups (default: most pages first)
 * @freed: freed pages, grouped by their free stack and freeing task
 * @top: print only the first @top groups; 0 prints all
 * @min_pages: leave out groups with fewer pages
 * @order: only allocations of this order; -1 for any
 * @pids/@tgids/@names/@modules: comma-separated lists to select records
 *	by; NULL selects all
 * @gfp: only allocations whose gfp mask has all these bits
 * @uses: comma-separated uses (free, slab, file, ...) to select pages by
 */
struct po_report_options {
	unsigned int group;
	enum po_report_key sort;
	bool ascending;
	enum po_report_format format;
	bool freed;
	uint64_t top;
	uint64_t min_pages;
	int order;
	const char *pids, *tgids, *names, *modules;
	uint64_t gfp;
	const char *uses; /* words of po_page_use_name() */
	/*
	 * Every page of RAM once, page_owner's record where it has one, and
	 * what the struct page says elsewhere; what a report is when
	 * page_owner was off.
	 */
	bool all_pages;
};

/*
 * page_owner_sort's key words and ours, long or short ("pid,name",
 * "comm,mod"): po_report_parse_group() gives PO_GROUP_* bits for a
 * comma-separated list, po_report_parse_sort() one key with an optional
 * "+" (ascending) or "-".  False for a word that is no such key.
 */
PO_PUBLIC bool po_report_parse_group(const char *text, unsigned int *ret);
PO_PUBLIC bool po_report_parse_sort(const char *text, enum po_report_key *ret,
				    bool *ascending);

/*
 * po_report_key_name() - the @i-th key word, from 0, for help text and
 * completion; NULL past the last.  @short_name gets its short form,
 * @groupable whether --group takes it (pages, times and alloc_ts only sort).
 * Either may be NULL.
 */
PO_PUBLIC const char *po_report_key_name(size_t i, const char **short_name,
					 bool *groupable);

/**
 * po_report() - walk page_owner once and print who owns the memory, grouped
 * and sorted as @opt says, with a summary: tracked pages against RAM, pages
 * per migratetype and order, dummy/failure/early pages, skipped pages, and
 * page_owner's own memory cost
 */
PO_PUBLIC struct po_error *po_report(struct po_program *prog,
				     const struct po_report_options *opt,
				     FILE *out);

/*
 * po_report_groupable() - the PO_GROUP_* bits this dump can group by: the
 * keys whose struct page_owner members (and memcg lines) its kernel has.
 * Grouping by all of them gives the finest rows, which any coarser
 * grouping adds up from (what `pageowner fleet` stores).
 */
PO_PUBLIC struct po_error *po_report_groupable(struct po_program *prog,
					       bool freed, unsigned int *ret);

/*
 * po_gfp_parse() - "GFP_KERNEL|__GFP_ZERO" or "0xcc0" as this kernel's
 * gfpflag_names spell it, for po_report_options.gfp
 */
PO_PUBLIC struct po_error *po_gfp_parse(struct po_program *prog,
					const char *text, uint64_t *ret);

/*
 * A snapshot: pages and allocations per allocation stack, taken from a dump
 * or read back from `report --format json`, for po_diff().  Stacks are
 * keyed by their symbolized frames, so that two boots of one kernel, or
 * the JSON of either, compare.
 */
struct po_snapshot;

/* Walk @prog once; @opt's filters and @opt->freed apply, its grouping not. */
PO_PUBLIC struct po_error *po_snapshot_take(struct po_program *prog,
					    const struct po_report_options *opt,
					    struct po_snapshot **ret);
/* Read a `report --format json` document grouped by stack (and maybe more). */
PO_PUBLIC struct po_error *po_snapshot_read_json(const char *path,
						 struct po_snapshot **ret);
PO_PUBLIC void po_snapshot_destroy(struct po_snapshot *snap);

/**
 * struct po_diff_options - what po_diff() prints
 * @format: PO_FORMAT_TEXT or PO_FORMAT_JSON
 * @top: at most @top stacks that gained and @top that lost; 0: all
 * @min_pages: leave out stacks whose pages changed by less (default 1)
 */
struct po_diff_options {
	enum po_report_format format;
	uint64_t top;
	uint64_t min_pages;
};

/*
 * po_diff() - per stack, the pages @after holds that @before did not and the
 * other way round: the stacks that gained most first, then the ones that
 * lost most.  "What leaked between these two snapshots?"
 */
PO_PUBLIC struct po_error *po_diff(const struct po_snapshot *before,
				   const struct po_snapshot *after,
				   const struct po_diff_options *opt,
				   FILE *out);

/** enum po_addr_kind - what an address given to po_report_lookup() is */
enum po_addr_kind {
	PO_ADDR_AUTO, /* a struct page, else a kernel virtual address */
	PO_ADDR_PFN,
	PO_ADDR_PHYS,
	PO_ADDR_PAGE, /* the address of a struct page */
};

/**
 * po_report_lookup() - the page_owner record of the page at @addr, alloc
 * and free side, in the format of the kernel's __dump_page_owner().  A tail
 * page reports its head page's owner, and says so.
 */
PO_PUBLIC struct po_error *po_report_lookup(struct po_program *prog,
					    uint64_t addr,
					    enum po_addr_kind kind, FILE *out);

/**
 * po_symbolize() - format @addr exactly as the kernel's %pS would
 * @buf/@size: destination; the text is truncated to fit and NUL-terminated
 */
PO_PUBLIC struct po_error *po_symbolize(struct po_program *prog, uint64_t addr,
					char *buf, size_t size);

/**
 * po_symbol_lookup() - address of a kernel or module symbol by name, as the
 * dump's kallsyms know it (KASLR applied)
 */
PO_PUBLIC struct po_error *po_symbol_lookup(struct po_program *prog,
					    const char *name, uint64_t *ret);
/*
 * po_symbol_lookup_next() - the lowest address above @after of a kernel
 * symbol named @name: local symbols of different files share names
 * ("__pud_alloc_one_noprof.constprop.0").  PO_ERR_LOOKUP when none.
 */
PO_PUBLIC struct po_error *po_symbol_lookup_next(struct po_program *prog,
						 const char *name,
						 uint64_t after, uint64_t *ret);

/* Reads from the dump.  Kernel virtual addresses, with KASLR. */
PO_PUBLIC struct po_error *po_read(struct po_program *prog, uint64_t addr,
				   void *buf, size_t len);
PO_PUBLIC struct po_error *po_read_phys(struct po_program *prog, uint64_t addr,
					void *buf, size_t len);

/* VMCOREINFO value for @key (e.g. "OSRELEASE"); NULL when absent. */
PO_PUBLIC const char *po_vmcoreinfo(struct po_program *prog, const char *key);

/*
 * po_eval() - evaluate a C expression ("stack_pools[0]", "*(struct
 * page_owner *)0x...", "&dummy_handle"): globals, enumerators, "->", ".",
 * "[i]", casts, "&", "*", sizeof, arithmetic.  "$N" is @history[N - 1]
 * and "$" the last one.
 */
PO_PUBLIC struct po_error *po_eval(struct po_program *prog, const char *expr,
				   const struct po_object *history,
				   size_t nr_history, struct po_object *ret);

/**
 * struct po_print_options - how po_object_print() writes a value
 * @radix: 10 (0 means 10), 16 or 8 for integers
 * @label: printed before " = ", e.g. "$1"; NULL for none
 */
struct po_print_options {
	int radix;
	const char *label;
};

/* Write @obj as crash's "p" does: structs one member per line. */
PO_PUBLIC struct po_error *po_object_print(struct po_program *prog,
					   const struct po_object *obj,
					   const struct po_print_options *opt,
					   FILE *out);

/*
 * po_ptype() - "ptype TYPE|EXPR": the type spelled out with each member's
 * offset and size, holes and padding, as gdb's "ptype /o".  With @whatis,
 * only its name, as "whatis".
 */
PO_PUBLIC struct po_error *po_ptype(struct po_program *prog, const char *text,
				    const struct po_object *history,
				    size_t nr_history, bool whatis, FILE *out);

/**
 * struct po_rd_options - what po_rd() reads
 * @phys: @addr is physical
 * @unit: bytes per item: 1, 2, 4 or 8
 * @count: items to show
 */
struct po_rd_options {
	bool phys;
	unsigned int unit;
	uint64_t count;
};

/* crash's "rd": memory as hex words plus ASCII, 16 bytes a line. */
PO_PUBLIC struct po_error *po_rd(struct po_program *prog, uint64_t addr,
				 const struct po_rd_options *opt, FILE *out);

/*
 * po_complete() - completions of @word for a shell: kernel variables and
 * enumerators, or type names after "struct "/"union "/"enum " in
 * @before (the line up to @word), or members when @before ends in "." or
 * "->" after an expression.  @fn gets each candidate (repeats possible).
 */
PO_PUBLIC void po_complete(struct po_program *prog, const char *before,
			   const char *word, const struct po_object *history,
			   size_t nr_history,
			   void (*fn)(void *arg, const char *name), void *arg);

/* ---- records, stacks and symbols, one at a time (for bindings) ---- */

/**
 * struct po_page_owner - one page's owner, as page_owner recorded it
 * @page: address of its struct page
 * @pageblock_mt: get_pageblock_migratetype(), -1 when unknown
 * @last_migrate_reason: enum migrate_reason, -1 when never migrated
 * @fields: PO_OWNER_HAS_* bits: the members this kernel's struct
 *	page_owner has.  A field whose bit is clear was never recorded: it
 *	reads 0 (-1 for pids, "" for comm), a placeholder, not a value.
 */
enum {
	PO_OWNER_HAS_PID = 1 << 0,
	PO_OWNER_HAS_TGID = 1 << 1,
	PO_OWNER_HAS_COMM = 1 << 2,
	PO_OWNER_HAS_TS = 1 << 3, /* ts_nsec */
	PO_OWNER_HAS_FREE_TS = 1 << 4, /* free_ts_nsec */
	PO_OWNER_HAS_FREE_PID = 1 << 5,
	PO_OWNER_HAS_FREE_TGID = 1 << 6,
	PO_OWNER_HAS_FREE_HANDLE = 1 << 7,
};

/*
 * enum po_page_use - what a page is now, from its struct page alone (its
 * head's, for a tail): the page type, then PG_slab and PG_reserved, then
 * the mapping.  po_page_use_name() gives each its word.
 */
enum po_page_use {
	PO_USE_UNKNOWN, /* struct page not read */
	PO_USE_FREE, /* PageBuddy(): in the buddy allocator's free lists */
	PO_USE_SLAB, /* a slab of a kmem_cache */
	PO_USE_FILE, /* page cache of a file */
	PO_USE_SHMEM, /* page cache that is swap-backed: shmem, tmpfs */
	PO_USE_ANON, /* anonymous memory */
	PO_USE_KSM, /* anonymous memory merged by KSM */
	PO_USE_PAGETABLE, /* PageTable(): a page table */
	PO_USE_HUGETLB, /* a hugetlbfs page (PGTY_hugetlb kernels) */
	PO_USE_RESERVED, /* PG_reserved: memblock, the kernel image */
	PO_USE_OFFLINE, /* PageOffline(): ballooned or offlined */
	PO_USE_GUARD, /* a debug_pagealloc guard page (free) */
	PO_USE_ZSMALLOC, /* a zspage of zsmalloc (zram, zswap) */
	PO_USE_UNACCEPTED, /* memory not yet accepted (confidential VMs) */
	PO_USE_LARGE_KMALLOC, /* a kmalloc() too large for a slab (v7.x) */
	PO_USE_MOVABLE, /* a non-LRU movable page (balloon, z3fold, ...) */
	PO_USE_UNUSED, /* refcount 0 and not free: per-CPU lists, tails */
	PO_USE_KERNEL, /* allocated with no type: vmalloc, stacks, ... */
	PO_USE_KSTACK, /* a task's kernel stack (by the task list) */
	PO_USE_VMALLOC, /* a page of a vmalloc area (by its vm_struct) */
	PO_USE_PAGE_EXT, /* page_owner's own: a section's page_ext table */
	PO_USE_DEPOT, /* page_owner's own: a stack depot pool */
	PO_USE_PERCPU, /* a percpu chunk's page (by mm/percpu.c's chunks) */
	PO_USE_COUNT
};

PO_PUBLIC const char *po_page_use_name(enum po_page_use use);
/* What the word means, for reports and --help. */
PO_PUBLIC const char *po_page_use_meaning(enum po_page_use use);

/*
 * po_page_zone() - the node and zone of the page at @pfn whose page->flags
 * are @flags (struct po_page_owner's pfn and page_flags), told as `report
 * --group node,zone` tells them.  *@name is the zone's name as
 * /proc/zoneinfo prints it, valid until po_program_destroy(); NULL (node
 * -1) for a page in no zone.  Zones whose spans overlap, where page->flags
 * cannot tell them, are an error.
 */
PO_PUBLIC struct po_error *po_page_zone(struct po_program *prog, uint64_t pfn,
					uint64_t flags, int *node,
					const char **name);

struct po_page_owner {
	uint64_t pfn;
	uint64_t page;
	uint64_t page_flags;
	uint64_t memcg_data;
	/*
	 * @use: enum po_page_use of the page now; @use_object the object that
	 * says which: the kmem_cache of a slab, the address_space of a file
	 * or shmem page, the anon_vma of an anonymous one, the task_struct
	 * of a kernel stack, the vm_struct of a vmalloc page, 0 otherwise.
	 * A hugetlb folio's is its page->mapping as the kernel keeps it: an
	 * anon_vma with bit 0 set (a private mapping's), a hugetlbfs file's
	 * address_space, or 0 (free in the pool).
	 */
	uint32_t use;
	uint64_t use_object;
	uint64_t ext_flags;
	bool allocated;
	int pageblock_mt;
	unsigned int order;
	int last_migrate_reason;
	uint32_t gfp_mask;
	uint32_t handle;
	uint32_t free_handle;
	uint64_t ts_nsec;
	uint64_t free_ts_nsec;
	int32_t pid, tgid, free_pid, free_tgid;
	uint32_t fields;
	char comm[64];
};

struct po_owner_iter;

/*
 * po_owners_open() - iterate the records `pageowner dump` prints, in pfn
 * order: @opt's pfn range and @opt->freed apply (@opt may be NULL).
 */
PO_PUBLIC struct po_error *
po_owners_open(struct po_program *prog, const struct po_page_owner_options *opt,
	       struct po_owner_iter **ret);
/*
 * po_owners_next() - copy up to @max records into @buf; *@nr is 0 at the
 * end.  Batches keep the per-call cost off the per-page path.
 */
PO_PUBLIC struct po_error *po_owners_next(struct po_owner_iter *it,
					  struct po_page_owner *buf, size_t max,
					  size_t *nr);
/* What the walk skipped so far (records, filtered and missing pages). */
PO_PUBLIC void po_owners_counts(const struct po_owner_iter *it,
				struct po_walk_counts *ret);
PO_PUBLIC void po_owners_close(struct po_owner_iter *it);

/*
 * po_owner_lookup() - the record of the page at @addr, allocated or freed,
 * as po_report_lookup() shows it: a tail page gives its head page's.
 * PO_ERR_LOOKUP when page_owner never saw the page.
 */
PO_PUBLIC struct po_error *po_owner_lookup(struct po_program *prog,
					   uint64_t addr,
					   enum po_addr_kind kind,
					   struct po_page_owner *ret);

struct po_owner_printer;

/*
 * A printer of single records in the dumped kernel's debugfs page_owner
 * format, byte for byte what po_report_page_owner() prints for them.
 */
PO_PUBLIC struct po_error *
po_owner_printer_create(struct po_program *prog,
			const struct po_page_owner_options *opt,
			struct po_owner_printer **ret);
PO_PUBLIC void po_owner_print(struct po_owner_printer *p,
			      const struct po_page_owner *r, FILE *out);
PO_PUBLIC void po_owner_printer_destroy(struct po_owner_printer *p);

/** enum po_special_handle - what page_owner meant by a stack handle */
enum po_special_handle {
	PO_HANDLE_NORMAL,
	PO_HANDLE_DUMMY, /* page_owner recursion guard */
	PO_HANDLE_FAILURE, /* stack depot could not save the stack */
	PO_HANDLE_EARLY, /* allocated before page_owner initialised */
};

/* "dummy", "failure", "early" or NULL for an ordinary handle. */
PO_PUBLIC const char *po_special_handle_name(enum po_special_handle kind);
/* What a special handle means, in one sentence. */
PO_PUBLIC const char *po_special_handle_meaning(enum po_special_handle kind);
PO_PUBLIC struct po_error *po_handle_classify(struct po_program *prog,
					      uint32_t handle,
					      enum po_special_handle *ret);
/* The value of a special handle in this dump (0: never registered). */
PO_PUBLIC struct po_error *po_special_handle_value(struct po_program *prog,
						   enum po_special_handle kind,
						   uint32_t *ret);

/*
 * po_stack_entries() - the return addresses a depot handle stands for.
 * *@ret stays valid until po_program_destroy().  A handle that does not
 * decode gives PO_ERR_INVALID or PO_ERR_BAD_DATA saying why.
 */
PO_PUBLIC struct po_error *po_stack_entries(struct po_program *prog,
					    uint32_t handle,
					    const uint64_t **ret, size_t *nr);

/**
 * struct po_symbol - what an address resolves to
 * @name: symbol name; valid until po_program_destroy()
 * @module: module name, or NULL for the kernel image
 * @start: symbol address
 * @size: kallsyms-style size (distance to the next symbol)
 * @offset: the address minus @start
 * @type: the symbol's type letter, as nm and /proc/kallsyms print it
 */
struct po_symbol {
	const char *name;
	const char *module;
	uint64_t start;
	uint64_t size;
	uint64_t offset;
	char type; /* as /proc/kallsyms has it: 'T', 't', 'D'...; '?' if unknown */
};

/*
 * The module whose freed init text held @addr (no symbol is left there:
 * do_init_module() freed it), or NULL: see po_symbolizer_freed_init().
 */
PO_PUBLIC const char *po_symbol_freed_init_module(struct po_program *prog,
						  uint64_t addr);
/* Resolve @addr as kallsyms_lookup() would; PO_ERR_LOOKUP if nothing. */
PO_PUBLIC struct po_error *po_symbol_resolve(struct po_program *prog,
					     uint64_t addr,
					     struct po_symbol *ret);

/**
 * struct po_report_group - one row of po_report()'s table
 * @handle: the group's stack (its first record's when not by stack)
 * @pid/@tgid/@comm/@allocator/@module/@leaf/@memcg: the key; what the
 *	group was not grouped by is 0, "" or NULL
 * @memcg: the name of the memcg the pages are charged to, as page_owner's
 *	"Charged ... to memcg NAME" line gives it (the cgroup's own name, not
 *	its path); NULL for pages charged to none
 * @first_ts/@last_ts: earliest and latest allocation, in ns since boot
 * @has_ts: the kernel records the times (struct page_owner's ts_nsec, or
 *	free_ts_nsec for freed pages); else @first_ts/@last_ts mean nothing
 */
struct po_report_group {
	uint32_t handle;
	int32_t pid, tgid;
	const char *comm;
	uint32_t allocator;
	const char *module, *leaf;
	uint64_t pages, allocs;
	uint64_t first_ts, last_ts;
	bool has_ts;
	const char *memcg;
	const char *use, *cache, *file; /* NULL when not grouped by it */
	const char *task, *fs;
	int32_t node; /* -1 when not grouped by node, or in no zone */
	const char *zone; /* NULL when not grouped by zone, or in none */
	uint64_t no_record_pages; /* of @pages, page_owner has no record of */
};

struct po_report_result;

/*
 * po_report_groups() - po_report()'s groups, sorted and cut as @opt says,
 * as data instead of text (@opt->format is ignored).
 */
PO_PUBLIC struct po_error *po_report_groups(struct po_program *prog,
					    const struct po_report_options *opt,
					    struct po_report_result **ret);
PO_PUBLIC const struct po_report_group *
po_report_result_groups(const struct po_report_result *res, size_t *nr);
PO_PUBLIC void po_report_result_destroy(struct po_report_result *res);

/**
 * struct po_report_row - one line of `report --format jsonl`, read back
 * @dump: the dump's identity, as the line carries it
 * @group: the PO_GROUP_* bits of its key ("key.by"); a key it was not
 *	grouped by is 0 or NULL below
 * @stack: the frames, '\n' between them, or NULL (not grouped by stack,
 *	or a handle that did not decode: then @handle says which)
 * @special: "dummy", "failure", "early" or NULL
 * @allocator: its name as the report writes it ("SLAB", "OTHERS|CMA")
 * @memcg: NULL for pages charged to none (when grouped by memcg)
 * @has_ts: @first_ts/@last_ts were recorded (not null in the line)
 *
 * Strings are valid only during the callback.
 */
struct po_report_row {
	const struct po_dump_identity *dump;
	unsigned int group;
	const char *stack;
	uint32_t handle;
	const char *special;
	int32_t pid, tgid;
	const char *comm, *module, *allocator, *leaf, *memcg;
	uint64_t pages, allocs;
	uint64_t first_ts, last_ts;
	bool has_ts;
};

/*
 * po_report_jsonl_read() - read the JSONL report in @in (named @name in
 * errors) and call @fn for each row, stopping at its first error.  A
 * line that is not such a row, or a row of another dump than the first
 * line's, is refused with its line number.
 */
PO_PUBLIC struct po_error *po_report_jsonl_read(
	FILE *in, const char *name,
	struct po_error *(*fn)(void *arg, const struct po_report_row *row),
	void *arg);

/* "CMA", "SLAB", "VMALLOC", "OTHERS" of @allocator, '|' between them. */
PO_PUBLIC const char *po_report_allocator_name(uint32_t allocator, char *buf,
					       size_t size);

/* ---- types and objects (for bindings; po_eval() parses the same) ---- */

/* An object by name: a kernel variable, an enumerator or a symbol. */
PO_PUBLIC struct po_error *po_object_lookup(struct po_program *prog,
					    const char *name,
					    struct po_object *ret);
/* @obj.@name; through a pointer as well, like drgn's attribute access. */
PO_PUBLIC struct po_error *po_object_get_member(struct po_program *prog,
						const struct po_object *obj,
						const char *name,
						struct po_object *ret);
PO_PUBLIC struct po_error *po_object_get_index(struct po_program *prog,
					       const struct po_object *obj,
					       int64_t index,
					       struct po_object *ret);
PO_PUBLIC struct po_error *po_object_get_deref(struct po_program *prog,
					       const struct po_object *obj,
					       struct po_object *ret);
PO_PUBLIC struct po_error *po_object_get_address(struct po_program *prog,
						 const struct po_object *obj,
						 struct po_object *ret);
PO_PUBLIC struct po_error *po_object_get_cast(struct po_program *prog,
					      const struct po_object *obj,
					      struct po_ctype type,
					      struct po_object *ret);
/* An integer, enum, bool or pointer as 64 bits (sign-extended if signed);
 * arrays give their address, as in C. */
PO_PUBLIC struct po_error *po_object_get_value(struct po_program *prog,
					       const struct po_object *obj,
					       uint64_t *ret);
/* A computed value of type @type. */
PO_PUBLIC struct po_error *po_object_from_value(struct po_program *prog,
						struct po_ctype type,
						uint64_t value,
						struct po_object *ret);

/* "struct page *", "unsigned long", "depot_stack_handle_t", ... */
PO_PUBLIC struct po_error *po_ctype_lookup(struct po_program *prog,
					   const char *text,
					   struct po_ctype *ret);
/* @type spelled in C around @inner ("" for a bare type); caller frees. */
PO_PUBLIC struct po_error *po_ctype_format(struct po_program *prog,
					   struct po_ctype type,
					   const char *inner, char **ret);
PO_PUBLIC struct po_error *po_ctype_sizeof(struct po_program *prog,
					   struct po_ctype type, uint64_t *ret);
/*
 * What @type is under its typedefs and qualifiers: "void", "int", "bool",
 * "float", "pointer", "struct", "union", "enum", "array" or "function".
 */
PO_PUBLIC const char *po_ctype_kind_name(struct po_program *prog,
					 struct po_ctype type);
PO_PUBLIC bool po_ctype_signed(struct po_program *prog, struct po_ctype type);
/* The pointed-to or element type. */
PO_PUBLIC struct po_error *po_ctype_referenced(struct po_program *prog,
					       struct po_ctype type,
					       struct po_ctype *ret);
/* Elements of an array type; false when it has no bound. */
PO_PUBLIC bool po_ctype_length(struct po_program *prog, struct po_ctype type,
			       uint64_t *ret);

/**
 * struct po_ctype_member - a member of a struct or union
 * @name: NULL for an anonymous member; valid until po_program_destroy()
 * @bit_size: width of a bit-field, else 0
 */
struct po_ctype_member {
	const char *name;
	struct po_ctype type;
	uint64_t bit_offset;
	uint64_t bit_size;
};

/* The members of a struct or union in order; caller frees *@ret. */
PO_PUBLIC struct po_error *po_ctype_members(struct po_program *prog,
					    struct po_ctype type,
					    struct po_ctype_member **ret,
					    size_t *nr);

/*
 * po_program_set_interrupt() - @fn is polled during long walks; when it
 * returns true, the walk stops with PO_ERR_INTERRUPTED.  NULL turns it off.
 */
PO_PUBLIC void po_program_set_interrupt(struct po_program *prog,
					bool (*fn)(void *arg), void *arg);

/*
 * po_program_set_progress() - @fn hears how far each page walk has got:
 * @done of @total pfns, once per chunk of up to 4096 pfns and once at the
 * end (@done == @total).  NULL turns it off.
 */
PO_PUBLIC void po_program_set_progress(struct po_program *prog,
				       void (*fn)(void *arg, uint64_t done,
						  uint64_t total),
				       void *arg);

/*
 * po_program_set_jobs() - walk pages with @jobs threads (0 or 1: in the
 * calling thread, the default).  Each thread reads the dump through its
 * own libkdumpfile context and walks whole memory sections; records still
 * come out in pfn order, the same as with one thread.  Callbacks run in the
 * calling thread only.
 */
PO_PUBLIC void po_program_set_jobs(struct po_program *prog, unsigned int jobs);
PO_PUBLIC unsigned int po_program_jobs(const struct po_program *prog);

#ifdef __cplusplus
}
#endif

#endif /* PAGEOWNER_H */
