// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * prog.report(): the groups of `pageowner report` as ReportGroup tuples,
 * aggregated with the GIL released.
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
	{ NULL },
};

static PyStructSequence_Desc ReportGroup_desc = {
	"pageowner.ReportGroup",
	"One group of prog.report(), as a row of `pageowner report`.",
	ReportGroup_fields,
	11,
};

PyTypeObject ReportGroup_type;

int po_py_report_init(PyObject *module)
{
	if (PyStructSequence_InitType2(&ReportGroup_type, &ReportGroup_desc) <
	    0)
		return -1;
	return PyModule_AddObjectRef(module, "ReportGroup",
				     (PyObject *)&ReportGroup_type);
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

static PyObject *group_tuple(Program *p, const struct po_report_group *g)
{
	PyObject *t = PyStructSequence_New(&ReportGroup_type);
	PyObject *v[11];
	int i;

	if (!t)
		return NULL;
	v[0] = PyLong_FromUnsignedLongLong(g->pages);
	v[1] = PyLong_FromUnsignedLongLong(g->allocs);
	v[2] = g->handle ? po_py_stack_get(p, g->handle) : Py_NewRef(Py_None);
	/* A handle that does not decode leaves the stack out, not the row. */
	if (!v[2] && PyErr_ExceptionMatches(PyExc_ValueError)) {
		PyErr_Clear();
		v[2] = Py_NewRef(Py_None);
	}
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
	for (i = 0; i < 11; i++)
		if (!v[i])
			break;
	if (i < 11) {
		for (i = 0; i < 11; i++)
			Py_XDECREF(v[i]);
		Py_DECREF(t);
		return NULL;
	}
	for (i = 0; i < 11; i++)
		PyStructSequence_SET_ITEM(t, i, v[i]);
	/*
	 * PyStructSequence_New() leaves it untracked (CPython gh-157443),
	 * and its StackTrace holds a Program: see pypageowner.h.
	 */
	if (!PyObject_GC_IsTracked(t))
		PyObject_GC_Track(t);
	return t;
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

/* The keyword arguments are `pageowner report`'s options. */
static int parse_options(Program *p, PyObject *args, PyObject *kwds,
			 struct po_report_options *opt)
{
	static char *kwlist[] = { "group_by", "sort",	 "top",	 "min_pages",
				  "freed",    "order",	 "pids", "tgids",
				  "comms",    "modules", "gfp",	 NULL };
	const char *group = "stack", *sort = "pages", *gfp = NULL;
	unsigned long long top = 0, min_pages = 0;
	int freed = 0, order = -1;
	struct po_error *err;

	*opt = (struct po_report_options){ .sort = PO_KEY_PAGES };
	if (!PyArg_ParseTupleAndKeywords(
		    args, kwds, "|ssKKpizzzzz:report", kwlist, &group, &sort,
		    &top, &min_pages, &freed, &order, &opt->pids, &opt->tgids,
		    &opt->names, &opt->modules, &gfp))
		return -1;
	if (!po_report_parse_group(group, &opt->group)) {
		PyErr_Format(PyExc_ValueError,
			     "group_by: '%s' is not a comma-separated list of "
			     "stack, pid, tgid, comm, module, allocator, leaf",
			     group);
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
