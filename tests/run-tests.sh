#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run every pageowner test: the C unit tests, then the real-dump tests on
# each fixture that is present (the bundled one in fixtures/, the shared
# ones in ../shared/fixtures/, and any built by fixtures/make-fixture.sh).
# A fixture that is absent is reported as skipped, never as passed.
#
# Ends with the line "N passed, N failed[, N skipped]" and exits non-zero
# on any failure.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PO="$BUILD/pageowner"
CACHE=${PAGEOWNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pageowner}
SHARED=${PAGEOWNER_SHARED:-../shared/fixtures}
VALGRIND=${VALGRIND:-}
# Debian's python3, where apt puts pytest; the Makefile builds for it too.
export PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
passed=0 failed=0 skipped=0

ok() { passed=$((passed + 1)); printf 'ok %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
skip() { skipped=$((skipped + 1)); printf 'skip %s\n' "$*"; }

# A C test prints "NAME: N passed, M failed"; fold its counts in.
run_c_test() {
	local name=$1 out rc p f
	shift
	out=$($VALGRIND "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^[a-z_]*: [0-9]* passed' | sed 's/^/  /'
	p=$(printf '%s\n' "$out" | sed -n 's/^.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -1)
	if [ -z "$p" ] || [ "$rc" != 0 ] || [ "${f:-1}" != 0 ]; then
		fail "$name (exit $rc, ${p:-?} passed, ${f:-?} failed)"
	else
		ok "$name ($p checks)"
	fi
}

. tests/lib-unpack.sh

# tests/unit/ need nothing; tests/real/ take a dump and run below.
for t in "$BUILD"/tests/unit/*; do
	[ -x "$t" ] || continue
	run_c_test "unit $(basename "$t")" "$t"
done

run_c_test "dwarf_index_real, era libraries" "$BUILD/tests/real/dwarf_index_real" \
	"$BUILD"/eras/*.so
if [ -d "$BUILD/eras-clang" ]; then
	run_c_test "unit test_depot_eras, eras built by clang" \
		"$BUILD/tests/unit/test_depot_eras" "$BUILD/eras-clang"
	run_c_test "dwarf_index_real, era libraries built by clang" \
		"$BUILD/tests/real/dwarf_index_real" "$BUILD"/eras-clang/*.so
else
	skip "unit test_depot_eras, eras built by clang: clang-14 is not installed"
fi

. tests/real-dump-tests.sh
. tests/filtered-tests.sh
. tests/fleet-tests.sh

# PAGEOWNER_FIXTURES="shared/linux-7.2 ..." runs only those (for work on
# one era); CI runs them all, and builds two (scripts/test.sh).
fleet_dirs=()
for dir in fixtures/linux-* "$SHARED"/linux-5.10 "$SHARED"/linux-6.1 \
	"$SHARED"/linux-6.12 "$SHARED"/linux-7.2 "$SHARED"/linux-6.12-arm64 \
	"$CACHE"/fixtures/linux-*; do
	case "$dir" in
	fixtures/*) name="bundled/$(basename "$dir")" ;;
	"$SHARED"/*) name="shared/$(basename "$dir")" ;;
	*) name="built/$(basename "$dir")" ;;
	esac
	case " ${PAGEOWNER_FIXTURES:-$name} " in
	*" $name "*) ;;
	*) continue ;;
	esac
	# PAGEOWNER_SKIP_BUILT=1: those of make-fixture.sh left out.
	case "${PAGEOWNER_SKIP_BUILT:-0}:$name" in
	1:built/*) continue ;;
	esac
	if [ ! -d "$dir" ]; then
		skip "fixture $name: not present"
		continue
	fi
	if ! compgen -G "$dir/vmcore.kdump*" >/dev/null &&
		! compgen -G "$dir/vmcore.elf*" >/dev/null; then
		skip "fixture $name: incomplete (no vmcore.kdump or vmcore.elf)"
		continue
	fi
	if [ -f "$dir/page_owner.off" ]; then
		nopo_tests "$name" "$dir"
		continue
	fi
	real_dump_tests "$name" "$dir"
	# Made by make-fixture.sh only: shared/ keeps them apart.
	[ -f "$dir/makedumpfile/done" ] && pipeline_dumps "$name" "$dir"
	fleet_dirs+=("$dir")
done
if [ -z "${PAGEOWNER_FIXTURES:-}" ]; then
	filtered_tests "$SHARED"/linux-6.12-filtered
fi
case " ${PAGEOWNER_FIXTURES:-shared/linux-7.2} " in
*" shared/linux-7.2 "*) misjudged_tests "$SHARED"/linux-7.2 ;;
esac
# Every dump of those fixtures in one fleet database.
fleet_tests "${fleet_dirs[@]}"

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" = 0 ]
