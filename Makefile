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

.PHONY: setup demo test lint bench catalogs clean browser-deps bench-deps handout-deps swagger-assets

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode at install: where PYTHONDONTWRITEBYTECODE is set (as on this project's machines),
# every process compiles each module it imports again: the app's import took about 8 CPU seconds
# instead of 3, in every server and CLI process the tests start.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON) --quiet --compile-bytecode
	touch $@

setup: $(VENV)/.synced  ## create the virtual environment from the lock file

DEMO_DB := demo.db
DEMO_PORT ?= 8000

demo: setup  ## seed a synthetic demo centre and serve alsrx on http://127.0.0.1:$(DEMO_PORT)
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@export ALSRX_DEMO_MODE=true ALSRX_COOKIE_SECURE=false ALSRX_DATABASE_URL=sqlite:///./$(DEMO_DB); \
	$(BIN)/alsrx db upgrade && \
	$(BIN)/alsrx demo seed --patients 12 --months 6 --seed 1 && \
	echo "" && \
	echo "alsrx is serving on http://127.0.0.1:$(DEMO_PORT)  (API docs: http://127.0.0.1:$(DEMO_PORT)/api/docs)" && \
	echo "  demo-clinician  sees the centre's 12 patients, alerts and proposals" && \
	echo "  demo-patient    sees their own plan and logs sessions" && \
	echo "  demo-caregiver  logs for two linked patients" && \
	echo "  demo-researcher sees de-identified research views only; demo-admin manages centres and users" && \
	echo "  password for every demo login: demo-password-ALS   (Ctrl-C stops the server)" && \
	$(BIN)/alsrx serve --port $(DEMO_PORT)

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

browser-deps: node_modules/axe-core/axe.min.js  ## Chromium and CJK fonts for the browser tests (Debian)
	@if ! command -v chromium >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else echo "chromium missing: browser tests will be skipped (run as root to install)"; fi; \
	fi

# WeasyPrint lays text out with Pango; the handout tests read PDFs back with poppler-utils
# (pdftotext, pdffonts, pdfinfo); the handouts print in Noto Sans CJK.
HANDOUT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 poppler-utils fonts-noto-cjk

handout-deps:  ## Pango, poppler-utils and CJK fonts for the printed handouts (Debian)
	@missing=$$(for p in $(HANDOUT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "missing: $$missing; the handout tests will be skipped (run as root to install)"; fi; \
	fi

test: setup browser-deps handout-deps  ## the whole suite
	$(BIN)/python -m compileall -q src tests  # our own bytecode too, for the same reason
	$(BIN)/python -m pytest -n auto --dist loadfile  # a file stays on one worker: its module fixtures run once

lint: setup  ## ruff, mypy --strict on the pure core, import-linter
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

bench-deps: browser-deps  ## wrk, the C load generator bench/bench_api.py also drives (Debian)
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else echo "wrk missing: the API benchmark runs with its Python client only"; fi; \
	fi

bench: setup bench-deps  ## benchmarks; machine-readable JSON lines on stdout
	$(BIN)/python -m bench.bench_assess
	$(BIN)/python -m bench.bench_prescribe
	$(BIN)/python -m bench.bench_api
	$(BIN)/python -m bench.bench_log_window
	$(BIN)/python -m bench.bench_log_sizes
	$(BIN)/python -m bench.bench_pages
	$(BIN)/python -m bench.bench_handout
	$(BIN)/python -m bench.bench_fhir
	$(BIN)/python -m bench.bench_workspace
	$(BIN)/python -m bench.bench_research

# Swagger UI for /api/docs, served from the package so the page works offline (Apache-2.0, like
# its NOTICE and LICENSE kept beside it). The files are committed; this remakes them from npm,
# checked against the version's published sha256.
SWAGGER_VERSION := 5.35.0
SWAGGER_SHA256 := 1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6
SWAGGER_DIR := src/alsrx/web/static/swagger

swagger-assets:  ## re-vendor Swagger UI (needs network and npm)
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack swagger-ui-dist@$(SWAGGER_VERSION) --silent >/dev/null && \
	echo "$(SWAGGER_SHA256)  swagger-ui-dist-$(SWAGGER_VERSION).tgz" | sha256sum -c --quiet && \
	tar xzf swagger-ui-dist-$(SWAGGER_VERSION).tgz && cd - >/dev/null && mkdir -p $(SWAGGER_DIR) && \
	cp $$tmp/package/{swagger-ui-bundle.js,swagger-ui.css,LICENSE,NOTICE} $(SWAGGER_DIR)/ && \
	cp $$tmp/package/swagger-ui-bundle.js.LICENSE.txt $(SWAGGER_DIR)/ && rm -rf $$tmp

catalogs: setup  ## re-extract translatable strings and merge them into the .po catalogs
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ --no-location --sort-output --project alsrx \
		-o src/alsrx/locale/alsrx.pot src/alsrx
	$(BIN)/pybabel update -D alsrx -i src/alsrx/locale/alsrx.pot -d src/alsrx/locale --no-fuzzy-matching

clean:
	rm -rf $(VENV) $(TOOLS) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis
