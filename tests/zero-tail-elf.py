#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""zero-tail-elf.py IN OUT: copy a 64-bit little-endian ELF dump, leaving
out every page of its PT_LOADs that is all zeroes, as makedumpfile -E
leaves out zero pages: each PT_LOAD is split where a run of zero pages
begins, the part before it keeps them in p_memsz but not in p_filesz (a
zero-filled tail), and the next part starts after the run.  Prints how
many pages it left out.  Reading the copy must give what reading IN does.
"""
import mmap
import struct
import sys

PHDR = "<IIQQQQQQ"  # p_type p_flags p_offset p_vaddr p_paddr p_filesz p_memsz p_align
PT_LOAD = 1
PAGE = 4096


def split(m, ph):
    """The PT_LOADs that hold @ph's memory without its zero pages."""
    ptype, flags, off, vaddr, paddr, filesz, memsz, align = ph
    zero = bytes(PAGE)
    out, start, k = [], 0, 0
    pages = filesz // PAGE  # a partial last page stays as it is
    while k < pages:
        if m[off + k * PAGE:off + (k + 1) * PAGE] != zero:
            k += 1
            continue
        run = k
        while k < pages and m[off + k * PAGE:off + (k + 1) * PAGE] == zero:
            k += 1
        if run == start:
            # The run opens this part: the previous part's tail takes it,
            # or (at the segment's start) a part of no file bytes.
            if out:
                p = out[-1]
                out[-1] = p[:6] + ((p[6] + (k - run) * PAGE),)
            else:
                out.append((ptype, flags, off, vaddr, paddr, 0,
                            (k - run) * PAGE, align))
        else:
            out.append((ptype, flags, off + start * PAGE,
                        vaddr + start * PAGE, paddr + start * PAGE,
                        (run - start) * PAGE, (k - start) * PAGE, align))
        start = k
    rest = filesz - start * PAGE
    if rest or memsz > filesz or not out:
        out.append((ptype, flags, off + start * PAGE, vaddr + start * PAGE,
                    paddr + start * PAGE, rest, memsz - start * PAGE, align))
    else:
        # The segment ends in zero pages: its memsz already covers them.
        p = out[-1]
        out[-1] = p[:6] + (p[6] + memsz - filesz,)
    return out


def main():
    src, dst = sys.argv[1:]
    with open(src, "rb") as f:
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    if m[:4] != b"\x7fELF" or m[4] != 2 or m[5] != 1:
        raise SystemExit(f"{src}: not a 64-bit little-endian ELF file")
    phoff, = struct.unpack_from("<Q", m, 32)
    phentsize, phnum = struct.unpack_from("<HH", m, 54)
    phs = [struct.unpack_from(PHDR, m, phoff + i * phentsize)
           for i in range(phnum)]
    new = []
    for ph in phs:
        new.extend(split(m, ph) if ph[0] == PT_LOAD and ph[5] else [ph])
    if len(new) >= 0xffff:
        raise SystemExit(f"{src}: {len(new)} program headers are too many")
    # The copy: header, program headers, then each segment's file bytes.
    pos = 64 + len(new) * 56
    layout = []
    for ph in new:
        layout.append(ph[:2] + (pos if ph[5] else 0,) + ph[3:])
        pos += ph[5]
    left_out = sum(p[6] - p[5] for p in new if p[0] == PT_LOAD) - \
        sum(p[6] - p[5] for p in phs if p[0] == PT_LOAD)
    with open(dst, "wb") as f:
        eh = bytearray(m[:64])
        struct.pack_into("<QQ", eh, 32, 64, 0)  # e_phoff, e_shoff
        struct.pack_into("<HHHHH", eh, 54, 56, len(new), 0, 0, 0)
        f.write(eh)
        for ph in layout:
            f.write(struct.pack(PHDR, *ph))
        for ph in new:
            f.write(m[ph[2]:ph[2] + ph[5]])
    print(left_out // PAGE)


if __name__ == "__main__":
    main()
