"""PostgreSQL stopped and started again under a running site: a real gunicorn and a real worker
against the real PostgreSQL of scripts/services.sh. While the database is away every page
answers a quick 503 that says so (/healthz names the database) and the web process lives on;
once it is back the same pages, a signed-in user's session included, are 200 again within
seconds, and the worker finishes a new job, neither of them restarted."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pretty_midi
import pytest
import requests
from django.conf import settings as django_settings
from django.db import close_old_connections, connection

from arena.demo.services import demo_seed
from arena.jobs.models import JobStatus
from arena.jobs.services import job_create
from tests.job_kinds import MELODY_READ

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
PAGES = ("/", "/events/space-odyssey/", "/events/bach-to-the-future/leaderboard/", "/api/events/")
STUDIO = "/events/space-odyssey/studio/"  # alice's team page: her session lives in the database
QUICK_S = 5.0  # an answer while the database is away comes within this, never a hang


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def web(transactional_db, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:  # type: ignore[no-untyped-def]
    """gunicorn serving the site on the test database, as in production: DEBUG off."""
    db = connection.settings_dict
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="arena.settings.test",
        DJANGO_DEBUG="0",
        DJANGO_MEDIA_ROOT=str(tmp_path),
    )
    log = open(tmp_path / "web.log", "wb")  # closed once the process has ended
    command = [sys.executable, "-m", "gunicorn", "arena.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--threads", "2", "--timeout", "60"]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                requests.get(f"{url}/healthz", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            raise RuntimeError((tmp_path / "web.log").read_text(errors="replace")[-3000:])
        yield url, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(20)
        log.close()


def _pg_ctl(*args: str) -> None:
    """pg_ctl on the PostgreSQL of scripts/services.sh, as the postgres user when we are root."""
    data = Path(os.environ.get("SERVICES_DIR", "/tmp/arena-test-services")) / "pg"
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    command = [str(binaries[-1] / "pg_ctl"), "-D", str(data), *args]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def _postgres_start() -> None:
    subprocess.run([ROOT / "scripts" / "services.sh", "start"], check=True, capture_output=True)


def _sign_in(url: str, username: str) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{url}/accounts/login/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token, form[:500]
    answer = browser.post(
        f"{url}/accounts/login/",
        {
            "login": username,
            "password": django_settings.DEMO_PASSWORD,
            "csrfmiddlewaretoken": token.group(1),
        },
        timeout=10,
    )
    assert answer.url.rstrip("/") == url, answer.url  # signed in: sent on to the home page
    return browser


def _timed_get(browser: requests.Session, url: str) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = browser.get(url, timeout=30, allow_redirects=False)
    return response, time.monotonic() - started


def _all_ok(browser: requests.Session, url: str) -> dict[str, int]:
    paths = (*PAGES, STUDIO, "/healthz")
    return {path: browser.get(f"{url}{path}", timeout=10).status_code for path in paths}


def _scale_midi(path: Path) -> None:
    midi = pretty_midi.PrettyMIDI(initial_tempo=100)
    flute = pretty_midi.Instrument(program=73, name="Flute")
    for i, pitch in enumerate([60, 62, 64, 65, 67, 69, 71, 72]):
        flute.notes.append(pretty_midi.Note(90, pitch, i * 0.6, (i + 1) * 0.6))
    midi.instruments.append(flute)
    midi.write(str(path))


def test_the_site_and_the_worker_recover_from_a_database_restart(
    web, celery_worker, media_root, settings
) -> None:  # type: ignore[no-untyped-def]
    url, process = web
    settings.MEDIA_ROOT = media_root
    demo_seed(password=django_settings.DEMO_PASSWORD)
    alice = _sign_in(url, "alice")
    before = _all_ok(alice, url)
    assert set(before.values()) == {200}, before
    assert alice.get(f"{url}/healthz", timeout=10).json()["status"] == "ok"

    _pg_ctl("-m", "fast", "stop")
    try:
        health, seconds = _timed_get(alice, f"{url}/healthz")
        assert health.status_code == 503 and seconds < QUICK_S, (health.status_code, seconds)
        assert health.json() == {"database": "error", "broker": "ok", "status": "degraded"}
        for path in (*PAGES, STUDIO):
            page, seconds = _timed_get(alice, f"{url}{path}")
            assert page.status_code == 503 and seconds < QUICK_S, (path, page.status_code)
            assert page.headers["Retry-After"]
            assert "cannot reach its database" in page.text, page.text[:300]
        api = alice.get(f"{url}/api/events/", timeout=10)
        assert api.headers["Content-Type"] == "application/json" and "detail" in api.json()
        assert process.poll() is None, "the web process must outlive the outage"
    finally:
        _postgres_start()
    back = time.monotonic()

    pages = _all_ok(alice, url)
    while set(pages.values()) != {200} and time.monotonic() - back < 10:
        time.sleep(0.5)
        pages = _all_ok(alice, url)
    assert set(pages.values()) == {200}, pages  # the same process, the same signed-in session
    assert time.monotonic() - back < 10

    # The worker, idle through the outage, takes a new job after it.
    close_old_connections()  # this test's own connection died with the server, as the site's did
    _scale_midi(media_root / "after-restart.mid")
    job = job_create(kind=MELODY_READ, payload={"midi": "after-restart.mid"}, queue="gpu")
    deadline = time.monotonic() + 60
    while job.status not in (JobStatus.DONE, JobStatus.FAILED) and time.monotonic() < deadline:
        time.sleep(0.25)
        job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error or job.status
    assert job.result["notes"] == 8
