#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which pages with a page_owner record the dump itself shows as slab pages,
read through the pageowner module from struct page, never from page_owner.

slab-at-dump.py CORE VMLINUX   prints one pfn (0x...) a line

A slab allocated before page_owner was initialised carries the early
handle, so its stack does not say allocate_slab; SLUB still moves it on
and off the node partial list (PG_workingset, mm/slub.c
slab_set_node_partial), and the dump can tell that it is a slab.
"""
import sys

import pageowner


def is_slab(prog, page, pgty_slab, pg_slab):
    if pgty_slab is not None:
        # v6.12 onwards: the page type in page_type's top byte.
        return (page.page_type.value_() & 0xffffffff) >> 24 == pgty_slab
    return bool(page.flags.value_() >> pg_slab & 1)


def enumerator(prog, name):
    try:
        return prog[name].value_()
    except (pageowner.NotFoundError, KeyError):
        return None


def main():
    core, vmlinux = sys.argv[1:3]
    prog = pageowner.open(core, vmlinux=vmlinux)
    pgty_slab = enumerator(prog, "PGTY_slab")
    pg_slab = enumerator(prog, "PG_slab")
    if pgty_slab is None and pg_slab is None:
        sys.exit("slab-at-dump.py: neither PGTY_slab nor PG_slab in vmlinux")
    for po in prog.page_owners():
        page = pageowner.Object(prog, "struct page", address=po.page)
        if is_slab(prog, page, pgty_slab, pg_slab):
            print(f"{po.pfn:#x}")


if __name__ == "__main__":
    main()
