# SPDX-License-Identifier: GPL-3.0-or-later
# pageowner fleet on every real dump at hand, sourced by tests/run-tests.sh:
# fleet_tests DIR...  (the fixture folders run-tests.sh goes through).
# tests/check-fleet.py does the checks; each of its ok/FAIL/skip lines
# counts here.  DuckDB comes from npm into $CACHE/duckdb: a machine that
# cannot reach the registry fails the DuckDB checks, it never skips them.

# fleet_inputs DIR...: "DUMP=VMLINUX" for each dump of each fixture, and
# the filtered ones of shared 6.12, which share its vmlinux.
fleet_inputs() {
	local dir vmlinux f core
	for dir; do
		[ -d "$dir" ] || continue
		vmlinux=$(unpack "$dir/vmlinux") || continue
		for f in vmcore.kdump vmcore.elf vmcore.phase1.kdump; do
			core=$(unpack "$dir/$f") && printf '%s=%s\n' "$core" "$vmlinux"
		done
		# What make-fixture.sh's makedumpfile wrote of the same moment
		# (a split dump is several files: fleet add takes one a dump).
		if [ -f "$dir/makedumpfile/done" ]; then
			for f in d31.zlib.kdump d31.lzo.kdump d31.flat d1.kdump \
				d31-E.elf; do
				[ -f "$dir/makedumpfile/$f" ] &&
					printf '%s=%s\n' "$dir/makedumpfile/$f" "$vmlinux"
			done
		fi
		case "$dir" in
		*/linux-6.12)
			[ -d "$dir-filtered" ] || continue
			for f in vmcore-d31.zlib.kdump vmcore-d31-E.elf; do
				core=$(unpack "$dir-filtered/$f") &&
					printf '%s=%s\n' "$core" "$vmlinux"
			done
			;;
		esac
	done
}

# @duckdb/node-api into $CACHE/duckdb, once.
fleet_duckdb() {
	local d="$CACHE/duckdb"
	[ -d "$d/node_modules/@duckdb/node-api" ] && return 0
	mkdir -p "$d" && (cd "$d" && { [ -f package.json ] || npm init -y >/dev/null; } &&
		timeout 600 npm install --no-audit --no-fund @duckdb/node-api >/dev/null)
}

fleet_tests() {
	local work="$CACHE/fleet" line rc duck=()
	local -a inputs
	mapfile -t inputs < <(fleet_inputs "$@")
	if [ "${#inputs[@]}" = 0 ]; then
		skip "fleet: no real dump at hand"
		return
	fi
	if fleet_duckdb; then
		duck=(--duckdb "$CACHE/duckdb")
	else
		fail "fleet: npm install @duckdb/node-api into $CACHE/duckdb failed (no registry?)"
	fi
	rm -rf "$work"
	mkdir -p "$work"
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "fleet: ${line#ok }" ;;
		"FAIL "*) fail "fleet: ${line#FAIL }" ;;
		"skip "*) skip "fleet: ${line#skip }" ;;
		"exit "*) rc=${line#exit } ;;
		*) printf '  %s\n' "$line" ;;
		esac
	done < <(timeout 1800 python3 tests/check-fleet.py --po "$PO" \
		--work "$work" "${duck[@]}" "${inputs[@]}" 2>&1; echo "exit $?")
	[ "${rc:-1}" = 0 ] || [ "${rc:-1}" = 1 ] ||
		fail "fleet: tests/check-fleet.py exit ${rc:-?}"
}
