# One task runner. `make run` starts the site with demo content; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint setup clean bench

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Extra pytest arguments, e.g. `make test PYTEST_ARGS='-m "not e2e and not deploy"'`; by default
# every test runs.
PYTEST_ARGS ?=

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The side-by-side benchmark (static export vs the live site through nginx vs a bare Django view);
# writes its tables into docs/benchmarks.md. About 6 minutes; it loads both cores, run it alone.
bench: $(STAMP)
	$(BIN)/python -m bench.compare

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
