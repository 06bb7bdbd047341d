"""The style prior: its statistics on hand-made voices, each of its decoder terms on a case whose
answer is known, its fitting moving a decoded texture toward Bach's, and the shipped prior."""

from __future__ import annotations

import numpy as np
import pytest

from composer.constants import LOWEST_PITCH, REST, VOICE_RANGES, VOICES
from composer.data.chorales import load_chorales
from composer.models import gan
from composer.models.decoding import PAIRS, VoiceLeadingRules, decode_voices, move_bin
from composer.models.features import N_CLASSES, REST_CLASS
from composer.models.style_prior import (
    StylePrior,
    Texture,
    load_style_prior,
    texture_statistics,
)
from composer.score import Score
from composer.training.style_prior import fit_style_prior, fitting_step
from tests.composer.decoder_cases import FLOOR, held, model_outputs

SA, ST, SB, AT, AB, TB = range(6)  # the PAIRS order
assert PAIRS[SB] == (0, 3) and PAIRS[AT] == (1, 2) and PAIRS[TB] == (2, 3)


def _score(rows: list[list[int]], onsets: list[list[int]] | None = None) -> Score:
    pitches = np.array(rows, dtype=np.int16)
    if onsets is None:
        struck = np.ones_like(pitches, dtype=bool)
        struck[:, 1:] = pitches[:, 1:] != pitches[:, :-1]
    else:
        struck = np.array(onsets, dtype=bool)
    return Score(pitches=pitches, onsets=struck, tonic=0, mode="major")


def test_texture_statistics_count_what_a_listener_hears():
    # C major: soprano C5 C5 D5 D5 over alto G4 G4 F4 F4, tenor C4 throughout, bass C3 C3 D3 D3
    # with the bass's held C struck again on the second step.
    score = _score(
        [[72, 72, 74, 74], [67, 67, 65, 65], [60, 60, 60, 60], [48, 48, 50, 50]],
        onsets=[[1, 0, 1, 0], [1, 0, 1, 0], [1, 0, 0, 0], [1, 1, 1, 0]],
    )
    texture = texture_statistics([score])
    t = texture.tables
    assert t["vertical"][SB, 0] == 1.0  # two octaves apart throughout
    assert t["wide"][SB] == 1.0 and t["wide"][AT] == 0.0
    assert t["vertical"][AT, 7] == 0.5 and t["vertical"][AT, 5] == 0.5  # a fifth, then a fourth
    assert t["crossed"].sum() == 0.0
    # One change, steps 1 -> 2: soprano up, alto down (contrary); soprano and bass up a tone in
    # two octaves (parallel); the tenor holds while the bass moves (oblique).
    assert list(t["motion"][SA]) == [0, 0, 1, 0]
    assert list(t["motion"][SB]) == [1, 0, 0, 0]
    assert list(t["motion"][TB]) == [0, 0, 0, 1]
    # The alto moves once by a whole tone in three sounding step pairs.
    assert t["moves"][0, move_bin(np.array(2))] == pytest.approx(1 / 3)
    assert t["moves"][1].sum() == 0.0  # the tenor never moves
    assert t["degrees"][0, 1, 0] == 1.0  # the tenor sits on the tonic
    assert t["rests"].sum() == 0.0  # every lower voice sounds under the whole melody
    # Held bass steps: C3->C3 (struck again) and D3->D3 (tied): half.
    assert texture.restrike[2] == 0.5 and texture.restrike[1] == 0.0


def _alto_choice(rules: VoiceLeadingRules, alto: dict[int, float]) -> int:
    """The alto's decoded pitch under a held C5 soprano, tenor E4 and bass C3: G4 and A4 both
    make a complete triad (C major, A minor), so the rules hardly choose between them."""
    choices = {**held(0, range(8), alto), **held(1, range(8), {64: -0.1})}
    choices |= held(2, range(8), {48: -0.1})
    decoded = decode_voices(model_outputs(8, choices), np.full(8, 72), rules, key=(0, "major"))
    return int(decoded[0, 0]) + LOWEST_PITCH


def test_a_vertical_bonus_chooses_the_interval_bach_prefers():
    alto = {67: -0.5, 69: -0.4}  # G4 (a fourth under the soprano) or A4 (a third), near-tied
    plain = VoiceLeadingRules()
    assert _alto_choice(plain, alto) == 69  # the model's slight favourite, A4
    vertical = np.zeros((6, 12))
    vertical[SA, 5] = 0.2  # a fourth under the soprano gains 0.2 nats a step
    prior = StylePrior.zero()
    prior.tables["vertical"] = vertical
    assert _alto_choice(prior.rules(plain), alto) == 67


def test_a_degree_bonus_chooses_the_scale_degree_bach_prefers():
    alto = {67: -0.5, 69: -0.4}
    assert _alto_choice(VoiceLeadingRules(), alto) == 69
    degrees = np.zeros((2, 3, 12))
    degrees[0, 0, 7] = 0.2  # the alto on the dominant, in major
    prior = StylePrior.zero()
    prior.tables["degrees"] = degrees
    assert _alto_choice(prior.rules(VoiceLeadingRules()), alto) == 67


def test_resting_under_the_melody_is_counted_and_can_be_made_to_cost():
    score = _score([[72, 72, 74, 74], [67, 67, REST, REST], [60] * 4, [48] * 4])
    assert texture_statistics([score]).tables["rests"][0] == 0.5  # the alto, half the time
    # Under a held C5, alto G4 and bass C3, the tenor's favourite is silence, E4 a close second.
    log_probs = np.full((3, 8, N_CLASSES), FLOOR)
    log_probs[0, :, 67 - LOWEST_PITCH] = -0.1
    log_probs[1, :, REST_CLASS] = -0.4
    log_probs[1, :, 64 - LOWEST_PITCH] = -0.5
    log_probs[2, :, 48 - LOWEST_PITCH] = -0.1
    plain = VoiceLeadingRules(thin=0.0, incomplete=0.0, silent=0.0)
    assert decode_voices(log_probs, np.full(8, 72), plain)[1, 0] == REST_CLASS
    prior = StylePrior.zero()
    prior.tables["rests"] = np.array([0.0, -1.0, 0.0])  # a nat per step the tenor is silent
    assert decode_voices(log_probs, np.full(8, 72), prior.rules(plain))[1, 0] == 64 - LOWEST_PITCH


def test_the_shipped_gan_keeps_every_lower_voice_sounding_under_the_melody():
    melodies = [c.with_pitches(c.pitches[:1], c.onsets[:1]) for c in load_chorales("valid")]
    harmonized = [gan.shipped_harmonizer(m) for m in melodies]
    # Bach's lower voices rest under 0.1% of his melodies' steps on the train split.
    assert texture_statistics(harmonized).tables["rests"].max() < 0.005


def _bass_motion(rules: VoiceLeadingRules) -> list[int]:
    """The bass under a soprano rising E5 -> F#5 over a held alto G4 and tenor G3: holding C3
    is the model's favourite by 0.5 nats a step; moving up to D3 keeps the soprano's tenth
    (parallel motion)."""
    soprano = np.array([76] * 4 + [78] * 4)
    choices = {**held(0, range(8), {67: -0.1}), **held(1, range(8), {55: -0.1})}
    choices |= held(2, range(4), {48: -0.1})
    choices |= held(2, range(4, 8), {48: -0.2, 50: -0.7})
    decoded = decode_voices(model_outputs(8, choices), soprano, rules) + LOWEST_PITCH
    return [int(x) for x in decoded[2]]


def test_a_moves_bonus_makes_a_voice_move_as_bach_moves_it():
    plain = VoiceLeadingRules(step=0.0)
    assert _bass_motion(plain) == [48] * 8  # the bass holds
    moves = np.zeros((3, 11))
    moves[2, move_bin(np.array(2))] = 3.0  # a bass moving by a whole tone gains 3 nats
    prior = StylePrior.zero()
    prior.tables["moves"] = moves
    assert _bass_motion(prior.rules(plain)) == [48] * 4 + [50] * 4


def test_a_motion_bonus_makes_two_voices_move_together():
    plain = VoiceLeadingRules(step=0.0)
    motion = np.zeros((6, 4))
    motion[SB, 0] = 3.0  # soprano and bass in parallel (here tenths) gain 3 nats a change
    prior = StylePrior.zero()
    prior.tables["motion"] = motion
    assert _bass_motion(prior.rules(plain)) == [48] * 4 + [50] * 4


def test_a_crossing_bonus_lets_voices_cross_where_bach_does():
    # Alto E4 over bass C3; the tenor's G4 (above the alto: a crossing the rules charge 1.5
    # nats) is a little likelier than G3; both make a C major triad under the soprano's C5.
    choices = {**held(0, range(8), {64: -0.1}), **held(1, range(8), {67: -0.3, 55: -0.4})}
    choices |= held(2, range(8), {48: -0.1})
    log_probs = model_outputs(8, choices)
    plain = VoiceLeadingRules(spacing=0.0)
    assert decode_voices(log_probs, np.full(8, 72), plain)[1, 0] + LOWEST_PITCH == 55
    crossed = np.zeros(6)
    crossed[AT] = 0.5  # a crossed alto-tenor pair gains half a nat a step
    prior = StylePrior.zero()
    prior.tables["crossed"] = crossed
    tenor = decode_voices(log_probs, np.full(8, 72), prior.rules(plain))[1, 0] + LOWEST_PITCH
    assert tenor == 67


def test_strike_thresholds_decide_which_held_notes_are_struck_again():
    melody = _score([[72] * 8])
    choices = {**held(0, range(8), {67: -0.1}), **held(1, range(8), {60: -0.1})}
    log_probs = model_outputs(8, choices | held(2, range(8), {48: -0.1}))
    strike_logits = np.full((3, 8), -5.0)
    strike_logits[:, 4] = 0.5  # each voice leans to striking its held note again at step 4
    loose = gan.decoded(melody, log_probs, strike_logits, None, (0.0, 0.0, 0.0))
    strict = gan.decoded(melody, log_probs, strike_logits, None, (0.0, 0.0, 1.0))
    assert all(loose.onsets[v, 4] for v in (1, 2, 3))
    assert strict.onsets[1, 4] and strict.onsets[2, 4] and not strict.onsets[3, 4]


def _octave_happy_model(chorale: Score) -> tuple[np.ndarray, np.ndarray]:
    """A stand-in model of the chorale's own voices that likes its bass an octave too low:
    log-probs (3, T, classes) with Bach's note at -0.8 and, in range, the octave below at -0.5
    (rests certain)."""
    log_probs = np.full((3, chorale.n_steps, N_CLASSES), FLOOR)
    for v in (1, 2, 3):
        low = VOICE_RANGES[VOICES[v]][0]
        for t, pitch in enumerate(chorale.pitches[v]):
            if pitch == REST:
                log_probs[v - 1, t, -1] = 0.0
                continue
            log_probs[v - 1, t, pitch - LOWEST_PITCH] = -0.8 if v == 3 else -0.1
            if v == 3 and pitch - 12 >= low:
                log_probs[v - 1, t, pitch - 12 - LOWEST_PITCH] = -0.5
    return log_probs, np.full((3, chorale.n_steps), -5.0)


def test_fitting_moves_the_decoded_texture_toward_bachs():
    chorales = load_chorales(split="valid")[:3]
    melodies = [c.with_pitches(c.pitches[:1], c.onsets[:1]) for c in chorales]
    outputs = [_octave_happy_model(c) for c in chorales]

    def decode(rules: VoiceLeadingRules, strike_at: tuple[float, float, float]) -> list[Score]:
        return [
            gan.decoded(m, lp, sl, rules, strike_at)
            for m, (lp, sl) in zip(melodies, outputs, strict=True)
        ]

    distances: list[dict[str, float]] = []
    prior = fit_style_prior(decode, chorales, rounds=6, report=lambda _, d: distances.append(d))
    before, after = distances[0], distances[-1]
    assert before["wide"] > 0.3  # the stand-in's bass sits too far below the upper voices
    assert after["wide"] < before["wide"] / 3
    assert sum(after.values()) < sum(before.values()) / 2
    assert prior.meta["rounds"] == 6 and prior.meta["distance"] == after


def _texture_with_wide(shares: list[float]) -> Texture:
    texture = texture_statistics([])
    texture.tables["wide"] = np.array(shares)
    return texture


def test_a_yes_or_no_share_moves_its_weight_by_the_log_odds():
    # The soprano and bass sit over an octave apart 97% of the time where Bach's do 93%, and the
    # alto and tenor 3% where his do 7%: the same mistake seen from either side, so the weights
    # move by the same amount the opposite way (a plain ratio of shares would barely move the
    # first: 0.97 against 0.93 is a ratio of 1.04).
    got = _texture_with_wide([0.0, 0.0, 0.97, 0.03, 0.0, 0.0])
    target = _texture_with_wide([0.0, 0.0, 0.93, 0.07, 0.0, 0.0])
    moved = fitting_step(StylePrior.zero(), got, target, eta=0.5).tables["wide"]
    assert moved[SB] < -0.3 and moved[AT] > 0.3
    assert moved[SB] == pytest.approx(-moved[AT], rel=0.02)
    assert moved[SA] == 0.0  # a share that matches stays put


def test_the_shipped_prior_was_fitted_on_the_train_split_and_is_the_gans_default(tmp_path):
    prior = load_style_prior(gan.SHIPPED_STYLE_PRIOR)
    assert prior.meta["split"] == "train"
    assert np.abs(prior.tables["vertical"]).sum() > 0
    assert gan.DEFAULT_RULES.vertical == prior.rules(VoiceLeadingRules()).vertical
    prior.save(tmp_path / "prior.json")
    again = load_style_prior(tmp_path / "prior.json")
    assert all(np.allclose(again.tables[k], prior.tables[k], atol=1e-4) for k in prior.tables)
    assert load_style_prior(tmp_path / "missing.json").meta == {}  # no file: no prior
