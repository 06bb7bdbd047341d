"""Imported by a worker of the fault tests (ARENA_HARMONIZER_MODULES): a "gan" that takes long
enough for the test to kill its worker mid-generation."""

from __future__ import annotations

import time

from composer.models.registry import register_harmonizer
from tests.stand_in_harmonizer import stand_in_harmonize


def slow_harmonize(*args, **kwargs):  # type: ignore[no-untyped-def]
    time.sleep(60)
    return stand_in_harmonize(*args, **kwargs)


register_harmonizer("gan", slow_harmonize)
