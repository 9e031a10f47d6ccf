# Integration Mapping: `make run` serves the demo, `make test` runs the whole test suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
SECRET_FILE := .dev-secret-key
# `make run PORT=8001` serves on another port; the demo's printed links follow it.
PORT ?= 8000

# Django 6 needs Python 3.12 or newer. Plain python3 may be older, so look further: versioned
# names on PATH, then pyenv's versions, newest first. Override with `make PYTHON=/path/to/python`.
PYTHON ?= $(shell for candidate in python3.14 python3.13 python3.12 python3 \
	$$(ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	  path=$$(command -v $$candidate 2>/dev/null) || continue; \
	  $$path -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$path; break; }; \
	done)

# Local development and tests run with DEBUG on and a per-checkout random secret (never committed).
DEV_ENV = DJANGO_DEBUG=true DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))"

.PHONY: help install run test lint messages screenshots clean

help:
	@echo "make run    - install, migrate, load the demo and serve on http://127.0.0.1:8000 (PORT=8001 for another)"
	@echo "make serve  - production: migrate, collect static files, gunicorn and the background worker (see the README)"
	@echo "make test   - the whole test suite (DATABASE_URL=postgres://... to run it on PostgreSQL)"
	@echo "make lint   - ruff lint and format check, and missing migrations"
	@echo "make backup - dump DATABASE_URL's PostgreSQL to backups/integration-mapping-<UTC time>.dump (or BACKUP_DIR)"
	@echo "make restore FILE=backups/...dump - replace DATABASE_URL's database with that backup, then check its migrations"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
	  echo "No Python 3.12 or newer found. Install one, e.g. 'pyenv install 3.12' or your system's python3.12 package, then run make again (or pass PYTHON=/path/to/python3.12)." >&2; \
	  exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(SECRET_FILE): | $(PY)
	$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $(SECRET_FILE)

install: $(STAMP) $(SECRET_FILE)

run: install
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py seed_demo --base-url http://127.0.0.1:$(PORT)
	@# Retention runs daily in the worker; this makes sure its next run is waiting.
	$(DEV_ENV) $(PY) manage.py apply_retention --schedule
	@# The worker builds exports in the background; it stops with the web server (Ctrl-C).
	@# E-mails (invitations, password reset) link to the address served here.
	$(DEV_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  SITE_URL=http://127.0.0.1:$(PORT) $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production (DJANGO_DEBUG is ignored): needs DATABASE_URL (PostgreSQL), DJANGO_SECRET_KEY and
# DJANGO_ALLOWED_HOSTS. gunicorn's settings are in gunicorn.conf.py; the worker stops with it.
PROD_ENV = env -u DJANGO_DEBUG
.PHONY: serve
# A production machine needs no test tools: only requirements.txt.
PROD_STAMP := $(VENV)/.installed-production-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
$(PROD_STAMP): $(PY) requirements.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(PROD_STAMP)

serve: $(PROD_STAMP)
	@missing=""; for name in DATABASE_URL DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS; do \
	  [ -n "$${!name}" ] || missing="$$missing $$name"; \
	done; \
	if [ -n "$$missing" ]; then echo "make serve: set$$missing in the environment (see the README, Serving in production)." >&2; exit 1; fi; \
	case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make serve: DATABASE_URL must be a PostgreSQL address, postgres://user:password@host:5432/name" >&2; exit 1;; \
	esac
	$(PROD_ENV) $(PY) manage.py migrate --no-input
	$(PROD_ENV) $(PY) manage.py createcachetable
	$(PROD_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	@# Retention runs daily in the worker; this makes sure its next run is waiting.
	$(PROD_ENV) $(PY) manage.py apply_retention --schedule
	@# The worker starts again 5 seconds after a crash (it exits when the database goes away), and
	@# stops with gunicorn (Ctrl-C, or SIGTERM to make's process group as a service manager sends).
	( trap 'kill $$task 2>/dev/null; exit' TERM; \
	  until $(PROD_ENV) $(PY) manage.py db_worker --no-reload & task=$$!; wait $$task; do sleep 5 & wait $$!; done \
	) & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PROD_ENV) $(VENV)/bin/gunicorn --config gunicorn.conf.py

test: install
	$(DEV_ENV) $(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

# Backups of the PostgreSQL database (scripts/backup.py): pg_dump's custom format, restored in one
# transaction. pg_dump and pg_restore must have the server's major version (postgresql-client-15).
.PHONY: backup restore
backup: $(PROD_STAMP)
	@$(PY) scripts/backup.py backup

restore: $(PROD_STAMP)
	@$(PY) scripts/backup.py restore "$(FILE)"

# Refresh the translation catalogues after changing UI strings (needs GNU gettext's xgettext).
# The compiled .mo files are committed, so a fresh machine needs no gettext at all.
messages: install
	$(DEV_ENV) $(PY) manage.py makemessages --locale nl --locale en --locale ar --locale uk --locale ti --locale fa --locale tr --no-obsolete --add-location file --ignore .venv --ignore staticfiles
	$(PY) -m integration_mapping.compile_messages

# The browser tests write a screenshot of every main page to docs/screenshots/ (shown in the README).
screenshots: install
	SCREENSHOTS=1 $(DEV_ENV) $(PY) -m pytest -m browser

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
