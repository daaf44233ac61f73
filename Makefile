# publish: `make book` builds dist/*.epub and dist/*.pdf; `make test` proves them valid.
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANUSCRIPT ?= manuscript
OUT ?= dist
PORT ?= 8000
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
comma := ,

# Reproducible by default: dates inside the outputs come from the manuscript's last commit.
EPOCH := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct -- $(MANUSCRIPT) 2>/dev/null))
PUBLISH := $(if $(EPOCH),SOURCE_DATE_EPOCH=$(EPOCH) )$(BIN)/publish

.PHONY: realbooks system-book system-test help book epub pdf new check-book serve stats test ace check lint clean bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Python side: one line on the terminal, pip's own output (and this machine's pip warnings) in a log
# shown only when something fails.
INSTALL_LOG := $(VENV)/install.log
define pip_quietly
	@mkdir -p $(VENV)
	@echo "$(1)"
	@{ $(2); } >$(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); echo "that install failed: its log is above, and in $(INSTALL_LOG)"; exit 1; }
endef

$(STAMP): pyproject.toml
	$(call pip_quietly,installing publish and its Python libraries into $(VENV) (once)…,\
	  $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --upgrade pip && $(BIN)/python -m pip install -e .)
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(call pip_quietly,installing the test tools (pytest$(comma) ruff$(comma) mypy) into $(VENV) (once)…,\
	  $(BIN)/python -m pip install -e '.[test]')
	@touch $@

# System side: Pango and HarfBuzz for every build, and Java, qpdf, poppler for the tests, installed when
# missing (apt-get or brew); milliseconds when nothing is (.ci/system-packages.sh).
system-book:
	@bash .ci/system-packages.sh book
system-test:
	@bash .ci/system-packages.sh test

book: system-book $(STAMP) ## build the EPUB and the PDF into dist/ (the default)
	@$(PUBLISH) build $(MANUSCRIPT) --out $(OUT) --format epub,pdf

epub: $(STAMP) ## build only the EPUB (needs no Pango: no system packages)
	@$(PUBLISH) build $(MANUSCRIPT) --out $(OUT) --format epub

pdf: system-book $(STAMP) ## build only the PDF
	@$(PUBLISH) build $(MANUSCRIPT) --out $(OUT) --format pdf

new: system-book $(STAMP) ## start a new book: make new DIR=my-book [TITLE="My Book" AUTHOR="Jane Doe"]
	@test -n "$(DIR)" || { echo 'usage: make new DIR=my-book [TITLE="My Book" AUTHOR="Jane Doe"]'; exit 2; }
	@$(BIN)/publish new "$(DIR)" $(if $(TITLE),--title "$(TITLE)") $(if $(AUTHOR),--author "$(AUTHOR)")

check-book: system-book $(STAMP) ## everything that could be wrong with the book (writes nothing)
	@$(PUBLISH) check $(MANUSCRIPT)

serve: system-book $(STAMP) ## live preview at http://127.0.0.1:8000/ (or PORT=…), rebuilt on every save
	@$(PUBLISH) serve $(MANUSCRIPT) --out $(OUT) --port $(PORT)

stats: system-book $(STAMP) ## words, reading time, notes, images and printed pages per chapter
	@$(PUBLISH) stats $(MANUSCRIPT)

test: system-test $(TEST_STAMP) ## run the test suite (EPUBCheck, PDF read-back, CLI, determinism)
	$(BIN)/python -m pytest

ace: system-test $(TEST_STAMP) ## DAISY Ace on every good book's EPUB (needs ace-cli, chromium; not in test)
	$(BIN)/python -m pytest -m ace

lint: system-test $(TEST_STAMP) ## ruff and mypy
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

check: lint test ## lint, types and tests

BENCH_SIZES ?= 10k,100k,500k
RUNS ?= 3
bench: system-book $(TEST_STAMP) ## time cold, no-change and one-edit builds of 10k-500k-word books, beside pandoc
	$(BIN)/python tests/bench/run.py --sizes $(BENCH_SIZES) --runs $(RUNS) $(if $(QUICK),--quick)

REALBOOKS_OUT ?= /tmp/realbooks
realbooks: system-test $(TEST_STAMP) ## slow: build and check the public books of tests/realbooks/ (needs their git mirrors)
	$(BIN)/python tests/realbooks/prepare.py $(BOOKS)
	$(BIN)/python tests/realbooks/run.py --out $(REALBOOKS_OUT) $(BOOKS)

clean: ## remove build outputs and caches (keeps .venv)
	find $(OUT) -mindepth 1 ! -name .gitkeep -delete
	rm -rf .pytest_cache .mypy_cache .ruff_cache
