"""The piece page's weight and its time to first note: `python -m bench score_page`.

A real site (Django's live server on a throw-away test database), a real piece (tests/arena/
pieces/), Debian's Chromium: what the page downloads to draw the score and play it (JavaScript,
the soundfont), and how long from pressing Play, with nothing cached, until the first note sounds.
"""

from __future__ import annotations

import os

from bench.table import print_table


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arena.settings.test")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread
    from django.test.utils import setup_test_environment
    from playwright.sync_api import sync_playwright

    from arena.accounts.services import user_create
    from tests.arena.finished_piece import finished_piece
    from tests.browser import CHROMIUM_FLAGS, chromium_path
    from tests.composing_team import composing_team

    setup_test_environment()
    connection = connections["default"]
    old_name = connection.creation.create_test_db(verbosity=0)
    connection.inc_thread_sharing()
    server = LiveServerThread(
        "localhost", StaticFilesHandler, connections_override={"default": connection}
    )
    try:
        password = "bench-score-page-2026"

        def make_user(username: str, role: str = "participant"):  # type: ignore[no-untyped-def]
            return user_create(
                username=username, email=f"{username}@example.org", password=password, role=role
            )

        team = composing_team(make_user)
        piece = finished_piece(team=team, user=team.memberships.get().user)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        site = f"http://localhost:{server.port}"
        sizes: dict[str, int] = {"JavaScript": 0, "soundfont": 0}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(),
                args=[*CHROMIUM_FLAGS, "--autoplay-policy=no-user-gesture-required"],
            )
            page = browser.new_page()

            def count(response) -> None:  # type: ignore[no-untyped-def]
                url = response.url.split("?")[0]
                kind = (
                    "JavaScript"
                    if url.endswith(".js")
                    else "soundfont"
                    if url.endswith(".sf2")
                    else None
                )
                if kind:
                    sizes[kind] += len(response.body())

            page.on("response", count)
            page.goto(f"{site}/accounts/login/?next=/compositions/{piece.pk}/")
            page.fill("input[name=login]", "nina")
            page.fill("input[name=password]", password)
            page.click("form button[type=submit]")
            page.wait_for_selector("#piece-player[data-ready=true]", timeout=60_000)
            page.click("#piece-player [data-action=play]")
            page.wait_for_function("document.querySelector('#piece-player').dataset.firstNoteMs")
            first_note = int(page.get_attribute("#piece-player", "data-first-note-ms") or 0)
            browser.close()
    finally:
        server.terminate()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    mb = 1024 * 1024
    print_table(
        "Piece page: what it downloads and how soon it sounds (cold cache)",
        ["row", "value"],
        [
            ["JavaScript (MB)", sizes["JavaScript"] / mb],
            ["soundfont (MB)", sizes["soundfont"] / mb],
            ["page weight, JS + soundfont (MB)", (sizes["JavaScript"] + sizes["soundfont"]) / mb],
            ["Play to first note (ms)", first_note],
        ],
    )
