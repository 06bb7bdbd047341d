"""Media in an S3-compatible store that every machine shares (ARENA_STORAGE=s3), on the real
object store `scripts/services.sh` starts on loopback (moto's server mode): a melody uploaded to
the site, the piece a real worker composes from it and a team's own trained model all land in
the bucket, the site serves them from there, and nothing is left on the worker's disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from arena.accounts.models import User
from arena.events.models import Team
from arena.jobs.models import Job, JobStatus
from arena.submissions.models import Composition, Melody
from arena.training.services import training_start
from tests.composing_team import composing_team

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
QUEUE = "shared-storage"  # its own queue, so the suite's shared worker never takes these jobs
ODE = ROOT / "fixtures" / "melodies" / "ode-to-joy.mid"


def _s3_env() -> dict[str, str]:
    names = ("AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
    if not all(os.environ.get(name) for name in names):
        if os.environ.get("ARENA_REQUIRE_SERVICES") == "1":
            pytest.fail('the object store is not running: eval "$(scripts/services.sh start)"')
        pytest.skip("needs the object store of scripts/services.sh")
    return {name: os.environ[name] for name in names}


@pytest.fixture(scope="module")
def bucket() -> Iterator[Any]:
    """A fresh bucket of the real object store, for this module's files only."""
    import boto3

    env = _s3_env()
    s3 = boto3.resource(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    created = s3.create_bucket(Bucket=f"arena-itest-{uuid.uuid4().hex[:12]}")
    yield created
    created.objects.all().delete()
    created.delete()


@pytest.fixture
def s3_media(bucket, settings) -> Any:  # type: ignore[no-untyped-def]
    """This test process stores its media in the bucket, as ARENA_STORAGE=s3 sets it up."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket.name,
                "endpoint_url": os.environ["AWS_S3_ENDPOINT_URL"],
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    return bucket


@pytest.fixture(scope="module")
def s3_worker(
    django_db_setup, django_db_blocker, bucket, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:  # type: ignore[no-untyped-def]
    """A worker as on another machine: its own (empty) media folder and temporary folder, and
    ARENA_STORAGE=s3 read from its environment by the settings."""
    home = tmp_path_factory.mktemp("s3-worker")
    media, temp = home / "media", home / "tmp"
    media.mkdir()
    temp.mkdir()
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="arena.settings.test",
        ARENA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=bucket.name,
        AWS_S3_REGION_NAME="us-east-1",
        DJANGO_MEDIA_ROOT=str(media),
        TMPDIR=str(temp),
        CELERY_JOB_TIME_LIMIT="120",
        ARENA_JOB_RESEND_AFTER_S="300",  # one job at a time here: never resent to `gpu`
        ARENA_HARMONIZER_MODULES="tests.integration.stand_in_models",
        ARENA_WORKER_WARM_UP="1",  # as in production: models loaded as the worker starts
    )
    log = home / "worker.log"
    celery = [sys.executable, "-m", "celery", "-A", "tasks"]
    subprocess.run([*celery, "purge", "-f", "-Q", QUEUE], env=env, cwd=ROOT, capture_output=True)
    command = [*celery, "worker", "-Q", QUEUE, "-c", "1", "-n", "s3@%h"]
    command += ["--loglevel", "INFO", "--logfile", str(log)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not (log.exists() and "ready." in log.read_text(errors="replace")):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        yield {"media": media, "temp": temp, "log": log}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def to_s3_queue(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tasks.dispatch

    send = tasks.dispatch.send
    monkeypatch.setattr(
        tasks.dispatch, "send", lambda **message: send(**{**message, "queue": QUEUE})
    )


def _wait(job: Job, seconds: float) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        time.sleep(0.25)
    raise AssertionError(f"job still {job.status} after {seconds} s")


def _stored(bucket: Any, name: str) -> bytes:
    return bucket.Object(name).get()["Body"].read()


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _no_files_left(worker: dict[str, Path]) -> None:
    assert not any(worker["media"].rglob("*")), "the worker wrote to its local media folder"
    left = [p for p in worker["temp"].rglob("*") if p.is_file() and "team-weights" not in str(p)]
    assert not left, f"the worker left files behind: {left}"


@pytest.fixture
def team(make_user) -> Team:  # type: ignore[no-untyped-def]
    return composing_team(make_user)


def test_a_piece_composed_by_a_worker_lands_in_the_bucket_and_the_site_serves_it(
    s3_media, s3_worker, to_s3_queue, team
) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_login(User.objects.get(username="nina"))
    with ODE.open("rb") as handle:
        uploaded = client.post(f"/api/events/{team.event.slug}/melodies/", {"file": handle})
    assert uploaded.status_code == 201, uploaded.content
    melody = Melody.objects.get(pk=uploaded.json()["id"])
    assert _stored(s3_media, melody.midi.name)[:4] == b"MThd"  # in the bucket, not on a disk

    queued = client.post(f"/api/melodies/{melody.pk}/compositions/", {"seconds": 10})
    assert queued.status_code == 202, queued.content
    composition = Composition.objects.get(pk=queued.json()["id"])
    job = _wait(composition.job, 120)
    assert job.status == JobStatus.DONE, job.error
    assert "worker ready to compose" in s3_worker["log"].read_text()  # warmed up as it started
    stages = [stage["message"] for stage in job.result["stages"]]
    assert stages[0] == "reading the melody" and stages[-2:] == ["saving", "stored"]
    assert any(stage.startswith("harmonizing the melody (") for stage in stages)
    assert "rendering audio, piano roll and score" in stages
    composition.refresh_from_db()
    stored = {obj.key for obj in s3_media.objects.filter(Prefix="compositions/")}
    fields = ("midi", "roll", "audio", "audio_compressed", "sheet_music")
    for field in fields:
        assert getattr(composition, field).name in stored, field

    detail = client.get(f"/api/compositions/{composition.pk}/").json()
    midi = client.get(detail["midi_url"])
    assert midi.status_code == 200 and midi["Content-Type"] == "audio/midi"
    assert _body(midi) == _stored(s3_media, composition.midi.name)
    audio = client.get(detail["audio_url"])
    assert audio.status_code == 200
    assert _body(audio) == _stored(s3_media, composition.audio.name)  # the WAV download
    _no_files_left(s3_worker)


def test_a_team_model_trained_on_one_machine_composes_on_any(
    s3_media, s3_worker, to_s3_queue, team
) -> None:  # type: ignore[no-untyped-def]
    nina = User.objects.get(username="nina")
    client = APIClient()
    client.force_login(nina)
    with ODE.open("rb") as handle:
        melody_id = client.post(f"/api/events/{team.event.slug}/melodies/", {"file": handle})
    training = training_start(
        team=team, user=nina, size="tiny", steps=10, learning_rate=3e-3, noise_channels=4
    )
    job = _wait(training.job, 150)
    assert job.status == JobStatus.DONE, job.error
    training.refresh_from_db()
    run = f"training/{training.pk}"
    stored = {obj.key for obj in s3_media.objects.filter(Prefix=run)}
    assert {f"{run}/ckpt.pt", f"{run}/metrics.csv", training.weights.name} <= stored
    assert training.weights.name == f"{run}/gan.pt"
    sample = training.samples[-1]
    assert sample["midi"] in stored
    served = client.get(f"/trainings/{training.pk}/samples/{sample['step']}/midi/")
    assert served.status_code == 200
    assert _body(served) == _stored(s3_media, sample["midi"])

    composition = Composition.objects.get(
        pk=client.post(
            f"/api/melodies/{melody_id.json()['id']}/compositions/",
            {"model": training.model_key, "seconds": 10},
        ).json()["id"]
    )
    job = _wait(composition.job, 120)
    assert job.status == JobStatus.DONE, job.error
    assert job.result["models"].startswith("custom harmonizer")
    _no_files_left(s3_worker)
