"""A team's melodies and the compositions made from them (DESIGN §1).

A composition's life-cycle (queued → running → done | failed, progress, error) is its Job's, so
pages and the API read one place; the composition keeps what the team chose and what came out.
"""

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile

from arena.events.models import Team
from arena.jobs.models import Job, JobStatus


class MelodySource(models.TextChoices):
    UPLOAD = "upload", "Uploaded MIDI file"
    SAMPLE = "sample", "Sample melody"
    EDITOR = "editor", "Entered in the browser"


class ComposerModel(models.TextChoices):
    GAN = "gan", "GAN harmonizer"
    ARCNN = "arcnn", "AR-CNN (Coconet)"
    HYBRID = "hybrid", "GAN draft refined by the AR-CNN"
    TEAM = "team", "The team's own GAN"
    BACH = "bach", "Bach's own harmonization (a demo entry)"

    @classmethod
    def composable(cls) -> list[tuple[str, str]]:
        """The shipped models a team can compose with, the recommended one first (its own model
        is offered separately)."""
        order = (cls.HYBRID, cls.GAN, cls.ARCNN)
        labels = dict(cls.choices)
        return [(v.value, labels[v] + (" (recommended)" if v == cls.HYBRID else "")) for v in order]


class Style(models.TextChoices):
    BAROQUE = "baroque", "Baroque (strings and harpsichord)"
    SPACE = "space", "Space (celesta, choir and pads)"


def melody_upload_to(melody: "Melody", filename: str) -> str:
    return f"melodies/team-{melody.team_id}/{filename}"


# A piece's files by the kind its URLs and the API name them: "score" is the sheet music.
FILE_KINDS = {
    "midi": "midi",
    "audio": "audio",
    "audio_compressed": "audio_compressed",
    "roll": "roll",
    "score": "sheet_music",
}


def composition_upload_to(composition: "Composition", filename: str) -> str:
    return f"compositions/{composition.pk}/{filename}"


class Melody(models.Model):
    """One melody of a team, stored as the one-voice MIDI file composer extracted from what the
    team brought (so every composition starts from exactly what the team saw described)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="melodies")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=120)
    source = models.CharField(max_length=10, choices=MelodySource.choices)
    midi = models.FileField(upload_to=melody_upload_to, max_length=255)
    bars = models.PositiveIntegerField()
    notes = models.PositiveIntegerField()
    key = models.CharField(max_length=20)
    meter = models.CharField(max_length=10)
    tempo_bpm = models.FloatField()
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "melodies"

    def __str__(self) -> str:
        return self.title


class Composition(models.Model):
    """One iteration: a melody harmonized and rendered with the controls the team chose."""

    melody = models.ForeignKey(Melody, on_delete=models.CASCADE, related_name="compositions")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="compositions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    model = models.CharField(
        max_length=10, choices=ComposerModel.choices, default=ComposerModel.GAN
    )
    # Set when `model` is "team": the team's own trained GAN that made the piece.
    team_model = models.ForeignKey(
        "training.TrainingRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compositions",
    )
    style = models.CharField(max_length=10, choices=Style.choices, default=Style.BAROQUE)
    risk = models.FloatField(default=1.0, help_text="Creative risk: the sampling temperature.")
    seed = models.PositiveIntegerField(default=0)
    seconds = models.PositiveSmallIntegerField(default=60)
    # A retry gives the composition a fresh job; the failed one stays in the jobs table.
    job = models.OneToOneField(Job, on_delete=models.PROTECT, related_name="composition")
    midi = models.FileField(upload_to=composition_upload_to, max_length=255, blank=True)
    audio = models.FileField(upload_to=composition_upload_to, max_length=255, blank=True)
    # What the pages play (MP3, about 1 MB a minute); `audio` stays the lossless download.
    audio_compressed = models.FileField(upload_to=composition_upload_to, max_length=255, blank=True)
    roll = models.FileField(upload_to=composition_upload_to, max_length=255, blank=True)
    # Sheet music (MusicXML) for notation programs; its URLs and API keys say "score".
    sheet_music = models.FileField(upload_to=composition_upload_to, max_length=255, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    is_entry = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A team belongs to one event, so this is "one entry per team per event".
            models.UniqueConstraint(
                fields=["team"], condition=models.Q(is_entry=True), name="one_entry_per_team"
            )
        ]

    def __str__(self) -> str:
        return f"{self.melody} · {self.get_model_display()} #{self.pk}"

    @property
    def status(self) -> str:
        return self.job.status

    def file_of(self, kind: str) -> FieldFile | None:
        """The file a URL or the API names by its kind, or None when there is none (yet)."""
        field = FILE_KINDS.get(kind)
        stored = getattr(self, field) if field else None
        return stored or None

    @property
    def model_label(self) -> str:
        """Which model made the piece, for people."""
        if self.team_model_id is not None:
            return f"{self.team_model.name} (trained by {self.team_model.team})"
        return self.get_model_display()

    @property
    def is_done(self) -> bool:
        return self.job.status == JobStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.job.status == JobStatus.FAILED

    @property
    def is_pending(self) -> bool:
        return self.job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
