# The two commands: `make demo` and `make test`. Both install whatever is missing first.
SHELL := /bin/bash
PY := .venv/bin/python
PYTEST := .venv/bin/pytest
RUFF := .venv/bin/ruff

.PHONY: setup demo test lint unit integration services-up services-down bench fuzz load clean

setup:
	@scripts/bootstrap.sh

demo: setup
	@scripts/demo.sh

lint: setup
	$(RUFF) check .
	$(RUFF) format --check .
	.venv/bin/lint-imports

unit: setup
	DJANGO_SETTINGS_MODULE=arena.settings.test $(PYTEST) -m "not integration" -q --durations=15

# Integration tests run against a real PostgreSQL and Redis started on loopback, with a real worker.
integration: setup
	@eval "$$(scripts/services.sh start)" && trap 'scripts/services.sh stop' EXIT && \
	  ARENA_REQUIRE_SERVICES=1 DJANGO_SETTINGS_MODULE=arena.settings.test $(PYTEST) -m integration -q --durations=15

test: lint unit integration

bench: setup
	$(PY) -m bench

# A longer fuzz campaign over MIDI reading (FUZZ_SECONDS, default 120); prints a table.
fuzz: setup
	DJANGO_SETTINGS_MODULE=arena.settings.test $(PY) -m bench fuzz

# 100 simulated users against a real site, worker, PostgreSQL and Redis (LOAD_SECONDS, default 60).
load: setup
	$(PY) -m bench load

clean:
	scripts/services.sh stop
	rm -rf var staticfiles .pytest_cache .ruff_cache
