"""The demo's people, events and teams (DESIGN §6), created idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from arena.accounts.models import Role, User
from arena.accounts.services import user_create
from arena.demo.entries import demo_entry_create
from arena.events.models import Event, Phase, Team
from arena.events.services import event_create, team_create, team_join
from arena.judging.models import CRITERIA, JudgeAssignment, Rating
from arena.judging.services import judging_setup_get_or_create
from arena.submissions.models import ComposerModel, Composition, Melody, Style
from arena.submissions.services import composition_create, melody_create_from_sample

SPACE_BRIEF = (
    "A test track of about a minute for a film on space exploration: harmonically elegant, "
    "Bach-like chords, fresh embellishments. Start from one melody."
)
LIVE_EVENT = "space-odyssey"
FINISHED_BRIEF = "Our first workshop: harmonize a Christmas carol in the style of the chorales."


@dataclass(frozen=True)
class DemoPerson:
    username: str
    role: str
    display_name: str


PEOPLE = [
    DemoPerson("organiser", Role.ORGANISER, "Olga Organiser"),
    DemoPerson("judge1", Role.JUDGE, "Judge Anna"),
    DemoPerson("judge2", Role.JUDGE, "Judge Bernd"),
    DemoPerson("judge3", Role.JUDGE, "Judge Chiara"),
    DemoPerson("alice", Role.PARTICIPANT, "Alice"),
    DemoPerson("bob", Role.PARTICIPANT, "Bob"),
    DemoPerson("carol", Role.PARTICIPANT, "Carol"),
    DemoPerson("dave", Role.PARTICIPANT, "Dave"),
]
TEAMS = {"Fugue State": ["alice", "bob"], "Well-Tempered Rockets": ["carol", "dave"]}
# The live event's teams start with a sample tune each and one piece composed from it, so the
# studio, the history and the entry choice can be tried at once.
DEMO_MELODIES = {"Fugue State": "ode-to-joy", "Well-Tempered Rockets": "amazing-grace"}
DEMO_PIECES = {
    "Fugue State": (ComposerModel.HYBRID, Style.BAROQUE),
    "Well-Tempered Rockets": (ComposerModel.GAN, Style.SPACE),
}


def _person(person: DemoPerson, password: str) -> User:
    existing = User.objects.filter(username=person.username).first()
    if existing:
        return existing
    user = user_create(
        username=person.username,
        email=f"{person.username}@demo.arena.local",
        password=password,
        role=person.role,
        display_name=person.display_name,
    )
    if person.role == Role.ORGANISER:
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def _event(
    *, slug: str, name: str, brief: str, phase: str, start_days: int, organiser: User
) -> Event:
    existing = Event.objects.filter(slug=slug).first()
    if existing:
        return existing
    start = timezone.now() + timedelta(days=start_days)
    return event_create(
        name=name,
        slug=slug,
        brief=brief,
        phase=phase,
        organiser=organiser,
        registration_opens=start,
        composing_opens=start + timedelta(days=7),
        judging_opens=start + timedelta(days=21),
        results_at=start + timedelta(days=28),
    )


def _teams(event: Event, users: dict[str, User]) -> None:
    for name, members in TEAMS.items():
        if Team.objects.filter(event=event, name=name).exists():
            continue
        team = team_create(event=event, name=name, founder=users[members[0]])
        for username in members[1:]:
            team_join(team=team, user=users[username])


def _melodies(event: Event, users: dict[str, User]) -> None:
    for team_name, slug in DEMO_MELODIES.items():
        team = Team.objects.get(event=event, name=team_name)
        if not Melody.objects.filter(team=team).exists():
            melody_create_from_sample(team=team, user=users[TEAMS[team_name][0]], slug=slug)


def demo_pieces_queue() -> list[Composition]:
    """Queue one piece per live team that has none yet, through the same job as the studio's:
    a running worker finishes them within seconds of the demo starting."""
    queued = []
    users = {u.username: u for u in User.objects.filter(username__in=[p.username for p in PEOPLE])}
    for team_name, (model, style) in DEMO_PIECES.items():
        team = Team.objects.get(event__slug=LIVE_EVENT, name=team_name)
        melody = team.melodies.order_by("created_at").first()
        if melody is None or team.compositions.exists():
            continue
        queued.append(
            composition_create(
                melody=melody, user=users[TEAMS[team_name][0]], model=model, style=style
            )
        )
    return queued


# The finished event's entries (a Bach chorale each) and the judges' marks. judge1 is harsh and
# judge3 lenient; normalisation makes them count alike (arena.judging.scoring).
FINISHED_ENTRIES = {"Fugue State": "bach/bwv104.6", "Well-Tempered Rockets": "bach/bwv146.8"}
FINISHED_MARKS = {
    "judge1": {"Fugue State": (5, 4, 6, 5, 6), "Well-Tempered Rockets": (3, 4, 4, 3, 4)},
    "judge2": {"Fugue State": (7, 6, 8, 7, 8), "Well-Tempered Rockets": (7, 7, 6, 6, 7)},
    "judge3": {"Fugue State": (9, 9, 10, 9, 9), "Well-Tempered Rockets": (8, 9, 8, 8, 8)},
}
FINISHED_COMMENTS = {
    "Fugue State": "Lovely voice leading in the inner parts; the ending lands well.",
    "Well-Tempered Rockets": "Bold, but the bass drifts out of its range twice.",
}


def _finished_results(event: Event, users: dict[str, User]) -> None:
    """Each team of the finished event has an entry, scored by all three judges, and the results
    are published, so the leaderboard and posting to SoundCloud can be tried at once."""
    entries: dict[str, Composition] = {}
    for team_name, chorale in FINISHED_ENTRIES.items():
        team = Team.objects.get(event=event, name=team_name)
        entry = team.compositions.filter(is_entry=True).first()
        if entry is None:
            entry = demo_entry_create(team=team, user=users[TEAMS[team_name][0]], chorale=chorale)
        entries[team_name] = entry
    for judge, marks in FINISHED_MARKS.items():
        assignment, _ = JudgeAssignment.objects.get_or_create(
            event=event, judge=users[judge], defaults={"invited_by": users["organiser"]}
        )
        for team_name, values in marks.items():
            Rating.objects.get_or_create(
                assignment=assignment,
                entry=entries[team_name],
                defaults={
                    **dict(zip(CRITERIA, values, strict=True)),
                    "comment": FINISHED_COMMENTS[team_name],
                    "submitted": True,
                },
            )
    setup = judging_setup_get_or_create(event=event)
    if not setup.results_published:
        setup.results_published = True
        setup.results_published_at = event.results_at
        setup.save(update_fields=["results_published", "results_published_at"])


@transaction.atomic
def demo_seed(*, password: str) -> dict[str, Event]:
    """Make (or keep) the demo people, the live event `space-odyssey` and the finished one."""
    users = {p.username: _person(p, password) for p in PEOPLE}
    live = _event(
        slug=LIVE_EVENT,
        name="Space Odyssey Workshop",
        brief=SPACE_BRIEF,
        phase=Phase.COMPOSING,
        start_days=-10,
        organiser=users["organiser"],
    )
    finished = _event(
        slug="bach-to-the-future",
        name="Bach to the Future",
        brief=FINISHED_BRIEF,
        phase=Phase.RESULTS,
        start_days=-60,
        organiser=users["organiser"],
    )
    for event in (live, finished):
        _teams(event, users)
    _melodies(live, users)
    _finished_results(finished, users)
    return {"live": live, "finished": finished}
