# The two commands: `make run` and `make test`. Also `make bench`, `make lint`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --disable-pip-version-check -q -c constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# The PostgreSQL the test suite runs on a second time (when reachable, or always with REQUIRE_POSTGRES=1).
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres bench lint install install-dev translations messages chromium fonts wrk clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt | fonts
	$(PIP) -e .
	@touch $@

# One pip run for the app and its development tools (each run resolves and builds the package again).
$(VENV)/.installed-dev: $(BIN)/python pyproject.toml constraints.txt | fonts
	$(PIP) -e '.[dev]'
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# The French and Italian catalogues, compiled with Babel (Python alone; docs/i18n.md). .mo files are not committed.
PO_FILES := $(wildcard timetill/locale/*/LC_MESSAGES/*.po)
translations: $(PO_FILES:.po=.mo)
timetill/locale/%.mo: timetill/locale/%.po | $(VENV)/.installed
	$(BIN)/timetill compiletranslations

# For developers changing texts: extract them into the catalogues (needs GNU gettext's xgettext; the command
# rewraps them with Babel at width 110, as committed), then translate what `msgstr ""` or `#, fuzzy` marks and
# run `make translations` (docs/i18n.md).
messages: install
	cd timetill && ../$(BIN)/timetill makemessages --locale fr --locale it --no-obsolete --add-location file

run: install
	$(BIN)/timetill migrate --noinput
	$(BIN)/timetill collectstatic --noinput -v0
	$(BIN)/timetill demo --if-empty
	@echo ""
	@echo "  Timetill is running on http://$(HOST):$(PORT)/   (log in as demo / demo-password)"
	@echo ""
	@# The background-jobs worker (the monthly invoicing run) beside gunicorn, stopped with it. gunicorn's
	@# request-line limit above the app's own (4096), so that the app answers a long API address in JSON.
	$(BIN)/timetill db_worker --no-startup-delay & WORKER=$$!; trap 'kill $$WORKER' EXIT; \
	$(BIN)/gunicorn timetill.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --limit-request-line 8190 \
	  --access-logfile - --log-level warning

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The invoice PDF embeds Debian's DejaVu Sans (accents and other scripts print).
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  echo "Installing Debian's fonts-dejavu-core for the invoice PDF"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null; }

# Debian's wrk drives the HTTP benchmark.
wrk:
	@command -v wrk >/dev/null || { \
	  echo "Installing Debian's wrk for the HTTP benchmark"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }

test: install-dev chromium
	$(BIN)/ruff check timetill tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy timetill/pricing timetill/billing/money
	$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(TEST_POSTGRES_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-postgres; \
	elif [ "$(REQUIRE_POSTGRES)" = 1 ]; then \
	  echo "PostgreSQL is required but $(TEST_POSTGRES_URL) is unreachable" >&2; exit 1; \
	else echo "PostgreSQL unreachable at $(TEST_POSTGRES_URL): the suite ran on SQLite only"; fi

test-sqlite:
	@echo "=== test suite on SQLite ==="
	env -u DATABASE_URL $(BIN)/pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

# The PostgreSQL pass is for what touches the database: the pure pricing engine and the browser tests (the
# pages are the same on either database, and Chromium is the slowest part of the suite) run once, on SQLite.
# The API fuzzing (schemathesis) runs a short pass here too, POSTGRES_FUZZ_EXAMPLES requests per operation
# and role: what PostgreSQL alone refuses (an offset beyond ±15:59, found so) is a 500 SQLite never shows.
POSTGRES_FUZZ_EXAMPLES ?= 5
test-postgres:
	@echo "=== test suite on PostgreSQL ==="
	DATABASE_URL=$(TEST_POSTGRES_URL) TIMETILL_FUZZ_EXAMPLES=$(POSTGRES_FUZZ_EXAMPLES) $(BIN)/pytest -n 2 \
	  -p no:cacheprovider --ignore=tests/pricing -m "not browser" $(PYTEST_ARGS)

# BENCH_ONLY=http,lists runs those parts alone (pricing, reports, invoicing, http, lists: bench/README.md).
bench: install-dev wrk
	$(BIN)/python bench/run.py $(if $(BENCH_ONLY),--only $(BENCH_ONLY)) $(BENCH_ARGS)

lint: install-dev
	$(BIN)/ruff check timetill tests bench
	$(BIN)/ruff format --check timetill tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy timetill/pricing timetill/billing/money

clean:
	rm -rf $(VENV) var *.egg-info
