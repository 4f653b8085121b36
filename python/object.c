// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pageowner.Object: a typed piece of the dumped kernel, as drgn's Object.
 * obj.member and obj[i] follow C, value_() converts to Python, str() prints
 * the way crash's "p" does.
 */
#include "pypageowner.h"

PyObject *po_py_object_new(Program *p, const struct po_object *obj)
{
	Object *o = PyObject_GC_New(Object, &Object_type);

	if (!o)
		return NULL;
	o->prog = (Program *)Py_NewRef((PyObject *)p);
	o->obj = *obj;
	PyObject_GC_Track(o);
	return (PyObject *)o;
}

static void Object_dealloc(Object *self)
{
	PyObject_GC_UnTrack(self);
	Py_DECREF(self->prog);
	PyObject_GC_Del(self);
}

/* In no cycle, but garbage holding an Object holds its Program too. */
static int Object_traverse(Object *self, visitproc visit, void *arg)
{
	Py_VISIT(self->prog);
	return 0;
}

/* Object(prog, type, value=None, *, address=None) */
static PyObject *Object_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "prog", "type", "value", "address", NULL };
	PyObject *prog, *type_arg, *value = Py_None, *address = Py_None;
	struct po_object obj = { 0 };
	struct po_error *err;
	Program *p;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O|O$O:Object", kwlist,
					 &Program_type, &prog, &type_arg,
					 &value, &address))
		return NULL;
	p = (Program *)prog;
	if ((value == Py_None) == (address == Py_None))
		return PyErr_Format(PyExc_ValueError,
				    "give an Object either a value or an "
				    "address");
	if (po_py_type_arg(p, type_arg, &obj.type) < 0)
		return NULL;
	if (address != Py_None) {
		obj.kind = PO_OBJ_REFERENCE;
		obj.address = PyLong_AsUnsignedLongLongMask(address);
		return PyErr_Occurred() ? NULL : po_py_object_new(p, &obj);
	}
	obj.value = PyLong_AsUnsignedLongLongMask(value);
	if (PyErr_Occurred())
		return NULL;
	po_py_lock(p);
	err = po_object_from_value(p->prog, obj.type, obj.value, &obj);
	po_py_unlock(p);
	return err ? po_py_raise(err) : po_py_object_new(p, &obj);
}

static const char *kind_of(Object *self)
{
	return po_ctype_kind_name(self->prog->prog, self->obj.type);
}

/* A 128-bit integer (arm64's vregs) in memory: a po_object holds 64 bits. */
static PyObject *int128_value(Object *self)
{
	unsigned char bytes[16];
	struct po_error *err;

	po_py_lock(self->prog);
	err = po_read(self->prog->prog, self->obj.address, bytes,
		      sizeof(bytes));
	po_py_unlock(self->prog);
	if (err)
		return po_py_raise(err);
	return _PyLong_FromByteArray(bytes, sizeof(bytes), 1,
				     po_ctype_signed(self->prog->prog,
						     self->obj.type));
}

static PyObject *scalar_value(Object *self, const char *kind)
{
	struct po_error *err;
	uint64_t size = 0, v;

	if (!strcmp(kind, "int") && self->obj.kind == PO_OBJ_REFERENCE &&
	    !self->obj.bit_size) {
		po_py_lock(self->prog);
		err = po_ctype_sizeof(self->prog->prog, self->obj.type, &size);
		po_py_unlock(self->prog);
		po_error_destroy(err);
		if (!err && size == 16)
			return int128_value(self);
	}
	po_py_lock(self->prog);
	err = po_object_get_value(self->prog->prog, &self->obj, &v);
	po_py_unlock(self->prog);
	if (err)
		return po_py_raise(err);
	if (!strcmp(kind, "bool"))
		return PyBool_FromLong(v != 0);
	if (strcmp(kind, "pointer") &&
	    po_ctype_signed(self->prog->prog, self->obj.type))
		return PyLong_FromLongLong((long long)v);
	return PyLong_FromUnsignedLongLong(v);
}

static PyObject *Object_value(Object *self, PyObject *unused);

static PyObject *float_value(Object *self)
{
	struct po_error *err;
	uint64_t size;
	double d = 0;
	float f;

	if (self->obj.kind != PO_OBJ_REFERENCE)
		return PyErr_Format(PyExc_TypeError, "no value to read");
	po_py_lock(self->prog);
	err = po_ctype_sizeof(self->prog->prog, self->obj.type, &size);
	if (!err && size == sizeof(f))
		err = po_read(self->prog->prog, self->obj.address, &f, size);
	else if (!err && size == sizeof(d))
		err = po_read(self->prog->prog, self->obj.address, &d, size);
	po_py_unlock(self->prog);
	if (err)
		return po_py_raise(err);
	if (size != sizeof(f) && size != sizeof(d))
		return PyErr_Format(PyExc_NotImplementedError,
				    "a %llu-byte float",
				    (unsigned long long)size);
	return PyFloat_FromDouble(size == sizeof(f) ? f : d);
}

/* An element or member as its own Object, then its value_(). */
static PyObject *value_of(Object *self, const struct po_object *obj)
{
	PyObject *o = po_py_object_new(self->prog, obj), *v;

	if (!o)
		return NULL;
	v = Object_value((Object *)o, NULL);
	Py_DECREF(o);
	return v;
}

static PyObject *array_value(Object *self)
{
	struct po_object elem;
	struct po_error *err;
	PyObject *list;
	uint64_t n, i;

	/* A flexible array member has no elements we know of, as drgn. */
	if (!po_ctype_length(self->prog->prog, self->obj.type, &n))
		n = 0;
	list = PyList_New(0);
	for (i = 0; list && i < n; i++) {
		PyObject *v;

		po_py_lock(self->prog);
		err = po_object_get_index(self->prog->prog, &self->obj,
					  (int64_t)i, &elem);
		po_py_unlock(self->prog);
		if (err) {
			Py_DECREF(list);
			return po_py_raise(err);
		}
		v = value_of(self, &elem);
		if (!v || PyList_Append(list, v) < 0)
			Py_CLEAR(list);
		Py_XDECREF(v);
	}
	return list;
}

/* Members of anonymous structs and unions go in at the outer level. */
static int add_members(Object *self, const struct po_object *obj,
		       PyObject *dict)
{
	struct po_ctype_member *m;
	struct po_error *err;
	size_t n, i;
	int ret = 0;

	po_py_lock(self->prog);
	err = po_ctype_members(self->prog->prog, obj->type, &m, &n);
	po_py_unlock(self->prog);
	if (err) {
		po_py_raise(err);
		return -1;
	}
	for (i = 0; !ret && i < n; i++) {
		struct po_object member = *obj;
		PyObject *v;

		member.type = m[i].type;
		member.address += m[i].bit_offset / 8;
		member.bit_offset = (uint8_t)(m[i].bit_offset % 8);
		member.bit_size = (uint8_t)m[i].bit_size;
		if (!m[i].name) {
			ret = add_members(self, &member, dict);
			continue;
		}
		v = value_of(self, &member);
		if (!v || PyDict_SetItemString(dict, m[i].name, v) < 0)
			ret = -1;
		Py_XDECREF(v);
	}
	free(m);
	return ret;
}

static PyObject *Object_value(Object *self, PyObject *unused)
{
	const char *kind = kind_of(self);
	PyObject *dict;

	if (!strcmp(kind, "int") || !strcmp(kind, "bool") ||
	    !strcmp(kind, "enum") || !strcmp(kind, "pointer"))
		return scalar_value(self, kind);
	if (!strcmp(kind, "float"))
		return float_value(self);
	if (!strcmp(kind, "array"))
		return array_value(self);
	if (strcmp(kind, "struct") && strcmp(kind, "union"))
		return PyErr_Format(PyExc_TypeError, "a %s has no value", kind);
	dict = PyDict_New();
	if (dict && add_members(self, &self->obj, dict) < 0)
		Py_CLEAR(dict);
	return dict;
}

static PyObject *Object_member(Object *self, PyObject *arg)
{
	const char *name = PyUnicode_AsUTF8(arg);
	struct po_object m;
	struct po_error *err;

	if (!name)
		return NULL;
	po_py_lock(self->prog);
	err = po_object_get_member(self->prog->prog, &self->obj, name, &m);
	po_py_unlock(self->prog);
	return err ? po_py_raise(err) : po_py_object_new(self->prog, &m);
}

/* obj.name: our own attributes first, then the C member. */
static PyObject *Object_getattro(Object *self, PyObject *name)
{
	PyObject *attr = PyObject_GenericGetAttr((PyObject *)self, name);
	const char *cname;
	struct po_object m;
	struct po_error *err;

	if (attr || !PyErr_ExceptionMatches(PyExc_AttributeError))
		return attr;
	cname = PyUnicode_AsUTF8(name);
	if (!cname || cname[0] == '_')
		return NULL;
	PyErr_Clear();
	po_py_lock(self->prog);
	err = po_object_get_member(self->prog->prog, &self->obj, cname, &m);
	po_py_unlock(self->prog);
	if (err)
		return po_py_raise_as(err, PyExc_AttributeError);
	return po_py_object_new(self->prog, &m);
}

static PyObject *Object_subscript(Object *self, PyObject *key)
{
	long long i = PyLong_AsLongLong(key);
	struct po_object elem;
	struct po_error *err;

	if (i == -1 && PyErr_Occurred())
		return NULL;
	po_py_lock(self->prog);
	err = po_object_get_index(self->prog->prog, &self->obj, i, &elem);
	po_py_unlock(self->prog);
	return err ? po_py_raise(err) : po_py_object_new(self->prog, &elem);
}

static PyObject *Object_address_of(Object *self, PyObject *unused)
{
	struct po_object a;
	struct po_error *err;

	po_py_lock(self->prog);
	err = po_object_get_address(self->prog->prog, &self->obj, &a);
	po_py_unlock(self->prog);
	return err ? po_py_raise(err) : po_py_object_new(self->prog, &a);
}

/* A NUL-terminated string at @addr, read a chunk at a time. */
static PyObject *read_cstring(Program *p, uint64_t addr, uint64_t max)
{
	char chunk[256];
	struct po_error *err = NULL;
	PyObject *s = PyBytes_FromStringAndSize(NULL, 0);

	while (s && max) {
		/* Stop at page ends, so that no read crosses into a hole. */
		uint64_t n = 4096 - (addr & 4095);
		PyObject *part;
		size_t len;

		n = n < sizeof(chunk) ? n : sizeof(chunk);
		n = n < max ? n : max;
		po_py_lock(p);
		err = po_read(p->prog, addr, chunk, n);
		po_py_unlock(p);
		if (err) {
			Py_DECREF(s);
			return po_py_raise(err);
		}
		len = strnlen(chunk, n);
		part = PyBytes_FromStringAndSize(chunk, (Py_ssize_t)len);
		PyBytes_ConcatAndDel(&s, part);
		if (len < n)
			break;
		addr += n;
		max -= n;
	}
	return s;
}

/* string_(): a char array up to its NUL, or what a char * points to. */
static PyObject *Object_string(Object *self, PyObject *unused)
{
	const char *kind = kind_of(self);
	struct po_error *err;
	uint64_t addr, size;

	po_py_lock(self->prog);
	err = po_object_get_value(self->prog->prog, &self->obj, &addr);
	if (!err && !strcmp(kind, "array"))
		err = po_ctype_sizeof(self->prog->prog, self->obj.type, &size);
	else
		size = 1 << 20; /* a sanity bound for a pointer */
	po_py_unlock(self->prog);
	if (err)
		return po_py_raise(err);
	if (strcmp(kind, "array") && strcmp(kind, "pointer"))
		return PyErr_Format(PyExc_TypeError,
				    "string_() needs an array or a pointer, "
				    "not a %s",
				    kind);
	return read_cstring(self->prog, addr, size);
}

static PyObject *Object_get_type(Object *self, void *closure)
{
	return po_py_type_new(self->prog, self->obj.type);
}

static PyObject *Object_get_address(Object *self, void *closure)
{
	if (self->obj.kind != PO_OBJ_REFERENCE)
		Py_RETURN_NONE;
	return PyLong_FromUnsignedLongLong(self->obj.address);
}

static PyObject *Object_get_prog(Object *self, void *closure)
{
	return Py_NewRef((PyObject *)self->prog);
}

static PyObject *Object_repr(Object *self)
{
	PyObject *name = po_py_type_name(self->prog, self->obj.type);
	PyObject *s = NULL, *v;

	if (!name)
		return NULL;
	if (self->obj.kind == PO_OBJ_REFERENCE) {
		char addr[24];

		/* PyUnicode_FromFormat() knows no %llx. */
		snprintf(addr, sizeof(addr), "0x%llx",
			 (unsigned long long)self->obj.address);
		s = PyUnicode_FromFormat("Object(prog, %R, address=%s)", name,
					 addr);
	} else {
		v = scalar_value(self, kind_of(self));
		if (v)
			s = PyUnicode_FromFormat("Object(prog, %R, value=%R)",
						 name, v);
		Py_XDECREF(v);
	}
	Py_DECREF(name);
	return s;
}

static PyObject *Object_str(Object *self)
{
	struct po_print_options opt = { .radix = 10 };
	struct po_py_text t;
	struct po_error *err;

	if (po_py_text_open(&t) < 0)
		return NULL;
	po_py_lock(self->prog);
	err = po_object_print(self->prog->prog, &self->obj, &opt, t.f);
	po_py_unlock(self->prog);
	return po_py_text_close(&t, err, true);
}

/* int(obj), operator.index(obj): integers, enums, bools and pointers. */
static PyObject *Object_int(Object *self)
{
	const char *kind = kind_of(self);

	if (strcmp(kind, "int") && strcmp(kind, "bool") &&
	    strcmp(kind, "enum") && strcmp(kind, "pointer"))
		return PyErr_Format(PyExc_TypeError, "a %s is not an integer",
				    kind);
	return scalar_value(self, kind);
}

static int Object_bool(Object *self)
{
	PyObject *v = Object_int(self);
	int r;

	if (!v)
		return -1;
	r = PyObject_IsTrue(v);
	Py_DECREF(v);
	return r;
}

/* Comparisons are of values: obj == 0, obj1 < obj2. */
static PyObject *Object_richcompare(PyObject *a, PyObject *b, int op)
{
	PyObject *x, *y, *r = NULL;

	x = PyObject_TypeCheck(a, &Object_type) ? Object_int((Object *)a) :
						  Py_NewRef(a);
	y = PyObject_TypeCheck(b, &Object_type) ? Object_int((Object *)b) :
						  Py_NewRef(b);
	if (x && y)
		r = PyObject_RichCompare(x, y, op);
	Py_XDECREF(x);
	Py_XDECREF(y);
	return r;
}

/* dir(obj) lists the C members too, so that the REPL completes them. */
static PyObject *Object_dir(Object *self, PyObject *unused)
{
	PyObject *list = PyObject_Dir((PyObject *)Py_TYPE(self));
	struct po_ctype_member *m = NULL;
	struct po_ctype t = self->obj.type;
	struct po_error *err = NULL;
	size_t n = 0, i;

	if (!list)
		return NULL;
	po_py_lock(self->prog);
	if (!strcmp(kind_of(self), "pointer"))
		err = po_ctype_referenced(self->prog->prog, t, &t);
	if (!err)
		err = po_ctype_members(self->prog->prog, t, &m, &n);
	po_py_unlock(self->prog);
	po_error_destroy(err);
	for (i = 0; i < n; i++) {
		PyObject *s;

		if (!m[i].name)
			continue;
		s = PyUnicode_FromString(m[i].name);
		if (!s || PyList_Append(list, s) < 0)
			Py_CLEAR(list);
		Py_XDECREF(s);
		if (!list)
			break;
	}
	free(m);
	return list;
}

static PyMethodDef Object_methods[] = {
	{ "value_", (PyCFunction)Object_value, METH_NOARGS,
	  "value_() -> int, bool, float, list or dict" },
	{ "member_", (PyCFunction)Object_member, METH_O,
	  "member_(name) -> Object; obj.name does the same" },
	{ "address_of_", (PyCFunction)Object_address_of, METH_NOARGS,
	  "address_of_() -> Object: &obj" },
	{ "string_", (PyCFunction)Object_string, METH_NOARGS,
	  "string_() -> bytes: a char array or char * up to its NUL" },
	{ "__dir__", (PyCFunction)Object_dir, METH_NOARGS, NULL },
	{ NULL },
};

static PyGetSetDef Object_getset[] = {
	{ "type_", (getter)Object_get_type, NULL, "the object's Type", NULL },
	{ "address_", (getter)Object_get_address, NULL,
	  "where the object is in the dump; None for a computed value", NULL },
	{ "prog_", (getter)Object_get_prog, NULL, "the Program", NULL },
	{ NULL },
};

static PyMappingMethods Object_as_mapping = {
	.mp_subscript = (binaryfunc)Object_subscript,
};

static PyNumberMethods Object_as_number = {
	.nb_int = (unaryfunc)Object_int,
	.nb_index = (unaryfunc)Object_int,
	.nb_bool = (inquiry)Object_bool,
};

PyTypeObject Object_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pageowner.Object",
	.tp_basicsize = sizeof(Object),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "Object(prog, type, value=None, *, address=None): a typed "
		  "value or a typed place in the dump",
	.tp_new = Object_new,
	.tp_dealloc = (destructor)Object_dealloc,
	.tp_traverse = (traverseproc)Object_traverse,
	.tp_repr = (reprfunc)Object_repr,
	.tp_str = (reprfunc)Object_str,
	.tp_getattro = (getattrofunc)Object_getattro,
	.tp_richcompare = Object_richcompare,
	.tp_methods = Object_methods,
	.tp_getset = Object_getset,
	.tp_as_mapping = &Object_as_mapping,
	.tp_as_number = &Object_as_number,
};
