"""Blind judging of the teams' entries (DESIGN §1): who judges an event, and what they gave."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from arena.events.models import Event
from arena.submissions.models import Composition

SCORE_MIN, SCORE_MAX = 1, 10


class Criterion(models.TextChoices):
    ORIGINALITY = "originality", "Originality"
    RHYTHM = "rhythm", "Rhythm"
    ACCOMPANIMENT = "accompaniment", "Accompaniment and chord progressions"
    CLEANLINESS = "cleanliness", "Cleanliness of sound"
    EMOTION = "emotion", "Emotional resonance"


CRITERIA: tuple[str, ...] = tuple(Criterion.values)


def default_weights() -> dict[str, float]:
    return dict.fromkeys(CRITERIA, 1.0)


def _order_seed() -> int:
    return secrets.randbelow(2**31)


class JudgingSetup(models.Model):
    """An event's judging rules and whether its results are out."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="judging")
    weights = models.JSONField(
        default=default_weights, help_text="Weight of each criterion in the total."
    )
    results_published = models.BooleanField(default=False)
    results_published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Judging of {self.event}"


class JudgeAssignment(models.Model):
    """A judge invited to an event. `order_seed` gives each judge their own, stable order of the
    entries, so no entry is always heard first (or last) by everyone."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="judge_assignments")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_assignments"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    order_seed = models.PositiveIntegerField(default=_order_seed)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "judge"], name="one_assignment_per_judge")
        ]

    def __str__(self) -> str:
        return f"{self.judge} judges {self.event}"


def _criterion_field() -> models.PositiveSmallIntegerField:
    # Empty while the score is a draft; the service requires all five to submit.
    return models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )


class Rating(models.Model):
    """One judge's marks for one entry (the API calls it their score); a draft until submitted,
    editable while judging is open."""

    assignment = models.ForeignKey(
        JudgeAssignment, on_delete=models.CASCADE, related_name="ratings"
    )
    entry = models.ForeignKey(Composition, on_delete=models.CASCADE, related_name="ratings")
    originality = _criterion_field()
    rhythm = _criterion_field()
    accompaniment = _criterion_field()
    cleanliness = _criterion_field()
    emotion = _criterion_field()
    comment = models.TextField(blank=True, max_length=4000)
    submitted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "entry"], name="one_score_per_entry"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{c}__isnull": True})
                    | models.Q(**{f"{c}__gte": SCORE_MIN, f"{c}__lte": SCORE_MAX}),
                    name=f"score_{c}_in_range",
                )
                for c in CRITERIA
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.judge} on entry #{self.entry_id}"

    def values(self) -> dict[str, int | None]:
        return {c: getattr(self, c) for c in CRITERIA}
