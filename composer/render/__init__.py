"""A composed piece as files: its MIDI performance, audio, piano roll and sheet music."""
