# SPDX-License-Identifier: GPL-3.0-or-later
"""When a Program goes, its dump's files and memory go with it, and not
while anything still uses its C program.  A Program caches its
StackTraces and each refers back to it: that cycle is the collector's to
free (issue 25)."""
import gc
import os
import subprocess
import sys

import pageowner


def open_fds():
    return len(os.listdir("/proc/self/fd"))


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


def use_program(paths):
    """Open the dump, fetch what holds a Program (a stack, cached; an
    Object; a Type; a record), drop them all; the RSS while it was open."""
    prog = pageowner.open(paths["core"], vmlinux=paths["vmlinux"])
    po = prog.lookup(next(iter(prog.page_owners())).pfn, kind="pfn")
    stack = po.stack
    assert str(stack) == str(prog.stack(po.handle))
    task = prog["init_task"]
    assert task.comm.string_() == b"swapper/0"
    assert task.type_.name == "struct task_struct"
    assert str(po)
    rss = rss_kib()
    del prog, po, stack, task
    return rss


def test_dropped_programs_are_freed(paths):
    """50 programs opened, used and dropped, the collector run between
    them as a script's own allocations would: the open files stay those
    after the first, and memory does not grow by a program each time.

    A Program that is never freed costs its whole footprint again each
    time: 19271 KiB per program on the bundled 6.12 dump, where one takes
    20 MiB while open.  A freed one leaves what libkdumpfile's kdump
    contexts keep (never freed: README, libkdumpfile issue #72), besides
    the allocator's high water: 1155 KiB per program on that dump.  Half
    the footprint is a bound with room either way."""
    gc.collect()  # what earlier tests left
    start = rss_kib()
    footprint = use_program(paths) - start
    gc.collect()
    fds, rss = open_fds(), rss_kib()
    for i in range(49):
        use_program(paths)
        gc.collect()
        assert open_fds() == fds, f"files left open after program {i + 2}"
    growth = (rss_kib() - rss) / 49
    assert growth < footprint / 2, (
        f"RSS grew {growth:.0f} KiB per program; one open takes "
        f"{footprint} KiB")


def test_collector_sees_the_cycle(paths):
    """Program and StackTrace are the types that can form a cycle, and
    the collector can follow it both ways."""
    prog = pageowner.open(paths["core"], vmlinux=paths["vmlinux"])
    stack = next(iter(prog.page_owners())).stack
    assert gc.is_tracked(prog) and gc.is_tracked(stack)
    assert prog in gc.get_referents(stack)
    assert any(stack in gc.get_referents(r) for r in gc.get_referents(prog))
    assert not gc.is_tracked(stack[0])  # only strings: never in a cycle


def test_what_holds_a_program_keeps_it(paths):
    """A StackTrace, an Object, a Type, a record or an iterator keeps the
    C program it points into alive, through collections, after the
    Program itself was dropped."""
    prog = pageowner.open(paths["core"], vmlinux=paths["vmlinux"])
    it = prog.page_owners()
    po = next(it)
    stack, task = po.stack, prog["init_task"]
    kind, text = stack.kind, str(po)
    ty = task.type_
    del prog
    gc.collect()
    assert stack.kind == kind and str(stack) == str(po.stack)
    assert str(po) == text
    assert task.comm.string_() == b"swapper/0"
    assert ty.name == "struct task_struct" and ty.size
    assert next(it).pfn > po.pfn
    assert task.prog_.stack(po.handle) is stack


COLLECT_IN_DECODE = """
import gc, sys, pageowner
prog = pageowner.open(sys.argv[1], vmlinux=sys.argv[2])
h = next(iter(prog.page_owners())).handle  # not decoded yet
armed = False

def use_prog(phase, info):
    global armed
    if armed and phase == "start":
        armed = False
        prog.symbolize(0)

gc.callbacks.append(use_prog)
# The next container made runs the collector: in prog.stack(), whose
# tuple and StackTrace are the first.
armed = True; gc.set_threshold(1); st = prog.stack(h)
gc.set_threshold(700)
print(len(st))
"""


def test_collection_inside_a_decode_can_use_the_program(paths):
    """The collector, which a StackTrace's allocation can run, may run
    Python code that uses the very program whose stack is being decoded:
    that must not wait for the program's lock (here gc.callbacks; a
    finalizer would do the same)."""
    out = subprocess.run([sys.executable, "-c", COLLECT_IN_DECODE,
                          paths["core"], paths["vmlinux"]],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 0


def test_one_collection_frees_what_garbage_held(paths):
    """A Program with a stack cached, held only by a garbage cycle
    through one of the objects that hold a Program: one collection frees
    it.  The collector must see that object's reference come from the
    garbage; were the object untracked, the Program would outlive the
    collection and, promoted, wait for an older generation's."""
    gc.collect()  # what earlier tests left
    fds = open_fds()
    holders = {
        "Object": lambda p: p["init_task"],
        "Type": lambda p: p.type("struct page"),
        "PageOwner": lambda p: next(iter(p.page_owners())),
        "PageOwnerIterator": lambda p: p.page_owners(),
        "ReportGroup": lambda p: p.report(top=1)[0],  # holds a StackTrace
        "TypeMember": lambda p: p.type("struct page").members[0],
    }
    for name, make in holders.items():
        prog = pageowner.open(paths["core"], vmlinux=paths["vmlinux"])
        prog.stack(next(iter(prog.page_owners())).handle)
        garbage = [make(prog)]
        garbage.append(garbage)
        assert gc.is_tracked(garbage[0]), name
        del prog, garbage
        gc.collect()
        assert open_fds() == fds, f"a garbage {name} kept its Program"
