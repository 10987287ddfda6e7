# Posyandu ILP — one-command tooling. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1
# Development settings for every target below; production sets its own environment.
DEV_ENV := POSYANDU_DEBUG=1 DJANGO_SETTINGS_MODULE=posyandu.config.settings
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.DEFAULT_GOAL := help
.PHONY: help setup run db demo test test-all test-pg e2e bench bench-pws lint typecheck \
        migrations-check messages messages-check deploy-check check browser clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the project with its dev tools

db: setup ## Migrate the SQLite database (var/posyandu.sqlite3)
	@mkdir -p var
	$(DEV_ENV) $(BIN)/posyandu manage migrate --noinput

demo: db ## Load the demo data set into the database
	$(DEV_ENV) $(BIN)/posyandu demo

run: demo ## Set everything up and serve the demo at http://127.0.0.1:8000
	@echo "Serving on http://127.0.0.1:8000  (stop with Ctrl-C)"
	$(DEV_ENV) $(BIN)/posyandu manage runserver 127.0.0.1:8000

browser: ## Install Debian's chromium for the browser tests when it is missing
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: setup browser ## Run every test (core, unit, integration, browser) on SQLite
	$(DEV_ENV) $(BIN)/pytest -q

test-pg: setup browser ## Run every test on PostgreSQL ($$PG_URL)
	$(DEV_ENV) DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

test-all: test test-pg ## Run every test on SQLite and on PostgreSQL

e2e: setup browser ## Run only the browser journeys
	$(DEV_ENV) $(BIN)/pytest -q tests/e2e

bench: setup ## Measure speed (growth engine, CSV path) beside the alternatives
	$(DEV_ENV) $(BIN)/python -m tests.bench

# The kabupaten-scale PWS benchmark's own database (never `test`) and the demo scale built in it.
PWS_URL ?= postgres://postgres@127.0.0.1:5432/posyandu_kabupaten
PWS_SCALE ?= kabupaten
bench-pws: setup ## Build the kabupaten demo in $$PWS_URL once, then time the PWS pages
	$(BIN)/python -m tests.bench.pws_bench --create-database $(PWS_URL)
	$(DEV_ENV) DATABASE_URL=$(PWS_URL) $(BIN)/posyandu manage migrate --noinput -v 0
	$(DEV_ENV) DATABASE_URL=$(PWS_URL) $(BIN)/posyandu demo --scale $(PWS_SCALE)
	$(DEV_ENV) PWS_BENCH_URL=$(PWS_URL) $(BIN)/python -m tests.bench.pws_bench

lint: setup ## ruff (lint and format check)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: setup ## mypy --strict on the pure core and the command line
	$(BIN)/mypy

migrations-check: setup ## Fail when a model change has no migration
	$(DEV_ENV) $(BIN)/posyandu manage makemigrations --check --dry-run

messages: setup ## Refresh the Indonesian catalogue from the sources and compile it
	cd src/posyandu && $(DEV_ENV) ../../$(BIN)/django-admin makemessages -l id --no-obsolete --no-location
	cd src/posyandu && $(DEV_ENV) ../../$(BIN)/django-admin compilemessages -l id

messages-check: setup ## Fail when a UI string lacks an Indonesian translation
	$(DEV_ENV) $(BIN)/python tools/i18n_check.py

deploy-check: setup ## Django's deployment checklist with production-like settings
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=posyandu.example.go.id DJANGO_SETTINGS_MODULE=posyandu.config.settings \
	  $(BIN)/posyandu manage check --deploy --fail-level WARNING

check: lint typecheck migrations-check messages-check deploy-check ## All static checks

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
