# Two commands do all the set-up on a fresh machine (Python 3.11 and make):
#   make serve   the explorer dashboard at http://127.0.0.1:8866/
#   make test    the whole test suite, browser tests included
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8866

.PHONY: serve kiosk test test-fast lint validate benchmark benchmark-all screenshot clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/scoda-map serve --port $(PORT)

kiosk: $(STAMP)
	$(BIN)/scoda-map kiosk --port $(PORT)

validate: $(STAMP)
	$(BIN)/scoda-map validate
	$(BIN)/frictionless validate geodata/datapackage.json

# The linter first (a second or two): its findings are cheaper to read than a failed test.
# Two test workers (pytest-xdist), a module each at a time: most tests wait on a browser, a
# server or a kernel, so two keep both cores of the CI machine busy. TEST_WORKERS=0 runs one.
TEST_WORKERS ?= 2
test: lint
	$(BIN)/python -m scoda_map._testing.chromium --check
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder

lint: $(STAMP)
	$(BIN)/ruff check .

test-fast: lint
	$(BIN)/python -m pytest -m "not browser"

screenshot: $(STAMP)
	$(BIN)/python scripts/screenshot.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Everything, concurrency included (about 45 minutes on 2 cores).
benchmark-all: $(STAMP)
	$(BIN)/python benchmarks/run.py --concurrency 1,2,4,8,16,32

clean:
	rm -rf $(VENV) .pytest_cache
