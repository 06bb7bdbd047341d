"""A team watches its GAN learn in a real Chromium: curves, Bach's lines, samples and the ETA."""

import os

import pytest

from arena.accounts.models import User
from arena.demo.services import demo_seed
from arena.events.models import Team
from arena.jobs.services import job_start
from arena.training.models import TrainingRun
from arena.training.services import training_start
from tests.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_the_live_page_draws_the_run(live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_seed(password=settings.DEMO_PASSWORD)
    team = Team.objects.get(event__slug="space-odyssey", name="Fugue State")
    training = training_start(team=team, user=User.objects.get(username="alice"), steps=400)
    job_start(job_id=training.job_id)
    rows = [{"step": s, "seconds": s / 10, "in_scale_rate": 0.7 + s / 4000} for s in (50, 100)]
    TrainingRun.objects.filter(pk=training.pk).update(
        step=100,
        seconds=10.0,
        device="CPU, 2 threads",
        losses=[[s, -1.0, 2.0, 4.0 - s / 50] for s in range(1, 101)],
        metrics=rows,
        reference={"in_scale_rate": 0.96},
        samples=[{"step": 50, "midi": "x.mid", "audio": None}],
    )
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(live_server.url + f"/accounts/login/?next=/trainings/{training.pk}/")
        page.fill("input[name=login]", "alice")
        page.fill("input[name=password]", settings.DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"**/trainings/{training.pk}/")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.reload()
        page.wait_for_selector('[data-chart="losses"] path', state="attached")
        assert not errors
        assert page.locator('[data-chart="losses"] path').count() == 3
        assert page.locator('[data-chart="metrics"] svg').count() == 6
        assert page.locator('[data-chart="metrics"] line.bach').count() == 1
        assert page.inner_text('[data-field="eta"]') == "30 s"  # 300 steps at 10 steps a second
        assert "step 50" in page.inner_text('[data-field="samples"]')
        assert page.is_visible("text=Cancel training")
