#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pages held by a module: allocations whose stack's first module frame is
in MODULE (as `pageowner report --module` counts them), by function.

    pageowner -c VMCORE -s VMLINUX script examples/module_pages.py MODULE
"""
import collections
import sys

import pageowner

module = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)


def first_module_frame(stack):
    return next((f for f in stack if f.module), None)


by_function = collections.Counter()
allocations = 0
undecodable = 0
for po in prog.page_owners():
    try:
        frame = first_module_frame(po.stack)
    except pageowner.Error:
        undecodable += 1  # a stack the depot cannot give back
        continue
    if frame and frame.module == module:
        # No symbol: the module's init text, freed once init returned.
        by_function[frame.symbol or "(freed init text)"] += po.pages
        allocations += 1

print(f"{sum(by_function.values())} pages in {allocations} allocations "
      f"held by module {module}")
for function, pages in by_function.most_common():
    print(f"  {pages:8} pages  {function} [{module}]")
if undecodable:
    print(f"({undecodable} records whose stack did not decode were skipped)")
