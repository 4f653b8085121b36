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
	run_c_test "$name reads_real" "$BUILD/tests/real/reads_real" "$elf" "$vmlinux"
	rm -f "$elf.dump" "$elf.err"
}

# small_tmpfs_run SIZE CMD...: CMD with /mnt/small a tmpfs of SIZE, in a
# mount namespace of its own (unshare), as root or through a user
# namespace; exit 99 if no such mount can be made here.
small_tmpfs_run() {
	local size=$1 u=-m
	shift
	[ "$(id -u)" = 0 ] || u=-rm
	unshare $u sh -c 'mkdir -p /tmp/po-small && mount -t tmpfs -o "size=$0" tmpfs /tmp/po-small || exit 99
		exec "$@"' "$size" "$@"
}

# incomplete_tests NAME KDUMP VMLINUX TMP: makedumpfile writing KDUMP
# again onto a filesystem too small for it leaves a dump marked
# DUMP_DH_COMPRESSED_INCOMPLETE, its last pages never written (they are
# the top of memory, where mem_section and page_ext live).  pageowner
# must say so, read what is there (the depot and stack_list are), never
# print a record the full dump does not have, and never crash.
incomplete_tests() {
	local name=$1 kdump=$2 vmlinux=$3 tmp=$4 inc out rc status
	if ! command -v makedumpfile >/dev/null; then
		fail "$name incomplete dump: makedumpfile is not installed"
		return
	fi
	inc="$tmp/incomplete.kdump"
	small_tmpfs_run 9m sh -c 'makedumpfile -c -d 31 -x "$1" "$2" /tmp/po-small/inc.kdump >/dev/null 2>&1; cp /tmp/po-small/inc.kdump "$3"' \
		sh "$vmlinux" "$kdump" "$inc"
	rc=$?
	if [ "$rc" = 99 ]; then
		skip "$name incomplete dump: no small tmpfs can be mounted here (unshare)"
		return
	fi
	status=$(python3 -c 'import struct, sys
print(struct.unpack_from("<I", open(sys.argv[1], "rb").read(428), 424)[0] & 8)' "$inc" 2>/dev/null)
	if [ "$status" != 8 ]; then
		fail "$name incomplete dump: makedumpfile did not mark it incomplete (status bit ${status:-?})"
		return
	fi
	out=$("$PO" -c "$inc" -s "$vmlinux" info 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '^complete: *no: makedumpfile could not write all of it' &&
		printf '%s\n' "$out" | grep -q '^pageowner: warning: .* is incomplete'; then
		ok "$name incomplete dump: info says so"
	else
		fail "$name incomplete dump: info exit $rc: $(printf '%s' "$out" | head -c 400)"
	fi
	"$PO" -c "$inc" -s "$vmlinux" dump >"$tmp/inc.txt" 2>"$tmp/inc.err"
	rc=$?
	if { [ "$rc" = 2 ] && grep -q 'was never written (makedumpfile left the dump incomplete)' "$tmp/inc.err"; } ||
		{ [ "$rc" = 1 ] && grep -q '^pageowner: skipped' "$tmp/inc.err"; }; then
		ok "$name incomplete dump: dump exit $rc: $(grep -v warning "$tmp/inc.err" | head -c 200)"
	else
		fail "$name incomplete dump: dump exit $rc: $(head -c 300 "$tmp/inc.err")"
	fi
	# What it can read is right: the depot and stack_list lie below the
	# pages makedumpfile did not get to, so show_stacks is whole.
	"$PO" -q -c "$kdump" -s "$vmlinux" stacks >"$tmp/full.stacks" 2>/dev/null
	"$PO" -q -c "$inc" -s "$vmlinux" stacks >"$tmp/inc.stacks" 2>"$tmp/inc.err"
	rc=$?
	if [ "$rc" = 0 ] && [ -s "$tmp/full.stacks" ] &&
		cmp -s "$tmp/full.stacks" "$tmp/inc.stacks"; then
		ok "$name incomplete dump: stacks the same as the full dump's"
	else
		fail "$name incomplete dump: stacks exit $rc, $(cmp "$tmp/full.stacks" "$tmp/inc.stacks" 2>&1 | head -1) $(head -c 200 "$tmp/inc.err")"
	fi
	rm -f "$inc" "$tmp"/inc.* "$tmp"/full.stacks
}

# makedumpfile_variants NAME KDUMP VMLINUX REF: the formats the kdump
# service writes, made by Debian's makedumpfile from the shared -d 31
# dump: lzo (-l), flattened to stdout (-F, as for ssh), and -d 1; and
# zstd and snappy, which Debian's makedumpfile lacks, by
# transcode-kdump.py with the real libraries.  Each must print what the
# unfiltered dump of the same moment prints, and our reader must read
# what libkdumpfile reads (reads_real).  They are kept in the cache, keyed
# by the input, for the sanitizer pass.
makedumpfile_variants() {
	local name=$1 kdump=$2 vmlinux=$3 ref=$4 dir v out rc want level
	if ! command -v makedumpfile >/dev/null; then
		fail "$name makedumpfile variants: makedumpfile is not installed"
		return
	fi
	dir="$CACHE/makedumpfile/$(printf '%s' "$(realpath "$kdump")" | md5sum | cut -c1-12)"
	mkdir -p "$dir"
	for v in zlib lzo flat d1 zstd snappy; do
		out="$dir/$v.kdump"
		[ "$v" = zlib ] && out=$kdump # as shared/ has it
		if [ ! -s "$out" ] || [ "$kdump" -nt "$out" ]; then
			case $v in
			lzo) makedumpfile -l -d 31 -x "$vmlinux" "$kdump" "$out.tmp" ;;
			flat) makedumpfile -F -c -d 31 -x "$vmlinux" "$kdump" >"$out.tmp" ;;
			d1) makedumpfile -c -d 1 -x "$vmlinux" "$kdump" "$out.tmp" ;;
			zstd | snappy)
				python3 tests/transcode-kdump.py $v "$kdump" "$out.tmp"
				;;
			esac >/dev/null 2>"$dir/$v.err"
			rc=$?
			if [ "$rc" != 0 ]; then
				fail "$name makedumpfile $v: exit $rc: $(tail -c 200 "$dir/$v.err")"
				rm -f "$out.tmp"
				continue
			fi
			mv "$out.tmp" "$out"
		fi
		"$PO" -q -c "$out" -s "$vmlinux" dump >"$dir/$v.txt" 2>"$dir/$v.err"
		rc=$?
		if [ "$rc" = 0 ] && cmp -s "$ref" "$dir/$v.txt"; then
			ok "$name makedumpfile $v: dump identical to the unfiltered dump's"
		else
			fail "$name makedumpfile $v: dump exit $rc, $(cmp "$ref" "$dir/$v.txt" 2>&1 | head -1) $(head -c 200 "$dir/$v.err")"
		fi
		rm -f "$dir/$v.txt"
		# info names the compression and the dump level's page kinds.
		case $v in
		flat | d1) want=zlib ;;
		*) want=$v ;;
		esac
		# The level as makedumpfile wrote it in kdump_sub_header
		# (after phys_base; a flattened file rearranged first).
		level=$(python3 -c '
import struct, sys
sys.path.insert(0, "tests")
d = __import__("patch-dump").unflatten(open(sys.argv[1], "rb").read())
bs = struct.unpack_from("<i", d, 428)[0]
print(struct.unpack_from("<i", d, bs + 8)[0])' "$out" 2>/dev/null)
		"$PO" -c "$out" -s "$vmlinux" info >"$dir/$v.info" 2>&1
		if [ "$level" = 31 ] && grep -q "^compression: *$want\$" "$dir/$v.info" &&
			grep -q '^dump level: .*level 31: left out zero, cache, private cache, user, free pages$' "$dir/$v.info"; then
			ok "$name makedumpfile $v: info says $want, dump level 31 and what it leaves out"
		else
			fail "$name makedumpfile $v: info: $(grep -E '^(compression|dump level)' "$dir/$v.info" | tr '\n' ';')"
		fi
		case $v in
		lzo | zstd | snappy)
			run_c_test "$name $v: our reader against libkdumpfile" \
				"$BUILD/tests/real/reads_real" "$out" "$vmlinux"
			;;
		esac
		# A page cut short must be judged by our decoder, not handed
		# to libkdumpfile.
		case $v in
		zstd | snappy)
			if python3 tests/transcode-kdump.py $v "$kdump" \
				"$dir/$v-bad.kdump" 613 2>"$dir/$v.err"; then
				run_c_test "$name $v: damaged pages, short reads" \
					"$BUILD/tests/real/reads_real" --damaged \
					"$dir/$v-bad.kdump" "$vmlinux"
			else
				fail "$name $v: could not damage it: $(head -c 200 "$dir/$v.err")"
			fi
			rm -f "$dir/$v-bad.kdump"
			;;
		esac
	done
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
	makedumpfile_variants "$name" "$dir/vmcore-d31.zlib.kdump" "$vmlinux" \
		"$tmp/ref.txt"
	incomplete_tests "$name" "$dir/vmcore-d31.zlib.kdump" "$vmlinux" "$tmp"
	rm -rf "$tmp"
}
