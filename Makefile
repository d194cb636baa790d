# Caillou — see README.md. Every target installs what it needs first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint format bench install sysdeps-run sysdeps-test messages clean screenshots

$(BIN)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(BIN)/.installed

sysdeps-run:
	@scripts/sysdeps.sh run

sysdeps-test:
	@scripts/sysdeps.sh test

run: install sysdeps-run
	$(BIN)/python scripts/services.py run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The edit-run loop: no PostgreSQL, Redis, worker or browser (SQLite in memory),
# on both cores. `make test` stays what CI runs.
test-fast: install
	$(BIN)/python -m pytest -n 2 -m "not services and not browser" -q $(PYTEST_ARGS)

# The whole suite: first what needs no worker nor browser, on both cores (each
# pytest-xdist worker has its own test database; their messages go to Redis
# database 1, which no test's worker reads); then the tests that start Celery
# workers or drive Chromium, one at a time, as their waits are timed.
# `make test PYTEST_ARGS="tests/x.py -x"` runs a part, in one process.
ifdef PYTEST_ARGS
TEST_RUN = $(BIN)/python -m pytest $(PYTEST_ARGS)
else
TEST_RUN = sh -c 'REDIS_URL=$${REDIS_URL%/0}/1 $(BIN)/python -m pytest -n 2 -q \
	-m "not services and not browser" && $(BIN)/python -m pytest -q -m "services or browser"'
endif

test: install sysdeps-test lint
	$(BIN)/python scripts/services.py test -- $(TEST_RUN)

# PNGs for reviewing a change: every page of the layout test at each width in
# French and English (screenshots/pages/), every page of the accounting firm's
# French and English plans (screenshots/plans/). The layout tests run as well.
SCREENSHOTS ?= screenshots
screenshots: install sysdeps-test
	rm -rf $(SCREENSHOTS)
	SCREENSHOTS=$(abspath $(SCREENSHOTS)) $(BIN)/python -m pytest -q \
		tests/browser/test_layout.py::test_every_page_fits_every_width_in_both_languages \
		tests/reports/test_pdf_layout.py::test_the_personas_plans_are_laid_out_within_their_pages
	@echo "PNGs in $(SCREENSHOTS)/pages and $(SCREENSHOTS)/plans"

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install sysdeps-test
	$(BIN)/python scripts/services.py test -- $(BIN)/python benchmarks/run.py

messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .run staticfiles
