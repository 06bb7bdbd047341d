from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class JobKind(models.TextChoices):
    """What a job does; each app registers the handler of its own kind (arena.jobs.handlers)."""

    COMPOSE = "compose", "Composition"
    TRAIN_GAN = "train_gan", "Training"
    SOUNDCLOUD_PUBLISH = "soundcloud_publish", "Posting to SoundCloud"


class Job(models.Model):
    """One piece of background work and its life-cycle, as the people waiting for it see it.

    This table is the queue of record: the broker only ever holds the few messages that
    `arena.jobs.dispatching` sent, each carrying the job's id and its `dispatch_token`. The status,
    progress and outcome live here, so a page can show them and an organiser can requeue a job
    whatever happened to its worker or to the broker.
    """

    kind = models.CharField(max_length=40, choices=JobKind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    queue = models.CharField(max_length=20, default="default")
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=200, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    team = models.ForeignKey(
        "events.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # Whose turn it is: jobs are sent round-robin over this key ("team:<id>", else "user:<id>").
    owner_key = models.CharField(max_length=40, blank=True, default="")
    # Set each time a message is sent; the worker runs only the message with the current token.
    sent_at = models.DateTimeField(null=True, blank=True)
    dispatch_token = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["queue", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class JobQueue(models.Model):
    """One Celery queue's turn-taking row: a dispatcher updates it before choosing what to send,
    which holds a row lock on PostgreSQL and the write lock on SQLite until it commits, so two
    dispatchers of one queue never both count the same free places."""

    name = models.CharField(max_length=20, primary_key=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
