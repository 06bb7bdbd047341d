"""CSRF on every form, secure production settings, no secret in the repository, and user text
escaped on every page that shows it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from arena.events.models import Event, Team
from arena.judging.models import Rating
from arena.submissions.models import Melody
from composer.data.samples import sample_melodies
from tests.factories.accounts import OrganiserFactory, UserFactory
from tests.factories.events import EventFactory, TeamFactory
from tests.factories.judging import RatingFactory

ROOT = Path(__file__).resolve().parents[2]
XSS = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"

# Key-like strings: private keys, cloud and service tokens, and long secrets assigned to a name
# that says secret/password/token. Test fixtures and the demo's documented password are allowed.
SECRET_PATTERNS = [
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),  # AWS access key id
    re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),  # GitHub token
    re.compile(r"xox[baprs]-[A-Za-z0-9-]{10,}"),  # Slack token
    re.compile(r"sk_live_[A-Za-z0-9]{20,}"),  # Stripe live key
    re.compile(
        r"(?i)(secret_key|client_secret|api_key|password|token)\s*[=:]\s*['\"][A-Za-z0-9+/_!#$%-]{32,}['\"]"
    ),
]
ALLOWED_FILES = {"tests/arena/test_settings.py"}  # a throw-away key to run `check --deploy`
BINARY = (".npz", ".pt", ".mid", ".png", ".flac", ".wav", ".sf2", ".ico", ".woff2", ".gz")


def test_no_secret_in_tracked_files() -> None:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = []
    for name in files:
        path = ROOT / name
        if name in ALLOWED_FILES or name.endswith(BINARY) or not path.is_file():
            continue
        text = path.read_text(errors="ignore")
        found += [f"{name}: {m.group(0)[:40]}" for p in SECRET_PATTERNS for m in p.finditer(text)]
    assert not found, found


def test_production_cookies_and_headers_are_secure() -> None:
    source = (ROOT / "arena/settings/production.py").read_text()
    for setting in (
        "SESSION_COOKIE_SECURE = True",
        "CSRF_COOKIE_SECURE = True",
        "SECURE_CONTENT_TYPE_NOSNIFF = True",
        'X_FRAME_OPTIONS = "DENY"',
        "SECURE_HSTS_INCLUDE_SUBDOMAINS = True",
    ):
        assert setting in source  # `check --deploy` (tests/arena/test_settings.py) runs them


@pytest.fixture
def live(db, settings, tmp_path) -> Event:  # type: ignore[no-untyped-def]
    """An event in its composing phase, run by a staff organiser."""
    settings.MEDIA_ROOT = tmp_path
    return EventFactory(slug="space-odyssey", organiser=OrganiserFactory(staff=True))


@pytest.fixture
def alice(live):  # type: ignore[no-untyped-def]
    """A participant with a team in the live event."""
    return TeamFactory(event=live, members=[UserFactory(username="alice")]).memberships.get().user


def test_forms_refuse_a_post_without_the_csrf_token(alice) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    for url in (
        "/events/space-odyssey/studio/sample/",
        "/events/space-odyssey/team/create/",
        "/accounts/logout/",
    ):
        assert client.post(url, {"sample": "ode-to-joy", "name": "x"}).status_code == 403, url
    page = client.get("/events/space-odyssey/studio/").content.decode()
    assert "csrfmiddlewaretoken" in page


def test_session_api_writes_need_the_csrf_token_too(alice) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/api/events/space-odyssey/melodies/", {"sample": "ode-to-joy"})
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_user_text_is_escaped_on_every_page(client, live, make_user) -> None:  # type: ignore[no-untyped-def]
    erin = make_user("erin")
    client.force_login(erin)
    client.post("/events/space-odyssey/team/create/", {"name": XSS})
    team = Team.objects.get(name=XSS)
    midi = SimpleUploadedFile("t.mid", sample_melodies()[0].path.read_bytes())
    client.post("/events/space-odyssey/studio/upload/", {"file": midi, "title": XSS})
    melody = Melody.objects.get(team=team)
    assert melody.title == XSS
    pages = {
        "event": "/events/space-odyssey/",
        "studio": "/events/space-odyssey/studio/",
        "training": "/events/space-odyssey/training/",
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert XSS not in html, name
    assert ESCAPED in client.get("/events/space-odyssey/").content.decode()
    assert ESCAPED in client.get("/events/space-odyssey/studio/").content.decode()
    # the organiser's desks list team names too
    client.force_login(live.organiser)
    for url in ("/events/space-odyssey/judging/", "/events/space-odyssey/training/desk/"):
        assert XSS not in client.get(url).content.decode(), url


def test_judge_comment_is_escaped(client, db, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    finished = EventFactory(slug="bach-to-the-future", finished=True)
    rating = RatingFactory(entry__team__event=finished)
    judge, entry = rating.assignment.judge, rating.entry
    assert Rating.objects.filter(assignment__judge=judge, entry=entry).update(comment=XSS) == 1
    client.force_login(judge)
    html = client.get(f"/events/bach-to-the-future/judge/{entry.pk}/").content.decode()
    assert XSS not in html and ESCAPED in html
