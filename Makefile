# OMS: `make demo` serves the demo area; `make test` runs every check. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9

.PHONY: setup test-setup demo test lint typecheck pytest pytest-sqlite pytest-postgres e2e bench mutate clean browser

# The demo needs no browser: only the tests install Chromium (root or sudo needed).
setup: $(VENV)/.installed oms/static/vendor/.built

test-setup: setup browser

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

oms/static/vendor/.built: node_modules/.package-lock.json bin/build-assets
	bin/build-assets

# Debian's Chromium for the end-to-end tests (Playwright never downloads a browser here).
browser:
	@test -x /usr/bin/chromium || bin/install-chromium

demo: setup
	$(BIN)/oms demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy oms

# --durations: every run prints its slowest tests, so a test creeping towards the limit is seen early.
pytest-sqlite: test-setup
	$(BIN)/pytest -q -p no:cacheprovider --durations=15

pytest-postgres: setup
	bin/with-postgres $(BIN)/pytest -q -p no:cacheprovider --durations=15 -m "not e2e"

test: lint typecheck pytest-sqlite pytest-postgres

bench: setup
	$(BIN)/python -m bench
	bin/with-postgres $(BIN)/python -m bench standards api_import
	bin/with-postgres $(BIN)/python -m bench national

# Mutation testing of the pure rule modules (README, "Mutation testing"); not part of `make test`.
# A fresh run each time, so no result is left over from older code or tests; mutmut's own output
# (a progress spinner) goes to var/mutmut.log, the score and the survivors to the terminal.
mutate: setup
	rm -rf mutants
	mkdir -p var
	@echo "mutmut: mutating the pure rule modules and running their tests (log: var/mutmut.log)"
	$(BIN)/mutmut run --max-children 2 > var/mutmut.log 2>&1 || { tail -n 40 var/mutmut.log; exit 1; }
	@grep "mutations/second" var/mutmut.log
	$(BIN)/python bin/mutation-score

clean:
	rm -rf mutants $(VENV) node_modules oms/static/vendor var artifacts
