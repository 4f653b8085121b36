#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh TARGET...: run each libFuzzer target in $BUILD/fuzz for $FUZZ_TIME
# seconds, from the seeds in tests/fuzz/corpus/TARGET (taken from the real
# fixtures) plus what earlier runs found ($BUILD/fuzz/corpus-TARGET).  A
# crash, a sanitizer report or a leak fails the target; its input is kept
# in $BUILD/fuzz/ and must become a regression test.  Leaks inside
# libkdumpfile are suppressed (tests/lsan.supp); FUZZ_ARGS adds libFuzzer
# options, say -runs=N.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build-fuzz}
FUZZ_TIME=${FUZZ_TIME:-60}
FUZZ_ARGS=${FUZZ_ARGS:-}
# page_ext and expr run over the bundled fixture.
CACHE=${PAGEOWNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pageowner}
. tests/lib-unpack.sh
export PO_FUZZ_CORE=${PO_FUZZ_CORE:-fixtures/linux-6.12/vmcore.kdump}
PO_FUZZ_VMLINUX=${PO_FUZZ_VMLINUX:-$(unpack fixtures/linux-6.12/vmlinux)} ||
	{ echo "cannot unpack fixtures/linux-6.12/vmlinux.xz"; exit 1; }
export PO_FUZZ_VMLINUX
passed=0 failed=0
for t in "$@"; do
	work="$BUILD/fuzz/corpus-$t"
	mkdir -p "$work"
	log="$BUILD/fuzz/$t.log"
	# Each kdump-compressed dump dump_open opens leaves its libkdumpfile
	# context behind on purpose (release_ctx() in src/dump/dump.c), and the
	# leak check libFuzzer then runs after the input cut it from
	# thousands of inputs a second to about 95.  Its corpus is replayed
	# under valgrind in CI, which checks leaks of our own.  The contexts
	# also add up: one process reached libFuzzer's 2 GB limit after about
	# 41,000 inputs (40 s), so dump_open runs in fork mode, in a series
	# of short-lived processes, with out-of-memory still a failure.
	leaks=
	[ "$t" = dump_open ] && leaks="-detect_leaks=0 -fork=1 -ignore_ooms=0
		-ignore_timeouts=0 -ignore_crashes=0"
	if LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
		"$BUILD/fuzz/fuzz_$t" -max_total_time="$FUZZ_TIME" $leaks $FUZZ_ARGS \
		-print_final_stats=1 -artifact_prefix="$BUILD/fuzz/$t-" \
		-rss_limit_mb=2048 "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		# Fork mode has no final stats: its last status line counts.
		[ -n "$runs" ] ||
			runs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
		secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
		printf 'ok fuzz %s: %s runs in %ss, %s, 0 crashes\n' "$t" \
			"${runs:-?}" "${secs:-$FUZZ_TIME}" "${cov:-cov: ?}"
		# Every clean run, for totals across runs.
		printf '%s %s %s %s %s\n' "$(date -u +%FT%TZ)" "$t" "${runs:-0}" \
			"${secs:-$FUZZ_TIME}" "${cov:-cov: ?}" >>"$BUILD/fuzz/totals"
		passed=$((passed + 1))
	else
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" |
			head -8 | sed 's/^/  /'
		printf 'FAIL fuzz %s (see %s)\n' "$t" "$log"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
