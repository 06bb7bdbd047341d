"""The home page and login in a real Chromium, on a phone-sized screen."""

import os

import pytest
from django.conf import settings

from arena.demo.services import demo_seed
from tests.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Playwright's sync API runs an event loop in this thread; Django's ORM calls here are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_visitor_finds_the_demo_event_and_logs_in_on_a_phone(live_server, tmp_path):
    demo_seed(password=settings.DEMO_PASSWORD)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(live_server.url + "/")
        assert "Turn one melody into a Bach-like piece" in page.inner_text("h1")
        # Nothing overflows sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("text=Open Space Odyssey Workshop")
        page.wait_for_url("**/events/space-odyssey/")
        assert page.inner_text(".timeline .now") == "Composing"
        page.screenshot(path=str(tmp_path / "event.png"))

        page.click("text=Log in")
        page.fill("input[name=login]", "alice")
        page.fill("input[name=password]", settings.DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        assert "Alice" in page.inner_text(".topbar")
