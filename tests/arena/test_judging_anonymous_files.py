"""Blind judging: every file a judge gets from an entry is an anonymised copy. The team's files
are made to carry its name, a member's name and the melody's title everywhere a file can."""

from __future__ import annotations

import io
import struct
import wave

import mido
import numpy as np
import pretty_midi
import pytest
from django.core.files.base import ContentFile
from PIL import Image

from arena.accounts.models import Role
from arena.demo.entries import demo_entry_create
from arena.events.models import Phase
from arena.judging.anonymous_files import _plot_top
from arena.judging.services import judge_invite
from composer.data.chorales import load_chorales
from composer.render.notation import write_musicxml
from composer.render.roll import render_roll
from tests.composing_team import composing_team

NAMES = ("Night Owls", "nina", "Moonlight Sonatina")  # team, member, melody title
pytestmark = pytest.mark.django_db


def _leaky_midi() -> bytes:
    midi = pretty_midi.PrettyMIDI()
    for name, pitch in (("Night Owls", 72), ("Soprano", 67)):
        voice = pretty_midi.Instrument(program=48, name=name)
        voice.notes.append(pretty_midi.Note(velocity=80, pitch=pitch, start=0, end=1))
        midi.instruments.append(voice)
    midi.lyrics.append(pretty_midi.Lyric("by nina", 0.5))
    midi.text_events.append(pretty_midi.Text("Moonlight Sonatina", 0.0))
    out = io.BytesIO()
    midi.write(out)
    return out.getvalue()


def _leaky_wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x01\x00" * 800)
    text = b"INAM" + struct.pack("<I", 18) + b"Moonlight Sonatina"
    text += b"IART" + struct.pack("<I", 16) + b"Night Owls/nina\0"
    info = b"LIST" + struct.pack("<I", 4 + len(text)) + b"INFO" + text
    data = out.getvalue() + info
    return data[:4] + struct.pack("<I", len(data) - 8) + data[8:]


@pytest.fixture
def entry(make_user, tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    team = composing_team(make_user)
    composition = demo_entry_create(
        team=team, user=team.memberships.get().user, chorale="bach/bwv146.8"
    )
    score = load_chorales("valid", names=["bach/bwv146.8"])[0]
    title = "Moonlight Sonatina by Night Owls (nina)"
    roll = render_roll(score, tmp_path / "roll.png", title=title, sections=[("statement", 0)])
    sheet = write_musicxml(score, tmp_path / "score.musicxml", title=title)
    for field, data in (
        ("roll", roll.read_bytes()),
        ("sheet_music", sheet.read_bytes()),
        ("midi", _leaky_midi()),
        ("audio", _leaky_wav()),
    ):
        getattr(composition, field).save(f"{field}-Night-Owls", ContentFile(data), save=False)
    composition.save()
    team.event.phase = Phase.JUDGING
    team.event.save()
    judge = make_user("jules", role=Role.JUDGE)
    judge_invite(event=team.event, judge=judge, invited_by=team.event.organiser)
    return composition, judge


def _fetch(client, composition, judge, kind):  # type: ignore[no-untyped-def]
    client.force_login(judge)
    response = client.get(f"/entries/{composition.pk}/{kind}/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert f'filename="entry-{composition.pk}.' in disposition
    assert all(n.lower() not in disposition.lower() for n in NAMES)
    return response.content


def _assert_nameless(data: bytes) -> None:
    text = data.decode("latin-1").lower()
    for name in (*NAMES, "Moonlight", "Owls"):
        assert name.lower() not in text


@pytest.mark.parametrize("kind", ["midi", "score", "audio", "roll"])
def test_no_file_a_judge_gets_names_the_team_or_the_melody(client, entry, kind):
    composition, judge = entry
    with composition.file_of(kind).open("rb") as handle:
        original = handle.read()
    if kind != "roll":  # the team's own file does carry the names (the roll draws them)
        assert "night owls" in original.decode("latin-1").lower()
    _assert_nameless(_fetch(client, composition, judge, kind))


def test_the_judges_midi_keeps_its_notes_and_names_tracks_by_voice_or_instrument(client, entry):
    composition, judge = entry
    midi = mido.MidiFile(file=io.BytesIO(_fetch(client, composition, judge, "midi")))
    names = [m.name for t in midi.tracks for m in t if m.type == "track_name"]
    assert names == ["String Ensemble 1", "Soprano"]
    played = pretty_midi.PrettyMIDI(io.BytesIO(_fetch(client, composition, judge, "midi")))
    assert [n.pitch for i in played.instruments for n in i.notes] == [72, 67]
    assert not played.lyrics and not played.text_events


def test_the_judges_sheet_music_has_no_title_but_all_its_parts(client, entry):
    composition, judge = entry
    xml = _fetch(client, composition, judge, "score").decode()
    assert "<work-title>" not in xml and "<movement-title>" not in xml and "<creator" not in xml
    assert xml.count("<part-name>") == 4 and xml.count("<note") > 50


def test_the_judges_audio_keeps_every_sample(client, entry):
    composition, judge = entry
    with wave.open(io.BytesIO(_fetch(client, composition, judge, "audio"))) as w:
        assert (w.getnframes(), w.getframerate()) == (800, 8000)
        assert w.readframes(800) == b"\x01\x00" * 800


def test_the_judges_roll_has_no_title_but_its_legend_and_every_note(client, entry):
    composition, judge = entry
    with composition.roll.open("rb") as handle:
        original = np.asarray(Image.open(handle).convert("RGB")).astype(int)
    copy = np.asarray(Image.open(io.BytesIO(_fetch(client, composition, judge, "roll"))))
    copy = copy.astype(int)
    top = _plot_top(original.astype(np.uint8))
    assert top > 20  # the title sits above the plot
    band = original[:top]
    saturated = (band.max(axis=2) - band.min(axis=2)) > 80
    legend = int(np.where(saturated.any(axis=0))[0].min())
    ink = original[:top, : legend - 12].sum(axis=2) < 600
    assert ink.sum() > 200  # the title was drawn there …
    assert (copy[:top, : legend - 12] == 255).all()  # … and is gone
    assert (copy[:top, legend:] == original[:top, legend:]).all()  # the legend stays
    assert (copy[top + 3 :] == original[top + 3 :]).all()  # every note stays


def test_others_get_no_file_before_the_results(client, entry, make_user):
    composition, _ = entry
    client.force_login(make_user("eve"))
    for kind in ("midi", "score", "audio", "roll"):
        assert client.get(f"/entries/{composition.pk}/{kind}/").status_code == 404


def test_the_judges_api_lists_the_anonymised_files(client, entry):
    composition, judge = entry
    client.force_login(judge)
    [row] = client.get(f"/api/events/{composition.team.event.slug}/entries/").json()
    for kind in ("audio", "roll", "midi", "score"):
        assert row[f"{kind}_url"].endswith(f"/entries/{composition.pk}/{kind}/")
    assert all(n not in str(row) for n in NAMES)


def test_a_file_with_no_plot_line_is_left_as_it_is():
    from arena.judging.anonymous_files import anonymous_roll

    picture = Image.new("RGB", (300, 200), "white")
    out = io.BytesIO()
    picture.save(out, format="PNG")
    copy = Image.open(io.BytesIO(anonymous_roll(out.getvalue())))
    assert np.asarray(copy).min() == 255


def test_an_mp3_loses_its_id3_tags_and_keeps_its_frames(tmp_path):
    import subprocess

    from arena.judging.anonymous_files import anonymous_mp3

    (tmp_path / "in.wav").write_bytes(_leaky_wav())
    tags = ["--tt", "Moonlight Sonatina", "--ta", "Night Owls", "--add-id3v2"]
    subprocess.run(["lame", "--quiet", *tags, "in.wav", "out.mp3"], cwd=tmp_path, check=True)
    tagged = (tmp_path / "out.mp3").read_bytes()
    assert b"Moonlight" in tagged
    copy = anonymous_mp3(tagged)
    _assert_nameless(copy)
    assert copy[0] == 0xFF and copy[1] & 0xE0 == 0xE0  # starts at the first frame (sync word)
    assert copy in tagged and len(copy) > len(tagged) - 400  # every frame, only tags gone


def test_the_judges_page_plays_the_anonymous_mp3(client, entry, tmp_path):
    import re
    import subprocess

    composition, judge = entry
    (tmp_path / "in.wav").write_bytes(_leaky_wav())
    tags = ["--tt", "Moonlight Sonatina", "--ta", "Night Owls", "--add-id3v2"]
    subprocess.run(["lame", "--quiet", *tags, "in.wav", "out.mp3"], cwd=tmp_path, check=True)
    composition.audio_compressed.save(
        "piece-Night-Owls.mp3", ContentFile((tmp_path / "out.mp3").read_bytes())
    )
    client.force_login(judge)
    page = client.get(f"/events/{composition.team.event.slug}/judge/{composition.pk}/")
    sources = re.findall(r'<audio[^>]* src="([^"]+)"', page.content.decode())
    assert sources == [f"/entries/{composition.pk}/audio_compressed/"]
    response = client.get(sources[0])
    assert response["Content-Type"] == "audio/mpeg"
    assert f'filename="entry-{composition.pk}.mp3"' in response["Content-Disposition"]
    _assert_nameless(response.content)
