"""composer's refusals of a melody file, said in plain words for the people who uploaded it.

composer speaks to developers ("a MIDI file starts with 'MThd'", "SMPTE"); the site and the API
translate at their boundary, so a participant reads what to do next.
"""

from __future__ import annotations

import re

# (pattern of composer's message, what a participant reads); the first that matches wins.
PLAIN_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"not a MIDI file", re.I),
        "this file is not a MIDI file. Choose a file saved as MIDI (.mid or .midi) — most music "
        "programs have “Export as MIDI”",
    ),
    (
        re.compile(r"SMPTE|video frames", re.I),
        "this MIDI file counts time in video frames instead of beats. Export it again from your "
        "music program with a tempo (beats per minute)",
    ),
    (
        re.compile(r"header gives type|damaged|truncated", re.I),
        "this MIDI file is damaged or incomplete and cannot be read. Export it again, or try "
        "another file",
    ),
    (
        re.compile(r"type 2", re.I),
        "this MIDI file is of a kind (type 2) that is rarely used. Save it as a standard MIDI "
        "file (type 0 or 1)",
    ),
)


def input_error_in_words(message: str) -> str:
    """What to tell a participant for composer's InputError `message`."""
    for pattern, words in PLAIN_WORDS:
        if pattern.search(message):
            return words
    return message
