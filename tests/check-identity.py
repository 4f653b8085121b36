#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the dump identity of `report --format json` and `--format jsonl`.

check-identity.py CORE REPORT.json REPORT.jsonl SCHEMA

Everything expected is read from the dump file here, not from pageowner:
the VMCOREINFO note (ELF PT_NOTE, or the kdump sub-header's
offset_vmcoreinfo), its OSRELEASE and BUILD-ID, the file size, the id as
README.md defines it (FNV-1a 64 of the note text, then the size as 8
bytes little-endian), and a kdump file's header utsname nodename and
timestamp where the writer filled them (makedumpfile does, QEMU does not).  The JSON document and each JSONL row must validate against
the schema and carry the same identity.
"""
import json
import os
import struct
import sys

import jsonschema


def elf_vmcoreinfo(data):
    """The VMCOREINFO note's text of an ELF64 little-endian dump."""
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        ptype, _, off, _, _, filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if ptype != 4:  # PT_NOTE
            continue
        pos, end = off, off + filesz
        while pos + 12 <= end:
            namesz, descsz, _ = struct.unpack_from("<III", data, pos)
            name = data[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            desc = pos + 12 + ((namesz + 3) & ~3)
            if name == b"VMCOREINFO":
                return data[desc:desc + descsz]
            pos = desc + ((descsz + 3) & ~3)
    return None


def kdump_vmcoreinfo(f):
    """The sub-header's VMCOREINFO of a (not flattened) kdump file."""
    f.seek(428)
    block_size, = struct.unpack("<I", f.read(4))
    f.seek(block_size + 32)
    off, size = struct.unpack("<QQ", f.read(16))
    f.seek(off)
    return f.read(size)


def fnv1a(data, h=0xcbf29ce484222325):
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def expected(core):
    size = os.stat(core).st_size
    want = {"file_size": size}
    with open(core, "rb") as f:
        head = f.read(4096)
        if head.startswith(b"\x7fELF"):
            f.seek(0)
            # The notes are near the start; 64 MiB is more than enough.
            text = elf_vmcoreinfo(f.read(64 << 20))
        elif head.startswith(b"KDUMP   "):
            text = kdump_vmcoreinfo(f)
            # makedumpfile fills utsname; QEMU leaves all but machine 0.
            host = head[12 + 65:12 + 130].split(b"\0")[0].decode()
            if host:
                want["host"] = host
            ts, = struct.unpack_from("<q", head, 408)
            if ts > 0:
                want["crash_time"] = ts
                want["crash_time_source"] = "kdump-header"
        else:
            text = None  # flattened: pageowner rearranges it first
    if text is not None:
        text = text.rstrip(b"\0")
        keys = dict(l.split("=", 1) for l in text.decode().splitlines()
                    if "=" in l)
        want["release"] = keys.get("OSRELEASE")
        want["build_id"] = keys.get("BUILD-ID")
        if "CRASHTIME" in keys:
            want["crash_time"] = int(keys["CRASHTIME"])
            want["crash_time_source"] = "vmcoreinfo"
        h = fnv1a(struct.pack("<Q", size), fnv1a(text))
        want["id"] = f"{h:016x}"
    return want


def main():
    core, doc_path, jsonl_path, schema_path = sys.argv[1:5]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(doc_path, encoding="utf-8") as f:
        doc = json.load(f)
    jsonschema.validate(doc, schema)
    row_schema = {"definitions": schema["definitions"],
                  "allOf": [{"$ref": "#/definitions/group"}],
                  "required": ["dump"]}
    bad = []
    with open(jsonl_path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    for r in rows:
        jsonschema.validate(r, row_schema)
        if r["dump"] != doc["dump"]:
            bad.append(f"row {r['rank']}: dump {r['dump']}")
    ident = doc["dump"]
    want = expected(core)
    s = doc["summary"]
    want["ram_bytes"] = s["ram_pages"] * s["page_size"]
    for k, v in want.items():
        if ident.get(k) != v:
            bad.append(f"{k}: report {ident.get(k)!r}, the file {v!r}")
    if ident["crash_time_source"] == "none" and ident["crash_time"] is not None:
        bad.append("crash_time without a source")
    for b in bad[:5]:
        print(b)
    print(f"identity {ident['id']}: {len(rows)} JSONL rows, checked "
          f"{', '.join(sorted(want))} against the file")
    return 1 if bad or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
