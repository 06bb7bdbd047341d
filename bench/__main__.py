"""Run the benchmarks: `python -m bench` (all) or `python -m bench gan`."""

import importlib
import sys

BENCHES = ["gan", "arcnn", "harmonize", "compose", "memory", "score_page", "fuzz", "load"]
# Also by name only (each starts its own PostgreSQL, Redis, object store and workers):
# `python -m bench scale` (1, 2, 3 workers sharing them), `python -m bench piece_path` (stages).

for name in sys.argv[1:] or BENCHES:
    importlib.import_module(f"bench.{name}").main()
