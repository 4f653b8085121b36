#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-filtered.py FULL FILTERED STDERR: `pageowner dump` of a dump with
pages left out must never be silently wrong.  Every record it prints must
be the record of the full dump (or that record without its frames, when
the stack depot page is what was left out), and every record it loses must
be accounted for by the skip counts it reports on stderr.
"""
import re
import sys


def records(path):
    out = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for rec in f.read().split("\n\n"):
            lines = rec.strip("\n").split("\n")
            if len(lines) >= 2 and lines[1].startswith("PFN "):
                out[lines[1].split(" ")[1]] = lines
    return out


def main():
    full, filt = records(sys.argv[1]), records(sys.argv[2])
    with open(sys.argv[3], encoding="utf-8") as f:
        err = f.read()
    m = re.search(r"skipped (\d+) pages: ", err)
    skipped = int(m.group(1)) if m else 0
    m = re.search(r"(\d+) records have a stack handle that does not decode", err)
    nostack = int(m.group(1)) if m else 0
    wrong = frameless = 0
    for pfn, lines in filt.items():
        want = full.get(pfn)
        if lines == want:
            continue
        if want and lines[:2] == want[:2] and not any(
                l.startswith(" ") for l in lines):
            frameless += 1
            continue
        wrong += 1
        if wrong <= 3:
            print(f"FAIL: pfn {pfn}:\n" + "\n".join(lines))
    lost = len(set(full) - set(filt))
    print(f"records: full {len(full)}, filtered {len(filt)}, lost {lost}, "
          f"printed without frames {frameless} (reported {nostack}), wrong {wrong}; "
          f"reported skipped pages {skipped}")
    bad = wrong or frameless != nostack or (lost and not skipped) or \
        (not lost and not frameless)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
