"""Melodies (from the sample tunes, read by composer as an upload is) and compositions."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from arena.demo.entries import demo_entry_create
from arena.submissions.models import ComposerModel, Composition, Melody, Style
from arena.submissions.services import melody_create_from_sample
from tests.factories.events import TeamFactory, team_founder
from tests.factories.jobs import JobFactory


class MelodyFactory(DjangoModelFactory[Melody]):
    """One of the sample tunes (`slug`, "ode-to-joy" by default) added by a team member (the
    founder by default) through `melody_create_from_sample`."""

    class Meta:
        model = Melody

    team = factory.SubFactory(TeamFactory)
    slug = "ode-to-joy"  # the service's, not a field
    uploaded_by = factory.LazyAttribute(lambda melody: team_founder(melody.team))

    @classmethod
    def _create(cls, model_class: type[Melody], *args: Any, **kwargs: Any) -> Melody:
        return melody_create_from_sample(
            team=kwargs["team"], user=kwargs["uploaded_by"], slug=kwargs["slug"]
        )


class CompositionFactory(DjangoModelFactory[Composition]):
    """A finished piece (its job done) from a melody, without files: for lists, states and
    permissions. A piece with real files is an `EntryFactory`."""

    class Meta:
        model = Composition

    melody = factory.SubFactory(MelodyFactory)
    team = factory.LazyAttribute(lambda composition: composition.melody.team)
    created_by = factory.LazyAttribute(lambda composition: composition.melody.uploaded_by)
    job = factory.SubFactory(
        JobFactory,
        team=factory.SelfAttribute("..team"),
        created_by=factory.SelfAttribute("..created_by"),
    )
    model = ComposerModel.GAN
    style = Style.BAROQUE


class EntryFactory(DjangoModelFactory[Composition]):
    """A team's entry with real files (MIDI, audio, roll, sheet music) from one of Bach's
    chorales, made as the demo's entries are (`demo_entry_create`)."""

    class Meta:
        model = Composition

    team = factory.SubFactory(TeamFactory)
    chorale = "bach/bwv104.6"  # the service's, not a field
    created_by = factory.LazyAttribute(lambda entry: team_founder(entry.team))

    @classmethod
    def _create(cls, model_class: type[Composition], *args: Any, **kwargs: Any) -> Composition:
        return demo_entry_create(
            team=kwargs["team"], user=kwargs["created_by"], chorale=kwargs["chorale"]
        )
