#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check `pageowner stacks --show handles|stacks_handles` (v6.19's
show_handles and show_stacks_handles).

  compare-handles.py handles OURS CAPTURE WALK
      OURS and CAPTURE are show_handles ("handle: H", "nr_base_pages: N"):
      the common handles in the same order, and where a count differs (the
      capture was read before the dump) OURS must hold what the dump's own
      page_ext walk counts for that handle (WALK: `stacks --from-walk
      --show handles`); a handle the capture has and OURS has not must
      hold no page in the walk.
  compare-handles.py stacks_handles OURS CAPTURE
      show_stacks_handles (frames, then "handle: H"): every handle of the
      capture maps to the same frames in OURS, in the same order; the
      stack list only grows, so OURS may have more.
  compare-handles.py resolve DECODED CAPTURE HANDLES
      DECODED is `pageowner handle - < show_handles` and CAPTURE the
      kernel's show_stacks_handles: every handle decoded to the frames
      the kernel lists for it, and every handle of show_handles decoded.
  compare-handles.py json REPORT.json STACKS_HANDLES
      every stack group of `report --format json` names by its handle the
      frames STACKS_HANDLES (the kernel's capture, or ours) lists for it;
      groups whose handle it does not list (special handles) are counted.
  compare-handles.py consistent STACKS HANDLES STACKS_HANDLES
      our three files of one dump: show_handles with each handle's frames
      from show_stacks_handles is show_stacks, block for block.
Prints what it compared; exits 1 on any difference.
"""
import json
import re
import sys

HANDLES = re.compile(r"handle: (-?\d+)\nnr_base_pages: (\d+)\n\n")
STACKS_HANDLES = re.compile(r"((?: .*\n)+)handle: (-?\d+)\n\n")
STACKS = re.compile(r"((?: .*\n)+)nr_base_pages: (\d+)\n\n")


def parse(path, pattern):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    found = list(pattern.finditer(text))
    if sum(len(m.group(0)) for m in found) != len(text):
        raise SystemExit(f"FAIL: {path}: text outside the blocks it should hold")
    return [m.groups() for m in found]


def in_order(ours, theirs):
    """The keys both lists have, in the same order in each."""
    common = set(ours) & set(theirs)
    return [k for k in ours if k in common] == [k for k in theirs if k in common]


def check_handles(ours_path, capture_path, walk_path):
    ours = [(int(h), int(n)) for h, n in parse(ours_path, HANDLES)]
    kern = [(int(h), int(n)) for h, n in parse(capture_path, HANDLES)]
    walk = {int(h): int(n) for h, n in parse(walk_path, HANDLES)}
    mine, status = dict(ours), 0
    if len(mine) != len(ours):
        print("FAIL: a handle is listed twice")
        status = 1
    if not in_order([h for h, _ in ours], [h for h, _ in kern]):
        print("FAIL: the common handles are in a different order")
        status = 1
    changed = [h for h, n in kern if mine.get(h, 0) != n]
    wrong = [h for h in changed if mine.get(h, 0) != walk.get(h, 0)]
    for h in wrong[:5]:
        print(f"FAIL: handle {h}: capture {dict(kern)[h]}, ours "
              f"{mine.get(h, 0)}, but the walk counts {walk.get(h, 0)}")
    same = len(kern) - len(changed)
    print(f"show_handles: ours {len(ours)}, capture {len(kern)}, identical "
          f"{same}; changed since the capture {len(changed)}, of which "
          f"ours equal the dump's walk: {len(changed) - len(wrong)}")
    return status or (1 if wrong else 0)


def check_stacks_handles(ours_path, capture_path):
    ours = [(int(h), s) for s, h in parse(ours_path, STACKS_HANDLES)]
    kern = [(int(h), s) for s, h in parse(capture_path, STACKS_HANDLES)]
    mine, status = dict(ours), 0
    missing = [h for h, _ in kern if h not in mine]
    differ = [h for h, s in kern if h in mine and mine[h] != s]
    for h in (missing + differ)[:5]:
        print(f"FAIL: handle {h}: "
              f"{'missing from ours' if h in missing else 'other frames'}")
    if not in_order([h for h, _ in ours], [h for h, _ in kern]):
        print("FAIL: the common handles are in a different order")
        status = 1
    print(f"show_stacks_handles: ours {len(ours)}, capture {len(kern)}, "
          f"capture's handles with the same frames in ours: "
          f"{len(kern) - len(missing) - len(differ)}")
    return status or (1 if missing or differ else 0)


DECODED = re.compile(r"handle 0x[0-9a-f]{8} \((\d+)\)[^\n]*\n"
                     r"(?:  .*\n)*((?: [^ ].*\n)*)")


def check_resolve(decoded_path, capture_path, handles_path):
    with open(decoded_path, encoding="utf-8", errors="surrogateescape") as f:
        decoded = [(int(h), s) for h, s in DECODED.findall(f.read())]
    kern = {int(h) & 0xffffffff: s
            for s, h in parse(capture_path, STACKS_HANDLES)}
    wanted = [int(h) & 0xffffffff for h, _ in parse(handles_path, HANDLES)]
    got = dict(decoded)
    missing = [h for h in wanted if h not in got]
    differ = [h for h in wanted if h in got and got[h] != kern.get(h)]
    for h in (missing + differ)[:5]:
        print(f"FAIL: handle {h}: "
              f"{'not decoded' if h in missing else 'other frames'}")
    print(f"handle -: {len(decoded)} handles decoded of show_handles' "
          f"{len(wanted)}; with show_stacks_handles' frames: "
          f"{len(wanted) - len(missing) - len(differ)}")
    return 1 if missing or differ or not wanted else 0


def check_json(report_path, stacks_handles_path):
    with open(report_path, encoding="utf-8") as f:
        groups = json.load(f)["groups"]
    frames = {int(h) & 0xffffffff: s
              for s, h in parse(stacks_handles_path, STACKS_HANDLES)}
    named = [(int(g["key"]["handle"], 16),
              "".join(f" {x}\n" for x in g["stack"])) for g in groups]
    known = [(h, s) for h, s in named if h in frames]
    wrong = [h for h, s in known if frames[h] != s]
    for h in wrong[:5]:
        print(f"FAIL: group of handle {h:#010x}: other frames")
    print(f"report --format json: {len(named)} stack groups, {len(known)} "
          f"with a handle the file lists, of which with its frames: "
          f"{len(known) - len(wrong)}")
    return 1 if wrong or not known else 0


def check_consistent(stacks_path, handles_path, stacks_handles_path):
    stacks = [(s, int(n)) for s, n in parse(stacks_path, STACKS)]
    handles = [(int(h), int(n)) for h, n in parse(handles_path, HANDLES)]
    frames = {int(h): s for s, h in parse(stacks_handles_path, STACKS_HANDLES)}
    rebuilt = [(frames.get(h), n) for h, n in handles]
    ok = rebuilt == stacks
    print(f"show_handles {len(handles)} blocks with show_stacks_handles' "
          f"frames ({len(frames)} handles) equal show_stacks "
          f"({len(stacks)} blocks): {ok}")
    if not ok:
        print("FAIL: the three files disagree")
    return 0 if ok and stacks else 1


def main():
    checks = {"handles": (check_handles, 3),
              "stacks_handles": (check_stacks_handles, 2),
              "resolve": (check_resolve, 3),
              "json": (check_json, 2),
              "consistent": (check_consistent, 3)}
    if len(sys.argv) < 2 or sys.argv[1] not in checks or \
            len(sys.argv) != 2 + checks[sys.argv[1]][1]:
        raise SystemExit(__doc__)
    fn, _ = checks[sys.argv[1]]
    return fn(*sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
