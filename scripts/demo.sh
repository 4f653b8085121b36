#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# On a fresh Debian 12 machine: install what building pageowner needs (not
# the test tools), build, and answer the question on the real vmcore
# bundled in fixtures/ (a 6.12 guest booted with page_owner=on): who
# allocated the memory, and from where.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --build
make -s -j"$(nproc)" all
fx=fixtures/linux-6.12
cache=${PAGEOWNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pageowner}/unpacked
mkdir -p "$cache"
# vmlinux is stored xz-compressed in git; unpack it once.
if [ ! -f "$cache/bundled-vmlinux" ] || [ "$fx/vmlinux.xz" -nt "$cache/bundled-vmlinux" ]; then
	xz -dc "$fx/vmlinux.xz" >"$cache/bundled-vmlinux.tmp"
	mv "$cache/bundled-vmlinux.tmp" "$cache/bundled-vmlinux"
fi
po() { build/pageowner -q -c "$fx/vmcore.kdump" -s "$cache/bundled-vmlinux" "$@"; }
step() { printf '\n$ pageowner %s\n' "$*"; }
step info
po info
# The headline answer: the stacks that hold the most memory.
step report --top 10
po report --top 10
step "report --format html >$cache/bundled-report.html"
po report --format html >"$cache/bundled-report.html"
echo "written: $cache/bundled-report.html ($(wc -c <"$cache/bundled-report.html") bytes; open it in a browser)"
step report --group comm --top 5
po report --group comm --top 5
step report --group module
po report --group module
# The kernel's own text formats, rebuilt from the dump.
# (Into files: with pipefail, head closing the pipe would end the script.)
step "dump    (/sys/kernel/debug/page_owner; its first 12 lines)"
po dump >"$cache/bundled-page_owner.txt"
head -n 12 "$cache/bundled-page_owner.txt"
step "stacks  (/sys/kernel/debug/page_owner_stacks/show_stacks; 12 lines)"
po stacks >"$cache/bundled-show_stacks.txt"
head -n 12 "$cache/bundled-show_stacks.txt"
pfn=$(sed -n 's/^PFN \(0x[0-9a-f]*\) .*/\1/p' "$cache/bundled-page_owner.txt" | sed -n 1000p)
step lookup "pfn:$pfn"
po lookup "pfn:$pfn"
printf '\n$ python3: the largest stacks through the pageowner module\n'
PYTHONPATH=build/python python3 -c '
import sys, pageowner
prog = pageowner.Program(sys.argv[1], sys.argv[2])
for g in prog.report(group_by="stack", top=3):
    print(f"{g.pages:6} pages  {g.stack.frames[-4] if g.stack else None}")
' "$fx/vmcore.kdump" "$cache/bundled-vmlinux"
