"""What a score player (templates/_score_player.html) is told about a piece, as JSON for its data
attributes: which voices each instrument of the piece's style plays, and the piece's sections."""

from __future__ import annotations

import json

from django import template

from arena.submissions.models import Composition
from composer.render.instrumentation import parts_for

register = template.Library()

VOICES = ("soprano", "alto", "tenor", "bass")


@register.filter
def instrument_voices(style: str) -> str:
    """{"Cello": ["bass"], …} for the style's instruments (the MIDI's track names)."""
    try:
        parts = parts_for(style)
    except ValueError:
        return "{}"
    return json.dumps({p.name: [VOICES[v] for v in p.voices] for p in parts})


@register.filter
def piece_sections(composition: Composition) -> str:
    """[{"kind": "statement", "start": 0, "end": 64}, …] in 16th-note steps, as composed."""
    sections = (composition.job.result.get("sections") or []) if composition.job_id else []
    return json.dumps([{k: s[k] for k in ("kind", "start", "end")} for s in sections])
