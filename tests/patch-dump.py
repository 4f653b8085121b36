#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Make broken copies of a real dump for the bad-input tests.

patch-dump.py no-vmcoreinfo IN OUT   kdump with its VMCOREINFO size zeroed
A flattened input is rearranged first (the format is a stream of
big-endian (offset, size) records after a 4 KiB header).
"""
import struct
import sys


def unflatten(data):
    if not data.startswith(b"makedumpfile\0"):
        return data
    out = bytearray()
    pos = 4096
    while True:
        off, size = struct.unpack_from(">qq", data, pos)
        pos += 16
        if off == -1:
            return bytes(out)
        if len(out) < off + size:
            out.extend(b"\0" * (off + size - len(out)))
        out[off:off + size] = data[pos:pos + size]
        pos += size


def no_vmcoreinfo(src, dst):
    data = bytearray(unflatten(open(src, "rb").read()))
    if data[:8] != b"KDUMP   ":
        sys.exit("not a kdump file: " + src)
    block_size = struct.unpack_from("<i", data, 428)[0]
    # kdump_sub_header: phys_base, dump_level, split, start_pfn, end_pfn,
    # offset_vmcoreinfo, size_vmcoreinfo, offset_note, size_note
    struct.pack_into("<QQQQ", data, block_size + 40, 0, 0, 0, 0)
    # The text may also sit in the ELF notes: blank every copy of it.
    pos = data.find(b"OSRELEASE=")
    while pos >= 0:
        end = data.index(b"\0", pos)
        data[pos:end] = b"\0" * (end - pos)
        pos = data.find(b"OSRELEASE=", end)
    open(dst, "wb").write(data)


if __name__ == "__main__":
    {"no-vmcoreinfo": no_vmcoreinfo}[sys.argv[1]](sys.argv[2], sys.argv[3])
