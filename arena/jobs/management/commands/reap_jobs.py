"""`manage.py reap_jobs`: mark failed the jobs whose worker died (workers also do it on a timer)."""

from django.core.management.base import BaseCommand

from arena.jobs.services import jobs_reap_stale


class Command(BaseCommand):
    help = "Mark failed, with the reason, the jobs still running past their time limit."

    def handle(self, *args: object, **options: object) -> None:
        reaped = jobs_reap_stale()
        self.stdout.write(f"reaped {len(reaped)} job(s): {reaped}")
