# The two commands of the README:
#   make site   builds the website into _build/html (virtual environment, install, execute)
#   make test   runs every test: lint, unit tests, executed notebooks, the site in a browser
# Both create .venv on first use with Python 3.11 (set PYTHON=/path/to/python3.11 if needed).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site pdf test lint browser colab-env outputs notebooks benchmark clean

# The build and the tests run several kernels side by side, one per core. Each kernel's
# OpenMP pool (PyTorch's, MXNet's) would otherwise take every core too: with two kernels
# on two cores PyTorch's threads wait on each other, and a 1.4 s cell took 190 s. The
# chapters' arrays are small, so one thread per kernel loses nothing. Override if needed.
export OMP_NUM_THREADS ?= 1

$(STAMP): requirements.txt pyproject.toml tools/check_python.py
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $(STAMP)

# The execution cache keys on the notebooks' code only: when the package or the way chapters
# are executed (split into framework notebooks, run, merged) changes, drop it and Sphinx's
# saved environment (which would otherwise keep unchanged pages as they were).
CACHE_STAMP := _build/.package-stamp
EXECUTION := tools/execute_chapters.py tools/framework_notebooks.py $(wildcard tools/without/*/*/*.py)
$(CACHE_STAMP): $(wildcard d2l_utils/*.py d2l_utils/explorers/*.py d2l_utils/explorers/*.js) $(EXECUTION)
	rm -rf _build/.jupyter_cache _build/.doctrees
	@mkdir -p _build && touch $(CACHE_STAMP)

# Sphinx re-reads no unchanged page when a build-only extension (_ext/) changes: drop its
# saved environment then, and keep the execution cache.
EXT_STAMP := _build/.ext-stamp
$(EXT_STAMP): $(wildcard _ext/*.py)
	rm -rf _build/.doctrees
	@mkdir -p _build && touch $(EXT_STAMP)

# The chapters are executed in parallel into the cache first, each as its MXNet and PyTorch
# notebooks, and merged; the build then renders. A chapter that fails stops make here (the
# build would run it in one kernel, where the two frameworks' cells clash).
site: $(STAMP) $(CACHE_STAMP) $(EXT_STAMP)
	$(BIN)/python tools/execute_chapters.py chapters/*.ipynb
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo "The book is built. Open $(abspath _build/html/index.html) in a browser."

# The whole book as one PDF, printed from the built site by Debian's Chromium (tools/pdf.py):
# _build/pdf/<title>.pdf, also copied into _build/html, where the download menu offers it.
pdf: site browser
	$(BIN)/python tools/pdf.py

browser:
	@bash tools/ensure_chromium.sh

lint: $(STAMP)
	$(BIN)/ruff check d2l_utils tests tools _ext
	$(BIN)/ruff format --check d2l_utils tests tools _ext
	$(BIN)/mypy
	$(BIN)/actionlint

# The tests run on every core (at most 4 workers; pytest-xdist): the unit and browser tests,
# and every chapter through nbval (its MXNet and PyTorch notebooks, each executed in a fresh
# kernel, each output compared with the chapter's stored one), a whole chapter per worker.
# One chapter alone: `.venv/bin/pytest chapters/x.ipynb`.
# A second environment as Colab has it (no MXNet, NumPy 2), where the PyTorch notebooks must
# run; installed here, with the other packages, so that the tests install nothing.
COLAB := .venv-colab
COLAB_STAMP := $(COLAB)/.installed
$(COLAB_STAMP): tools/colab-requirements.txt pyproject.toml
	rm -rf $(COLAB)
	$(PYTHON) -m venv $(COLAB)
	$(COLAB)/bin/pip install --quiet --disable-pip-version-check -r tools/colab-requirements.txt
	$(COLAB)/bin/python -m ipykernel install --prefix $(COLAB) --name python3 >/dev/null
	@touch $(COLAB_STAMP)
colab-env: $(COLAB_STAMP)

test: $(STAMP) $(COLAB_STAMP) browser lint site pdf
	$(BIN)/pytest --numprocesses logical --maxprocesses 4 --dist loadfile

# Re-execute the chapters (each as its framework notebooks) and store their merged text
# outputs (what the notebook tests compare).
outputs: $(STAMP)
	$(BIN)/python tools/store_outputs.py chapters/*.ipynb

# Write notebooks/mxnet/ and notebooks/pytorch/ from the chapters (commit them: Colab opens
# the PyTorch ones from GitHub). tests/test_framework_tabs.py fails while they are stale.
notebooks: $(STAMP)
	$(BIN)/python tools/framework_notebooks.py

# The benchmark's own packages: the reference d2l==1.0.3, what it imports, pyinstrument.
# --no-deps: every one of them is pinned in the file, and none may replace the book's stack.
BENCH_STAMP := $(VENV)/.benchmark-installed
$(BENCH_STAMP): $(STAMP) tools/benchmark-requirements.txt
	$(BIN)/pip install --quiet --no-deps -r tools/benchmark-requirements.txt
	@touch $(BENCH_STAMP)

# Training against d2l 1.0.3, slider latency, page weight, clean build and test run
# times; see tools/benchmark.py. Options: make benchmark BENCHMARK_ARGS="--repeat 9".
benchmark: site browser $(BENCH_STAMP)
	$(BIN)/python tools/benchmark.py $(BENCHMARK_ARGS)

clean:
	rm -rf _build
