"""Jobs in the table of record, as the worker left them."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from arena.jobs.models import Job, JobKind, JobStatus
from arena.jobs.services import owner_key_of


class JobFactory(DjangoModelFactory[Job]):
    """A `compose` job on the GPU queue that has finished; `status=JobStatus.QUEUED` for one
    still waiting. A team's job is its event's and takes the team's turn, as `job_create`'s."""

    class Meta:
        model = Job

    team = None
    created_by = None
    event = factory.LazyAttribute(lambda job: job.team.event if job.team is not None else None)
    owner_key = factory.LazyAttribute(lambda job: owner_key_of(team=job.team, user=job.created_by))
    kind = JobKind.COMPOSE
    status = JobStatus.DONE
    queue = "gpu"
    progress = factory.LazyAttribute(lambda job: 1.0 if job.status == JobStatus.DONE else 0.0)
    started_at = factory.LazyAttribute(
        lambda job: timezone.now() if job.status != JobStatus.QUEUED else None
    )
    finished_at = factory.LazyAttribute(
        lambda job: timezone.now() if job.status in (JobStatus.DONE, JobStatus.FAILED) else None
    )
