# SatuPintu — every target documents itself: `make help`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.DEFAULT_GOAL := help
.PHONY: help demo test test-pg test-smoke install system-deps venv messages lint format bench migrations-check clean check-deploy

help: ## List every target
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements.lock requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	@$(PIP) install -q -r requirements.lock 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -c "import django, pytest, playwright, weasyprint" || (echo "pip install failed" && exit 1)
	@touch $@

venv: $(VENV)/.installed ## Create .venv and install the Python packages (pinned in requirements.lock)

system-deps: ## Install missing Debian packages (postgresql, chromium, poppler-utils, gettext, pango)
	@bash scripts/system-deps.sh

messages: venv ## Compile the committed .po translation files
	@cd satupintu && ../$(PY) ../manage.py compilemessages -v0 --ignore=.venv

install: venv messages ## Everything the demo needs (Python packages, translations)

demo: install ## Run the demo: migrate, load Kota Tangerang demo data, start web, worker and simulators on 127.0.0.1:$(PORT)
	@PORT=$(PORT) $(PY) scripts/demo.py

test: system-deps install ## Lint, migrations check, the whole suite (PostgreSQL started for the run, real Chromium), then the SQLite smoke run
	@$(VENV)/bin/ruff check --quiet .
	@$(MAKE) --no-print-directory migrations-check
	@$(PY) scripts/pgcluster.py run -- $(PY) -m pytest -n 2 --dist loadgroup -p no:cacheprovider $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory test-smoke

test-smoke: install ## Smaller smoke run on SQLite: proves the demo path (migrate, load demo twice, serve pages)
	@SATUPINTU_VAR_DIR=$$(mktemp -d) DATABASE_URL= $(PY) -m pytest -p no:cacheprovider -m smoke -o addopts="" tests/smoke

bench: install ## Benchmarks (figures as ratios to a trivial endpoint); see bench/README.md
	@bash scripts/system-deps.sh --bench
	@$(PY) scripts/pgcluster.py run -- $(PY) bench/run_all.py

lint: venv ## ruff lint and format check, migrations check
	@$(VENV)/bin/ruff check .
	@$(MAKE) --no-print-directory migrations-check

format: venv ## Format the code with ruff
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

migrations-check: venv ## Fail if a model change has no migration
	@$(PY) manage.py makemigrations --check --dry-run -v0

check-deploy: venv ## manage.py check --deploy with production settings
	@SATUPINTU_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=mpp.example.go.id \
	 PII_KEYS=k1:$$(head -c 32 /dev/urandom | base64) PII_INDEX_KEY=$$(head -c 32 /dev/urandom | base64) \
	 DATABASE_URL=postgres://u@127.0.0.1:1/x $(PY) manage.py check --deploy --fail-level WARNING

clean: ## Remove the demo database, uploaded demo files and caches
	rm -rf var/ .pytest_cache
