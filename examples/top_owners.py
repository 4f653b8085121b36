#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The allocation stacks holding most pages for tasks named COMM.

    pageowner -c VMCORE -s VMLINUX script examples/top_owners.py COMM [N]
"""
import collections
import sys

comm = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
top = int(sys.argv[2]) if len(sys.argv) > 2 else 5

pages = collections.Counter()
pids = collections.defaultdict(set)
for po in prog.page_owners():
    if po.comm is None:
        sys.exit("this kernel's page_owner records no comm (before v5.18)")
    if po.comm == comm:
        pages[po.handle] += po.pages
        pids[po.handle].add(po.pid)

print(f"{sum(pages.values())} pages held by tasks named {comm!r}, "
      f"from {len(pages)} stacks")
for handle, n in pages.most_common(top):
    stack = prog.stack(handle)
    label = "" if stack.kind == "normal" else f" (page_owner's {stack.kind} handle)"
    print(f"\n{n} pages, pids {sorted(pids[handle])}, "
          f"handle {handle:#010x}{label}:")
    print(stack, end="")
