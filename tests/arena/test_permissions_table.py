# ruff: noqa: E501 - the table reads best one row per line
"""Who may read and write what: one row per page and API endpoint, one column per kind of user.

Columns: anonymous, a participant of another team (carol), a member of the team (alice), a judge
(judge1), the organiser. `302L` is a redirect to the login page. Every URL the site resolves
must have a row, so a new page or endpoint without one fails `test_every_url_has_a_row`.

The live event (`space-odyssey`, composing) holds Fugue State's melody, draft entry and training
run: private to the team (404 for everyone else, the organiser excepted where they run the event).
The finished event (`bach-to-the-future`) has published results: its leaderboard and entries'
files are public.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from arena.accounts.models import User
from arena.demo.entries import demo_entry_create
from arena.demo.services import demo_seed
from arena.events.models import Team
from arena.submissions.models import Composition
from arena.training.services import training_start

PASSWORD = "a-long-test-password-42"
USERS = (None, "carol", "alice", "judge1", "organiser")
LIVE, DONE = "space-odyssey", "bach-to-the-future"
TEAM_NAMES = ("Fugue State", "Well-Tempered Rockets")

# (route pattern, "METHOD url", outcomes of: anonymous, other team, member, judge, organiser).
# Ids in the url: {melody} {draft} {training} {job} (the training's) {entry}; {live} and {done}
# are the two events.
# Rows run in order on one database: writes come after reads. Empty bodies: a write that is
# allowed is refused as incomplete (400) or redirects back to its form.
# fmt: off
ROWS: list[tuple[str, str, str]] = [
    ("", "GET /", "200 200 200 200 200"),
    ("healthz", "GET /healthz", "200 200 200 200 200"),
    ("favicon.ico", "GET /favicon.ico", "301 301 301 301 301"),
    ("events/<slug:slug>/", "GET /events/{live}/", "200 200 200 200 200"),
    ("events/<slug:slug>/team/create/", "POST /events/{live}/team/create/", "302L 302 302 302 302"),
    ("events/<slug:slug>/team/join/", "POST /events/{live}/team/join/", "302L 302 302 302 302"),
    ("events/<slug:slug>/studio/", "GET /events/{live}/studio/", "302L 200 200 302 302"),
    ("events/<slug:slug>/studio/upload/", "POST /events/{live}/studio/upload/", "302L 400 400 302 302"),
    ("events/<slug:slug>/studio/sample/", "POST /events/{live}/studio/sample/", "302L 400 400 302 302"),
    ("events/<slug:slug>/studio/melody/", "POST /events/{live}/studio/melody/", "302L 400 400 302 302"),
    ("events/<slug:slug>/studio/compose/", "POST /events/{live}/studio/compose/", "302L 400 400 302 302"),
    ("melodies/<int:pk>/melody.mid", "GET /melodies/{melody}/melody.mid", "302L 404 200 404 404"),
    ("melodies/<int:pk>/", "GET /melodies/{melody}/", "302L 404 200 404 404"),
    ("melodies/<int:pk>/melody.musicxml", "GET /melodies/{melody}/melody.musicxml", "302L 404 200 404 404"),
    ("melodies/<int:pk>/notes.json", "GET /melodies/{melody}/notes.json", "302L 404 200 404 404"),
    ("events/<slug:slug>/studio/compare/", "GET /events/{live}/studio/compare/?a={draft}&b={draft}", "302L 404 200 404 404"),
    ("compositions/<int:pk>/", "GET /compositions/{draft}/", "302L 404 200 404 404"),
    ("compositions/<int:pk>/<str:kind>/", "GET /compositions/{draft}/midi/", "302L 404 200 404 404"),
    ("compositions/<int:pk>/submit/", "POST /compositions/{draft}/submit/", "302L 404 302 404 404"),
    ("compositions/<int:pk>/retry/", "POST /compositions/{draft}/retry/", "302L 404 302 404 404"),
    ("events/<slug:slug>/training/", "GET /events/{live}/training/", "302L 200 200 302 302"),
    ("events/<slug:slug>/training/desk/", "GET /events/{live}/training/desk/", "302L 404 404 404 200"),
    ("trainings/<int:pk>/", "GET /trainings/{training}/", "302L 404 200 404 200"),
    ("trainings/<int:pk>/status.json", "GET /trainings/{training}/status.json", "302L 404 200 404 200"),
    ("trainings/<int:pk>/samples/<int:step>/<str:kind>/", "GET /trainings/{training}/samples/0/midi/", "302L 404 404 404 404"),
    ("events/<slug:slug>/training/start/", "POST /events/{live}/training/start/", "302L 400 400 302 302"),
    ("events/<slug:slug>/training/policy/", "POST /events/{live}/training/policy/", "302L 404 404 404 400"),
    ("events/<slug:slug>/judging/", "GET /events/{live}/judging/", "302L 404 404 404 200"),
    ("events/<slug:slug>/judging/invite/", "POST /events/{live}/judging/invite/", "302L 404 404 404 302"),
    ("events/<slug:slug>/judging/weights/", "POST /events/{live}/judging/weights/", "302L 404 404 404 302"),
    ("events/<slug:slug>/judge/", "GET /events/{live}/judge/", "302L 404 404 404 404"),
    ("events/<slug:slug>/judge/", "GET /events/{done}/judge/", "302L 404 404 200 404"),
    ("events/<slug:slug>/judge/<int:pk>/", "GET /events/{done}/judge/{entry}/", "302L 404 404 200 404"),
    ("events/<slug:slug>/judge/<int:pk>/", "POST /events/{live}/judge/{draft}/", "302L 404 404 404 404"),
    ("events/<slug:slug>/leaderboard/", "GET /events/{live}/leaderboard/", "404 404 404 404 200"),
    ("events/<slug:slug>/leaderboard/", "GET /events/{done}/leaderboard/", "200 200 200 200 200"),
    ("events/<slug:slug>/leaderboard.csv", "GET /events/{live}/leaderboard.csv", "404 404 404 404 200"),
    ("events/<slug:slug>/leaderboard.csv", "GET /events/{done}/leaderboard.csv", "200 200 200 200 200"),
    ("entries/<int:pk>/<str:kind>/", "GET /entries/{draft}/roll/", "404 404 404 404 200"),
    ("entries/<int:pk>/<str:kind>/", "GET /entries/{entry}/roll/", "200 200 200 200 200"),
    ("publishing/soundcloud/connect/", "GET /publishing/soundcloud/connect/", "302L 404 404 404 302"),
    ("publishing/soundcloud/callback/", "GET /publishing/soundcloud/callback/", "302L 302 302 302 302"),
    ("events/<slug:slug>/publish/", "POST /events/{live}/publish/", "302L 404 404 404 302"),
    ("publishing/soundcloud/disconnect/", "POST /publishing/soundcloud/disconnect/", "302L 302 302 302 302"),
    ("events/<slug:slug>/judging/publish/", "POST /events/{live}/judging/publish/", "302L 404 404 404 200"),  # asks first
    ("events/<slug:slug>/judging/phase/", "POST /events/{live}/judging/phase/", "302L 404 404 404 302"),
    ("trainings/<int:pk>/cancel/", "POST /trainings/{training}/cancel/", "302L 404 302 404 302"),
    ("accounts/login/", "GET /accounts/login/", "200 302 302 302 302"),
    ("accounts/logout/", "GET /accounts/logout/", "302 200 200 200 200"),
    ("accounts/inactive/", "GET /accounts/inactive/", "200 200 200 200 200"),
    ("accounts/signup/", "GET /accounts/signup/", "200 302 302 302 302"),
    ("accounts/reauthenticate/", "GET /accounts/reauthenticate/", "302L 200 200 200 200"),
    ("accounts/email/", "GET /accounts/email/", "302L 200 200 200 200"),
    ("accounts/confirm-email/", "GET /accounts/confirm-email/", "200 200 200 200 200"),
    ("accounts/^confirm-email/(?P<key>[-:\\w]+)/$", "GET /accounts/confirm-email/bad-key/", "200 200 200 200 200"),
    ("accounts/password/change/", "GET /accounts/password/change/", "302L 200 200 200 200"),
    ("accounts/password/set/", "GET /accounts/password/set/", "302L 302 302 302 302"),
    ("accounts/password/reset/", "GET /accounts/password/reset/", "200 200 200 200 200"),
    ("accounts/password/reset/done/", "GET /accounts/password/reset/done/", "200 200 200 200 200"),
    ("accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", "GET /accounts/password/reset/key/1-bad/", "200 200 200 200 200"),
    ("accounts/password/reset/key/done/", "GET /accounts/password/reset/key/done/", "200 200 200 200 200"),
    ("accounts/login/code/confirm/", "GET /accounts/login/code/confirm/", "302L 302 302 302 302"),
    ("account/api-token/", "GET /account/api-token/", "302L 200 200 200 200"),
    ("account/api-token/", "POST /account/api-token/", "302L 302 302 302 302"),  # renews the token
    ("api/", "GET /api/", "200 200 200 200 200"),
    ("api/^events/$", "GET /api/events/", "200 200 200 200 200"),
    ("api/^events/(?P<slug>[^/.]+)/$", "GET /api/events/{live}/", "200 200 200 200 200"),
    ("api/^events/(?P<slug>[^/.]+)/phase/$", "POST /api/events/{live}/phase/", "403 403 403 403 400"),
    ("api/schema/", "GET /api/schema/", "200 200 200 200 200"),
    ("api/docs/", "GET /api/docs/", "200 200 200 200 200"),
    ("api/auth/token/", "POST /api/auth/token/", "400 400 400 400 400"),
    ("api/compositions/<int:pk>/", "GET /api/compositions/{draft}/", "403 404 200 404 404"),
    ("api/events/<slug:slug>/entries/", "GET /api/events/{live}/entries/", "403 403 403 403 403"),
    ("api/events/<slug:slug>/entries/", "GET /api/events/{done}/entries/", "403 403 403 200 403"),
    ("api/events/<slug:slug>/leaderboard/", "GET /api/events/{live}/leaderboard/", "404 404 404 404 200"),
    ("api/events/<slug:slug>/leaderboard/", "GET /api/events/{done}/leaderboard/", "200 200 200 200 200"),
    ("api/events/<slug:slug>/trainings/", "GET /api/events/{live}/trainings/", "403 200 200 200 200"),
    ("api/trainings/<int:pk>/", "GET /api/trainings/{training}/", "403 404 200 404 200"),
    ("api/events/<slug:slug>/models/", "GET /api/events/{live}/models/", "403 200 200 200 200"),
    ("api/events/<slug:slug>/melodies/", "POST /api/events/{live}/melodies/", "403 400 400 404 404"),
    ("api/events/<slug:slug>/melodies/notes/", "POST /api/events/{live}/melodies/notes/", "403 415 415 404 404"),  # JSON only
    ("api/melodies/<int:pk>/compositions/", "POST /api/melodies/{melody}/compositions/", "403 404 202 404 404"),
    ("api/compositions/<int:pk>/submit/", "POST /api/compositions/{draft}/submit/", "403 404 200 404 404"),
    ("api/entries/<int:pk>/scores/", "POST /api/entries/{draft}/scores/", "403 403 403 403 403"),
    ("api/entries/<int:pk>/scores/", "POST /api/entries/{entry}/scores/", "403 403 403 400 403"),
    ("api/events/<slug:slug>/publish/", "POST /api/events/{live}/publish/", "403 403 403 403 400"),
    ("api/events/<slug:slug>/trainings/", "POST /api/events/{live}/trainings/", "403 202 202 404 404"),
    ("api/trainings/<int:pk>/cancel/", "POST /api/trainings/{training}/cancel/", "403 404 400 404 400"),
    ("events/<slug:slug>/queue/", "GET /events/{live}/queue/", "302L 404 404 404 200"),
    ("events/<slug:slug>/queue/<int:pk>/requeue/", "POST /events/{live}/queue/{job}/requeue/", "302L 404 404 404 302"),
    ("events/<slug:slug>/queue/<int:pk>/cancel/", "POST /events/{live}/queue/{job}/cancel/", "302L 404 404 404 302"),
    ("api/events/<slug:slug>/jobs/", "GET /api/events/{live}/jobs/", "403 403 403 403 200"),
    ("api/jobs/<int:pk>/requeue/", "POST /api/jobs/{job}/requeue/", "403 403 403 403 200"),
    ("api/jobs/<int:pk>/cancel/", "POST /api/jobs/{job}/cancel/", "403 403 403 403 200"),
    ("admin/", "GET /admin/", "302 302 302 302 200"),
]
# fmt: on
COVERED_ELSEWHERE = (
    re.compile(r"^admin/."),  # Django admin's own views, behind the same staff check as /admin/
    re.compile(r"\(\?P<format>|<drf_format_suffix"),  # DRF's `.json` twins of listed routes
    re.compile(r"^\^media/"),  # served by Django only with DEBUG
)


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(entry.pattern))
    return found


def test_every_url_has_a_row() -> None:
    listed = {row[0] for row in ROWS}
    missing = [
        p
        for p in _patterns(get_resolver())
        if p not in listed and not any(rule.search(p) for rule in COVERED_ELSEWHERE)
    ]
    assert not missing, f"add rows to ROWS for: {missing}"


@pytest.fixture
def site(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    demo_seed(password=PASSWORD)
    team = Team.objects.get(event__slug=LIVE, name="Fugue State")
    alice = User.objects.get(username="alice")
    draft = demo_entry_create(team=team, user=alice, chorale="bach/bwv104.6")
    entry = Composition.objects.get(team__event__slug=DONE, team__name="Fugue State", is_entry=True)
    training = training_start(team=team, user=alice)
    return {
        "melody": team.melodies.first().pk,
        "draft": draft.pk,
        "training": training.pk,
        "job": training.job_id,
        "entry": entry.pk,
    }


def _outcome(response) -> str:  # type: ignore[no-untyped-def]
    login = response.status_code == 302 and "/accounts/login/" in response.get("Location", "")
    return f"{response.status_code}{'L' if login else ''}"


def test_who_may_read_and_write_what(client, site) -> None:  # type: ignore[no-untyped-def]
    users = {name: User.objects.get(username=name) for name in USERS if name}
    wrong = []
    for _pattern, request, expected in ROWS:
        method, url = request.split(" ", 1)
        url = url.format(live=LIVE, done=DONE, **site)
        for who, want in zip(USERS, expected.split(), strict=True):
            client.logout()
            if who:
                client.force_login(users[who])
            got = _outcome(getattr(client, method.lower())(url))
            if got != want:
                wrong.append(f"{method.upper()} {url} as {who or 'anonymous'}: {got}, not {want}")
    assert not wrong, "\n".join(wrong)


def test_other_teams_drafts_and_runs_never_listed(client, site) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username="carol"))
    trainings = client.get(f"/api/events/{LIVE}/trainings/").json()
    rows = trainings["results"] if isinstance(trainings, dict) else trainings
    assert site["training"] not in [row["id"] for row in rows]
    studio = client.get(f"/events/{LIVE}/studio/").content.decode()
    assert f"/compositions/{site['draft']}/" not in studio and "Fugue State" not in studio


def test_judges_see_no_team_names(client, site) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username="judge1"))
    pages = [
        client.get(f"/events/{DONE}/judge/").content.decode(),
        client.get(f"/events/{DONE}/judge/{site['entry']}/").content.decode(),
        client.get(f"/api/events/{DONE}/entries/").content.decode(),
    ]
    for page in pages:
        assert not any(name in page for name in TEAM_NAMES), page[:500]
