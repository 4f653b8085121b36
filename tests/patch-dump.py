#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Make broken copies of a real dump for the bad-input tests.

patch-dump.py no-vmcoreinfo IN OUT   kdump with its VMCOREINFO size zeroed
patch-dump.py extra-page IN OUT      kdump whose page bitmap claims one more
                                     page than its descriptor table holds
patch-dump.py bad-data IN OUT [K]    kdump with damaged pages, in turn (or
                                     only damage K): 0 a byte of the deflate
                                     data, 1 of the adler32 trailer, 2 of the
                                     zlib header changed, 3 a compression
                                     flag it was not written with; only if
                                     asked, 4 a descriptor whose size is
                                     1 MiB, past any page
patch-dump.py bad-tables IN OUT K   kdump whose page table that maps the
                                     first struct pages (vmemmap's last
                                     level) is damaged as bad-data's K
                                     damages a page (x86_64 only)
patch-dump.py broken-build-id IN OUT any dump whose VMCOREINFO BUILD-ID is
                                     rewritten in the form a broken stable
                                     backport of "lib/buildid: harden build
                                     ID parsing logic" writes (the note's
                                     descsz, type and "GNU\\0", then the
                                     first 8 bytes of the id)
patch-dump.py no-debug IN OUT        a vmlinux (of any architecture) whose
                                     .debug_* sections are renamed, so that
                                     it has no DWARF (objcopy --strip-debug
                                     knows only the host's ELF)
patch-dump.py shrink IN OUT N        kdump of only the first N pfns, its
                                     headers and VMCOREINFO kept: a small
                                     valid dump for the fuzzers to mutate
A flattened input is rearranged first (the format is a stream of
big-endian (offset, size) records after a 4 KiB header).
"""
import struct
import sys
import zlib


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


def load_kdump(src):
    """The rearranged dump, its 2nd bitmap's offset and half its size,
    and where its page descriptors start."""
    data = bytearray(unflatten(open(src, "rb").read()))
    if data[:8] != b"KDUMP   ":
        sys.exit("not a kdump file: " + src)
    block_size, sub_hdr_size, bitmap_blocks = struct.unpack_from(
        "<iii", data, 428)
    half = bitmap_blocks * block_size // 2
    second = (1 + sub_hdr_size) * block_size + half
    pdesc = (1 + sub_hdr_size + bitmap_blocks) * block_size
    return data, second, half, pdesc


def extra_page(src, dst):
    data, second, half, _ = load_kdump(src)
    # The last pfn the second bitmap covers that it does not claim.
    for pos in range(second + half - 1, second - 1, -1):
        if data[pos] != 0xFF:
            bit = 7
            while data[pos] & (1 << bit):
                bit -= 1
            data[pos] |= 1 << bit
            open(dst, "wb").write(data)
            return
    sys.exit("every page is claimed already: " + src)


def damage(data, pdesc, i, kind):
    """Damage the page of descriptor @i as bad-data's @kind says."""
    off, size = struct.unpack_from("<qI", data, pdesc + 24 * i)
    if kind == 0:
        data[off + size // 2] ^= 0x55
    elif kind == 1:
        data[off + size - 1] ^= 0x01
    elif kind == 2:
        data[off + 1] ^= 0x20  # FDICT: a preset dictionary
    elif kind == 3:
        struct.pack_into("<I", data, pdesc + 24 * i + 12, 0x3)
    else:
        struct.pack_into("<I", data, pdesc + 24 * i + 8, 1 << 20)


def bad_data(src, dst, only=None):
    data, second, half, pdesc = load_kdump(src)
    held = sum(bin(b).count("1") for b in data[second:second + half])
    shared = {}
    for i in range(held):
        off = struct.unpack_from("<q", data, pdesc + 24 * i)[0]
        shared[off] = shared.get(off, 0) + 1
    damaged = 0
    # One page in 61, each of its own data (not the shared zero page).  The
    # struct pages fill 64 / PAGESIZE of RAM, in about held * 64 / PAGESIZE
    # blocks: with 16 or 64 KiB pages only 16 in 256 MiB, and one in 61
    # could miss them all.  Then one in that many blocks.  (On the 16 KiB
    # fixture one in 16 also hits the depot's pools_num first: report
    # then stops naming the page, which damaged_report accepts too.)
    stride = max(3, min(61, held * 64 // vmcoreinfo(data, "PAGESIZE")))
    for i in range(0, held, stride):
        off, size, flags = struct.unpack_from("<qII", data, pdesc + 24 * i)
        if flags != 1 or size < 16 or shared[off] != 1:
            continue
        damage(data, pdesc, i, damaged % 4 if only is None else int(only))
        damaged += 1
    if not damaged:
        sys.exit("no zlib page to damage: " + src)
    open(dst, "wb").write(data)


def vmcoreinfo(data, key, default=None):
    """The value of VMCOREINFO's @key, as an integer."""
    pos = data.find(key.encode() + b"=")
    if pos < 0:
        if default is not None:
            return default
        sys.exit("no %s in the dump's VMCOREINFO" % key)
    end = data.index(b"\n", pos)
    text = data[pos + len(key) + 1:end].decode()
    return int(text, 16 if key.startswith("SYMBOL(") else 10)


def page_index(data, second, pfn):
    """The descriptor index of @pfn: the pages the dump holds before it."""
    if not data[second + pfn // 8] >> (pfn % 8) & 1:
        sys.exit("the dump lacks pfn %#x" % pfn)
    before = sum(bin(b).count("1") for b in data[second:second + pfn // 8])
    return before + bin(data[second + pfn // 8] &
                        ((1 << (pfn % 8)) - 1)).count("1")


def read_page(data, pdesc, i):
    off, size, flags = struct.unpack_from("<qII", data, pdesc + 24 * i)
    if flags == 0:
        return bytes(data[off:off + size])
    if flags != 1:
        sys.exit("page %d is not zlib-compressed" % i)
    return zlib.decompress(bytes(data[off:off + size]))


class X86Walk:
    """x86_64 page tables from init_top_pgt, found as __pa_symbol() does:
    minus __START_KERNEL_map, plus phys_base."""

    def __init__(self, dump):
        self.data, self.second, _, self.pdesc = dump
        self.root = (vmcoreinfo(self.data, "SYMBOL(init_top_pgt)") -
                     0xffffffff80000000 +
                     vmcoreinfo(self.data, "NUMBER(phys_base)"))
        self.shifts = [39, 30, 21, 12]
        if vmcoreinfo(self.data, "NUMBER(pgtable_l5_enabled)", 0):
            self.shifts.insert(0, 48)

    def page(self, paddr):
        i = page_index(self.data, self.second, paddr >> 12)
        return i, read_page(self.data, self.pdesc, i)

    def walk(self, vaddr):
        """The physical address of @vaddr, and the descriptor index of
        the last page table the walk read."""
        table = self.root
        for level, shift in enumerate(self.shifts):
            i, page = self.page(table)
            entry = struct.unpack_from("<Q", page,
                                       (vaddr >> shift & 511) * 8)[0]
            if not entry & 1:
                sys.exit("%#x is not mapped (level %d)" % (vaddr, level))
            table = entry & 0x000ffffffffff000
            # PSE in a PUD or PMD entry: a 1 GiB or 2 MiB page.
            if level + 1 == len(self.shifts) or (
                    level + 3 >= len(self.shifts) and entry & 0x80):
                table &= ~((1 << shift) - 1)
                return table | (vaddr & ((1 << shift) - 1)), i

    def read64(self, vaddr):
        paddr, _ = self.walk(vaddr)
        return struct.unpack_from("<Q", self.page(paddr)[1],
                                  paddr & 4095)[0]


def bad_tables(src, dst, kind):
    dump = load_kdump(src)
    data, _, _, pdesc = dump
    xw = X86Walk(dump)
    vmemmap = vmcoreinfo(data, "SYMBOL(vmemmap)", 0)
    if not vmemmap:
        # Before v6.x kept it in VMCOREINFO: the mem_map of section 0,
        # through mem_section[0] (SPARSEMEM_EXTREME: a root's pointer).
        root = xw.read64(vmcoreinfo(data, "SYMBOL(mem_section)"))
        vmemmap = xw.read64(root) & ~0xfff
    _, i = xw.walk(vmemmap)
    if struct.unpack_from("<I", data, pdesc + 24 * i + 12)[0] != 1:
        sys.exit("the page table of %#x is not zlib-compressed" % vmemmap)
    damage(data, pdesc, i, int(kind))
    open(dst, "wb").write(data)


def broken_build_id(src, dst):
    with open(src, "rb") as f:
        data = f.read()
    key = b"BUILD-ID="
    start = data.index(key) + len(key)
    real = data[start:start + 40]
    if len(real) != 40 or any(c not in b"0123456789abcdef" for c in real):
        sys.exit(f"{src}: BUILD-ID is not 40 hex digits: {real!r}")
    broken = b"1400000003000000474e5500" + real[:16]
    # Every copy: the dump's header and the kernel's own buffer in memory.
    with open(dst, "wb") as f:
        f.write(data.replace(key + real, key + broken))


def no_debug(src, dst):
    with open(src, "rb") as f:
        data = bytearray(f.read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit(f"{src}: not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    sh = shoff + shentsize * shstrndx
    off, size = struct.unpack_from("<QQ", data, sh + 0x18)
    names = bytes(data[off:off + size])
    if b".debug_info" not in names:
        sys.exit(f"{src}: no .debug_info section")
    data[off:off + size] = names.replace(b".debug_", b".nodbg_")
    with open(dst, "wb") as f:
        f.write(data)


def shrink(src, dst, npfns):
    data, second, half, pdesc = load_kdump(src)
    npfns = int(npfns, 0)
    block_size, sub_hdr_size = struct.unpack_from("<ii", data, 428)
    first = second - half
    # One block per bitmap holds block_size * 8 pfns.
    if npfns > block_size * 8 or npfns % 8:
        sys.exit("shrink: N must be a multiple of 8, at most %d"
                 % (block_size * 8))
    nbytes = npfns // 8
    held = [i for i in range(npfns) if data[second + i // 8] >> (i % 8) & 1]
    out = bytearray(data[:(1 + sub_hdr_size) * block_size])
    struct.pack_into("<ii", out, 436, 2, npfns)  # bitmap_blocks, max_mapnr
    version = struct.unpack_from("<i", out, 8)[0]
    if version >= 6:
        struct.pack_into("<Q", out, block_size + 96, npfns)
    for start in (first, second):
        bm = bytearray(block_size)
        bm[:nbytes] = data[start:start + nbytes]
        out += bm
    descs = bytearray()
    body = bytearray()
    moved = {}
    base = len(out) + 24 * len(held)
    for k in range(len(held)):
        off, size, flags, pflags = struct.unpack_from("<qIIQ", data,
                                                      pdesc + 24 * k)
        if off not in moved:
            moved[off] = base + len(body)
            body += data[off:off + size]
        descs += struct.pack("<qIIQ", moved[off], size, flags, pflags)
    open(dst, "wb").write(out + descs + body)


if __name__ == "__main__":
    {"no-vmcoreinfo": no_vmcoreinfo, "extra-page": extra_page,
     "bad-data": bad_data, "bad-tables": bad_tables, "shrink": shrink,
     "broken-build-id": broken_build_id, "no-debug": no_debug}[sys.argv[1]](*sys.argv[2:])
