# `make run`: install what the app needs, ingest documents/ if needed, serve the browser app.
# `make test`: add the test tools and the sentence-transformers backend (and Chromium), then run the test suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# two stamps: `make test` after `make run` only adds the extras
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup setup-app run ingest test lint eval bench clean browser-deps

setup: $(DEV_STAMP)
setup-app: $(APP_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(APP_STAMP)

$(DEV_STAMP): $(APP_STAMP)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[st,dev]"
	touch $(DEV_STAMP)

ingest: setup-app
	$(BIN)/assistant ingest

run: setup-app
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

eval: setup-app
	$(BIN)/assistant ingest --quiet
	$(BIN)/assistant eval --questions eval/questions.jsonl --compare --report eval/report/

clean:
	rm -rf $(VENV) .index
