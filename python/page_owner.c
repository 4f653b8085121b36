// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pageowner.PageOwner: one page's page_owner record, and the iterator
 * prog.page_owners() returns.  str() is the record exactly as the dumped
 * kernel's /sys/kernel/debug/page_owner prints it.
 */
#include <stddef.h>
#include <string.h>

#include "pypageowner.h"
#include <structmember.h>

/* Records per trip into the library with the GIL released. */
#define BATCH 512

PyObject *po_py_page_owner_new(Program *p, const struct po_page_owner *r,
			       bool freed)
{
	PageOwner *o = PyObject_GC_New(PageOwner, &PageOwner_type);

	if (!o)
		return NULL;
	o->prog = (Program *)Py_NewRef((PyObject *)p);
	o->r = *r;
	o->freed = freed;
	PyObject_GC_Track(o);
	return (PyObject *)o;
}

static void PageOwner_dealloc(PageOwner *self)
{
	PyObject_GC_UnTrack(self);
	Py_DECREF(self->prog);
	PyObject_GC_Del(self);
}

/* As an Object's: garbage that holds a record holds its Program. */
static int PageOwner_traverse(PageOwner *self, visitproc visit, void *arg)
{
	Py_VISIT(self->prog);
	return 0;
}

static PyObject *PageOwner_get_stack(PageOwner *self, void *closure)
{
	uint32_t h = closure ? self->r.free_handle : self->r.handle;

	if (!h)
		Py_RETURN_NONE;
	return po_py_stack_get(self->prog, h);
}

static PyObject *PageOwner_get_pages(PageOwner *self, void *closure)
{
	return PyLong_FromUnsignedLongLong(1ULL << self->r.order);
}

static PyObject *PageOwner_get_comm(PageOwner *self, void *closure)
{
	if (!(self->r.fields & PO_OWNER_HAS_COMM))
		Py_RETURN_NONE;
	return PyUnicode_DecodeUTF8(self->r.comm, strlen(self->r.comm),
				    "backslashreplace");
}

/*
 * The task and time fields, None where this kernel's struct page_owner
 * has no such member: a -1 or 0 would read as a real pid or time.
 */
struct optional_field {
	uint32_t bit; /* PO_OWNER_HAS_* */
	size_t offset; /* in struct po_page_owner */
	bool is_u64; /* else int32_t */
};

#define FIELD(name, bit, u64)                                                 \
	{                                                                     \
		PO_OWNER_HAS_##bit, offsetof(struct po_page_owner, name), u64 \
	}

static const struct optional_field optional_fields[] = {
	FIELD(ts_nsec, TS, true),	  FIELD(free_ts_nsec, FREE_TS, true),
	FIELD(pid, PID, false),		  FIELD(tgid, TGID, false),
	FIELD(free_pid, FREE_PID, false), FIELD(free_tgid, FREE_TGID, false),
};

#undef FIELD

static PyObject *PageOwner_get_optional(PageOwner *self, void *closure)
{
	const struct optional_field *f = closure;
	const char *p = (const char *)&self->r + f->offset;
	uint64_t u;
	int32_t i;

	if (!(self->r.fields & f->bit))
		Py_RETURN_NONE;
	if (f->is_u64) {
		memcpy(&u, p, sizeof(u));
		return PyLong_FromUnsignedLongLong(u);
	}
	memcpy(&i, p, sizeof(i));
	return PyLong_FromLong(i);
}

/* The page's node (closure NULL) or zone name, None in no zone. */
static PyObject *PageOwner_get_zone(PageOwner *self, void *closure)
{
	struct po_error *err;
	const char *name;
	int node;

	po_py_lock(self->prog);
	err = po_page_zone(self->prog->prog, self->r.pfn, self->r.page_flags,
			   &node, &name);
	po_py_unlock(self->prog);
	if (err)
		return po_py_raise(err);
	if (!name)
		Py_RETURN_NONE;
	return closure ? PyUnicode_FromString(name) : PyLong_FromLong(node);
}

static PyObject *PageOwner_get_handle_kind(PageOwner *self, void *closure)
{
	return po_py_handle_kind(self->prog, self->r.handle, false);
}

static PyObject *PageOwner_repr(PageOwner *self)
{
	PyObject *comm = PageOwner_get_comm(self, NULL), *s;
	PyObject *pid =
		PageOwner_get_optional(self, (void *)&optional_fields[2]);
	char buf[160];

	if (!comm || !pid) {
		Py_XDECREF(comm);
		Py_XDECREF(pid);
		return NULL;
	}
	snprintf(buf, sizeof(buf), "PageOwner(pfn=0x%llx, order=%u, pid=",
		 (unsigned long long)self->r.pfn, self->r.order);
	s = PyUnicode_FromFormat("%s%R, handle=0x%08x, comm=%R)", buf, pid,
				 (unsigned int)self->r.handle, comm);
	Py_DECREF(comm);
	Py_DECREF(pid);
	return s;
}

/* Errors are raised once the program is unlocked: see po_py_printer(). */
static PyObject *PageOwner_str(PageOwner *self)
{
	struct po_owner_printer *printer;
	struct po_error *err;
	struct po_py_text t;

	if (po_py_text_open(&t) < 0)
		return NULL;
	po_py_lock(self->prog);
	err = po_py_printer(self->prog, self->freed, &printer);
	if (!err)
		po_owner_print(printer, &self->r, t.f);
	po_py_unlock(self->prog);
	return po_py_text_close(&t, err, false);
}

#define R(field) offsetof(PageOwner, r.field)

static PyMemberDef PageOwner_members[] = {
	{ "pfn", T_ULONGLONG, R(pfn), READONLY, "page frame number" },
	{ "page", T_ULONGLONG, R(page), READONLY, "address of struct page" },
	{ "flags", T_ULONGLONG, R(page_flags), READONLY, "page->flags" },
	{ "memcg_data", T_ULONGLONG, R(memcg_data), READONLY,
	  "page->memcg_data (0 where the kernel has none)" },
	{ "allocated", T_BOOL, R(allocated), READONLY,
	  "PAGE_EXT_OWNER_ALLOCATED: the page is allocated" },
	{ "pageblock_migratetype", T_INT, R(pageblock_mt), READONLY,
	  "get_pageblock_migratetype(); -1 when unknown" },
	{ "order", T_UINT, R(order), READONLY, "allocation order" },
	{ "last_migrate_reason", T_INT, R(last_migrate_reason), READONLY,
	  "enum migrate_reason; -1 when never migrated" },
	{ "gfp_mask", T_UINT, R(gfp_mask), READONLY,
	  "gfp_t of the allocation" },
	{ "handle", T_UINT, R(handle), READONLY,
	  "depot_stack_handle_t of the allocation stack" },
	{ "free_handle", T_UINT, R(free_handle), READONLY,
	  "depot_stack_handle_t of the free stack; 0 if none" },
	{ "use_object", T_ULONGLONG, R(use_object), READONLY,
	  "the kmem_cache of a slab page, the address_space of a file "
	  "page, the anon_vma of an anonymous one; 0 otherwise" },
	{ NULL },
};

#undef R

/* What the page is now: po_page_use_name()'s word. */
static PyObject *PageOwner_get_use(PageOwner *self, void *closure)
{
	return PyUnicode_FromString(po_page_use_name(self->r.use));
}

static PyGetSetDef PageOwner_getset[] = {
	{ "use", (getter)PageOwner_get_use, NULL,
	  "what the page is now: free, slab, file, shmem, anon, pagetable, "
	  "reserved, kernel, ...",
	  NULL },
	{ "comm", (getter)PageOwner_get_comm, NULL, "allocating task's comm",
	  NULL },
	{ "pages", (getter)PageOwner_get_pages, NULL, "1 << order", NULL },
	{ "ts_nsec", (getter)PageOwner_get_optional, NULL,
	  "allocation time, ns since boot; None if the kernel has none",
	  (void *)&optional_fields[0] },
	{ "free_ts_nsec", (getter)PageOwner_get_optional, NULL,
	  "free time, ns since boot; None if the kernel has none",
	  (void *)&optional_fields[1] },
	{ "pid", (getter)PageOwner_get_optional, NULL,
	  "allocating pid; None if the kernel records none",
	  (void *)&optional_fields[2] },
	{ "tgid", (getter)PageOwner_get_optional, NULL,
	  "allocating tgid; None if the kernel records none",
	  (void *)&optional_fields[3] },
	{ "free_pid", (getter)PageOwner_get_optional, NULL,
	  "freeing pid; None if the kernel records none",
	  (void *)&optional_fields[4] },
	{ "free_tgid", (getter)PageOwner_get_optional, NULL,
	  "freeing tgid; None if the kernel records none",
	  (void *)&optional_fields[5] },
	{ "stack", (getter)PageOwner_get_stack, NULL,
	  "StackTrace of the allocation", NULL },
	{ "free_stack", (getter)PageOwner_get_stack, NULL,
	  "StackTrace of the free; None if none", (void *)1 },
	{ "node", (getter)PageOwner_get_zone, NULL,
	  "NUMA node, as report --group node; None in no zone", NULL },
	{ "zone", (getter)PageOwner_get_zone, NULL,
	  "zone name (\"DMA32\", \"Normal\", ...), as /proc/zoneinfo names it; "
	  "None in no zone",
	  "zone" },
	{ "handle_kind", (getter)PageOwner_get_handle_kind, NULL,
	  "\"normal\", or page_owner's \"dummy\", \"failure\" or \"early\"",
	  NULL },
	{ NULL },
};

PyTypeObject PageOwner_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pageowner.PageOwner",
	.tp_basicsize = sizeof(PageOwner),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "One page's owner, as page_owner recorded it.",
	.tp_dealloc = (destructor)PageOwner_dealloc,
	.tp_traverse = (traverseproc)PageOwner_traverse,
	.tp_repr = (reprfunc)PageOwner_repr,
	.tp_str = (reprfunc)PageOwner_str,
	.tp_members = PageOwner_members,
	.tp_getset = PageOwner_getset,
};

/* ---- the iterator ---- */

typedef struct {
	PyObject_HEAD
	Program *prog;
	struct po_owner_iter *it;
	bool freed;
	uint64_t end; /* Python's exclusive end; UINT64_MAX for none */
	struct po_page_owner batch[BATCH];
	size_t nr, next;
} PageOwnerIterator;

PyObject *po_py_page_owners(Program *p, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "freed", "start", "end", "all", NULL };
	struct po_page_owner_options opt = { 0 };
	unsigned long long start = 0;
	PyObject *end = Py_None;
	uint64_t end_pfn = UINT64_MAX;
	PageOwnerIterator *it;
	struct po_error *err;
	int freed = 0, all = 0;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "|pKOp:page_owners",
					 kwlist, &freed, &start, &end, &all))
		return NULL;
	opt.freed = freed;
	opt.all_pages = all;
	opt.pfn_start = start;
	if (end != Py_None) {
		end_pfn = PyLong_AsUnsignedLongLong(end);
		if (PyErr_Occurred())
			return NULL;
	}
	/*
	 * The library's end is inclusive, and 0 means "none", so it cannot
	 * say [0, 1); for that range alone the iterator stops at Python's
	 * exclusive end itself.  An empty range starts past every pfn.
	 */
	if (end_pfn <= start)
		opt.pfn_start = opt.pfn_end = UINT64_MAX;
	else if (end_pfn > 1 && end_pfn != UINT64_MAX)
		opt.pfn_end = end_pfn - 1;
	it = PyObject_GC_New(PageOwnerIterator, &PageOwnerIterator_type);
	if (!it)
		return NULL;
	it->prog = (Program *)Py_NewRef((PyObject *)p);
	it->it = NULL;
	it->freed = freed;
	it->end = end_pfn;
	it->nr = it->next = 0;
	PyObject_GC_Track(it);
	po_py_lock(p);
	err = po_owners_open(p->prog, &opt, &it->it);
	po_py_unlock(p);
	if (err) {
		Py_DECREF(it);
		return po_py_raise(err);
	}
	return (PyObject *)it;
}

/* The walk reads the C program: it is closed before the Program goes. */
static void PageOwnerIterator_dealloc(PageOwnerIterator *self)
{
	PyObject_GC_UnTrack(self);
	po_owners_close(self->it);
	Py_DECREF(self->prog);
	PyObject_GC_Del(self);
}

static int PageOwnerIterator_traverse(PageOwnerIterator *self, visitproc visit,
				      void *arg)
{
	Py_VISIT(self->prog);
	return 0;
}

static PyObject *PageOwnerIterator_next(PageOwnerIterator *self)
{
	struct po_error *err;

	if (self->next == self->nr) {
		self->next = self->nr = 0;
		po_py_lock(self->prog);
		Py_BEGIN_ALLOW_THREADS
		err = po_owners_next(self->it, self->batch, BATCH, &self->nr);
		Py_END_ALLOW_THREADS
		po_py_unlock(self->prog);
		if (err)
			return po_py_raise(err);
		if (!self->nr)
			return NULL; /* StopIteration; counts stay readable */
	}
	if (self->batch[self->next].pfn >= self->end) {
		self->next = self->nr; /* pfns only grow: later calls too */
		return NULL;
	}
	return po_py_page_owner_new(self->prog, &self->batch[self->next++],
				    self->freed);
}

/* .counts: what the walk yielded and what it had to skip, so far. */
static PyObject *PageOwnerIterator_get_counts(PageOwnerIterator *self,
					      void *closure)
{
	struct po_walk_counts c;

	po_owners_counts(self->it, &c);
	return Py_BuildValue(
		"{sKsKsKsKsKsKsK}", "records", (unsigned long long)c.records,
		"page_excluded", (unsigned long long)c.page_excluded,
		"page_unreadable", (unsigned long long)c.page_unreadable,
		"ext_excluded", (unsigned long long)c.ext_excluded,
		"ext_unreadable", (unsigned long long)c.ext_unreadable,
		"ext_missing", (unsigned long long)c.ext_missing, "bad_order",
		(unsigned long long)c.bad_order);
}

static PyGetSetDef PageOwnerIterator_getset[] = {
	{ "counts", (getter)PageOwnerIterator_get_counts, NULL,
	  "records so far, and pages skipped because the dump lacks them "
	  "(filtered out: *_excluded; absent: *_unreadable, ext_missing), "
	  "and corrupt records skipped (bad_order)",
	  NULL },
	{ NULL },
};

PyTypeObject PageOwnerIterator_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pageowner.PageOwnerIterator",
	.tp_basicsize = sizeof(PageOwnerIterator),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "prog.page_owners(): PageOwner records in pfn order",
	.tp_dealloc = (destructor)PageOwnerIterator_dealloc,
	.tp_traverse = (traverseproc)PageOwnerIterator_traverse,
	.tp_iter = PyObject_SelfIter,
	.tp_iternext = (iternextfunc)PageOwnerIterator_next,
	.tp_getset = PageOwnerIterator_getset,
};
