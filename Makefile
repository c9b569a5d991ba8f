# painrelief: `make run` serves the demo site, `make test` runs the whole suite.
# Name another interpreter with `make PYTHON=/path/to/python3.12 ...` (Python 3.12 or newer).

VENV := .venv
BIN := $(VENV)/bin
PYTHON ?=
export PYTHON

.PHONY: help install run test bench audit lint format clean

help:
	@echo "make run    install, migrate SQLite, load demo content, serve http://127.0.0.1:8000/ with the task worker"
	@echo "make test   install, then run the whole suite on SQLite and PostgreSQL (browser tests included)"
	@echo "make bench  the public pages under load on PostgreSQL (DB=sqlite: on SQLite), as shares of the floor"
	@echo "make audit  serve the demo site as in production; Lighthouse and axe-core scores per page"
	@echo "make lint   ruff check and format check"
	@echo "make clean  remove the virtualenv, node_modules, the SQLite database and media"

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@interpreter=$$(scripts/find-python) && echo "Using $$interpreter" && \
	  { [ -x $(BIN)/python ] || $$interpreter -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for Bootstrap: apt-get install -y npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: install
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=true $(BIN)/python manage.py seed_demo
	@echo "Starting the task worker (emails, shown on this console, and the periodic jobs) and the site."
	DJANGO_DEBUG=true $(BIN)/python manage.py worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DJANGO_DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	scripts/run-tests

DB ?= postgres
bench: install
	scripts/bench --db $(DB)

audit: install
	scripts/audit

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-* media staticfiles test-artifacts *.egg-info
