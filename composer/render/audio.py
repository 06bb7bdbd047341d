"""MIDI to a WAV file with FluidSynth and a General MIDI soundfont, peak-normalised below −1 dBFS.

FluidSynth is run as a command (`fluidsynth -ni -F out.wav ...`), not through bindings, so a crash
in the synthesizer cannot take the worker down and nothing but the Debian package is needed. The
soundfont is `COMPOSER_SOUNDFONT` when set, else the first of SOUNDFONT_CANDIDATES that exists.
After rendering, the samples are scaled so that the loudest one sits just under −1 dBFS: loud
enough to compare pieces by ear, with headroom so that lossy encoders never clip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np

SAMPLE_RATE = 44_100
PEAK_DBFS = -1.1  # a little under −1 dBFS, so rounding to 16 bits cannot reach it
SOUNDFONT_DIR = Path("/usr/share/sounds/sf2")
SOUNDFONT_CANDIDATES = ("FluidR3_GM.sf2", "TimGM6mb.sf2")
RENDER_TIMEOUT_S = 300

# General MIDI programs per voice (soprano, alto, tenor, bass) for the styles users choose from.
STYLE_PROGRAMS: dict[str, tuple[int, int, int, int]] = {
    # Strings over a harpsichord continuo: violin, viola, cello, harpsichord.
    "baroque": (40, 41, 42, 6),
    # The same counterpoint in space: celesta, choir, warm pad, new-age pad.
    "space": (8, 52, 89, 88),
}


class RenderError(RuntimeError):
    """Audio cannot be rendered here (no FluidSynth, no soundfont, a failed render)."""


def find_soundfont() -> Path:
    """The soundfont to use; RenderError saying how to get one when there is none."""
    chosen = os.environ.get("COMPOSER_SOUNDFONT")
    if chosen:
        path = Path(chosen)
        if not path.is_file():
            raise RenderError(f"COMPOSER_SOUNDFONT names no file: {path}")
        return path
    for name in SOUNDFONT_CANDIDATES:
        path = SOUNDFONT_DIR / name
        if path.is_file():
            return path
    raise RenderError(
        f"no General MIDI soundfont in {SOUNDFONT_DIR} (install the Debian package"
        " fluid-soundfont-gm or timgm6mb-soundfont, or set COMPOSER_SOUNDFONT)"
    )


def _fluidsynth() -> str:
    path = shutil.which("fluidsynth")
    if path is None:
        raise RenderError("FluidSynth is not installed (Debian package fluidsynth)")
    return path


def render_wav(
    midi_path: str | Path,
    wav_path: str | Path,
    *,
    soundfont: str | Path | None = None,
    sample_rate: int = SAMPLE_RATE,
    peak_dbfs: float = PEAK_DBFS,
) -> Path:
    """Render `midi_path` to a 16-bit stereo WAV at `wav_path`, normalised; returns the path."""
    font = Path(soundfont) if soundfont else find_soundfont()
    out = Path(wav_path)
    command = [
        _fluidsynth(),
        "-ni",  # no shell, no MIDI input: render the file and exit
        "-q",
        "-T",
        "wav",
        "-O",
        "s16",
        "-F",
        str(out),
        "-r",
        str(sample_rate),
        str(font),
        str(midi_path),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"FluidSynth took longer than {RENDER_TIMEOUT_S} s") from exc
    if done.returncode != 0 or not out.is_file() or out.stat().st_size <= 44:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise RenderError(f"FluidSynth failed: {detail[-1] if detail else done.returncode}")
    normalise_peak(out, peak_dbfs=peak_dbfs)
    return out


def normalise_peak(path: str | Path, *, peak_dbfs: float = PEAK_DBFS) -> float:
    """Scale a 16-bit WAV in place so its peak is `peak_dbfs`; returns the new peak in dBFS.

    Silence stays silence (−inf).
    """
    with wave.open(str(path), "rb") as reader:
        params = reader.getparams()
        if params.sampwidth != 2:
            raise RenderError(f"expected 16-bit samples, got {8 * params.sampwidth}-bit")
        samples = np.frombuffer(reader.readframes(params.nframes), dtype="<i2")
    peak = int(np.abs(samples.astype(np.int32)).max()) if samples.size else 0
    if peak == 0:
        return float("-inf")
    target = 32767 * 10 ** (peak_dbfs / 20)
    scaled = np.clip(np.round(samples * (target / peak)), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as writer:
        writer.setparams(params)
        writer.writeframes(scaled.tobytes())
    return peak_dbfs_of(scaled)


def peak_dbfs_of(samples: np.ndarray) -> float:
    """Peak level of 16-bit samples in dBFS (0 dBFS = full scale)."""
    peak = float(np.abs(samples.astype(np.int32)).max()) if samples.size else 0.0
    return 20 * np.log10(peak / 32768) if peak else float("-inf")


def wav_peak_dbfs(path: str | Path) -> float:
    """Peak level of a 16-bit WAV file in dBFS."""
    with wave.open(str(path), "rb") as reader:
        return peak_dbfs_of(np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2"))
