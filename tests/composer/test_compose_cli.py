"""`composer compose` and `composer embellish`: files written, summary printed, one-line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import music21
import pretty_midi
import pytest

import composer.models.arcnn
from composer.cli.main import main
from composer.data.samples import SAMPLES_DIR
from composer.midi.io import midi_to_score
from composer.models import shipped
from composer.models.arcnn import save_arcnn
from composer.models.shipped import Models, arcnn_embellisher, arcnn_refiner, gan_harmonizer
from tests.composer.test_pipeline import HAS_SYNTH, tiny_arcnn, tiny_gan

ODE = str(SAMPLES_DIR / "ode-to-joy.mid")


@pytest.fixture
def tiny_models(monkeypatch: pytest.MonkeyPatch) -> None:
    arcnn = tiny_arcnn()
    models = Models(
        gan_harmonizer(tiny_gan()),
        arcnn_refiner(arcnn, iterations=2),
        arcnn_embellisher(arcnn, iterations=2),
        names=("GAN draft", "AR-CNN refinement", "AR-CNN embellishment"),
    )
    monkeypatch.setattr(shipped, "load_models", lambda device="cpu": models)


def test_compose_writes_the_piece_and_prints_the_summary(
    tiny_models: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ode.mid"
    args = [ODE, "-o", str(out), "--roll", str(tmp_path / "ode.png")]
    args += ["--score", str(tmp_path / "ode.musicxml"), "--style", "space", "--seed", "3"]
    assert main(["compose", *args]) == 0
    printed = capsys.readouterr().out
    assert "stays in D major" in printed or "mostly in D major" in printed
    assert "notes embellished" in printed
    # A track for each instrument's voice: celesta; choir and pad on three each; sub bass.
    tracks = [i.name for i in pretty_midi.PrettyMIDI(str(out)).instruments]
    assert len(tracks) == 8
    assert {t.split(" - ")[0] for t in tracks} == {"Soprano", "Alto", "Tenor", "Bass"}
    assert (tmp_path / "ode.json").is_file() and (tmp_path / "ode.png").is_file()
    assert len(music21.converter.parse(str(tmp_path / "ode.musicxml")).parts) == 4


@pytest.mark.skipif(
    not (HAS_SYNTH and shutil.which("lame")), reason="FluidSynth, a soundfont or lame is missing"
)
def test_compose_writes_mp3(tiny_models: None, tmp_path: Path) -> None:
    out = tmp_path / "ode.mp3"
    assert (
        main(
            ["compose", ODE, "-o", str(tmp_path / "o.mid"), "--seconds", "12", "--audio", str(out)]
        )
        == 0
    )
    assert out.stat().st_size > 10_000


def test_compose_without_a_soundfont_keeps_the_other_files_and_says_why(
    tiny_models: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("COMPOSER_SOUNDFONT", str(tmp_path / "missing.sf2"))
    args = [
        ODE,
        "-o",
        str(tmp_path / "o.mid"),
        "--seconds",
        "12",
        "--audio",
        str(tmp_path / "o.wav"),
    ]
    with pytest.raises(SystemExit) as failed:
        main(["compose", *args, "--roll", str(tmp_path / "o.png")])
    assert failed.value.code == 1
    assert "no audio: COMPOSER_SOUNDFONT names no file" in capsys.readouterr().err
    assert not (tmp_path / "o.wav").exists()
    tracks = pretty_midi.PrettyMIDI(str(tmp_path / "o.mid")).instruments
    assert {t.name.split(" - ")[0] for t in tracks} >= {"Soprano", "Alto", "Tenor", "Bass"}
    assert (tmp_path / "o.png").is_file() and (tmp_path / "o.json").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["compose", "/no/such/tune.mid", "-o", "x.mid"],
        ["compose", ODE, "-o", "x.wav"],
        ["compose", ODE, "-o", "x.mid", "--audio", "x.ogg"],
        ["compose", ODE, "-o", "x.mid", "--seconds", "3"],
        ["compose", ODE, "-o", "x.mid", "--risk", "0"],
        ["embellish", ODE, "-o", "x.mid", "--remove", "2"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("composer: error:") and "\n" not in err


def test_not_a_midi_file_is_bad_input(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.mid"
    junk.write_bytes(b"not midi at all")
    assert main(["compose", str(junk), "-o", str(tmp_path / "x.mid")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_embellish_without_weights_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(composer.models.arcnn, "SHIPPED_ARCNN", tmp_path / "missing.pt")
    with pytest.raises(SystemExit) as exit_info:
        main(["embellish", ODE, "-o", str(tmp_path / "x.mid")])
    assert exit_info.value.code == 1
    assert "AR-CNN's weights" in capsys.readouterr().err


def test_embellish_with_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    save_arcnn(tiny_arcnn(), tmp_path / "arcnn.pt", meta={})
    monkeypatch.setattr(composer.models.arcnn, "SHIPPED_ARCNN", tmp_path / "arcnn.pt")
    out = tmp_path / "x.mid"
    args = ["embellish", ODE, "-o", str(out), "--iterations", "2", "--add", "10", "--seed", "1"]
    assert main(args) == 0
    assert "notes added" in capsys.readouterr().out
    melody, varied = midi_to_score(ODE), midi_to_score(out)
    assert varied.n_voices > 1  # notes added below the melody, which stays as it was
    assert (varied.pitches[0, : melody.n_steps] == melody.pitches[0]).all()
