#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compare `pageowner stacks` with the kernel's captured show_stacks.

Both are lists of blocks: frames, then "nr_base_pages: N".  The capture was
read just before the dump, so a stack's count may have moved in between;
everything else must agree: the same stacks, in the same order.  A stack
whose count differs must own a page whose page_owner record changed
between page_owner.before.txt and page_owner.after.txt (a page in flux),
or own no page in either of them (it lived only between the two, like the
capture's own seq_file buffers); any other difference fails.
With --walk FILE (the same report computed from the page_ext walk), also
report how many stacks the walk counts exactly like the kernel's list.
"""
import argparse
import re
import sys

BLOCK = re.compile(r"((?: .*\n)+)nr_base_pages: (\d+)\n\n")


def blocks(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    out = [(m.group(1), int(m.group(2))) for m in BLOCK.finditer(text)]
    if sum(len(m.group(0)) for m in BLOCK.finditer(text)) != len(text):
        raise SystemExit(f"{path}: text outside stack blocks")
    return out


def page_records(path):
    """PFN -> (record, frames) of a capture or of `pageowner dump`."""
    t = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for rec in f.read().split("\n\n"):
            lines = rec.strip("\n").split("\n")
            if len(lines) < 2:
                continue
            frames = "".join(l + "\n" for l in lines[2:] if l.startswith(" "))
            t[lines[1].split(" ")[1]] = (rec, frames)
    return t


def stacks_in_flux(before, after, dump=None):
    """Stacks of pages whose record differs between the two captures; and
    with @dump, the set of those a page has in the dump that neither
    capture gives it (allocated after the first, freed before the second:
    a short-lived task's page table)."""
    recs = [page_records(before), page_records(after)]
    flux, only_dump = set(), set()
    seen = {r[1] for t in recs for r in t.values()}
    for pfn in set(recs[0]) | set(recs[1]):
        r0, r1 = recs[0].get(pfn), recs[1].get(pfn)
        if (r0 and r0[0]) != (r1 and r1[0]):
            flux.update(r[1] for r in (r0, r1) if r)
    for pfn, r in (page_records(dump) if dump else {}).items():
        caught = {x[1] for x in (recs[0].get(pfn), recs[1].get(pfn)) if x}
        if r[1] not in caught:
            only_dump.update(caught | {r[1]})
    return flux, only_dump - flux, seen


def totals_of_dump(path):
    """Base pages per stack, added up from `pageowner dump` records."""
    t = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for rec in f.read().split("\n\n"):
            lines = rec.strip("\n").split("\n")
            m = re.match(r"Page allocated via order (\d+),", lines[0])
            if not m:
                continue
            frames = "".join(l + "\n" for l in lines[2:] if l.startswith(" "))
            t[frames] = t.get(frames, 0) + (1 << int(m.group(1)))
    return t


def check_against_dump(walk, dump):
    """Without a show_stacks capture (before v6.9): the walk's totals must
    be the dump records' totals, largest first."""
    ours, want = blocks(walk), totals_of_dump(dump)
    status = 0
    if dict(ours) != want:
        print("FAIL: stacks --from-walk totals differ from the dump records")
        status = 1
    if [n for _, n in ours] != sorted((n for _, n in ours), reverse=True):
        print("FAIL: stacks are not largest first")
        status = 1
    print(f"stacks: {len(ours)}, {sum(n for _, n in ours)} base pages, "
          f"equal to the dump's records: {dict(ours) == want}")
    return status


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--against-dump":
        return check_against_dump(sys.argv[2], sys.argv[3])
    ap = argparse.ArgumentParser()
    ap.add_argument("ours")
    ap.add_argument("capture")
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--walk")
    ap.add_argument("--dump", help="`pageowner dump` of the same file")
    a = ap.parse_args()
    ours, kern = blocks(a.ours), blocks(a.capture)
    so, sk = [s for s, _ in ours], [s for s, _ in kern]
    common = set(so) & set(sk)
    same = sum(1 for b in ours if b in set(kern))
    status = 0
    print(f"stacks: ours {len(ours)}, capture {len(kern)}, common {len(common)}, "
          f"only ours {len(set(so) - common)}, only capture {len(set(sk) - common)}")
    rate = 100.0 * same / len(kern) if kern else 0.0
    print(f"identical blocks (frames and nr_base_pages): {same} of {len(kern)} "
          f"({rate:.2f}%); the rest changed count between capture and dump")
    if [s for s in so if s in common] != [s for s in sk if s in common]:
        print("FAIL: the common stacks are in a different order")
        status = 1
    if len(so) != len(set(so)):
        print("FAIL: a stack is listed twice")
        status = 1
    flux, only_dump, seen = stacks_in_flux(a.before, a.after, a.dump)
    mine = dict(ours)
    changed = [s for s, n in kern if s in mine and mine[s] != n]
    lost = [s for s in sk if s not in mine] + [s for s in so if s not in set(sk)]
    moved = changed + lost
    in_dump = [s for s in moved if s not in flux and s in only_dump]
    odd = [s for s in moved if s not in flux | only_dump and s in seen]
    transient = [s for s in moved if s not in flux | only_dump and s not in seen]
    print(f"count changed: {len(changed)}, listed on one side only: "
          f"{len(lost)}; of these, with a page in flux between the "
          f"page_owner captures: {len(moved) - len(odd) - len(transient) - len(in_dump)}, "
          f"with a page the dump gives them that neither capture does: "
          f"{len(in_dump)}, in neither capture: {len(transient)}")
    for s in odd[:3]:
        print(f"FAIL: unexplained difference for\n{s}")
    if odd or not kern:
        status = 1
    if a.walk:
        walk = dict(blocks(a.walk))
        mine = dict(ours)
        agree = sum(1 for s, n in mine.items() if walk.get(s) == n)
        print(f"walk totals equal to the kernel's stack_list counts: "
              f"{agree} of {len(mine)}")
        if agree != len(mine):
            print("FAIL: the page_ext walk and stack_list disagree")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
