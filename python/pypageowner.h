/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 9: the Python module "pageowner", a thin skin over libpageowner's
 * public API (pageowner.h).  One file per class; errors become exceptions
 * in one place (error.c).  These files are the only ones to include
 * Python.h.
 */
#ifndef PYPAGEOWNER_H
#define PYPAGEOWNER_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>

#include "pageowner.h"

/*
 * Every call into the library holds the program's lock: walks run with
 * the GIL released, and the library's caches are not thread-safe.
 *
 * What refers to what: every object below that points into the C program
 * holds its Program, so that the program is destroyed only once nothing
 * can use it.  The Program holds only its stack cache, whose StackTraces
 * hold the Program back: Program_clear() breaks that cycle.  An Object, a
 * Type, a PageOwner or an iterator is in no cycle, but each is a GC
 * object that visits its Program too: the collector must see that such a
 * reference comes from garbage, or the Program would outlive the
 * collection that frees the garbage.  So a ReportGroup (it holds a
 * StackTrace) and a TypeMember (a Type) are tracked by hand, since
 * PyStructSequence_New() leaves them untracked.  A StackFrame holds only
 * strings and stays out of the collector.
 */
typedef struct {
	PyObject_HEAD
	struct po_program *prog;
	PyThread_type_lock lock;
	struct po_owner_printer *printer[2]; /* allocated, freed; lazily */
	PyObject *stacks; /* handle -> StackTrace */
} Program;

typedef struct {
	PyObject_HEAD
	Program *prog;
	struct po_object obj;
} Object;

typedef struct {
	PyObject_HEAD
	Program *prog;
	struct po_ctype type;
} Type;

typedef struct {
	PyObject_HEAD
	Program *prog;
	struct po_page_owner r;
	bool freed; /* from a walk of freed pages: print the free side */
} PageOwner;

typedef struct {
	PyObject_HEAD
	Program *prog;
	uint32_t handle;
	PyObject *frames; /* tuple of StackFrame */
} StackTrace;

extern PyTypeObject Program_type, Object_type, Type_type, PageOwner_type;
extern PyTypeObject PageOwnerIterator_type, StackTrace_type, StackFrame_type;
extern PyTypeObject ReportGroup_type, StackCount_type, TypeMember_type;

/* error.c: the one mapping from struct po_error to an exception. */
int po_py_errors_init(PyObject *module);
/* Raise @err as its exception class, free it, and return NULL. */
PyObject *po_py_raise(struct po_error *err);
/* As po_py_raise(), but a missing name raises @lookup_class (KeyError,
 * AttributeError) so that Python's protocols behave. */
PyObject *po_py_raise_as(struct po_error *err, PyObject *lookup_class);

/* program.c */
void po_py_lock(Program *p);
void po_py_unlock(Program *p);
/*
 * The lazily made record printer of @p, for a caller that holds @p's
 * lock: it raises nothing, since making an exception can run the
 * collector, and with it Python code that would wait for that lock.
 */
struct po_error *po_py_printer(Program *p, bool freed,
			       struct po_owner_printer **ret);

/* object.c, type.c, page_owner.c, stacktrace.c */
PyObject *po_py_object_new(Program *p, const struct po_object *obj);
PyObject *po_py_type_new(Program *p, struct po_ctype type);
/* A Type, or a type name parsed in @p; -1 with an exception set. */
int po_py_type_arg(Program *p, PyObject *arg, struct po_ctype *ret);
PyObject *po_py_page_owner_new(Program *p, const struct po_page_owner *r,
			       bool freed);
PyObject *po_py_page_owners(Program *p, PyObject *args, PyObject *kwds);
PyObject *po_py_stack_get(Program *p, uint32_t handle);
/* "normal", "dummy", "failure" or "early"; with @meaning, in words. */
PyObject *po_py_handle_kind(Program *p, uint32_t handle, bool meaning);
/* @type spelled in C. */
PyObject *po_py_type_name(Program *p, struct po_ctype type);
int po_py_type_init(PyObject *module);
int po_py_report_init(PyObject *module);
PyObject *po_py_report(Program *p, PyObject *args, PyObject *kwds);
PyObject *po_py_stacks(Program *p, PyObject *args, PyObject *kwds);

/* Everything a C function writes to a FILE, as a str. */
struct po_py_text {
	char *buf;
	size_t len;
	FILE *f;
};
int po_py_text_open(struct po_py_text *t);
/*
 * Close the stream and return its text, without its last newline if
 * @chomp (a value's str() has none); NULL (exception set) if @err.
 */
PyObject *po_py_text_close(struct po_py_text *t, struct po_error *err,
			   bool chomp);

#endif /* PYPAGEOWNER_H */
