"""How well each of the 24 keys fits some notes: music21's Krumhansl-Schmuckler key finder.

The notes are weighted by their length. music21's `analyze("key")` builds a Key object, with its
scale, for every one of the 24 candidates (about 40 ms for a tune); the analyser's own `process`
gives the same ranked correlations as plain values in a tenth of the time, which is what an
upload's analysis and the composer's phrase-by-phrase key search need. The finder only sums the
length of each pitch class, so it is handed those twelve sums as twelve notes (2 ms, not 10-15).
"""

from __future__ import annotations

from composer.constants import STEPS_PER_BEAT

Key = tuple[int, str]  # tonic pitch class, mode ("major" or "minor")


def key_fits(notes: list[tuple[int, int, int]]) -> dict[Key, float]:
    """Each key's correlation with the notes (start, end, pitch in 16th-note steps), the best
    first; empty when there are no notes."""
    from music21 import note, stream  # music21 loads slowly: only when a key is wanted
    from music21.analysis.discrete import DiscreteAnalysisException, KrumhanslSchmuckler

    lengths = [0] * 12  # steps per pitch class: all the finder reads of the tune
    for start, end, pitch in notes:
        lengths[pitch % 12] += end - start
    line = stream.Stream()
    for pitch_class, steps in enumerate(lengths):
        if steps > 0:
            line.append(note.Note(60 + pitch_class, quarterLength=steps / STEPS_PER_BEAT))
    finder = KrumhanslSchmuckler()
    try:
        best, _ = finder.process(line, storeAlternatives=True)
    except DiscreteAnalysisException:
        return {}
    fits: dict[Key, float] = {}
    for tonic, mode, coefficient in [best, *finder.alternativeSolutions]:
        fits.setdefault((tonic.pitchClass, mode), float(coefficient))
    return fits
