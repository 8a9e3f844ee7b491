# rollsim - build, test, demo, benchmark.
#
#   make demo     install missing Debian packages, build, run the seed scenario
#   make check    install missing Debian packages, build, run every test
#   make deps     install missing Debian packages (build, plots, tests)
#   make test     the tests of `make check`, without installing anything
#   make bench    events and simulated requests per second, against
#                 commit e760556 built beside the tree (tools/bench.sh),
#                 a minimal C program and a SimPy model of the same model;
#                 what plots and report.html cost (tools/bench-report.sh)
#   make bench-deps  install what make bench also uses (valgrind, SimPy)
#   make bench-scale  10,000 pods, 100,000 req/s, one simulated hour,
#                 against e760556, and the cost per request at 10,000
#                 pods against 100 (neither is part of make check)
#   make asan     build and test with AddressSanitizer and UBSan, any
#                 report fatal (SANITIZE=address,undefined in build-asan/)
#   make install  PREFIX=/usr/local
#   make format   lay out the C sources as .clang-format says (format-check
#                 only lists the files that differ)
#   V=1 shows full commands; DEVELOPER=1 turns warnings into errors.
#
# Only demo, check, deps and bench-deps install packages (apt-get,
# through sudo when not root).  Every other goal, plain `make` and
# `make install` included, names the Debian packages that are missing
# and stops.

PREFIX  ?= /usr/local
CC      ?= cc
OPT     ?= -O2 -g
BUILD   ?= build
empty   :=
space   := $(empty) $(empty)
comma   := ,

PKGS    := $(shell sh tools/setup-deps.sh --pkg-config-modules)
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith \
           -Wundef -Wno-unused-parameter
ifeq ($(DEVELOPER),1)
WARN    += -Werror
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Isim -Istrategies -I$(BUILD) \
            -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 \
            -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 \
            -DROLLSIM_VERSION='"$(VERSION)"'
ALL_CFLAGS = -std=c11 $(OPT) $(LTO) $(SANITIZE_FLAGS) $(WARN) $(PKG_CFLAGS) \
             $(CFLAGS) -MMD -MP
LIBS    = $(PKG_LIBS) -lcsv -lm

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

# SANITIZE=address,undefined (as git's knob) builds with those sanitizers,
# and makes every report fatal: with UBSan's default a report is printed
# and the test still passes.  make asan and make fuzz set it; give it a
# BUILD directory of its own.
SANITIZERS := address undefined
ifneq ($(SANITIZE),)
SANITIZE_UNKNOWN := $(filter-out $(SANITIZERS),$(subst $(comma),$(space),$(SANITIZE)))
ifneq ($(SANITIZE_UNKNOWN),)
$(error SANITIZE: unknown sanitizer '$(SANITIZE_UNKNOWN)' (known: $(SANITIZERS)))
endif
SANITIZE_FLAGS := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all \
                  -fno-omit-frame-pointer
# UBSan's check of a double too large for the integer it is converted
# to is not part of GCC's -fsanitize=undefined (it is of clang's, which
# make fuzz uses): asked for by name.
ifneq ($(filter undefined,$(subst $(comma),$(space),$(SANITIZE))),)
SANITIZE_FLAGS += -fsanitize=float-cast-overflow
endif
export UBSAN_OPTIONS ?= print_stacktrace=1
endif

# Link-time optimisation (GCC): the per-request path crosses modules
# (engine, traffic, service, metrics, rng), and inlining across them is
# worth about a tenth of its time.  The objects are fat (real code beside
# the LTO bytecode), so librollsim.a also links without LTO: the test
# programs do (-fno-lto), which keeps their links fast.  Not with the
# sanitizers.  LTO= turns it off.
ifeq ($(SANITIZE)$(origin LTO),undefined)
LTO := $(if $(shell $(CC) -v 2>&1 | grep -q '^gcc version' && echo y),\
          -flto=auto -ffat-lto-objects)
endif

ifneq ($(V),1)
Q = @
E = @echo
else
Q =
E = @:
endif

LIB_SRC  := $(filter-out sim/main.c,$(wildcard sim/*.c)) $(wildcard strategies/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/plot-scripts.o \
            $(BUILD)/seed-scenario.o $(BUILD)/reference-head.o \
            $(BUILD)/report-css.o $(BUILD)/report-js.o
TEST_SRC := $(wildcard tests/test-*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_HELPER_OBJ := $(BUILD)/tests/testutil.o
TEST_SCRIPTS := $(filter-out tests/cli-lib.sh,$(wildcard tests/cli-*.sh))
BENCH_BIN := $(BUILD)/tests/bench
PLOT_GP  := $(wildcard plots/*.gp)

.PHONY: all deps demo check test bench bench-deps bench-scale asan install clean docs FORCE
all: $(BUILD)/rollsim

# Dependencies.  tools/setup-deps.sh finds what each goal needs the way
# the build uses it (pkg-config, a link test, the PATH): build for every
# goal, run (gnuplot) for demo and the tests, test (prove; chromium,
# chromedriver and python3-selenium for report.html's browser test) for
# the tests.
# It installs what is missing for demo, check and deps, and only names it
# for the rest.  Every object waits for the stamp, so with -j nothing
# compiles before the packages are there; the stamp keeps the search out
# of later builds, and deps runs it again.
DEPS_NEED := build
ifneq ($(filter demo check test deps,$(MAKECMDGOALS)),)
DEPS_NEED += run
endif
ifneq ($(filter check test deps,$(MAKECMDGOALS)),)
DEPS_NEED += test
endif
ifeq ($(filter demo check deps,$(MAKECMDGOALS)),)
DEPS_MODE := --check
endif
DEPS_STAMP := $(BUILD)/.deps-$(subst $(space),-,$(strip $(DEPS_NEED)))

deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/setup-deps.sh $(if $(filter deps,$(MAKECMDGOALS)),FORCE)
	$(Q)CC='$(CC)' sh tools/setup-deps.sh $(DEPS_MODE) $(DEPS_NEED)
	$(Q)mkdir -p $(BUILD) && touch $@
FORCE:

$(BUILD)/rollsim: $(BUILD)/sim/main.o $(BUILD)/librollsim.a | $(DEPS_STAMP)
	$(E) "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/librollsim.a: $(LIB_OBJ)
	$(E) "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(E) "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# The gnuplot scripts are compiled in, so `rollsim plot` works from any
# directory; a run copies them next to its plots for restyling.
$(BUILD)/plot-scripts.c: $(PLOT_GP) tools/embed.sh
	@mkdir -p $(BUILD)
	$(E) "  GEN     $@"
	$(Q)sh tools/embed.sh plots $(PLOT_GP) > $@.tmp && mv $@.tmp $@

# The seed scenario is compiled in from its file: `rollsim run` with no
# file runs exactly scenarios/seed-rolling.ini.
$(BUILD)/seed-scenario.c: scenarios/seed-rolling.ini tools/embed.sh
	@mkdir -p $(BUILD)
	$(E) "  GEN     $@"
	$(Q)sh tools/embed.sh text sim_seed_scenario_text $< > $@.tmp && mv $@.tmp $@

# The prose that opens docs/scenario-reference.md, compiled in beside the
# key tables it introduces.
$(BUILD)/reference-head.c: sim/scenario-reference-head.md tools/embed.sh
	@mkdir -p $(BUILD)
	$(E) "  GEN     $@"
	$(Q)sh tools/embed.sh text sim_reference_head_text $< > $@.tmp && mv $@.tmp $@

# report.html's style and script (sim/html-report.c), compiled in: the
# page carries them, so it needs nothing from anywhere.
$(BUILD)/report-css.c: report/report.css tools/embed.sh
	@mkdir -p $(BUILD)
	$(E) "  GEN     $@"
	$(Q)sh tools/embed.sh text sim_report_css_text $< > $@.tmp && mv $@.tmp $@
$(BUILD)/report-js.c: report/report.js tools/embed.sh
	@mkdir -p $(BUILD)
	$(E) "  GEN     $@"
	$(Q)sh tools/embed.sh text sim_report_js_text $< > $@.tmp && mv $@.tmp $@

# -DROLLSIM_VERSION comes from the VERSION file: the objects whose source
# names it are compiled again when it changes.
VERSION_OBJ := $(patsubst %.c,$(BUILD)/%.o,\
                 $(shell grep -l ROLLSIM_VERSION sim/*.c strategies/*.c tests/*.c))
$(VERSION_OBJ): VERSION

# Objects of the generated sources.
$(BUILD)/%.o: $(BUILD)/%.c | $(DEPS_STAMP)
	$(E) "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# The registry's contract test links the library alone, with a strategy
# of its own: the library needs no main.c, and a strategy is one file.
$(BUILD)/tests/test-registry: $(BUILD)/tests/test-registry.o \
                              $(BUILD)/tests/noop-strategy.o \
                              $(BUILD)/librollsim.a
	$(E) "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -fno-lto $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_HELPER_OBJ) $(BUILD)/librollsim.a
	$(E) "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -fno-lto $(LDFLAGS) -o $@ $^ $(LIBS)

demo: $(BUILD)/rollsim | $(DEPS_STAMP)
	$(Q)sh tools/demo.sh $(BUILD)/rollsim

# prove runs the test programs in parallel, one per core; the
# command-line scripts go first, as they take longest.  A GTest program
# bails out at its first failure, and prove -j then stops the others and
# still prints "Result: PASS" (with a non-zero status): say it plainly.
PROVE_JOBS ?= $$(nproc 2>/dev/null || echo 2)
test check: $(BUILD)/rollsim $(TEST_BIN) | $(DEPS_STAMP)
	$(Q)ROLLSIM=$(abspath $(BUILD))/rollsim SRCDIR=$(CURDIR) \
	    prove -j"$(PROVE_JOBS)" --exec '' $(TEST_SCRIPTS) $(TEST_BIN) \
	    || { echo "make check: FAILED: a test failed or bailed out" \
	              "(prove -j may still print 'Result: PASS'; look for" \
	              "'Bail out!' above)" >&2; exit 1; }

# The baseline is built by tools/bench.sh into $(BUILD)/base-e760556.
bench: $(BUILD)/rollsim
	$(Q)sh tools/bench.sh bench $(BUILD)/rollsim
bench-scale: $(BUILD)/rollsim
	$(Q)sh tools/bench.sh scale $(BUILD)/rollsim
bench-deps:
	$(Q)CC='$(CC)' sh tools/setup-deps.sh bench

asan:
	$(Q)$(MAKE) BUILD=build-asan SANITIZE=address,undefined OPT='-O1 -g' test

# Fuzzing is optional and needs clang (docs/fuzzing.md): libFuzzer with
# ASan and UBSan, one harness per tests/fuzz-NAME.c: fuzz-scenario on the
# scenario loader and the unit and distribution parsers, fuzz-run on
# whole runs and their invariants, fuzz-yaml on the YAML reader and the
# import, fuzz-csv on the rate-profile, plot-data and merge readers.
# make fuzz runs every harness for FUZZ_SECONDS each, in turn; make
# fuzz-NAME one of them.  Harness NAME reads its seeds FUZZ_SEEDS_NAME
# where they are (default tests/fuzz/NAME/), its dictionary FUZZ_DICT_NAME
# (default tests/fuzz/NAME.dict, if there is one), takes FUZZ_OPTS_NAME;
# new inputs go to build-fuzz/corpus/NAME/, and crashes, leaks and hangs
# to build-fuzz/crashes/NAME-*.
FUZZ_SECONDS ?= 60
FUZZ_NAMES := $(patsubst tests/fuzz-%.c,%,$(wildcard tests/fuzz-*.c))
FUZZ_SEEDS_scenario := tests/fuzz/corpus tests/data/bad scenarios
FUZZ_SEEDS_run := tests/fuzz/corpus scenarios
FUZZ_DICT_run := tests/fuzz/scenario.dict
FUZZ_OPTS_run := -timeout=20 -rss_limit_mb=2048
FUZZ_SEEDS_yaml := tests/data/import scenarios/import
.PHONY: fuzz fuzz-build $(FUZZ_NAMES:%=fuzz-%)
fuzz: $(FUZZ_NAMES:%=fuzz-%)
$(FUZZ_NAMES:%=fuzz-%): fuzz-%: fuzz-build
	@mkdir -p build-fuzz/corpus/$* build-fuzz/crashes
	@echo "fuzz-$*: $(FUZZ_SECONDS)s; crashes go to build-fuzz/crashes/"
	$(Q)build-fuzz/fuzz-$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    $(addprefix -dict=,$(or $(FUZZ_DICT_$*),$(wildcard tests/fuzz/$*.dict))) \
	    -artifact_prefix=build-fuzz/crashes/$*- $(FUZZ_OPTS_$*) $(FUZZ_ARGS) \
	    build-fuzz/corpus/$* \
	    $(or $(FUZZ_SEEDS_$*),$(wildcard tests/fuzz/$*))
fuzz-build:
	@command -v clang >/dev/null 2>&1 \
	    || { echo "make fuzz needs clang: apt-get install clang" >&2; exit 1; }
	$(Q)$(MAKE) BUILD=build-fuzz CC=clang SANITIZE=address,undefined \
	    OPT='-O1 -g -fsanitize=fuzzer-no-link' LDFLAGS=-fsanitize=fuzzer \
	    $(FUZZ_NAMES:%=build-fuzz/fuzz-%)
$(BUILD)/fuzz-%: $(BUILD)/tests/fuzz-%.o $(BUILD)/librollsim.a
	$(E) "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# Layout: .clang-format describes the house style (written for
# clang-format 14, Debian 12's).  make format rewrites the C sources in
# place; make format-check lists the files it would change, and fails.
CLANG_FORMAT ?= clang-format
FORMAT_SRC := $(wildcard sim/*.[ch] strategies/*.[ch] tests/*.[ch])
.PHONY: format format-check
format:
	$(Q)CC='$(CC)' sh tools/setup-deps.sh --check format
	$(Q)$(CLANG_FORMAT) -i $(FORMAT_SRC)
format-check:
	$(Q)CC='$(CC)' sh tools/setup-deps.sh --check format
	$(Q)bad=0; for f in $(FORMAT_SRC); do \
	    $(CLANG_FORMAT) "$$f" | cmp -s "$$f" - && continue; \
	    [ $$bad = 1 ] || echo "not in the layout of .clang-format (make format):"; \
	    echo "  $$f"; bad=1; \
	done; exit $$bad

# docs/import.md's mapping table is the program's, between its markers.
docs: $(BUILD)/rollsim
	$(Q)$(BUILD)/rollsim keys --markdown > docs/scenario-reference.md
	$(Q)$(BUILD)/rollsim import --table markdown > $(BUILD)/import-table.md
	$(Q)awk -v t=$(BUILD)/import-table.md \
	    '/^<!-- end of table -->$$/ { skip = 0 } !skip { print } \
	     /^<!-- table: / { while ((getline l < t) > 0) print l; skip = 1 }' \
	    docs/import.md > docs/import.md.tmp && mv docs/import.md.tmp docs/import.md

# make install puts the binary in PREFIX/bin, the shipped scenarios in
# PREFIX/share/rollsim/scenarios (rollsim finds them there, next to its
# bin/: `rollsim run canary-bad.ini` names them when the file is not in
# the working directory), and the documentation in
# PREFIX/share/doc/rollsim.  make uninstall removes exactly those.
DATADIR := $(PREFIX)/share/rollsim
DOCDIR  := $(PREFIX)/share/doc/rollsim
.PHONY: uninstall
install: $(BUILD)/rollsim
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/scenarios \
	    $(DESTDIR)$(DATADIR)/scenarios/import \
	    $(DESTDIR)$(DATADIR)/scenarios/tutorial $(DESTDIR)$(DOCDIR)/docs/img \
	    $(DESTDIR)$(DOCDIR)/docs/fanout
	install -m 755 $(BUILD)/rollsim $(DESTDIR)$(PREFIX)/bin/rollsim
	install -m 644 scenarios/*.ini $(DESTDIR)$(DATADIR)/scenarios/
	install -m 644 $(wildcard scenarios/import/*) $(DESTDIR)$(DATADIR)/scenarios/import/
	install -m 644 scenarios/tutorial/*.ini $(DESTDIR)$(DATADIR)/scenarios/tutorial/
	install -m 644 README.md COPYING $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	install -m 644 docs/img/* $(DESTDIR)$(DOCDIR)/docs/img/
	install -m 644 docs/fanout/* $(DESTDIR)$(DOCDIR)/docs/fanout/
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/rollsim
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

clean:
	rm -rf $(BUILD) build-asan build-fuzz

# (Not the baseline's, which make bench builds under $(BUILD)/base-*.)
-include $(shell find $(BUILD) -path '$(BUILD)/base-*' -prune -o -name '*.d' -print 2>/dev/null)
.SECONDARY:
