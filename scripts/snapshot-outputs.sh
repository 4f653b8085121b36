#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# scripts/snapshot-outputs.sh BUILD OUTDIR: run a fixed set of commands on
# every fixture present and keep each one's stdout, stderr and exit code in
# OUTDIR/FIXTURE/NAME.  For refactors that must not change a byte:
#
#   scripts/snapshot-outputs.sh build-before /tmp/a
#   scripts/snapshot-outputs.sh build-after /tmp/b
#   diff -r /tmp/a /tmp/b && echo identical
set -u
cd "$(dirname "$0")/.."
BUILD=${1:?usage: snapshot-outputs.sh BUILD OUTDIR}
OUT=${2:?usage: snapshot-outputs.sh BUILD OUTDIR}
PO="$(realpath "$BUILD")/pageowner"
CACHE=${PAGEOWNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pageowner}
SHARED=${PAGEOWNER_SHARED:-../shared/fixtures}
. tests/lib-unpack.sh

# run NAME ARGS...: one command, its output kept under $dir_out.
run() {
	local name=$1
	shift
	"$PO" -q -j 2 -c "$core" -s "$vmlinux" "$@" >"$dir_out/$name.out" \
		2>"$dir_out/$name.err" </dev/null
	echo $? >"$dir_out/$name.rc"
}

snapshot() {
	local pfn
	run info info
	run report report
	for f in json jsonl csv folded html; do
		run "report-$f" report --format "$f"
	done
	for g in pid tgid comm module allocator leaf stack,pid; do
		run "report-group-$g" report --group "$g"
	done
	run report-group-memcg report --group memcg
	run report-group-memcg-json report --group memcg,comm --format json
	run report-group-memcg-csv report --group stack,memcg --format csv
	run report-group-memcg-sort report --group stack,memcg --sort memcg
	run report-sort-pages report --group module --sort +pages
	run report-free report --free --format json
	run report-filter report --order 0 --min-pages 4 --top 5 -n
	run dump dump
	run dump-free dump --free
	run dump-annotate dump --annotate --pfn 0x1000-0x3000
	run stacks stacks
	run stacks-walk stacks --from-walk
	run depot depot
	run depot-records depot --records
	# A few owned PFNs, taken from the dump itself.
	pfn=$(sed -n 's/^PFN \(0x[0-9a-f]*\|[0-9]*\) .*/\1/p' \
		"$dir_out/dump.out" | awk 'NR % 997 == 1 { print "pfn:" $0 }' | head -5)
	# shellcheck disable=SC2086
	run lookup lookup $pfn
	run print print 'init_task.comm'
	run ptype ptype 'struct page'
	run sym sym jiffies init_task
	printf 'info\nreport --top 3\nprint jiffies\n' >"$dir_out/shell.in"
	"$PO" -q -j 2 -c "$core" -s "$vmlinux" shell <"$dir_out/shell.in" \
		>"$dir_out/shell.out" 2>"$dir_out/shell.err"
	echo $? >"$dir_out/shell.rc"
}

for dir in fixtures/linux-* "$SHARED"/linux-5.10 "$SHARED"/linux-6.1 \
	"$SHARED"/linux-6.12 "$SHARED"/linux-7.2 "$SHARED"/linux-6.12-arm64; do
	[ -d "$dir" ] || continue
	vmlinux=$(unpack "$dir/vmlinux") || continue
	for c in vmcore.kdump vmcore.elf; do
		core=$(unpack "$dir/$c") || continue
		case "$dir" in
		fixtures/*) dir_out="$OUT/bundled-$(basename "$dir")-$c" ;;
		*) dir_out="$OUT/shared-$(basename "$dir")-$c" ;;
		esac
		mkdir -p "$dir_out"
		snapshot
		echo "$dir_out"
	done
done
