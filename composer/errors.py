"""The one error type for bad input: the CLI prints it as one line (exit 2), the API as a 400."""


class InputError(ValueError):
    """The user's input (a MIDI file, a melody, an option) cannot be used; the message says why."""
