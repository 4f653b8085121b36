# SPDX-License-Identifier: GPL-3.0-or-later
# pageowner: post-mortem page_owner analysis of Linux vmcores.
#
#   make            build libpageowner.a, libpageowner.so and the CLI
#   make check      build and run every test
#   make install    install the CLI, libpageowner, the Python module, the
#                   man page and bash completion (make uninstall removes them)
#   make deps       install the Debian 12 packages needed to build
#   make fixtures   rebuild the real-kernel fixture (needs ~40 min)
#   SANITIZE=address,undefined  build with sanitizers
#   WERROR=1        warnings are errors (CI)

CC ?= gcc

# The release.  include/pageowner.h's PO_VERSION_* say the same, or the
# build stops; --version, __version__, pageowner.pc and the man page take
# it from there.
VERSION := 0.1.0
VERSION_WORDS := $(subst ., ,$(VERSION))
HEADER_VERSION := $(shell sed -n 's/^\#define PO_VERSION_[A-Z]* "*\([0-9.]*\)"*$$/\1/p' include/pageowner.h)
ifneq ($(strip $(HEADER_VERSION)),$(VERSION_WORDS) $(VERSION))
$(error include/pageowner.h says version "$(HEADER_VERSION)", the Makefile's VERSION $(VERSION))
endif
PKGS := libdw libelf libkdumpfile libaddrxlat libdeflate lzo2 libzstd snappy
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wformat-security -Wimplicit-fallthrough \
	-Wmissing-prototypes -Wpointer-arith -Wshadow -Wvla \
	-Wno-unused-parameter
CFLAGS ?= -O2 -g
# -MMD -MP: each object's header dependencies, in BUILD/**/*.d.  Only the
# library and the tests that reach its internals get -Isrc: the CLI, the
# Python module and the examples see include/pageowner.h and nothing else.
override CFLAGS += -std=gnu11 -pthread $(WARN) -Iinclude $(PKG_CFLAGS) \
	-fPIC -fvisibility=hidden -D_FILE_OFFSET_BITS=64 -MMD -MP
override LDFLAGS += -pthread
ifeq ($(WERROR),1)
override CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
override CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
override LDFLAGS += -fsanitize=$(SANITIZE)
endif

BUILD ?= build

# The Python module (layer 9): python/*.c over libpageowner.a.  Debian's
# python3 by default, where apt puts pytest.
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
PY_INCLUDE := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)
PY_SUFFIX := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))' 2>/dev/null)
PY_OBJS := $(patsubst python/%.c,$(BUILD)/python/%.o,$(wildcard python/*.c))
PY_MODULE := $(BUILD)/python/pageowner$(PY_SUFFIX)

# The library's layers, one folder each (src/README.md).
LAYERS := util dump debuginfo xlat object kernel walk program report
LIB_SRCS := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/src/%.o)
CLI_OBJS := $(patsubst tools/%.c,$(BUILD)/tools/%.o,$(wildcard tools/*.c))
# Tests by kind: unit/ runs alone, real/ takes a dump.
TEST_SRCS := $(wildcard tests/unit/*.c tests/real/*.c)
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
INTERNAL_CFLAGS := -Isrc
# The SONAME's number is the ABI's: it changes when the ABI breaks, not
# with VERSION.  The file is named for both.
SONAME := libpageowner.so.0
LIB_REALNAME := $(SONAME).$(word 2,$(VERSION_WORDS)).$(word 3,$(VERSION_WORDS))
# One synthetic kernel per stack depot era (see tests/eras/era.h).
ERA_SRCS := $(wildcard tests/eras/*/lib/stackdepot.c)
ERA_LIBS := $(patsubst tests/eras/%/lib/stackdepot.c,$(BUILD)/eras/%.so,$(ERA_SRCS))

all: $(BUILD)/pageowner $(BUILD)/libpageowner.so $(PY_MODULE) $(BUILD)/pageowner.1

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INTERNAL_CFLAGS) -c -o $@ $<

# The HTML report page, as a C string literal.
$(BUILD)/src/report/report_html.inc: src/report/report.html
	@mkdir -p $(dir $@)
	@grep -qx 'PO-DATA' $< || { echo "$<: no PO-DATA line" >&2; exit 1; }
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< >$@

$(BUILD)/src/report/report_html.o: $(BUILD)/src/report/report_html.inc
$(BUILD)/src/report/report_html.o: override CFLAGS += -I$(BUILD)/src/report

$(BUILD)/tools/%.o: tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libpageowner.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libpageowner.so: $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,$(SONAME) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The interpreter "script" and "py" start: the one the module is built for.
$(BUILD)/tools/pyrun.o: override CFLAGS += -DPO_PYTHON='"$(PYTHON)"'

$(BUILD)/pageowner: $(CLI_OBJS) $(BUILD)/libpageowner.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lreadline -lsqlite3

# pageowner(1): the option tables, through --help, in docs/pageowner.1.in.
$(BUILD)/pageowner.1: docs/pageowner.1.in docs/gen-man.py $(BUILD)/pageowner
	$(PYTHON) docs/gen-man.py $(BUILD)/pageowner $< $(VERSION) >$@.tmp
	mv $@.tmp $@

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libpageowner.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INTERNAL_CFLAGS) -Itests/unit -Itests/eras -o $@ $< \
		$(BUILD)/libpageowner.a $(LDFLAGS) $(PKG_LIBS) -ldl

$(BUILD)/tests/real/%: tests/real/%.c $(BUILD)/libpageowner.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INTERNAL_CFLAGS) -Itests/unit -o $@ $< \
		$(BUILD)/libpageowner.a $(LDFLAGS) $(PKG_LIBS)

# -O0 so that every static stays in the DWARF as the kernel's would.
$(BUILD)/eras/%.so: tests/eras/%/lib/stackdepot.c $(wildcard tests/eras/*.h tests/eras/*/include/linux/*.h)
	@mkdir -p $(dir $@)
	$(CC) -g -O0 -shared -fPIC -Wall -Wextra -Itests/eras -o $@ $<

$(BUILD)/tests/unit/test_depot_eras: $(ERA_LIBS)

# kallsyms in each of its address encodings (see tests/eras/kallsyms/).
KALLSYMS_ERAS := absolute base-relative abs-percpu place-relative
KALLSYMS_LIBS := $(KALLSYMS_ERAS:%=$(BUILD)/eras-kallsyms/kallsyms-%.so)

$(BUILD)/eras-kallsyms/kallsyms-%.so: tests/eras/kallsyms/kallsyms.c
	@mkdir -p $(dir $@)
	$(CC) -g -O0 -fno-toplevel-reorder -shared -fPIC -Wall -Wextra \
		-DKALLSYMS_$(shell echo $* | tr a-z- A-Z_) -o $@ $<

$(BUILD)/tests/unit/test_kallsyms_eras: $(KALLSYMS_LIBS)

# struct page of each era (see tests/eras/page/).
PAGE_ERAS := v4.14 v6.1 v6.6 v6.10 v6.10-macros v6.12 v7.1 v7.1-hvo
PAGE_LIBS := $(PAGE_ERAS:%=$(BUILD)/eras-page/page-%.so)

$(BUILD)/eras-page/page-%.so: tests/eras/page/page.c
	@mkdir -p $(dir $@)
	$(CC) -g -O0 -shared -fPIC -Wall -Wextra \
		-DPAGE_$(shell echo $* | tr a-z.- A-Z__) -o $@ $<

$(BUILD)/tests/unit/test_page_eras: $(PAGE_LIBS)

# page_ext and struct page_owner of each era (see tests/eras/owner/): two
# files, so that pageowner finds the statics of mm/page_owner.c by name.
OWNER_ERAS := v4.14 v5.4-rc1 v5.4 v5.11 v5.13 v5.18 v6.8
OWNER_LIBS := $(OWNER_ERAS:%=$(BUILD)/eras-owner/owner-%.so)
OWNER_SRCS := tests/eras/owner/mm/page_owner.c tests/eras/owner/mm/page_ext.c

$(BUILD)/eras-owner/owner-%.so: $(OWNER_SRCS) tests/eras/owner/owner-era.h tests/eras/owner/record.h
	@mkdir -p $(dir $@)
	$(CC) -g -O0 -shared -fPIC -Wall -Wextra \
		-DOWNER_$(shell echo $* | tr a-z.- A-Z__) -o $@ $(OWNER_SRCS)

$(BUILD)/tests/unit/test_owner_eras: $(OWNER_LIBS)

# The same eras built by clang, whose DWARF 5 differs from gcc's (addresses
# through .debug_addr, for one): kernels are built with either.
CLANG ?= $(shell command -v clang-14 2>/dev/null)
ERA_CLANG_LIBS := $(if $(CLANG),$(ERA_LIBS:$(BUILD)/eras/%=$(BUILD)/eras-clang/%))

$(BUILD)/eras-clang/%.so: tests/eras/%/lib/stackdepot.c $(wildcard tests/eras/*.h tests/eras/*/include/linux/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) -g -O0 -shared -fPIC -Wall -Wextra -Itests/eras -o $@ $<

$(BUILD)/python/%.o: python/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -I$(PY_INCLUDE) -c -o $@ $<

$(PY_MODULE): $(PY_OBJS) $(BUILD)/libpageowner.a
	$(CC) -shared $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

python: $(PY_MODULE)

$(BUILD)/bench/pobench: bench/pobench.c $(BUILD)/libpageowner.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INTERNAL_CFLAGS) -o $@ $< $(BUILD)/libpageowner.a $(LDFLAGS) $(PKG_LIBS)

# pages/second of report, dump and stacks against the floor and the naive
# baseline, on the bundled fixture and any big-memory fixture present.
bench: $(BUILD)/bench/pobench $(BUILD)/pageowner $(PY_MODULE)
	BUILD=$(BUILD) PYTHON=$(PYTHON) bench/run.sh

# Fuzz targets (libFuzzer): `make fuzz` builds them with clang, ASan and
# UBSan into build-fuzz/ and runs each for FUZZ_TIME seconds.
FUZZ_TIME ?= 60
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_RUN ?= $(FUZZ_TARGETS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/libpageowner.a $(ERA_LIBS) tests/eras/loader.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INTERNAL_CFLAGS) -fsanitize=fuzzer -Itests/eras \
		-DERA_LIB='"$(abspath $(BUILD)/eras/v6.12.so)"' -o $@ $< \
		$(BUILD)/libpageowner.a $(LDFLAGS) $(PKG_LIBS) -ldl

# The same targets as plain programs that replay files, for valgrind.
$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libpageowner.a $(ERA_LIBS) tests/eras/loader.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INTERNAL_CFLAGS) -Itests/eras \
		-DERA_LIB='"$(abspath $(BUILD)/eras/v6.12.so)"' -o $@ $< \
		tests/fuzz/replay.c $(BUILD)/libpageowner.a $(LDFLAGS) \
		$(PKG_LIBS) -ldl

fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang-14 SANITIZE=address,undefined \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" fuzz-run

fuzz-run: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
	BUILD=$(BUILD) FUZZ_TIME=$(FUZZ_TIME) tests/fuzz/run.sh $(FUZZ_RUN)

check: all $(TEST_BINS) $(ERA_LIBS) $(ERA_CLANG_LIBS)
	BUILD=$(BUILD) PYTHON=$(PYTHON) tests/run-tests.sh

# make install [PREFIX=/usr/local] [DESTDIR=] [LIBDIR=$(PREFIX)/lib]: the
# CLI, the library (shared, static, header, pageowner.pc), the man page,
# bash completion, the docs, and the Python module where Debian's python3
# finds it: /usr/lib/python3/dist-packages for PREFIX=/usr (a package),
# else PREFIX/lib/python3.X/dist-packages (override with PY_SITEDIR=).
# make uninstall removes what install put there, with the same variables.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/pageowner
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PY_SITEDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/python3/dist-packages,$(PREFIX)/lib/python$(PY_VERSION)/dist-packages)

# For static links (pkg-config --static): the libraries libpageowner uses.
define PC_FILE
prefix=$(PREFIX)
libdir=$(LIBDIR)
includedir=$(INCLUDEDIR)

Name: pageowner
Description: post-mortem page_owner analysis of Linux vmcores
Version: $(VERSION)
Requires.private: $(PKGS)
Libs: -L$${libdir} -lpageowner
Libs.private: -pthread
Cflags: -I$${includedir}
endef
export PC_FILE

INSTALLED := $(BINDIR)/pageowner $(LIBDIR)/$(LIB_REALNAME) \
	$(LIBDIR)/$(SONAME) $(LIBDIR)/libpageowner.so $(LIBDIR)/libpageowner.a \
	$(INCLUDEDIR)/pageowner.h $(PKGCONFIGDIR)/pageowner.pc \
	$(MANDIR)/man1/pageowner.1 $(BASHCOMPDIR)/pageowner \
	$(DOCDIR)/README.md $(DOCDIR)/COPYING \
	$(PY_SITEDIR)/$(notdir $(PY_MODULE))

install: all $(BUILD)/libpageowner.a
	install -Dm755 $(BUILD)/pageowner $(DESTDIR)$(BINDIR)/pageowner
	install -Dm644 $(BUILD)/libpageowner.so $(DESTDIR)$(LIBDIR)/$(LIB_REALNAME)
	ln -sfn $(LIB_REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sfn $(SONAME) $(DESTDIR)$(LIBDIR)/libpageowner.so
	install -Dm644 $(BUILD)/libpageowner.a $(DESTDIR)$(LIBDIR)/libpageowner.a
	install -Dm644 include/pageowner.h $(DESTDIR)$(INCLUDEDIR)/pageowner.h
	mkdir -p $(DESTDIR)$(PKGCONFIGDIR)
	printf '%s\n' "$$PC_FILE" >$(DESTDIR)$(PKGCONFIGDIR)/pageowner.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/pageowner.pc
	install -Dm644 $(BUILD)/pageowner.1 $(DESTDIR)$(MANDIR)/man1/pageowner.1
	install -Dm644 completion/pageowner $(DESTDIR)$(BASHCOMPDIR)/pageowner
	install -Dm644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -Dm644 COPYING $(DESTDIR)$(DOCDIR)/COPYING
	install -Dm644 $(PY_MODULE) $(DESTDIR)$(PY_SITEDIR)/$(notdir $(PY_MODULE))

# The files, and the one folder that is pageowner's alone: the others
# (bin/, lib/, ...) may be shared, if empty, with what installs next.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

deps:
	scripts/install-deps.sh

fixtures:
	fixtures/make-fixture.sh 6.12

format-check:
	clang-format-14 --dry-run --Werror src/*/*.c src/*/*.h include/*.h python/*.c python/*.h \
		tools/*.c bench/*.c tests/fuzz/*.c tests/eras/loader.h tests/unit/*.h $(TEST_SRCS) \
		$(ERA_SRCS) tests/eras/kallsyms/kallsyms.c tests/eras/page/page.c \
		$(OWNER_SRCS) tests/eras/owner/owner-era.h tests/eras/owner/record.h $(wildcard tests/eras/*.h tests/eras/*/include/linux/*.h)

# No file of the library includes from a layer above its own, and no
# object calls into one (src/README.md).
layer-check: $(LIB_OBJS)
	scripts/check-layers.sh $(BUILD) $(LAYERS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

.PHONY: all python install uninstall bench check deps fixtures format-check fuzz fuzz-run layer-check clean
.SECONDARY:
