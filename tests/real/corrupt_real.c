// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * corrupt_real VMCORE VMLINUX: corrupt kernel structures on top of a real
 * dump (po_dump_patch(); the file is never written) and check that each
 * gives a labelled, counted skip or a clear error, never garbage:
 *
 * - a page_owner handle that decodes to nothing: one more bad stack;
 * - page_ext flags cleared: the record is gone; all set: unchanged;
 * - an order of 200: skipped and counted as a bad order;
 * - a depot record whose stored handle or size lies, or whose pool pointer
 *   points outside memory: every record on that stack (or in that pool)
 *   becomes a bad stack, and the rest print as before;
 * - page_owner's stack_list made cyclic (v6.9+): an error naming the loop;
 * - the task list made to loop past init_task: an error naming the loop;
 * - an empty zone made to span what another spans: refused naming both
 *   where zones are told by spans (before pff[], v5.13), the same zones
 *   where page->flags tell them; a zone's name pointer broken: an error
 *   naming the zone;
 * - a vmalloc area's nr_pages made absurd, or a pages[] entry no struct
 *   page: the report's "uses:" line counts the area or the entry skipped;
 * - kallsyms' token table in the dump unlike vmlinux's: the dump's is read.
 *
 * The expected counts come from the unpatched dump and the structure of
 * the corruption (which records share the stack), not from output.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "program/program.h"

struct fixture {
	const char *core, *vmlinux;
	struct po_program *prog;
	struct po_owner *owner;
	struct po_depot *depot;
	struct po_memmap *memmap;
	struct po_walk_counts base;
	struct po_page_owner rec; /* a record with an ordinary stack */
	uint64_t same_stack; /* records with rec's handle */
	uint64_t same_pool; /* records whose handle is in rec's pool */
	uint64_t record; /* address of rec's stack_record */
	uint64_t pool; /* index of rec's pool */
};

/* A fresh program: no cached stacks, no patches. */
static struct po_error *reopen(struct fixture *f)
{
	po_program_destroy(f->prog);
	f->prog = NULL;
	return po_program_open(f->core, f->vmlinux, &f->prog);
}

/* The layers above the dump, created after any patches. */
static struct po_error *layers(struct fixture *f)
{
	struct po_error *err = po_program_owner(f->prog, &f->owner);

	if (!err)
		err = po_program_depot(f->prog, &f->depot);
	if (!err)
		err = po_program_memmap(f->prog, &f->memmap);
	return err;
}

static struct po_error *walk(struct fixture *f, struct po_walk_counts *c)
{
	FILE *out = fopen("/dev/null", "w");
	struct po_error *err;

	if (!out)
		return po_error_os(errno, "/dev/null");
	err = po_report_page_owner(f->prog, NULL, out, c);
	fclose(out);
	return err;
}

static uint64_t pool_of(struct fixture *f, uint32_t handle)
{
	struct po_depot_parts p;

	po_depot_parts(f->depot, handle, &p);
	return p.pool_index;
}

static bool is_normal(struct fixture *f, uint32_t handle)
{
	enum po_special_handle kind;
	struct po_error *err = po_handle_classify(f->prog, handle, &kind);

	po_error_destroy(err);
	return handle && !err && kind == PO_HANDLE_NORMAL;
}

/* The first record with an ordinary stack, and who shares it. */
static struct po_error *baseline(struct fixture *f)
{
	struct po_page_owner buf[256];
	const struct po_stack *s;
	struct po_owner_iter *it;
	struct po_error *err;
	size_t n, i;

	err = layers(f);
	if (!err)
		err = walk(f, &f->base);
	if (!err)
		err = po_owners_open(f->prog, NULL, &it);
	if (err)
		return err;
	while (!(err = po_owners_next(it, buf, 256, &n)) && n) {
		for (i = 0; i < n; i++) {
			if (!f->rec.handle && is_normal(f, buf[i].handle))
				f->rec = buf[i];
		}
	}
	po_owners_close(it);
	if (!err && !f->rec.handle)
		err = po_error_create(PO_ERR_LOOKUP, "no ordinary record");
	if (err)
		return err;
	err = po_owners_open(f->prog, NULL, &it);
	while (!err && !(err = po_owners_next(it, buf, 256, &n)) && n) {
		for (i = 0; i < n; i++) {
			f->same_stack += buf[i].handle == f->rec.handle;
			/* Special handles are depot records too. */
			f->same_pool += buf[i].handle &&
					pool_of(f, buf[i].handle) ==
						pool_of(f, f->rec.handle);
		}
	}
	po_owners_close(it);
	if (!err)
		err = po_depot_fetch(f->depot, f->rec.handle, &s);
	if (!err) {
		f->record = s->record;
		f->pool = pool_of(f, f->rec.handle);
	}
	return err;
}

/* The address of @rec's page_ext entry, and of a field of its owner. */
static uint64_t ext_of(struct fixture *f, uint64_t pfn)
{
	return po_memmap_section_page_ext(f->memmap, pfn) +
	       pfn * po_owner_config(f->owner)->page_ext_size;
}

static uint64_t owner_field(struct fixture *f, const struct po_member *m)
{
	return ext_of(f, f->rec.pfn) + po_owner_config(f->owner)->owner_offset +
	       m->bit_offset / 8;
}

static struct po_error *patch(struct fixture *f, uint64_t addr,
			      const void *bytes, size_t len)
{
	return po_dump_patch(f->prog->dump, PO_KVADDR, addr, bytes, len);
}

/* Patch, walk, compare with @want_records and @want_bad; then unpatch. */
static void expect_walk(struct harness *h, struct fixture *f, const char *name,
			struct po_error *err, uint64_t want_records,
			uint64_t want_bad, uint64_t want_order)
{
	struct po_walk_counts c = { 0 };

	if (!err)
		err = walk(f, &c);
	CHECK(h,
	      !err && c.records == want_records && c.bad_stacks == want_bad &&
		      c.bad_order == want_order,
	      "%s: %s: %" PRIu64 " records (want %" PRIu64 "), %" PRIu64
	      " bad stacks (want %" PRIu64 "), %" PRIu64
	      " bad orders (want %" PRIu64 ")",
	      f->core, name, c.records, want_records, c.bad_stacks, want_bad,
	      c.bad_order, want_order);
	po_error_destroy(err);
	po_dump_unpatch(f->prog->dump);
}

static void test_owner(struct harness *h, struct fixture *f)
{
	const struct po_owner_layout *l = po_owner_layout(f->owner);
	uint64_t flags, records = f->base.records, bad = f->base.bad_stacks;
	uint32_t handle = 0x7ffffff0 & po_depot_handle_mask(f->depot);
	uint16_t order = 200;
	uint64_t flags_at;

	expect_walk(h, f, "unpatched", NULL, records, bad, 0);
	expect_walk(h, f, "handle that decodes to nothing",
		    patch(f, owner_field(f, &l->handle), &handle,
			  l->handle.byte_size),
		    records, bad + 1, 0);
	flags_at = ext_of(f, f->rec.pfn) + l->ext_flags.bit_offset / 8;
	flags = 0;
	expect_walk(h, f, "page_ext flags cleared",
		    patch(f, flags_at, &flags, l->ext_flags.byte_size),
		    records - 1, bad, 0);
	flags = ~0ULL;
	expect_walk(h, f, "page_ext flags all set",
		    patch(f, flags_at, &flags, l->ext_flags.byte_size), records,
		    bad, 0);
	expect_walk(h, f, "order 200",
		    patch(f, owner_field(f, &l->order), &order,
			  l->order.byte_size < 2 ? l->order.byte_size : 2),
		    records - 1, bad, 1);
}

static struct po_error *eval_address(struct fixture *f, const char *expr,
				     uint64_t *ret)
{
	struct po_object o;
	struct po_error *err = po_eval(f->prog, expr, NULL, 0, &o);

	if (!err && o.kind != PO_OBJ_REFERENCE)
		err = po_error_create(PO_ERR_INVALID, "%s: not an lvalue",
				      expr);
	if (!err)
		*ret = o.address;
	return err;
}

/* Before the depot exists: overwrite @member of rec's stack_record. */
static struct po_error *patch_record(struct fixture *f, const char *member,
				     uint32_t value)
{
	struct po_error *err = reopen(f);
	char expr[128];
	uint64_t addr;

	snprintf(expr, sizeof(expr),
		 "((struct stack_record *)0x%" PRIx64 ")->%s", f->record,
		 member);
	if (!err)
		err = eval_address(f, expr, &addr);
	if (!err)
		err = patch(f, addr, &value, sizeof(value));
	return err ? err : layers(f);
}

/* Before the depot exists: point rec's pool outside memory. */
static struct po_error *patch_pool(struct fixture *f, const char *pools)
{
	uint64_t bogus = 0xdead000000000000ULL, addr;
	struct po_error *err = reopen(f);
	char expr[64];

	snprintf(expr, sizeof(expr), "%s[%" PRIu64 "]", pools, f->pool);
	if (!err)
		err = eval_address(f, expr, &addr);
	if (!err)
		err = patch(f, addr, &bogus, sizeof(bogus));
	return err ? err : layers(f);
}

static void test_depot(struct harness *h, struct fixture *f)
{
	uint64_t records = f->base.records, bad = f->base.bad_stacks;
	const char *pools = po_depot_era(f->depot) == PO_DEPOT_SLABS ?
				    "stack_slabs" :
				    "stack_pools";

	expect_walk(h, f, "record stores another handle",
		    patch_record(f, "handle", f->rec.handle ^ 0x10), records,
		    bad + f->same_stack, 0);
	expect_walk(h, f, "record claims 1000 frames",
		    patch_record(f, "size", 1000), records, bad + f->same_stack,
		    0);
	expect_walk(h, f, "pool pointer outside memory", patch_pool(f, pools),
		    records, bad + f->same_pool, 0);
}

/* v6.9+: make the third node of stack_list point back at the first. */
static void test_stack_list(struct harness *h, struct fixture *f)
{
	struct po_stacks_options opt = { .threshold = 0 };
	struct po_object first;
	struct po_error *err;
	uint64_t addr;
	FILE *out;

	err = po_eval(f->prog, "stack_list", NULL, 0, &first);
	if (err) {
		/* Before v6.9 there is no list to corrupt: say so. */
		printf("corrupt_real: %s: no stack_list (before v6.9), "
		       "no cyclic-list check\n",
		       f->core);
		po_error_destroy(err);
		return;
	}
	err = po_object_get_value(f->prog, &first, &first.value);
	if (!err)
		err = eval_address(f, "stack_list->next->next->next", &addr);
	if (!err)
		err = patch(f, addr, &first.value, sizeof(first.value));
	out = fopen("/dev/null", "w");
	if (!err && out)
		err = po_report_stacks(f->prog, &opt, out, NULL);
	if (out)
		fclose(out);
	CHECK(h, err && strstr(err->message, "stack_list loops back"),
	      "%s: cyclic stack_list: %s", f->core,
	      err ? err->message : "no error");
	po_error_destroy(err);
	po_dump_unpatch(f->prog->dump);
}

/*
 * The third process's tasks.next pointed back at the second's: the list
 * never comes back to init_task, and reading it must say so, not spin.
 */
static void test_task_list(struct harness *h, struct fixture *f)
{
	struct po_error *err = reopen(f);
	struct po_object second;
	struct po_tasks *t;
	uint64_t addr;

	if (!err)
		err = po_eval(f->prog, "init_task.tasks.next->next", NULL, 0,
			      &second);
	if (!err)
		err = po_object_get_value(f->prog, &second, &second.value);
	if (!err)
		err = eval_address(f, "init_task.tasks.next->next->next->next",
				   &addr);
	if (!err)
		err = patch(f, addr, &second.value, sizeof(second.value));
	if (!err)
		err = po_program_tasks(f->prog, &t);
	CHECK(h,
	      err && strstr(err->message, "task list at 0x") &&
		      strstr(err->message, "loops back"),
	      "%s: looping task list: %s", f->core,
	      err ? err->message : "no error");
	po_error_destroy(err);
	po_dump_unpatch(f->prog->dump);
}

/* Pages per zone, from report --all --group node,zone. */
static struct po_error *zone_pages(struct fixture *f, uint64_t *pages,
				   size_t *nr)
{
	struct po_report_options opt = { .group = PO_GROUP_NODE | PO_GROUP_ZONE,
					 .order = -1,
					 .all_pages = true };
	const struct po_report_group *g;
	struct po_report_result *res;
	struct po_error *err = po_report_groups(f->prog, &opt, &res);
	size_t n, i;

	if (err)
		return err;
	g = po_report_result_groups(res, &n);
	for (i = 0; i < n && i < *nr; i++)
		pages[i] = g[i].pages;
	*nr = n;
	po_report_result_destroy(res);
	return NULL;
}

/* "contig_page_data.node_zones[@i].@member" (node_data[0] with NUMA). */
static struct po_error *zone_member(struct fixture *f, int i,
				    const char *member, uint64_t *addr)
{
	static const char *const nodes[] = { "contig_page_data",
					     "(*node_data[0])" };
	struct po_error *err = NULL;
	char expr[128];
	size_t k;

	for (k = 0; k < 2; k++) {
		po_error_destroy(err);
		snprintf(expr, sizeof(expr), "%s.node_zones[%d].%s", nodes[k],
			 i, member);
		err = eval_address(f, expr, addr);
		if (!err)
			break;
	}
	return err;
}

static struct po_error *read_zone_u64(struct fixture *f, int i,
				      const char *member, uint64_t *ret)
{
	uint64_t addr;
	struct po_error *err = zone_member(f, i, member, &addr);

	return err ? err : po_mm_read_u64(f->prog->mm, addr, ret);
}

/* Node 0's first zone spanning pfns and its first spanning none. */
static struct po_error *pick_zones(struct fixture *f, int *full, int *empty)
{
	struct po_error *err = NULL;
	uint64_t span;
	int i;

	*full = *empty = -1;
	for (i = 0; i < 8 && !err; i++) {
		err = read_zone_u64(f, i, "spanned_pages", &span);
		if (!err && span && *full < 0)
			*full = i;
		else if (!err && !span && *empty < 0)
			*empty = i;
	}
	/* Past the last zone: __MAX_NR_ZONES is at most 5 or 6. */
	if (err && po_error_catch(&err, PO_ERR_INVALID))
		err = NULL;
	po_error_destroy(err);
	return *full < 0 || *empty < 0 ?
		       po_error_create(PO_ERR_LOOKUP, "no empty zone") :
		       NULL;
}

static struct po_error *copy_span(struct fixture *f, int from, int to)
{
	static const char *const members[] = { "zone_start_pfn",
					       "spanned_pages" };
	struct po_error *err = NULL;
	uint64_t v, addr;
	size_t k;

	for (k = 0; k < 2 && !err; k++) {
		err = read_zone_u64(f, from, members[k], &v);
		if (!err)
			err = zone_member(f, to, members[k], &addr);
		if (!err)
			err = patch(f, addr, &v, sizeof(v));
	}
	return err;
}

static void test_zones(struct harness *h, struct fixture *f)
{
	uint64_t before[16], after[16], bogus = 1, addr;
	size_t nb = 16, na = 16;
	const struct po_zones *z;
	int full, empty;
	struct po_error *err = reopen(f);

	if (!err)
		err = zone_pages(f, before, &nb);
	if (!err)
		err = pick_zones(f, &full, &empty);
	if (!err)
		err = reopen(f);
	if (!err)
		err = copy_span(f, full, empty);
	if (!err)
		err = po_program_zones(f->prog, &z);
	if (err) {
		CHECK(h, po_error_catch(&err, PO_ERR_LOOKUP), "%s: zones: %s",
		      f->core, err->message);
		if (err)
			po_error_destroy(err);
		else
			printf("corrupt_real: no empty zone to patch\n");
		return;
	}
	if (po_zones_by_flags(z)) {
		err = zone_pages(f, after, &na);
		CHECK(h,
		      !err && na == nb &&
			      !memcmp(before, after, nb * sizeof(*before)),
		      "%s: zones by page->flags: a zone patched to span zone "
		      "%d's pfns changed the pages: %s",
		      f->core, full, err ? err->message : "other counts");
	} else {
		err = zone_pages(f, after, &na);
		CHECK(h,
		      err && strstr(err->message, "overlap") &&
			      strstr(err->message, "spans"),
		      "%s: zones by spans: overlapping zones %d and %d: %s",
		      f->core, full, empty, err ? err->message : "no error");
	}
	po_error_destroy(err);
	po_dump_unpatch(f->prog->dump);
	err = reopen(f);
	if (!err)
		err = zone_member(f, full, "name", &addr);
	if (!err)
		err = patch(f, addr, &bogus, sizeof(bogus));
	if (!err)
		err = po_program_zones(f->prog, &z);
	CHECK(h, err && strstr(err->message, "(struct zone at 0x"),
	      "%s: a zone's name at 0x1: %s", f->core,
	      err ? err->message : "no error");
	po_error_destroy(err);
	po_dump_unpatch(f->prog->dump);
}

/* The vm_struct of the first vmalloc area with pages; 0: none. */
static struct po_error *first_vm_struct(struct fixture *f, uint64_t *ret)
{
	const struct po_pfn_uses *u;
	struct po_error *err = po_program_pfn_uses(f->prog, &u);
	size_t i;

	*ret = 0;
	for (i = 0; !err && i < u->n && !*ret; i++)
		if (u->v[i].use == PO_USE_VMALLOC)
			*ret = u->v[i].object;
	return err;
}

/* `report --group use`'s text, in a buffer to free(). */
static struct po_error *use_report(struct fixture *f, char **text)
{
	struct po_report_options opt = { .group = PO_GROUP_USE, .order = -1 };
	struct po_error *err;
	size_t len;
	FILE *out = open_memstream(text, &len);

	if (!out)
		return po_error_create(PO_ERR_OS, "open_memstream");
	err = po_report(f->prog, &opt, out);
	fclose(out);
	return err;
}

/*
 * Patch the @size bytes at @expr of vm_struct @vm (or what its pages
 * points to) to @v, and want @want in the report.
 */
static void expect_vmalloc_skip(struct harness *h, struct fixture *f,
				uint64_t vm, const char *expr, uint64_t v,
				size_t size, const char *want)
{
	char e[160], *text = NULL;
	struct po_error *err = reopen(f);
	uint64_t addr;

	snprintf(e, sizeof(e), expr, vm);
	if (!err)
		err = eval_address(f, e, &addr);
	if (!err)
		err = patch(f, addr, &v, size);
	if (!err)
		err = use_report(f, &text);
	CHECK(h, !err && strstr(text, want), "%s: %s = 0x%" PRIx64 ": %s",
	      f->core, e, v, err ? err->message : "no such uses: line");
	po_error_destroy(err);
	free(text);
	po_dump_unpatch(f->prog->dump);
}

static void test_vmalloc(struct harness *h, struct fixture *f)
{
	struct po_error *err = reopen(f);
	char *text = NULL;
	uint64_t vm = 0;

	if (!err)
		err = first_vm_struct(f, &vm);
	if (!err && vm)
		err = use_report(f, &text);
	CHECK(h, !err, "%s: vmalloc areas: %s", f->core,
	      err ? err->message : "ok");
	po_error_destroy(err);
	if (err || !vm) {
		free(text);
		return;
	}
	CHECK(h, !strstr(text, "vmalloc pages[] entries"),
	      "%s: the unpatched report has a vmalloc skip", f->core);
	free(text);
	expect_vmalloc_skip(h, f, vm,
			    "((struct vm_struct *)0x%" PRIx64 ")->nr_pages",
			    0x7fffffff, 4,
			    "0 vmalloc pages[] entries that are no struct "
			    "page, 1 vmalloc areas the dump cannot give");
	expect_vmalloc_skip(h, f, vm,
			    "((struct vm_struct *)0x%" PRIx64 ")->pages[0]", 8,
			    8,
			    "1 vmalloc pages[] entries that are no struct "
			    "page, 0 vmalloc areas the dump cannot give");
}

/* The name of the kernel symbol at @addr, from a fresh program. */
static struct po_error *name_at(struct fixture *f, uint64_t addr, char *buf,
				size_t size)
{
	struct po_symbol sym;
	struct po_error *err = po_symbolizer_resolve(f->prog->sym, addr, &sym);

	if (!err)
		snprintf(buf, size, "%s", sym.name);
	return err;
}

/*
 * kallsyms' tables are read from vmlinux where the dump's first bytes
 * agree, else from the dump.  With every character of the dump's token
 * table patched to 'Q', the names must come out as Q's: the dump's table
 * was read, not vmlinux's.  Unpatched, a symbol resolves to its own name.
 * Runs last: it reopens the program.
 */
static void test_kallsyms(struct harness *h, struct fixture *f)
{
	char name[256] = "", patched[256] = "";
	uint8_t table[4096];
	uint16_t tindex[256];
	uint64_t addr, tt, ti;
	size_t len = 0, i;
	struct po_error *err = reopen(f);

	if (!err)
		err = po_mm_symbol_address(f->prog->mm, "schedule", &addr);
	if (!err)
		err = po_mm_symbol_address(f->prog->mm, "kallsyms_token_table",
					   &tt);
	if (!err)
		err = po_mm_symbol_address(f->prog->mm, "kallsyms_token_index",
					   &ti);
	if (!err)
		err = po_mm_read(f->prog->mm, ti, tindex, sizeof(tindex));
	for (i = 0; !err && i < 256; i++)
		if (tindex[i] + 64u > len)
			len = tindex[i] + 64u;
	if (!err && len > sizeof(table))
		err = po_error_create(PO_ERR_BAD_DATA, "token table of %zu",
				      len);
	if (!err)
		err = po_mm_read(f->prog->mm, tt, table, len);
	if (!err)
		err = name_at(f, addr, name, sizeof(name));
	CHECK(h, !err && !strcmp(name, "schedule"),
	      "%s: schedule resolves to \"%s\": %s", f->core, name,
	      err ? err->message : "ok");
	if (!err)
		err = reopen(f);
	for (i = 0; !err && i < len; i++)
		if (table[i])
			table[i] = 'Q';
	if (!err)
		err = patch(f, tt, table, len);
	if (!err)
		err = name_at(f, addr, patched, sizeof(patched));
	CHECK(h, !err && patched[0] && !patched[strspn(patched, "Q")],
	      "%s: with the dump's token table patched, schedule resolves to "
	      "\"%s\" (want Q's): %s",
	      f->core, patched, err ? err->message : "ok");
	po_error_destroy(err);
	po_dump_unpatch(f->prog->dump);
}

int main(int argc, char **argv)
{
	struct fixture f = { 0 };
	struct harness h = { 0 };
	struct po_error *err;

	if (argc != 3) {
		fprintf(stderr, "usage: corrupt_real VMCORE VMLINUX\n");
		return 2;
	}
	f.core = argv[1];
	f.vmlinux = argv[2];
	err = reopen(&f);
	if (!err)
		err = baseline(&f);
	if (!err)
		printf("corrupt_real: pfn 0x%" PRIx64 ", handle 0x%08" PRIx32
		       " (%" PRIu64 " records on its stack, %" PRIu64
		       " in pool %" PRIu64 ")\n",
		       f.rec.pfn, f.rec.handle, f.same_stack, f.same_pool,
		       f.pool);
	CHECK(&h, !err, "%s: %s", f.core, err ? err->message : "ok");
	po_error_destroy(err);
	if (!err) {
		test_owner(&h, &f);
		test_depot(&h, &f);
		test_stack_list(&h, &f);
		test_task_list(&h, &f);
		test_zones(&h, &f);
		test_vmalloc(&h, &f);
		test_kallsyms(&h, &f);
	}
	po_program_destroy(f.prog);
	return harness_finish(&h, "corrupt_real");
}
