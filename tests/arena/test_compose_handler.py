"""The `compose` job handler run directly, with a tiny stand-in harmonizer: real files come out."""

from __future__ import annotations

import wave
from itertools import pairwise

import pytest

from arena.submissions.services import composition_create
from composer.models import registry
from composer.render.audio import wav_peak_dbfs
from tasks.compose import compose
from tests.factories.submissions import MelodyFactory
from tests.stand_in_harmonizer import stand_in_harmonize


@pytest.fixture
def composition(db, settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setitem(registry.harmonizers, "gan", stand_in_harmonize)
    melody = MelodyFactory(slug="ode-to-joy")
    # Short, so the audio renders quickly on a busy machine.
    return composition_create(melody=melody, user=melody.uploaded_by, seconds=10, style="space")


def test_compose_writes_midi_roll_audio_and_metrics(composition):
    reports: list[tuple[float, str]] = []
    result = compose(composition.job, lambda fraction, message: reports.append((fraction, message)))
    composition.refresh_from_db()

    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and len(reports) >= 5
    assert result["composition_id"] == composition.pk
    # Each stage's time (bench piece_path): every message, when it was said, then the end.
    stages = result["stages"]
    assert [s["message"] for s in stages] == [m for _, m in reports] + ["stored"]
    assert [s["at"] for s in stages] == sorted(s["at"] for s in stages) and stages[-1]["at"] > 0
    assert composition.midi.read()[:4] == b"MThd"
    png = composition.roll.read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    with wave.open(composition.audio.path, "rb") as audio:
        assert audio.getframerate() == 44_100
        assert audio.getnframes() > 44_100  # more than a second of sound
        sounding = audio.getnframes() / audio.getframerate()
    assert wav_peak_dbfs(composition.audio.path) < -1.0
    # The page's audio: an MP3 of the same master, light enough for a phone (≤ 1.5 MB a minute).
    mp3 = composition.audio_compressed.read()
    assert mp3[:3] == b"ID3" or mp3[:2] in (b"\xff\xfb", b"\xff\xf3")
    assert 10_000 < len(mp3) <= 1_500_000 * sounding / 60
    assert result["audio_compressed"] == composition.audio_compressed.name
    # The form, for the page to mark: statement, variations and cadence, end to end.
    sections = result["sections"]
    assert sections[0]["kind"] == "statement" and sections[-1]["kind"] == "cadence"
    assert sections[0]["start"] == 0
    assert all(a["end"] == b["start"] for a, b in pairwise(sections))
    assert 0.0 <= composition.metrics["in_scale_rate"] <= 1.0
    assert result["metrics"] == composition.metrics
    import music21  # the sheet music reads back as the four voices

    sheet = music21.converter.parse(composition.sheet_music.path, format="musicxml")
    assert len(sheet.parts) == 4 and result["score"] == composition.sheet_music.name


def test_compose_without_audio_still_delivers_midi_and_roll(composition, monkeypatch):
    monkeypatch.setenv("COMPOSER_SOUNDFONT", "/nonexistent.sf2")
    result = compose(composition.job, lambda fraction, message: None)
    composition.refresh_from_db()
    assert composition.midi and composition.roll and composition.sheet_music
    assert not composition.audio and not composition.audio_compressed
    assert result["audio_compressed"] is None and result["sections"]
    assert "COMPOSER_SOUNDFONT" in result["warnings"][0]


def test_the_piece_page_shows_what_a_teacher_would_mark(composition, client):
    from django.urls import reverse

    from arena.jobs.services import job_finish, job_start

    job_start(job_id=composition.job_id)
    result = compose(composition.job, lambda fraction, message: None)
    job_finish(job_id=composition.job_id, result=result)
    sections = result["sections"]
    assert all("audit_parallels_contrary_per_bar" in s for s in sections)
    composition.refresh_from_db()
    assert "audit_leaps_per_bar" in composition.metrics and "chord_tertian" in composition.metrics

    client.force_login(composition.created_by)
    page = client.get(reverse("composition-detail", args=[composition.pk])).content.decode()
    assert "What a teacher would mark" in page
    assert "Fifths/octaves by contrary motion" in page and "Whole piece" in page
    assert '<th scope="col">Statement</th>' in page and '<th scope="col">Bach</th>' in page
