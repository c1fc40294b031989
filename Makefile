# Two commands on a fresh machine: `make demo` and `make test`. Only Python 3.11+ needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-unit bench bench-resilience lint clean db-stop

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/pipeline demo

test: $(STAMP)
	$(BIN)/python -m pytest

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

bench: $(STAMP)
	$(BIN)/python bench/backfill.py
	$(BIN)/python bench/resilience.py

bench-resilience: $(STAMP)
	$(BIN)/python bench/resilience.py

db-stop: $(STAMP)
	$(BIN)/pipeline db stop

clean:
	-$(BIN)/pipeline db stop
	rm -rf $(VENV) .pipeline
