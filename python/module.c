// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The pageowner module: its classes, open() and cast(), and the helper
 * that turns what a library function writes to a FILE into a str.
 */
#include "pypageowner.h"

int po_py_text_open(struct po_py_text *t)
{
	*t = (struct po_py_text){ 0 };
	t->f = open_memstream(&t->buf, &t->len);
	if (!t->f) {
		PyErr_SetFromErrno(PyExc_OSError);
		return -1;
	}
	return 0;
}

PyObject *po_py_text_close(struct po_py_text *t, struct po_error *err,
			   bool chomp)
{
	PyObject *s = NULL;
	size_t len;

	if (fclose(t->f) != 0 && !err) {
		PyErr_SetFromErrno(PyExc_OSError);
	} else if (err) {
		po_py_raise(err);
	} else {
		len = t->len;
		if (chomp && len && t->buf[len - 1] == '\n')
			len--;
		s = PyUnicode_DecodeUTF8(t->buf, (Py_ssize_t)len,
					 "backslashreplace");
	}
	free(t->buf);
	return s;
}

static PyObject *module_open(PyObject *module, PyObject *args, PyObject *kwds)
{
	return PyObject_Call((PyObject *)&Program_type, args, kwds);
}

/* cast(type, obj), as drgn spells it. */
static PyObject *module_cast(PyObject *module, PyObject *args)
{
	PyObject *type_arg;
	Object *obj;
	struct po_object res;
	struct po_ctype t;
	struct po_error *err;

	if (!PyArg_ParseTuple(args, "OO!:cast", &type_arg, &Object_type, &obj))
		return NULL;
	if (po_py_type_arg(obj->prog, type_arg, &t) < 0)
		return NULL;
	po_py_lock(obj->prog);
	err = po_object_get_cast(obj->prog->prog, &obj->obj, t, &res);
	po_py_unlock(obj->prog);
	return err ? po_py_raise(err) : po_py_object_new(obj->prog, &res);
}

static PyMethodDef module_methods[] = {
	{ "open", (PyCFunction)(void (*)(void))module_open,
	  METH_VARARGS | METH_KEYWORDS,
	  "open(core, vmlinux=None, *, ignore_mismatch=False, "
	  "no_vmlinux=False) -> "
	  "Program\n\nOpen a vmcore (ELF, kdump-compressed or flattened) "
	  "read-only with its vmlinux; without one, vmlinux is looked for "
	  "by build-id and release.  A vmlinux whose build-id, release or "
	  "linux_banner does not match raises MismatchError unless "
	  "ignore_mismatch (then see Program.identity_note).  With "
	  "no_vmlinux (or when none is found), types come from the "
	  "kernel's BTF in the dump and symbols from its kallsyms; "
	  "Program.vmlinux is then None." },
	{ "cast", module_cast, METH_VARARGS,
	  "cast(type, obj) -> Object: (type)obj, as in C" },
	{ NULL },
};

static struct PyModuleDef module_def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "pageowner",
	.m_doc = "Post-mortem page_owner analysis of Linux vmcores: drgn-like "
		 "scripting over libpageowner.",
	.m_size = -1,
	.m_methods = module_methods,
};

static int add_type(PyObject *m, PyTypeObject *type, const char *name)
{
	if (PyType_Ready(type) < 0)
		return -1;
	return PyModule_AddObjectRef(m, name, (PyObject *)type);
}

PyMODINIT_FUNC PyInit_pageowner(void);

PyMODINIT_FUNC PyInit_pageowner(void)
{
	PyObject *m = PyModule_Create(&module_def);

	if (!m)
		return NULL;
	if (add_type(m, &Program_type, "Program") < 0 ||
	    add_type(m, &Object_type, "Object") < 0 ||
	    add_type(m, &Type_type, "Type") < 0 ||
	    add_type(m, &PageOwner_type, "PageOwner") < 0 ||
	    add_type(m, &PageOwnerIterator_type, "PageOwnerIterator") < 0 ||
	    add_type(m, &StackTrace_type, "StackTrace") < 0 ||
	    add_type(m, &StackFrame_type, "StackFrame") < 0 ||
	    po_py_type_init(m) < 0 || po_py_report_init(m) < 0 ||
	    po_py_errors_init(m) < 0 ||
	    PyModule_AddStringConstant(m, "__version__", PO_VERSION_STRING) <
		    0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
