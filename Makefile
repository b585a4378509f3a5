# alsrx: the two commands are `make demo` and `make test`; both set up from nothing.
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup demo test lint bench catalogs clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON) --quiet
	touch $@

setup: $(VENV)/.synced  ## create the virtual environment from the lock file

demo: setup  ## assess the bundled example patients end to end
	@for f in examples/early-spinal.json examples/early-bulbar.json examples/gastrostomy-niv-beta-blocker.json; do \
		echo "== $$f (English)"; $(BIN)/alsrx assess $$f --format text --lang en; \
		echo "== $$f (中文)"; $(BIN)/alsrx assess $$f --format text --lang zh; \
	done
	@echo "== prescription for examples/typical/1-early-spinal.json (English, then 中文)"
	@$(BIN)/alsrx prescribe examples/typical/1-early-spinal.json --format md --lang en
	@$(BIN)/alsrx prescribe examples/typical/1-early-spinal.json --format md --lang zh
	@echo "== examples/batch.jsonl (one JSON result per line)"
	@$(BIN)/alsrx assess --batch examples/batch.jsonl | cut -c1-160

test: setup  ## the whole suite
	$(BIN)/python -m pytest

lint: setup  ## ruff, mypy --strict on the pure core, import-linter
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup  ## benchmarks; machine-readable JSON lines on stdout
	$(BIN)/python -m bench.bench_assess
	$(BIN)/python -m bench.bench_prescribe
	$(BIN)/python -m bench.bench_api

catalogs: setup  ## re-extract translatable strings and merge them into the .po catalogs
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ --no-location --sort-output --project alsrx \
		-o src/alsrx/locale/alsrx.pot src/alsrx
	$(BIN)/pybabel update -D alsrx -i src/alsrx/locale/alsrx.pot -d src/alsrx/locale --no-fuzzy-matching

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache .hypothesis
