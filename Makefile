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

.PHONY: run test lint unit bench clean help screenshot

help:
	@echo "make run    - set up .venv and open the reader on the bundled seeds"
	@echo "make test   - set up .venv and run lint, type checks and the whole test suite"
	@echo "make bench  - run the benchmarks (10k and 100k articles)"
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

test: lint unit

# The reader at 120x40 (a snapshot test renders it), copied to docs/screenshot.svg.
screenshot: $(STAMP)
	$(BIN)/python -m pytest -q "tests/tui/test_snapshots.py::test_reader[wide-dark]" --snapshot-update
	cp "tests/tui/__snapshots__/test_snapshots/test_reader[wide-dark].svg" docs/screenshot.svg

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
