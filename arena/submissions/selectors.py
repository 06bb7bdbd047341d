"""Reads on melodies and compositions. A team's work is visible to its members only: for anyone
else the `*_get_for_user` selectors raise DoesNotExist, which views turn into 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from arena.accounts.models import User
from arena.events.models import Event, Team
from arena.jobs.models import Job
from arena.submissions.models import Composition, Melody
from composer.data.samples import SampleMelody, sample_melodies


def team_of_user(*, event: Event, user: User) -> Team | None:
    """The user's team in `event`, or None."""
    if not user.is_authenticated:
        return None
    return (
        Team.objects.filter(event=event, memberships__user=user)
        .prefetch_related("memberships__user")
        .first()
    )


def team_of_user_or_404(*, event: Event, user: User) -> Team:
    """The user's team in `event`; a 404 (page or API) when they have none."""
    team = team_of_user(event=event, user=user)
    if team is None:
        raise Http404("You have no team in this event.")
    return team


def melody_list(*, team: Team) -> QuerySet[Melody]:
    return team.melodies.order_by("-created_at", "-id")


def composition_list(*, team: Team) -> QuerySet[Composition]:
    """The team's history, newest first."""
    return team.compositions.select_related("job", "melody", "team_model__team").order_by(
        "-created_at", "-id"
    )


def melody_get_for_user(*, melody_id: int, user: User) -> Melody:
    return Melody.objects.select_related("team__event").get(
        pk=melody_id, team__memberships__user=user
    )


def composition_get_for_user(*, composition_id: int, user: User) -> Composition:
    return Composition.objects.select_related("job", "melody", "team__event").get(
        pk=composition_id, team__memberships__user=user
    )


def composition_for_job(*, job: Job) -> Composition:
    """The composition a `compose` job makes, with what the worker needs to make it."""
    return Composition.objects.select_related("melody", "team_model").get(job=job)


def samples() -> list[SampleMelody]:
    return sample_melodies()


@dataclass(frozen=True)
class MetricLine:
    label: str
    value: str
    meaning: str


# (key in composer.metrics.piece_metrics, label, format, what it means for the listener)
METRICS_IN_WORDS: tuple[tuple[str, str, str, str], ...] = (
    (
        "in_scale_rate",
        "Notes in the key",
        "percent",
        "Share of notes that belong to the piece's scale; in Bach's chorales 96 %.",
    ),
    (
        "parallel_5ths_8ves_per_bar",
        "Parallel fifths and octaves",
        "per bar",
        "Voice-leading slips a Baroque teacher would mark; Bach: 0.01 per bar.",
    ),
    (
        "voice_crossings_per_bar",
        "Voice crossings",
        "per bar",
        "How often a lower voice climbs above a higher one; Bach: 0.16 per bar.",
    ),
    (
        "out_of_range_rate",
        "Notes out of singing range",
        "percent",
        "Notes outside each voice's comfortable range.",
    ),
    (
        "pitch_classes_per_bar",
        "Different notes per bar",
        "number",
        "Harmonic colour: how many of the twelve pitch classes sound in a bar.",
    ),
    (
        "polyphony",
        "Voices sounding together",
        "number",
        "On average, how many voices sound at once (four is full harmony).",
    ),
)


# The few a team compares its pieces by, side by side in the studio's history.
COMPARED = (
    "in_scale_rate",
    "parallel_5ths_8ves_per_bar",
    "voice_crossings_per_bar",
    "pitch_classes_per_bar",
)


def composition_metrics_in_words(
    *, composition: Composition, keys: tuple[str, ...] | None = None
) -> list[MetricLine]:
    """The metrics worth showing (or those of `keys`), formatted for people; missing or undefined
    ones are skipped."""
    lines = []
    for key, label, kind, meaning in METRICS_IN_WORDS:
        if keys is not None and key not in keys:
            continue
        value = composition.metrics.get(key)
        if value is None:
            continue
        if kind == "percent":
            text = f"{100 * value:.0f} %"
        elif kind == "per bar":
            text = f"{value:.2f} per bar"
        else:
            text = f"{value:.1f}"
        lines.append(MetricLine(label, text, meaning))
    return lines


@dataclass(frozen=True)
class HistoryRow:
    composition: Composition
    compared: list[MetricLine]


def composition_history(*, team: Team) -> list[HistoryRow]:
    """Every piece of the team, newest first, with the metrics it is compared by."""
    return [
        HistoryRow(c, composition_metrics_in_words(composition=c, keys=COMPARED))
        for c in composition_list(team=team)
    ]
