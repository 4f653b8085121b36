// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pageowner.Type: a C type from vmlinux's DWARF.  str() is the shell's
 * ptype (gdb's "ptype /o"); .members lists TypeMember tuples.
 */
#include "pypageowner.h"

static PyStructSequence_Field TypeMember_fields[] = {
	{ "name", "the member's name; None when anonymous" },
	{ "type", "its Type" },
	{ "offset", "offset in bytes from the start of the struct" },
	{ "bit_offset", "offset in bits" },
	{ "bit_field_size", "width of a bit-field; None otherwise" },
	{ NULL },
};

static PyStructSequence_Desc TypeMember_desc = {
	"pageowner.TypeMember",
	"A member of a struct or union.",
	TypeMember_fields,
	5,
};

PyTypeObject TypeMember_type;

PyObject *po_py_type_new(Program *p, struct po_ctype type)
{
	Type *t = PyObject_GC_New(Type, &Type_type);

	if (!t)
		return NULL;
	t->prog = (Program *)Py_NewRef((PyObject *)p);
	t->type = type;
	PyObject_GC_Track(t);
	return (PyObject *)t;
}

int po_py_type_arg(Program *p, PyObject *arg, struct po_ctype *ret)
{
	struct po_error *err;
	const char *name;

	if (PyObject_TypeCheck(arg, &Type_type)) {
		*ret = ((Type *)arg)->type;
		return 0;
	}
	name = PyUnicode_AsUTF8(arg);
	if (!name)
		return -1;
	po_py_lock(p);
	err = po_ctype_lookup(p->prog, name, ret);
	po_py_unlock(p);
	if (err) {
		po_py_raise(err);
		return -1;
	}
	return 0;
}

static void Type_dealloc(Type *self)
{
	PyObject_GC_UnTrack(self);
	Py_DECREF(self->prog);
	PyObject_GC_Del(self);
}

/* As an Object's: garbage that holds a Type holds its Program. */
static int Type_traverse(Type *self, visitproc visit, void *arg)
{
	Py_VISIT(self->prog);
	return 0;
}

PyObject *po_py_type_name(Program *p, struct po_ctype type)
{
	struct po_error *err;
	PyObject *s;
	char *name;

	po_py_lock(p);
	err = po_ctype_format(p->prog, type, "", &name);
	po_py_unlock(p);
	if (err)
		return po_py_raise(err);
	s = PyUnicode_FromString(name);
	free(name);
	return s;
}

static PyObject *Type_get_name(Type *self, void *closure)
{
	return po_py_type_name(self->prog, self->type);
}

static PyObject *Type_get_kind(Type *self, void *closure)
{
	return PyUnicode_FromString(
		po_ctype_kind_name(self->prog->prog, self->type));
}

static PyObject *Type_get_size(Type *self, void *closure)
{
	struct po_error *err;
	uint64_t size;

	po_py_lock(self->prog);
	err = po_ctype_sizeof(self->prog->prog, self->type, &size);
	po_py_unlock(self->prog);
	if (err) {
		/* void and functions have no size: None, as in drgn. */
		po_error_destroy(err);
		Py_RETURN_NONE;
	}
	return PyLong_FromUnsignedLongLong(size);
}

static PyObject *Type_get_referenced(Type *self, void *closure)
{
	struct po_error *err;
	struct po_ctype t;

	po_py_lock(self->prog);
	err = po_ctype_referenced(self->prog->prog, self->type, &t);
	po_py_unlock(self->prog);
	if (err) {
		po_error_destroy(err);
		Py_RETURN_NONE;
	}
	return po_py_type_new(self->prog, t);
}

static PyObject *Type_get_length(Type *self, void *closure)
{
	uint64_t n;

	if (!po_ctype_length(self->prog->prog, self->type, &n))
		Py_RETURN_NONE;
	return PyLong_FromUnsignedLongLong(n);
}

static PyObject *Type_get_signed(Type *self, void *closure)
{
	return PyBool_FromLong(po_ctype_signed(self->prog->prog, self->type));
}

static PyObject *member_tuple(Type *self, const struct po_ctype_member *m)
{
	PyObject *t = PyStructSequence_New(&TypeMember_type);
	PyObject *v[5];
	int i;

	if (!t)
		return NULL;
	v[0] = m->name ? PyUnicode_FromString(m->name) : Py_NewRef(Py_None);
	v[1] = po_py_type_new(self->prog, m->type);
	v[2] = PyLong_FromUnsignedLongLong(m->bit_offset / 8);
	v[3] = PyLong_FromUnsignedLongLong(m->bit_offset);
	v[4] = m->bit_size ? PyLong_FromUnsignedLongLong(m->bit_size) :
			     Py_NewRef(Py_None);
	for (i = 0; i < 5; i++) {
		if (!v[i]) {
			Py_DECREF(t);
			for (i++; i < 5; i++)
				Py_XDECREF(v[i]);
			return NULL;
		}
		PyStructSequence_SET_ITEM(t, i, v[i]);
	}
	/* Its Type holds a Program: tracked, as a ReportGroup is. */
	if (!PyObject_GC_IsTracked(t))
		PyObject_GC_Track(t);
	return t;
}

static PyObject *Type_get_members(Type *self, void *closure)
{
	struct po_ctype_member *m;
	struct po_error *err;
	PyObject *list;
	size_t n, i;

	po_py_lock(self->prog);
	err = po_ctype_members(self->prog->prog, self->type, &m, &n);
	po_py_unlock(self->prog);
	if (err) {
		/* Only structs and unions have members: None otherwise. */
		po_error_destroy(err);
		Py_RETURN_NONE;
	}
	list = PyList_New((Py_ssize_t)n);
	for (i = 0; list && i < n; i++) {
		PyObject *t = member_tuple(self, &m[i]);

		if (!t)
			Py_CLEAR(list);
		else
			PyList_SET_ITEM(list, (Py_ssize_t)i, t);
	}
	free(m);
	return list;
}

static PyObject *Type_pointer(Type *self, PyObject *unused)
{
	struct po_ctype t = self->type;

	t.ptrs++;
	return po_py_type_new(self->prog, t);
}

static PyObject *Type_repr(Type *self)
{
	PyObject *name = Type_get_name(self, NULL), *s;

	if (!name)
		return NULL;
	s = PyUnicode_FromFormat("Type(%R)", name);
	Py_DECREF(name);
	return s;
}

/* ptype /o of the type, by its name. */
static PyObject *Type_str(Type *self)
{
	PyObject *name = Type_get_name(self, NULL);
	struct po_py_text t;
	struct po_error *err;

	if (!name || po_py_text_open(&t) < 0) {
		Py_XDECREF(name);
		return NULL;
	}
	po_py_lock(self->prog);
	err = po_ptype(self->prog->prog, PyUnicode_AsUTF8(name), NULL, 0, false,
		       t.f);
	po_py_unlock(self->prog);
	Py_DECREF(name);
	return po_py_text_close(&t, err, true);
}

static PyObject *Type_richcompare(PyObject *a, PyObject *b, int op)
{
	const struct po_ctype *x, *y;
	bool eq;

	if (!PyObject_TypeCheck(b, &Type_type) || (op != Py_EQ && op != Py_NE))
		Py_RETURN_NOTIMPLEMENTED;
	x = &((Type *)a)->type;
	y = &((Type *)b)->type;
	eq = x->base.die == y->base.die && x->ptrs == y->ptrs &&
	     ((Type *)a)->prog == ((Type *)b)->prog;
	return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static Py_hash_t Type_hash(Type *self)
{
	Py_hash_t h = (Py_hash_t)(self->type.base.die * 31 + self->type.ptrs);

	return h == -1 ? -2 : h;
}

static PyMethodDef Type_methods[] = {
	{ "pointer", (PyCFunction)Type_pointer, METH_NOARGS,
	  "pointer() -> Type: a pointer to this type" },
	{ NULL },
};

static PyGetSetDef Type_getset[] = {
	{ "name", (getter)Type_get_name, NULL, "the type spelled in C", NULL },
	{ "kind", (getter)Type_get_kind, NULL,
	  "\"int\", \"bool\", \"float\", \"pointer\", \"struct\", \"union\", "
	  "\"enum\", \"array\", \"function\" or \"void\"",
	  NULL },
	{ "size", (getter)Type_get_size, NULL, "sizeof; None if it has none",
	  NULL },
	{ "type", (getter)Type_get_referenced, NULL,
	  "the pointed-to or element Type; None for others", NULL },
	{ "length", (getter)Type_get_length, NULL,
	  "elements of an array; None otherwise", NULL },
	{ "is_signed", (getter)Type_get_signed, NULL, "a signed integer",
	  NULL },
	{ "members", (getter)Type_get_members, NULL,
	  "TypeMember list of a struct or union; None for others", NULL },
	{ NULL },
};

PyTypeObject Type_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pageowner.Type",
	.tp_basicsize = sizeof(Type),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "A C type of the dumped kernel; prog.type(name) gives one.",
	.tp_dealloc = (destructor)Type_dealloc,
	.tp_traverse = (traverseproc)Type_traverse,
	.tp_repr = (reprfunc)Type_repr,
	.tp_str = (reprfunc)Type_str,
	.tp_richcompare = Type_richcompare,
	.tp_hash = (hashfunc)Type_hash,
	.tp_methods = Type_methods,
	.tp_getset = Type_getset,
};

int po_py_type_init(PyObject *module)
{
	if (PyStructSequence_InitType2(&TypeMember_type, &TypeMember_desc) < 0)
		return -1;
	return PyModule_AddObjectRef(module, "TypeMember",
				     (PyObject *)&TypeMember_type);
}
