"""Imported by the played-melody test's own worker (ARENA_HARMONIZER_MODULES): "gan" and the
pipeline's shipped models are the stand-ins, whatever weights are shipped, so every case of the
played corpus composes in seconds. That test is about reading a played melody and keeping its
harmony full, which run the same with any harmonizer; the shipped models harmonize the corpus in
tests/composer/test_played_melodies.py."""

from __future__ import annotations

from composer.models import shipped
from composer.models.registry import register_harmonizer
from tests.integration.stand_in_shipped_models import stand_in_models
from tests.stand_in_harmonizer import stand_in_harmonize

register_harmonizer("gan", stand_in_harmonize)
shipped.load_models = lambda device="cpu": stand_in_models()
