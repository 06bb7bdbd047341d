"""The order in which waiting jobs are sent to workers: round-robin over their owners (teams).

Pure Python, so the dispatcher and the organisers' queue page share one rule: each turn goes to
the owner with the fewest jobs sent and not finished, then to the one served longest ago (one
never served first), then to the one whose next job is oldest. A team that queues twenty pieces
therefore gets every other turn at most, never the next twenty.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class OwnerLoad:
    """What an owner already has: jobs sent and not finished, and when one was last sent
    (a timestamp, -inf for never)."""

    in_flight: int = 0
    last_sent: float = -math.inf


def fair_order(
    waiting: Iterable[tuple[int, str]], loads: Mapping[str, OwnerLoad] | None = None
) -> list[int]:
    """The ids of `waiting` ((job id, owner key), oldest first) in the order they will be sent.

    Each pick counts as sent now for the turns after it."""
    loads = loads or {}
    lines: dict[str, deque[tuple[int, int]]] = defaultdict(deque)
    for age, (job_id, owner) in enumerate(waiting):
        lines[owner].append((age, job_id))
    clock = max((load.last_sent for load in loads.values()), default=0.0)
    clock = max(clock, 0.0)
    turns = []
    for owner, line in lines.items():
        load = loads.get(owner, OwnerLoad())
        turns.append((load.in_flight, load.last_sent, line[0][0], owner))
    heapq.heapify(turns)
    order: list[int] = []
    while turns:
        in_flight, _, _, owner = heapq.heappop(turns)
        line = lines[owner]
        order.append(line.popleft()[1])
        clock += 1.0
        if line:
            heapq.heappush(turns, (in_flight + 1, clock, line[0][0], owner))
    return order
