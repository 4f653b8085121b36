#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-diff.py PAGEOWNER VMLINUX BEFORE AFTER WORKDIR

`pageowner diff` of two dumps of one boot, taken by the fixture script
before and after the workload's holders started, against the difference
worked out here from the two dumps' JSON reports (whose per-stack totals
check-report.py checks against the kernel's captures).  Also: the diff of
the two JSON reports must equal the diff of the dumps, the workload's
holders must show as growth, and bad inputs must give one clear error.
"""
import json
import os
import subprocess
import sys


def run(args, ok=True):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace")
    if ok and p.returncode:
        sys.exit("%s: exit %d: %s" % (" ".join(args), p.returncode,
                                      p.stderr.strip()))
    return p


def key(group):
    special = group["key"].get("special")
    if special:
        return "[%s handle]\n" % special
    if group["stack"] is None:
        return "[handle %s did not decode]\n" % group["key"]["handle"]
    return "".join(f + "\n" for f in group["stack"])


def per_stack(report):
    pages = {}
    for g in report["groups"]:
        pages[key(g)] = pages.get(key(g), 0) + g["pages"]
    return pages


def main():
    po, vmlinux, before, after, work = sys.argv[1:6]
    problems = []
    reports = []
    for name, core in (("before", before), ("after", after)):
        path = os.path.join(work, "diff-%s.json" % name)
        with open(path, "w") as f:
            f.write(run([po, "-c", core, "-s", vmlinux, "report",
                         "--format", "json"]).stdout)
        reports.append(path)
    rb, ra = (json.load(open(p)) for p in reports)
    pb, pa = per_stack(rb), per_stack(ra)
    want = {k: (pb.get(k, 0), pa.get(k, 0)) for k in set(pb) | set(pa)
            if pb.get(k, 0) != pa.get(k, 0)}

    dumps = json.loads(run([po, "-s", vmlinux, "diff", "--format", "json",
                            before, after]).stdout)
    got = {"".join(f + "\n" for f in s["stack"]):
           (s["before"]["pages"], s["after"]["pages"]) for s in dumps["stacks"]}
    for k in set(want) | set(got):
        if want.get(k) != got.get(k):
            problems.append("stack %r: want %s, diff says %s"
                            % (k.split("\n")[:3], want.get(k), got.get(k)))
    deltas = [s["delta"] for s in dumps["stacks"]]
    if deltas != sorted(deltas, reverse=True):
        problems.append("stacks are not sorted by growth")
    for side, rep in (("before", rb), ("after", ra)):
        if dumps[side]["pages"] != rep["summary"]["pages"]:
            problems.append("%s: %d pages, its report %d" % (
                side, dumps[side]["pages"], rep["summary"]["pages"]))

    # The same comparison from the two JSON reports.
    fromjson = json.loads(run([po, "diff", "--format", "json",
                               *reports]).stdout)
    for d in (dumps, fromjson):
        for side in ("before", "after"):
            d[side].pop("source")
    if fromjson != dumps:
        problems.append("the diff of the JSON reports differs from the "
                        "diff of the dumps")

    # The workload's holders started between the two dumps.
    grown = [s for s in dumps["stacks"] if s["delta"] > 0]
    holders = [s for s in grown[:5] if (s["comm"] or "").startswith("holder")]
    holder_pages = sum(s["delta"] for s in grown
                       if (s["comm"] or "").startswith("holder"))
    if not holders:
        problems.append("no holder_* stack among the 5 that grew most: %s"
                        % [s["comm"] for s in grown[:5]])
    fresh_modules = [s for s in grown if s["status"] == "new" and
                     any("[postacks]" in f for f in s["stack"])]
    if not fresh_modules:
        problems.append("no new stack through [postacks]")

    text = run([po, "-s", vmlinux, "diff", "--top", "3", before,
                after]).stdout
    first = "+%d pages" % grown[0]["delta"]
    if first not in text.split("\n\n")[1]:
        problems.append("text diff does not start with %r" % first)

    # Bad inputs: one clear error each, exit status 2.
    bycomm = os.path.join(work, "diff-bycomm.json")
    with open(bycomm, "w") as f:
        f.write(run([po, "-c", before, "-s", vmlinux, "report", "--format",
                     "json", "--group", "comm"]).stdout)
    broken = os.path.join(work, "diff-broken.json")
    with open(broken, "w") as f:
        f.write(open(reports[0]).read()[:5000])
    for args, words in (([bycomm, reports[1]], "grouped by comm"),
                        ([broken, reports[1]], "diff-broken.json: byte "),
                        ([reports[0], "/nonexistent"], "/nonexistent")):
        p = run([po, "-s", vmlinux, "diff", *args], ok=False)
        lines = p.stderr.strip().split("\n")
        if p.returncode != 2 or len(lines) != 1 or words not in lines[0]:
            problems.append("diff %s: exit %d, %r" % (
                os.path.basename(args[0]), p.returncode, p.stderr.strip()))

    for p in problems[:20]:
        print(p)
    if problems:
        return 1
    print("%d stacks changed (%d grew, %d new), all equal to the reports' "
          "difference; holders +%d pages; JSON-report diff identical; "
          "3 bad inputs refused" % (len(dumps["stacks"]), len(grown),
                                    dumps["new"], holder_pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
