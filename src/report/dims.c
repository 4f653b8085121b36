// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: the report's keys (see dims.h), each key's pieces together and
 * then the table of them.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "kernel/memcg.h"
#include "kernel/pageid.h"
#include "report/dims.h"
#include "report/textout.h"
#include "xlat/zones.h"

static int cmp_u64(uint64_t x, uint64_t y)
{
	return (x > y) - (x < y);
}

static int cmp_i32(int32_t x, int32_t y)
{
	return (x > y) - (x < y);
}

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

/* ---- stack: the allocation (or free) stack, by its depot handle ---- */

static struct po_error *stack_make(struct po_agg *a,
				   const struct po_agg_kind *k,
				   const struct po_agg_stack *st,
				   struct po_agg_key *key)
{
	key->handle = k->handle;
	return NULL;
}

static int stack_sort(const struct po_agg_group *x,
		      const struct po_agg_group *y)
{
	return strcmp(str_or_empty(x->stack->text),
		      str_or_empty(y->stack->text));
}

static int stack_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return cmp_u64(x->handle, y->handle);
}

static void stack_text(FILE *out, const struct po_agg *a,
		       const struct po_agg_key *k)
{
	/* Handle 0: pages of PO_WALK_PAGES page_owner has no record of. */
	if (!k->handle)
		fputs(", no page_owner record", out);
	else
		fprintf(out, ", handle 0x%08" PRIx32, k->handle);
}

static void stack_json(FILE *out, const struct po_agg *a,
		       const struct po_agg_key *k)
{
	fprintf(out, ",\"handle\":\"0x%08" PRIx32 "\",\"special\":", k->handle);
	po_json_write_cstr(out, po_special_handle_name(po_owner_classify(
					a->owner, k->handle)));
}

static void stack_csv(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	if (k)
		fprintf(out, ",0x%08" PRIx32, k->handle);
	else
		fputc(',', out);
}

/* ---- pid ---- */

static struct po_error *pid_make(struct po_agg *a, const struct po_agg_kind *k,
				 const struct po_agg_stack *st,
				 struct po_agg_key *key)
{
	key->pid = k->pid;
	return NULL;
}

/* Not grouped by pid, a group sorts by its largest task's. */
static int pid_sort(const struct po_agg_group *x, const struct po_agg_group *y)
{
	return cmp_i32(x->tasks[0].pid, y->tasks[0].pid);
}

static int pid_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return cmp_i32(x->pid, y->pid);
}

static int64_t pid_value(const struct po_agg_kind *k)
{
	return k->pid;
}

static void pid_text(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	fprintf(out, ", pid %" PRId32, k->pid);
}

static void pid_json(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	fprintf(out, ",\"pid\":%" PRId32, k->pid);
}

static void pid_csv(FILE *out, const struct po_agg *a,
		    const struct po_agg_key *k)
{
	if (k)
		fprintf(out, ",%" PRId32, k->pid);
	else
		fputc(',', out);
}

static void pid_folded(FILE *out, const struct po_agg *a,
		       const struct po_agg_key *k)
{
	fprintf(out, "pid %" PRId32 ";", k->pid);
}

/* ---- tgid ---- */

static struct po_error *tgid_make(struct po_agg *a, const struct po_agg_kind *k,
				  const struct po_agg_stack *st,
				  struct po_agg_key *key)
{
	key->tgid = k->tgid;
	return NULL;
}

/* Not grouped by tgid, every group's is 0: --sort tgid keeps pages order. */
static int tgid_sort(const struct po_agg_group *x, const struct po_agg_group *y)
{
	return cmp_i32(x->key.tgid, y->key.tgid);
}

static int tgid_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return cmp_i32(x->tgid, y->tgid);
}

static int64_t tgid_value(const struct po_agg_kind *k)
{
	return k->tgid;
}

static void tgid_text(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	fprintf(out, ", tgid %" PRId32, k->tgid);
}

static void tgid_json(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	fprintf(out, ",\"tgid\":%" PRId32, k->tgid);
}

static void tgid_csv(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	if (k)
		fprintf(out, ",%" PRId32, k->tgid);
	else
		fputc(',', out);
}

/* ---- comm ---- */

static struct po_error *comm_make(struct po_agg *a, const struct po_agg_kind *k,
				  const struct po_agg_stack *st,
				  struct po_agg_key *key)
{
	memcpy(key->comm, k->comm, sizeof(key->comm));
	return NULL;
}

static int comm_sort(const struct po_agg_group *x, const struct po_agg_group *y)
{
	return strcmp(x->tasks[0].comm, y->tasks[0].comm);
}

static int comm_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return strcmp(x->comm, y->comm);
}

static const char *comm_value(const struct po_agg_kind *k,
			      const struct po_agg_stack *st)
{
	return k->comm;
}

static void comm_text(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	fprintf(out, ", comm %s", k->comm);
}

static void comm_json(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	fputs(",\"comm\":", out);
	po_json_write_cstr(out, k->comm);
}

static void comm_csv(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	po_csv_write_cstr(out, k ? k->comm : NULL);
}

static void comm_folded(FILE *out, const struct po_agg *a,
			const struct po_agg_key *k)
{
	fprintf(out, "%s;", k->comm);
}

/* ---- module: the first frame in a module, else vmlinux ---- */

static struct po_error *module_make(struct po_agg *a,
				    const struct po_agg_kind *k,
				    const struct po_agg_stack *st,
				    struct po_agg_key *key)
{
	key->module = st->module;
	return NULL;
}

static int module_sort(const struct po_agg_group *x,
		       const struct po_agg_group *y)
{
	return strcmp(x->stack->module, y->stack->module);
}

/*
 * Interned strings compare equal by pointer, but their addresses are the
 * allocator's choice, so they must not decide an order: their text does.
 */
static int module_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return strcmp(str_or_empty(x->module), str_or_empty(y->module));
}

static const char *module_value(const struct po_agg_kind *k,
				const struct po_agg_stack *st)
{
	return st->module;
}

static void module_text(FILE *out, const struct po_agg *a,
			const struct po_agg_key *k)
{
	fprintf(out, ", module %s", k->module);
}

static void module_json(FILE *out, const struct po_agg *a,
			const struct po_agg_key *k)
{
	fputs(",\"module\":", out);
	po_json_write_cstr(out, k->module);
}

static void module_csv(FILE *out, const struct po_agg *a,
		       const struct po_agg_key *k)
{
	po_csv_write_cstr(out, k ? k->module : NULL);
}

/* ---- allocator: page_owner_sort's classes ---- */

/* "CMA", "SLAB", "VMALLOC", "OTHERS", joined by '|' like page_owner_sort. */
const char *po_report_allocator_name(uint32_t allocator, char *buf, size_t size)
{
	static const char *const names[] = { "CMA", "SLAB", "VMALLOC",
					     "OTHERS" };
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < 4; i++)
		if (allocator & (1u << i))
			used += snprintf(buf + used,
					 used < size ? size - used : 0, "%s%s",
					 used ? "|" : "", names[i]);
	return buf;
}

/* The walk's threads classify by the PFN line: they need its format. */
static struct po_error *allocator_setup(struct po_agg *a, const char *what)
{
	return po_agg_load_formats(a);
}

/*
 * get_allocator() of tools/mm/page_owner_sort.c reads "CMA" and "slab" off
 * the record's PFN line, so print that line the kernel's way and look.
 * The formats are read-only: any walk thread may call this.
 */
static void allocator_record(const struct po_agg *a,
			     const struct po_page_owner *r,
			     struct po_agg_kind *k)
{
	char line[512];
	FILE *f = fmemopen(line, sizeof(line), "w");

	if (!f)
		return;
	po_owner_format_print(a->pfn_line, a->kf, a->pb_order, r, f);
	fputc('\0', f);
	fclose(f);
	line[sizeof(line) - 1] = '\0';
	if (strstr(line, "CMA"))
		k->pfn_class |= PO_ALLOCATOR_CMA;
	if (strstr(line, "slab"))
		k->pfn_class |= PO_ALLOCATOR_SLAB;
}

static struct po_error *allocator_make(struct po_agg *a,
				       const struct po_agg_kind *k,
				       const struct po_agg_stack *st,
				       struct po_agg_key *key)
{
	uint32_t allocator = k->pfn_class;

	/*
	 * From v6.10 PG_slab is a page type (commit 46df8e73a4a3, "mm: free
	 * up PG_slab"), so %pGp no longer says "slab" and page_owner_sort
	 * calls slab pages OTHERS.  The stack still shows the slab allocator.
	 */
	if (st->slab)
		allocator |= PO_ALLOCATOR_SLAB;
	if (st->vmalloc)
		allocator |= PO_ALLOCATOR_VMALLOC;
	key->allocator = allocator ? allocator : PO_ALLOCATOR_OTHERS;
	return NULL;
}

static int allocator_sort(const struct po_agg_group *x,
			  const struct po_agg_group *y)
{
	return cmp_u64(x->key.allocator, y->key.allocator);
}

static int allocator_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return cmp_u64(x->allocator, y->allocator);
}

static void allocator_text(FILE *out, const struct po_agg *a,
			   const struct po_agg_key *k)
{
	char buf[64];

	fprintf(out, ", allocated by %s",
		po_report_allocator_name(k->allocator, buf, sizeof(buf)));
}

static void allocator_json(FILE *out, const struct po_agg *a,
			   const struct po_agg_key *k)
{
	char buf[64];

	fputs(",\"allocator\":", out);
	po_json_write_cstr(out, po_report_allocator_name(k->allocator, buf,
							 sizeof(buf)));
}

static void allocator_csv(FILE *out, const struct po_agg *a,
			  const struct po_agg_key *k)
{
	char buf[64];

	po_csv_write_cstr(out, k ? po_report_allocator_name(k->allocator, buf,
							    sizeof(buf)) :
				   NULL);
}

static void allocator_folded(FILE *out, const struct po_agg *a,
			     const struct po_agg_key *k)
{
	char buf[64];

	fprintf(out, "%s;",
		po_report_allocator_name(k->allocator, buf, sizeof(buf)));
}

/* ---- leaf: the first frame outside the allocators ---- */

static struct po_error *leaf_make(struct po_agg *a, const struct po_agg_kind *k,
				  const struct po_agg_stack *st,
				  struct po_agg_key *key)
{
	key->leaf = st->leaf;
	return NULL;
}

static int leaf_sort(const struct po_agg_group *x, const struct po_agg_group *y)
{
	return strcmp(x->stack->leaf, y->stack->leaf);
}

static int leaf_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return strcmp(str_or_empty(x->leaf), str_or_empty(y->leaf));
}

static void leaf_text(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	fprintf(out, ", leaf %s", k->leaf);
}

static void leaf_json(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	fputs(",\"leaf\":", out);
	po_json_write_cstr(out, k->leaf);
}

static void leaf_csv(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	po_csv_write_cstr(out, k ? k->leaf : NULL);
}

/* ---- memcg: the memcg of page_owner's "Charged ... to memcg NAME" ---- */

/*
 * print_page_owner_memcg() is from "mm/page_owner: print memcg
 * information" (in v5.18); before it page_owner names no memcg, and a key
 * it cannot answer is refused, as one needing a member struct page_owner
 * lacks is.
 */
static struct po_error *memcg_setup(struct po_agg *a, const char *what)
{
	struct po_error *err = po_program_memcg(a->prog, &a->memcg);

	if (!err && !a->memcg)
		err = po_error_create(PO_ERR_UNSUPPORTED,
				      "%s: this kernel's page_owner prints "
				      "no memcg (it does from v5.18)",
				      what);
	return err;
}

/*
 * Following memcg_data reads the dump, which only the caller's thread may
 * do: the walk's threads keep it, and make follows it once per kind.
 */
static void memcg_record(const struct po_agg *a, const struct po_page_owner *r,
			 struct po_agg_kind *k)
{
	k->memcg_data = r->memcg_data;
}

/*
 * The key is the memcg's path, as cgroup_path() gives it ("/" for the
 * root, "/a/b"): page_owner prints only its last part, cgroup_name(),
 * which two cgroups under different parents can share.  Whether the
 * charge is via an objcg and whether the memcg is offline is not part of
 * it.  A
 * page charged to none (no line, or only "Slab cache page") has no memcg;
 * one whose memcg_data cannot be followed in the dump, where the dump
 * command leaves the line out, has "(unreadable)".
 */
static struct po_error *memcg_make(struct po_agg *a,
				   const struct po_agg_kind *k,
				   const struct po_agg_stack *st,
				   struct po_agg_key *key)
{
	static const char unreadable[] = "(unreadable)";
	struct po_memcg_info mi;
	struct po_error *err;

	err = po_memcg_describe(a->memcg, k->memcg_data, &mi);
	if (po_error_catch(&err, PO_ERR_FAULT) ||
	    po_error_catch(&err, PO_ERR_EXCLUDED) ||
	    po_error_catch(&err, PO_ERR_BAD_DATA))
		return po_agg_intern(a, unreadable, sizeof(unreadable) - 1,
				     &key->memcg);
	if (err || !mi.charged)
		return err;
	return po_agg_intern(a, mi.path, strlen(mi.path), &key->memcg);
}

/* Not grouped by memcg, no group has one: --sort memcg keeps pages order. */
static int memcg_sort(const struct po_agg_group *x,
		      const struct po_agg_group *y)
{
	return strcmp(str_or_empty(x->key.memcg), str_or_empty(y->key.memcg));
}

static int memcg_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return strcmp(str_or_empty(x->memcg), str_or_empty(y->memcg));
}

static void memcg_text(FILE *out, const struct po_agg *a,
		       const struct po_agg_key *k)
{
	if (k->memcg)
		fprintf(out, ", memcg %s", k->memcg);
	else
		fputs(", no memcg", out);
}

/* null for no memcg. */
static void memcg_json(FILE *out, const struct po_agg *a,
		       const struct po_agg_key *k)
{
	fputs(",\"memcg\":", out);
	po_json_write_cstr(out, k->memcg);
}

/* Empty for no memcg, as CSV has no null. */
static void memcg_csv(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	po_csv_write_cstr(out, k ? k->memcg : NULL);
}

static void memcg_folded(FILE *out, const struct po_agg *a,
			 const struct po_agg_key *k)
{
	if (k->memcg)
		fprintf(out, "memcg %s;", k->memcg);
	else
		fputs("no memcg;", out);
}

/* ---- use, cache, file: what the page is now (xlat/pageuse.c) ---- */

/* The struct page the walk read says it; nothing to refuse. */
static void use_record(const struct po_agg *a, const struct po_page_owner *r,
		       struct po_agg_kind *k)
{
	k->use = r->use;
}

static struct po_error *use_make(struct po_agg *a, const struct po_agg_kind *k,
				 const struct po_agg_stack *st,
				 struct po_agg_key *key)
{
	key->use = po_page_use_name(k->use);
	return NULL;
}

static int use_sort(const struct po_agg_group *x, const struct po_agg_group *y)
{
	return strcmp(str_or_empty(x->key.use), str_or_empty(y->key.use));
}

static int use_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return strcmp(str_or_empty(x->use), str_or_empty(y->use));
}

static const char *use_value(const struct po_agg_kind *k,
			     const struct po_agg_stack *st)
{
	return po_page_use_name(k->use);
}

static void use_text(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	fprintf(out, ", use %s", k->use);
}

static void use_json(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	fputs(",\"use\":", out);
	po_json_write_cstr(out, k->use);
}

static void use_csv(FILE *out, const struct po_agg *a,
		    const struct po_agg_key *k)
{
	po_csv_write_cstr(out, k ? k->use : NULL);
}

static void use_folded(FILE *out, const struct po_agg *a,
		       const struct po_agg_key *k)
{
	fprintf(out, "%s;", k->use);
}

static struct po_error *pageid_setup(struct po_agg *a, const char *what)
{
	return po_program_pageid(a->prog, &a->pageid);
}

/* A slab page keeps its kmem_cache, a page-cache page its mapping. */
static void object_record(const struct po_agg *a, const struct po_page_owner *r,
			  struct po_agg_kind *k)
{
	k->use = r->use;
	k->use_object = r->use_object;
}

/* An object the dump cannot follow is "(unreadable)", as memcg's is. */
static struct po_error *intern_or_unreadable(struct po_agg *a,
					     struct po_error *err,
					     const char *s, const char **ret)
{
	static const char unreadable[] = "(unreadable)";

	if (po_error_catch(&err, PO_ERR_FAULT) ||
	    po_error_catch(&err, PO_ERR_EXCLUDED) ||
	    po_error_catch(&err, PO_ERR_BAD_DATA))
		s = unreadable;
	return err ? err : po_agg_intern(a, s, strlen(s), ret);
}

/* The cache's name: kmalloc-1k, dentry, ... */
static struct po_error *cache_make(struct po_agg *a,
				   const struct po_agg_kind *k,
				   const struct po_agg_stack *st,
				   struct po_agg_key *key)
{
	struct po_error *err;
	uint32_t objsize;
	char name[64];

	if (k->use != PO_USE_SLAB || !k->use_object)
		return NULL;
	err = po_pageid_cache(a->pageid, k->use_object, name, sizeof(name),
			      &objsize);
	return intern_or_unreadable(a, err, name, &key->cache);
}

static int cache_sort(const struct po_agg_group *x,
		      const struct po_agg_group *y)
{
	return strcmp(str_or_empty(x->key.cache), str_or_empty(y->key.cache));
}

static int cache_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return strcmp(str_or_empty(x->cache), str_or_empty(y->cache));
}

static void cache_text(FILE *out, const struct po_agg *a,
		       const struct po_agg_key *k)
{
	if (k->cache)
		fprintf(out, ", cache %s", k->cache);
	else
		fputs(", no cache", out);
}

static void cache_json(FILE *out, const struct po_agg *a,
		       const struct po_agg_key *k)
{
	fputs(",\"cache\":", out);
	po_json_write_cstr(out, k->cache);
}

static void cache_csv(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	po_csv_write_cstr(out, k ? k->cache : NULL);
}

static void cache_folded(FILE *out, const struct po_agg *a,
			 const struct po_agg_key *k)
{
	if (k->cache)
		fprintf(out, "cache %s;", k->cache);
}

/* The address_space of a page-cache page, or of a hugetlbfs file's. */
static uint64_t file_mapping(const struct po_agg_kind *k)
{
	if (k->use == PO_USE_FILE || k->use == PO_USE_SHMEM)
		return k->use_object;
	if (k->use == PO_USE_HUGETLB && !(k->use_object & 3))
		return k->use_object;
	return 0;
}

/* The anon_vma of an anonymous page, or of a private hugetlb mapping's. */
static uint64_t anon_vma_of(const struct po_agg_kind *k)
{
	if (k->use == PO_USE_ANON || k->use == PO_USE_KSM)
		return k->use_object;
	if (k->use == PO_USE_HUGETLB && (k->use_object & 3) == 1)
		return k->use_object & ~(uint64_t)3;
	return 0;
}

/*
 * The file's path as d_path() gives it; a file with no dentry is named by
 * its filesystem, device and inode number.
 */
static struct po_error *file_make(struct po_agg *a, const struct po_agg_kind *k,
				  const struct po_agg_stack *st,
				  struct po_agg_key *key)
{
	struct po_file_info fi;
	struct po_error *err;
	char name[sizeof(fi.path) + 96];

	if (!file_mapping(k))
		return NULL;
	err = po_pageid_file(a->pageid, file_mapping(k), &fi);
	if (!err && fi.path[0])
		snprintf(name, sizeof(name), "%s", fi.path);
	else if (!err && fi.host)
		snprintf(name, sizeof(name), "%s:%s ino %" PRIu64, fi.fs,
			 fi.dev, fi.ino);
	else if (!err)
		snprintf(name, sizeof(name), "(mapping of no inode)");
	return intern_or_unreadable(a, err, name, &key->file);
}

static int file_sort(const struct po_agg_group *x, const struct po_agg_group *y)
{
	return strcmp(str_or_empty(x->key.file), str_or_empty(y->key.file));
}

static int file_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return strcmp(str_or_empty(x->file), str_or_empty(y->file));
}

static void file_text(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	if (k->file)
		fprintf(out, ", file %s", k->file);
	else
		fputs(", no file", out);
}

static void file_json(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	fputs(",\"file\":", out);
	po_json_write_cstr(out, k->file);
}

static void file_csv(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	po_csv_write_cstr(out, k ? k->file : NULL);
}

static void file_folded(FILE *out, const struct po_agg *a,
			const struct po_agg_key *k)
{
	if (k->file)
		fprintf(out, "file %s;", k->file);
}

/* The filesystem of a page-cache page: its type and device, "ext4 vda1". */
static struct po_error *fs_make(struct po_agg *a, const struct po_agg_kind *k,
				const struct po_agg_stack *st,
				struct po_agg_key *key)
{
	struct po_file_info fi;
	struct po_error *err;
	char name[sizeof(fi.fs) + sizeof(fi.dev) + 16];

	if (!file_mapping(k))
		return NULL;
	err = po_pageid_file(a->pageid, file_mapping(k), &fi);
	if (!err && fi.host)
		snprintf(name, sizeof(name), "%s %s", fi.fs, fi.dev);
	else if (!err)
		snprintf(name, sizeof(name), "(mapping of no inode)");
	return intern_or_unreadable(a, err, name, &key->fs);
}

static int fs_sort(const struct po_agg_group *x, const struct po_agg_group *y)
{
	return strcmp(str_or_empty(x->key.fs), str_or_empty(y->key.fs));
}

static int fs_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return strcmp(str_or_empty(x->fs), str_or_empty(y->fs));
}

static void fs_text(FILE *out, const struct po_agg *a,
		    const struct po_agg_key *k)
{
	if (k->fs)
		fprintf(out, ", fs %s", k->fs);
	else
		fputs(", no fs", out);
}

static void fs_json(FILE *out, const struct po_agg *a,
		    const struct po_agg_key *k)
{
	fputs(",\"fs\":", out);
	po_json_write_cstr(out, k->fs);
}

static void fs_csv(FILE *out, const struct po_agg *a,
		   const struct po_agg_key *k)
{
	po_csv_write_cstr(out, k ? k->fs : NULL);
}

static void fs_folded(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	if (k->fs)
		fprintf(out, "fs %s;", k->fs);
}

/*
 * The task of a page: a kernel stack's own, an anonymous page's through
 * its anon_vma's mm (the thread-group leader using that mm).  An mm no
 * task in the list uses (exiting) is named by its address.
 */
static struct po_error *task_setup(struct po_agg *a, const char *what)
{
	struct po_error *err = po_program_pageid(a->prog, &a->pageid);

	return err ? err : po_program_tasks(a->prog, &a->tasks);
}

static struct po_error *task_make(struct po_agg *a, const struct po_agg_kind *k,
				  const struct po_agg_stack *st,
				  struct po_agg_key *key)
{
	const struct po_task *t = NULL;
	struct po_error *err = NULL;
	uint64_t mm = 0;
	char name[64];

	if (k->use == PO_USE_KSTACK)
		t = po_tasks_at(a->tasks, k->use_object);
	else if (anon_vma_of(k))
		err = po_pageid_anon_mm(a->pageid, anon_vma_of(k), &mm);
	else
		return NULL;
	if (!err && mm)
		t = po_tasks_of_mm(a->tasks, mm);
	if (!err && t)
		snprintf(name, sizeof(name), "%s (pid %" PRId32 ")", t->comm,
			 t->pid);
	else if (!err && mm)
		snprintf(name, sizeof(name), "mm 0x%" PRIx64 " (no task)", mm);
	else if (!err)
		snprintf(name, sizeof(name), "(no task)");
	return intern_or_unreadable(a, err, name, &key->task);
}

static int task_sort(const struct po_agg_group *x, const struct po_agg_group *y)
{
	return strcmp(str_or_empty(x->key.task), str_or_empty(y->key.task));
}

static int task_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return strcmp(str_or_empty(x->task), str_or_empty(y->task));
}

static void task_text(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	if (k->task)
		fprintf(out, ", task %s", k->task);
	else
		fputs(", no task", out);
}

static void task_json(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	fputs(",\"task\":", out);
	po_json_write_cstr(out, k->task);
}

static void task_csv(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	po_csv_write_cstr(out, k ? k->task : NULL);
}

static void task_folded(FILE *out, const struct po_agg *a,
			const struct po_agg_key *k)
{
	if (k->task)
		fprintf(out, "task %s;", k->task);
}

/* ---- node, zone: where the page is (xlat/zones.c) ---- */

/*
 * Zones are told by struct page's flags where the kernel's pff[] says
 * where they are, else by their spans; where two spans overlap a pfn's
 * zone would be a guess, and the key is refused rather than answered
 * wrong.
 */
static struct po_error *zone_setup(struct po_agg *a, const char *what)
{
	struct po_error *err = po_program_zones(a->prog, &a->zones);
	const char *overlap;

	if (!err && (overlap = po_zones_overlap(a->zones)))
		err = po_error_create(
			PO_ERR_UNSUPPORTED,
			"%s: %s: pageowner tells zones apart "
			"by their spans (this kernel has no pff[])",
			what, overlap);
	return err;
}

/* The zone's place in the table, from 1; 0: in no zone's span. */
static void zone_record(const struct po_agg *a, const struct po_page_owner *r,
			struct po_agg_kind *k)
{
	size_t n;
	const struct po_zone *all = po_zones_all(a->zones, &n);
	const struct po_zone *z =
		po_zones_of_page(a->zones, r->pfn, r->page_flags);

	k->zone = z ? (uint32_t)(z - all) + 1 : 0;
}

static const struct po_zone *kind_zone(const struct po_agg *a,
				       const struct po_agg_kind *k)
{
	size_t n;
	const struct po_zone *all = po_zones_all(a->zones, &n);

	return k->zone && k->zone <= n ? &all[k->zone - 1] : NULL;
}

/* No zone: node -1, printed as none. */
static struct po_error *node_make(struct po_agg *a, const struct po_agg_kind *k,
				  const struct po_agg_stack *st,
				  struct po_agg_key *key)
{
	const struct po_zone *z = kind_zone(a, k);

	key->node = z ? z->node : -1;
	return NULL;
}

static int node_sort(const struct po_agg_group *x, const struct po_agg_group *y)
{
	return cmp_i32(x->key.node, y->key.node);
}

static int node_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return cmp_i32(x->node, y->node);
}

static void node_text(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	if (k->node >= 0)
		fprintf(out, ", node %" PRId32, k->node);
	else
		fputs(", no node", out);
}

static void node_json(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	if (k->node >= 0)
		fprintf(out, ",\"node\":%" PRId32, k->node);
	else
		fputs(",\"node\":null", out);
}

static void node_csv(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	if (k && k->node >= 0)
		fprintf(out, ",%" PRId32, k->node);
	else
		fputc(',', out);
}

static void node_folded(FILE *out, const struct po_agg *a,
			const struct po_agg_key *k)
{
	if (k->node >= 0)
		fprintf(out, "node %" PRId32 ";", k->node);
	else
		fputs("no node;", out);
}

/*
 * The zone's name, as /proc/zoneinfo prints it; grouped by zone alone,
 * the zones of one type add up over the nodes.  Groups sort by the zone's
 * type (DMA before DMA32 before Normal), not its name.
 */
static struct po_error *zone_make(struct po_agg *a, const struct po_agg_kind *k,
				  const struct po_agg_stack *st,
				  struct po_agg_key *key)
{
	const struct po_zone *z = kind_zone(a, k);

	if (!z)
		return NULL;
	key->zone_type = z->index + 1;
	return po_agg_intern(a, z->name, strlen(z->name), &key->zone);
}

static int zone_sort(const struct po_agg_group *x, const struct po_agg_group *y)
{
	return cmp_u64(x->key.zone_type, y->key.zone_type);
}

static int zone_cmp(const struct po_agg_key *x, const struct po_agg_key *y)
{
	return cmp_u64(x->zone_type, y->zone_type);
}

static void zone_text(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	if (k->zone)
		fprintf(out, ", zone %s", k->zone);
	else
		fputs(", no zone", out);
}

static void zone_json(FILE *out, const struct po_agg *a,
		      const struct po_agg_key *k)
{
	fputs(",\"zone\":", out);
	po_json_write_cstr(out, k->zone);
}

static void zone_csv(FILE *out, const struct po_agg *a,
		     const struct po_agg_key *k)
{
	po_csv_write_cstr(out, k ? k->zone : NULL);
}

static void zone_folded(FILE *out, const struct po_agg *a,
			const struct po_agg_key *k)
{
	if (k->zone)
		fprintf(out, "zone %s;", k->zone);
	else
		fputs("no zone;", out);
}

/* ---- keys that only sort ---- */

static int pages_sort(const struct po_agg_group *x,
		      const struct po_agg_group *y)
{
	return cmp_u64(x->pages, y->pages);
}

static int times_sort(const struct po_agg_group *x,
		      const struct po_agg_group *y)
{
	return cmp_u64(x->allocs, y->allocs);
}

/* The group's earliest allocation. */
static int alloc_ts_sort(const struct po_agg_group *x,
			 const struct po_agg_group *y)
{
	return cmp_u64(x->first_ts, y->first_ts);
}

/* ---- the table ---- */

#define FILTER(opt, list) \
	.filter = (opt),  \
	.filter_offset = offsetof(struct po_report_options, list)

/*
 * page_owner_sort's keys, long and short, and ours.  @tie and @fold keep
 * the orders the report had before the table: handle, pid, tgid,
 * allocator, module, leaf, comm to break ties; comm, pid, allocator as
 * root frames.  They go in tens, so that a new key can go between.
 */
static const struct po_report_dim dims[] = {
	{
		.name = "stack",
		.alias = "stacktrace",
		.short_name = "st",
		.group = PO_GROUP_STACK,
		.sort = PO_KEY_STACK,
		.make = stack_make,
		.sort_cmp = stack_sort,
		.key_cmp = stack_cmp,
		.tie = 10,
		.text = stack_text,
		.json = stack_json,
		.csv_name = "handle",
		.csv_always = true,
		.csv = stack_csv,
	},
	{
		.name = "pid",
		.short_name = "p",
		.group = PO_GROUP_PID,
		.sort = PO_KEY_PID,
		.need = PO_OWNER_HAS_PID,
		.make = pid_make,
		.sort_cmp = pid_sort,
		.key_cmp = pid_cmp,
		.tie = 20,
		FILTER("--pid", pids),
		.filter_int = pid_value,
		.text = pid_text,
		.json = pid_json,
		.csv_name = "pid",
		.csv_always = true,
		.csv = pid_csv,
		.folded = pid_folded,
		.fold = 200,
	},
	{
		.name = "tgid",
		.short_name = "tg",
		.group = PO_GROUP_TGID,
		.sort = PO_KEY_TGID,
		.need = PO_OWNER_HAS_TGID,
		.make = tgid_make,
		.sort_cmp = tgid_sort,
		.key_cmp = tgid_cmp,
		.tie = 30,
		FILTER("--tgid", tgids),
		.filter_int = tgid_value,
		.text = tgid_text,
		.json = tgid_json,
		.csv_name = "tgid",
		.csv_always = true,
		.csv = tgid_csv,
	},
	{
		.name = "comm",
		.alias = "name",
		.short_name = "n",
		.group = PO_GROUP_COMM,
		.sort = PO_KEY_COMM,
		.need = PO_OWNER_HAS_COMM,
		.make = comm_make,
		.sort_cmp = comm_sort,
		.key_cmp = comm_cmp,
		.tie = 70,
		FILTER("--name", names),
		.filter_word = comm_value,
		.text = comm_text,
		.json = comm_json,
		.csv_name = "comm",
		.csv_always = true,
		.csv = comm_csv,
		.folded = comm_folded,
		.fold = 100,
	},
	{
		.name = "module",
		.short_name = "mod",
		.group = PO_GROUP_MODULE,
		.sort = PO_KEY_MODULE,
		.make = module_make,
		.sort_cmp = module_sort,
		.key_cmp = module_cmp,
		.tie = 50,
		FILTER("--module", modules),
		.filter_word = module_value,
		.text = module_text,
		.json = module_json,
		.csv_name = "module",
		.csv_always = true,
		.csv = module_csv,
	},
	{
		.name = "allocator",
		.short_name = "ator",
		.group = PO_GROUP_ALLOCATOR,
		.sort = PO_KEY_ALLOCATOR,
		.setup = allocator_setup,
		.record = allocator_record,
		.make = allocator_make,
		.sort_cmp = allocator_sort,
		.key_cmp = allocator_cmp,
		.tie = 40,
		.text = allocator_text,
		.json = allocator_json,
		.csv_name = "allocator",
		.csv_always = true,
		.csv = allocator_csv,
		.folded = allocator_folded,
		.fold = 300,
	},
	{
		.name = "leaf",
		.short_name = "leaf",
		.group = PO_GROUP_LEAF,
		.sort = PO_KEY_LEAF,
		.make = leaf_make,
		.sort_cmp = leaf_sort,
		.key_cmp = leaf_cmp,
		.tie = 60,
		.text = leaf_text,
		.json = leaf_json,
		.csv_name = "leaf",
		.csv_always = true,
		.csv = leaf_csv,
	},
	{
		.name = "memcg",
		.short_name = "memcg",
		.group = PO_GROUP_MEMCG,
		.sort = PO_KEY_MEMCG,
		.setup = memcg_setup,
		.record = memcg_record,
		.make = memcg_make,
		.sort_cmp = memcg_sort,
		.key_cmp = memcg_cmp,
		.tie = 80,
		.text = memcg_text,
		.json = memcg_json,
		.csv_name = "memcg",
		.csv = memcg_csv,
		.folded = memcg_folded,
		.fold = 50,
	},
	{
		.name = "use",
		.short_name = "use",
		.group = PO_GROUP_USE,
		.sort = PO_KEY_USE,
		.record = use_record,
		.make = use_make,
		.sort_cmp = use_sort,
		.key_cmp = use_cmp,
		.tie = 82,
		FILTER("--use", uses),
		.filter_word = use_value,
		.text = use_text,
		.json = use_json,
		.csv_name = "use",
		.csv = use_csv,
		.folded = use_folded,
		.fold = 20,
	},
	{
		.name = "cache",
		.short_name = "cache",
		.group = PO_GROUP_CACHE,
		.sort = PO_KEY_CACHE,
		.setup = pageid_setup,
		.record = object_record,
		.make = cache_make,
		.sort_cmp = cache_sort,
		.key_cmp = cache_cmp,
		.tie = 84,
		.text = cache_text,
		.json = cache_json,
		.csv_name = "cache",
		.csv = cache_csv,
		.folded = cache_folded,
		.fold = 30,
	},
	{
		.name = "file",
		.short_name = "file",
		.group = PO_GROUP_FILE,
		.sort = PO_KEY_FILE,
		.setup = pageid_setup,
		.record = object_record,
		.make = file_make,
		.sort_cmp = file_sort,
		.key_cmp = file_cmp,
		.tie = 86,
		.text = file_text,
		.json = file_json,
		.csv_name = "file",
		.csv = file_csv,
		.folded = file_folded,
		.fold = 40,
	},
	{
		.name = "fs",
		.short_name = "fs",
		.group = PO_GROUP_FS,
		.sort = PO_KEY_FS,
		.setup = pageid_setup,
		.record = object_record,
		.make = fs_make,
		.sort_cmp = fs_sort,
		.key_cmp = fs_cmp,
		.tie = 87,
		.text = fs_text,
		.json = fs_json,
		.csv_name = "fs",
		.csv = fs_csv,
		.folded = fs_folded,
		.fold = 30,
	},
	{
		.name = "task",
		.alias = "mm",
		.short_name = "task",
		.group = PO_GROUP_TASK,
		.sort = PO_KEY_TASK,
		.setup = task_setup,
		.record = object_record,
		.make = task_make,
		.sort_cmp = task_sort,
		.key_cmp = task_cmp,
		.tie = 88,
		.text = task_text,
		.json = task_json,
		.csv_name = "task",
		.csv = task_csv,
		.folded = task_folded,
		.fold = 60,
	},
	{
		.name = "node",
		.short_name = "node",
		.group = PO_GROUP_NODE,
		.sort = PO_KEY_NODE,
		.setup = zone_setup,
		.record = zone_record,
		.make = node_make,
		.sort_cmp = node_sort,
		.key_cmp = node_cmp,
		.tie = 90,
		.text = node_text,
		.json = node_json,
		.csv_name = "node",
		.csv = node_csv,
		.folded = node_folded,
		.fold = 10,
	},
	{
		.name = "zone",
		.short_name = "zone",
		.group = PO_GROUP_ZONE,
		.sort = PO_KEY_ZONE,
		.setup = zone_setup,
		.record = zone_record,
		.make = zone_make,
		.sort_cmp = zone_sort,
		.key_cmp = zone_cmp,
		.tie = 92,
		.text = zone_text,
		.json = zone_json,
		.csv_name = "zone",
		.csv = zone_csv,
		.folded = zone_folded,
		.fold = 15,
	},
	{
		.name = "pages",
		.short_name = "m",
		.sort = PO_KEY_PAGES,
		.descending = true,
		.sort_cmp = pages_sort,
	},
	{
		.name = "times",
		.short_name = "t",
		.sort = PO_KEY_TIMES,
		.descending = true,
		.sort_cmp = times_sort,
	},
	{
		.name = "alloc_ts",
		.short_name = "at",
		.sort = PO_KEY_ALLOC_TS,
		.need = PO_OWNER_HAS_TS,
		.sort_cmp = alloc_ts_sort,
	},
	{ 0 },
};

const struct po_report_dim *po_report_dims(void)
{
	return dims;
}

const struct po_report_dim *po_report_dim_of_sort(enum po_report_key key)
{
	const struct po_report_dim *d;

	for (d = dims; d->name; d++)
		if (d->sort == key)
			return d;
	return NULL;
}

static unsigned int tie_of(const struct po_report_dim *d)
{
	return d->tie;
}

static unsigned int fold_of(const struct po_report_dim *d)
{
	return d->fold;
}

/* Insertion sort of the rows with a rank: a dozen rows at the most. */
static size_t by_rank(unsigned int (*rank)(const struct po_report_dim *),
		      const struct po_report_dim **v, size_t size)
{
	const struct po_report_dim *d;
	size_t n = 0, i;

	for (d = dims; d->name; d++) {
		if (!rank(d) || n == size)
			continue;
		for (i = n++; i && rank(v[i - 1]) > rank(d); i--)
			v[i] = v[i - 1];
		v[i] = d;
	}
	return n;
}

size_t po_report_dims_by_tie(const struct po_report_dim **v, size_t size)
{
	return by_rank(tie_of, v, size);
}

size_t po_report_dims_by_fold(const struct po_report_dim **v, size_t size)
{
	return by_rank(fold_of, v, size);
}

void po_report_print_group(unsigned int group, const char *sep, FILE *out)
{
	const struct po_report_dim *d;
	bool first = true;

	for (d = dims; d->name; d++) {
		if (!(group & d->group))
			continue;
		fprintf(out, "%s%s", first ? "" : sep, d->name);
		first = false;
	}
}

/* ---- the key words ---- */

static bool is_word(const char *word, const char *w, size_t len)
{
	return word && strlen(word) == len && !strncmp(w, word, len);
}

static const struct po_report_dim *report_key(const char *w, size_t len)
{
	const struct po_report_dim *d;

	for (d = dims; d->name; d++)
		if (is_word(d->name, w, len) || is_word(d->alias, w, len) ||
		    is_word(d->short_name, w, len))
			return d;
	return NULL;
}

bool po_report_parse_group(const char *s, unsigned int *ret)
{
	unsigned int group = 0;

	for (;;) {
		size_t len = strcspn(s, ",");
		const struct po_report_dim *d = report_key(s, len);

		if (!d || !d->group)
			return false;
		group |= d->group;
		if (!s[len])
			break;
		s += len + 1;
	}
	*ret = group;
	return true;
}

bool po_report_parse_sort(const char *s, enum po_report_key *ret,
			  bool *ascending)
{
	const struct po_report_dim *d;

	*ascending = *s == '+';
	s += *s == '+' || *s == '-';
	d = report_key(s, strlen(s));
	if (!d)
		return false;
	*ret = d->sort;
	return true;
}

/* Each row's name, then its alias: "stack", "stacktrace", "pid", ... */
const char *po_report_key_name(size_t i, const char **short_name,
			       bool *groupable)
{
	const struct po_report_dim *d;

	for (d = dims; d->name; d++) {
		const char *word = i == 0 ? d->name : i == 1 ? d->alias : NULL;

		if (!word) {
			i -= d->alias ? 2 : 1;
			continue;
		}
		if (short_name)
			*short_name = d->short_name;
		if (groupable)
			*groupable = d->group != 0;
		return word;
	}
	return NULL;
}
