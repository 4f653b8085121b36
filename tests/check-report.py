#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check `pageowner report --format json` against the kernel's captures.

The report adds up the page_ext walk per allocation stack.  The kernel's
own text, page_owner.before.txt and page_owner.after.txt (read just before
and just after the dump), is added up here the way page_owner_sort
--cull stacktrace does: pages (1 << order) and allocations per stack.  A
stack none of whose pages changed between the two captures is stable, and
the report must give it exactly the captured totals.  With --show-stacks,
the stable stacks' pages must also equal show_stacks' nr_base_pages.
With --schema, the document must validate against the JSON schema.
--by-pid/--by-comm take the same report grouped by pid or comm, checked
the same way; --csv/--jsonl/--folded take the other formats of the
report, which must hold the same groups and pages as the JSON.
--by-memcg takes it grouped by memcg, whose pages per memcg must be what
`pageowner dump` (--dump) of the same file prints, record by record, in
its "Charged ... to memcg NAME" lines; --by-stack-memcg grouped by stack
and memcg, whose stable pairs must equal the captures'.
"""
import csv
import argparse
import json
import re
import sys

# Before v5.11 the header ends at the mask: no pid, tgid, comm or ts.
HEAD = re.compile(r"Page allocated via order (\d+), mask [^,]*"
                  r"(?:, pid (-?\d+), tgid -?\d+ \((.*)\), ts)?")
BLOCK = re.compile(r"((?: .*\n)+)nr_base_pages: (\d+)\n\n")
# print_page_owner_memcg() (v5.18+); a page charged to none has no line.
CHARGED = re.compile(r"^Charged (?:\(via objcg\) )?to (?:offline )?memcg "
                     r"(.*)$", re.M)


def records(path):
    """PFN -> (record text, order, frames, pid, comm, memcg, (frames,
    memcg)) of one capture or dump."""
    out = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for rec in f.read().split("\n\n"):
            lines = rec.strip("\n").split("\n")
            m = HEAD.match(lines[0]) if lines else None
            if not m or len(lines) < 2:
                continue
            frames = "\n".join(l[1:] for l in lines[2:] if l.startswith(" "))
            memcg = CHARGED.search(rec)
            memcg = memcg.group(1) if memcg else None
            out[lines[1].split(" ")[1]] = (rec, int(m.group(1)), frames,
                                           m.group(2), m.group(3), memcg,
                                           (frames, memcg))
    return out


def totals(recs, skip=(), key=2):
    """(pages, allocations) per stack (key 2), pid (3), comm (4), memcg
    (5) or stack and memcg (6)."""
    t = {}
    for r in recs.values():
        if r[key] in skip:
            continue
        pages, allocs = t.get(r[key], (0, 0))
        t[r[key]] = (pages + (1 << r[1]), allocs + 1)
    return t


def in_flux(before, after, key, dump=None):
    """Keys with a page whose record differs between the captures; with
    @dump (the dump's own records), also keys with a page the dump gives
    a key that neither capture gives it: a page allocated after the first
    capture and freed before the second (a short-lived task's page table)
    is in neither, yet in the dump."""
    flux = set()
    for pfn in set(before) | set(after):
        r0, r1 = before.get(pfn), after.get(pfn)
        if (r0 and r0[0]) != (r1 and r1[0]):
            flux.update(r[key] for r in (r0, r1) if r)
    for pfn, r in (dump or {}).items():
        caught = {x[key] for x in (before.get(pfn), after.get(pfn)) if x}
        if r[key] not in caught:
            flux.add(r[key])
            flux.update(caught)
    return flux


def check_grouped(path, field, key, before, after, dump):
    """A report grouped by pid or comm against the captures."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    ours = {str(g["key"][field]): (g["pages"], g["allocations"])
            for g in doc["groups"]}
    stable = totals(before, in_flux(before, after, key, dump), key)
    bad = [k for k, v in stable.items() if ours.get(k) != v]
    for k in bad[:5]:
        print(f"{field} {k}: report {ours.get(k)}, captures {stable[k]}")
    print(f"stable {field}s {len(stable) - len(bad)}/{len(stable)} equal")
    return bad


def charged_name(path):
    """The name page_owner's Charged line gives the memcg at @path
    (cgroup_name()): its last part; "/" for the root, None for no memcg,
    "(unreadable)" as it is."""
    if path in (None, "/", "(unreadable)"):
        return path
    assert path.startswith("/"), path
    return path.rsplit("/", 1)[1]


def by_charged_name(groups, key):
    """(pages, allocations) of groups by key(group), memcg paths made
    the names page_owner prints."""
    out = {}
    for g in groups:
        k = key(g)
        p, a = out.get(k, (0, 0))
        out[k] = (p + g["pages"], a + g["allocations"])
    return out


def check_memcg(path, dump):
    """A report grouped by memcg against the dump of the same moment:
    every memcg's pages and allocations, the uncharged (null) too.  The
    report's key is the memcg's path; the dump's line names its last
    part."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    ours = by_charged_name(doc["groups"],
                           lambda g: charged_name(g["key"]["memcg"]))
    want = totals(records(dump), key=5)
    bad = sorted({k for k in set(ours) | set(want)
                  if ours.get(k) != want.get(k)}, key=str)
    for k in bad[:5]:
        print(f"memcg {k}: report {ours.get(k)}, dump {want.get(k)}")
    names = ", ".join(f"{k}: {v[0]}" for k, v in sorted(
        want.items(), key=lambda kv: str(kv[0])))
    print(f"memcgs {len(want) - len(bad)}/{len(want)} equal to the dump's "
          f"Charged lines ({names})")
    return bad


def check_stack_memcg(path, before, after, dump):
    """A report grouped by stack and memcg against the captures."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    ours = by_charged_name(
        [g for g in doc["groups"] if g["stack"] is not None],
        lambda g: ("\n".join(g["stack"]), charged_name(g["key"]["memcg"])))
    stable = totals(before, in_flux(before, after, 6, dump), 6)
    bad = [k for k, v in stable.items() if ours.get(k) != v]
    for k in bad[:5]:
        print(f"stack {k[0].splitlines()[:2]}... memcg {k[1]}: "
              f"report {ours.get(k)}, captures {stable[k]}")
    charged = sum(1 for k in stable if k[1] is not None)
    print(f"stable stack+memcg pairs {len(stable) - len(bad)}/{len(stable)} "
          f"equal ({charged} charged)")
    return bad


def check_absent(doc, before):
    """A kernel whose records carry no pid, comm or ts gets null for
    them, and the summary lists them; one that has them gets values."""
    has_task = any(r[3] is not None for r in before.values())
    want = [] if has_task else ["pid", "tgid", "comm", "ts_nsec"]
    bad = []
    if doc["summary"]["absent_fields"] != want:
        bad.append(f"absent_fields {doc['summary']['absent_fields']}, "
                   f"want {want}")
    for g in doc["groups"]:
        tasks = [(t["pid"], t["comm"]) for t in g["tasks"]]
        ts = (g["first_ts"], g["last_ts"])
        if has_task and (None in ts or any(None in t for t in tasks)):
            bad.append(f"group {g['rank']}: null ts or task {ts} {tasks}")
        if not has_task and (ts != (None, None) or
                             any(t != (None, None) for t in tasks)):
            bad.append(f"group {g['rank']}: placeholder ts or task "
                       f"{ts} {tasks}")
    print(f"absent fields: {', '.join(want) or 'none'}: "
          f"{'; '.join(bad[:3]) if bad else 'null where absent'}")
    return bad


def check_formats(doc, args):
    """The CSV, JSON lines and folded forms of the same report."""
    want = sorted((g["pages"], g["allocations"]) for g in doc["groups"])
    bad = []
    if args.jsonl:
        with open(args.jsonl, encoding="utf-8") as f:
            rows = [json.loads(l) for l in f]
        if sorted((g["pages"], g["allocations"]) for g in rows) != want:
            bad.append("jsonl")
    if args.csv:
        with open(args.csv, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if sorted((int(r["pages"]), int(r["allocations"]))
                  for r in rows) != want:
            bad.append("csv")
    if args.folded:
        with open(args.folded, encoding="utf-8") as f:
            weights = [int(l.rsplit(" ", 1)[1]) for l in f]
        if sorted(weights) != sorted(w[0] for w in want):
            bad.append("folded")
    print(f"formats: {'mismatch in ' + ', '.join(bad) if bad else 'agree'}")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--show-stacks")
    ap.add_argument("--schema")
    ap.add_argument("--by-pid")
    ap.add_argument("--by-comm")
    ap.add_argument("--by-memcg")
    ap.add_argument("--by-stack-memcg")
    ap.add_argument("--dump", help="`pageowner dump` of the same file, "
                    "for --by-memcg, and for stacks in flux between the "
                    "captures and the dump")
    ap.add_argument("--csv")
    ap.add_argument("--jsonl")
    ap.add_argument("--folded")
    ap.add_argument("--free-at-dump",
                    help="pfns the dump shows free (free-at-dump.py): "
                    "their stacks are in flux when records carry no ts")
    args = ap.parse_args()
    with open(args.report, encoding="utf-8") as f:
        doc = json.load(f)
    if args.schema:
        import jsonschema
        with open(args.schema, encoding="utf-8") as f:
            jsonschema.validate(doc, json.load(f))
    ours = {}
    for g in doc["groups"]:
        if g["stack"] is None:
            continue
        ours["\n".join(g["stack"])] = (g["pages"], g["allocations"])
    before, after = records(args.before), records(args.after)
    if not before:
        print(f"{args.before}: no page_owner records read")
        return 1
    dump = records(args.dump) if args.dump else None
    flux = in_flux(before, after, 2)
    only_dump = in_flux(before, after, 2, dump) - flux
    flux |= only_dump
    if args.free_at_dump:
        with open(args.free_at_dump) as f:
            free = {int(l.split()[0], 16) for l in f if l.strip()}
        for pfn, r in before.items():
            if int(pfn, 0) in free and r[3] is None:
                flux.add(r[2])
    stable = totals(before, flux)
    bad = [s for s, v in stable.items() if ours.get(s) != v]
    for s in bad[:5]:
        print(f"stack {s.splitlines()[:3]}...: report {ours.get(s)}, "
              f"captures {stable[s]}")
    print(f"stable stacks {len(stable) - len(bad)}/{len(stable)} equal "
          f"({len(flux)} in flux, {len(only_dump)} of them only by a page "
          f"the dump gives them that neither capture does); "
          f"report {doc['summary']['pages']} pages, "
          f"before.txt {sum(v[0] for v in totals(before).values())}")
    if args.show_stacks:
        with open(args.show_stacks, encoding="utf-8") as f:
            shown = {m.group(1).rstrip("\n").replace("\n ", "\n")[1:]:
                     int(m.group(2)) for m in BLOCK.finditer(f.read())}
        both = [s for s in shown if s in stable]
        wrong = [s for s in both if ours.get(s, (0,))[0] != shown[s]]
        print(f"show_stacks: {len(both) - len(wrong)}/{len(both)} stable "
              f"stacks equal")
        bad += wrong
    if args.by_pid:
        bad += check_grouped(args.by_pid, "pid", 3, before, after, dump)
    if args.by_comm:
        bad += check_grouped(args.by_comm, "comm", 4, before, after, dump)
    if args.by_memcg:
        bad += check_memcg(args.by_memcg, args.dump)
    if args.by_stack_memcg:
        bad += check_stack_memcg(args.by_stack_memcg, before, after,
                                 dump)
    bad += check_absent(doc, before)
    bad += check_formats(doc, args)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
