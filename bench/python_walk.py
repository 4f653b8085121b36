#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What iterating page owners from Python costs against the C walk.

    PYTHONPATH=build/python python3 bench/python_walk.py PAGEOWNER CORE VMLINUX

Measured in one run, best of REPEAT each (the machines are noisy):
  c_walk     prog.report(): the library's walk and aggregation, in-process
  py_iter    for po in prog.page_owners(): read pfn, order and handle
  py_stacks  the same, adding up pages per StackTrace (decoded once per
             handle)
  cli_report `pageowner report >/dev/null`, a whole process
  py_script  a whole python3 process: import, open, iterate
"""
import os
import subprocess
import sys
import time

import pageowner

REPEAT = int(os.environ.get("REPEAT", "5"))


def best(fn):
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    cli, core, vmlinux = sys.argv[1:4]
    prog = pageowner.open(core, vmlinux=vmlinux)
    prog.report()  # the first walk also sets up the depot and page_ext

    def py_iter():
        n = 0
        for po in prog.page_owners():
            n += po.pfn + po.order + po.handle
        return n

    def py_stacks():
        pages = {}
        for po in prog.page_owners():
            stack = po.stack
            pages[stack] = pages.get(stack, 0) + po.pages
        return pages

    records = sum(1 for _ in prog.page_owners())
    run = {
        "c_walk": best(prog.report),
        "py_iter": best(py_iter),
        "py_stacks": best(py_stacks),
    }
    devnull = subprocess.DEVNULL
    run["cli_report"] = best(lambda: subprocess.run(
        [cli, "-c", core, "-s", vmlinux, "report"], stdout=devnull,
        check=True))
    script = ("import pageowner, sys\n"
              "p = pageowner.open(sys.argv[1], vmlinux=sys.argv[2])\n"
              "sum(po.pfn + po.order + po.handle for po in p.page_owners())\n")
    run["py_script"] = best(lambda: subprocess.run(
        [sys.executable, "-c", script, core, vmlinux], check=True))

    print(f"{records} records, best of {REPEAT}")
    for name, t in run.items():
        print(f"  {name:10} {t * 1000:9.1f} ms  {records / t / 1e6:7.2f} "
              f"Mrecords/s")
    print(f"  py_iter / c_walk       {run['py_iter'] / run['c_walk']:.2f}x")
    print(f"  py_stacks / c_walk     {run['py_stacks'] / run['c_walk']:.2f}x")
    print(f"  py_script / cli_report {run['py_script'] / run['cli_report']:.2f}x")


if __name__ == "__main__":
    main()
