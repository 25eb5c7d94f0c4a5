# Two commands, each doing its own set-up on a fresh machine:
#   make lab   -> JupyterLab on the course (creates .venv on first use)
#   make test  -> the whole test suite, fast mode (what CI runs)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: lab test install clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# postBuild installs lab-settings/overrides.json (no Jupyter news pop-up); Binder runs it too.
lab: $(VENV)/.installed
	PATH="$(abspath $(BIN)):$$PATH" ./postBuild
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

# Two worker processes (pytest-xdist), each taking whole files: a notebook's cells share one
# kernel, so they must stay together and in order (--dist loadfile).
test: $(VENV)/.installed
	$(BIN)/python -m pytest -n 2 --dist loadfile

clean:
	rm -rf $(VENV)
