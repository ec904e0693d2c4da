# The two commands of the README:
#   make site   builds the website into _build/html (virtual environment, install, execute)
#   make test   runs every test: lint, unit tests, executed notebooks, the site in a browser
# Both create .venv on first use with Python 3.11 (set PYTHON=/path/to/python3.11 if needed).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Where the loader finds (or caches) airfoil_self_noise.dat. The checkout's sibling
# folder shared/data holds the exact file for tests and CI; readers download it.
ifneq ($(wildcard ../shared/data/airfoil_self_noise.dat),)
export D2L_DATA_DIR ?= $(abspath ../shared/data)
endif

.PHONY: site test lint browser outputs benchmark clean

$(STAMP): requirements.txt pyproject.toml tools/check_python.py
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $(STAMP)

# The execution cache keys on the notebooks' code only: drop it when the package changes.
CACHE_STAMP := _build/.package-stamp
$(CACHE_STAMP): $(wildcard d2l_utils/*.py d2l_utils/js/*.js)
	rm -rf _build/.jupyter_cache
	@mkdir -p _build && touch $(CACHE_STAMP)

site: $(STAMP) $(CACHE_STAMP)
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo "The book is built. Open $(abspath _build/html/index.html) in a browser."

browser:
	@bash tools/ensure_chromium.sh

lint: $(STAMP)
	$(BIN)/ruff check d2l_utils tests tools
	$(BIN)/ruff format --check d2l_utils tests tools

test: $(STAMP) browser lint site
	$(BIN)/pytest

# Re-execute the chapters and store their text outputs (what the notebook tests compare).
outputs: $(STAMP)
	$(BIN)/python tools/store_outputs.py chapters/*.ipynb

# Slider latency (notebook kernel and browser) and page weight; see tools/benchmark.py.
benchmark: site browser
	$(BIN)/python tools/benchmark.py

clean:
	rm -rf _build
