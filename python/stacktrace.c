// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pageowner.StackTrace: the frames a depot_stack_handle_t stands for, and
 * pageowner.StackFrame, one return address.  str() of a trace is what
 * page_owner prints for it, " %pS\n" per frame; str() of a frame is %pS.
 */
#include "pypageowner.h"
#include <structmember.h>

typedef struct {
	PyObject_HEAD
	unsigned long long pc;
	PyObject *symbol; /* str or None */
	PyObject *module; /* str or None */
	unsigned long long offset, size;
	PyObject *text; /* %pS */
} StackFrame;

static void StackFrame_dealloc(StackFrame *self)
{
	Py_XDECREF(self->symbol);
	Py_XDECREF(self->module);
	Py_XDECREF(self->text);
	PyObject_Free(self);
}

static PyObject *str_or_none(const char *s)
{
	return s ? PyUnicode_FromString(s) : Py_NewRef(Py_None);
}

/*
 * Only strings are made with the program locked: allocating a container
 * can run the collector, and a finalizer it runs may use the program and
 * wait forever for the lock this thread holds.
 */
static PyObject *frame_new(Program *p, uint64_t pc)
{
	StackFrame *f = PyObject_New(StackFrame, &StackFrame_type);
	struct po_symbol sym = { 0 };
	struct po_error *err;
	char text[256];

	if (!f)
		return NULL;
	f->pc = pc;
	f->symbol = f->module = f->text = NULL;
	po_py_lock(p);
	/* An address outside every symbol is a frame too, with no name. */
	err = po_symbol_resolve(p->prog, pc, &sym);
	po_error_destroy(err);
	if (err)
		sym = (struct po_symbol){ .module = po_symbol_freed_init_module(
						  p->prog, pc) };
	err = po_symbolize(p->prog, pc, text, sizeof(text));
	if (!err) {
		f->symbol = str_or_none(sym.name);
		f->module = str_or_none(sym.module);
	}
	po_py_unlock(p);
	if (err) {
		Py_DECREF(f);
		return po_py_raise(err);
	}
	f->offset = sym.offset;
	f->size = sym.size;
	f->text = PyUnicode_FromString(text);
	if (!f->symbol || !f->module || !f->text)
		Py_CLEAR(f);
	return (PyObject *)f;
}

static PyObject *StackFrame_str(StackFrame *self)
{
	return Py_NewRef(self->text);
}

static PyObject *StackFrame_repr(StackFrame *self)
{
	char pc[24];

	/* PyUnicode_FromFormat() knows no %llx. */
	snprintf(pc, sizeof(pc), "0x%llx", self->pc);
	return PyUnicode_FromFormat("StackFrame(pc=%s, %R)", pc, self->text);
}

static PyMemberDef StackFrame_members[] = {
	{ "pc", T_ULONGLONG, offsetof(StackFrame, pc), READONLY,
	  "the return address" },
	{ "symbol", T_OBJECT, offsetof(StackFrame, symbol), READONLY,
	  "name of the function; None if no symbol covers pc" },
	{ "module", T_OBJECT, offsetof(StackFrame, module), READONLY,
	  "module name; None in the kernel image.  A frame in a module's "
	  "init text, freed after init, has its module and no symbol" },
	{ "offset", T_ULONGLONG, offsetof(StackFrame, offset), READONLY,
	  "pc minus the symbol's address" },
	{ "size", T_ULONGLONG, offsetof(StackFrame, size), READONLY,
	  "the symbol's size, as kallsyms reckons it" },
	{ NULL },
};

PyTypeObject StackFrame_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pageowner.StackFrame",
	.tp_basicsize = sizeof(StackFrame),
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "One frame of a StackTrace; str() is the kernel's %pS.",
	.tp_dealloc = (destructor)StackFrame_dealloc,
	.tp_repr = (reprfunc)StackFrame_repr,
	.tp_str = (reprfunc)StackFrame_str,
	.tp_members = StackFrame_members,
};

/* ---- StackTrace ---- */

static PyObject *stack_new(Program *p, uint32_t handle)
{
	StackTrace *st;
	const uint64_t *pcs;
	struct po_error *err;
	PyObject *frames;
	size_t n, i;

	po_py_lock(p);
	err = po_stack_entries(p->prog, handle, &pcs, &n);
	po_py_unlock(p);
	if (err)
		return po_py_raise(err);
	/* pcs lasts as long as the C program, which p keeps. */
	frames = PyTuple_New((Py_ssize_t)n);
	for (i = 0; frames && i < n; i++) {
		PyObject *f = frame_new(p, pcs[i]);

		if (!f)
			Py_CLEAR(frames);
		else
			PyTuple_SET_ITEM(frames, (Py_ssize_t)i, f);
	}
	if (!frames)
		return NULL;
	st = PyObject_GC_New(StackTrace, &StackTrace_type);
	if (!st) {
		Py_DECREF(frames);
		return NULL;
	}
	st->prog = (Program *)Py_NewRef((PyObject *)p);
	st->handle = handle;
	st->frames = frames;
	PyObject_GC_Track(st);
	return (PyObject *)st;
}

/* Stacks are decoded once per handle and per program. */
PyObject *po_py_stack_get(Program *p, uint32_t handle)
{
	PyObject *key = PyLong_FromUnsignedLong(handle), *st;

	if (!key)
		return NULL;
	st = PyDict_GetItemWithError(p->stacks, key);
	if (st || PyErr_Occurred()) {
		Py_DECREF(key);
		return Py_XNewRef(st);
	}
	st = stack_new(p, handle);
	if (st && PyDict_SetItem(p->stacks, key, st) < 0)
		Py_CLEAR(st);
	Py_DECREF(key);
	return st;
}

static void StackTrace_dealloc(StackTrace *self)
{
	PyObject_GC_UnTrack(self);
	Py_XDECREF(self->frames);
	Py_DECREF(self->prog);
	PyObject_GC_Del(self);
}

/*
 * No tp_clear: every cycle a StackTrace is in runs through its Program,
 * and Program_clear() breaks it; a StackTrace keeps its Program to the
 * end, so that kind and meaning never find it gone.
 */
static int StackTrace_traverse(StackTrace *self, visitproc visit, void *arg)
{
	Py_VISIT(self->prog);
	Py_VISIT(self->frames);
	return 0;
}

static Py_ssize_t StackTrace_length(StackTrace *self)
{
	return PyTuple_GET_SIZE(self->frames);
}

static PyObject *StackTrace_item(StackTrace *self, Py_ssize_t i)
{
	if (i < 0 || i >= PyTuple_GET_SIZE(self->frames)) {
		PyErr_SetString(PyExc_IndexError, "no such frame");
		return NULL;
	}
	return Py_NewRef(PyTuple_GET_ITEM(self->frames, i));
}

/* stack_trace_snprint(..., 0): one space, %pS, newline, per frame. */
static PyObject *StackTrace_str(StackTrace *self)
{
	PyObject *parts = PyList_New(0), *nl, *s = NULL;
	Py_ssize_t i;

	for (i = 0; parts && i < PyTuple_GET_SIZE(self->frames); i++) {
		PyObject *line = PyUnicode_FromFormat(
			" %S\n",
			((StackFrame *)PyTuple_GET_ITEM(self->frames, i))->text);

		if (!line || PyList_Append(parts, line) < 0)
			Py_CLEAR(parts);
		Py_XDECREF(line);
	}
	nl = PyUnicode_FromString("");
	if (parts && nl)
		s = PyUnicode_Join(nl, parts);
	Py_XDECREF(nl);
	Py_XDECREF(parts);
	return s;
}

static PyObject *StackTrace_repr(StackTrace *self)
{
	return PyUnicode_FromFormat("StackTrace(handle=0x%08x, frames=%zd)",
				    (unsigned int)self->handle,
				    PyTuple_GET_SIZE(self->frames));
}

static PyObject *StackTrace_get_handle(StackTrace *self, void *closure)
{
	return PyLong_FromUnsignedLong(self->handle);
}

static PyObject *StackTrace_get_frames(StackTrace *self, void *closure)
{
	return Py_NewRef(self->frames);
}

/* What page_owner meant by @handle: its kind, or with @meaning its words. */
PyObject *po_py_handle_kind(Program *p, uint32_t handle, bool meaning)
{
	enum po_special_handle k;
	struct po_error *err;

	po_py_lock(p);
	err = po_handle_classify(p->prog, handle, &k);
	po_py_unlock(p);
	if (err)
		return po_py_raise(err);
	if (meaning)
		return PyUnicode_FromString(po_special_handle_meaning(k));
	return PyUnicode_FromString(
		k == PO_HANDLE_NORMAL ? "normal" : po_special_handle_name(k));
}

static PyObject *StackTrace_get_kind(StackTrace *self, void *meaning)
{
	return po_py_handle_kind(self->prog, self->handle, meaning != NULL);
}

static PyGetSetDef StackTrace_getset[] = {
	{ "handle", (getter)StackTrace_get_handle, NULL,
	  "the depot_stack_handle_t", NULL },
	{ "frames", (getter)StackTrace_get_frames, NULL,
	  "tuple of StackFrame, innermost first", NULL },
	{ "kind", (getter)StackTrace_get_kind, NULL,
	  "\"normal\", or page_owner's \"dummy\", \"failure\" or \"early\"",
	  NULL },
	{ "meaning", (getter)StackTrace_get_kind, NULL,
	  "what page_owner meant by this handle, in one sentence", (void *)1 },
	{ NULL },
};

static PySequenceMethods StackTrace_as_sequence = {
	.sq_length = (lenfunc)StackTrace_length,
	.sq_item = (ssizeargfunc)StackTrace_item,
};

PyTypeObject StackTrace_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pageowner.StackTrace",
	.tp_basicsize = sizeof(StackTrace),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "The frames of a stack depot handle; prog.stack(handle).",
	.tp_dealloc = (destructor)StackTrace_dealloc,
	.tp_traverse = (traverseproc)StackTrace_traverse,
	.tp_repr = (reprfunc)StackTrace_repr,
	.tp_str = (reprfunc)StackTrace_str,
	.tp_getset = StackTrace_getset,
	.tp_as_sequence = &StackTrace_as_sequence,
};
