"""On a phone, in a real Chromium: a newcomer signs up, joins a team with its invite code, plays a
melody into the editor, hears it, saves it, composes, listens and makes the piece the entry."""

from __future__ import annotations

import os
import re

import pytest
from django.core import mail
from playwright.sync_api import Page, sync_playwright

from arena.submissions.models import Composition, Melody
from composer.midi.melody import extract_melody
from composer.models import registry
from tasks.celery_app import app as celery_app
from tests.browser import CHROMIUM_FLAGS, chromium_path
from tests.composing_team import composing_team
from tests.stand_in_harmonizer import stand_in_harmonize

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
# Playwright's sync API runs an event loop in this thread; Django's ORM calls here are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 390, "height": 844}
PASSWORD = "moonlight-sonata-1801"
# What the participant enters, as (pitch, start, duration) in 16ths: C5 E5 G5(half) | C5 D5 E5 C5
ENTERED = [(72, 0, 4), (76, 4, 4), (79, 8, 8), (72, 16, 4), (74, 20, 4), (76, 24, 4), (72, 28, 4)]


def _cell(page: Page, pitch: int, step: int) -> tuple[float, float]:
    """Where on the screen the roll's cell for `pitch` at `step` is, scrolled into view."""
    x, y = page.evaluate(
        """([pitch, step]) => {
          const form = document.getElementById('melody-editor');
          const box = form.querySelector('.roll-box');
          const sheet = form.querySelector('.roll-sheet');
          const cell = parseFloat(getComputedStyle(sheet).getPropertyValue('--cell'));
          const row = parseFloat(getComputedStyle(sheet).getPropertyValue('--row'));
          const top = (Number(form.dataset.highest) - pitch) * row;
          box.scrollIntoView({block: 'center'});
          box.scrollLeft = Math.max(0, step * cell - 2 * cell);
          box.scrollTop = Math.max(0, top - 4 * row);
          const grid = form.querySelector('.roll-grid').getBoundingClientRect();
          return [grid.left + (step + 0.5) * cell, grid.top + top + row / 2];
        }""",
        [pitch, step],
    )
    return x, y


def _tap_cell(page: Page, pitch: int, step: int) -> None:
    page.touchscreen.tap(*_cell(page, pitch, step))


def _tap_key(page: Page, pitch: int) -> None:
    key = page.locator(f'.keyboard [data-pitch="{pitch}"]')
    key.scroll_into_view_if_needed()
    key.tap()


def _entered(page: Page) -> list[str]:
    return page.eval_on_selector_all(".roll-note", "notes => notes.map(n => n.title)")


def test_a_newcomer_enters_a_melody_on_a_phone_and_it_becomes_the_entry(
    live_server, make_user, tmp_path, settings, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The piece is composed inside the request, by a tiny stand-in for the GAN: no worker needed.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(registry.harmonizers, "gan", stand_in_harmonize)
    team = composing_team(make_user)
    event = team.event

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[*CHROMIUM_FLAGS, "--autoplay-policy=no-user-gesture-required"],
        )
        page = browser.new_page(viewport=PHONE, has_touch=True, is_mobile=True)
        page.set_default_timeout(20_000)
        url = live_server.url

        # Sign up, then confirm the address with the link from the e-mail.
        page.goto(url + "/accounts/signup/")
        page.fill("input[name=email]", "mia@example.org")
        page.fill("input[name=username]", "mia")
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url("**/accounts/confirm-email/")
        for _ in range(100):  # the live server's thread may still be sending it on a busy machine
            if mail.outbox:
                break
            page.wait_for_timeout(100)
        (message,) = mail.outbox
        assert message.to == ["mia@example.org"]
        link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
        page.goto(link)
        page.click("form button[type=submit]")
        page.wait_for_load_state()
        if "/accounts/login/" in page.url:
            page.fill("input[name=login]", "mia")
            page.fill("input[name=password]", PASSWORD)
            page.click("form button[type=submit]")
        page.wait_for_url(url + "/")
        assert "mia" in page.inner_text(".topbar")

        # Join the team with its invite code.
        page.goto(f"{url}/events/{event.slug}/")
        page.fill("input[name=invite_code]", team.invite_code)
        page.click("text=Join team")
        page.wait_for_url(f"**/events/{event.slug}/studio/")
        assert "Welcome to Night Owls!" in page.inner_text(".messages")

        # Enter a melody: taps on the roll, a drag to lengthen, a correction, then the keyboard.
        page.wait_for_selector("#melody-editor[data-ready=true]")
        assert page.is_visible(".editor-empty")
        assert page.locator(".keyboard .key").count() >= 32
        page.fill("#editor-title", "Moonrise")
        page.fill("#editor-tempo", "160")
        _tap_cell(page, 72, 0)
        _tap_cell(page, 76, 4)
        page.mouse.move(*_cell(page, 79, 8))
        page.mouse.down()
        page.mouse.move(*_cell(page, 79, 15), steps=4)
        page.mouse.up()
        _tap_cell(page, 74, 16)
        _tap_cell(page, 77, 16)  # a new note replaces the one it overlaps
        assert _entered(page)[-1] == "F5, bar 2, beat 1, quarter"
        _tap_cell(page, 77, 16)  # tapped again: removed
        assert _entered(page) == [
            "C5, bar 1, beat 1, quarter",
            "E5, bar 1, beat 2, quarter",
            "G5, bar 1, beat 3, half",
        ]
        assert page.is_hidden(".editor-empty")
        page.click("[data-action=record]")
        for pitch in (72, 74, 76):
            _tap_key(page, pitch)
        page.keyboard.press("q")  # the computer keyboard's C5
        assert len(_entered(page)) == len(ENTERED)
        assert _entered(page)[-1] == "C5, bar 2, beat 4, quarter"

        # Hear it: the audio runs and the playhead moves along the roll.
        page.click("[data-action=play]")
        page.wait_for_function(
            "document.getElementById('melody-editor').dataset.audio === 'running'"
        )
        page.wait_for_function("Number(document.querySelector('.roll-playhead').dataset.step) > 2")
        early = float(page.get_attribute(".roll-playhead", "data-step") or 0)
        page.wait_for_timeout(400)
        assert float(page.get_attribute(".roll-playhead", "data-step") or 0) > early
        page.wait_for_function(
            "document.getElementById('melody-editor').dataset.playing === 'false'", timeout=10_000
        )  # it stops by itself at the end
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.locator("#melody-editor").screenshot(path=str(tmp_path / "melody-editor.png"))

        # Save it: the studio lists it, and its file holds exactly the notes entered.
        page.click("#melody-editor button[type=submit]")
        page.wait_for_url(f"**/events/{event.slug}/studio/")
        assert "Added “Moonrise”: 2 bars, 7 notes." in page.inner_text(".messages")
        assert "Entered in the browser" in page.inner_text("#melodies .melody")
        melody = Melody.objects.get(team=team)
        assert extract_melody(melody.midi.read()).score.notes(0) == [
            (start, start + length, pitch) for pitch, start, length in ENTERED
        ]

        # Compose, listen, and make it the team's entry.
        page.select_option("#id_melody", str(melody.pk))
        page.fill("#compose input[name=seconds]", "10")
        page.click("#compose button[type=submit]")
        page.wait_for_url(re.compile(r".*/compositions/\d+/$"))
        audio = page.wait_for_selector("audio", timeout=60_000)
        answer = page.request.get(url + audio.get_attribute("src"))
        # The page plays the light MP3 (at most 1.5 MB a minute); the WAV is a download.
        assert answer.status == 200 and answer.headers["content-type"] == "audio/mpeg"
        page.wait_for_function("document.querySelector('audio').duration > 0")
        wav = page.request.get(url + (page.get_attribute("a[download]", "href") or "")).body()
        assert wav[:4] == b"RIFF"
        sounding = (len(wav) - 44) / (44_100 * 4)  # 16-bit stereo
        assert 10_000 < len(answer.body()) <= 1_500_000 * sounding / 60
        # The score marks the piece's sections as the worker composed them.
        page.wait_for_selector("#piece-player[data-ready=true]", timeout=30_000)
        piece = Composition.objects.get(team=team)
        kinds = [s["kind"] for s in piece.job.result["sections"]]
        assert kinds[0] == "statement" and kinds[-1] == "cadence"
        marks = page.eval_on_selector_all(
            "#piece-player .section-mark", "m => m.map(x => x.textContent)"
        )
        assert marks == kinds
        page.click("text=Make this our entry")
        page.wait_for_load_state()
        assert "This piece is now your team's entry." in page.inner_text(".messages")
        assert "This is your team's entry." in page.inner_text("main")
        browser.close()
    assert Composition.objects.get(team=team).is_entry
