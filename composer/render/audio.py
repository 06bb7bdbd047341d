"""A performance (PrettyMIDI) to finished audio files: WAV, FLAC or MP3, one pipeline for all.

FluidSynth renders it at 44.1 kHz with its reverb (and its chorus, when a part sends to it),
through a General MIDI soundfont: `COMPOSER_SOUNDFONT` when set, else the first of
SOUNDFONT_CANDIDATES installed (FluidR3 when there, else the small TimGM6mb). A few seconds of
tail let the last chord and the reverb ring out, then fade. The result is normalised to a
loudness of -16 LUFS (ITU-R BS.1770: K-weighted, gated; pyloudnorm measures it), unless that
would lift the peak above -1.5 dBFS, in which case the peak sets the gain: no clipping, and
headroom for lossy encoders. FLAC and MP3 come from the Debian `flac` and `lame` encoders. Every
tool runs as a command, so a crash in the synthesizer cannot take the worker down.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import tempfile
import time
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pretty_midi
import pyloudnorm

SAMPLE_RATE = 44_100
SOUNDFONT_DIR = Path("/usr/share/sounds/sf2")
SOUNDFONT_CANDIDATES = ("FluidR3_GM.sf2", "TimGM6mb.sf2")
RENDER_TIMEOUT_S = 300
TARGET_LUFS = -16.0
CEILING_DBFS = -1.5
TAIL_SECONDS = 3.0
MP3_KBPS = 160  # 1.2 MB a minute: what the page plays
FADE_SECONDS = 1.0
SYNTH_GAIN = 0.5
SYNTH_PROCESSES = 2  # FluidSynth processes that render a performance's parts at once
FORMATS = (".wav", ".flac", ".mp3")


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


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RenderError(f"{name} is not installed (Debian package {package})")
    return path


def _run(command: list[str], what: str) -> None:
    _run_together([command], what)


def _run_together(commands: Sequence[list[str]], what: str) -> None:
    """Run the commands at once (each on a core of its own) and wait for all of them, at most
    RENDER_TIMEOUT_S for the lot."""
    deadline = time.monotonic() + RENDER_TIMEOUT_S
    running = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    try:
        outputs = [
            process.communicate(timeout=max(0.0, deadline - time.monotonic()))
            for process in running
        ]
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"{what} took longer than {RENDER_TIMEOUT_S} s") from exc
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()
    for process, (stdout, stderr) in zip(running, outputs, strict=True):
        if process.returncode != 0:
            detail = (stderr or stdout).strip().splitlines()
            raise RenderError(f"{what} failed: {detail[-1] if detail else process.returncode}")


def part_groups(
    instruments: Sequence[pretty_midi.Instrument], groups: int
) -> list[list[pretty_midi.Instrument]]:
    """The parts dealt into at most `groups` sets of about as many notes each (synthesis costs
    by the note), the busiest part first; no set is empty."""
    sets: list[list[pretty_midi.Instrument]] = [[] for _ in range(max(1, groups))]
    notes = [0] * len(sets)
    for part in sorted(instruments, key=lambda i: len(i.notes), reverse=True):
        lightest = notes.index(min(notes))
        sets[lightest].append(part)
        notes[lightest] += len(part.notes)
    return [s for s in sets if s]


def synthesize(
    midi: pretty_midi.PrettyMIDI,
    soundfont: Path,
    gain: float,
    processes: int = SYNTH_PROCESSES,
) -> np.ndarray:
    """FluidSynth's stereo rendering as float32 (frames, 2), full scale 1.0 and never clipped,
    with a tail after the last note.

    The parts are dealt among `processes` FluidSynth processes that render at once, and their
    outputs summed: the synthesizer, its reverb and its chorus are linear, so the sum is the
    whole ensemble's rendering (to float rounding), in about half the time on two cores."""
    end = midi.get_end_time() + TAIL_SECONDS
    # The chorus unit only where a part sends to it (CC93): the baroque style sends nothing,
    # and rendering a silent chorus costs a quarter of the synthesis.
    chorus = any(
        change.number == 93 and change.value > 0
        for instrument in midi.instruments
        for change in instrument.control_changes
    )
    groups = part_groups(midi.instruments, processes) or [[]]
    with tempfile.TemporaryDirectory() as tmp:
        commands, outputs = [], []
        for n, parts in enumerate(groups):
            mid, raw = Path(tmp) / f"part{n}.mid", Path(tmp) / f"part{n}.raw"
            _write_part(midi, parts, end, mid)
            commands.append(
                [
                    _tool("fluidsynth", "fluidsynth"),
                    *("-ni", "-q", "-R", "1", "-C", "1" if chorus else "0", "-g", f"{gain:g}"),
                    *("-o", "synth.reverb.room-size=0.7", "-o", "synth.reverb.level=0.6"),
                    *("-T", "raw", "-O", "float", "-r", str(SAMPLE_RATE), "-F", str(raw)),
                    # Blocks of 1024 frames to the file, not 64: a tenth of the system calls,
                    # the same samples (events are timed within the block).
                    *("-z", "1024"),
                    str(soundfont),
                    str(mid),
                ]
            )
            outputs.append(raw)
        _run_together(commands, "FluidSynth")
        rendered = [np.fromfile(raw, dtype="<f4").reshape(-1, 2) for raw in outputs]
    frames = max(r.shape[0] for r in rendered)
    mix = np.zeros((frames, 2), dtype=np.float32)
    for part in rendered:
        mix[: part.shape[0]] += part
    return mix


def _write_part(
    midi: pretty_midi.PrettyMIDI, parts: list[pretty_midi.Instrument], end: float, path: Path
) -> None:
    """A MIDI file of some of the performance's parts, with its tempo map and an inaudible
    controller event at `end` that makes FluidSynth render the tail (the same length for every
    set of parts). The performance itself is left as it was."""
    holder = copy.copy(parts[0]) if parts else pretty_midi.Instrument(program=0)
    holder.control_changes = [*holder.control_changes, pretty_midi.ControlChange(11, 100, end)]
    some = copy.copy(midi)
    some.instruments = [holder, *parts[1:]]
    some.write(str(path))


def loudness_lufs(samples: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """Integrated loudness (LUFS) of float samples (frames, channels) in [-1, 1]: ITU-R BS.1770-4
    as pyloudnorm measures it (K-weighted, 400 ms blocks, gated); -inf for silence or a clip
    shorter than one block."""
    if samples.shape[0] < int(0.4 * rate) or not np.any(samples):
        return float("-inf")
    with np.errstate(divide="ignore"):
        return float(pyloudnorm.Meter(rate).integrated_loudness(samples))


def master(samples: np.ndarray, rate: int = SAMPLE_RATE) -> tuple[np.ndarray, float, float]:
    """Samples (float at full scale 1.0, or int16) normalised to TARGET_LUFS under CEILING_DBFS
    as int16, the tail faded; returns the new samples, their loudness (LUFS) and peak (dBFS)."""
    # float32: half the memory of float64 for a minute of stereo, and exact for 16-bit samples.
    audio = samples.astype(np.float32)
    if np.issubdtype(samples.dtype, np.integer):
        audio /= 32768.0
    fade = min(len(audio), int(FADE_SECONDS * rate))
    if fade:
        audio[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)[:, None]
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    if peak == 0.0:
        return np.zeros(audio.shape, dtype="<i2"), float("-inf"), float("-inf")
    loudness = loudness_lufs(audio, rate)
    gain = 10 ** ((TARGET_LUFS - loudness) / 20) if np.isfinite(loudness) else 1.0
    gain = min(gain, 10 ** (CEILING_DBFS / 20) / peak)
    scaled = audio * np.float32(gain * 32768.0)  # one new array, rounded and clipped in place
    np.rint(scaled, out=scaled)
    np.clip(scaled, -32768, 32767, out=scaled)
    out = scaled.astype("<i2")
    new_peak = 20 * np.log10(float(np.abs(scaled).max()) / 32768.0)
    # Loudness scales with the gain (nothing clips under the ceiling): no second measurement.
    return out, loudness + 20 * np.log10(gain), new_peak


def write_wav(samples: np.ndarray, path: Path, rate: int = SAMPLE_RATE) -> None:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(samples.shape[1])
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(np.ascontiguousarray(samples).tobytes())


def encode(wav: Path, out: Path, title: str = "") -> None:
    """WAV to FLAC (lossless, best compression) or MP3 (LAME, a constant MP3_KBPS: the page's
    audio stays under 1.5 MB a minute whatever the music; VBR at -V 2 went past it)."""
    suffix = out.suffix.lower()
    if suffix == ".flac":
        tags = ["-T", f"TITLE={title}"] if title else []
        _run([_tool("flac", "flac"), "-s", "-f", "--best", *tags, "-o", str(out), str(wav)], "flac")
    elif suffix == ".mp3":
        tags = ["--tt", title] if title else []
        # LAME's fast algorithm quality (7: its psychoacoustics, no noise shaping) encodes a
        # minute in about half a second, a third of the time of -q 5, and at this bitrate sounds
        # the same for the page's preview; the WAV stays the lossless download.
        rate = ["-b", str(MP3_KBPS), "--cbr", "-q", "7", "--noreplaygain"]
        _run([_tool("lame", "lame"), "--quiet", *rate, *tags, str(wav), str(out)], "lame")
    else:
        raise ValueError(f"cannot encode {suffix}; formats: {', '.join(FORMATS)}")


def render_track(
    midi: pretty_midi.PrettyMIDI,
    path: str | Path,
    *,
    copies: Sequence[str | Path] = (),
    soundfont: str | Path | None = None,
    title: str = "",
) -> dict[str, float]:
    """Render, master and write `path` (.wav, .flac or .mp3), and each of `copies` (other formats
    of the same master, e.g. an MP3 for the page beside the WAV download); returns the loudness
    (LUFS), peak (dBFS) and length (s)."""
    outs = [Path(path), *map(Path, copies)]
    for out in outs:
        if out.suffix.lower() not in FORMATS:
            raise ValueError(f"audio must be one of {', '.join(FORMATS)}, not {out.name}")
    font = Path(soundfont) if soundfont else find_soundfont()
    mastered, loudness, peak = master(synthesize(midi, font, SYNTH_GAIN))
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "master.wav"
        write_wav(mastered, wav)
        for out in outs:
            if out.suffix.lower() == ".wav":
                shutil.copyfile(wav, out)
            else:
                encode(wav, out, title)
    return {"loudness_lufs": loudness, "peak_dbfs": peak, "seconds": len(mastered) / SAMPLE_RATE}


def render_midi_file(midi_path: str | Path, audio_path: str | Path) -> Path:
    """A MIDI file on disk rendered to `audio_path` through the same pipeline; returns the path."""
    render_track(pretty_midi.PrettyMIDI(str(midi_path)), audio_path)
    return Path(audio_path)


def peak_dbfs_of(samples: np.ndarray) -> float:
    """Peak level of 16-bit samples in dBFS (0 dBFS = full scale)."""
    peak = float(np.abs(samples.astype(np.int32)).max()) if samples.size else 0.0
    return 20 * np.log10(peak / 32768) if peak else float("-inf")


def wav_peak_dbfs(path: str | Path) -> float:
    """Peak level of a 16-bit WAV file in dBFS."""
    with wave.open(str(path), "rb") as reader:
        return peak_dbfs_of(np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2"))
