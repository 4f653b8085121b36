#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check `pageowner lookup` against `pageowner dump` of the same dump.

DUMP is the dump output, itself checked against the kernel's captures.
For a sample of its records, looking up the pfn (and the physical address,
and a tail pfn of compound pages) must report the same owner: order, gfp,
pid, tgid, comm, timestamp and frames.  Also, `dump --free` (FREED) must
list only pages absent from DUMP, each with a free stack.

Each lookup's "zone:" line must name the zone the kernel's tables give:
the one the flags line's zone= (and node=) fields say, where %pGp prints
them (v5.13+), else the one whose span holds the pfn, with its span, all
read here with `print` from the node's node_zones[].
"""
import re
import subprocess
import sys

# Before v5.11 neither says pid, tgid, comm or ts: those groups are None.
HDR = re.compile(r"^Page allocated via order (\d+), mask (0x[0-9a-f]+)\(.*?\)"
                 r"(?:, pid (-?\d+), tgid (-?\d+) \((.*)\), ts (\d+) ns)?"
                 r"(?:, free_ts \d+ ns)?$")
LOOK = re.compile(r"^page last allocated via order (\d+), migratetype \w+, "
                  r"gfp_mask (0x[0-9a-f]+)\(.*?\)(?:, pid (-?\d+), "
                  r"tgid (-?\d+) \((.*)\), ts (\d+))?(?:, free_ts \d+)?$", re.M)


def records(path):
    out = []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for rec in f.read().split("\n\n"):
            lines = rec.strip("\n").split("\n")
            if len(lines) < 2 or not HDR.match(lines[0]):
                continue
            pfn = int(lines[1].split(" ")[1], 0)
            frames = [l for l in lines[2:] if l.startswith(" ")]
            out.append((pfn, HDR.match(lines[0]).groups(), frames))
    return out


def page_shift(core):
    """PAGE_SHIFT from the VMCOREINFO the dump file stores (4 KiB on
    x86_64, 16 or 64 KiB on some arm64 kernels)."""
    pat = re.compile(rb"(?:^|\n)PAGESIZE=(\d+)\n")
    with open(core, "rb") as f:
        tail = b""
        while chunk := f.read(1 << 24):
            m = pat.search(tail + chunk)
            if m:
                return int(m.group(1)).bit_length() - 1
            tail = chunk[-64:]
    raise SystemExit(f"FAIL: no PAGESIZE in {core}'s VMCOREINFO")


def lookup(po, core, vmlinux, addrs):
    r = subprocess.run([po, "-c", core, "-s", vmlinux, "lookup", *addrs],
                       capture_output=True, text=True, errors="surrogateescape")
    if r.returncode:
        raise SystemExit(f"FAIL: lookup exited {r.returncode}: {r.stderr[:300]}")
    return r.stdout.split("\n\n")


ZONE = re.compile(r"^zone: node (\d+) (\S+) \[(0x[0-9a-f]+), (0x[0-9a-f]+)\)",
                  re.M)
FLAGS = re.compile(r"^flags: 0x[0-9a-f]+\((.*)\)$", re.M)


def printed(po, core, vmlinux, exprs):
    """`print -d EXPR` of each expression, None where it fails."""
    script = "".join(f"print -d {e}\n" for e in exprs)
    r = subprocess.run([po, "-q", "-c", core, "-s", vmlinux, "shell"],
                       input=script, capture_output=True, text=True,
                       errors="surrogateescape")
    got = [m[1] for m in re.finditer(r"^\$\d+ = (.*)$", r.stdout, re.M)]
    if len(got) != len(exprs):
        return None
    return got


def node_zones(po, core, vmlinux, node):
    """[(name, start, end)] of node @node's node_zones[], by index."""
    for pg in ("contig_page_data", f"(*node_data[{node}])"):
        n = printed(po, core, vmlinux,
                    [f"sizeof({pg}.node_zones) / sizeof({pg}.node_zones[0])"])
        if n:
            break
    else:
        return None
    exprs = []
    for i in range(int(n[0])):
        z = f"{pg}.node_zones[{i}]"
        exprs += [f"{z}.name", f"{z}.zone_start_pfn", f"{z}.spanned_pages"]
    v = printed(po, core, vmlinux, exprs)
    if v is None:
        return None
    out = []
    for i in range(0, len(v), 3):
        name = re.search(r'"(.*)"', v[i])
        start, span = int(v[i + 1]), int(v[i + 2])
        out.append((name[1] if name else None, start, start + span))
    return out


def check_zone(out, pfn, zones):
    """The lookup block's zone line against the kernel's zone: '' if it
    matches, else what is wrong."""
    m = ZONE.search(out)
    if not m:
        return "no zone line"
    node, name = int(m[1]), m[2]
    span = (int(m[3], 16), int(m[4], 16))
    table = zones(node)
    if table is None:
        return f"node {node}'s zones do not print"
    f = FLAGS.search(out)
    fields = dict(x.split("=", 1) for x in (f[1].split("|") if f else [])
                  if "=" in x)
    if "zone" in fields:
        z = int(fields["zone"])
        want = [table[z]] if z < len(table) else []
    else:
        want = [z for z in table if z[1] <= pfn < z[2] and z[2] > z[1]][:1]
    if int(fields.get("node", node)) != node:
        return f"node {node}, flags say node={fields['node']}"
    if not want or (name, *span) != want[0]:
        return f"{name} {span}, kernel {want[0] if want else None}"
    return ""


def main():
    po, core, vmlinux, dump, freed = sys.argv[1:6]
    recs = records(dump)
    sample = recs[:25] + [r for r in recs if int(r[1][0]) > 0][:25]
    fails = checked = tails = 0
    addrs = []
    shift = page_shift(core)
    for pfn, hdr, frames in sample:
        addrs.append(f"pfn:{pfn:#x}")
        addrs.append(f"phys:{(pfn << shift) + 0x123:#x}")
        if int(hdr[0]) > 0:
            addrs.append(f"pfn:{pfn + (1 << int(hdr[0])) - 1:#x}")
    blocks = iter(lookup(po, core, vmlinux, addrs))
    cache = {}

    def zones(n):
        # Once a node: each read runs pageowner twice.
        if n not in cache:
            cache[n] = node_zones(po, core, vmlinux, n)
        return cache[n]

    bad_zone = 0
    for pfn, hdr, frames in sample:
        n = 3 if int(hdr[0]) > 0 else 2
        for i in range(n):
            out = next(blocks)
            why = check_zone(out, pfn, zones)
            if why:
                bad_zone += 1
                if bad_zone <= 3:
                    print(f"FAIL: lookup for pfn {pfn:#x}: zone: {why}")
            m = LOOK.search(out)
            lines = out.split("\n")
            start = next((j for j, l in enumerate(lines) if LOOK.match(l)), None)
            got = [] if start is None else \
                [l for l in lines[start + 1:] if l.startswith(" ")][: len(frames)]
            ok = m and m.groups() == hdr and got == frames
            if i == 2 and "tail page" not in out:
                # Not compound: every page has its own record, and v6.1
                # stamps each with its own local_clock() (ts may differ).
                ok = m and m.groups()[:-1] == hdr[:-1] and got == frames
            elif i == 2:
                # Compound pages keep the owner on the head; others have
                # it on every page (__set_page_owner_handle()).
                tails += 1
                ok = ok and f"tail page of the compound page at pfn {pfn:#x}" in out
            checked += 1
            if not ok:
                fails += 1
                if fails <= 3:
                    print(f"FAIL: lookup for pfn {pfn:#x} (form {i}):\n{out}")
    allocated = {r[0] for r in recs}
    freed_recs = []
    with open(freed, encoding="utf-8", errors="surrogateescape") as f:
        for rec in f.read().split("\n\n"):
            if rec.strip():
                freed_recs.append(rec)
    bad_free = 0
    for rec in freed_recs:
        lines = rec.strip("\n").split("\n")
        pfn = int(lines[1].split(" ")[1], 0)
        i = next((j for j, l in enumerate(lines) if l.startswith("Page freed,")), None)
        if pfn in allocated or i is None or i + 1 >= len(lines) or \
                not lines[i + 1].startswith(" "):
            bad_free += 1
    # dump --pfn A-B is the full dump's records in [A, B], byte for byte.
    with open(dump, encoding="utf-8", errors="surrogateescape") as f:
        full = [r + "\n\n" for r in f.read().split("\n\n") if r.strip()]
    a, b = recs[len(recs) // 3][0], recs[2 * len(recs) // 3][0]
    want = "".join(r for r, (p, _, _) in zip(full, recs) if a <= p <= b)
    got = subprocess.run([po, "-c", core, "-s", vmlinux, "dump", "--pfn",
                          f"{a:#x}-{b}"], capture_output=True, text=True,
                         errors="surrogateescape").stdout
    if got != want or not want:
        print(f"FAIL: dump --pfn {a:#x}-{b} is not the full dump's slice")
        fails += 1
    print(f"lookups: {checked} ({tails} via a compound head), {fails} wrong, "
          f"{bad_zone} in the wrong zone ({', '.join(sorted({z[0] for t in cache.values() if t for z in t if z[0]}))}); "
          f"freed records: {len(freed_recs)}, {bad_free} bad")
    return 1 if fails or bad_zone or bad_free or not tails or \
        not freed_recs else 0


if __name__ == "__main__":
    sys.exit(main())
