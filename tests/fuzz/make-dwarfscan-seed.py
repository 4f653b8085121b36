#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""make-dwarfscan-seed.py ELF OUT: the DWARF sections of a 64-bit little
endian ELF file, uncompressed, as fuzz_dwarfscan.c reads its input:
[u32 size][.debug_abbrev][u32 size][.debug_str][u32 size]
[.debug_str_offsets][.debug_info]."""
import struct
import sys
import zlib


def sections(path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("not a 64-bit little endian ELF file: " + path)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    heads = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
             for i in range(shnum)]
    names = heads[shstrndx]
    out = {}
    for h in heads:
        name_off, _, flags, _, off, size = h[:6]
        end = data.index(b"\0", names[4] + name_off)
        name = data[names[4] + name_off:end].decode()
        body = data[off:off + size]
        if flags & 0x800:  # SHF_COMPRESSED: Elf64_Chdr, then zlib
            body = zlib.decompress(body[24:])
        out[name] = body
    return out


def main():
    s = sections(sys.argv[1])
    blob = b""
    for name in (".debug_abbrev", ".debug_str", ".debug_str_offsets"):
        part = s.get(name, b"")
        blob += struct.pack("<I", len(part)) + part
    blob += s.get(".debug_info", b"")
    open(sys.argv[2], "wb").write(blob)


if __name__ == "__main__":
    main()
