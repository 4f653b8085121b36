#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which of the given pfns the dump itself shows free: in a buddy block
(PageBuddy() on the block's head, whose order covers the pfn) or on a
per-CPU free list.  Read through the pageowner module, from the kernel's
own structures, never from page_owner.

free-at-dump.py CORE VMLINUX PFNFILE   prints "PFN buddy|pcp", one a line

PFNFILE has one pfn a line (0x... or decimal).  On kernels where a record
has no pid or timestamp (before v5.11) a page freed and allocated again
from the same stack between the two captures prints the same text in
both; such pages are free at the dump only if this script says so.
"""
import sys

import pageowner


def pfn_to_page(prog, pfn):
    """SPARSEMEM_VMEMMAP's pfn_to_page()."""
    return prog["vmemmap_base"].value_() + pfn * prog.type("struct page").size


def page_type_is_buddy(prog, page):
    """PageBuddy() as the kernel's era tests it."""
    try:
        pgty = prog["PGTY_buddy"].value_()
    except (pageowner.NotFoundError, KeyError):
        pgty = None
    pt = page.page_type.value_() & 0xffffffff
    if pgty is not None:
        return pt >> 24 == pgty
    # v4.18-v6.11: PG_buddy (0x80) cleared in a page_type that starts
    # all ones (PAGE_TYPE_BASE 0xf0000000).
    return (pt & (0xf0000000 | 0x80)) == 0xf0000000


def buddy_free(prog, pfn, max_order):
    for order in range(max_order + 1):
        head = pfn & ~((1 << order) - 1)
        page = pageowner.Object(prog, "struct page",
                                address=pfn_to_page(prog, head))
        if page_type_is_buddy(prog, page) and \
                page.private.value_() >= order:
            return True
    return False


def pcp_pages(prog):
    """pfns on every per-CPU free list of every zone of node 0."""
    out = set()
    lru = pageowner.Object(prog, "struct page", address=0).lru.address_
    size = prog.type("struct page").size
    base = prog["vmemmap_base"].value_()
    ncpu = prog["nr_cpu_ids"].value_()
    zones = prog["contig_page_data"].node_zones
    for z in range(prog["contig_page_data"].node_zones.type_.length):
        try:
            zone = zones[z]
            if not zone.present_pages.value_():
                continue
        except (pageowner.Error, IndexError):
            break
        try:  # v5.14+: zone->per_cpu_pageset, struct per_cpu_pages
            pcp_ptr, kind = zone.per_cpu_pageset.value_(), "pages"
        except AttributeError:  # before: zone->pageset->pcp
            pcp_ptr, kind = zone.pageset.value_(), "pageset"
        for cpu in range(ncpu):
            addr = pcp_ptr + prog["__per_cpu_offset"][cpu].value_()
            if kind == "pages":
                pcp = pageowner.Object(prog, "struct per_cpu_pages",
                                       address=addr)
            else:
                pcp = pageowner.Object(prog, "struct per_cpu_pageset",
                                       address=addr).pcp
            for i in range(pcp.lists.type_.length):
                head = pcp.lists[i]
                node, seen = head.next.value_(), 0
                while node != head.address_ and seen < 1 << 20:
                    out.add((node - lru - base) // size)
                    node = pageowner.Object(prog, "struct list_head",
                                            address=node).next.value_()
                    seen += 1
    return out


def main():
    core, vmlinux, pfnfile = sys.argv[1:4]
    prog = pageowner.open(core, vmlinux=vmlinux)
    pfns = [int(w, 0) for w in open(pfnfile).read().split()]
    # zone.free_area has one list per buddy order.
    max_order = prog["contig_page_data"].node_zones[0].free_area.type_ \
        .length - 1
    pcp = pcp_pages(prog)
    for pfn in pfns:
        if pfn in pcp:
            print(f"0x{pfn:x} pcp")
        elif buddy_free(prog, pfn, max_order):
            print(f"0x{pfn:x} buddy")


if __name__ == "__main__":
    main()
