"""The organisers' queue: the page and the API list an event's jobs with their place in line,
and requeue or cancel one; nobody else sees or touches it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from arena.accounts.models import User
from arena.events.models import Event, Team
from arena.jobs.dispatching import jobs_dispatch
from arena.jobs.models import Job, JobKind, JobStatus
from arena.jobs.services import job_cancel, job_create, job_fail, job_requeue
from tests.factories.events import EventFactory, TeamFactory, team_founder

LIVE = "space-odyssey"


@pytest.fixture
def live(db) -> Event:  # type: ignore[no-untyped-def]
    """An event in its composing phase with two teams."""
    event = EventFactory(slug=LIVE)
    for name in ("Fugue State", "Well-Tempered Rockets"):
        TeamFactory(event=event, name=name)
    return event


@pytest.fixture
def organiser(live) -> User:  # type: ignore[no-untyped-def]
    return live.organiser


def _team(name: str) -> Team:
    return Team.objects.get(event__slug=LIVE, name=name)


def _failed_job() -> Job:
    job = job_create(kind=JobKind.COMPOSE, payload={}, queue="gpu", team=_team("Fugue State"))
    job_fail(job_id=job.pk, error="Internal error: RuntimeError")
    return job


def test_the_page_lists_the_line_in_turn_order(client, organiser, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ARENA_JOBS_IN_FLIGHT = 1
    fugue, rockets = _team("Fugue State"), _team("Well-Tempered Rockets")
    first = job_create(kind=JobKind.COMPOSE, payload={}, queue="gpu", team=fugue)
    assert jobs_dispatch(queue="gpu") == [first.pk]  # it takes the only place
    more = [job_create(kind=JobKind.COMPOSE, payload={}, queue="gpu", team=fugue) for _ in range(3)]
    late = job_create(kind=JobKind.COMPOSE, payload={}, queue="gpu", team=rockets)
    failed = _failed_job()
    client.force_login(organiser)
    page = client.get(f"/events/{LIVE}/queue/")
    assert page.status_code == 200
    html = page.content.decode()
    line = page.context["queue"].waiting
    # The one with a worker comes first; Rockets' newcomer goes before Fugue State's other three.
    assert [(row.job.pk, row.place) for row in line] == [
        (first.pk, None),
        (late.pk, 1),
        *((job.pk, place) for place, job in enumerate(more, start=2)),
    ]
    assert "Well-Tempered Rockets" in html and "Fugue State" in html
    assert "No. 1 in line" in html and "with a worker" in html
    assert "Internal error: RuntimeError" in html
    assert f"/events/{LIVE}/queue/{failed.pk}/requeue/" in html
    assert f"/events/{LIVE}/queue/{late.pk}/cancel/" in html
    assert f"/events/{LIVE}/queue/{late.pk}/requeue/" not in html  # waiting in line: nothing lost


def test_an_event_without_jobs_says_so(client, organiser) -> None:  # type: ignore[no-untyped-def]
    finished = EventFactory(finished=True, organiser=organiser)
    client.force_login(organiser)
    html = client.get(f"/events/{finished.slug}/queue/").content.decode()
    assert "No jobs yet" in html


def test_the_desk_links_to_the_queue(client, organiser) -> None:  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    assert f"/events/{LIVE}/queue/" in client.get(f"/events/{LIVE}/judging/").content.decode()


def test_requeue_puts_a_failed_job_back_in_line(client, organiser) -> None:  # type: ignore[no-untyped-def]
    job = _failed_job()
    client.force_login(organiser)
    response = client.post(f"/events/{LIVE}/queue/{job.pk}/requeue/")
    assert response.status_code == 302 and response["Location"] == f"/events/{LIVE}/queue/"
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.error == "" and job.sent_at is None
    assert job.finished_at is None
    # Once queued, it is not requeued twice.
    with pytest.raises(ValidationError):
        job_requeue(job_id=job.pk, user=organiser)


def test_a_job_stuck_with_a_worker_can_be_requeued(organiser, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ARENA_JOB_RESEND_AFTER_S = 60
    job = job_create(kind=JobKind.COMPOSE, payload={}, queue="gpu", team=_team("Fugue State"))
    Job.objects.filter(pk=job.pk).update(sent_at=timezone.now(), dispatch_token=1)
    with pytest.raises(ValidationError):  # just sent: its worker may start it any moment
        job_requeue(job_id=job.pk, user=organiser)
    Job.objects.filter(pk=job.pk).update(sent_at=timezone.now() - timezone.timedelta(minutes=5))
    job = job_requeue(job_id=job.pk, user=organiser)
    assert job.status == JobStatus.QUEUED and job.sent_at is None


def test_cancel_takes_a_queued_job_out_of_line(client, organiser) -> None:  # type: ignore[no-untyped-def]
    job = job_create(kind=JobKind.COMPOSE, payload={}, queue="gpu", team=_team("Fugue State"))
    client.force_login(organiser)
    client.post(f"/events/{LIVE}/queue/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == f"Cancelled by {organiser}."
    with pytest.raises(ValidationError):
        job_cancel(job_id=job.pk, user=organiser)


def test_only_the_organisers_manage_the_queue(client, live) -> None:  # type: ignore[no-untyped-def]
    job = _failed_job()
    alice = team_founder(_team("Fugue State"))
    with pytest.raises(PermissionDenied):
        job_requeue(job_id=job.pk, user=alice)
    client.force_login(alice)
    assert client.get(f"/events/{LIVE}/queue/").status_code == 404
    assert client.post(f"/events/{LIVE}/queue/{job.pk}/requeue/").status_code == 404
    assert client.post(f"/api/jobs/{job.pk}/requeue/").status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_the_api_lists_and_requeues(client, organiser) -> None:  # type: ignore[no-untyped-def]
    job = _failed_job()
    client.force_login(organiser)
    rows = client.get(f"/api/events/{LIVE}/jobs/").json()
    row = next(r for r in rows if r["id"] == job.pk)
    assert row["team"] == "Fugue State" and row["status"] == "failed" and row["can_requeue"]
    assert all(r["place"] for r in rows if r["status"] == "queued" and r["sent_at"] is None)
    response = client.post(f"/api/jobs/{job.pk}/requeue/")
    assert response.status_code == 200
    assert response.json()["status"] == "queued" and response.json()["error"] == ""
    assert client.post(f"/api/jobs/{job.pk}/requeue/").status_code == 400
    assert client.post("/api/jobs/999999/requeue/").status_code == 404
    schema = client.get("/api/schema/").content.decode()
    assert "/api/jobs/{id}/requeue/" in schema and "/api/events/{slug}/jobs/" in schema
