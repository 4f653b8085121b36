#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tsan-jobs.sh: build jobs_real with ThreadSanitizer (clang) and run it on
# the bundled dump, ELF too when a shared fixture has one: the parallel
# walk's workers, each with its own libkdumpfile context, must not race.
# Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-tsan}
CACHE=${PAGEOWNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pageowner}
SHARED=${PAGEOWNER_SHARED:-../shared/fixtures}
. tests/lib-unpack.sh
passed=0 failed=0
if ! make -s BUILD="$BUILD" CC=clang-14 SANITIZE=thread \
	"$BUILD/tests/real/jobs_real" >/dev/null; then
	echo "FAIL building jobs_real with -fsanitize=thread"
	echo "0 passed, 1 failed"
	exit 1
fi
run() {
	local core=$1 vmlinux=$2 out
	if out=$(TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
		"$BUILD/tests/real/jobs_real" "$core" "$vmlinux" 2>&1); then
		passed=$((passed + 1))
		echo "ok jobs_real under ThreadSanitizer: $core"
	else
		printf '%s\n' "$out" | grep -v '^ *#[0-9]' | head -30
		failed=$((failed + 1))
		echo "FAIL jobs_real under ThreadSanitizer: $core"
	fi
}
vmlinux=$(unpack fixtures/linux-6.12/vmlinux) &&
	run fixtures/linux-6.12/vmcore.kdump "$vmlinux"
if [ -d "$SHARED/linux-6.12" ] &&
	elf=$(unpack "$SHARED/linux-6.12/vmcore.elf") &&
	vmlinux=$(unpack "$SHARED/linux-6.12/vmlinux"); then
	run "$elf" "$vmlinux"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
