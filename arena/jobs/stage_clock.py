"""When each progress message of a job was said: the per-stage timing of a job, kept in its
result (`stages`) so the slow stage of a piece is visible (`python -m bench piece_path`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from arena.jobs.handlers import Progress


@dataclass
class StageClock:
    """A job's progress callback that also notes the time of each message since the start."""

    progress: Progress
    began: float = field(default_factory=time.perf_counter)
    marks: list[tuple[str, float]] = field(default_factory=list)

    def __call__(self, fraction: float, message: str) -> None:
        self.marks.append((message, time.perf_counter() - self.began))
        self.progress(fraction, message)

    def stages(self) -> list[dict[str, Any]]:
        """Each message with the seconds since the job began when it was said, and the end."""
        end = time.perf_counter() - self.began
        return [{"message": m, "at": round(at, 4)} for m, at in self.marks] + [
            {"message": "stored", "at": round(end, 4)}
        ]
