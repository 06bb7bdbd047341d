"""Events with their phase dates, and teams with their members."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from arena.accounts.models import User
from arena.events.models import Event, Phase, Team
from arena.events.services import event_create, team_join
from tests.factories.accounts import OrganiserFactory, UserFactory


class EventFactory(DjangoModelFactory[Event]):
    """An event in its composing phase: registration opened 10 days ago, composing 3 days ago,
    judging opens in 11 days and the results in 18 (the demo's live event's dates);
    `finished=True`: its results came out a month ago."""

    class Meta:
        model = Event

    class Params:
        finished = factory.Trait(phase=Phase.RESULTS)
        # When registration opened: weeks ago for an event with results, as the demo's.
        start = factory.LazyAttribute(
            lambda event: (
                timezone.now() - timedelta(days=60 if event.phase == Phase.RESULTS else 10)
            )
        )

    name = factory.Sequence(lambda n: f"Workshop {n}")
    slug = factory.LazyAttribute(lambda event: slugify(event.name))
    brief = ""
    organiser = factory.SubFactory(OrganiserFactory)
    phase = Phase.COMPOSING
    registration_opens = factory.LazyAttribute(lambda event: event.start)
    composing_opens = factory.LazyAttribute(lambda event: event.start + timedelta(days=7))
    judging_opens = factory.LazyAttribute(lambda event: event.start + timedelta(days=21))
    results_at = factory.LazyAttribute(lambda event: event.start + timedelta(days=28))
    max_team_size = 4

    @classmethod
    def _create(cls, model_class: type[Event], *args: Any, **kwargs: Any) -> Event:
        return event_create(**kwargs)


class TeamFactory(DjangoModelFactory[Team]):
    """A team of an event; `members=[...]` joins those users in order (the first founds it),
    otherwise one new participant founds it."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    invite_code = factory.Sequence(lambda n: f"code{n:04d}")

    @factory.post_generation
    def members(team: Team, create: bool, extracted: Iterable[User] | None, **_: Any) -> None:
        if not create:
            return
        for user in extracted if extracted is not None else [UserFactory()]:
            team_join(team=team, user=user)


def team_founder(team: Team) -> User:
    """The member who founded the team."""
    return team.memberships.order_by("joined_at", "id").first().user  # type: ignore[union-attr]
