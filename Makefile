# The two quick-start commands: `make demo` and `make test`.
# Each builds its own virtual environment in .venv (once) and is safe to run again.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck unit bench serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[plot]"
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.demo-installed

demo: $(VENV)/.demo-installed
	$(BIN)/handgrad train

# Lint whichever of these folders exist (benchmarks/ may not yet).
LINT_PATHS := $(wildcard src tests benchmarks spaces docs)

test: $(VENV)/.dev-installed
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Benchmarks print ratios against the peers; OPENBLAS_CORETYPE/L2_SIZE are unset for them only
# (see docs/benchmarks.md). Not part of `make test`: speed is measured, never asserted.
bench: $(VENV)/.dev-installed
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/run_all.py
	$(BIN)/python benchmarks/load_app.py

serve: $(VENV)/.dev-installed
	$(BIN)/handgrad serve

clean:
	rm -rf $(VENV) runs .mypy_cache .ruff_cache .pytest_cache
