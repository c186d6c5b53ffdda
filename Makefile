# `make run`: set everything up, ingest documents/ if needed, serve the browser app.
# `make test`: set everything up (Chromium included), then run the test suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run ingest test lint eval bench clean browser-deps

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[st,dev]"
	touch $(STAMP)

ingest: setup
	$(BIN)/assistant ingest

run: setup
	$(BIN)/assistant ingest --quiet
	$(BIN)/python app.py

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install chromium"; exit 1; fi; }

test: setup browser-deps
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check assistant index tests app.py eval benchmarks
	$(BIN)/mypy assistant index app.py

eval: setup
	$(BIN)/assistant ingest --quiet
	$(BIN)/assistant eval --questions eval/questions.jsonl --compare --report eval/report/

clean:
	rm -rf $(VENV) .index
