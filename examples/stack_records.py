#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Decode stack depot handles by hand, the way lib/stackdepot.c does, with
nothing but the kernel's own types: union handle_parts gives the bit-fields,
stack_pools (stack_slabs before v6.3) the pools, struct stack_record the
frames.  Each record is checked against prog.stack(), pageowner's decoder.

    pageowner -c VMCORE -s VMLINUX script examples/stack_records.py [N]
"""
import collections
import sys

import pageowner

top = int(sys.argv[1]) if len(sys.argv) > 1 else 10
DEPOT_STACK_ALIGN = 4  # records are 16-byte aligned; handles store >> 4


def bitfields(type_, base=0, fields=None):
    """{name: (bit offset, width)} of the bit-fields, anonymous members
    included.  Little-endian bit numbering, as on x86-64."""
    fields = {} if fields is None else fields
    for m in type_.members:
        if m.name is None:
            bitfields(m.type, base + m.bit_offset, fields)
        elif m.bit_field_size:
            fields[m.name] = (base + m.bit_offset, m.bit_field_size)
    return fields


parts = bitfields(prog.type("union handle_parts"))


def field(handle, name):
    offset, width = parts[name]
    return (handle >> offset) & ((1 << width) - 1)


def pools():
    # v6.3 renamed stack_slabs to stack_pools; v6.17 made it a pointer.
    for name in ("stack_pools", "stack_slabs"):
        try:
            return prog[name]
        except KeyError:
            continue
    sys.exit("no stack_pools or stack_slabs in this kernel")


def record_of(handle):
    if "pool_index_plus_1" in parts:  # v6.8.5+
        index = field(handle, "pool_index_plus_1") - 1
    elif "slabindex" in parts:  # up to v6.2
        index = field(handle, "slabindex")
    else:  # v6.3 to v6.8.4 (0-based, except in 6.8.2-6.8.4)
        index = field(handle, "pool_index")
    pool = pools()[index].value_()
    address = pool + (field(handle, "offset") << DEPOT_STACK_ALIGN)
    return pageowner.Object(prog, "struct stack_record", address=address)


uses = collections.Counter(po.handle for po in prog.page_owners())
mismatches = 0
print(f"handle parts: {', '.join(f'{k}:{w}' for k, (o, w) in parts.items())}")
for handle, n in uses.most_common(top):
    record = record_of(handle)
    size = record.size.value_()
    pcs = [record.entries[i].value_() for i in range(size)]
    stored = record.handle.handle.value_()
    ours = [f.pc for f in prog.stack(handle)]
    same = pcs == ours and stored & 0xffffffff == handle
    mismatches += not same
    print(f"\nhandle {handle:#010x} ({n} records): struct stack_record at "
          f"{record.address_:#x}, size {size}, stored handle {stored:#010x}"
          f"{'' if same else '  MISMATCH with prog.stack()'}")
    for pc in pcs:
        print(f"  {pc:#x} {prog.symbolize(pc)}")
sys.exit(1 if mismatches else 0)
