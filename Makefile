# The two commands: `make run` serves the demo, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0
PYTEST_ARGS ?=
# Tests run on every core (pytest-xdist); the browser tests share one worker and run last there.
PYTEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup
INSTALLED := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: makemessages run install system-deps messages migrate demo serve test lint checks pytest-sqlite \
        pytest-postgres bench bench-optimizer bench-search bench-browser bench-editor bench-load bench-queries clean

run: install messages migrate demo serve

$(INSTALLED): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(INSTALLED)

# Debian packages the tests need: Chromium for the browser tests, gettext for translations,
# Pango and fonts for WeasyPrint's PDFs (portal/pdf.py).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core fontconfig"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: install
	@command -v msgfmt >/dev/null || $(MAKE) --no-print-directory system-deps
	@$(PY) manage.py compilemessages --ignore=.venv -v0

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: install
	$(PY) manage.py load_demo_data

serve: install
	@echo ""
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) portal.asgi:application

test: install system-deps messages lint checks pytest-sqlite pytest-postgres

lint: install
	$(VENV)/bin/ruff check .

checks: install
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest-sqlite: install
	@echo "=== pytest on SQLite, in-memory channel layer ==="
	env -u DATABASE_URL -u REDIS_URL $(PYTEST) $(PYTEST_ARGS)

pytest-postgres: install
	@if $(PY) scripts/services_answer.py "$(POSTGRES_URL)" "$(REDIS_TEST_URL)"; then \
		echo "=== pytest on PostgreSQL, Redis channel layer ==="; \
		DATABASE_URL="$(POSTGRES_URL)" REDIS_URL="$(REDIS_TEST_URL)" $(PYTEST) --create-db $(PYTEST_ARGS); \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!! SKIPPED: the PostgreSQL + Redis pass (they do not answer, see above) !!!"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo ""; \
	fi

bench: bench-optimizer bench-search bench-browser bench-load bench-queries

bench-optimizer: install
	$(PY) -m matchmaking.optimizer.bench --write docs/benchmarks.md

clean:
	rm -rf var/static var/test-*.sqlite3* .pytest_cache

# Extract translatable strings: the project's own (portal/ and templates/) into locale/,
# each app's into its own locale/ so that apps are translated independently.
TRANSLATED_APPS := programs matchmaking search
makemessages: install
	$(PY) manage.py makemessages -l es --no-obsolete --ignore=.venv --ignore=var \
		--ignore=tests $(foreach app,$(TRANSLATED_APPS),--ignore=$(app))
	@for app in $(TRANSLATED_APPS); do \
		if [ -d $$app/locale ]; then (cd $$app && ../$(PY) ../manage.py makemessages -l es --no-obsolete); fi; \
	done

bench-search: install
	$(PY) -m search.bench --write docs/benchmarks.md

# The benchmarks that drive Debian's Chromium: the schedule editor at trade-fair size.
bench-browser: bench-editor

bench-editor: install system-deps messages
	$(PY) -m matchmaking.editor_bench --write docs/benchmarks.md


# About five minutes: locust's 100 users against Daphne on PostgreSQL and Redis, with the
# public page cache and without, then 200 agenda WebSockets told of a publication.
bench-load: install
	$(PY) -m scripts.load.run --write docs/benchmarks.md

# The SQL queries of each list page with few and more rows (tests/performance/test_query_counts.py).
bench-queries: install
	QUERY_COUNT_REPORT=docs/benchmarks.md PORTAL_TEST_SUFFIX=bench $(VENV)/bin/pytest -n 0 -q \
		tests/performance/test_query_counts.py
