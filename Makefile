# Ketamine Therapy, Explained: set-up, tests and builds.
# `make lab` and `make test` each set everything up on a fresh machine.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
LOCK   := requirements/lock.txt
RUNTIME_STAMP := $(VENV)/.installed-runtime
TEST_STAMP    := $(VENV)/.installed-test
STAMP         := $(TEST_STAMP)
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# JupyterLab refuses to run as root unless told; pass the flag only then.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_ARGS ?=
PYTEST_ARGS ?=
# Strict nbval: every output of every notebook must match the committed one.
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with=tests/nbval_sanitize.cfg --nbval-cell-timeout=300
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.PHONY: lab test check execute figures glossary bench lock setup clean help html slides e2e pdf

help:
	@echo "make lab      set up, then open the course in JupyterLab"
	@echo "make test     set up, then run every test (unit, data, notebooks, slow, browser)"
	@echo "make check    the fast tier for the edit loop: unit, data, notebook structure (< 30 s)"
	@echo "make execute  re-run every notebook in place and store its outputs"
	@echo "make figures  regenerate figures/ from code"
	@echo "make glossary regenerate docs/glossary.md from data/glossary.csv"
	@echo "make bench    measure slider latency and import time -> BENCHMARKS.md"
	@echo "make html     export every notebook to a static offline site in site/"
	@echo "make pdf      print every notebook to PDF handouts (student and instructor) in handouts/"
	@echo "make slides   build a reveal.js deck per notebook in slides/ (offline)"
	@echo "make e2e      run only the browser tests (JupyterLab and site/ in chromium)"
	@echo "make lock     re-pin requirements/lock.txt from pyproject.toml"

setup: $(STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || { \
	  echo "error: this course needs Python 3.10 or newer, found: $$($(PYTHON) --version 2>&1 || echo 'no $(PYTHON)')." >&2; \
	  echo "       Install Python 3.10+ or run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON) -m venv' is missing (Debian/Ubuntu: apt-get install python3-venv)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Installs exactly the versions in the lock file (used as constraints), so the
# course does not change when a dependency releases. `make lab` installs only
# what a student needs; the test tools (pytest, nbval, playwright...) come with
# `make test`, `make check` and the other maintainer targets.
#
# Installer: uv when it is on PATH or pip-installs into the venv, else pip.
# A fresh `make lab`, clone to serving JupyterLab, took 164 s with pip and 53 s
# with uv on a loaded 2-core machine (BENCHMARKS.md,
# "Set-up time"). Force one with INSTALLER=pip or INSTALLER=uv.
INSTALLER  ?= auto
UV_VERSION := 0.13.8

define install
	@uv=$$(command -v uv || true); \
	if [ "$(INSTALLER)" != pip ] && [ -z "$$uv" ] && [ ! -x $(BIN)/uv ]; then \
	  $(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)" || echo "uv is not installable here; using pip"; fi; \
	[ -n "$$uv" ] || { [ -x $(BIN)/uv ] && uv=$(BIN)/uv; }; \
	if [ "$(INSTALLER)" != pip ] && [ -n "$$uv" ]; then \
	  echo "installing $(1) with uv"; $$uv pip install --quiet --python $(BIN)/python -c $(LOCK) $(1); \
	elif [ "$(INSTALLER)" = uv ]; then echo "error: INSTALLER=uv but uv is missing" >&2; exit 1; \
	else \
	  echo "installing $(1) with pip"; $(BIN)/python -m pip install --quiet --upgrade "pip>=23.1" && \
	  $(BIN)/python -m pip install --quiet -c $(LOCK) $(1); fi
endef

$(RUNTIME_STAMP): $(BIN)/python pyproject.toml $(LOCK)
	$(call install,-e .)
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp scripts/lab_overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $@

$(TEST_STAMP): $(RUNTIME_STAMP)
	$(call install,-e ".[test]")
	@touch $@

lab: $(RUNTIME_STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb $(ROOT_FLAG) $(LAB_ARGS)

# Everything: unit, data, docstring examples, notebook structure, strict nbval
# on every notebook, the slow tests (re-execution, wheel install) and e2e.
test: $(TEST_STAMP)
	$(BIN)/python -m pytest $(NBVAL) $(PYTEST_ARGS)

# The edit loop: unit, data, docstring examples and notebook structure; no
# nbval, no browser, nothing marked slow. About 35 s of CPU (one core); about
# two thirds of it is building and drawing the demos in tests/test_demos.py.
check: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not e2e" --ignore=tests/e2e $(PYTEST_ARGS) tests src/ketamine_course

# Re-run every notebook, then scripts/clean_notebooks.py strips widget state,
# widget views and timestamps. Measured against nbstripout 0.9.1 and jupytext
# 1.19.6 on the seven notebooks: nbstripout (--keep-output, 1.6 s) cannot drop
# a MIME type from an output, so the 22 widget views with random model ids
# stay and every re-execution still changes them; jupytext pairs a .py that
# keeps no outputs, and strict nbval and the static PNG fallbacks need them.
# The cleaner (0.2 s, standard library only) keeps outputs and PNGs, drops
# exactly the noise, and re-executing then gives an empty diff
# (tests/test_reexecute.py).
execute: $(RUNTIME_STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 $(NOTEBOOKS)
	$(BIN)/python scripts/clean_notebooks.py $(NOTEBOOKS)

figures: $(RUNTIME_STAMP)
	$(BIN)/python -m ketamine_course.diagrams figures

glossary: $(RUNTIME_STAMP)
	$(BIN)/python -c "from ketamine_course import glossary; glossary.GLOSSARY_DOC.write_text(glossary.markdown())"

bench: $(STAMP)
	$(BIN)/python scripts/bench.py BENCHMARKS.md

# Static, offline site: each notebook executed into build/executed/ for live widget state,
# with the widget HTML manager, require.js and MathJax installed from npm at build
# time (exact versions) and served from site/lib. axe-core is for the tests.
SITE      ?= site
NPM_DIR   := build/npm
NPM_PKGS  := @jupyter-widgets/html-manager@1.0.15 requirejs@2.3.8 mathjax@3.2.2 axe-core@4.14.1 \
             reveal.js@4.6.0 jquery@3.7.1 pagefind@1.6.0
NPM_STAMP := $(NPM_DIR)/.installed-$(shell echo '$(NPM_PKGS)' | md5sum | cut -c1-8)

$(NPM_STAMP):
	@command -v npm >/dev/null || { echo "error: make html needs npm (Debian: apt-get install npm)" >&2; exit 1; }
	mkdir -p $(NPM_DIR)
	npm install --no-save --no-audit --no-fund --loglevel=error --prefix $(NPM_DIR) $(NPM_PKGS)
	@touch $@

html: $(STAMP) $(NPM_STAMP)
	$(BIN)/python scripts/build_html.py $(SITE) $(NPM_DIR) $(NOTEBOOKS)

# PDF handouts, printed from the site's pages by Debian's chromium (playwright page.pdf):
# handouts/student/ (no quiz answers or worked solutions) and handouts/instructor/ (with them).
HANDOUTS ?= handouts
pdf: html
	$(BIN)/python scripts/build_pdf.py $(SITE) $(HANDOUTS) $(NOTEBOOKS)

# reveal.js decks, one per notebook, offline (same npm folder as the site). Each notebook is run first
# into build/executed/ (widget state stored; reused while the notebook, src/ and data/ are unchanged).
SLIDES ?= slides
slides: $(STAMP) $(NPM_STAMP)
	$(BIN)/python scripts/build_slides.py $(SLIDES) $(NPM_DIR) $(NOTEBOOKS)

e2e: $(STAMP)
	$(BIN)/python -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

# Re-pin: resolve pyproject.toml's ranges in a scratch venv, record the result.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade "pip>=23.1"
	.lock-venv/bin/python -m pip install --quiet ".[test]"
	{ echo "# Exact versions CI tested. Regenerate with 'make lock'."; \
	  .lock-venv/bin/python -m pip freeze --exclude ketamine-course --exclude pip; } > $(LOCK)
	rm -rf .lock-venv build/lib build/bdist.* src/*.egg-info

clean:
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
include deploy/hub/hub.mk
