from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    JUDGE = "judge", "Judge"
    ORGANISER = "organiser", "Organiser"


class User(AbstractUser):
    """A person on the site. The role says what they may do; organisers run events."""

    display_name = models.CharField(max_length=80, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PARTICIPANT)

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER or self.is_superuser

    @property
    def is_judge(self) -> bool:
        return self.role == Role.JUDGE

    def __str__(self) -> str:
        return self.display_name or self.username
