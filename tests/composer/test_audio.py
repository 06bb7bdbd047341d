"""The audio master: loudness measured as ITU-R BS.1770 defines it, normalised under a ceiling."""

from __future__ import annotations

import numpy as np
import pretty_midi
import pytest

from composer.render.audio import (
    CEILING_DBFS,
    SAMPLE_RATE,
    TARGET_LUFS,
    find_soundfont,
    loudness_lufs,
    master,
    synthesize,
)
from tests.composer.test_pipeline import HAS_SYNTH


def _tone(amplitude: float, seconds: float = 5.0, hz: float = 997.0) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    wave = amplitude * np.sin(2 * np.pi * hz * t)
    return np.stack([wave, wave], axis=1)


def test_a_997_hz_tone_reads_its_level_in_lufs() -> None:
    # BS.1770: a full-scale 997 Hz sine in both channels reads about 0 LUFS (-3.01 per channel,
    # summed), so a tone 20 dB down reads about -20 LUFS.
    assert loudness_lufs(_tone(0.1)) == pytest.approx(-20.0, abs=0.2)
    assert loudness_lufs(_tone(0.01)) == pytest.approx(-40.0, abs=0.2)


def test_silence_and_a_clip_shorter_than_a_block_have_no_loudness() -> None:
    assert loudness_lufs(np.zeros((SAMPLE_RATE, 2))) == float("-inf")
    assert loudness_lufs(_tone(0.5, seconds=0.2)) == float("-inf")


def test_a_quiet_track_is_raised_to_the_target_loudness() -> None:
    quiet = np.round(_tone(0.02) * 32768).astype("<i2")
    out, loudness, peak = master(quiet)
    assert loudness == pytest.approx(TARGET_LUFS, abs=0.05)
    assert loudness_lufs(out.astype(np.float64) / 32768) == pytest.approx(TARGET_LUFS, abs=0.3)
    assert peak <= CEILING_DBFS + 0.01
    assert abs(int(out[-1, 0])) < 10  # the tail is faded out


def test_a_peaky_track_is_held_under_the_ceiling_not_clipped() -> None:
    clicks = np.zeros((5 * SAMPLE_RATE, 2))
    clicks[:: SAMPLE_RATE // 2] = 0.9  # loud clicks in near silence: loudness would lift the peak
    out, loudness, peak = master(np.round(clicks * 32768).astype("<i2"))
    assert peak == pytest.approx(CEILING_DBFS, abs=0.01)
    assert np.count_nonzero(np.abs(out[:, 0]) > 10_000) == 10  # every click kept (the last faded)
    assert loudness < TARGET_LUFS


def test_silence_is_left_silent() -> None:
    silence = np.zeros((SAMPLE_RATE, 2), dtype="<i2")
    out, loudness, peak = master(silence)
    assert not out.any() and loudness == float("-inf") and peak == float("-inf")


def _chord(chorus_send: int) -> pretty_midi.PrettyMIDI:
    midi = pretty_midi.PrettyMIDI()
    strings = pretty_midi.Instrument(program=48, name="strings")
    strings.control_changes.append(pretty_midi.ControlChange(93, chorus_send, 0.0))
    strings.notes += [pretty_midi.Note(90, pitch, 0.0, 1.5) for pitch in (60, 64, 67)]
    midi.instruments.append(strings)
    return midi


@pytest.mark.skipif(not HAS_SYNTH, reason="FluidSynth or a General MIDI soundfont is missing")
def test_the_chorus_sounds_where_a_part_sends_to_it() -> None:
    font = find_soundfont()
    dry, wet = synthesize(_chord(0), font, 0.5), synthesize(_chord(100), font, 0.5)
    assert dry.shape == wet.shape and np.abs(dry).max() > 1000
    assert np.abs(dry.astype(np.int32) - wet).max() > 100
