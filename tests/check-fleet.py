#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""pageowner fleet on real dumps.

check-fleet.py --po PAGEOWNER --work DIR [--duckdb NODE_DIR] DUMP=VMLINUX...

One `fleet add -j 2` of every dump given, plus a truncated copy of one and
a copy whose BUILD-ID no vmlinux at hand has: the two go to failures with
their messages, and for each other dump the per-stack, per-comm and
per-module totals in the database equal that dump's own `report --format
json` (run here, apart from fleet).  Stopped midway by SIGINT and by
SIGKILL and run again, fleet add ends with the database an uninterrupted
run made; a second full run adds nothing.  `report --format jsonl` files
read by fleet add give the same per-stack rows as the dumps.  With
--duckdb, docs/fleet.md's recipe, run by DuckDB over the dumps' JSONL
reports, gives `fleet report --group stack --by release`'s rows.
"""
import argparse
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

from tap import check, summary

HERE = os.path.dirname(os.path.abspath(__file__))


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def build_id(vmlinux):
    out = run(["readelf", "-n", vmlinux]).stdout
    m = re.search(r"Build ID: ([0-9a-f]+)", out)
    return m.group(1) if m else None


def debuginfo(work, vmlinuxes):
    """DIR/.build-id/NN/REST.debug for each vmlinux, as distributions
    lay out their debug packages."""
    top = os.path.join(work, "debuginfo")
    for v in set(vmlinuxes):
        b = build_id(v)
        d = os.path.join(top, ".build-id", b[:2])
        os.makedirs(d, exist_ok=True)
        link = os.path.join(d, b[2:] + ".debug")
        if not os.path.exists(link):
            os.symlink(v, link)
    return top


def has_btf(vmlinux):
    return " .BTF " in run(["readelf", "-SW", vmlinux]).stdout


def bad_copies(work, pairs):
    """A truncated copy and one whose BUILD-ID names no vmlinux here, of
    a kernel without BTF: one with it is read from its own BTF then."""
    kdumps = [c for c, v in pairs
              if open(c, "rb").read(8) == b"KDUMP   " and not has_btf(v)]
    small = min(kdumps or [c for c, _ in pairs], key=os.path.getsize)
    data = open(small, "rb").read()
    trunc = os.path.join(work, "truncated.kdump")
    with open(trunc, "wb") as f:
        f.write(data[:len(data) // 3])
    i = data.index(b"BUILD-ID=") + len(b"BUILD-ID=")
    flip = b"1" if data[i:i + 1] != b"1" else b"2"
    nolinux = os.path.join(work, "no-vmlinux.kdump")
    with open(nolinux, "wb") as f:
        f.write(data[:i] + flip + data[i + 1:])
    return trunc, nolinux


def header_time(po, work, pairs):
    """A kdump file whose header has a timestamp (QEMU's have 0): the
    identity's crash time, checked by check-identity.py against it."""
    kdumps = [(c, v) for c, v in pairs
              if open(c, "rb").read(8) == b"KDUMP   "]
    if not kdumps:
        print("skip identity from a kdump header's timestamp: no kdump "
              "file that is not flattened")
        return
    core, vmlinux = min(kdumps, key=lambda p: os.path.getsize(p[0]))
    data = bytearray(open(core, "rb").read())
    data[408:416] = (1764633600).to_bytes(8, "little")
    copy = os.path.join(work, "timestamped.kdump")
    with open(copy, "wb") as f:
        f.write(data)
    out = {}
    for fmt in ("json", "jsonl"):
        out[fmt] = os.path.join(work, f"timestamped.{fmt}")
        with open(out[fmt], "w") as f:
            subprocess.run([po, "-q", "-c", copy, "-s", vmlinux, "report",
                            "--format", fmt, "--top", "3"], stdout=f)
    r = run([sys.executable, os.path.join(HERE, "check-identity.py"), copy,
             out["json"], out["jsonl"],
             os.path.join(HERE, "..", "schema", "report.schema.json")])
    with open(out["json"]) as f:
        ident = json.load(f)["dump"] if os.path.getsize(out["json"]) else {}
    check(f"identity from a kdump header's timestamp: "
          f"{ident.get('crash_time')} ({ident.get('crash_time_source')})",
          r.returncode == 0 and ident.get("crash_time") == 1764633600 and
          ident.get("crash_time_source") == "kdump-header",
          r.stdout[-300:] + r.stderr[-300:])


def content(db):
    """Everything in the database, in an order of its own."""
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = {t: c.execute(f"SELECT * FROM {t} ORDER BY {o}").fetchall()
           for t, o in (("meta", "key"), ("dumps", "dump_id"),
                        ("stacks", "stack_id"), ("failures", "path"),
                        ("rows", "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12"))}
    c.close()
    return out


def fleet_add(po, db, di, inputs, jobs=2):
    return run([po, "fleet", "add", "-j", str(jobs), "--debuginfo", di, db,
                *inputs])


def stack_key(g, dump_id):
    if g["stack"] is None:
        return f"(handle {g['key']['handle']} of dump {dump_id})"
    return "\n".join(g["stack"])


def own_report(po, core, vmlinux, group):
    r = run([po, "-q", "-c", core, "-s", vmlinux, "report", "--format",
             "json", "--group", group])
    return r.returncode, (json.loads(r.stdout) if r.returncode == 0
                          else r.stderr)


def fleet_rows(po, db, args):
    r = run([po, "fleet", "report", db, "--format", "json", *args])
    if r.returncode:
        raise RuntimeError(f"fleet report {args}: {r.stderr}")
    return json.loads(r.stdout)["rows"]


def check_totals(po, db, core, vmlinux, dump_id):
    """Per stack, comm and module, the database against the dump's own
    report."""
    name = os.path.basename(core)
    for group in ("stack", "comm", "module"):
        rows = fleet_rows(po, db, ["--dump", dump_id, "--group", group])
        rc, doc = own_report(po, core, vmlinux, group)
        if rc == 2 and group == "comm" and "no member 'comm'" in doc:
            # Before v5.11: no comm kept, so the database has none.
            check(f"{name} ({dump_id}) per comm: refused by report, "
                  f"null in the database",
                  [r["comm"] for r in rows] == [None], f"{rows[:3]}")
            continue
        if rc:
            check(f"{name} per {group}: its own report", False, doc[:300])
            continue
        if group == "stack":
            want = {stack_key(g, dump_id): (g["pages"], g["allocations"])
                    for g in doc["groups"]}
            got = {"\n".join(r["stack"]): (r["pages"], r["allocations"])
                   for r in rows}
        else:
            want = {g["key"][group]: (g["pages"], g["allocations"])
                    for g in doc["groups"]}
            got = {r[group]: (r["pages"], r["allocations"]) for r in rows}
        bad = [k for k in set(want) | set(got) if want.get(k) != got.get(k)]
        check(f"{name} ({doc['dump']['release']}, {dump_id}) per {group}: "
              f"{len(got)} rows, {sum(p for p, _ in got.values())} pages, "
              f"as its own report",
              not bad and doc["dump"]["id"] == dump_id,
              f"{len(bad)} differ, e.g. {[(k, want.get(k), got.get(k)) for k in bad[:2]]}")


def count_dumps(db):
    try:
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        n = c.execute("SELECT count(*) FROM dumps").fetchone()[0]
        c.close()
        return n
    except sqlite3.Error:
        return 0


def interrupted(po, db, di, inputs, sig, want, total):
    """fleet add stopped by @sig once a dump is in, then run again."""
    args = [po, "fleet", "add", "-q", "-j", "2", "--debuginfo", di, db,
            *inputs]
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    while p.poll() is None and count_dumps(db) < 1:
        time.sleep(0.02)
    p.send_signal(sig)
    err = p.communicate()[1]
    n = count_dumps(db)
    code = 130 if sig == signal.SIGINT else -signal.SIGKILL
    check(f"{signal.Signals(sig).name} midway: exit {p.returncode}, "
          f"{n} of {total} dumps in",
          p.returncode == code and 0 < n < total, err[-300:])
    if sig == signal.SIGKILL:
        time.sleep(1)  # its orphans die on their next write
    r = fleet_add(po, db, di, inputs)
    check(f"{signal.Signals(sig).name}, then run again: the database of "
          f"one uninterrupted run", content(db) == want,
          r.stderr[-300:])


def check_jsonl(po, work, di, db, jsonl):
    """fleet add of the dumps' JSONL reports: the dumps' rows by stack."""
    db2 = os.path.join(work, "from-jsonl.db")
    r = run([po, "fleet", "add", "-q", db2, *jsonl])
    a = fleet_rows(po, db, ["--group", "stack", "--by", "dump"])
    b = fleet_rows(po, db2, ["--group", "stack", "--by", "dump"])
    check(f"fleet add of {len(jsonl)} JSONL reports: the same rows by "
          f"dump and stack as of the dumps ({len(b)} rows)",
          r.returncode == 0 and a == b, r.stderr[-300:])


def recipe(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<!-- duckdb-recipe.*?-->\n```sql\n(.*?)```", text, re.S)
    return m.group(1) if m else None


def check_duckdb(po, work, db, node_dir, jsonl_dir):
    sql = recipe(os.path.join(HERE, "..", "docs", "fleet.md"))
    if not sql:
        check("DuckDB: the recipe in docs/fleet.md", False, "not found")
        return
    sql = sql.replace("'reports/*.jsonl'", f"'{jsonl_dir}/*.jsonl'")
    sql_file = os.path.join(work, "recipe.sql")
    with open(sql_file, "w", encoding="utf-8") as f:
        f.write(sql)
    r = run(["node", os.path.join(HERE, "duckdb-run.cjs"), node_dir,
             sql_file])
    if r.returncode:
        check("DuckDB runs docs/fleet.md's recipe", False, r.stderr[-300:])
        return
    duck = [(d["release"], d["stack"], int(d["pages"]),
             int(d["allocations"]), int(d["dumps"]))
            for d in json.loads(r.stdout)]
    ours = [(f["release"], "\n".join(f["stack"]), f["pages"],
             f["allocations"], f["dumps"])
            for f in fleet_rows(po, db, ["--group", "stack", "--by",
                                         "release"])]
    # Ties in pages are ordered by stack in DuckDB, by frames in SQLite:
    # the same text, but compare as sets of rows per release too.
    check(f"DuckDB's recipe over the JSONL reports: {len(duck)} rows, "
          f"those of fleet report --group stack --by release",
          sorted(duck) == sorted(ours) and len(duck) == len(ours),
          f"{len(set(duck) ^ set(ours))} rows differ, e.g. "
          f"{sorted(set(duck) ^ set(ours))[:2]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--po", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--duckdb")
    ap.add_argument("pairs", nargs="+")
    args = ap.parse_args()
    po, work = args.po, args.work
    pairs = [p.split("=", 1) for p in args.pairs]
    dumps = [c for c, _ in pairs]
    di = debuginfo(work, [v for _, v in pairs])
    trunc, nolinux = bad_copies(work, pairs)
    inputs = dumps + [trunc, nolinux]

    header_time(po, work, pairs)
    db = os.path.join(work, "fleet.db")
    t = time.time()
    r = fleet_add(po, db, di, inputs)
    secs = time.time() - t
    c = sqlite3.connect(db)
    fails = dict(c.execute("SELECT path, message FROM failures"))
    ids = dict(c.execute("SELECT path, dump_id FROM dumps"))
    c.close()
    check(f"fleet add -j 2 of {len(inputs)} inputs: exit {r.returncode}, "
          f"{len(ids)} dumps in, {len(fails)} failed, in {secs:.1f}s",
          r.returncode == 1 and sorted(ids) == sorted(dumps) and
          sorted(fails) == sorted([trunc, nolinux]), r.stderr[-600:])
    # The message, not the path, must say so: the file is truncated.kdump.
    why = fails.get(trunc, "").replace(trunc, "TRUNCATED")
    check(f"the truncated copy in failures: {fails.get(trunc)}",
          re.search(r"truncated (flattened )?dump", why) is not None)
    check(f"the copy without vmlinux in failures: "
          f"{fails.get(nolinux, '')[:160]}...",
          "no vmlinux found" in fails.get(nolinux, ""))
    for core, vmlinux in pairs:
        if core in ids:
            check_totals(po, db, core, vmlinux, ids[core])
    want = content(db)
    r = fleet_add(po, db, di, inputs)
    check(f"a second full run adds nothing: "
          f"{r.stderr.strip().splitlines()[-1] if r.stderr else ''}",
          content(db) == want and
          f"0 added, {len(dumps)} already in, 2 failed" in r.stderr,
          r.stderr[-300:])
    for sig in (signal.SIGINT, signal.SIGKILL):
        if len(dumps) < 2:
            print(f"skip {sig.name} midway: needs two dumps, "
                  f"{len(dumps)} at hand")
            continue
        interrupted(po, os.path.join(work, f"{sig.name}.db"), di, inputs,
                    sig, want, len(dumps))

    jsonl_dir = os.path.join(work, "jsonl")
    os.makedirs(jsonl_dir, exist_ok=True)
    jsonl = []
    for i, (core, vmlinux) in enumerate(pairs):
        out = os.path.join(jsonl_dir, f"{i}.jsonl")
        with open(out, "w", encoding="utf-8") as f:
            rc = subprocess.run([po, "-q", "-c", core, "-s", vmlinux,
                                 "report", "--format", "jsonl", "--group",
                                 "stack"], stdout=f).returncode
        check(f"report --format jsonl of {os.path.basename(core)}", rc == 0)
        jsonl.append(out)
    check_jsonl(po, work, di, db, jsonl)
    if args.duckdb:
        check_duckdb(po, work, db, args.duckdb, jsonl_dir)
    else:
        check("DuckDB: @duckdb/node-api is installed", False,
              "fleet-tests.sh could not npm install it")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
