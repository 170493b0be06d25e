# SafeHarbor — the two commands a newcomer needs:
#   make demo   set everything up on first use and run the Portland demo on SQLite
#   make test   set everything up on first use and run the whole suite with its checks
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PYTEST_ARGS ?=

.PHONY: demo test setup lint serve worker clean bench messages permission-matrix

$(PY_STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "SafeHarbor needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(PY_STAMP) $(NODE_STAMP)

demo: setup
	$(BIN)/safeharbor demo

lint: $(PY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r src --severity-level high
	$(BIN)/python ops/check_dependencies.py requirements.lock

test: setup lint
	DJANGO_SETTINGS_MODULE=safeharbor.settings.test $(BIN)/safeharbor check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=safeharbor.settings.test $(BIN)/safeharbor makemigrations --check --dry-run
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# Refresh the Spanish catalogue from the code (needs GNU gettext's xgettext), then compile it
# with polib (pure Python). Translate new entries in src/safeharbor/locale/es/LC_MESSAGES/django.po.
messages: $(PY_STAMP)
	cd src/safeharbor && ../../$(BIN)/safeharbor makemessages -l es --ignore "node_modules/*"
	$(BIN)/safeharbor compile_translations

# The full permission matrix alone (also part of `make test`); prints its totals at the end.
permission-matrix: $(PY_STAMP)
	$(BIN)/pytest -q -n 2 -p no:randomly tests/reliability/test_permission_matrix.py

bench: setup
	$(BIN)/python bench/audit_verify.py

clean:
	rm -rf $(VENV) node_modules var/static
