# SPDX-License-Identifier: GPL-3.0-or-later
"""The scripts in examples/, run through `pageowner script`, against the
CLI's report of the same dump."""
import json
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def script(paths, name, *args):
    out = subprocess.run(
        [paths["cli"], "-c", paths["core"], "-s", paths["vmlinux"], "script",
         os.path.join(ROOT, "examples", name), *args],
        capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def report_json(cli, *args):
    return json.loads(cli("report", "--format", "json", *args))


def test_top_owners(paths, cli, has_tasks):
    if not has_tasks:
        out = subprocess.run(
            [paths["cli"], "-c", paths["core"], "-s", paths["vmlinux"],
             "script", os.path.join(ROOT, "examples", "top_owners.py"),
             "init"], capture_output=True, text=True)
        assert out.returncode != 0 and "records no comm" in out.stderr
        return
    top = report_json(cli, "--group", "comm", "--top", "1")["groups"][0]
    comm = top["key"]["comm"]
    first = script(paths, "top_owners.py", comm, "3").split("\n")[0]
    m = re.match(r"(\d+) pages held by tasks named '(.*)', from (\d+) stacks",
                 first)
    assert m and m[2] == comm
    assert int(m[1]) == top["pages"]
    by_stack = report_json(cli, "--name", comm)
    assert int(m[3]) == by_stack["summary"]["groups"]


def test_module_pages(paths, cli):
    groups = report_json(cli, "--group", "module")["groups"]
    modules = {g["key"]["module"]: g for g in groups
               if g["key"]["module"] != "vmlinux"}
    # A dump with no module allocations still checks the zero.
    for module in modules or ["no_such_module"]:
        first = script(paths, "module_pages.py", module).split("\n")[0]
        m = re.match(r"(\d+) pages in (\d+) allocations held by module (\S+)",
                     first)
        assert m and m[3] == module
        want = modules.get(module, {"pages": 0, "allocations": 0})
        assert (int(m[1]), int(m[2])) == (want["pages"], want["allocations"])


def test_leak_suspects(paths, cli, has_tasks):
    if not has_tasks:
        out = subprocess.run(
            [paths["cli"], "-c", paths["core"], "-s", paths["vmlinux"],
             "script", os.path.join(ROOT, "examples", "leak_suspects.py")],
            capture_output=True, text=True)
        assert out.returncode != 0 and "records no timestamps" in out.stderr
        return
    doc = report_json(cli)
    special = {g["key"]["handle"] for g in doc["groups"]
               if g["key"]["special"]}
    big = [g for g in doc["groups"]
           if g["pages"] >= 64 and g["key"]["handle"] not in special]
    first = script(paths, "leak_suspects.py", "64", "2").split("\n")[0]
    m = re.match(r"(\d+) stacks hold >= 64 pages", first)
    assert m and int(m[1]) == len(big)


def test_stack_records_by_hand(paths):
    """The hand decoder exits non-zero if any record differs from
    prog.stack()."""
    out = script(paths, "stack_records.py", "50")
    assert out.count("struct stack_record at") == 50
    assert "MISMATCH" not in out
