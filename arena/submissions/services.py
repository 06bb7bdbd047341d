"""Writes on melodies and compositions.

Melodies are extracted in the web process (composer.midi.melody is light: mido, pretty_midi, numpy);
compositions run as `compose` jobs on the `gpu` queue. Nothing here imports torch.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction

from arena.accounts.models import User
from arena.events.limits import TeamLimitReached
from arena.events.models import Event, Phase, Team
from arena.events.selectors import team_member_require
from arena.jobs.models import Job, JobKind, JobStatus
from arena.jobs.services import job_create
from arena.submissions.editor_melody import editor_melody_midi, editor_melody_parse
from arena.submissions.models import ComposerModel, Composition, Melody, MelodySource, Style
from arena.training.models import TrainingRun
from arena.training.selectors import team_model_list
from composer.data.samples import sample_melodies
from composer.errors import InputError
from composer.midi.io import score_to_midi
from composer.midi.melody import MAX_FILE_BYTES, ExtractedMelody, extract_melody
from composer.theory import key_name

log = logging.getLogger(__name__)
RISK_RANGE = (0.1, 2.0)  # creative risk is a sampling temperature
SECONDS_RANGE = (10, 180)
MAX_SEED = 2**31 - 1
MELODY_PHASES = (Phase.REGISTRATION, Phase.COMPOSING)
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class QuotaExceeded(TeamLimitReached):
    """The team already has as many pieces in the queue as it may."""


def _team_quota() -> int:
    return int(getattr(settings, "ARENA_TEAM_ACTIVE_JOBS", 2))


def _require_phase(*, event: Event, phases: tuple[str, ...], doing: str) -> None:
    if event.phase not in phases:
        raise ValidationError(
            f"{doing} is not possible now: {event.name} is in its {event.get_phase_display()} "
            "phase."
        )


# Melodies ---------------------------------------------------------------------------------------


def _melody_save(
    *, team: Team, user: User | None, title: str, source: str, extracted: ExtractedMelody
) -> Melody:
    """Store the extracted one-voice melody as MIDI with what composer made of it."""
    score = extracted.score
    buffer = io.BytesIO()
    score_to_midi(score).write(buffer)
    melody = Melody(
        team=team,
        uploaded_by=user,
        title=title[:120],
        source=source,
        bars=extracted.bars,
        notes=extracted.notes,
        key=key_name(score.tonic, score.mode),
        meter=f"{score.meter[0]}/{score.meter[1]}",
        tempo_bpm=round(float(score.tempo_bpm), 1),
        warnings=list(extracted.warnings),
    )
    melody.midi.save("melody.mid", ContentFile(buffer.getvalue()), save=False)
    try:
        melody.save()
    except Exception:
        melody.midi.delete(save=False)  # nothing stored half-way
        raise
    return melody


def upload_size_error(size: int) -> str | None:
    """The message for an upload over composer's size limit, checked before reading it."""
    if size <= MAX_FILE_BYTES:
        return None
    return (
        f"The file is {size / 2**20:.1f} MB; a melody file may be at most "
        f"{MAX_FILE_BYTES // 2**20} MB."
    )


def melody_create_from_upload(
    *, team: Team, user: User, data: bytes, filename: str, title: str = ""
) -> Melody:
    """A melody from an uploaded MIDI file; InputError (and nothing stored) for a bad file."""
    team_member_require(team=team, user=user)
    _require_phase(event=team.event, phases=MELODY_PHASES, doing="Adding a melody")
    if error := upload_size_error(len(data)):
        raise InputError(error)
    stem = Path(filename).stem or "melody"
    extracted = extract_melody(data, name=stem)
    return _melody_save(
        team=team,
        user=user,
        title=title.strip() or stem,
        source=MelodySource.UPLOAD,
        extracted=extracted,
    )


def melody_create_from_sample(*, team: Team, user: User, slug: str) -> Melody:
    """A melody from one of the sample tunes (composer.data.samples)."""
    team_member_require(team=team, user=user)
    _require_phase(event=team.event, phases=MELODY_PHASES, doing="Adding a melody")
    sample = next((s for s in sample_melodies() if s.slug == slug), None)
    if sample is None:
        raise ValidationError(f"There is no sample melody {slug!r}.")
    extracted = extract_melody(sample.path, name=sample.slug)
    return _melody_save(
        team=team, user=user, title=sample.title, source=MelodySource.SAMPLE, extracted=extracted
    )


def melody_create_from_notes(
    *, team: Team, user: User, notes: object, meter: object, tempo: object, title: str = ""
) -> Melody:
    """A melody entered in the editor: its notes are checked (ValidationError), written as a MIDI
    file and read back like an upload (InputError), so the same limits and warnings apply."""
    team_member_require(team=team, user=user)
    _require_phase(event=team.event, phases=MELODY_PHASES, doing="Adding a melody")
    melody = editor_melody_parse(notes=notes, meter=meter, tempo=tempo)
    title = title.strip() or "Untitled melody"
    extracted = extract_melody(editor_melody_midi(melody), name=title)
    return _melody_save(
        team=team, user=user, title=title, source=MelodySource.EDITOR, extracted=extracted
    )


# Compositions -----------------------------------------------------------------------------------


TEAM_MODEL_PREFIX = "team:"


def _validate_controls(*, model: str, style: str, risk: float, seed: int, seconds: int) -> None:
    errors: dict[str, str] = {}
    shipped = [value for value, _ in ComposerModel.composable()]
    if model not in shipped and not model.startswith(TEAM_MODEL_PREFIX):
        errors["model"] = f"Choose one of: {', '.join(shipped)}, or team:<id> for your own."
    if style not in Style.values:
        errors["style"] = f"Choose one of: {', '.join(Style.values)}."
    if not RISK_RANGE[0] <= risk <= RISK_RANGE[1]:
        errors["risk"] = f"Creative risk goes from {RISK_RANGE[0]} to {RISK_RANGE[1]}."
    if not 0 <= seed <= MAX_SEED:
        errors["seed"] = f"The seed is a whole number from 0 to {MAX_SEED}."
    if not SECONDS_RANGE[0] <= seconds <= SECONDS_RANGE[1]:
        errors["seconds"] = f"Length goes from {SECONDS_RANGE[0]} to {SECONDS_RANGE[1]} seconds."
    if errors:
        raise ValidationError(errors)


def _check_quota(*, team: Team) -> None:
    """At most ARENA_TEAM_ACTIVE_JOBS pieces of a team queued or running: no team floods the
    queue. The caller holds the team's row lock, so two requests cannot both pass."""
    active = Composition.objects.filter(team=team, job__status__in=ACTIVE).count()
    quota = _team_quota()
    if active >= quota:
        raise QuotaExceeded(
            f"Your team already has {active} piece{'s' if active != 1 else ''} in the queue "
            f"(at most {quota}); wait for one to finish."
        )


def _team_model(*, team: Team, model: str) -> TrainingRun | None:
    """The team's own finished model named `team:<id>`; a team composes only with its own."""
    if not model.startswith(TEAM_MODEL_PREFIX):
        return None
    key = model.removeprefix(TEAM_MODEL_PREFIX)
    found = team_model_list(team=team).filter(pk=int(key)).first() if key.isdigit() else None
    if found is None:
        raise ValidationError({"model": "Choose one of your team's finished models."})
    return found


def _compose_job(*, composition_payload: dict[str, Any], user: User, team: Team) -> Job:
    return job_create(
        kind=JobKind.COMPOSE,
        payload=composition_payload,
        queue=settings.CELERY_GPU_QUEUE,
        created_by=user,
        team=team,
    )


@transaction.atomic
def composition_create(
    *,
    melody: Melody,
    user: User,
    model: str = ComposerModel.HYBRID,
    style: str = Style.BAROQUE,
    risk: float = 1.0,
    seed: int = 0,
    seconds: int = 60,
) -> Composition:
    """Queue a new piece from `melody`; the job is sent once this transaction commits."""
    _validate_controls(model=model, style=style, risk=risk, seed=seed, seconds=seconds)
    team = Team.objects.select_for_update().select_related("event").get(pk=melody.team_id)
    team_member_require(team=team, user=user)
    _require_phase(event=team.event, phases=(Phase.COMPOSING,), doing="Composing")
    _check_quota(team=team)
    team_model = _team_model(team=team, model=model)
    controls = {"model": model, "style": style, "risk": risk, "seed": seed, "seconds": seconds}
    job = _compose_job(
        composition_payload={"melody_id": melody.pk, **controls}, user=user, team=team
    )
    if team_model is not None:
        controls["model"] = ComposerModel.TEAM
    composition = Composition.objects.create(
        melody=melody, team=team, created_by=user, job=job, team_model=team_model, **controls
    )
    job.payload["composition_id"] = composition.pk
    job.save(update_fields=["payload"])
    return composition


@transaction.atomic
def composition_retry(*, composition: Composition, user: User) -> Composition:
    """Give a failed piece a fresh job with the same controls."""
    team = Team.objects.select_for_update().select_related("event").get(pk=composition.team_id)
    team_member_require(team=team, user=user)
    _require_phase(event=team.event, phases=(Phase.COMPOSING,), doing="Composing")
    if composition.job.status != JobStatus.FAILED:
        raise ValidationError("Only a failed piece can be tried again.")
    _check_quota(team=team)
    composition.job = _compose_job(
        composition_payload=dict(composition.job.payload), user=user, team=team
    )
    composition.save(update_fields=["job"])
    return composition


@transaction.atomic
def composition_submit(*, composition: Composition, user: User) -> Composition:
    """Make `composition` its team's entry (replacing any other) while composing is open."""
    team = Team.objects.select_for_update().select_related("event").get(pk=composition.team_id)
    team_member_require(team=team, user=user)
    _require_phase(event=team.event, phases=(Phase.COMPOSING,), doing="Choosing the entry")
    if composition.job.status != JobStatus.DONE:
        raise ValidationError("Only a finished piece can be the team's entry.")
    Composition.objects.filter(team=team, is_entry=True).exclude(pk=composition.pk).update(
        is_entry=False
    )
    composition.is_entry = True
    composition.save(update_fields=["is_entry"])
    return composition


def composition_finish(
    *,
    composition_id: int,
    midi: Path,
    roll: Path,
    audio: Path | None,
    sheet_music: Path | None,
    metrics: dict[str, float | None],
    seconds: float,
    summary: str,
    models: str,
    warnings: list[str],
    audio_compressed: Path | None = None,
    sections: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Store what the worker composed and return the `compose` job's result: its files (the
    page plays `audio_compressed`, the WAV stays a download) and its form, the `sections` in
    16th-note steps that the piece's page marks on the score."""
    composition = composition_attach_outputs(
        composition_id=composition_id,
        midi=midi,
        roll=roll,
        audio=audio,
        metrics=metrics,
        sheet_music=sheet_music,
        audio_compressed=audio_compressed,
    )
    for warning in warnings:
        log.warning("composition %s: %s", composition.pk, warning)
    return {
        "composition_id": composition.pk,
        "midi": composition.midi.name,
        "roll": composition.roll.name,
        "audio": composition.audio.name or None,
        "audio_compressed": composition.audio_compressed.name or None,
        "score": composition.sheet_music.name or None,
        "seconds": round(seconds, 1),
        "summary": summary,
        "models": models,
        "metrics": metrics,
        "warnings": warnings,
        # Each section's place and what a teacher would mark in it (composer's audit figures).
        "sections": [
            {"kind": str(s["kind"]), "start": int(s["start"]), "end": int(s["end"])}
            | {k: float(v) for k, v in s.items() if k.startswith(("audit_", "chord_", "notes_"))}
            for s in sections or []
        ],
    }


def composition_attach_outputs(
    *,
    composition_id: int,
    midi: Path,
    roll: Path,
    audio: Path | None,
    metrics: dict[str, float | None],
    sheet_music: Path | None = None,
    audio_compressed: Path | None = None,
) -> Composition:
    """Store a finished piece's files (through the storage backend) and its metrics, in one save
    of the row. A retry replaces the files of the failed attempt; a file not given (None) leaves
    the field empty. One file after another: in threads, each thread made its own S3 client
    (django-storages keeps one per thread), and storing took 2–3 s instead of 0.3 s."""
    composition = Composition.objects.get(pk=composition_id)
    files = {
        "midi": midi,
        "roll": roll,
        "audio": audio,
        "sheet_music": sheet_music,
        "audio_compressed": audio_compressed,
    }
    for field, path in files.items():
        target = getattr(composition, field)
        if target:
            target.delete(save=False)
        if path is not None and path.exists():
            with path.open("rb") as handle:
                target.save(path.name, File(handle), save=False)
    composition.metrics = metrics
    composition.save(update_fields=[*files, "metrics"])
    return composition
