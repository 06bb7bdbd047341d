"""Finished demo pieces made without the models: a Bach chorale as MIDI, its opening played as a
composed piece is (FluidSynth, mastered, WAV and MP3; soft sine tones in a WAV where FluidSynth
is missing), its piano roll and metrics. Only torch-free composer modules."""

from __future__ import annotations

import io
import wave
from functools import lru_cache
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
from django.core.files.base import ContentFile
from django.utils import timezone

from arena.accounts.models import User
from arena.events.models import Team
from arena.jobs.models import Job, JobKind, JobStatus
from arena.submissions.models import ComposerModel, Composition, Melody, MelodySource, Style

SAMPLE_RATE = 22_050
AUDIO_SECONDS = 12.0  # enough to listen to in the demo, small enough to seed quickly


def _wav(score) -> bytes:  # type: ignore[no-untyped-def]
    """The four voices as soft sine tones, mono 16-bit."""
    from composer.constants import REST, STEPS_PER_BEAT

    step_s = 60.0 / score.tempo_bpm / STEPS_PER_BEAT
    total = int(AUDIO_SECONDS * SAMPLE_RATE)
    signal = np.zeros(total)
    for voice in range(score.n_voices):
        for start, end, pitch in score.notes(voice):
            if pitch == REST:
                continue
            a = int(start * step_s * SAMPLE_RATE)
            if a >= total:
                break
            b = min(total, int(end * step_s * SAMPLE_RATE))
            t = np.arange(b - a) / SAMPLE_RATE
            freq = 440.0 * 2 ** ((pitch - 69) / 12)
            signal[a:b] += np.sin(2 * np.pi * freq * t) * np.exp(-2.5 * t)
    signal *= 0.5 / max(1e-9, np.abs(signal).max())
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((signal * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def _played(score) -> tuple[bytes, bytes | None]:  # type: ignore[no-untyped-def]
    """The score's first AUDIO_SECONDS as the baroque style plays a statement (composer.render):
    WAV and MP3; the sine-tone WAV alone where audio cannot be rendered here."""
    from composer.compose.form import Section
    from composer.constants import STEPS_PER_BEAT
    from composer.render.audio import RenderError, render_track
    from composer.render.instrumentation import perform

    steps = min(score.n_steps, int(AUDIO_SECONDS * score.tempo_bpm / 60 * STEPS_PER_BEAT))
    opening = score.with_pitches(score.pitches[:, :steps], score.onsets[:, :steps])
    midi = perform(opening, [Section("statement", 0, steps)], style="baroque")
    with TemporaryDirectory(prefix="demo-audio-") as folder:
        wav, mp3 = Path(folder) / "piece.wav", Path(folder) / "piece.mp3"
        try:
            render_track(midi, wav, copies=(mp3,))
        except RenderError:
            return _wav(score), None
        return wav.read_bytes(), mp3.read_bytes()


@lru_cache(maxsize=8)  # the same chorale renders the same files: once per process
def _rendered(
    chorale: str,
) -> tuple[bytes, bytes, tuple[bytes, bytes | None], bytes, bytes, dict, dict]:
    from composer.data.chorales import load_chorales
    from composer.metrics import jsonable, piece_metrics
    from composer.midi.io import score_to_midi, write_midi
    from composer.render.notation import write_musicxml
    from composer.render.roll import render_roll
    from composer.theory import key_name

    score = load_chorales("valid", names=[chorale])[0]
    melody = io.BytesIO()
    score_to_midi(score.with_pitches(score.pitches[:1], score.onsets[:1])).write(melody)
    with TemporaryDirectory(prefix="demo-entry-") as folder:
        midi = write_midi(score, Path(folder) / "piece.mid").read_bytes()
        roll = render_roll(score, Path(folder) / "roll.png", title=chorale).read_bytes()
        sheet = write_musicxml(score, Path(folder) / "score.musicxml", title=chorale).read_bytes()
    facts = {
        "bars": -(-score.n_steps // score.steps_per_bar),
        "notes": len(score.notes(0)),
        "key": key_name(score.tonic, score.mode),
        "meter": f"{score.meter[0]}/{score.meter[1]}",
        "tempo_bpm": float(score.tempo_bpm),
    }
    return (
        melody.getvalue(),
        midi,
        _played(score),
        roll,
        sheet,
        jsonable(piece_metrics(score)),
        facts,
    )


def demo_entry_create(*, team: Team, user: User, chorale: str) -> Composition:
    """A finished composition, chosen as the team's entry, from one of Bach's chorales."""
    melody_midi, midi, audio, roll, sheet, metrics, facts = _rendered(chorale)
    melody = Melody(
        team=team,
        uploaded_by=user,
        title=f"Chorale {chorale.split('/')[-1]}",
        source=MelodySource.UPLOAD,
        **facts,
    )
    melody.midi.save("melody.mid", ContentFile(melody_midi), save=False)
    melody.save()
    job = Job.objects.create(
        kind=JobKind.COMPOSE,
        status=JobStatus.DONE,
        queue="gpu",
        progress=1.0,
        created_by=user,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    composition = Composition.objects.create(
        melody=melody,
        team=team,
        created_by=user,
        job=job,
        model=ComposerModel.BACH,  # seeded from Bach's own voices, and labelled so
        style=Style.BAROQUE,
        seconds=int(AUDIO_SECONDS),
        metrics=metrics,
        is_entry=True,
    )
    composition.midi.save("piece.mid", ContentFile(midi), save=False)
    wav, mp3 = audio
    composition.audio.save("piece.wav", ContentFile(wav), save=False)
    if mp3 is not None:
        composition.audio_compressed.save("piece.mp3", ContentFile(mp3), save=False)
    composition.roll.save("roll.png", ContentFile(roll), save=False)
    composition.sheet_music.save("score.musicxml", ContentFile(sheet), save=False)
    composition.save(update_fields=["midi", "audio", "audio_compressed", "roll", "sheet_music"])
    return composition
