"""Music theory's names and scales, in one place: pitch and key names spelled as a musician
writes them, and the pitch classes of a key's scale."""

from __future__ import annotations

SHARP_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
# Tonics as key signatures spell them: minor keys up to G#/C#/F# minor, major up to F#, with
# the enharmonic of fewer accidentals otherwise (Db major, not C# major; Eb minor is rare).
MINOR_TONIC_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")
MAJOR_TONIC_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")

MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
# Natural, harmonic and melodic minor together: the raised 6th and 7th are as much "in the key"
# as the lowered ones in Bach's minor-mode chorales.
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 9, 10, 11)


def prefers_flats(tonic: int, mode: str) -> bool:
    """Keys written with flats: F, Bb, Eb, Ab, Db major and their relative minors."""
    major_tonic = (tonic + 3) % 12 if mode == "minor" else tonic
    return major_tonic in (5, 10, 3, 8, 1)


def pitch_name(pitch: int, flats: bool = False) -> str:
    """A MIDI pitch in scientific notation: 60 -> "C4", 68 -> "G#4" (or "Ab4" with flats)."""
    names = FLAT_NAMES if flats else SHARP_NAMES
    return f"{names[pitch % 12]}{pitch // 12 - 1}"


def tonic_name(tonic: int, mode: str) -> str:
    return (MINOR_TONIC_NAMES if mode == "minor" else MAJOR_TONIC_NAMES)[tonic % 12]


def key_name(tonic: int, mode: str) -> str:
    """The key in words: (8, "minor") -> "G# minor", (8, "major") -> "Ab major"."""
    return f"{tonic_name(tonic, mode)} {mode}"


def scale_pitch_classes(tonic: int, mode: str) -> frozenset[int]:
    """The key's scale: major, or for minor the union of natural, harmonic and melodic minor."""
    steps = MINOR_SCALE if mode == "minor" else MAJOR_SCALE
    return frozenset((tonic + s) % 12 for s in steps)
