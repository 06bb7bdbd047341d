"""Scale-out: `python -m bench scale`.

Starts PostgreSQL, Redis and the S3-compatible object store on loopback (scripts/services.sh, on
ports of its own), then 1, 2 and 3 Celery worker processes as separate machines would run them:
each its own process with its own temporary and media folders, sharing only the database, the
broker and the bucket (ARENA_STORAGE=s3). For each count it lets every worker compose one piece
first (models loaded, as in a running deployment), then queues the same batch of pieces at once
and prints pieces per minute and the p50/p95 wait (queued to done) a team sees.

SCALE_PIECES (default 12) pieces of SCALE_SECONDS (default 10) seconds, model SCALE_MODEL
(default hybrid; the shipped models, or the stand-ins of tests/integration when SCALE_STAND_INS=1),
SCALE_WORKERS (default "1,2,3"). Each worker uses one thread (OMP_NUM_THREADS=1).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import psycopg

from bench.table import print_table

ROOT = Path(__file__).resolve().parents[1]
PLACES = {
    "SERVICES_DIR": "/tmp/arena-scale",
    "PG_PORT": "54419",
    "REDIS_PORT": "63919",
    "S3_PORT": "59019",
    "S3_BUCKET": "arena-scale",
}
SEED = """
import json
from datetime import timedelta
from django.utils import timezone
from arena.accounts.models import Role
from arena.accounts.services import user_create
from arena.events.models import Phase
from arena.events.services import event_create, team_create
from arena.submissions.services import melody_create_from_sample
now = timezone.now()
organiser = user_create(username="org", email="org@example.org", password="x" * 12,
                        role=Role.ORGANISER)
event = event_create(name="Scale", slug="scale", organiser=organiser,
                     registration_opens=now - timedelta(days=2),
                     composing_opens=now - timedelta(days=1),
                     judging_opens=now + timedelta(days=1), results_at=now + timedelta(days=2),
                     phase=Phase.COMPOSING)
user = user_create(username="team", email="team@example.org", password="x" * 12)
team = team_create(event=event, name="Scale team", founder=user)
melody = melody_create_from_sample(team=team, user=user, slug="ode-to-joy")
print(json.dumps({"melody": melody.pk, "user": user.pk}))
"""
QUEUE = """
import json
from arena.jobs.dispatching import job_sender_warm_up
job_sender_warm_up()  # loaded and connected before the pieces are queued, as a serving site has it
from arena.accounts.models import User
from arena.submissions.models import Melody
from arena.submissions.services import composition_create
melody, user = Melody.objects.get(pk={melody}), User.objects.get(pk={user})
jobs = [
    composition_create(melody=melody, user=user, model={model!r}, seed=seed,
                       seconds={seconds}).job_id
    for seed in range({pieces})
]
print(json.dumps(jobs))
"""


def services_start() -> dict[str, str]:
    out = subprocess.run(
        ["scripts/services.sh", "start"],
        cwd=ROOT,
        env=dict(os.environ, **PLACES),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        for part in line.removeprefix("export ").split():
            key, _, value = part.partition("=")
            found[key] = value
    keys = ("DATABASE_URL", "CELERY_BROKER_URL", "AWS_S3_ENDPOINT_URL", "AWS_STORAGE_BUCKET_NAME")
    return {k: found[k] for k in (*keys, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}


def worker_env(services: dict[str, str], workers: int) -> dict[str, str]:
    env = dict(
        os.environ,
        **services,
        DJANGO_SETTINGS_MODULE="arena.settings.local",
        ARENA_STORAGE="s3",
        AWS_S3_REGION_NAME="us-east-1",
        ARENA_TEAM_ACTIVE_JOBS="1000",  # one team queues the whole batch
        ARENA_JOBS_IN_FLIGHT=str(workers),  # as many messages out as there are worker processes
        ARENA_JOB_RESEND_AFTER_S="600",
        OMP_NUM_THREADS="1",
        LOG_LEVEL="WARNING",
    )
    if os.environ.get("SCALE_STAND_INS") == "1":
        env["ARENA_HARMONIZER_MODULES"] = (
            "tests.integration.stand_in_models,tests.integration.stand_in_shipped_models"
        )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def worker_start(env: dict[str, str], name: str, home: Path) -> subprocess.Popen[bytes]:
    """A worker as on a machine of its own: own process, temporary folder and media folder."""
    (home / "tmp").mkdir(parents=True)
    (home / "media").mkdir()
    own = dict(env, TMPDIR=str(home / "tmp"), DJANGO_MEDIA_ROOT=str(home / "media"))
    command = [sys.executable, "-m", "celery", "-A", "tasks", "worker", "-Q", "gpu,default"]
    command += ["-c", "1", "-n", f"{name}@%h", "--loglevel", "INFO"]
    command += ["--logfile", str(home / "worker.log")]
    return subprocess.Popen(command, cwd=ROOT, env=own, start_new_session=True)


def workers_ready(homes: list[Path], processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 180
    for home, process in zip(homes, processes, strict=True):
        log = home / "worker.log"
        while not (log.exists() and "ready." in log.read_text(errors="replace")):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)


def jobs_wait(database: str, ids: list[int], seconds: float) -> list[tuple[datetime, ...]]:
    """Wait until the jobs have ended; their (created, started, finished) times."""
    deadline = time.monotonic() + seconds
    with psycopg.connect(database, autocommit=True) as db:
        while True:
            rows = db.execute(
                "SELECT status, error, created_at, started_at, finished_at FROM jobs_job "
                "WHERE id = ANY(%s)",
                (ids,),
            ).fetchall()
            failed = [row[1] for row in rows if row[0] == "failed"]
            if failed:
                raise RuntimeError(f"a piece failed: {failed[0]}")
            if all(row[0] == "done" for row in rows):
                return [row[2:] for row in rows]
            if time.monotonic() > deadline:
                raise RuntimeError(f"pieces still not done after {seconds:g} s")
            time.sleep(0.2)


def pieces_queue(
    env: dict[str, str], seed: dict[str, int], pieces: int, seconds: int, model: str
) -> list[int]:
    """Queue `pieces` pieces of the seeded melody (seeds 0, 1, ...); their job ids."""
    code = QUEUE.format(pieces=pieces, seconds=seconds, model=model, **seed)
    return list(json.loads(manage(env, "shell", "-c", code).split("\n")[-2]))


def _round(services: dict[str, str], seed: dict[str, int], workers: int, pieces: int) -> list:
    env = worker_env(services, workers)
    homes = [Path(tempfile.mkdtemp(prefix=f"arena-scale-{workers}-{n}-")) for n in range(workers)]
    processes = [worker_start(env, f"scale{n}", home) for n, home in enumerate(homes)]
    try:
        workers_ready(homes, processes)
        seconds = int(os.environ.get("SCALE_SECONDS", "10"))
        model = os.environ.get("SCALE_MODEL", "hybrid")
        warm_up = pieces_queue(env, seed, workers, seconds, model)  # each worker loads its models
        jobs_wait(env["DATABASE_URL"], warm_up, 600)
        batch = pieces_queue(env, seed, pieces, seconds, model)
        times = jobs_wait(env["DATABASE_URL"], batch, 1800)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    began = min(created for created, _, _ in times)
    ended = max(finished for _, _, finished in times)
    waits = sorted((finished - created).total_seconds() for created, _, finished in times)
    composing = [(finished - started).total_seconds() for _, started, finished in times]
    q = statistics.quantiles(waits, n=20, method="inclusive")
    per_minute = 60 * pieces / (ended - began).total_seconds()
    return [workers, pieces, per_minute, q[9], q[18], statistics.median(composing)]


def device_used(env: dict[str, str]) -> str:
    """The device a worker started with `env` composes on, in words."""
    probe = "from composer.models.device import best_device as b, device_name as n; print(n(b()))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return out.stdout.strip() or "cpu"


def main() -> None:
    pieces = int(os.environ.get("SCALE_PIECES", "12"))
    counts = [int(n) for n in os.environ.get("SCALE_WORKERS", "1,2,3").split(",")]
    services = services_start()
    try:
        env = worker_env(services, 1)
        manage(env, "flush", "--no-input")
        manage(env, "migrate", "--no-input")
        seed = json.loads(manage(env, "shell", "-c", SEED).split("\n")[-2])
        rows = [_round(services, seed, workers, pieces) for workers in counts]
    finally:
        subprocess.run(
            ["scripts/services.sh", "stop"], cwd=ROOT, env=dict(os.environ, **PLACES), check=False
        )
    one = rows[0][2]
    for row in rows:
        row.append(f"{row[2] / one:.2f}x")
    models = "stand-in models" if os.environ.get("SCALE_STAND_INS") == "1" else "shipped models"
    print_table(
        f"Scale-out: {pieces} pieces of {os.environ.get('SCALE_SECONDS', '10')} s "
        f"({os.environ.get('SCALE_MODEL', 'hybrid')}, {models}, {device_used(env)}) on "
        f"{os.cpu_count()} cores, workers sharing PostgreSQL, Redis and an S3 bucket",
        ["workers", "pieces", "pieces/min", "p50 wait s", "p95 wait s", "compose s", "speed-up"],
        rows,
    )


if __name__ == "__main__":
    main()
