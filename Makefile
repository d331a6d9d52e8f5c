# Every target installs what it needs first: `make mock` and `make test` work on a fresh machine.
SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
STAMP := $(VENV)/.installed-stamp
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
# The newest CPython from 3.13 down to 3.11 this machine runs, on PATH or in pyenv's folders: on 3.12 and
# later coverage measures through sys.monitoring (below), which made the suite take 699 s against 958 s
# on 3.11's C tracer (same machine, same hour, 2 workers). PYTHON=python3.11 make test picks one.
PYTHON ?= $(shell for v in 3.13 3.12 3.11; do \
	for p in $$(command -v python$$v) $$HOME/.pyenv/versions/$$v.*/bin/python$$v; do \
	if "$$p" -c '' 2>/dev/null; then echo "$$p"; exit; fi; done; done; echo python3)

.PHONY: install mock test lint check bench clean

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The lock file is the only source of versions: --frozen installs exactly what uv.lock pins.
# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set (as on CI machines) every start
# would otherwise compile each imported module again, which doubles the mock's start-up time.
# The Makefile is a prerequisite too: a change of PYTHON here rebuilds the environment on that Python.
$(STAMP): uv.lock pyproject.toml Makefile | $(UV)
	$(UV) sync --frozen --all-extras --python $(PYTHON) --compile-bytecode
	$(VENV)/bin/python -m compileall -q validator mocks proxy > /dev/null
	@touch $(STAMP)

install: $(STAMP)

MOCK_PORT ?= 8000
mock: install
	$(VENV)/bin/contracts mock recommendation-api --host 127.0.0.1 --port $(MOCK_PORT)

# Two workers: the machine has two cores and most tests wait on a server or a subprocess.
# PYTHONDONTWRITEBYTECODE (set on CI machines) is lifted for the run: with it, every pytest process (the
# workers and the ones tests start) rewrites the assertions of ~300 plugin modules again, 2.9 s of CPU
# each, where the cached rewrite costs 1.1 s.
# COVERAGE_CORE=sysmon where the environment's Python has sys.monitoring (3.12+); 3.11 keeps the C tracer.
PYTEST_WORKERS ?= 2
test: install
	@bash scripts/ensure-postgres.sh
	@bash scripts/ensure-chromium.sh
	env -u PYTHONDONTWRITEBYTECODE \
		COVERAGE_CORE=$$($(VENV)/bin/python -c 'import sys; print("sysmon" if sys.version_info >= (3, 12) else "ctrace")') \
		$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --cov $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check validator mocks proxy tests bench examples
	$(VENV)/bin/ruff format --check validator mocks proxy tests bench examples
	$(VENV)/bin/mypy

check: install
	$(VENV)/bin/contracts check

bench: install
	$(VENV)/bin/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .tools .contracts .pytest_cache .mypy_cache .ruff_cache
