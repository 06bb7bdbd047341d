"""Every sample melody, in both styles, becomes a finished one-minute piece with the shipped models:
MIDI, audio, piano roll, MusicXML and metrics, clean voice leading and unclipped sound."""

from __future__ import annotations

import json
import wave

import music21
import numpy as np
import pytest

from composer.data.samples import sample_melodies
from composer.midi.melody import extract_melody
from composer.render.piece import compose_piece

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("style", ["baroque", "space"])
@pytest.mark.parametrize("sample", sample_melodies(), ids=lambda s: s.slug)
def test_every_sample_in_every_style(sample, style, tmp_path):
    melody = extract_melody(sample.path).score
    piece = compose_piece(melody, tmp_path, model="hybrid", style=style, seed=5, title=sample.title)
    assert abs(piece.seconds - 60) <= 3  # within ±5 %
    assert piece.metrics["parallel_5ths_8ves_per_bar"] == 0
    assert piece.metrics["out_of_range_rate"] == 0
    with wave.open(str(piece.audio)) as audio:
        assert audio.getframerate() == 44_100
        frames = np.frombuffer(audio.readframes(audio.getnframes()), dtype="<i2")
    peak = np.abs(frames).max() / 32768
    assert 10 ** (-30 / 20) < peak < 10 ** (-1 / 20)  # sounding, and below −1 dBFS
    assert piece.roll.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(music21.converter.parse(piece.sheet_music).parts) == 4
    assert piece.audio_compressed is not None and piece.audio_compressed.stat().st_size > 1000
    report = json.loads(piece.midi.with_suffix(".json").read_text())
    assert report["summary"] == piece.summary and "0 parallel" in piece.summary
