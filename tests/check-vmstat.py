#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check what `report --all` says each page is against the kernel's own
counters in the same dump.

check-vmstat.py PO CORE VMLINUX [CONSOLE.LOG]

`report --all --group use` classifies every page of RAM from its struct
page alone.  The kernel counts the same pages as it allocates and frees
them: vm_zone_stat[] and vm_node_stat[], plus what each CPU has not folded
in yet (per_cpu_zonestats->vm_stat_diff[], per_cpu_nodestats->
vm_node_stat_diff[]).  Counter and drift are read here with `print`, one
variable at a time; the test then wants, exactly:

  free              == NR_FREE_PAGES
  shmem             == NR_SHMEM
  file + shmem      == NR_FILE_PAGES (- NR_SWAPCACHE where it is apart)
  anon + ksm        == NR_ANON_MAPPED
  pagetable         == NR_PAGETABLE
  percpu            == pcpu_nr_populated * pcpu_nr_units (meminfo's Percpu)
  hugetlb           == every hstate's nr_huge_pages << order (meminfo's
                       HugePages_Total, free and in use); 0 without hstates
  zsmalloc          == NR_ZSPAGES; 0 without CONFIG_ZSMALLOC
  slab (+ large kmalloc) == NR_SLAB_RECLAIMABLE_B + NR_SLAB_UNRECLAIMABLE_B

The global counters of the _B items hold pages (mod_node_state() shifts
the bytes).  Before v7.x a kmalloc() too large for a slab is counted as
slab but has no page type; those pages are told by their allocation
stack (__kmalloc_large*, kmalloc_large*) where page_owner has one, and
the check is then exact; with page_owner off it is an upper bound.

Where CONFIG_SLUB_DEBUG keeps kmem_cache_node->nr_slabs, every cache's
slab count (folios, from `report --all --group cache`) must equal the sum
of its nodes' counters.  Prints one line per check; exits 1 on any miss.
"""
import json
import re
import subprocess
import sys
import tempfile

# Each item and its name in the kernel's vmstat_text[], where zone items
# come first: an item is a zone item when vmstat_text[ITEM] is its name
# (NR_PAGETABLE was one until v5.11, "mm: memcontrol: account pagetables
# per node").
ITEMS = {"NR_FREE_PAGES": "nr_free_pages", "NR_FILE_PAGES": "nr_file_pages",
         "NR_SHMEM": "nr_shmem", "NR_ANON_MAPPED": "nr_anon_pages",
         "NR_PAGETABLE": "nr_page_table_pages",
         "NR_SLAB_RECLAIMABLE_B": "nr_slab_reclaimable",
         "NR_SLAB_UNRECLAIMABLE_B": "nr_slab_unreclaimable",
         "NR_SWAPCACHE": "nr_swapcached",
         "NR_KERNEL_STACK_KB": "nr_kernel_stack",
         "NR_VMALLOC": "nr_vmalloc", "NR_ZSPAGES": "nr_zspages"}
CACHE_SCRIPT = """
head = prog.eval("(unsigned long)&slab_caches").value_()
off = prog.eval("(unsigned long)&((struct kmem_cache *)0)->list").value_()
pos = prog.eval("(unsigned long)slab_caches.next").value_()
nodes = prog.eval("sizeof(((struct kmem_cache *)0)->node) / "
                  "sizeof(void *)").value_()
seen = 0
while pos != head and seen < 10000:
    s = f"((struct kmem_cache *){pos - off})"
    slabs = objects = 0
    for i in range(nodes):
        if prog.eval(f"(unsigned long){s}->node[{i}]").value_():
            n = f"{s}->node[{i}]"
            slabs += prog.eval(f"{n}->nr_slabs.counter").value_()
            objects += prog.eval(f"{n}->total_objects.counter").value_()
    print(prog.eval(f"{s}->name").string_().decode(), slabs, objects)
    pos = prog.eval(f"(unsigned long){s}->list.next").value_()
    seen += 1
"""
# NR_ANON_MAPPED counts mapped pages: a folio's pages are mapped when its
# _entire_mapcount (compound_mapcount before folios) is >= 0, each page
# when its own _mapcount is.  Read raw from every anonymous folio of
# page_owners(all=True): unmapped ones (a task exiting) are left out.
ANON_SCRIPT = """
size = prog.eval("sizeof(struct page)").value_()
def entire(head):
    for e in ("((struct folio *){0})->_entire_mapcount.counter",
              "((struct page *){0})[1].compound_mapcount.counter"):
        try:
            return prog.eval(e.format(head)).value_()
        except LookupError:
            continue
    raise SystemExit("no _entire_mapcount nor compound_mapcount")
mapped = 0
for o in prog.page_owners(all=True):
    if o.use not in ("anon", "ksm"):
        continue
    n = 1 << o.order
    if n > 1 and entire(o.page) >= 0:
        mapped += n
        continue
    for i in range(n):
        e = f"((struct page *){o.page + i * size})->_mapcount.counter"
        mapped += prog.eval(e).value_() >= 0
print(mapped)
"""
LARGE_KMALLOC = re.compile(r"^ *(__)?kmalloc_large|^ *___kmalloc_large")


class Dump:
    def __init__(self, po, core, vmlinux):
        self.cmd = [po, "-q", "-c", core, "-s", vmlinux]

    def run(self, *args):
        r = subprocess.run(self.cmd + list(args), capture_output=True,
                           text=True, errors="surrogateescape")
        if r.returncode:
            raise SystemExit(f"FAIL: {' '.join(args)} exited "
                             f"{r.returncode}: {r.stderr[:300]}")
        return r.stdout

    def printed(self, exprs, flag="-d"):
        """What `print FLAG EXPR` gives for each expression (after its
        "$N = "), None where it fails: one shell run for all of them."""
        script = "".join(f"print {flag} {e}\n".replace("  ", " ")
                         for e in exprs)
        r = subprocess.run(self.cmd + ["shell"], input=script,
                           capture_output=True, text=True,
                           errors="surrogateescape")
        got = {}
        for line in r.stdout.splitlines():
            m = re.match(r"^(?:.* = )?\$(\d+) = (.*)$", line)
            if m:
                got[int(m[1])] = m[2]
        failed = {int(m) for m in
                  re.findall(r"^pageowner: line (\d+) failed", r.stderr,
                             re.M)}
        # $N counts only the prints that worked: map them back in order.
        out, n = [], 0
        for i in range(1, len(exprs) + 1):
            if i in failed:
                out.append(None)
            else:
                n += 1
                out.append(got.get(n))
        return out

    def values(self, exprs):
        """Each expression's value as an int, None where it does not
        evaluate.  A char (vm_stat_diff is s8) prints as "-11 '\\365'"."""
        out = []
        for t in self.printed(exprs):
            m = re.match(r"^(-?\d+)(?: '.*')?$", t or "")
            out.append(int(m[1]) if m else None)
        return out


def zone_items(d):
    """The items vm_zone_stat[] counts, by the kernel's vmstat_text[]."""
    names = d.printed([f"vmstat_text[{i}]" for i in ITEMS], flag="")
    zone = set()
    for item, t in zip(ITEMS, names):
        m = re.match(r'^0x[0-9a-f]+ "(.*)"$', t or "")
        if m and m[1] == ITEMS[item]:
            zone.add(item)
    return zone


def percpu_bases(d):
    """Where each possible CPU's per-cpu area is: __per_cpu_offset[cpu]
    (SMP), or 0 (UP kernels have none)."""
    ncpu, = d.values(["nr_cpu_ids"])
    if ncpu is None:
        return [0]
    offs = d.values([f"__per_cpu_offset[{c}]" for c in range(ncpu)])
    return [o for o in offs if o is not None]


def nodes(d):
    """The pglist_data expressions: contig_page_data without NUMA."""
    flat, = d.values(["sizeof(contig_page_data)"])
    if flat is not None:
        return ["contig_page_data"]
    n, = d.values(["nr_online_nodes"])
    return [f"(*node_data[{i}])" for i in range(n or 1)]


def zone_percpu(d, pg):
    """How a zone's per-CPU diffs are reached: per_cpu_zonestats since
    v5.14 ("mm/vmstat: convert NUMA statistics to basic NUMA counters"
    split them out), the pageset's own before."""
    for member, typ in (("per_cpu_zonestats", "struct per_cpu_zonestat"),
                        ("pageset", "struct per_cpu_pageset")):
        ok, = d.values([f"sizeof({pg}.node_zones[0].{member})"])
        if ok is not None:
            return member, typ
    raise SystemExit("FAIL: struct zone has neither per_cpu_zonestats "
                     "nor pageset")


def node_drift(pg, item, bases):
    """What each CPU (at each of @bases) has not folded into node @pg's
    @item yet: per_cpu_nodestats->vm_node_stat_diff[]."""
    return [f"((struct per_cpu_nodestat *)((unsigned long)"
            f"{pg}.per_cpu_nodestats + {b}))->vm_node_stat_diff[{item}]"
            for b in bases]


def zone_drift(zn, member, typ, item, bases):
    """The same for the zone @zn: its per-CPU @member's vm_stat_diff[]."""
    return [f"(({typ} *)((unsigned long){zn}.{member} + {b}))"
            f"->vm_stat_diff[{item}]" for b in bases]


def counters(d):
    """Each item's counter plus every CPU's drift; None: no such item."""
    bases = percpu_bases(d)
    pgdats = nodes(d)
    nzones, = d.values(["__MAX_NR_ZONES"])
    member, typ = zone_percpu(d, pgdats[0])
    exprs, keys = [], []
    zone = zone_items(d)
    for item in ITEMS:
        exprs.append(f"vm_{'zone' if item in zone else 'node'}_stat"
                     f"[{item}].counter")
        keys.append((item, True))
        for pg in pgdats:
            if item not in zone:
                drift = node_drift(pg, item, bases)
            else:
                drift = [e for z in range(nzones) for e in zone_drift(
                    f"{pg}.node_zones[{z}]", member, typ, item, bases)]
            exprs += drift
            keys += [(item, False)] * len(drift)
    total = {}
    for (item, counter), e, v in zip(keys, exprs, d.values(exprs)):
        if counter:
            total[item] = v
        elif total[item] is not None:
            if v is None:
                raise SystemExit(f"FAIL: cannot read the drift {e}")
            total[item] += v
    return total


def local_counters(d, items):
    """Each node's and each zone's own count of @items, with its per-CPU
    drift: {(node, zone name or None, item): pages}, zone items per zone
    (of the zones that span a pfn), node items per node."""
    bases = percpu_bases(d)
    nzones, = d.values(["__MAX_NR_ZONES"])
    zone = zone_items(d)
    exprs, keys = [], []
    for pg in nodes(d):
        member, typ = zone_percpu(d, pg)
        node, = d.values([f"{pg}.node_id"])
        for item in items:
            if item not in zone:
                exprs.append(f"{pg}.vm_stat[{item}].counter")
                keys.append((node, pg, None, item))
                exprs += node_drift(pg, item, bases)
                keys += [None] * len(bases)
                continue
            for z in range(nzones):
                zn = f"{pg}.node_zones[{z}]"
                exprs.append(f"{zn}.vm_stat[{item}].counter")
                keys.append((node, pg, z, item))
                exprs += zone_drift(zn, member, typ, item, bases)
                keys += [None] * len(bases)
    out, last = {}, None
    for k, e, v in zip(keys, exprs, d.values(exprs)):
        if v is None:
            raise SystemExit(f"FAIL: cannot read {e}")
        if k is not None:
            last = k
            out[last] = 0
        out[last] += v
    named = {}
    for (node, pg, z, item), v in out.items():
        if z is None:
            named[(node, None, item)] = v
            continue
        span, = d.values([f"{pg}.node_zones[{z}].spanned_pages"])
        if not span:
            continue
        name, = d.printed([f"{pg}.node_zones[{z}].name"], flag="")
        m = re.match(r'^0x[0-9a-f]+ "(.*)"$', name or "")
        if not m:
            raise SystemExit(f"FAIL: {pg}.node_zones[{z}].name: {name}")
        named[(node, m[1], item)] = v
    return named


# Per zone or node: uses added up, against an item less another (None:
# none), in pages or KiB.  NR_SWAPCACHE is a node item where it is apart
# (v5.8+, "mm: memcontrol: account swap cache per node").
LOCAL = [("free", ("free",), "NR_FREE_PAGES", None, False),
         ("shmem", ("shmem",), "NR_SHMEM", None, False),
         ("file+shmem", ("file", "shmem"), "NR_FILE_PAGES", "NR_SWAPCACHE",
          False),
         ("pagetable", ("pagetable",), "NR_PAGETABLE", None, False),
         ("kstack", ("kstack",), "NR_KERNEL_STACK_KB", None, True)]


def check_local(d, fails):
    """What each zone of each node holds against that zone's own counters
    (zone items: NR_FREE_PAGES, and NR_PAGETABLE before v5.11), and each
    node against its own (node items), from `report --all --group
    node,zone,use`: the global checks, where the kernel counts them."""
    rep = json.loads(d.run("report", "--all", "--group", "node,zone,use",
                           "--format", "json"))
    pages = {}
    for g in rep["groups"]:
        k = g["key"]
        for at in ((k["node"], k["zone"]), (k["node"], None)):
            pages[at + (k["use"],)] = pages.get(at + (k["use"],), 0) + \
                g["pages"]
    names = {item for _, _, item, _, _ in LOCAL}
    names |= {less for _, _, _, less, _ in LOCAL if less}
    # An item the kernel's config leaves out of its enum (NR_SWAPCACHE
    # without CONFIG_SWAP) is not counted.
    names = [i for i in ITEMS if i in names]
    names = [i for i, v in zip(names, d.values(names)) if v is not None]
    kernel = local_counters(d, names)
    kib = rep["summary"]["page_size"] // 1024
    n = bad = 0
    for name, uses, item, less, in_kib in LOCAL:
        if name == "kstack" and d.values(["sizeof(init_stack)"])[0] < \
                rep["summary"]["page_size"]:
            continue  # slab objects: see check_kstacks()
        for (node, zn, it), v in sorted(kernel.items(),
                                        key=lambda x: str(x[0])):
            if it != item:
                continue
            minus = less if (node, zn, less) in kernel else None
            v -= kernel[(node, zn, minus)] if minus else 0
            ours = sum(pages.get((node, zn, u), 0) for u in uses)
            ours *= kib if in_kib else 1
            where = f"node {node}" + (f" zone {zn}" if zn else "")
            ok = ours == v
            n += 1
            bad += not ok
            print(f"{'ok' if ok else 'FAIL'} {where} {name}: {ours} "
                  f"{'KiB' if in_kib else 'pages'}, {where}'s {item}"
                  f"{f' - {minus}' if minus else ''} {v}")
    # Told by spans (before v5.13's pff[]), a hole's struct page is in
    # no zone: those must be PG_reserved, as the kernel leaves holes.
    zones = {(k[0], k[1]) for k in kernel if k[1]}
    outside = {}
    for g in rep["groups"]:
        k = g["key"]
        if (k["node"], k["zone"]) not in zones:
            outside[k["use"]] = outside.get(k["use"], 0) + g["pages"]
    if outside:
        ok = set(outside) == {"reserved"}
        print(f"{'ok' if ok else 'FAIL'} pages in no zone's span: "
              f"{outside}{'' if ok else ', not all reserved holes'}")
        bad += not ok
    print(f"{'FAIL' if bad or not n else 'ok'} per node and zone: {n} "
          f"counters, {bad} differ, zones {sorted(map(str, zones))}")
    if bad or not n:
        fails.append("per node and zone")


def by_use(report):
    pages = {}
    for g in report["groups"]:
        u = g["key"]["use"]
        pages[u] = pages.get(u, 0) + g["pages"]
    return pages


def large_kmalloc_pages(d):
    """Pages of no page type whose allocation stack is a large kmalloc,
    and those whose stack page_owner could not keep (its early, failure
    and dummy handles, or no record): from `report --all --use kernel
    --group stack` in JSON."""
    rep = json.loads(d.run("report", "--all", "--use", "kernel",
                           "--group", "stack", "--format", "json"))
    n = unknown = 0
    for g in rep["groups"]:
        frames = g.get("stack") or []
        if g["key"].get("special") or g["key"].get("handle") in \
                (None, "0x00000000"):
            unknown += g["pages"]
        elif any(LARGE_KMALLOC.match(f) for f in frames):
            n += g["pages"]
    return n, unknown


def check_caches(d, fails):
    """nr_slabs of each cache's nodes against its slab folios."""
    rep = json.loads(d.run("report", "--all", "--use", "slab", "--group",
                           "cache", "--format", "json"))
    ours = {g["key"]["cache"]: g["allocations"] for g in rep["groups"]}
    has, = d.values(["sizeof(((struct kmem_cache_node *)0)->nr_slabs)"])
    if has is None:
        print("skip per-cache nr_slabs: this kernel has no "
              "kmem_cache_node.nr_slabs (CONFIG_SLUB_DEBUG off)")
        check_slab_objects(d, None, fails)
        return
    # Walk slab_caches with the list's own pointers, in `pageowner script`
    # (one process): each cache's name and its nodes' nr_slabs.
    text = run_script(d, CACHE_SCRIPT)
    bad = checked = 0
    totals = {}
    for line in text.splitlines():
        name, slabs, objects = line.rsplit(" ", 2)
        slabs = int(slabs)
        totals[name] = totals.get(name, 0) + int(objects)
        if slabs or name in ours:
            checked += 1
            if ours.get(name, 0) != slabs:
                bad += 1
                if bad <= 5:
                    print(f"FAIL cache {name}: {ours.get(name, 0)} slabs "
                          f"walked, nr_slabs {slabs}")
    if bad or not checked:
        fails.append("caches")
    print(f"{'FAIL' if bad or not checked else 'ok'} per-cache slabs: "
          f"{checked} caches, {bad} differ")
    check_slab_objects(d, totals, fails)


# Every slab's first pfn, from page_owners(all=True).
SLAB_SCRIPT = """
print(" ".join(f"pfn:{o.pfn:#x}" for o in prog.page_owners(all=True)
               if o.use == "slab"))
"""
SLAB_LINE = re.compile(r"^slab cache (.*) \(kmem_cache 0x[0-9a-f]+, object "
                       r"size \d+\), (\d+)/(\d+) objects in use$", re.M)


def check_slab_objects(d, totals, fails):
    """lookup's "N/M objects in use" of every slab: per cache, the objects
    add up to its nodes' total_objects (SLUB_DEBUG; None: no such count),
    and no slab has more in use than it holds.  SLUB only (its
    kmem_cache has min_partial): SLAB and SLOB keep no such counts."""
    if d.values(["sizeof(((struct kmem_cache *)0)->min_partial)"])[0] \
            is None:
        print("skip per-cache objects: not SLUB")
        return
    pfns = run_script(d, SLAB_SCRIPT).split()
    ours, over, lines = {}, 0, 0
    for i in range(0, len(pfns), 1000):
        for m in SLAB_LINE.finditer(d.run("lookup", *pfns[i:i + 1000])):
            lines += 1
            ours[m[1]] = ours.get(m[1], 0) + int(m[3])
            over += int(m[2]) > int(m[3])
    bad = [n for n in set(ours) | set(totals or {})
           if totals is not None and ours.get(n, 0) != totals.get(n, 0)]
    for n in bad[:5]:
        print(f"FAIL cache {n}: {ours.get(n, 0)} objects in its slabs, "
              f"total_objects {totals.get(n, 0)}")
    ok = not bad and not over and lines == len(pfns) > 0
    against = ("no total_objects to add up to" if totals is None else
               f"{len(bad)} differ from total_objects")
    print(f"{'ok' if ok else 'FAIL'} per-cache objects: {lines} of "
          f"{len(pfns)} slabs counted, {len(ours)} caches, {against}, "
          f"{over} with more in use than held")
    if not ok:
        fails.append("objects")


def check_kstacks(d, pages, kb, page_size, fails):
    """Kernel stacks by the task list, in KiB, against the kernel's own
    count (account_kernel_stack() of every live task).  Stacks smaller
    than a page are slab objects (thread_stack_cache): nothing to count."""
    size, = d.values(["sizeof(init_stack)"])
    if size < page_size:
        print(f"skip kstack: THREAD_SIZE {size} is below the page size: "
              f"stacks are objects of a slab cache")
        return
    ok = pages * page_size == kb * 1024
    print(f"{'ok' if ok else 'FAIL'} kstack: {pages} pages "
          f"({pages * page_size // 1024} KiB), kernel {kb} KiB")
    if not ok:
        fails.append("kstack")


def check_vmalloc(d, vmalloc, kstack, counter, fails):
    """vmalloc pages against the kernel's count: NR_VMALLOC where it is a
    node item (v7.x), nr_vmalloc_pages (mm/vmalloc.c) before.  Stacks of
    CONFIG_VMAP_STACK are vmalloc pages too: there the kernel counts them
    in, and pageowner names them kstack."""
    if counter is None:
        counter, = d.values(["nr_vmalloc_pages.counter"])
    vmap, = d.values(["sizeof(((struct task_struct *)0)->stack_vm_area)"])
    ours = vmalloc + (kstack if vmap else 0)
    ok = counter is not None and ours == counter
    print(f"{'ok' if ok else 'FAIL'} vmalloc: {vmalloc} pages"
          f"{f' + {kstack} of vmalloc stacks' if vmap else ''}, kernel "
          f"{counter}")
    if not ok:
        fails.append("vmalloc")


def check_hugetlb(d, pages, fails):
    """hugetlb pages against the pools: each hstate's nr_huge_pages
    (free, in use and surplus folios) of 1 << order pages.  A kernel
    without CONFIG_HUGETLB_PAGE has no hstates[] and no hugetlb page."""
    n, = d.values(["hugetlb_max_hstate"])
    want = 0
    for i in range(n or 0):
        folios, order = d.values([f"hstates[{i}].nr_huge_pages",
                                  f"hstates[{i}].order"])
        want += folios << order
    ok = pages == want
    print(f"{'ok' if ok else 'FAIL'} hugetlb: {pages} pages, kernel {want}"
          f"{'' if n is not None else ' (no hstates: no hugetlb)'}")
    if not ok:
        fails.append("hugetlb")
    if want:
        check_hugetlb_owners(d, n, fails)


def check_hugetlb_owners(d, n, fails):
    """The hugetlb folios in use (nr_huge_pages - free_huge_pages of each
    hstate) are those a private mapping's task or a hugetlbfs file names;
    the free ones name neither."""
    want = 0
    for i in range(n):
        folios, free, order = d.values([f"hstates[{i}].nr_huge_pages",
                                        f"hstates[{i}].free_huge_pages",
                                        f"hstates[{i}].order"])
        want += (folios - free) << order
    rep = json.loads(d.run("report", "--all", "--use", "hugetlb", "--group",
                           "task,fs", "--format", "json"))
    named = odd = 0
    for g in rep["groups"]:
        task, fs = g["key"].get("task"), g["key"].get("fs")
        if task and task != "(no task)" or fs:
            named += g["pages"]
        if (fs and not fs.startswith("hugetlbfs")) or (task and fs):
            odd += g["pages"]
    ok = named == want and not odd
    print(f"{'ok' if ok else 'FAIL'} hugetlb in use: {named} pages name a "
          f"task or a hugetlbfs file, kernel {want} in use; {odd} odd")
    if not ok:
        fails.append("hugetlb owners")


def check_page_ext(console, pages, page_size, sections, fails):
    """page_ext tables against what the kernel said it allocated at boot
    ("allocated N bytes of page_ext" on the console, where the fixture
    kept it): whole pages of each section's table, so at most a page more
    per section."""
    with open(console, encoding="utf-8", errors="replace") as f:
        said = [int(m) for m in re.findall(
            r"allocated (\d+) bytes of page_ext", f.read())]
    if not said:
        print("skip page_ext: the console has no \"allocated ... bytes of "
              "page_ext\" line")
        return
    ours = pages * page_size
    ok = said[-1] <= ours < said[-1] + sections * page_size
    print(f"{'ok' if ok else 'FAIL'} page_ext: {pages} pages ({ours} bytes)"
          f", the kernel allocated {said[-1]} bytes in {sections} sections")
    if not ok:
        fails.append("page_ext")


def run_script(d, text):
    with tempfile.NamedTemporaryFile("w", suffix=".py") as f:
        f.write(text)
        f.flush()
        return d.run("script", f.name)


# One pfn of each page-cache mapping, from page_owners(all=True).
FILE_SCRIPT = """
seen = {}
for o in prog.page_owners(all=True):
    if o.use in ("file", "shmem") and o.use_object not in seen:
        seen[o.use_object] = o.pfn
print(" ".join(f"pfn:{p:#x}" for p in seen.values()))
"""


def check_files(d, page_size, fails):
    """The files in /tmp (what the fixture workload writes to tmpfs), each
    by its path, with as many pages as its i_size: `lookup` of one page of
    each mapping gives path and size, `report --group file` the pages."""
    rep = json.loads(d.run("report", "--all", "--use", "file,shmem",
                           "--group", "file", "--format", "json"))
    ours = {g["key"]["file"]: g["pages"] for g in rep["groups"]}
    pfns = run_script(d, FILE_SCRIPT).split()
    sizes = dict(re.findall(r"^file (/\S+) \(.*, size (\d+),", d.run(
        "lookup", *pfns), re.M)) if pfns else {}
    checked = 0
    for path, size in sorted(sizes.items()):
        if not path.startswith("/tmp/"):
            continue
        want = (int(size) + page_size - 1) // page_size
        ok = ours.get(path) == want
        checked += 1
        print(f"{'ok' if ok else 'FAIL'} file {path}: {ours.get(path)} "
              f"pages, i_size {size}: {want}")
        if not ok:
            fails.append(path)
    if not checked:
        print("FAIL files: no page-cache file in /tmp")
        fails.append("files")


def main():
    po, core, vmlinux = sys.argv[1:4]
    d = Dump(po, core, vmlinux)
    rep = json.loads(d.run("report", "--all", "--group", "use",
                           "--format", "json"))
    use = by_use(rep)
    c = counters(d)
    g = lambda k: use.get(k, 0)
    large, unknown = large_kmalloc_pages(d)
    slab_counter = (c.get("NR_SLAB_RECLAIMABLE_B") or 0) + \
        (c.get("NR_SLAB_UNRECLAIMABLE_B") or 0)
    file_counter = c["NR_FILE_PAGES"] - (c.get("NR_SWAPCACHE") or 0)
    checks = [
        ("free", g("free"), c["NR_FREE_PAGES"]),
        ("shmem", g("shmem"), c["NR_SHMEM"]),
        ("file+shmem", g("file") + g("shmem"), file_counter),
        ("anon (mapped)", int(run_script(d, ANON_SCRIPT)),
         c["NR_ANON_MAPPED"]),
        ("pagetable", g("pagetable"), c["NR_PAGETABLE"]),
        # Every zspage's pages (zs_pool's pages_allocated, zram's mm_stat).
        ("zsmalloc", g("zsmalloc"), c.get("NR_ZSPAGES") or 0),
        # pcpu_nr_pages(), meminfo's Percpu: every unit of every chunk.
        ("percpu", g("percpu"),
         d.values(["pcpu_nr_populated * pcpu_nr_units"])[0]),
    ]
    fails = []
    check_kstacks(d, g("kstack"), c["NR_KERNEL_STACK_KB"],
                  rep["summary"]["page_size"], fails)
    check_vmalloc(d, g("vmalloc"), g("kstack"), c.get("NR_VMALLOC"), fails)
    check_hugetlb(d, g("hugetlb"), fails)
    for name, ours, kernel in checks:
        ok = ours == kernel
        print(f"{'ok' if ok else 'FAIL'} {name}: {ours} pages, kernel "
              f"{kernel}")
        if not ok:
            fails.append(name)
    # v7.x types large kmallocs: then the count is exact.  Before, pages
    # whose stack is unknown may be large kmallocs too: a bound, exact
    # when there are none.
    slab = g("slab") + g("large_kmalloc") + large
    if g("large_kmalloc") or not unknown or slab == slab_counter:
        ok, how = slab == slab_counter, ""
    else:
        ok = slab <= slab_counter <= slab + unknown
        how = (f" (at most {slab + unknown}: {unknown} kernel pages "
               f"have no known stack)")
    print(f"{'ok' if ok else 'FAIL'} slab: {g('slab')} slab + "
          f"{g('large_kmalloc') + large} large kmalloc pages, kernel "
          f"{slab_counter}{how}")
    if not ok:
        fails.append("slab")
    # Every pfn from min_low_pfn to the end of the last node, each once.
    start, span, low = d.values([f"{nodes(d)[-1]}.node_start_pfn",
                                 f"{nodes(d)[-1]}.node_spanned_pages",
                                 "min_low_pfn"])
    total, want = sum(use.values()), start + span - low
    print(f"{'ok' if total == want else 'FAIL'} pages: {total} classified "
          f"once each, of pfns {low:#x}-{start + span:#x}: {want}")
    if total != want:
        fails.append("total")
    if len(sys.argv) > 4:
        check_page_ext(sys.argv[4], g("page_ext"),
                       rep["summary"]["page_size"],
                       rep["summary"]["page_ext_sections"], fails)
    check_local(d, fails)
    check_caches(d, fails)
    check_files(d, rep["summary"]["page_size"], fails)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
