"""A longer fuzz campaign over the melody reader (`python -m bench fuzz`, `make fuzz`).

Mutates the seed corpus of tests/fuzz for FUZZ_SECONDS (default 120) and prints, per mutator,
the inputs tried, how they ended (read / refused with InputError / failed) and the slowest call
and largest input. A failure is any other exception or a call over its time limit; the first few
are printed with the bytes saved under var/fuzz-failures/ to reproduce them.
"""

from __future__ import annotations

import os
import random
import time
from collections import defaultdict
from pathlib import Path

from bench.table import print_table
from composer.errors import InputError
from composer.midi.melody import extract_melody
from tests.fuzz.limits import TookTooLong, time_limit
from tests.fuzz.midi_mutations import MUTATORS, mutate, seed_corpus

SECONDS_PER_CALL = 10.0
ALL = "(every input)"
FAILURES = Path(__file__).resolve().parents[1] / "var" / "fuzz-failures"


def main() -> None:
    budget = float(os.environ.get("FUZZ_SECONDS", "120"))
    rng = random.Random(int(os.environ.get("FUZZ_SEED", "0")))
    seeds = seed_corpus()
    stats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    failures: list[tuple[str, str]] = []
    end = time.monotonic() + budget
    while time.monotonic() < end:
        names = rng.sample(sorted(MUTATORS), rng.randint(1, 3))
        data = mutate(rng.choice(seeds)[1], names, rng)
        started = time.perf_counter()
        try:
            with time_limit(SECONDS_PER_CALL):
                extract_melody(data)
            outcome = "read"
        except InputError:
            outcome = "refused"
        except (Exception, TookTooLong) as exc:  # any other ending is the finding
            outcome = "failed"
            failures.append((" + ".join(names), f"{type(exc).__name__}: {exc}"[:160]))
            FAILURES.mkdir(parents=True, exist_ok=True)
            (FAILURES / f"failure-{len(failures)}.mid").write_bytes(data)
        seconds = time.perf_counter() - started
        for name in [*names, ALL]:
            row = stats[name]
            row["tried"] += 1
            row[outcome] += 1
            row["slowest_s"] = max(row["slowest_s"], seconds)
            row["largest_kb"] = max(row["largest_kb"], len(data) / 1024)
    rows = [
        [
            name,
            int(s["tried"]),
            int(s["read"]),
            int(s["refused"]),
            int(s["failed"]),
            round(s["slowest_s"], 3),
            round(s["largest_kb"], 1),
        ]
        for name, s in sorted(stats.items())
    ]
    print_table(
        f"Fuzzing composer.midi.melody.extract_melody for {budget:g} s "
        f"({len(seeds)} seed files; an input may combine mutators)",
        ["mutator", "inputs", "read", "refused", "failed", "slowest s", "largest KB"],
        rows,
    )
    print(f"\ninputs tried: {int(stats[ALL]['tried'])}; failures: {len(failures)}")
    for names, error in failures[:10]:
        print(f"  {names}: {error}")
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
