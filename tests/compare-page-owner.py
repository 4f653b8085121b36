#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compare `pageowner dump` with the kernel's own page_owner captures.

A record is stable when page_owner.before.txt and page_owner.after.txt,
captured around the dump, hold it byte for byte: the dump must reproduce
it exactly.  Prints the rates and the first differences.  A stable record may differ
only where the capture cannot show the dumped state: a page flag that was
set at the moment of the dump and clear in both captures (--explain-bit,
PG_anon_exclusive on these fixtures), or a flag that the kernel flips back
and forth as it works (--explain-either-bit, SLUB's use of PG_workingset for
"on the node partial list": a slab can be off the list at the dump and on it
in both captures, or the other way round).  Exits 1 on any other difference.

Also checks that the dump has as many dummy, failure and early records
(first frame register_{dummy,failure,early}_stack) as the captures, and,
with --annotated, that the tool's own handle classification agrees.
"""
import argparse
import re
import sys

PFN = re.compile(r"^PFN (0x[0-9a-f]+|\d+) ", re.M)
FLAGS = re.compile(r" Flags (0x[0-9a-f]+)\(")
SPECIAL = ("dummy", "failure", "early")


def special_counts(recs):
    """Records whose first frame is register_<kind>_stack, per kind."""
    counts = dict.fromkeys(SPECIAL, 0)
    for rec in recs.values():
        lines = rec.split("\n")
        for kind in SPECIAL:
            if len(lines) > 2 and lines[2].startswith(f" register_{kind}_stack+"):
                counts[kind] += 1
    return counts


def annotated_counts(path):
    counts = dict.fromkeys(SPECIAL, 0)
    ann = re.compile(r"^Handle 0x[0-9a-f]+ is page_owner's (\w+) handle: ", re.M)
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for m in ann.finditer(f.read()):
            counts[m.group(1)] += 1
    return counts


def explained(ours, kernel, bits, either=(), slab=False):
    """Only the Flags value differs, by one of @bits set in ours or one of
    @either set in either.  A bit given as "N:frame" counts only for
    records whose stack has that frame (or a compiler's clone of it, as
    slob_new_pages.constprop.0); "N:@slab" only for pages the dump
    shows as slab pages (@slab, from --slab-at-dump)."""
    o, k = ours.split("\n"), kernel.split("\n")
    if len(o) != len(k) or o[0] != k[0] or o[2:] != k[2:]:
        return False
    mo, mk = FLAGS.search(o[1]), FLAGS.search(k[1])
    if not mo or not mk or o[1][: mo.start()] != k[1][: mk.start()]:
        return False
    diff = int(mo.group(1), 16) ^ int(mk.group(1), 16)
    specs = list(either)
    if int(mo.group(1), 16) & diff:
        specs += bits
    for spec in specs:
        bit, _, frame = spec.partition(":")
        if frame == "@slab":
            matches = slab
        else:
            # GCC's clones keep the name: slob_alloc.isra.0+0x109/0x1d2.
            matches = not frame or re.search(
                rf"^ {re.escape(frame)}(\.\w+\.\d+)*\+", kernel, re.M)
        if int(bit) >= 0 and diff == 1 << int(bit) and matches:
            return True
    return False


def records(path):
    """pfn -> record text (header to the blank line, inclusive)."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    out = {}
    for rec in text.split("\n\n"):
        if not rec.strip():
            continue
        m = PFN.search(rec)
        if not m:
            raise SystemExit(f"{path}: record without a PFN line:\n{rec}")
        out[int(m.group(1), 0)] = rec.strip("\n") + "\n"
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ours")
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--explain-bit", action="append", default=[])
    ap.add_argument("--explain-either-bit", action="append", default=[])
    ap.add_argument("--annotated")
    ap.add_argument("--show", type=int, default=3)
    ap.add_argument("--missing-pfns",
                    help="write the stable records' pfns that ours lacks")
    ap.add_argument("--free-at-dump",
                    help="pfns the dump shows free (free-at-dump.py): not "
                    "stable, if their records carry no timestamp")
    ap.add_argument("--slab-at-dump",
                    help="pfns the dump shows as slab pages "
                    "(slab-at-dump.py), for N:@slab")
    a = ap.parse_args()
    slab = set()
    if a.slab_at_dump:
        with open(a.slab_at_dump) as f:
            slab = {int(line.split()[0], 16) for line in f if line.strip()}
    ours, before, after = records(a.ours), records(a.before), records(a.after)
    stable = {p: r for p, r in before.items() if after.get(p) == r}
    if a.free_at_dump:
        # Without pid and ts a page freed and allocated again from the same
        # stack reads the same in both captures; the dump can tell.
        with open(a.free_at_dump) as f:
            free = {int(line.split()[0], 16) for line in f if line.strip()}
        gone = [p for p in stable if p in free and ", ts " not in stable[p]]
        for p in gone:
            del stable[p]
        print(f"records the dump shows free (buddy or per-CPU list), "
              f"left out of stable: {len(gone)}")
    same = [p for p in stable if ours.get(p) == stable[p]]
    missing = [p for p in stable if p not in ours]
    differ = [p for p in stable if p in ours and ours[p] != stable[p]]
    if a.missing_pfns:
        with open(a.missing_pfns, "w") as f:
            f.writelines(f"{p:#x}\n" for p in missing)
    # Records that changed between the captures: ours should equal one.
    moving = set(before) | set(after)
    moving -= set(stable)
    either = [p for p in moving if ours.get(p) in (before.get(p), after.get(p))]
    rate = 100.0 * len(same) / len(stable) if stable else 0.0
    print(f"records: ours {len(ours)}, before {len(before)}, after {len(after)}")
    print(f"stable records: {len(stable)}, identical in ours: {len(same)} "
          f"({rate:.2f}%), missing {len(missing)}, different {len(differ)}")
    print(f"unstable pfns: {len(moving)}, ours equals before or after: "
          f"{len(either)}")
    why = [p for p in differ if explained(ours[p], stable[p], a.explain_bit,
                                a.explain_either_bit, p in slab)]
    bad = [p for p in differ if p not in why] + missing
    print(f"stable records differing only by a flag that moves "
          f"(--explain-bit {a.explain_bit}, either "
          f"{a.explain_either_bit}): {len(why)} "
          f"[{', '.join(hex(p) for p in why)}]")
    for p in bad[: a.show]:
        print(f"--- pfn {p:#x}: kernel\n{stable[p]}--- ours\n{ours.get(p, '(none)')}")
    status = 0
    if not stable or bad:
        print(f"FAIL: {len(bad)} stable records differ without explanation")
        status = 1
    mine, kb, ka = special_counts(ours), special_counts(before), special_counts(after)
    print(f"special records (dummy/failure/early): ours {mine}, "
          f"before {kb}, after {ka}")
    for kind in SPECIAL:
        if not min(kb[kind], ka[kind]) <= mine[kind] <= max(kb[kind], ka[kind]):
            print(f"FAIL: {kind} records {mine[kind]} outside the captures")
            status = 1
    if a.annotated:
        ann = annotated_counts(a.annotated)
        print(f"handles classified by pageowner --annotate: {ann}")
        if ann != mine:
            print("FAIL: --annotate disagrees with the first frames")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
