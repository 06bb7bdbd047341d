"""The dispatcher on the real database: fair turns between teams, the in-flight bound, lost
messages sent again, and the worker telling the current message from a stale one.

The test transaction never commits, so no message leaves for a broker: what the dispatcher
decided is read back from the jobs (sent_at, dispatch_token), and the worker's task body runs
here in the test process.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pretty_midi
import pytest
from django.utils import timezone

from arena.accounts.models import Role
from arena.events.models import Phase, Team
from arena.events.services import event_create, team_create
from arena.jobs.dispatching import jobs_dispatch, jobs_dispatch_all
from arena.jobs.fairness import OwnerLoad, fair_order
from arena.jobs.models import Job, JobStatus
from arena.jobs.services import job_create, job_finish, job_start
from tasks.jobs import run_job
from tests.job_kinds import MELODY_READ

QUEUE = "fair-test"  # a queue of its own: no other job of the suite counts against it


@pytest.fixture
def teams(make_user) -> dict[str, Team]:  # type: ignore[no-untyped-def]
    now = timezone.now()
    event = event_create(
        name="Queue Cup",
        slug="queue-cup",
        organiser=make_user("host", role=Role.ORGANISER),
        registration_opens=now - timedelta(days=2),
        composing_opens=now - timedelta(days=1),
        judging_opens=now + timedelta(days=1),
        results_at=now + timedelta(days=2),
        phase=Phase.COMPOSING,
    )
    return {
        name: team_create(event=event, name=f"Team {name}", founder=make_user(name.lower()))
        for name in ("A", "B", "C")
    }


@pytest.fixture
def scale(settings, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A one-bar MIDI scale in MEDIA_ROOT, for `melody_read` jobs that really run."""
    settings.MEDIA_ROOT = tmp_path
    midi = pretty_midi.PrettyMIDI(initial_tempo=120)
    flute = pretty_midi.Instrument(program=73)
    for i, pitch in enumerate([60, 62, 64, 65]):
        flute.notes.append(pretty_midi.Note(90, pitch, i * 0.5, (i + 1) * 0.5))
    midi.instruments.append(flute)
    midi.write(str(Path(tmp_path) / "scale.mid"))
    return "scale.mid"


def _job(team: Team, midi: str = "scale.mid") -> Job:
    return job_create(kind=MELODY_READ, payload={"midi": midi}, queue=QUEUE, team=team)


def _sent(*, since: set[int]) -> list[int]:
    return [pk for pk in jobs_dispatch(queue=QUEUE) if pk not in since]


def _work_off(job_id: int) -> None:
    """A worker takes the job's current message and finishes it."""
    job = Job.objects.get(pk=job_id)
    assert job_start(job_id=job_id, token=job.dispatch_token) is not None
    job_finish(job_id=job_id, result={})


def test_round_robin_over_owners() -> None:
    waiting = [(1, "a"), (2, "a"), (3, "a"), (4, "b"), (5, "c"), (6, "b")]
    assert fair_order(waiting) == [1, 4, 5, 2, 6, 3]
    # A team with a job running waits for those without; one served long ago goes first.
    loads = {"a": OwnerLoad(in_flight=1), "b": OwnerLoad(last_sent=100.0), "c": OwnerLoad()}
    assert fair_order(waiting, loads) == [5, 4, 1, 6, 2, 3]


def test_a_team_submitting_after_another_team_s_five_jobs_is_served_second(teams, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ARENA_JOBS_IN_FLIGHT = 1
    a_jobs = [_job(teams["A"]).pk for _ in range(5)]
    b_job = _job(teams["B"]).pk
    order: list[int] = []
    for _ in range(6):
        sent = jobs_dispatch(queue=QUEUE)
        assert len(sent) == 1, "one job at a time with ARENA_JOBS_IN_FLIGHT = 1"
        assert jobs_dispatch(queue=QUEUE) == []  # no room until it ends
        order += sent
        _work_off(sent[0])
    assert order[:2] == [a_jobs[0], b_job]
    assert order[2:] == a_jobs[1:]
    assert Job.objects.filter(queue=QUEUE, status=JobStatus.DONE).count() == 6


def test_at_most_the_in_flight_bound_is_sent_and_a_newcomer_goes_next(teams, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ARENA_JOBS_IN_FLIGHT = 2
    a_jobs = [_job(teams["A"]).pk for _ in range(4)]
    assert jobs_dispatch(queue=QUEUE) == a_jobs[:2]
    assert jobs_dispatch_all() == []
    c_job = _job(teams["C"]).pk
    _work_off(a_jobs[0])
    assert jobs_dispatch(queue=QUEUE) == [c_job]  # A still has one with the workers
    sent = Job.objects.filter(pk__in=[*a_jobs[:2], c_job])
    assert all(job.sent_at and job.dispatch_token == 1 for job in sent)


def test_a_job_whose_message_was_lost_is_sent_again_and_runs_once(teams, scale, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ARENA_JOB_RESEND_AFTER_S = 60
    job = _job(teams["A"], scale)
    assert jobs_dispatch(queue=QUEUE) == [job.pk]
    assert jobs_dispatch(queue=QUEUE) == []  # not yet: its message may still be on its way
    Job.objects.filter(pk=job.pk).update(sent_at=timezone.now() - timedelta(seconds=61))
    assert jobs_dispatch(queue=QUEUE) == [job.pk]
    job.refresh_from_db()
    assert job.dispatch_token == 2 and job.status == JobStatus.QUEUED

    run_job(job.pk, job.kind, 1)  # the first message turns up after all: a stale duplicate
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 0
    run_job(job.pk, job.kind, 2)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1 and job.result["notes"] == 4
    run_job(job.pk, job.kind, 2)  # and redelivered once ended: dropped
    job.refresh_from_db()
    assert job.attempts == 1


def test_the_current_message_redelivered_after_its_worker_died_runs_again(teams, scale) -> None:  # type: ignore[no-untyped-def]
    job = _job(teams["A"], scale)
    jobs_dispatch(queue=QUEUE)
    job.refresh_from_db()
    job_start(job_id=job.pk, token=job.dispatch_token)  # then the worker was killed
    run_job(job.pk, job.kind, job.dispatch_token)  # acks_late: the broker delivers it again
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_a_running_job_is_never_sent_again(teams, settings) -> None:  # type: ignore[no-untyped-def]
    job = _job(teams["A"])
    jobs_dispatch(queue=QUEUE)
    job.refresh_from_db()
    job_start(job_id=job.pk, token=job.dispatch_token)
    Job.objects.filter(pk=job.pk).update(sent_at=timezone.now() - timedelta(hours=1))
    assert jobs_dispatch(queue=QUEUE) == []
    job.refresh_from_db()
    assert job.dispatch_token == 1 and job.status == JobStatus.RUNNING


def test_jobs_know_their_team_and_event(teams, make_user) -> None:  # type: ignore[no-untyped-def]
    team = teams["B"]
    job = _job(team)
    assert job.owner_key == f"team:{team.pk}" and job.event_id == team.event_id
    alone = job_create(kind=MELODY_READ, payload={}, queue=QUEUE, created_by=make_user("x"))
    assert alone.owner_key.startswith("user:") and alone.event is None
