"""Run the benchmarks: `python -m bench` (all) or `python -m bench gan`."""

import importlib
import sys

BENCHES = ["gan", "arcnn", "compose", "memory", "score_page", "fuzz", "load"]

for name in sys.argv[1:] or BENCHES:
    importlib.import_module(f"bench.{name}").main()
