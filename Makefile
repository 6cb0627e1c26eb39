# jixiao: `make report` builds the example report, `make test` runs the tests.
# Both create the virtual environment .venv first (Python 3.11+, no conda needed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UNIT   ?= lechang-mzj
YEAR   ?= 2019

.DEFAULT_GOAL := help
.PHONY: help install report test wheel lab bench bench-preview bench-batch bench-forms bench-check compare lint docs clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install jixiao with its pinned dependencies

report: $(STAMP) ## build outputs/$(UNIT)/$(YEAR)/report.html (UNIT=… YEAR=… for another)
	$(BIN)/jixiao build --unit $(UNIT) --year $(YEAR)

test: $(STAMP) ## run the whole test suite
	$(BIN)/python -m pytest

wheel: $(STAMP) ## build dist/jixiao-<version>-py3-none-any.whl, to install with pipx or pip (docs/install.md)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .

lab: $(STAMP) ## open JupyterLab at the project root: notebooks/ and examples/explore.ipynb
	$(BIN)/jupyter lab

bench: $(STAMP) ## time the build five ways against the naive pipeline
	$(BIN)/python benchmarks/bench_build.py

bench-preview: $(STAMP) ## jixiao preview's edit loop: save to page update per kind of edit, warm full build, memory
	$(BIN)/python benchmarks/bench_preview.py

bench-batch: $(STAMP) ## 20 synthetic unit-years through a local Dask cluster, 1 and 2 workers, cold per task and warm, against the lower bound for the same outputs
	$(BIN)/python benchmarks/bench_batch.py

bench-forms: $(STAMP) ## read 1,000 and 10,000 generated 自评表 workbooks and the hostile files: forms/s, peak memory
	$(BIN)/python benchmarks/bench_forms.py

bench-check: $(STAMP) ## jixiao check on 1,000 and 10,000 synthetic forms (synth --forms), 1 and 2 processes: files/s, peak memory
	$(BIN)/python benchmarks/bench_check.py

compare: $(STAMP) ## build the examples at BASE=<git revision> and at the work tree, compare every output
	$(BIN)/python tests/compare_builds.py $(BASE)

lint: $(STAMP) ## ruff over the package, tests and notebooks (examples/ too)
	$(BIN)/ruff check lib tests notebooks examples benchmarks

docs: $(STAMP) ## regenerate the settings reference in docs/settings.md from the settings' schema
	$(BIN)/python -m jixiao.inputs.unit_schema docs/settings.md

clean: ## remove build outputs (keeps .venv)
	rm -rf outputs/*/
