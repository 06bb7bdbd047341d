"""MIDI files in and out: byte-level census, four-voice scores, and a user's melody."""
