# otpkit: `make lab` to learn, `make test` to check everything. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
PORT ?= 8866

# JupyterLab reads the kit's settings (jupyter/lab/settings: no news question, no update check,
# widget state not saved) and opens, and prints the address of, the index notebook.
LAB_SETTINGS := $(CURDIR)/jupyter/lab/settings
INDEX_URL := /lab/tree/notebooks/00-index.ipynb
LAB_ARGS ?=

.PHONY: lab test lint unit nbval notebooks git-filter present bench mutants walkthrough clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,test]'
	touch $(STAMP)

lab: $(STAMP) git-filter
	$(BIN)/jupyter lab $(ROOT_FLAG) --LabApp.app_settings_dir=$(LAB_SETTINGS) \
		--LabApp.default_url=$(INDEX_URL) $(LAB_ARGS)

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
notebooks: $(STAMP) git-filter
	$(BIN)/python -m tests.notebook_runner $(NOTEBOOKS)

# Git stores notebooks in the runner's canonical form (.gitattributes, tests/notebook_filter.py),
# so opening, running and saving one in JupyterLab leaves `git status` clean. Outside a git
# checkout there is nothing to register.
git-filter:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git config --local filter.otpkit-notebook.clean \
			'"$(abspath $(BIN))/python" -m tests.notebook_filter' && \
		git config --local filter.otpkit-notebook.smudge cat; \
	fi

present: $(STAMP)
	$(BIN)/otpkit present --port $(PORT)

walkthrough: $(STAMP)
	$(BIN)/otpkit walkthrough --at 1700000000 --seed 7

# Mutation testing of the server's modules, policy, otp and uri ([tool.mutmut] in pyproject.toml);
# slow (about an hour on two cores), so not part of `make test`. Survivors: `mutmut results`.
mutants: $(STAMP)
	$(BIN)/python -m pip install --quiet 'mutmut>=3.3'
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

bench: $(STAMP)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis mutants
