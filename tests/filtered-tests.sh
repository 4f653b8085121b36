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

# split_parts PART...: each part's "START END HELD": its pfn range from
# its kdump_sub_header and the pages its bitmap holds there, read here
# apart from pageowner.
split_parts() {
	python3 -c '
import struct, sys
for path in sys.argv[1:]:
    d = open(path, "rb").read()
    bs, sub, bmb = struct.unpack_from("<iii", d, 428)
    lo, hi = struct.unpack_from("<QQ", d, bs + 80)
    n = bmb * bs // 2
    b2 = d[(1 + sub) * bs + n:(1 + sub) * bs + 2 * n]
    held = sum(b2[p >> 3] >> (p & 7) & 1 for p in range(lo, hi))
    print(lo, hi, held)
' "$@"
}

# makedumpfile_pipeline NAME QEMU_ELF VMLINUX REF DIR FULL PFN: what the kdump
# service writes, made by Debian's makedumpfile from QEMU's unfiltered ELF
# dump through fixtures/mkfixture/makedumpfile-input.py (as make-fixture.sh
# does): -d 31 with --message-level 31, and --split into three files that
# all hold pages.  Each must print REF.  The split dump is opened from its
# parts in any order, and refused, naming what is wrong, without one of
# them, with one twice, or with a file of another dump.
makedumpfile_pipeline() {
	local name=$1 qelf=$2 vmlinux=$3 ref=$4 dir=$5 full=$6 pfn=$7
	local in out rc parts held p
	in=$dir/input.elf
	if [ ! -s "$in" ] || [ "$qelf" -nt "$in" ]; then
		python3 fixtures/mkfixture/makedumpfile-input.py "$qelf" "$in" \
			>/dev/null 2>"$dir/input.err" || {
			fail "$name makedumpfile input: $(head -c 200 "$dir/input.err")"
			return
		}
	fi
	out=$dir/msg31.kdump
	if makedumpfile -c -d 31 --message-level 31 -x "$vmlinux" "$in" \
		"$out" >"$dir/msg31.log" 2>&1 && [ -s "$dir/msg31.log" ] &&
		"$PO" -q -c "$out" -s "$vmlinux" dump 2>&1 | cmp -s - "$ref"; then
		ok "$name makedumpfile -d 31 --message-level 31 of QEMU's ELF: dump identical to the unfiltered dump's"
		filtered_commands "$name --message-level 31" "$vmlinux" \
			"$full" "$pfn" "$dir" -c "$out"
		check_excluded "$name makedumpfile -d 31" "$out" "$vmlinux" \
			"$dir/msg31.log"
	else
		fail "$name makedumpfile --message-level 31: $(tail -c 200 "$dir/msg31.log")"
	fi
	rm -f "$out" "$dir"/split.[123]
	# 4 MiB split blocks: the default (1 GiB) puts a small guest's pages
	# all in the first part.
	if ! makedumpfile --split --splitblock-size 4096 -c -d 1 \
		-x "$vmlinux" "$in" "$dir"/split.1 "$dir"/split.2 \
		"$dir"/split.3 >"$dir/split.log" 2>&1; then
		fail "$name makedumpfile --split: $(tail -c 200 "$dir/split.log")"
		return
	fi
	parts=$(split_parts "$dir"/split.[123])
	held=$(printf '%s\n' "$parts" | awk '$3 > 0' | wc -l)
	if [ "$held" = 3 ]; then
		ok "$name makedumpfile --split: 3 parts, each holding pages ($(printf '%s' "$parts" | awk '{printf "%s ", $3}'))"
	else
		fail "$name makedumpfile --split: parts (start end held): $parts"
	fi
	"$PO" -q -c "$dir"/split.3 -c "$dir"/split.1 -c "$dir"/split.2 \
		-s "$vmlinux" dump >"$dir/split.txt" 2>"$dir/split.err"
	rc=$?
	if [ "$rc" = 0 ] && cmp -s "$ref" "$dir/split.txt"; then
		ok "$name split dump, parts given out of order: dump identical to the unfiltered dump's"
	else
		fail "$name split dump: exit $rc, $(cmp "$ref" "$dir/split.txt" 2>&1 | head -1) $(head -c 300 "$dir/split.err")"
	fi
	# A compression line: our reader takes the set (its decoder's).
	"$PO" -c "$dir"/split.1 -c "$dir"/split.2 -c "$dir"/split.3 \
		-s "$vmlinux" info >"$dir/split.info" 2>&1
	if grep -q '^format: *diskdump (split, 3 files)$' "$dir/split.info" &&
		grep -q '^compression: *zlib$' "$dir/split.info"; then
		ok "$name split dump: info names it split, in 3 files, read by our zlib reader"
	else
		fail "$name split dump: info: $(grep -E '^(format|compression)' "$dir/split.info" | tr '\n' ';')"
	fi
	filtered_commands "$name split dump" "$vmlinux" "$full" "$pfn" "$dir" \
		-c "$dir"/split.2 -c "$dir"/split.1 -c "$dir"/split.3
	run_c_test "$name split dump: our reader against libkdumpfile's" \
		"$BUILD/tests/real/reads_real" \
		"$dir/split.1,$dir/split.2,$dir/split.3" "$vmlinux"
	split_refusals "$name" "$vmlinux" "$parts" "$dir"/split.[123] \
		"$qelf"
	rm -f "$dir"/split.*
}

# split_refusals NAME VMLINUX PARTS P1 P2 P3 OTHER: exit 2 and the message
# that says what is wrong with the set of files, for each wrong set.
split_refusals() {
	local name=$1 vmlinux=$2 parts=$3 p1=$4 p2=$5 p3=$6 other=$7 lo hi
	lo=$(printf '%s\n' "$parts" | sed -n 2p | awk '{printf "0x%x", $1}')
	hi=$(printf '%s\n' "$parts" | sed -n 2p | awk '{printf "0x%x", $2 - 1}')
	refused "$name split dump, one part alone" 'one part of a dump makedumpfile --split wrote (pfns 0x0-' \
		-c "$p1"
	refused "$name split dump, the middle part missing" \
		"none of the files given holds pfns $lo-$hi" -c "$p1" -c "$p3"
	refused "$name split dump, a part given twice" \
		"both hold pfn $lo: the same part given twice" \
		-c "$p1" -c "$p2" -c "$p2" -c "$p3"
	refused "$name split dump, with a file of no split" \
		'not a part of a split dump' -c "$p1" -c "$p2" -c "$p3" -c "$other"
	if PYTHONPATH=$BUILD/python "$(python_for_module)" -c '
import sys, pageowner
v, parts = sys.argv[1], sys.argv[2:]
prog = pageowner.Program(parts[::-1], v)
assert prog.core == parts[0], prog.core
try:
    pageowner.Program(parts[1:2], v)
except pageowner.FormatError as e:
    assert "open it with every part" in str(e), e
else:
    raise SystemExit("one part alone opened")
' "$vmlinux" "$p1" "$p2" "$p3" 2>"$p1.pyerr"; then
		ok "$name split dump in Python: Program() takes the parts' list, and refuses one part"
	else
		fail "$name split dump in Python: $(tail -c 300 "$p1.pyerr")"
	fi
	rm -f "$p1.pyerr"
}

# refused NAME MESSAGE ARGS...: `pageowner ARGS -s "$vmlinux" info` exits
# 2 with MESSAGE on stderr.
refused() {
	local name=$1 want=$2 err rc
	shift 2
	err=$("$PO" "$@" -s "$vmlinux" info 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 2 ] && printf '%s' "$err" | grep -qF "$want"; then
		ok "$name: refused, exit 2: ${err#pageowner: }"
	else
		fail "$name: exit $rc, '$err', wanted '$want'"
	fi
}

# check_excluded NAME CORE VMLINUX LOG: what `info` says of the pages
# the kdump file CORE left out, by their struct pages, agrees with the
# counts makedumpfile's --message-level 31 LOG gives of the run that
# wrote it (tests/check-excluded.py).
check_excluded() {
	local name=$1 core=$2 vmlinux=$3 log=$4 out
	if ! "$PO" -q -c "$core" -s "$vmlinux" info >"$core.info" 2>&1; then
		fail "$name: info: $(tail -c 200 "$core.info")"
	elif out=$(python3 tests/check-excluded.py "$core.info" "$log" 2>&1); then
		ok "$name: info's filtered pages by use agree with makedumpfile's own counts: $out"
	else
		fail "$name: info's filtered pages by use against makedumpfile's log: $out"
	fi
	rm -f "$core.info"
}

# misjudged_tests DIR: makedumpfile 1.7.2 -d 31 of a v7.x kernel (the
# shared 7.2 fixture) leaves out slab tail pages it takes for user data.
# info must name them as kernel pages, in numbers that agree with
# makedumpfile's own log; `dump` must still print what the unfiltered
# dump prints, no record's memcg being in such a page on this fixture.
misjudged_tests() {
	local dir=$1 name="shared/$(basename "$1")" qelf vmlinux tmp ref rc
	if [ ! -f "$dir/vmcore.elf.xz" ] && [ ! -f "$dir/vmcore.elf" ]; then
		skip "$name makedumpfile -d 31: no vmcore.elf"
		return
	fi
	if ! command -v makedumpfile >/dev/null; then
		fail "$name makedumpfile -d 31: makedumpfile is not installed"
		return
	fi
	qelf=$(unpack "$dir/vmcore.elf") && vmlinux=$(unpack "$dir/vmlinux") ||
		{ fail "$name makedumpfile -d 31: cannot unpack the dump"; return; }
	mkdir -p "$CACHE" && tmp=$(mktemp -d -p "$CACHE" misjudged.XXXXXX) ||
		{ fail "$name: no temporary directory"; return; }
	if ! python3 fixtures/mkfixture/makedumpfile-input.py "$qelf" \
		"$tmp/input.elf" >/dev/null 2>"$tmp/err" ||
		! makedumpfile -c -d 31 --message-level 31 -x "$vmlinux" \
			"$tmp/input.elf" "$tmp/d31.kdump" >"$tmp/log" 2>&1; then
		fail "$name makedumpfile -d 31: $(tail -c 200 "$tmp/err" "$tmp/log")"
		rm -rf "$tmp"
		return
	fi
	rm -f "$tmp/input.elf"
	check_excluded "$name makedumpfile -d 31" "$tmp/d31.kdump" \
		"$vmlinux" "$tmp/log"
	ref="$CACHE/dump/${name//\//-}.txt"
	"$PO" -q -c "$tmp/d31.kdump" -s "$vmlinux" dump >"$tmp/dump" 2>"$tmp/err"
	rc=$?
	if [ ! -f "$ref" ]; then
		fail "$name makedumpfile -d 31: no $ref (the unfiltered dump's)"
	elif [ "$rc" = 0 ] && cmp -s "$ref" "$tmp/dump"; then
		ok "$name makedumpfile -d 31: dump identical to the unfiltered dump's"
	else
		fail "$name makedumpfile -d 31: dump exit $rc, $(cmp "$ref" "$tmp/dump" 2>&1 | head -1) $(head -c 200 "$tmp/err")"
	fi
	[ -f "$ref" ] && memcg_left_out "$name" "$tmp/d31.kdump" "$vmlinux" \
		"$ref" "$tmp"
	rm -rf "$tmp"
}

# memcg_lines_lost REF OUT ERR: prints N when OUT is REF less N lines,
# each a "Charged" line, and stderr ERR says N records lost their memcg
# line, all N because the memcg is in a page filtered out of the dump.
memcg_lines_lost() {
	local ref=$1 out=$2 err=$3 n
	n=$(sed -n 's/^pageowner: \([0-9]*\) of them in pages filtered out of the dump.*/\1/p' "$err")
	[ -n "$n" ] && grep -qx "pageowner: $n records have a memcg the dump cannot follow (memcg line left out)" "$err" ||
		return 1
	diff "$ref" "$out" | grep '^[<>]' >"$out.lost"
	[ "$(wc -l <"$out.lost")" = "$n" ] &&
		[ "$(grep -c '^< Charged ' "$out.lost")" = "$n" ] && echo "$n"
	rm -f "$out.lost"
}

# memcg_left_out NAME CORE VMLINUX REF TMP: CORE less the page of
# root_mem_cgroup, as a filter that misjudged it would leave it: `dump`
# prints REF less each record's "Charged" line, and says on stderr how
# many it left out and that their memcg is in a filtered page.
memcg_left_out() {
	local name=$1 core=$2 vmlinux=$3 ref=$4 tmp=$5 addr pfn n rc
	addr=$("$PO" -q -c "$core" -s "$vmlinux" print -x root_mem_cgroup |
		sed -n 's/.*) \(0x[0-9a-f]*\)$/\1/p')
	pfn=$("$PO" -q -c "$core" -s "$vmlinux" lookup "$addr" 2>/dev/null |
		sed -n 's/^virtual address .*, pfn \(0x[0-9a-f]*\)$/\1/p')
	n=$(grep -c '^Charged ' "$ref")
	if [ -z "$pfn" ] || [ "$n" = 0 ] ||
		! python3 tests/filter-dump.py "$core" "$tmp/memcg.kdump" \
			"$pfn" >/dev/null 2>"$tmp/err"; then
		fail "$name, root_mem_cgroup's page left out: pfn '$pfn' of '$addr', $n Charged lines: $(head -c 200 "$tmp/err")"
		return
	fi
	"$PO" -q -c "$tmp/memcg.kdump" -s "$vmlinux" dump >"$tmp/dump" \
		2>"$tmp/err"
	rc=$?
	if [ "$rc" = 0 ] && [ "$(memcg_lines_lost "$ref" "$tmp/dump" \
		"$tmp/err")" = "$n" ]; then
		ok "$name, root_mem_cgroup's page ($pfn) left out: dump prints every record but its Charged line, and says why for all $n"
	else
		fail "$name, root_mem_cgroup's page ($pfn) left out: exit $rc, $(grep -v '^Charged ' "$ref" | cmp - "$tmp/dump" 2>&1 | head -1), stderr: $(head -c 300 "$tmp/err")"
	fi
}

# pipeline_dumps NAME DIR: the dumps make-fixture.sh had makedumpfile
# write into DIR/makedumpfile/ from the fixture's own moment.  Each,
# the split one from its three files, must `dump` what the fixture's
# unfiltered dump prints (real_dump_tests left it in the cache; its
# fidelity to the captures is checked there), print the same `stacks`,
# and run info, report in every format, lookup and diff (against the
# unfiltered dump, through a JSON report for the split one), exit 0,
# diff showing no change.
pipeline_dumps() {
	local name=$1 dir=$2 d=$2/makedumpfile vmlinux ref full v core rc pfn lost
	vmlinux=$(unpack "$dir/vmlinux") || { fail "$name: no vmlinux"; return; }
	full=$(unpack "$dir/vmcore.kdump") || { fail "$name: no vmcore.kdump"; return; }
	ref="$CACHE/dump/${name//\//-}.txt"
	pfn=$(sed -n 's/^PFN \(0x[0-9a-f]*\|[0-9]*\) .*/\1/p' "$ref" | sed -n 100p)
	"$PO" -q -c "$full" -s "$vmlinux" stacks >"$d.stacks" 2>/dev/null
	for v in d31.zlib.kdump d31.lzo.kdump d31.flat d1.kdump d31-E.elf split; do
		if [ "$v" = split ]; then
			core=(-c "$d/split.2" -c "$d/split.3" -c "$d/split.1")
		else
			core=(-c "$d/$v")
		fi
		"$PO" -q "${core[@]}" -s "$vmlinux" dump >"$d.txt" 2>"$d.err"
		rc=$?
		if [ "$rc" = 0 ] && cmp -s "$ref" "$d.txt"; then
			ok "$name makedumpfile $v: dump identical to the unfiltered dump's"
		elif [ "$rc" = 0 ] && lost=$(memcg_lines_lost "$ref" "$d.txt" "$d.err") &&
			"$PO" -q "${core[@]}" -s "$vmlinux" info 2>/dev/null |
			grep -q '^  kernel pages: '; then
			# makedumpfile 1.7.2 on v7.x: see misjudged_tests.
			ok "$name makedumpfile $v: dump identical to the unfiltered dump's but for $lost Charged lines, whose memcg is in a kernel page makedumpfile left out (info says which)"
		else
			fail "$name makedumpfile $v: dump exit $rc, $(cmp "$ref" "$d.txt" 2>&1 | head -1) $(head -c 200 "$d.err")"
		fi
		[ "$v" = d31.zlib.kdump ] && check_excluded \
			"$name makedumpfile $v" "$d/$v" "$vmlinux" "$d/d31.zlib.log"
		if "$PO" -q "${core[@]}" -s "$vmlinux" stacks 2>"$d.err" |
			cmp -s - "$d.stacks"; then
			ok "$name makedumpfile $v: stacks identical to the unfiltered dump's"
		else
			fail "$name makedumpfile $v: stacks: $(head -c 200 "$d.err")"
		fi
		pipeline_commands "$name makedumpfile $v" "$vmlinux" "$full" \
			"$pfn" "$d" "${core[@]}"
	done
	rm -f "$d.txt" "$d.err" "$d.stacks" "$d.json"
}

# filtered_commands NAME VMLINUX FULL PFN TMP CORE...: `stacks` prints
# TMP/ref.stacks, what the unfiltered FULL prints; then
# pipeline_commands.
filtered_commands() {
	local name=$1 vmlinux=$2 full=$3 pfn=$4 tmp=$5
	shift 5
	if "$PO" -q "$@" -s "$vmlinux" stacks 2>"$tmp/cmd.err" |
		cmp -s - "$tmp/ref.stacks"; then
		ok "$name: stacks identical to the unfiltered dump's"
	else
		fail "$name: stacks: $(head -c 200 "$tmp/cmd.err")"
	fi
	pipeline_commands "$name" "$vmlinux" "$full" "$pfn" "$tmp/cmd" "$@"
}

# pipeline_commands NAME VMLINUX FULL PFN TMP CORE...: info, report in
# each format, lookup PFN, and diff against FULL, each exit 0.
pipeline_commands() {
	local name=$1 vmlinux=$2 full=$3 pfn=$4 tmp=$5 f bad= out
	shift 5
	"$PO" -q "$@" -s "$vmlinux" info >/dev/null 2>&1 || bad="$bad info"
	for f in text json jsonl csv html folded; do
		"$PO" -q "$@" -s "$vmlinux" report --format $f >/dev/null 2>&1 ||
			bad="$bad report-$f"
	done
	"$PO" -q "$@" -s "$vmlinux" lookup "pfn:$pfn" >/dev/null 2>&1 ||
		bad="$bad lookup"
	"$PO" -q "$@" -s "$vmlinux" report --format json >"$tmp.json" 2>/dev/null
	out=$("$PO" -q -c "$full" -s "$vmlinux" diff "$full" "$tmp.json" 2>&1) ||
		bad="$bad diff"
	printf '%s\n' "$out" | grep -q '^change: +0 pages (+0 B); stacks: 0 gained (0 new), 0 lost (0 gone)' ||
		bad="$bad diff-output"
	if [ -z "$bad" ]; then
		ok "$name: info, report (6 formats), lookup $pfn and diff against the unfiltered dump exit 0; diff: +0 pages, 0 stacks gained or lost"
	else
		fail "$name: failed:$bad; diff said: $(printf '%s' "$out" | head -c 200)"
	fi
}

filtered_tests() {
	local dir=$1 name="shared/$(basename "$1")" full vmlinux elf tmp n qelf pfn
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
	"$PO" -q -c "$full" -s "$vmlinux" stacks >"$tmp/ref.stacks" 2>/dev/null
	pfn=$(sed -n 's/^PFN \(0x[0-9a-f]*\|[0-9]*\) .*/\1/p' "$tmp/ref.txt" | sed -n 100p)
	for f in "$dir/vmcore-d31.zlib.kdump" "$elf"; do
		filtered_commands "$name $(basename "$f")" "$vmlinux" "$full" \
			"$pfn" "$tmp" -c "$f"
	done
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
	if qelf=$(unpack "$dir/../linux-6.12/vmcore.elf"); then
		makedumpfile_pipeline "$name" "$qelf" "$vmlinux" "$tmp/ref.txt" \
			"$tmp" "$full" "$pfn"
	else
		fail "$name: no ../linux-6.12/vmcore.elf for makedumpfile's input"
	fi
	rm -rf "$tmp"
}
