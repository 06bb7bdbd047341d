"""A participant forms a team and picks a sample melody in a real Chromium, on a phone."""

import os

import pytest

from arena.demo.services import demo_seed
from tests.browser import chromium
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Playwright's sync API runs an event loop in this thread; Django's ORM calls here are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_participant_forms_a_team_and_adds_a_sample_melody(
    live_server, make_user, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_seed(password=settings.DEMO_PASSWORD)
    make_user("erin")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(live_server.url + "/accounts/login/?next=/events/space-odyssey/")
        page.fill("input[name=login]", "erin")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/events/space-odyssey/")

        page.fill("input[name=name]", "Cantata Crew")
        page.click("text=Create team")
        page.wait_for_url("**/events/space-odyssey/studio/")
        assert "No melody yet" in page.inner_text("#melodies")

        page.select_option("select[name=sample]", label="Amazing Grace")
        page.click("text=Use this melody")
        page.wait_for_url("**/events/space-odyssey/studio/")
        melody = page.inner_text("#melodies .melody")
        assert "Amazing Grace" in melody and "3/4" in melody
        assert page.is_visible("#compose select[name=model]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "studio.png"), full_page=True)
