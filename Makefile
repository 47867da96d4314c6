# SPDX-License-Identifier: MIT
# Plain GNU make for zinit: `make`, `make check`, `make STATIC=1`, `make demo`.

PKGS      := libuv yaml-0.1 jansson hiredis
# The zstor stand-in computes its checksums with libsodium: an implementation of blake2b other
# than zinit's own (src/qsfs/blake2b.c), so that the tests compare the two.
STANDIN_PKGS := libsodium
CC        ?= cc
CFLAGS    ?= -O2 -g
WARN      := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS  += -D_GNU_SOURCE -Iinclude
BUILD     ?= build
BIN       ?= zinit

# Lazy (=): evaluated when a recipe runs, so `make deps check` works where pkg-config and the
# libraries are installed by the `deps` step of the same make.
# The static binary drops the functions nothing calls (-ffunction-sections, --gc-sections):
# 16 KiB less, which keeps it under issue 4's 1.5 MiB (bench scenario 7); and zinit's own code
# has no unwind tables (C, no exceptions, no thread cancellation, no backtrace()).
ifeq ($(STATIC),1)
  PKG_CFLAGS = $(shell pkg-config --cflags libuv-static yaml-0.1 jansson hiredis) \
	       -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables
  PKG_LIBS   = $(shell pkg-config --static --libs libuv-static yaml-0.1 jansson hiredis) \
	       -Wl,--gc-sections
  STANDIN_FLAGS = $(shell pkg-config --cflags --static --libs $(STANDIN_PKGS))
  LDFLAGS    += -static
else
  PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
  PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
  STANDIN_FLAGS = $(shell pkg-config --cflags --libs $(STANDIN_PKGS))
endif

# src/qsfs/ holds the QSFS built-ins (hook handler, wait_hooks, ns, probes): separate processes.
SRCS      := $(wildcard src/*.c src/qsfs/*.c)
LIB_OBJS  := $(patsubst src/%.c,$(BUILD)/%.o,$(filter-out src/main.c,$(SRCS)))
HDRS      := $(wildcard include/*.h include/qsfs/*.h)
# Stand-ins for zdb, zdbfs and zstor (tests only): one program per tests/standins/*.c.
STANDINS  := $(patsubst tests/standins/%.c,$(BUILD)/standins/%,$(wildcard tests/standins/*.c))
# LD_PRELOAD shims (tests only), next to the stand-ins: one shared object per tests/preload/*.c.
STANDINS  += $(patsubst tests/preload/%.c,$(BUILD)/standins/%.so,$(wildcard tests/preload/*.c))
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%.o,$(UNIT_SRCS))

# Pure modules: no libuv allowed (checked by `make lint`).
PURE      := src/cmdline.c src/env.c src/signame.c src/unit.c src/graph.c src/service.c \
             src/linebuf.c src/ring.c src/logbus.c src/ctl_proto.c src/utf8.c src/yamlout.c \
             src/yamlguard.c src/unitjson.c src/strbuf.c src/readfile.c src/ctl_rpcerr.c
PURE      += src/qsfs/addr.c src/qsfs/mountinfo.c src/qsfs/unixdiag.c src/qsfs/flocks.c
PURE      += src/qsfs/settings.c src/qsfs/textfield.c src/qsfs/job.c src/qsfs/manifest.c \
             src/qsfs/digest.c src/qsfs/hookplan.c src/qsfs/sweep.c src/qsfs/blake2b.c

SCALE     ?= 1
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all check check-unit check-integ asan lint demo clean static deps standins image check-image chaos demo-qsfs check-real

all: $(BIN)

$(BIN): $(BUILD)/main.o $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: src/%.c $(HDRS) | $(BUILD)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

$(BUILD)/unit/%.o: tests/unit/%.c $(HDRS) tests/unit/runner.h | $(BUILD)
	@mkdir -p $(BUILD)/unit
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(WARN) $(CFLAGS) -Itests/unit -c -o $@ $<

# The zstor stand-in's wire format is unit-tested from its header.
$(BUILD)/unit/test_zstor_proto.o: $(wildcard tests/standins/zstor_*.h)

$(BUILD)/unit-tests: $(UNIT_OBJS) $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD):
	@mkdir -p $(BUILD)

standins: $(STANDINS)

$(BUILD)/standins/%: tests/standins/%.c $(wildcard tests/standins/*.h) | $(BUILD)
	@mkdir -p $(BUILD)/standins
	$(CC) $(CPPFLAGS) -Itests/standins $(PKG_CFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(PKG_LIBS) $(STANDIN_FLAGS)

# Built with CFLAGS alone: LDFLAGS may hold -static (STATIC=1), which a shared object cannot be.
$(BUILD)/standins/%.so: tests/preload/%.c | $(BUILD)
	@mkdir -p $(BUILD)/standins
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -fPIC -shared -o $@ $<

check-unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

# MODES: both by default; tests/integ/run says what else it takes.
MODES ?= pid1 subreaper
check-integ: $(BIN) standins
	ZINIT=$(abspath $(BIN)) STANDINS=$(abspath $(BUILD)/standins) SCALE=$(SCALE) MODES="$(MODES)" \
		tests/integ/run

# The whole suite, then again under AddressSanitizer + UndefinedBehaviorSanitizer. Each pass
# runs every integration scenario once, as PID 1 and as a subreaper by turns, the ASan pass the
# other way round (ASAN_MODES): between them every scenario runs in both modes, one of them
# under the sanitizers, in half the time of two full passes (CI's 20-minute budget).
# `make check-integ` alone runs both modes.
check: lint static check-unit
	$(MAKE) MODES=alternate check-integ
	$(MAKE) asan

ASAN_MODES ?= alternate-swapped
asan:
	SANITIZED=1 $(MAKE) MODES="$(ASAN_MODES)" BUILD=build-asan BIN=build-asan/zinit SCALE=3 \
		CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" check-unit check-integ

# The image binary, fully static: build-static/zinit.
static:
	$(MAKE) STATIC=1 BUILD=build-static BIN=build-static/zinit build-static/zinit

# The rules of docs/LAYOUT.md. A pure module must not reach uv.h, directly or through any header
# (the preprocessor's list of every file it reads, -M, is searched). The layers point one way:
# init.c knows everyone; the engine, the child runner and the socket transport do not know the
# layers above them. Only reaper.c may wait in PID 1; src/qsfs/ holds the built-ins, which run
# as processes of their own and wait for their own children. The Python scripts (benchmarks,
# test helpers) must parse, so that one no test runs (bench/) cannot rot unseen.
lint:
	@for f in $(PURE); do \
		deps=$$($(CC) $(CPPFLAGS) $(PKG_CFLAGS) -M $$f) || exit 1; \
		! echo "$$deps" | tr ' \\' '\n\n' | grep -q '\(^\|/\)uv\.h$$' || \
			{ echo "lint: pure module $$f includes uv.h (directly or through a header)"; exit 1; }; \
	done
	@! grep -n -E '#include "(ctl_[a-z_]+|init)\.h"' src/supervisor.c include/supervisor.h \
		src/child.c include/child.h || { echo "lint: the engine and the child runner know neither the control socket nor init"; exit 1; }
	@! grep -n -E '#include "(supervisor|service|ctl_methods|init)\.h"' src/child.c include/child.h \
		src/ctl_server.c include/ctl_server.h || { echo "lint: the child runner and the socket transport know no services"; exit 1; }
	@! grep -rn -E '\buv_spawn\b|\buv_process_t\b' src include || { echo "lint: uv_spawn is banned (one reaper)"; exit 1; }
	@! grep -rn -E '\bwaitpid\b|\bwait[34]?\(' src | grep -v -e '^src/reaper.c:' -e '^src/qsfs/' || { echo "lint: only reaper.c may wait (and src/qsfs/: separate processes)"; exit 1; }
	@python3 -c 'import ast, sys; [ast.parse(open(f).read(), f) for f in sys.argv[1:]]' \
		bench/*.py tests/integ/*.py tests/soak/*.py || { echo "lint: a Python script does not parse"; exit 1; }
	@echo "lint: ok"

# The Debian packages the build and the tests need (tools/install-deps; sudo when not root).
deps:
	@tools/install-deps

# The QSFS image (Dockerfile): storage binaries from their releases, each pinned by a sha256
# build argument (make image DOCKER_BUILD_ARGS="--build-arg ZDB_SHA256=... ..."). DOCKER_BUILD
# is the build command, BuildKit by default (`docker buildx build --load` works too): it builds
# only the stages the image needs, where the legacy builder builds every stage, the release
# download included.
DOCKER       ?= docker
DOCKER_BUILD ?= env DOCKER_BUILDKIT=1 $(DOCKER) build
image:
	$(DOCKER_BUILD) -t qsfs $(DOCKER_BUILD_ARGS) .

# Chaos on the QSFS stack (issues 9 and 11): 50 seeded runs, each SIGKILLing zdb, zstor or
# wait_hooks at a random point of a write; make check runs 3. CHAOS_SEED=N replays from N.
CHAOS_RUNS ?= 50
chaos: $(BIN) standins
	ZINIT=$(abspath $(BIN)) STANDINS=$(abspath $(BUILD)/standins) CHAOS_RUNS=$(CHAOS_RUNS) \
		TIMEOUT=$$(( $(CHAOS_RUNS) * 30 + 60 )) MODES=pid1 tests/integ/run t_qsfs_chaos

# The QSFS scenarios on the real programs instead of the stand-ins, built by you (nothing here
# fetches or builds them): make check-real REAL_ZDB=/path/to/zdb [REAL_ZDBFS=/path/to/zdbfs]
# (docs/QSFS.md, "Checked against the real zdb and zdbfs"); without REAL_ZDBFS also the zdb and
# zdbfs stand-ins' contract tests (t_standin_zdb*), on the real zdb. zstor stays the stand-in.
check-real: $(BIN) standins
	@test -x "$(REAL_ZDB)" || { echo "check-real: REAL_ZDB must name a zdb binary (0-db 2.0.x), got '$(REAL_ZDB)'"; exit 2; }
	@test -z "$(REAL_ZDBFS)" || test -x "$(REAL_ZDBFS)" || \
		{ echo "check-real: REAL_ZDBFS must name a zdbfs binary (0-db-fs 0.1.x), got '$(REAL_ZDBFS)'"; exit 2; }
	rm -rf $(BUILD)/real && mkdir -p $(BUILD)/real
	for f in $(abspath $(STANDINS)); do ln -s $$f $(BUILD)/real/; done
	ln -sf $(abspath $(REAL_ZDB)) $(BUILD)/real/zdb
	$(if $(REAL_ZDBFS),ln -sf $(abspath $(REAL_ZDBFS)) $(BUILD)/real/zdbfs)
	ZINIT=$(abspath $(BIN)) STANDINS=$(abspath $(BUILD)/real) REAL_ZDBFS=$(if $(REAL_ZDBFS),1) SCALE=$(SCALE) \
		tests/integ/run t_qsfs $(if $(REAL_ZDBFS),,t_standin_zdb)

# End-to-end test of the image under a real Docker engine, on the stand-ins (tests/image/run).
check-image:
	DOCKER=$(DOCKER) tests/image/run

demo: $(BIN)
	@echo "== zinit demo: ordered start; press Ctrl-C for the ordered drain =="
	./$(BIN) -s /tmp/zinit-demo.sock init -c examples/demo --container

# The QSFS stack on the test stand-ins, unattended: start, a write, a rollover, the drain, the
# remote copies (examples/qsfs/demo.sh; root: zdbfs mounts in a mount namespace of its own).
demo-qsfs: $(BIN) standins
	@examples/qsfs/demo.sh $(BIN) $(BUILD)/standins

clean:
	rm -rf build build-asan build-static build-fuzz build-vg $(BIN)

# Benchmarks against tini, dumb-init, catatonit, s6, runit and supervisord (issue 4):
# `make bench` (3 interleaved rounds, writes bench/RESULTS.md; as root), `make bench-quick`
# (one round, prints only, under 2 minutes). The peers are installed from Debian if missing.
# The integration suite once with zinit under valgrind's memcheck (issue 11): every zinit
# process (PID 1, the CLI, the built-ins the tests run) writes build-vg/logs/vg.PID, empty
# unless valgrind (-q) reports something: any error or definite/indirect leak fails the target.
# Valgrind 3.19 does not know pidfd_open (zstor_cli.c then polls): that warning is dropped.
# The scenarios' own results are printed but do not decide: under valgrind's 20-50x slowdown
# timing-bound ones fail, and the wrapper script hides argv[0] (zdb-hook symlinks). Slow
# (SCALE=10): not part of make check.
VG_OPTS ?= --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --suppressions=$(abspath tests/valgrind.supp)
.PHONY: check-valgrind
check-valgrind:
	$(MAKE) BUILD=build-vg BIN=build-vg/zinit CFLAGS="-O1 -g -DZINIT_SPAWN_FORK" build-vg/zinit standins
	rm -rf build-vg/logs && mkdir -p build-vg/logs
	printf '#!/bin/sh\nexec valgrind -q %s --log-file=%s/vg.%%p %s "$$@"\n' \
		'$(VG_OPTS)' $(abspath build-vg/logs) $(abspath build-vg/zinit) >build-vg/zinit-vg
	chmod +x build-vg/zinit-vg
	-ZINIT=$(abspath build-vg/zinit-vg) STANDINS=$(abspath build-vg/standins) SCALE=10 JOBS=2 \
		tests/integ/run $(VG_FILTER)
	@bad=; for f in build-vg/logs/vg.*; do \
		grep -v -e 'unhandled amd64-linux syscall: 434' -e 'You may be able to write' \
			-e 'README_MISSING_SYSCALL' -e 'Nevertheless we consider' -e 'bug_reports.html' \
			"$$f" | grep -q . && bad="$$bad $$f"; done; \
	if [ -n "$$bad" ]; then for f in $$bad; do echo "== $$f"; head -n 60 $$f; done; exit 1; fi; \
	echo "valgrind: $$(ls build-vg/logs | wc -l) zinit processes, no errors, no leaks"

# The full soak (issue 11): 1000 crash, restart+kill and dropped-connection cycles and 10,000
# log subscribers against zinit as PID 1; prints fds and VmRSS after the first tenth and at
# the end of each loop. `make check` runs it shortened (tests/integ/t_soak.sh, 200 cycles).
.PHONY: soak
soak: $(BIN)
	MODE=pid1 ZINIT=$(abspath $(BIN)) SOAK_CYCLES=1000 SOAK_SUBSCRIBERS=10000 bash tests/integ/t_soak.sh

# libFuzzer targets (fuzz/fuzz_*.c) over the parsers that take outside input, built with clang
# + ASan/UBSan in build-fuzz/. `make fuzz` runs each for FUZZ_S seconds (default 30; CI 15) from
# its seed corpus fuzz/corpus/NAME/ (new finds go to build-fuzz/corpus/NAME/) and fails on
# any crash, leak or input slower than 1 s; `make fuzz FUZZ_S=3600` for long runs. FUZZ_SEED
# fixes libFuzzer's seed (CI: 1, so that a landing does not hang on what one random run met;
# long random runs find the new inputs, which then go into fuzz/corpus/ for good).
FUZZ_S       ?= 30
FUZZ_SEED    ?= 0
FUZZ_CC      ?= clang
FUZZ_BUILD   := build-fuzz
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_SRCS    := $(PURE) src/xalloc.c
FUZZ_OBJS    = $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_SRCS))
FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))

$(FUZZ_BUILD)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) -std=c11 -Wall -Wextra -Werror $(FUZZ_FLAGS) -c -o $@ $<

$(FUZZ_BUILD)/%: fuzz/%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) -std=c11 -Wall -Wextra -Werror $(FUZZ_FLAGS) \
		-fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)

.PHONY: fuzz fuzz-build
fuzz-build: $(addprefix $(FUZZ_BUILD)/,$(FUZZ_TARGETS))

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t; \
		echo "== $$t ($(FUZZ_S) s)"; dict=; \
		[ -f fuzz/$$t.dict ] && dict=-dict=fuzz/$$t.dict; \
		$(FUZZ_BUILD)/$$t $$dict -max_total_time=$(FUZZ_S) -seed=$(FUZZ_SEED) -timeout=1 -rss_limit_mb=1024 \
			-max_len=65536 -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/$$t- \
			$(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t \
			2>$(FUZZ_BUILD)/$$t.log || { tail -n 60 $(FUZZ_BUILD)/$$t.log; exit 1; }; \
		grep -E 'DONE|^stat::number_of_executed_units' $(FUZZ_BUILD)/$$t.log | tail -n 2; \
	done

.PHONY: bench bench-quick bench-qsfs bench-docker
# One service's log flood through Docker's own log path (json-file) with zinit, tini,
# supervisord, the prefix relay or nothing as PID 1 (issue 12); needs a Docker engine.
bench-docker: static
	python3 bench/dockerlogs.py $(BENCH_ARGS)
# The QSFS built-ins' numbers (issue 9): hook freeze time against a sh hook, a 200-file drain,
# wait_hooks' RSS; the static binary, as in the image.
bench-qsfs: static standins
	python3 bench/qsfs.py --zinit build-static/zinit --standins $(BUILD)/standins
bench:
	$(MAKE) -s all
	$(MAKE) -s static
	python3 bench/bench.py $(BENCH_ARGS)

bench-quick:
	$(MAKE) -s all
	$(MAKE) -s static
	python3 bench/bench.py --quick $(BENCH_ARGS)
