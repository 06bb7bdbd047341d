"""`compose` end to end with tiny untrained models: form, melody, cadence, determinism, the
instruments of both styles, and the files (audio, roll, MusicXML, metrics) a user gets."""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest
import torch

from composer.compose import pipeline
from composer.compose.pipeline import ComposedPiece, compose
from composer.data.chorales import load_chorales
from composer.data.samples import sample_melodies
from composer.midi.melody import extract_melody
from composer.models import shipped
from composer.models.arcnn import Arcnn, ArcnnConfig
from composer.models.diminution import embellish_by_rule
from composer.models.gan import SHIPPED_GAN, GanConfig, Generator, save_generator
from composer.models.shipped import (
    MissingWeights,
    arcnn_embellisher,
    arcnn_refiner,
    gan_harmonizer,
)
from composer.render.audio import SOUNDFONT_CANDIDATES, SOUNDFONT_DIR
from composer.render.instrumentation import STYLE_PARTS, perform
from composer.render.outputs import write_composition

MELODIES = {s.slug: extract_melody(s.path).score for s in sample_melodies()}
HAS_SYNTH = shutil.which("fluidsynth") is not None and any(
    (SOUNDFONT_DIR / name).is_file() for name in SOUNDFONT_CANDIDATES
)


def tiny_gan() -> Generator:
    torch.manual_seed(0)
    config = GanConfig(
        channels=8, mid_channels=8, mid_dilations=(1,), noise_channels=4, critic_channels=8
    )
    return Generator(config).eval()


def tiny_arcnn() -> Arcnn:
    torch.manual_seed(0)
    return Arcnn(ArcnnConfig(channels=8, dilations=(1,))).eval()


@pytest.fixture(scope="module")
def models() -> dict[str, object]:
    arcnn = tiny_arcnn()
    return {
        "harmonizer": gan_harmonizer(tiny_gan()),
        "refiner": arcnn_refiner(arcnn, iterations=2),
        "embellisher": arcnn_embellisher(arcnn, iterations=2),
    }


def composed(slug: str = "ode-to-joy", models=None, **options) -> ComposedPiece:
    return compose(MELODIES[slug], **(models or {}), **options)


@pytest.fixture(scope="module")
def piece(models) -> ComposedPiece:
    return composed(models=models)


def test_the_piece_lasts_a_minute_in_its_form(piece: ComposedPiece) -> None:
    assert piece.seconds == pytest.approx(60, rel=0.05)
    assert piece.score.n_voices == 4 and piece.score.n_steps == piece.plan.n_steps
    kinds = [s.kind for s in piece.sections]
    assert kinds[0] == "statement" and "variation" in kinds and kinds[-1] == "cadence"


def test_the_statement_keeps_the_melody_in_the_top_voice(piece: ComposedPiece) -> None:
    melody = MELODIES["ode-to-joy"]
    statement = piece.sections[0]
    kept = min(statement.end, piece.plan.trimmed_at or melody.n_steps) - 8
    assert np.array_equal(piece.score.pitches[0, :kept], melody.pitches[0, :kept])


def test_the_piece_ends_on_the_tonic(piece: ComposedPiece) -> None:
    last = piece.score.pitches[:, -1]
    tonic = MELODIES["ode-to-joy"].tonic
    assert last[3] % 12 == tonic and last[0] % 12 == tonic


def test_variations_are_embellished_and_marked(models) -> None:
    # Diminution by rule always proposes notes (the tiny AR-CNN's proposals are mostly refused).
    piece = composed(models={**models, "embellisher": embellish_by_rule})
    assert piece.embellished
    variations = [s for s in piece.sections if s.kind == "variation"]
    for voice, start, end, pitch in piece.embellished:
        assert any(s.start <= start < s.end for s in variations)
        assert (piece.score.pitches[voice, start:end] == pitch).all()


def test_the_same_seed_gives_the_same_piece(models, piece: ComposedPiece) -> None:
    again = composed(models=models)
    assert np.array_equal(again.score.pitches, piece.score.pitches)
    assert np.array_equal(again.score.onsets, piece.score.onsets)
    first = perform(piece.score, piece.sections, seed=0)
    second = perform(again.score, again.sections, seed=0)
    notes = [[(n.start, n.pitch, n.velocity) for n in i.notes] for i in first.instruments]
    assert notes == [[(n.start, n.pitch, n.velocity) for n in i.notes] for i in second.instruments]
    other = composed(models=models, seed=5)
    assert not np.array_equal(other.score.pitches, piece.score.pitches)


def test_the_summary_says_key_and_embellishment(piece: ComposedPiece) -> None:
    assert "D major" in piece.summary
    assert f"{len(piece.embellished)} notes embellished" in piece.summary
    assert "parallel" in piece.summary


def test_progress_says_each_stage_as_it_begins_up_to_done(models) -> None:
    seen: list[tuple[float, str]] = []
    piece = composed("korobeiniki", models=models, progress=lambda f, m: seen.append((f, m)))
    fractions, messages = [f for f, _ in seen], [m for _, m in seen]
    assert fractions == sorted(fractions) and seen[-1] == (1.0, "done")
    variations = sum(s.kind == "variation" for s in piece.sections)
    stages = [
        "harmonizing the melody (custom harmonizer)",
        "refining the harmony (custom refiner)",
        *(f"embellishing variation {i} of {variations}" for i in range(1, variations + 1)),
        "closing cadence, metrics and summary",
        "done",
    ]
    assert messages[-len(stages) :] == stages


@pytest.mark.parametrize("style", ["baroque", "space"])
def test_each_style_has_its_named_instruments(piece: ComposedPiece, style: str) -> None:
    midi = perform(piece.score, piece.sections, style=style, tempo_curve=piece.plan.tempo_curve())
    voices = ("Soprano", "Alto", "Tenor", "Bass")
    tracks = {(i.name, i.program) for i in midi.instruments}
    # One track for each instrument and voice it plays, named voice first.
    assert tracks == {
        (f"{voices[v]} - {p.name}", p.program) for p in STYLE_PARTS[style] for v in p.voices
    }
    names = {name for name, _ in tracks}
    if style == "baroque":
        assert {"Alto - Church Organ", "Bass - Harpsichord", "Soprano - Violin I"} <= names
        assert "Bass - Cello" in names
    else:
        assert {"Soprano - Celesta", "Tenor - Choir", "Alto - Warm Pad"} <= names
        sub = next(i for i in midi.instruments if i.name == "Bass - Sub Bass")
        bass = {n for _, _, n in piece.score.notes(3)}
        assert {n.pitch + 12 for n in sub.notes} <= bass
    # Each voice's tracks play only that voice's pitches: soloing the bass plays the bass line.
    for inst in midi.instruments:
        voice = voices.index(inst.name.split(" - ")[0])
        octave = -12 if inst.name.endswith("Sub Bass") else 0
        pitches = {n + octave for _, _, n in piece.score.notes(voice)}
        assert {n.pitch for n in inst.notes} <= pitches, inst.name
    # A channel each, never the drums' (channel 10).
    assert len(midi.instruments) <= 15
    # Not mechanical: velocities vary and the tempo eases into the last chord.
    velocities = [n.velocity for i in midi.instruments for n in i.notes]
    assert len(set(velocities)) > 10
    _, tempi = midi.get_tempo_changes()
    assert tempi[-1] < tempi[0]


def test_rule_embellishment_adds_passing_notes_to_bach() -> None:
    chorale = load_chorales("valid")[0]
    varied = embellish_by_rule(chorale, risk=1.0, seed=0)
    added = pipeline.added_notes(chorale, varied)
    assert added and all(voice > 0 for voice, *_ in added)
    assert np.array_equal(varied.pitches[0], chorale.pitches[0])


def test_without_the_arcnn_weights_the_gan_composes_alone(tmp_path: Path, monkeypatch) -> None:
    import composer.models.arcnn
    import composer.models.gan

    save_generator(tiny_gan(), tmp_path / "gan.pt", meta={})
    monkeypatch.setattr(composer.models.gan, "SHIPPED_GAN", tmp_path / "gan.pt")
    monkeypatch.setattr(composer.models.arcnn, "SHIPPED_ARCNN", tmp_path / "missing.pt")
    piece = composed("twinkle-twinkle", seconds=30)
    assert "AR-CNN weights missing" in piece.summary
    assert piece.seconds == pytest.approx(30, rel=0.05)
    monkeypatch.setattr(composer.models.gan, "SHIPPED_GAN", tmp_path / "missing.pt")
    with pytest.raises(MissingWeights):
        composed("twinkle-twinkle")


def short_piece_written(models, folder: Path):  # (ComposedPiece, WrittenPiece)
    """A 20 s piece on Korobeiniki written with every file: MIDI, WAV, roll and MusicXML."""
    short = composed("korobeiniki", models=models, seconds=20, style="space")
    written = write_composition(
        short,
        folder / "piece.mid",
        audio=folder / "piece.wav",
        roll=folder / "piece.png",
        sheet_music=folder / "piece.musicxml",
    )
    return short, written


@pytest.mark.skipif(not HAS_SYNTH, reason="FluidSynth or a General MIDI soundfont is missing")
def test_the_files_of_a_piece(models, tmp_path: Path) -> None:
    import music21

    short, written = short_piece_written(models, tmp_path)
    assert written.audio_error is None
    assert {p.name for p in written.paths} >= {"piece.mid", "piece.wav", "piece.png", "piece.json"}
    with wave.open(str(tmp_path / "piece.wav"), "rb") as reader:
        assert reader.getframerate() == 44_100
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    peak = 20 * np.log10(np.abs(samples.astype(np.int32)).max() / 32768)
    assert peak < -1.0
    assert np.sqrt(np.mean((samples / 32768.0) ** 2)) > 0.01  # not silent
    assert (tmp_path / "piece.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    parsed = music21.converter.parse(str(tmp_path / "piece.musicxml"))
    assert len(parsed.parts) == 4
    assert parsed.parts[0].highestTime == pytest.approx(short.score.n_steps / 4)
    report = json.loads((tmp_path / "piece.json").read_text())
    assert report["summary"] == short.summary and report["audio"]["peak_dbfs"] < -1.0
    assert "parallel_5ths_8ves_per_bar" in report["metrics"]


def test_a_piece_whose_audio_cannot_be_rendered_keeps_its_other_files(
    models, tmp_path: Path, monkeypatch
) -> None:
    """No soundfont: the audio fails, says why, and the MIDI, roll and score are written."""
    monkeypatch.setenv("COMPOSER_SOUNDFONT", str(tmp_path / "no-such.sf2"))
    _, written = short_piece_written(models, tmp_path)
    assert "COMPOSER_SOUNDFONT names no file" in str(written.audio_error)
    assert {p.name for p in written.paths} >= {"piece.mid", "piece.png", "piece.musicxml"}
    assert not (tmp_path / "piece.wav").exists()


@pytest.mark.skipif(
    not (shutil.which("flac") and shutil.which("lame") and HAS_SYNTH),
    reason="the flac and lame encoders (scripts/bootstrap.sh installs them) are missing",
)
def test_flac_and_mp3_come_from_real_encoders(tmp_path: Path) -> None:
    from composer.render.audio import encode, write_wav

    tone = (8000 * np.sin(np.arange(44_100) * 2 * np.pi * 440 / 44_100)).astype("<i2")
    write_wav(np.stack([tone, tone], axis=1), tmp_path / "tone.wav")
    encode(tmp_path / "tone.wav", tmp_path / "tone.flac", title="tone")
    encode(tmp_path / "tone.wav", tmp_path / "tone.mp3", title="tone")
    assert (tmp_path / "tone.flac").read_bytes()[:4] == b"fLaC"
    mp3 = (tmp_path / "tone.mp3").read_bytes()
    assert mp3[:3] == b"ID3" or mp3[0] == 0xFF


@pytest.mark.skipif(not SHIPPED_GAN.exists(), reason="the shipped GAN weights are not trained yet")
def test_the_shipped_models_compose_a_minute() -> None:
    piece = composed("twinkle-twinkle")
    assert piece.seconds == pytest.approx(60, rel=0.05)
    assert "C major" in piece.summary
    assert piece.score.pitches[3, -1] % 12 == 0


@pytest.mark.skipif(not SHIPPED_GAN.exists(), reason="the shipped GAN weights are not trained yet")
def test_a_worker_loads_each_shipped_model_once(monkeypatch) -> None:
    import composer.models.arcnn
    import composer.models.gan
    import composer.models.weights

    loads: list[str] = []
    for module, name in (
        (composer.models.gan, "load_generator"),
        (composer.models.arcnn, "load_arcnn"),
    ):
        real = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda *a, _r=real, _n=name, **k: loads.append(_n) or _r(*a, **k)
        )
    monkeypatch.setattr(composer.models.weights, "_loaded", {})
    shipped.load_models()
    composer.models.gan.shipped_harmonizer(MELODIES["twinkle-twinkle"])  # as `evaluate --model gan`
    composer.models.arcnn.shipped_arcnn()
    assert sorted(loads) == ["load_arcnn", "load_generator"]


def test_the_statement_is_refined_with_the_next_bar_after_it(models) -> None:
    # Refined alone, the statement's last bars looked like the end of the piece to the AR-CNN.
    heard: list[int] = []

    def refiner(draft, seed=0):
        heard.append(draft.n_steps)
        return draft

    piece = composed(models={**models, "refiner": refiner})
    bar = piece.plan.tune.steps_per_bar
    assert heard[0] == piece.plan.section_steps + bar  # 4/4: the four beats END_BEATS marks
