"""Posting the winners to SoundCloud: organisers' connections and one row per posted track."""

from django.conf import settings
from django.db import models

from arena.events.models import Event
from arena.jobs.models import Job
from arena.submissions.models import Composition


class SoundCloudAccount(models.Model):
    """An organiser's SoundCloud connection. Tokens are stored encrypted (arena.publishing.crypto);
    the refresh token is single-use, so it is replaced on every refresh."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="soundcloud"
    )
    access_token = models.TextField(help_text="Encrypted.")
    refresh_token = models.TextField(blank=True, help_text="Encrypted.")
    expires_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=200, blank=True)
    soundcloud_username = models.CharField(max_length=200, blank=True)
    connected_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"SoundCloud of {self.user}"


class Sharing(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private (share by link)"


class PublicationStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    UPLOADING = "uploading", "Uploading"
    DONE = "done", "Posted"
    FAILED = "failed", "Failed"


class Publication(models.Model):
    """One winning entry to post. `key` is unique: recorded before the upload (status uploading)
    and after it (track id and permalink), so a retried job never posts an entry twice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="publications")
    entry = models.ForeignKey(Composition, on_delete=models.CASCADE, related_name="publications")
    key = models.CharField(max_length=100, unique=True)
    rank = models.PositiveSmallIntegerField()
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.PUBLIC)
    status = models.CharField(
        max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.PENDING
    )
    track_id = models.CharField(max_length=40, blank=True)
    permalink_url = models.URLField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "rank"]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
