"""Judges' assignments to an event and their ratings of its entries."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from arena.judging.models import JudgeAssignment, Rating
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
