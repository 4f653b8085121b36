# SPDX-License-Identifier: GPL-3.0-or-later
# Real-dump tests, sourced by tests/run-tests.sh: real_dump_tests NAME DIR.
# Every expectation comes from outside pageowner: VMCOREINFO as stored in
# the file, and the kernel's own captured page_owner/show_stacks text.

build_id() {
	readelf -n "$1" 2>/dev/null | sed -n 's/.*Build ID: //p'
}

# vmcoreinfo_value FILE KEY: KEY's value as the raw dump file stores it.
vmcoreinfo_value() {
	grep -a -m1 -o "$2=[^[:space:]]*" "$1" | head -1 | cut -d= -f2
}

# special_stack CAPTURE NAME: the frames of the first record whose stack
# starts with register_NAME_stack, as the kernel printed them.
special_stack() {
	awk -v fn=" register_$2_stack+" '
		/^ / { if (n == 0 && index($0, fn) == 1) grab = 1
		       if (grab) print; n++; next }
		{ if (grab) exit; n = 0 }' "$1"
}

check_info() {
	local name=$1 core=$2 vmlinux=$3 capture=$4 out want got kind h
	if ! out=$("$PO" -c "$core" -s "$vmlinux" info 2>&1); then
		fail "$name info: $out"
		return
	fi
	want=$(vmcoreinfo_value "$core" OSRELEASE)
	got=$(printf '%s\n' "$out" | sed -n 's/^release: *//p')
	[ -n "$want" ] && [ "$got" = "$want" ] && ok "$name release $got" ||
		fail "$name release: got '$got', VMCOREINFO says '$want'"
	want=$(vmcoreinfo_value "$core" KERNELOFFSET)
	got=$(printf '%s\n' "$out" | sed -n 's/^KASLR offset: *0x//p')
	[ -n "$want" ] && [ "$got" = "$want" ] && ok "$name KASLR 0x$got" ||
		fail "$name KASLR: got '$got', VMCOREINFO says '$want'"
	for kind in dummy failure early; do
		h=$(printf '%s\n' "$out" | sed -n "s/^${kind}_handle: *\([0-9]*\) .*/\1/p")
		want=$(special_stack "$capture" "$kind")
		got=$("$PO" -c "$core" -s "$vmlinux" handle "$h" 2>&1 | grep '^ [^ ]')
		if [ -z "$want" ]; then
			skip "$name ${kind}_handle: the capture has no register_${kind}_stack record to check against"
		elif [ -n "$h" ] && [ "$got" = "$want" ]; then
			ok "$name ${kind}_handle $h decodes to the captured register_${kind}_stack stack"
		else
			fail "$name ${kind}_handle '$h': decoded '$got', captured '$want'"
		fi
	done
	# depot: the summary's live records are the records it lists.
	want=$("$PO" -c "$core" -s "$vmlinux" depot 2>&1 |
		sed -n 's/^records: *\([0-9]*\) live.*/\1/p')
	got=$("$PO" -c "$core" -s "$vmlinux" depot --records 2>&1 |
		grep -c '^record 0x')
	if [ -n "$want" ] && [ "$want" -gt 0 ] && [ "$got" = "$want" ]; then
		ok "$name depot: $got records, as its summary counts"
	else
		fail "$name depot: summary '$want' live records, --records lists $got"
	fi
	# Its top stacks are the five that hold most pages by `stacks`.
	if got=$(python3 -c '
import re, sys
depot, handles = open(sys.argv[1]).read(), open(sys.argv[2]).read()
top = [(h, int(n)) for h, n in
       re.findall(r"^handle (0x[0-9a-f]+), (\d+) pages?, ", depot, re.M)]
counts = {int(h) & 0xffffffff: int(n) for h, n in
          re.findall(r"^handle: (-?\d+)\nnr_base_pages: (\d+)$", handles, re.M)}
want = sorted(counts.values(), reverse=True)[:5]
assert [n for _, n in top] == want, (top, want)
assert all(counts[int(h, 16)] == n for h, n in top), top
print(", ".join(str(n) for _, n in top))
' <("$PO" -q -c "$core" -s "$vmlinux" depot 2>&1) \
		<("$PO" -q -c "$core" -s "$vmlinux" stacks --show handles 2>&1) 2>&1); then
		ok "$name depot: its top stacks hold the most pages, as stacks --show handles counts them ($got)"
	else
		fail "$name depot: top stacks: $(printf '%s' "$got" | tail -c 300)"
	fi
}

# expect_error NAME WANT_SUBSTRING ARGS...: exit 2, one line naming the cause.
expect_error() {
	local name=$1 want=$2 out rc
	shift 2
	out=$("$PO" "$@" info 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
		printf '%s' "$out" | grep -q -- "$want"; then
		ok "$name -> $out"
	else
		fail "$name: exit $rc, output: $out"
	fi
}

# clear_read_error RC ERRFILE: exit 2 and one line naming the address
# that could not be read: a damaged page the setup itself needed.
clear_read_error() {
	[ "$1" = 2 ] && [ "$(wc -l <"$2")" = 1 ] &&
		grep -q "cannot read .* address 0x" "$2"
}

# damaged_report NAME CORE VMLINUX TMP MODE [KIND]: `report` on a copy of
# the kdump dump made by patch-dump.py MODE must finish and count pages it
# could not read, or stop at once naming the address.  bad-data damages
# one page in 61, KIND 1 only the adler32 trailer, which only the checksum
# catches, KIND 4 descriptors past a page; bad-tables the page table that
# maps the first struct pages.
damaged_report() {
	local name=$1 core=$2 vmlinux=$3 tmp=$4 mode=$5 kind=${6:-} out rc
	local skipped what="damaged pages${kind:+ (kind $kind)}"
	[ "$mode" = bad-tables ] && what="damaged page table (kind $kind)"
	if ! python3 tests/patch-dump.py "$mode" "$core" "$tmp/damaged" \
		$kind 2>"$tmp/damaged.err"; then
		fail "$name: could not make a dump with $what: $(cat "$tmp/damaged.err")"
		return 1
	fi
	out=$("$PO" -c "$tmp/damaged" -s "$vmlinux" report --format json \
		2>"$tmp/damaged.err")
	rc=$?
	skipped=$(printf '%s' "$out" | python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]["skipped"]
print(s["page_unreadable"] + s["ext_unreadable"])' 2>/dev/null)
	if [ "$rc" = 0 ] && [ "${skipped:-0}" -gt 0 ]; then
		ok "$name $what: report counts $skipped unreadable"
	elif clear_read_error "$rc" "$tmp/damaged.err"; then
		ok "$name $what: report stops: $(cat "$tmp/damaged.err")"
	else
		fail "$name $what: report exit $rc, ${skipped:-no} unreadable: $(head -c 300 "$tmp/damaged.err")"
	fi
}

# damaged_pages NAME CORE VMLINUX TMP: our diskdump reader must judge
# damaged pages itself, in bulk and in short reads and in page-table
# walks, never hand them to libkdumpfile (which can crash on them), and
# not take a page whose checksum is wrong.
damaged_pages() {
	local name=$1 core=$2 vmlinux=$3 tmp=$4 rc
	damaged_report "$name" "$core" "$vmlinux" "$tmp" bad-data 1
	damaged_report "$name" "$core" "$vmlinux" "$tmp" bad-data || return
	"$PO" -c "$tmp/damaged" -s "$vmlinux" dump >/dev/null \
		2>"$tmp/damaged.err"
	rc=$?
	if [ "$rc" -le 1 ] && grep -q "^pageowner: skipped .* pages" "$tmp/damaged.err"; then
		ok "$name damaged pages: dump exit $rc, $(head -1 "$tmp/damaged.err")"
	elif clear_read_error "$rc" "$tmp/damaged.err"; then
		ok "$name damaged pages: dump stops: $(cat "$tmp/damaged.err")"
	else
		fail "$name damaged pages: dump exit $rc: $(head -c 300 "$tmp/damaged.err")"
	fi
	run_c_test "$name damaged pages, short reads" "$BUILD/tests/real/reads_real" \
		--damaged "$tmp/damaged" "$vmlinux"
	damaged_report "$name" "$core" "$vmlinux" "$tmp" bad-data 4 &&
		run_c_test "$name descriptors past a page, short reads" \
			"$BUILD/tests/real/reads_real" --damaged "$tmp/damaged" \
			"$vmlinux"
	# Page tables are read through our reader too (libaddrxlat's reads
	# of 8 bytes): a damaged one must be judged by it.  patch-dump.py
	# finds them the x86_64 way.
	if ! grep -a -q -m1 'SYMBOL(init_top_pgt)=' "$core"; then
		skip "$name damaged page tables: patch-dump.py bad-tables finds x86_64 page tables only"
		rm -f "$tmp/damaged" "$tmp/damaged.err"
		return
	fi
	for kind in 0 4; do
		damaged_report "$name" "$core" "$vmlinux" "$tmp" bad-tables \
			$kind || continue
		run_c_test "$name damaged page table (kind $kind), short reads" \
			"$BUILD/tests/real/reads_real" --damaged "$tmp/damaged" \
			"$vmlinux"
	done
	rm -f "$tmp/damaged" "$tmp/damaged.err"
}

bad_input_tests() {
	local name=$1 core=$2 vmlinux=$3 other=$4 elf=$5 tmp cut
	tmp="$CACHE/bad-input"
	mkdir -p "$tmp"
	expect_error "$name missing dump" "$tmp/nonexistent: No such file" \
		-c "$tmp/nonexistent" -s "$vmlinux"
	expect_error "$name non-dump file" "$vmlinux: not a recognised dump" \
		-c "$vmlinux" -s "$vmlinux"
	# A compressed copy of the dump (the first MiB is enough to tell),
	# as vmcores are copied around: refused, saying how to decompress.
	head -c 1048576 "$core" | xz -1 -c >"$tmp/core.xz"
	head -c 1048576 "$core" | gzip -1 -c >"$tmp/core.gz"
	expect_error "$name xz-compressed dump" \
		"$tmp/core.xz: xz-compressed, not a dump: decompress it first (xz -d)" \
		-c "$tmp/core.xz" -s "$vmlinux"
	expect_error "$name gzip-compressed dump" \
		"$tmp/core.gz: gzip-compressed, not a dump: decompress it first (gunzip)" \
		-c "$tmp/core.gz" -s "$vmlinux"
	rm -f "$tmp/core.xz" "$tmp/core.gz"
	if [ "$(head -c 4 "$core" | od -An -tx1 | tr -d ' ')" != 7f454c46 ]; then
		bad_kdump_tests "$name" "$core" "$vmlinux" "$tmp"
	else
		skip "$name damaged kdump files: the fixture has no kdump file"
		elf=$core
	fi
	if [ -n "$elf" ]; then
		for cut in 100 5000 $((64 << 20)); do
			head -c "$cut" "$elf" >"$tmp/truncated"
			expect_error "$name ELF dump cut at byte $cut" \
				"$tmp/truncated: \(truncated\|too short\)" \
				-c "$tmp/truncated" -s "$vmlinux"
		done
		rm -f "$tmp/truncated"
	fi
	bad_vmlinux_tests "$name" "$core" "$vmlinux" "$other" "$tmp"
}

# bad_kdump_tests NAME KDUMP VMLINUX TMP: cut, patched and damaged copies
# of a kdump file.
bad_kdump_tests() {
	local name=$1 core=$2 vmlinux=$3 tmp=$4 size cut
	# Cut inside the header, the bitmaps or notes, the middle of the
	# data, and one byte short: each names what is missing.
	size=$(stat -c %s "$core")
	for cut in 100 5000 100000 $((size / 2)) $((size - 1)); do
		head -c "$cut" "$core" >"$tmp/truncated"
		expect_error "$name dump cut at byte $cut" \
			"$tmp/truncated: truncated" -c "$tmp/truncated" -s "$vmlinux"
	done
	rm -f "$tmp/truncated"
	if python3 tests/patch-dump.py no-vmcoreinfo "$core" "$tmp/novmci" 2>/dev/null; then
		expect_error "$name dump without VMCOREINFO" "no VMCOREINFO" \
			-c "$tmp/novmci" -s "$vmlinux"
	else
		fail "$name: could not make a dump without VMCOREINFO"
	fi
	if python3 tests/patch-dump.py extra-page "$core" "$tmp/extra" 2>/dev/null; then
		expect_error "$name bitmap claims a page it lacks" \
			"the page bitmap claims" -c "$tmp/extra" -s "$vmlinux"
	else
		fail "$name: could not make a dump whose bitmap claims an extra page"
	fi
	rm -f "$tmp/extra"
	damaged_pages "$name" "$core" "$vmlinux" "$tmp"
}

# bad_vmlinux_tests NAME CORE VMLINUX OTHER TMP: vmlinux without debug
# info, of another build, and an expression that nests too deep.
bad_vmlinux_tests() {
	local name=$1 core=$2 vmlinux=$3 other=$4 tmp=$5 out rc
	# Found by fuzz_expr: a failed type name was freed uninitialised.
	out=$("$PO" -c "$core" -s "$vmlinux" ptype \
		"(char$(printf '%.0s*' $(seq 84)))+0" 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
		printf '%s' "$out" | grep -q "nests too deep"; then
		ok "$name ptype of an 84-deep pointer -> $out"
	else
		fail "$name ptype of an 84-deep pointer: exit $rc, $out"
	fi
	if [ ! -f "$tmp/$name-nodebug" ] || [ "$vmlinux" -nt "$tmp/$name-nodebug" ]; then
		mkdir -p "$(dirname "$tmp/$name-nodebug")"
		python3 tests/patch-dump.py no-debug "$vmlinux" "$tmp/$name-nodebug"
	fi
	expect_error "$name vmlinux without debug info" "no DWARF debug info" \
		-c "$core" -s "$tmp/$name-nodebug"
	if [ -n "$other" ]; then
		expect_error "$name mismatched vmlinux" "does not match" \
			-c "$core" -s "$other"
	else
		skip "$name mismatched vmlinux: no second fixture's vmlinux"
	fi
}

# Without -s, vmlinux is found by build-id under the debug root, or next to
# the dump.
search_tests() {
	local name=$1 core=$2 vmlinux=$3 other=$4 tmp id out
	tmp="$CACHE/search/$name"
	rm -rf "$tmp" && mkdir -p "$tmp/next" "$tmp/root" "$tmp/alone"
	ln -s "$(realpath "$core")" "$tmp/next/vmcore"
	ln -s "$(realpath "$vmlinux")" "$tmp/next/vmlinux"
	out=$("$PO" -c "$tmp/next/vmcore" info 2>&1 | sed -n 's/^vmlinux: *//p')
	case "$out" in
	"$tmp/next/vmlinux "*) ok "$name finds vmlinux next to the dump" ;;
	*) fail "$name vmlinux next to the dump: got '$out'" ;;
	esac
	id=$(build_id "$vmlinux")
	mkdir -p "$tmp/root/usr/lib/debug/.build-id/${id:0:2}"
	ln -s "$(realpath "$vmlinux")" \
		"$tmp/root/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
	ln -s "$(realpath "$core")" "$tmp/alone/vmcore"
	out=$(PAGEOWNER_SYSROOT="$tmp/root" "$PO" -c "$tmp/alone/vmcore" info 2>&1 |
		sed -n 's/^vmlinux: *//p')
	case "$out" in
	"$tmp/root/usr/lib/debug/.build-id/"*) ok "$name finds vmlinux by build-id" ;;
	*) fail "$name vmlinux by build-id: got '$out'" ;;
	esac
	# A kernel with BTF is then read without vmlinux (check_no_vmlinux).
	if readelf -S "$vmlinux" 2>/dev/null | grep -q ' \.BTF '; then
		out=$("$PO" -c "$tmp/alone/vmcore" info 2>&1 | sed -n 's/^types: *//p')
		case "$out" in
		"BTF in the dump"*) ok "$name no vmlinux anywhere: read with the dump's BTF" ;;
		*) fail "$name no vmlinux anywhere: no fallback to the dump's BTF: '$out'" ;;
		esac
	else
		expect_error "$name no vmlinux anywhere" \
			"no vmlinux found for release .*; and .*: .*no.* \(BTF\|SYMBOL(kallsyms_names)\)" \
			-c "$tmp/alone/vmcore"
	fi
	identity_tests "$name" "$core" "$vmlinux" "$other" "$tmp"
}

# identity_tests NAME CORE VMLINUX OTHER TMP: a stale vmlinux found next to
# the dump is refused by name (it once aborted with a double free), from
# the CLI and from Python; a dump whose BUILD-ID has the stable-backport
# form opens with its own vmlinux and says so.
identity_tests() {
	local name=$1 core=$2 vmlinux=$3 other=$4 tmp=$5 out rc py
	py="$(python_for_module)"
	if [ -n "$other" ]; then
		mkdir -p "$tmp/stale"
		ln -sf "$(realpath "$core")" "$tmp/stale/vmcore"
		ln -sf "$(realpath "$other")" "$tmp/stale/vmlinux"
		expect_error "$name stale vmlinux next to the dump" \
			"no matching vmlinux .*rejected $tmp/stale/vmlinux does not match" \
			-c "$tmp/stale/vmcore"
		out=$(PYTHONPATH="$BUILD/python" "$py" -c '
import sys, pageowner
try:
    pageowner.open(sys.argv[1])
except pageowner.MismatchError as e:
    print("MismatchError:", e)' "$tmp/stale/vmcore" 2>&1)
		rc=$?
		case "$rc:$out" in
		"0:MismatchError: "*"rejected $tmp/stale/vmlinux"*)
			ok "$name Python: stale vmlinux refused by name" ;;
		*) fail "$name Python, stale vmlinux: exit $rc, $out" ;;
		esac
		out=$(timeout 120 "$PO" --ignore-mismatch -c "$core" -s "$other" info 2>&1)
		rc=$?
		case "$rc:$out" in
		[012]":pageowner: warning: identity check overridden: $other does not match"*)
			ok "$name --ignore-mismatch reads on with a warning (exit $rc)" ;;
		*) fail "$name --ignore-mismatch: exit $rc, $(printf '%s' "$out" | head -c 300)" ;;
		esac
	else
		skip "$name stale vmlinux: no second fixture's vmlinux"
	fi
	if [ "$(stat -c %s "$core")" -gt $((64 << 20)) ]; then
		skip "$name stable-backport BUILD-ID: a copy of this dump is too big; the smaller fixtures check it"
		return
	fi
	if ! python3 tests/patch-dump.py broken-build-id "$core" \
		"$tmp/broken-id" 2>"$tmp/broken-id.err"; then
		fail "$name: could not write the broken BUILD-ID: $(cat "$tmp/broken-id.err")"
		return
	fi
	out=$("$PO" -c "$tmp/broken-id" -s "$vmlinux" info 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && printf '%s\n' "$out" |
		grep -q '^identity: *the dump.s BUILD-ID is the broken form'; then
		ok "$name stable-backport BUILD-ID: opens, and info says so"
	else
		fail "$name stable-backport BUILD-ID: exit $rc, $(printf '%s' "$out" | head -c 300)"
	fi
	out=$(PYTHONPATH="$BUILD/python" "$py" -c '
import sys, pageowner
print(pageowner.open(sys.argv[1], vmlinux=sys.argv[2]).identity_note)' \
		"$tmp/broken-id" "$vmlinux" 2>&1)
	case "$out" in
	"the dump's BUILD-ID is the broken form"*)
		ok "$name Python: stable-backport BUILD-ID noted" ;;
	*) fail "$name Python, stable-backport BUILD-ID: $out" ;;
	esac
	rm -f "$tmp/broken-id"
}

# no_vmlinux_same NAME CORE VMLINUX COMMAND...: the command without
# vmlinux (types from the dump's BTF, symbols from its kallsyms) prints
# what it prints with vmlinux, byte for byte, with the same exit status.
# JSON names the vmlinux it read, null without: that field is set to null
# in the run with vmlinux before the comparison, and nothing else.
no_vmlinux_same() {
	local name=$1 core=$2 vmlinux=$3 out rc want
	shift 3
	out="$CACHE/dump/${name//\//-}-nv"
	"$PO" -q -c "$core" -s "$vmlinux" "$@" >"$out.want" 2>&1
	rc=$?
	"$PO" -q --no-vmlinux -c "$core" "$@" >"$out.got" 2>&1
	want="$rc:$?"
	sed -i "s|\"vmlinux\":\"$vmlinux\"|\"vmlinux\":null|" "$out.want"
	if [ "${want%%:*}" != "${want##*:}" ]; then
		fail "$name without vmlinux, $*: exit ${want##*:}, with vmlinux $rc: $(head -c 300 "$out.got")"
	elif [ ! -s "$out.want" ]; then
		fail "$name without vmlinux, $*: the run with vmlinux printed nothing"
	elif cmp -s "$out.want" "$out.got"; then
		ok "$name without vmlinux, $*: as with vmlinux ($(wc -l <"$out.got") lines, exit $rc)"
	else
		diff "$out.want" "$out.got" | head -6 | cut -c1-200 | sed 's/^/  /'
		fail "$name without vmlinux, $*: differs from the run with vmlinux"
	fi
	rm -f "$out.want" "$out.got"
}

# check_no_vmlinux NAME CORE VMLINUX: a kernel with BTF reads as well
# without vmlinux as with it; one without BTF is refused, saying what was
# looked for.
check_no_vmlinux() {
	local name=$1 core=$2 vmlinux=$3 out rc cmd pfn h
	if ! readelf -S "$vmlinux" 2>/dev/null | grep -q ' \.BTF '; then
		expect_error "$name --no-vmlinux without BTF" \
			"$core: .*no.* \(BTF\|SYMBOL(kallsyms_names)\)" \
			--no-vmlinux -c "$core"
		return
	fi
	out=$("$PO" --no-vmlinux -c "$core" info 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '^vmlinux: *none$' &&
		printf '%s\n' "$out" | grep -q '^types: *BTF in the dump, [0-9.]* MiB, [0-9,]* types$'; then
		ok "$name --no-vmlinux info: $(printf '%s\n' "$out" | sed -n 's/^types: *//p')"
	else
		fail "$name --no-vmlinux info: exit $rc, $(printf '%s' "$out" | head -c 300)"
	fi
	# Everything else info says is the same.
	if [ "$(printf '%s\n' "$out" | grep -v '^\(vmlinux\|types\|symbols\|walk-typed\):')" = \
		"$("$PO" -c "$core" -s "$vmlinux" info 2>&1 | grep -v '^vmlinux:')" ]; then
		ok "$name --no-vmlinux info: the rest as with vmlinux"
	else
		fail "$name --no-vmlinux info differs from the run with vmlinux beyond its sources"
	fi
	# Python: every page owner, each field and frame, as with vmlinux.
	out=$(PYTHONPATH="$BUILD/python" timeout 600 "$(python_for_module)" -c '
import sys, pageowner
def owners(prog):
    return [(po.pfn, po.order, po.handle, po.pid, po.tgid, po.comm,
             po.gfp_mask, po.ts_nsec, po.free_handle, po.free_ts_nsec,
             [repr(f) for f in po.stack or []]) for po in prog.page_owners()]
bare = pageowner.open(sys.argv[1], no_vmlinux=True)
full = pageowner.open(sys.argv[1], vmlinux=sys.argv[2])
a, b = owners(full), owners(bare)
print(bare.vmlinux is None and len(a) > 0 and a == b, len(a))' \
		"$core" "$vmlinux" 2>&1)
	case "$out" in
	"True "*) ok "$name Python, no_vmlinux=True: ${out#True } page owners as with vmlinux" ;;
	*) fail "$name Python, no_vmlinux=True: $(printf '%s' "$out" | tail -3)" ;;
	esac
	pfn=$("$PO" -q -c "$core" -s "$vmlinux" dump 2>/dev/null |
		sed -n 's/^PFN \(0x[0-9a-f]*\|[0-9]*\) .*/\1/p' | sed -n '100p')
	h=$("$PO" -q -c "$core" -s "$vmlinux" stacks --show handles 2>/dev/null |
		awk '$1 == "handle:" { print $2; exit }')
	for cmd in "dump" "dump --free" "stacks" "stacks --show handles" \
		"stacks --show stacks_handles" "report" "report --format json" \
		"report --format jsonl" "report --format csv" \
		"report --format folded" "report --format html" \
		"report --group comm,module --format text" \
		"report --all --group use,cache,file,fs,task --format json" \
		"report --all --group node,zone,use --format csv" \
		"lookup pfn:${pfn:-0x1000} pfn:0x1000" "handle 1 ${h:-1}" \
		"depot" "depot --records" \
		"ptype struct page_owner" "ptype struct stack_record" \
		"ptype union handle_parts" "ptype struct page_ext" \
		"ptype struct page_ext_operations" "ptype struct page" \
		"ptype struct mem_section" "ptype struct module" \
		"ptype struct kmem_cache" "ptype struct folio" \
		"ptype enum page_ext_flags" "ptype depot_stack_handle_t" \
		"print page_owner_ops" "print *stack_pools" "print max_pfn" \
		"whatis stack_pools" "sym start_kernel"; do
		# shellcheck disable=SC2086 # each command is words
		no_vmlinux_same "$name" "$core" "$vmlinux" $cmd
	done
}

# check_dump NAME CORE ELF VMLINUX BEFORE AFTER: `pageowner dump` against
# the kernel's captures (every stable record identical, bar a page flag set
# only at dump time), the same text from the ELF dump, and the special
# handle counts.
check_dump() {
	local name=$1 core=$2 elf=$3 vmlinux=$4 before=$5 after=$6 out bit ws sf rc
	mkdir -p "$CACHE/dump"
	out="$CACHE/dump/${name//\//-}"
	"$PO" -c "$core" -s "$vmlinux" dump >"$out.txt" 2>"$out.err"
	rc=$?
	if [ "$rc" != 0 ]; then
		fail "$name dump: exit $rc ($(head -c 300 "$out.err"))"
		return
	fi
	if ! "$PO" -c "$core" -s "$vmlinux" dump --annotate >"$out.ann" 2>&1; then
		fail "$name dump --annotate"
		return
	fi
	# Flags that can be set at the dump and clear in both captures:
	# PG_anon_exclusive; and one that can differ either way: on slab pages
	# PG_workingset, which SLUB (v6.8+) sets while the slab is on the node
	# partial list, and clears while it is a CPU slab or full.
	bit=$("$BUILD/tests/real/enumval" "$vmlinux" PG_anon_exclusive) || bit=-1
	ws=$("$BUILD/tests/real/enumval" "$vmlinux" PG_workingset) || ws=-1
	# SLOB's PG_slob_free (PG_private, until SLOB went in v6.4): set while
	# a slob page is on a free list, cleared once it is full.
	sf=$("$BUILD/tests/real/enumval" "$vmlinux" PG_slob_free 2>/dev/null) ||
		sf=-1
	# v6.12's PGTY_buddy = 0xf0 (include/linux/page-flags.h), written as a
	# DW_FORM_data1 that must be zero-extended: read as -16, PageBuddy()
	# never held and the walk judged every free page.
	if pg=$("$BUILD/tests/real/enumval" "$vmlinux" PGTY_buddy 2>/dev/null); then
		if [ "$pg" = 240 ]; then
			ok "$name PGTY_buddy reads as 0xf0"
		else
			fail "$name PGTY_buddy reads as $pg, not 240"
		fi
	fi
	# Without pid and ts (before v5.11) "stable" needs the dump's word
	# that a page is not free now: free-at-dump.py reads the buddy and
	# per-CPU free lists for the stable records we do not print.
	: >"$out.free-at-dump"
	if [ -n "$after" ] && ! grep -q -m1 '^Page allocated via .*, ts ' "$before"; then
		python3 tests/compare-page-owner.py "$out.txt" "$before" \
			"$after" --missing-pfns "$out.missing" >/dev/null
		if ! PYTHONPATH="$BUILD/python" "$(python_for_module)" \
			tests/free-at-dump.py "$core" "$vmlinux" "$out.missing" \
			>"$out.free-at-dump" 2>"$out.err"; then
			fail "$name free-at-dump.py: $(tail -c 300 "$out.err")"
		fi
	fi
	# SLUB's PG_workingset: slab pages come through allocate_slab() up to
	# v6.x, through new_slab() (which calls alloc_slab_page()) on v7.2.
	# A slab made before page_owner's init has the early handle: then
	# the dump's own struct page must say slab (slab-at-dump.py).
	if ! PYTHONPATH="$BUILD/python" "$(python_for_module)" \
		tests/slab-at-dump.py "$core" "$vmlinux" >"$out.slab" 2>"$out.err"; then
		fail "$name slab-at-dump.py: $(tail -c 300 "$out.err")"
	fi
	if [ -z "$after" ]; then
		skip "$name dump: no page_owner.after.txt to tell stable records"
	elif python3 tests/compare-page-owner.py "$out.txt" "$before" "$after" \
		--explain-bit="$bit" --explain-either-bit="$ws:allocate_slab" \
		--explain-either-bit="$ws:new_slab" \
		--explain-either-bit="$ws:@slab" --slab-at-dump "$out.slab" \
		--explain-either-bit="$sf:slob_new_pages" \
		--free-at-dump "$out.free-at-dump" \
		--annotated "$out.ann" >"$out.cmp"; then
		ok "$name dump: $(sed -n 's/^stable records: //p' "$out.cmp")$(sed -n 's/^records the dump shows free.*: /; shown free by the dump and left out: /p' "$out.cmp")"
	else
		sed 's/^/  /' "$out.cmp" | head -60
		fail "$name dump matches the captures"
	fi
	if ! "$PO" -c "$core" -s "$vmlinux" dump --free >"$out.free" 2>"$out.err"; then
		fail "$name dump --free: $(head -c 300 "$out.err")"
	elif python3 tests/check-lookup.py "$PO" "$core" "$vmlinux" "$out.txt" \
		"$out.free" >"$out.look"; then
		ok "$name lookup agrees with dump: $(tail -1 "$out.look")"
	else
		sed 's/^/  /' "$out.look" | head -40
		fail "$name lookup agrees with dump"
	fi
	if [ -z "$elf" ]; then
		skip "$name dump from ELF: the fixture has one dump, not a kdump and an ELF"
	elif "$PO" -c "$elf" -s "$vmlinux" dump 2>/dev/null | cmp -s - "$out.txt"; then
		ok "$name dump: the ELF dump prints the same"
	else
		fail "$name dump: the ELF dump prints differently"
	fi
	# The default is a thread per CPU; the number must change nothing.
	if "$PO" -j 1 -c "$core" -s "$vmlinux" dump 2>/dev/null |
		cmp -s - "$out.txt" &&
		"$PO" -j 3 -c "$core" -s "$vmlinux" dump --free 2>/dev/null |
		cmp -s - "$out.free"; then
		ok "$name dump: -j 1 and -j 3 print the same as -j $(nproc)"
	else
		fail "$name dump: the number of threads changes the output"
	fi
	rc=
	for j in 0 65 x; do
		"$PO" -j "$j" -c "$core" -s "$vmlinux" info >/dev/null 2>"$out.jerr"
		if [ $? != 2 ] || ! grep -q "number of threads" "$out.jerr"; then
			rc="$rc -j $j: $(head -c 200 "$out.jerr");"
		fi
	done
	if [ -z "$rc" ]; then
		ok "$name -j 0, -j 65 and -j x refused"
	else
		fail "$name bad -j accepted or badly refused:$rc"
	fi
}

# check_filtered NAME CORE VMLINUX FULL: leave every third early-allocated
# page (page_ext, mem_map and depot pages among them) out of the kdump, as
# makedumpfile would, and require a counted, labelled degradation: no
# wrong record, every lost one accounted for, exit status 1.
check_filtered() {
	local name=$1 core=$2 vmlinux=$3 full=$4 out rc
	out="$CACHE/dump/${name//\//-}-filtered"
	if [ "$(head -c 8 "$core")" != "KDUMP   " ]; then
		skip "$name filtered: $core is not a plain kdump file"
		return
	fi
	awk 'BEGIN { RS = "" } /\n register_early_stack/ {
		split($0, l, "\n"); split(l[2], f, " "); print f[2] }' "$full" |
		awk 'NR % 3 == 0' >"$out.pfns"
	python3 tests/filter-dump.py "$core" "$out.kdump" $(cat "$out.pfns") >/dev/null
	run_c_test "$name reads_real, filtered" "$BUILD/tests/real/reads_real" \
		"$out.kdump" "$vmlinux" $(head -3 "$out.pfns")
	"$PO" -c "$out.kdump" -s "$vmlinux" dump >"$out.txt" 2>"$out.err"
	rc=$?
	if [ "$rc" = 1 ] &&
		python3 tests/check-filtered.py "$full" "$out.txt" "$out.err" >"$out.cmp"; then
		ok "$name filtered dump: $(cat "$out.cmp")"
	else
		sed 's/^/  /' "$out.cmp" "$out.err" 2>/dev/null | head -20
		fail "$name filtered dump (exit $rc)"
	fi
	rm -f "$out.kdump"
}

# check_stacks NAME CORE VMLINUX SHOW_STACKS BEFORE AFTER: `pageowner
# stacks` against the captured show_stacks, and the page_ext walk's own
# totals against the kernel's stack_list counts in the same dump.
check_stacks() {
	local name=$1 core=$2 vmlinux=$3 capture=$4 before=$5 after=$6 out
	out="$CACHE/dump/${name//\//-}-stacks"
	if [ -z "$capture" ] || [ -z "$after" ]; then
		# No capture: the walk's totals must match our own dump records.
		if "$PO" -c "$core" -s "$vmlinux" stacks --from-walk >"$out.walk" &&
			python3 tests/compare-stacks.py --against-dump "$out.walk" \
				"$CACHE/dump/${name//\//-}.txt" >"$out.cmp"; then
			ok "$name stacks (no show_stacks capture): $(cat "$out.cmp")"
		else
			sed 's/^/  /' "$out.cmp" | head -20
			fail "$name stacks --from-walk against the dump"
		fi
		return
	fi
	if ! "$PO" -c "$core" -s "$vmlinux" stacks >"$out.txt" 2>"$out.err" ||
		! "$PO" -c "$core" -s "$vmlinux" stacks --from-walk \
			>"$out.walk" 2>>"$out.err"; then
		fail "$name stacks: $(head -c 300 "$out.err")"
		return
	fi
	if python3 tests/compare-stacks.py "$out.txt" "$capture" \
		--walk "$out.walk" --before "$before" --after "$after" \
		--dump "$CACHE/dump/${name//\//-}.txt" >"$out.cmp"; then
		ok "$name stacks: $(sed -n 's/^identical blocks //p' "$out.cmp" | cut -d';' -f1)"
	else
		sed 's/^/  /' "$out.cmp" | head -40
		fail "$name stacks match show_stacks"
	fi
}

# check_handles NAME DIR CORE VMLINUX: `stacks --show handles` and
# `--show stacks_handles` (v6.19's show_handles and show_stacks_handles):
# consistent with `--show stacks` on every kernel (from the walk where the
# kernel keeps no stack_list); where the fixture has the kernel's own
# captures, equal to them but for counts that moved, which must be the
# dump's walk's; and `handle -` decodes every handle of show_handles to
# the frames show_stacks_handles lists for it.
check_handles() {
	local name=$1 dir=$2 core=$3 vmlinux=$4 out show cap_h cap_sh json
	out="$CACHE/dump/${name//\//-}-handles"
	# Before v6.9 there is no stack_list: all three come from the walk.
	for show in stacks handles stacks_handles; do
		if ! "$PO" -q -c "$core" -s "$vmlinux" stacks --show $show \
			>"$out.$show" 2>"$out.err"; then
			fail "$name stacks --show $show: $(head -c 300 "$out.err")"
			return
		fi
	done
	if python3 tests/compare-handles.py consistent "$out.stacks" \
		"$out.handles" "$out.stacks_handles" >"$out.cmp"; then
		ok "$name stacks --show stacks, handles, stacks_handles: $(cat "$out.cmp")"
	else
		sed 's/^/  /' "$out.cmp" | head -20
		fail "$name stacks --show: the three files disagree"
	fi
	cap_h=$(unpack "$dir/show_handles.txt") || cap_h=
	cap_sh=$(unpack "$dir/show_stacks_handles.txt") || cap_sh=
	# The JSON report names each stack group by its handle: the frames
	# must be those the kernel (where captured), or we, list for it.
	# check_report's JSON, where this build wrote one (it runs first).
	json="$CACHE/dump/${name//\//-}-report.json"
	if { [ "$json" -nt "$PO" ] || "$PO" -q -c "$core" -s "$vmlinux" report \
		--format json >"$json" 2>"$out.err"; } &&
		python3 tests/compare-handles.py json "$json" \
			"${cap_sh:-$out.stacks_handles}" >"$out.cmp"; then
		ok "$name $(cat "$out.cmp")${cap_sh:+, against the kernel capture}"
	else
		sed 's/^/  /' "$out.cmp" "$out.err" | head -20
		fail "$name report --format json: handles against their frames"
	fi
	if [ -z "$cap_h" ] || [ -z "$cap_sh" ]; then
		skip "$name show_handles, show_stacks_handles: no capture (the kernel has them from v6.19)"
		return
	fi
	if "$PO" -q -c "$core" -s "$vmlinux" stacks --from-walk --show handles \
		>"$out.walk" 2>"$out.err" &&
		python3 tests/compare-handles.py handles "$out.handles" "$cap_h" \
			"$out.walk" >"$out.cmp"; then
		ok "$name $(cat "$out.cmp")"
	else
		sed 's/^/  /' "$out.cmp" "$out.err" | head -20
		fail "$name stacks --show handles against show_handles"
	fi
	if python3 tests/compare-handles.py stacks_handles "$out.stacks_handles" \
		"$cap_sh" >"$out.cmp"; then
		ok "$name $(cat "$out.cmp")"
	else
		sed 's/^/  /' "$out.cmp" | head -20
		fail "$name stacks --show stacks_handles against show_stacks_handles"
	fi
	if "$PO" -q -c "$core" -s "$vmlinux" handle - <"$cap_h" >"$out.decoded" \
		2>"$out.err" &&
		python3 tests/compare-handles.py resolve "$out.decoded" "$cap_sh" \
			"$cap_h" >"$out.cmp"; then
		ok "$name $(cat "$out.cmp")"
	else
		sed 's/^/  /' "$out.cmp" "$out.err" | head -20
		fail "$name handle - < show_handles"
	fi
}

# check_report NAME CORE VMLINUX BEFORE AFTER SHOW_STACKS: `pageowner
# report` in every format, grouped by stack, pid and comm, against the
# captures added up the way page_owner_sort does, and the JSON against its
# schema; grouped by memcg, against check_dump's dump of the same file.
check_report() {
	local name=$1 core=$2 vmlinux=$3 before=$4 after=$5 stacks=$6 out f
	local out_free rc
	local -a extra=()
	out="$CACHE/dump/${name//\//-}-report"
	if [ -z "$after" ]; then
		skip "$name report: no page_owner.after.txt to tell stable records"
		return
	fi
	for f in json csv jsonl folded; do
		if ! "$PO" -c "$core" -s "$vmlinux" report --format $f \
			>"$out.$f" 2>"$out.err"; then
			fail "$name report --format $f: $(head -c 300 "$out.err")"
			return
		fi
	done
	# The identity, against what the file itself says.
	if python3 tests/check-identity.py "$core" "$out.json" "$out.jsonl" \
		schema/report.schema.json >"$out.id" 2>&1; then
		ok "$name report dump identity: $(tr '\n' ';' <"$out.id")"
	else
		fail "$name report dump identity: $(tr '\n' ';' <"$out.id" | head -c 600)"
	fi
	if grep -q -m1 '^Page allocated via .*, pid ' "$before"; then
		for f in pid comm; do
			if ! "$PO" -c "$core" -s "$vmlinux" report --format json \
				--group $f >"$out.$f.json" 2>"$out.err"; then
				fail "$name report --group $f: $(head -c 300 "$out.err")"
				return
			fi
		done
		extra=(--by-pid "$out.pid.json" --by-comm "$out.comm.json")
	else
		refused_without_tasks "$name" "$core" "$vmlinux"
	fi
	# The memcg line's format is in .rodata from v5.18 (CONFIG_MEMCG).
	if grep -q -a -m1 'Charged %sto %smemcg %s' "$vmlinux"; then
		for f in memcg stack,memcg; do
			if ! "$PO" -c "$core" -s "$vmlinux" report --format json \
				--group $f >"$out.${f/,/-}.json" 2>"$out.err"; then
				fail "$name report --group $f: $(head -c 300 "$out.err")"
				return
			fi
		done
		extra+=(--by-memcg "$out.memcg.json" --by-stack-memcg
			"$out.stack-memcg.json")
	else
		refused_without_memcg "$name" "$core" "$vmlinux"
	fi
	html_report "$name" "$core" "$vmlinux" "$out" "report" \
		"$out.json"
	# Every page by node, zone and use: the use and zone charts.
	html_report "$name" "$core" "$vmlinux" "$out.zone" \
		"report --all --group node,zone,use"
	# page_owner keeps the freeing task's pid, never its comm.
	out_free=$("$PO" -c "$core" -s "$vmlinux" report --free --top 3 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && ! printf '%s\n' "$out_free" | grep -q '^    tasks:' &&
		{ ! "$PO" -c "$core" -s "$vmlinux" ptype struct page_owner |
			grep -q ' free_pid;' ||
			printf '%s\n' "$out_free" | grep -q '^    freed by: pid [0-9]* '; }; then
		ok "$name report --free: the freeing task by pid, no comm"
	else
		fail "$name report --free: exit $rc, $(printf '%s' "$out_free" | head -c 400)"
	fi
	out_free=$("$PO" -c "$core" -s "$vmlinux" report --free --name init 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && printf '%s' "$out_free" | grep -q "keeps no comm of the task that freed"; then
		ok "$name report --free --name refused: $out_free"
	else
		fail "$name report --free --name: exit $rc, $out_free"
	fi
	[ -n "$stacks" ] && extra+=(--show-stacks "$stacks")
	if python3 tests/check-report.py "$out.json" "$before" "$after" \
		--schema schema/report.schema.json --csv "$out.csv" \
		--jsonl "$out.jsonl" --folded "$out.folded" \
		--free-at-dump "$CACHE/dump/${name//\//-}.free-at-dump" \
		--dump "$CACHE/dump/${name//\//-}.txt" \
		"${extra[@]}" >"$out.cmp" 2>&1; then
		ok "$name report: $(tr '\n' ';' <"$out.cmp")"
	else
		sed 's/^/  /' "$out.cmp" | head -20
		fail "$name report against the captures"
	fi
}

# refused_keys NAME CORE VMLINUX WHAT SPEC...: each SPEC, "REPORT ARGS:
# PATTERN", exits 2 naming PATTERN (a grep BRE): keys and filters the
# kernel cannot answer are refused, never answered with -1, "" or every
# page uncharged.
refused_keys() {
	local name=$1 core=$2 vmlinux=$3 what=$4 spec out rc bad=
	shift 4
	for spec; do
		out=$("$PO" -c "$core" -s "$vmlinux" report ${spec%%:*} 2>&1)
		rc=$?
		if [ "$rc" != 2 ] || ! printf '%s' "$out" | grep -q -- "${spec#*:}"; then
			bad="$bad [${spec%%:*}: exit $rc, $(printf '%s' "$out" | head -c 120)]"
		fi
	done
	if [ -z "$bad" ]; then
		ok "$name report: $what refused"
	else
		fail "$name report accepts $what:$bad"
	fi
}

# refused_without_tasks NAME CORE VMLINUX: on a kernel whose struct
# page_owner has no pid, tgid, comm or ts_nsec, the keys
# and filters that need them are refused, naming the member.
refused_without_tasks() {
	local spec member
	local -a specs=()
	for spec in "--group pid:pid" "--group tgid:tgid" "--group comm:comm" \
		"--pid 1:pid" "--tgid 1:tgid" "--name init:comm" \
		"--sort alloc_ts:ts_nsec" "--free --name init:comm"; do
		member=${spec##*:}
		specs+=("${spec%:*}:'$member'\|no $member of")
	done
	refused_keys "$1" "$2" "$3" \
		"keys and filters on pid, tgid, comm and ts" "${specs[@]}"
}

# refused_without_memcg NAME CORE VMLINUX: on a kernel whose page_owner
# prints no memcg, --group and --sort memcg are refused, saying so.
refused_without_memcg() {
	refused_keys "$1" "$2" "$3" "memcg keys (page_owner prints no memcg here)" \
		"--group memcg:prints no memcg" "--sort memcg:prints no memcg" \
		"--group stack,memcg:prints no memcg"
}

# self_diff NAME CORE VMLINUX: without a second dump of the boot, `diff`
# of the dump with itself, and with its own JSON report (check_report's),
# must find no stack changed, and count the report's pages on both sides.
self_diff() {
	local name=$1 core=$2 vmlinux=$3 out json
	out="$CACHE/dump/${name//\//-}-selfdiff"
	json="$CACHE/dump/${name//\//-}-report.json"
	if "$PO" -q -s "$vmlinux" diff --format json "$core" "$core" \
		>"$out.dd" 2>"$out.err" &&
		"$PO" -q -s "$vmlinux" diff --format json "$core" "$json" \
			>"$out.dj" 2>>"$out.err" &&
		python3 -c '
import json, sys
pages = json.load(open(sys.argv[3]))["summary"]["pages"]
for path in sys.argv[1:3]:
    d = json.load(open(path))
    assert d["stacks"] == [], (path, d["stacks"][:2])
    assert d["before"]["pages"] == d["after"]["pages"] == pages, path
print(pages)' "$out.dd" "$out.dj" "$json" >"$out.cmp" 2>&1; then
		ok "$name diff with itself and with its own report: no change, $(cat "$out.cmp") pages each side"
	else
		fail "$name diff with itself: $(head -c 300 "$out.err" "$out.cmp")"
	fi
}

# check_diff NAME DIR CORE VMLINUX: `pageowner diff` of the fixture's
# phase-1 dump (taken before the holders started) and its main dump.
check_diff() {
	local name=$1 dir=$2 core=$3 vmlinux=$4 phase1 out
	if ! phase1=$(unpack "$dir/vmcore.phase1.kdump"); then
		self_diff "$name" "$core" "$vmlinux"
		return
	fi
	out="$CACHE/dump/${name//\//-}-diff"
	mkdir -p "$out"
	if python3 tests/check-diff.py "$PO" "$vmlinux" "$phase1" "$core" \
		"$out" >"$out.cmp" 2>&1; then
		ok "$name diff phase1 -> dump: $(tr '\n' ';' <"$out.cmp")"
	else
		sed 's/^/  /' "$out.cmp" | head -20
		fail "$name diff phase1 -> dump"
	fi
}

# check_shell NAME CORE VMLINUX CAPTURE: the shell in a pseudo-terminal,
# on a pfn of the capture (hex from v6.2, decimal before).
check_shell() {
	local name=$1 core=$2 vmlinux=$3 pfn out
	pfn=$(grep -m1 -o '^PFN [0-9a-fx]*' "$4" | cut -d' ' -f2)
	pfn=$(printf '0x%x' "$pfn")
	out="$CACHE/dump/${name//\//-}-shell.txt"
	if PAGEOWNER_PYTHON=$(python_for_module) timeout 600 python3 \
		tests/check-shell.py "$PO" "$core" "$vmlinux" "$pfn" >"$out" 2>&1; then
		ok "$name shell in a pty: $(tail -1 "$out")"
	else
		grep -v '^ok' "$out" | head -20 | sed 's/^/  /'
		fail "$name shell in a pty"
	fi
}

# html_report NAME CORE VMLINUX OUT "CMD ARGS" [JSON]: CMD --format html
# into OUT.html, rendered in Chromium by check-html.py against JSON (else
# CMD --format json, written to OUT.json).
html_report() {
	local name=$1 core=$2 vmlinux=$3 out=$4 json=${6:-$4.json}
	local -a cmd
	read -r -a cmd <<<"$5"
	if ! "$PO" -c "$core" -s "$vmlinux" "${cmd[@]}" --format html \
		>"$out.html" 2>"$out.err" ||
		{ [ -z "${6:-}" ] && ! "$PO" -c "$core" -s "$vmlinux" "${cmd[@]}" \
			--format json >"$json" 2>>"$out.err"; }; then
		fail "$name $5 --format html: $(head -c 300 "$out.err")"
	elif python3 tests/check-html.py "$out.html" "$json" "$out.png" \
		>"$out.html.cmp" 2>&1; then
		ok "$name $5 html in chromium: $(tr '\n' ';' <"$out.html.cmp")"
	else
		sed 's/^/  /' "$out.html.cmp" | head -20
		fail "$name $5 html in chromium"
	fi
}

# check_cli NAME CORE VMLINUX: every command's --help, and the messages
# for bad options and values.
check_cli() {
	local name=$1 out
	out="$CACHE/dump/${name//\//-}-cli.txt"
	if PAGEOWNER_PYTHON=$(python_for_module) timeout 300 python3 \
		tests/check-cli.py "$PO" "$2" "$3" >"$out" 2>&1; then
		ok "$name options, --help and usage errors: $(tail -1 "$out")"
	else
		grep -v '^ok' "$out" | head -20 | sed 's/^/  /'
		fail "$name options, --help and usage errors"
	fi
}

# check_vmstat NAME CORE VMLINUX [CONSOLE]: what report --all says each page is,
# against the kernel's own counters of the same dump (vm_zone_stat,
# vm_node_stat and their per-CPU drift; nr_slabs of each cache where
# CONFIG_SLUB_DEBUG keeps it).
check_vmstat() {
	local name=$1 out
	out="$CACHE/dump/${name//\//-}-vmstat.txt"
	if PAGEOWNER_PYTHON=$(python_for_module) timeout 600 python3 \
		tests/check-vmstat.py "$PO" "$2" "$3" ${4:+"$4"} >"$out" 2>&1; then
		ok "$name page uses match the kernel's counters: $(grep -c '^ok' "$out") checks; $(grep '^ok \(free\|slab\|per-cache\|per node\)' "$out" | tr '\n' ';')"
	else
		grep -v '^ok' "$out" | head -20 | sed 's/^/  /'
		fail "$name page uses match the kernel's counters"
	fi
}

# check_memcg NAME CORE VMLINUX: the pages report --all --group memcg
# charges to each memcg, with its objcg bytes and per-CPU stocks, against
# the memcg's own page counter (memory.usage), hierarchically; the root's
# counter against the sum of its children's.
check_memcg() {
	local name=$1 out
	out="$CACHE/dump/${name//\//-}-memcg.txt"
	if PAGEOWNER_PYTHON=$(python_for_module) timeout 600 python3 \
		tests/check-memcg.py "$PO" "$2" "$3" >"$out" 2>&1; then
		ok "$name memcg page counters match: $(grep -c '^ok' "$out") memcgs; $(grep '^ok' "$out" | sed 's/, pages charged to it.*//' | tr '\n' ';')"
	else
		grep -v '^ok' "$out" | head -20 | sed 's/^/  /'
		fail "$name memcg page counters match"
	fi
}

# check_module_init NAME DIR CORE VMLINUX: pohold's init-time pages count
# as pohold's, though their frames are in its freed init text.
check_module_init() {
	local name=$1 ko out
	ko=$(unpack "$2/pohold.ko") || {
		skip "$name module init pages: the fixture has no pohold.ko"
		return
	}
	out="$CACHE/dump/${name//\//-}-modinit.txt"
	if PAGEOWNER_PYTHON=$(python_for_module) timeout 300 python3 \
		tests/check-module-init.py "$PO" "$3" "$4" "$ko" >"$out" 2>&1; then
		ok "$name module init pages: $(tail -1 "$out")"
	else
		tail -5 "$out" | sed 's/^/  /'
		fail "$name module init pages"
	fi
}

# check_sym NAME DIR CORE VMLINUX: `sym NAME` prints a /proc/kallsyms
# line, with the type letter nm gives the symbol in vmlinux (kallsyms
# takes its letters from nm at build time), and for a symbol of the
# fixture's pohold module, the letter nm gives it in pohold.ko and
# "[pohold]".
check_sym() {
	local name=$1 dir=$2 core=$3 vmlinux=$4 want got s ko
	want= got=
	for s in schedule jiffies init_task; do
		want="$want$(nm "$vmlinux" | awk -v s="$s" '$3 == s { print $2; exit }') $s;"
		got="$got$("$PO" -q -c "$core" -s "$vmlinux" sym "$s" 2>&1 | awk '{ print $2, $3 }');"
	done
	ko=$(unpack "$dir/pohold.ko") || ko=
	if [ -n "$ko" ]; then
		want="$want$(nm "$ko" | awk '$3 == "pohold_fill" { print $2; exit }') pohold_fill [pohold];"
		got="$got$("$PO" -q -c "$core" -s "$vmlinux" sym pohold_fill 2>&1 | awk '{ print $2, $3, $4 }');"
	fi
	if [ "$got" = "$want" ]; then
		ok "$name sym: type letters as nm gives them${ko:+, and a module symbol with [pohold]}: $got"
	else
		fail "$name sym: got '$got', nm says '$want'"
	fi
}

# check_crash NAME CORE VMLINUX: ptype and print against crash's own.
check_crash() {
	local name=$1 out rc
	out="$CACHE/dump/${name//\//-}-crash"
	tests/check-crash.sh "$PO" "$2" "$3" "$out" >"$out.log" 2>&1
	rc=$?
	case $rc in
	0) ok "$name ptype/print against crash: $(tail -1 "$out.log")" ;;
	77) skip "$name ptype/print against crash: $(tail -1 "$out.log")" ;;
	*)
		sed 's/^/  /' "$out.log" | head -20
		fail "$name ptype/print against crash"
		;;
	esac
}

# python_for_module: the interpreter to load $BUILD's module with; a
# sanitized module needs the sanitizer runtimes loaded before Python.
python_for_module() {
	local module
	module=$(ls "$BUILD"/python/pageowner*.so 2>/dev/null | head -1)
	if [ -n "$module" ] && ldd "$module" | grep -q libasan; then
		echo "$PWD/tests/sanitized-python.sh"
	else
		echo "$PYTHON"
	fi
}

# check_python NAME CORE VMLINUX CAPTURE: the Python module (pytest),
# against the CLI and the kernel's capture on this dump.
check_python() {
	local name=$1 out py
	out="$CACHE/dump/${name//\//-}-python.log"
	if ! ls "$BUILD"/python/pageowner*.so >/dev/null 2>&1; then
		fail "$name python: no module in $BUILD/python"
		return
	fi
	if ! "$PYTHON" -c 'import pytest' 2>/dev/null; then
		fail "$name python: $PYTHON has no pytest (apt-get install python3-pytest)"
		return
	fi
	py=$(python_for_module)
	if PYTHONPATH="$BUILD/python" PAGEOWNER_PYTHON="$py" PO_CLI="$PO" \
		PO_CORE="$2" PO_VMLINUX="$3" PO_CAPTURE="$4" \
		timeout 900 "$py" -m pytest -q -p no:cacheprovider \
		tests/python >"$out" 2>&1; then
		ok "$name python module against the CLI: $(tail -1 "$out")"
	else
		grep -E '^(FAILED|E )' "$out" | head -20 | sed 's/^/  /'
		tail -1 "$out" | sed 's/^/  /'
		fail "$name python module against the CLI"
	fi
}

# expect_refusal NAME WHAT WORD CMD...: CMD exits 2 with a message that
# says WORD (page_owner=on), and prints nothing on stdout.
expect_refusal() {
	local name=$1 what=$2 word=$3 out err rc
	shift 3
	out=$("$@" 2>"$CACHE/dump/refusal.err")
	rc=$?
	err=$(head -c 300 "$CACHE/dump/refusal.err")
	if [ "$rc" = 2 ] && [ -z "$out" ] && grep -q -- "$word" \
		"$CACHE/dump/refusal.err"; then
		ok "$name $what: refused: $err"
	else
		fail "$name $what: exit $rc, stdout ${#out} bytes, stderr: $err"
	fi
}

# nopo_tests NAME DIR: a kernel with CONFIG_PAGE_OWNER booted without
# page_owner=on (make-fixture.sh VER MEM ARCH off): info says so, the
# page_owner texts are refused with the reason, and report, lookup and
# Python still say what every page is, against the kernel's counters.
nopo_tests() {
	local name=$1 dir=$2 vmlinux core out base
	vmlinux=$(unpack "$dir/vmlinux") || { fail "$name: no vmlinux"; return; }
	core=$(unpack "$dir/vmcore.kdump") || core=$(unpack "$dir/vmcore.elf") ||
		{ fail "$name: no dump"; return; }
	out="$CACHE/dump/${name//\//-}"
	mkdir -p "$CACHE/dump"
	base=("$PO" -q -c "$core" -s "$vmlinux")
	if "${base[@]}" info >"$out.info" 2>&1 &&
		grep -q '^page_owner: *disabled (boot without page_owner=on)' \
			"$out.info"; then
		ok "$name info: $(grep '^page_owner:' "$out.info")"
	else
		fail "$name info: $(head -c 300 "$out.info")"
	fi
	expect_refusal "$name" dump "page_owner=on" "${base[@]}" dump
	expect_refusal "$name" "report --free" "page_owner=on" \
		"${base[@]}" report --free
	expect_refusal "$name" stacks "page_owner=on" "${base[@]}" stacks
	expect_refusal "$name" "stacks --from-walk" "page_owner=on" \
		"${base[@]}" stacks --from-walk
	if "${base[@]}" report >"$out.report" 2>&1 &&
		grep -q '^pageowner report: all pages by use$' "$out.report" &&
		grep -q '^page_owner:  off' "$out.report" &&
		grep -q '^pages: .*every pfn_valid() page' "$out.report" &&
		! grep -q 'handle 0x\|tasks:\|gfp:' "$out.report"; then
		ok "$name report: every page by use, and why there are no stacks"
	else
		fail "$name report: $(head -c 300 "$out.report")"
	fi
	# The HTML page of it, in Chromium: by use, the flame graph too.
	if ! "${base[@]}" report --format html >"$out.html" 2>"$out.err" ||
		! "${base[@]}" report --format json >"$out.json" 2>>"$out.err"; then
		fail "$name report --format html: $(head -c 300 "$out.err")"
	elif python3 tests/check-html.py "$out.html" "$out.json" \
		"$out.png" >"$out.html.cmp" 2>&1 &&
		grep -q '"use":' "$out.json"; then
		ok "$name report html in chromium: $(tr '\n' ';' <"$out.html.cmp")"
	else
		sed 's/^/  /' "$out.html.cmp" | head -20
		fail "$name report html in chromium"
	fi
	# A flame graph of it: by use, every page once, none with a stack.
	local want got
	want=$(sed -n 's/^pages: *\([0-9]*\) pages.*/\1/p' "$out.report")
	got=$("${base[@]}" report --format folded 2>&1 | awk '
		$0 !~ /^[a-z_]+;\[no page_owner record\] [0-9]+$/ { bad = 1 }
		{ n += $NF } END { print bad ? "bad" : n }')
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "$name report --format folded: $got pages by use, no stacks"
	else
		fail "$name report --format folded: '$got' pages, want '$want'"
	fi
	if "${base[@]}" lookup pfn:0x1000 >"$out.lookup" 2>&1 &&
		grep -Eq '^page:([0-9a-f]+)? refcount:' "$out.lookup" &&
		grep -q '^use: ' "$out.lookup" &&
		grep -q '^page_owner: off' "$out.lookup"; then
		ok "$name lookup: dump_page()'s header (with the page's address before v6.x) and the use, no owner"
	else
		fail "$name lookup: $(head -c 300 "$out.lookup")"
	fi
	check_vmstat "$name" "$core" "$vmlinux" \
		"$([ -f "$dir/console.log" ] && echo "$dir/console.log")"
	check_memcg "$name" "$core" "$vmlinux"
	check_sym "$name" "$dir" "$core" "$vmlinux"
	check_crash "$name" "$core" "$vmlinux"
	nopo_print "$name" "$dir" "$core" "$vmlinux"
	nopo_python "$name" "$core" "$vmlinux" "$out.report"
}

# nopo_python NAME CORE VMLINUX REPORT: the bindings with page_owner off:
# prog.stacks() refused as the CLI's stacks is, prog.report() by use by
# default, every page once, as the text REPORT counts them.
nopo_python() {
	local name=$1 got want
	want=$(sed -n 's/^pages: *\([0-9]*\) pages.*/\1/p' "$4")
	got=$(PYTHONPATH="$BUILD/python" "$(python_for_module)" - "$2" "$3" \
		2>&1 <<'PY'
import sys
import pageowner
prog = pageowner.Program(sys.argv[1], sys.argv[2])
try:
    prog.stacks()
    print("stacks() did not refuse")
except pageowner.InvalidError as e:
    assert "page_owner=on" in str(e), e
groups = prog.report()
assert groups and all(g.use and g.no_record_pages == g.pages
                      and g.stack is None for g in groups), groups[:3]
assert len({g.use for g in groups}) == len(groups)
print(sum(g.pages for g in groups))
PY
	)
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "$name python: stacks() refused, report() by use: $got pages"
	else
		fail "$name python: got '$got', want $want pages"
	fi
}

# nopo_print NAME DIR CORE VMLINUX: print and ptype on a dump without
# page_owner: the static key page_owner_inited is off, sym gives the
# symbol back from its own address with the size nm -n implies (the
# distance to the next symbol, as kallsyms computes it), ptype matches gdb's
# ptype /o of the vmlinux, and the RAM the dump counts is the MemTotal of
# the guest's /proc/meminfo (meminfo.txt, where the fixture has one).
nopo_print() {
	local name=$1 dir=$2 core=$3 vmlinux=$4 got want addr size
	local -a po=("$PO" -q -c "$core" -s "$vmlinux")
	got=$("${po[@]}" print -d page_owner_inited.key.enabled.counter 2>&1)
	if [ "$got" = '$1 = 0' ]; then
		ok "$name print: page_owner_inited is off ($got)"
	else
		fail "$name print page_owner_inited.key.enabled.counter: $got"
	fi
	addr=$("${po[@]}" sym page_owner_inited 2>&1 | awk '{ print $1 }')
	# %pS's size is the distance to the next symbol, as kallsyms has it.
	size=$(nm -n "$vmlinux" | awk '
		$3 == "page_owner_inited" { a = $1; next }
		a != "" && $1 != a { print $1, a; exit }' |
		{ read -r next this && printf '%x' $((0x$next - 0x$this)); })
	got=$("${po[@]}" sym "0x$addr" 2>&1)
	want="$addr B page_owner_inited+0x0/0x${size:-?}"
	if [ "$got" = "$want" ]; then
		ok "$name sym: an address back to its symbol: $got"
	else
		fail "$name sym 0x$addr: got '$got', want '$want'"
	fi
	got=$("${po[@]}" ptype struct page_owner 2>&1 | tr -s ' ')
	want=$(gdb -batch -nx -ex 'ptype /o struct page_owner' "$vmlinux" \
		2>/dev/null | tr -s ' ')
	if [ -z "$want" ]; then
		skip "$name ptype against gdb: gdb printed nothing"
	elif [ "$got" = "$want" ]; then
		ok "$name ptype struct page_owner: as gdb's ptype /o"
	else
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") |
			head -10 | sed 's/^/  /'
		fail "$name ptype struct page_owner: not as gdb's ptype /o"
	fi
	if [ ! -f "$dir/meminfo.txt" ]; then
		skip "$name MemTotal: the fixture has no meminfo.txt"
		return
	fi
	want=$(awk '$1 == "MemTotal:" { print $2 }' "$dir/meminfo.txt")
	got=$("${po[@]}" print -d _totalram_pages.counter 2>&1 |
		sed -n 's/^\$1 = //p')
	size=$("${po[@]}" info 2>&1 | awk '/^page size:/ { print $3 }')
	if [ -n "$got" ] && [ -n "$size" ] && [ -n "$want" ] &&
		[ $((got * size / 1024)) = "$want" ]; then
		ok "$name print _totalram_pages: $got pages, the guest's MemTotal of $want kB"
	else
		fail "$name print _totalram_pages: '$got' pages of '$size' bytes, the guest's MemTotal '$want' kB"
	fi
}

# real_dump_tests NAME DIR: every check on the fixture in DIR, on its
# kdump file if it has one (the checks of kdump pages then run too), else
# on its ELF dump; with both, the ELF dump must print what the kdump does.
real_dump_tests() {
	local name=$1 dir=$2 vmlinux core kdump elf before after stacks other mine
	vmlinux=$(unpack "$dir/vmlinux") || { fail "$name: no vmlinux"; return; }
	kdump=$(unpack "$dir/vmcore.kdump") || kdump=
	elf=$(unpack "$dir/vmcore.elf") || elf=
	core=${kdump:-$elf}
	before=$(unpack "$dir/page_owner.before.txt") ||
		{ fail "$name: no page_owner.before.txt"; return; }
	after=$(unpack "$dir/page_owner.after.txt") || after=
	stacks=$(unpack "$dir/show_stacks.txt") || stacks=
	if [ -n "$kdump" ]; then
		check_info "$name kdump" "$kdump" "$vmlinux" "$before"
	else
		skip "$name kdump: the fixture has no vmcore.kdump"
	fi
	if [ -n "$elf" ]; then
		check_info "$name elf" "$elf" "$vmlinux" "$before"
	else
		skip "$name elf: no vmcore.elf"
	fi
	# The ELF dump as a second reading of the same moment.
	[ "$core" = "$elf" ] && elf=
	check_dump "$name" "$core" "$elf" "$vmlinux" "$before" "$after"
	check_stacks "$name" "$core" "$vmlinux" "$stacks" "$before" "$after"
	check_report "$name" "$core" "$vmlinux" "$before" "$after" "$stacks"
	check_handles "$name" "$dir" "$core" "$vmlinux"
	check_diff "$name" "$dir" "$core" "$vmlinux"
	check_shell "$name" "$core" "$vmlinux" "$before"
	check_cli "$name" "$core" "$vmlinux"
	check_vmstat "$name" "$core" "$vmlinux" \
		"$([ -f "$dir/console.log" ] && echo "$dir/console.log")"
	check_memcg "$name" "$core" "$vmlinux"
	check_module_init "$name" "$dir" "$core" "$vmlinux"
	check_sym "$name" "$dir" "$core" "$vmlinux"
	check_crash "$name" "$core" "$vmlinux"
	check_python "$name" "$core" "$vmlinux" "$before"
	check_filtered "$name" "$core" "$vmlinux" "$CACHE/dump/${name//\//-}.txt"
	check_no_vmlinux "$name" "$core" "$vmlinux"
	run_c_test "$name frames" "$BUILD/tests/real/frames" "$core" "$vmlinux" \
		"$before" $after $stacks
	# Not the after capture: it is read after the dump, and its reads
	# can fault in page tables whose stacks the dump's depot never saw
	# (seen on 5.10: a __pud_alloc under read_page_owner).
	run_c_test "$name depot_stacks" "$BUILD/tests/real/depot_stacks" "$core" \
		"$vmlinux" "$before" $stacks
	run_c_test "$name corrupt_real" "$BUILD/tests/real/corrupt_real" "$core" \
		"$vmlinux"
	run_c_test "$name jobs_real" "$BUILD/tests/real/jobs_real" "$core" "$vmlinux"
	# libkdumpfile 0.5.1 takes a QEMU aarch64 kdump's 64 KiB blocks for
	# pages and cannot translate it: the ELF of the same moment is then
	# the reference.
	if [ -n "$elf" ] && readelf -h "$vmlinux" | grep -q AArch64; then
		run_c_test "$name reads_real" "$BUILD/tests/real/reads_real" \
			--reference "$elf" "$core" "$vmlinux"
	else
		run_c_test "$name reads_real" "$BUILD/tests/real/reads_real" "$core" "$vmlinux"
	fi
	run_c_test "$name dwarf_index_real" "$BUILD/tests/real/dwarf_index_real" \
		"$vmlinux"
	# Types from the kernel's own BTF (CONFIG_DEBUG_INFO_BTF) must be
	# DWARF's; the 6.x fixtures are built without it.
	if readelf -S "$vmlinux" 2>/dev/null | grep -q ' \.BTF '; then
		run_c_test "$name btf_real" "$BUILD/tests/real/btf_real" --all \
			"$vmlinux"
	else
		skip "$name btf_real: vmlinux has no .BTF section (built without CONFIG_DEBUG_INFO_BTF)"
	fi
	if [ -n "$elf" ]; then
		run_c_test "$name reads_real, ELF" "$BUILD/tests/real/reads_real" \
			"$elf" "$vmlinux"
	fi
	# The mismatch test needs a vmlinux of another build.
	other=
	mine=$(build_id "$vmlinux")
	for o in fixtures/linux-* "$SHARED"/linux-* "$CACHE"/fixtures/linux-*; do
		[ -d "$o" ] || continue
		o=$(unpack "$o/vmlinux") || continue
		[ "$(build_id "$o")" != "$mine" ] && other=$o && break
	done
	bad_input_tests "${name//\//-}" "$core" "$vmlinux" "$other" "$elf"
	search_tests "${name//\//-}" "$core" "$vmlinux" "$other"
}
