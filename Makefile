# Every target does its own set-up: a fresh clone needs only `make run` or `make test`.
# The interpreter .venv is made from, unless PYTHON is given (`make run PYTHON=python3.12`):
# the system's python3 when it is 3.11 or newer and can make a venv, else python3 on PATH.
# Distribution builds (Debian's, Ubuntu's, Fedora's) are compiled with profile-guided
# optimisation and LTO, pyenv's default build is not: indexing used ~14 % less CPU on
# Debian's 3.11 than on pyenv's (README, Performance).
SYSTEM_PYTHON := /usr/bin/python3
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell $(SYSTEM_PYTHON) -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $(SYSTEM_PYTHON) || echo python3)
endif
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint unit fuzz fuzz-quick bench clean help screenshot

help:
	@echo "make run    - set up .venv and open the reader on the bundled seeds"
	@echo "make test   - set up .venv and run lint, type checks, the whole test suite and fuzz-quick"
	@echo "make fuzz   - the native code built with AddressSanitizer and UndefinedBehaviorSanitizer"
	@echo "              (in build/fuzz), run by its property tests, a fuzz harness over every"
	@echo "              native entry point for FUZZ_SECONDS (default $(FUZZ_SECONDS)) and the whole"
	@echo "              loading pipeline over the adversarial corpus; FUZZ_SECONDS=1200 runs longer"
	@echo "make fuzz-quick - the same, briefly: $(FUZZ_QUICK_SECONDS) s of fuzzing, no huge inputs,"
	@echo "              six corpus files (part of make test)"
	@echo "make bench  - run the benchmarks (10k, 100k, 300k and 25k x 8 KB articles; ~10 min)"
	@echo "make screenshot - render the reader to docs/screenshot.svg"

$(STAMP): Makefile pyproject.toml constraints.txt setup.py evreader/extract/_scan.c evreader/index/_csr.c
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/evreader

lint: $(STAMP)
	$(BIN)/ruff check evreader tests benchmarks
	$(BIN)/mypy

unit: $(STAMP)
	EVREADER_REALNEWS_PENDING=1 $(BIN)/python -m pytest -n 2 -q

test: lint unit fuzz-quick

# ---- make fuzz: the two native helpers under AddressSanitizer + UndefinedBehaviorSanitizer.
# They are compiled into build/fuzz/lib (the .venv's own build is never touched) and put in
# place of the normal ones by tests/fuzz/sanitized.py. CPython itself is not instrumented: the
# ASan runtime is preloaded, CPython's allocations are not leak-checked (detect_leaks=0), and
# PYTHONMALLOC=malloc sends PyMem_* to malloc, where ASan sees every buffer. Any ASan report
# or UBSan error stops the run (halt_on_error, -fno-sanitize-recover).
FUZZ_SECONDS       ?= 90
FUZZ_QUICK_SECONDS ?= 20
FUZZ_DIR    := build/fuzz
FUZZ_STAMP  := $(FUZZ_DIR)/.built
FUZZ_CC     ?= gcc
FUZZ_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_ENV     = EVREADER_SANITIZED=$(FUZZ_DIR)/lib PYTHONMALLOC=malloc \
	LD_PRELOAD="$$($(FUZZ_CC) -print-file-name=libasan.so)" \
	ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# --capture=sys: a sanitizer writes its report to file descriptor 2, which must stay open
FUZZ_PYTEST  = $(BIN)/python -m pytest -p tests.fuzz.sanitized -p no:cacheprovider \
	--capture=sys -q -n 2

$(FUZZ_STAMP): $(STAMP) evreader/extract/_scan.c evreader/index/_csr.c
	@asan=$$($(FUZZ_CC) -print-file-name=libasan.so); test -f "$$asan" || { \
		echo "make fuzz needs $(FUZZ_CC) and its AddressSanitizer runtime (Debian: gcc, libasan8)"; \
		exit 1; }
	mkdir -p $(FUZZ_DIR)/lib/evreader/extract $(FUZZ_DIR)/lib/evreader/index
	@inc=$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["include"])'); \
	ext=$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))'); \
	for m in extract/_scan index/_csr; do \
		echo "$(FUZZ_CC) $(FUZZ_CFLAGS) evreader/$$m.c -> $(FUZZ_DIR)/lib/evreader/$$m$$ext"; \
		$(FUZZ_CC) $(FUZZ_CFLAGS) -shared -fPIC -I"$$inc" evreader/$$m.c \
			-o $(FUZZ_DIR)/lib/evreader/$$m$$ext || exit 1; \
	done
	touch $@

fuzz: $(FUZZ_STAMP)
	$(FUZZ_ENV) FUZZ_SECONDS=$(FUZZ_SECONDS) $(FUZZ_PYTEST) tests/fuzz tests/core/test_native.py \
		tests/core/test_csr_hardening.py tests/core/test_scan_hardening.py
	$(FUZZ_ENV) $(BIN)/python -m tests.fuzz.pipeline $(FUZZ_DIR)/corpus

fuzz-quick: $(FUZZ_STAMP)
	$(FUZZ_ENV) FUZZ_SECONDS=$(FUZZ_QUICK_SECONDS) $(FUZZ_PYTEST) -k "not huge" tests/fuzz \
		tests/core/test_csr_hardening.py tests/core/test_scan_hardening.py
	$(FUZZ_ENV) $(BIN)/python -m tests.fuzz.pipeline --quick $(FUZZ_DIR)/corpus

# The reader at 120x40 (a snapshot test renders it), copied to docs/screenshot.svg.
screenshot: $(STAMP)
	$(BIN)/python -m pytest -q "tests/tui/test_snapshots.py::test_reader[wide-dark]" --snapshot-update
	cp "tests/tui/__snapshots__/test_snapshots/test_reader[wide-dark].svg" docs/screenshot.svg

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) $(FUZZ_DIR) .pytest_cache .mypy_cache .ruff_cache *.egg-info
