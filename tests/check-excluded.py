#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-excluded.py INFO LOG: what `pageowner info` says of the pages a
makedumpfile -d 31 kdump file left out, against makedumpfile's own
--message-level 31 log of the same run.

- The "by use" counts add up to the "filtered pages" count: every
  excluded page is told once.
- Free pages (free, guard) are the log's "Free pages", and page cache
  (file, shmem) its two cache lines: the struct pages say what
  makedumpfile took them for.
- A kdump file keeps zero pages (as one shared page), so the filtered
  pages are the log's excluded pages less its zero pages.
- What is left, user data by its struct pages (anon, ksm, hugetlb) and
  the "kernel pages" info names, is the log's "User process data": the
  kernel pages are those makedumpfile took for user data.

Prints one line of what it compared; exits 1 on a mismatch.
"""
import re
import sys


def log_counts(path):
    want = {
        "excluded": r"Excluded pages\s*:",
        "zero": r"Pages filled with zero\s*:",
        "cache": r"Non-private cache pages\s*:",
        "private": r"Private cache pages\s*:",
        "user": r"User process data pages\s*:",
        "free": r"Free pages\s*:",
    }
    text = open(path, errors="replace").read()
    got = {}
    for key, pat in want.items():
        m = re.search(pat + r"\s*(0x[0-9a-fA-F]+|\d+)", text)
        if not m:
            raise SystemExit(f"{path}: no line matching {pat!r}")
        got[key] = int(m.group(1), 0)
    return got


def info_counts(path):
    text = open(path).read()
    m = re.search(r"^filtered pages: *(\d+)", text, re.M)
    if not m:
        raise SystemExit(f"{path}: no 'filtered pages' line")
    filtered = int(m.group(1))
    m = re.search(r"^  by use: *(.*)$", text, re.M)
    if not m:
        raise SystemExit(f"{path}: no 'by use' line under 'filtered pages'")
    uses = {}
    for part in m.group(1).split(", "):
        name, n = part.rsplit(" ", 1)
        uses[name] = int(n)
    m = re.search(r"^  kernel pages: *(\d+) in use by the kernel \(([^)]*)\)",
                  text, re.M)
    kernel = int(m.group(1)) if m else 0
    if m and sum(int(p.rsplit(" ", 1)[1])
                 for p in m.group(2).split(", ")) != kernel:
        raise SystemExit(f"{path}: kernel pages {kernel} != its list "
                         f"{m.group(2)}")
    return filtered, uses, kernel


def main():
    info, log = sys.argv[1:3]
    lc = log_counts(log)
    filtered, uses, kernel = info_counts(info)
    u = lambda *names: sum(uses.get(n, 0) for n in names)
    checks = [
        ("by use adds up to filtered", sum(uses.values()), filtered),
        ("free", u("free", "guard"), lc["free"]),
        ("cache", u("file", "shmem"), lc["cache"] + lc["private"]),
        ("filtered = excluded - zero", filtered, lc["excluded"] - lc["zero"]),
        ("user data + kernel pages", u("anon", "ksm", "hugetlb") + kernel,
         lc["user"]),
    ]
    bad = [f"{what}: ours {a}, makedumpfile's {b}"
           for what, a, b in checks if a != b]
    if bad:
        print("; ".join(bad))
        return 1
    print(f"{filtered} filtered pages: free {lc['free']}, cache "
          f"{lc['cache'] + lc['private']}, user data {lc['user']} of which "
          f"{kernel} are kernel pages by their struct pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
