#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Leak suspects: stacks that hold many pages allocated long ago and kept.

A stack whose allocations are both numerous and old relative to the dump
(the newest allocation timestamp stands in for "now") is what a slow leak
looks like.  Score = pages x median age.  Special handles are left out:
they carry no stack to blame.

    pageowner -c VMCORE -s VMLINUX script examples/leak_suspects.py \
        [MIN_PAGES [TOP]]
"""
import collections
import statistics
import sys

min_pages = int(sys.argv[1]) if len(sys.argv) > 1 else 64
top = int(sys.argv[2]) if len(sys.argv) > 2 else 5

pages = collections.Counter()
stamps = collections.defaultdict(list)
comms = collections.defaultdict(collections.Counter)
now = 0
for po in prog.page_owners():
    if po.ts_nsec is None:
        sys.exit("this kernel's page_owner records no timestamps "
                 "(before v5.11): no age to judge by")
    now = max(now, po.ts_nsec)
    pages[po.handle] += po.pages
    stamps[po.handle].append(po.ts_nsec)
    comms[po.handle][po.comm] += po.pages

special = set(prog.special_handles.values())
suspects = []
for handle, n in pages.items():
    if n < min_pages or handle in special:
        continue
    age = now - statistics.median(stamps[handle])
    suspects.append((n * age, handle, n, age))
suspects.sort(reverse=True)

print(f"{len(suspects)} stacks hold >= {min_pages} pages; "
      f"the {min(top, len(suspects))} most suspect "
      f"(now = newest allocation, {now / 1e9:.3f} s after boot):")
for score, handle, n, age in suspects[:top]:
    who = ", ".join(f"{c} ({p})" for c, p in comms[handle].most_common(3))
    print(f"\n{n} pages in {len(stamps[handle])} allocations, median age "
          f"{age / 1e9:.3f} s, by {who}; handle {handle:#010x}")
    print(prog.stack(handle), end="")
