"""Reads on training runs. A team's runs and models are its own until the event's results: for
anyone else (but the organisers) they do not exist, and views turn that into 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from arena.accounts.models import User
from arena.events.models import Event, Phase, Team
from arena.events.selectors import user_runs_event
from arena.jobs.models import JobStatus
from arena.training.models import TrainingPolicy, TrainingRun

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def training_policy_get(*, event: Event) -> TrainingPolicy:
    """The event's policy, or the defaults (unsaved) when the organiser set none."""
    try:
        return event.training_policy
    except TrainingPolicy.DoesNotExist:
        return TrainingPolicy(event=event)


def training_list(*, team: Team) -> QuerySet[TrainingRun]:
    return team.trainings.select_related("job").order_by("-created_at", "-id")


def training_list_for_event(*, event: Event) -> QuerySet[TrainingRun]:
    return (
        TrainingRun.objects.filter(team__event=event)
        .select_related("job", "team", "created_by")
        .order_by("-created_at", "-id")
    )


def training_get_for_user(*, training_id: int, user: User) -> TrainingRun:
    """A run for its team's members, the organisers, and everyone once results are out."""
    training = TrainingRun.objects.select_related("job", "team__event").get(pk=training_id)
    event = training.team.event
    if (
        event.phase == Phase.RESULTS
        or user_runs_event(user=user, event=event)
        or training.team.memberships.filter(user_id=user.pk).exists()
    ):
        return training
    raise TrainingRun.DoesNotExist


def team_model_list(*, team: Team) -> QuerySet[TrainingRun]:
    """The team's finished models, newest first: its entries in the compose form's model menu."""
    return training_list(team=team).filter(job__status=JobStatus.DONE).exclude(weights="")


def event_model_list(*, event: Event, user: User) -> QuerySet[TrainingRun]:
    """Finished models the user may see: the own team's, or all once results are out."""
    models = (
        TrainingRun.objects.filter(team__event=event, job__status=JobStatus.DONE)
        .exclude(weights="")
        .select_related("job", "team")
    )
    if event.phase == Phase.RESULTS or user_runs_event(user=user, event=event):
        return models
    return models.filter(team__memberships__user_id=user.pk)


@dataclass(frozen=True)
class TeamUsage:
    team: Team
    runs: int
    active: int
    seconds: float
    gpu_seconds: float
    cpu_seconds: float
    devices: str


# A run records the device it trained on: "CPU, n threads" or the GPU's own name.
ON_CPU = Q(trainings__device__startswith="CPU")
ON_GPU = ~ON_CPU & ~Q(trainings__device="")


def training_usage(*, event: Event) -> list[TeamUsage]:
    """Per team: runs, runs in progress and training time used, in all and split by GPU and CPU
    (GPU time is what an organiser rations; a run not yet started counts in neither)."""
    teams = Team.objects.filter(event=event).annotate(
        runs=Count("trainings"),
        active=Count("trainings", filter=Q(trainings__job__status__in=ACTIVE)),
        used=Sum("trainings__seconds"),
        on_gpu=Sum("trainings__seconds", filter=ON_GPU),
        on_cpu=Sum("trainings__seconds", filter=ON_CPU),
    )
    devices: dict[int, set[str]] = {}
    for team_id, device in TrainingRun.objects.filter(team__event=event).values_list(
        "team_id", "device"
    ):
        if device:
            devices.setdefault(team_id, set()).add(device)
    return [
        TeamUsage(
            team=t,
            runs=t.runs,
            active=t.active,
            seconds=float(t.used or 0.0),
            gpu_seconds=float(t.on_gpu or 0.0),
            cpu_seconds=float(t.on_cpu or 0.0),
            devices=", ".join(sorted(devices.get(t.pk, ()))),
        )
        for t in teams
    ]


def training_eta_seconds(*, training: TrainingRun) -> float | None:
    """Seconds left: the pace so far over the steps left, capped by the time budget."""
    if training.job.status != JobStatus.RUNNING or training.step <= 0 or training.seconds <= 0:
        return None
    by_pace = (training.steps - training.step) * training.seconds / training.step
    return max(0.0, min(by_pace, training.budget_seconds - training.seconds))


def training_status(*, training: TrainingRun) -> dict[str, Any]:
    """Everything the live page and the API show about a run."""
    job = training.job
    return {
        "id": training.pk,
        "name": training.name,
        "team": training.team.name,
        "model": training.model_key,
        "status": training.status,
        "progress": job.progress,
        "message": job.message,
        "error": job.error,
        "step": training.step,
        "steps": training.steps,
        "seconds": round(training.seconds, 1),
        "budget_seconds": training.budget_seconds,
        "eta_seconds": training_eta_seconds(training=training),
        "device": training.device,
        "config": training.config,
        "stopping": bool(training.cancel_requested_at) and training.is_active,
        "stopped_early": training.stopped_early,
        "losses": training.losses,
        "metrics": training.metrics,
        "reference": training.reference,
        "samples": [
            {"step": s["step"], "has_audio": bool(s.get("audio"))} for s in training.samples
        ],
        "ready": training.is_ready,
    }
