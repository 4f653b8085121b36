#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check `pageowner lookup` against `pageowner dump` of the same dump.

DUMP is the dump output, itself checked against the kernel's captures.
For a sample of its records, looking up the pfn (and the physical address,
and a tail pfn of compound pages) must report the same owner: order, gfp,
pid, tgid, comm, timestamp and frames.  Also, `dump --free` (FREED) must
list only pages absent from DUMP, each with a free stack.
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
    for pfn, hdr, frames in sample:
        n = 3 if int(hdr[0]) > 0 else 2
        for i in range(n):
            out = next(blocks)
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
    print(f"lookups: {checked} ({tails} via a compound head), {fails} wrong; "
          f"freed records: {len(freed_recs)}, {bad_free} bad")
    return 1 if fails or bad_free or not tails or not freed_recs else 0


if __name__ == "__main__":
    sys.exit(main())
