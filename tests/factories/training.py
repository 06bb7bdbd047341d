"""Teams' training runs, queued through `training_start` as the studio queues them."""

from __future__ import annotations

from typing import Any

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from arena.jobs.services import job_finish, job_start
from arena.training.models import TrainingRun
from arena.training.services import training_start
from tests.factories.events import TeamFactory, team_founder


class TrainingRunFactory(DjangoModelFactory[TrainingRun]):
    """A training run queued by a member of its team (the founder by default) with the shipped
    recipe; other keywords (`steps=300`, `size="tiny"`, `name=...`) are the team's choices.
    `finished=True`: as the worker leaves a run that trained: done, with weights."""

    class Meta:
        model = TrainingRun
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    created_by = factory.LazyAttribute(lambda run: team_founder(run.team))

    @classmethod
    def _create(cls, model_class: type[TrainingRun], *args: Any, **kwargs: Any) -> TrainingRun:
        return training_start(team=kwargs.pop("team"), user=kwargs.pop("created_by"), **kwargs)

    @factory.post_generation
    def finished(run: TrainingRun, create: bool, extracted: bool | None, **_: Any) -> None:
        if create and extracted:
            training_finished(run)


def training_finished(run: TrainingRun) -> TrainingRun:
    """The run as the worker leaves one that trained: its job done, its weights saved."""
    job_start(job_id=run.job_id)
    run.weights.save("gan.pt", ContentFile(b"weights"), save=True)
    job_finish(job_id=run.job_id, result={})
    run.refresh_from_db()
    return run
