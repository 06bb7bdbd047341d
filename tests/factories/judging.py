"""Judges' assignments to an event, their ratings of its entries, and published results."""

from __future__ import annotations

from collections.abc import Sequence

import factory
from factory.django import DjangoModelFactory

from arena.events.models import Event, Team
from arena.judging.models import CRITERIA, JudgeAssignment, JudgingSetup, Rating, default_weights
from arena.submissions.models import Composition
from tests.factories.accounts import JudgeFactory
from tests.factories.events import EventFactory
from tests.factories.submissions import EntryFactory


class JudgeAssignmentFactory(DjangoModelFactory[JudgeAssignment]):
    """A judge invited to an event by its organiser."""

    class Meta:
        model = JudgeAssignment

    event = factory.SubFactory(EventFactory)
    judge = factory.SubFactory(JudgeFactory)
    invited_by = factory.LazyAttribute(lambda assignment: assignment.event.organiser)


class RatingFactory(DjangoModelFactory[Rating]):
    """A judge's submitted marks (all five criteria) for an entry of their event."""

    class Meta:
        model = Rating

    entry = factory.SubFactory(EntryFactory)
    assignment = factory.SubFactory(
        JudgeAssignmentFactory, event=factory.SelfAttribute("..entry.team.event")
    )
    originality = 7
    rhythm = 7
    accompaniment = 7
    cleanliness = 7
    emotion = 7
    comment = ""
    submitted = True


class JudgingSetupFactory(DjangoModelFactory[JudgingSetup]):
    """The judging rules (the default weights) of an event that is over; `published=True`: its
    results came out on the event's results date, as the demo's finished event's did."""

    class Meta:
        model = JudgingSetup

    class Params:
        published = factory.Trait(
            results_published=True,
            results_published_at=factory.SelfAttribute("event.results_at"),
        )

    event = factory.SubFactory(EventFactory, finished=True)
    weights = factory.LazyFunction(default_weights)


def results_published(
    *, event: Event, teams: Sequence[Team], judges: int = 1, chorale: str = "bach/bwv104.6"
) -> list[Composition]:
    """The event's published results: each team (in the order of the leaderboard) has an entry
    with files, `judges` new judges mark every entry (8 for the first, 2 less for each next)."""
    entries = [EntryFactory(team=team, chorale=chorale) for team in teams]
    for _ in range(judges):
        assignment = JudgeAssignmentFactory(event=event)
        for place, entry in enumerate(entries):
            RatingFactory(
                entry=entry, assignment=assignment, **dict.fromkeys(CRITERIA, max(1, 8 - 2 * place))
            )
    JudgingSetupFactory(event=event, published=True)
    return entries
