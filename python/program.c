// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pageowner.Program: one opened vmcore with its vmlinux, as drgn's Program
 * is.  prog["name"] gives an Object; walks and reports run with the GIL
 * released, and Ctrl-C stops them.
 */
#include "pypageowner.h"

void po_py_lock(Program *p)
{
	if (PyThread_acquire_lock(p->lock, NOWAIT_LOCK))
		return;
	Py_BEGIN_ALLOW_THREADS
	PyThread_acquire_lock(p->lock, WAIT_LOCK);
	Py_END_ALLOW_THREADS
}

void po_py_unlock(Program *p)
{
	PyThread_release_lock(p->lock);
}

/*
 * The library polls this during walks.  It may run with the GIL released,
 * so it takes the GIL to let Python's signal handling raise
 * KeyboardInterrupt, which then stays pending in this thread.
 */
static bool interrupted(void *arg)
{
	PyGILState_STATE s = PyGILState_Ensure();
	bool stop = PyErr_CheckSignals() < 0;

	PyGILState_Release(s);
	return stop;
}

/* As many files as the CLI takes: the parts of a split dump. */
#define MAX_CORES 64

/*
 * @core: a path, or a list or tuple of the paths of a split dump's files;
 * their file-system encodings in @bytes (to be released), pointed to by
 * @paths.  Returns how many, or -1 with an exception set.
 */
static Py_ssize_t core_paths(PyObject *core, PyObject **bytes,
			     const char **paths)
{
	PyObject *seq;
	Py_ssize_t n, i;

	if (!PyList_Check(core) && !PyTuple_Check(core)) {
		if (!PyUnicode_FSConverter(core, &bytes[0]))
			return -1;
		paths[0] = PyBytes_AS_STRING(bytes[0]);
		return 1;
	}
	seq = PySequence_Fast(core, "core");
	if (!seq)
		return -1;
	n = PySequence_Fast_GET_SIZE(seq);
	if (!n || n > MAX_CORES) {
		PyErr_Format(PyExc_ValueError,
			     "core: %zd files; a split dump has 1 to %d", n,
			     MAX_CORES);
		n = -1;
	}
	for (i = 0; n > 0 && i < n; i++) {
		if (!PyUnicode_FSConverter(PySequence_Fast_GET_ITEM(seq, i),
					   &bytes[i])) {
			n = -1;
			break;
		}
		paths[i] = PyBytes_AS_STRING(bytes[i]);
	}
	Py_DECREF(seq);
	return n;
}

/* Opened in tp_new, so that no Program exists without its dump. */
static PyObject *Program_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "core", "vmlinux", "ignore_mismatch",
				  "no_vmlinux", NULL };
	PyObject *core = NULL, *vmlinux = NULL, *bytes[MAX_CORES] = { NULL };
	const char *paths[MAX_CORES];
	struct po_program *prog = NULL;
	struct po_error *err;
	Py_ssize_t nr_cores, i;
	int ignore = 0, no_vmlinux = 0;
	unsigned int flags;
	Program *self;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O&$pp:Program", kwlist,
					 &core, PyUnicode_FSConverter, &vmlinux,
					 &ignore, &no_vmlinux))
		return NULL;
	nr_cores = core_paths(core, bytes, paths);
	if (nr_cores < 0) {
		for (i = 0; i < MAX_CORES; i++)
			Py_XDECREF(bytes[i]);
		Py_XDECREF(vmlinux);
		return NULL;
	}
	flags = (ignore ? PO_OPEN_IGNORE_MISMATCH : 0) |
		(no_vmlinux ? PO_OPEN_NO_VMLINUX : 0);
	Py_BEGIN_ALLOW_THREADS
	err = po_program_open_files(paths, (size_t)nr_cores,
				    vmlinux ? PyBytes_AS_STRING(vmlinux) : NULL,
				    flags, &prog);
	Py_END_ALLOW_THREADS
	for (i = 0; i < nr_cores; i++)
		Py_DECREF(bytes[i]);
	Py_XDECREF(vmlinux);
	if (err)
		return po_py_raise(err);
	self = (Program *)type->tp_alloc(type, 0);
	if (!self) {
		po_program_destroy(prog);
		return NULL;
	}
	self->prog = prog;
	self->lock = PyThread_allocate_lock();
	self->stacks = PyDict_New();
	if (!self->lock || !self->stacks) {
		Py_DECREF(self);
		return PyErr_NoMemory();
	}
	po_program_set_interrupt(prog, interrupted, NULL);
	return (PyObject *)self;
}

/* Cached StackTraces hold their Program: the collector frees the cycle. */
static int Program_traverse(Program *self, visitproc visit, void *arg)
{
	Py_VISIT(self->stacks);
	return 0;
}

/*
 * Emptying the cache breaks every cycle a Program is in.  The dict stays,
 * so that a cleared Program still works: it only decodes stacks again.
 */
static int Program_clear(Program *self)
{
	if (self->stacks)
		PyDict_Clear(self->stacks);
	return 0;
}

/*
 * Each cached StackTrace holds a reference, so the cache is empty by now
 * and nothing is left that could use the C program.
 */
static void Program_dealloc(Program *self)
{
	PyObject_GC_UnTrack(self);
	Py_XDECREF(self->stacks);
	po_owner_printer_destroy(self->printer[0]);
	po_owner_printer_destroy(self->printer[1]);
	po_program_destroy(self->prog);
	if (self->lock)
		PyThread_free_lock(self->lock);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

struct po_error *po_py_printer(Program *p, bool freed,
			       struct po_owner_printer **ret)
{
	struct po_page_owner_options opt = { .freed = freed };
	struct po_error *err = NULL;

	if (!p->printer[freed])
		err = po_owner_printer_create(p->prog, &opt,
					      &p->printer[freed]);
	*ret = p->printer[freed];
	return err;
}

static PyObject *Program_get_vmlinux(Program *self, void *closure);

static PyObject *Program_repr(Program *self)
{
	PyObject *core, *vmlinux, *s = NULL;

	core = PyUnicode_DecodeFSDefault(po_program_core_path(self->prog));
	vmlinux = Program_get_vmlinux(self, NULL);
	if (core && vmlinux)
		s = PyUnicode_FromFormat("Program(%R, vmlinux=%R)", core,
					 vmlinux);
	Py_XDECREF(core);
	Py_XDECREF(vmlinux);
	return s;
}

/* prog["jiffies"]: a variable, an enumerator or a symbol. */
static PyObject *Program_subscript(Program *self, PyObject *key)
{
	struct po_object obj;
	struct po_error *err;
	const char *name = PyUnicode_AsUTF8(key);

	if (!name)
		return NULL;
	po_py_lock(self);
	err = po_object_lookup(self->prog, name, &obj);
	po_py_unlock(self);
	return err ? po_py_raise(err) : po_py_object_new(self, &obj);
}

static PyObject *Program_eval(Program *self, PyObject *arg)
{
	struct po_object obj;
	struct po_error *err;
	const char *expr = PyUnicode_AsUTF8(arg);

	if (!expr)
		return NULL;
	po_py_lock(self);
	err = po_eval(self->prog, expr, NULL, 0, &obj);
	po_py_unlock(self);
	return err ? po_py_raise(err) : po_py_object_new(self, &obj);
}

static PyObject *Program_find_type(Program *self, PyObject *arg)
{
	struct po_ctype t;

	if (po_py_type_arg(self, arg, &t) < 0)
		return NULL;
	return po_py_type_new(self, t);
}

static PyObject *Program_read(Program *self, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "address", "size", "physical", NULL };
	unsigned long long addr;
	Py_ssize_t size;
	int physical = 0;
	struct po_error *err;
	PyObject *buf;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "Kn|p:read", kwlist, &addr,
					 &size, &physical))
		return NULL;
	if (size < 0)
		return PyErr_Format(PyExc_ValueError, "negative size");
	buf = PyBytes_FromStringAndSize(NULL, size);
	if (!buf)
		return NULL;
	po_py_lock(self);
	err = (physical ? po_read_phys : po_read)(
		self->prog, addr, PyBytes_AS_STRING(buf), (size_t)size);
	po_py_unlock(self);
	if (err) {
		Py_DECREF(buf);
		return po_py_raise(err);
	}
	return buf;
}

static PyObject *Program_symbol(Program *self, PyObject *arg)
{
	const char *name = PyUnicode_AsUTF8(arg);
	struct po_error *err;
	uint64_t addr;

	if (!name)
		return NULL;
	po_py_lock(self);
	err = po_symbol_lookup(self->prog, name, &addr);
	po_py_unlock(self);
	return err ? po_py_raise(err) : PyLong_FromUnsignedLongLong(addr);
}

static PyObject *Program_symbolize(Program *self, PyObject *arg)
{
	unsigned long long addr = PyLong_AsUnsignedLongLongMask(arg);
	struct po_error *err;
	char buf[256];

	if (PyErr_Occurred())
		return NULL;
	po_py_lock(self);
	err = po_symbolize(self->prog, addr, buf, sizeof(buf));
	po_py_unlock(self);
	return err ? po_py_raise(err) : PyUnicode_FromString(buf);
}

static PyObject *Program_vmcoreinfo(Program *self, PyObject *arg)
{
	const char *key = PyUnicode_AsUTF8(arg), *v;

	if (!key)
		return NULL;
	po_py_lock(self);
	v = po_vmcoreinfo(self->prog, key);
	po_py_unlock(self);
	if (!v)
		Py_RETURN_NONE;
	return PyUnicode_FromString(v);
}

static const struct {
	const char *name;
	enum po_addr_kind kind;
} addr_kinds[] = {
	{ "auto", PO_ADDR_AUTO },
	{ "pfn", PO_ADDR_PFN },
	{ "phys", PO_ADDR_PHYS },
	{ "page", PO_ADDR_PAGE },
};

/* prog.lookup(addr, kind="auto"): the PageOwner of the page at @addr. */
static PyObject *Program_lookup(Program *self, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "address", "kind", NULL };
	unsigned long long addr;
	const char *kind = "auto";
	struct po_page_owner r;
	struct po_error *err;
	size_t i;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "K|s:lookup", kwlist,
					 &addr, &kind))
		return NULL;
	for (i = 0; i < sizeof(addr_kinds) / sizeof(addr_kinds[0]); i++)
		if (!strcmp(kind, addr_kinds[i].name))
			break;
	if (i == sizeof(addr_kinds) / sizeof(addr_kinds[0]))
		return PyErr_Format(PyExc_ValueError,
				    "kind must be auto, pfn, phys or page, "
				    "not '%s'",
				    kind);
	po_py_lock(self);
	err = po_owner_lookup(self->prog, addr, addr_kinds[i].kind, &r);
	po_py_unlock(self);
	/* A freed page prints its free side too, as dump --free would. */
	return err ? po_py_raise(err) :
		     po_py_page_owner_new(self, &r, !r.allocated);
}

static PyObject *Program_stack(Program *self, PyObject *arg)
{
	unsigned long handle = PyLong_AsUnsignedLong(arg);

	if (PyErr_Occurred())
		return NULL;
	if (handle > UINT32_MAX)
		return PyErr_Format(PyExc_ValueError,
				    "a depot_stack_handle_t has 32 bits, "
				    "not 0x%lx",
				    handle);
	return po_py_stack_get(self, (uint32_t)handle);
}

static PyObject *Program_info(Program *self, PyObject *unused)
{
	struct po_py_text t;
	struct po_error *err;

	if (po_py_text_open(&t) < 0)
		return NULL;
	po_py_lock(self);
	err = po_program_info(self->prog, t.f);
	po_py_unlock(self);
	return po_py_text_close(&t, err, false);
}

static PyObject *Program_get_special_handles(Program *self, void *closure)
{
	PyObject *d = PyDict_New();
	enum po_special_handle k;

	for (k = PO_HANDLE_DUMMY; d && k <= PO_HANDLE_EARLY; k++) {
		struct po_error *err;
		PyObject *v;
		uint32_t h;

		po_py_lock(self);
		err = po_special_handle_value(self->prog, k, &h);
		po_py_unlock(self);
		if (err) {
			Py_DECREF(d);
			return po_py_raise(err);
		}
		v = PyLong_FromUnsignedLong(h);
		if (!v ||
		    PyDict_SetItemString(d, po_special_handle_name(k), v) < 0)
			Py_CLEAR(d);
		Py_XDECREF(v);
	}
	return d;
}

static PyObject *Program_get_core(Program *self, void *closure)
{
	return PyUnicode_DecodeFSDefault(po_program_core_path(self->prog));
}

/* None when the types came from the dump's BTF. */
static PyObject *Program_get_vmlinux(Program *self, void *closure)
{
	const char *path = po_program_vmlinux_path(self->prog);

	if (!path)
		Py_RETURN_NONE;
	return PyUnicode_DecodeFSDefault(path);
}

static PyObject *Program_get_identity_note(Program *self, void *closure)
{
	const char *note = po_program_identity_note(self->prog);

	if (!note)
		Py_RETURN_NONE;
	return PyUnicode_FromString(note);
}

static const char *opt_str(const char *s)
{
	return *s ? s : NULL;
}

/* A dict, with JSON's keys: the "dump" object of a report. */
static PyObject *Program_get_identity(Program *self, void *closure)
{
	struct po_dump_identity id;
	struct po_error *err = po_program_identity(self->prog, &id);

	if (err)
		return po_py_raise(err);
	/* "" is None, as null in JSON. */
	return Py_BuildValue("{s:s,s:z,s:z,s:z,s:N,s:s,s:K,s:K}", "id",
			     id.dump_id, "release", opt_str(id.release),
			     "build_id", opt_str(id.build_id), "host",
			     opt_str(id.host), "crash_time",
			     id.crash_time ?
				     PyLong_FromLongLong(id.crash_time) :
				     Py_NewRef(Py_None),
			     "crash_time_source", id.crash_time_source,
			     "ram_bytes", (unsigned long long)id.ram_bytes,
			     "file_size", (unsigned long long)id.file_size);
}

static PyObject *Program_get_jobs(Program *self, void *closure)
{
	return PyLong_FromUnsignedLong(po_program_jobs(self->prog));
}

static int Program_set_jobs(Program *self, PyObject *value, void *closure)
{
	unsigned long n;

	if (!value) {
		PyErr_SetString(PyExc_AttributeError, "cannot delete jobs");
		return -1;
	}
	n = PyLong_AsUnsignedLong(value);
	if (n == (unsigned long)-1 && PyErr_Occurred())
		return -1;
	if (n < 1 || n > 64) {
		PyErr_Format(PyExc_ValueError,
			     "jobs must be from 1 to 64, not %lu", n);
		return -1;
	}
	/* Not while another Python thread creates a walk. */
	po_py_lock(self);
	po_program_set_jobs(self->prog, (unsigned int)n);
	po_py_unlock(self);
	return 0;
}

static PyObject *Program_enter(PyObject *self, PyObject *unused)
{
	return Py_NewRef(self);
}

static PyObject *Program_exit(PyObject *self, PyObject *args)
{
	Py_RETURN_NONE;
}

static PyMethodDef Program_methods[] = {
	{ "eval", (PyCFunction)Program_eval, METH_O,
	  "eval(expr) -> Object: a C expression, as the shell's print takes" },
	{ "type", (PyCFunction)Program_find_type, METH_O,
	  "type(name) -> Type: \"struct page_owner\", \"unsigned long *\"" },
	{ "read", (PyCFunction)(void (*)(void))Program_read,
	  METH_VARARGS | METH_KEYWORDS,
	  "read(address, size, physical=False) -> bytes" },
	{ "symbol", (PyCFunction)Program_symbol, METH_O,
	  "symbol(name) -> int: the address kallsyms gives" },
	{ "symbolize", (PyCFunction)Program_symbolize, METH_O,
	  "symbolize(address) -> str: the address as the kernel's %pS" },
	{ "vmcoreinfo", (PyCFunction)Program_vmcoreinfo, METH_O,
	  "vmcoreinfo(key) -> str or None" },
	{ "page_owners", (PyCFunction)(void (*)(void))po_py_page_owners,
	  METH_VARARGS | METH_KEYWORDS,
	  "page_owners(freed=False, start=0, end=None, all=False) -> "
	  "iterator of PageOwner\n\nThe records debugfs page_owner prints, "
	  "in pfn order; with freed=True, freed pages that remember who "
	  "freed them; with all=True every page of RAM once (a free block, "
	  "a folio or allocation by its head, any other page), handle 0 "
	  "where page_owner has no record, page_owner off or not.  The "
	  "iterator's .counts tells what the walk had to skip." },
	{ "lookup", (PyCFunction)(void (*)(void))Program_lookup,
	  METH_VARARGS | METH_KEYWORDS,
	  "lookup(address, kind=\"auto\") -> PageOwner\n\nkind is \"pfn\", "
	  "\"phys\", \"page\" (a struct page) or \"auto\" (a struct page, "
	  "else a kernel virtual address).  A tail page gives its head." },
	{ "stack", (PyCFunction)Program_stack, METH_O,
	  "stack(handle) -> StackTrace of a depot_stack_handle_t" },
	{ "report", (PyCFunction)(void (*)(void))po_py_report,
	  METH_VARARGS | METH_KEYWORDS,
	  "report(group_by=None, sort=\"pages\", top=0, min_pages=0, "
	  "freed=False, order=-1, pids=None, tgids=None, comms=None, "
	  "modules=None, gfp=None, uses=None, all=False) -> list of "
	  "ReportGroup\n\nThe groups of `pageowner report`, sorted and cut "
	  "the same way; all=True is report --all.  group_by=None is "
	  "\"stack\", or \"use\" when page_owner was off." },
	{ "stacks", (PyCFunction)(void (*)(void))po_py_stacks,
	  METH_VARARGS | METH_KEYWORDS,
	  "stacks(from_walk=False) -> list of StackCount\n\nThe stacks "
	  "page_owner_stacks lists, in its order, with the base pages each "
	  "holds and no threshold: the kernel's stack_list (v6.9+), else (or "
	  "from_walk) the walk's stacks that hold pages, largest first.  "
	  "InvalidError when page_owner was off." },
	{ "info", (PyCFunction)Program_info, METH_NOARGS,
	  "info() -> str: what `pageowner info` prints" },
	{ "__enter__", Program_enter, METH_NOARGS, NULL },
	{ "__exit__", Program_exit, METH_VARARGS, NULL },
	{ NULL },
};

static PyGetSetDef Program_getset[] = {
	{ "core", (getter)Program_get_core, NULL, "path of the dump", NULL },
	{ "vmlinux", (getter)Program_get_vmlinux, NULL, "path of vmlinux",
	  NULL },
	{ "identity_note", (getter)Program_get_identity_note, NULL,
	  "what the checks of vmlinux against the dump found beyond a "
	  "match (a known broken BUILD-ID, or an overridden mismatch); "
	  "None if nothing",
	  NULL },
	{ "identity", (getter)Program_get_identity, NULL,
	  "which dump this is: {\"id\", \"release\", \"build_id\", "
	  "\"host\", \"crash_time\", \"crash_time_source\", "
	  "\"ram_bytes\", \"file_size\"}, as a JSON report's \"dump\"",
	  NULL },
	{ "jobs", (getter)Program_get_jobs, (setter)Program_set_jobs,
	  "threads a page walk uses (1, the default: the calling thread); "
	  "records come out the same for any number",
	  NULL },
	{ "special_handles", (getter)Program_get_special_handles, NULL,
	  "{\"dummy\": handle, \"failure\": handle, \"early\": handle}", NULL },
	{ NULL },
};

static PyMappingMethods Program_as_mapping = {
	.mp_subscript = (binaryfunc)Program_subscript,
};

PyTypeObject Program_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pageowner.Program",
	.tp_basicsize = sizeof(Program),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "Program(core, vmlinux=None, *, ignore_mismatch=False, "
		  "no_vmlinux=False): a "
		  "vmcore opened read-only with its vmlinux; ignore_mismatch "
		  "reads it with a vmlinux whose identity checks fail; "
		  "no_vmlinux reads none: types from the kernel's BTF in the "
		  "dump, symbols from its kallsyms",
	.tp_new = Program_new,
	.tp_dealloc = (destructor)Program_dealloc,
	.tp_traverse = (traverseproc)Program_traverse,
	.tp_clear = (inquiry)Program_clear,
	.tp_repr = (reprfunc)Program_repr,
	.tp_methods = Program_methods,
	.tp_getset = Program_getset,
	.tp_as_mapping = &Program_as_mapping,
};
