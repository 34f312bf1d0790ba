# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app.py

.PHONY: run test bench install install-dev lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
	scripts/system-deps.sh run

install-dev: $(VENV)/.installed-dev
	scripts/system-deps.sh test

## make run: install, migrate, load the demo world (first time), serve on http://127.0.0.1:5000
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	@echo "Serving on http://127.0.0.1:5000  (Ctrl+C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## make test: lint, then the whole suite on SQLite and on a throwaway PostgreSQL
test: install-dev
	scripts/test.sh

## make bench: national-scale data on SQLite and PostgreSQL, one table of figures (slow; not a test)
bench: install-dev
	bench/run.sh

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/e2e/artifacts
