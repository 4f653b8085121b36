# SPDX-License-Identifier: GPL-3.0-or-later
"""The Python module against the CLI and the kernel's own text, on one
real dump.  The CLI's output is itself checked against the kernel's
captured page_owner elsewhere (tests/real-dump-tests.sh)."""
import collections
import csv
import io
import json
import os
import re
import subprocess
import sys
import threading

import pytest

import pageowner

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def show_stacks_blocks(text):
    """{stack text: nr_base_pages} from show_stacks-format output."""
    totals = {}
    for block in text.split("\n\n"):
        lines = block.strip("\n").split("\n")
        if len(lines) < 2 or not lines[-1].startswith("nr_base_pages: "):
            continue
        stack = "".join(line + "\n" for line in lines[:-1])
        totals[stack] = int(lines[-1].split()[1])
    return totals


def capture_stack(capture, name):
    """Frames of the first record in the kernel's page_owner capture whose
    stack starts with register_NAME_stack."""
    for record in open(capture).read().split("\n\n"):
        frames = [line for line in record.split("\n") if line.startswith(" ")]
        if frames and frames[0].startswith(f" register_{name}_stack+"):
            return "".join(f + "\n" for f in frames)
    return None


# ---- page owners ----

def test_pages_per_stack_agree_with_cli(prog, cli):
    """Python's own sum over page_owners() equals `stacks --from-walk`."""
    mine = collections.Counter()
    for po in prog.page_owners():
        mine[str(po.stack)] += po.pages
    theirs = show_stacks_blocks(cli("stacks", "--from-walk",
                                    "--threshold", "0"))
    assert len(mine) > 10
    assert dict(mine) == theirs


def test_report_groups_agree_with_cli_json(prog, cli, has_tasks):
    """prog.report() equals `report --format json`, group for group."""
    doc = json.loads(cli("report", "--format", "json"))
    theirs = [(g["pages"], g["allocations"], g["key"]["handle"],
               g["stack"], g["first_ts"], g["last_ts"])
              for g in doc["groups"]]
    mine = [(g.pages, g.allocs, "0x%08x" % g.stack.handle,
             [str(f) for f in g.stack], g.first_ts, g.last_ts)
            for g in prog.report()]
    assert mine == theirs
    if not has_tasks:
        assert all(g[4] is None and g[5] is None for g in mine)
        with pytest.raises(pageowner.Error, match="no member 'comm'"):
            prog.report(group_by="comm", sort="pages", top=3)
        return
    top = prog.report(group_by="comm", sort="pages", top=3)
    doc = json.loads(cli("report", "--format", "json", "--group", "comm",
                         "--top", "3"))
    assert [(g.comm, g.pages) for g in top] == \
        [(g["key"]["comm"], g["pages"]) for g in doc["groups"]]


def show_handles_blocks(text):
    """[(handle, nr_base_pages)] from show_handles-format output."""
    return [(int(h) & 0xffffffff, int(n)) for h, n in
            re.findall(r"handle: (-?\d+)\nnr_base_pages: (\d+)\n\n", text)]


@pytest.mark.parametrize("from_walk", [False, True])
def test_stacks_agree_with_show_handles(prog, cli, from_walk):
    """prog.stacks() is `stacks --show handles` with no threshold (which
    leaves out stacks holding no page), in the same order, and each
    StackTrace has the frames `--show stacks_handles` prints for it."""
    walk = ["--from-walk"] if from_walk else []
    mine = prog.stacks(from_walk=from_walk)
    theirs = show_handles_blocks(cli("stacks", *walk, "--show", "handles",
                                     "--threshold", "0"))
    assert len(theirs) > 10
    assert [(s.handle, s.nr_base_pages) for s in mine
            if s.nr_base_pages > 0] == theirs
    frames = {int(h) & 0xffffffff: f for f, h in re.findall(
        r"((?: .*\n)+)handle: (-?\d+)\n\n",
        cli("stacks", *walk, "--show", "stacks_handles"))}
    assert {s.handle for s in mine} == set(frames)
    assert all(s.stack.handle == s.handle and
               "".join(f" {f}\n" for f in s.stack) == frames[s.handle]
               for s in mine)
    if from_walk:
        assert all(s.nr_base_pages > 0 for s in mine)


def test_records_print_as_the_cli_dump(prog, cli):
    """str() of every PageOwner, in order, is `pageowner dump` exactly."""
    it = prog.page_owners()
    text = "".join(str(po) for po in it)
    assert text == cli("dump")
    assert it.counts["records"] == text.count("\nPFN ")


def test_pfn_range(prog):
    everything = [po.pfn for po in prog.page_owners()]
    lo, hi = everything[len(everything) // 4], everything[len(everything) // 2]
    assert [po.pfn for po in prog.page_owners(start=lo, end=hi)] == \
        [p for p in everything if lo <= p < hi]
    assert list(prog.page_owners(start=hi, end=lo)) == []


def test_special_handles_decode_as_cli_and_kernel(prog, cli, paths):
    handles = prog.special_handles
    assert set(handles) == {"dummy", "failure", "early"}
    for kind, handle in handles.items():
        stack = prog.stack(handle)
        assert stack.kind == kind
        assert stack.handle == handle
        theirs = "".join(line + "\n" for line in
                         cli("handle", str(handle)).split("\n")
                         if re.match(r"^ [^ ]", line))
        assert str(stack) == theirs
        kernel = capture_stack(paths["capture"], kind)
        if kernel is not None:
            assert str(stack) == kernel
        assert stack[0].symbol == f"register_{kind}_stack"
        assert str(stack[0]) == (
            f"{stack[0].symbol}+0x{stack[0].offset:x}/0x{stack[0].size:x}")


def parse_cli_lookup(text):
    # Before v5.11 there is no pid, tgid, comm or ts: None, as in Python.
    m = re.search(r"page last allocated via order (\d+), migratetype \w+, "
                  r"gfp_mask (0x[0-9a-f]+)\(.*?\)(?:, pid (-?\d+), "
                  r"tgid (-?\d+) \((.*)\), ts (\d+))?(?:,|$)", text, re.M)
    assert m, text
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines)
                 if line.startswith("page last allocated"))
    stack = ""
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        stack += line + "\n"
    opt = lambda v: None if v is None else int(v)
    return {"order": int(m[1]), "gfp": int(m[2], 16), "pid": opt(m[3]),
            "tgid": opt(m[4]), "comm": m[5], "ts": opt(m[6]),
            "stack": stack,
            "allocated": "tracks the page as allocated" in text}


def test_lookup_pfn_agrees_with_cli(prog, cli, paths):
    """prog.lookup() of the first 20 PFNs of the kernel's capture."""
    # v6.1 prints the PFN in decimal, v6.12 in hex.
    pfns = [int(p, 0) for p in re.findall(r"^PFN (0x[0-9a-f]+|\d+) ",
                                          open(paths["capture"]).read(),
                                          re.M)[:20]]
    assert pfns
    for pfn in pfns:
        po = prog.lookup(pfn, kind="pfn")
        theirs = parse_cli_lookup(cli("lookup", "pfn:%#x" % pfn))
        assert po.pfn == pfn
        assert (po.order, po.gfp_mask, po.pid, po.tgid, po.comm,
                po.ts_nsec, str(po.stack), po.allocated) == \
            (theirs["order"], theirs["gfp"], theirs["pid"], theirs["tgid"],
             theirs["comm"], theirs["ts"], theirs["stack"],
             theirs["allocated"])


def test_lookup_by_struct_page_and_phys(prog):
    po = next(iter(prog.page_owners()))
    assert prog.lookup(po.page, kind="page").pfn == po.pfn
    assert prog.lookup(po.page).pfn == po.pfn
    page_size = int(prog.vmcoreinfo("PAGESIZE"))
    assert prog.lookup(po.pfn * page_size + 123, kind="phys").pfn == po.pfn
    with pytest.raises(ValueError):
        prog.lookup(po.pfn, kind="nonsense")


def test_jobs_change_nothing(prog, cli):
    """Walks with worker threads give the records the CLI prints."""
    assert prog.jobs == 1
    try:
        prog.jobs = 3
        assert prog.jobs == 3
        it = prog.page_owners()
        assert "".join(str(po) for po in it) == cli("dump")
        with pytest.raises(ValueError):
            prog.jobs = 0
    finally:
        prog.jobs = 1


def test_two_threads_walk_alike(prog):
    """Walks release the GIL; the program's lock keeps them apart."""
    results = [None, None]

    def walk(i):
        results[i] = [(po.pfn, po.handle) for po in prog.page_owners()]

    threads = [threading.Thread(target=walk, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0] and results[0] == results[1]


# ---- objects and types ----

def vmcoreinfo_raw(core, key):
    """KEY's value as the raw dump file stores it, not as we parse it."""
    with open(core, "rb") as f:
        m = re.search(key.encode() + rb"=([^\n]*)\n", f.read())
    return m[1].decode() if m else None


def test_objects(prog, paths, cli):
    task = prog["init_task"]
    release = vmcoreinfo_raw(paths["core"], "OSRELEASE")
    assert release
    assert prog["init_uts_ns"].name.release.string_().decode() == release
    assert prog.vmcoreinfo("OSRELEASE") == release
    dummy = prog["dummy_handle"]
    assert dummy.value_() == prog.special_handles["dummy"]
    assert int.from_bytes(prog.read(dummy.address_, 4), "little") == \
        dummy.value_()
    assert dummy.type_.name == "depot_stack_handle_t"
    assert dummy.address_of_().value_() == dummy.address_
    assert prog.symbol("dummy_handle") == dummy.address_
    assert prog.eval("&dummy_handle").value_() == dummy.address_
    # str() is print's text without its "$N = " label.
    assert str(prog.eval("dummy_handle")) == \
        cli("print", "dummy_handle").split(" = $1 = ", 1)[1].rstrip("\n")
    assert str(task.se.load) == \
        cli("print", "init_task.se.load").split("$1 = ", 1)[1].rstrip("\n")
    assert task.pid.value_() == 0
    assert task.comm.string_() == b"swapper/0"
    assert "comm" in dir(task)
    ptr = pageowner.cast("struct task_struct *", task.address_of_())
    assert ptr.comm.string_() == task.comm.string_()
    assert ptr[0].pid == task.pid
    assert isinstance(task.se.load.value_(), dict)
    assert task.value_()["pid"] == 0
    obj = pageowner.Object(prog, "unsigned long", 5)
    assert obj.value_() == 5 and obj.address_ is None and obj == 5
    assert repr(obj) == "Object(prog, 'unsigned long', value=5)"


def test_types_agree_with_ptype(prog, cli):
    t = prog.type("struct page_owner")
    assert t.kind == "struct"
    ptype = cli("ptype", "struct page_owner")
    assert str(t) == ptype.rstrip("\n")
    names = re.findall(r"\s(\w+)(?:\[\d+\])?;$", ptype, re.M)
    assert [m.name for m in t.members] == names
    assert t.size == int(re.search(r"total size \(bytes\):\s+(\d+)",
                                   ptype)[1])
    p = t.pointer()
    assert p.kind == "pointer" and p.type == t and p.size == 8
    assert prog.type("unsigned long").is_signed is False


# ---- errors ----

def test_errors(prog, paths):
    with pytest.raises(KeyError):
        prog["no_such_symbol_anywhere"]
    with pytest.raises(pageowner.NotFoundError):
        prog["no_such_symbol_anywhere"]
    with pytest.raises(AttributeError):
        prog["init_task"].no_such_member
    assert not hasattr(prog["init_task"], "no_such_member")
    with pytest.raises(pageowner.FaultError) as e:
        prog.read(0xdead000000000000, 8)
    assert e.value.address == 0xdead000000000000
    with pytest.raises(ValueError):
        prog.stack(0)
    with pytest.raises(pageowner.InvalidError):
        prog.eval("1 +")
    with pytest.raises(ValueError):
        prog.eval("1 +")
    with pytest.raises(OSError):
        pageowner.open(paths["core"] + ".does-not-exist",
                       vmlinux=paths["vmlinux"])
    with pytest.raises(pageowner.FormatError):
        pageowner.open(paths["vmlinux"], vmlinux=paths["vmlinux"])
    with pytest.raises(TypeError):
        pageowner.StackTrace()


# ---- scripts ----

def run_script(paths, *args):
    return subprocess.run(
        [paths["cli"], "-c", paths["core"], "-s", paths["vmlinux"],
         "script", *args], capture_output=True, text=True)


def test_script_command(paths, tmp_path):
    script = tmp_path / "s.py"
    script.write_text("import sys\n"
                      "print(sys.argv[1:], prog['init_task'].pid.value_())\n"
                      "sys.exit(int(sys.argv[2]))\n")
    out = run_script(paths, str(script), "x", "3")
    assert out.returncode == 3
    assert out.stdout == "['x', '3'] 0\n"


def test_py_command_binds_prog(paths):
    out = subprocess.run(
        [paths["cli"], "-c", paths["core"], "-s", paths["vmlinux"], "py"],
        input="print(prog.special_handles['early'])\n",
        capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.strip().endswith(
        str(pageowner.open(paths["core"],
                           vmlinux=paths["vmlinux"]).special_handles["early"]))


def test_filtered_page_raises_its_own_exception(prog, paths, tmp_path):
    """A page makedumpfile left out raises FilteredPageError (a
    FaultError) with its address; its neighbour still reads."""
    with open(paths["core"], "rb") as f:
        if f.read(8) != b"KDUMP   ":
            pytest.skip("filter-dump.py needs a plain kdump-compressed file")
    pfn = next(iter(prog.page_owners())).pfn
    filtered = tmp_path / "filtered.kdump"
    subprocess.run([sys.executable, os.path.join(ROOT, "tests",
                                                  "filter-dump.py"),
                    paths["core"], str(filtered), hex(pfn)],
                   check=True, capture_output=True)
    fprog = pageowner.open(str(filtered), vmlinux=paths["vmlinux"])
    page_size = 4096
    with pytest.raises(pageowner.FilteredPageError) as e:
        fprog.read(pfn * page_size, 8, physical=True)
    assert isinstance(e.value, pageowner.FaultError)
    assert e.value.address == pfn * page_size
    assert fprog.read((pfn + 1) * page_size, 8, physical=True) == \
        prog.read((pfn + 1) * page_size, 8, physical=True)


def test_identity_is_the_reports(prog, cli, paths):
    """prog.identity is the JSON report's "dump", and its size the file's."""
    doc = json.loads(cli("report", "--format", "json", "--top", "1"))
    assert prog.identity == doc["dump"]
    assert prog.identity["file_size"] == os.stat(paths["core"]).st_size


def test_page_uses_agree_with_cli(prog, cli):
    """What each page is now: prog.report(all=True) by use, cache and file
    equals `report --all --format json`, and page_owners(all=True) adds up
    to the same pages per use, each pfn once."""
    for keys in ("use", "use,cache", "use,file,task", "fs"):
        doc = json.loads(cli("report", "--all", "--group", keys,
                             "--format", "json"))
        theirs = [(g["pages"], g["allocations"], g["key"].get("use"),
                   g["key"].get("cache"), g["key"].get("file"),
                   g["key"].get("task"), g["key"].get("fs"))
                  for g in doc["groups"]]
        mine = [(g.pages, g.allocs, g.use, g.cache, g.file, g.task, g.fs)
                for g in prog.report(group_by=keys, all=True)]
        assert mine == theirs
    per_use, last = {}, -1
    for o in prog.page_owners(all=True):
        assert o.pfn > last
        last = o.pfn + o.pages - 1
        per_use[o.use] = per_use.get(o.use, 0) + o.pages
    doc = json.loads(cli("report", "--all", "--group", "use", "--format",
                         "json"))
    assert per_use == {g["key"]["use"]: g["pages"] for g in doc["groups"]}
    assert "slab" in per_use and "free" in per_use
    # SLOB (the 5.10 fixture's) keeps no kmem_cache in its pages.
    try:
        prog["free_slob_small"]
        slob = True
    except LookupError:
        slob = False
    slabs = prog.report(group_by="cache", uses="slab", all=True)
    assert slabs and all(bool(g.cache) != slob for g in slabs)


def test_no_record_pages(prog, cli):
    """report --all: a page page_owner has no record of is in no task or
    gfp share; by stack, such pages make one group of no handle, which
    holds exactly the summary's "no record" pages, in JSON as in Python."""
    doc = json.loads(cli("report", "--all", "--format", "json"))
    summary, groups = doc["summary"], doc["groups"]
    assert summary["no_record_pages"] == sum(g["no_record_pages"]
                                             for g in groups)
    unrecorded = [g for g in groups if g["key"]["handle"] == "0x00000000"]
    assert len(unrecorded) <= 1
    for g in groups:
        shares = (sum(t["pages"] for t in g["tasks"]) +
                  g["other_task_pages"] if g["tasks"] else None)
        if g in unrecorded:
            assert g["no_record_pages"] == g["pages"]
            assert g["tasks"] == [] and g["gfp"] == [] and not g["stack"]
            assert g["first_ts"] is None and g["last_ts"] is None
        else:
            assert g["no_record_pages"] == 0
            assert shares in (None, g["pages"])
    mine = [(g.pages, g.no_record_pages)
            for g in prog.report(group_by="stack", all=True)]
    assert mine == [(g["pages"], g["no_record_pages"]) for g in groups]
    rows = list(csv.DictReader(io.StringIO(
        cli("report", "--all", "--format", "csv"), newline="")))
    assert [(int(r["pages"]), int(r["no_record_pages"])) for r in rows] == \
        [(g["pages"], g["no_record_pages"]) for g in groups]
    for r in rows:
        if r["handle"] == "0x00000000":
            assert (r["top_pid"], r["top_gfp"], r["first_ts"]) == ("",) * 3
    if unrecorded:
        text = cli("report", "--all")
        assert "no page_owner record: no task, gfp or stack" in text
        assert "handle 0x00000000" not in text


def test_node_zone_keys(prog, cli):
    """report --all --group node,zone: every page once, in zones the
    kernel's node_zones[] names, alike in JSON, CSV, text and Python."""
    doc = json.loads(cli("report", "--all", "--group", "node,zone",
                         "--format", "json"))
    assert doc["group_by"] == "node+zone"
    groups = doc["groups"]
    assert sum(g["pages"] for g in groups) == doc["summary"]["pages"]
    keys = [(g["key"]["node"], g["key"]["zone"]) for g in groups]
    assert len(set(keys)) == len(keys)
    nodes = "contig_page_data"
    try:
        prog.eval("sizeof(contig_page_data)")
        pgdats = [nodes]
    except LookupError:
        pgdats = [f"(*node_data[{n}])" for n in {k[0] for k in keys
                                                  if k[0] is not None}]
    names = set()
    nzones = prog.eval("__MAX_NR_ZONES").value_()
    for pg in pgdats:
        for z in range(nzones):
            zn = f"{pg}.node_zones[{z}]"
            if prog.eval(f"{zn}.spanned_pages").value_():
                names.add((prog.eval(f"{pg}.node_id").value_(),
                           prog.eval(f"{zn}.name").string_().decode()))
    assert {k for k in keys if k[0] is not None} <= names, (keys, names)
    mine = [(g.node, g.zone, g.pages)
            for g in prog.report(group_by="node,zone", all=True)]
    assert mine == [k + (g["pages"],) for k, g in zip(keys, groups)]
    rows = list(csv.DictReader(io.StringIO(cli(
        "report", "--all", "--group", "node,zone", "--format", "csv"),
        newline="")))
    assert [(int(r["node"]) if r["node"] else None, r["zone"] or None,
             int(r["pages"])) for r in rows] == mine
    text = cli("report", "--all", "--group", "node,zone")
    for node, zone, pages in mine:
        if node is not None:
            assert re.search(rf", node {node}, zone {zone}$", text, re.M)
    # Not grouped by them, a group has neither.
    g = prog.report(group_by="use", all=True)[0]
    assert (g.node, g.zone) == (None, None)


def test_page_owner_node_zone(prog, cli):
    """PageOwner.node and .zone, added up over every page, are the groups
    of report --all --group node,zone; lookup's zone line says the same
    of a page of each zone."""
    pages, first = {}, {}
    for o in prog.page_owners(all=True):
        k = (o.node, o.zone)
        pages[k] = pages.get(k, 0) + o.pages
        first.setdefault(k, o.pfn)
    doc = json.loads(cli("report", "--all", "--group", "node,zone",
                         "--format", "json"))
    want = {(g["key"]["node"], g["key"]["zone"]): g["pages"]
            for g in doc["groups"]}
    assert pages == want
    assert any(z is not None for _, z in pages)
    for (node, zone), pfn in first.items():
        out = cli("lookup", f"pfn:{pfn:#x}")
        if zone is None:
            assert re.search(r"^zone: none", out, re.M), out
        else:
            assert re.search(rf"^zone: node {node} {zone} \[", out, re.M), out


def test_lookup_dump_page_header(prog, cli):
    """lookup's dump_page() header against the struct page's own fields,
    read here through prog.eval, and its use line against the walk's."""
    seen, sample = set(), []
    for o in prog.page_owners(all=True):
        if o.use not in seen or len(sample) < 40:
            seen.add(o.use)
            sample.append(o)
    out = cli("lookup", *[f"pfn:{o.pfn:#x}" for o in sample]).split("\n\n")
    assert len(out) == len(sample)
    for o, text in zip(sample, out):
        page = f"((struct page *){o.page})"
        m = re.search(r"^page:\S* refcount:(-?\d+) mapcount:(-?\d+) "
                      r"mapping:([0-9a-f]{16}) index:(0x[0-9a-f]+) "
                      r"pfn:(0x[0-9a-f]+)$", text, re.M)
        assert m, text
        assert int(m[1]) == prog.eval(f"{page}->_refcount.counter").value_()
        assert int(m[5], 16) == o.pfn
        flags = prog.eval(f"{page}->flags").value_()
        if isinstance(flags, dict):  # v6.18+'s memdesc_flags_t
            flags = flags["f"]
        assert re.search(rf"flags: {flags:#x}\(", text), text
        assert re.search(rf"^use: {o.use}: ", text, re.M), text
