"""Teams' own GANs: the organiser's training policy per event, and each training run.

A run's life-cycle (queued → running → done | failed, progress, error) is its Job's; the run keeps
what the team chose, what the worker reported while training (losses, validation metrics beside
Bach's, sample harmonizations) and, when done, the weights the team composes with.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from arena.events.models import Event, Team
from arena.jobs.models import Job, JobStatus


class TrainingPolicy(models.Model):
    """What an event allows: a time budget per training and limits per team."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="training_policy")
    minutes_per_job = models.PositiveSmallIntegerField(
        default=8, help_text="Training time of one run; it stops with the model it has then."
    )
    max_concurrent_per_team = models.PositiveSmallIntegerField(default=1)
    max_total_per_team = models.PositiveSmallIntegerField(default=5)

    class Meta:
        verbose_name_plural = "training policies"

    def __str__(self) -> str:
        return f"Training policy of {self.event}"


def training_folder_name(training_id: int) -> str:
    """The run's folder in the media storage: checkpoint, metrics, samples and weights."""
    return f"training/{training_id}"


class TrainingRun(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="trainings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=60)
    config = models.JSONField(help_text="The hyperparameters the team chose.")
    budget_seconds = models.PositiveIntegerField()
    job = models.OneToOneField(Job, on_delete=models.PROTECT, related_name="training")
    # Reported by the worker while it trains.
    step = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0, help_text="Training time used so far.")
    device = models.CharField(max_length=120, blank=True)
    losses = models.JSONField(default=list, blank=True)  # [[step, critic, generator, recon.]]
    metrics = models.JSONField(default=list, blank=True)  # validation rows, as in metrics.csv
    reference = models.JSONField(default=dict, blank=True)  # Bach's values on the same chorales
    samples = models.JSONField(default=list, blank=True)  # [{"step", "midi", "audio"}]
    weights = models.FileField(max_length=255, blank=True)
    stopped_early = models.BooleanField(default=False)
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.team})"

    @property
    def steps(self) -> int:
        return int(self.config["steps"])

    @property
    def status(self) -> str:
        """The job's status, or `cancelled` once a cancelled run has stopped."""
        if self.cancel_requested_at and self.job.status == JobStatus.FAILED:
            return "cancelled"
        return self.job.status

    @property
    def is_active(self) -> bool:
        return self.job.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.job.status == JobStatus.DONE and bool(self.weights)

    @property
    def model_key(self) -> str:
        """How compositions name this model (`team:<id>`)."""
        return f"team:{self.pk}"

    @property
    def final_metrics(self) -> dict[str, float]:
        return self.metrics[-1] if self.metrics else {}
