#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: run pobench on every fixture it can find: the bundled one,
# the shared ones, and those fixtures/make-fixture.sh built (the big-memory
# one is `fixtures/make-fixture.sh 6.12 8192`).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
CACHE=${PAGEOWNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pageowner}
SHARED=${PAGEOWNER_SHARED:-../shared/fixtures}
. tests/lib-unpack.sh

ran=0
for dir in fixtures/linux-* "$SHARED"/linux-* "$CACHE"/fixtures/linux-*; do
	[ -d "$dir" ] || continue
	vmlinux=$(unpack "$dir/vmlinux") || continue
	for core in "$dir/vmcore.kdump" "$dir/vmcore.elf"; do
		core=$(unpack "$core") || continue
		echo "== $core"
		"$BUILD/bench/pobench" -c "$core" -s "$vmlinux" "$@"
		echo
		echo "-- Python: iterating page owners against the C walk"
		PYTHONPATH="$BUILD/python" "$PYTHON" bench/python_walk.py \
			"$BUILD/pageowner" "$core" "$vmlinux"
		echo
		ran=$((ran + 1))
	done
done
# One moment in every compression: the shared -d 31 zlib dump and what
# the tests made of it (tests/filtered-tests.sh: makedumpfile -l, and
# zstd and snappy by tests/transcode-kdump.py), against each other.
filtered="$SHARED/linux-6.12-filtered/vmcore-d31.zlib.kdump"
if [ -f "$filtered" ] && vmlinux=$(unpack "$SHARED/linux-6.12/vmlinux"); then
	for core in "$filtered" "$CACHE"/makedumpfile/*/lzo.kdump \
		"$CACHE"/makedumpfile/*/zstd.kdump \
		"$CACHE"/makedumpfile/*/snappy.kdump; do
		[ -f "$core" ] || continue
		echo "== $core (the linux-6.12 moment, makedumpfile -d 31)"
		"$BUILD/bench/pobench" -c "$core" -s "$vmlinux" "$@"
		echo
		ran=$((ran + 1))
	done
fi
[ "$ran" -gt 0 ] || { echo "bench: no fixture found" >&2; exit 1; }
# The fleet: ingest of 1,000 per-dump reports made of the real dumps'
# rows, and fleet report against docs/fleet.md's DuckDB recipe.
. tests/fleet-tests.sh
mapfile -t fleet_pairs < <(fleet_inputs fixtures/linux-* "$SHARED"/linux-* \
	"$CACHE"/fixtures/linux-*)
if [ "${#fleet_pairs[@]}" -gt 0 ]; then
	echo "== fleet: 1,000 per-dump reports"
	duck=()
	fleet_duckdb && duck=(--duckdb "$CACHE/duckdb")
	"$PYTHON" bench/fleet.py --po "$BUILD/pageowner" \
		--work "$CACHE/bench-fleet" "${duck[@]}" "${fleet_pairs[@]}"
fi
