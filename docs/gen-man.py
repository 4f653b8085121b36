#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write pageowner(1) from docs/pageowner.1.in and the built CLI's help.

    docs/gen-man.py PAGEOWNER TEMPLATE VERSION > pageowner.1

@OPTIONS@ becomes pageowner's own options and @COMMANDS@ every command
with its options, as `pageowner --help` and `pageowner CMD --help` print
them: the option tables of tools/ are the one source, so the page cannot
miss an option.  SOURCE_DATE_EPOCH, if set, dates the page.
"""
import os
import subprocess
import sys
import time

HELP_COLUMN = 24  # options.c prints each option's help from this column


def run(po, *args):
    return subprocess.run([po, *args], check=True, capture_output=True,
                          text=True).stdout


def roff(s):
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + s if s[:1] in (".", "'") else s


def options(lines):
    """(spec, help lines) of each option line, and the lines after them."""
    opts = []
    while lines and not lines[0].strip():
        lines = lines[1:]
    for i, line in enumerate(lines):
        if line.startswith("  -"):
            if (len(line) > HELP_COLUMN and line[HELP_COLUMN - 1] == " "
                    and line[HELP_COLUMN] != " "):
                spec = line[2:HELP_COLUMN - 1].rstrip()
                opts.append((spec, [line[HELP_COLUMN:]]))
            else:
                opts.append((line.strip(), []))
        elif line.startswith(" " * HELP_COLUMN) and opts:
            opts[-1][1].append(line.strip())
        elif line.strip() or not opts:
            return opts, lines[i:]
    return opts, []


def format_options(opts):
    out = []
    for spec, help in opts:
        out.append(".TP")
        out.append("\\fB" + roff(spec).replace(" ", "\\fR ", 1) + "\\fR"
                   if " " in spec else "\\fB" + roff(spec) + "\\fR")
        out.extend(roff(h) for h in help)
    return out


def command_help(po, name):
    lines = run(po, *name.split(), "--help").splitlines()
    usage = lines[0].removeprefix("usage: pageowner ")
    summary = lines[1]
    opts, rest = options(lines[3:])
    out = [".SS " + '"' + roff(usage) + '"', roff(summary) + "."]
    out.extend(format_options(opts))
    rest = [r for r in rest if r.strip()]
    if rest:
        out.append(".PP")
        out.append(".nf")
        out.extend(roff(r) for r in rest)
        out.append(".fi")
    return out


def main():
    po, template, version = sys.argv[1:4]
    top = run(po, "--help").splitlines()
    start = top.index("commands:")
    opts, _ = options(top[2:start])
    names = [line.split()[0] for line in top[start + 1:] if line.strip()]
    commands = []
    for name in names:
        if name == "shell":
            commands += [".SS shell", roff(" ".join(
                top[-1].split()[1:])) + "."]
        else:
            commands += command_help(po, name)
            # "fleet add", ...: each subcommand's own --help.
            sub = run(po, name, "--help").split("\nsubcommands")
            for line in sub[1].splitlines()[1:] if len(sub) > 1 else []:
                words = line.split()
                if len(words) > 1:
                    commands += command_help(po, " ".join(words[:2]))
    date = ""
    if "SOURCE_DATE_EPOCH" in os.environ:
        date = time.strftime("%Y-%m-%d", time.gmtime(
            int(os.environ["SOURCE_DATE_EPOCH"])))
    with open(template) as f:
        text = f.read()
    text = (text.replace("@VERSION@", version).replace("@DATE@", date)
            .replace("@OPTIONS@", "\n".join(format_options(opts)))
            .replace("@COMMANDS@", "\n".join(commands)))
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
