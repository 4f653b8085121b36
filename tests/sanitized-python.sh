#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Python with the sanitizer runtimes loaded first, for a pageowner module
# built with SANITIZE=address,undefined.  Leak checking stays off: Python
# keeps its own allocations at exit by design.
LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)" \
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	exec "${PYTHON:-python3}" "$@"
