# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of makedumpfile's filtered dumps, sourced by tests/run-tests.sh
# after tests/real-dump-tests.sh: filtered_tests DIR, DIR being the
# shared linux-6.12-filtered fixture (see its README.md).  Its dumps were
# made from the moment of ../linux-6.12, whose vmlinux they share and
# whose unfiltered vmcore.kdump says what `dump` must print.  The pages
# left out are counted from the program headers, as readelf shows them.

# elf_left_out ELF MAX_PFN PAGE_SIZE: the pages below MAX_PFN that the
# PT_LOADs of ELF cover in memory (p_memsz) but not in the file (p_filesz).
elf_left_out() {
	readelf -lW "$1" | python3 -c '
import sys
max_pfn, ps = int(sys.argv[1], 0), int(sys.argv[2])
mem, file = set(), set()
for line in sys.stdin:
    f = line.split()
    if not f or f[0] != "LOAD":
        continue
    paddr, filesz, memsz = (int(x, 16) for x in f[3:6])
    mem.update(range(paddr // ps, -(-(paddr + memsz) // ps)))
    file.update(range(paddr // ps, -(-(paddr + filesz) // ps)))
print(len({p for p in mem - file if p < max_pfn}))
' "$2" "$3"
}

# check_elf_left_out NAME ELF VMLINUX REF: `info` exits 0 and counts the
# pages the program headers leave out; `dump` exits 0 and prints REF.
check_elf_left_out() {
	local name=$1 elf=$2 vmlinux=$3 ref=$4 out rc max_pfn ps want got
	out=$("$PO" -c "$elf" -s "$vmlinux" info 2>&1)
	rc=$?
	if [ "$rc" != 0 ]; then
		fail "$name info: exit $rc: $(printf '%s' "$out" | head -c 300)"
	else
		max_pfn=$(printf '%s\n' "$out" | sed -n 's/^memory:.* max_pfn \(0x[0-9a-f]*\)$/\1/p')
		ps=$(printf '%s\n' "$out" | sed -n 's/^page size: *//p')
		got=$(printf '%s\n' "$out" | sed -n 's/^filtered pages: *\([0-9]*\).*/\1/p')
		want=$(elf_left_out "$elf" "${max_pfn:-0}" "${ps:-4096}")
		if [ -n "$max_pfn" ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
			ok "$name info: $got pages filtered out, as the program headers say"
		else
			fail "$name info: filtered pages '$got', program headers below max_pfn '$max_pfn' say '$want'"
		fi
	fi
	"$PO" -q -c "$elf" -s "$vmlinux" dump >"$elf.dump" 2>"$elf.err"
	rc=$?
	if [ "$rc" = 0 ] && cmp -s "$ref" "$elf.dump"; then
		ok "$name dump: identical to the unfiltered dump's"
	else
		fail "$name dump: exit $rc, $(cmp "$ref" "$elf.dump" 2>&1 | head -1) $(head -c 300 "$elf.err")"
	fi
	run_c_test "$name reads_real" "$BUILD/tests/reads_real" "$elf" "$vmlinux"
	rm -f "$elf.dump" "$elf.err"
}

filtered_tests() {
	local dir=$1 name="shared/$(basename "$1")" full vmlinux elf tmp n
	if [ ! -d "$dir" ]; then
		skip "fixture $name: not present"
		return
	fi
	full="$dir/../linux-6.12/vmcore.kdump"
	if [ ! -f "$full" ]; then
		skip "fixture $name: no ../linux-6.12/vmcore.kdump to compare with"
		return
	fi
	vmlinux=$(unpack "$dir/../linux-6.12/vmlinux") ||
		{ fail "$name: no ../linux-6.12/vmlinux"; return; }
	elf=$(unpack "$dir/vmcore-d31-E.elf") ||
		{ fail "$name: no vmcore-d31-E.elf"; return; }
	mkdir -p "$CACHE" && tmp=$(mktemp -d -p "$CACHE" filtered.XXXXXX) ||
		{ fail "$name: no temporary directory"; return; }
	if ! "$PO" -q -c "$full" -s "$vmlinux" dump >"$tmp/ref.txt" 2>"$tmp/ref.err"; then
		fail "$name: dump of $full: $(head -c 300 "$tmp/ref.err")"
		rm -rf "$tmp"
		return
	fi
	# makedumpfile -E: what it filters out is past p_filesz.
	check_elf_left_out "$name -E" "$elf" "$vmlinux" "$tmp/ref.txt"
	# Its zero pages in the file left out too, as makedumpfile -E does
	# on a larger guest: some page_ext pages then fall in the tails.
	if n=$(python3 tests/zero-tail-elf.py "$elf" "$tmp/zero-tails.elf" 2>&1); then
		check_elf_left_out "$name -E less its $n zero pages" \
			"$tmp/zero-tails.elf" "$vmlinux" "$tmp/ref.txt"
	else
		fail "$name: could not leave out the zero pages: $n"
	fi
	rm -rf "$tmp"
}
