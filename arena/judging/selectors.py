"""Reads on judging: a judge's anonymised entries, progress, and the leaderboard.

Judges see entries as "Entry A, B, …" in their own stable random order; nothing here hands a
judge a team's name, and a judge's own team's entry is never among theirs.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from django.db.models import QuerySet

from arena.accounts.models import Role, User
from arena.events.models import Event, Phase, TeamMembership
from arena.events.selectors import user_runs_event
from arena.jobs.models import JobStatus
from arena.judging.models import CRITERIA, JudgeAssignment, JudgingSetup, Rating, default_weights
from arena.judging.scoring import EntryResult, Mark, rank_entries
from arena.submissions.models import Composition


def entry_list(*, event: Event) -> QuerySet[Composition]:
    """The teams' chosen, finished pieces."""
    return (
        Composition.objects.filter(team__event=event, is_entry=True, job__status=JobStatus.DONE)
        .select_related("team", "melody", "job")
        .order_by("id")
    )


def entry_get(*, entry_id: int) -> Composition | None:
    """A team's entry (finished or not) with its event, or None."""
    return (
        Composition.objects.select_related("team__event").filter(pk=entry_id, is_entry=True).first()
    )


def judge_assignment_get(*, event: Event, user: User) -> JudgeAssignment | None:
    if not user.is_authenticated:
        return None
    return JudgeAssignment.objects.filter(event=event, judge=user).first()


def judge_assignment_list(*, event: Event) -> QuerySet[JudgeAssignment]:
    return event.judge_assignments.select_related("judge").order_by("created_at", "id")


def judge_candidate_list(*, event: Event) -> QuerySet[User]:
    """The judges an organiser may still invite to `event`."""
    assigned = judge_assignment_list(event=event).values_list("judge_id", flat=True)
    return User.objects.filter(role=Role.JUDGE).exclude(pk__in=assigned).order_by("username")


def _label(position: int) -> str:
    """A, B, …, Z, AA, AB, … for the position in a judge's list."""
    letters = string.ascii_uppercase
    label = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        label = letters[rest] + label
    return f"Entry {label}"


@dataclass(frozen=True)
class JudgeEntry:
    """An entry as a judge sees it: a label, the piece (for its files) and their score."""

    label: str
    composition: Composition
    score: Rating | None  # the judge's rating of it, the API's `score`

    @property
    def id(self) -> int:
        return self.composition.pk

    @property
    def state(self) -> str:
        if self.score is None:
            return "to score"
        return "submitted" if self.score.submitted else "draft"


def judge_entry_list(*, assignment: JudgeAssignment) -> list[JudgeEntry]:
    """The entries this judge scores, in their own stable order, without their own team's."""
    own_teams = TeamMembership.objects.filter(
        event_id=assignment.event_id, user_id=assignment.judge_id
    ).values("team_id")
    entries = list(entry_list(event=assignment.event).exclude(team_id__in=own_teams))
    random.Random(assignment.order_seed).shuffle(entries)  # seeded: same order on every visit
    ratings = {r.entry_id: r for r in assignment.ratings.all()}
    return [
        JudgeEntry(label=_label(i), composition=c, score=ratings.get(c.pk))
        for i, c in enumerate(entries)
    ]


def judge_entry_get(*, assignment: JudgeAssignment, entry_id: int) -> JudgeEntry:
    """One of the judge's entries; Composition.DoesNotExist for any other (views make it 404)."""
    for entry in judge_entry_list(assignment=assignment):
        if entry.id == entry_id:
            return entry
    raise Composition.DoesNotExist


def judge_can_hear(*, user: User, composition: Composition) -> bool:
    """Whether `user` judges this entry's event and it is one of theirs to score."""
    assignment = judge_assignment_get(event=composition.team.event, user=user)
    if assignment is None or not composition.is_entry:
        return False
    return any(e.id == composition.pk for e in judge_entry_list(assignment=assignment))


@dataclass(frozen=True)
class JudgeProgress:
    judge: User
    submitted: int
    drafts: int
    total: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.submitted == self.total


def judging_progress(*, event: Event) -> list[JudgeProgress]:
    """For the organiser: how far each judge has got."""
    progress = []
    for assignment in judge_assignment_list(event=event):
        entries = judge_entry_list(assignment=assignment)
        progress.append(
            JudgeProgress(
                judge=assignment.judge,
                submitted=sum(e.state == "submitted" for e in entries),
                drafts=sum(e.state == "draft" for e in entries),
                total=len(entries),
            )
        )
    return progress


def judging_setup_of(*, event: Event) -> JudgingSetup:
    """The event's judging rules; an unsaved default one when the organiser set none."""
    setup = JudgingSetup.objects.filter(event=event).first()
    return setup or JudgingSetup(event=event, weights=default_weights())


def results_published(*, event: Event) -> bool:
    return event.phase == Phase.RESULTS and judging_setup_of(event=event).results_published


def leaderboard_visible(*, event: Event, user: User) -> bool:
    """Everyone sees published results; the organiser may look before publishing."""
    return results_published(event=event) or user_runs_event(user=user, event=event)


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    composition: Composition
    result: EntryResult

    @property
    def team(self) -> str:
        return self.composition.team.name


def leaderboard(*, event: Event) -> list[LeaderboardRow]:
    """Entries ranked by their normalised weighted totals (arena.judging.scoring)."""
    scores = Rating.objects.filter(assignment__event=event, submitted=True, entry__is_entry=True)
    marks = [
        Mark(judge=s.assignment.judge_id, entry=s.entry_id, values=s.values())
        for s in scores.select_related("assignment")
    ]
    weights = judging_setup_of(event=event).weights
    results = rank_entries(marks, CRITERIA, weights)
    compositions = {c.pk: c for c in entry_list(event=event)}
    return [
        LeaderboardRow(rank=r.rank, composition=compositions[r.entry], result=r)
        for r in results
        if r.entry in compositions
    ]
