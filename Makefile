# Two commands for a newcomer: `make report` and `make test`. Each creates .venv on demand
# (uv, installed into it with pip, installs the pinned versions of constraints.txt).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := city-innovation

# Python keeps the bytecode of each module it imports (in .venv/ and src/, both ignored by git),
# also where the environment says not to (PYTHONDONTWRITEBYTECODE): otherwise every kernel the
# tests or a report start compiles pandas, matplotlib and the rest again. Compiling all of .venv/
# at install instead takes longer than the few seconds a first run spends on what it imports.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: install report test stress lint lab notebooks bench clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt \
		-e '.[test,distributed]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (city-innovation)" >/dev/null
	touch $(STAMP)

install: $(STAMP)

# The main job: every notebook for one city, as HTML and executed notebooks under reports/,
# plus a PDF of the run where Chromium is installed.
CITY     ?= Helsinki
REGION   ?=
CHROMIUM := $(or $(CITY_INNOVATION_CHROMIUM),/usr/bin/chromium)
FORMAT   ?= html,ipynb$(if $(wildcard $(CHROMIUM)),$(comma)pdf)
comma    := ,
report: $(STAMP)
	$(BIN)/city-innovation report --city "$(CITY)" $(if $(REGION),--region "$(REGION)") \
		--format "$(FORMAT)" --out reports --force

lint: $(STAMP)
	$(BIN)/ruff check src tests conftest.py

# Unit tests, then every committed notebook re-run and compared with its stored outputs (nbval),
# on two pytest-xdist workers; --dist loadfile keeps each notebook (and each test file) on one,
# and --no-loadscope-reorder hands out the files in the order conftest.py sets (longest first)
# instead of by how many tests each holds.
test: lint
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --nbval \
		--nbval-kernel-name $(KERNEL) --nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks

# The Dask stress test three times over (the suite runs it once).
stress: $(STAMP)
	CITY_INNOVATION_STRESS_ATTEMPTS=3 $(BIN)/python -m pytest -n 0 -m stress tests

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --notebook-dir=notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# Re-execute the committed notebooks in place: the only way their outputs are rewritten.
notebooks: $(STAMP)
	$(BIN)/city-innovation execute notebooks/[0-9]*.ipynb notebooks/teaching/*.ipynb

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_report.py

clean:
	rm -rf reports .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -prune -exec rm -rf {} +
