"""Load: 100 simulated users against the real site, worker, PostgreSQL and Redis on loopback.

`python -m bench load` (or `make load`) starts PostgreSQL and Redis (scripts/services.sh, own
ports), migrates and seeds a database of its own, serves the site with gunicorn and runs one
Celery worker. For LOAD_SECONDS (default 60) LOAD_USERS users (default 100), arriving one by one
over the first LOAD_RAMP_S (default 5, as a load tester's spawn rate), browse the pages and the
API anonymously; one in ten belongs to a team and uploads a melody, queues a 10-second piece
and polls it until done. Afterwards the queue may drain for up to LOAD_DRAIN_S. Prints p50, p95
and p99 per endpoint, the errors (5xx, failed connections) and the jobs completed.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

from arena.server_timing import server_timing_of
from bench.table import print_table

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("LOAD_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "load-test-password-42"
TEAMS = 10
WEB_PROCESSES = 3  # gunicorn.conf.py's workers
BROWSE = [
    ("page /", "/"),
    ("page event", "/events/space-odyssey/"),
    ("page leaderboard", "/events/bach-to-the-future/leaderboard/"),
    ("api events", "/api/events/"),
    ("api leaderboard", "/api/events/bach-to-the-future/leaderboard/"),
]


class Recorder:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.reasons: Counter[str] = Counter()  # what the errors were: "page / 502", …
        # The site's own account of each request (Server-Timing): ms inside Django, ms of CPU.
        self.server: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self.lock = threading.Lock()

    def call(self, session: requests.Session, name: str, method: str, url: str, **kw):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            response = session.request(method, BASE + url, timeout=30, **kw)
            failed = response.status_code >= 500 or response.status_code in (403, 404)
            reason = f"{name} {response.status_code}"
        except requests.RequestException as exc:
            response, failed, reason = None, True, f"{name} {type(exc).__name__}"
        timing = server_timing_of(response.headers.get("Server-Timing", "")) if response else None
        with self.lock:
            self.times[name].append(time.perf_counter() - started)
            self.errors[name] += failed
            if failed:
                self.reasons[reason] += 1
            if timing is not None:
                self.server[name].append(timing)
        return response


def _web_log_summary(web_log: Path) -> None:
    """What gunicorn said that a user may have felt: workers timed out, errors."""
    if not web_log.exists():
        return
    said = Counter(
        kind
        for line in web_log.read_text(errors="replace").splitlines()
        for kind in ("WORKER TIMEOUT", "Traceback", "[ERROR]")
        if kind in line
    )
    if said:
        print("gunicorn said: " + ", ".join(f"{n} × {kind}" for kind, n in said.items()))


def _quantiles(values: list[float]) -> list[float]:
    ordered = sorted(values)
    return statistics.quantiles(ordered, n=100) if len(ordered) > 1 else ordered * 99


def _env(services: dict[str, str], media: Path) -> dict[str, str]:
    return dict(
        os.environ,
        **services,
        DJANGO_SETTINGS_MODULE="arena.settings.local",
        DJANGO_MEDIA_ROOT=str(media),
        ARENA_HARMONIZER_MODULES="tests.integration.stand_in_models",
        ARENA_TEAM_ACTIVE_JOBS="2",
        OMP_NUM_THREADS="1",
    )


def _services() -> dict[str, str]:
    env = dict(os.environ, SERVICES_DIR="/tmp/arena-load", PG_PORT="54399", REDIS_PORT="63899")
    out = subprocess.run(
        ["scripts/services.sh", "start"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout
    found = {}
    for line in out.splitlines():
        for part in line.removeprefix("export ").split():
            key, _, value = part.partition("=")
            found[key] = value
    return {k: found[k] for k in ("DATABASE_URL", "CELERY_BROKER_URL")}


SEED = """
from arena.demo.services import demo_seed
from arena.accounts.services import user_create
from arena.events.models import Event
from arena.events.services import team_create
from rest_framework.authtoken.models import Token
demo = demo_seed(password={password!r})
for i in range({teams}):
    user = user_create(username=f"load{{i}}", email=f"load{{i}}@example.org", password={password!r})
    team_create(event=demo["live"], name=f"Load team {{i}}", founder=user)
    print(Token.objects.get_or_create(user=user)[0].key)
"""


def _prepare(env: dict[str, str]) -> list[str]:
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "flush", "--no-input"], cwd=ROOT, env=env, capture_output=True)
    subprocess.run(
        [*manage, "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    code = SEED.format(password=PASSWORD, teams=TEAMS)
    out = subprocess.run(
        [*manage, "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split()[-TEAMS:]


def _arrive() -> None:
    """A user comes at some moment of the first LOAD_RAMP_S seconds, not all in one instant."""
    time.sleep(random.uniform(0, float(os.environ.get("LOAD_RAMP_S", "5"))))


def _browser(rec: Recorder, stop: float) -> None:
    _arrive()
    session = requests.Session()
    while time.monotonic() < stop:
        name, url = random.choice(BROWSE)
        rec.call(session, name, "GET", url)
        time.sleep(random.uniform(0.5, 1.5))  # a person reads the page


def _composer(rec: Recorder, stop: float, token: str, melody: bytes, done: list[int]) -> None:
    _arrive()
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    while time.monotonic() < stop:
        response = rec.call(
            session,
            "api upload melody",
            "POST",
            "/api/events/space-odyssey/melodies/",
            files={"file": ("tune.mid", melody, "audio/midi")},
        )
        if response is None or response.status_code != 201:
            time.sleep(1)
            continue
        response = rec.call(
            session,
            "api queue piece",
            "POST",
            f"/api/melodies/{response.json()['id']}/compositions/",
            json={"seconds": 10},
        )
        if response is None or response.status_code != 202:
            time.sleep(1)
            continue
        piece = response.json()["id"]
        while time.monotonic() < stop + float(os.environ.get("LOAD_DRAIN_S", "180")):
            response = rec.call(session, "api poll piece", "GET", f"/api/compositions/{piece}/")
            status = response.json()["status"] if response is not None and response.ok else ""
            if status in ("done", "failed"):
                done.append(status == "done")
                break
            time.sleep(1)


def _wait_ready(web_log: Path, worker_log: Path, seconds: float = 180) -> None:
    """The users come once the site and the worker are running, not while they start: every web
    process has read its first melody (arena.submissions.warm_up) and the worker has its models
    loaded (tasks.warm_up), as on a site that has been up for a while."""
    deadline = time.monotonic() + seconds
    web_ready = os.environ.get("ARENA_WARM_UP", "1") == "0"
    worker_ready = os.environ.get("ARENA_WORKER_WARM_UP", "1") == "0"
    while time.monotonic() < deadline and not (web_ready and worker_ready):
        web_text = web_log.read_text(errors="replace") if web_log.exists() else ""
        web_ready = web_ready or web_text.count("melody reader ready") >= WEB_PROCESSES
        worker_text = worker_log.read_text(errors="replace") if worker_log.exists() else ""
        worker_ready = worker_ready or "worker ready to compose" in worker_text
        time.sleep(0.2)


def main() -> None:
    seconds = float(os.environ.get("LOAD_SECONDS", "60"))
    users = int(os.environ.get("LOAD_USERS", "100"))
    services = _services()
    media = Path(tempfile.mkdtemp(prefix="arena-load-media-"))
    env = _env(services, media)
    tokens = _prepare(env)
    melody = (ROOT / "fixtures/melodies/ode-to-joy.mid").read_bytes()
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "tasks", "purge", "-f"],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    web_log, worker_log = media / "web.log", media / "worker.log"
    web = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "arena.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stderr=web_log.open("wb"),
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tasks",
            "worker",
            "-Q",
            "gpu,default",
            "-c",
            "1",
            "--loglevel",
            "INFO",  # into its log file, where the bench sees it ready
            "-n",
            "load@%h",
            "--logfile",
            str(worker_log),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                if requests.get(BASE + "/", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        _wait_ready(web_log, worker_log)
        rec, done = Recorder(), []
        stop = time.monotonic() + seconds
        composers = min(TEAMS, users // 10)
        threads = [
            threading.Thread(target=_composer, args=(rec, stop, tokens[i], melody, done))
            for i in range(composers)
        ] + [threading.Thread(target=_browser, args=(rec, stop)) for _ in range(users - composers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rows = []
        for name in sorted(rec.times):
            q = _quantiles(rec.times[name])
            rows.append(
                [
                    name,
                    len(rec.times[name]),
                    rec.errors[name],
                    *(round(1000 * q[i], 1) for i in (49, 94, 98)),
                ]
            )
        print_table(
            f"Load: {users} users arriving over {os.environ.get('LOAD_RAMP_S', '5')} s, "
            f"{seconds:g} s in all, on {os.cpu_count()} cores "
            "(gunicorn 3x8, one worker, PostgreSQL, Redis)",
            ["endpoint", "requests", "errors", "p50 ms", "p95 ms", "p99 ms"],
            rows,
        )
        queued = (
            sum(1 for n in rec.times["api queue piece"]) if "api queue piece" in rec.times else 0
        )
        print(
            f"\nerrors: {sum(rec.errors.values())}; pieces queued: {queued}, "
            f"completed: {sum(done)}, failed: {len(done) - sum(done)}"
        )
        for reason, count in rec.reasons.most_common():
            print(f"  {count} × {reason}")
        print_table(
            "Where the time went (Server-Timing): the wait the user saw, the time inside Django "
            "(views, database, the process's other threads), and its CPU",
            ["endpoint", "waited p50/p95 ms", "in Django p50/p95 ms", "CPU p50/p95 ms"],
            [
                [
                    name,
                    *(
                        f"{q[49]:.1f} / {q[94]:.1f}"
                        for q in (
                            _quantiles([1000 * t for t in rec.times[name]]),
                            _quantiles([app for app, _ in rec.server[name]]),
                            _quantiles([cpu for _, cpu in rec.server[name]]),
                        )
                    ),
                ]
                for name in sorted(rec.server)
            ],
        )
    finally:
        for process in (web, worker):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        _web_log_summary(web_log)
        shutil.rmtree(media, ignore_errors=True)
        subprocess.run(
            ["scripts/services.sh", "stop"],
            cwd=ROOT,
            capture_output=True,
            env=dict(
                os.environ, SERVICES_DIR="/tmp/arena-load", PG_PORT="54399", REDIS_PORT="63899"
            ),
        )


if __name__ == "__main__":
    main()
