"""The form of a composed piece: its length, the tune kept, trimming at phrase ends, the cadence."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from composer.compose.form import (
    STYLE_TEMPI,
    finish,
    fit_tune,
    phrase_ends,
    plan_form,
    variation_risks,
    voice_cadence,
)
from composer.constants import REST, VOICE_RANGES, VOICES
from composer.data.samples import sample_melodies
from composer.metrics.audit import parallel_counts
from composer.midi.melody import extract_melody
from composer.score import Score

SAMPLES = {s.slug: extract_melody(s.path).score for s in sample_melodies()}


def melody_of(notes: list[tuple[int, int]], meter=(4, 4), pickup: int = 0, **kw) -> Score:
    """A one-voice score from (pitch, steps) pairs."""
    total = sum(steps for _, steps in notes)
    pitches = np.full((1, total), REST, dtype=np.int16)
    onsets = np.zeros((1, total), dtype=bool)
    t = 0
    for pitch, steps in notes:
        pitches[0, t : t + steps] = pitch
        onsets[0, t] = pitch != REST
        t += steps
    return Score(pitches, onsets, meter=meter, pickup_steps=pickup, **kw)


def bars_of_quarters(bars: int) -> Score:
    """A C-major tune of quarter notes, a half note closing every 4th bar."""
    scale = [60, 62, 64, 65, 67, 69, 71, 72]
    notes = []
    for bar in range(bars):
        if bar % 4 == 3:
            notes += [(scale[bar % 8], 4), (scale[(bar + 2) % 8], 4), (60, 8)]
        else:
            notes += [(scale[(bar + i) % 8], 4) for i in range(4)]
    return melody_of(notes, tempo_bpm=100.0)


def to_four(plan) -> Score:
    """The plan's melody with three lower voices that copy it an octave or two down."""
    body = plan.melody()
    pitches = np.concatenate(
        [body.pitches, body.pitches - 5, body.pitches - 12, body.pitches - 24]
    ).astype(np.int16)
    pitches[1:][np.repeat(body.pitches, 3, 0) == REST] = REST
    return body.with_pitches(pitches, np.repeat(body.onsets, 4, 0))


@pytest.mark.parametrize("style", ["baroque", "space"])
@pytest.mark.parametrize("slug", sorted(SAMPLES))
def test_every_sample_lasts_the_asked_minute(slug: str, style: str) -> None:
    plan = plan_form(SAMPLES[slug], seconds=60, style=style)
    assert plan.seconds() == pytest.approx(60, rel=0.05)
    low, high = STYLE_TEMPI[style]
    assert low <= plan.tempo_bpm <= high
    assert plan.repeats >= 2  # the statement and at least one variation
    kinds = [s.kind for s in plan.sections()]
    assert kinds[0] == "statement" and "variation" in kinds and kinds[-1] == "cadence"


@pytest.mark.parametrize("bars", [4, 64])
@pytest.mark.parametrize("seconds", [30, 60, 90])
def test_short_and_long_tunes_fit(bars: int, seconds: int) -> None:
    melody = bars_of_quarters(bars)
    plan = plan_form(melody, seconds=seconds)
    assert plan.seconds() == pytest.approx(seconds, rel=0.05)
    if bars == 4:
        assert plan.trimmed_at is None
        assert plan.repeats >= (3 if seconds >= 60 else 2)  # developed, not stretched
    else:
        assert plan.trimmed_at is not None and plan.trimmed_at % melody.steps_per_bar == 0
        assert plan.trimmed_at in phrase_ends(melody)


def test_short_tunes_are_developed_with_rising_risk() -> None:
    plan = plan_form(bars_of_quarters(4), seconds=60, risk=1.0)
    risks = [s.risk for s in plan.sections() if s.kind == "variation"]
    assert len(risks) >= 2 and risks == sorted(risks) and risks[0] < risks[-1]
    assert variation_risks(1, 0.7) == (0.7,)


def test_a_long_tune_is_cut_at_a_bar_line_after_a_long_note() -> None:
    melody = bars_of_quarters(64)
    plan = plan_form(melody, seconds=60)
    cut = plan.trimmed_at
    notes = melody.notes(0)
    assert any(end == cut and end - start >= 8 for start, end, _ in notes)
    # The statement keeps the tune up to the cut, note for note.
    tune = plan.tune
    assert np.array_equal(tune.pitches[0, :cut], melody.pitches[0, :cut])


def test_phrase_ends_after_rests_fermatas_and_long_notes() -> None:
    melody = melody_of([(60, 4)] * 4 + [(62, 4)] * 3 + [(REST, 4)] + [(64, 4)] * 4 + [(65, 16)])
    assert phrase_ends(melody) == [32]  # after the rest; not after plain quarter notes
    fermatas = np.zeros(melody.n_steps, dtype=bool)
    fermatas[15] = True
    melody.fermatas = fermatas
    assert phrase_ends(melody) == [16, 32]


def test_a_pickup_stays_a_pickup_in_every_repetition() -> None:
    melody = SAMPLES["we-wish-you-a-merry-christmas"]  # 3/4 with a one-beat pickup
    plan = plan_form(melody, seconds=60)
    assert plan.section_steps % melody.steps_per_bar == 0
    score = finish(to_four(plan), plan)
    assert score.pickup_steps == melody.pickup_steps
    assert plan.cadence_start in score.bar_starts()


def test_the_statement_keeps_the_melody_in_the_top_voice() -> None:
    melody = SAMPLES["ode-to-joy"]
    plan = plan_form(melody, seconds=60)
    score = finish(to_four(plan), plan)
    cut = plan.trimmed_at or melody.n_steps
    last_start = melody.notes(0)[-1][0] if cut == melody.n_steps else cut
    assert np.array_equal(score.pitches[0, :last_start], melody.pitches[0, :last_start])


@pytest.mark.parametrize("slug", sorted(SAMPLES))
def test_the_piece_ends_on_the_tonic_triad_with_the_tonic_in_bass_and_soprano(slug: str) -> None:
    melody = SAMPLES[slug]
    plan = plan_form(melody, seconds=60)
    score = finish(to_four(plan), plan)
    assert score.n_steps == plan.n_steps
    last = score.pitches[:, -1]
    tonic = melody.tonic
    assert last[3] % 12 == tonic and last[0] % 12 == tonic
    third = {(tonic + 3) % 12, (tonic + 4) % 12}
    assert {p % 12 for p in last} <= {tonic, (tonic + 7) % 12} | third
    assert any(p % 12 in third for p in last)
    # Bass 5̂ to 1̂ into the final chord, held for the whole last bar under a fermata.
    final = plan.final_chord_start
    assert score.pitches[3, final - 1] % 12 == (tonic + 7) % 12
    assert (score.pitches[:, final:] == last[:, None]).all()
    assert score.fermatas is not None and score.fermatas[-1]
    for v, name in enumerate(VOICES):
        low, high = VOICE_RANGES[name]
        assert low <= last[v] <= high


def test_the_cadence_is_smooth_and_has_no_parallels() -> None:
    pitches, _ = voice_cadence(np.array([72, 67, 64, 48]), 0, "major", 2, 16)
    chords = [pitches[:, 0], pitches[:, 8], pitches[:, 16]]
    for before, after in itertools.pairwise(chords):
        assert np.abs(after[:3] - before[:3]).max() <= 5
        for i in range(4):
            for j in range(i + 1, 4):
                same = (before[i] - before[j]) % 12 == (after[i] - after[j]) % 12
                assert not (same and (after[i] - after[j]) % 12 in (0, 7))


def _cadence_parallels(last: np.ndarray, tonic: int, mode: str, bars: int, bar: int) -> int:
    pitches, onsets = voice_cadence(last, tonic, mode, bars, bar)
    start = np.ones((4, 1), dtype=bool)
    whole = Score(pitches=np.hstack([last[:, None], pitches]), onsets=np.hstack([start, onsets]))
    return sum(parallel_counts(whole))


def test_the_cadence_is_voiced_as_a_whole_not_chord_by_chord() -> None:
    # A piece in G major (3/4) ending on G, B, B over C: voiced chord by chord, the dominant took
    # D in soprano and bass, and every tonic after it made octaves with them (D-D to G-G).
    assert _cadence_parallels(np.array([67, 59, 59, 48]), 7, "major", 2, 12) == 0
    # From any last chord at all, the cadence (and the step into it) almost never parallels:
    # voiced chord by chord, 213 of these 900 did (3 do now).
    rng = np.random.default_rng(0)
    found = total = 0
    for _ in range(100):
        soprano = int(rng.integers(62, 76))
        alto = int(rng.integers(55, soprano))
        tenor = int(rng.integers(48, alto))
        last = np.array([soprano, alto, tenor, int(rng.integers(40, tenor))])
        for tonic, mode in ((7, "major"), (9, "minor"), (2, "major")):
            for bars, bar in ((2, 16), (3, 16), (2, 12)):
                found += _cadence_parallels(last, tonic, mode, bars, bar) > 0
                total += 1
    assert found <= 0.01 * total


def test_the_ritardando_slows_into_the_last_chord() -> None:
    plan = plan_form(SAMPLES["korobeiniki"], seconds=60)
    curve = plan.tempo_curve()
    assert curve[0] == pytest.approx(plan.tempo_bpm)
    assert curve[-1] < 0.85 * plan.tempo_bpm
    assert (np.diff(curve) <= 1e-9).all()


def test_fit_tune_pads_to_whole_bars() -> None:
    tune = fit_tune(melody_of([(60, 4), (62, 4), (64, 6)]))
    assert tune.n_steps == 16 and tune.notes(0)[-1] == (8, 16, 64)


def test_a_tune_too_long_to_repeat_is_stated_whole_and_its_end_is_varied() -> None:
    melody = SAMPLES["ode-to-joy"]  # 16 bars: twice over would not fit a minute in style
    plan = plan_form(melody, seconds=60, style="baroque")
    assert plan.trimmed_at is None and plan.reprise is not None
    start = plan.reprise_from
    assert start in phrase_ends(melody) and 2 * start >= melody.n_steps
    assert start % melody.steps_per_bar == 0  # the reprise begins where a bar of the tune does
    assert plan.seconds() == pytest.approx(60, rel=0.05)

    statement, variation, cadence = plan.sections()
    assert (statement.start, statement.end) == (0, plan.tune.n_steps)
    assert variation.start == statement.end and cadence.start == plan.cadence_start
    assert variation.end - variation.start < statement.end - statement.start

    score = finish(to_four(plan), plan)
    last = melody.notes(0)[-1][0]
    assert np.array_equal(score.pitches[0, :last], melody.pitches[0, :last])  # the whole tune
    tail_end = melody.n_steps - start
    reprise_last = melody.notes(0)[-1][0] - start
    heard = score.pitches[0, variation.start : variation.start + tail_end]
    assert np.array_equal(heard[:reprise_last], melody.pitches[0, start:][:reprise_last])
    assert score.onsets[0, variation.start]  # the reprise's first note is struck


def test_a_reprise_keeps_the_pickup_in_its_place() -> None:
    melody = SAMPLES["amazing-grace"]  # 3/4 with a pickup
    plan = plan_form(melody, seconds=60, style="space")
    assert plan.reprise is not None
    score = finish(to_four(plan), plan)
    assert score.pickup_steps == melody.pickup_steps
    assert plan.cadence_start in score.bar_starts()
    assert all(s.start % melody.steps_per_bar == 0 for s in plan.sections()[:-1])
