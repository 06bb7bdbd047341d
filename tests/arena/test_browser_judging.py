"""A judge scores an entry on a phone, in a real Chromium."""

import os

import pytest

from arena.accounts.models import User
from arena.demo.entries import demo_entry_create
from arena.demo.services import TEAMS, demo_seed
from arena.events.models import Phase, Team
from arena.judging.models import Rating
from arena.judging.services import judge_invite
from tests.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_judge1_scores_an_entry_on_a_phone(live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    event = demo_seed(password=settings.DEMO_PASSWORD)["live"]
    for name, chorale in zip(TEAMS, ["bach/bwv104.6", "bach/bwv146.8"], strict=True):
        team = Team.objects.get(event=event, name=name)
        demo_entry_create(
            team=team, user=User.objects.get(username=TEAMS[name][0]), chorale=chorale
        )
    event.phase = Phase.JUDGING
    event.save()
    judge_invite(
        event=event,
        judge=User.objects.get(username="judge1"),
        invited_by=User.objects.get(username="organiser"),
    )
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=login]", "judge1")
        page.fill("input[name=password]", settings.DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        page.goto(f"{live_server.url}/events/{event.slug}/")
        page.click("text=Score the entries")
        page.click("text=Entry A")
        assert page.inner_text("h1").startswith("Entry A")
        body = page.inner_text("main")
        assert all(team not in body for team in TEAMS)  # blind
        assert page.locator("audio").count() == 1
        # The piano roll loads (wait for it: on a busy machine it can lag behind the page).
        page.wait_for_function(
            "document.querySelector('.roll img').naturalWidth > 0", timeout=15000
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for criterion, mark in [
            ("originality", 8), ("rhythm", 7), ("accompaniment", 9), ("cleanliness", 6),
            ("emotion", 10),
        ]:  # fmt: skip
            page.click(f"fieldset:has(input[name={criterion}]) label:has(input[value='{mark}'])")
        page.fill("textarea[name=comment]", "Lovely inner voices.")
        page.screenshot(path=str(tmp_path / "score.png"), full_page=True)
        page.click("button[value=submit]")
        page.wait_for_url(f"**/events/{event.slug}/judge/")
        assert "score submitted" in page.inner_text(".messages")
        assert "submitted" in page.inner_text(".entry-row")
    score = Rating.objects.get(assignment__judge__username="judge1", assignment__event=event)
    assert (score.originality, score.emotion, score.submitted) == (8, 10, True)
    assert score.comment == "Lovely inner voices."
