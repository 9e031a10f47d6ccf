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
	@echo "make test   - the whole test suite (DATABASE_URL=postgres://... to run it on PostgreSQL)"
	@echo "make lint   - ruff lint and format check, and missing migrations"

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
	@# The worker builds exports in the background; it stops with the web server (Ctrl-C).
	@# E-mails (invitations, password reset) link to the address served here.
	$(DEV_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  SITE_URL=http://127.0.0.1:$(PORT) $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(DEV_ENV) $(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

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
