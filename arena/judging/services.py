"""Writes on judging: inviting judges, saving scores, weights and publishing the results."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from arena.accounts.models import User
from arena.events.models import Event, Phase
from arena.events.selectors import user_runs_event
from arena.judging.models import (
    CRITERIA,
    SCORE_MAX,
    SCORE_MIN,
    JudgeAssignment,
    JudgingSetup,
    Rating,
    default_weights,
)
from arena.judging.selectors import judge_entry_get
from arena.submissions.models import Composition

MAX_WEIGHT = 10.0


def _require_organiser(*, user: User, event: Event) -> None:
    if not user_runs_event(user=user, event=event):
        raise PermissionDenied("Only the event's organisers can do that.")


def judging_setup_get_or_create(*, event: Event) -> JudgingSetup:
    setup, _ = JudgingSetup.objects.get_or_create(
        event=event, defaults={"weights": default_weights()}
    )
    return setup


def judge_invite(*, event: Event, judge: User, invited_by: User) -> JudgeAssignment:
    """Invite `judge` to score the event's entries (inviting twice changes nothing)."""
    _require_organiser(user=invited_by, event=event)
    if event.phase == Phase.RESULTS:
        raise ValidationError("Judging of this event is over.")
    assignment, _ = JudgeAssignment.objects.get_or_create(
        event=event, judge=judge, defaults={"invited_by": invited_by}
    )
    return assignment


def _clean_values(values: Mapping[str, int | None], *, complete: bool) -> dict[str, int | None]:
    errors: dict[str, str] = {}
    cleaned: dict[str, int | None] = {}
    for criterion in CRITERIA:
        value = values.get(criterion)
        if value in (None, ""):
            if complete:
                errors[criterion] = "Give a mark from 1 to 10."
            cleaned[criterion] = None
            continue
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors[criterion] = "A whole number from 1 to 10."
            continue
        if not SCORE_MIN <= number <= SCORE_MAX:
            errors[criterion] = "A whole number from 1 to 10."
        cleaned[criterion] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def score_save(
    *,
    assignment: JudgeAssignment,
    entry_id: int,
    values: Mapping[str, int | None],
    comment: str = "",
    submit: bool = True,
) -> Rating:
    """Save a judge's marks for one of their entries: a draft may leave marks empty, a submitted
    score needs all five. Both can be changed until judging closes."""
    event = Event.objects.select_for_update().get(pk=assignment.event_id)
    if event.phase != Phase.JUDGING:
        raise ValidationError(
            f"Scores can be given and changed while judging is open; {event.name} is in its "
            f"{event.get_phase_display()} phase."
        )
    try:
        entry = judge_entry_get(assignment=assignment, entry_id=entry_id)
    except Composition.DoesNotExist as exc:
        raise PermissionDenied("This entry is not one of yours to score.") from exc
    cleaned = _clean_values(values, complete=submit)
    score, _ = Rating.objects.get_or_create(assignment=assignment, entry=entry.composition)
    for criterion, value in cleaned.items():
        setattr(score, criterion, value)
    score.comment = comment.strip()[:4000]
    score.submitted = submit
    score.full_clean()
    score.save()
    return score


def criterion_weights_set(*, event: Event, weights: Mapping[str, float], by: User) -> JudgingSetup:
    """Set how much each criterion counts in the total (0 leaves a criterion out)."""
    _require_organiser(user=by, event=event)
    cleaned: dict[str, float] = {}
    for criterion in CRITERIA:
        value = float(weights.get(criterion, 1.0))
        if not 0.0 <= value <= MAX_WEIGHT:
            raise ValidationError({criterion: f"A weight goes from 0 to {MAX_WEIGHT:g}."})
        cleaned[criterion] = value
    if not any(cleaned.values()):
        raise ValidationError("At least one criterion must count.")
    setup = judging_setup_get_or_create(event=event)
    setup.weights = cleaned
    setup.save(update_fields=["weights"])
    return setup


@transaction.atomic
def results_publish(*, event: Event, by: User) -> JudgingSetup:
    """Close judging and publish the leaderboard: the event moves to its results phase."""
    _require_organiser(user=by, event=event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.phase not in (Phase.JUDGING, Phase.RESULTS):
        raise ValidationError("Results can be published once judging has started.")
    event.phase = Phase.RESULTS
    event.save(update_fields=["phase"])
    setup = judging_setup_get_or_create(event=event)
    setup.results_published = True
    setup.results_published_at = timezone.now()
    setup.save(update_fields=["results_published", "results_published_at"])
    return setup
