"""Each role walks its pages in one real Chromium, at desktop and phone width (1280 and 390 px).

A page fails on any console error, failed request, sideways scroll, missing stylesheet, number
field that refuses its own default, or — for a judge — anything that names an entry's team, its
members or its melody. Forms with number fields are sent out of range once: the server's refusal
must show in the page, not only in a browser tooltip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, Page

from arena.accounts.models import User
from arena.demo.entries import demo_entry_create
from arena.demo.services import TEAMS, demo_seed
from arena.events.models import Event, Phase, Team
from arena.jobs.services import job_finish, job_start
from arena.judging.services import judge_invite
from arena.submissions.models import Composition, Melody
from arena.training.models import TrainingRun
from arena.training.services import training_start
from tests.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WIDTHS = (1280, 390)
LIVE, FINISHED = "space-odyssey", "bach-to-the-future"


@dataclass
class Walker:
    """One page of one browser, and every problem it has seen."""

    page: Page
    base: str
    problems: list[str] = field(default_factory=list)
    expected_status: dict[str, int] = field(default_factory=dict)

    def watch(self) -> None:
        def on_response(response) -> None:  # type: ignore[no-untyped-def]
            path = response.url.removeprefix(self.base)
            if response.status >= 400 and self.expected_status.get(path) != response.status:
                self.problems.append(f"{response.status} {response.url}")

        def on_console(message) -> None:  # type: ignore[no-untyped-def]
            # A failed load is also a response, judged above (a 404 page is expected to be one).
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                self.problems.append(f"console: {message.text}")

        self.page.on("console", on_console)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

        def on_failed(request) -> None:  # type: ignore[no-untyped-def]
            # The browser cancels loads itself (media once it has its metadata, a fetch when the
            # page moves on): not a failure of the site.
            if request.failure != "net::ERR_ABORTED":
                self.problems.append(f"failed: {request.url} ({request.failure})")

        self.page.on("requestfailed", on_failed)
        self.page.on("response", on_response)
        self.page.on("dialog", lambda d: d.accept())

    def login(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.page.goto(self.base + "/accounts/login/")
        self.page.fill("input[name=login]", username)
        self.page.fill("input[name=password]", django_settings.DEMO_PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_url(self.base + "/")

    def visit(self, path: str, *, forbidden: tuple[str, ...] = ()) -> None:
        """The page at both widths, checked; `forbidden` words must appear nowhere in it."""
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.goto(self.base + path, wait_until="networkidle")
            self.check(f"{path} at {width} px", forbidden)

    def check(self, where: str, forbidden: tuple[str, ...] = (), numbers: bool = True) -> None:
        page = self.page
        page.wait_for_load_state("load")
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if wide > 0:
            self.problems.append(f"{where}: scrolls {wide} px sideways")
        styled = page.evaluate(
            "[...document.styleSheets].some(s => { try { return s.cssRules.length > 0 }"
            " catch (e) { return false } })"
        )
        if not styled:
            self.problems.append(f"{where}: unstyled")
        refused = page.evaluate(
            "[...document.querySelectorAll('input[type=number]')]"
            ".filter(i => !i.checkValidity()).map(i => i.name || i.id)"
        )
        if refused and numbers:
            self.problems.append(f"{where}: number fields refuse their default: {refused}")
        if forbidden:
            seen = page.evaluate(
                "document.body.innerText + ' ' + document.title + ' ' + [...document"
                ".querySelectorAll('[href],[src],[alt],[title],[aria-label],[download]')]"
                ".map(e => ['href','src','alt','title','aria-label','download']"
                ".map(a => e.getAttribute(a) || '').join(' ')).join(' ')"
            ).lower()
            for word in forbidden:
                if word.lower() in seen:
                    self.problems.append(f"{where}: names its author ({word!r})")

    def refused_in_page(
        self, path: str, form: str, field_values: dict[str, str], *, tap: str = ""
    ) -> None:
        """Send `form` with out-of-range numbers: the server's refusal shows in the page.
        `tap`: something to click first (the melody editor sends nothing without a note)."""
        self.page.set_viewport_size({"width": 390, "height": 900})
        self.page.goto(self.base + path)
        if tap:
            self.page.click(tap, position={"x": 20, "y": 20})
        for name, value in field_values.items():
            self.page.fill(f"{form} [name={name}]", value)
        action = self.page.eval_on_selector(form, "f => new URL(f.action).pathname")
        self.expected_status[action] = 400  # a refused form answers 400 (or redirects)
        self.page.click(f"{form} button[type=submit]")
        self.page.wait_for_load_state("load")
        del self.expected_status[action]
        errors = self.page.locator(".errorlist, .message.error")
        if errors.count() == 0:
            self.problems.append(f"{path}: {form} refused with no word in the page")
        self.check(f"{path} after refusing {form}", numbers=False)  # it holds the refused value


@pytest.fixture
def walker(live_server, tmp_path, settings) -> Iterator[Walker]:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_seed(password=settings.DEMO_PASSWORD)
    with chromium() as browser:
        yield _walker(browser, live_server.url)


def _walker(browser: Browser, base: str) -> Walker:
    walker = Walker(page=browser.new_page(), base=base)
    walker.watch()
    return walker


def _judging_live_event() -> tuple[list[Composition], tuple[str, ...]]:
    """The live event in judging with both teams' entries and judge1 invited; and every name
    that would give an entry's authors away."""
    compositions = []
    for name, chorale in zip(TEAMS, ["bach/bwv104.6", "bach/bwv146.8"], strict=True):
        team = Team.objects.get(event__slug=LIVE, name=name)
        compositions.append(
            demo_entry_create(
                team=team, user=User.objects.get(username=TEAMS[name][0]), chorale=chorale
            )
        )
    Event.objects.filter(slug=LIVE).update(phase=Phase.JUDGING)
    event = Event.objects.get(slug=LIVE)
    judge_invite(
        event=event,
        judge=User.objects.get(username="judge1"),
        invited_by=User.objects.get(username="organiser"),
    )
    members = User.objects.filter(memberships__team__event=event)
    names = {*TEAMS, *(m.username for m in members), *(str(m) for m in members)}
    names |= set(Melody.objects.filter(team__event=event).values_list("title", flat=True))
    return compositions, tuple(sorted(names))


def test_a_visitor_walks_the_public_pages(walker: Walker) -> None:
    walker.expected_status["/no/such/page/"] = 404
    for path in (
        "/",
        f"/events/{LIVE}/",
        f"/events/{FINISHED}/",
        f"/events/{FINISHED}/leaderboard/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/api/docs/",
        "/no/such/page/",
    ):
        walker.visit(path)
    # The finished event shows its winners, not an invitation to form a team.
    walker.page.goto(walker.base + f"/events/{FINISHED}/")
    assert walker.page.locator("#winners li").count() >= 2
    assert "to form a team" not in walker.page.inner_text("main")
    assert not walker.problems, "\n".join(walker.problems)


def test_a_participant_walks_the_studio_and_training_pages(walker: Walker) -> None:
    team = Team.objects.get(event__slug=LIVE, name="Fugue State")
    alice = User.objects.get(username="alice")
    walker.login("alice")
    # The training form is sent as it comes, with its defaults: the run starts.
    walker.page.goto(walker.base + f"/events/{LIVE}/training/")
    walker.page.click(".training-form button[type=submit]")
    walker.page.wait_for_url("**/trainings/*/")
    training = TrainingRun.objects.get(team=team)
    composition = demo_entry_create(team=team, user=alice, chorale="bach/bwv104.6")
    for path in (
        f"/events/{LIVE}/",
        f"/events/{LIVE}/studio/",
        f"/compositions/{composition.pk}/",
        f"/events/{LIVE}/training/",
        f"/trainings/{training.pk}/",
        f"/events/{FINISHED}/",
        f"/events/{FINISHED}/studio/",
        "/account/api-token/",
    ):
        walker.visit(path)
    studio = f"/events/{LIVE}/studio/"
    walker.refused_in_page(studio, ".compose-form", {"risk": "99"})
    walker.refused_in_page(studio, "#melody-editor", {"tempo": "999"}, tap=".roll-grid")
    walker.refused_in_page(f"/events/{LIVE}/training/", ".training-form", {"learning_rate": "1"})
    # After the results the studio offers nothing to send.
    walker.page.goto(walker.base + f"/events/{FINISHED}/studio/")
    assert walker.page.locator("main form").count() == 0
    assert not walker.problems, "\n".join(walker.problems)


def test_a_judge_walks_the_entries_and_nothing_names_their_authors(walker: Walker) -> None:
    compositions, names = _judging_live_event()
    assert "Fugue State" in names and "alice" in names
    walker.login("judge1")
    walker.visit(f"/events/{LIVE}/")
    assert walker.page.locator("text=Start a team").count() == 0
    walker.visit(f"/events/{LIVE}/judge/", forbidden=names)
    for composition in compositions:
        walker.visit(f"/events/{LIVE}/judge/{composition.pk}/", forbidden=names)
        walker.page.wait_for_function(
            "document.querySelector('.roll img').naturalWidth > 0", timeout=15000
        )
    assert not walker.problems, "\n".join(walker.problems)


def test_an_organiser_walks_the_desks(walker: Walker) -> None:
    team = Team.objects.get(event__slug=LIVE, name="Fugue State")
    training = training_start(team=team, user=User.objects.get(username="alice"), steps=100)
    job_start(job_id=training.job_id)
    job_finish(job_id=training.job_id, result={})
    _judging_live_event()
    walker.login("organiser")
    for path in (
        f"/events/{LIVE}/",
        f"/events/{LIVE}/judging/",
        f"/events/{LIVE}/queue/",
        f"/events/{LIVE}/training/desk/",
        f"/events/{LIVE}/leaderboard/",
        f"/trainings/{training.pk}/",
        f"/events/{FINISHED}/judging/",
        f"/events/{FINISHED}/leaderboard/",
        "/admin/",
    ):
        walker.visit(path)
    desk = f"/events/{LIVE}/judging/"
    walker.refused_in_page(desk, ".weights", {"originality": "11"})
    walker.refused_in_page(
        f"/events/{LIVE}/training/desk/", "form[action$='/policy/']", {"minutes_per_job": "0"}
    )
    # Closing judging asks first, naming the judge who has not finished; without JavaScript too.
    walker.page.goto(walker.base + desk)
    walker.page.click("text=Close judging and publish the results")
    walker.page.wait_for_url(f"**{LIVE}/judging/publish/")
    assert "has not finished" in walker.page.inner_text("main")
    walker.check("the confirmation page")
    walker.page.click("text=Yes, close judging and publish")
    walker.page.wait_for_url(f"**/events/{LIVE}/judging/")
    assert "Results published" in walker.page.inner_text(".messages")
    assert not walker.problems, "\n".join(walker.problems)
