# Every target does its own set-up: a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint unit bench clean help

help:
	@echo "make run    - set up .venv and open the reader on the bundled seeds"
	@echo "make test   - set up .venv and run lint, type checks and the whole test suite"
	@echo "make bench  - run the benchmarks (10k and 100k articles)"

$(STAMP): pyproject.toml constraints.txt setup.py evreader/extract/_scan.c evreader/extract/_people.c evreader/extract/_companies.c evreader/extract/_text.h evreader/_chars.c evreader/ingest/_layout.c evreader/index/_csr.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/evreader

lint: $(STAMP)
	$(BIN)/ruff check evreader tests benchmarks
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

test: lint unit

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
