"""The fixed facts of the representation (DESIGN §3): grid, voices and pitch range."""

STEPS_PER_BEAT = 4  # 16th-note grid: a quarter-note beat holds four steps
VOICES = ("soprano", "alto", "tenor", "bass")
N_VOICES = len(VOICES)
LOWEST_PITCH = 36  # C2
HIGHEST_PITCH = 81  # A5
N_PITCHES = HIGHEST_PITCH - LOWEST_PITCH + 1  # 46, Coconet's range
REST = -1  # a voice's value at a step where it is silent

# Comfortable written ranges of the four voices (MIDI), used for octave placement and range checks.
VOICE_RANGES = {
    "soprano": (60, 81),
    "alto": (53, 74),
    "tenor": (48, 69),
    "bass": (36, 64),
}
