"""An organiser requeues a failed piece from the queue page on a phone, in a real Chromium."""

import os

import pytest

from arena.demo.services import demo_seed
from arena.events.models import Team
from arena.jobs.models import Job, JobKind, JobStatus
from arena.jobs.services import job_create, job_fail
from tests.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_requeue_from_a_phone(live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_seed(password=settings.DEMO_PASSWORD)
    team = Team.objects.get(event__slug="space-odyssey", name="Well-Tempered Rockets")
    job = job_create(kind=JobKind.COMPOSE, payload={}, queue="gpu", team=team)
    job_fail(job_id=job.pk, error="Its worker stopped before it finished. Try again.")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(live_server.url + "/accounts/login/?next=/events/space-odyssey/queue/")
        page.fill("input[name=login]", "organiser")
        page.fill("input[name=password]", settings.DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/events/space-odyssey/queue/")
        card = page.locator(f"#job-{job.pk}")
        assert "Well-Tempered Rockets" in card.inner_text()
        assert "Its worker stopped" in card.inner_text()
        # Nothing wider than the phone's screen.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)
        card.locator("button", has_text="Requeue").click()
        page.wait_for_selector(f"text=Job #{job.pk} is back in line.")
        assert "Requeue" not in page.locator(f"#job-{job.pk}").inner_text()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.error == ""
    assert job.sent_at is not None  # sent again at once: the queue had room
    assert Job.objects.get(pk=job.pk).dispatch_token == 2
