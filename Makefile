# otpkit: `make lab` to learn, `make test` to check everything. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
PORT ?= 8866

.PHONY: lab test lint unit nbval notebooks present bench walkthrough clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,test]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00-index.ipynb

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests $(NOTEBOOKS) --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg -q -rs

lint: $(STAMP)
	$(BIN)/ruff check .

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q -m "not e2e"

nbval: $(STAMP)
	$(BIN)/python -m pytest $(NOTEBOOKS) --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg -q

# Re-execute every notebook in place on its fixed clock and seed; running it twice changes nothing.
notebooks: $(STAMP)
	$(BIN)/python -m tests.notebook_runner $(NOTEBOOKS)

present: $(STAMP)
	$(BIN)/otpkit present --port $(PORT)

walkthrough: $(STAMP)
	$(BIN)/otpkit walkthrough --at 1700000000 --seed 7

bench: $(STAMP)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
