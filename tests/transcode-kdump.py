#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Recompress a kdump file's pages as makedumpfile -z (zstd) or -p (snappy)
would, for dumps Debian 12's makedumpfile cannot write.

transcode-kdump.py zstd|snappy IN OUT [DAMAGE]

Every page IN holds (zlib-compressed or raw) is decompressed and
compressed again with the real library, libzstd or libsnappy through
ctypes (the ones libkdumpfile links), kept raw where that is no smaller,
as makedumpfile does; the descriptors point at the new data, flagged
DUMP_DH_COMPRESSED_ZSTD (0x20) or _SNAPPY (0x4), and the header's status
says the same.  Headers, bitmaps and VMCOREINFO are kept as they are.
With DAMAGE N, every Nth page compressed is then damaged, its last byte
cut off, for tests that our reader judges it: zstd as makedumpfile writes
it and snappy carry no checksum, so only a page that does not decode to a
whole page can be caught, unlike zlib's adler32.
"""
import ctypes
import ctypes.util
import struct
import sys
import zlib

FLAGS = {"lzo": 0x2, "snappy": 0x4, "zstd": 0x20}


def compressor(codec):
    if codec == "zstd":
        lib = ctypes.CDLL(ctypes.util.find_library("zstd") or "libzstd.so.1")
        lib.ZSTD_compressBound.restype = ctypes.c_size_t
        lib.ZSTD_compress.restype = ctypes.c_size_t
        lib.ZSTD_isError.restype = ctypes.c_uint

        def compress(page):
            cap = lib.ZSTD_compressBound(ctypes.c_size_t(len(page)))
            out = ctypes.create_string_buffer(cap)
            n = lib.ZSTD_compress(out, ctypes.c_size_t(cap), page,
                                  ctypes.c_size_t(len(page)), 1)
            if lib.ZSTD_isError(ctypes.c_size_t(n)):
                sys.exit("ZSTD_compress failed")
            return out.raw[:n]
        return compress
    if codec == "snappy":
        lib = ctypes.CDLL(ctypes.util.find_library("snappy") or
                          "libsnappy.so.1")
        lib.snappy_max_compressed_length.restype = ctypes.c_size_t

        def compress(page):
            cap = lib.snappy_max_compressed_length(ctypes.c_size_t(len(page)))
            out = ctypes.create_string_buffer(cap)
            n = ctypes.c_size_t(cap)
            if lib.snappy_compress(page, ctypes.c_size_t(len(page)), out,
                                   ctypes.byref(n)):
                sys.exit("snappy_compress failed")
            return out.raw[:n.value]
        return compress
    sys.exit("codec: zstd or snappy (Debian's makedumpfile -l makes lzo)")


def main():
    codec, src, dst = sys.argv[1:4]
    damage = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    packed_pages = 0
    compress = compressor(codec)
    data = open(src, "rb").read()
    if data[:8] != b"KDUMP   ":
        sys.exit(f"{src}: not a kdump file (rearrange a flattened one)")
    block_size, sub_hdr_size, bitmap_blocks = struct.unpack_from("<iii",
                                                                 data, 428)
    bitmap = bitmap_blocks * block_size // 2
    second = (1 + sub_hdr_size) * block_size + bitmap
    pdesc = (1 + sub_hdr_size + bitmap_blocks) * block_size
    n = sum(bin(b).count("1") for b in data[second:second + bitmap])
    body_start = pdesc + 24 * n
    out = bytearray(data[:body_start])
    status = struct.unpack_from("<I", out, 424)[0]
    struct.pack_into("<I", out, 424, (status & ~0x27) | FLAGS[codec])
    body = bytearray()
    moved = {}
    for k in range(n):
        off, size, flags, pflags = struct.unpack_from("<qIIQ", data,
                                                      pdesc + 24 * k)
        if off not in moved:
            raw = data[off:off + size]
            if flags & 0x1:
                raw = zlib.decompress(raw)
            elif flags:
                sys.exit(f"{src}: page {k} has compression flags {flags:#x}")
            if len(raw) != block_size:
                sys.exit(f"{src}: page {k} is {len(raw)} bytes")
            packed = compress(raw)
            nflags = FLAGS[codec]
            if len(packed) >= block_size:
                packed, nflags = raw, 0
            elif damage:
                packed_pages += 1
                if packed_pages % damage == 0:
                    packed = packed[:-1]
            moved[off] = (body_start + len(body), len(packed), nflags)
            body += packed
        noff, nsize, nflags = moved[off]
        struct.pack_into("<qIIQ", out, pdesc + 24 * k, noff, nsize, nflags,
                         pflags)
    open(dst, "wb").write(out + body)


if __name__ == "__main__":
    main()
