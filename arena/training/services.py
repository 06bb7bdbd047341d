"""Writes on training runs: starting (within the event's bounds and limits), cancelling, and what
the worker reports while it trains. Nothing here imports torch; the worker's job
reports through `arena.training.reporting`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from arena.accounts.models import User
from arena.events.limits import TeamLimitReached
from arena.events.models import Event, Phase, Team
from arena.events.selectors import team_member_require, user_runs_event
from arena.jobs.models import JobKind, JobStatus
from arena.jobs.services import job_create, job_fail
from arena.training.models import TrainingPolicy, TrainingRun, training_folder_name
from arena.training.recipes import BOUNDS, DEFAULTS, SIZES
from arena.training.selectors import ACTIVE, training_policy_get

TRAINING_PHASES = (Phase.REGISTRATION, Phase.COMPOSING)
MAX_LOSS_POINTS = 600  # the live curve keeps every other point beyond this
# Time the worker keeps after the budget for the last validation and saving the weights.
FINISH_MARGIN_S = 30


class TrainingLimitReached(TeamLimitReached):
    """The team has as many runs in progress, or in all, as the event allows."""


def training_config_validate(**values: Any) -> dict[str, Any]:
    """The team's choices over the shipped CPU recipe's values, each within its bounds."""
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise ValidationError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    config = {**DEFAULTS, **values}
    errors: dict[str, str] = {}
    for name, bound in BOUNDS.items():
        value = config[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors[name] = "Give a number."
        elif not bound.low <= value <= bound.high:
            errors[name] = f"{bound.label} goes from {bound.low:g} to {bound.high:g}."
    for name in ("steps", "critic_steps", "noise_channels", "seed"):
        if name not in errors and int(config[name]) != config[name]:
            errors[name] = "Give a whole number."
    if config["size"] not in SIZES:
        errors["size"] = f"Choose one of: {', '.join(SIZES)}."
    if not isinstance(config["augment"], bool):
        errors["augment"] = "Augmentation is on or off."
    if errors:
        raise ValidationError(errors)
    for name in ("steps", "critic_steps", "noise_channels", "seed"):
        config[name] = int(config[name])
    config["learning_rate"] = float(config["learning_rate"])
    return config


def budget_seconds_of(*, policy: TrainingPolicy) -> int:
    """The organiser's minutes, within what one job may run (CELERY_JOB_TIME_LIMIT)."""
    ceiling = max(60, settings.CELERY_JOB_TIME_LIMIT - FINISH_MARGIN_S)
    return min(60 * policy.minutes_per_job, ceiling)


def _check_limits(*, team: Team, policy: TrainingPolicy) -> None:
    runs = TrainingRun.objects.filter(team=team).exclude(cancel_requested_at__isnull=False)
    active = runs.filter(job__status__in=ACTIVE).count()
    if active >= policy.max_concurrent_per_team:
        raise TrainingLimitReached(
            f"Your team already has {active} training{'s' if active != 1 else ''} in progress "
            f"(at most {policy.max_concurrent_per_team}); wait for it or cancel it."
        )
    # A run cancelled before it started used nothing and does not count.
    total = (
        runs.count()
        + TrainingRun.objects.filter(
            team=team, cancel_requested_at__isnull=False, job__started_at__isnull=False
        ).count()
    )
    if total >= policy.max_total_per_team:
        raise TrainingLimitReached(
            f"Your team has used all {policy.max_total_per_team} trainings this event allows."
        )


@transaction.atomic
def training_start(*, team: Team, user: User, name: str = "", **choices: Any) -> TrainingRun:
    """Queue a training run on the `gpu` queue; the job is sent once this transaction commits."""
    config = training_config_validate(**choices)
    team = Team.objects.select_for_update().select_related("event").get(pk=team.pk)
    team_member_require(team=team, user=user)
    event = team.event
    if event.phase not in TRAINING_PHASES:
        raise ValidationError(
            f"Training is not possible now: {event.name} is in its {event.get_phase_display()} "
            "phase."
        )
    policy = training_policy_get(event=event)
    _check_limits(team=team, policy=policy)
    number = TrainingRun.objects.filter(team=team).count() + 1
    job = job_create(
        kind=JobKind.TRAIN_GAN,
        payload={},
        queue=settings.CELERY_GPU_QUEUE,
        created_by=user,
        team=team,
    )
    training = TrainingRun.objects.create(
        team=team,
        created_by=user,
        name=(name.strip() or f"{team.name} GAN #{number}")[:60],
        config=config,
        budget_seconds=budget_seconds_of(policy=policy),
        job=job,
    )
    job.payload = {"training_id": training.pk, "folder": training_folder_name(training.pk)}
    job.save(update_fields=["payload"])
    return training


@transaction.atomic
def training_cancel(*, training: TrainingRun, user: User) -> TrainingRun:
    """Stop a run: a queued one at once, a running one at its worker's next step (within
    seconds). Its team's members and the event's organisers may."""
    training = (
        TrainingRun.objects.select_for_update()
        .select_related("job", "team__event")
        .get(pk=training.pk)
    )
    event = training.team.event
    if not user_runs_event(user=user, event=event):
        team_member_require(team=training.team, user=user)
    if not training.is_active:
        raise ValidationError("This training has already ended.")
    if training.cancel_requested_at is None:
        training.cancel_requested_at = timezone.now()
        training.cancelled_by = user
        training.save(update_fields=["cancel_requested_at", "cancelled_by"])
    if training.job.status == JobStatus.QUEUED:
        job_fail(job_id=training.job_id, error=f"Cancelled by {user}.")
        training.job.refresh_from_db()
    return training


@transaction.atomic
def training_policy_set(
    *,
    event: Event,
    user: User,
    minutes_per_job: int,
    max_concurrent_per_team: int,
    max_total_per_team: int,
) -> TrainingPolicy:
    if not user_runs_event(user=user, event=event):
        raise PermissionDenied("Only the event's organisers can do that.")
    if not (1 <= minutes_per_job <= 24 * 60 and max_concurrent_per_team >= 1):
        raise ValidationError("Give at least a minute per run and one run at a time.")
    policy, _ = TrainingPolicy.objects.update_or_create(
        event=event,
        defaults={
            "minutes_per_job": minutes_per_job,
            "max_concurrent_per_team": max_concurrent_per_team,
            "max_total_per_team": max_total_per_team,
        },
    )
    return policy


# What the worker reports ------------------------------------------------------------------------


def training_began(*, training_id: int, device: str, reference: dict[str, float]) -> None:
    TrainingRun.objects.filter(pk=training_id).update(device=device[:120], reference=reference)


def training_progress_record(
    *, training_id: int, step: int, seconds: float, losses: list[float]
) -> None:
    """One point of the live loss curves; points past `step` (work lost with a worker) go."""
    with transaction.atomic():
        training = TrainingRun.objects.select_for_update().get(pk=training_id)
        points = [p for p in training.losses if p[0] < step] + [[step, *losses]]
        if len(points) > MAX_LOSS_POINTS:
            points = points[::-2][::-1]  # every other point, keeping the newest
        training.losses = points
        training.step = step
        training.seconds = seconds
        training.save(update_fields=["losses", "step", "seconds"])


def training_eval_record(
    *, training_id: int, row: dict[str, float], sample: dict[str, Any] | None
) -> None:
    """A validation row (and the sample harmonization made then), replacing any later ones."""
    with transaction.atomic():
        training = TrainingRun.objects.select_for_update().get(pk=training_id)
        step = row["step"]
        training.metrics = [r for r in training.metrics if r["step"] < step] + [row]
        training.samples = [s for s in training.samples if s["step"] < step]
        if sample is not None:
            training.samples.append(sample)
        training.step = int(step)
        training.seconds = float(row.get("seconds", training.seconds))
        training.save(update_fields=["metrics", "samples", "step", "seconds"])


def training_cancel_requested(*, training_id: int) -> bool:
    return TrainingRun.objects.filter(pk=training_id, cancel_requested_at__isnull=False).exists()


def training_finish(
    *, training_id: int, weights_name: str, step: int, seconds: float, stopped_early: bool
) -> TrainingRun:
    training = TrainingRun.objects.get(pk=training_id)
    training.weights.name = weights_name
    training.step = step
    training.seconds = seconds
    training.stopped_early = stopped_early
    training.save(update_fields=["weights", "step", "seconds", "stopped_early"])
    return training
