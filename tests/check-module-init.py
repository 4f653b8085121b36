#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that the pages pohold.ko allocates in its init function count as
pohold's, though that init text was freed and its frames print bare.

check-module-init.py PO CORE VMLINUX POHOLD.KO

Expected from outside pageowner: NR_INIT_PAGES in
fixtures/mkfixture/pohold/pohold.c (the pages pohold_init allocates), and
pohold_init's size from the .ko's own symbol table (nm -S).  The dump's
mod->init (read with `print`) is where pohold_init was.  `report --module
pohold --group stack --format json` must then hold NR_INIT_PAGES pages in
stacks whose module frame is bare, each bare frame inside pohold_init.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "fixtures", "mkfixture", "pohold",
                      "pohold.c")
SCRIPT = """
head = prog.eval("(unsigned long)&modules").value_()
off = prog.eval("(unsigned long)&((struct module *)0)->list").value_()
pos = prog.eval("(unsigned long)modules.next").value_()
while pos != head:
    m = f"((struct module *){pos - off})"
    if prog.eval(f"{m}->name").string_() == b"pohold":
        print(prog.eval(f"(unsigned long){m}->init").value_())
    pos = prog.eval(f"(unsigned long){m}->list.next").value_()
"""


def main():
    po, core, vmlinux, ko = sys.argv[1:5]
    with open(SOURCE, encoding="utf-8") as f:
        want = int(re.search(r"#define NR_INIT_PAGES (\d+)", f.read())[1])
    nm = subprocess.run(["nm", "-S", ko], capture_output=True, text=True,
                        check=True).stdout
    size = int(re.search(r"^\w+ (\w+) t pohold_init$", nm, re.M)[1], 16)
    base = [po, "-q", "-c", core, "-s", vmlinux]
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"),
                        f"module-init-{os.getpid()}.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(SCRIPT)
    try:
        out = subprocess.run(base + ["script", path], capture_output=True,
                             text=True, check=True).stdout.split()
    finally:
        os.unlink(path)
    if len(out) != 1:
        print(f"FAIL: pohold is not loaded in the dump ({out})")
        return 1
    init = int(out[0])
    doc = json.loads(subprocess.run(
        base + ["report", "--module", "pohold", "--group", "stack",
                "--format", "json"], capture_output=True, text=True,
        check=True).stdout)
    pages, bad = 0, []
    for g in doc["groups"]:
        bare = [f for f in g["stack"] or [] if re.fullmatch(r"0x[0-9a-f]+",
                                                             f)]
        if not bare:
            continue
        pages += g["pages"]
        bad += [f for f in bare if not init <= int(f, 16) < init + size]
    ok = pages == want and not bad
    print(f"{'ok' if ok else 'FAIL'} {pages} pages from pohold_init "
          f"(mod->init {init:#x}, {size:#x} bytes) count as pohold's, "
          f"want {want}{'; frames outside it: ' + ' '.join(bad) if bad else ''}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
