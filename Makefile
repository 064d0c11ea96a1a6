# Crosstalk: the README's commands.  `make lab` and `make test` are all most people need.
#
#   make lab        JupyterLab on the workshops (nbgrader formgrader included)
#   make test       ruff, then pytest: unit, course, system tests and --nbval over workshops/
#   make bench      benchmarks (installs the [bench] extra)
#   make lite       the zero-install version: a static JupyterLite site in build/lite/site
#   make lite-serve serve that site on http://127.0.0.1:8000 to try it
#   make hub        a throwaway multi-user JupyterHub on http://127.0.0.1:8000 (any name logs in)
#   make screenshots  browser tests of the workshops and formgrader; screenshots to docs/
#   make lint       ruff only
#   make exercises  regenerate exercises/ from solutions/
#   make handout    the learners' copy (workshops, exercises, the kit's wheel; no answers) in build/handout
#   make test-lowest  the core tools' unit tests on the lowest versions pyproject.toml allows
#   make notebooks  re-run workshops/*.ipynb so their stored outputs match the kit
#   make clean      caches and build output (never grades or submissions)
#   make distclean  clean, and remove the virtual environment
#
# Overrides: PYTHON=python3.12 (for a new venv; `make distclean` first), PORT=8888, IP=127.0.0.1,
#   PYODIDE=path/to/pyodide-<version>.tar.bz2 (make lite: bundle it, for use without internet),
#   LITE_OUT=build/lite/site, LITE_PORT=8000, HUB_PORT=8000, GRADERS=lead,
#   CROSSTALK_GRADEBOOK_URL=postgresql+psycopg://... (make hub; default SQLite in build/hub)

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8888
IP     ?= 127.0.0.1

BIN        := $(CURDIR)/$(VENV)/bin
DEV_STAMP  := $(VENV)/.crosstalk-dev.stamp
BENCH_STAMP := $(VENV)/.crosstalk-bench.stamp
# nbgrader shells out to `alembic`, nbval starts kernels: the venv's bin/ comes first.
# JUPYTER_PREFER_ENV_PATH makes the venv's `python3` kernelspec win over user-wide ones.
RUN := env PATH="$(BIN):$$PATH" JUPYTER_PREFER_ENV_PATH=1
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
NOTEBOOKS = $(wildcard workshops/*.ipynb)
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check --quiet

LITE_OUT  ?= build/lite/site
LITE_PORT ?= 8000
PYODIDE   ?=

.PHONY: help lab test test-lowest lint bench exercises handout notebooks clean distclean lite lite-serve \
	screenshots hub

help:
	@sed -n '3,23p' Makefile | sed 's/^# \{0,1\}//'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml changes (the install is editable).
# An editable install skips pyproject's data files: copy JupyterLab's setting that saves
# widget state (the exercises' answer forms are read back from the saved notebook).
LAB_SETTING := share/jupyter/lab/settings/overrides.d/crosstalk.json
$(DEV_STAMP): pyproject.toml $(LAB_SETTING) | $(BIN)/python
	$(PIP_INSTALL) -e '.[dev]'
	mkdir -p $(VENV)/$(dir $(LAB_SETTING))
	cp $(LAB_SETTING) $(VENV)/$(LAB_SETTING)
	touch $@

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e '.[dev,bench]'
	touch $@

lab: $(DEV_STAMP)
	@mkdir -p workshops
	@echo "Starting JupyterLab on http://$(IP):$(PORT)/lab/tree/workshops"
	@echo "Open the URL with ?token=... printed below. Grading: menu Nbgrader > Formgrader. Stop: Ctrl+C."
	$(RUN) $(BIN)/jupyter lab --no-browser --ip=$(IP) --port=$(PORT) $(ALLOW_ROOT) \
		--ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/workshops

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

# ruff, then one pytest run (one summary line): tests/ plus every workshop notebook under
# --nbval.  pytest runs even when ruff complains, so CI always shows the test summary;
# the target still fails afterwards.  The kernel is the venv's `python3` kernelspec (the
# venv's python).  Notebooks under tests/ are fixtures for other tests, not nbval targets.
# Two or more cores: pytest-xdist runs test files (and notebooks: nbval needs a notebook's
# cells in order, in one kernel) side by side, one file per worker (--dist loadscope).
# PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= auto
PYTEST_ARGS = tests $(if $(NOTEBOOKS),--nbval $(NOTEBOOKS) --nbval-kernel-name=python3 \
	--ignore-glob='tests/*.ipynb') -n $(PYTEST_WORKERS) --dist loadscope

test: $(DEV_STAMP)
	@lint=0; echo "$(BIN)/ruff check ."; $(BIN)/ruff check . || lint=$$?; \
	echo "pytest $(PYTEST_ARGS)"; \
	$(RUN) $(BIN)/python -m pytest $(PYTEST_ARGS) || exit $$?; \
	if [ $$lint != 0 ]; then echo "make test: tests passed, but ruff reported problems (above)"; fi; \
	exit $$lint

bench: $(BENCH_STAMP)
	@if [ -f benchmarks/__main__.py ]; then \
		$(RUN) $(BIN)/python -m benchmarks; \
	else \
		set -e; found=0; \
		for bench in benchmarks/bench_*.py; do \
			[ -f "$$bench" ] || continue; found=1; \
			echo "== $$bench"; $(RUN) $(BIN)/python "$$bench"; \
		done; \
		[ $$found = 1 ] || echo "no benchmarks/bench_*.py yet"; \
	fi

exercises: $(DEV_STAMP)
	$(RUN) $(BIN)/crosstalk exercises build

# The learners' copy for laptops (`make lab` is the facilitator's: it shows solutions/).
HANDOUT ?= build/handout
handout: $(DEV_STAMP)
	$(RUN) $(BIN)/crosstalk handout "$(HANDOUT)"

# The lower bounds of pyproject.toml's core dependencies, installed exactly, without any
# extra, in their own venv: the core tools' unit tests must pass there too.
LOWEST_VENV ?= .venv-lowest
test-lowest:
	rm -rf $(LOWEST_VENV)
	$(PYTHON) -m venv $(LOWEST_VENV)
	$(PYTHON) -c 'import re, tomllib; deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]; print("\n".join(re.sub(r">=", "==", d) for d in deps))' > $(LOWEST_VENV)/constraints.txt
	$(LOWEST_VENV)/bin/python -m pip install --disable-pip-version-check --quiet \
		-c $(LOWEST_VENV)/constraints.txt . pytest hypothesis pytest-xdist
	CROSSTALK_CORE_ONLY=1 $(LOWEST_VENV)/bin/pytest -q -p no:cacheprovider \
		-n $(PYTEST_WORKERS) --dist loadscope tests/unit

# After a change to the kit: re-run the workshops so their stored outputs (nbval) match.
notebooks: $(DEV_STAMP)
	$(RUN) JUPYTER_PREFER_ENV_PATH=1 $(BIN)/crosstalk notebooks refresh

# The zero-install version (kit/lite): JupyterLite is installed in its own environment
# (build/lite/env), so the kit's JupyterLab does not load JupyterLite's extensions.
lite: $(DEV_STAMP)
	$(RUN) $(BIN)/python -m kit.lite build --out "$(LITE_OUT)" $(if $(PYODIDE),--pyodide "$(PYODIDE)")

lite-serve: $(DEV_STAMP)
	$(BIN)/python -m kit.lite serve "$(LITE_OUT)" --host $(IP) --port $(LITE_PORT)

# A throwaway JupyterHub for one machine (deploy/jupyterhub/jupyterhub_config.py): the demo
# login takes any user name without a password, and every learner runs as this OS user.
# The config prints both warnings loudly.  Graders: GRADERS (default lead).  State: build/hub.
HUB_PORT ?= 8000
GRADERS  ?= lead
hub: $(DEV_STAMP)
	@echo "Starting a THROWAWAY JupyterHub on http://127.0.0.1:$(HUB_PORT) (stop: Ctrl+C)."
	@echo "Log in as $(GRADERS) to grade (formgrader: Services > crosstalk), any other name to learn."
	$(RUN) CROSSTALK_DEMO=1 CROSSTALK_HUB_STATE="$(CURDIR)/build/hub" \
		CROSSTALK_HUB_URL=http://127.0.0.1:$(HUB_PORT) CROSSTALK_GRADERS="$(GRADERS)" \
		$(BIN)/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

# The browser tests write artifacts/screenshots/<notebook>.png; the README shows the copies.
screenshots: $(DEV_STAMP)
	$(RUN) $(BIN)/python -m pytest tests/browser/test_workshops.py tests/browser/test_formgrader.py -q
	@mkdir -p docs/screenshots
	@for name in $(basename $(notdir $(NOTEBOOKS))) formgrader; do \
		cp "artifacts/screenshots/$$name.png" "docs/screenshots/$$name.png" && \
		echo "docs/screenshots/$$name.png"; \
	done

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -type d -name .ipynb_checkpoints -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(LOWEST_VENV)
