# SPDX-License-Identifier: GPL-3.0-or-later
"""The check-*.py scripts' "ok NAME" / "FAIL NAME: DETAIL" lines, counted,
and the closing "N passed, N failed" tests/run-tests.sh folds in."""

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok {name}")
    else:
        failed += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))


def summary():
    """Print the counts; the exit status: 1 if anything failed."""
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0
