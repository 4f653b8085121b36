// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 2: variables for the BTF backend.  The address comes from
 * kallsyms (CONFIG_KALLSYMS_ALL lists data symbols); the type from BTF's
 * VAR when the blob has one, else from walk_vars[] below: the variables
 * the layers above read, with the types they read them as.  The kernel's
 * build asks pahole for VARs of per-CPU variables only (scripts/
 * Makefile.btf passes --btf_features=...,var,... since v6.10, not
 * global_var; the 7.2 fixture's 247 VARs are all per-CPU), so globals
 * need the list.  A variable in neither has no type without vmlinux.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "debuginfo/btfdi.h"

/**
 * struct walk_var - a variable the walk reads, and its C type
 * @name: the variable
 * @type: its type in C; "[]" is an array of unknown length (the reader
 *	stops at its terminating entry), "[NAME]" one of as many elements as
 *	the enumerator NAME says, "[$size]" one that fills the space up to
 *	the next kallsyms symbol
 * @if_symbol: use this entry only if kallsyms has this symbol (NULL: any)
 */
struct walk_var {
	const char *name;
	const char *type;
	const char *if_symbol;
};

static const struct walk_var walk_vars[] = {
	/* xlat/memmap.c (x86_64 is always SPARSEMEM_EXTREME) */
	{ "mem_section", "struct mem_section **", NULL },
	{ "min_low_pfn", "unsigned long", NULL },
	{ "max_pfn", "unsigned long", NULL },
	{ "pageblock_order", "unsigned int", NULL },
	{ "hstates", "struct hstate [$size]", NULL },
	{ "transparent_hugepage_flags", "unsigned long", NULL },
	/* kernel/owner.c */
	{ "page_owner_inited", "struct static_key_false", NULL },
	{ "page_owner_ops", "struct page_ext_operations", NULL },
	{ "page_ext_size", "unsigned long", NULL },
	{ "extra_mem", "unsigned long", NULL },
	{ "dummy_handle", "depot_stack_handle_t", NULL },
	{ "failure_handle", "depot_stack_handle_t", NULL },
	{ "early_handle", "depot_stack_handle_t", NULL },
	{ "stack_list", "struct stack *", NULL },
	{ "page_owner_pages_threshold", "unsigned long", NULL },
	/* kernel/stackdepot.c, every era's names */
	{ "stack_pools", "void **", "stack_max_pools" }, /* 6.17+ */
	{ "stack_pools", "void *[$size]", NULL },
	{ "stack_slabs", "void *[$size]", NULL },
	{ "stack_max_pools", "unsigned int", NULL },
	{ "pools_num", "int", NULL },
	{ "pool_index", "int", NULL },
	{ "pool_offset", "size_t", NULL },
	{ "depot_index", "int", NULL },
	{ "depot_offset", "size_t", NULL },
	/* kernel/modules.c */
	{ "modules", "struct list_head", NULL },
	/* kernel/kformat.c */
	{ "gfpflag_names", "const struct trace_print_flags []", NULL },
	{ "pageflag_names", "const struct trace_print_flags []", NULL },
	{ "pff", "const struct page_flags_fields [$size]", NULL },
	{ "migratetype_names", "const char *const [MIGRATE_TYPES]", NULL },
	{ "migrate_reason_names", "const char *[MR_TYPES]", NULL },
	{ "page_group_by_mobility_disabled", "int", NULL },
	/* report/ */
	{ "_totalram_pages", "atomic_long_t", NULL },
	{ "totalram_pages", "unsigned long", NULL },
	/* program/identity.c: the host name */
	{ "init_uts_ns", "struct uts_namespace", NULL },
	/* report/dumppage.c: page_type_name() */
	{ "page_type_names", "const char *const [$size]", NULL },
	/* kernel/tasks.c (the idle tasks are per-CPU: BTF has their VAR) */
	{ "init_task", "struct task_struct", NULL },
	{ "init_stack", "unsigned long [$size]", NULL },
	{ "nr_cpu_ids", "unsigned int", NULL },
	{ "__per_cpu_offset", "unsigned long [$size]", NULL },
	/* kernel/vmalloc.c */
	{ "vmap_nodes", "struct vmap_node *", NULL },
	{ "nr_vmap_nodes", "unsigned int", NULL },
	{ "vmap_area_list", "struct list_head", NULL },
	/* kernel/percpu.c */
	{ "pcpu_base_addr", "void *", NULL },
	{ "pcpu_first_chunk", "struct pcpu_chunk *", NULL },
	{ "pcpu_reserved_chunk", "struct pcpu_chunk *", NULL },
	{ "pcpu_chunk_lists", "struct list_head *", NULL },
	{ "pcpu_slot", "struct list_head *", NULL },
	{ "pcpu_nr_slots", "int", NULL },
	{ "pcpu_unit_offsets", "const unsigned long *", NULL },
	{ "pcpu_nr_populated", "unsigned long", NULL },
	{ "pcpu_nr_units", "int", NULL },
	{ "__cpu_possible_mask", "struct cpumask", NULL },
	/* xlat/zones.c: node_data[] is read only where a node is online */
	{ "contig_page_data", "struct pglist_data", NULL },
	{ "node_data", "struct pglist_data *[$size]", NULL },
	{ "node_states", "nodemask_t [NR_NODE_STATES]", NULL },
};

static const struct walk_var *find_walk_var(const struct po_btfdi *bt,
					    const char *name)
{
	size_t i, nr;

	for (i = 0; i < sizeof(walk_vars) / sizeof(walk_vars[0]); i++) {
		const struct walk_var *w = &walk_vars[i];

		if (strcmp(w->name, name))
			continue;
		if (!w->if_symbol ||
		    po_btfdi_symbol(bt, w->if_symbol, false, &nr))
			return w;
	}
	return NULL;
}

/* The base type of @spec ("const char *const"): its name and pointers. */
static struct po_error *base_type(struct po_debuginfo *dw, const char *spec,
				  size_t len, struct po_type *ret)
{
	char words[128], name[128] = "", *p, *save;
	int ptrs = 0;
	struct po_error *err;

	if (len >= sizeof(words))
		len = sizeof(words) - 1;
	memcpy(words, spec, len);
	words[len] = '\0';
	/* Drop "const" and count '*': qualifiers do not change reads. */
	for (p = strtok_r(words, " ", &save); p;
	     p = strtok_r(NULL, " ", &save)) {
		for (; *p == '*'; p++)
			ptrs++;
		if (!*p || !strcmp(p, "const"))
			continue;
		if (*name)
			strcat(name, " ");
		strcat(name, p);
	}
	if (!strcmp(name, "void"))
		ret->die = 0;
	else if ((err = po_type_find(dw, name, ret)))
		return err;
	while (ptrs--)
		if ((err = po_btfdi_pointer_to(dw->bt, *ret, ret)))
			return err;
	return NULL;
}

/* The element count in "[...]" of walk_var @w for symbol @s. */
static struct po_error *array_length(struct po_debuginfo *dw,
				     const char *bounds, struct po_type elem,
				     const struct bt_sym *s, uint64_t *ret,
				     bool *bound)
{
	char name[64];
	size_t len = strcspn(bounds, "]");
	struct po_error *err;
	uint64_t size;
	int64_t v;

	*bound = len > 0;
	if (!len || len >= sizeof(name))
		return NULL;
	memcpy(name, bounds, len);
	name[len] = '\0';
	if (isdigit((unsigned char)name[0])) {
		*ret = strtoull(name, NULL, 0);
		return NULL;
	}
	if (strcmp(name, "$size")) {
		err = po_debuginfo_enumerator(dw, name, &v);
		*ret = (uint64_t)v;
		return err;
	}
	err = po_type_size(dw, elem, &size);
	if (err)
		return err;
	*ret = size ? po_btfdi_symbol_gap(dw->bt, s) / size : 0;
	*bound = *ret > 0;
	return NULL;
}

static struct po_error *walk_var_type(struct po_debuginfo *dw,
				      const struct walk_var *w,
				      const struct bt_sym *s,
				      struct po_type *ret)
{
	const char *bracket = strchr(w->type, '[');
	size_t len = bracket ? (size_t)(bracket - w->type) : strlen(w->type);
	struct po_error *err;
	uint64_t n = 0;
	bool bound;

	while (len && w->type[len - 1] == ' ')
		len--;
	err = base_type(dw, w->type, len, ret);
	if (err || !bracket)
		return err;
	err = array_length(dw, bracket + 1, *ret, s, &n, &bound);
	if (!err)
		err = po_btfdi_make_type(dw->bt, PO_TYPE_ARRAY, *ret, n, bound,
					 ret);
	return err;
}

static void note_typed(struct po_btfdi *bt, const char *name)
{
	size_t i;

	for (i = 0; i < bt->nr_typed; i++)
		if (!strcmp(bt->typed[i], name))
			return;
	if (bt->nr_typed < BT_MAX_TYPED)
		bt->typed[bt->nr_typed++] = name;
}

/*
 * kallsyms says nothing of files: of several file-static variables of one
 * name, the one @file means cannot be told, and a guess would read the
 * wrong one.  Nor do its type letters tell variables from functions: they
 * are nm's, and nm calls the objects of 7.2's .data 'T' (modules,
 * page_owner_ops), so every symbol of the name counts.
 */
static struct po_error *find_data_symbol(struct po_debuginfo *dw,
					 const char *name, const char *file,
					 const struct bt_sym **ret)
{
	size_t nr;
	const struct bt_sym *s = po_btfdi_symbol(dw->bt, name, false, &nr);

	if (!s)
		return po_error_create(PO_ERR_LOOKUP,
				       "%s: no variable '%s' in kallsyms",
				       dw->path, name);
	if (nr > 1 && file)
		return po_error_create(
			PO_ERR_UNSUPPORTED,
			"%s: kallsyms has %zu symbols '%s': which is %s's "
			"cannot be told without vmlinux",
			dw->path, nr, name, file);
	*ret = s;
	return NULL;
}

struct po_error *po_btfdi_variable(struct po_debuginfo *dw, const char *name,
				   const char *file, struct po_variable *ret)
{
	struct po_btfdi *bt = dw->bt;
	const struct walk_var *w;
	struct po_btf_variable v;
	const struct bt_sym *s;
	struct po_error *err;

	err = find_data_symbol(dw, name, file, &s);
	if (err)
		return err;
	ret->address = po_btfdi_link_address(bt, s->addr);
	err = po_btf_variable(bt->btf, name, &v);
	if (!err) {
		ret->type.die = v.type.id;
		return NULL;
	}
	po_error_destroy(err);
	w = find_walk_var(bt, name);
	if (!w)
		return po_error_create(
			PO_ERR_UNSUPPORTED,
			"%s: BTF has no type for variable '%s' (only per-CPU "
			"variables have one), and it is none of those the "
			"walk reads",
			dw->path, name);
	err = walk_var_type(dw, w, s, &ret->type);
	if (err)
		return po_error_prefix(err,
				       "%s: the type of '%s' (%s): ", dw->path,
				       name, w->type);
	note_typed(bt, w->name);
	return NULL;
}

size_t po_debuginfo_walk_typed(const struct po_debuginfo *dw,
			       const char *const **ret)
{
	if (!dw->bt) {
		*ret = NULL;
		return 0;
	}
	*ret = dw->bt->typed;
	return dw->bt->nr_typed;
}

/* ---- names, for completion ---- */

static unsigned int btf_name_kind(struct po_btf *btf, struct po_btf_type t)
{
	switch (po_btf_kind(btf, t)) {
	case PO_BTF_STRUCT:
		return PO_NAME_STRUCT;
	case PO_BTF_UNION:
		return PO_NAME_UNION;
	case PO_BTF_ENUM:
	case PO_BTF_ENUM64:
		return PO_NAME_ENUM;
	case PO_BTF_TYPEDEF:
	case PO_BTF_INT:
	case PO_BTF_FLOAT:
		return PO_NAME_TYPEDEF;
	default:
		return 0;
	}
}

static int
enumerator_names(struct po_btf *btf, struct po_btf_type t, const char *prefix,
		 int (*fn)(void *arg, const char *name, unsigned int kind),
		 void *arg)
{
	struct po_enumerator *e;
	struct po_error *err;
	size_t i, nr;
	int r = 0;

	err = po_btf_enumerators(btf, t, &e, &nr);
	if (err) {
		po_error_destroy(err);
		return 0;
	}
	for (i = 0; i < nr && !r; i++)
		if (!strncmp(e[i].name, prefix, strlen(prefix)))
			r = fn(arg, e[i].name, PO_NAME_ENUMERATOR);
	free(e);
	return r;
}

static int type_names(struct po_btf *btf, unsigned int kinds,
		      const char *prefix,
		      int (*fn)(void *arg, const char *name, unsigned int kind),
		      void *arg)
{
	uint32_t id, n = po_btf_nr_types(btf);
	int r = 0;

	for (id = 1; id < n && !r; id++) {
		struct po_btf_type t = { id };
		unsigned int k = btf_name_kind(btf, t);
		const char *name = po_btf_type_name(btf, t);

		if ((kinds & k) && name &&
		    !strncmp(name, prefix, strlen(prefix)))
			r = fn(arg, name, k);
		if (!r && k == PO_NAME_ENUM && (kinds & PO_NAME_ENUMERATOR))
			r = enumerator_names(btf, t, prefix, fn, arg);
	}
	return r;
}

void po_btfdi_names(struct po_debuginfo *dw, unsigned int kinds,
		    const char *prefix,
		    int (*fn)(void *arg, const char *name, unsigned int kind),
		    void *arg)
{
	struct po_btfdi *bt = dw->bt;
	size_t i;

	if (bt->btf && type_names(bt->btf, kinds, prefix, fn, arg))
		return;
	if (!(kinds & PO_NAME_VARIABLE))
		return;
	for (i = 0; i < bt->nr_syms; i++)
		if (po_btfdi_is_data(bt->syms[i].type) &&
		    !strncmp(bt->syms[i].name, prefix, strlen(prefix)) &&
		    fn(arg, bt->syms[i].name, PO_NAME_VARIABLE))
			return;
}
