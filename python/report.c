// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * prog.report(): the groups of `pageowner report` as ReportGroup tuples,
 * aggregated with the GIL released; prog.stacks(): page_owner_stacks'
 * stacks as StackCount tuples.
 */
#include "pypageowner.h"

static PyStructSequence_Field ReportGroup_fields[] = {
	{ "pages", "base pages the group holds" },
	{ "allocs", "allocations (records)" },
	{ "stack", "StackTrace: the group's, or its first record's" },
	{ "pid", "pid, when grouped by pid (else 0)" },
	{ "tgid", "tgid, when grouped by tgid (else 0)" },
	{ "comm", "comm, when grouped by comm (else \"\")" },
	{ "module", "first module in the stack, when grouped by module" },
	{ "allocator",
	  "\"SLAB\", \"VMALLOC\", \"CMA\", \"OTHERS\" when grouped "
	  "by allocator" },
	{ "leaf", "first frame outside the allocators, when grouped by leaf" },
	{ "first_ts", "earliest allocation, ns since boot" },
	{ "last_ts", "latest allocation, ns since boot" },
	{ "memcg", "the memcg's cgroup path, when grouped by memcg (None: "
		   "charged to none)" },
	{ "use", "what the pages are now, when grouped by use" },
	{ "cache", "the slab cache, when grouped by cache (None: no slab)" },
	{ "file", "the file's path, when grouped by file (None: no file)" },
	{ "task", "\"comm (pid N)\" of an anonymous page's mm or a kernel "
		  "stack, when grouped by task" },
	{ "fs", "\"TYPE DEVICE\" of a file's filesystem, when grouped by fs" },
	{ "no_record_pages",
	  "of pages, those page_owner has no record of (all=True, or "
	  "page_owner off)" },
	{ "node", "the NUMA node, when grouped by node (None: not grouped, "
		  "or in no zone)" },
	{ "zone", "the zone (\"DMA32\", \"Normal\", ...), when grouped by "
		  "zone (None: not grouped, or in none)" },
	{ NULL },
};

#define NR_GROUP_FIELDS 20

static PyStructSequence_Desc ReportGroup_desc = {
	"pageowner.ReportGroup",
	"One group of prog.report(), as a row of `pageowner report`.",
	ReportGroup_fields,
	NR_GROUP_FIELDS,
};

static PyStructSequence_Field StackCount_fields[] = {
	{ "handle", "the stack's depot_stack_handle_t" },
	{ "nr_base_pages", "base pages it holds, as show_stacks counts them" },
	{ "stack", "StackTrace: its frames" },
	{ NULL },
};

static PyStructSequence_Desc StackCount_desc = {
	"pageowner.StackCount",
	"One stack of prog.stacks(), as page_owner_stacks/show_handles lists "
	"it.",
	StackCount_fields,
	3,
};

PyTypeObject ReportGroup_type, StackCount_type;

int po_py_report_init(PyObject *module)
{
	if (PyStructSequence_InitType2(&ReportGroup_type, &ReportGroup_desc) <
		    0 ||
	    PyStructSequence_InitType2(&StackCount_type, &StackCount_desc) < 0)
		return -1;
	if (PyModule_AddObjectRef(module, "ReportGroup",
				  (PyObject *)&ReportGroup_type) < 0)
		return -1;
	return PyModule_AddObjectRef(module, "StackCount",
				     (PyObject *)&StackCount_type);
}

/*
 * A struct sequence from @n new references at @v, all of which it takes
 * (NULL if one is: the rest are dropped).  PyStructSequence_New() leaves
 * it untracked (CPython gh-157443), and a StackTrace in it holds a
 * Program: see pypageowner.h.
 */
static PyObject *struct_seq(PyTypeObject *type, PyObject **v, int n)
{
	PyObject *t = PyStructSequence_New(type);
	int i;

	for (i = 0; i < n; i++)
		if (!v[i])
			break;
	if (!t || i < n) {
		for (i = 0; i < n; i++)
			Py_XDECREF(v[i]);
		Py_XDECREF(t);
		return NULL;
	}
	for (i = 0; i < n; i++)
		PyStructSequence_SET_ITEM(t, i, v[i]);
	if (!PyObject_GC_IsTracked(t))
		PyObject_GC_Track(t);
	return t;
}

/* The StackTrace of @handle; None for 0 or one that does not decode. */
static PyObject *stack_or_none(Program *p, uint32_t handle)
{
	PyObject *st = handle ? po_py_stack_get(p, handle) : Py_NewRef(Py_None);

	/* A handle that does not decode leaves the stack out, not the row. */
	if (!st && PyErr_ExceptionMatches(PyExc_ValueError)) {
		PyErr_Clear();
		st = Py_NewRef(Py_None);
	}
	return st;
}

static PyObject *allocator_name(uint32_t allocator)
{
	static const char *const names[] = { "CMA", "SLAB", "VMALLOC",
					     "OTHERS" };
	char buf[64] = "";
	size_t i;

	if (!allocator)
		Py_RETURN_NONE;
	for (i = 0; i < 4; i++) {
		if (!(allocator & (1u << i)))
			continue;
		if (buf[0])
			strcat(buf, "|");
		strcat(buf, names[i]);
	}
	return PyUnicode_FromString(buf);
}

/* A key's string from the dump, None when the group has none. */
static PyObject *str_or_none(const char *s)
{
	return s ? PyUnicode_DecodeUTF8(s, strlen(s), "backslashreplace") :
		   Py_NewRef(Py_None);
}

static PyObject *group_tuple(Program *p, const struct po_report_group *g)
{
	PyObject *v[NR_GROUP_FIELDS];

	v[0] = PyLong_FromUnsignedLongLong(g->pages);
	v[1] = PyLong_FromUnsignedLongLong(g->allocs);
	v[2] = stack_or_none(p, g->handle);
	v[3] = PyLong_FromLong(g->pid);
	v[4] = PyLong_FromLong(g->tgid);
	v[5] = PyUnicode_DecodeUTF8(g->comm, strlen(g->comm),
				    "backslashreplace");
	v[6] = g->module ? PyUnicode_FromString(g->module) : Py_NewRef(Py_None);
	v[7] = allocator_name(g->allocator);
	v[8] = g->leaf ? PyUnicode_FromString(g->leaf) : Py_NewRef(Py_None);
	v[9] = g->has_ts ? PyLong_FromUnsignedLongLong(g->first_ts) :
			   Py_NewRef(Py_None);
	v[10] = g->has_ts ? PyLong_FromUnsignedLongLong(g->last_ts) :
			    Py_NewRef(Py_None);
	v[11] = str_or_none(g->memcg);
	v[12] = str_or_none(g->use);
	v[13] = str_or_none(g->cache);
	v[14] = str_or_none(g->file);
	v[15] = str_or_none(g->task);
	v[16] = str_or_none(g->fs);
	v[17] = PyLong_FromUnsignedLongLong(g->no_record_pages);
	v[18] = g->node >= 0 ? PyLong_FromLong(g->node) : Py_NewRef(Py_None);
	v[19] = str_or_none(g->zone);
	return struct_seq(&ReportGroup_type, v, NR_GROUP_FIELDS);
}

static PyObject *groups_list(Program *p, const struct po_report_result *res)
{
	size_t n, i;
	const struct po_report_group *g = po_report_result_groups(res, &n);
	PyObject *list = PyList_New((Py_ssize_t)n);

	for (i = 0; list && i < n; i++) {
		PyObject *t = group_tuple(p, &g[i]);

		if (!t)
			Py_CLEAR(list);
		else
			PyList_SET_ITEM(list, (Py_ssize_t)i, t);
	}
	return list;
}

/* "stack, pid, ...": the keys --group takes, as the library names them. */
static const char *group_keys(char *buf, size_t size)
{
	const char *name;
	bool groupable;
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; (name = po_report_key_name(i, NULL, &groupable)); i++)
		if (groupable && n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
					      n ? ", " : "", name);
	return buf;
}

/* The keyword arguments are `pageowner report`'s options. */
static int parse_options(Program *p, PyObject *args, PyObject *kwds,
			 struct po_report_options *opt)
{
	static char *kwlist[] = { "group_by", "sort",	 "top",	 "min_pages",
				  "freed",    "order",	 "pids", "tgids",
				  "comms",    "modules", "gfp",	 "uses",
				  "all",      NULL };
	int all = 0;
	const char *group = NULL, *sort = "pages", *gfp = NULL;
	unsigned long long top = 0, min_pages = 0;
	int freed = 0, order = -1;
	struct po_error *err;

	*opt = (struct po_report_options){ .sort = PO_KEY_PAGES };
	if (!PyArg_ParseTupleAndKeywords(
		    args, kwds, "|zsKKpizzzzzzp:report", kwlist, &group, &sort,
		    &top, &min_pages, &freed, &order, &opt->pids, &opt->tgids,
		    &opt->names, &opt->modules, &gfp, &opt->uses, &all))
		return -1;
	opt->all_pages = all;
	/* No group_by: the library's default (by use with page_owner off). */
	if (group && !po_report_parse_group(group, &opt->group)) {
		char keys[512];

		PyErr_Format(PyExc_ValueError,
			     "group_by: '%s' is not a comma-separated list of "
			     "%s",
			     group, group_keys(keys, sizeof(keys)));
		return -1;
	}
	if (!po_report_parse_sort(sort, &opt->sort, &opt->ascending)) {
		PyErr_Format(PyExc_ValueError, "sort: no such key '%s'", sort);
		return -1;
	}
	opt->top = top;
	opt->min_pages = min_pages;
	opt->freed = freed;
	opt->order = order;
	if (!gfp)
		return 0;
	po_py_lock(p);
	err = po_gfp_parse(p->prog, gfp, &opt->gfp);
	po_py_unlock(p);
	if (err) {
		po_py_raise(err);
		return -1;
	}
	return 0;
}

PyObject *po_py_report(Program *p, PyObject *args, PyObject *kwds)
{
	struct po_report_options opt;
	struct po_report_result *res;
	struct po_error *err;
	PyObject *list;

	if (parse_options(p, args, kwds, &opt) < 0)
		return NULL;
	po_py_lock(p);
	Py_BEGIN_ALLOW_THREADS
	err = po_report_groups(p->prog, &opt, &res);
	Py_END_ALLOW_THREADS
	po_py_unlock(p);
	if (err)
		return po_py_raise(err);
	list = groups_list(p, res);
	po_report_result_destroy(res);
	return list;
}

PyObject *po_py_stacks(Program *p, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "from_walk", NULL };
	struct po_stack_count *v;
	struct po_error *err;
	PyObject *list;
	int from_walk = 0;
	size_t n, i;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "|p:stacks", kwlist,
					 &from_walk))
		return NULL;
	po_py_lock(p);
	Py_BEGIN_ALLOW_THREADS
	err = po_stack_counts(p->prog, from_walk, &v, &n);
	Py_END_ALLOW_THREADS
	po_py_unlock(p);
	if (err)
		return po_py_raise(err);
	list = PyList_New((Py_ssize_t)n);
	for (i = 0; list && i < n; i++) {
		PyObject *f[3] = { PyLong_FromUnsignedLong(v[i].handle),
				   PyLong_FromLongLong(v[i].nr_base_pages),
				   stack_or_none(p, v[i].handle) };
		PyObject *t = struct_seq(&StackCount_type, f, 3);

		if (!t)
			Py_CLEAR(list);
		else
			PyList_SET_ITEM(list, (Py_ssize_t)i, t);
	}
	free(v);
	return list;
}
