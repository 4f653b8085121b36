#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What gets installed, and that it works where it lands: make install into
# a scratch root (every file, nothing else; --version, the man page, bash
# completion, pkg-config, a C program linked shared and static, the Python
# module), make uninstall (no file left), pip install . in a venv, and the
# .debs dpkg-buildpackage builds, extracted with dpkg -x and run on the
# bundled fixture.  Ends with "N passed, N failed, N skipped".
#
#   tests/check-install.sh      (BUILD=build, PYTHON=/usr/bin/python3)
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-$(test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)}
CACHE=${PAGEOWNER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pageowner}
. tests/lib-unpack.sh
passed=0 failed=0 skipped=0
ok() {
	passed=$((passed + 1))
	echo "ok $*"
}
fail() {
	failed=$((failed + 1))
	echo "FAIL $*"
}
skip() {
	skipped=$((skipped + 1))
	echo "skip $*"
}
# check NAME CMD...: ok if CMD succeeds, else FAIL with its output.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		fail "$name: $(printf '%s' "$out" | head -c 600)"
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(sed -n 's/^#define PO_VERSION_STRING "\(.*\)"$/\1/p' include/pageowner.h)
fx=fixtures/linux-6.12
vmlinux=$(unpack "$fx/vmlinux") || vmlinux=

make -s -j"$(nproc)" BUILD="$BUILD" PYTHON="$PYTHON" all "$BUILD/libpageowner.a" ||
	fail "make all"

# ---- make install PREFIX=/usr ----
root=$tmp/root
vars=(BUILD="$BUILD" PYTHON="$PYTHON" PREFIX=/usr DESTDIR="$root")
pymod=$(basename "$(ls "$BUILD"/python/pageowner*.so)")
want="usr/bin/pageowner
usr/include/pageowner.h
usr/lib/libpageowner.a
usr/lib/libpageowner.so
usr/lib/libpageowner.so.0
usr/lib/libpageowner.so.0.${version#*.}
usr/lib/pkgconfig/pageowner.pc
usr/lib/python3/dist-packages/$pymod
usr/share/bash-completion/completions/pageowner
usr/share/doc/pageowner/COPYING
usr/share/doc/pageowner/README.md
usr/share/man/man1/pageowner.1"
if make -s "${vars[@]}" install >"$tmp/install.log" 2>&1; then
	ok "make install PREFIX=/usr DESTDIR=..."
else
	fail "make install: $(head -c 600 "$tmp/install.log")"
fi
got=$(cd "$root" 2>/dev/null && find . \( -type f -o -type l \) | sed 's|^\./||' | sort)
if [ "$got" = "$want" ]; then
	ok "install: the $(printf '%s\n' "$want" | wc -l) files, and no other"
else
	fail "install: files differ from the list: $(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | grep '^[<>]' | tr '\n' ' ')"
fi
lib=$root/usr/lib
if [ "$(readlink "$lib/libpageowner.so")" = libpageowner.so.0 ] &&
	[ "$(readlink "$lib/libpageowner.so.0")" = "libpageowner.so.0.${version#*.}" ] &&
	readelf -d "$lib/libpageowner.so.0" | grep -q 'SONAME.*\[libpageowner\.so\.0\]'; then
	ok "libpageowner.so -> .so.0 -> .so.0.${version#*.}, SONAME libpageowner.so.0"
else
	fail "library links or SONAME: $(ls -l "$lib"/libpageowner.so* | tr '\n' ' ')"
fi
modes=$(cd "$root" && stat -c '%a %n' usr/bin/pageowner usr/include/pageowner.h usr/lib/pkgconfig/pageowner.pc usr/share/man/man1/pageowner.1)
if [ "$modes" = "755 usr/bin/pageowner
644 usr/include/pageowner.h
644 usr/lib/pkgconfig/pageowner.pc
644 usr/share/man/man1/pageowner.1" ]; then
	ok "install: modes 755 for the CLI, 644 for the rest"
else
	fail "install: modes: $modes"
fi

# ---- the one version ----
po=$root/usr/bin/pageowner
out=$("$po" --version)
rc=$?
if [ "$rc" = 0 ] && [ "$out" = "pageowner $version" ]; then
	ok "pageowner --version: $out, exit 0, no dump"
else
	fail "pageowner --version: exit $rc, '$out' (want 'pageowner $version')"
fi
for v in PO_VERSION_MAJOR PO_VERSION_MINOR PO_VERSION_PATCH; do
	printf '%s ' "$(sed -n "s/^#define $v \([0-9]*\)$/\1/p" include/pageowner.h)"
done >"$tmp/parts"
if [ "$(cat "$tmp/parts")" = "$(echo "$version" | tr . ' ') " ] &&
	grep -qx "VERSION := $version" Makefile &&
	[ "$(dpkg-parsechangelog -SVersion 2>/dev/null || sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)" = "$version" ]; then
	ok "version $version: PO_VERSION_MAJOR/MINOR/PATCH, the Makefile, debian/changelog agree"
else
	fail "versions disagree: header $version ($(cat "$tmp/parts")), Makefile $(sed -n 's/^VERSION := //p' Makefile), changelog $(sed -n '1p' debian/changelog)"
fi
out=$(PYTHONPATH=$root/usr/lib/python3/dist-packages "$PYTHON" -c \
	'import pageowner; print(pageowner.__version__, pageowner.__file__)' 2>&1)
if [ "$out" = "$version $root/usr/lib/python3/dist-packages/$pymod" ]; then
	ok "python3: import pageowner from the installed dist-packages, __version__ $version"
else
	fail "python3 import from $root: $out"
fi

# ---- the man page: it renders, and names every command and option ----
man=$root/usr/share/man/man1/pageowner.1
if command -v man >/dev/null; then
	LC_ALL=C MANWIDTH=200 man --warnings -l "$man" >"$tmp/man.txt" 2>"$tmp/man.err"
	rc=$?
	if [ "$rc" = 0 ] && [ ! -s "$tmp/man.err" ] && grep -q '^NAME' "$tmp/man.txt"; then
		ok "man -l pageowner.1: renders, no warnings"
	else
		fail "man -l pageowner.1: exit $rc: $(head -c 600 "$tmp/man.err")"
	fi
else
	groff -man -Tutf8 -ww -z "$man" 2>"$tmp/man.err" && [ ! -s "$tmp/man.err" ] &&
		ok "groff -man pageowner.1: no warnings" || fail "groff: $(head -c 600 "$tmp/man.err")"
	groff -man -Tascii "$man" 2>/dev/null | col -bx >"$tmp/man.txt"
fi
missing=
for cmd in "" $("$po" --complete "pageowner "); do
	for opt in $("$po" --complete "pageowner $cmd -"); do
		if [ -z "$cmd" ]; then
			grep -qF -- "$opt" "$tmp/man.txt" || missing="$missing $opt"
		else
			# In the command's own section, up to the next one.
			sed -n "/^   $cmd\( \|\$\)/,/^   [a-z]/p" "$tmp/man.txt" |
				grep -qF -- "$opt" || missing="$missing $cmd:$opt"
		fi
	done
	[ -z "$cmd" ] || grep -q "^   $cmd\( \|\$\)" "$tmp/man.txt" || missing="$missing $cmd"
done
if [ -z "$missing" ]; then
	ok "pageowner(1) has every command, and each option in its command's section"
else
	fail "pageowner(1) lacks:$missing"
fi

# ---- bash completion, as bash calls it ----
# tab LINE: what _pageowner offers for LINE, the cursor at its end.
tab() {
	PATH=$root/usr/bin:$PATH bash --norc -c '
		source "$1"
		COMP_LINE=$2
		COMP_POINT=${#COMP_LINE}
		read -ra COMP_WORDS <<<"$COMP_LINE"
		[ "${COMP_LINE: -1}" = " " ] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_pageowner pageowner
		printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$root/usr/share/bash-completion/completions/pageowner" "$1" 2>&1 |
		tr '\n' ' '
}
out=$(tab "pageowner report --group ")
missing=
for key in stack pid tgid comm module allocator leaf memcg; do
	[[ " $out " == *" $key "* ]] || missing="$missing $key"
done
if [ -z "$missing" ] && [[ " $out " != *" pages "* ]]; then
	ok "completion: report --group <Tab> offers the keys: $out"
else
	fail "completion: report --group <Tab>: '$out' (lacks:$missing; pages is --sort's only)"
fi
out=$(tab "pageowner -c vmcore report --group stack,co")
[ "$out" = "stack,comm " ] && ok "completion: --group stack,co<Tab> -> stack,comm" ||
	fail "completion: --group stack,co<Tab>: '$out'"
out=$(tab "pageowner report --format js")
[ "$out" = "json jsonl " ] && ok "completion: --format js<Tab> -> json jsonl" ||
	fail "completion: --format js<Tab>: '$out'"
out=$(tab "pageowner st")
[ "$out" = "stacks " ] && ok "completion: st<Tab> -> stacks" ||
	fail "completion: st<Tab>: '$out'"
out=$(tab "pageowner -c ")
[ -z "${out// /}" ] && ok "completion: -c <Tab> is left to bash's file names" ||
	fail "completion: -c <Tab>: '$out'"

# ---- pkg-config, and a C program against the installed library ----
pc() { PKG_CONFIG_PATH=$root/usr/lib/pkgconfig pkg-config "$@"; }
out=$(pc --modversion pageowner 2>&1)
[ "$out" = "$version" ] && ok "pkg-config --modversion pageowner: $out" ||
	fail "pkg-config --modversion: $out"
libs=$(pc --libs pageowner 2>&1 | xargs)
[ "$libs" = "-lpageowner" ] && ok "pkg-config --libs pageowner: $libs" ||
	fail "pkg-config --libs pageowner: '$libs'"
static=$(pc --static --libs pageowner 2>&1 | xargs)
if [[ " $static " == *" -ldw "* && " $static " == *" -lkdumpfile "* && " $static " == *" -pthread "* ]]; then
	ok "pkg-config --static --libs pageowner: $static"
else
	fail "pkg-config --static --libs pageowner: '$static'"
fi
cat >"$tmp/t.c" <<'EOF'
#include <pageowner.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	struct po_program *prog;
	struct po_error *err;

	printf("%s %s\n", PO_VERSION_STRING, po_error_code_name(PO_ERR_FAULT));
	if (argc < 3)
		return 0;
	err = po_program_open(argv[1], argv[2], &prog);
	if (err) {
		fprintf(stderr, "%s\n", err->message);
		return 1;
	}
	po_program_destroy(prog);
	puts("opened");
	return 0;
}
EOF
run_args=()
[ -n "$vmlinux" ] && run_args=("$fx/vmcore.kdump" "$vmlinux")
want_out="$version fault${vmlinux:+ opened}"
cc -Wall -Werror -I"$root/usr/include" -o "$tmp/t-shared" "$tmp/t.c" \
	-L"$lib" $libs 2>"$tmp/cc.err"
out=$(LD_LIBRARY_PATH=$lib "$tmp/t-shared" "${run_args[@]}" 2>&1 | tr '\n' ' ')
if [ "${out% }" = "$want_out" ] &&
	[[ $(LD_LIBRARY_PATH=$lib ldd "$tmp/t-shared") == *"libpageowner.so.0 => $lib/"* ]]; then
	ok "a C program linked with -lpageowner runs on $lib's .so.0: $out"
else
	fail "shared link: '$out' $(head -c 300 "$tmp/cc.err")"
fi
cc -Wall -Werror -I"$root/usr/include" -o "$tmp/t-static" "$tmp/t.c" \
	-L"$lib" -Wl,-Bstatic -lpageowner -Wl,-Bdynamic ${static/-lpageowner/} \
	2>"$tmp/cc.err"
out=$("$tmp/t-static" "${run_args[@]}" 2>&1 | tr '\n' ' ')
if [ "${out% }" = "$want_out" ] && [[ $(ldd "$tmp/t-static") != *libpageowner* ]]; then
	ok "a C program linked with libpageowner.a (pkg-config --static) runs: $out"
else
	fail "static link: '$out' $(head -c 300 "$tmp/cc.err")"
fi
[ -n "$vmlinux" ] || skip "C programs on the bundled fixture: cannot unpack $fx/vmlinux"

# ---- make uninstall ----
check "make uninstall PREFIX=/usr DESTDIR=..." make -s "${vars[@]}" uninstall
left=$(find "$root" -type f -o -type l)
[ -z "$left" ] && ok "uninstall: no file left" || fail "uninstall left: $left"

# ---- PREFIX=/usr/local: the module where this python3 looks ----
root2=$tmp/local
make -s BUILD="$BUILD" PYTHON="$PYTHON" DESTDIR="$root2" install >/dev/null 2>&1
dir=$(dirname "$(cd "$root2" && ls -d usr/local/lib/python*/*/pageowner*.so 2>/dev/null)")
if [ "$dir" != . ] && "$PYTHON" -c 'import sys; sys.exit("/" + sys.argv[1] not in sys.path)' "$dir"; then
	ok "PREFIX=/usr/local: the module in /$dir, on $PYTHON's sys.path"
else
	fail "PREFIX=/usr/local: the module in '/$dir', not on $PYTHON's sys.path"
fi
make -s BUILD="$BUILD" PYTHON="$PYTHON" DESTDIR="$root2" uninstall >/dev/null 2>&1
left=$(find "$root2" -type f -o -type l)
[ -z "$left" ] && ok "PREFIX=/usr/local uninstall: no file left" || fail "uninstall left: $left"

# ---- the sources as shipped: git's files, the fixtures left out ----
src=$tmp/src/pageowner
mkdir -p "$src"
if git ls-files -co --exclude-standard | grep -v '^fixtures/linux-' |
	tar -cf - -T - | tar -xf - -C "$src"; then
	ok "a copy of the sources in $tmp/src"
else
	fail "copying the sources"
fi

# ---- pip install . in a venv ----
# Offline: no build isolation, with Debian's setuptools and wheel.
if "$PYTHON" -m venv --system-site-packages "$tmp/venv" >/dev/null 2>&1; then
	if (cd "$tmp" && "$tmp/venv/bin/pip" install -q --no-build-isolation \
		--no-index "$src") >"$tmp/pip.log" 2>&1; then
		ok "pip install --no-build-isolation . in a venv"
	else
		fail "pip install: $(tail -c 600 "$tmp/pip.log")"
	fi
	out=$(cd "$tmp" && "$tmp/venv/bin/python" -c 'import pageowner; print(pageowner.__version__, pageowner.__file__)' 2>&1)
	[[ $out == "$version $tmp/venv/"* ]] && ok "the venv imports pageowner $version from the venv" ||
		fail "the venv's import: $out"
else
	skip "pip install .: no python3 -m venv"
fi

# ---- the .debs ----
if ! command -v dpkg-buildpackage >/dev/null || ! command -v dh >/dev/null; then
	skip "the .debs: no dpkg-buildpackage or debhelper (scripts/install-deps.sh)"
else
	start=$(date +%s)
	if (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
		dpkg-buildpackage -us -uc -b) >"$tmp/deb.log" 2>&1; then
		ok "dpkg-buildpackage -us -uc -b, in $(($(date +%s) - start)) s"
	else
		fail "dpkg-buildpackage: $(tail -c 1000 "$tmp/deb.log")"
	fi
	debroot=$tmp/debroot
	for p in pageowner libpageowner0 libpageowner-dev python3-pageowner; do
		deb=$(ls "$tmp"/src/${p}_"$version"_*.deb 2>/dev/null)
		if [ -n "$deb" ] && dpkg -x "$deb" "$debroot"; then
			ok "$p: built, and dpkg -x"
		else
			fail "$p: no .deb"
		fi
	done
	if command -v lintian >/dev/null; then
		lintian -I --pedantic --fail-on error,warning,info,pedantic \
			"$tmp"/src/pageowner_"$version"_*.changes >"$tmp/lintian" 2>&1
		rc=$?
		out=$(grep -v 'root privileges' "$tmp/lintian")
		[ "$rc" = 0 ] && [ -z "$out" ] && ok "lintian -I --pedantic: clean" ||
			fail "lintian: exit $rc: $out"
	else
		skip "lintian: not installed"
	fi
	ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH) missing=
	for f in usr/bin/pageowner usr/share/man/man1/pageowner.1.gz \
		usr/share/bash-completion/completions/pageowner \
		usr/lib/"$ma"/libpageowner.so.0 usr/lib/"$ma"/libpageowner.so \
		usr/lib/"$ma"/libpageowner.a usr/lib/"$ma"/pkgconfig/pageowner.pc \
		usr/include/pageowner.h usr/lib/python3/dist-packages/"$pymod"; do
		[ -e "$debroot/$f" ] || missing="$missing $f"
	done
	[ -z "${missing:-}" ] && ok "the .debs hold the CLI, man page, completion, library, -dev files, module" ||
		fail "the .debs lack:$missing"
	if [ -z "$vmlinux" ]; then
		skip "the .debs on the bundled fixture: cannot unpack $fx/vmlinux"
	else
		# README's job (scripts/demo.sh): info, then dump as the kernel would.
		if "$debroot/usr/bin/pageowner" -q -c "$fx/vmcore.kdump" -s "$vmlinux" info >"$tmp/info" 2>&1 &&
			"$debroot/usr/bin/pageowner" -q -c "$fx/vmcore.kdump" -s "$vmlinux" dump >"$tmp/dump.deb" &&
			"$BUILD/pageowner" -q -c "$fx/vmcore.kdump" -s "$vmlinux" dump >"$tmp/dump.build" &&
			[ -s "$tmp/dump.deb" ] && cmp -s "$tmp/dump.deb" "$tmp/dump.build"; then
			ok "the .deb's pageowner: info, and dump identical to $BUILD's ($(wc -l <"$tmp/dump.deb") lines)"
		else
			fail "the .deb's pageowner on $fx: $(head -c 600 "$tmp/info")"
		fi
		out=$(PYTHONPATH=$debroot/usr/lib/python3/dist-packages "$PYTHON" -c '
import sys, pageowner
prog = pageowner.open(sys.argv[1], vmlinux=sys.argv[2])
print(pageowner.__version__, pageowner.__file__.startswith(sys.argv[3]),
      sum(1 for _ in prog.page_owners()) > 0)' "$fx/vmcore.kdump" "$vmlinux" "$debroot" 2>&1)
		[ "$out" = "$version True True" ] &&
			ok "python3-pageowner from the .deb: imports, opens the fixture, walks its records" ||
			fail "python3-pageowner from the .deb: $out"
	fi
fi

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" = 0 ]
