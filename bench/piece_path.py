"""One piece's path through a real worker, stage by stage: `python -m bench piece_path`.

Starts PostgreSQL, Redis and the object store on loopback (as `bench scale` does) and one worker
with ARENA_STORAGE=s3, queues a piece on a fresh worker (its models load) and then the same
piece again (models loaded), and prints how long each stage took, from the times of the
worker's progress messages (the `stages` of the compose job's result, tasks.compose) and the
job's own times: the message (queued until a worker starts it), reading the melody, model
load, form, harmonize, refine, each variation's embellishment, the finish, the rendering
(MIDI, audio and MP3, roll, MusicXML) and storing the files. A second table splits the rendering,
timed here in this process on the same piece, since composer reports it as one stage.

PIECE_SECONDS (default 60), PIECE_MODEL (default hybrid), PIECE_STYLE (default baroque).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import psycopg

from bench.scale import (
    PLACES,
    ROOT,
    SEED,
    device_used,
    manage,
    pieces_queue,
    services_start,
    worker_env,
    worker_start,
    workers_ready,
)
from bench.table import print_table

# What the interval that begins at each progress message does (each message says its stage as
# the stage begins).
BEGINS = {
    "reading the melody": "read the melody (storage), import the harmonizers",
    "loading the models": "load the models (cached after the first piece), plan the form",
    "form:": "(the form announced)",
    "harmonizing": "harmonize",
    "refining": "refine",
    "embellishing": "embellish",
    "closing cadence": "finish: cadence, full harmony, metrics, summary",
    "done": "(between composing and rendering)",
    "rendering audio": "render: MIDI, audio + MP3, roll, MusicXML, section audits",
    "saving": "store the files (storage API)",
}


def _label(message: str) -> str:
    for start, label in BEGINS.items():
        if message.startswith(start):
            return (
                f"{label} [{message}]"
                if start in ("harmonizing", "refining", "embellishing")
                else label
            )
    return message


def _piece(database: str, job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 900
    with psycopg.connect(database, autocommit=True) as db:
        while time.monotonic() < deadline:
            status, error, result, created, started, finished = db.execute(
                "SELECT status, error, result, created_at, started_at, finished_at FROM jobs_job "
                "WHERE id = %s",
                (job_id,),
            ).fetchone()
            if status == "failed":
                raise RuntimeError(f"the piece failed: {error}")
            if status == "done":
                return {
                    "message": (started - created).total_seconds(),
                    "job": (finished - started).total_seconds(),
                    "total": (finished - created).total_seconds(),
                    "stages": result["stages"],
                }
            time.sleep(0.05)
    raise RuntimeError("the piece was not done in 15 minutes")


def _warm_up_seconds(log: Path) -> float:
    """How long the worker took to get ready to compose (tasks.warm_up), from its log."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        found = re.search(r"worker ready to compose in ([0-9.]+) s", text)
        if found:
            return float(found.group(1))
        time.sleep(0.2)
    raise RuntimeError("the worker did not get ready to compose in 5 minutes")


def _intervals(piece: dict[str, Any]) -> list[tuple[str, float]]:
    rows = [("message: queued until a worker starts it", piece["message"])]
    stages = piece["stages"]
    rows.append(("waiting for the worker's warm-up", stages[0]["at"]))
    for before, after in pairwise(stages):  # the last mark, "stored", ends the saving
        rows.append((_label(before["message"]), after["at"] - before["at"]))
    rows.append(("the job's bookkeeping (result, next dispatch)", piece["job"] - stages[-1]["at"]))
    return rows


def _render_split(seconds: int, model: str, style: str) -> list[list[object]]:
    """The rendering's parts, each timed on one piece composed in this process."""
    code = f"""
import json, time
from pathlib import Path
from composer.compose.pipeline import compose
from composer.data.samples import sample_melodies
from composer.midi.melody import extract_melody
from composer.render.notation import write_musicxml
from composer.render.outputs import performance
from composer.metrics.bach_audit import section_audits
from composer.render.piece import model_choice
from composer.render.roll import render_roll
sample = next(s for s in sample_melodies() if s.slug == "ode-to-joy")
melody = extract_melody(sample.path).score
piece = compose(melody, seconds={seconds}, style={style!r}, **model_choice({model!r}, "cpu"))
out, times = Path({tempfile.mkdtemp(prefix="piece-path-")!r}), {{}}
def timed(name, work):
    began = time.perf_counter(); work(); times[name] = time.perf_counter() - began
midi = performance(piece)
timed("MIDI (performance + file)", lambda: performance(piece).write(str(out / "p.mid")))
from composer.render.audio import (SYNTH_GAIN, SYNTH_PROCESSES, encode, find_soundfont, master,
    synthesize, write_wav)
font = find_soundfont()
raw = []
timed(f"audio: FluidSynth ({{font.name}}, {{SYNTH_PROCESSES}} processes at once)",
      lambda: raw.append(synthesize(midi, font, SYNTH_GAIN)))
mastered = []
timed("audio: mastering (loudness, limiter)", lambda: mastered.append(master(raw[0])[0]))
timed("audio: WAV file", lambda: write_wav(mastered[0], out / "p.wav"))
timed("audio: MP3 (lame)", lambda: encode(out / "p.wav", out / "p.mp3", "t"))
timed("piano roll PNG", lambda: render_roll(piece.score, out / "r.png", title="t",
      marked=piece.embellished, sections=[(s.kind, s.start) for s in piece.sections]))
timed("MusicXML", lambda: write_musicxml(piece.score, out / "s.musicxml", title="t"))
timed("section audits", lambda: section_audits(piece.score,
      [(s.kind, s.start, s.end) for s in piece.sections]))
from composer.render.outputs import write_composition
timed("all of it as the worker writes it (the audio beside the roll and score)",
      lambda: write_composition(piece, out / "w.mid", audio=out / "w.wav",
      audio_copies=(out / "w.mp3",), roll=out / "w.png", sheet_music=out / "w.musicxml"))
print(json.dumps(times))
"""
    env = dict(os.environ, OMP_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    times = json.loads(out.strip().splitlines()[-1])
    return [[name, round(value, 3)] for name, value in times.items()]


def main() -> None:
    seconds = int(os.environ.get("PIECE_SECONDS", "60"))
    model = os.environ.get("PIECE_MODEL", "hybrid")
    style = os.environ.get("PIECE_STYLE", "baroque")
    services = services_start()
    home = Path(tempfile.mkdtemp(prefix="arena-piece-path-"))
    process = None
    try:
        env = worker_env(services, 1)
        env.pop("OMP_NUM_THREADS")  # one worker: torch takes every core, as `make demo` does
        manage(env, "flush", "--no-input")
        manage(env, "migrate", "--no-input")
        seed = json.loads(manage(env, "shell", "-c", SEED).split("\n")[-2])
        process = worker_start(env, "path", home)
        workers_ready([home], [process])
        warm_up = _warm_up_seconds(home / "worker.log")
        pieces = []
        for _ in ("first", "next"):
            (job_id,) = pieces_queue(env, seed, 1, seconds, model)
            pieces.append(_piece(env["DATABASE_URL"], job_id))
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
        subprocess.run(
            ["scripts/services.sh", "stop"], cwd=ROOT, env=dict(os.environ, **PLACES), check=False
        )
    first, then = (_intervals(p) for p in pieces)
    rows: list[list[object]] = [
        [name, round(a, 3), round(b, 3)] for (name, a), (_, b) in zip(first, then, strict=True)
    ]
    rows.append(["total: queued to done", *(round(p["total"], 2) for p in pieces)])
    print_table(
        f"One {seconds} s piece ({model}, {style}) through a worker on {device_used(env)}, "
        f"{os.cpu_count()} cores, S3 storage; seconds per stage",
        ["stage", "first piece (s)", "next piece (s)"],
        rows,
    )
    print(f"\nThe worker got ready to compose (imports, models, a short piece) in {warm_up:.1f} s.")
    print_table(
        "The rendering's parts, timed in one process on the same piece",
        ["part", "seconds"],
        _render_split(seconds, model, style),
    )


if __name__ == "__main__":
    main()
