# publish: `make book` builds dist/*.epub and dist/*.pdf; `make test` proves them valid.
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANUSCRIPT ?= manuscript
OUT ?= dist
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

# Reproducible by default: dates inside the outputs come from the manuscript's last commit.
EPOCH := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct -- $(MANUSCRIPT) 2>/dev/null))
PUBLISH := $(if $(EPOCH),SOURCE_DATE_EPOCH=$(EPOCH) )$(BIN)/publish

.PHONY: help book epub pdf test check lint clean bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

book: $(STAMP) ## build the EPUB and the PDF into dist/ (the default)
	$(PUBLISH) build $(MANUSCRIPT) --out $(OUT) --format epub,pdf

epub: $(STAMP) ## build only the EPUB
	$(PUBLISH) build $(MANUSCRIPT) --out $(OUT) --format epub

pdf: $(STAMP) ## build only the PDF
	$(PUBLISH) build $(MANUSCRIPT) --out $(OUT) --format pdf

test: $(TEST_STAMP) ## run the test suite (EPUBCheck, PDF read-back, CLI, determinism)
	$(BIN)/python -m pytest

lint: $(TEST_STAMP) ## ruff and mypy
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

check: lint test ## lint, types and tests

BENCH_SIZES ?= 10k,100k,500k
RUNS ?= 3
bench: $(TEST_STAMP) ## time cold, no-change and one-edit builds of 10k-500k-word books, beside pandoc
	$(BIN)/python tests/bench/run.py --sizes $(BENCH_SIZES) --runs $(RUNS) $(if $(QUICK),--quick)

clean: ## remove build outputs and caches (keeps .venv)
	find $(OUT) -mindepth 1 ! -name .gitkeep -delete
	rm -rf .pytest_cache .mypy_cache .ruff_cache
