#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Install the Debian 12 packages pageowner needs to build and test (and
# to build its .debs: tests/check-install.sh).
# With --build, only what building and running it needs (scripts/demo.sh).
# With --fixtures, also what fixtures/make-fixture.sh needs.
set -euo pipefail

pkgs="build-essential pkg-config libdw-dev libelf-dev libkdumpfile-dev
	libreadline-dev libsqlite3-dev libdeflate-dev liblzo2-dev libsnappy-dev
	libzstd-dev python3 python3-dev xz-utils"
if [ "${1:-}" != --build ]; then
	pkgs="$pkgs python3-pytest clang-format-14 clang-14
		valgrind binutils python3-jsonschema chromium crash makedumpfile
		debhelper dh-python dpkg-dev lintian man-db python3-venv
		python3-setuptools python3-wheel"
	# The fleet tests npm-install DuckDB; a node that brings its own
	# npm (NodeSource's) must not be replaced by Debian's.
	command -v npm >/dev/null || pkgs="$pkgs nodejs npm"
fi
if [ "${1:-}" = --fixtures ]; then
	pkgs="$pkgs linux-source-6.12 flex bison bc libssl-dev cpio kmod
		qemu-system-x86 busybox-static makedumpfile dwarves
		debian-archive-keyring"
fi
missing=
for p in $pkgs; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
echo "installing:$missing" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
