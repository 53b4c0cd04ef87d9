# LeadScraper developer commands. Every target does its own set-up on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2
export LITELLM_LOCAL_MODEL_COST_MAP := True

LOCK   := requirements.lock
# pip-compile's options for the lock: every package pinned (pip and setuptools too), no machine-specific
# index or find-links lines, the dev extra included.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --allow-unsafe \
	--extra dev --strip-extras --no-emit-index-url --no-emit-find-links --output-file $(LOCK) setup.cfg

.PHONY: install run test test-sqlite lint format migrate bench bench-quick deploy crawl clean \
	lock lock-upgrade check-lock

# The exact versions in requirements.lock, then the project itself without resolving anything again.
$(STAMP): setup.cfg pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip check
	$(PY) .ci/check_lock.py
	touch $(STAMP)

install: $(STAMP)  ## virtualenv + the project and its dev tools, at the versions of requirements.lock

lock:  ## after changing setup.cfg's requirements: add/drop/move only what changed in requirements.lock
	test -x $(VENV)/bin/pip-compile || { test -x $(PY) || $(PYTHON) -m venv $(VENV); $(PY) -m pip install --quiet pip-tools; }
	$(PIP_COMPILE)
	@echo "requirements.lock refreshed: review 'git diff $(LOCK)', then make install"

lock-upgrade:  ## every pin to the newest version setup.cfg allows (then run the tests)
	test -x $(VENV)/bin/pip-compile || { test -x $(PY) || $(PYTHON) -m venv $(VENV); $(PY) -m pip install --quiet pip-tools; }
	$(PIP_COMPILE) --upgrade

check-lock: $(STAMP)  ## fails when setup.cfg's requirements and requirements.lock disagree
	$(PY) .ci/check_lock.py

migrate: $(STAMP)  ## bring DATABASE_URL (default: SQLite under var/) to the latest schema
	$(PY) -m db.migrate upgrade

run: migrate  ## the platform on this machine: scrapyd, API, worker; prints a first API key
	$(PY) -m api.devserver

test: $(STAMP)  ## the suite; PostgreSQL when TEST_DATABASE_URL/DATABASE_URL is set, else a temporary SQLite file
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-sqlite: $(STAMP)  ## the database-facing tests on the embedded SQLite default
	TEST_DATABASE_URL= DATABASE_URL= $(PY) -m pytest -n $(PYTEST_WORKERS) -m db $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy crawler pipelines db api

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

crawl: migrate  ## make crawl URLS=https://example.org DEPTH=2
	$(VENV)/bin/scrapy crawl leads -a urls="$(URLS)" -a depth=$(or $(DEPTH),1)

bench: migrate
	$(PY) -m bench

bench-quick: migrate
	$(PY) -m bench --quick

deploy: $(STAMP)  ## upload the project egg to every scrapyd target in scrapy.cfg and SCRAPYD_URLS
	$(PY) -m api.scrapyd.deploy

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
