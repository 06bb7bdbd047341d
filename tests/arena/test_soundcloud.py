"""Posting the winners to SoundCloud, end to end against tests/fake_soundcloud.py: connect with
OAuth + PKCE, publish through the API and the job handler, and every failure path of the upload."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from arena.accounts.models import User
from arena.jobs.models import Job, JobKind, JobStatus
from arena.judging.models import JudgeAssignment
from arena.publishing.crypto import token_decrypt
from arena.publishing.models import Publication, PublicationStatus, SoundCloudAccount
from arena.publishing.services import soundcloud_client, soundcloud_tokens_of
from arena.publishing.soundcloud import AuthError, SoundCloudError, pkce_pair
from tasks.jobs import run_job
from tests.factories.accounts import OrganiserFactory
from tests.factories.events import EventFactory, TeamFactory
from tests.factories.judging import results_published
from tests.fake_soundcloud import CLIENT_ID, CLIENT_SECRET, WORKSHOP_TAG, fake_soundcloud

EVENT = "bach-to-the-future"


def _events() -> None:
    """The organiser's finished event with its results published (Fugue State first, then
    Well-Tempered Rockets, each with an entry of Bach's own harmonization), and a live one."""
    organiser = OrganiserFactory(username="organiser", staff=True)
    finished = EventFactory(
        name="Bach to the Future", slug=EVENT, finished=True, organiser=organiser
    )
    teams = [TeamFactory(event=finished, name=n) for n in ("Fugue State", "Well-Tempered Rockets")]
    results_published(event=finished, teams=teams)
    EventFactory(name="Space Odyssey Workshop", slug="space-odyssey", organiser=organiser)


@pytest.fixture
def fake(db, settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    with fake_soundcloud() as server:
        settings.SOUNDCLOUD_CLIENT_ID = CLIENT_ID
        settings.SOUNDCLOUD_CLIENT_SECRET = CLIENT_SECRET
        settings.SOUNDCLOUD_AUTHORIZE_URL = f"{server.url}/authorize"
        settings.SOUNDCLOUD_TOKEN_URL = f"{server.url}/oauth/token"
        settings.SOUNDCLOUD_API_URL = server.url
        settings.SOUNDCLOUD_BACKOFF_S = 0.01
        settings.SOUNDCLOUD_MAX_RETRIES = 3
        settings.SOUNDCLOUD_MAX_WAIT_S = 30
        server.sleeps = []  # type: ignore[attr-defined]
        # Waits are recorded, not slept: the fake's trouble is counted in requests, not seconds.
        monkeypatch.setattr(
            "arena.publishing.soundcloud.time.sleep",
            lambda seconds: server.sleeps.append(seconds),  # type: ignore[attr-defined]
        )
        _events()
        yield server


def _connect(client) -> SoundCloudAccount:  # type: ignore[no-untyped-def]
    """The organiser's browser: connect → SoundCloud (allows at once) → callback."""
    client.force_login(User.objects.get(username="organiser"))
    start = client.get("/publishing/soundcloud/connect/", {"next": f"/events/{EVENT}/judging/"})
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["state"][0]
    at_soundcloud = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_soundcloud.status_code == 302, at_soundcloud.text
    back = urlsplit(at_soundcloud.headers["Location"])
    assert back.path == "/publishing/soundcloud/callback/"
    done = client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})
    assert done.status_code == 302 and done["Location"] == f"/events/{EVENT}/judging/"
    return SoundCloudAccount.objects.get(user__username="organiser")


def _publish(client, **data) -> Job:  # type: ignore[no-untyped-def]
    response = client.post(
        f"/api/events/{EVENT}/publish/",
        {"sharing": "private", **data},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["job"])
    assert job.kind == JobKind.SOUNDCLOUD_PUBLISH and job.queue == "default"
    assert job.event is not None and job.event.slug == EVENT  # listed on the queue page
    return job


def _run(job: Job) -> dict:
    """The worker runs the job (the task body, called in this process)."""
    run_job(job.pk, job.kind)
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job.result


def test_connect_publish_and_the_permalink_is_stored(fake, client):
    account = _connect(client)
    assert account.soundcloud_username == "arena-organiser"
    tokens = soundcloud_tokens_of(account=account)
    # Encrypted at rest: the stored text is not the token.
    assert tokens.access_token and tokens.access_token not in account.access_token
    assert token_decrypt(stored=account.refresh_token) == tokens.refresh_token

    result = _run(_publish(client, winners=2))
    assert len(result["posted"]) == 2 and not result["failed"]
    posted = list(Publication.objects.order_by("rank"))
    assert [p.status for p in posted] == [PublicationStatus.DONE] * 2
    # The stand-in's permalinks are its own pages, which play the posted track.
    assert posted[0].permalink_url.startswith(f"{fake.url}/arena-organiser/track-")
    page = requests.get(posted[0].permalink_url, timeout=5)
    assert page.status_code == 200 and "Fugue State" in page.text and WORKSHOP_TAG in page.text
    stream = requests.get(posted[0].permalink_url + "/stream", timeout=5)
    assert stream.headers["Content-Type"] == "audio/wav" and stream.content[:4] == b"RIFF"
    track = fake.state.tracks[0]
    assert WORKSHOP_TAG in track["tag_list"].split() and track["sharing"] == "private"
    assert "Fugue State" in track["title"] and "Bach to the Future" in track["description"]
    # The models used are named (the demo's entries are Bach's own harmonizations).
    assert "Made with: Bach's own harmonization" in track["description"]
    assert track["bytes"] > 10_000
    # The leaderboard and the desk show the link.
    assert posted[0].permalink_url in client.get(f"/events/{EVENT}/leaderboard/").content.decode()
    assert posted[0].permalink_url in client.get(f"/events/{EVENT}/judging/").content.decode()


def test_a_callback_with_another_state_is_refused(fake, client):
    client.force_login(User.objects.get(username="organiser"))
    start = client.get("/publishing/soundcloud/connect/")
    at_soundcloud = requests.get(start["Location"], allow_redirects=False, timeout=5)
    query = {
        k: v[0] for k, v in parse_qs(urlsplit(at_soundcloud.headers["Location"]).query).items()
    }
    client.get("/publishing/soundcloud/callback/", {**query, "state": "forged"})
    assert not SoundCloudAccount.objects.exists()
    # The state is single-use: the genuine answer after a refused one is refused too.
    client.get("/publishing/soundcloud/callback/", query)
    assert not SoundCloudAccount.objects.exists()


def test_pkce_and_client_credentials_are_checked(fake):
    sc = soundcloud_client()
    verifier, challenge = pkce_pair()
    url = sc.authorize_url(redirect_uri="http://x/cb", state="s", code_challenge=challenge)
    code = parse_qs(
        urlsplit(requests.get(url, allow_redirects=False, timeout=5).headers["Location"]).query
    )["code"][0]
    with pytest.raises(AuthError):
        sc.exchange_code(code=code, code_verifier=pkce_pair()[0], redirect_uri="http://x/cb")
    url = sc.authorize_url(redirect_uri="http://x/cb", state="s", code_challenge=challenge)
    code = parse_qs(
        urlsplit(requests.get(url, allow_redirects=False, timeout=5).headers["Location"]).query
    )["code"][0]
    with pytest.raises(AuthError):
        soundcloud_client(client_secret="wrong").exchange_code(
            code=code, code_verifier=verifier, redirect_uri="http://x/cb"
        )


def test_a_retried_job_never_uploads_twice(fake, client):
    _connect(client)
    job = _publish(client, winners=2)
    _run(job)
    _run(job)  # the message came back after the job ended: dropped, nothing posted again
    assert fake.uploads == 2
    # The worker died mid-job, after an upload whose answer it never recorded: the track exists,
    # the row still says "uploading", and the job runs again.
    first = Publication.objects.get(rank=1)
    Publication.objects.filter(pk=first.pk).update(
        status=PublicationStatus.UPLOADING, permalink_url="", track_id=""
    )
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    _run(job)
    first.refresh_from_db()
    assert fake.uploads == 2 and first.status == PublicationStatus.DONE and first.permalink_url


def test_a_lost_answer_is_looked_up_not_posted_again(fake, client):
    _connect(client)
    fake.lose_next_answer()  # created, but the client sees a 502
    _run(_publish(client, winners=1))
    assert fake.uploads == 1
    assert Publication.objects.get().permalink_url == fake.state.tracks[0]["permalink_url"]


def test_an_expired_token_is_refreshed_once_and_the_old_refresh_token_dies(fake, client):
    account = _connect(client)
    old = soundcloud_tokens_of(account=account)
    fake.expire_access_tokens()
    _run(_publish(client, winners=1))
    assert Publication.objects.get().status == PublicationStatus.DONE
    account.refresh_from_db()
    new = soundcloud_tokens_of(account=account)
    assert new.refresh_token != old.refresh_token and new.access_token != old.access_token
    assert old.refresh_token in fake.state.used_refresh
    with pytest.raises(AuthError):
        soundcloud_client().refresh(refresh_token=old.refresh_token)


def test_rate_limit_waits_for_the_reset_time_then_posts(fake, client):
    _connect(client)
    fake.rate_limit_next(reset_in_s=20)
    _run(_publish(client, winners=1))
    assert Publication.objects.get().status == PublicationStatus.DONE and fake.uploads == 1
    assert any(19 <= s <= 22 for s in fake.sleeps)  # waited until reset_time (+1 s)


def test_a_rate_limit_too_far_away_is_shown_on_the_entry(fake, client):
    _connect(client)
    fake.rate_limit_next(reset_in_s=3600)
    _run(_publish(client, winners=1))
    publication = Publication.objects.get()
    assert publication.status == PublicationStatus.FAILED and "rate limit" in publication.error
    assert fake.uploads == 0


def test_server_errors_are_retried_with_back_off(fake, client):
    _connect(client)
    fake.fail_next(status=503, times=2)
    _run(_publish(client, winners=1))
    assert Publication.objects.get().status == PublicationStatus.DONE and fake.uploads == 1
    assert fake.sleeps[:2] == [0.01, 0.02]


def test_an_outage_fails_the_entry_visibly_and_posting_resumes_after(fake, client):
    _connect(client)
    fake.fail_next(status=500, times=20)
    job = _publish(client, winners=2)
    _run(job)
    failed = list(Publication.objects.order_by("rank"))
    assert all(p.status == PublicationStatus.FAILED and "500" in p.error for p in failed)
    assert "500" in client.get(f"/events/{EVENT}/judging/").content.decode()
    fake.state.trouble.clear()  # SoundCloud is back
    _run(_publish(client, winners=2))
    assert [p.status for p in Publication.objects.order_by("rank")] == [PublicationStatus.DONE] * 2
    assert fake.uploads == 2


def test_the_tag_and_fields_are_required(fake, client):
    account = _connect(client)
    with pytest.raises(SoundCloudError) as error:
        soundcloud_client().upload_track(
            tokens=soundcloud_tokens_of(account=account),
            on_refresh=lambda tokens: None,
            title="No tag",
            audio=b"RIFF....",
            filename="x.wav",
            description="",
            tags=[],
            unique_tag="arena:entry=x",
        )
    assert error.value.status == 422 and fake.uploads == 0


def test_only_organisers_post_and_only_published_results(fake, client):
    client.force_login(JudgeAssignment.objects.filter(event__slug=EVENT).first().judge)
    response = client.post(f"/api/events/{EVENT}/publish/", {}, content_type="application/json")
    assert response.status_code == 403
    _connect(client)
    response = client.post(
        "/api/events/space-odyssey/publish/", {}, content_type="application/json"
    )
    assert response.status_code == 400 and "Publish the results first" in response.content.decode()


def test_without_credentials_the_page_says_so(db, settings, client, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SOUNDCLOUD_CLIENT_ID = ""
    _events()
    client.force_login(User.objects.get(username="organiser"))
    assert "SoundCloud is not set up" in client.get(f"/events/{EVENT}/judging/").content.decode()
    assert client.get("/publishing/soundcloud/connect/").status_code == 302
    assert not SoundCloudAccount.objects.exists()
