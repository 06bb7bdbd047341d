"""Imported by the integration tests' worker (ARENA_HARMONIZER_MODULES), and used by unit tests:
while composer's weights are not shipped, the pipeline's shipped models are the stand-in
harmonizer and the rule-based embellisher, so a piece made with a team's own GAN (which still
takes its embellished variations from the shipped models) composes end to end."""

from __future__ import annotations

from composer import pipeline
from composer.arcnn import SHIPPED_ARCNN
from composer.gan import SHIPPED_GAN
from tests.stand_in_harmonizer import stand_in_harmonize


def stand_in_models() -> pipeline.Models:
    return pipeline.Models(
        stand_in_harmonize,
        None,
        pipeline.embellish_by_rule_embellisher(),
        notes=["stand-in models: composer's weights are not shipped"],
        names=("stand-in harmonizer", "", "rule-based diminution"),
    )


if not SHIPPED_GAN.exists() and not SHIPPED_ARCNN.exists():
    pipeline._models.setdefault("cpu", stand_in_models())
