#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check-crash.sh PAGEOWNER VMCORE VMLINUX OUTDIR: the shell's ptype and
# print against crash (Debian's crash 8, with gdb 10 inside) on the same
# dump, line for line.  Exit 0 when equal, 1 when not, 77 when crash
# cannot read this dump (crash 8.0.2 predates some kernels).
set -u
po=$1 core=$2 vmlinux=$3 out=$4
mkdir -p "$out"
types=('struct page' 'struct page_owner' 'struct stack_record'
	'union handle_parts' 'struct page_ext_operations' 'struct page_ext'
	'struct task_struct' 'struct zone' 'struct mm_struct' 'struct module'
	'struct mem_section' 'struct pglist_data')
# Not init_task.stack: gdb leaves init_stack unnamed; we print <init_stack>.
exprs=('dummy_handle' 'failure_handle' 'early_handle' 'init_task.comm'
	'jiffies' 'page_owner_ops' 'init_task.pid' 'init_mm.pgd'
	'init_task.se.load' 'page_owner_inited' 'init_task.thread_info'
	'&init_task' 'contig_page_data.node_zones[0].name'
	'init_task.sched_class' 'init_task.mm' 'init_uts_ns.name'
	'init_task.pending' 'contig_page_data.node_zones[1].vm_stat'
	'init_task.se.load.weight + 1' '*init_task.sched_class'
	'sizeof(struct page)' '(char)65')
: >"$out/crash.in"
: >"$out/po.in"
for t in "${types[@]}"; do
	echo "ptype /o $t" >>"$out/crash.in"
	echo "ptype $t" >>"$out/po.in"
done
for e in "${exprs[@]}"; do
	echo "p $e" >>"$out/crash.in"
	echo "print $e" >>"$out/po.in"
done
echo q >>"$out/crash.in"
timeout 600 crash -s "$vmlinux" "$core" -i "$out/crash.in" \
	>"$out/crash.out" 2>&1 </dev/null
rc=$?
if [ "$rc" != 0 ] || grep -q 'do not match' "$out/crash.out"; then
	why=$(grep -m1 . "$out/crash.out" | cut -c1-200)
	echo "crash cannot read this dump: ${why:-crash exited $rc with no output}"
	exit 77
fi
# crash's start-up warnings and bt noise, then the blank lines gdb puts
# before "total size", which crash passes through unevenly.
grep -v -e '^WARNING' -e '^bt:' -e '^$' "$out/crash.out" >"$out/crash.txt"
"$po" -c "$core" -s "$vmlinux" shell <"$out/po.in" 2>&1 |
	grep -v '^$' >"$out/po.txt"
if diff "$out/crash.txt" "$out/po.txt" >"$out/diff"; then
	echo "${#types[@]} types and ${#exprs[@]} expressions as crash prints them ($(wc -l <"$out/po.txt") lines)"
	exit 0
fi
head -20 "$out/diff"
exit 1
