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
    part_groups,
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
    assert dry.shape == wet.shape and np.abs(dry).max() > 0.03
    assert np.abs(dry - wet).max() > 0.003


def _quartet() -> pretty_midi.PrettyMIDI:
    """Four parts on four instruments, a bar of crotchets each, the bass busiest."""
    midi = pretty_midi.PrettyMIDI()
    for program, pitch, notes in ((40, 72, 4), (41, 67, 4), (42, 60, 6), (32, 48, 8)):
        part = pretty_midi.Instrument(program=program)
        step = 2.0 / notes
        part.notes += [
            pretty_midi.Note(80, pitch + n % 3, n * step, (n + 1) * step) for n in range(notes)
        ]
        midi.instruments.append(part)
    return midi


def test_parts_are_dealt_into_sets_of_about_as_many_notes() -> None:
    sets = part_groups(_quartet().instruments, 2)
    assert sorted(sum(len(p.notes) for p in s) for s in sets) == [10, 12]
    assert len(part_groups(_quartet().instruments[:1], 2)) == 1  # no empty set


@pytest.mark.skipif(not HAS_SYNTH, reason="FluidSynth or a General MIDI soundfont is missing")
def test_parts_rendered_in_two_processes_sum_to_the_ensembles_rendering() -> None:
    font, midi = find_soundfont(), _quartet()
    together = synthesize(midi, font, 0.5, processes=1)
    apart = synthesize(midi, font, 0.5, processes=2)
    assert together.shape == apart.shape and together.shape[1] == 2
    signal = np.sqrt(np.mean(together.astype(np.float64) ** 2))
    error = np.sqrt(np.mean((together.astype(np.float64) - apart) ** 2))
    assert signal > 0.01 and error < signal * 1e-3  # 60 dB down: the same sound
    assert [len(p.notes) for p in midi.instruments] == [4, 4, 6, 8]  # the performance untouched
    assert all(not p.control_changes for p in midi.instruments)


@pytest.mark.skipif(not HAS_SYNTH, reason="FluidSynth or a General MIDI soundfont is missing")
def test_a_loud_rendering_is_not_clipped_before_the_master_sets_its_level() -> None:
    font, midi = find_soundfont(), _quartet()
    quiet, loud = synthesize(midi, font, 0.5), synthesize(midi, font, 5.0)
    assert np.abs(loud).max() > 1.0  # past full scale, kept as it is
    assert np.abs(loud).max() == pytest.approx(10 * np.abs(quiet).max(), rel=0.01)
    out, loudness, peak = master(loud)
    assert out.dtype == np.int16 and peak <= CEILING_DBFS + 0.01
    assert loudness == pytest.approx(master(quiet)[1], abs=0.01)  # the same music, as loud
