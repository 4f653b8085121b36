#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""filter-dump.py IN OUT PFN...: copy a kdump-compressed dump, leaving the
given pages out as makedumpfile's filtering does: their bit in the second
(dumpable) bitmap is cleared and their page descriptor removed.  The first
bitmap still says they are RAM, so readers see "excluded", not "absent".
"""
import struct
import sys


def main():
    src, dst, *pfns = sys.argv[1:]
    drop = {int(p, 0) for p in pfns}
    with open(src, "rb") as f:
        data = bytearray(f.read())
    if data[:8] != b"KDUMP   ":
        raise SystemExit(f"{src}: not a kdump-compressed dump")
    version, = struct.unpack_from("<i", data, 8)
    block, sub_blocks, bitmap_blocks, max_mapnr = struct.unpack_from("<iiII", data, 428)
    if version >= 6:
        max_mapnr, = struct.unpack_from("<Q", data, block + 96)
    half = bitmap_blocks * block // 2
    bm1 = (1 + sub_blocks) * block
    bm2 = bm1 + half
    descs = bm1 + 2 * half
    old = bytes(data[descs:])
    out, dropped, idx = bytearray(), 0, 0
    for i in range((max_mapnr + 7) // 8):
        byte = bm2 + i
        if not data[byte]:
            continue
        for b in range(8):
            if not data[byte] & (1 << b):
                continue
            desc = old[idx * 24:(idx + 1) * 24]
            idx += 1
            if i * 8 + b in drop:
                data[byte] &= ~(1 << b)
                dropped += 1
            else:
                out += desc
    data[descs:descs + len(out)] = out
    with open(dst, "wb") as f:
        f.write(data)
    print(f"left out {dropped} of {len(drop)} requested pages")


if __name__ == "__main__":
    main()
