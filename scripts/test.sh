#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Set up everything on a fresh Debian 12 machine and run every test:
# warnings as errors and the format check, what make install and the
# .debs install (tests/check-install.sh), the whole suite, the suite
# again under ASan+UBSan, the parallel walk under ThreadSanitizer, the C
# unit tests under valgrind, and a short run of each fuzz target.  The last
# line adds everything up as "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0 failed=0 skipped=0

count() {
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		return
	fi
	set -- $(printf '%s' "$line" | tr -dc '0-9 ')
	passed=$((passed + $1))
	failed=$((failed + $2))
	skipped=$((skipped + ${3:-0}))
}

step() {
	local name=$1
	shift
	echo "== $name"
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok $name"
	else
		cat "$log"
		failed=$((failed + 1))
		echo "FAIL $name"
	fi
}

step "build with -Werror" make -s WERROR=1 -j"$(nproc)" all
step "clang-format-14 check" make -s format-check
step "no layer reaches up (src/README.md)" make -s WERROR=1 layer-check
# make install/uninstall into a scratch root, pip install ., the .debs.
step "install, uninstall, pip and the .debs (tests/check-install.sh)" \
	tests/check-install.sh

# The fixtures no shared dump stands for, built from Debian 12's own
# linux-source-6.1 into the cache (about ten minutes; make-fixture.sh
# skips what is already there): a SLOB kernel with hugetlb pages, which
# it marks on the first tail page, booted with page_owner=on, and the
# same kernel booted without it.  PAGEOWNER_BUILD_FIXTURES=0 leaves them
# out; the suite then runs on the fixtures it finds.
if [ "${PAGEOWNER_BUILD_FIXTURES:-1}" != 0 ]; then
	step "dependencies of make-fixture.sh" scripts/install-deps.sh --fixtures
	step "fixture linux-6.1: make-fixture.sh 6.1" fixtures/make-fixture.sh 6.1
	step "fixture linux-6.1-nopo: make-fixture.sh 6.1 256 x86_64 off" \
		fixtures/make-fixture.sh 6.1 256 x86_64 off
fi

echo "== test suite"
make -s WERROR=1 check 2>&1 | tee "$log"
count

# The built fixtures once, in the plain suite: under the sanitizers the
# bundled and shared dumps run the same code, and CI's time is bounded.
echo "== test suite under ASan+UBSan"
PAGEOWNER_SKIP_BUILT=1 ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	make -s WERROR=1 BUILD=build-asan SANITIZE=address,undefined check 2>&1 | tee "$log"
count

echo "== the parallel walk under ThreadSanitizer"
tests/tsan-jobs.sh 2>&1 | tee "$log"
count

echo "== C unit tests under valgrind"
for t in build/tests/unit/*; do
	[ -x "$t" ] || continue
	step "valgrind $(basename "$t")" valgrind -q --error-exitcode=99 \
		--suppressions=tests/valgrind.supp \
		--leak-check=full --errors-for-leak-kinds=definite "$t"
done
# Every dump_open input ever kept, through a plain build: libkdumpfile is
# not instrumented, so only valgrind sees it read memory it freed.
step "valgrind: the dump_open corpus replayed" sh -c \
	'make -s WERROR=1 build/fuzz/replay_dump_open &&
	valgrind -q --error-exitcode=99 --suppressions=tests/valgrind.supp \
		--leak-check=full --errors-for-leak-kinds=definite \
		build/fuzz/replay_dump_open tests/fuzz/corpus/dump_open/* \
		tests/fuzz/known/*[!d]'
# The parallel walk on the bundled dump: threads and per-thread contexts.
CACHE=${PAGEOWNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pageowner}
. tests/lib-unpack.sh
if vmlinux=$(unpack fixtures/linux-6.12/vmlinux); then
	step "valgrind jobs_real" valgrind -q --error-exitcode=99 \
		--suppressions=tests/valgrind.supp --leak-check=full \
		--errors-for-leak-kinds=definite build/tests/real/jobs_real \
		fixtures/linux-6.12/vmcore.kdump "$vmlinux"
else
	failed=$((failed + 1))
	echo "FAIL valgrind jobs_real: cannot unpack the bundled vmlinux"
fi
# Our diskdump reader's short reads and damaged pages, which jobs_real
# does not reach, and a dump that is not flattened.
shared=${PAGEOWNER_SHARED:-../shared/fixtures}/linux-6.12
damaged="$CACHE/valgrind-damaged.kdump"
if [ ! -f "$shared/vmcore.kdump" ]; then
	skipped=$((skipped + 1))
	echo "skip valgrind reads_real: no $shared/vmcore.kdump"
elif ! svmlinux=$(unpack "$shared/vmlinux") ||
	! python3 tests/patch-dump.py bad-data "$shared/vmcore.kdump" "$damaged"; then
	failed=$((failed + 1))
	echo "FAIL valgrind reads_real: cannot unpack $shared/vmlinux or damage its dump"
else
	vg="valgrind -q --error-exitcode=99 --suppressions=tests/valgrind.supp
		--leak-check=full --errors-for-leak-kinds=definite"
	step "valgrind reads_real, shared 6.12 kdump" $vg \
		build/tests/real/reads_real "$shared/vmcore.kdump" "$svmlinux"
	step "valgrind reads_real, damaged pages" $vg \
		build/tests/real/reads_real --damaged "$damaged" "$svmlinux"
	# Page tables read through our translation context's callbacks.
	if python3 tests/patch-dump.py bad-tables "$shared/vmcore.kdump" \
		"$damaged" 0; then
		step "valgrind reads_real, a damaged page table" $vg \
			build/tests/real/reads_real --damaged "$damaged" "$svmlinux"
	else
		failed=$((failed + 1))
		echo "FAIL valgrind reads_real: cannot damage a page table"
	fi
	rm -f "$damaged"
fi

echo "== fuzz targets, smoke run (make fuzz runs them longer)"
make -s fuzz FUZZ_TIME=${FUZZ_TIME:-15} FUZZ_RUN="dump_open kdump_page json vmcoreinfo depot page_ext expr dwarfscan btf" 2>&1 | tee "$log"
count

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" = 0 ]
