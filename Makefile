# Two commands to know: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export WAREFLOW_DATABASE_URL ?= sqlite+aiosqlite:///./wareflow.db

.PHONY: run test lint typecheck unit install install-dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: migrate ./wareflow.db, seed the demo data (printing API keys), serve on :8000
## (with the webhook worker in the same process)
run: install
	$(BIN)/wareflow migrate
	$(BIN)/wareflow demo
	WAREFLOW_RUN_WORKER=true $(BIN)/wareflow serve

## make test: ruff, mypy and the whole suite (SQLite and, when it answers, PostgreSQL)
test: install-dev lint typecheck unit

lint:
	$(BIN)/ruff check wareflow tests bench
	$(BIN)/ruff format --check wareflow tests bench

typecheck:
	$(BIN)/mypy wareflow

unit:
	$(BIN)/pytest -q

bench: install-dev
	$(BIN)/python bench/create_orders.py

clean:
	rm -rf $(VENV) wareflow.db wareflow.db-wal wareflow.db-shm .pytest_cache .mypy_cache .ruff_cache
