# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by tests/run-tests.sh and bench/run.sh; needs $CACHE.
# unpack FILE: print the path of FILE, decompressed into the cache if .xz.
unpack() {
	local src=$1 dst
	if [ -f "$src" ]; then
		printf '%s\n' "$src"
		return
	fi
	[ -f "$src.xz" ] || return 1
	dst="$CACHE/unpacked/$(printf '%s' "$(realpath "$src.xz")" | md5sum | cut -c1-12)-$(basename "$src")"
	if [ ! -f "$dst" ] || [ "$src.xz" -nt "$dst" ]; then
		mkdir -p "$(dirname "$dst")"
		xz -dc "$src.xz" >"$dst.tmp" && mv "$dst.tmp" "$dst" || return 1
	fi
	printf '%s\n' "$dst"
}
