#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the pages `report --all --group memcg` charges to each memcg
against the memcg's own page counter in the same dump.

check-memcg.py PO CORE VMLINUX

A memcg's `memory` page_counter (`((struct mem_cgroup *)X)->memory.usage`)
is hierarchical: page_counter_charge() charges the counter and every
ancestor's, so for every memcg M other than the root

  usage(M) == own(M) + sum of usage(C) over M's children C

and for the root, which try_charge() never charges (it returns early
when mem_cgroup_is_root()), usage(root) == the sum over its children
(0 with none).  own(M) is, term by term:

  pages     folios whose memcg_data names M (charged by
            __mem_cgroup_charge() -> charge_memcg()) and kmem pages
            whose memcg_data is an obj_cgroup of M with MEMCG_DATA_KMEM
            (__memcg_kmem_charge_page(): page tables, kernel stacks,
            large kmalloc, __GFP_ACCOUNT vmalloc): `report --all --group
            memcg`, by M's path.  Slab pages are not charged as pages:
  bytes     objects charged in bytes through an obj_cgroup of M
            (obj_cgroup_charge() takes whole pages with
            obj_cgroup_charge_pages() and keeps the rest): live slab
            objects, obj_full_size() each (s->size + a pointer), from
            every slab's obj_exts vector
            (__memcg_slab_post_alloc_hook()); live percpu allocations,
            pcpu_obj_full_size() each, from every chunk's obj_exts and
            bound_map (pcpu_memcg_post_alloc_hook()); plus the bytes
            charged but not used: objcg->nr_charged_bytes
            (drain_obj_stock()) and every CPU's obj stock for the objcg
            (refill_obj_stock()).  Their sum is whole pages for each
            objcg, and those pages are the term.
  stock     pages try_charge_memcg() charged in a batch
            (MEMCG_CHARGE_BATCH) and refill_stock() keeps in every CPU's
            memcg_stock for M.

Every term is read from the dump (nothing is expected by hand) and the
test wants equality.  Two charges of try_charge_memcg() it does not read:
socket buffers (mem_cgroup_charge_skmem(), MEMCG_SOCK) and hugetlb with
memory_hugetlb_accounting; neither is bounded here, so a memcg holding
one would fail the test rather than pass it.  Before v5.18 page_owner
names no memcg and pageowner refuses `--group memcg`: there only the
counter sums are checked.  Prints one line per memcg; exits 1 on any miss.
"""
import importlib.util
import json
import os
import subprocess
import sys

# The Dump class and helpers of check-vmstat.py, loaded without leaving
# bytecode in tests/.
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location(
    "check_vmstat", os.path.join(os.path.dirname(__file__),
                                 "check-vmstat.py"))
check_vmstat = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_vmstat)

# Run in `pageowner script`: every memcg under root_mem_cgroup, its
# counter and its terms read from the dump, as one JSON line.
MEMCG_SCRIPT = r'''
import json

def ev(e):
    return prog.eval(e).value_()

def first(*exprs):
    """The first expression that evaluates (layouts differ by era)."""
    for e in exprs:
        try:
            return ev(e)
        except LookupError:
            continue
    return None

def off(typ, member):
    return ev(f"(unsigned long)&(({typ} *)0)->{member}")

def u64(data, i):
    return int.from_bytes(data[i:i + 8], "little")

page_size = int(prog.vmcoreinfo("PAGESIZE"))
root = ev("(unsigned long)root_mem_cgroup")
M = "struct mem_cgroup"
sib = off(M, "css.sibling")
kids = off(M, "css.children")
nnodes = first("nr_node_ids") or 1
# Per-node objcgs in v7.2 (__memcg_reparent_objcgs() of mm/memcontrol.c):
# nodeinfo[nid]->objcg and ->objcg_list; memcg->objcg and ->objcg_list in
# the v6.x sources (no commit is named here: the change was not traced).
pernode = first("sizeof(((struct mem_cgroup_per_node *)0)->objcg)") \
    is not None
objlist = off("struct obj_cgroup", "list")

def name_of(m):
    """The memcg's path, as `--group memcg` keys it (cgroup_path())."""
    kn = ev(f"(unsigned long)(({M} *){m})->css.cgroup->kn")
    parts = []
    while kn and len(parts) < 64:
        parent = first(f"(unsigned long)((struct kernfs_node *){kn})->parent",
                       f"(unsigned long)((struct kernfs_node *){kn})"
                       "->__parent")
        if not parent:
            break
        parts.append(prog.eval(f"((struct kernfs_node *){kn})->name")
                     .string_().decode(errors="replace"))
        kn = parent
    return "/" + "/".join(reversed(parts))

def objcgs_of(m):
    """The memcg's current objcg(s) and those reparented to it."""
    out = []
    bases = ([f"(({M} *){m})->nodeinfo[{n}]->" for n in range(nnodes)]
             if pernode else [f"(({M} *){m})->"])
    for b in bases:
        cur = first(f"(unsigned long){b}objcg")
        if cur:
            out.append(cur)
        head = first(f"(unsigned long)&{b}objcg_list")
        if head is None:
            continue
        pos = ev(f"(unsigned long){b}objcg_list.next")
        while pos != head and len(out) < 100000:
            out.append(pos - objlist)
            pos = ev(f"*(unsigned long *){pos}")
    return out

memcgs, todo = [], [(root, None)]
while todo:
    m, parent = todo.pop(0)
    head = m + kids
    pos = ev(f"(unsigned long)(({M} *){m})->css.children.next")
    children = []
    while pos != head:
        children.append(pos - sib)
        pos = ev(f"*(unsigned long *){pos}")
    memcgs.append({"addr": m, "parent": parent, "name": name_of(m),
                   "usage": ev(f"(({M} *){m})->memory.usage.counter"),
                   "online": bool(ev(f"(({M} *){m})->css.flags") &
                                  ev("CSS_ONLINE")),
                   "children": children,
                   "objcgs": objcgs_of(m)})
    todo += [(c, m) for c in children]

objcg_memcg = {}
for mc in memcgs:
    for o in mc["objcgs"]:
        objcg_memcg[o] = mc["addr"]

# Each possible CPU's per-cpu offset.
ncpu = first("nr_cpu_ids") or 1
bases = [first(f"__per_cpu_offset[{c}]") for c in range(ncpu)]
bases = [b for b in bases if b is not None] or [0]
nposs = first("__num_possible_cpus")
if nposs is None:
    words = ev("sizeof(__cpu_possible_mask)") // 8
    nposs = sum(bin(ev(f"__cpu_possible_mask.bits[{i}]")).count("1")
                for i in range(words))

# memcg_stock: NR_MEMCG_STOCK cached[]/nr_pages[] slots in v7.2
# (consume_stock(), refill_stock()), one cached/nr_pages in v6.1-v6.12.
# v7.2 keeps objcg bytes apart, in obj_stock (struct obj_stock_pcp,
# NR_OBJ_STOCK cached[]/nr_bytes[] slots: __refill_obj_stock()); v6.1-
# v6.12 in memcg_stock's cached_objcg and nr_bytes.  Layouts are told
# apart by their members, not by version.
stock_pages, stock_bytes = {}, {}
ms = ev("(unsigned long)&memcg_stock")
S = "struct memcg_stock_pcp"
slots = first(f"sizeof((({S} *)0)->cached) / sizeof(void *)")
# One pointer before: a vector of NR_MEMCG_STOCK (7) slots since.
multi = slots > 1
objs = first("(unsigned long)&obj_stock")
stock_layout = "none"
for b in bases:
    s = f"(({S} *){(ms + b) & (1 << 64) - 1})"
    pairs = ([(f"{s}->cached[{i}]", f"{s}->nr_pages[{i}]")
              for i in range(slots)] if multi else
             [(f"{s}->cached", f"{s}->nr_pages")])
    for c, n in pairs:
        m = ev(f"(unsigned long){c}")
        if m:
            stock_pages[m] = stock_pages.get(m, 0) + ev(n)
    if objs is not None:
        o = f"((struct obj_stock_pcp *){(objs + b) & (1 << 64) - 1})"
        k = ev(f"sizeof({o}->cached) / sizeof(void *)")
        pairs = [(f"{o}->cached[{i}]", f"{o}->nr_bytes[{i}]")
                 for i in range(k)]
        stock_layout = "obj_stock"
    elif first(f"{s}->cached_objcg") is not None:
        pairs = [(f"{s}->cached_objcg", f"{s}->nr_bytes")]
        stock_layout = "memcg_stock.cached_objcg"
    else:
        pairs = []
    for c, n in pairs:
        oc = ev(f"(unsigned long){c}")
        if oc:
            stock_bytes[oc] = stock_bytes.get(oc, 0) + ev(n)

# Slab objects: obj_exts (v6.10+) or memcg_data (before) of each slab,
# masked by the flag bits, is a vector of objcg pointers, one every
# stride bytes (slab->stride in v7.2, as slab_obj_ext() reads it: the
# vector may sit in the objects themselves).
# Only objcgs of memcgs other than the root are charged: with the root
# alone there is nothing to read.
slab_bytes, pcpu_bytes = {}, {}
walk = len(memcgs) > 1
if walk and first("sizeof(struct slab)") is None:
    raise SystemExit("cannot read the objcg vectors of slabs before struct "
                     "slab (v5.17): this check does not know page->"
                     "obj_cgroups")
mask = (first("__NR_OBJEXTS_FLAGS", "__NR_MEMCG_DATA_FLAGS") or 1) - 1
vec_expr = first("sizeof(((struct slab *)0)->obj_exts)") is not None
fixed_stride = first("sizeof(struct slabobj_ext)") or 8
has_stride = first("sizeof(((struct slab *)0)->stride)") is not None
ptr = 8
nslabs = 0
for o in prog.page_owners(all=True) if walk else ():
    if o.use != "slab":
        continue
    sl = f"((struct slab *){o.page})"
    vec = ev(f"{sl}->{'obj_exts' if vec_expr else 'memcg_data'}") & ~mask
    if not vec:
        continue
    n = ev(f"{sl}->objects")
    stride = ev(f"{sl}->stride") if has_stride else fixed_stride
    full = ev(f"{sl}->slab_cache->size") + ptr
    data = prog.read(vec, n * stride)
    nslabs += 1
    for i in range(n):
        oc = u64(data, i * stride)
        if oc:
            slab_bytes[oc] = slab_bytes.get(oc, 0) + full

# Percpu: every chunk of pcpu_chunk_lists[] (and the reserved chunk);
# an allocation's objcg is at its first 4-byte unit (PCPU_MIN_ALLOC_SIZE)
# of obj_exts (obj_cgroups before v6.10), its size up to the next bit of
# bound_map, as pcpu_free_area() finds it.
C = "struct pcpu_chunk"
chunks = []
clist = off(C, "list")
lists = ev("(unsigned long)pcpu_chunk_lists")
for slot in range(ev("pcpu_nr_slots") if walk else 0):
    head = lists + 16 * slot
    pos = ev(f"*(unsigned long *){head}")
    while pos != head:
        chunks.append(pos - clist)
        pos = ev(f"*(unsigned long *){pos}")
rc = first("(unsigned long)pcpu_reserved_chunk")
if rc and walk:
    chunks.append(rc)
pstride = first("sizeof(struct pcpuobj_ext)") or 8
pcpu_allocs = pcpu_chunks = 0
for ch in set(chunks):
    c = f"(({C} *){ch})"
    vec = first(f"(unsigned long){c}->obj_exts",
                f"(unsigned long){c}->obj_cgroups")
    if not vec:
        continue
    pcpu_chunks += 1
    bits = ev(f"{c}->nr_pages") * page_size // 4
    bound = prog.read(ev(f"(unsigned long){c}->bound_map"),
                      (bits + 1 + 63) // 64 * 8)
    bset = int.from_bytes(bound, "little")
    data = prog.read(vec, bits * pstride)
    for i in range(bits):
        oc = u64(data, i * pstride)
        if not oc:
            continue
        j = i + 1
        while j <= bits and not (bset >> j) & 1:
            j += 1
        size = (j - i) * 4
        pcpu_bytes[oc] = pcpu_bytes.get(oc, 0) + \
            size * nposs + size // 4 * ptr
        pcpu_allocs += 1

every = set(objcg_memcg) | set(slab_bytes) | set(pcpu_bytes) | \
    set(stock_bytes)
objcgs = {}
for oc in every:
    objcgs[oc] = {
        "memcg": ev(f"(unsigned long)((struct obj_cgroup *){oc})->memcg"),
        "nr_charged_bytes":
            ev(f"((struct obj_cgroup *){oc})->nr_charged_bytes.counter"),
        "slab": slab_bytes.get(oc, 0), "percpu": pcpu_bytes.get(oc, 0),
        "stock": stock_bytes.get(oc, 0)}
print(json.dumps({"root": root, "memcgs": memcgs,
                  "stock_pages": {str(k): v for k, v in stock_pages.items()},
                  "objcgs": {str(k): v for k, v in objcgs.items()},
                  "stock_layout": stock_layout, "slabs": nslabs,
                  "pcpu": [len(set(chunks)), pcpu_chunks, pcpu_allocs],
                  "possible_cpus": nposs, "page_size": page_size}))
'''


def main():
    po, core, vmlinux = sys.argv[1:4]
    d = check_vmstat.Dump(po, core, vmlinux)
    k = json.loads(check_vmstat.run_script(d, MEMCG_SCRIPT))
    page_size = k["page_size"]
    memcgs = {m["addr"]: m for m in k["memcgs"]}
    root = memcgs[k["root"]]
    fails = []
    # The pages of each memcg by its path, as --group memcg keys it.
    r = subprocess.run(
        d.cmd + ["report", "--all", "--group", "memcg", "--format", "json"],
        capture_output=True, text=True)
    if r.returncode:
        ours = None
        why = r.stderr.strip().splitlines()[-1] if r.stderr else ""
    else:
        ours = {}
        for g in json.loads(r.stdout)["groups"]:
            name = g["key"]["memcg"]
            ours[name] = ours.get(name, 0) + g["pages"]
    names = [m["name"] for m in memcgs.values()]
    # Each objcg's bytes: whole pages of its memcg, or a miss.
    byte_pages = {}
    for addr, o in k["objcgs"].items():
        total = o["slab"] + o["percpu"] + o["nr_charged_bytes"] + o["stock"]
        if o["memcg"] == k["root"]:
            continue
        if total % page_size:
            print(f"FAIL objcg {int(addr):#x}: {o['slab']} slab + "
                  f"{o['percpu']} percpu + {o['nr_charged_bytes']} "
                  f"nr_charged_bytes + {o['stock']} in obj stocks = "
                  f"{total} bytes, not whole pages")
            fails.append("objcg")
        byte_pages[o["memcg"]] = byte_pages.get(o["memcg"], 0) + \
            total // page_size
        m = memcgs.get(o["memcg"])
        print(f"   objcg {int(addr):#x} of {m['name'] if m else '?'}: "
              f"{o['slab']} slab + {o['percpu']} percpu + "
              f"{o['nr_charged_bytes']} nr_charged_bytes + {o['stock']} "
              f"obj stock = {total} bytes = {total / page_size:g} pages")
    stock = {int(a): n for a, n in k["stock_pages"].items()}
    walked = (f"{k['slabs']} slabs with an objcg vector, "
              f"{k['pcpu'][2]} charged percpu allocations in "
              f"{k['pcpu'][1]} of {k['pcpu'][0]} percpu chunks with one"
              if len(memcgs) > 1 else "slabs and percpu chunks not walked "
              "(only a child memcg's objcgs are charged)")
    print(f"   {len(memcgs)} memcgs, {walked}, {k['possible_cpus']} "
          f"possible CPUs, obj stock in {k['stock_layout']}")
    if stock.get(k["root"]):
        print(f"FAIL root memcg in memcg_stock with {stock[k['root']]} "
              f"pages: refill_stock() never keeps the root's")
        fails.append("root stock")
    for addr, m in memcgs.items():
        kids = sum(memcgs[c]["usage"] for c in m["children"])
        state = "" if m["online"] else " (offline)"
        if addr == k["root"]:
            ok = m["usage"] == kids
            extra = (f", pages charged to it (not counted: try_charge() "
                     f"skips the root) {ours.get('/', 0)}"
                     if ours is not None else "")
            print(f"{'ok' if ok else 'FAIL'} memcg / (root): usage "
                  f"{m['usage']} == {kids} of {len(m['children'])} "
                  f"children{extra}")
            if not ok:
                fails.append("/")
            continue
        if ours is None:
            print(f"skip memcg {m['name']}{state}: usage {m['usage']}, "
                  f"children {kids}: no pages by memcg ({why})")
            continue
        if names.count(m["name"]) > 1:
            print(f"FAIL memcg {m['name']}: {names.count(m['name'])} "
                  f"memcgs of that path (a removed one and its "
                  f"successor); --group memcg tells them apart by path "
                  f"only")
            fails.append(m["name"])
            continue
        pages = ours.get(m["name"], 0)
        own = pages + byte_pages.get(addr, 0) + stock.get(addr, 0)
        ok = m["usage"] == own + kids
        print(f"{'ok' if ok else 'FAIL'} memcg {m['name']}{state}: usage "
              f"{m['usage']} == {pages} pages + "
              f"{byte_pages.get(addr, 0)} pages of objcg bytes + "
              f"{stock.get(addr, 0)} in memcg_stock + {kids} of "
              f"{len(m['children'])} children = {own + kids}")
        if not ok:
            fails.append(m["name"])
    if ours is not None:
        for name in ours:
            if name is not None and name not in names:
                print(f"FAIL memcg {name}: {ours[name]} pages charged to "
                      f"a memcg not under root_mem_cgroup")
                fails.append(name)
    if len(memcgs) == 1:
        print("   no memcg but the root: its counter is the sum of no "
              "children, 0")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
