#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# scripts/check-layers.sh BUILD LAYER...: fail when the library reaches up.
# LAYER... are src/'s folders from the bottom up (src/README.md).  Two
# checks, since either alone can be fooled:
#  - includes: a file in src/A/ includes "B/x.h" only where B is not above A;
#  - calls: an object of src/A/ leaves undefined only symbols that are
#    defined in a layer not above A (a call declared in include/pageowner.h
#    needs no internal header, so the include check cannot see it).
# Also: tools/ and python/ include no internal header.
set -u
cd "$(dirname "$0")/.."
BUILD=${1:?usage: check-layers.sh BUILD LAYER...}
shift
declare -A rank
i=0
for l in "$@"; do
	rank[$l]=$i
	i=$((i + 1))
done
bad=0
complain() {
	printf 'layer-check: %s\n' "$*" >&2
	bad=$((bad + 1))
}

for f in src/*/*.[ch]; do
	from=${f#src/}
	from=${from%%/*}
	[ -n "${rank[$from]:-}" ] || complain "$f: folder $from is not a layer"
	while IFS= read -r inc; do
		to=${inc%%/*}
		[ "$to" = "$inc" ] && continue
		if [ -z "${rank[$to]:-}" ]; then
			complain "$f includes \"$inc\": $to is not a layer"
		elif [ "${rank[$to]}" -gt "${rank[$from]}" ]; then
			complain "$f includes \"$inc\": $to is above $from"
		fi
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done

for f in tools/*.[ch] python/*.[ch] examples/*.c; do
	[ -f "$f" ] || continue
	sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while IFS= read -r inc; do
		case "$inc" in
		pageowner.h | cli.h | fleet.h | pypageowner.h) ;;
		*) echo "$f includes \"$inc\": only pageowner.h is public" ;;
		esac
	done
done | while IFS= read -r line; do complain "$line"; done

# Each outside library through one place (src/README.md's table).
only_in() {
	local pattern=$1 allowed=$2 f
	for f in $(grep -l -E "^#include <($pattern)" src/*/*.[ch] tools/*.[ch] \
		python/*.[ch] 2>/dev/null); do
		case "$f" in
		$allowed) ;;
		*) complain "$f includes <$pattern>: only $allowed may" ;;
		esac
	done
}
only_in 'libkdumpfile/kdumpfile.h' 'src/dump/kdumpfile.c'
only_in 'libkdumpfile/addrxlat.h' 'src/dump/vtop.c'
only_in 'elfutils/|gelf.h|libelf.h|dwarf.h' 'src/debuginfo/*'
only_in 'readline/' 'tools/shell.c'
only_in 'sqlite3.h' 'tools/fleet_db.c'
only_in 'Python.h' 'python/*'

# Which layer defines each global symbol.
declare -A home
for o in "$BUILD"/src/*/*.o; do
	l=${o#"$BUILD"/src/}
	l=${l%%/*}
	while read -r sym; do
		home[$sym]=$l
	done < <(nm --defined-only -g "$o" | awk '{ print $3 }')
done
for o in "$BUILD"/src/*/*.o; do
	l=${o#"$BUILD"/src/}
	l=${l%%/*}
	while read -r sym; do
		to=${home[$sym]:-}
		[ -n "$to" ] || continue
		if [ "${rank[$to]}" -gt "${rank[$l]}" ]; then
			complain "${o#"$BUILD"/} calls $sym, of $to, above $l"
		fi
	done < <(nm -u "$o" | awk '{ print $2 }')
done

if [ "$bad" != 0 ]; then
	echo "layer-check: $bad violations" >&2
	exit 1
fi
echo "layer-check: no upward edge among $# layers"
