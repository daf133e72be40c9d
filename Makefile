# Two commands set everything up on a fresh machine (Python 3.11+ and make):
#   make run   — install, migrate, load demo data, serve http://127.0.0.1:8000 (embedded defaults)
#   make test  — the whole test suite (pytest)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: install run serve demo test test-fast lint bench searcheval messages clean prod-up prod-down audit loadtest faulttest screenshots

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The development server on embedded defaults: SQLite in var/, tasks run in-process,
# e-mail printed to this console.
run: install
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) seed_demo
	@echo "Portal: http://127.0.0.1:$(PORT)/   admin: http://127.0.0.1:$(PORT)/admin/"
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# Everything but the browser tests, for a quick loop while editing.
test-fast: install
	$(BIN)/pytest -m "not e2e" -x $(PYTEST_ARGS)

# docs/screenshots/: the public pages on a phone and a desktop, every signed-in journey on a phone
# (Debian's /usr/bin/chromium). Migrates, loads the demo data and serves it on a free port itself;
# SCREENSHOTS_ARGS="--base-url http://127.0.0.1:8000" shoots a running `make run` instead.
screenshots: install
	$(BIN)/python scripts/screenshots.py $(SCREENSHOTS_ARGS)

# Benchmarks print their figures; the last line is one JSON object. BENCH=search runs one.
# They need the production database: DATABASE_URL=postgres://... (see README).
bench: install
	$(BIN)/python bench/run.py $(BENCH)

# Search quality: the judged set in bench/searcheval/ (or SET=dir) imported into a throwaway
# database (SQLite temp file; a new PostgreSQL database beside DATABASE_URL's when given), every
# query through /api/v1/cases/?q=, MRR, MAP@10, recall@10 beside a plain substring AND-search.
# Fails when the portal is below that floor on any figure; SEARCHEVAL_ARGS=--no-fail to report.
SET ?= bench/searcheval
searcheval: install
	$(BIN)/python bench/searcheval/run.py --set $(SET) $(SEARCHEVAL_ARGS)

# The production stack on this machine's PostgreSQL (database lertrat_prod) and Redis:
# gunicorn + Celery worker + beat, DEBUG off, pids and logs in var/prod/. SEED=1 loads demo data.
prod-up: install
	bash scripts/prod-up.sh

prod-down:
	bash scripts/prod-down.sh

# A deadline rush against the production stack on loopback (bounded: LOADTEST_TIME, 180s):
# 50 officials arriving over 2 minutes write, attach and submit entries, 200 visitors browse
# and search, 3 staff publish and edit case studies in the admin; zero errors and a check of
# every entry and case (database and search index), then p95s beside their budgets. Starts and
# stops its own stack (database lertrat_load, Redis db 10/11, port 8110, var/load/).
loadtest: install
	bash scripts/loadtest.sh

# Fault tests (also part of `make test`): Redis stopped mid-day, PostgreSQL restarted under
# gunicorn, the Celery worker killed mid-indexing and mid-report, storage failing on upload.
# Each starts its own redis-server / PostgreSQL cluster / workers on free ports. The worker
# tests need the PostgreSQL test database: DATABASE_URL=postgres://... make faulttest
faulttest: install
	$(BIN)/pytest tests/faults -v $(PYTEST_ARGS)

# pip-audit over the pinned dependencies (strict; says SKIPPED where PyPI's advisories are unreachable).
audit: install
	bash scripts/audit.sh

# Style, and the import contracts in pyproject.toml (one-way dependencies, no circles).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

# Thai msgids → locale/en (translate the empty msgstr, then run again to compile the .mo).
messages: install
	DEBUG=1 $(MANAGE) makemessages -l en --no-obsolete --ignore=var --ignore=bench --ignore=tests
	DEBUG=1 $(MANAGE) compilemessages -l en --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) var/ .pytest_cache
