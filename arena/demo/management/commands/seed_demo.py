from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from arena.demo.services import PEOPLE, demo_pieces_queue, demo_seed


class Command(BaseCommand):
    help = "Create the demo people, events and teams (only with DEBUG on, or with --force)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--force", action="store_true", help="seed even when DEBUG is off")
        parser.add_argument(
            "--no-pieces",
            action="store_true",
            help="do not queue the live teams' first pieces (they need a worker to finish)",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing to seed demo accounts with DEBUG off; pass --force.")
        events = demo_seed(password=settings.DEMO_PASSWORD)
        if not options["no_pieces"]:
            for piece in demo_pieces_queue():
                self.stdout.write(f"Queued {piece.model} piece for {piece.team.name}")
        names = ", ".join(p.username for p in PEOPLE)
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready: events {', '.join(e.slug for e in events.values())}")
        )
        self.stdout.write(f"Users: {names} (password from DEMO_PASSWORD)")
