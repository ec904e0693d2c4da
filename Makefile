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
# TensorFlow's two thread pools likewise, and its start-up notices (oneDNN, CPU features)
# off the build's console.
export TF_NUM_INTRAOP_THREADS ?= 1
export TF_NUM_INTEROP_THREADS ?= 1
export TF_CPP_MIN_LOG_LEVEL ?= 1

$(STAMP): requirements.txt pyproject.toml tools/check_python.py
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $(STAMP)

# A second environment as Colab has it (no MXNet, NumPy 2), where the PyTorch notebooks must
# run and the TensorFlow notebooks do run (TensorFlow needs NumPy 2, and MXNet crashes where
# TensorFlow was imported first); installed here, with the other packages, so that the
# tests install nothing. Its kernel is installed into .venv (tools/kernels.py --install),
# under the name tools/frameworks.py gives TensorFlow's notebooks.
COLAB := .venv-colab
COLAB_STAMP := $(COLAB)/.installed
$(COLAB_STAMP): tools/colab-requirements.txt pyproject.toml tools/check_python.py
	@$(PYTHON) tools/check_python.py
	rm -rf $(COLAB)
	$(PYTHON) -m venv $(COLAB)
	$(COLAB)/bin/pip install --quiet --disable-pip-version-check -r tools/colab-requirements.txt
	$(COLAB)/bin/python -m ipykernel install --prefix $(COLAB) --name python3 >/dev/null
	@touch $(COLAB_STAMP)
KERNELS_STAMP := $(VENV)/.kernels-installed
$(KERNELS_STAMP): $(STAMP) $(COLAB_STAMP) tools/frameworks.py tools/kernels.py
	$(BIN)/python tools/kernels.py --install
	@touch $(KERNELS_STAMP)
colab-env: $(COLAB_STAMP)

# The execution cache keys on each chapter's code, and tools/execute_chapters.py keeps with
# each chapter a record of what its run used: the parts of d2l_utils it imported or called
# (and the package's files it read), and the files that execute and merge chapters, each
# by a fingerprint that ignores formatting. It executes again only the chapters whose
# recorded parts changed, and leaves a stamp for each, so that Sphinx reads those pages
# again (_ext/executed_pages.py) and keeps the others.

# Sphinx re-reads no unchanged page when a build-only extension (_ext/) changes: drop its
# saved environment then, and keep the execution cache.
EXT_STAMP := _build/.ext-stamp
$(EXT_STAMP): $(wildcard _ext/*.py)
	rm -rf _build/.doctrees
	@mkdir -p _build && touch $(EXT_STAMP)

# The chapters are executed in parallel into the cache first, each as its framework
# notebooks (the TensorFlow ones in the NumPy-2 environment's kernel), and merged; the
# build then renders (tools/render.py is jupyter-book without the 6 s that importing
# nbformat's schema checks costs: see tools/startup.py). A chapter that fails stops make
# here (the build would run it in one kernel, where the frameworks' cells clash).
site: $(STAMP) $(KERNELS_STAMP) $(EXT_STAMP)
	$(BIN)/python tools/execute_chapters.py chapters/*.ipynb
	$(BIN)/python tools/render.py build . --warningiserror --keep-going
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
# and every chapter through nbval (each stored output of its framework notebooks compared
# with the build's fresh run of them, kept with the cache: `site` has just brought it up to
# date, so nothing is executed twice), a whole chapter per worker.
# One chapter alone: `.venv/bin/pytest chapters/x.ipynb`.

# Then the TensorFlow edition's tests, in the NumPy-2 environment: d2l's TensorFlow calls,
# and the tests written once for every edition (their TensorFlow runs).
EDITION_TESTS := tests/public_api/test_book_calls_tensorflow.py tests/public_api/test_fuzz.py \
	tests/unit/test_optimizers.py tests/unit/test_training.py tests/unit/test_explorers.py \
	tests/unit/test_conventions.py
test: $(STAMP) $(COLAB_STAMP) browser lint site pdf
	$(BIN)/pytest --numprocesses logical --maxprocesses 4 --dist loadfile
	$(COLAB)/bin/pytest -o addopts="-p no:cacheprovider" -q $(EDITION_TESTS) -k tensorflow

# Re-execute the chapters (each as its framework notebooks) and store their merged text
# outputs (what the notebook tests compare).
outputs: $(STAMP) $(KERNELS_STAMP)
	$(BIN)/python tools/store_outputs.py chapters/*.ipynb

# Write notebooks/<framework>/ from the chapters (commit them: Colab opens the PyTorch and
# TensorFlow ones from GitHub). tests/test_framework_tabs.py fails while they are stale.
notebooks: $(STAMP)
	$(BIN)/python tools/framework_notebooks.py

# The benchmark's own packages: the reference d2l==1.0.3, what it imports, pyinstrument.
# --no-deps: every one of them is pinned in the file, and none may replace the book's stack.
BENCH_STAMP := $(VENV)/.benchmark-installed
$(BENCH_STAMP): $(STAMP) tools/benchmark-requirements.txt
	$(BIN)/pip install --quiet --no-deps -r tools/benchmark-requirements.txt
	@touch $(BENCH_STAMP)
# The same reference in the NumPy-2 environment, for TensorFlow's side.
BENCH_COLAB_STAMP := $(COLAB)/.benchmark-installed
$(BENCH_COLAB_STAMP): $(COLAB_STAMP) tools/benchmark-tensorflow-requirements.txt
	$(COLAB)/bin/pip install --quiet --no-deps -r tools/benchmark-tensorflow-requirements.txt
	@touch $(BENCH_COLAB_STAMP)

# Training against d2l 1.0.3 (MXNet and TensorFlow), slider latency, page weight, clean
# build and test run times; see tools/benchmark.py. Options: make benchmark BENCHMARK_ARGS="--repeat 9".
benchmark: site browser $(BENCH_STAMP) $(BENCH_COLAB_STAMP)
	$(BIN)/python tools/benchmark.py $(BENCHMARK_ARGS)

clean:
	rm -rf _build
