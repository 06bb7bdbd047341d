"""The other pages that read and play music, in a real Chromium: a saved melody's page (its score,
its sound, and the editor reopening it), two pieces compared side by side, and the judge's entry
page, where the score is drawn without anything that names the entry."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from arena.accounts.models import User
from arena.demo.services import demo_seed
from arena.events.models import Event
from arena.judging.selectors import judge_assignment_get, judge_entry_list
from tests.arena.finished_piece import finished_piece, measures_and_parts
from tests.browser import CHROMIUM_FLAGS, chromium_path
from tests.composing_team import composing_team
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[*CHROMIUM_FLAGS, "--autoplay-policy=no-user-gesture-required"],
        )
        yield browser
        browser.close()


def _page(
    browser: Browser, site: str, username: str, password: str, then: str
) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site}/accounts/login/?next={quote(then)}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(site + then)
    return page, errors


def test_a_saved_melody_shows_its_score_plays_and_reopens_in_the_editor(
    live_server, make_user, tmp_path, settings, browser
):
    settings.MEDIA_ROOT = tmp_path / "media"
    team = composing_team(make_user)
    piece = finished_piece(team=team, user=team.memberships.get().user)
    melody = piece.melody
    page, errors = _page(browser, live_server.url, "nina", PASSWORD, f"/melodies/{melody.pk}/")
    player = page.wait_for_selector("#melody-player[data-ready=true]", timeout=30_000)
    assert player.get_attribute("data-parts") == "1"
    assert int(player.get_attribute("data-measures") or 0) >= melody.bars
    page.click("#melody-player [data-action=play]")
    page.wait_for_function("document.querySelector('#melody-player').dataset.audio === 'running'")
    page.wait_for_function("Number(document.querySelector('#melody-player').dataset.cursor) > 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click("text=Open in the editor")
    page.wait_for_selector("#melody-editor[data-ready=true]")
    assert page.input_value("#editor-title") == melody.title
    assert page.locator(".roll-note").count() == melody.notes
    # The editor sounds through the same synthesizer as the pieces.
    page.locator('.keyboard [data-pitch="72"]').dispatch_event("pointerdown", {"button": 0})
    page.wait_for_function("document.getElementById('melody-editor').dataset.synth === 'ready'")
    assert errors == []


def test_two_pieces_side_by_side_play_in_turn(live_server, make_user, tmp_path, settings, browser):
    settings.MEDIA_ROOT = tmp_path / "media"
    team = composing_team(make_user)
    nina = team.memberships.get().user
    first, second = (finished_piece(team=team, user=nina) for _ in range(2))
    then = f"/events/{team.event.slug}/studio/compare/?a={first.pk}&b={second.pk}"
    page, errors = _page(browser, live_server.url, "nina", PASSWORD, then)
    page.wait_for_selector("#player-a[data-ready=true]", timeout=30_000)
    page.wait_for_selector("#player-b[data-ready=true]", timeout=30_000)
    assert page.locator(".compare-piece dl.compare").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#play-in-turn")
    page.wait_for_function("document.querySelector('#player-a').dataset.playing === 'true'")
    assert page.get_attribute("#player-b", "data-playing") != "true"
    assert errors == []


def test_the_judge_reads_and_hears_the_entry_without_its_title_or_team(
    live_server, tmp_path, settings, browser
):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_seed(password=settings.DEMO_PASSWORD)
    event = Event.objects.get(slug="bach-to-the-future")
    judge = User.objects.get(username="judge1")
    entry = judge_entry_list(assignment=judge_assignment_get(event=event, user=judge))[0]
    naming = [entry.composition.melody.title, entry.composition.team.name]
    then = f"/events/{event.slug}/judge/{entry.id}/"
    page, errors = _page(browser, live_server.url, "judge1", settings.DEMO_PASSWORD, then)
    player = page.wait_for_selector("#entry-player[data-ready=true]", timeout=30_000)
    measures, parts = measures_and_parts(entry.composition.sheet_music.read())
    assert player.get_attribute("data-measures") == str(measures)
    assert player.get_attribute("data-parts") == str(parts)
    shown = page.content()
    for name in naming:
        assert name not in shown
    # The judge solos and mutes voices too (the anonymous MIDI keeps which voice a track plays).
    voices = page.eval_on_selector_all(
        "#entry-player .mixer-row", "rows => rows.map(r => r.dataset.name)"
    )
    assert voices == ["Soprano", "Alto", "Tenor", "Bass"]
    page.click("#entry-player [data-action=play]")
    page.wait_for_function("Number(document.querySelector('#entry-player').dataset.cursor) > 1")
    assert errors == []
