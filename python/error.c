// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The exceptions of the pageowner module and the one place that turns a
 * struct po_error into one of them.
 *
 *   Error                      every libpageowner failure
 *     FaultError               an address the dump cannot give (.address)
 *       FilteredPageError      ... because makedumpfile filtered it out
 *     NotFoundError (KeyError) no such symbol, type, member or key
 *     BadDataError (ValueError) kernel data in the dump is inconsistent
 *     InvalidError (ValueError) a bad argument: an expression, a handle
 *     FormatError              a file is not what it should be
 *     MismatchError            vmlinux does not belong to the dump
 *     UnsupportedError         a kernel layout pageowner does not handle
 * plus MemoryError, OSError and KeyboardInterrupt for what
 * Python already has words for.
 */
#include "pypageowner.h"

static PyObject *Error, *FaultError, *FilteredPageError, *NotFoundError;
static PyObject *BadDataError, *InvalidError, *FormatError, *MismatchError,
	*UnsupportedError;

static PyObject *new_class(PyObject *module, const char *name, PyObject *bases,
			   const char *doc)
{
	char qualified[64];
	PyObject *cls;

	snprintf(qualified, sizeof(qualified), "pageowner.%s", name);
	cls = PyErr_NewExceptionWithDoc(qualified, doc, bases, NULL);
	if (cls && PyModule_AddObjectRef(module, name, cls) < 0)
		Py_CLEAR(cls);
	Py_XDECREF(bases);
	return cls;
}

int po_py_errors_init(PyObject *module)
{
	Py_INCREF(PyExc_Exception);
	Error = new_class(module, "Error", PyExc_Exception,
			  "A libpageowner failure.");
	if (!Error)
		return -1;
	FaultError =
		new_class(module, "FaultError", Py_NewRef(Error),
			  "An address the dump cannot give; see .address.");
	if (!FaultError)
		return -1;
	FilteredPageError = new_class(
		module, "FilteredPageError", Py_NewRef(FaultError),
		"The page was filtered out of the dump by makedumpfile.");
	NotFoundError = new_class(module, "NotFoundError",
				  PyTuple_Pack(2, Error, PyExc_KeyError),
				  "No such symbol, type, member or key.");
	BadDataError = new_class(module, "BadDataError",
				 PyTuple_Pack(2, Error, PyExc_ValueError),
				 "Kernel data in the dump is inconsistent.");
	InvalidError = new_class(module, "InvalidError",
				 PyTuple_Pack(2, Error, PyExc_ValueError),
				 "A bad argument: an expression, a handle.");
	FormatError = new_class(module, "FormatError", Py_NewRef(Error),
				"A file is not what it should be.");
	MismatchError = new_class(module, "MismatchError", Py_NewRef(Error),
				  "The vmlinux does not belong to the dump.");
	UnsupportedError =
		new_class(module, "UnsupportedError", Py_NewRef(Error),
			  "A kernel layout pageowner does not handle.");
	if (!FilteredPageError || !NotFoundError || !BadDataError ||
	    !InvalidError || !FormatError || !MismatchError ||
	    !UnsupportedError)
		return -1;
	return 0;
}

static PyObject *error_class(const struct po_error *err)
{
	switch (err->code) {
	case PO_ERR_FAULT:
		return FaultError;
	case PO_ERR_EXCLUDED:
		return FilteredPageError;
	case PO_ERR_LOOKUP:
		return NotFoundError;
	case PO_ERR_BAD_DATA:
		return BadDataError;
	case PO_ERR_FORMAT:
		return FormatError;
	case PO_ERR_MISMATCH:
		return MismatchError;
	case PO_ERR_UNSUPPORTED:
		return UnsupportedError;
	case PO_ERR_INVALID:
		return InvalidError;
	default:
		return Error;
	}
}

/* FaultError and FilteredPageError carry the address as .address. */
static void raise_with_address(PyObject *cls, const struct po_error *err)
{
	PyObject *exc, *addr;

	exc = PyObject_CallFunction(cls, "s", err->message);
	if (!exc)
		return;
	addr = PyLong_FromUnsignedLongLong(err->address);
	if (addr && PyObject_SetAttrString(exc, "address", addr) == 0)
		PyErr_SetObject(cls, exc);
	Py_XDECREF(addr);
	Py_DECREF(exc);
}

static void raise_error(struct po_error *err, PyObject *lookup_class)
{
	/* The interrupt hook has already raised KeyboardInterrupt. */
	if (PyErr_Occurred())
		return;
	switch (err->code) {
	case PO_ERR_NOMEM:
		PyErr_NoMemory();
		return;
	case PO_ERR_OS:
		PyErr_SetObject(PyExc_OSError,
				Py_BuildValue("(is)", err->errnum,
					      err->message));
		return;
	case PO_ERR_INTERRUPTED:
		PyErr_SetNone(PyExc_KeyboardInterrupt);
		return;
	case PO_ERR_FAULT:
	case PO_ERR_EXCLUDED:
		raise_with_address(error_class(err), err);
		return;
	case PO_ERR_LOOKUP:
		PyErr_SetString(lookup_class ? lookup_class : NotFoundError,
				err->message);
		return;
	default:
		PyErr_SetString(error_class(err), err->message);
	}
}

PyObject *po_py_raise_as(struct po_error *err, PyObject *lookup_class)
{
	raise_error(err, lookup_class);
	po_error_destroy(err);
	return NULL;
}

PyObject *po_py_raise(struct po_error *err)
{
	return po_py_raise_as(err, NULL);
}
