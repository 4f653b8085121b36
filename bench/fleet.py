#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""fleet.py --po PAGEOWNER --work DIR [--duckdb NODE_DIR] [--copies N]
DUMP=VMLINUX...

The fleet's costs on N (default 1,000) per-dump reports: each real dump's
finest rows (`report --format jsonl` grouped by every key its kernel
has, what `fleet add` stores), copied round-robin until there are N,
each copy with an identity of its own (its id and host).  Measured:

- ingest: `fleet add -q DB` of the N files, reports and rows per second;
- query: `fleet report --group stack --by release --format json` on that
  database, against docs/fleet.md's DuckDB recipe over the same N files
  (through node and @duckdb/node-api, as the tests run it), best of
  --repeat; both answers must agree, or the figures mean nothing.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ALL_KEYS = "stack,pid,tgid,comm,module,allocator,leaf,memcg"
# What a kernel before v5.18 (no memcg) or v5.11 (no task) can group by.
FALLBACK = [ALL_KEYS, "stack,pid,tgid,comm,module,allocator,leaf",
            "stack,module,allocator,leaf"]


def finest_rows(po, core, vmlinux):
    for keys in FALLBACK:
        r = subprocess.run([po, "-q", "-c", core, "-s", vmlinux, "report",
                            "--format", "jsonl", "--group", keys],
                           capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.splitlines()
    raise RuntimeError(f"{core}: {r.stderr}")


def copies(po, pairs, n, out_dir):
    """@n files, round-robin over the dumps, each with its own id."""
    originals = [finest_rows(po, c, v) for c, v in pairs]
    paths, rows = [], 0
    for i in range(n):
        lines = originals[i % len(originals)]
        first = json.loads(lines[0])["dump"]
        ident = dict(first)
        ident["id"] = hashlib.sha256(
            f"{first['id']}/{i}".encode()).hexdigest()[:16]
        ident["host"] = f"host-{i % 97:02d}"
        new = json.dumps(ident, separators=(",", ":"))
        old = json.dumps(first, separators=(",", ":"))
        if old not in lines[0]:
            raise RuntimeError("the dump object is not where it was")
        path = os.path.join(out_dir, f"{i:04d}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for line in lines:
                f.write(line.replace(old, new, 1) + "\n")
        paths.append(path)
        rows += len(lines)
    return paths, rows


def timed(args, **kw):
    t = time.monotonic()
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    if r.returncode:
        raise RuntimeError(f"{args[:4]}: exit {r.returncode}: {r.stderr}")
    return time.monotonic() - t, r.stdout


def recipe(out_dir):
    with open(os.path.join(HERE, "..", "docs", "fleet.md"),
              encoding="utf-8") as f:
        text = f.read()
    sql = re.search(r"<!-- duckdb-recipe.*?-->\n```sql\n(.*?)```", text,
                    re.S).group(1)
    return sql.replace("'reports/*.jsonl'", f"'{out_dir}/*.jsonl'")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--po", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--duckdb")
    ap.add_argument("--copies", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("pairs", nargs="+")
    args = ap.parse_args()
    pairs = [p.split("=", 1) for p in args.pairs]
    shutil.rmtree(args.work, ignore_errors=True)
    out_dir = os.path.join(args.work, "reports")
    os.makedirs(out_dir)
    paths, rows = copies(args.po, pairs, args.copies, out_dir)
    size = sum(os.path.getsize(p) for p in paths)
    print(f"{len(paths)} reports of {len(pairs)} real dumps: {rows} rows, "
          f"{size / 2**20:.1f} MiB of JSONL")

    db = os.path.join(args.work, "fleet.db")
    secs, _ = timed([args.po, "fleet", "add", "-q", db, *paths])
    print(f"ingest: fleet add of {len(paths)} reports in {secs:.2f} s: "
          f"{len(paths) / secs:.0f} reports/s, {rows / secs:.0f} rows/s; "
          f"database {os.path.getsize(db) / 2**20:.1f} MiB")

    query = [args.po, "fleet", "report", db, "--group", "stack", "--by",
             "release", "--format", "json"]
    best = min(timed(query)[0] for _ in range(args.repeat))
    ours = sorted((r["release"], "\n".join(r["stack"]), r["pages"],
                   r["allocations"], r["dumps"])
                  for r in json.loads(timed(query)[1])["rows"])
    print(f"query: fleet report --group stack --by release: "
          f"{best:.3f} s (best of {args.repeat}), {len(ours)} rows")
    if not args.duckdb:
        print("duckdb: not measured (no --duckdb NODE_DIR)")
        return 0
    sql_file = os.path.join(args.work, "recipe.sql")
    with open(sql_file, "w", encoding="utf-8") as f:
        f.write(recipe(out_dir))
    run = ["node", os.path.join(HERE, "..", "tests", "duckdb-run.cjs"),
           args.duckdb, sql_file]
    best = min(timed(run)[0] for _ in range(args.repeat))
    duck = sorted((d["release"], d["stack"], int(d["pages"]),
                   int(d["allocations"]), int(d["dumps"]))
                  for d in json.loads(timed(run)[1]))
    print(f"query: DuckDB's recipe over the {len(paths)} JSONL files "
          f"(node start-up included): {best:.3f} s (best of "
          f"{args.repeat}), {len(duck)} rows")
    if duck != ours:
        print("the two answers differ: the figures are void")
        return 1
    print("the two answers are the same rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
