# JupyterHub for a class (deploy/hub/README.md). Included by the Makefile.
#   make hub-env    build the hub's own venv (course from requirements/lock.txt + hub extras), proxy and
#                   the figures drawn before class (build/hub/frames)
#   make hub        start the hub on http://127.0.0.1:8000 to try it out (Ctrl-C stops everything)
#   make links      print nbgitpuller links: make links HUB_URL=https://hub.example.edu REPO_URL=https://...
#   make loadtest   simulated students against a loopback hub -> BENCHMARKS.md

HUB_DIR       := build/hub
HUB_VENV      := $(HUB_DIR)/venv
HUB_REQS      := deploy/hub/requirements.txt
HUB_NPM_PKGS  := configurable-http-proxy@5.3.0
HUB_STAMP     := $(HUB_VENV)/.installed
HUB_NPM_STAMP := $(HUB_DIR)/npm/.installed-$(shell echo '$(HUB_NPM_PKGS)' | md5sum | cut -c1-8)
HUB_PIXEL_DENSITY := $(or $(COURSE_HUB_PIXEL_DENSITY),1)
HUB_FRAMES_STAMP  := $(HUB_DIR)/frames/.drawn-$(HUB_PIXEL_DENSITY)
HUB_PORT      ?= 8000
HUB_URL       ?=
REPO_URL      ?=
BRANCH        ?= main
LOADTEST_ARGS ?=

.PHONY: hub-env hub links loadtest

# The course is installed as a normal (non-editable) package, pinned by the same lock file
# students get; the hub extras have their own exact pins.
$(HUB_STAMP): $(LOCK) $(HUB_REQS) pyproject.toml $(shell find src data figures -type f -not -path "*/__pycache__/*" 2>/dev/null)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "error: the hub needs Python 3.10+" >&2; exit 1; }
	$(PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade "pip>=23.1"
	$(HUB_VENV)/bin/python -m pip install --quiet -c $(LOCK) -r $(HUB_REQS) .
	@mkdir -p $(HUB_VENV)/share/jupyter/lab/settings
	@cp scripts/lab_overrides.json $(HUB_VENV)/share/jupyter/lab/settings/overrides.json
	@rm -rf build/lib build/bdist.* src/*.egg-info
	@touch $@

$(HUB_NPM_STAMP):
	@command -v npm >/dev/null || { echo "error: the hub's proxy comes from npm (Debian: apt-get install npm)" >&2; exit 1; }
	mkdir -p $(HUB_DIR)/npm
	npm install --no-save --no-audit --no-fund --loglevel=error --prefix $(HUB_DIR)/npm $(HUB_NPM_PKGS)
	@touch $@

# Figures drawn before class, shown by the students' kernels instead of drawing them
# (deploy/hub/predraw.py; COURSE_HUB_FRAMES in jupyterhub_config.py). Drawn at the hub's pixel density.
$(HUB_FRAMES_STAMP): $(HUB_STAMP) deploy/hub/predraw.py scripts/build_frames.py $(wildcard notebooks/[0-9][0-9]_*.ipynb)
	$(HUB_VENV)/bin/python deploy/hub/predraw.py $(HUB_DIR)/frames --pixel-density $(HUB_PIXEL_DENSITY)
	@touch $@

hub-env: $(HUB_STAMP) $(HUB_NPM_STAMP) $(HUB_FRAMES_STAMP)

hub: hub-env
	@echo "Class password:      $$(cat $(HUB_DIR)/state/user_password 2>/dev/null || echo '(created on first start: $(HUB_DIR)/state/user_password)')"
	@echo "Instructor password: in $(HUB_DIR)/state/admin_password (user name: instructor)"
	COURSE_HUB_PORT=$(HUB_PORT) $(HUB_VENV)/bin/jupyterhub -f deploy/hub/jupyterhub_config.py

links:
	@test -n "$(HUB_URL)" -a -n "$(REPO_URL)" || { echo "usage: make links HUB_URL=https://hub.example.edu REPO_URL=https://github.com/OWNER/REPO [BRANCH=main]" >&2; exit 2; }
	@$(PYTHON) deploy/hub/links.py --hub "$(HUB_URL)" --repo "$(REPO_URL)" --branch "$(BRANCH)"

loadtest: hub-env
	$(HUB_VENV)/bin/python deploy/hub/loadtest.py --report BENCHMARKS.md $(LOADTEST_ARGS)
