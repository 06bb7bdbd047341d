"""`seed_demo` fills both demo events, and the live teams' first pieces wait for a worker."""

from __future__ import annotations

import wave
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from arena.demo.services import DEMO_MELODIES, DEMO_PIECES, LIVE_EVENT
from arena.events.models import Team
from arena.jobs.models import JobKind, JobStatus
from arena.submissions.models import Composition
from composer.render.audio import loudness_lufs
from tests.composer.test_pipeline import HAS_SYNTH

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


def test_every_live_team_gets_a_melody_and_a_queued_piece_once():
    printed = _seed()
    for team_name, (model, style) in DEMO_PIECES.items():
        team = Team.objects.get(event__slug=LIVE_EVENT, name=team_name)
        melody = team.melodies.get()
        assert melody.title.lower().replace(" ", "-") == DEMO_MELODIES[team_name]
        piece = team.compositions.get()
        assert (piece.melody, piece.model, piece.style) == (melody, model, style)
        assert piece.job.kind == JobKind.COMPOSE and piece.job.status == JobStatus.QUEUED
        assert f"Queued {model} piece for {team_name}" in printed

    _seed()  # seeding again keeps what is there and queues nothing more
    assert Composition.objects.filter(team__event__slug=LIVE_EVENT).count() == len(DEMO_PIECES)


def test_no_pieces_leaves_the_live_teams_with_melodies_only():
    printed = _seed("--no-pieces")
    assert "Queued" not in printed
    assert not Composition.objects.filter(team__event__slug=LIVE_EVENT).exists()
    assert Composition.objects.filter(team__event__slug="bach-to-the-future", is_entry=True).count()


@pytest.mark.skipif(not HAS_SYNTH, reason="FluidSynth or a General MIDI soundfont is missing")
def test_the_finished_entries_sound_as_composed_pieces_do():
    """The judged demo entries play through the same instruments and master as a team's piece:
    44.1 kHz stereo at the product's loudness, with the MP3 the pages play."""
    _seed("--no-pieces")
    entries = Composition.objects.filter(team__event__slug="bach-to-the-future", is_entry=True)
    assert entries.count() == 2
    for entry in entries:
        with wave.open(entry.audio.open("rb")) as audio:
            assert (audio.getframerate(), audio.getnchannels()) == (44_100, 2)
            samples = np.frombuffer(audio.readframes(audio.getnframes()), dtype="<i2")
        assert loudness_lufs(samples.reshape(-1, 2) / 32768.0) == pytest.approx(-16.0, abs=1.0)
        with entry.audio_compressed.open("rb") as mp3:
            head = mp3.read(3)
        assert head == b"ID3" or head[0] == 0xFF  # an ID3 tag or an MPEG frame
