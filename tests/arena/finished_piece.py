"""A team's finished piece, stored as the worker stores one: the MIDI performance, sheet music
and form that `composer compose` wrote for Ode to Joy (tests/arena/pieces/)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from django.core.files import File

from arena.accounts.models import User
from arena.events.models import Team
from arena.jobs.models import Job, JobKind, JobStatus
from arena.submissions.models import Composition
from arena.submissions.services import melody_create_from_sample

PIECE = Path(__file__).with_name("pieces")


def finished_piece(*, team: Team, user: User) -> Composition:
    melody = melody_create_from_sample(team=team, user=user, slug="ode-to-joy")
    report = json.loads((PIECE / "ode-to-joy.json").read_text())
    job = Job.objects.create(
        kind=JobKind.COMPOSE,
        status=JobStatus.DONE,
        progress=1.0,
        team=team,
        event=team.event,
        result={"sections": report["sections"], "summary": report["summary"]},
    )
    composition = Composition(
        melody=melody,
        team=team,
        created_by=user,
        job=job,
        seconds=report["seconds"],
        metrics=report["metrics"],
    )
    composition.save()
    for field, name in (("midi", "ode-to-joy.mid"), ("sheet_music", "ode-to-joy.musicxml")):
        with (PIECE / name).open("rb") as handle:
            getattr(composition, field).save(name, File(handle), save=False)
    composition.save()
    return composition


def measures_and_parts(musicxml: bytes) -> tuple[int, int]:
    """How many measures (of the first part) and parts the sheet music has."""
    root = ET.fromstring(musicxml)
    parts = root.findall("part")
    return len(parts[0].findall("measure")), len(parts)
