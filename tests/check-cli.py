#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line's options: --help, and the messages for bad ones.

check-cli.py PAGEOWNER VMCORE VMLINUX

Checks: `pageowner --help` and `pageowner CMD --help` for every command
it lists exit 0 with no dump given and list every option the command has
(written down here, from the README, not read from the code); report's
help lists every key word; the shell's `help CMD` and `CMD --help` print
the same; an unknown option, an ambiguous one, a missing value and a flag
given a value, and a bad value of each checked option, exit 2 with
nothing on stdout, a message naming the option and the value, and the
command's usage line; every command's output to a full disk, one
message and exit 2.  Prints "N passed, N failed".
"""
import re
import subprocess
import sys

from tap import check, summary


# Every command's options, as README documents them; --help is everyone's.
OPTIONS = {
    "info": [],
    "handle": [],
    "depot": ["--records"],
    "dump": ["--pfn", "--free", "--annotate"],
    "lookup": [],
    "stacks": ["--threshold", "--from-walk", "--show"],
    "report": ["--format", "--group", "--cull", "--sort", "-a", "-m", "-p",
               "-P", "-n", "-s", "-t", "--pid", "--tgid", "--name",
               "--module", "--gfp", "--order", "--min-pages", "--top",
               "--free"],
    "diff": ["--format", "--top", "--min-pages", "--free", "--pid", "--tgid",
             "--name", "--module", "--order"],
    "sym": [],
    "print": ["-x", "-d", "-o"],
    "ptype": [],
    "whatis": [],
    "rd": ["-p", "-8", "-16", "-32", "-64"],
    "script": [],
    "py": [],
    "fleet": [],
    "fleet add": ["-j", "--jobs", "--debuginfo", "-q", "--quiet"],
    "fleet report": ["--format", "--group", "--by", "--release", "--host",
                     "--dump", "--name", "--module", "--top", "--min-pages"],
    "fleet diff": ["--from", "--to", "--format", "--top", "--min-pages"],
}
GLOBAL = ["-c", "--core", "-s", "--symbols", "-q", "--quiet", "-j", "--jobs",
          "--ignore-mismatch", "--no-vmlinux", "-h", "--help"]
# page_owner_sort's key words and ours, long and short (README).
KEYS = ["stack", "st", "pid", "p", "tgid", "tg", "comm", "name", "n",
        "module", "mod", "allocator", "ator", "leaf", "pages", "m", "times",
        "t", "alloc_ts", "at"]
FORMATS = ["text", "json", "jsonl", "csv", "folded", "html"]


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, **kw)


def listed(out, option):
    """Whether help text @out has a line for @option ("-c, --core X")."""
    return re.search(rf"^  (-\w, )?{re.escape(option)}( |$)", out,
                     re.M) is not None or \
        re.search(rf"^  {re.escape(option)}, ", out, re.M) is not None


def help_checks(po):
    r = run([po, "--help"])
    commands = re.findall(r"^  (\w+) ", r.stdout.split("\ncommands:\n")[-1],
                          re.M)
    missing = [o for o in GLOBAL if not listed(r.stdout, o)]
    check("pageowner --help lists the global options", r.returncode == 0 and
          not missing, f"exit {r.returncode}, missing {missing}")
    check("pageowner --help lists every command checked here",
          sorted(c for c in commands if c != "shell") ==
          sorted(c for c in OPTIONS if " " not in c),
          f"{commands}")
    for cmd, options in OPTIONS.items():
        r = run([po, *cmd.split(), "--help"])
        missing = [o for o in options + ["--help"]
                   if not listed(r.stdout, o)]
        check(f"{cmd} --help (no dump) lists its options",
              r.returncode == 0 and not missing and not r.stderr and
              r.stdout.startswith(f"usage: pageowner {cmd}"),
              f"exit {r.returncode}, missing {missing}, stderr {r.stderr!r}")
    r = run([po, "report", "--help"])
    keys = re.split(r"[\s,;/()]+", r.stdout.split("\nkeys:")[-1])
    missing = [k for k in KEYS if k not in keys]
    check("report --help lists every key word", not missing,
          f"missing {missing}")
    missing = [f for f in FORMATS if f not in r.stdout]
    check("report --help lists every format", not missing,
          f"missing {missing}")


def shell_help_checks(po, core, vmlinux):
    """help CMD in the shell is CMD --help."""
    want = run([po, "report", "--help"]).stdout
    r = run([po, "-q", "-c", core, "-s", vmlinux, "shell"],
            input="help report\nreport --help\n")
    check("shell: help report and report --help print report --help",
          r.returncode == 0 and r.stdout == want + want,
          f"exit {r.returncode}: {r.stderr[-300:]}")
    # gdb's p/x, p/d, p/o and print/x are print -x, -d, -o.
    lines = ["print -x jiffies", "p/x jiffies", "print/x jiffies",
             "print -d jiffies", "p/d jiffies", "print -o jiffies",
             "p/o jiffies"]
    r = run([po, "-q", "-c", core, "-s", vmlinux, "shell"],
            input="".join(l + "\n" for l in lines))
    vals = [re.sub(r"\$\d+ = ", "", l) for l in r.stdout.splitlines()]
    check(f"shell: p/x, p/d, p/o as print -x, -d, -o: {vals[:2]}",
          r.returncode == 0 and len(vals) == 7 and
          vals[0] == vals[1] == vals[2] and "0x" in vals[0] and
          vals[3] == vals[4] != vals[0] and vals[5] == vals[6] != vals[3],
          f"exit {r.returncode}: {r.stdout!r} {r.stderr[-300:]}")
    r = run([po, "-q", "-c", core, "-s", vmlinux, "shell"],
            input="p/q jiffies\n")
    check("shell: p/q is no command", r.returncode != 0 and
          "unknown command 'p/q'" in r.stderr, r.stderr)


def expect_usage(po, name, args, cmd, *want, dump=None):
    """@args exit 2, print nothing, and name each of @want on stderr,
    then @cmd's usage line."""
    argv = [po, "-q"] + (["-c", dump[0], "-s", dump[1]] if dump else [])
    r = run(argv + args)
    usage = f"usage: pageowner {cmd}" if cmd else "usage: pageowner ["
    lines = r.stderr.splitlines()
    check(f"{name}: {lines[0] if lines else ''}", r.returncode == 2 and
          not r.stdout and all(w in r.stderr for w in want) and
          len(lines) > 1 and lines[1].startswith(usage),
          f"exit {r.returncode}, stderr {r.stderr!r}")


def option_error_checks(po):
    """Found before any dump is opened: no -c needed."""
    for cmd, options in OPTIONS.items():
        if cmd in ("print", "ptype", "whatis"):
            continue  # "print -frob" is an expression
        bad = "-frob" if cmd == "rd" else "--frob"
        if cmd == "fleet":
            continue  # its first word is a subcommand, checked below
        expect_usage(po, f"{cmd} {bad}", [*cmd.split(), bad], cmd,
                     f"unknown option {bad}")
    expect_usage(po, "pageowner --frob", ["--frob", "info"], None,
                 "unknown option --frob")
    expect_usage(po, "ambiguous", ["report", "--m", "3"], "report",
                 "--m is ambiguous", "--min-pages", "--module")
    expect_usage(po, "missing value", ["report", "--order"], "report",
                 "--order needs a value")
    expect_usage(po, "flag with a value", ["dump", "--free=1"], "dump",
                 "--free takes no value")
    expect_usage(po, "short option", ["report", "-mZ"], "report",
                 "unknown option -Z")
    expect_usage(po, "bad -j", ["-j", "x", "info"], None, '-j: "x"',
                 "1..64")
    expect_usage(po, "bad --jobs", ["--jobs=0", "info"], None,
                 '--jobs: "0"', "1..64")
    # A mistyped command: the nearest one named, none for nonsense.
    for word, near in (("reprot", "report"), ("sttacks", "stacks"),
                       ("lokup", "lookup"), ("frobnicate", None)):
        r = run([po, word])
        msg = r.stderr.strip()
        check(f"unknown command {word}: {msg}", r.returncode == 2 and
              f"unknown command '{word}'" in msg and
              (f"did you mean '{near}'?" in msg if near else
               "did you mean" not in msg), f"exit {r.returncode}")


def value_error_checks(po, core, vmlinux):
    dump = (core, vmlinux)
    cases = [
        (["report", "--order", "x"], "report", '--order: "x"', "0..63"),
        (["report", "--order=64"], "report", '--order: "64"', "0..63"),
        (["report", "--format", "x"], "report", '--format: "x"',
         ", ".join(FORMATS)),
        (["report", "--group", "pid,bogus"], "report",
         '--group: "pid,bogus"'),
        (["report", "--group", "pages"], "report", '--group: "pages"'),
        (["report", "--sort", "-bogus"], "report", '--sort: "-bogus"'),
        (["report", "--group", "pid,memgc"], "report",
         '--group: "pid,memgc"', "did you mean 'memcg'?"),
        (["report", "--sort", "+pags"], "report", '--sort: "+pags"',
         "did you mean 'pages'?"),
        (["report", "--top", "x"], "report", '--top: "x"'),
        (["report", "--min-pages", "-"], "report", '--min-pages: "-"'),
        (["report", "--gfp", "NO_SUCH_GFP"], "report", "--gfp",
         "NO_SUCH_GFP"),
        (["report", "stray"], "report", "'stray'"),
        (["dump", "--pfn", "9-1"], "dump", '--pfn: "9-1"'),
        (["stacks", "--threshold", "many"], "stacks",
         '--threshold: "many"'),
        (["stacks", "--show", "stack"], "stacks", '--show: "stack"',
         "stacks, handles, stacks_handles"),
        (["rd", "-16", "jiffies", "x"], "rd", '"x"'),
        (["diff", "--format", "csv", core, core], "diff", '--format: "csv"',
         "text, json"),
        (["diff", core], "diff", "BEFORE and AFTER"),
        (["fleet"], "fleet", "needs add, report or diff"),
        (["fleet", "ad", "x.db"], "fleet", "unknown command 'ad'",
         "did you mean 'add'?"),
        (["fleet", "add", "x.db"], "fleet add", "needs DB and at least one"),
        (["fleet", "add", "-j", "0", "x.db", core], "fleet add",
         '-j: "0"', "1..64"),
        (["fleet", "report"], "fleet report", "needs DB"),
        (["fleet", "report", "x.db", "y"], "fleet report", "'y'"),
        (["fleet", "report", "--by", "rel", "x.db"], "fleet report",
         '--by: "rel"', "release, host, dump"),
        (["fleet", "report", "--group", "comx", "x.db"], "fleet report",
         '--group: "comx"', "did you mean 'comm'?"),
        (["fleet", "report", "--format", "html", "x.db"], "fleet report",
         '--format: "html"', "text, json, csv"),
        (["fleet", "report", "--top", "x", "x.db"], "fleet report",
         '--top: "x"'),
        (["fleet", "diff", "--from", "release=a", "x.db"], "fleet diff",
         "needs --from and --to"),
        (["fleet", "diff", "--from", "kernel=a", "--to", "host=b", "x.db"],
         "fleet diff", '--from: "kernel=a"', "release=V, host=V or dump=V"),
    ]
    for args, cmd, *want in cases:
        expect_usage(po, " ".join(a if a != core else "CORE" for a in args),
                     args, cmd, *want, dump=dump)


def full_disk_checks(po, core, vmlinux):
    """Output to a full disk (/dev/full): one message on stderr, naming
    the cause the kernel gave (ENOSPC), and exit 2, for every command."""
    dump = ["-q", "-c", core, "-s", vmlinux]
    # A pfn with a record, wherever RAM starts (0x40000 on arm64 virt).
    r = subprocess.run([po] + dump + ["dump"], capture_output=True,
                       text=True)
    m = re.search(r"^PFN (\S+) ", r.stdout, re.M)  # decimal before v6.2
    pfn = int(m.group(1), 0) if m else 0
    for args in (["info"], ["report"], ["report", "--format", "json"],
                 ["dump", "--pfn", f"{pfn:#x}-{pfn + 0x100:#x}"], ["stacks"],
                 ["depot"], ["lookup", f"pfn:{pfn:#x}", f"pfn:{pfn + 1:#x}"],
                 ["sym", "schedule"],
                 ["print", "jiffies"], ["ptype", "struct page"],
                 ["diff", core, core]):
        with open("/dev/full", "w") as full:
            r = subprocess.run([po] + dump + args, stdout=full,
                               stderr=subprocess.PIPE, text=True)
        lines = r.stderr.splitlines()
        check(f"{' '.join(a if a != core else 'CORE' for a in args)} > "
              f"/dev/full: {lines}", r.returncode == 2 and len(lines) == 1
              and lines[0].endswith("No space left on device"))


def script_checks(po, core, vmlinux):
    """script: a missing file is one line and exit 2; a script's exception
    is a traceback from the script's own frame, exit 1; a reader that goes
    away (| head) ends it as it ends the CLI: SIGPIPE, no traceback."""
    import tempfile
    dump = ["-q", "-c", core, "-s", vmlinux]
    r = run([po] + dump + ["script", "no-such-script.py"])
    check(f"script of a missing file: {r.stderr.strip()}",
          r.returncode == 2 and r.stderr.strip().splitlines() ==
          ["pageowner: script: no-such-script.py: no such file"])
    with tempfile.TemporaryDirectory() as tmp:
        bad = f"{tmp}/bad.py"
        with open(bad, "w") as f:
            f.write("x = prog\nraise ValueError('from the script')\n")
        r = run([po] + dump + ["script", bad])
        lines = r.stderr.splitlines()
        check(f"script raising: the traceback starts at the script: "
              f"{lines[:2]}", r.returncode == 1 and len(lines) == 4 and
              lines[1].startswith(f'  File "{bad}", line 2') and
              lines[-1] == "ValueError: from the script")
        loud = f"{tmp}/loud.py"
        with open(loud, "w") as f:
            f.write("for i in range(100000):\n    print(i, 'x' * 60)\n")
        p = subprocess.Popen([po] + dump + ["script", loud],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read().decode()
        rc = p.wait()
        check(f"script | head: exit {rc}, stderr {err[-80:]!r}",
              rc == 141 and "Traceback" not in err)


def main():
    po, core, vmlinux = sys.argv[1:4]
    help_checks(po)
    shell_help_checks(po, core, vmlinux)
    option_error_checks(po)
    value_error_checks(po, core, vmlinux)
    full_disk_checks(po, core, vmlinux)
    script_checks(po, core, vmlinux)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
