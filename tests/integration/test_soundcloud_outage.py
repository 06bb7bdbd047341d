"""SoundCloud goes away in the middle of posting the winners, with a real worker on the real
PostgreSQL and Redis and tests/fake_soundcloud.py on loopback: the track being uploaded is
created but its answer never comes, then the port refuses every connection. Both winners are
marked failed with the reason; once SoundCloud is back a new request posts the rest, and the
track whose answer was lost is found by its tag, not posted again. (5xx and 429 answers:
tests/arena/test_soundcloud.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection

from arena.accounts.models import User
from arena.demo.services import demo_seed
from arena.events.models import Event
from arena.jobs.models import Job, JobStatus
from arena.publishing.models import Publication, PublicationStatus
from arena.publishing.services import publication_request, soundcloud_client, soundcloud_connect
from arena.publishing.soundcloud import pkce_pair
from tests.fake_soundcloud import CLIENT_ID, CLIENT_SECRET, FakeSoundCloud, fake_soundcloud

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
QUEUE = "soundcloud-outage"  # its own queue and worker, which knows where the fake listens
EVENT = "bach-to-the-future"


@pytest.fixture
def fake(settings, tmp_path: Path) -> Iterator[FakeSoundCloud]:  # type: ignore[no-untyped-def]
    with fake_soundcloud() as server:
        settings.MEDIA_ROOT = tmp_path
        settings.CELERY_DEFAULT_QUEUE = QUEUE  # the queue publishing jobs are sent to
        settings.SOUNDCLOUD_CLIENT_ID = CLIENT_ID
        settings.SOUNDCLOUD_CLIENT_SECRET = CLIENT_SECRET
        settings.SOUNDCLOUD_AUTHORIZE_URL = f"{server.url}/authorize"
        settings.SOUNDCLOUD_TOKEN_URL = f"{server.url}/oauth/token"
        settings.SOUNDCLOUD_API_URL = server.url
        yield server


@pytest.fixture
def worker(fake: FakeSoundCloud, tmp_path: Path) -> Iterator[Path]:
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="arena.settings.test",
        DJANGO_MEDIA_ROOT=str(tmp_path),
        SOUNDCLOUD_CLIENT_ID=CLIENT_ID,
        SOUNDCLOUD_CLIENT_SECRET=CLIENT_SECRET,
        SOUNDCLOUD_AUTHORIZE_URL=f"{fake.url}/authorize",
        SOUNDCLOUD_TOKEN_URL=f"{fake.url}/oauth/token",
        SOUNDCLOUD_API_URL=fake.url,
        SOUNDCLOUD_MAX_RETRIES="2",
        SOUNDCLOUD_BACKOFF_S="0.05",
    )
    celery = [sys.executable, "-m", "celery", "-A", "tasks"]
    subprocess.run([*celery, "purge", "-f", "-Q", QUEUE], env=env, cwd=ROOT, capture_output=True)
    log = tmp_path / "worker.log"
    command = [*celery, "worker", "-Q", QUEUE, "-c", "1", "-n", f"{QUEUE}@%h"]
    command += ["--loglevel", "INFO", "--logfile", str(log)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not (log.exists() and "ready." in log.read_text(errors="replace")):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")[-3000:] if log.exists() else "")
            time.sleep(0.2)
        yield log
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def _connect(organiser: User) -> None:
    """The organiser allows the app on SoundCloud (the fake allows at once)."""
    client = soundcloud_client()
    verifier, challenge = pkce_pair()
    redirect = "http://127.0.0.1/publishing/soundcloud/callback/"
    consent = client.authorize_url(redirect_uri=redirect, state="s", code_challenge=challenge)
    back = requests.get(consent, allow_redirects=False, timeout=5).headers["Location"]
    code = parse_qs(urlsplit(back).query)["code"][0]
    soundcloud_connect(
        user=organiser, code=code, code_verifier=verifier, redirect_uri=redirect, client=client
    )


def _post_winners(event: Event, organiser: User) -> Job:
    job = publication_request(event=event, user=organiser, sharing="private", winners=2)
    deadline = time.monotonic() + 60
    while job.status not in (JobStatus.DONE, JobStatus.FAILED) and time.monotonic() < deadline:
        time.sleep(0.25)
        job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error or job.status
    return job


def test_soundcloud_going_away_mid_posting_then_posting_resumes_once_each(fake, worker) -> None:  # type: ignore[no-untyped-def]
    demo = demo_seed(password=django_settings.DEMO_PASSWORD)
    organiser = User.objects.get(username="organiser")
    _connect(organiser)

    fake.go_away_after(uploads=1)
    _post_winners(demo["finished"], organiser)
    failed = list(Publication.objects.order_by("rank"))
    assert len(failed) == 2
    for publication in failed:
        assert publication.status == PublicationStatus.FAILED
        assert "could not be reached" in publication.error, publication.error
    assert fake.uploads == 1  # the first winner's track exists; SoundCloud never said so
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{fake.url}/me", timeout=5)  # still away: the port refuses

    fake.come_back()
    result = _post_winners(demo["finished"], organiser).result
    posted = list(Publication.objects.order_by("rank"))
    assert [p.status for p in posted] == [PublicationStatus.DONE] * 2
    assert fake.uploads == 2 and len(fake.state.tracks) == 2  # one track per winner, no more
    tracks = {str(t["id"]): t["permalink_url"] for t in fake.state.tracks}
    assert {p.track_id: p.permalink_url for p in posted} == tracks
    assert result == {"posted": [p.permalink_url for p in posted], "failed": {}}
    assert len({t["title"] for t in fake.state.tracks}) == 2
