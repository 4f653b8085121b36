// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: interned strings, and what a stack says.  Everything derived
 * from a stack (its text, module, leaf function and whether it is
 * vmalloc) is worked out once per handle, since millions of pages share a
 * few thousand stacks.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "report/agg_internal.h"

/* ---- interned strings ---- */

struct str_arg {
	const struct po_agg *a;
	const char *s;
	size_t len;
};

static bool str_eq(const void *arg, size_t idx)
{
	const struct str_arg *x = arg;
	const char *s = x->a->strs[idx];

	return strlen(s) == x->len && !memcmp(s, x->s, x->len);
}

struct po_error *po_agg_intern(struct po_agg *a, const char *s, size_t len,
			       const char **ret)
{
	struct str_arg x = { a, s, len };
	uint64_t h = po_hash_bytes(s, len);
	size_t i = po_hashidx_find(&a->stridx, h, str_eq, &x);
	struct po_error *err;

	if (i != SIZE_MAX) {
		*ret = a->strs[i];
		return NULL;
	}
	a->strs = po_array_grow(a->strs, a->nr_strs, &a->strs_cap,
				sizeof(*a->strs), &err);
	if (err)
		return err;
	a->strs[a->nr_strs] = strndup(s, len);
	if (!a->strs[a->nr_strs])
		return &po_enomem;
	err = po_hashidx_insert(&a->stridx, h, a->nr_strs);
	if (err) {
		free(a->strs[a->nr_strs]);
		return err;
	}
	*ret = a->strs[a->nr_strs++];
	return NULL;
}

/* ---- what a stack says ---- */

/*
 * Functions of the page, slab and vmalloc allocators themselves, matched
 * as prefixes so that the _noprof variants (v6.10+) match too.  The leaf
 * of a stack is its first frame not in this list: the allocator's caller.
 */
static const char *const core_funcs[] = {
	"get_page_from_freelist",
	"__alloc_pages",
	"alloc_pages",
	"__alloc_frozen_pages",
	"alloc_frozen_pages",
	"__folio_alloc",
	"folio_alloc",
	"alloc_slab_page",
	"allocate_slab",
	"new_slab",
	"___slab_alloc",
	"__slab_alloc",
	"slab_alloc",
	"kmem_cache_alloc",
	"__kmem_cache_alloc",
	"kmalloc",
	"__kmalloc",
	"__do_kmalloc",
	"kmalloc_large",
	"__kmalloc_large",
	"kmalloc_trace",
	"__vmalloc",
	"vmalloc",
	"vzalloc",
	"vm_area_alloc_pages",
	"kvmalloc",
	"__kvmalloc",
	"prep_new_page",
	"post_alloc_hook",
	"__get_free_pages",
	"get_zeroed_page",
	"alloc_pages_exact",
	"vma_alloc_folio",
	"__page_cache_alloc",
	"filemap_alloc_folio",
	"alloc_page_interleave",
	"__alloc_pages_bulk",
	"alloc_pages_bulk",
	"___kmalloc_large_node",
	"__kmalloc_large_node",
	"kmalloc_node",
	"__kmalloc_node",
};

static bool is_core(const char *fn, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(core_funcs) / sizeof(core_funcs[0]); i++) {
		size_t n = strlen(core_funcs[i]);

		if (n <= len && !strncmp(fn, core_funcs[i], n))
			return true;
	}
	return false;
}

/* Function name and module of one " func+0x1/0x2 [mod]" line. */
static void parse_frame(const char *line, size_t len, size_t *fn_len,
			const char **mod, size_t *mod_len)
{
	const char *sp = memchr(line, ' ', len);

	*fn_len = strcspn(line, "+ \n");
	if (*fn_len > len)
		*fn_len = len;
	*mod = NULL;
	*mod_len = 0;
	if (sp && len > 2 && line[len - 1] == ']' && sp[1] == '[') {
		*mod = sp + 2;
		*mod_len = line + len - 1 - *mod;
	}
}

/*
 * page_owner_sort's get_allocator() test for vmalloc: the frame after
 * the one naming alloc_pages is __vmalloc_node_range.
 */
static bool stack_is_vmalloc(const char *text)
{
	const char *v = strstr(text, "__vmalloc_node_range");
	const char *prev;

	if (!v || v == text)
		return false;
	for (prev = v - 1; prev > text && prev[-1] != '\n'; prev--)
		;
	return memmem(prev, v - prev, "alloc_pages", 11) != NULL;
}

/*
 * A bare address is a frame %pS found no symbol for; in a module's freed
 * init text it still has a module (po_symbolizer_freed_init()).
 */
static const char *bare_frame_module(struct po_agg *a, const char *line,
				     size_t len)
{
	char buf[24], *end;
	uint64_t addr;

	if (len < 3 || len >= sizeof(buf) || strncmp(line, "0x", 2))
		return NULL;
	memcpy(buf, line, len);
	buf[len] = '\0';
	addr = strtoull(buf, &end, 16);
	return *end ? NULL : po_symbolizer_freed_init(a->prog->sym, addr);
}

static struct po_error *derive(struct po_agg *a, struct po_agg_stack *s)
{
	const char *p = s->text, *leaf = NULL, *mod = NULL;
	size_t leaf_len = 0, mod_len = 0;
	struct po_error *err;

	while (p && *p) {
		const char *line = p + (*p == ' ');
		size_t len = strcspn(line, "\n"), fl, ml;
		const char *m;

		parse_frame(line, len, &fl, &m, &ml);
		if (!leaf && !is_core(line, fl)) {
			leaf = line;
			leaf_len = fl;
		}
		if (!mod && !m && (m = bare_frame_module(a, line, len)))
			ml = strlen(m);
		if (!mod && m) {
			mod = m;
			mod_len = ml;
		}
		if (!leaf && !line[len]) {
			leaf = line; /* all allocator: the outermost frame */
			leaf_len = fl;
		}
		p = line + len + (line[len] == '\n');
	}
	s->vmalloc = s->text && stack_is_vmalloc(s->text);
	s->slab = s->text && (strstr(s->text, " allocate_slab+") ||
			      strstr(s->text, " new_slab+"));
	/* Handle 0: a page page_owner has no record of (PO_WALK_PAGES). */
	if (!s->handle) {
		err = po_agg_intern(a, "(no record)", 11, &s->module);
		if (!err)
			err = po_agg_intern(a, "(no record)", 11, &s->leaf);
		return err;
	}
	err = po_agg_intern(a, mod ? mod : "vmlinux", mod ? mod_len : 7,
			    &s->module);
	if (!err)
		err = po_agg_intern(a, leaf ? leaf : "(no stack)",
				    leaf ? leaf_len : 10, &s->leaf);
	return err;
}

struct stack_arg {
	const struct po_agg *a;
	uint32_t handle;
};

static bool stack_eq(const void *arg, size_t idx)
{
	const struct stack_arg *x = arg;

	return x->a->stacks[idx]->handle == x->handle;
}

/* The derived facts of @handle; stable until po_agg_destroy(). */
struct po_error *po_agg_stack_of(struct po_agg *a, uint32_t handle,
				 const struct po_agg_stack **ret)
{
	struct stack_arg x = { a, handle };
	uint64_t h = po_hash_bytes(&handle, sizeof(handle));
	size_t i = po_hashidx_find(&a->sidx, h, stack_eq, &x);
	struct po_agg_stack *s;
	struct po_error *err;

	if (i != SIZE_MAX) {
		*ret = a->stacks[i];
		return NULL;
	}
	a->stacks = po_array_grow(a->stacks, a->nr_stacks, &a->stacks_cap,
				  sizeof(*a->stacks), &err);
	if (err)
		return err;
	/* One allocation each: groups keep pointers to them. */
	s = calloc(1, sizeof(*s));
	if (!s)
		return &po_enomem;
	a->stacks[a->nr_stacks] = s;
	s->handle = handle;
	err = po_stack_cache_get(a->texts, handle, &s->text);
	if (po_error_catch(&err, PO_ERR_BAD_DATA) ||
	    po_error_catch(&err, PO_ERR_INVALID))
		s->text = NULL;
	if (!err)
		err = derive(a, s);
	if (!err)
		err = po_hashidx_insert(&a->sidx, h, a->nr_stacks);
	if (err) {
		free(s);
		return err;
	}
	*ret = a->stacks[a->nr_stacks++];
	return NULL;
}
