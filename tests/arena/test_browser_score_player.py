"""A finished piece's page in a real Chromium: the sheet music drawn from its MusicXML, played
through the page's own General MIDI synthesizer with a cursor that follows, solo and mute per
voice, and everything fetched from the site itself."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.arena.finished_piece import finished_piece, measures_and_parts
from tests.browser import CHROMIUM_FLAGS, chromium_path
from tests.composing_team import composing_team
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
# Playwright's sync API runs an event loop in this thread; Django's ORM calls here are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PLAYER = "#piece-player"


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[*CHROMIUM_FLAGS, "--autoplay-policy=no-user-gesture-required"],
        )
        yield browser
        browser.close()


def _watched(page: Page, site: str) -> tuple[list[str], list[str]]:
    """Console errors and the requests that went anywhere but the site, as the page runs."""
    errors: list[str] = []
    elsewhere: list[str] = []
    host = urlsplit(site).netloc
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            None
            if urlsplit(r.url).scheme in ("data", "blob") or urlsplit(r.url).netloc == host
            else elsewhere.append(r.url)
        ),
    )
    return errors, elsewhere


def _log_in(page: Page, site: str, username: str, then: str) -> None:
    page.goto(f"{site}/accounts/login/?next={then}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{then}")


def _sounding(page: Page) -> set[int]:
    value = page.get_attribute(PLAYER, "data-sounding") or ""
    return {int(c) for c in value.split()}


def _wait_sounding(page: Page, check: str) -> None:
    """Wait until the channels that carry sound satisfy `check` (JS over `s`, a Set of them)."""
    page.wait_for_function(
        f"""() => {{
          const s = new Set((document.querySelector('{PLAYER}').dataset.sounding || '')
            .split(' ').filter(Boolean).map(Number));
          return {check};
        }}""",
        timeout=15_000,
    )


def test_the_piece_page_draws_the_score_and_plays_every_voice_with_solo_and_mute(
    live_server, make_user, tmp_path, settings, browser
):
    settings.MEDIA_ROOT = tmp_path / "media"
    team = composing_team(make_user)
    piece = finished_piece(team=team, user=team.memberships.get().user)
    measures, parts = measures_and_parts(piece.sheet_music.read())
    site = live_server.url

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.set_default_timeout(20_000)
    errors, elsewhere = _watched(page, site)
    _log_in(page, site, "nina", f"/compositions/{piece.pk}/")
    player = page.wait_for_selector(f"{PLAYER}[data-ready=true]", timeout=30_000)

    # The score: every measure and part of the MusicXML, the title, the sections marked.
    assert player.get_attribute("data-measures") == str(measures)
    assert player.get_attribute("data-parts") == str(parts) == "4"
    assert page.locator(f"{PLAYER} .score-sheet svg").count() >= 1
    drawn = page.inner_text(f"{PLAYER} .score-sheet")
    assert "ode-to-joy" in drawn or "Ode to Joy" in drawn
    marks = page.eval_on_selector_all(f"{PLAYER} .section-mark", "m => m.map(x => x.textContent)")
    assert marks == [s["kind"] for s in piece.job.result["sections"]]
    rows = page.eval_on_selector_all(
        f"{PLAYER} .mixer-row", "rows => rows.map(r => [r.textContent, r.dataset.channels])"
    )
    # One row per voice, each naming the instruments that play it, each voice on its own channels.
    assert [r.split("Solo")[0] for r, _ in rows] == [
        "SopranoViolin I",
        "AltoViolin II, Church Organ, Harpsichord",
        "TenorViola, Church Organ, Harpsichord",
        "BassCello, Church Organ, Harpsichord",
    ]
    channels = [{int(c) for c in ch.split()} for _, ch in rows]
    assert sum(len(c) for c in channels) == len(set().union(*channels)) == 10
    assert 9 not in set().union(*channels)  # General MIDI's drums
    bass = sorted(channels[3])
    assert len(bass) == 3

    # Play: the AudioContext runs, notes sound on several channels, the cursor moves on.
    page.click(f"{PLAYER} [data-action=play]")
    page.wait_for_function(f"document.querySelector('{PLAYER}').dataset.audio === 'running'")
    page.wait_for_function(f"Number(document.querySelector('{PLAYER}').dataset.cursor) > 2")
    early = int(player.get_attribute("data-cursor") or 0)
    _wait_sounding(page, "s.size >= 3")
    page.wait_for_function(
        f"Number(document.querySelector('{PLAYER}').dataset.cursor) > {early}", timeout=10_000
    )
    assert int(player.get_attribute("data-first-note-ms") or 99_999) < 5_000

    # Solo the bass: the bass line alone (cello with organ or harpsichord); then mute it
    # instead: everything but the bass line.
    only_bass = f"s.size >= 1 && [...s].every(c => {bass}.includes(c))"
    page.click(f"{PLAYER} [aria-label='Solo Bass']")
    _wait_sounding(page, only_bass)
    for _ in range(5):  # and it stays so, as the piece goes on
        page.wait_for_timeout(300)
        assert _sounding(page) <= set(bass), _sounding(page)
    page.click(f"{PLAYER} [aria-label='Solo Bass']")
    page.click(f"{PLAYER} [aria-label='Mute Bass']")
    _wait_sounding(page, f"s.size >= 2 && ![...s].some(c => {bass}.includes(c))")
    assert player.get_attribute("data-muted") == " ".join(map(str, bass))

    # Stop; a loop over bars 2-3 keeps the cursor inside them.
    page.click(f"{PLAYER} [data-action=play]")
    assert player.get_attribute("data-playing") == "false"
    page.check(f"{PLAYER} [data-control=loop]")
    page.fill(f"{PLAYER} [data-control=loop-from]", "2")
    page.fill(f"{PLAYER} [data-control=loop-to]", "3")
    page.click(f"{PLAYER} [data-action=play]")
    page.wait_for_function(f"Number(document.querySelector('{PLAYER}').dataset.seconds) > 0.5")
    starts = page.evaluate(
        f"(() => {{ const p = document.querySelector('{PLAYER}').scorePlayer;"
        " return [p.secondsAtMeasure(1), p.secondsAtMeasure(3)]; })()"
    )
    seen = []
    for _ in range(12):
        page.wait_for_timeout(400)
        seen.append(float(player.get_attribute("data-seconds") or 0))
    assert all(starts[0] - 0.3 <= s <= starts[1] + 0.3 for s in seen), (starts, seen)
    assert max(seen) - min(seen) > 0.5  # it moved, and came back round
    page.screenshot(path=str(tmp_path / "piece.png"), full_page=True)

    assert errors == []
    assert elsewhere == []


def test_the_score_fits_a_phone_and_zooms_without_sideways_scrolling(
    live_server, make_user, tmp_path, settings, browser
):
    settings.MEDIA_ROOT = tmp_path / "media"
    team = composing_team(make_user)
    piece = finished_piece(team=team, user=team.memberships.get().user)
    site = live_server.url
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.set_default_timeout(20_000)
    errors, elsewhere = _watched(page, site)
    _log_in(page, site, "nina", f"/compositions/{piece.pk}/")
    page.wait_for_selector(f"{PLAYER}[data-ready=true]", timeout=30_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    before = page.evaluate(f"document.querySelector('{PLAYER} .score-sheet').scrollHeight")
    for _ in range(3):
        page.tap(f"{PLAYER} [data-action=zoom-in]")
    page.wait_for_function(f"Number(document.querySelector('{PLAYER}').dataset.zoom) > 0.6")
    # Larger notes wrap onto more systems: the score grows down, never sideways.
    assert page.evaluate(f"document.querySelector('{PLAYER} .score-sheet').scrollHeight") > before
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    assert errors == []
    assert elsewhere == []
