"""The voice-leading decoder on hand-made model outputs whose best answer is known."""

from __future__ import annotations

import numpy as np

from composer.constants import LOWEST_PITCH, REST
from composer.metrics import crossing_count, parallel_count
from composer.metrics.coverage import silent_count
from composer.models.decoding import (
    VoiceLeadingRules,
    decode_voices,
    keep_sound_changes,
    short_note_count,
)
from composer.models.features import REST_CLASS
from composer.score import Score
from tests.composer.decoder_cases import held, model_outputs


def _case(second_alto: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    # Soprano C5 -> D5. The alto's favourite is F4 -> G4: a parallel fifth with the soprano
    # (72-65 = 7, 74-67 = 7, both rising). Holding F4 makes a sixth instead.
    soprano = np.array([72] * 4 + [74] * 4)
    choices = {
        **held(0, range(0, 4), {65: -0.1}),
        **held(0, range(4, 8), second_alto),
        **held(1, range(8), {60: -0.1}),
        **held(2, range(8), {48: -0.1}),
    }
    return model_outputs(8, choices), soprano


def test_parallel_fifth_is_avoided_when_a_good_alternative_exists():
    log_probs, soprano = _case({67: -0.5, 65: -1.0})
    raw = log_probs.argmax(-1) + LOWEST_PITCH
    assert list(raw[0]) == [65] * 4 + [67] * 4  # the raw choice: parallel fifths
    decoded = decode_voices(log_probs, soprano) + LOWEST_PITCH
    assert list(decoded[0]) == [65] * 8  # the alto holds F4: a sixth, no parallel
    assert list(decoded[1]) == [60] * 8 and list(decoded[2]) == [48] * 8


def test_model_wins_when_the_alternative_is_much_less_likely():
    log_probs, soprano = _case({67: -0.1, 65: -5.0})
    decoded = decode_voices(log_probs, soprano) + LOWEST_PITCH
    assert list(decoded[0]) == [65] * 4 + [67] * 4  # 4 steps × 4.9 nats > the 6-nat penalty


def test_crossing_is_avoided():
    # Tenor prefers A4 (69) above the alto's G4 (67); its second choice E4 (64) is below.
    soprano = np.array([76] * 4)
    choices = {
        **held(0, range(4), {67: -0.1}),
        **held(1, range(4), {69: -0.3, 64: -0.6}),
        **held(2, range(4), {48: -0.1}),
    }
    decoded = decode_voices(model_outputs(4, choices), soprano) + LOWEST_PITCH
    assert list(decoded[1]) == [64] * 4


def test_no_conflict_means_the_model_choice_and_no_flicker():
    soprano = np.array([72] * 8)
    choices = {
        **held(0, range(8), {67: -0.1}),
        **held(1, range(8), {64: -0.1}),
        **held(2, range(8), {48: -0.1}),
    }
    # A near-tie on one 16th offbeat: switching there would make two 16th-note flickers.
    choices[(1, 3)] = {62: -0.05, 64: -0.1}
    decoded = decode_voices(model_outputs(8, choices), soprano) + LOWEST_PITCH
    assert list(decoded[1]) == [64] * 8
    rules = VoiceLeadingRules(change=0.0, offbeat_change=0.0)
    free = decode_voices(model_outputs(8, choices), soprano, rules) + LOWEST_PITCH
    assert free[1, 3] == 62  # without the rhythm costs, the per-step favourite is taken


def _score(rows: list[list[int]]) -> Score:
    pitches = np.array(rows)
    return Score(pitches=pitches, onsets=np.zeros_like(pitches, dtype=bool))


def test_refinement_keeps_only_changes_that_add_no_parallel_or_crossing():
    # Soprano C5 -> D5 over two half bars; the draft's alto holds F4 (a sixth below D5: no fault).
    draft = _score([[72] * 8 + [74] * 8, [65] * 16, [60] * 16, [48] * 16])
    # The proposal moves the alto F4 -> G4 with the soprano (parallel fifths), and lets the
    # tenor move C4 -> B3 (contrary to the soprano: harmless).
    proposal = _score([[72] * 8 + [74] * 8, [65] * 8 + [67] * 8, [60] * 8 + [59] * 8, [48] * 16])
    assert parallel_count(proposal) == 1
    kept = keep_sound_changes(draft, proposal, seed=0)
    assert list(kept.pitches[1]) == [65] * 16  # the parallel fifth is refused
    assert list(kept.pitches[2]) == [60] * 8 + [59] * 8  # the harmless change is taken
    assert parallel_count(kept) == 0 and crossing_count(kept) == 0


def test_a_steady_refinement_refuses_changes_that_only_add_sixteenth_note_flicker():
    draft = _score([[72] * 16, [65] * 16, [60] * 16, [48] * 16])
    # The tenor flickers C4-B3-C4 in 16ths; the bass moves to a held F2 (no new short note).
    proposal = _score([[72] * 16, [65] * 16, [60] * 4 + [59] + [60] * 11, [48] * 8 + [41] * 8])
    assert short_note_count(proposal) == 1 and short_note_count(draft) == 0
    loose = keep_sound_changes(draft, proposal, seed=0)
    assert list(loose.pitches[2]) == list(proposal.pitches[2])  # taken: no parallel, no crossing
    steady = keep_sound_changes(draft, proposal, seed=0, steady_rhythm=True)
    assert list(steady.pitches[2]) == [60] * 16  # the flicker is refused
    assert list(steady.pitches[3]) == [48] * 8 + [41] * 8  # the held change is taken


def test_a_refinement_does_not_silence_a_voice_under_the_melody():
    # The proposal lets the bass rest under the first half bar's C5 (its C major triad stays
    # complete in the upper voices, so no chord count rises) and moves the tenor G3 -> A3.
    draft = _score([[72] * 16, [64] * 16, [55] * 16, [48] * 16])
    proposal = _score([[72] * 16, [64] * 16, [55] * 8 + [57] * 8, [REST] * 8 + [48] * 8])
    assert silent_count(proposal) == 8 and silent_count(draft) == 0
    kept = keep_sound_changes(draft, proposal, seed=0)
    assert list(kept.pitches[3]) == [48] * 16  # the bass sounds throughout
    assert list(kept.pitches[2]) == [55] * 8 + [57] * 8  # the tenor's change is taken


def test_a_refinement_may_thin_a_beat_on_no_chord_but_not_a_full_chord():
    # C5 over G3 and C3. The draft's alto: D4 (C-D-G, no chord) for the first half bar, then C4,
    # then E4 (a C major triad). The proposal's alto C4 throughout leaves the bare fifth C-G in
    # both places: thin where there was no chord (as Bach's beats are now and then), thin where
    # there was a full chord.
    draft = _score([[72] * 16, [62] * 6 + [60] * 2 + [64] * 8, [55] * 16, [48] * 16])
    proposal = _score([[72] * 16, [60] * 16, [55] * 16, [48] * 16])
    counted = keep_sound_changes(draft, proposal, seed=0)
    assert list(counted.pitches[1]) == list(draft.pitches[1])  # both refused: thin beats
    loose = keep_sound_changes(draft, proposal, seed=0, thin_too=False)
    assert list(loose.pitches[1]) == [60] * 8 + [64] * 8  # the full chord stays


def _bass_case(second_bass: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    # Soprano G4 -> C5 (up a fourth). The bass's favourite is G3 -> C3: octaves by contrary
    # motion (an octave to two octaves, the voices moving apart); the alternative E3 is a tenth
    # below the soprano. Alto D4 -> E4, tenor B3 -> G3.
    soprano = np.array([67] * 4 + [72] * 4)
    choices = {
        **held(0, range(0, 4), {62: -0.1}),
        **held(0, range(4, 8), {64: -0.1}),
        **held(1, range(0, 4), {59: -0.1}),
        **held(1, range(4, 8), {55: -0.1}),
        **held(2, range(0, 4), {55: -0.1}),
        **held(2, range(4, 8), second_bass),
    }
    return model_outputs(8, choices), soprano


def test_octaves_by_contrary_motion_are_avoided_too():
    log_probs, soprano = _bass_case({48: -0.4, 52: -1.0})
    raw = log_probs.argmax(-1) + LOWEST_PITCH
    assert list(raw[2][4:]) == [48] * 4  # the raw choice: G3 -> C3 under G4 -> C5
    decoded = decode_voices(log_probs, soprano) + LOWEST_PITCH
    assert list(decoded[2][4:]) == [52] * 4  # E3: a tenth below the soprano's C5
    no_contrary = VoiceLeadingRules(contrary=0.0)
    assert list(decode_voices(log_probs, soprano, no_contrary)[2][4:] + LOWEST_PITCH) == [48] * 4


def test_an_awkward_leap_in_an_inner_voice_is_avoided():
    # Tenor F3 -> B3 (a tritone) is the model's favourite; G3 is nearly as likely.
    soprano = np.array([72] * 4 + [71] * 4)
    choices = {
        **held(0, range(8), {67: -0.1}),
        **held(1, range(0, 4), {53: -0.1}),
        **held(1, range(4, 8), {59: -0.3, 55: -0.6}),
        **held(2, range(8), {43: -0.1}),
    }
    log_probs = model_outputs(8, choices)
    decoded = decode_voices(log_probs, soprano, VoiceLeadingRules(incomplete=0, thin=0))
    assert list(decoded[1][4:] + LOWEST_PITCH) == [55] * 4


def test_a_thin_sonority_costs_when_a_full_chord_is_at_hand():
    # C5 over G3 and C3, the alto choosing between C4 (C-G only: thin) and E4 (a C major triad).
    soprano = np.array([72] * 4)
    choices = {
        **held(0, range(4), {60: -0.2, 64: -0.4}),
        **held(1, range(4), {55: -0.1}),
        **held(2, range(4), {48: -0.1}),
    }
    log_probs = model_outputs(4, choices)
    assert list(decode_voices(log_probs, soprano)[0] + LOWEST_PITCH) == [64] * 4
    plain = VoiceLeadingRules(thin=0.0, incomplete=0.0, chord_bonus=())
    assert list(decode_voices(log_probs, soprano, plain)[0] + LOWEST_PITCH) == [60] * 4


def test_a_refinement_that_only_moves_a_fault_next_door_is_refused():
    # Draft: soprano G4 -> C5 over a bass G3 -> E3 (a tenth). The proposal's bass G3 -> C3 would
    # make octaves by contrary motion; its tenor change (C4 -> G3 under C5 and E4, filling the
    # bare C-E into a C major triad) is an improvement and kept.
    def score(tenor: list[int], bass: list[int]) -> Score:
        pitches = np.array([[67] * 4 + [72] * 4, [62] * 4 + [64] * 4, tenor, bass])
        onsets = np.zeros_like(pitches, dtype=bool)
        onsets[:, [0, 4]] = True
        return Score(pitches=pitches, onsets=onsets)

    draft = score([59] * 4 + [60] * 4, [55] * 4 + [52] * 4)
    proposal = score([59] * 4 + [55] * 4, [55] * 4 + [48] * 4)
    kept = keep_sound_changes(draft, proposal)
    assert list(kept.pitches[3]) == list(draft.pitches[3])  # no contrary octaves
    assert list(kept.pitches[2]) == list(proposal.pitches[2])


def test_a_sixteenth_of_silence_is_no_way_around_a_leap():
    # The tenor's favourites: F3, then a 16th of silence, then B3 (a tritone away). Resting
    # between the two notes would hide the leap from its cost; the tenor sounds throughout.
    soprano = np.array([72] * 4 + [71] * 5)
    choices = {
        **held(0, range(9), {67: -0.1}),
        **held(1, range(0, 4), {53: -0.1}),
        **held(1, range(5, 9), {59: -0.1, 55: -0.5}),
        **held(2, range(9), {43: -0.1}),
    }
    log_probs = model_outputs(9, choices)
    log_probs[1, 4, REST_CLASS] = -0.1
    log_probs[1, 4, 53 - LOWEST_PITCH] = -1.0
    loophole = VoiceLeadingRules(incomplete=0, thin=0, silent=0)
    assert decode_voices(log_probs, soprano, loophole)[1, 4] == REST_CLASS
    decoded = decode_voices(log_probs, soprano, VoiceLeadingRules(incomplete=0, thin=0))
    assert REST_CLASS not in decoded[1]
    assert list(decoded[1][5:] + LOWEST_PITCH) == [55] * 4  # and the tritone is not taken
