#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Set up everything on a fresh Debian 12 machine, build, and run pageowner
# on the real vmcore bundled in fixtures/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make -s -j"$(nproc)" all
fx=fixtures/linux-6.12
cache=${PAGEOWNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pageowner}/unpacked
mkdir -p "$cache"
# vmlinux is stored xz-compressed in git; unpack it once.
if [ ! -f "$cache/bundled-vmlinux" ] || [ "$fx/vmlinux.xz" -nt "$cache/bundled-vmlinux" ]; then
	xz -dc "$fx/vmlinux.xz" >"$cache/bundled-vmlinux.tmp"
	mv "$cache/bundled-vmlinux.tmp" "$cache/bundled-vmlinux"
fi
set -x
build/pageowner -c "$fx/vmcore.kdump" -s "$cache/bundled-vmlinux" info
build/pageowner -c "$fx/vmcore.kdump" -s "$cache/bundled-vmlinux" depot
# The kernel's /sys/kernel/debug/page_owner, rebuilt from the dump.
build/pageowner -c "$fx/vmcore.kdump" -s "$cache/bundled-vmlinux" dump >"$cache/bundled-page_owner.txt"
head -n 40 "$cache/bundled-page_owner.txt"
build/pageowner -c "$fx/vmcore.kdump" -s "$cache/bundled-vmlinux" stacks >"$cache/bundled-show_stacks.txt"
head -n 40 "$cache/bundled-show_stacks.txt"
