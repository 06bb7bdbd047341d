"""A melody entered in the editor: written as MIDI and read back like an upload, or refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from arena.events.models import Phase, Team
from arena.submissions.models import Melody, MelodySource
from arena.submissions.services import melody_create_from_notes
from composer.errors import InputError
from composer.midi.melody import extract_melody
from tests.composing_team import composing_team

# "Ode to Joy", first phrase, in 4/4: E E F G | G F E D | C C D E | E. D D
ODE = [
    (64, 0, 4), (64, 4, 4), (65, 8, 4), (67, 12, 4),
    (67, 16, 4), (65, 20, 4), (64, 24, 4), (62, 28, 4),
    (60, 32, 4), (60, 36, 4), (62, 40, 4), (64, 44, 4),
    (64, 48, 6), (62, 54, 2), (62, 56, 8),
]  # fmt: skip


def notes_of(triples: list[tuple[int, int, int]]) -> list[dict[str, int]]:
    return [{"pitch": p, "start": s, "duration": d} for p, s, d in triples]


@pytest.fixture
def media(settings, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def team(db, media, make_user) -> Team:  # type: ignore[no-untyped-def]
    return composing_team(make_user)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def test_entered_notes_become_a_melody_whose_file_reads_back_the_same(team, media):
    melody = melody_create_from_notes(
        team=team,
        user=team.memberships.get().user,
        notes=notes_of(ODE),
        meter="4/4",
        tempo=96,
        title="  Ode to Joy  ",
    )
    assert melody.source == MelodySource.EDITOR and melody.title == "Ode to Joy"
    assert (melody.bars, melody.notes, melody.meter, melody.tempo_bpm) == (4, 15, "4/4", 96.0)
    assert melody.warnings == []  # nothing had to change
    read_back = extract_melody(melody.midi.read())
    assert read_back.score.notes(0) == [(s, s + d, p) for p, s, d in ODE]
    assert read_back.score.meter == (4, 4) and read_back.score.tempo_bpm == 96.0


def test_meter_and_pickup_survive_the_round_trip(team):
    # A waltz starting on the third beat: a pickup of one beat in 3/4.
    melody = melody_create_from_notes(
        team=team,
        user=team.memberships.get().user,
        notes=notes_of([(67, 8, 4), (72, 12, 8), (76, 20, 4), (74, 24, 12)]),
        meter="3/4",
        tempo=120,
    )
    score = extract_melody(melody.midi.read()).score
    assert melody.title == "Untitled melody" and melody.meter == "3/4"
    assert score.pickup_steps == 4 and melody.bars == 3
    assert score.notes(0) == [(0, 4, 67), (4, 12, 72), (12, 16, 76), (16, 28, 74)]


def test_the_uploads_warnings_apply_to_entered_notes(team):
    low = notes_of([(55, 0, 4), (57, 4, 4), (59, 8, 4), (55, 12, 4)])  # G3 A3 B3 G3
    melody = melody_create_from_notes(
        team=team, user=team.memberships.get().user, notes=low, meter="4/4", tempo=100
    )
    assert melody.warnings == ["moved up one octave into the soprano range (C4–A5)"]
    assert extract_melody(melody.midi.read()).score.notes(0)[0] == (0, 4, 67)


BAD = [
    ([], "4/4", 100, "has no notes yet"),
    (None, "4/4", 100, "has no notes yet"),
    ("C D E", "4/4", 100, "must be a list"),
    (notes_of([(60, 0, 4), (62, 2, 4)]), "4/4", 100, "Two notes sound together at bar 1, beat 1"),
    (notes_of([(60, 0, 4), (64, 16, 4), (67, 16, 2)]), "4/4", 100, "together at bar 2, beat 1"),
    (notes_of([(60, 0, 4), (90, 4, 4)]), "4/4", 100, "Note 2 (MIDI pitch 90) is outside"),
    (notes_of([(52, 0, 4)]), "4/4", 100, "F3 to C6 (MIDI 53-84)"),
    (notes_of([(60, 0, 4), (62, 32 * 16 - 2, 4)]), "4/4", 100, "runs past 32 bars of 4/4"),
    (notes_of([(60, 32 * 12, 4)]), "3/4", 100, "runs past 32 bars of 3/4"),
    (notes_of([(60, -4, 4)]), "4/4", 100, "Note 1 starts before the first bar"),
    (notes_of([(60, 0, 0)]), "4/4", 100, "Note 1 has no length"),
    ([{"pitch": "C4", "start": 0, "duration": 4}], "4/4", 100, "Note 1 is not a note"),
    ([{"pitch": 60, "start": 0.5, "duration": 4}], "4/4", 100, "whole-number pitch, start"),
    ([{"pitch": True, "start": 0, "duration": 4}], "4/4", 100, "Note 1 is not a note"),
    ([[60, 0, 4]], "4/4", 100, "Note 1 is not a note"),
    ([{"pitch": 60, "start": 0}], "4/4", 100, "Note 1 is not a note"),
    (notes_of([(60, i, 1) for i in range(513)]), "4/4", 100, "513 notes; it may have at most 512"),
    (notes_of(ODE), "5/4", 100, "Choose a meter: 4/4, 3/4, 2/4, 6/8"),
    (notes_of(ODE), "4/4", 500, "beats per minute, 40-240"),
    (notes_of(ODE), "4/4", "fast", "beats per minute, 40-240"),
]


@pytest.mark.parametrize(("notes", "meter", "tempo", "message"), BAD)
def test_bad_notes_are_refused_with_the_reason_and_nothing_stored(
    team, media, notes, meter, tempo, message
):
    with pytest.raises(ValidationError) as refused:
        melody_create_from_notes(
            team=team, user=team.memberships.get().user, notes=notes, meter=meter, tempo=tempo
        )
    assert message in " ".join(refused.value.messages)
    assert not Melody.objects.exists() and not stored_files(media)


def test_what_composer_cannot_use_is_refused_like_an_upload(team, media):
    with pytest.raises(InputError, match="shorter than one beat"):
        melody_create_from_notes(
            team=team, user=team.memberships.get().user, notes=notes_of([(72, 0, 2)]), meter="4/4",
            tempo=100,
        )  # fmt: skip
    assert not Melody.objects.exists() and not stored_files(media)


def test_only_members_while_melodies_are_open(team, make_user):
    with pytest.raises(PermissionDenied):
        melody_create_from_notes(
            team=team, user=make_user("otto"), notes=notes_of(ODE), meter="4/4", tempo=100
        )
    team.event.phase = Phase.JUDGING
    team.event.save()
    with pytest.raises(ValidationError, match="not possible now"):
        melody_create_from_notes(
            team=team, user=team.memberships.get().user, notes=notes_of(ODE), meter="4/4", tempo=100
        )
    assert not Melody.objects.exists()
