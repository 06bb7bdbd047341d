from django.conf import settings
from django.db import models


class Phase(models.TextChoices):
    REGISTRATION = "registration", "Registration"
    COMPOSING = "composing", "Composing"
    JUDGING = "judging", "Judging"
    RESULTS = "results", "Results"


PHASES = list(Phase)  # in the order an event goes through them


class Event(models.Model):
    """A workshop or competition: teams compose from one brief, judges score, winners get posted."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    brief = models.TextField(blank=True, help_text="What the teams should compose.")
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_events"
    )
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.REGISTRATION)
    registration_opens = models.DateTimeField()
    composing_opens = models.DateTimeField()
    judging_opens = models.DateTimeField()
    results_at = models.DateTimeField()
    max_team_size = models.PositiveSmallIntegerField(default=4)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-composing_opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration_opens__lte=models.F("composing_opens"))
                & models.Q(composing_opens__lte=models.F("judging_opens"))
                & models.Q(judging_opens__lte=models.F("results_at")),
                name="event_phases_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A group of participants in one event; others join with the invite code."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=80)
    invite_code = models.CharField(max_length=12, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="team_name_unique_in_event")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    """A participant's place in a team; `event` is repeated so that one team per event is a
    database constraint."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_team_per_event")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"
