# Sales department CRM. `make run` sets everything up and starts the app; `make test` runs the whole test suite.
# Needs only python3 >= 3.11 (make test also needs PostgreSQL and Redis: scripts/ensure_services.sh).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# The development server answers only on this machine unless HOST says otherwise (make run HOST=0.0.0.0).
HOST ?= 127.0.0.1
PORT ?= 8000
# A value that satisfies `check --deploy`; only ever used by `make check`, never by a running site.
CHECK_SECRET_KEY := check-deploy-Zq7vN2xK9mB4pT6wR1yH8cL3sF5gJ0dUeA-not-a-real-secret
CHECK_DATABASE_URL := postgres://salesdept:salesdept@127.0.0.1:5432/salesdept
# A real worker and beat need a broker: REDIS_URL from the environment or .env.
NEEDS_REDIS := 'import sys; from django.conf import settings; settings.REDIS_URL or sys.exit("Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) in the environment or .env first.")'

.PHONY: help run test lint check bench worker beat messages clean screenshots

help:
	@echo "make run     set up (.venv, SQLite, demo data) and start the app on http://$(HOST):$(PORT)/ (PORT=8080 HOST=0.0.0.0 to change)"
	@echo "make test    run the whole test suite against PostgreSQL and Redis"
	@echo "make lint    ruff check + ruff format --check, mypy, import-linter (layers)"
	@echo "make check   makemigrations --check and check --deploy on the production settings"
	@echo "make bench   run the benchmarks (python -m bench)"
	@echo "make screenshots  the day's pages at 1280 and 375 px (ru; en at 1280), into screenshots/"
	@echo "make worker  a Celery worker (needs REDIS_URL)"
	@echo "make beat    Celery beat with the schedule in the database (needs REDIS_URL)"

$(VENV)/bin/activate:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed as '$(PYTHON)' (make PYTHON=python3.11 ...)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps: reinstall only when the requirements change.
$(VENV)/.requirements: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.requirements

messages:
	@if command -v msgfmt >/dev/null; then \
		$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules -v 0; \
	else \
		echo "msgfmt not found (apt-get install gettext): the interface stays in English."; \
	fi

run: $(VENV)/.requirements
	$(MANAGE) migrate --noinput
	@$(MAKE) --no-print-directory messages
	@if $(MANAGE) shell -v 0 -c 'import sys; from django.contrib.auth import get_user_model; sys.exit(0 if get_user_model().objects.exists() else 1)'; then \
		echo "The database already has users, so no demo data was loaded (python manage.py seed_demo adds it)."; \
		echo "Demo logins, if it was loaded before: head, lead1, manager01, vip, service, base, admin / demo12345"; \
	else \
		$(MANAGE) seed_demo; \
	fi
	@echo
	@echo "Open http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/, API docs: http://$(HOST):$(PORT)/api/docs/)"
	@echo
	$(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.requirements-dev
	scripts/ensure_services.sh
	@$(MAKE) --no-print-directory chromium gettext
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules -v 0
	$(VENV)/bin/pytest --create-db

# The browser tests drive Debian's chromium (/usr/bin/chromium) through Playwright.
.PHONY: chromium
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update && apt-get install -y chromium; \
		else \
			echo "The browser tests need Debian's chromium at /usr/bin/chromium: sudo apt-get install -y chromium" >&2; \
			exit 1; \
		fi; \
	fi

# The Russian catalog is compiled by the test command with GNU gettext from Debian.
.PHONY: gettext
gettext:
	@if ! command -v msgfmt >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update && apt-get install -y gettext; \
		else \
			echo "The tests need GNU gettext (msgfmt): sudo apt-get install -y gettext" >&2; \
			exit 1; \
		fi; \
	fi

lint: $(VENV)/.requirements-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

check: $(VENV)/.requirements-dev
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=salesdept.settings.production DJANGO_SECRET_KEY=$(CHECK_SECRET_KEY) \
		DATABASE_URL=$(CHECK_DATABASE_URL) $(MANAGE) check --deploy --fail-level WARNING

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/salesdept_bench
bench: $(VENV)/.requirements-dev
	scripts/ensure_services.sh
	@$(PY) -c 'import psycopg; c = psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True); \
		c.execute("SELECT 1 FROM pg_database WHERE datname = %s", ["salesdept_bench"]).fetchone() \
		or c.execute("CREATE DATABASE salesdept_bench")'
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate --noinput -v 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench --scale $(or $(SCALE),full)

worker: $(VENV)/.requirements
	@$(MANAGE) shell -v 0 -c $(NEEDS_REDIS)
	$(VENV)/bin/celery -A salesdept worker --loglevel INFO

beat: $(VENV)/.requirements
	@$(MANAGE) shell -v 0 -c $(NEEDS_REDIS)
	$(VENV)/bin/celery -A salesdept beat --loglevel INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

# The day's pages at 1280x800 and 375x800 in Russian (and at 1280 in English), into screenshots/.
screenshots: $(VENV)/.requirements-dev
	@$(MAKE) --no-print-directory chromium gettext
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules -v 0
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) staticfiles
