// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: the header the kernel's dump_page() prints before the owner
 * (mm/debug.c, __dump_folio() of v6.12+), then what the page is now.
 * Pointers print as %px would: the dump has no %p hash key.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/owner_report.h"
#include "report/textout.h"
#include "xlat/zones.h"

/* The head and its first tail, for the folio's order and counts. */
struct folio_pages {
	uint8_t *page, *head;
	uint64_t pfn, head_pfn, addr, head_addr;
	unsigned int order;
};

static struct po_error *read_pages(struct po_program *prog,
				   struct po_memmap *mm, uint64_t pfn,
				   struct folio_pages *f)
{
	const struct po_page_layout *pl = po_memmap_page_layout(mm);
	struct po_error *err;

	f->pfn = pfn;
	f->page = malloc(pl->size);
	f->head = malloc(2 * pl->size);
	if (!f->page || !f->head)
		return &po_enomem;
	err = po_memmap_page_address(mm, pfn, &f->addr);
	if (!err)
		err = po_mm_read(prog->mm, f->addr, f->page, pl->size);
	if (err)
		return err;
	f->head_addr = po_memmap_compound_head(mm, f->page, f->addr);
	if (!po_memmap_page_to_pfn(mm, f->head_addr, &f->head_pfn))
		return po_error_addr(PO_ERR_BAD_DATA, f->addr,
				     "pfn 0x%" PRIx64
				     ": compound_head 0x%" PRIx64
				     " is no struct page",
				     pfn, f->head_addr);
	/* The first tail may be past the dump's end: then order 0, and a
	 * zeroed tail says no hugetlb either. */
	memset(f->head, 0, 2 * pl->size);
	err = po_mm_read(prog->mm, f->head_addr, f->head, pl->size);
	if (err)
		return err;
	err = po_mm_read(prog->mm, f->head_addr + pl->size, f->head + pl->size,
			 pl->size);
	if (!err)
		f->order = po_page_folio_order(&pl->use, &pl->flags, f->head);
	else
		memset(f->head + pl->size, 0, pl->size);
	po_error_destroy(err);
	return NULL;
}

static void free_pages(struct folio_pages *f)
{
	free(f->page);
	free(f->head);
}

/* print_hex_dump(..., 32, sizeof(unsigned long), ..., false). */
static void hex_rows(FILE *out, const char *prefix, const uint8_t *p,
		     size_t len)
{
	size_t i;

	for (i = 0; i < len; i += 8) {
		if (!(i % 32))
			fputs(prefix, out);
		fprintf(out, "%016" PRIx64, po_load_uint(p + i, 8));
		fputc((i % 32 == 24 || i + 8 >= len) ? '\n' : ' ', out);
	}
}

/*
 * page_type_name(): the dump's own page_type_names[] (v6.12+), by
 * PGTY_* - PGTY_buddy; NULL when this kernel has no such table.
 */
static const char *type_name(struct po_program *prog, uint32_t type, char *buf,
			     size_t size)
{
	const struct po_page_layout *pl;
	struct po_variable var;
	struct po_memmap *mm;
	struct po_error *err;
	uint64_t name, bytes = 0;
	uint32_t base;

	err = po_program_memmap(prog, &mm);
	if (!err)
		err = po_mm_variable(prog->mm, "page_type_names", NULL, &var);
	if (!err)
		err = po_type_size(po_mm_debuginfo(prog->mm), var.type, &bytes);
	if (err) {
		po_error_destroy(err);
		return NULL;
	}
	pl = po_memmap_page_layout(mm);
	base = pl->use.types[PO_USE_FREE];
	if (pl->use.enc != PO_TYPE_BYTE || type < base)
		return NULL;
	/* page_type_name(): past ARRAY_SIZE() "unknown", a hole NULL. */
	if (type - base >= bytes / 8)
		return "unknown";
	err = po_mm_read_u64(prog->mm, var.address + 8 * (type - base), &name);
	if (!err && !name)
		return "(null)";
	if (!err)
		err = po_mm_read_string(prog->mm, name, buf, size);
	if (err) {
		po_error_destroy(err);
		return NULL;
	}
	return buf;
}

/* folio_mapping(): none for a slab or anonymous folio. */
static uint64_t folio_mapping(enum po_page_use use, uint64_t mapping)
{
	if (use == PO_USE_SLAB || use == PO_USE_ANON || use == PO_USE_KSM)
		return 0;
	return mapping & ~(uint64_t)3;
}

/*
 * __dump_page() printed the struct page's address first ("page:%p
 * refcount:...") until v6.x's __dump_folio() ("page: refcount:..."); the
 * dump's own .rodata says which this kernel prints.
 */
static bool old_header(struct po_program *prog)
{
	struct po_error *err;
	const char *fmt;

	err = po_debuginfo_find_string(po_mm_debuginfo(prog->mm),
				       "\0014page:%p refcount:", NULL, &fmt);
	po_error_destroy(err);
	return !err;
}

static void print_header(struct po_program *prog, struct po_memmap *mm,
			 struct po_kformat *kf, const struct folio_pages *f,
			 FILE *out)
{
	const struct po_page_layout *pl = po_memmap_page_layout(mm);
	const struct po_page_use_layout *u = &pl->use;
	uint64_t object, flags = po_member_get(&pl->flags, f->head);
	enum po_page_use use = po_page_use(u, &pl->flags, &pl->page_type,
					   f->head, f->head + pl->size,
					   &object);
	int32_t mapcount = (int32_t)po_member_get(&u->mapcount, f->page) + 1;
	uint32_t type = (uint32_t)po_member_get(&pl->page_type, f->head);
	uint64_t memcg =
		pl->has_memcg ? po_member_get(&pl->memcg_data, f->head) : 0;
	char name[32];
	const char *tn;

	/* page_mapcount_is_type(): a typed page has no mapcount.  Hugetlb
	 * is a type only from v6.9; before, its pages are mapped. */
	if (use != PO_USE_KERNEL && use != PO_USE_ANON && use != PO_USE_KSM &&
	    use != PO_USE_FILE && use != PO_USE_SHMEM && use != PO_USE_UNUSED &&
	    (use != PO_USE_HUGETLB || u->types[PO_USE_HUGETLB]))
		mapcount = 0;
	fputs("page:", out);
	if (old_header(prog))
		fprintf(out, "%016" PRIx64, f->addr);
	fprintf(out,
		" refcount:%d mapcount:%d mapping:%016" PRIx64
		" index:0x%" PRIx64 " pfn:0x%" PRIx64 "\n",
		(int32_t)po_member_get(&u->refcount, f->head), mapcount,
		folio_mapping(use, po_member_get(&u->mapping, f->head)),
		po_member_get(&u->index, f->head) + (f->pfn - f->head_pfn),
		f->pfn);
	if (f->order)
		fprintf(out, "head: order:%u pfn:%#" PRIx64 "\n", f->order,
			f->head_pfn);
	if (memcg)
		fprintf(out, "memcg:%" PRIx64 "\n", memcg);
	fputs(use == PO_USE_KSM	 ? "ksm " :
	      use == PO_USE_ANON ? "anon " :
				   "",
	      out);
	fputs("flags: ", out);
	if (!po_kformat_page_flags_hex(kf))
		fprintf(out, "0x%" PRIx64 "(", flags);
	po_kformat_page_flags(kf, flags, out);
	fputs(po_kformat_page_flags_hex(kf) ? "\n" : ")\n", out);
	tn = u->enc == PO_TYPE_BYTE && type >> 24 >= u->types[PO_USE_FREE] &&
			     type >> 24 != 0xff ?
		     type_name(prog, type >> 24, name, sizeof(name)) :
		     NULL;
	if (tn)
		fprintf(out, "page_type: %x(%s)\n", type >> 24, tn);
	hex_rows(out, "raw: ", f->page, pl->size);
	if (f->order)
		hex_rows(out, "head: ", f->head, 2 * pl->size);
}

/* The cache, and SLUB's count of the slab's objects where it keeps one. */
static struct po_error *print_cache(struct po_pageid *pid, uint64_t cache,
				    const void *slab, FILE *out)
{
	uint32_t objsize, inuse, objects;
	char name[64];
	struct po_error *err;

	err = po_pageid_cache(pid, cache, name, sizeof(name), &objsize);
	if (err)
		return err;
	fprintf(out,
		"slab cache %s (kmem_cache 0x%" PRIx64 ", object size %" PRIu32
		")",
		name, cache, objsize);
	err = po_pageid_slab_objects(pid, slab, &inuse, &objects);
	if (!err)
		fprintf(out, ", %" PRIu32 "/%" PRIu32 " objects in use", inuse,
			objects);
	po_error_destroy(err);
	fputc('\n', out);
	return NULL;
}

static struct po_error *print_file(struct po_pageid *pid, uint64_t mapping,
				   uint64_t index, FILE *out)
{
	struct po_file_info fi;
	struct po_error *err = po_pageid_file(pid, mapping, &fi);

	if (!err)
		fprintf(out,
			"file %s (%s on %s, inode %" PRIu64 ", size %" PRIu64
			", page index %" PRIu64 ")\n",
			fi.path[0] ? fi.path : "(no dentry)", fi.fs, fi.dev,
			fi.ino, fi.size, index);
	return err;
}

static void print_task(const struct po_task *t, FILE *out)
{
	fprintf(out, "task %s (pid %" PRId32 ", task_struct 0x%" PRIx64 ")\n",
		t->comm, t->pid, t->addr);
}

/* An anonymous page's mm, and a task using it. */
static struct po_error *print_anon(struct po_program *prog,
				   struct po_pageid *pid, uint64_t anon_vma,
				   FILE *out)
{
	const struct po_task *t;
	struct po_tasks *tasks;
	struct po_error *err;
	uint64_t mm;

	err = po_pageid_anon_mm(pid, anon_vma, &mm);
	if (!err)
		err = po_program_tasks(prog, &tasks);
	if (err)
		return err;
	fprintf(out, "anon_vma 0x%" PRIx64 ", mm 0x%" PRIx64 "\n", anon_vma,
		mm);
	t = po_tasks_of_mm(tasks, mm);
	if (t)
		print_task(t, out);
	return NULL;
}

static struct po_error *print_stack_task(struct po_program *prog, uint64_t task,
					 FILE *out)
{
	struct po_tasks *tasks;
	struct po_error *err = po_program_tasks(prog, &tasks);
	const struct po_task *t = err ? NULL : po_tasks_at(tasks, task);

	if (t)
		print_task(t, out);
	return err;
}

/* A vmalloc page's area, and who called vmalloc(). */
static struct po_error *print_vmalloc(struct po_program *prog, uint64_t vm,
				      FILE *out)
{
	struct po_vmalloc_area va;
	struct po_error *err = po_vmalloc_area(prog->mm, vm, &va);
	char caller[256];

	if (!err)
		err = po_symbolizer_format(prog->sym, va.caller, caller,
					   sizeof(caller));
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		snprintf(caller, sizeof(caller), "0x%" PRIx64, va.caller);
	if (!err)
		fprintf(out,
			"vmalloc area 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64
			" pages, vm_struct 0x%" PRIx64 "), caller %s\n",
			va.addr, va.addr + va.size, va.nr_pages, vm, caller);
	return err;
}

/* The object behind the page: its cache, file, mm or task. */
static void print_object(struct po_program *prog, enum po_page_use use,
			 uint64_t object, const void *head, uint64_t index,
			 FILE *out)
{
	struct po_pageid *pid;
	struct po_error *err;

	err = po_program_pageid(prog, &pid);
	if (err || !object)
		;
	else if (use == PO_USE_SLAB)
		err = print_cache(pid, object, head, out);
	else if (use == PO_USE_FILE || use == PO_USE_SHMEM)
		err = print_file(pid, object, index, out);
	else if (use == PO_USE_ANON || use == PO_USE_KSM)
		err = print_anon(prog, pid, object, out);
	else if (use == PO_USE_HUGETLB && (object & 3) == 1)
		err = print_anon(prog, pid, object & ~(uint64_t)3, out);
	else if (use == PO_USE_HUGETLB && !(object & 3))
		err = print_file(pid, object, index, out);
	else if (use == PO_USE_KSTACK)
		err = print_stack_task(prog, object, out);
	else if (use == PO_USE_VMALLOC)
		err = print_vmalloc(prog, object, out);
	else if (use == PO_USE_PAGE_EXT)
		fprintf(out, "the page_ext table at 0x%" PRIx64 "\n", object);
	else if (use == PO_USE_DEPOT)
		fprintf(out, "the stack depot pool at 0x%" PRIx64 "\n", object);
	else if (use == PO_USE_PERCPU)
		fprintf(out, "percpu chunk 0x%" PRIx64 "\n", object);
	if (err) {
		fprintf(out, "(%s)\n", err->message);
		po_error_destroy(err);
	}
}

/* A page of no type may be one the task list names: a kernel stack. */
static enum po_page_use overlay(struct po_program *prog, uint64_t pfn,
				enum po_page_use use, uint64_t *object)
{
	const struct po_pfn_uses *uses;
	struct po_error *err;

	/* On error the table still has what could be read. */
	err = po_program_pfn_uses(prog, &uses);
	po_error_destroy(err);
	return po_pfn_uses_overlay(uses, pfn, use, object);
}

/*
 * Inside a free buddy block only the first page says so: look for the
 * block's head at each order, as the kernel's is_free_buddy_page() does.
 */
static bool in_free_block(struct po_program *prog, struct po_memmap *mm,
			  uint64_t pfn, uint64_t *head, unsigned int *order)
{
	const struct po_page_layout *pl = po_memmap_page_layout(mm);
	unsigned int o, max = po_memmap_max_page_order(mm);
	uint8_t page[256];
	uint64_t addr;

	if (pl->size > sizeof(page))
		return false;
	for (o = 1; o <= max; o++) {
		uint64_t start = pfn & ~(((uint64_t)1 << o) - 1);
		struct po_error *err;

		err = po_memmap_page_address(mm, start, &addr);
		if (!err)
			err = po_mm_read(prog->mm, addr, page, pl->size);
		if (err) {
			po_error_destroy(err);
			continue;
		}
		if (po_page_is_buddy(pl, page) &&
		    po_page_buddy_order(pl, page) >= o) {
			*head = start;
			*order = (unsigned int)po_page_buddy_order(pl, page);
			return true;
		}
	}
	return false;
}

/* What the page is, and the object that says which. */
static void print_use(struct po_program *prog, struct po_memmap *mm,
		      const struct folio_pages *f, FILE *out)
{
	const struct po_page_layout *pl = po_memmap_page_layout(mm);
	enum po_page_use use;
	unsigned int order = 0;
	uint64_t object, head;

	use = po_page_use(&pl->use, &pl->flags, &pl->page_type, f->head,
			  f->head + pl->size, &object);
	if (use == PO_USE_FREE)
		order = (unsigned int)po_page_buddy_order(pl, f->head);
	use = overlay(prog, f->pfn, use, &object);
	if (use == PO_USE_UNUSED &&
	    in_free_block(prog, mm, f->pfn, &head, &order)) {
		use = PO_USE_FREE;
		fprintf(out,
			"in the free block of order %u at pfn %#" PRIx64 "\n",
			order, head);
	}
	fprintf(out, "use: %s: %s", po_page_use_name(use),
		po_page_use_meaning(use));
	if (use == PO_USE_FREE)
		fprintf(out, " (order %u)", order);
	fputc('\n', out);
	print_object(prog, use, object, f->head,
		     po_member_get(&pl->use.index, f->head) +
			     (f->pfn - f->head_pfn),
		     out);
}

/*
 * Where the page is: "zone: node N NAME [start, end)", as /proc/zoneinfo
 * names the zone, told as report --group node,zone tells it.  A zone
 * table that cannot be read costs this line its answer, not the lookup.
 */
static void print_zone(struct po_program *prog, const struct folio_pages *f,
		       uint64_t flags, FILE *out)
{
	const struct po_zones *zones;
	const struct po_zone *z;
	struct po_error *err;

	err = po_program_zones(prog, &zones);
	if (err) {
		fprintf(out, "zone: unknown: %s\n", err->message);
		po_error_destroy(err);
		return;
	}
	z = po_zones_of_page(zones, f->pfn, flags);
	if (!z) {
		fputs("zone: none (in no zone's span)\n", out);
		return;
	}
	fprintf(out, "zone: node %d %s [%#" PRIx64 ", %#" PRIx64 ")%s\n",
		z->node, z->name, z->start_pfn, z->start_pfn + z->spanned,
		po_zones_overlap(zones) ? " (by span; spans overlap)" : "");
}

struct po_error *po_report_dump_page(struct po_program *prog, uint64_t pfn,
				     FILE *out)
{
	struct folio_pages f = { 0 };
	struct po_kformat *kf;
	struct po_memmap *mm;
	struct po_error *err;

	err = po_program_memmap(prog, &mm);
	if (!err)
		err = po_program_kformat(prog, &kf);
	if (!err)
		err = read_pages(prog, mm, pfn, &f);
	if (err) {
		free_pages(&f);
		return err;
	}
	print_header(prog, mm, kf, &f, out);
	print_use(prog, mm, &f, out);
	print_zone(prog, &f,
		   po_member_get(&po_memmap_page_layout(mm)->flags, f.page),
		   out);
	free_pages(&f);
	return NULL;
}
