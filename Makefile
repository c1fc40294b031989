# Two commands on a fresh machine: `make demo` and `make test`. Only Python 3.11+ needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-unit lint bench bench-incremental bench-resilience bench-storage bench-features bench-peers bench-seasons bench-simulator bench-plans bench-first-load clean db-stop

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/pipeline demo

# the suite in PYTEST_WORKERS processes (pytest-xdist), each with its own embedded server
# (or its own databases on PIPELINE_TEST_DSN): most tests wait on workers and subprocesses,
# so 3 on 2 cores took 8 min 48 s where one process took 14 min 45 s
PYTEST_WORKERS ?= 3

test: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

# the SQL templates (sqlfluff, .sqlfluff), the architecture contract in pyproject.toml
# (layers, no cycles, the simulator stands alone), the GitHub Actions workflows
lint: $(STAMP)
	$(BIN)/pipeline sql lint
	$(BIN)/lint-imports --no-cache
	$(BIN)/actionlint .github/workflows/*.yml

bench: $(STAMP)
	$(BIN)/python bench/backfill.py
	$(BIN)/python bench/incremental.py
	$(BIN)/python bench/resilience.py
	$(BIN)/python bench/storage.py
	$(BIN)/python bench/features.py
	$(BIN)/python bench/simulator.py

# the project beside a naive per-row script and dlt on the same season (issue 11); dlt
# comes with the optional `bench` extra. Add DSN=... to run on another server.
bench-peers: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/peers.py $(if $(DSN),--dsn $(DSN)) $(if $(ROUNDS),--rounds $(ROUNDS))

# three seasons into one database: cost per game, total against the first season
bench-seasons: $(STAMP)
	$(BIN)/python bench/seasons.py

# rendering a box score on demand and serving a prerendered one
bench-simulator: $(STAMP)
	$(BIN)/python bench/simulator.py

# every SQL file a run executes, planned and run on a loaded season: what each plan should
# not do (per-row evaluation, blind nested loops, other seasons' partitions). DSN=... to
# check a database that holds a season already instead of loading one
bench-plans: $(STAMP)
	$(BIN)/python bench/plans.py $(if $(DSN),--dsn $(DSN))

# the largest curated files at a season's first load: the refresh's settings (work_mem)
# against the server's own, alternated; add DSN=... for a database holding a season
bench-first-load: $(STAMP)
	$(BIN)/python bench/first_load.py $(if $(DSN),--dsn $(DSN)) $(if $(ROUNDS),--rounds $(ROUNDS))

bench-features: $(STAMP)
	$(BIN)/python bench/features.py

bench-incremental: $(STAMP)
	$(BIN)/python bench/incremental.py

bench-resilience: $(STAMP)
	$(BIN)/python bench/resilience.py

# TOAST compression of raw payloads: pglz on the embedded server; add DSN=... for another
# server (e.g. PostgreSQL 15 with lz4)
bench-storage: $(STAMP)
	$(BIN)/python bench/storage.py $(if $(DSN),--dsn $(DSN))

db-stop: $(STAMP)
	$(BIN)/pipeline db stop

# stops the embedded server and removes its data wherever it lives (/var/tmp/pipeline-<hash>
# when a parent of .pipeline/ is private and we run as root)
clean:
	-$(BIN)/pipeline db stop --remove-data
	rm -rf $(VENV) .pipeline
